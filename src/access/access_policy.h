/* access_policy.h - the snapshot the decision engine reads, and the live state it moves.
 * Private to the engine files (access_policy.c, access_state.c, access_decide.c). */
#ifndef PG_ACCESS_POLICY_H
#define PG_ACCESS_POLICY_H

#include "access.h"

/* int64 -> int64 open-addressing map (no deletion: values are overwritten). */
struct imap {
	int64_t *keys; /* 0 = empty slot: keys must be non-zero */
	int64_t *vals;
	size_t cap, n;
};
void imap_init(struct imap *m, size_t expect);
void imap_release(struct imap *m);
void imap_put(struct imap *m, int64_t key, int64_t val);
/* 1 and *val when found, 0 otherwise. */
int imap_get(const struct imap *m, int64_t key, int64_t *val);

enum zone_kind { ZK_PUBLIC, ZK_CONTROLLED, ZK_RESTRICTED, ZK_HIGH_SECURITY };
enum apb_mode { APB_NONE, APB_SOFT, APB_HARD };
enum person_kind { PK_EMPLOYEE, PK_CONTRACTOR, PK_VISITOR, PK_CREW, PK_DRIVER, PK_AUTHORITY };
enum cred_status { CS_ACTIVE, CS_SUSPENDED, CS_LOST, CS_STOLEN, CS_REVOKED };
enum reader_kind { RK_DOOR, RK_TURNSTILE, RK_PEDESTRIAN_GATE, RK_VEHICLE_GATE, RK_MUSTER };

struct ap_zone {
	int64_t id;
	char *name;
	enum zone_kind kind;
	int parent; /* index, or -1 */
	int capacity; /* 0 = none */
	enum apb_mode apb;
	char **quals;
	int nquals;
};

struct ap_reader {
	int64_t id;
	char *name;
	enum reader_kind kind;
	int from, to; /* zone indices */
};

struct ap_grant {
	int group; /* index */
	int64_t until_ms; /* 0 = open-ended */
};

struct ap_qual {
	char *name;
	int64_t expires_ms; /* 0 = does not expire */
};

struct ap_person {
	int64_t id;
	char *name;
	enum person_kind kind;
	int watchlisted;
	int64_t visitor_expires_ms;
	struct ap_grant *grants;
	int ngrants;
	struct ap_qual *quals;
	int nquals;
	int *essential; /* zone indices */
	int nessential;
};

struct ap_cred {
	char *uid;
	int person; /* index */
	enum cred_status status;
	int64_t valid_from_ms, valid_until_ms; /* 0 = none */
	char *pin_hash; /* NULL = no PIN */
};

struct ap_group {
	int64_t id;
	char *name;
	char *zones; /* one flag per zone index */
	int always;
	int *spans; /* [start, end) minute-of-week pairs */
	int nspans;
	int *holidays; /* yyyymmdd */
	int nholidays;
	int levels; /* bit 0 = level 1 */
};

struct access_policy {
	struct ap_zone *zones;
	int nzones;
	struct ap_reader *readers;
	int nreaders;
	struct ap_person *people;
	int npeople;
	struct ap_cred *creds;
	int ncreds;
	struct ap_group *groups;
	int ngroups;
	struct imap zone_ix, reader_ix, person_ix, group_ix;
	/* credentials by uid: open addressing over indices (-1 = empty) */
	int *cred_slots;
	size_t cred_cap;
};

const struct ap_reader *policy_reader(const struct access_policy *p, int64_t id);
const struct ap_cred *policy_cred(const struct access_policy *p, const char *uid);
int policy_zone_index(const struct access_policy *p, int64_t id);

/* Live state: locations, zone counts, people held at readers. */
#define HOLD_MS 30000
#define MAX_HOLDS 512

enum hold_kind { HOLD_ESCORT, HOLD_TWO_PERSON, ESCORT_PRESENT };

struct hold {
	int64_t reader_id, person_id, at_ms;
	enum hold_kind kind;
};

struct access_state {
	struct imap loc;   /* person id -> zone id (0 = unknown, after a reset) */
	struct imap count; /* zone id -> people inside */
	struct hold holds[MAX_HOLDS];
	int nholds;
};

#endif
