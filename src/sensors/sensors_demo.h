/* sensors_demo.h - the demo's broker, sensors, cameras and simulator (`portguard demo`). */
#ifndef PG_SENSORS_DEMO_H
#define PG_SENSORS_DEMO_H

#include "sensors.h"

struct sensors_broker;
/* Starts bin (default /usr/sbin/mosquitto) on 127.0.0.1:port (0: a free port) with a
 * config it writes to DIR/mosquitto/mosquitto.conf (log next to it); waits until it
 * listens. */
int sensors_broker_start(const char *dir, int port, const char *bin, struct sensors_broker **out,
                         struct pg_err *err);
int sensors_broker_port(const struct sensors_broker *b);
/* SIGTERM, then SIGKILL after 2 s; frees. Accepts NULL. */
void sensors_broker_stop(struct sensors_broker *b);

/* Seeds the demo port's sensors (14, around the zones and doors of access_demo.c; one
 * goes silent) and cameras (6). Needs the access demo's zones and readers. */
int sensors_demo_seed(struct store *s, struct pg_err *err);

struct sensors_sim;
/* Publishes a heartbeat for every demo sensor every heartbeat_ms (but the silent one
 * after three), measured values now and then, and in turn a scene: the tide over its
 * threshold, a fence intrusion, the DG area door opened without a badge, a gust over the
 * crane limit, a door used normally, camera analytics or a tamper; each ends a tick
 * later. */
int sensors_sim_start(const char *host, int port, const char *prefix, int heartbeat_ms,
                      struct sensors_sim **out, struct pg_err *err);
void sensors_sim_stop(struct sensors_sim *sim); /* accepts NULL */

#endif
