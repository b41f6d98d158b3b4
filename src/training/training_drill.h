/* training_drill.h - drills and exercises (issue 7; ISPS A/18, B/18.5-18.6).
 *
 * A drill tests one element of the port facility security plan; an exercise (live,
 * tabletop or combined) tests the plan as a whole. The record of each is what inspectors
 * ask for: type, scenario, date and time, place, participants (people), observers,
 * results, lessons learned, corrective actions with owner, due date and closure. An
 * evacuation drill can start a real muster (access module) and keeps its timing.
 *
 * The schedule (training_drill_due) knows the Code:
 *   drill:    the next is due 3 calendar months after the last conducted drill (a day that
 *             does not exist in the due month is the month's last day: 30 Nov -> 28/29 Feb);
 *             after a change of more than 25% of the personnel with security duties with
 *             no drill since, within 7 days of the change if that is sooner (B/18.5);
 *   exercise: the next is due by the earlier of 31 December of the calendar year after the
 *             last exercise and 18 calendar months after it (B/18.6);
 *   none yet: due on the day the schedule began (drill_meta.schedule_since) and overdue
 *             from then on: nothing shows compliance.
 * Due means "by the end of that UTC day"; overdue means the UTC date is past it. An
 * overdue item is published once (topic "training", action drill_overdue or
 * exercise_overdue) and remembered in drill_notices, by a check thread that runs at
 * start-up, every minute, and after every change of a drill.
 *
 * Every change is audited (object "drill ID") and published on topic "training" as
 * {action: "drill.*", id, by, details}. */
#ifndef PG_TRAINING_DRILL_H
#define PG_TRAINING_DRILL_H

#include <stdint.h>

#include "../core/bus.h"
#include "../store/store.h"

/* ---- calendar days (pure) ----------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (no range check). */
int64_t training_day_from_civil(int y, int m, int d);
void training_day_to_civil(int64_t day, int *y, int *m, int *d);
/* The day n calendar months after day; a day of month past the end of the target month
 * becomes its last day. */
int64_t training_day_add_months(int64_t day, int n);
/* Parses "YYYY-MM-DD" (a real date) into a day number. PG_EINVAL. */
int training_day_parse(const char *s, int64_t *day);
/* Formats a day number as "YYYY-MM-DD" into out (11 bytes). */
void training_day_format(int64_t day, char out[11]);

/* ---- the schedule (pure) ------------------------------------------------------------------ */

enum training_drill_kind { TRAINING_DRILL, TRAINING_EXERCISE };

enum training_due_status {
	TRAINING_DUE_OK,      /* due later than the warning window */
	TRAINING_DUE_SOON,    /* due within the warning window (drill 14, exercise 30 days) */
	TRAINING_DUE_OVERDUE, /* past the due day, or never recorded */
};

struct training_due {
	int64_t due;          /* the last day that is still in time */
	int status;           /* enum training_due_status */
	int64_t days_overdue; /* today - due when overdue, else 0 */
	int64_t days_left;    /* due - today when not overdue, else 0 */
	int by_personnel_change; /* 1: the due day comes from a personnel change */
};

/* The due day of kind given the last conducted one (has_last 0: none), the day the
 * schedule began (since), the newest personnel change of more than 25% (0 = none; drills
 * only) and today. Never fails. */
void training_drill_due(enum training_drill_kind kind, int has_last, int64_t last, int64_t since,
			int64_t change, int64_t today, struct training_due *out);

/* ---- the store side ------------------------------------------------------------------------ */

/* The schedule as the API shows it (GET /api/v1/drills/schedule), computed at now_ms in
 * tx: {"today","drill":{...},"exercise":{...},"actions_overdue":[...],"actions_open":N}
 * (docs/API.md). A new reference in *out. */
int training_drill_schedule_tx(struct store_tx *tx, int64_t now_ms, json_t **out,
			       struct pg_err *err);
/* Publishes each overdue item at now_ms that has no notice yet (one event each, recorded
 * in drill_notices), and keeps the timing of closed musters of drills that lack it.
 * *published (may be NULL) gets the number of overdue events written. */
int training_drill_check_tx(struct store_tx *tx, int64_t now_ms, int *published,
			    struct pg_err *err);

/* The writes of POST /api/v1/drills and POST /api/v1/drills/{id}/actions in tx, from a
 * request body (borrowed; the route's field rows have checked the JSON types already):
 * every value is checked (PG_EINVAL for a malformed one, PG_EUNPROCESSABLE for an unknown
 * name, person, zone or user or a time in the future; err->field names it), then written,
 * audited and published. *id gets the new drill's or action's id. */
int training_drill_create_tx(struct store_tx *tx, const char *actor, json_t *body,
			     int64_t now_ms, int64_t *id, struct pg_err *err);
int training_drill_action_add_tx(struct store_tx *tx, const char *actor, int64_t drill_id,
				 json_t *body, int64_t now_ms, int64_t *id, struct pg_err *err);

/* A plausible year of drill history for `portguard demo` (after the access demo people):
 * four drills and an exercise conducted, two planned, corrective actions of which one is
 * open and overdue. */
int training_drill_demo_seed(struct store *s, struct pg_err *err);

/* ---- the daemon's module ------------------------------------------------------------------ */

struct training_drill;

/* Starts the module: a check thread (runs at once, then every minute and after each
 * change) that listens on the bus for closed musters. */
int training_drill_open(struct store *s, struct pg_bus *bus, struct training_drill **out,
			struct pg_err *err);
/* Stops the thread (after http_stop). Accepts NULL. */
void training_drill_close(struct training_drill *d);
/* Registers the /api/v1/drills routes (before http_start). d may be NULL (the fuzz
 * harness): the handlers then do not wake the check thread. */
int training_drill_register_routes(struct training_drill *d);

#endif
