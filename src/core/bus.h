/* bus.h - the in-process event bus: committed events fan out to subscribers
 * (SSE streams now; alarms and webhooks later).
 *
 * Events are published after they are committed to the store, with the store's event id,
 * so a subscriber that falls behind (its queue overflows) can resume from the store. */
#ifndef PG_BUS_H
#define PG_BUS_H

#include <stdint.h>

#include "core.h"

#define PG_TOPIC_MAX 32
#define PG_BUS_QUEUE 1024 /* events a subscriber may have pending */

struct pg_bus;
struct pg_bus_sub;

struct pg_bus *pg_bus_new(void);
/* Frees the bus; every subscriber must have unsubscribed. Accepts NULL. */
void pg_bus_free(struct pg_bus *bus);

/* Delivers one event (json is the whole event envelope, copied) to each subscriber whose
 * topics match, and counts it by topic. */
void pg_bus_publish(struct pg_bus *bus, int64_t id, const char *topic, const char *json);

/* Subscribes to a comma-separated list of at most 16 topics (NULL or "" = all), each of
 * a-z, 0-9, '_', '-' and shorter than PG_TOPIC_MAX. notify(ctx) is called
 * from the publishing thread after an event is queued; it must not call back into the bus
 * except pg_bus_next. Returns NULL if the topic list is malformed. */
struct pg_bus_sub *pg_bus_subscribe(struct pg_bus *bus, const char *topics,
				    void (*notify)(void *ctx), void *ctx);
void pg_bus_unsubscribe(struct pg_bus_sub *sub);
/* Does this subscriber want the topic? */
int pg_bus_sub_wants(const struct pg_bus_sub *sub, const char *topic);

/* Takes the oldest pending event: 1 and *json (caller frees with pg_free) when there is
 * one, 0 when the queue is empty, PG_ELIMIT once after the queue overflowed (events were
 * dropped; resume from the store after the last id seen). */
int pg_bus_next(struct pg_bus_sub *sub, int64_t *id, char **json);

/* Appends Prometheus text: portguard_events_total{topic="..."} N. */
void pg_bus_metrics(struct pg_bus *bus, struct pg_buf *out);

#endif
