/* http_sse.c - Server-Sent Events from the bus, resumable from the store.
 *
 * A stream first replays stored events after Last-Event-ID, then follows the bus. When
 * it has nothing to send, its content reader suspends the connection; a published event
 * (or the keep-alive ticker, or shutdown) resumes it. Lock order: bus, sub, client. */
#include <stdio.h>
#include <string.h>

#include "http_int.h"

#define KEEPALIVE_MS 15000
#define REPLAY_BATCH 200

struct sse_client {
	struct http_server *srv;
	struct MHD_Connection *conn;
	pthread_mutex_t lock;
	struct pg_bus_sub *sub;
	int64_t last_id;
	int replaying;
	int suspended;
	int closing;
	int keepalive_due;
	struct pg_buf out;
	size_t out_off;
	struct sse_client *next;
};

static void sse_resume_locked(struct sse_client *c)
{
	if (c->suspended) {
		c->suspended = 0;
		MHD_resume_connection(c->conn);
	}
}

static void on_published(void *ctx)
{
	struct sse_client *c = ctx;
	pthread_mutex_lock(&c->lock);
	sse_resume_locked(c);
	pthread_mutex_unlock(&c->lock);
}

static void append_event(struct sse_client *c, int64_t id, const char *topic, const char *json)
{
	pg_buf_printf(&c->out, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)id, topic, json);
	c->last_id = id;
}

static void replay_some(struct sse_client *c)
{
	json_t *events = NULL;
	struct pg_err err = {0};
	if (store_events_after(c->srv->deps.store, c->last_id, c->sub, REPLAY_BATCH, &events, &err) < 0) {
		pg_warn("events: replay failed: %s", err.msg);
		c->closing = 1;
		return;
	}
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		char *text = json_dumps(ev, JSON_COMPACT | JSON_REAL_PRECISION(15));
		append_event(c, json_integer_value(json_object_get(ev, "id")),
			     json_string_value(json_object_get(ev, "topic")), text);
		free(text);
	}
	if (json_array_size(events) < REPLAY_BATCH)
		c->replaying = 0;
	json_decref(events);
}

static void follow_bus(struct sse_client *c)
{
	for (int n = 0; n < 64; n++) {
		int64_t id;
		char *json = NULL;
		int rc = pg_bus_next(c->sub, &id, &json);
		if (rc == 0)
			return;
		if (rc == PG_ELIMIT) { /* we fell behind: catch up from the store */
			c->replaying = 1;
			return;
		}
		if (id > c->last_id) {
			json_t *ev = json_loads(json, 0, NULL);
			const char *topic = json_string_value(json_object_get(ev, "topic"));
			append_event(c, id, topic ? topic : "unknown", json);
			json_decref(ev);
		}
		pg_free(json);
	}
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct sse_client *c = cls;
	pthread_mutex_lock(&c->lock);
	if (c->out_off >= c->out.len) {
		pg_buf_reset(&c->out);
		c->out_off = 0;
		if (c->replaying)
			replay_some(c);
		if (!c->replaying)
			follow_bus(c);
		if (c->out.len == 0 && c->keepalive_due)
			pg_buf_puts(&c->out, ": keepalive\n\n");
		c->keepalive_due = 0;
	}
	size_t avail = c->out.len - c->out_off;
	if (avail == 0 && c->closing) { /* everything published before the stop was sent */
		pthread_mutex_unlock(&c->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (avail == 0) {
		c->suspended = 1;
		MHD_suspend_connection(c->conn);
		pthread_mutex_unlock(&c->lock);
		return 0;
	}
	size_t n = avail < max ? avail : max;
	memcpy(buf, c->out.p + c->out_off, n);
	c->out_off += n;
	pthread_mutex_unlock(&c->lock);
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct sse_client *c = cls;
	struct http_server *srv = c->srv;
	pg_bus_unsubscribe(c->sub); /* after this, no more on_published for c */
	pthread_mutex_lock(&srv->sse_lock);
	for (struct sse_client **pp = &srv->sse_clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	pthread_cond_broadcast(&srv->sse_cv);
	pthread_mutex_unlock(&srv->sse_lock);
	pg_buf_release(&c->out);
	pthread_mutex_destroy(&c->lock);
	pg_free(c);
}

void api_events(struct http_req *req)
{
	struct http_server *srv = req->srv;
	const char *topics = http_query(req, "topics");
	const char *last = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Last-Event-ID");
	if (!last)
		last = http_query(req, "last_event_id");
	int64_t last_id = 0;
	if (last && pg_parse_i64(last, 0, INT64_MAX, &last_id) < 0) {
		http_problem(req, 400, "bad-field", "last_event_id",
			     "Last-Event-ID must be the id of an event received before");
		return;
	}
	struct sse_client *c = pg_calloc(1, sizeof(*c));
	c->srv = srv;
	c->conn = req->conn;
	pthread_mutex_init(&c->lock, NULL);
	pg_buf_init(&c->out, 4 << 20);
	/* subscribe before replaying so nothing falls between the store and the bus */
	c->sub = pg_bus_subscribe(srv->deps.bus, topics, on_published, c);
	if (!c->sub) {
		pthread_mutex_destroy(&c->lock);
		pg_free(c);
		http_problem(req, 400, "bad-field", "topics",
			     "topics must be a comma-separated list of names of a-z, 0-9, '_', '-'");
		return;
	}
	/* without Last-Event-ID a stream starts now (or with the `recent` latest stored
	 * events); with it, the stored events after it come first */
	c->last_id = last_id;
	c->replaying = last != NULL;
	const char *recent = http_query(req, "recent");
	int64_t n = 0;
	if (!last && recent) {
		struct pg_err err = {0};
		int rc = pg_parse_i64(recent, 1, 500, &n) < 0 ? PG_EINVAL : 0;
		if (rc == 0 && store_events_recent(srv->deps.store, c->sub, (int)n, &c->last_id, &err) < 0) {
			pg_warn("events: %s", err.msg);
			rc = PG_EIO;
		}
		if (rc < 0) {
			pg_bus_unsubscribe(c->sub);
			pthread_mutex_destroy(&c->lock);
			pg_free(c);
			if (rc == PG_EINVAL)
				http_problem(req, 400, "bad-field", "recent",
					     "recent must be a whole number from 1 to 500");
			else
				http_problem(req, 500, "internal", NULL, "cannot read stored events");
			return;
		}
		c->replaying = 1;
	}
	pg_buf_puts(&c->out, ": portguard events\nretry: 2000\n\n");
	req->resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, sse_read, c,
						      sse_free);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(req->resp, "X-Accel-Buffering", "no");
	http_common_headers(req->resp, 1);
	req->status = 200;
	pthread_mutex_lock(&srv->sse_lock);
	c->next = srv->sse_clients;
	srv->sse_clients = c;
	pthread_mutex_unlock(&srv->sse_lock);
}

static void *ticker_main(void *arg)
{
	struct http_server *srv = arg;
	pthread_mutex_lock(&srv->sse_lock);
	while (!__atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += KEEPALIVE_MS / 1000;
		pthread_cond_timedwait(&srv->sse_cv, &srv->sse_lock, &ts);
		if (__atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST))
			break;
		for (struct sse_client *c = srv->sse_clients; c; c = c->next) {
			pthread_mutex_lock(&c->lock);
			c->keepalive_due = 1;
			sse_resume_locked(c);
			pthread_mutex_unlock(&c->lock);
		}
	}
	pthread_mutex_unlock(&srv->sse_lock);
	return NULL;
}

int http_sse_start(struct http_server *srv)
{
	if (pthread_create(&srv->ticker, NULL, ticker_main, srv) != 0)
		return PG_EIO;
	srv->ticker_started = 1;
	return 0;
}

void http_sse_stop(struct http_server *srv, int wait_ms)
{
	pthread_mutex_lock(&srv->sse_lock);
	pthread_cond_broadcast(&srv->sse_cv);
	for (struct sse_client *c = srv->sse_clients; c; c = c->next) {
		pthread_mutex_lock(&c->lock);
		c->closing = 1;
		sse_resume_locked(c);
		pthread_mutex_unlock(&c->lock);
	}
	/* wait for the streams to end (their responses are freed by MHD) */
	int64_t deadline = pg_mono_ms() + wait_ms;
	while (srv->sse_clients && pg_mono_ms() < deadline) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&srv->sse_cv, &srv->sse_lock, &ts);
	}
	pthread_mutex_unlock(&srv->sse_lock);
	if (srv->ticker_started)
		pthread_join(srv->ticker, NULL);
	srv->ticker_started = 0;
}
