/* access_engine.c - the daemon's side of decisions: the snapshot's lifecycle, deciding
 * inside the store's single writer (decisions are serialised and on disk before the
 * reply), the decision log, occupancy and the anti-passback reset. */
#include <string.h>
#include <time.h>

#include "../level/level.h"
#include "access_int.h"
#include "access_policy.h"

void access_person_name(const char *first, const char *last, char *out, size_t n)
{
	pg_snprintf(out, n, "%s %s", first ? first : "", last ? last : "");
}

int access_time_field(struct http_req *req, const char *field, int64_t *out)
{
	json_t *v = json_object_get(req->body, field);
	if (!v || json_is_null(v)) {
		*out = 0;
		return 0;
	}
	int64_t ms;
	if (!json_is_string(v) || pg_time_parse(json_string_value(v), &ms) < 0) {
		http_problem(req, 400, "bad-field", field,
			     "%s must be an RFC 3339 time such as 2026-12-31T18:00:00Z", field);
		return PG_EINVAL;
	}
	*out = ms;
	return 0;
}

/* ---- snapshot lifecycle --------------------------------------------------------------- */

static void mark_stale(void *ctx)
{
	struct access *a = ctx;
	__atomic_store_n(&a->stale, 1, __ATOMIC_SEQ_CST);
}

void access_changed(struct store_tx *tx, struct access *a)
{
	if (a)
		store_after_commit(tx, mark_stale, NULL, a);
}

/* (Re)loads the snapshot and the locations, on the writer thread, inside tx. People held
 * at readers stay held. */
static int reload(struct store_tx *tx, struct access *a, struct pg_err *err)
{
	struct access_policy *p = NULL;
	int64_t t0 = pg_mono_us();
	int rc = access_policy_load(tx, &p, err);
	if (rc < 0)
		return rc;
	struct access_state *st = access_state_new();
	struct store_rows *r = NULL;
	rc = store_query(tx, &r, err, "SELECT person_id, zone_id, since_ms FROM occupancy", "");
	if (rc < 0)
		goto fail;
	while ((rc = store_next(r)) == 1)
		access_state_place(st, store_int(r, 0), store_int(r, 1), store_int(r, 2));
	store_rows_free(r);
	if (rc < 0) {
		rc = pg_err_set(err, PG_EIO, "store: reading occupancy failed");
		goto fail;
	}
	if (a->state) { /* keep who is waiting at a reader */
		memcpy(st->holds, a->state->holds, sizeof(st->holds));
		st->nholds = a->state->nholds;
	}
	access_policy_free(a->policy);
	access_state_free(a->state);
	a->policy = p;
	a->state = st;
	__atomic_store_n(&a->stale, 0, __ATOMIC_SEQ_CST);
	pg_info("access: snapshot loaded: %d zones, %d readers, %d people, %d credentials, %d "
		"groups in %lld ms",
		p->nzones, p->nreaders, p->npeople, p->ncreds, p->ngroups,
		(long long)((pg_mono_us() - t0) / 1000));
	return 0;
fail:
	access_policy_free(p);
	access_state_free(st);
	return rc;
}

static int open_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return reload(tx, ctx, err);
}

int access_open(struct store *s, struct access **out, struct pg_err *err)
{
	struct access *a = pg_calloc(1, sizeof(*a));
	a->store = s;
	int rc = store_write(s, open_tx, a, err);
	if (rc < 0) {
		pg_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void access_close(struct access *a)
{
	if (!a)
		return;
	access_policy_free(a->policy);
	access_state_free(a->state);
	pg_free(a);
}

/* ---- deciding ------------------------------------------------------------------------- */

struct decide_ctx {
	struct access *a;
	int64_t reader_id;
	const char *credential, *pin;
	int out;
	json_t *answer;
};

static json_t *ref_json(int64_t id, const char *name)
{
	return id ? json_pack("{sI ss}", "id", (json_int_t)id, "name", name ? name : "") : json_null();
}

static const char *person_name(const struct access_policy *p, int64_t id)
{
	int64_t i;
	return imap_get(&p->person_ix, id, &i) ? p->people[i].name : NULL;
}

/* Stores one decision (and the occupancy it changes), publishes it; returns its id. */
static int64_t record(struct store_tx *tx, struct access *a, const struct access_request *rq,
		      const struct access_decision *d, const char *credential, const char *detail,
		      json_t **answer, struct pg_err *err)
{
	const struct access_policy *p = a->policy;
	const struct ap_reader *rd = policy_reader(p, rq->reader_id);
	int zi = d->zone_id ? policy_zone_index(p, d->zone_id) : -1;
	char at[PG_TIME_LEN];
	pg_time_format(rq->now_ms, at);
	json_t *dj = json_pack("{sb sb ss?}", "held", d->held, "soft_anti_passback",
			       d->soft_passback, "detail", detail);
	char *djs = json_dumps(dj, JSON_COMPACT);
	json_decref(dj);
	int rc = store_exec(tx, err,
			    "INSERT INTO decisions(at, at_ms, reader_id, credential, person_id, zone_id, "
			    "direction, decision, reason, level, detail) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			    "tiitiitttit", at, rq->now_ms, rd ? rq->reader_id : (int64_t)0, credential,
			    d->person_id, d->zone_id, rq->out ? "out" : "in", d->grant ? "grant" : "deny",
			    access_reason_name(d->reason), (int64_t)rq->level, djs);
	free(djs);
	if (rc < 0)
		return rc;
	int64_t id = store_last_id(tx);
	if (d->grant) {
		rc = store_exec(tx, err,
				"INSERT INTO occupancy(person_id, zone_id, reader_id, since_ms) "
				"VALUES (?1, ?2, ?3, ?4) ON CONFLICT(person_id) DO UPDATE SET "
				"zone_id = excluded.zone_id, reader_id = excluded.reader_id, "
				"since_ms = excluded.since_ms",
				"iiii", d->person_id, d->zone_id, rq->reader_id, rq->now_ms);
		if (rc == 0 && rd && rd->kind == RK_MUSTER)
			rc = access_muster_swipe(tx, d->person_id, rq->reader_id, rq->now_ms, err);
		if (rc < 0)
			return rc;
	}
	json_t *ans = json_pack("{ss ss so so si sb sI}", "decision", d->grant ? "grant" : "deny",
				"reason", access_reason_name(d->reason), "person",
				ref_json(d->person_id, person_name(p, d->person_id)), "zone",
				ref_json(d->zone_id, zi >= 0 ? p->zones[zi].name : NULL), "level",
				rq->level, "held", d->held, "id", (json_int_t)id);
	json_t *ev = json_deep_copy(ans);
	json_object_set_new(ev, "action", json_string("decision"));
	json_object_set_new(ev, "reader_id", json_integer(rq->reader_id));
	json_object_set_new(ev, "reader", rd ? json_string(rd->name) : json_null());
	json_object_set_new(ev, "credential", json_string(credential));
	json_object_set_new(ev, "direction", json_string(rq->out ? "out" : "in"));
	json_object_set_new(ev, "detail", json_string(detail));
	json_object_set_new(ev, "at", json_string(at));
	int64_t eid = store_event(tx, "access", ev, err);
	json_decref(ev);
	if (eid < 0) {
		json_decref(ans);
		return eid;
	}
	if (answer)
		*answer = ans;
	else
		json_decref(ans);
	return id;
}

/* Alarm-worthy facts go on the bus for the alarm module: a lost or stolen credential
 * presented, a tolerated anti-passback violation, a zone reaching its capacity. */
static int alarm_event(struct store_tx *tx, const char *kind, int64_t decision_id,
		       const struct access_decision *d, int64_t reader_id, struct pg_err *err)
{
	json_t *ev = json_pack("{ss ss sI sI sI sI ss}", "action", "alarm", "kind", kind, "decision_id",
			       (json_int_t)decision_id, "reader_id", (json_int_t)reader_id,
			       "person_id", (json_int_t)d->person_id, "zone_id", (json_int_t)d->zone_id,
			       "detail", d->detail);
	int64_t id = store_event(tx, "access", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

static void local_time(int64_t now_ms, struct access_request *rq)
{
	time_t secs = (time_t)(now_ms / 1000);
	struct tm tm;
	localtime_r(&secs, &tm);
	rq->local_minute_of_week = ((tm.tm_wday + 6) % 7) * 1440 + tm.tm_hour * 60 + tm.tm_min;
	rq->local_date = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Has another process (portguard import people, user add) committed since we looked? */
static int changed_elsewhere(struct store_tx *tx, struct access *a, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "PRAGMA data_version", "");
	if (rc < 0)
		return rc;
	int64_t v = store_next(r) == 1 ? store_int(r, 0) : a->data_version;
	store_rows_free(r);
	rc = v != a->data_version;
	a->data_version = v;
	return rc;
}

static int decide_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct decide_ctx *c = vctx;
	struct access *a = c->a;
	int rc = changed_elsewhere(tx, a, err);
	if (rc < 0)
		return rc;
	if (rc || !a->policy || __atomic_load_n(&a->stale, __ATOMIC_SEQ_CST))
		if ((rc = reload(tx, a, err)) < 0)
			return rc;
	struct access_request rq = {.reader_id = c->reader_id, .credential = c->credential,
				    .pin = c->pin, .out = c->out, .now_ms = pg_now_ms()};
	if ((rc = level_current(tx, &rq.level, err)) < 0)
		return rc;
	local_time(rq.now_ms, &rq);
	struct access_decision d;
	access_decide(a->policy, a->state, &rq, &d);
	int64_t id = record(tx, a, &rq, &d, c->credential, d.detail, &c->answer, err);
	rc = id < 0 ? (int)id : 0;
	for (int i = 0; rc == 0 && i < d.nreleased; i++) {
		struct access_decision r = d;
		r.person_id = d.released[i];
		r.held = 0;
		r.nreleased = 0;
		char detail[200];
		pg_snprintf(detail, sizeof(detail), "released by %s: %.120s",
			    person_name(a->policy, d.person_id) ? person_name(a->policy, d.person_id) : "?",
			    d.detail);
		int64_t rid = record(tx, a, &rq, &r, "(held)", detail, NULL, err);
		rc = rid < 0 ? (int)rid : 0;
	}
	if (rc == 0 && d.alarm_lost)
		rc = alarm_event(tx, "credential_lost_presented", id, &d, rq.reader_id, err);
	if (rc == 0 && d.soft_passback)
		rc = alarm_event(tx, "anti_passback_soft", id, &d, rq.reader_id, err);
	if (rc == 0 && d.grant && !rq.out) {
		int zi = policy_zone_index(a->policy, d.zone_id);
		if (zi >= 0 && a->policy->zones[zi].capacity &&
		    access_state_count(a->state, d.zone_id) == a->policy->zones[zi].capacity)
			rc = alarm_event(tx, "zone_capacity_reached", id, &d, rq.reader_id, err);
	}
	if (rc < 0) {
		/* the transaction is undone: so must the in-memory moves be */
		__atomic_store_n(&a->stale, 1, __ATOMIC_SEQ_CST);
		json_decref(c->answer);
		c->answer = NULL;
	}
	return rc;
}

int access_decide_and_record(struct access *a, int64_t reader_id, const char *credential,
			     const char *pin, int out, json_t **answer, struct pg_err *err)
{
	struct decide_ctx c = {a, reader_id, credential, pin, out, NULL};
	int rc = store_write(a->store, decide_tx, &c, err);
	if (rc < 0)
		return rc;
	if (answer)
		*answer = c.answer;
	else
		json_decref(c.answer);
	return 0;
}

/* ---- routes ----------------------------------------------------------------------------- */

static void decide_finish(struct http_req *req, int rc, const struct pg_err *err, void *ctx)
{
	struct decide_ctx *c = ctx;
	if (rc < 0)
		http_error(req, rc, err);
	else
		http_json(req, 200, c->answer);
	pg_free(c);
}

static void api_decide(struct http_req *req)
{
	const char *cred = json_string_value(json_object_get(req->body, "credential"));
	const char *pin = json_string_value(json_object_get(req->body, "pin"));
	const char *dir = json_string_value(json_object_get(req->body, "direction"));
	int64_t reader = json_integer_value(json_object_get(req->body, "reader_id"));
	if (dir && strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0) {
		http_problem(req, 400, "bad-field", "direction", "direction must be \"in\" or \"out\"");
		return;
	}
	if (!*cred) {
		http_problem(req, 400, "bad-field", "credential", "credential must not be empty");
		return;
	}
	/* the body (and so cred and pin) lives as long as req: the write finishes before it */
	struct decide_ctx *c = pg_calloc(1, sizeof(*c));
	*c = (struct decide_ctx){req->ctx, reader, cred, pin, dir && !strcmp(dir, "out"), NULL};
	http_write_async(req, decide_tx, c, decide_finish);
}

struct log_ctx {
	int limit;
	int64_t after, reader_id, person_id;
	const char *decision;
	json_t *rows;
};

static int log_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct log_ctx *c = vctx;
	return store_query_json(
		tx, &c->rows, err,
		"SELECT d.id, d.at, d.reader_id, r.name AS reader, d.credential, d.person_id, "
		"p.first_name || ' ' || p.last_name AS person, d.zone_id, z.name AS zone, d.direction, "
		"d.decision, d.reason, d.level, d.detail AS detail_json FROM decisions d "
		"LEFT JOIN readers r ON r.id = d.reader_id LEFT JOIN people p ON p.id = d.person_id "
		"LEFT JOIN zones z ON z.id = d.zone_id "
		"WHERE (?1 = 0 OR d.id < ?1) AND (?2 = 0 OR d.reader_id = ?2) "
		"AND (?3 = 0 OR d.person_id = ?3) AND (?4 IS NULL OR d.decision = ?4) "
		"ORDER BY d.id DESC LIMIT ?5",
		"iiiti", c->after, c->reader_id, c->person_id, c->decision, (int64_t)c->limit);
}

static int query_id(struct http_req *req, const char *name, int64_t *out)
{
	const char *v = http_query(req, name);
	*out = 0;
	if (v && pg_parse_i64(v, 1, INT64_MAX, out) < 0) {
		http_problem(req, 400, "bad-field", name, "%s must be an id", name);
		return PG_EINVAL;
	}
	return 0;
}

static void api_decisions(struct http_req *req)
{
	struct log_ctx c = {0};
	if (http_page_args(req, &c.limit, &c.after) < 0 || query_id(req, "reader_id", &c.reader_id) < 0 ||
	    query_id(req, "person_id", &c.person_id) < 0)
		return;
	c.decision = http_query(req, "decision");
	if (c.decision && strcmp(c.decision, "grant") && strcmp(c.decision, "deny")) {
		http_problem(req, 400, "bad-field", "decision", "decision must be grant or deny");
		return;
	}
	struct pg_err err = {0};
	int rc = store_read(http_store(req), log_tx, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, store_page(c.rows, c.limit, "id"));
}

struct occ_ctx {
	int64_t zone_id;
	json_t *zones, *items;
};

static int occupancy_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct occ_ctx *c = vctx;
	int rc = store_query_json(tx, &c->zones, err,
				  "SELECT z.id, z.name, z.kind, z.capacity, count(o.person_id) AS count "
				  "FROM zones z LEFT JOIN occupancy o ON o.zone_id = z.id "
				  "GROUP BY z.id ORDER BY z.id",
				  "");
	if (rc < 0)
		return rc;
	return store_query_json(
		tx, &c->items, err,
		"SELECT o.person_id, p.first_name || ' ' || p.last_name AS person, p.kind, "
		"p.employer, o.zone_id, z.name AS zone, o.reader_id, r.name AS reader, "
		"strftime('%Y-%m-%dT%H:%M:%fZ', o.since_ms / 1000.0, 'unixepoch') AS since "
		"FROM occupancy o JOIN people p ON p.id = o.person_id JOIN zones z ON z.id = o.zone_id "
		"LEFT JOIN readers r ON r.id = o.reader_id WHERE (?1 = 0 OR o.zone_id = ?1) "
		"ORDER BY o.since_ms DESC LIMIT 2000",
		"i", c->zone_id);
}

static void api_occupancy(struct http_req *req)
{
	struct occ_ctx c = {0};
	if (query_id(req, "zone_id", &c.zone_id) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), occupancy_tx, &c, &err);
	if (rc < 0) {
		json_decref(c.zones);
		http_error(req, rc, &err);
		return;
	}
	http_json(req, 200, json_pack("{so so}", "zones", c.zones, "items", c.items));
}

struct reset_ctx {
	struct access *a;
	const char *actor;
	int64_t person_id;
};

static int reset_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct reset_ctx *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
				  "SELECT first_name || ' ' || last_name AS name FROM people WHERE id = ?1",
				  "i", c->person_id);
	if (rc < 0)
		return rc;
	if (!json_array_size(rows)) {
		json_decref(rows);
		return pg_err_field(err, PG_EUNPROCESSABLE, "person_id", "no person with id %lld",
				    (long long)c->person_id);
	}
	char name[200];
	pg_strlcpy(name, json_string_value(json_object_get(json_array_get(rows, 0), "name")),
		   sizeof(name));
	json_decref(rows);
	rc = store_exec(tx, err, "DELETE FROM occupancy WHERE person_id = ?1", "i", c->person_id);
	json_t *details = json_pack("{sI}", "person_id", (json_int_t)c->person_id);
	if (rc == 0)
		rc = store_audit(tx, c->actor, "access.anti_passback_reset", name, details, err);
	if (rc == 0) {
		json_object_set_new(details, "action", json_string("anti_passback_reset"));
		json_object_set_new(details, "by", json_string(c->actor));
		int64_t id = store_event(tx, "access", details, err);
		rc = id < 0 ? (int)id : 0;
	}
	json_decref(details);
	if (rc == 0)
		access_changed(tx, c->a); /* reload the locations from the store */
	return rc;
}

static void api_apb_reset(struct http_req *req)
{
	struct reset_ctx c = {req->ctx, req->who.name,
			      json_integer_value(json_object_get(req->body, "person_id"))};
	struct pg_err err = {0};
	int rc = store_write(http_store(req), reset_tx, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, json_pack("{sI ss}", "person_id", (json_int_t)c.person_id, "location",
					      "unknown"));
}

static const struct http_field decide_body[] = {
	{"reader_id", F_INT, 1, 0, "the reader presented at"},
	{"credential", F_STRING, 1, 64, "card UID as read"},
	{"pin", F_STRING, 0, 16, "PIN entered at the reader, if any"},
	{"direction", F_STRING, 0, 3, "in (default) or out"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field reset_body[] = {
	{"person_id", F_INT, 1, 0, "whose recorded location to forget"},
	{NULL, 0, 0, 0, NULL},
};

#define R(x) ROLE_BIT(ROLE_##x)
#define DECIDERS (R(ADMIN) | R(PFSO) | R(GATE) | R(DEVICE))
#define OPS (R(ADMIN) | R(PFSO) | R(OPERATOR) | R(GATE))

const struct http_route access_decide_routes[] = {
	{"POST", "/api/v1/access/decide", DECIDERS, api_decide,
	 "Decide one badge presentation (persisted before the answer)", decide_body, 200,
	 "{decision, reason, person, zone, level, held, id}", NULL},
	{"GET", "/api/v1/access/decisions", OPS | R(AUDITOR), api_decisions,
	 "The decision log, newest first", NULL, 200, "{items, next}",
	 "limit,after,reader_id,person_id,decision"},
	{"POST", "/api/v1/access/anti-passback/reset", R(ADMIN) | R(PFSO), api_apb_reset,
	 "Forgive an anti-passback violation: forget where the person is", reset_body, 200,
	 "{person_id, location}", NULL},
	{"GET", "/api/v1/occupancy", OPS, api_occupancy, "Who is inside, per zone", NULL, 200,
	 "{zones, items}", "zone_id"},
};
const int access_decide_n_routes =
	(int)(sizeof(access_decide_routes) / sizeof(access_decide_routes[0]));

int access_register_routes(struct access *a)
{
	int rc = http_routes_register(access_decide_routes, access_decide_n_routes, a);
	if (rc == 0)
		rc = http_routes_register(access_admin_routes, access_admin_n_routes, a);
	if (rc == 0)
		rc = http_routes_register(access_muster_routes, access_muster_n_routes, a);
	return rc;
}
