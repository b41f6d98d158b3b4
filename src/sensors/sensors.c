/* sensors.c - the daemon's sensors module: counters, the supervisor thread, the HTTP
 * ingestion routes, and the start and stop of the MQTT subscriber. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "sensors_int.h"

#define SUPERVISE_MS 500

/* ---- counters ------------------------------------------------------------------------ */

void sensors_count(struct sensors *m, enum sensor_source src, enum sensor_result r, const char *ref,
                   const char *msg)
{
	if (src >= SOURCE_N || r >= SR_N_RESULTS)
		return;
	__atomic_add_fetch(&m->counts[src][r], 1, __ATOMIC_RELAXED);
	if (r == SR_ACCEPTED || r == SR_HEARTBEAT)
		return;
	/* refusals are logged at most once a second per source and reason */
	int64_t now = pg_mono_ms();
	pthread_mutex_lock(&m->lock);
	int log = now - m->last_log_ms[src][r] >= 1000;
	uint64_t more = 0;
	if (log) {
		m->last_log_ms[src][r] = now;
		more = m->suppressed[src][r];
		m->suppressed[src][r] = 0;
	} else {
		m->suppressed[src][r]++;
	}
	pthread_mutex_unlock(&m->lock);
	if (log) {
		/* device text: valid UTF-8 and no control characters (one log line each) */
		char ref_safe[72], msg_safe[300];
		pg_strlcpy(ref_safe, ref ? ref : "?", sizeof(ref_safe));
		pg_strlcpy(msg_safe, msg ? msg : "", sizeof(msg_safe));
		for (char *p = ref_safe; *p; p++)
			*p = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
		for (char *p = msg_safe; *p; p++)
			*p = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
		pg_utf8_sanitize(ref_safe);
		pg_utf8_sanitize(msg_safe);
		pg_warn("sensors: %s message for '%s' refused (%s): %s%s", sensors_source_name(src),
		        ref_safe, sensors_result_name(r), msg_safe,
		        more ? " (and more refusals not logged)" : "");
	}
}

void sensors_metrics(struct pg_buf *out, void *vm)
{
	struct sensors *m = vm;
	pg_buf_puts(out, "# HELP portguard_sensor_messages_total Sensor messages by source and "
	                 "result (accepted, heartbeat, or the reason for a refusal).\n"
	                 "# TYPE portguard_sensor_messages_total counter\n");
	for (int s = 0; s < SOURCE_N; s++)
		for (int r = 0; r < SR_N_RESULTS; r++)
			pg_buf_printf(
			    out,
			    "portguard_sensor_messages_total{source=\"%s\",result=\"%s\"} %llu\n",
			    sensors_source_name((enum sensor_source)s),
			    sensors_result_name((enum sensor_result)r),
			    (unsigned long long)__atomic_load_n(&m->counts[s][r],
			                                        __ATOMIC_RELAXED));
	sensors_mqtt_metrics(m, out);
}

/* ---- supervision ------------------------------------------------------------------------ */

struct sup_ctx {
	int64_t now, started;
	int due, n;
};

/* Is any supervised sensor that is not offline yet overdue? (A cheap read first, so that
 * the writer only runs when something changes.) */
static int due_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sup_ctx *c = vctx;
	struct store_rows *r = NULL;
	int rc =
	    store_query(tx, &r, err,
	                "SELECT 1 FROM sensors WHERE heartbeat_s IS NOT NULL AND offline = 0 AND "
	                "?1 - max(coalesce(last_seen_ms, created_ms), created_ms, ?2) > "
	                "2000 * heartbeat_s LIMIT 1",
	                "ii", c->now, c->started);
	if (rc == 0) {
		rc = store_next(r);
		c->due = rc == 1;
		rc = rc < 0 ? rc : 0;
	}
	store_rows_free(r);
	return rc;
}

int sensors_supervise_tx(struct store_tx *tx, int64_t now_ms, int64_t started_ms, int *n,
                         struct pg_err *err)
{
	struct store_rows *r = NULL;
	int count = 0;
	/* the columns of sensors_lookup, then created_ms */
	int rc = store_query(
	    tx, &r, err,
	    "SELECT id, name, kind, zone_id, reader_id, lat, lon, unit, threshold_high, "
	    "threshold_low, token_id, state, offline, offline_since_ms, last_seen_ms, "
	    "heartbeat_s, created_ms FROM sensors WHERE heartbeat_s IS NOT NULL AND "
	    "offline = 0 ORDER BY id",
	    "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		int64_t last = store_is_null(r, 14) ? 0 : store_int(r, 14), hb = store_int(r, 15);
		int64_t silent = 0;
		if (!sensors_overdue(now_ms, last, store_int(r, 16), started_ms, hb, &silent))
			continue;
		json_t *ev = sensors_event_base("offline", r);
		char at[PG_TIME_LEN], reason[160];
		if (last) {
			pg_time_format(last, at);
			json_object_set_new(ev, "last_seen", json_string(at));
		} else {
			json_object_set_new(ev, "last_seen", json_null());
		}
		json_object_set_new(ev, "interval_s", json_integer(hb));
		pg_snprintf(reason, sizeof(reason), "no %s for %lld s (expected every %lld s)",
		            last ? "heartbeat"
		                 : "message since it was registered or the daemon started",
		            (long long)(silent / 1000), (long long)hb);
		json_object_set_new(ev, "reason", json_string(reason));
		pg_time_format(now_ms, at);
		json_object_set_new(ev, "at", json_string(at));
		rc = store_exec(
		    tx, err, "UPDATE sensors SET offline = 1, offline_since_ms = ?2 WHERE id = ?1",
		    "ii", store_int(r, 0), now_ms);
		int64_t id = rc < 0 ? rc : store_event(tx, "sensors", ev, err);
		json_decref(ev);
		if (id < 0) {
			rc = (int)id;
			break;
		}
		count++;
	}
	store_rows_free(r);
	if (rc < 0)
		return rc;
	if (n)
		*n = count;
	return 0;
}

static int supervise_write(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sup_ctx *c = vctx;
	return sensors_supervise_tx(tx, c->now, c->started, &c->n, err);
}

static void *supervisor_main(void *arg)
{
	struct sensors *m = arg;
	pthread_mutex_lock(&m->lock);
	while (!m->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += SUPERVISE_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		int w = 0;
		while (!m->stopping && w != ETIMEDOUT)
			w = pthread_cond_timedwait(&m->cv, &m->lock, &ts);
		if (m->stopping)
			break;
		pthread_mutex_unlock(&m->lock);
		struct sup_ctx c = {.now = pg_now_ms(), .started = m->started_ms};
		struct pg_err err = {0};
		if (store_read(m->store, due_tx, &c, &err) == 0 && c.due) {
			c.now = pg_now_ms();
			if (store_write(m->store, supervise_write, &c, &err) < 0)
				pg_error("sensors: supervision failed: %s", err.msg);
			else if (c.n)
				pg_info("sensors: %d sensor%s went offline", c.n,
				        c.n == 1 ? "" : "s");
		}
		pthread_mutex_lock(&m->lock);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* ---- HTTP ingestion ------------------------------------------------------------------------ */

struct ingest_ctx {
	struct sensors *m;
	struct sensor_in in;
	enum sensor_result why;
	int64_t event_id;
	json_t *event;
};

static int ingest_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct ingest_ctx *c = vctx;
	return sensors_ingest_tx(tx, &c->in, &c->event_id, &c->event, &c->why, err);
}

static const char *result_slug(enum sensor_result r)
{
	switch (r) {
	case SR_MALFORMED:
		return "malformed-message";
	case SR_TOO_LARGE:
		return "body-too-large";
	case SR_UNKNOWN_STATE:
		return "unknown-state";
	case SR_NO_STATE:
		return "no-state";
	case SR_BAD_VALUE:
		return "bad-value";
	case SR_BAD_TIME:
		return "bad-time";
	case SR_UNKNOWN_SENSOR:
		return "unknown-sensor";
	case SR_NOT_ALLOWED:
		return "forbidden";
	default:
		return "internal";
	}
}

static int result_status(enum sensor_result r)
{
	switch (r) {
	case SR_TOO_LARGE:
		return 413;
	case SR_UNKNOWN_SENSOR:
		return 404;
	case SR_NOT_ALLOWED:
		return 403;
	case SR_STORE_ERROR:
		return 500;
	default:
		return 400;
	}
}

static void refuse(struct http_req *req, struct sensors *m, const char *ref, enum sensor_result r,
                   const struct pg_err *err)
{
	sensors_count(m, SOURCE_HTTP, r, ref, err->msg);
	http_problem(req, result_status(r), result_slug(r), err->field[0] ? err->field : NULL, "%s",
	             err->msg);
}

static void ingest_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct ingest_ctx *c = vctx;
	if (rc < 0) {
		refuse(req, c->m, c->in.ref, rc == PG_EIO ? SR_STORE_ERROR : c->why, err);
	} else {
		sensors_count(c->m, SOURCE_HTTP, c->why, c->in.ref, NULL);
		if (c->in.heartbeat) {
			http_json(req, 204, NULL);
		} else {
			json_t *body = json_pack("{sI sO}", "event_id", (json_int_t)c->event_id,
			                         "event", c->event);
			http_json(req, 201, body);
		}
	}
	json_decref(c->event);
	pg_free(c);
}

static void ingest(struct http_req *req, int heartbeat)
{
	struct sensors *m = req->ctx;
	const char *ref = req->params[0];
	struct ingest_ctx *c = pg_calloc(1, sizeof(*c));
	c->m = m;
	c->in.source = SOURCE_HTTP;
	c->in.heartbeat = heartbeat;
	c->in.received_ms = pg_now_ms();
	if (req->who.is_token && req->who.role == ROLE_DEVICE)
		c->in.token_id = req->who.id;
	struct pg_err err = {0};
	if (pg_strlcpy(c->in.ref, ref, sizeof(c->in.ref)) < 0) {
		pg_err_set(&err, PG_ENOTFOUND, "no sensor '%.64s...'", ref);
		refuse(req, m, ref, SR_UNKNOWN_SENSOR, &err);
		pg_free(c);
		return;
	}
	const char *body = req->body_buf.p ? req->body_buf.p : "";
	int rc = heartbeat ? sensors_heartbeat_parse(body, req->body_buf.len, c->in.received_ms,
	                                             &c->in.msg.at_ms, &c->why, &err)
	                   : sensors_msg_parse(body, req->body_buf.len, c->in.received_ms,
	                                       &c->in.msg, &c->why, &err);
	if (rc < 0) {
		refuse(req, m, ref, c->why, &err);
		pg_free(c);
		return;
	}
	http_write_async(req, ingest_fn, c, ingest_finish);
}

static void api_event(struct http_req *req)
{
	ingest(req, 0);
}
static void api_heartbeat(struct http_req *req)
{
	ingest(req, 1);
}

static const struct http_route routes[] = {
    {"POST", "/api/v1/sensors/{id}/events", SENSORS_POST, api_event,
     "A sensor message {state, value?, at?} for the sensor with this id or name; 201 once the "
     "event is committed. A device token bound to another sensor is refused",
     NULL, 201, "{event_id, event}", NULL, .raw_types = "application/json"},
    {"POST", "/api/v1/sensors/{id}/heartbeat", SENSORS_POST, api_heartbeat,
     "A heartbeat (no body, or {}) for the sensor with this id or name; 204 once committed", NULL,
     204, NULL, NULL},
};

/* ---- the module ------------------------------------------------------------------------------ */

int sensors_open(struct store *s, const struct pg_config *cfg, struct sensors **out,
                 struct pg_err *err)
{
	struct sensors *m = pg_calloc(1, sizeof(*m));
	m->store = s;
	m->started_ms = pg_now_ms();
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cv, &ca);
	pthread_condattr_destroy(&ca);
	int rc = 0;
	if (pthread_create(&m->sup_thread, NULL, supervisor_main, m) != 0) {
		rc = pg_err_set(err, PG_EIO, "sensors: cannot start the supervisor thread");
		goto fail;
	}
	m->sup_running = 1;
	if (cfg && cfg->mqtt_enabled && (rc = sensors_mqtt_start(m, cfg, err)) < 0)
		goto fail;
	http_metrics_register(sensors_metrics, m);
	*out = m;
	return 0;
fail:
	sensors_close(m);
	return rc;
}

int sensors_register_routes(struct sensors *m)
{
	int rc = sensors_registry_register_routes(m);
	return rc < 0 ? rc
	              : http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), m);
}

void sensors_stop_ingest(struct sensors *m)
{
	if (m)
		sensors_mqtt_stop(m);
}

void sensors_close(struct sensors *m)
{
	if (!m)
		return;
	http_metrics_unregister(sensors_metrics);
	sensors_mqtt_free(m);
	if (m->sup_running) {
		pthread_mutex_lock(&m->lock);
		m->stopping = 1;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->sup_thread, NULL);
	}
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cv);
	pg_free(m);
}
