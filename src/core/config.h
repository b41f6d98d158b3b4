/* config.h - the daemon's configuration: one INI file (libinih), flags override it.
 *
 * Every key is a row in the table in core_config.c: section, key, type, limits and
 * default. An unknown section or key, a value of the wrong type or out of range is an
 * error naming the line, the key and what was wrong. */
#ifndef PG_CONFIG_H
#define PG_CONFIG_H

#include <stdint.h>

#include "core.h"

struct pg_config {
	char listen[128];     /* [server] listen = ADDR:PORT */
	int64_t threads;      /* [server] threads: HTTP thread pool size; 0 = one per CPU (>= 2) */
	int64_t body_limit;   /* [server] body_limit: bytes per request body */
	int64_t max_conns;    /* [server] max_connections */
	char data[512];       /* [store] data: data directory */
	int64_t max_batch;    /* [store] max_batch: writes per group commit */
	int64_t readers;      /* [store] readers: read connections */
	int64_t session_hours;     /* [auth] session_hours */
	int64_t lockout_failures;  /* [auth] lockout_failures */
	int64_t lockout_minutes;   /* [auth] lockout_minutes */
	char log_level[16];   /* [log] level = debug|info|warn|error */
	char inspect_rules[512]; /* [inspect] rules = FILE: risk rules; "" = the built-in table */
	/* [ais] the live AIS picture (src/ais/ais_live.h) */
	char ais_layout[512];    /* layout = FILE: the waterside layout GeoJSON; "" = no zones */
	char ais_inputs[1024];   /* inputs = tcp://host:port, udp://host:port, file://path?speed=N, ... */
	char ais_watch_mmsi[512]; /* watch_mmsi = MMSI, MMSI, ...: the MMSI watchlist */
	int64_t ais_approach_m, ais_approach_level, ais_loiter_kn, ais_loiter_min, ais_rendezvous_m,
		ais_rendezvous_kn, ais_rendezvous_min, ais_teleport_kn, ais_harbour_kn, ais_dark_factor,
		ais_dark_min_s;
	char alarms_kinds[512];  /* [alarms] kinds = FILE: alarm kinds; "" = the built-in table */
	int64_t mqtt_enabled;    /* [mqtt] enabled = 0|1: subscribe to sensor messages */
	char mqtt_host[128];     /* [mqtt] host: the broker */
	int64_t mqtt_port;       /* [mqtt] port */
	char mqtt_client_id[64]; /* [mqtt] client_id: stable, names the persistent session */
	char mqtt_topic_prefix[64]; /* [mqtt] topic_prefix: PREFIX/+/event, PREFIX/+/heartbeat */
	char mqtt_username[64];  /* [mqtt] username, "" = none */
	char mqtt_password_file[512]; /* [mqtt] password_file: first line is the password */
	int64_t mqtt_keepalive;  /* [mqtt] keepalive: seconds */
};

/* Fills cfg with the defaults. */
void pg_config_defaults(struct pg_config *cfg);
/* Applies an INI text over cfg. On error cfg is unchanged and err says line and key. */
int pg_config_parse_string(struct pg_config *cfg, const char *text, struct pg_err *err);
/* Reads and applies an INI file (at most 1 MiB). */
int pg_config_load(struct pg_config *cfg, const char *path, struct pg_err *err);
/* Sets one key ("server.listen") from a flag, with the same checks as the file. */
int pg_config_set(struct pg_config *cfg, const char *section, const char *key,
		  const char *value, struct pg_err *err);

#endif
