/* ais_live_http.c - the AIS engine's batched persistence (vessel upserts, track points,
 * anomaly and position events), its metrics, and the vessel, arrival and layout routes. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "ais_live_int.h"

#define POSITIONS_MS  2000
#define POSITIONS_MAX 500
#define VESSEL_PUB_MS 5000 /* a vessel at most every 5 s in the live position events */
#define MAX_INFLIGHT  4

#define READ                                                                                       \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) |                    \
	 ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_AUTHORITY))
#define MANAGE (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR))

/* ---- persistence ------------------------------------------------------------------------------
 */

struct batch {
	struct ais_live *live;
	struct ais_vessel *v;
	size_t nv;
	struct live_track *t;
	size_t nt;
	struct ais_anomaly *a;
	size_t na;
	json_t *positions;
};

static char *zones_json(const struct ais_live *l, const struct ais_vessel *v)
{
	json_t *a = json_array();
	for (int i = 0; i < v->nzones && l->layout; i++)
		json_array_append_new(a,
		                      json_string(geo_layout_zone(l->layout, v->zones[i])->name));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

static json_t *anomaly_json(const struct ais_anomaly *a)
{
	char at[PG_TIME_LEN];
	pg_time_format(a->at_ms, at);
	json_t *d = json_pack("{ss ss si so sf sf so ss ss}", "action", "anomaly", "kind",
	                      ais_kind_name(a->kind), "mmsi", (int)a->mmsi, "name",
	                      a->name[0] ? json_string(a->name) : json_null(), "lat", a->lat, "lon",
	                      a->lon, "zone", a->zone[0] ? json_string(a->zone) : json_null(),
	                      "reason", a->reason, "at", at);
	if (a->check[0])
		json_object_set_new(d, "check", json_string(a->check));
	if (a->other_mmsi)
		json_object_set_new(d, "other_mmsi", json_integer(a->other_mmsi));
	for (int i = 0; i < a->nnum; i++)
		json_object_set_new(d, a->num[i].key, json_real(round(a->num[i].v * 10) / 10));
	return d;
}

static int batch_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct batch *b = vctx;
	struct ais_live *l = b->live;
	int rc = 0;
	char first[PG_TIME_LEN], pos[PG_TIME_LEN], last[PG_TIME_LEN];
	for (size_t i = 0; i < b->nv && rc >= 0; i++) {
		const struct ais_vessel *v = &b->v[i];
		pg_time_format(v->first_ms, first);
		pg_time_format(v->pos_ms, pos);
		pg_time_format(v->seen_ms, last);
		char *zones = zones_json(l, v);
		rc = store_exec(
		    tx, err,
		    "INSERT OR REPLACE INTO ais_vessels(mmsi, name, callsign, imo, shiptype, "
		    "to_bow, to_stern, to_port, to_starboard, draught, destination, eta, class, "
		    "lat, lon, sog, cog, heading, status, zones, messages, first_seen, "
		    "position_at, last_seen) VALUES (?1, NULLIF(?2, ''), NULLIF(?3, ''), "
		    "NULLIF(?4, 0), NULLIF(?5, 0), NULLIF(?6, 0), NULLIF(?7, 0), NULLIF(?8, 0), "
		    "NULLIF(?9, 0), NULLIF(?10, 0), NULLIF(?11, ''), NULLIF(?12, ''), ?13, "
		    "NULLIF(?14, 999), NULLIF(?15, 999), NULLIF(?16, -1), NULLIF(?17, -1), "
		    "NULLIF(?18, -1), ?19, ?20, ?21, ?22, ?23, ?24)",
		    "ittiiiiiidtttddddiitittt", (int64_t)v->mmsi, v->name, v->callsign,
		    (int64_t)v->imo, (int64_t)v->shiptype, (int64_t)v->to_bow, (int64_t)v->to_stern,
		    (int64_t)v->to_port, (int64_t)v->to_starboard, v->draught / 10.0,
		    v->destination, v->eta, v->class_b ? "B" : "A", v->has_pos ? v->lat : 999.0,
		    v->has_pos ? v->lon : 999.0, v->sog, v->cog, (int64_t)v->heading,
		    (int64_t)v->status, zones, (int64_t)v->msgs, first, v->has_pos ? pos : NULL,
		    last);
		pg_free(zones);
	}
	for (size_t i = 0; i < b->nt && rc >= 0; i++) {
		const struct live_track *t = &b->t[i];
		pg_time_format(t->t, pos);
		rc = store_exec(
		    tx, err,
		    "INSERT INTO ais_track(mmsi, at, lat, lon, sog, cog, heading) VALUES "
		    "(?1, ?2, ?3, ?4, NULLIF(?5, -1), NULLIF(?6, -1), NULLIF(?7, -1))",
		    "itddddi", (int64_t)t->mmsi, pos, t->lat, t->lon, t->sog, t->cog,
		    (int64_t)t->heading);
	}
	for (size_t i = 0; i < b->na && rc >= 0; i++) {
		json_t *d = anomaly_json(&b->a[i]);
		int64_t id = store_event(tx, "ais", d, err);
		json_decref(d);
		rc = id < 0 ? (int)id : 0;
	}
	if (rc >= 0 && b->positions) {
		int64_t id = store_event(tx, "vessels", b->positions, err);
		rc = id < 0 ? (int)id : 0;
	}
	return rc;
}

static void batch_free(struct batch *b)
{
	pg_free(b->v);
	pg_free(b->t);
	pg_free(b->a);
	json_decref(b->positions);
	pg_free(b);
}

static void batch_done(void *arg, int rc, const struct pg_err *err)
{
	struct batch *b = arg;
	struct ais_live *l = b->live;
	if (rc < 0)
		pg_warn("ais: a batch of %zu vessels, %zu track points and %zu anomalies was not "
		        "stored: %s",
		        b->nv, b->nt, b->na, err && err->msg[0] ? err->msg : "?");
	pthread_mutex_lock(&l->flock);
	if (rc < 0) {
		l->batch_failures++;
	} else {
		l->batches++;
		l->track_points += b->nt;
		l->upserts += b->nv;
	}
	l->inflight--;
	pthread_cond_broadcast(&l->fcond);
	pthread_mutex_unlock(&l->flock);
	batch_free(b);
}

/* {"action":"positions","vessels":[...]}: the vessels that changed since the last one. */
static json_t *positions_json(struct ais_live *l, int64_t now)
{
	struct ais_fleet *f = ais_engine_fleet(l->engine);
	json_t *arr = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ais_fleet_slots(f) && n < POSITIONS_MAX; i++) {
		struct ais_vessel *v = ais_fleet_slot(f, i);
		if (!v || !v->pub_dirty || !v->has_pos || now - v->pub_ms < VESSEL_PUB_MS)
			continue;
		v->pub_dirty = 0;
		v->pub_ms = now;
		if (!arr)
			arr = json_array();
		json_t *o = json_pack("{si sf sf si}", "mmsi", (int)v->mmsi, "lat", v->lat, "lon",
		                      v->lon, "status", v->status);
		json_object_set_new(o, "name", v->name[0] ? json_string(v->name) : json_null());
		json_object_set_new(o, "sog", v->sog >= 0 ? json_real(v->sog) : json_null());
		json_object_set_new(o, "cog", v->cog >= 0 ? json_real(v->cog) : json_null());
		json_object_set_new(o, "heading",
		                    v->heading >= 0 ? json_integer(v->heading) : json_null());
		json_object_set_new(o, "class", json_string(v->class_b ? "B" : "A"));
		json_object_set_new(o, "shiptype", json_integer(v->shiptype));
		json_array_append_new(arr, o);
		n++;
	}
	return arr ? json_pack("{ss so}", "action", "positions", "vessels", arr) : NULL;
}

void live_flush(struct ais_live *l, int64_t now, int wait)
{
	int posev = now - l->last_positions >= POSITIONS_MS;
	if (!l->ndirty && !l->ntracks && !l->nanomalies && !posev)
		return;
	pthread_mutex_lock(&l->flock);
	if (l->inflight >= MAX_INFLIGHT && !wait) {
		pthread_mutex_unlock(&l->flock);
		return; /* keep collecting: the store is behind */
	}
	while (l->inflight >= MAX_INFLIGHT)
		pthread_cond_wait(&l->fcond, &l->flock);
	pthread_mutex_unlock(&l->flock);
	struct batch *b = pg_calloc(1, sizeof(*b));
	b->live = l;
	if (posev) {
		b->positions = positions_json(l, now);
		l->last_positions = now;
	}
	struct ais_fleet *f = ais_engine_fleet(l->engine);
	if (l->ndirty) {
		b->v = pg_malloc(l->ndirty * sizeof(*b->v));
		for (size_t i = 0; i < l->ndirty; i++) {
			struct ais_vessel *v = ais_fleet_get(f, l->dirty[i], 0, NULL);
			if (!v)
				continue;
			v->dirty = 0;
			b->v[b->nv++] = *v;
		}
		l->ndirty = 0;
	}
	b->t = l->tracks;
	b->nt = l->ntracks;
	l->tracks = NULL;
	l->ntracks = l->captracks = 0;
	b->a = l->anomalies;
	b->na = l->nanomalies;
	l->anomalies = NULL;
	l->nanomalies = l->capanomalies = 0;
	__atomic_store_n(&l->vessels, ais_fleet_count(f), __ATOMIC_RELAXED);
	if (!b->nv && !b->nt && !b->na && !b->positions) {
		batch_free(b);
		return;
	}
	pthread_mutex_lock(&l->flock);
	l->inflight++;
	pthread_mutex_unlock(&l->flock);
	if (store_write_async(l->store, batch_fn, b, batch_done, b) < 0) {
		struct pg_err e = {0};
		pg_err_set(&e, PG_EIO, "the store is closing");
		batch_done(b, PG_EIO, &e);
	}
}

/* ---- metrics --------------------------------------------------------------------------------- */

void live_metrics(struct pg_buf *out, void *ctx)
{
	struct ais_live *l = ctx;
	static const char *const names[][2] = {
	    {"lines", "Lines read by AIS input."},
	    {"messages", "AIS messages decoded by input."},
	    {"connects", "TCP connections made by AIS input."},
	    {"connect_failures", "Failed TCP connection attempts by AIS input."},
	};
	for (int k = 0; k < 4; k++) {
		pg_buf_printf(out,
		              "# HELP portguard_ais_input_%s_total %s\n# TYPE "
		              "portguard_ais_input_%s_total counter\n",
		              names[k][0], names[k][1], names[k][0]);
		for (int i = 0; i < l->ninputs; i++) {
			struct ais_input *in = l->inputs[i];
			uint64_t *c[] = {&in->lines, &in->messages, &in->connects, &in->failures};
			if (k >= 2 && in->kind != IN_TCP)
				continue;
			pg_buf_printf(out, "portguard_ais_input_%s_total{input=\"%s\"} %llu\n",
			              names[k][0], in->name,
			              (unsigned long long)__atomic_load_n(c[k], __ATOMIC_RELAXED));
		}
	}
	pg_buf_puts(
	    out, "# HELP portguard_ais_input_dropped_total AIS lines dropped by input and reason.\n"
	         "# TYPE portguard_ais_input_dropped_total counter\n");
	for (int i = 0; i < l->ninputs; i++)
		for (int r = 0; r < AIS_R_COUNT; r++)
			pg_buf_printf(
			    out,
			    "portguard_ais_input_dropped_total{input=\"%s\",reason=\"%s\"} %llu\n",
			    l->inputs[i]->name, ais_reason_name(r),
			    (unsigned long long)__atomic_load_n(&l->inputs[i]->dropped[r],
			                                        __ATOMIC_RELAXED));
	pg_buf_puts(out,
	            "# HELP portguard_ais_input_connected Whether a TCP AIS input is connected.\n"
	            "# TYPE portguard_ais_input_connected gauge\n");
	for (int i = 0; i < l->ninputs; i++)
		if (l->inputs[i]->kind == IN_TCP)
			pg_buf_printf(out, "portguard_ais_input_connected{input=\"%s\"} %d\n",
			              l->inputs[i]->name,
			              __atomic_load_n(&l->inputs[i]->connected, __ATOMIC_RELAXED));
	pg_buf_puts(out, "# HELP portguard_ais_anomalies_total AIS anomalies raised, by kind.\n"
	                 "# TYPE portguard_ais_anomalies_total counter\n");
	for (int k = 0; k < AIS_N_KINDS; k++)
		pg_buf_printf(out, "portguard_ais_anomalies_total{kind=\"%s\"} %llu\n",
		              ais_kind_name(k),
		              (unsigned long long)__atomic_load_n(&l->raised[k], __ATOMIC_RELAXED));
	pthread_mutex_lock(&l->flock);
	uint64_t batches = l->batches, fails = l->batch_failures, tp = l->track_points;
	pthread_mutex_unlock(&l->flock);
	pg_buf_printf(
	    out,
	    "# HELP portguard_ais_arrivals Expected arrivals the engine holds.\n"
	    "# TYPE portguard_ais_arrivals gauge\nportguard_ais_arrivals %d\n"
	    "# HELP portguard_ais_watchlist Watchlist entries the engine holds.\n"
	    "# TYPE portguard_ais_watchlist gauge\nportguard_ais_watchlist %d\n"
	    "# HELP portguard_ais_vessels Vessels in the live table.\n"
	    "# TYPE portguard_ais_vessels gauge\nportguard_ais_vessels %zu\n"
	    "# HELP portguard_ais_processed_total AIS messages the engine processed.\n"
	    "# TYPE portguard_ais_processed_total counter\nportguard_ais_processed_total %llu\n"
	    "# HELP portguard_ais_queue_full_total Times an input waited for room in the queue.\n"
	    "# TYPE portguard_ais_queue_full_total counter\nportguard_ais_queue_full_total %llu\n"
	    "# HELP portguard_ais_track_points_total Track points stored (after downsampling).\n"
	    "# TYPE portguard_ais_track_points_total counter\nportguard_ais_track_points_total "
	    "%llu\n"
	    "# HELP portguard_ais_batches_total AIS group commits, by result.\n"
	    "# TYPE portguard_ais_batches_total counter\n"
	    "portguard_ais_batches_total{result=\"ok\"} %llu\n"
	    "portguard_ais_batches_total{result=\"failed\"} %llu\n",
	    __atomic_load_n(&l->arrivals_loaded, __ATOMIC_RELAXED),
	    __atomic_load_n(&l->watch_loaded, __ATOMIC_RELAXED),
	    __atomic_load_n(&l->vessels, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&l->processed, __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&l->queue_full, __ATOMIC_RELAXED),
	    (unsigned long long)tp, (unsigned long long)batches, (unsigned long long)fails);
}

/* ---- routes ---------------------------------------------------------------------------------- */

#define VESSEL_COLUMNS                                                                             \
	"mmsi, name, callsign, imo, shiptype, to_bow, to_stern, to_port, to_starboard, draught, "  \
	"destination, eta, class, lat, lon, sog, cog, heading, status, zones AS zones_json, "      \
	"messages, first_seen, position_at, last_seen"

static void api_vessels(struct http_req *req)
{
	http_list(req,
	          "SELECT " VESSEL_COLUMNS " FROM ais_vessels WHERE mmsi > ?1 ORDER BY mmsi "
	          "LIMIT ?2",
	          "mmsi");
}

static int param_mmsi(struct http_req *req, int64_t *mmsi)
{
	if (pg_parse_i64(req->params[0], 1, 999999999, mmsi) < 0) {
		http_problem(req, 404, "not-found", NULL, "no vessel with MMSI '%s'",
		             req->params[0]);
		return PG_ENOTFOUND;
	}
	return 0;
}

struct vessel_ctx {
	int64_t mmsi, after;
	int limit;
	json_t *out;
};

static int vessel_get_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct vessel_ctx *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
	                          "SELECT " VESSEL_COLUMNS " FROM ais_vessels "
	                          "WHERE mmsi = ?1",
	                          "i", c->mmsi);
	if (rc < 0)
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return pg_err_set(err, PG_ENOTFOUND, "no vessel with MMSI %lld",
		                  (long long)c->mmsi);
	}
	c->out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

static void api_vessel(struct http_req *req)
{
	struct vessel_ctx c = {0};
	struct pg_err err = {0};
	if (param_mmsi(req, &c.mmsi) < 0)
		return;
	if (store_read(http_store(req), vessel_get_fn, &c, &err) < 0)
		http_error(req, err.code ? err.code : PG_EIO, &err);
	else
		http_json(req, 200, c.out);
}

static int track_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct vessel_ctx *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
	                          "SELECT id, at, lat, lon, sog, cog, heading FROM ais_track "
	                          "WHERE mmsi = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
	                          "iii", c->mmsi, c->after, (int64_t)c->limit);
	if (rc < 0)
		return rc;
	c->out = store_page(rows, c->limit, "id");
	json_object_set_new(c->out, "mmsi", json_integer(c->mmsi));
	return 0;
}

static void api_track(struct http_req *req)
{
	struct vessel_ctx c = {0};
	struct pg_err err = {0};
	if (param_mmsi(req, &c.mmsi) < 0 || http_page_args(req, &c.limit, &c.after) < 0)
		return;
	if (store_read(http_store(req), track_fn, &c, &err) < 0)
		http_error(req, err.code ? err.code : PG_EIO, &err);
	else
		http_json(req, 200, c.out);
}

static void api_layout(struct http_req *req)
{
	struct ais_live *l = req->ctx;
	json_t *g = l->layout ? json_loads(geo_layout_geojson(l->layout), 0, NULL) : NULL;
	if (!g)
		g = json_pack("{ss s[]}", "type", "FeatureCollection", "features");
	http_json(req, 200, g);
}

/* ---- arrivals -------------------------------------------------------------------------------- */

struct arrival_ctx {
	struct ais_live *live;
	const char *actor, *berth, *name, *note;
	int64_t mmsi, imo, from, until, id;
	json_t *out;
};

/* c->out: arrival c->id as stored (PG_ENOTFOUND when there is none). */
static int arrival_row(struct store_tx *tx, struct arrival_ctx *c, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err, "SELECT * FROM ais_arrivals WHERE id = ?1", "i",
	                          c->id);
	if (rc < 0)
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return pg_err_set(err, PG_ENOTFOUND, "no expected arrival %lld", (long long)c->id);
	}
	c->out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

/* The audit record ("ais.arrival.<verb>") and the ais event ("arrival_<done>") of c->out. */
static int arrival_record(struct store_tx *tx, struct arrival_ctx *c, const char *verb,
                          const char *done, struct pg_err *err)
{
	char object[64], audit[32], action[32];
	pg_snprintf(object, sizeof(object), "arrival %lld", (long long)c->id);
	pg_snprintf(audit, sizeof(audit), "ais.arrival.%s", verb);
	pg_snprintf(action, sizeof(action), "arrival_%s", done);
	int rc = store_audit(tx, c->actor, audit, object, c->out, err);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{ss sO}", "action", action, "arrival", c->out);
	int64_t id = store_event(tx, "ais", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

static int arrival_add_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct arrival_ctx *c = vctx;
	char now[PG_TIME_LEN], from[PG_TIME_LEN], until[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	pg_time_format(c->from, from);
	pg_time_format(c->until, until);
	int rc = store_exec(
	    tx, err,
	    "INSERT INTO ais_arrivals(berth, mmsi, imo, name, window_from, window_until, "
	    "note, created_by, created_at) VALUES (?1, NULLIF(?2, 0), NULLIF(?3, 0), "
	    "NULLIF(?4, ''), ?5, ?6, NULLIF(?7, ''), ?8, ?9)",
	    "tiittttt"
	    "t",
	    c->berth, c->mmsi, c->imo, c->name ? c->name : "", c->from ? from : NULL,
	    c->until ? until : NULL, c->note ? c->note : "", c->actor, now);
	if (rc < 0)
		return rc;
	c->id = store_last_id(tx);
	rc = arrival_row(tx, c, err);
	return rc < 0 ? rc : arrival_record(tx, c, "add", "added", err);
}

static int arrival_check(struct arrival_ctx *c, struct pg_err *err)
{
	struct ais_live *l = c->live;
	if (!c->berth || !c->berth[0])
		return pg_err_field(err, PG_EINVAL, "berth", "berth: a berth name is required");
	if (l->layout) {
		int found = 0;
		for (int i = 0; i < geo_layout_count(l->layout) && !found; i++) {
			const struct geo_zone *z = geo_layout_zone(l->layout, i);
			found = (z->kind == GEO_BERTH || z->kind == GEO_RESTRICTED) &&
			        (strcasecmp(z->name, c->berth) == 0 ||
			         strcasecmp(z->berth, c->berth) == 0);
		}
		if (!found)
			return pg_err_field(
			    err, PG_EUNPROCESSABLE, "berth",
			    "berth: '%s' is not a berth or restricted zone of the layout",
			    c->berth);
	}
	if (c->mmsi && (c->mmsi < 1 || c->mmsi > 999999999))
		return pg_err_field(err, PG_EINVAL, "mmsi", "mmsi: an MMSI is 1 to 999999999");
	if (c->imo && (c->imo < 1000000 || c->imo > 9999999))
		return pg_err_field(err, PG_EINVAL, "imo", "imo: an IMO number has 7 digits");
	if (c->name && strlen(c->name) > 20)
		return pg_err_field(err, PG_EINVAL, "name",
		                    "name: an AIS name has at most 20 characters");
	if (!c->mmsi && !c->imo && !(c->name && c->name[0]))
		return pg_err_field(err, PG_EUNPROCESSABLE, "mmsi",
		                    "name the vessel: mmsi, imo or name (at least one)");
	if (c->from && c->until && c->until <= c->from)
		return pg_err_field(err, PG_EUNPROCESSABLE, "until", "until: must be after from");
	return 0;
}

int ais_live_arrival_add(struct ais_live *l, const char *actor, const char *berth, int32_t mmsi,
                         int32_t imo, const char *name, int64_t from_ms, int64_t until_ms,
                         const char *note, int64_t *id, struct pg_err *err)
{
	struct arrival_ctx c = {l, actor, berth, name, note, mmsi, imo, from_ms, until_ms, 0, NULL};
	int rc = arrival_check(&c, err);
	if (rc == 0)
		rc = store_write(l->store, arrival_add_fn, &c, err);
	json_decref(c.out);
	if (rc == 0) {
		__atomic_store_n(&l->reload, 1, __ATOMIC_RELEASE);
		if (id)
			*id = c.id;
	}
	return rc;
}

static void arrival_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct arrival_ctx *c = vctx;
	if (rc < 0) {
		http_error(req, rc, err);
	} else {
		__atomic_store_n(&c->live->reload, 1, __ATOMIC_RELEASE);
		if (strcmp(req->method, "DELETE") == 0) {
			http_json(req, 204, NULL);
		} else {
			char loc[64];
			pg_snprintf(loc, sizeof(loc), "/api/v1/arrivals/%lld", (long long)c->id);
			http_json(req, 201, json_incref(c->out));
			http_header(req, "Location", loc);
		}
	}
	json_decref(c->out);
	pg_free(c);
}

static int time_field(struct http_req *req, const char *field, int64_t *out)
{
	const char *s = json_string_value(json_object_get(req->body, field));
	*out = 0;
	if (s && pg_time_parse(s, out) < 0) {
		http_problem(req, 400, "bad-field", field, "%s: not an RFC 3339 time", field);
		return PG_EINVAL;
	}
	return 0;
}

static void api_arrival_add(struct http_req *req)
{
	struct arrival_ctx *c = pg_calloc(1, sizeof(*c));
	struct pg_err err = {0};
	c->live = req->ctx;
	c->actor = req->who.name;
	c->berth = json_string_value(json_object_get(req->body, "berth"));
	c->name = json_string_value(json_object_get(req->body, "name"));
	c->note = json_string_value(json_object_get(req->body, "note"));
	c->mmsi = json_integer_value(json_object_get(req->body, "mmsi"));
	c->imo = json_integer_value(json_object_get(req->body, "imo"));
	if (json_object_get(req->body, "mmsi") && c->mmsi == 0)
		c->mmsi = -1;
	if (json_object_get(req->body, "imo") && c->imo == 0)
		c->imo = -1;
	if (time_field(req, "from", &c->from) < 0 || time_field(req, "until", &c->until) < 0) {
		pg_free(c);
		return;
	}
	if (arrival_check(c, &err) < 0) {
		http_error(req, err.code, &err);
		pg_free(c);
		return;
	}
	http_write_async(req, arrival_add_fn, c, arrival_finish);
}

static int arrival_delete_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct arrival_ctx *c = vctx;
	int rc = arrival_row(tx, c, err);
	if (rc < 0)
		return rc;
	rc = store_exec(tx, err, "DELETE FROM ais_arrivals WHERE id = ?1", "i", c->id);
	return rc < 0 ? rc : arrival_record(tx, c, "remove", "removed", err);
}

static void api_arrival_delete(struct http_req *req)
{
	int64_t id;
	if (http_param_id(req, 0, &id) < 0)
		return;
	struct arrival_ctx *c = pg_calloc(1, sizeof(*c));
	c->live = req->ctx;
	c->actor = req->who.name;
	c->id = id;
	http_write_async(req, arrival_delete_fn, c, arrival_finish);
}

static void api_arrivals(struct http_req *req)
{
	http_list(req,
	          "SELECT id, berth, mmsi, imo, name, window_from, window_until, note, created_by, "
	          "created_at FROM ais_arrivals WHERE id > ?1 ORDER BY id LIMIT ?2",
	          "id");
}

static const struct http_field arrival_body[] = {
    {"berth", F_STRING, 1, GEO_NAME_MAX - 1,
     "a berth (or restricted zone) of the layout: its berth or name"},
    {"mmsi", F_INT, 0, 0, "the vessel's MMSI"},
    {"imo", F_INT, 0, 0, "the vessel's IMO number (7 digits)"},
    {"name", F_STRING, 0, 20, "the vessel's name as it sends it"},
    {"from", F_STRING, 0, 40, "RFC 3339: expected from (absent: open)"},
    {"until", F_STRING, 0, 40, "RFC 3339: expected until (absent: open)"},
    {"note", F_STRING, 0, 500, "free text"},
    {NULL},
};

static const struct http_route routes[] = {
    {"GET", "/api/v1/vessels", READ, api_vessels,
     "Vessels seen: latest position, movement, status and static data, by MMSI", NULL, 200,
     "{items, next}", "limit,after"},
    {"GET", "/api/v1/vessels/{mmsi}", READ, api_vessel, "One vessel's latest state", NULL, 200,
     "vessel", NULL},
    {"GET", "/api/v1/vessels/{mmsi}/track", READ, api_track,
     "A vessel's downsampled track, oldest first", NULL, 200, "{items, next, mmsi}", "limit,after"},
    {"GET", "/api/v1/arrivals", READ, api_arrivals, "Expected arrivals per berth", NULL, 200,
     "{items, next}", "limit,after"},
    {"POST", "/api/v1/arrivals", MANAGE, api_arrival_add,
     "Expect a vessel at a berth (no zone_entry anomaly for it there)", arrival_body, 201,
     "arrival", NULL},
    {"DELETE", "/api/v1/arrivals/{id}", MANAGE, api_arrival_delete, "Remove an expected arrival",
     NULL, 204, NULL, NULL},
    {"GET", "/api/v1/waterside/layout", READ, api_layout,
     "The waterside layout (GeoJSON FeatureCollection of zones)", NULL, 200, "FeatureCollection",
     NULL},
};

int ais_live_register_routes(struct ais_live *l)
{
	int rc = http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), l);
	if (rc == 0)
		rc = http_metrics_register(live_metrics, l);
	return rc;
}
