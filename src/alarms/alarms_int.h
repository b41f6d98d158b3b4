/* alarms_int.h - what only the alarms module's files share. */
#ifndef PG_ALARMS_INT_H
#define PG_ALARMS_INT_H

#include <pthread.h>

#include "alarms.h"

/* "a.id, a.kind, ... FROM alarms a LEFT JOIN zones z ...": the row as the API shows it. */
extern const char *const alarm_columns_sql;

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
