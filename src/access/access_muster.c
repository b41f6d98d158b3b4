/* access_muster.c - evacuation muster: snapshot everyone inside a zone, mark people safe
 * (by a muster reader or by hand), show who is missing with where they were last seen,
 * close with a report (JSON and CSV). */
#include <string.h>

#include "access_int.h"
#include "../core/csv.h"

#define R(x) ROLE_BIT(ROLE_##x)
#define OPS (R(ADMIN) | R(PFSO) | R(OPERATOR) | R(GATE))

static int muster_event(struct store_tx *tx, const char *action, int64_t muster_id,
			int64_t person_id, const char *by, struct pg_err *err)
{
	json_t *ev = json_pack("{ss sI ss}", "action", action, "muster_id", (json_int_t)muster_id,
			       "by", by);
	if (person_id)
		json_object_set_new(ev, "person_id", json_integer(person_id));
	int64_t id = store_event(tx, "muster", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

int access_muster_swipe(struct store_tx *tx, int64_t person_id, int64_t reader_id, int64_t now_ms,
			struct pg_err *err)
{
	char by[40];
	pg_snprintf(by, sizeof(by), "reader:%lld", (long long)reader_id);
	json_t *open = NULL;
	int rc = store_query_json(tx, &open, err,
				  "SELECT mp.muster_id AS id FROM muster_people mp JOIN musters m ON "
				  "m.id = mp.muster_id WHERE m.closed_at_ms IS NULL AND mp.person_id = ?1 "
				  "AND mp.safe_at_ms IS NULL",
				  "i", person_id);
	if (rc < 0)
		return rc;
	size_t i;
	json_t *row;
	json_array_foreach(open, i, row) {
		int64_t mid = json_integer_value(json_object_get(row, "id"));
		rc = store_exec(tx, err,
				"UPDATE muster_people SET safe_at_ms = ?1, safe_by = ?2 "
				"WHERE muster_id = ?3 AND person_id = ?4",
				"itii", now_ms, by, mid, person_id);
		if (rc == 0)
			rc = muster_event(tx, "muster.safe", mid, person_id, by, err);
		if (rc < 0)
			break;
	}
	json_decref(open);
	return rc;
}

/* ---- reading a muster --------------------------------------------------------------------- */

static int muster_load(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	json_t *m = NULL, *people = NULL;
	int rc = store_query_json(
		tx, &m, err,
		"SELECT m.id, m.zone_id, z.name AS zone, m.drill, m.started_by, m.closed_by, "
		"m.started_at_ms, m.closed_at_ms FROM musters m JOIN zones z ON z.id = m.zone_id "
		"WHERE m.id = ?1",
		"i", id);
	if (rc < 0)
		return rc;
	if (!json_array_size(m)) {
		json_decref(m);
		return pg_err_set(err, PG_ENOTFOUND, "no muster with id %lld", (long long)id);
	}
	rc = store_query_json(
		tx, &people, err,
		"SELECT mp.person_id, p.first_name || ' ' || p.last_name AS name, p.kind, p.employer, "
		"mp.zone_id, zs.name AS zone, mp.safe_at_ms, mp.safe_by, "
		"coalesce(o.reader_id, mp.last_reader_id) AS last_reader_id, r.name AS last_reader, "
		"coalesce(o.since_ms, mp.last_seen_ms) AS last_seen_ms "
		"FROM muster_people mp JOIN people p ON p.id = mp.person_id "
		"LEFT JOIN zones zs ON zs.id = mp.zone_id "
		"LEFT JOIN occupancy o ON o.person_id = mp.person_id "
		"LEFT JOIN readers r ON r.id = coalesce(o.reader_id, mp.last_reader_id) "
		"WHERE mp.muster_id = ?1 ORDER BY p.last_name, p.first_name",
		"i", id);
	if (rc < 0) {
		json_decref(m);
		return rc;
	}
	json_t *mu = json_incref(json_array_get(m, 0));
	json_decref(m);
	int64_t started = json_integer_value(json_object_get(mu, "started_at_ms"));
	json_t *closed_v = json_object_get(mu, "closed_at_ms");
	int64_t end = json_is_integer(closed_v) ? json_integer_value(closed_v) : pg_now_ms();
	char t[PG_TIME_LEN];
	pg_time_format(started, t);
	json_object_set_new(mu, "started_at", json_string(t));
	if (json_is_integer(closed_v)) {
		pg_time_format(json_integer_value(closed_v), t);
		json_object_set_new(mu, "closed_at", json_string(t));
	} else {
		json_object_set_new(mu, "closed_at", json_null());
	}
	json_object_del(mu, "started_at_ms");
	json_object_del(mu, "closed_at_ms");
	json_object_set_new(mu, "drill", json_boolean(json_integer_value(json_object_get(mu, "drill"))));
	json_object_set_new(mu, "elapsed_s", json_integer((end - started) / 1000));
	json_t *safe = json_array(), *missing = json_array();
	size_t i;
	json_t *pp;
	json_array_foreach(people, i, pp) {
		json_object_set_new(pp, "person",
				    json_pack("{sO sO}", "id", json_object_get(pp, "person_id"), "name",
					      json_object_get(pp, "name")));
		json_t *safe_at = json_object_get(pp, "safe_at_ms");
		json_t *seen = json_object_get(pp, "last_seen_ms");
		if (json_is_integer(seen)) {
			pg_time_format(json_integer_value(seen), t);
			json_object_set_new(pp, "last_seen", json_string(t));
		} else {
			json_object_set_new(pp, "last_seen", json_null());
		}
		json_object_del(pp, "last_seen_ms");
		if (json_is_integer(safe_at)) {
			pg_time_format(json_integer_value(safe_at), t);
			json_object_set_new(pp, "safe_at", json_string(t));
			json_object_del(pp, "safe_at_ms");
			json_array_append(safe, pp);
		} else {
			json_object_del(pp, "safe_at_ms");
			json_object_del(pp, "safe_by");
			json_array_append(missing, pp);
		}
	}
	json_object_set_new(mu, "total", json_integer((json_int_t)json_array_size(people)));
	json_object_set_new(mu, "safe_count", json_integer((json_int_t)json_array_size(safe)));
	json_object_set_new(mu, "missing_count", json_integer((json_int_t)json_array_size(missing)));
	json_object_set_new(mu, "safe", safe);
	json_object_set_new(mu, "missing", missing);
	json_decref(people);
	*out = mu;
	return 0;
}

struct get_ctx {
	int64_t id;
	json_t *out;
};

static int get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct get_ctx *c = vctx;
	return muster_load(tx, c->id, &c->out, err);
}

static void api_muster_get(struct http_req *req)
{
	struct get_ctx c = {0};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), get_tx, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c.out);
}

static void api_musters_list(struct http_req *req)
{
	http_list(req,
		  "SELECT m.id, m.zone_id, z.name AS zone, "
		"CASE WHEN m.drill THEN 'true' ELSE 'false' END AS drill_json, m.started_by, "
		"strftime('%Y-%m-%dT%H:%M:%fZ', m.started_at_ms / 1000.0, 'unixepoch') AS started_at, "
		"CASE WHEN m.closed_at_ms IS NULL THEN NULL ELSE "
		"strftime('%Y-%m-%dT%H:%M:%fZ', m.closed_at_ms / 1000.0, 'unixepoch') END AS closed_at, "
		"(SELECT count(*) FROM muster_people mp WHERE mp.muster_id = m.id) AS total, "
		"(SELECT count(*) FROM muster_people mp WHERE mp.muster_id = m.id "
		" AND mp.safe_at_ms IS NOT NULL) AS safe_count "
		"FROM musters m JOIN zones z ON z.id = m.zone_id WHERE (?1 = 0 OR m.id < ?1) "
		"ORDER BY m.id DESC LIMIT ?2",
		  "id");
}

/* ---- changing a muster ------------------------------------------------------------------- */

enum muster_op { OP_START, OP_SAFE, OP_CLOSE };

struct op_ctx {
	enum muster_op op;
	const char *actor;
	int64_t id, zone_id, person_id;
	int drill;
	json_t *out;
};

static int open_muster(struct store_tx *tx, int64_t id, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT closed_at_ms FROM musters WHERE id = ?1", "i", id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	int closed = rc == 1 && !store_is_null(r, 0);
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading muster failed");
	if (rc == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no muster with id %lld", (long long)id);
	if (closed)
		return pg_err_set(err, PG_ECONFLICT, "muster %lld is closed", (long long)id);
	return 0;
}

static int start_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	json_t *z = NULL;
	int rc = store_query_json(tx, &z, err, "SELECT name FROM zones WHERE id = ?1", "i", c->zone_id);
	if (rc < 0)
		return rc;
	int found = json_array_size(z) > 0;
	char zname[128] = "";
	if (found)
		pg_strlcpy(zname, json_string_value(json_object_get(json_array_get(z, 0), "name")),
			   sizeof(zname));
	json_decref(z);
	if (!found)
		return pg_err_field(err, PG_EUNPROCESSABLE, "zone_id", "no zone with id %lld",
				    (long long)c->zone_id);
	json_t *open = NULL;
	rc = store_query_json(tx, &open, err,
			      "SELECT id FROM musters WHERE zone_id = ?1 AND closed_at_ms IS NULL", "i",
			      c->zone_id);
	if (rc < 0)
		return rc;
	int busy = json_array_size(open) > 0;
	json_decref(open);
	if (busy)
		return pg_err_field(err, PG_ECONFLICT, "zone_id", "a muster of %s is already open",
				    zname);
	int64_t now = pg_now_ms();
	rc = store_exec(tx, err,
			"INSERT INTO musters(zone_id, drill, started_at_ms, started_by) "
			"VALUES (?1, ?2, ?3, ?4)",
			"iiit", c->zone_id, (int64_t)c->drill, now, c->actor);
	if (rc < 0)
		return rc;
	c->id = store_last_id(tx);
	/* everyone recorded inside the zone or any zone below it */
	rc = store_exec(tx, err,
			"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT z.id FROM zones z "
			"JOIN sub ON z.parent_id = sub.id) "
			"INSERT INTO muster_people(muster_id, person_id, zone_id, last_reader_id, "
			"last_seen_ms) SELECT ?2, o.person_id, o.zone_id, o.reader_id, o.since_ms "
			"FROM occupancy o WHERE o.zone_id IN (SELECT id FROM sub)",
			"ii", c->zone_id, c->id);
	if (rc < 0)
		return rc;
	json_t *details = json_pack("{sI sb}", "muster_id", (json_int_t)c->id, "drill", c->drill);
	rc = store_audit(tx, c->actor, "muster.start", zname, details, err);
	json_decref(details);
	return rc < 0 ? rc : muster_event(tx, "muster.start", c->id, 0, c->actor, err);
}

static int op_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op_ctx *c = vctx;
	int rc;
	if (c->op == OP_START) {
		rc = start_tx(tx, c, err);
	} else if ((rc = open_muster(tx, c->id, err)) == 0 && c->op == OP_SAFE) {
		rc = store_exec(tx, err,
				"UPDATE muster_people SET safe_at_ms = ?1, safe_by = ?2 "
				"WHERE muster_id = ?3 AND person_id = ?4 AND safe_at_ms IS NULL",
				"itii", pg_now_ms(), c->actor, c->id, c->person_id);
		if (rc == 0 && store_changes(tx) == 0)
			rc = pg_err_field(err, PG_EUNPROCESSABLE, "person_id",
					  "person %lld is not missing in muster %lld",
					  (long long)c->person_id, (long long)c->id);
		if (rc == 0)
			rc = muster_event(tx, "muster.safe", c->id, c->person_id, c->actor, err);
	} else if (rc == 0) {
		rc = store_exec(tx, err, "UPDATE musters SET closed_at_ms = ?1, closed_by = ?2 WHERE id = ?3",
				"iti", pg_now_ms(), c->actor, c->id);
		char obj[40];
		pg_snprintf(obj, sizeof(obj), "muster %lld", (long long)c->id);
		if (rc == 0)
			rc = store_audit(tx, c->actor, "muster.close", obj, NULL, err);
		if (rc == 0)
			rc = muster_event(tx, "muster.close", c->id, 0, c->actor, err);
	}
	if (rc == 0)
		rc = muster_load(tx, c->id, &c->out, err);
	return rc;
}

int access_muster_start_tx(struct store_tx *tx, const char *actor, int64_t zone_id, int drill,
			   int64_t *id, struct pg_err *err)
{
	struct op_ctx c = {.op = OP_START, .actor = actor, .zone_id = zone_id, .drill = drill};
	int rc = op_tx(tx, &c, err);
	json_decref(c.out);
	if (rc == 0)
		*id = c.id;
	return rc;
}

int access_muster_close_tx(struct store_tx *tx, const char *actor, int64_t id, struct pg_err *err)
{
	struct op_ctx c = {.op = OP_CLOSE, .actor = actor, .id = id};
	int rc = op_tx(tx, &c, err);
	json_decref(c.out);
	return rc;
}

int access_muster_load_tx(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	return muster_load(tx, id, out, err);
}

static void run_op(struct http_req *req, struct op_ctx *c, int status)
{
	struct pg_err err = {0};
	c->actor = req->who.name;
	int rc = store_write(http_store(req), op_tx, c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, status, c->out);
}

static void api_muster_start(struct http_req *req)
{
	struct op_ctx c = {.op = OP_START};
	c.zone_id = json_integer_value(json_object_get(req->body, "zone_id"));
	c.drill = json_is_true(json_object_get(req->body, "drill"));
	run_op(req, &c, 201);
}

static void api_muster_safe(struct http_req *req)
{
	struct op_ctx c = {.op = OP_SAFE};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	c.person_id = json_integer_value(json_object_get(req->body, "person_id"));
	run_op(req, &c, 200);
}

static void api_muster_close(struct http_req *req)
{
	struct op_ctx c = {.op = OP_CLOSE};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	run_op(req, &c, 200);
}

/* CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
static void api_muster_csv(struct http_req *req)
{
	struct get_ctx c = {0};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), get_tx, &c, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	struct pg_buf b;
	pg_buf_init(&b, 64 << 20);
	pg_buf_puts(&b, "muster_id,zone,drill,started_at,closed_at,person_id,name,kind,employer,"
			"status,safe_at,safe_by,last_reader,last_seen\r\n");
	const char *lists[] = {"safe", "missing"};
	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(c.out, lists[l]), i, p) {
			char num[32];
			pg_snprintf(num, sizeof(num), "%lld", (long long)c.id);
			pg_csv_put(&b, num, 0);
			pg_csv_put(&b, json_string_value(json_object_get(c.out, "zone")), 0);
			pg_csv_put(&b, json_is_true(json_object_get(c.out, "drill")) ? "yes" : "no", 0);
			pg_csv_put(&b, json_string_value(json_object_get(c.out, "started_at")), 0);
			pg_csv_put(&b, json_string_value(json_object_get(c.out, "closed_at")), 0);
			pg_snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(json_object_get(p, "person_id")));
			pg_csv_put(&b, num, 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "name")), 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "kind")), 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "employer")), 0);
			pg_csv_put(&b, lists[l], 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "safe_at")), 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "safe_by")), 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "last_reader")), 0);
			pg_csv_put(&b, json_string_value(json_object_get(p, "last_seen")), 1);
		}
	}
	json_decref(c.out);
	size_t len = b.len;
	req->resp = MHD_create_response_from_buffer(len, pg_buf_detach(&b), MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
	char disp[80];
	pg_snprintf(disp, sizeof(disp), "attachment; filename=\"muster-%lld.csv\"", (long long)c.id);
	MHD_add_response_header(req->resp, "Content-Disposition", disp);
	MHD_add_response_header(req->resp, "Cache-Control", "no-store");
	req->status = 200;
}

static const struct http_field start_body[] = {
	{"zone_id", F_INT, 1, 0, "the zone to evacuate (and every zone below it)"},
	{"drill", F_BOOL, 0, 0, "true for an evacuation drill"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field safe_body[] = {
	{"person_id", F_INT, 1, 0, "the person seen safe"},
	{NULL, 0, 0, 0, NULL},
};

const struct http_route access_muster_routes[] = {
	{"POST", "/api/v1/musters", OPS, api_muster_start,
	 "Start a muster: snapshot everyone inside the zone", start_body, 201, "muster", NULL},
	{"GET", "/api/v1/musters", OPS, api_musters_list, "Musters, newest first", NULL, 200,
	 "{items, next}", "limit,after"},
	{"GET", "/api/v1/musters/{id}", OPS, api_muster_get,
	 "A muster: safe, missing with last seen, elapsed time", NULL, 200, "muster", NULL},
	{"POST", "/api/v1/musters/{id}/safe", OPS, api_muster_safe, "Mark a person safe", safe_body,
	 200, "muster", NULL},
	{"POST", "/api/v1/musters/{id}/close", OPS, api_muster_close,
	 "Close the muster; answers the final report", NULL, 200, "muster", NULL},
	{"GET", "/api/v1/musters/{id}/report.csv", OPS, api_muster_csv, "The report as CSV", NULL,
	 200, "text/csv", NULL},
};
const int access_muster_n_routes =
	(int)(sizeof(access_muster_routes) / sizeof(access_muster_routes[0]));
