/* alarms.h - the alarm workflow (issue 5): alarm kinds with their procedures, the alarm
 * engine that turns committed sensor, access, AIS and training events into alarms, the
 * lifecycle new -> acknowledged -> in_progress -> resolved, escalation and the routes.
 *
 * Kinds (struct alarm_kinds) are a declarative table: a compiled-in default, which
 * etc/alarms.ini documents, overridable from an INI file named by [alarms] kinds in the
 * main configuration. Each kind has a default priority (1 highest .. 5), whether it is an
 * intrusion (one priority higher at security level 2 and 3), an escalation time for
 * priorities 1 and 2, and an ordered procedure of steps, each required or optional.
 *
 * The engine is durable and exactly-once: it reads the stored event log after its cursor
 * (table alarm_cursor) and, in one write transaction, evaluates a batch of events (raise,
 * fold a repeat into the open alarm of the same kind and source, derive access alarms) and
 * advances the cursor. A thread woken by the bus does this; after a crash it resumes from
 * the cursor. The same thread runs the timers (escalation, door held open).
 *
 * Every change is audited and published on topic "alarms" as
 * {"action": raised|repeated|acknowledged|assigned|step|resolved|escalated|source_normal,
 *  "alarm": the alarm row}; raised and repeated from an event add "source_event": the
 * event's data with its "event_id". */
#ifndef PG_ALARMS_H
#define PG_ALARMS_H

#include "../store/store.h"

/* ---- kinds (alarms_kinds.c) ------------------------------------------------------------ */

#define ALARM_KIND_LEN  48 /* a kind's name: 1-47 of a-z, 0-9, '_' */
#define ALARM_LABEL_LEN 96
#define ALARM_STEP_LEN  200
#define ALARM_MAX_STEPS 16
#define ALARM_MAX_KINDS 96

struct alarm_step_def {
	char text[ALARM_STEP_LEN];
	int required;
};

struct alarm_kind {
	char name[ALARM_KIND_LEN];
	char label[ALARM_LABEL_LEN];
	int priority;   /* 1 (highest) .. 5 */
	int intrusion;  /* raised one priority at security level 2 and 3 */
	int escalate_s; /* priorities 1-2: unacknowledged this long -> escalated; 0 = never */
	int nsteps;
	struct alarm_step_def steps[ALARM_MAX_STEPS];
};

/* The engine's rules for derived access alarms. */
struct alarm_rules {
	int forced_door_grant_s; /* a door that opens with no grant at its reader this long before
	                          */
	int door_held_open_s;    /* a door still open this long after it opened */
	int denials;             /* this many denials at one reader ... */
	int denials_window_s;    /* ... within this many seconds */
	int escalation_steps;    /* escalations per alarm at most */
};

struct alarm_kinds {
	int n;
	struct alarm_kind kinds[ALARM_MAX_KINDS];
	struct alarm_rules rules;
};

/* The compiled-in kinds and rules (a fresh copy the caller frees with pg_free). */
struct alarm_kinds *alarm_kinds_default(void);
/* Applies INI text over the defaults: a [kind NAME] section changes or adds a kind (label,
 * priority, intrusion, escalate_s; 'required = TEXT' and 'optional = TEXT' lines, in
 * order, replace its whole procedure); [rules] sets struct alarm_rules. PG_EINVAL with err
 * "line N: what" on anything else. */
int alarm_kinds_parse(const char *text, struct alarm_kinds **out, struct pg_err *err);
/* Reads and parses a file of at most 1 MiB; err names the file. */
int alarm_kinds_load(const char *path, struct alarm_kinds **out, struct pg_err *err);
const struct alarm_kind *alarm_kind_find(const struct alarm_kinds *k, const char *name);
/* The kinds and rules as INI text that alarm_kinds_parse reads back to the same table
 * (etc/alarms.ini without its comments; 'portguard alarm kinds'). PG_ELIMIT if out is full. */
int alarm_kinds_ini(const struct alarm_kinds *k, struct pg_buf *out);
/* The kinds and rules as JSON (GET /api/v1/alarm-kinds). */
json_t *alarm_kinds_json(const struct alarm_kinds *k);

/* The priority an alarm of kind k gets at a security level: intrusion kinds one higher
 * (numerically one lower, not below 1) at level 2 and 3. */
int alarm_priority_at(const struct alarm_kind *k, int level);

/* ---- lifecycle (alarms_alarm.c) ------------------------------------------------------- */

enum alarm_state { ALARM_NEW, ALARM_ACKNOWLEDGED, ALARM_IN_PROGRESS, ALARM_RESOLVED };
const char *alarm_state_name(int state);
int alarm_state_parse(const char *s); /* -1 if unknown */
/* Whether the workflow allows from -> to (assign keeps in_progress). */
int alarm_transition_allowed(int from, int to);
int alarm_outcome_valid(const char *outcome); /* genuine, false_alarm, test, nuisance */

/* What raises an alarm (the engine, or an operator's manual alarm). */
struct alarm_raise {
	const char *kind;
	const char *source;     /* sensor, access, ais, training, manual */
	const char *source_key; /* "sensor:12", "reader:3", "ais:235000001"; NULL = never folded */
	const char *source_name;
	const char *reason;
	int64_t zone_id; /* 0 = none */
	int has_pos;
	double lat, lon;
	int priority;         /* 0 = the kind's priority at the current level */
	int64_t event_id;     /* the event that raised it, or 0 */
	json_t *source_event; /* that event's data (borrowed), or NULL: sent with the alarm event */
	int64_t at_ms;
	const char *actor; /* "system" or the operator */
	/* NULL: a repeat is published as it is folded; else the repeat is collected there and
	 * alarm_folds_flush publishes one "repeated" event per alarm (the engine's batches:
	 * a burst of one sensor is one event with its count, not one per message) */
	struct alarm_folds *folds;
};

/* Repeats folded in one transaction, published once each by alarm_folds_flush. */
struct alarm_folds {
	size_t n, cap;
	struct alarm_fold {
		int64_t id;
		json_t *source_event; /* the latest repeat's (owned), or NULL */
	} *v;
};
int alarm_folds_flush(struct store_tx *tx, struct alarm_folds *f, struct pg_err *err);
void alarm_folds_release(struct alarm_folds *f); /* accepts NULL */

/* Raises an alarm, or folds it into the open alarm of the same kind and source_key
 * (count + 1, last time, a history row). *id and *folded say which. */
int alarm_raise_tx(struct store_tx *tx, const struct alarm_kinds *k, const struct alarm_raise *r,
                   int64_t *id, int *folded, struct pg_err *err);

/* Operator actions in tx; each audited with actor and published. PG_ENOTFOUND, and
 * PG_ECONFLICT when the state does not allow it (err says why; resolve names the
 * required steps not done in err->msg and in *missing (a new array) if not NULL). */
int alarm_ack_tx(struct store_tx *tx, int64_t id, const char *actor, int64_t now_ms,
                 struct pg_err *err);
int alarm_assign_tx(struct store_tx *tx, int64_t id, const char *user, const char *actor,
                    int64_t now_ms, struct pg_err *err);
int alarm_step_tx(struct store_tx *tx, int64_t id, int n, int done, const char *note,
                  const char *actor, int64_t now_ms, struct pg_err *err);
int alarm_resolve_tx(struct store_tx *tx, int64_t id, const char *outcome, const char *notes,
                     const char *actor, int64_t now_ms, json_t **missing, struct pg_err *err);

/* The alarm row as the API shows it (a new reference), or NULL with PG_ENOTFOUND. */
int alarm_get_tx(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err);
/* The row with its steps, cameras, and history. */
int alarm_detail_tx(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err);

/* ---- engine (alarms_engine.c) -------------------------------------------------------- */

/* Evaluates the stored events after the cursor (at most limit) in one transaction with
 * the clock at now_ms; *done = how many events were read (0 = caught up). */
int alarms_evaluate(struct store *s, const struct alarm_kinds *k, int limit, int64_t now_ms,
                    int *done, struct pg_err *err);
/* Runs the timers at now_ms: escalation of unacknowledged priority 1-2 alarms past their
 * time, doors held open. *next_ms = the next deadline (INT64_MAX = none). */
int alarms_tick(struct store *s, const struct alarm_kinds *k, int64_t now_ms, int64_t *next_ms,
                struct pg_err *err);

struct alarms;
/* Loads the kinds (path NULL or "" = the defaults), subscribes to the bus and starts the
 * engine thread. */
int alarms_open(struct store *s, struct pg_bus *bus, const char *kinds_path, struct alarms **out,
                struct pg_err *err);
void alarms_close(struct alarms *a); /* stops the thread; accepts NULL */
/* Registers the routes (before http_start). */
int alarms_register_routes(struct alarms *a);

#endif
