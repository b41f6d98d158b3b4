/* sensors_demo.c - what `portguard demo` adds for sensors: a real mosquitto broker, the
 * demo port's sensors and cameras, and a simulator that publishes heartbeats and now and
 * then an event over MQTT (libmosquitto), as field devices would. */
#include <errno.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sensors_demo.h"

extern char **environ;

/* ---- the broker ------------------------------------------------------------------------ */

struct sensors_broker {
	pid_t pid;
	int port;
};

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int can_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int sensors_broker_start(const char *dir, int port, const char *bin, struct sensors_broker **out,
                         struct pg_err *err)
{
	char sub[600], conf[700], log[700];
	if (!bin || !*bin)
		bin = "/usr/sbin/mosquitto";
	if (access(bin, X_OK) != 0)
		return pg_err_set(err, PG_EIO, "no mosquitto at %s (Debian package mosquitto)",
		                  bin);
	if (port <= 0 && (port = free_port()) <= 0)
		return pg_err_set(err, PG_EIO, "no free port for mosquitto");
	pg_snprintf(sub, sizeof(sub), "%s/mosquitto", dir);
	if (mkdir(sub, 0700) < 0 && errno != EEXIST)
		return pg_err_set(err, PG_EIO, "cannot create %s: %s", sub, strerror(errno));
	pg_snprintf(conf, sizeof(conf), "%s/mosquitto.conf", sub);
	pg_snprintf(log, sizeof(log), "%s/mosquitto.log", sub);
	FILE *f = fopen(conf, "we");
	if (!f)
		return pg_err_set(err, PG_EIO, "cannot write %s: %s", conf, strerror(errno));
	struct passwd *pw = getpwuid(getuid());
	/* in memory only: the demo is throwaway. No queue limit, so that a restart of the
	 * subscriber loses nothing the broker took. */
	fprintf(f,
	        "# written by portguard demo\nlistener %d 127.0.0.1\nallow_anonymous true\n"
	        "persistence false\nmax_queued_messages 0\nmax_inflight_messages 1000\n"
	        "log_dest file %s\nuser %s\n",
	        port, log, pw ? pw->pw_name : "mosquitto");
	fclose(f);
	char *argv[] = {(char *)bin, "-c", conf, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* the daemon blocks SIGTERM and SIGINT for sigwait: the broker must not inherit that */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	int rc = posix_spawn(&pid, bin, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0)
		return pg_err_set(err, PG_EIO, "cannot start %s: %s", bin, strerror(rc));
	for (int i = 0; i < 100; i++) {
		if (can_connect(port)) {
			struct sensors_broker *b = pg_calloc(1, sizeof(*b));
			b->pid = pid;
			b->port = port;
			*out = b;
			return 0;
		}
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return pg_err_set(err, PG_EIO, "mosquitto exited at start (see %s)", log);
		sleep_ms(30);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return pg_err_set(err, PG_EIO, "mosquitto did not listen on port %d (see %s)", port, log);
}

int sensors_broker_port(const struct sensors_broker *b)
{
	return b->port;
}

void sensors_broker_stop(struct sensors_broker *b)
{
	if (!b)
		return;
	kill(b->pid, SIGTERM);
	int st;
	for (int i = 0; i < 100 && waitpid(b->pid, &st, WNOHANG) == 0; i++)
		sleep_ms(20);
	if (waitpid(b->pid, &st, WNOHANG) == 0) {
		kill(b->pid, SIGKILL);
		waitpid(b->pid, &st, 0);
	}
	pg_free(b);
}

/* ---- the demo's sensors and cameras ------------------------------------------------------- */

/* Around the Port of Demo's zones (access_demo.c): name, kind, zone, reader, lat, lon,
 * location, heartbeat, unit, high, low. */
static const struct demo_sensor {
	const char *name, *kind;
	int zone, reader;
	double lat, lon;
	const char *location;
	int heartbeat_s;
	const char *unit;
	double high, low; /* 0 and 0: none */
} demo_sensors[] = {
    {"fence-north-1", "fence_intrusion", 3, 0, 51.9512, 4.0421,
     "container yard, north fence, post 14", 30, NULL, 0, 0},
    {"fence-north-2", "fence_intrusion", 3, 0, 51.9515, 4.0468,
     "container yard, north fence, post 22", 30, NULL, 0, 0},
    {"fence-quay-1", "fence_intrusion", 4, 0, 51.9478, 4.0502, "quay 1, landside fence", 30, NULL,
     0, 0},
    {"pir-dg-1", "pir", 5, 0, 51.9497, 4.0441, "dangerous goods area, east corner", 30, NULL, 0, 0},
    {"door-dg", "door_contact", 5, 6, 51.9499, 4.0436, "DG area door", 30, NULL, 0, 0},
    {"door-terminal", "door_contact", 6, 7, 51.9531, 4.0388, "terminal building entrance", 30, NULL,
     0, 0},
    {"door-control-room", "door_contact", 7, 8, 51.9533, 4.0392, "control room door", 30, NULL, 0,
     0},
    {"panic-gate", "panic_button", 2, 0, 51.9540, 4.0370, "main gate house", 30, NULL, 0, 0},
    {"smoke-terminal", "smoke_heat", 6, 0, 51.9530, 4.0390, "terminal building, first floor", 30,
     NULL, 0, 0},
    {"rad-portal-truck", "radiation_portal", 2, 0, 51.9543, 4.0375, "truck gate lane 1", 30,
     "uSv/h", 0.3, 0},
    {"tide-quay-1", "water_level", 4, 0, 51.9472, 4.0510, "quay 1, tide gauge", 30, "m", 1.5, -1.0},
    {"wind-quay-1", "wind_speed", 4, 0, 51.9474, 4.0530, "quay 1, crane 3 anemometer", 30, "m/s",
     20, 0},
    {"cam-analytics-ferry", "camera_analytics", 9, 0, 51.9561, 4.0315,
     "passenger embarkation, camera 7", 30, NULL, 0, 0},
    /* this one stops sending: it goes offline after 2 x 10 s */
    {"pir-ferry-silent", "pir", 8, 0, 51.9558, 4.0322, "ferry terminal hall (goes silent)", 10,
     NULL, 0, 0},
};
#define N_DEMO_SENSORS (int)(sizeof(demo_sensors) / sizeof(demo_sensors[0]))
#define SILENT_SENSOR  "pir-ferry-silent"

static const struct demo_camera {
	const char *name;
	double lat, lon;
	const char *location, *zones, *stream;
} demo_cameras[] = {
    {"Yard north PTZ", 51.9514, 4.0445, "container yard, north light mast", "[3]",
     "rtsp://cameras.demo/yard-north"},
    {"Quay 1 overview", 51.9476, 4.0515, "quay 1, crane 2", "[4,3]", "rtsp://cameras.demo/quay1"},
    {"DG area fixed", 51.9498, 4.0439, "dangerous goods area gate", "[5]",
     "rtsp://cameras.demo/dg"},
    {"Main gate", 51.9541, 4.0372, "main gate house", "[2,1]", "rtsp://cameras.demo/main-gate"},
    {"Terminal lobby", 51.9532, 4.0389, "terminal building entrance", "[6,7]",
     "rtsp://cameras.demo/terminal"},
    {"Ferry embarkation", 51.9560, 4.0318, "ferry terminal", "[8,9]", "rtsp://cameras.demo/ferry"},
};

static int seed_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	char now[PG_TIME_LEN], hi[40], lo[40], reader[24];
	pg_time_format(pg_now_ms(), now);
	int rc = 0;
	for (int i = 0; i < N_DEMO_SENSORS && rc == 0; i++) {
		const struct demo_sensor *d = &demo_sensors[i];
		int has = d->unit != NULL;
		pg_snprintf(hi, sizeof(hi), "%g", d->high);
		pg_snprintf(lo, sizeof(lo), "%g", d->low);
		pg_snprintf(reader, sizeof(reader), "%d", d->reader);
		rc = store_exec(
		    tx, err,
		    "INSERT INTO sensors(name, kind, zone_id, reader_id, lat, lon, location, "
		    "heartbeat_s, unit, threshold_high, threshold_low, created_ms, created_at, "
		    "updated_at) VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER), ?5, ?6, ?7, ?8, ?9, "
		    "CAST(?10 AS REAL), CAST(?11 AS REAL), ?12, ?13, ?13)",
		    "ttitddtitttit", d->name, d->kind, (int64_t)d->zone, d->reader ? reader : NULL,
		    d->lat, d->lon, d->location, (int64_t)d->heartbeat_s, d->unit,
		    has && d->high != 0 ? hi : NULL, has && d->low != 0 ? lo : NULL, pg_now_ms(),
		    now);
	}
	for (size_t i = 0; i < sizeof(demo_cameras) / sizeof(demo_cameras[0]) && rc == 0; i++) {
		const struct demo_camera *c = &demo_cameras[i];
		rc = store_exec(
		    tx, err,
		    "INSERT INTO cameras(name, lat, lon, location, zones, stream_url, "
		    "snapshot_url, "
		    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?7)",
		    "tddtttt", c->name, c->lat, c->lon, c->location, c->zones, c->stream, now);
	}
	return rc;
}

int sensors_demo_seed(struct store *s, struct pg_err *err)
{
	return store_write(s, seed_tx, NULL, err);
}

/* ---- the simulator ------------------------------------------------------------------------- */

struct sensors_sim {
	struct mosquitto *mosq;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int stopping;
	int heartbeat_ms;
	char prefix[64];
};

static void publish(struct sensors_sim *sim, const char *sensor, const char *what,
                    const char *payload)
{
	char topic[160];
	pg_snprintf(topic, sizeof(topic), "%s/%s/%s", sim->prefix, sensor, what);
	mosquitto_publish(sim->mosq, NULL, topic, (int)strlen(payload), payload, 1, false);
}

static void event(struct sensors_sim *sim, const char *sensor, const char *state, double value,
                  int with_value)
{
	char p[128];
	if (with_value)
		pg_snprintf(p, sizeof(p), "{\"value\":%.2f}", value);
	else
		pg_snprintf(p, sizeof(p), "{\"state\":\"%s\"}", state);
	publish(sim, sensor, "event", p);
}

/* Waits ms or until stopped; 1 if stopped. */
static int sim_wait(struct sensors_sim *sim, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sim->lock);
	while (!sim->stopping && pthread_cond_timedwait(&sim->cv, &sim->lock, &ts) != ETIMEDOUT)
		;
	int stop = sim->stopping;
	pthread_mutex_unlock(&sim->lock);
	return stop;
}

/* One scene every few heartbeats, in turn: each starts and, a tick later, ends. */
static void scene(struct sensors_sim *sim, int n, int phase, uint32_t rnd)
{
	switch (n % 6) {
	case 0: /* the tide rises over the threshold, then falls back */
		event(sim, "tide-quay-1", NULL,
		      phase ? 0.9 + (rnd % 30) / 100.0 : 1.62 + (rnd % 20) / 100.0, 1);
		break;
	case 1: /* someone climbs the north fence */
		event(sim, "fence-north-1", phase ? "normal" : "alarm", 0, 0);
		break;
	case 2: /* the DG area door opens (no badge: the alarms module sees a forced door) */
		event(sim, "door-dg", phase ? "normal" : "alarm", 0, 0);
		break;
	case 3: /* a gust over the crane limit */
		event(sim, "wind-quay-1", NULL,
		      phase ? 8.0 + (rnd % 40) / 10.0 : 21.5 + (rnd % 30) / 10.0, 1);
		break;
	case 4: /* the terminal door, used normally */
		event(sim, "door-terminal", phase ? "normal" : "alarm", 0, 0);
		break;
	default: /* the ferry camera's analytics sees a loiterer; later a tamper on a fence sensor
	          */
		if (phase)
			event(sim, "cam-analytics-ferry", "normal", 0, 0);
		else
			event(sim, (rnd & 1) ? "cam-analytics-ferry" : "fence-north-2",
			      (rnd & 1) ? "alarm" : "tamper", 0, 0);
	}
}

static void *sim_main(void *arg)
{
	struct sensors_sim *sim = arg;
	uint32_t rnd = 2463534242u;
	int tick = 0, scene_n = 0, silent_after = 3;
	while (!sim_wait(sim, sim->heartbeat_ms)) {
		tick++;
		for (int i = 0; i < N_DEMO_SENSORS; i++) {
			const char *name = demo_sensors[i].name;
			if (strcmp(name, SILENT_SENSOR) == 0 && tick > silent_after)
				continue; /* it goes silent: offline after twice its interval */
			publish(sim, name, "heartbeat", "");
		}
		/* measured sensors report a value now and then */
		rnd ^= rnd << 13;
		rnd ^= rnd >> 17;
		rnd ^= rnd << 5;
		if (tick % 3 == 0) {
			event(sim, "tide-quay-1", NULL, 0.4 + (rnd % 60) / 100.0, 1);
			event(sim, "wind-quay-1", NULL, 4.0 + (rnd % 90) / 10.0, 1);
		}
		if (tick % 4 == 2)
			scene(sim, scene_n, 0, rnd);
		else if (tick % 4 == 3)
			scene(sim, scene_n++, 1, rnd);
	}
	return NULL;
}

int sensors_sim_start(const char *host, int port, const char *prefix, int heartbeat_ms,
                      struct sensors_sim **out, struct pg_err *err)
{
	struct sensors_sim *sim = pg_calloc(1, sizeof(*sim));
	sim->heartbeat_ms = heartbeat_ms > 0 ? heartbeat_ms : 5000;
	pg_strlcpy(sim->prefix, prefix && *prefix ? prefix : "portguard/sensors",
	           sizeof(sim->prefix));
	pthread_mutex_init(&sim->lock, NULL);
	pthread_cond_init(&sim->cv, NULL);
	mosquitto_lib_init();
	sim->mosq = mosquitto_new("portguard-demo-simulator", true, NULL);
	if (!sim->mosq || mosquitto_connect(sim->mosq, host, port, 30) != MOSQ_ERR_SUCCESS ||
	    mosquitto_loop_start(sim->mosq) != MOSQ_ERR_SUCCESS) {
		if (sim->mosq)
			mosquitto_destroy(sim->mosq);
		mosquitto_lib_cleanup();
		pg_free(sim);
		return pg_err_set(err, PG_EIO,
		                  "the sensor simulator cannot reach mosquitto at %s:%d", host,
		                  port);
	}
	if (pthread_create(&sim->thread, NULL, sim_main, sim) != 0) {
		mosquitto_loop_stop(sim->mosq, true);
		mosquitto_destroy(sim->mosq);
		mosquitto_lib_cleanup();
		pg_free(sim);
		return pg_err_set(err, PG_EIO, "cannot start the sensor simulator");
	}
	*out = sim;
	return 0;
}

void sensors_sim_stop(struct sensors_sim *sim)
{
	if (!sim)
		return;
	pthread_mutex_lock(&sim->lock);
	sim->stopping = 1;
	pthread_cond_broadcast(&sim->cv);
	pthread_mutex_unlock(&sim->lock);
	pthread_join(sim->thread, NULL);
	mosquitto_disconnect(sim->mosq);
	mosquitto_loop_stop(sim->mosq, false);
	mosquitto_destroy(sim->mosq);
	mosquitto_lib_cleanup();
	pthread_mutex_destroy(&sim->lock);
	pthread_cond_destroy(&sim->cv);
	pg_free(sim);
}
