/* level.h - the facility's ISPS security level (1, 2, 3) and its history (A/2.1, A/14).
 *
 * The authority sets the level; the PFSO records every change with the reason and on
 * whose instruction. Each change is audited and published on topic "level". */
#ifndef PG_LEVEL_H
#define PG_LEVEL_H

#include "../store/store.h"

/* The current level inside a transaction (1 when none was ever set). */
int level_current(struct store_tx *tx, int *level, struct pg_err *err);
/* The current level as {level, reason, instructed_by, set_by, set_at}. */
int level_get(struct store *s, json_t **out, struct pg_err *err);
/* Records a new level; PG_EUNPROCESSABLE for a level outside 1..3 or an empty reason. */
int level_set(struct store *s, const char *actor, int level, const char *reason,
	      const char *instructed_by, json_t **out, struct pg_err *err);

/* Registers GET/PUT /api/v1/security-level and its history (before http_start). */
int level_register_routes(void);

#endif
