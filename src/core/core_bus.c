/* core_bus.c - fan-out of committed events to subscribers. Lock order: bus, then sub. */
#include <pthread.h>
#include <string.h>

#include "bus.h"

#define MAX_TOPICS 16
#define MAX_COUNTED 128

struct bus_item {
	int64_t id;
	char *json;
};

struct pg_bus_sub {
	struct pg_bus *bus;
	struct pg_bus_sub *next;
	char topics[MAX_TOPICS][PG_TOPIC_MAX];
	int ntopics; /* 0 = all */
	void (*notify)(void *ctx);
	void *ctx;
	pthread_mutex_t lock;
	struct bus_item q[PG_BUS_QUEUE];
	int head, count;
	int overflowed;
};

struct topic_count {
	char topic[PG_TOPIC_MAX];
	uint64_t n;
};

struct pg_bus {
	pthread_mutex_t lock;
	struct pg_bus_sub *subs;
	struct topic_count counts[MAX_COUNTED];
	int ncounts;
};

struct pg_bus *pg_bus_new(void)
{
	struct pg_bus *bus = pg_calloc(1, sizeof(*bus));
	pthread_mutex_init(&bus->lock, NULL);
	return bus;
}

void pg_bus_free(struct pg_bus *bus)
{
	if (!bus)
		return;
	pthread_mutex_destroy(&bus->lock);
	pg_free(bus);
}

int pg_bus_sub_wants(const struct pg_bus_sub *sub, const char *topic)
{
	if (sub->ntopics == 0)
		return 1;
	for (int i = 0; i < sub->ntopics; i++)
		if (strcmp(sub->topics[i], topic) == 0)
			return 1;
	return 0;
}

static void count_topic(struct pg_bus *bus, const char *topic)
{
	for (int i = 0; i < bus->ncounts; i++) {
		if (strcmp(bus->counts[i].topic, topic) == 0) {
			bus->counts[i].n++;
			return;
		}
	}
	if (bus->ncounts < MAX_COUNTED) {
		pg_strlcpy(bus->counts[bus->ncounts].topic, topic, PG_TOPIC_MAX);
		bus->counts[bus->ncounts++].n = 1;
	}
}

void pg_bus_publish(struct pg_bus *bus, int64_t id, const char *topic, const char *json)
{
	pthread_mutex_lock(&bus->lock);
	count_topic(bus, topic);
	for (struct pg_bus_sub *s = bus->subs; s; s = s->next) {
		if (!pg_bus_sub_wants(s, topic))
			continue;
		pthread_mutex_lock(&s->lock);
		if (s->count == PG_BUS_QUEUE) {
			s->overflowed = 1;
		} else {
			struct bus_item *it = &s->q[(s->head + s->count) % PG_BUS_QUEUE];
			it->id = id;
			it->json = pg_strdup(json);
			s->count++;
		}
		pthread_mutex_unlock(&s->lock);
		if (s->notify)
			s->notify(s->ctx);
	}
	pthread_mutex_unlock(&bus->lock);
}

static int parse_topics(struct pg_bus_sub *sub, const char *topics)
{
	if (!topics || !*topics)
		return 0;
	const char *p = topics;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= PG_TOPIC_MAX || sub->ntopics == MAX_TOPICS)
			return PG_EINVAL;
		for (size_t i = 0; i < len; i++) {
			char c = p[i];
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
				return PG_EINVAL;
		}
		memcpy(sub->topics[sub->ntopics], p, len);
		sub->topics[sub->ntopics++][len] = '\0';
		p += len + (comma ? 1 : 0);
		if (comma && !*p)
			return PG_EINVAL;
	}
	return 0;
}

struct pg_bus_sub *pg_bus_subscribe(struct pg_bus *bus, const char *topics,
				    void (*notify)(void *ctx), void *ctx)
{
	struct pg_bus_sub *sub = pg_calloc(1, sizeof(*sub));
	if (parse_topics(sub, topics) < 0) {
		pg_free(sub);
		return NULL;
	}
	sub->bus = bus;
	sub->notify = notify;
	sub->ctx = ctx;
	pthread_mutex_init(&sub->lock, NULL);
	pthread_mutex_lock(&bus->lock);
	sub->next = bus->subs;
	bus->subs = sub;
	pthread_mutex_unlock(&bus->lock);
	return sub;
}

void pg_bus_unsubscribe(struct pg_bus_sub *sub)
{
	if (!sub)
		return;
	struct pg_bus *bus = sub->bus;
	pthread_mutex_lock(&bus->lock);
	for (struct pg_bus_sub **pp = &bus->subs; *pp; pp = &(*pp)->next) {
		if (*pp == sub) {
			*pp = sub->next;
			break;
		}
	}
	pthread_mutex_unlock(&bus->lock);
	for (int i = 0; i < sub->count; i++)
		pg_free(sub->q[(sub->head + i) % PG_BUS_QUEUE].json);
	pthread_mutex_destroy(&sub->lock);
	pg_free(sub);
}

int pg_bus_next(struct pg_bus_sub *sub, int64_t *id, char **json)
{
	int rc = 0;
	pthread_mutex_lock(&sub->lock);
	if (sub->overflowed) {
		for (int i = 0; i < sub->count; i++)
			pg_free(sub->q[(sub->head + i) % PG_BUS_QUEUE].json);
		sub->count = 0;
		sub->head = 0;
		sub->overflowed = 0;
		rc = PG_ELIMIT;
	} else if (sub->count > 0) {
		struct bus_item *it = &sub->q[sub->head];
		*id = it->id;
		*json = it->json;
		sub->head = (sub->head + 1) % PG_BUS_QUEUE;
		sub->count--;
		rc = 1;
	}
	pthread_mutex_unlock(&sub->lock);
	return rc;
}

void pg_bus_metrics(struct pg_bus *bus, struct pg_buf *out)
{
	pg_buf_puts(out, "# HELP portguard_events_total Events committed and published, by topic.\n"
			 "# TYPE portguard_events_total counter\n");
	pthread_mutex_lock(&bus->lock);
	for (int i = 0; i < bus->ncounts; i++)
		pg_buf_printf(out, "portguard_events_total{topic=\"%s\"} %llu\n", bus->counts[i].topic,
			      (unsigned long long)bus->counts[i].n);
	pthread_mutex_unlock(&bus->lock);
}
