/* access_demo.h - the demo's port and badge simulator (used by `portguard demo`). */
#ifndef PG_ACCESS_DEMO_H
#define PG_ACCESS_DEMO_H

#include "access.h"

/* Seeds an empty store with the Port of Demo: 10 zones, 11 readers, 7 access groups and
 * `people` people (300 makes every role) with badges and qualifications. */
int access_demo_seed(struct access *a, int people, struct pg_err *err);

struct access_sim;
/* Presents a seeded person's badge (or now and then an unknown one) at a reader on their
 * way every period_ms, through the same path as POST /api/v1/access/decide. */
int access_sim_start(struct access *a, int people, int period_ms, struct access_sim **out);
void access_sim_stop(struct access_sim *sim); /* accepts NULL */

#endif
