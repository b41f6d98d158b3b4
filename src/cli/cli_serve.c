/* cli_serve.c - the daemon (serve) and the demo. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../auth/auth.h"
#include "../http/http.h"
#include "../http/http_handler.h"
#include "../inspect/inspect.h"
#include "../inspect/inspect_container.h"
#include "../access/access.h"
#include "../access/access_demo.h"
#include "../ais/ais_live.h"
#include "../ais/ais_sim.h"
#include "../alarms/alarms.h"
#include "../level/level.h"
#include "../sensors/sensors.h"
#include "../sensors/sensors_demo.h"
#include "../training/training.h"
#include "../training/training_drill.h"
#include "cli_int.h"

#define DRAIN_MS 4000
#define TRAINING_REMINDER_S 60 /* the training expiry check */

static int system_event(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	json_t *data = json_pack("{ss}", "action", (const char *)ctx);
	int64_t id = store_event(tx, "system", data, err);
	json_decref(data);
	return id < 0 ? (int)id : 0;
}

/* Runs the daemon on an open store until SIGTERM or SIGINT. */
#define DEMO_PEOPLE 300

static int run_daemon(const char *cmdname, const struct pg_config *cfg, struct store *s,
		      struct pg_bus *bus, const char *banner)
{
	int demo = banner != NULL, rc = 1;
	struct http_deps deps = {
		.store = s,
		.bus = bus,
		.cfg = cfg,
		.policy = {(int)cfg->session_hours, (int)cfg->lockout_failures,
			   (int)cfg->lockout_minutes},
	};
	struct http_server *srv = NULL;
	struct access *acc = NULL;
	struct access_sim *sim = NULL;
	struct inspect *insp = NULL;
	struct training_drill *drills = NULL;
	struct training *trn = NULL;
	struct sensors *sens = NULL;
	struct sensors_sim *ssim = NULL;
	struct alarms *alm = NULL;
	struct ais_live *ais = NULL;
	struct ais_sim *ais_sim = NULL;
	struct ais_source *ais_src = NULL;
	struct pg_config acfg = *cfg; /* the AIS settings, with the demo's changes */
	struct pg_err err = {0};
	const char *what;

	/* the modules, each with the demo's data when it is the demo */
	what = "access control";
	if (access_open(s, &acc, &err) < 0 || (demo && access_demo_seed(acc, DEMO_PEOPLE, &err) < 0))
		goto fail;
	what = "inspections";
	if (inspect_open(cfg->inspect_rules, &insp, &err) < 0 ||
	    (demo && inspect_demo_seed(s, insp, &err) < 0))
		goto fail;
	what = "drills";
	if ((demo && training_drill_demo_seed(s, &err) < 0) ||
	    training_drill_open(s, bus, &drills, &err) < 0)
		goto fail;
	what = "training";
	if (training_open(s, acc, TRAINING_REMINDER_S, &trn, &err) < 0 ||
	    (demo && training_demo_seed(s, &err) < 0))
		goto fail;
	what = "sensors";
	if ((demo && sensors_demo_seed(s, &err) < 0) || sensors_open(s, cfg, &sens, &err) < 0)
		goto fail;
	what = "alarms";
	if (alarms_open(s, bus, cfg->alarms_kinds, &alm, &err) < 0)
		goto fail;
	what = "ais";
	if (demo && !acfg.ais_layout[0] &&
	    ais_sim_layout_path(acfg.ais_layout, sizeof(acfg.ais_layout)) < 0)
		pg_warn("demo: etc/port-layout.geojson not found: the waterside picture has no zones");
	if (demo)
		pg_strlcpy(acfg.ais_watch_mmsi, AIS_SIM_WATCH_MMSI, sizeof(acfg.ais_watch_mmsi));
	if (ais_live_open(s, &acfg, &ais, &err) < 0)
		goto fail;
	if (demo) {
		struct ais_rules rules;
		ais_sim_rules(&rules);
		ais_live_set_rules(ais, &rules);
		ais_src = ais_live_source(ais, "sim");
	}

	what = "http";
	http_routes_reset();
	if (http_routes_register(http_core_routes, http_n_core_routes, NULL) < 0 ||
	    level_register_routes() < 0 || access_register_routes(acc) < 0 ||
	    inspect_container_register_routes() < 0 || inspect_register_routes(insp) < 0 ||
	    training_drill_register_routes(drills) < 0 || training_register_routes(trn) < 0 ||
	    sensors_register_routes(sens) < 0 || alarms_register_routes(alm) < 0 ||
	    ais_live_register_routes(ais) < 0) {
		pg_err_set(&err, PG_ELIMIT, "too many HTTP routes");
		goto fail;
	}
	if (http_start(&deps, &srv, &err) < 0 || ais_live_start(ais, &err) < 0)
		goto fail;
	store_write(s, system_event, "daemon.start", NULL);
	if (demo && access_sim_start(acc, DEMO_PEOPLE, 1500, &sim) < 0)
		pg_warn("demo: the badge simulator did not start");
	if (demo && ais_sim_start(ais, ais_src, &ais_sim, &err) < 0)
		pg_warn("demo: the AIS simulator did not start: %s", err.msg);
	if (demo && cfg->mqtt_enabled &&
	    sensors_sim_start(cfg->mqtt_host, (int)cfg->mqtt_port, cfg->mqtt_topic_prefix, 5000,
			      &ssim, &err) < 0)
		pg_warn("demo: %s", err.msg);
	char host[128];
	const char *colon = strrchr(cfg->listen, ':');
	pg_snprintf(host, sizeof(host), "%.*s", (int)(colon - cfg->listen), cfg->listen);
	if (!host[0] || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "*") == 0)
		pg_strlcpy(host, "127.0.0.1", sizeof(host));
	pg_info("listening on http://%s:%d (data %s)", host, http_port(srv), cfg->data);
	if (banner) {
		printf("\nportguard demo is running: http://%s:%d/\n%s\nStop it with Ctrl-C.\n\n",
		       host, http_port(srv), banner);
		fflush(stdout);
	}

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	int sig = 0;
	sigwait(&set, &sig);
	pg_info("%s received: draining requests", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	access_sim_stop(sim);
	ais_sim_stop(ais_sim);
	sensors_sim_stop(ssim);
	/* no more MQTT messages taken; those taken are committed */
	sensors_stop_ingest(sens);
	/* recorded first, so that open event streams carry it before they end */
	store_write(s, system_event, "daemon.stop", NULL);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "portguard %s: %s: %s\n", cmdname, what, err.msg);
out:
	http_stop(srv, rc == 0 ? DRAIN_MS : 0);
	ais_live_close(ais);
	alarms_close(alm);
	sensors_close(sens);
	training_close(trn);
	training_drill_close(drills);
	inspect_close(insp);
	access_close(acc);
	return rc;
}

/* Signals are taken by sigwait in the main thread: block them before any thread starts. */
static void signals_setup(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int apply_flags(const struct cli_command *cmd, const struct cli_args *args,
		       struct pg_config *cfg)
{
	static const struct {
		const char *flag, *section, *key;
	} map[] = {
		{"--listen", "server", "listen"},
		{"--threads", "server", "threads"},
		{"--log-level", "log", "level"},
		{"--ais-input", "ais", "inputs"},
		{"--ais-layout", "ais", "layout"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *v = cli_flag(cmd, args, map[i].flag);
		struct pg_err err = {0};
		if (v && pg_config_set(cfg, map[i].section, map[i].key, v, &err) < 0) {
			fprintf(stderr, "portguard %s: %s: %s\n", cmd->name, map[i].flag, err.msg);
			return 1;
		}
	}
	enum pg_log_level lvl = PG_LOG_INFO;
	pg_log_level_parse(cfg->log_level, &lvl);
	pg_log_set_level(lvl);
	return 0;
}

int cmd_serve(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	if (cli_load_config(cmd, args, &cfg) || apply_flags(cmd, args, &cfg))
		return 1;
	char path[600];
	pg_snprintf(path, sizeof(path), "%s/portguard.db", cfg.data);
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "portguard %s: no store at %s: run 'portguard init --data %s' first\n",
			cmd->name, path, cfg.data);
		return 1;
	}
	signals_setup();
	struct pg_bus *bus = pg_bus_new();
	struct store *s = NULL;
	int rc = cli_open_store(cmd->name, &cfg, bus, &s);
	if (rc == 0)
		rc = run_daemon(cmd->name, &cfg, s, bus, NULL);
	store_close(s);
	pg_bus_free(bus);
	if (rc == 0)
		pg_info("stopped cleanly");
	return rc;
}

/* The demo's data directory is throwaway: it is emptied first, but only if it holds
 * nothing but an earlier demo's files. */
static int demo_reset(const char *dir)
{
	static const char *const files[] = {".portguard-demo", "portguard.db", "portguard.db-wal",
					    "portguard.db-shm"};
	char path[600];
	struct stat st;
	if (stat(dir, &st) == 0) {
		pg_snprintf(path, sizeof(path), "%s/.portguard-demo", dir);
		DIR *d = opendir(dir);
		int others = 0;
		for (struct dirent *e; d && (e = readdir(d));)
			others += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
		if (d)
			closedir(d);
		if (others && access(path, F_OK) != 0) {
			fprintf(stderr, "portguard demo: %s is not empty and not a demo directory: "
					"choose another --data\n", dir);
			return 1;
		}
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			pg_snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			if (unlink(path) < 0 && errno != ENOENT) {
				fprintf(stderr, "portguard demo: cannot remove %s: %s\n", path,
					strerror(errno));
				return 1;
			}
		}
	} else {
		char parent[600];
		pg_strlcpy(parent, dir, sizeof(parent));
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			mkdir(parent, 0755);
		}
		if (mkdir(dir, 0700) < 0) {
			fprintf(stderr, "portguard demo: cannot create %s: %s\n", dir, strerror(errno));
			return 1;
		}
	}
	pg_snprintf(path, sizeof(path), "%s/.portguard-demo", dir);
	FILE *f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "portguard demo: cannot write %s\n", path);
		return 1;
	}
	fputs("a throwaway portguard demo store: 'portguard demo' empties this directory\n", f);
	fclose(f);
	return 0;
}

/* One user per role, all with the same printed demo password. */
static int demo_users(struct store *s, const char *pw, struct pg_buf *banner)
{
	static const char *const users[][2] = {
		{"pfso", "pfso"},         {"operator", "operator"}, {"gate", "gate"},
		{"inspector", "inspector"}, {"trainer", "trainer"}, {"auditor", "auditor"},
		{"authority", "authority"},
	};
	struct pg_err err = {0};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		if (auth_user_add(s, "demo", users[i][0], users[i][1], pw, NULL, &err) < 0) {
			fprintf(stderr, "portguard demo: %s\n", err.msg);
			return 1;
		}
	}
	pg_buf_printf(banner, "  other roles:  pfso, operator, gate, inspector, trainer, auditor, "
			      "authority  password %s\n", pw);
	return 0;
}

int cmd_demo(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	pg_config_defaults(&cfg);
	const char *dir = cli_flag(cmd, args, "--data");
	if (!dir)
		dir = "./var/demo";
	struct pg_err err = {0};
	if (pg_config_set(&cfg, "store", "data", dir, &err) < 0 || apply_flags(cmd, args, &cfg)) {
		if (err.msg[0])
			fprintf(stderr, "portguard demo: %s\n", err.msg);
		return 1;
	}
	if (demo_reset(cfg.data))
		return 1;
	signals_setup();
	struct pg_bus *bus = pg_bus_new();
	struct store *s = NULL;
	char admin_pw[64], demo_pw[64];
	struct pg_buf banner;
	pg_buf_init(&banner, 4096);
	int rc = cli_open_store(cmd->name, &cfg, bus, &s);
	if (rc == 0)
		rc = cli_init_store(cmd->name, s, NULL, admin_pw, sizeof(admin_pw));
	if (rc == 0) {
		pg_buf_printf(&banner, "  admin login:  admin  password %s\n", admin_pw);
		pg_random_hex(demo_pw, 8);
		rc = demo_users(s, demo_pw, &banner);
	}
	/* a real mosquitto for the sensors, and portguard subscribed to it */
	struct sensors_broker *broker = NULL;
	const char *mqtt_port = cli_flag(cmd, args, "--mqtt-port");
	int64_t mport = 0;
	if (rc == 0 && mqtt_port && pg_parse_i64(mqtt_port, 1, 65535, &mport) < 0) {
		fprintf(stderr, "portguard demo: --mqtt-port: '%s' is not a port\n", mqtt_port);
		rc = 1;
	}
	if (rc == 0) {
		if (sensors_broker_start(cfg.data, (int)mport, NULL, &broker, &err) < 0) {
			fprintf(stderr, "portguard demo: %s: the demo runs without sensors over MQTT\n",
				err.msg);
		} else {
			char port[16];
			pg_snprintf(port, sizeof(port), "%d", sensors_broker_port(broker));
			pg_config_set(&cfg, "mqtt", "enabled", "1", NULL);
			pg_config_set(&cfg, "mqtt", "port", port, NULL);
			pg_config_set(&cfg, "mqtt", "client_id", "portguard-demo", NULL);
			pg_buf_printf(&banner, "  sensors:      mosquitto on 127.0.0.1:%s; publish "
					       "{\"state\":\"alarm\"} to portguard/sensors/NAME/event\n",
				      port);
		}
	}
	if (rc == 0)
		rc = run_daemon(cmd->name, &cfg, s, bus, banner.p);
	sensors_broker_stop(broker);
	pg_buf_release(&banner);
	store_close(s);
	pg_bus_free(bus);
	return rc;
}
