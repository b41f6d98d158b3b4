/* sensors_mqtt.c - the MQTT subscriber: libmosquitto, QoS 1, a persistent session
 * (clean_session false, a stable client id), reconnecting with back-off.
 *
 * Each message is parsed on the client thread and queued; one store job at a time takes
 * everything queued and applies it in the next group commit, so the commit window is
 * the time of one batch (milliseconds). libmosquitto acknowledges a QoS 1 message when
 * it is received, so a kill -9 can lose the messages of that window: at most
 * MQTT_MAX_PENDING, in practice those of the last few milliseconds. When the queue is
 * full the client thread waits, which stops reading from the broker (back-pressure: the
 * broker keeps the rest). A graceful stop disconnects first and then waits until every
 * message taken is committed, so it loses nothing. */
#include <errno.h>
#include <mosquitto.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <string.h>
#include <time.h>

#include "sensors_int.h"

#define MQTT_MAX_PENDING    128
#define MQTT_BACKOFF_MIN_MS 250
#define DISCONNECT_GRACE_MS 150
#define READ_BURST          1024
#define MQTT_BACKOFF_MAX_MS 30000

struct pending {
	struct pending *next;
	struct sensor_in in;
	enum sensor_result why;
};

struct sensors_mqtt {
	struct sensors *m;
	struct mosquitto *mosq;
	char host[128];
	int port, keepalive;
	char sub_event[96], sub_heartbeat[96];
	size_t prefix_len;
	pthread_t thread;
	int running;

	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct pending *head, *tail;
	size_t queued;   /* waiting for a store job */
	size_t inflight; /* taken by a store job, not yet committed */
	int job_queued;
	int stopping;

	int connected;
	int disconnecting; /* our DISCONNECT is sent: what still arrives is not acked */
	uint64_t connects, received;
};

/* ---- the store side ---------------------------------------------------------------------- */

struct drain {
	struct sensors_mqtt *q;
	struct pending *taken;
	size_t n;
};

static int drain_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct drain *d = vctx;
	struct sensors_mqtt *q = d->q;
	pthread_mutex_lock(&q->lock);
	d->taken = q->head;
	d->n = q->queued;
	q->head = q->tail = NULL;
	q->inflight += q->queued;
	q->queued = 0;
	q->job_queued = 0;
	pthread_mutex_unlock(&q->lock);
	for (struct pending *p = d->taken; p; p = p->next) {
		struct pg_err e = {0};
		int rc = sensors_ingest_tx(tx, &p->in, NULL, NULL, &p->why, &e);
		if (rc < 0 && p->why == SR_STORE_ERROR) {
			*err = e;
			return rc; /* the whole batch is undone */
		}
		if (rc < 0)
			sensors_count(q->m, SOURCE_MQTT, p->why, p->in.ref, e.msg);
	}
	return 0;
}

static void drain_done(void *arg, int rc, const struct pg_err *err)
{
	struct drain *d = arg;
	struct sensors_mqtt *q = d->q;
	if (rc < 0)
		pg_error("sensors: %zu MQTT messages not committed: %s", d->n,
		         err ? err->msg : "store failed");
	for (struct pending *p = d->taken, *next; p; p = next) {
		next = p->next;
		if (rc < 0)
			sensors_count(q->m, SOURCE_MQTT, SR_STORE_ERROR, p->in.ref, NULL);
		else if (p->why == SR_ACCEPTED || p->why == SR_HEARTBEAT)
			sensors_count(q->m, SOURCE_MQTT, p->why, p->in.ref, NULL);
		pg_free(p);
	}
	pthread_mutex_lock(&q->lock);
	q->inflight -= d->n;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->lock);
	pg_free(d);
}

/* Queues a parsed message; waits while the queue is full (unless stopping). */
static void enqueue(struct sensors_mqtt *q, struct pending *p)
{
	pthread_mutex_lock(&q->lock);
	while (!q->stopping && q->queued + q->inflight >= MQTT_MAX_PENDING)
		pthread_cond_wait(&q->cv, &q->lock);
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->queued++;
	if (!q->job_queued) {
		struct drain *d = pg_calloc(1, sizeof(*d));
		d->q = q;
		if (store_write_async(q->m->store, drain_fn, d, drain_done, d) == 0) {
			q->job_queued = 1;
		} else {
			pg_free(d);
			pg_error("sensors: the store is closed: MQTT messages are not committed");
		}
	}
	pthread_mutex_unlock(&q->lock);
}

/* ---- the client thread ------------------------------------------------------------------------
 */

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct sensors_mqtt *q = obj;
	if (rc != 0) {
		pg_warn("sensors: MQTT broker %s:%d refused the connection: %s", q->host, q->port,
		        mosquitto_connack_string(rc));
		return;
	}
	__atomic_store_n(&q->connected, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&q->connects, 1, __ATOMIC_RELAXED);
	char *subs[2] = {q->sub_event, q->sub_heartbeat};
	int src = mosquitto_subscribe_multiple(mosq, NULL, 2, subs, 1, 0, NULL);
	if (src != MOSQ_ERR_SUCCESS)
		pg_warn("sensors: MQTT subscribe failed: %s", mosquitto_strerror(src));
	else
		pg_info("sensors: MQTT connected to %s:%d, subscribed to %s and %s (QoS 1)",
		        q->host, q->port, q->sub_event, q->sub_heartbeat);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	(void)mosq;
	struct sensors_mqtt *q = obj;
	__atomic_store_n(&q->connected, 0, __ATOMIC_RELAXED);
	if (rc != 0 && !q->stopping)
		pg_warn("sensors: MQTT connection to %s:%d lost", q->host, q->port);
}

/* PREFIX/REF/event or PREFIX/REF/heartbeat: 1 and ref, heartbeat; 0 for another topic. */
static int topic_split(struct sensors_mqtt *q, const char *topic, char *ref, size_t n,
                       int *heartbeat)
{
	if (strncmp(topic, q->sub_event, q->prefix_len) != 0)
		return 0;
	const char *r = topic + q->prefix_len;
	const char *slash = strchr(r, '/');
	if (!slash || slash == r)
		return 0;
	if (strcmp(slash, "/event") == 0)
		*heartbeat = 0;
	else if (strcmp(slash, "/heartbeat") == 0)
		*heartbeat = 1;
	else
		return 0;
	if ((size_t)(slash - r) >= n)
		return -1;
	memcpy(ref, r, (size_t)(slash - r));
	ref[slash - r] = '\0';
	return 1;
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
	(void)mosq;
	struct sensors_mqtt *q = obj;
	/* after our DISCONNECT the broker takes no PUBACK: it sends this again next session */
	if (q->disconnecting)
		return;
	__atomic_add_fetch(&q->received, 1, __ATOMIC_RELAXED);
	struct pending *p = pg_calloc(1, sizeof(*p));
	p->in.source = SOURCE_MQTT;
	p->in.received_ms = pg_now_ms();
	struct pg_err err = {0};
	enum sensor_result why = SR_MALFORMED;
	int heartbeat = 0;
	int t = topic_split(q, msg->topic, p->in.ref, sizeof(p->in.ref), &heartbeat);
	int rc;
	if (t <= 0) {
		why = t < 0 ? SR_UNKNOWN_SENSOR : SR_MALFORMED;
		rc = pg_err_set(&err, PG_EINVAL, "topic '%.100s' is not %s or %s", msg->topic,
		                q->sub_event, q->sub_heartbeat);
		pg_strlcpy(p->in.ref, "?", sizeof(p->in.ref));
	} else {
		p->in.heartbeat = heartbeat;
		const char *data = msg->payload ? msg->payload : "";
		size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
		rc = heartbeat
		         ? sensors_heartbeat_parse(data, len, p->in.received_ms, &p->in.msg.at_ms,
		                                   &why, &err)
		         : sensors_msg_parse(data, len, p->in.received_ms, &p->in.msg, &why, &err);
	}
	if (rc < 0) {
		sensors_count(q->m, SOURCE_MQTT, why, p->in.ref, err.msg);
		pg_free(p);
		return;
	}
	enqueue(q, p);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* One turn of the network loop. mosquitto_loop() reads one packet per call (and a
 * select() each time); this reads every packet the socket holds (at most a burst) per
 * poll, which is what lets one connection take tens of thousands of messages a second. */
static int loop_once(struct sensors_mqtt *q)
{
	int fd = mosquitto_socket(q->mosq);
	if (fd < 0)
		return MOSQ_ERR_NO_CONN;
	struct pollfd p = {.fd = fd,
	                   .events = POLLIN | (mosquitto_want_write(q->mosq) ? POLLOUT : 0)};
	int n = poll(&p, 1, 100);
	if (n < 0 && errno != EINTR)
		return MOSQ_ERR_ERRNO;
	int rc = MOSQ_ERR_SUCCESS;
	if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
		for (int i = 0; i < READ_BURST && rc == MOSQ_ERR_SUCCESS; i++) {
			rc = mosquitto_loop_read(q->mosq, 1);
			int avail = 0;
			if (rc != MOSQ_ERR_SUCCESS || q->disconnecting ||
			    ioctl(fd, FIONREAD, &avail) < 0 || avail <= 0)
				break;
		}
	}
	if (rc == MOSQ_ERR_SUCCESS && mosquitto_want_write(q->mosq))
		rc = mosquitto_loop_write(q->mosq, 1);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_loop_misc(q->mosq);
	return rc;
}

static void *client_main(void *arg)
{
	struct sensors_mqtt *q = arg;
	int backoff = MQTT_BACKOFF_MIN_MS, have_socket = 0, first = 1;
	while (!__atomic_load_n(&q->stopping, __ATOMIC_SEQ_CST)) {
		if (!have_socket) {
			/* non-blocking: an unreachable broker must not hold up a stop */
			int rc = first ? mosquitto_connect_async(q->mosq, q->host, q->port, q->keepalive)
			               : mosquitto_reconnect_async(q->mosq);
			if (rc == MOSQ_ERR_SUCCESS) {
				first = 0;
				have_socket = 1;
				backoff = MQTT_BACKOFF_MIN_MS;
				continue;
			}
			pg_debug("sensors: MQTT connect to %s:%d: %s (retry in %d ms)", q->host,
			         q->port, mosquitto_strerror(rc), backoff);
			/* sleep in small steps so that a stop is quick */
			for (int slept = 0;
			     slept < backoff && !__atomic_load_n(&q->stopping, __ATOMIC_SEQ_CST);
			     slept += 50)
				sleep_ms(50);
			backoff =
			    backoff * 2 > MQTT_BACKOFF_MAX_MS ? MQTT_BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		if (loop_once(q) != MOSQ_ERR_SUCCESS) {
			have_socket = 0;
			__atomic_store_n(&q->connected, 0, __ATOMIC_RELAXED);
		}
	}
	if (have_socket) {
		/* the acknowledgements of every message taken go out before DISCONNECT (else the
		 * broker sends those messages again next session); nothing more is read */
		q->disconnecting = 1;
		for (int i = 0; i < 100 && mosquitto_want_write(q->mosq); i++)
			if (mosquitto_loop_write(q->mosq, 1) != MOSQ_ERR_SUCCESS)
				break;
		/* libmosquitto closes the socket right after DISCONNECT; messages the broker sent
		 * meanwhile are unread then, so the close is a TCP reset, which can make the broker
		 * drop our last acknowledgements unread (it would send those messages again: QoS 1
		 * duplicates, not losses). A moment for the broker to read them first. */
		sleep_ms(DISCONNECT_GRACE_MS);
		mosquitto_disconnect(q->mosq);
		for (int i = 0; i < 100 && mosquitto_want_write(q->mosq); i++)
			if (mosquitto_loop_write(q->mosq, 1) != MOSQ_ERR_SUCCESS)
				break;
	}
	return NULL;
}

int sensors_mqtt_start(struct sensors *m, const struct pg_config *cfg, struct pg_err *err)
{
	struct sensors_mqtt *q = pg_calloc(1, sizeof(*q));
	int rc = 0;
	q->m = m;
	pg_strlcpy(q->host, cfg->mqtt_host, sizeof(q->host));
	q->port = (int)cfg->mqtt_port;
	q->keepalive = (int)cfg->mqtt_keepalive;
	pg_snprintf(q->sub_event, sizeof(q->sub_event), "%s/+/event", cfg->mqtt_topic_prefix);
	pg_snprintf(q->sub_heartbeat, sizeof(q->sub_heartbeat), "%s/+/heartbeat",
	            cfg->mqtt_topic_prefix);
	q->prefix_len = strlen(cfg->mqtt_topic_prefix) + 1;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cv, NULL);
	m->mqtt = q;
	mosquitto_lib_init();
	q->mosq = mosquitto_new(cfg->mqtt_client_id, false, q);
	if (!q->mosq) {
		rc = pg_err_set(err, PG_EINVAL, "mqtt: cannot create a client '%s'",
		                cfg->mqtt_client_id);
		goto out;
	}
	mosquitto_connect_callback_set(q->mosq, on_connect);
	mosquitto_disconnect_callback_set(q->mosq, on_disconnect);
	mosquitto_message_callback_set(q->mosq, on_message);
	mosquitto_max_inflight_messages_set(q->mosq, 1000);
	if (cfg->mqtt_username[0]) {
		char pw[257] = "";
		char *text = NULL;
		if (cfg->mqtt_password_file[0]) {
			if ((rc = pg_read_text_file(cfg->mqtt_password_file, 4096,
			                            "mqtt password file", &text, err)) < 0)
				goto out;
			size_t l = strcspn(text, "\r\n");
			text[l] = '\0';
			pg_strlcpy(pw, text, sizeof(pw));
			pg_free(text);
		}
		if (mosquitto_username_pw_set(q->mosq, cfg->mqtt_username, pw[0] ? pw : NULL) !=
		    MOSQ_ERR_SUCCESS) {
			rc = pg_err_set(err, PG_EINVAL, "mqtt: username or password not accepted");
			goto out;
		}
	}
	if (pthread_create(&q->thread, NULL, client_main, q) != 0) {
		rc = pg_err_set(err, PG_EIO, "mqtt: cannot start the client thread");
		goto out;
	}
	q->running = 1;
out:
	return rc; /* on failure sensors_close -> sensors_mqtt_stop frees q */
}

void sensors_mqtt_stop(struct sensors *m)
{
	struct sensors_mqtt *q = m ? m->mqtt : NULL;
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	__atomic_store_n(&q->stopping, 1, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&q->cv); /* a full queue takes the message in hand anyway */
	pthread_mutex_unlock(&q->lock);
	if (q->running)
		pthread_join(q->thread, NULL);
	/* every message taken is committed before we go */
	pthread_mutex_lock(&q->lock);
	while (q->queued || q->inflight || q->job_queued)
		pthread_cond_wait(&q->cv, &q->lock);
	pthread_mutex_unlock(&q->lock);
	q->running = 0;
}

void sensors_mqtt_free(struct sensors *m)
{
	struct sensors_mqtt *q = m ? m->mqtt : NULL;
	if (!q)
		return;
	sensors_mqtt_stop(m);
	if (q->mosq)
		mosquitto_destroy(q->mosq);
	mosquitto_lib_cleanup();
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cv);
	pg_free(q);
	m->mqtt = NULL;
}

void sensors_mqtt_metrics(struct sensors *m, struct pg_buf *out)
{
	struct sensors_mqtt *q = m->mqtt;
	pg_buf_printf(out,
	              "# HELP portguard_mqtt_connected 1 while connected to the MQTT broker.\n"
	              "# TYPE portguard_mqtt_connected gauge\nportguard_mqtt_connected %d\n",
	              q ? __atomic_load_n(&q->connected, __ATOMIC_RELAXED) : 0);
	if (!q)
		return;
	pg_buf_printf(
	    out,
	    "# HELP portguard_mqtt_connects_total Connections made to the MQTT broker.\n"
	    "# TYPE portguard_mqtt_connects_total counter\nportguard_mqtt_connects_total %llu\n",
	    (unsigned long long)__atomic_load_n(&q->connects, __ATOMIC_RELAXED));
	pthread_mutex_lock(&q->lock);
	size_t pend = q->queued + q->inflight;
	pthread_mutex_unlock(&q->lock);
	pg_buf_printf(
	    out,
	    "# HELP portguard_mqtt_pending Sensor messages received and not yet committed.\n"
	    "# TYPE portguard_mqtt_pending gauge\nportguard_mqtt_pending %zu\n",
	    pend);
}
