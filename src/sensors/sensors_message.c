/* sensors_message.c - sensor kinds, message parsing and the state a message gives: pure
 * functions over bytes and numbers, shared by MQTT, HTTP, the tests and the fuzzer. */
#include <math.h>
#include <string.h>

#include "sensors.h"

const struct sensor_kind sensors_kinds[] = {
    {"fence_intrusion", "fence intrusion", NULL},
    {"pir", "PIR motion", NULL},
    {"door_contact", "door contact", NULL},
    {"panic_button", "panic button", NULL},
    {"camera_analytics", "camera video analytics", NULL},
    {"smoke_heat", "smoke/heat", NULL},
    {"glass_break", "glass break", NULL},
    {"gas", "gas", "ppm"},
    {"radiation_portal", "radiation", "uSv/h"},
    {"water_level", "water level", "m"},
    {"wind_speed", "wind speed", "m/s"},
    {"temperature", "temperature", "C"},
    {"other", "sensor", NULL},
    {NULL, NULL, NULL},
};

const struct sensor_kind *sensors_kind_find(const char *name)
{
	if (!name)
		return NULL;
	for (const struct sensor_kind *k = sensors_kinds; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static const char *const state_names[SENSOR_N_STATES] = {"alarm", "normal", "tamper", "fault"};

const char *sensors_state_name(int state)
{
	return state >= 0 && state < SENSOR_N_STATES ? state_names[state] : NULL;
}

int sensors_state_parse(const char *s)
{
	for (int i = 0; s && i < SENSOR_N_STATES; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

static const char *const result_names[SR_N_RESULTS] = {
    "accepted",  "heartbeat", "malformed",      "too_large",   "unknown_state", "no_state",
    "bad_value", "bad_time",  "unknown_sensor", "not_allowed", "store_error",
};

const char *sensors_result_name(enum sensor_result r)
{
	return r < SR_N_RESULTS ? result_names[r] : "unknown";
}

int sensors_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > 64)
		return 0;
	int digits = 1;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
		digits &= c >= '0' && c <= '9';
	}
	return !digits;
}

static int refuse(enum sensor_result *why, enum sensor_result r, struct pg_err *err,
                  const char *field, const char *what)
{
	*why = r;
	return pg_err_field(err, r == SR_TOO_LARGE ? PG_ELIMIT : PG_EINVAL, field, "%s", what);
}

/* Loads an object of at most SENSORS_MSG_MAX bytes. */
static int load_object(const char *data, size_t len, json_t **out, enum sensor_result *why,
                       struct pg_err *err)
{
	if (len > SENSORS_MSG_MAX) {
		*why = SR_TOO_LARGE;
		return pg_err_set(err, PG_ELIMIT, "message of %zu bytes is over the limit of %d",
		                  len, SENSORS_MSG_MAX);
	}
	json_error_t je;
	json_t *o = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		*why = SR_MALFORMED;
		return pg_err_set(err, PG_EINVAL, "not valid JSON at byte %d: %s", je.position,
		                  je.text);
	}
	if (!json_is_object(o)) {
		json_decref(o);
		return refuse(why, SR_MALFORMED, err, "", "the message must be a JSON object");
	}
	*out = o;
	return 0;
}

static int parse_at(const json_t *v, int64_t now_ms, int64_t *at, enum sensor_result *why,
                    struct pg_err *err)
{
	if (!json_is_string(v))
		return refuse(why, SR_MALFORMED, err, "at", "at must be an RFC 3339 time string");
	int64_t t;
	if (pg_time_parse(json_string_value(v), &t) < 0)
		return refuse(why, SR_BAD_TIME, err, "at",
		              "at is not an RFC 3339 time such as 2026-11-27T09:00:00Z");
	if (t > now_ms + SENSORS_AT_FUTURE_MS)
		return refuse(why, SR_BAD_TIME, err, "at",
		              "at is more than 5 minutes in the future (check the device clock)");
	if (t < now_ms - SENSORS_AT_PAST_MS)
		return refuse(why, SR_BAD_TIME, err, "at", "at is more than 7 days in the past");
	*at = t;
	return 0;
}

int sensors_msg_parse(const char *data, size_t len, int64_t now_ms, struct sensor_msg *out,
                      enum sensor_result *why, struct pg_err *err)
{
	json_t *o = NULL;
	int rc = load_object(data, len, &o, why, err);
	if (rc < 0)
		return rc;
	struct sensor_msg m = {.state = -1};
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		if (strcmp(key, "state") == 0) {
			if (!json_is_string(v)) {
				rc = refuse(why, SR_MALFORMED, err, "state",
				            "state must be a string");
				break;
			}
			m.state = sensors_state_parse(json_string_value(v));
			if (m.state < 0) {
				*why = SR_UNKNOWN_STATE;
				rc = pg_err_field(
				    err, PG_EINVAL, "state",
				    "state '%.32s' is not one of alarm, normal, tamper, "
				    "fault",
				    json_string_value(v));
				break;
			}
		} else if (strcmp(key, "value") == 0) {
			if (json_is_null(v))
				continue;
			if (!json_is_number(v)) {
				rc = refuse(why, SR_MALFORMED, err, "value",
				            "value must be a number");
				break;
			}
			double d = json_number_value(v);
			if (!isfinite(d) || fabs(d) > 1e12) {
				rc = refuse(why, SR_BAD_VALUE, err, "value",
				            "value must be a finite number of at most 1e12");
				break;
			}
			m.has_value = 1;
			m.value = d;
		} else if (strcmp(key, "at") == 0) {
			if ((rc = parse_at(v, now_ms, &m.at_ms, why, err)) < 0)
				break;
		} else {
			*why = SR_MALFORMED;
			rc = pg_err_field(
			    err, PG_EINVAL, key,
			    "unknown field '%.40s' (a message has state, value and at)", key);
			break;
		}
	}
	json_decref(o);
	if (rc == 0 && m.state < 0 && !m.has_value)
		rc = refuse(why, SR_NO_STATE, err, "state",
		            "state is missing (alarm, normal, tamper or fault)");
	if (rc == 0)
		*out = m;
	return rc;
}

int sensors_heartbeat_parse(const char *data, size_t len, int64_t now_ms, int64_t *at_ms,
                            enum sensor_result *why, struct pg_err *err)
{
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	if (i == len) {
		*at_ms = 0;
		return 0;
	}
	json_t *o = NULL;
	int rc = load_object(data, len, &o, why, err);
	if (rc < 0)
		return rc;
	int64_t at = 0;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		if (strcmp(key, "at") == 0) {
			if ((rc = parse_at(v, now_ms, &at, why, err)) < 0)
				break;
		} else {
			*why = SR_MALFORMED;
			rc =
			    pg_err_field(err, PG_EINVAL, key,
			                 "unknown field '%.40s' (a heartbeat has at most at)", key);
			break;
		}
	}
	json_decref(o);
	if (rc == 0)
		*at_ms = at;
	return rc;
}

int sensors_decide(const struct sensor_conf *c, const struct sensor_msg *m, int *state,
                   char *reason, size_t n, enum sensor_result *why, struct pg_err *err)
{
	const struct sensor_kind *k = sensors_kind_find(c->kind);
	const char *words = k ? k->words : "value";
	const char *unit = c->unit && *c->unit ? c->unit : k && k->unit ? k->unit : "";
	const char *sp = *unit ? " " : "";
	int thresholds = c->has_high || c->has_low;
	reason[0] = '\0';
	if (m->state == SENSOR_TAMPER || m->state == SENSOR_FAULT) {
		*state = m->state;
		return 0;
	}
	if (!m->has_value || !thresholds) {
		if (m->state < 0)
			return refuse(why, SR_NO_STATE, err, "state",
			              "state is missing and the sensor has no thresholds to decide "
			              "one from its value");
		*state = m->state;
		return 0;
	}
	if (c->has_high && m->value > c->high) {
		pg_snprintf(reason, n, "%s %.2f%s%s above the threshold %.2f%s%s", words, m->value,
		            sp, unit, c->high, sp, unit);
		*state = SENSOR_ALARM;
	} else if (c->has_low && m->value < c->low) {
		pg_snprintf(reason, n, "%s %.2f%s%s below the threshold %.2f%s%s", words, m->value,
		            sp, unit, c->low, sp, unit);
		*state = SENSOR_ALARM;
	} else {
		pg_snprintf(reason, n, "%s %.2f%s%s within the thresholds", words, m->value, sp,
		            unit);
		*state = SENSOR_NORMAL;
	}
	return 0;
}

int sensors_overdue(int64_t now_ms, int64_t last_seen_ms, int64_t created_ms, int64_t started_ms,
                    int64_t heartbeat_s, int64_t *silent_ms)
{
	if (heartbeat_s <= 0)
		return 0;
	int64_t from = last_seen_ms > 0 ? last_seen_ms : created_ms;
	if (started_ms > from)
		from = started_ms;
	int over = now_ms - from > 2 * heartbeat_s * 1000;
	if (silent_ms)
		*silent_ms = now_ms - (last_seen_ms > 0          ? last_seen_ms
		                       : created_ms > started_ms ? created_ms
		                                                 : started_ms);
	return over;
}

const char *sensors_source_name(enum sensor_source s)
{
	return s == SOURCE_MQTT ? "mqtt" : s == SOURCE_HTTP ? "http" : "unknown";
}
