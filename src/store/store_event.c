/* store_event.c - events are rows first, bus messages after commit. */
#include <string.h>

#include "store_int.h"

struct published {
	struct pg_bus *bus;
	int64_t id;
	char topic[PG_TOPIC_MAX];
	char *json;
};

static void publish(void *ctx)
{
	struct published *p = ctx;
	if (p->bus)
		pg_bus_publish(p->bus, p->id, p->topic, p->json);
}

static void published_free(void *ctx)
{
	struct published *p = ctx;
	pg_free(p->json);
	pg_free(p);
}

static json_t *envelope(int64_t id, const char *topic, const char *at, json_t *data)
{
	return json_pack("{sI ss ss sO}", "id", (json_int_t)id, "topic", topic, "at", at, "data",
			 data);
}

/* Topics are names the modules choose: a-z, 0-9, '_', '.', '-' (so that they need no
 * escaping in the envelope). */
static int topic_ok(const char *t)
{
	if (!*t || strlen(t) >= PG_TOPIC_MAX)
		return 0;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_' || *t == '.' ||
		      *t == '-'))
			return 0;
	return 1;
}

int64_t store_event(struct store_tx *tx, const char *topic, json_t *data, struct pg_err *err)
{
	if (!tx->writable)
		return pg_err_set(err, PG_EIO, "store: event recorded outside a write");
	if (!topic_ok(topic))
		return pg_err_set(err, PG_EINVAL, "event topic '%.40s' is not a topic name", topic);
	char at[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), at);
	json_t *empty = json_object();
	if (!data)
		data = empty;
	char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	if (!text) {
		json_decref(empty);
		return pg_err_set(err, PG_EINVAL, "event data is not serialisable");
	}
	json_decref(empty);
	int rc = store_exec(tx, err, "INSERT INTO events(topic, at, data) VALUES (?1, ?2, ?3)",
			    "ttt", topic, at, text);
	if (rc < 0) {
		free(text);
		return rc;
	}
	int64_t id = store_last_id(tx);
	/* the bus message wraps the same text: the data is serialised once */
	struct published *p = pg_calloc(1, sizeof(*p));
	p->bus = store_bus(tx->s);
	p->id = id;
	pg_strlcpy(p->topic, topic, sizeof(p->topic));
	p->json = pg_asprintf("{\"id\":%lld,\"topic\":\"%s\",\"at\":\"%s\",\"data\":%s}",
			      (long long)id, topic, at, text);
	free(text);
	store_after_commit(tx, publish, published_free, p);
	return id;
}

struct after_ctx {
	int64_t after;
	const struct pg_bus_sub *sub;
	int limit;
	json_t *out;
};

static int events_read(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct after_ctx *c = vctx;
	int64_t cursor = c->after;
	for (;;) {
		struct store_rows *r = NULL;
		int rc = store_query(tx, &r, err,
				     "SELECT id, topic, at, data FROM events WHERE id > ?1 "
				     "ORDER BY id LIMIT 500",
				     "i", cursor);
		if (rc < 0)
			return rc;
		int seen = 0;
		while ((rc = store_next(r)) == 1) {
			seen++;
			cursor = store_int(r, 0);
			const char *topic = store_text(r, 1);
			if (c->sub && !pg_bus_sub_wants(c->sub, topic))
				continue;
			json_t *data = json_loads(store_text(r, 3), 0, NULL);
			json_array_append_new(c->out, envelope(cursor, topic, store_text(r, 2),
							       data ? data : json_null()));
			json_decref(data);
			if ((int)json_array_size(c->out) >= c->limit)
				break;
		}
		store_rows_free(r);
		if (rc < 0)
			return pg_err_set(err, PG_EIO, "store: reading events failed");
		if (seen < 500 || (int)json_array_size(c->out) >= c->limit)
			return 0;
	}
}

int store_events_after(struct store *s, int64_t after, const struct pg_bus_sub *sub, int limit,
		       json_t **out, struct pg_err *err)
{
	struct after_ctx c = {after, sub, limit, json_array()};
	int rc = store_read(s, events_read, &c, err);
	if (rc < 0) {
		json_decref(c.out);
		return rc;
	}
	*out = c.out;
	return 0;
}

struct recent_ctx {
	const struct pg_bus_sub *sub;
	int n;
	int64_t after;
};

static int recent_read(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct recent_ctx *c = vctx;
	struct store_rows *r = NULL;
	/* newest first; stops after n matches (a bounded scan for the usual topic mix) */
	int rc = store_query(tx, &r, err, "SELECT id, topic FROM events ORDER BY id DESC LIMIT 10000",
			     "");
	if (rc < 0)
		return rc;
	int found = 0;
	c->after = 0;
	while ((rc = store_next(r)) == 1) {
		if (c->sub && !pg_bus_sub_wants(c->sub, store_text(r, 1)))
			continue;
		c->after = store_int(r, 0) - 1;
		if (++found == c->n)
			break;
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading events failed") : 0;
}

int store_events_recent(struct store *s, const struct pg_bus_sub *sub, int n, int64_t *after,
			struct pg_err *err)
{
	struct recent_ctx c = {sub, n, 0};
	int rc = store_read(s, recent_read, &c, err);
	if (rc == 0)
		*after = c.after;
	return rc;
}

json_t *store_page(json_t *rows, int limit, const char *id_key)
{
	json_t *next = json_null();
	size_t n = json_array_size(rows);
	if (limit > 0 && n == (size_t)limit) {
		json_t *last = json_object_get(json_array_get(rows, n - 1), id_key);
		if (json_is_integer(last))
			next = json_sprintf("%lld", (long long)json_integer_value(last));
	}
	return json_pack("{so so}", "items", rows, "next", next);
}

struct list_ctx {
	const char *sql;
	int limit;
	int64_t after;
	json_t *rows;
};

static int list_read(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_ctx *c = vctx;
	return store_query_json(tx, &c->rows, err, c->sql, "ii", c->after, (int64_t)c->limit);
}

int store_list_page(struct store *s, const char *sql, int limit, int64_t after, const char *id_key,
		    json_t **out, struct pg_err *err)
{
	struct list_ctx c = {sql, limit, after, NULL};
	int rc = store_read(s, list_read, &c, err);
	if (rc < 0)
		return rc;
	*out = store_page(c.rows, limit, id_key);
	return 0;
}
