/* access_int.h - what only the access module sees. */
#ifndef PG_ACCESS_INT_H
#define PG_ACCESS_INT_H

#include <pthread.h>

#include "../http/http_handler.h"
#include "access.h"

struct access {
	struct store *store;
	/* used only on the store's writer thread (decisions run inside store_write) */
	struct access_policy *policy;
	struct access_state *state;
	int stale; /* atomics: set after a committed change, cleared by the reload */
	int64_t data_version; /* SQLite's count of commits by other processes (CLI imports) */
};

/* Route tables of the module's files, registered by access_register_routes. */
extern const struct http_route access_admin_routes[]; /* access_admin.c: zones ... qualifications */
extern const int access_admin_n_routes;
extern const struct http_route access_decide_routes[]; /* access_engine.c: decide, log, occupancy */
extern const int access_decide_n_routes;
extern const struct http_route access_muster_routes[]; /* access_muster.c */
extern const int access_muster_n_routes;

/* Parses a JSON time field (RFC 3339 string) or null into ms (0 = none). Answers 400
 * naming the field and returns < 0 when malformed. */
int access_time_field(struct http_req *req, const char *field, int64_t *out);

/* The person's display name "First Last" into out. */
void access_person_name(const char *first, const char *last, char *out, size_t n);

/* Muster bookkeeping on a grant at a muster reader (access_muster.c); inside the
 * decision's write transaction. */
int access_muster_swipe(struct store_tx *tx, int64_t person_id, int64_t reader_id, int64_t now_ms,
			struct pg_err *err);

#endif
