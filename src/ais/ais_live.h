/* ais_live.h - the live AIS picture in the daemon: inputs, the engine thread, persistence
 * and the vessel / arrival / layout routes.
 *
 *   inputs (one thread each; each decodes its own lines with an ais_decoder):
 *     tcp://HOST:PORT          a client that reconnects with back-off (0.5 s doubling to 30 s)
 *     udp://ADDR:PORT          a listener; each datagram holds one or more lines
 *     file://PATH?speed=N      replay; lines with a tag block c: time are paced at N times
 *                              real time (speed=0: as fast as possible; lines without a
 *                              time are fed at once), the file is read once
 *     in-process sources       (the demo simulator) through ais_live_source_feed
 *   -> a bounded queue of decoded messages (inputs block when it is full)
 *   -> the engine thread: the vessel table, zones and anomaly rules (ais_anomaly.h)
 *   -> every 500 ms one group commit (store_write_async): vessel upserts, downsampled track
 *      points, anomaly events (topic "ais", action "anomaly"), and at most every 2 s one
 *      event on topic "vessels" {"action":"positions","vessels":[...]} with the vessels that
 *      changed (each vessel at most every 5 s). Raw messages are not stored.
 *
 * Each input is counted in /metrics (lines, messages, drops by reason, connects). */
#ifndef PG_AIS_LIVE_H
#define PG_AIS_LIVE_H

#include "../store/store.h"
#include "../core/config.h"
#include "ais_anomaly.h"

#define AIS_LIVE_MAX_INPUTS 16
#define AIS_LIVE_QUEUE      8192

struct ais_live;
struct ais_source;

/* Reads the [ais] settings of cfg: loads the layout (an error names the feature and field),
 * parses the inputs (an error names the input) and the rule parameters. Starts nothing. */
int ais_live_open(struct store *s, const struct pg_config *cfg, struct ais_live **out,
                  struct pg_err *err);
/* Rules other than cfg's (the demo; the benchmark): call before ais_live_start. */
void ais_live_set_rules(struct ais_live *l, const struct ais_rules *r);
/* Starts the engine and the input threads. */
int ais_live_start(struct ais_live *l, struct pg_err *err);
/* Stops the inputs, drains the queue, commits the last batch, frees. Accepts NULL. */
void ais_live_close(struct ais_live *l);

/* An in-process source of NMEA text named name (counted like an input); valid until
 * ais_live_close. Call before ais_live_start. */
struct ais_source *ais_live_source(struct ais_live *l, const char *name);
/* Feeds text of one or more lines (from one thread per source). */
void ais_live_source_feed(struct ais_source *src, const char *text, size_t len);

/* The engine's progress: messages taken from the queue and processed; whether every
 * file input has reached its end; batches committed. */
uint64_t ais_live_processed(struct ais_live *l);
int ais_live_inputs_done(struct ais_live *l);

/* The layout (or NULL): read-only accessors of geo.h only. */
const struct geo_layout *ais_live_layout(struct ais_live *l);

/* Registers the routes (GET /api/v1/vessels..., arrivals, the layout) and the metrics. */
int ais_live_register_routes(struct ais_live *l);

/* Records an expected arrival (the demo; the API route does the same). */
int ais_live_arrival_add(struct ais_live *l, const char *actor, const char *berth, int32_t mmsi,
                         int32_t imo, const char *name, int64_t from_ms, int64_t until_ms,
                         const char *note, int64_t *id, struct pg_err *err);

#endif
