/* access_demo.c - the demo's port (zones, readers, groups, a few hundred people with
 * badges and qualifications) and a badge simulator that presents them at the readers. */
#include <pthread.h>
#include <string.h>

#include "access_demo.h"
#include "access_int.h"

/* ---- the port layout ------------------------------------------------------------------ */

static const char layout_sql[] =
	"INSERT INTO zones(id, name, kind, parent_id, capacity, anti_passback, required_quals, "
	"created_at, updated_at) VALUES "
	"(1, 'Port of Demo', 'public', NULL, NULL, 'none', '[]', ?1, ?1),"
	"(2, 'Container terminal', 'controlled', 1, 400, 'soft', '[]', ?1, ?1),"
	"(3, 'Container yard', 'restricted', 2, NULL, 'hard', '[\"security_awareness\"]', ?1, ?1),"
	"(4, 'Quay 1 berth', 'restricted', 3, 60, 'none', '[\"security_awareness\"]', ?1, ?1),"
	"(5, 'Dangerous goods area', 'high_security', 3, 12, 'hard', "
	"'[\"security_awareness\",\"dangerous_goods\"]', ?1, ?1),"
	"(6, 'Terminal building', 'controlled', 2, 150, 'none', '[]', ?1, ?1),"
	"(7, 'Security control room', 'high_security', 6, 8, 'hard', '[\"security_awareness\"]', ?1, ?1),"
	"(8, 'Ferry terminal', 'controlled', 1, 300, 'none', '[]', ?1, ?1),"
	"(9, 'Passenger embarkation', 'restricted', 8, 200, 'none', '[\"security_awareness\"]', ?1, ?1),"
	"(10, 'Muster point A', 'public', 1, NULL, 'none', '[]', ?1, ?1)";

/* Where the zones lie (GeoJSON, longitude first): a fictional port on a coast that runs
 * east-west at 51.960 N, the water to the north; the AIS picture and the sensors use the
 * same geography. */
static const char geometry_sql[] =
	"UPDATE zones SET geometry = g.geometry FROM (SELECT column1 AS id, column2 AS geometry "
	"FROM (VALUES "
	"(1, '{\"type\":\"Polygon\",\"coordinates\":[[[4.03,51.94],[4.08,51.94],[4.08,51.96],[4.03,51.96],[4.03,51.94]]]}'),"
	"(2, '{\"type\":\"Polygon\",\"coordinates\":[[[4.035,51.948],[4.06,51.948],[4.06,51.96],[4.035,51.96],[4.035,51.948]]]}'),"
	"(3, '{\"type\":\"Polygon\",\"coordinates\":[[[4.038,51.95],[4.058,51.95],[4.058,51.958],[4.038,51.958],[4.038,51.95]]]}'),"
	"(4, '{\"type\":\"Polygon\",\"coordinates\":[[[4.038,51.958],[4.058,51.958],[4.058,51.96],[4.038,51.96],[4.038,51.958]]]}'),"
	"(5, '{\"type\":\"Polygon\",\"coordinates\":[[[4.052,51.951],[4.057,51.951],[4.057,51.954],[4.052,51.954],[4.052,51.951]]]}'),"
	"(6, '{\"type\":\"Polygon\",\"coordinates\":[[[4.0355,51.9482],[4.0405,51.9482],[4.0405,51.9498],[4.0355,51.9498],[4.0355,51.9482]]]}'),"
	"(7, '{\"type\":\"Polygon\",\"coordinates\":[[[4.0365,51.9485],[4.0385,51.9485],[4.0385,51.9495],[4.0365,51.9495],[4.0365,51.9485]]]}'),"
	"(8, '{\"type\":\"Polygon\",\"coordinates\":[[[4.065,51.95],[4.078,51.95],[4.078,51.96],[4.065,51.96],[4.065,51.95]]]}'),"
	"(9, '{\"type\":\"Polygon\",\"coordinates\":[[[4.068,51.957],[4.076,51.957],[4.076,51.96],[4.068,51.96],[4.068,51.957]]]}'),"
	"(10, '{\"type\":\"Polygon\",\"coordinates\":[[[4.042,51.942],[4.045,51.942],[4.045,51.945],[4.042,51.945],[4.042,51.942]]]}')"
	")) g WHERE zones.id = g.id";

static const char readers_sql[] =
	"INSERT INTO readers(id, name, kind, from_zone_id, to_zone_id, created_at, updated_at) VALUES "
	"(1, 'Main gate turnstile 1', 'turnstile', 1, 2, ?1, ?1),"
	"(2, 'Main gate turnstile 2', 'turnstile', 1, 2, ?1, ?1),"
	"(3, 'Truck gate lane 1', 'vehicle_gate', 1, 2, ?1, ?1),"
	"(4, 'Yard pedestrian gate', 'pedestrian_gate', 2, 3, ?1, ?1),"
	"(5, 'Quay 1 gate', 'pedestrian_gate', 3, 4, ?1, ?1),"
	"(6, 'DG area door', 'door', 3, 5, ?1, ?1),"
	"(7, 'Terminal building entrance', 'door', 2, 6, ?1, ?1),"
	"(8, 'Control room door', 'door', 6, 7, ?1, ?1),"
	"(9, 'Ferry terminal entrance', 'turnstile', 1, 8, ?1, ?1),"
	"(10, 'Embarkation gate', 'pedestrian_gate', 8, 9, ?1, ?1),"
	"(11, 'Muster point A reader', 'muster', 2, 10, ?1, ?1)";

static const char groups_sql[] =
	"INSERT INTO access_groups(id, name, schedule, holidays, levels, created_at, updated_at) "
	"VALUES "
	"(1, 'All staff', '\"always\"', '[]', 7, ?1, ?1),"
	"(2, 'Yard operations', '\"always\"', '[]', 3, ?1, ?1),"
	"(3, 'Dangerous goods handlers', '\"always\"', '[]', 7, ?1, ?1),"
	"(4, 'Control room', '\"always\"', '[]', 7, ?1, ?1),"
	"(5, 'Ferry staff', '{\"mon\":[[\"05:00\",\"23:30\"]],\"tue\":[[\"05:00\",\"23:30\"]],"
	"\"wed\":[[\"05:00\",\"23:30\"]],\"thu\":[[\"05:00\",\"23:30\"]],\"fri\":[[\"05:00\",\"23:30\"]],"
	"\"sat\":[[\"06:00\",\"22:00\"]],\"sun\":[[\"06:00\",\"22:00\"]]}', '[\"2026-12-25\"]', 3, ?1, ?1),"
	"(6, 'Hauliers', '{\"mon\":[[\"06:00\",\"22:00\"]],\"tue\":[[\"06:00\",\"22:00\"]],"
	"\"wed\":[[\"06:00\",\"22:00\"]],\"thu\":[[\"06:00\",\"22:00\"]],\"fri\":[[\"06:00\",\"22:00\"]],"
	"\"sat\":[[\"07:00\",\"13:00\"]]}', '[\"2026-12-25\",\"2027-01-01\"]', 1, ?1, ?1),"
	"(7, 'Visitors', '{\"mon\":[[\"08:00\",\"18:00\"]],\"tue\":[[\"08:00\",\"18:00\"]],"
	"\"wed\":[[\"08:00\",\"18:00\"]],\"thu\":[[\"08:00\",\"18:00\"]],\"fri\":[[\"08:00\",\"18:00\"]]}', "
	"'[]', 1, ?1, ?1)";

static const char group_zones_sql[] =
	"INSERT INTO group_zones(group_id, zone_id) VALUES (1, 2), (1, 6), (1, 10), (2, 3), (2, 4), "
	"(3, 3), (3, 5), (4, 6), (4, 7), (5, 8), (5, 9), (6, 2), (7, 2), (7, 6)";

static const char *const first_names[] = {
	"Ana", "Bram", "Chen", "Dara", "Eitan", "Femi", "Greta", "Hugo", "Ines", "Jonas",
	"Kaveh", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
	"Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia", "Aiko", "Bilal", "Carmen", "Dmitri",
};
static const char *const last_names[] = {
	"Jansen", "Okafor", "Silva", "Novak", "Haddad", "Larsen", "Moreau", "Tanaka", "Kowalski",
	"Mensah", "Rossi", "Schmidt", "Dubois", "Ivanova", "Kaya", "Nguyen", "Petrov", "Alvarez",
	"Bakker", "Costa", "Eriksen", "Fischer", "Garcia", "Horvat", "Ibrahim",
};
static const char *const employers[] = {
	"Port of Demo Authority", "Demo Container Terminals", "North Sea Stevedoring",
	"Harbour Pilots Co-op", "SecureGuard Services", "Ferry Lines Demo",
};

enum demo_role { DR_YARD, DR_DG, DR_CONTROL, DR_FERRY, DR_OFFICE, DR_DRIVER, DR_VISITOR, DR_CREW };

struct seed_ctx {
	struct access *a;
	int people;
};

static int exec_now(struct store_tx *tx, const char *sql, const char *now, struct pg_err *err)
{
	return store_exec(tx, err, sql, "t", now);
}

static int seed_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct seed_ctx *c = vctx;
	char now[PG_TIME_LEN];
	int64_t t = pg_now_ms();
	pg_time_format(t, now);
	int rc;
	if ((rc = exec_now(tx, layout_sql, now, err)) < 0 || (rc = exec_now(tx, readers_sql, now, err)) < 0 ||
	    (rc = exec_now(tx, groups_sql, now, err)) < 0 ||
	    (rc = store_exec(tx, err, group_zones_sql, "")) < 0 ||
	    (rc = store_exec(tx, err, geometry_sql, "")) < 0)
		return rc;
	uint32_t rnd = 12345;
	for (int i = 1; i <= c->people; i++) {
		rnd = rnd * 1103515245u + 12345u;
		enum demo_role role = i <= 60 ? DR_YARD : i <= 75 ? DR_DG : i <= 85 ? DR_CONTROL
				   : i <= 130 ? DR_FERRY : i <= 180 ? DR_OFFICE : i <= 260 ? DR_DRIVER
				   : i <= 285 ? DR_VISITOR : DR_CREW;
		const char *kind = role == DR_DRIVER ? "driver" : role == DR_VISITOR ? "visitor"
				   : role == DR_CREW ? "crew" : i % 4 == 0 ? "contractor" : "employee";
		const char *first = first_names[(rnd >> 8) % (sizeof(first_names) / sizeof(*first_names))];
		const char *last = last_names[(rnd >> 16) % (sizeof(last_names) / sizeof(*last_names))];
		const char *employer = role == DR_DRIVER ? "Hauliers United"
				       : role == DR_CREW ? "MV Demo Star"
				       : role == DR_VISITOR ? "Visiting"
				       : employers[i % (sizeof(employers) / sizeof(*employers))];
		char doc[32];
		pg_snprintf(doc, sizeof(doc), "ID%07d", 1000000 + i * 37);
		/* visitors are hosted by an office employee until eight hours from now */
		char expires[24];
		pg_snprintf(expires, sizeof(expires), "%lld", (long long)(t + 8 * 3600 * 1000LL));
		int visitor = role == DR_VISITOR;
		rc = store_exec(tx, err,
				"INSERT INTO people(id, kind, first_name, last_name, employer, id_doc_type, "
				"id_doc_number, host_id, visitor_expires_ms, watchlisted, watchlist_reason, "
				"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'passport', ?6, "
				"CAST(?7 AS INTEGER), CAST(?8 AS INTEGER), ?9, ?10, ?11, ?11)",
				"itttttttitt", (int64_t)i, kind, first, last, employer, doc,
				visitor ? "150" : NULL, visitor ? expires : NULL, (int64_t)(i == 77),
				i == 77 ? "reported by the authority: suspected smuggling contact" : NULL, now);
		if (rc < 0)
			return rc;
		char uid[16];
		pg_snprintf(uid, sizeof(uid), "04A%05X", (unsigned)(i * 2654435761u >> 12) & 0xfffff);
		const char *status = i == 33 ? "lost" : i == 34 ? "suspended" : "active";
		rc = store_exec(tx, err,
				"INSERT INTO credentials(uid, person_id, status, valid_until_ms, created_at, "
				"updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
				"titit", uid, (int64_t)i, status,
				i == 35 ? t - 86400000LL : t + 365 * 86400000LL, now);
		if (rc < 0)
			return rc;
		static const int groups_of[][3] = {
			[DR_YARD] = {1, 2, 0}, [DR_DG] = {1, 2, 3}, [DR_CONTROL] = {1, 4, 0},
			[DR_FERRY] = {5, 0, 0}, [DR_OFFICE] = {1, 0, 0}, [DR_DRIVER] = {6, 0, 0},
			[DR_VISITOR] = {7, 0, 0}, [DR_CREW] = {1, 0, 0},
		};
		for (int g = 0; g < 3 && groups_of[role][g]; g++) {
			rc = store_exec(tx, err, "INSERT INTO person_groups(person_id, group_id) VALUES (?1, ?2)",
					"ii", (int64_t)i, (int64_t)groups_of[role][g]);
			if (rc < 0)
				return rc;
		}
		if (role != DR_DRIVER && role != DR_VISITOR) {
			/* one in twenty let their awareness training lapse */
			int64_t exp = i % 20 == 7 ? t - 5 * 86400000LL : t + 200 * 86400000LL;
			rc = store_exec(tx, err,
					"INSERT INTO qualifications(person_id, name, expires_ms, issued_by, "
					"updated_at) VALUES (?1, 'security_awareness', ?2, 'demo', ?3)",
					"iit", (int64_t)i, exp, now);
			if (rc == 0 && role == DR_DG)
				rc = store_exec(tx, err,
						"INSERT INTO qualifications(person_id, name, expires_ms, "
						"issued_by, updated_at) VALUES (?1, 'dangerous_goods', ?2, "
						"'demo', ?3)",
						"iit", (int64_t)i, t + 300 * 86400000LL, now);
			if (rc < 0)
				return rc;
		}
		if (role == DR_CONTROL && (rc = store_exec(tx, err,
				"INSERT INTO person_essential(person_id, zone_id) VALUES (?1, 1)", "i",
				(int64_t)i)) < 0)
			return rc;
	}
	json_t *details = json_pack("{si}", "people", c->people);
	rc = store_audit(tx, "demo", "demo.seed", "Port of Demo", details, err);
	json_decref(details);
	access_changed(tx, c->a);
	return rc;
}

int access_demo_seed(struct access *a, int people, struct pg_err *err)
{
	struct seed_ctx c = {a, people};
	return store_write(a->store, seed_tx, &c, err);
}

/* ---- the badge simulator --------------------------------------------------------------- */

struct access_sim {
	struct access *a;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int stop;
	int period_ms;
	int people;
};

/* The readers a role's person walks through, outermost first. */
static const int paths[][4] = {
	[DR_YARD] = {1, 4, 5, 0}, [DR_DG] = {2, 4, 6, 0}, [DR_CONTROL] = {1, 7, 8, 0},
	[DR_FERRY] = {9, 10, 0, 0}, [DR_OFFICE] = {2, 7, 0, 0}, [DR_DRIVER] = {3, 0, 0, 0},
	[DR_VISITOR] = {1, 7, 0, 0}, [DR_CREW] = {2, 0, 0, 0},
};

static enum demo_role role_of(int i)
{
	return i <= 60 ? DR_YARD : i <= 75 ? DR_DG : i <= 85 ? DR_CONTROL : i <= 130 ? DR_FERRY
	       : i <= 180 ? DR_OFFICE : i <= 260 ? DR_DRIVER : i <= 285 ? DR_VISITOR : DR_CREW;
}

static void *sim_main(void *arg)
{
	struct access_sim *sim = arg;
	uint32_t rnd = (uint32_t)pg_now_ms();
	int *depth = pg_calloc((size_t)sim->people + 1, sizeof(int)); /* how far in each person is */
	pthread_mutex_lock(&sim->lock);
	while (!sim->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)sim->period_ms * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&sim->cv, &sim->lock, &ts);
		if (sim->stop)
			break;
		pthread_mutex_unlock(&sim->lock);
		rnd = rnd * 1103515245u + 12345u;
		int i = 1 + (int)((rnd >> 8) % (uint32_t)sim->people);
		const int *path = paths[role_of(i)];
		int len = 0;
		while (len < 4 && path[len])
			len++;
		/* mostly onwards, sometimes back out; a stranger's card now and then */
		int out = depth[i] > 0 && (depth[i] == len || ((rnd >> 20) & 3) == 0);
		int reader = out ? path[depth[i] - 1] : path[depth[i]];
		char uid[16];
		if (((rnd >> 4) & 63) == 0)
			pg_snprintf(uid, sizeof(uid), "DEAD%04X", (rnd >> 12) & 0xffff);
		else
			pg_snprintf(uid, sizeof(uid), "04A%05X", (unsigned)(i * 2654435761u >> 12) & 0xfffff);
		json_t *ans = NULL;
		struct pg_err err = {0};
		if (access_decide_and_record(sim->a, reader, uid, NULL, out, &ans, &err) == 0) {
			const char *d = json_string_value(json_object_get(ans, "decision"));
			if (d && strcmp(d, "grant") == 0)
				depth[i] += out ? -1 : 1;
		}
		json_decref(ans);
		pthread_mutex_lock(&sim->lock);
	}
	pthread_mutex_unlock(&sim->lock);
	pg_free(depth);
	return NULL;
}

int access_sim_start(struct access *a, int people, int period_ms, struct access_sim **out)
{
	struct access_sim *sim = pg_calloc(1, sizeof(*sim));
	sim->a = a;
	sim->people = people;
	sim->period_ms = period_ms;
	pthread_mutex_init(&sim->lock, NULL);
	pthread_cond_init(&sim->cv, NULL);
	if (pthread_create(&sim->thread, NULL, sim_main, sim) != 0) {
		pg_free(sim);
		return PG_EIO;
	}
	*out = sim;
	return 0;
}

void access_sim_stop(struct access_sim *sim)
{
	if (!sim)
		return;
	pthread_mutex_lock(&sim->lock);
	sim->stop = 1;
	pthread_cond_signal(&sim->cv);
	pthread_mutex_unlock(&sim->lock);
	pthread_join(sim->thread, NULL);
	pthread_mutex_destroy(&sim->lock);
	pthread_cond_destroy(&sim->cv);
	pg_free(sim);
}
