/* alarms_int.h - what only the alarms module's files share. */
#ifndef PG_ALARMS_INT_H
#define PG_ALARMS_INT_H

#include <pthread.h>

#include "alarms.h"

/* "a.id, a.kind, ... FROM alarms a LEFT JOIN zones z ...": the row as the API shows it (a
 * literal, so that each statement reading it is one constant string). */
#define ALARM_ISO_(x) "strftime('%Y-%m-%dT%H:%M:%fZ', " x " / 1000.0, 'unixepoch')"
/* clang-format off */
#define ALARM_COLUMNS_SQL \
    "a.id, a.kind, a.label, a.priority, a.base_priority, a.level, a.source, a.source_key, " \
    "a.source_name, a.source_state, a.reason, a.zone_id, z.name AS zone, a.lat, a.lon, " \
    "a.state, a.count, a.event_id, a.raised_by, " \
    ALARM_ISO_("a.raised_ms") " AS raised_at, " \
    ALARM_ISO_("a.last_ms") " AS last_at, " \
    "a.acknowledged_by, " ALARM_ISO_("a.acknowledged_ms") " AS acknowledged_at, " \
    "a.assigned_to, " ALARM_ISO_("a.assigned_ms") " AS assigned_at, " \
    "a.resolved_by, " ALARM_ISO_("a.resolved_ms") " AS resolved_at, " \
    "a.outcome, a.notes, a.escalations, " ALARM_ISO_("a.next_escalation_ms") \
    " AS escalation_due, " \
    "(SELECT count(*) FROM alarm_steps s WHERE s.alarm_id = a.id) AS steps_total, " \
    "(SELECT count(*) FROM alarm_steps s WHERE s.alarm_id = a.id AND s.done) AS steps_done, " \
    "(SELECT count(*) FROM alarm_steps s WHERE s.alarm_id = a.id AND s.required AND NOT s.done) " \
    "AS required_open " \
    "FROM alarms a LEFT JOIN zones z ON z.id = a.zone_id"
/* clang-format on */

/* Appends a history row (detail borrowed, may be NULL). */
int alarm_history_tx(struct store_tx *tx, int64_t id, int64_t at_ms, const char *actor,
                     const char *action, json_t *detail, struct pg_err *err);
/* Publishes {"action", "alarm": row} (and "source_event": source, when not NULL) on
 * "alarms"; audits it as audit_action (unless NULL) with details (borrowed, may be NULL). */
int alarm_publish_tx(struct store_tx *tx, int64_t id, const char *action, const char *actor,
                     const char *audit_action, json_t *details, json_t *source, struct pg_err *err);
/* The cameras for an alarm row: those whose zones hold its zone, then the nearest. */
int alarm_cameras_tx(struct store_tx *tx, const json_t *alarm, json_t **out, struct pg_err *err);

/* The engine's state the routes share. */
struct alarms {
	struct store *s;
	struct pg_bus *bus;
	struct alarm_kinds *kinds;
	struct pg_bus_sub *sub;
	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int wake, stop;
	int retime;     /* a deadline may have changed outside the engine (a manual alarm) */
	int64_t cursor; /* the last event read (the stored cursor may lag behind it) */
	int64_t deadline_ms;
	/* /metrics (atomics: the engine writes, HTTP threads read) */
	int64_t m_evaluated, m_batches, m_errors, m_cursor;
};

/* Wakes the engine to read its deadlines again (after a manual alarm committed). */
void alarms_retime(struct alarms *a);

/* /metrics: registered with the routes, unregistered by alarms_close. */
void alarms_metrics_unregister(void);

#endif
