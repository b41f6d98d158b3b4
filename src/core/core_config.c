/* core_config.c - INI configuration as a table of keys. */
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

enum cfg_type { CFG_STR, CFG_INT };

struct cfg_key {
	const char *section;
	const char *key;
	enum cfg_type type;
	size_t offset;
	size_t size; /* for strings: the buffer size */
	int64_t min, max;
	const char *def;
};

#define STR(s, k, field, def) {s, k, CFG_STR, offsetof(struct pg_config, field), \
	sizeof(((struct pg_config *)0)->field), 0, 0, def}
#define INT(s, k, field, lo, hi, def) {s, k, CFG_INT, offsetof(struct pg_config, field), 0, lo, hi, def}

static const struct cfg_key cfg_keys[] = {
	STR("server", "listen", listen, "127.0.0.1:8080"),
	INT("server", "threads", threads, 0, 64, "0"),
	INT("server", "body_limit", body_limit, 1024, 64 * 1024 * 1024, "1048576"),
	INT("server", "max_connections", max_conns, 4, 100000, "1024"),
	STR("store", "data", data, "./var"),
	INT("store", "max_batch", max_batch, 1, 10000, "256"),
	INT("store", "readers", readers, 1, 64, "4"),
	INT("auth", "session_hours", session_hours, 1, 24 * 30, "12"),
	INT("auth", "lockout_failures", lockout_failures, 1, 100, "5"),
	INT("auth", "lockout_minutes", lockout_minutes, 1, 24 * 60, "15"),
	STR("log", "level", log_level, "info"),
	STR("inspect", "rules", inspect_rules, ""),
	STR("ais", "layout", ais_layout, ""),
	STR("ais", "inputs", ais_inputs, ""),
	STR("ais", "watch_mmsi", ais_watch_mmsi, ""),
	INT("ais", "approach_m", ais_approach_m, 10, 5000, "150"),
	INT("ais", "approach_level", ais_approach_level, 1, 3, "2"),
	INT("ais", "loiter_kn", ais_loiter_kn, 1, 20, "2"),
	INT("ais", "loiter_min", ais_loiter_min, 1, 1440, "30"),
	INT("ais", "rendezvous_m", ais_rendezvous_m, 10, 5000, "500"),
	INT("ais", "rendezvous_kn", ais_rendezvous_kn, 1, 20, "2"),
	INT("ais", "rendezvous_min", ais_rendezvous_min, 1, 1440, "30"),
	INT("ais", "teleport_kn", ais_teleport_kn, 20, 2000, "60"),
	INT("ais", "harbour_kn", ais_harbour_kn, 1, 60, "8"),
	INT("ais", "dark_factor", ais_dark_factor, 1, 20, "3"),
	INT("ais", "dark_min_s", ais_dark_min_s, 10, 86400, "180"),
	STR("alarms", "kinds", alarms_kinds, ""),
	INT("mqtt", "enabled", mqtt_enabled, 0, 1, "0"),
	STR("mqtt", "host", mqtt_host, "127.0.0.1"),
	INT("mqtt", "port", mqtt_port, 1, 65535, "1883"),
	STR("mqtt", "client_id", mqtt_client_id, "portguard"),
	STR("mqtt", "topic_prefix", mqtt_topic_prefix, "portguard/sensors"),
	STR("mqtt", "username", mqtt_username, ""),
	STR("mqtt", "password_file", mqtt_password_file, ""),
	INT("mqtt", "keepalive", mqtt_keepalive, 5, 3600, "30"),
};
#define N_KEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

static int key_apply(struct pg_config *cfg, const struct cfg_key *k, const char *value,
		     struct pg_err *err)
{
	char *dst = (char *)cfg + k->offset;
	if (k->type == CFG_STR) {
		if (strlen(value) >= k->size)
			return pg_err_set(err, PG_EINVAL, "%s.%s: value longer than %zu characters",
					  k->section, k->key, k->size - 1);
		if (!*value && *k->def) /* a key whose default is "" may be empty: not set */
			return pg_err_set(err, PG_EINVAL, "%s.%s: must not be empty", k->section, k->key);
		if (strcmp(k->key, "level") == 0) {
			enum pg_log_level lvl;
			if (pg_log_level_parse(value, &lvl) < 0)
				return pg_err_set(err, PG_EINVAL,
						  "%s.%s: '%s' is not one of debug, info, warn, error",
						  k->section, k->key, value);
		}
		pg_strlcpy(dst, value, k->size);
		return 0;
	}
	int64_t v;
	if (pg_parse_i64(value, k->min, k->max, &v) < 0)
		return pg_err_set(err, PG_EINVAL, "%s.%s: '%s' is not a whole number from %lld to %lld",
				  k->section, k->key, value, (long long)k->min, (long long)k->max);
	memcpy(dst, &v, sizeof(v));
	return 0;
}

static const struct cfg_key *key_find(const char *section, const char *key)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(cfg_keys[i].section, section) == 0 && strcmp(cfg_keys[i].key, key) == 0)
			return &cfg_keys[i];
	return NULL;
}

void pg_config_defaults(struct pg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < N_KEYS; i++)
		key_apply(cfg, &cfg_keys[i], cfg_keys[i].def, NULL);
}

int pg_config_set(struct pg_config *cfg, const char *section, const char *key,
		  const char *value, struct pg_err *err)
{
	const struct cfg_key *k = key_find(section, key);
	if (!k)
		return pg_err_set(err, PG_EINVAL, "unknown setting %s.%s", section, key);
	return key_apply(cfg, k, value, err);
}

struct parse_ctx {
	struct pg_config *cfg;
	struct pg_err *err;
	int failed;
};

/* Debian's libinih passes no line number to handlers: ini_parse_string returns the line
 * of the first error, which is the line of the first failure recorded here. */
static int on_line(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *pc = user;
	if (pc->failed)
		return 0;
	struct pg_err e = {0};
	if (!name) /* a section header alone */
		return 1;
	if (pg_config_set(pc->cfg, section, name, value, &e) < 0) {
		pg_err_set(pc->err, PG_EINVAL, "%s", e.msg);
		pc->failed = 1;
		return 0;
	}
	return 1;
}

/* libinih reads a line in pieces of 200 bytes and takes the rest as a new line, so that
 * a long comment could set a key: longer lines are refused before it sees them. */
#define MAX_LINE 198

int pg_config_parse_string(struct pg_config *cfg, const char *text, struct pg_err *err)
{
	int line = 1;
	size_t len = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			line++;
			len = 0;
		} else if (++len > MAX_LINE) {
			return pg_err_set(err, PG_EINVAL, "line %d: longer than %d characters", line,
					  MAX_LINE);
		}
	}
	struct pg_config tmp = *cfg;
	struct pg_err e = {0};
	struct parse_ctx pc = {&tmp, &e, 0};
	int r = ini_parse_string(text, on_line, &pc);
	if (pc.failed)
		return pg_err_set(err, PG_EINVAL, "line %d: %s", r, e.msg);
	if (r != 0)
		return pg_err_set(err, PG_EINVAL, "line %d: not a 'key = value' line or [section]", r);
	*cfg = tmp;
	return 0;
}

static int config_parse(const char *text, void *cfg, struct pg_err *err)
{
	return pg_config_parse_string(cfg, text, err);
}

int pg_config_load(struct pg_config *cfg, const char *path, struct pg_err *err)
{
	return pg_load_text_file(path, 1 << 20, "config", config_parse, cfg, err);
}
