/* access.h - access control: zones, readers, people, credentials, access groups and
 * schedules, qualifications, decisions, anti-passback, escorts, two-person rule,
 * occupancy and muster.
 *
 * Two layers:
 * - the decision engine (access_decide.c) is a pure library over a policy snapshot
 *   (struct access_policy) and a small live state (struct access_state): no store, no
 *   network, no clock of its own, so the same code can decide in a gate agent offline;
 * - struct access is the daemon's side: it loads the snapshot from the store, runs every
 *   decision inside the store's single writer (so decisions are serialised and persisted
 *   before the reply), and offers the HTTP routes. */
#ifndef PG_ACCESS_H
#define PG_ACCESS_H

#include <stdint.h>

#include "../store/store.h"

/* ---- the decision engine ------------------------------------------------------------ */

enum access_reason {
	AR_GRANTED,
	AR_UNKNOWN_READER,
	AR_UNKNOWN_CREDENTIAL,
	AR_CREDENTIAL_SUSPENDED,
	AR_CREDENTIAL_LOST,
	AR_CREDENTIAL_REVOKED,
	AR_NOT_YET_VALID,
	AR_EXPIRED,
	AR_PIN_REQUIRED,
	AR_PIN_WRONG,
	AR_NO_ACCESS_GROUP,
	AR_OUTSIDE_SCHEDULE,
	AR_LEVEL_RESTRICTED,
	AR_QUALIFICATION_MISSING,
	AR_QUALIFICATION_EXPIRED,
	AR_ANTI_PASSBACK,
	AR_ESCORT_REQUIRED,
	AR_TWO_PERSON_REQUIRED,
	AR_ZONE_FULL,
	AR_WATCHLISTED,
	AR_VISITOR_EXPIRED,
	AR_COUNT
};
/* The stable code ("unknown_reader", ...). */
const char *access_reason_name(enum access_reason r);

struct access_policy; /* immutable snapshot: zones, readers, people, credentials, groups */
struct access_state;  /* live: where people are, zone counts, held escorts / second persons */

struct access_request {
	int64_t reader_id;
	const char *credential; /* card UID as read */
	const char *pin;        /* NULL when none was entered */
	int out;                /* 0 = in (enter to_zone), 1 = out (back to from_zone) */
	int level;              /* the facility's security level, 1..3 */
	int64_t now_ms;         /* wall clock */
	int local_minute_of_week; /* local time: 0 = Monday 00:00 ... 10079 */
	int local_date;         /* local date as yyyymmdd, for holidays */
};

#define ACCESS_MAX_RELEASED 8

struct access_decision {
	int grant;
	enum access_reason reason;
	int64_t person_id;   /* 0 when unknown */
	int64_t zone_id;     /* the zone entered (or left to); 0 when the reader is unknown */
	int held;            /* waiting at the reader for an escort or a second person */
	int soft_passback;   /* granted despite an anti-passback violation (soft zone) */
	int alarm_lost;      /* a lost or stolen credential was presented */
	char detail[160];    /* words for the log: which rule, with the values */
	/* people held earlier at this reader that this grant lets through */
	int64_t released[ACCESS_MAX_RELEASED];
	int nreleased;
};

/* Decides one request against the policy, and on a grant moves the person in st.
 * Never fails: every outcome is a decision with a reason. */
void access_decide(const struct access_policy *p, struct access_state *st,
		   const struct access_request *req, struct access_decision *out);

struct access_state *access_state_new(void);
void access_state_free(struct access_state *st);
/* Where a person is (zone id, 0 if unknown) and the number of people in a zone. */
int64_t access_state_location(const struct access_state *st, int64_t person_id);
int access_state_count(const struct access_state *st, int64_t zone_id);
/* Records a location (when loading the state, or when a PFSO resets anti-passback with
 * zone_id 0). */
void access_state_place(struct access_state *st, int64_t person_id, int64_t zone_id,
			int64_t since_ms);

/* Loads a snapshot from the store (inside a read or write transaction). */
int access_policy_load(struct store_tx *tx, struct access_policy **out, struct pg_err *err);
void access_policy_free(struct access_policy *p);

/* PIN hashing as credentials store it: "salt$hash", both hex. */
void access_pin_hash(const char *pin, char out[100]);
int access_pin_check(const char *stored, const char *pin);

/* ---- the daemon's side --------------------------------------------------------------- */

struct access;

int access_open(struct store *s, struct access **out, struct pg_err *err);
void access_close(struct access *a); /* accepts NULL */
/* Registers the module's HTTP routes (before http_start). */
int access_register_routes(struct access *a);

/* Call from inside any write that changes what decisions depend on (zones, readers,
 * people, credentials, groups, qualifications): the snapshot is reloaded after commit. */
void access_changed(struct store_tx *tx, struct access *a);

/* Decides and persists one request (the route's and the simulator's entry point). The
 * answer JSON is {decision, reason, person, zone, level, held, id}. */
int access_decide_and_record(struct access *a, int64_t reader_id, const char *credential,
			     const char *pin, int out, json_t **answer, struct pg_err *err);

/* Muster for other modules (an evacuation drill): the same as POST /api/v1/musters and
 * POST /api/v1/musters/{id}/close, in the caller's transaction (audited, published on
 * topic "muster"). start: PG_EUNPROCESSABLE for an unknown zone, PG_ECONFLICT if the zone
 * has an open muster; close: PG_ENOTFOUND, PG_ECONFLICT if closed already. load: the
 * muster as GET /api/v1/musters/{id} answers it (a new reference). */
int access_muster_start_tx(struct store_tx *tx, const char *actor, int64_t zone_id, int drill,
			   int64_t *id, struct pg_err *err);
int access_muster_close_tx(struct store_tx *tx, const char *actor, int64_t id, struct pg_err *err);
int access_muster_load_tx(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err);

#endif
