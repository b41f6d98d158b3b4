/* sensors.h - sensors and cameras (issue 5): the registry, ingestion of sensor messages
 * over MQTT (libmosquitto, a real broker) and HTTP, and supervision of heartbeats.
 *
 * A sensor message is JSON {"state": "alarm"|"normal"|"tamper"|"fault", "value": number,
 * "at": "RFC 3339"}, each field optional as long as a state follows: a sensor with
 * thresholds (water level, wind speed, ...) decides alarm or normal from the value itself.
 * A message that is accepted is one event on topic "sensors" committed in the same
 * transaction that updates the sensor's state; its data (the contract the alarms module
 * reads) is
 *
 *   {"action":"event","sensor_id":N,"sensor":"name","kind":"fence_intrusion",
 *    "zone_id":N|null,"reader_id":N|null,"lat":x|null,"lon":y|null,
 *    "state":"alarm|normal|tamper|fault","previous":"normal"|null,"value":1.8|null,
 *    "unit":"m"|null,"reason":"water level 1.80 m above the threshold 1.50 m"|null,
 *    "at":"RFC 3339 (device time, else received)","received":"RFC 3339",
 *    "source":"mqtt"|"http"}
 *
 * Heartbeats only update last_seen; the first message after an outage adds
 * {"action":"online", ids..., "reason":"heartbeat again after 310 s offline"}. The
 * supervisor adds {"action":"offline", ids..., "last_seen":..., "interval_s":N,
 * "reason":"no heartbeat for 130 s (expected every 60 s)"} once per outage, when a
 * supervised sensor was silent for twice its heartbeat interval.
 *
 * Refused messages (unknown sensor, malformed, unknown state, ...) change nothing; they
 * are counted by source and reason (portguard_sensor_messages_total) and logged at most
 * once a second per reason. */
#ifndef PG_SENSORS_H
#define PG_SENSORS_H

#include <jansson.h>
#include <stdint.h>

#include "../core/config.h"
#include "../store/store.h"

/* ---- kinds and messages (sensors_message.c: pure, no store) --------------------------- */

struct sensor_kind {
	const char *name;  /* "water_level" */
	const char *words; /* "water level" */
	const char *unit;  /* the default unit of a measured kind, else NULL */
};
/* The kind called name, or NULL. */
const struct sensor_kind *sensors_kind_find(const char *name);
/* Every kind, ending with a {NULL} row. */
extern const struct sensor_kind sensors_kinds[];

enum sensor_state { SENSOR_ALARM, SENSOR_NORMAL, SENSOR_TAMPER, SENSOR_FAULT, SENSOR_N_STATES };
const char *sensors_state_name(int state);
int sensors_state_parse(const char *s); /* -1 if unknown */

/* Why a message was accepted or refused: the result label of the counters. */
enum sensor_result {
	SR_ACCEPTED,      /* an event committed */
	SR_HEARTBEAT,     /* a heartbeat recorded */
	SR_MALFORMED,     /* not a JSON object, a field of the wrong type, an unknown field */
	SR_TOO_LARGE,     /* over SENSORS_MSG_MAX bytes */
	SR_UNKNOWN_STATE, /* state is not alarm, normal, tamper or fault */
	SR_NO_STATE,      /* no state, and no value with thresholds to decide one */
	SR_BAD_VALUE,     /* value not a finite number in range */
	SR_BAD_TIME,      /* at is not RFC 3339, or too far in the future or past */
	SR_UNKNOWN_SENSOR,
	SR_NOT_ALLOWED, /* the device token is bound to another sensor */
	SR_STORE_ERROR, /* the commit failed */
	SR_N_RESULTS
};
const char *sensors_result_name(enum sensor_result r);

#define SENSORS_MSG_MAX      4096
#define SENSORS_AT_FUTURE_MS (5 * 60 * 1000LL)        /* device clocks may run ahead this much */
#define SENSORS_AT_PAST_MS   (7 * 24 * 3600 * 1000LL) /* queued while down for up to a week */

/* A parsed message. */
struct sensor_msg {
	int state; /* enum sensor_state, or -1 when none was given */
	int has_value;
	double value;
	int64_t at_ms; /* device time, or 0 when none was given */
};

/* Parses an event message of len bytes (not NUL-terminated). On failure *why and err say
 * what was wrong; nothing else is written. */
int sensors_msg_parse(const char *data, size_t len, int64_t now_ms, struct sensor_msg *out,
                      enum sensor_result *why, struct pg_err *err);
/* A heartbeat is empty, or a JSON object whose only field may be "at". */
int sensors_heartbeat_parse(const char *data, size_t len, int64_t now_ms, int64_t *at_ms,
                            enum sensor_result *why, struct pg_err *err);

/* What decides a message's state: the sensor's kind, unit and thresholds. */
struct sensor_conf {
	const char *kind;
	const char *unit; /* NULL: the kind's default */
	int has_high, has_low;
	double high, low;
};
/* The state the message gives the sensor. A value with thresholds decides alarm or
 * normal (tamper and fault stand); reason (size n) gets words for a value ("water level
 * 1.80 m above the threshold 1.50 m") or "" when there are none. SR_NO_STATE when the
 * message has no state and nothing to decide one from. */
int sensors_decide(const struct sensor_conf *c, const struct sensor_msg *m, int *state,
                   char *reason, size_t n, enum sensor_result *why, struct pg_err *err);

/* Supervision: is a sensor with heartbeat interval heartbeat_s overdue at now? It is
 * when it has been silent for more than twice the interval since the latest of its last
 * message, its creation and the daemon's start (a restart gives every sensor a fresh
 * grace). *silent_ms gets how long it has been silent (since last_seen, or since the
 * later of creation and start when it was never seen). */
int sensors_overdue(int64_t now_ms, int64_t last_seen_ms, int64_t created_ms, int64_t started_ms,
                    int64_t heartbeat_s, int64_t *silent_ms);

/* A sensor's name: 1-64 of [A-Za-z0-9._-], not all digits (it is an MQTT topic level
 * and must not look like an id). */
int sensors_name_ok(const char *name);

/* ---- ingestion (sensors_ingest.c) ------------------------------------------------------ */

enum sensor_source { SOURCE_MQTT, SOURCE_HTTP, SOURCE_N };
const char *sensors_source_name(enum sensor_source s);

/* One message on its way into the store. */
struct sensor_in {
	enum sensor_source source;
	int heartbeat; /* 1: a heartbeat (msg.at_ms only) */
	char ref[72];  /* the sensor: its name, or its id in decimal */
	struct sensor_msg msg;
	int64_t received_ms;
	int64_t token_id; /* HTTP: the device token posting, 0 for a user */
};

/* Applies one parsed message in tx: checks the sensor (SR_UNKNOWN_SENSOR, SR_NOT_ALLOWED),
 * decides the state, updates the sensor and records the event (and an "online" event
 * after an outage). *event_id gets the event's id (0 for a plain heartbeat). On a refusal
 * nothing is written and *why says why. */
int sensors_ingest_tx(struct store_tx *tx, const struct sensor_in *in, int64_t *event_id,
                      json_t **event, enum sensor_result *why, struct pg_err *err);

/* ---- supervision (sensors_supervise.c) ------------------------------------------------- */

/* Marks every overdue supervised sensor offline with one "offline" event each (those
 * offline already are left alone). *n gets how many went offline. */
int sensors_supervise_tx(struct store_tx *tx, int64_t now_ms, int64_t started_ms, int *n,
                         struct pg_err *err);

/* ---- the daemon's module --------------------------------------------------------------- */

struct sensors;

/* Starts the supervisor and, if cfg->mqtt_enabled, the MQTT client (which connects in
 * the background and keeps reconnecting with back-off). */
int sensors_open(struct store *s, const struct pg_config *cfg, struct sensors **out,
                 struct pg_err *err);
/* Registers the registry and ingestion routes (before http_start). */
int sensors_register_routes(struct sensors *m);
/* Stops taking MQTT messages: disconnects from the broker (the persistent session keeps
 * what arrives meanwhile) and waits until every message taken is committed. */
void sensors_stop_ingest(struct sensors *m);
/* Stops everything (after http_stop) and frees. Accepts NULL. */
void sensors_close(struct sensors *m);
/* Counts a message by source and result (and logs refusals, rate-limited). */
void sensors_count(struct sensors *m, enum sensor_source src, enum sensor_result r, const char *ref,
                   const char *msg);
/* Appends Prometheus text: portguard_sensor_messages_total{source,result} and the
 * MQTT connection state. */
void sensors_metrics(struct pg_buf *out, void *m);

#endif
