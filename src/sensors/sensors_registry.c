/* sensors_registry.c - the sensor and camera registry: create, read, update, delete.
 *
 * A change merges the request over the current row, checks the whole row, writes it,
 * audits it ("sensor.create", object "sensor NAME") and publishes it on topic "sensors"
 * ({"action":"sensor.created"|"sensor.updated"|"sensor.deleted"|"camera...", "item": row})
 * in one transaction. */
#include <math.h>
#include <string.h>

#include "sensors_int.h"

#define MAX_CAMERA_ZONES 64
#define MS_TIME(col)     "strftime('%Y-%m-%dT%H:%M:%fZ', " col " / 1000.0, 'unixepoch')"

#define SENSOR_VIEW                                                                                \
	"SELECT s.id, s.name, s.kind, s.zone_id, z.name AS zone, s.lat, s.lon, s.location, "       \
	"s.heartbeat_s, s.unit, s.threshold_high, s.threshold_low, s.reader_id, s.token_id, "      \
	"s.state, s.value, " MS_TIME("s.last_event_ms") " AS last_event, " MS_TIME(                \
	    "s.last_seen_ms") " AS last_seen, "                                                    \
	                      "CASE WHEN s.heartbeat_s IS NULL THEN 'null' WHEN s.offline THEN "   \
	                      "'false' ELSE 'true' END "                                           \
	                      "AS online_json, " MS_TIME(                                          \
	                          "s.offline_since_ms") " AS offline_since, s.created_at, "        \
	                                                "s.updated_at FROM sensors s LEFT JOIN "   \
	                                                "zones z ON z.id = s.zone_id "

#define CAMERA_VIEW                                                                                \
	"SELECT c.id, c.name, c.lat, c.lon, c.location, c.zones AS zones_json, c.stream_url, "     \
	"c.snapshot_url, c.created_at, c.updated_at FROM cameras c "

enum what { SENSOR, CAMERA };

struct reg_op {
	enum what what;
	const char *actor;
	int64_t id; /* 0: create */
	int del;
	json_t *body; /* borrowed */
	json_t *out;
};

static int one_row(struct store_tx *tx, enum what w, int64_t id, json_t **out, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(
	    tx, &rows, err,
	    w == SENSOR ? SENSOR_VIEW "WHERE s.id = ?1" : CAMERA_VIEW "WHERE c.id = ?1", "i", id);
	if (rc == 0 && json_array_size(rows) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "no %s with id %lld",
		                w == SENSOR ? "sensor" : "camera", (long long)id);
	if (rc == 0)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

static int row_exists(struct store_tx *tx, const char *sql, int64_t id, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, sql, "i", id);
	if (rc == 0)
		rc = store_next(r);
	store_rows_free(r);
	return rc;
}

/* ---- checks --------------------------------------------------------------------------- */

static int bad(struct pg_err *err, const char *field, const char *what)
{
	return pg_err_field(err, PG_EINVAL, field, "%s %s", field, what);
}

/* An optional number (null allowed) within [lo, hi]. */
static int number_in(const json_t *o, const char *field, double lo, double hi, struct pg_err *err)
{
	json_t *v = json_object_get(o, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return bad(err, field, "must be a number or null");
	double d = json_number_value(v);
	if (d < lo || d > hi)
		return pg_err_field(err, PG_EINVAL, field, "%s must be from %g to %g", field, lo,
		                    hi);
	return 0;
}

static int optional_text(const json_t *o, const char *field, size_t max, struct pg_err *err)
{
	json_t *v = json_object_get(o, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) > max ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be text of at most %zu characters or null", field,
		                    max);
	return 0;
}

/* An optional id (null allowed) of a row in a table. */
static int optional_ref(struct store_tx *tx, const json_t *o, const char *field, const char *sql,
                        const char *what, struct pg_err *err)
{
	json_t *v = json_object_get(o, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return bad(err, field, "must be an id or null");
	int rc = row_exists(tx, sql, json_integer_value(v), err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, field, "no %s with id %lld", what,
		                    (long long)json_integer_value(v));
	return 0;
}

static int url_ok(const char *u, int rtsp)
{
	return strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0 ||
	       (rtsp && (strncmp(u, "rtsp://", 7) == 0 || strncmp(u, "rtsps://", 8) == 0));
}

static int sensor_check(struct store_tx *tx, const json_t *m, struct pg_err *err)
{
	const char *name = json_string_value(json_object_get(m, "name"));
	const char *kind = json_string_value(json_object_get(m, "kind"));
	int rc;
	if (!sensors_name_ok(name))
		return bad(err, "name",
		           "must be 1 to 64 of letters, digits, '.', '_' and '-', and not "
		           "only digits (it is the MQTT topic level)");
	if (!sensors_kind_find(kind)) {
		char list[400] = "";
		for (const struct sensor_kind *k = sensors_kinds; k->name; k++)
			pg_snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			            k == sensors_kinds ? "" : ", ", k->name);
		return pg_err_field(err, PG_EINVAL, "kind", "kind '%.40s' is not one of %s",
		                    kind ? kind : "", list);
	}
	if ((rc = number_in(m, "lat", -90, 90, err)) < 0 ||
	    (rc = number_in(m, "lon", -180, 180, err)) < 0 ||
	    (rc = number_in(m, "threshold_high", -1e9, 1e9, err)) < 0 ||
	    (rc = number_in(m, "threshold_low", -1e9, 1e9, err)) < 0 ||
	    (rc = optional_text(m, "location", 200, err)) < 0 ||
	    (rc = optional_text(m, "unit", 16, err)) < 0)
		return rc;
	json_t *lat = json_object_get(m, "lat"), *lon = json_object_get(m, "lon");
	if (json_is_number(lat) != json_is_number(lon))
		return bad(err, json_is_number(lat) ? "lon" : "lat",
		           "must be given with the other "
		           "coordinate");
	json_t *hb = json_object_get(m, "heartbeat_s");
	if (hb && !json_is_null(hb) &&
	    (!json_is_integer(hb) || json_integer_value(hb) < 1 || json_integer_value(hb) > 86400))
		return bad(err, "heartbeat_s",
		           "must be a whole number of seconds from 1 to 86400, or "
		           "null (not supervised)");
	json_t *hi = json_object_get(m, "threshold_high"),
	       *lo = json_object_get(m, "threshold_low");
	if (json_is_number(hi) && json_is_number(lo) &&
	    json_number_value(lo) >= json_number_value(hi))
		return bad(err, "threshold_low", "must be below threshold_high");
	if ((rc = optional_ref(tx, m, "zone_id", "SELECT 1 FROM zones WHERE id = ?1", "zone",
	                       err)) < 0 ||
	    (rc = optional_ref(tx, m, "reader_id", "SELECT 1 FROM readers WHERE id = ?1", "reader",
	                       err)) < 0 ||
	    (rc = optional_ref(
	         tx, m, "token_id",
	         "SELECT 1 FROM tokens WHERE id = ?1 AND role = 'device' AND revoked_at IS NULL",
	         "active device token", err)) < 0)
		return rc;
	return 0;
}

static int camera_check(struct store_tx *tx, const json_t *m, struct pg_err *err)
{
	json_t *name = json_object_get(m, "name");
	int rc;
	if (!json_is_string(name) || json_string_length(name) < 1 || json_string_length(name) > 100)
		return bad(err, "name", "must be 1 to 100 characters");
	const char *stream = json_string_value(json_object_get(m, "stream_url"));
	if (!stream || strlen(stream) > 500 || !url_ok(stream, 1))
		return bad(err, "stream_url",
		           "must be an rtsp://, rtsps://, http:// or https:// URL of "
		           "at most 500 characters");
	json_t *snap = json_object_get(m, "snapshot_url");
	if (snap && !json_is_null(snap) &&
	    (!json_is_string(snap) || json_string_length(snap) > 500 ||
	     !url_ok(json_string_value(snap), 0)))
		return bad(err, "snapshot_url", "must be an http:// or https:// URL or null");
	if ((rc = number_in(m, "lat", -90, 90, err)) < 0 ||
	    (rc = number_in(m, "lon", -180, 180, err)) < 0 ||
	    (rc = optional_text(m, "location", 200, err)) < 0)
		return rc;
	json_t *lat = json_object_get(m, "lat"), *lon = json_object_get(m, "lon");
	if (json_is_number(lat) != json_is_number(lon))
		return bad(err, json_is_number(lat) ? "lon" : "lat",
		           "must be given with the other "
		           "coordinate");
	json_t *zones = json_object_get(m, "zones");
	if (!json_is_array(zones) || json_array_size(zones) > MAX_CAMERA_ZONES)
		return bad(err, "zones", "must be an array of at most 64 zone ids");
	size_t i;
	json_t *z;
	json_array_foreach(zones, i, z)
	{
		if (!json_is_integer(z) || json_integer_value(z) < 1)
			return bad(err, "zones", "must hold zone ids");
		for (size_t k = 0; k < i; k++)
			if (json_integer_value(json_array_get(zones, k)) == json_integer_value(z))
				return pg_err_field(err, PG_EINVAL, "zones",
				                    "zones lists zone %lld twice",
				                    (long long)json_integer_value(z));
		rc =
		    row_exists(tx, "SELECT 1 FROM zones WHERE id = ?1", json_integer_value(z), err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return pg_err_field(err, PG_EUNPROCESSABLE, "zones", "no zone with id %lld",
			                    (long long)json_integer_value(z));
	}
	return 0;
}

/* ---- writes ------------------------------------------------------------------------------ */

static const char *jtext(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Binds a nullable number as text for SQL (NULL when absent or null). */
static void num_text(const json_t *o, const char *k, char out[40], const char **p)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_number(v)) {
		*p = NULL;
		return;
	}
	pg_snprintf(out, 40, "%.17g", json_number_value(v));
	*p = out;
}

static int sensor_save(struct store_tx *tx, struct reg_op *c, const json_t *m, const char *now,
                       struct pg_err *err)
{
	char b[7][40];
	const char *v[7];
	static const char *const nums[7] = {
	    "zone_id", "lat", "lon", "heartbeat_s", "threshold_high", "threshold_low", "reader_id"};
	for (int i = 0; i < 7; i++)
		num_text(m, nums[i], b[i], &v[i]);
	char tb[40];
	const char *tok;
	num_text(m, "token_id", tb, &tok);
	/* numbers go in as text and are cast back: one binding type for null and value */
	if (c->id == 0) {
		int rc = store_exec(tx, err,
		                    "INSERT INTO sensors(name, kind, zone_id, lat, lon, location, "
		                    "heartbeat_s, unit, threshold_high, threshold_low, reader_id, "
		                    "token_id, created_ms, created_at, updated_at) VALUES (?1, ?2, "
		                    "CAST(?3 AS INTEGER), CAST(?4 AS REAL), CAST(?5 AS REAL), ?6, "
		                    "CAST(?7 AS INTEGER), ?8, CAST(?9 AS REAL), CAST(?10 AS REAL), "
		                    "CAST(?11 AS INTEGER), CAST(?12 AS INTEGER), ?13, ?14, ?14)",
		                    "ttttttttttttit", jtext(m, "name"), jtext(m, "kind"), v[0],
		                    v[1], v[2], jtext(m, "location"), v[3], jtext(m, "unit"), v[4],
		                    v[5], v[6], tok, pg_now_ms(), now);
		if (rc == 0)
			c->id = store_last_id(tx);
		return rc;
	}
	return store_exec(
	    tx, err,
	    "UPDATE sensors SET name = ?1, kind = ?2, zone_id = CAST(?3 AS INTEGER), "
	    "lat = CAST(?4 AS REAL), lon = CAST(?5 AS REAL), location = ?6, "
	    "heartbeat_s = CAST(?7 AS INTEGER), unit = ?8, threshold_high = CAST(?9 AS "
	    "REAL), threshold_low = CAST(?10 AS REAL), reader_id = CAST(?11 AS INTEGER), "
	    "token_id = CAST(?12 AS INTEGER), updated_at = ?13, "
	    "offline = CASE WHEN ?7 IS NULL THEN 0 ELSE offline END WHERE id = ?14",
	    "ttttttttttttti", jtext(m, "name"), jtext(m, "kind"), v[0], v[1], v[2],
	    jtext(m, "location"), v[3], jtext(m, "unit"), v[4], v[5], v[6], tok, now, c->id);
}

static int camera_save(struct store_tx *tx, struct reg_op *c, const json_t *m, const char *now,
                       struct pg_err *err)
{
	char b[2][40];
	const char *v[2];
	num_text(m, "lat", b[0], &v[0]);
	num_text(m, "lon", b[1], &v[1]);
	char *zones = json_dumps(json_object_get(m, "zones"), JSON_COMPACT);
	int rc;
	if (c->id == 0) {
		rc = store_exec(
		    tx, err,
		    "INSERT INTO cameras(name, lat, lon, location, zones, stream_url, "
		    "snapshot_url, created_at, updated_at) VALUES (?1, CAST(?2 AS REAL), "
		    "CAST(?3 AS REAL), ?4, ?5, ?6, ?7, ?8, ?8)",
		    "tttttttt", jtext(m, "name"), v[0], v[1], jtext(m, "location"), zones,
		    jtext(m, "stream_url"), jtext(m, "snapshot_url"), now);
		if (rc == 0)
			c->id = store_last_id(tx);
	} else {
		rc = store_exec(
		    tx, err,
		    "UPDATE cameras SET name = ?1, lat = CAST(?2 AS REAL), lon = CAST(?3 AS "
		    "REAL), location = ?4, zones = ?5, stream_url = ?6, snapshot_url = ?7, "
		    "updated_at = ?8 WHERE id = ?9",
		    "tttttttti", jtext(m, "name"), v[0], v[1], jtext(m, "location"), zones,
		    jtext(m, "stream_url"), jtext(m, "snapshot_url"), now, c->id);
	}
	free(zones);
	return rc;
}

static int publish(struct store_tx *tx, struct reg_op *c, const char *verb, json_t *row,
                   struct pg_err *err)
{
	const char *noun = c->what == SENSOR ? "sensor" : "camera";
	char action[40], object[140];
	pg_snprintf(action, sizeof(action), "%s.%s", noun, verb);
	pg_snprintf(object, sizeof(object), "%s %s", noun, jtext(row, "name"));
	int rc = store_audit(tx, c->actor, action, object, row, err);
	if (rc < 0)
		return rc;
	char evaction[40];
	pg_snprintf(evaction, sizeof(evaction), "%s.%sd", noun,
	            strcmp(verb, "create") == 0   ? "create"
	            : strcmp(verb, "update") == 0 ? "update"
	                                          : "delete");
	json_t *ev = json_pack("{ss sO}", "action", evaction, "item", row);
	int64_t id = store_event(tx, "sensors", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

static int change_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct reg_op *c = vctx;
	json_t *cur = NULL, *m = NULL;
	int rc = 0;
	const char *table = c->what == SENSOR ? "sensors" : "cameras";
	if (c->id) {
		if ((rc = one_row(tx, c->what, c->id, &cur, err)) < 0)
			goto out;
	}
	if (c->del) {
		char sql[64];
		pg_snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ?1", table);
		if ((rc = store_exec(tx, err, sql, "i", c->id)) == 0)
			rc = publish(tx, c, "delete", cur, err);
		goto out;
	}
	/* the merged row: the current one (if any) with the request over it */
	m = cur ? json_deep_copy(cur) : json_object();
	if (c->what == CAMERA && !json_object_get(m, "zones"))
		json_object_set_new(m, "zones", json_array());
	json_object_update(m, c->body);
	rc = c->what == SENSOR ? sensor_check(tx, m, err) : camera_check(tx, m, err);
	if (rc < 0)
		goto out;
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	int create = c->id == 0;
	rc = c->what == SENSOR ? sensor_save(tx, c, m, now, err) : camera_save(tx, c, m, now, err);
	if (rc == PG_ECONFLICT) {
		rc = pg_err_field(err, PG_ECONFLICT, "name", "a %s named '%s' exists already",
		                  c->what == SENSOR ? "sensor" : "camera", jtext(m, "name"));
		goto out;
	}
	if (rc < 0 || (rc = one_row(tx, c->what, c->id, &c->out, err)) < 0)
		goto out;
	rc = publish(tx, c, create ? "create" : "update", c->out, err);
out:
	json_decref(cur);
	json_decref(m);
	return rc;
}

static void change_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct reg_op *c = vctx;
	if (rc < 0) {
		http_error(req, rc, err);
	} else if (c->del) {
		http_json(req, 204, NULL);
	} else {
		int created = strcmp(req->method, "POST") == 0;
		http_json(req, created ? 201 : 200, json_incref(c->out));
		if (created) {
			char loc[80];
			pg_snprintf(loc, sizeof(loc), "/api/v1/%s/%lld",
			            c->what == SENSOR ? "sensors" : "cameras", (long long)c->id);
			http_header(req, "Location", loc);
		}
	}
	json_decref(c->out);
	pg_free(c);
}

static void change(struct http_req *req, enum what w, int with_id, int del)
{
	int64_t id = 0;
	if (with_id && http_param_id(req, 0, &id) < 0)
		return;
	struct reg_op *c = pg_calloc(1, sizeof(*c));
	c->what = w;
	c->actor = req->who.name;
	c->id = id;
	c->del = del;
	c->body = req->body;
	http_write_async(req, change_tx, c, change_finish);
}

/* ---- reads ----------------------------------------------------------------------------- */

struct list_ctx {
	enum what what;
	int64_t id, after, zone;
	int limit;
	const char *kind;
	json_t *out;
};

static int get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_ctx *c = vctx;
	return one_row(tx, c->what, c->id, &c->out, err);
}

static int list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_ctx *c = vctx;
	json_t *rows = NULL;
	int rc;
	if (c->what == SENSOR)
		rc = store_query_json(tx, &rows, err,
		                      SENSOR_VIEW
		                      "WHERE s.id > ?1 AND (?3 = 0 OR s.zone_id = ?3) AND "
		                      "(?4 IS NULL OR s.kind = ?4) ORDER BY s.id LIMIT ?2",
		                      "iiit", c->after, (int64_t)c->limit, c->zone, c->kind);
	else
		rc = store_query_json(tx, &rows, err,
		                      CAMERA_VIEW
		                      "WHERE c.id > ?1 AND (?3 = 0 OR EXISTS (SELECT 1 FROM "
		                      "json_each(c.zones) j WHERE j.value = ?3)) ORDER BY "
		                      "c.id LIMIT ?2",
		                      "iii", c->after, (int64_t)c->limit, c->zone);
	if (rc == 0)
		c->out = store_page(rows, c->limit, "id");
	return rc;
}

static void read_answer(struct http_req *req, struct list_ctx *c, store_fn fn)
{
	struct pg_err err = {0};
	int rc = store_read(http_store(req), fn, c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c->out);
}

static void get(struct http_req *req, enum what w)
{
	struct list_ctx c = {.what = w};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	read_answer(req, &c, get_tx);
}

static void list(struct http_req *req, enum what w)
{
	struct list_ctx c = {.what = w};
	if (http_page_args(req, &c.limit, &c.after) < 0)
		return;
	const char *z = http_query(req, "zone");
	if (z && pg_parse_i64(z, 1, INT64_MAX, &c.zone) < 0) {
		http_problem(req, 400, "bad-field", "zone", "zone must be a zone id");
		return;
	}
	c.kind = w == SENSOR ? http_query(req, "kind") : NULL;
	if (c.kind && !sensors_kind_find(c.kind)) {
		http_problem(req, 400, "bad-field", "kind", "kind '%.40s' is not a sensor kind",
		             c.kind);
		return;
	}
	read_answer(req, &c, list_tx);
}

static void api_sensors_list(struct http_req *req)
{
	list(req, SENSOR);
}
static void api_sensor_get(struct http_req *req)
{
	get(req, SENSOR);
}
static void api_sensor_create(struct http_req *req)
{
	change(req, SENSOR, 0, 0);
}
static void api_sensor_update(struct http_req *req)
{
	change(req, SENSOR, 1, 0);
}
static void api_sensor_delete(struct http_req *req)
{
	change(req, SENSOR, 1, 1);
}
static void api_cameras_list(struct http_req *req)
{
	list(req, CAMERA);
}
static void api_camera_get(struct http_req *req)
{
	get(req, CAMERA);
}
static void api_camera_create(struct http_req *req)
{
	change(req, CAMERA, 0, 0);
}
static void api_camera_update(struct http_req *req)
{
	change(req, CAMERA, 1, 0);
}
static void api_camera_delete(struct http_req *req)
{
	change(req, CAMERA, 1, 1);
}

static int history_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_ctx *c = vctx;
	json_t *rows = NULL;
	int rc = one_row(tx, SENSOR, c->id, &c->out, err);
	json_decref(c->out);
	c->out = NULL;
	if (rc == 0)
		rc = store_query_json(
		    tx, &rows, err,
		    "SELECT id, at, data AS data_json FROM events WHERE topic = "
		    "'sensors' AND json_extract(data, '$.sensor_id') = ?3 AND id > ?1 "
		    "ORDER BY json_extract(data, '$.sensor_id'), id LIMIT ?2",
		    "iii", c->after, (int64_t)c->limit, c->id);
	if (rc == 0)
		c->out = store_page(rows, c->limit, "id");
	return rc;
}

static void api_sensor_history(struct http_req *req)
{
	struct list_ctx c = {.what = SENSOR};
	if (http_param_id(req, 0, &c.id) < 0 || http_page_args(req, &c.limit, &c.after) < 0)
		return;
	read_answer(req, &c, history_tx);
}

static void api_kinds(struct http_req *req)
{
	json_t *a = json_array();
	for (const struct sensor_kind *k = sensors_kinds; k->name; k++)
		json_array_append_new(a, json_pack("{ss ss so}", "kind", k->name, "words", k->words,
		                                   "unit",
		                                   k->unit ? json_string(k->unit) : json_null()));
	http_json(req, 200, json_pack("{so}", "items", a));
}

#define SENSOR_FIELDS(req)                                                                         \
	{"name", F_STRING, req, 64,                                                                \
	 "1-64 of [A-Za-z0-9._-], not all digits: the MQTT topic level"},                          \
	    {"kind", F_STRING, req, 32,                                                            \
	     "fence_intrusion, pir, door_contact, panic_button, "                                  \
	     "camera_analytics, smoke_heat, glass_break, gas, "                                    \
	     "radiation_portal, water_level, wind_speed, temperature, other"},                     \
	    {"zone_id", F_ANY, 0, 0, "the zone it watches, or null"},                              \
	    {"lat", F_ANY, 0, 0, "latitude (WGS 84), or null"},                                    \
	    {"lon", F_ANY, 0, 0, "longitude (WGS 84), or null"},                                   \
	    {"location", F_ANY, 0, 0, "where it is, in words (at most 200), or null"},             \
	    {"heartbeat_s", F_ANY, 0, 0,                                                           \
	     "expected heartbeat interval (1-86400 s); null: not supervised"},                     \
	    {"unit", F_ANY, 0, 0, "unit of a measured value (default by kind), or null"},          \
	    {"threshold_high", F_ANY, 0, 0, "a value above it is an alarm, or null"},              \
	    {"threshold_low", F_ANY, 0, 0, "a value below it is an alarm, or null"},               \
	    {"reader_id", F_ANY, 0, 0, "door contacts: the door's reader, or null"},               \
	    {"token_id", F_ANY, 0, 0, "the only device token that may post for it; null: any"},    \
	{                                                                                          \
		NULL                                                                               \
	}

static const struct http_field sensor_create_body[] = {SENSOR_FIELDS(1)};
static const struct http_field sensor_patch_body[] = {SENSOR_FIELDS(0)};

#define CAMERA_FIELDS(req)                                                                         \
	{"name", F_STRING, req, 100, "1-100 characters, unique"},                                  \
	    {"lat", F_ANY, 0, 0, "latitude, or null"}, {"lon", F_ANY, 0, 0, "longitude, or null"}, \
	    {"location", F_ANY, 0, 0, "where it is, in words, or null"},                           \
	    {"zones", F_ARRAY, 0, 0, "the ids of the zones it covers (camera call-up)"},           \
	    {"stream_url", F_STRING, req, 500, "rtsp://, rtsps://, http:// or https:// stream"},   \
	    {"snapshot_url", F_ANY, 0, 0, "http(s) URL of a still image, or null"},                \
	{                                                                                          \
		NULL                                                                               \
	}

static const struct http_field camera_create_body[] = {CAMERA_FIELDS(1)};
static const struct http_field camera_patch_body[] = {CAMERA_FIELDS(0)};

static const struct http_route routes[] = {
    {"GET", "/api/v1/sensors", SENSORS_READ, api_sensors_list,
     "Sensors with their live state (state, value, last_seen, online), by id; ?zone= and ?kind= "
     "filter",
     NULL, 200, "{items, next}", "limit,after,zone,kind"},
    {"POST", "/api/v1/sensors", SENSORS_ADMIN, api_sensor_create, "Register a sensor",
     sensor_create_body, 201, "sensor", NULL},
    {"GET", "/api/v1/sensors/{id}", SENSORS_READ, api_sensor_get, "A sensor with its live state",
     NULL, 200, "sensor", NULL},
    {"PATCH", "/api/v1/sensors/{id}", SENSORS_ADMIN, api_sensor_update,
     "Change a sensor (null clears an optional field)", sensor_patch_body, 200, "sensor", NULL},
    {"DELETE", "/api/v1/sensors/{id}", SENSORS_ADMIN, api_sensor_delete, "Remove a sensor", NULL,
     204, NULL, NULL},
    {"GET", "/api/v1/sensors/{id}/events", SENSORS_READ, api_sensor_history,
     "The sensor's events (messages, offline, online), oldest first", NULL, 200,
     "{items: [{id, at, data}], next}", "limit,after"},
    {"GET", "/api/v1/sensor-kinds", SENSORS_READ, api_kinds,
     "The sensor kinds, in words, with the default unit of measured kinds", NULL, 200,
     "{items: [{kind, words, unit}]}", NULL},
    {"GET", "/api/v1/cameras", SENSORS_READ, api_cameras_list,
     "Cameras by id; ?zone=N lists those covering zone N (camera call-up)", NULL, 200,
     "{items, next}", "limit,after,zone"},
    {"POST", "/api/v1/cameras", SENSORS_ADMIN, api_camera_create, "Register a camera",
     camera_create_body, 201, "camera", NULL},
    {"GET", "/api/v1/cameras/{id}", SENSORS_READ, api_camera_get, "A camera", NULL, 200, "camera",
     NULL},
    {"PATCH", "/api/v1/cameras/{id}", SENSORS_ADMIN, api_camera_update,
     "Change a camera (null clears an optional field)", camera_patch_body, 200, "camera", NULL},
    {"DELETE", "/api/v1/cameras/{id}", SENSORS_ADMIN, api_camera_delete, "Remove a camera", NULL,
     204, NULL, NULL},
};

int sensors_registry_register_routes(struct sensors *m)
{
	return http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), m);
}
