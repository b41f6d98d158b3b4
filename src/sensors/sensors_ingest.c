/* sensors_ingest.c - one parsed message into the store: the sensor's new state and its
 * event in one transaction (shared by MQTT, HTTP and the tests). */
#include <string.h>

#include "sensors.h"
#include "sensors_int.h"

#define SENSOR_COLUMNS                                                                             \
	"id, name, kind, zone_id, reader_id, lat, lon, unit, threshold_high, threshold_low, "      \
	"token_id, state, offline, offline_since_ms, last_seen_ms, heartbeat_s"

static json_t *int_or_null(struct store_rows *r, int col)
{
	return store_is_null(r, col) ? json_null() : json_integer(store_int(r, col));
}

static json_t *real_or_null(struct store_rows *r, int col)
{
	return store_is_null(r, col) ? json_null() : json_real(store_double(r, col));
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The fields every sensor event starts with: action and the sensor's ids and place. */
json_t *sensors_event_base(const char *action, struct store_rows *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "action", json_string(action));
	json_object_set_new(o, "sensor_id", json_integer(store_int(r, 0)));
	json_object_set_new(o, "sensor", json_string(store_text(r, 1)));
	json_object_set_new(o, "kind", json_string(store_text(r, 2)));
	json_object_set_new(o, "zone_id", int_or_null(r, 3));
	json_object_set_new(o, "reader_id", int_or_null(r, 4));
	json_object_set_new(o, "lat", real_or_null(r, 5));
	json_object_set_new(o, "lon", real_or_null(r, 6));
	return o;
}

static int ref_is_id(const char *ref, int64_t *id)
{
	return pg_parse_i64(ref, 1, INT64_MAX, id) == 0;
}

int sensors_lookup(struct store_tx *tx, const char *ref, struct store_rows **out,
                   struct pg_err *err)
{
	int64_t id;
	if (ref_is_id(ref, &id))
		return store_query(tx, out, err,
		                   "SELECT " SENSOR_COLUMNS " FROM sensors WHERE id = ?1", "i", id);
	return store_query(tx, out, err, "SELECT " SENSOR_COLUMNS " FROM sensors WHERE name = ?1",
	                   "t", ref);
}

/* The first message after an outage: the sensor is back. */
static int back_online(struct store_tx *tx, struct store_rows *r, const struct sensor_in *in,
                       struct pg_err *err)
{
	int64_t since = store_is_null(r, 13) ? in->received_ms : store_int(r, 13);
	int64_t off_s = (in->received_ms - since + 500) / 1000;
	if (off_s < 0)
		off_s = 0;
	json_t *ev = sensors_event_base("online", r);
	char reason[128], at[PG_TIME_LEN];
	pg_snprintf(reason, sizeof(reason), "%s again after %lld s offline",
	            in->heartbeat ? "heartbeat" : "message", (long long)off_s);
	pg_time_format(in->received_ms, at);
	json_object_set_new(ev, "reason", json_string(reason));
	json_object_set_new(ev, "offline_s", json_integer(off_s));
	json_object_set_new(ev, "at", json_string(at));
	json_object_set_new(ev, "source", json_string(sensors_source_name(in->source)));
	int rc = store_exec(tx, err,
	                    "UPDATE sensors SET offline = 0, offline_since_ms = NULL WHERE id = ?1",
	                    "i", store_int(r, 0));
	int64_t id = rc < 0 ? rc : store_event(tx, "sensors", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

int sensors_ingest_tx(struct store_tx *tx, const struct sensor_in *in, int64_t *event_id,
                      json_t **event, enum sensor_result *why, struct pg_err *err)
{
	struct store_rows *r = NULL;
	json_t *ev = NULL;
	int64_t eid = 0;
	int rc = sensors_lookup(tx, in->ref, &r, err);
	if (rc < 0) {
		*why = SR_STORE_ERROR;
		goto out;
	}
	rc = store_next(r);
	if (rc <= 0) {
		*why = rc < 0 ? SR_STORE_ERROR : SR_UNKNOWN_SENSOR;
		rc = rc < 0 ? pg_err_set(err, PG_EIO, "store: reading the sensor failed")
		            : pg_err_set(err, PG_ENOTFOUND, "no sensor '%.64s'", in->ref);
		goto out;
	}
	int64_t sid = store_int(r, 0);
	if (in->token_id && !store_is_null(r, 10) && store_int(r, 10) != in->token_id) {
		*why = SR_NOT_ALLOWED;
		rc = pg_err_set(err, PG_EDENIED, "this device token may not post for sensor '%s'",
		                store_text(r, 1));
		goto out;
	}
	int state = -1;
	char reason[200] = "";
	if (!in->heartbeat) {
		struct sensor_conf c = {
		    .kind = store_text(r, 2),
		    .unit = store_text(r, 7),
		    .has_high = !store_is_null(r, 8),
		    .high = store_double(r, 8),
		    .has_low = !store_is_null(r, 9),
		    .low = store_double(r, 9),
		};
		if ((rc = sensors_decide(&c, &in->msg, &state, reason, sizeof(reason), why, err)) <
		    0)
			goto out;
	}
	*why = SR_STORE_ERROR;
	if (store_int(r, 12) && (rc = back_online(tx, r, in, err)) < 0)
		goto out;
	if (in->heartbeat) {
		rc = store_exec(
		    tx, err,
		    "UPDATE sensors SET last_seen_ms = max(coalesce(last_seen_ms, 0), ?2) "
		    "WHERE id = ?1",
		    "ii", sid, in->received_ms);
		if (rc == 0)
			*why = SR_HEARTBEAT;
		goto out;
	}
	const struct sensor_kind *k = sensors_kind_find(store_text(r, 2));
	const char *unit = store_text(r, 7) ? store_text(r, 7) : k ? k->unit : NULL;
	char at[PG_TIME_LEN], received[PG_TIME_LEN];
	pg_time_format(in->msg.at_ms ? in->msg.at_ms : in->received_ms, at);
	pg_time_format(in->received_ms, received);
	ev = sensors_event_base("event", r);
	json_object_set_new(ev, "state", json_string(sensors_state_name(state)));
	json_object_set_new(ev, "previous", text_or_null(store_text(r, 11)));
	json_object_set_new(ev, "value",
	                    in->msg.has_value ? json_real(in->msg.value) : json_null());
	json_object_set_new(ev, "unit", in->msg.has_value ? text_or_null(unit) : json_null());
	json_object_set_new(ev, "reason", reason[0] ? json_string(reason) : json_null());
	json_object_set_new(ev, "at", json_string(at));
	json_object_set_new(ev, "received", json_string(received));
	json_object_set_new(ev, "source", json_string(sensors_source_name(in->source)));
	rc = store_exec(
	    tx, err,
	    "UPDATE sensors SET state = ?2, value = CASE WHEN ?3 THEN ?4 ELSE value END, "
	    "last_event_ms = ?5, last_seen_ms = max(coalesce(last_seen_ms, 0), ?5) "
	    "WHERE id = ?1",
	    "itidi", sid, sensors_state_name(state), (int64_t)in->msg.has_value, in->msg.value,
	    in->received_ms);
	if (rc < 0)
		goto out;
	eid = store_event(tx, "sensors", ev, err);
	if (eid < 0) {
		rc = (int)eid;
		goto out;
	}
	*why = SR_ACCEPTED;
out:
	store_rows_free(r);
	if (rc == 0) {
		if (event_id)
			*event_id = eid;
		if (event)
			*event = ev ? json_incref(ev) : NULL;
	}
	json_decref(ev);
	return rc;
}
