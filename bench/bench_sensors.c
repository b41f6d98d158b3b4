/* bench_sensors - sensor ingestion figures (never pass or fail), run by bench/sensors.sh.
 *
 *   bench_sensors HTTP_PORT TOKEN MQTT_PORT SENSOR N RATE [TOPICS]
 *   bench_sensors store DIR N     in-process: N messages parsed and committed through
 *                                 sensors_ingest_tx in batches of 128 (no network): the
 *                                 store side's cost per event
 *
 * Opens the daemon's event stream (GET /api/v1/events?topics=TOPICS, default "sensors")
 * with the bearer TOKEN, then publishes N messages {"state":"alarm","value":i} to
 * portguard/sensors/SENSOR/event over MQTT (libmosquitto, QoS 1) at RATE messages/s
 * (0 = as fast as the broker takes them), and reads the stream until every value came
 * back. Prints events/s from the first publish to the last event on the stream, and the
 * latency publish -> stream event (p50, p99, max) per topic. */
#include <arpa/inet.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/core.h"
#include "sensors/sensors.h"
#include "store/store.h"

#define MAX_TOPICS 4

static int64_t *sent_us; /* publish time of value i */
static int64_t *seen_us[MAX_TOPICS];
static int n_msgs;
static char topics[MAX_TOPICS][32];
static int n_topics;
static int seen_count[MAX_TOPICS];
static int64_t last_seen_us;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int topic_index(const char *t)
{
	for (int i = 0; i < n_topics; i++)
		if (strcmp(topics[i], t) == 0)
			return i;
	return -1;
}

/* The value an event is about: data.value (sensors) or data.value inside an alarm's
 * source event, when present. */
static int event_value(json_t *data)
{
	json_t *v = json_object_get(data, "value");
	if (!json_is_number(v)) {
		json_t *src = json_object_get(data, "source_event");
		v = src ? json_object_get(src, "value") : NULL;
	}
	return json_is_number(v) ? (int)json_number_value(v) : -1;
}

static void on_line(const char *line)
{
	if (strncmp(line, "data: ", 6) != 0)
		return;
	int64_t now = pg_mono_us();
	json_t *ev = json_loads(line + 6, 0, NULL);
	if (!ev)
		return;
	int t = topic_index(json_string_value(json_object_get(ev, "topic")));
	int v = event_value(json_object_get(ev, "data"));
	pthread_mutex_lock(&lock);
	if (t >= 0 && v >= 0 && v < n_msgs && !seen_us[t][v]) {
		seen_us[t][v] = now;
		seen_count[t]++;
		last_seen_us = now;
	}
	pthread_mutex_unlock(&lock);
	json_decref(ev);
}

struct sse_args {
	int port;
	const char *token;
	int fd;
};

static void *sse_main(void *arg)
{
	struct sse_args *a = arg;
	char buf[65536], line[65536];
	size_t ll = 0;
	for (;;) {
		ssize_t n = read(a->fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				line[ll] = '\0';
				on_line(line);
				ll = 0;
			} else if (ll + 1 < sizeof(line)) {
				line[ll++] = buf[i];
			}
		}
	}
	return NULL;
}

static int sse_open(int port, const char *token, const char *topic_list)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("bench_sensors: connect to the daemon");
		exit(1);
	}
	char req[1024];
	int len = snprintf(req, sizeof(req),
	                   "GET /api/v1/events?topics=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                   "Accept: text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n",
	                   topic_list, token);
	if (write(fd, req, (size_t)len) != len) {
		perror("bench_sensors: write");
		exit(1);
	}
	return fd;
}

/* portguard_sensor_messages_total{source="mqtt",result="accepted"} from /metrics. */
static long accepted_now(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	static const char req[] = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
	long v = -1;
	if (write(fd, req, sizeof(req) - 1) == (ssize_t)(sizeof(req) - 1)) {
		static char buf[1 << 20];
		size_t len = 0;
		ssize_t n;
		while (len + 1 < sizeof(buf) &&
		       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
			len += (size_t)n;
		buf[len] = '\0';
		const char *key =
		    "portguard_sensor_messages_total{source=\"mqtt\",result=\"accepted\"} ";
		const char *p = strstr(buf, key);
		if (p)
			v = strtol(p + strlen(key), NULL, 10);
	}
	close(fd);
	return v;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* ---- in-process: the store side alone ---------------------------------------------------- */

struct batch {
	struct sensor_in in[128];
	int n;
};

static int seed_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	return store_exec(tx, err,
	                  "INSERT INTO sensors(name, kind, threshold_high, created_ms, created_at, "
	                  "updated_at) VALUES ('bench-tide', 'water_level', 1.5, 0, 'x', 'x')",
	                  "");
}

static int batch_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct batch *b = ctx;
	for (int i = 0; i < b->n; i++) {
		enum sensor_result why;
		int rc = sensors_ingest_tx(tx, &b->in[i], NULL, NULL, &why, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int store_mode(const char *dir, int n)
{
	struct pg_bus *bus = pg_bus_new();
	struct store_opts o = {2, 256, bus};
	struct store *s = NULL;
	struct pg_err err = {0};
	if (store_open(dir, &o, &s, &err) < 0 || store_write(s, seed_fn, NULL, &err) < 0) {
		fprintf(stderr, "bench_sensors: %s\n", err.msg);
		return 1;
	}
	struct batch *b = calloc(1, sizeof(*b));
	int64_t t0 = pg_mono_us(), parse_us = 0;
	for (int done = 0; done < n;) {
		b->n = 0;
		int64_t p0 = pg_mono_us();
		for (; b->n < 128 && done < n; b->n++, done++) {
			char msg[64];
			int len = snprintf(msg, sizeof(msg), "{\"value\":%d.%02d}", done % 3, done % 100);
			struct sensor_in *in = &b->in[b->n];
			memset(in, 0, sizeof(*in));
			in->source = SOURCE_MQTT;
			in->received_ms = pg_now_ms();
			pg_strlcpy(in->ref, "bench-tide", sizeof(in->ref));
			enum sensor_result why;
			if (sensors_msg_parse(msg, (size_t)len, in->received_ms, &in->msg, &why, &err) < 0) {
				fprintf(stderr, "bench_sensors: %s\n", err.msg);
				return 1;
			}
		}
		parse_us += pg_mono_us() - p0;
		if (store_write(s, batch_fn, b, &err) < 0) {
			fprintf(stderr, "bench_sensors: %s\n", err.msg);
			return 1;
		}
	}
	double secs = (double)(pg_mono_us() - t0) / 1e6;
	printf("in-process: %d messages parsed and committed in %.2f s: %.0f events/s "
	       "(%.1f us each, of which parsing %.1f us; batches of 128, one commit each)\n",
	       n, secs, n / secs, secs * 1e6 / n, (double)parse_us / n);
	free(b);
	store_close(s);
	pg_bus_free(bus);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "store") == 0) {
		int64_t n;
		if (pg_parse_i64(argv[3], 1, 10000000, &n) < 0)
			return 2;
		pg_core_init();
		return store_mode(argv[2], (int)n);
	}
	if (argc < 7) {
		fprintf(stderr,
		        "usage: bench_sensors HTTP_PORT TOKEN MQTT_PORT SENSOR N RATE [TOPICS]\n");
		return 2;
	}
	int64_t http_port, mqtt_port, n, rate;
	if (pg_parse_i64(argv[1], 1, 65535, &http_port) < 0 ||
	    pg_parse_i64(argv[3], 1, 65535, &mqtt_port) < 0 ||
	    pg_parse_i64(argv[5], 1, 10000000, &n) < 0 ||
	    pg_parse_i64(argv[6], 0, 10000000, &rate) < 0) {
		fprintf(stderr, "bench_sensors: bad arguments\n");
		return 2;
	}
	const char *topic_list = argc > 7 ? argv[7] : "sensors";
	char tl[128];
	pg_strlcpy(tl, topic_list, sizeof(tl));
	for (char *p = tl, *comma; p && n_topics < MAX_TOPICS; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		pg_strlcpy(topics[n_topics++], p, sizeof(topics[0]));
	}
	n_msgs = (int)n;
	sent_us = calloc((size_t)n, sizeof(int64_t));
	for (int t = 0; t < n_topics; t++)
		seen_us[t] = calloc((size_t)n, sizeof(int64_t));

	struct sse_args sa = {(int)http_port, argv[2],
	                      sse_open((int)http_port, argv[2], topic_list)};
	pthread_t th;
	pthread_create(&th, NULL, sse_main, &sa);
	usleep(200 * 1000); /* the stream's head */

	long base = accepted_now((int)http_port);
	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(NULL, true, NULL);
	mosquitto_max_inflight_messages_set(m, 1000);
	if (mosquitto_connect(m, "127.0.0.1", (int)mqtt_port, 30) != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "bench_sensors: cannot connect to the broker\n");
		return 1;
	}
	mosquitto_loop_start(m);
	char topic[200], payload[96];
	snprintf(topic, sizeof(topic), "portguard/sensors/%s/event", argv[4]);
	int64_t t0 = pg_mono_us();
	for (int i = 0; i < n_msgs; i++) {
		if (rate > 0) {
			int64_t due = t0 + (int64_t)i * 1000000 / rate;
			int64_t now = pg_mono_us();
			if (due > now)
				usleep((useconds_t)(due - now));
		}
		int len =
		    snprintf(payload, sizeof(payload), "{\"state\":\"alarm\",\"value\":%d}", i);
		sent_us[i] = pg_mono_us();
		int rc;
		while ((rc = mosquitto_publish(m, NULL, topic, len, payload, 1, false)) ==
		           MOSQ_ERR_OVERSIZE_PACKET ||
		       rc == MOSQ_ERR_NOMEM)
			usleep(100);
	}
	int64_t t_pub = pg_mono_us();
	/* committed: the accepted counter (counted once the batch committed) reaches base + N */
	int64_t t_commit = 0;
	for (int64_t until = pg_mono_us() + 60 * 1000000LL; pg_mono_us() < until;) {
		long a = accepted_now((int)http_port);
		if (a >= base + n_msgs) {
			t_commit = pg_mono_us();
			break;
		}
		usleep(20000); /* a scrape costs the daemon too */
	}
	/* wait until every value came back on the first topic, or 60 s without progress */
	int last = -1;
	int64_t progress = pg_mono_us();
	for (;;) {
		pthread_mutex_lock(&lock);
		int c = seen_count[0];
		pthread_mutex_unlock(&lock);
		if (c >= n_msgs)
			break;
		if (c != last) {
			last = c;
			progress = pg_mono_us();
		} else if (pg_mono_us() - progress > 20 * 1000000LL) {
			break;
		}
		usleep(2000);
	}
	/* the other topics (alarms) a moment longer */
	usleep(500 * 1000);
	pthread_mutex_lock(&lock);
	double secs = (double)(last_seen_us - t0) / 1e6;
	printf("published %d messages in %.2f s (%.0f/s offered%s)\n", n_msgs,
	       (double)(t_pub - t0) / 1e6, n_msgs / ((double)(t_pub - t0) / 1e6),
	       rate ? "" : ", as fast as possible");
	if (t_commit)
		printf("committed all %d in %.2f s: %.0f events/s publish -> committed\n", n_msgs,
		       (double)(t_commit - t0) / 1e6, n_msgs / ((double)(t_commit - t0) / 1e6));
	else
		printf("not all %d committed within 60 s\n", n_msgs);
	for (int t = 0; t < n_topics; t++) {
		int64_t *lat = calloc((size_t)n_msgs, sizeof(int64_t));
		int k = 0;
		for (int i = 0; i < n_msgs; i++)
			if (seen_us[t][i])
				lat[k++] = seen_us[t][i] - sent_us[i];
		if (t == 0)
			printf("topic %s: %d of %d events on the stream (lost %d), %.0f events/s "
			       "publish -> committed -> stream\n",
			       topics[t], k, n_msgs, n_msgs - k, secs > 0 ? k / secs : 0);
		else
			printf("topic %s: %d events\n", topics[t], k);
		if (k) {
			qsort(lat, (size_t)k, sizeof(int64_t), cmp64);
			printf(
			    "  latency publish -> stream: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
			    lat[k / 2] / 1000.0, lat[(size_t)(k * 0.99)] / 1000.0,
			    lat[k - 1] / 1000.0);
		}
		free(lat);
	}
	pthread_mutex_unlock(&lock);
	mosquitto_loop_stop(m, true);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	shutdown(sa.fd, SHUT_RDWR);
	pthread_join(th, NULL);
	close(sa.fd);
	return 0;
}
