/* fuzz_topics.c - the event bus's topic list (pg_bus_subscribe), as ?topics= sends it.
 *
 * Checks, for any text:
 *  - a subscription is made exactly when the text is empty or a comma-separated list of
 *    1-16 names of 1-31 characters from a-z, 0-9, '_', '-' (the list limit, MAX_TOPICS in
 *    core_bus.c, is a second copy here: keep them in step);
 *  - the subscriber wants every listed topic, and nothing else unless it listed none;
 *  - an event published on a wanted topic is notified once and comes out of pg_bus_next
 *    as it went in; one still pending at unsubscribe is freed (LeakSanitizer). */
#include "core/bus.h"
#include "fuzz.h"

#define MAX_TOPICS 16

static struct pg_bus *bus;
static int notified;

static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";

/* 1 when topics is a list pg_bus_subscribe should take. */
static int well_formed(const char *topics)
{
	if (!*topics)
		return 1;
	const char *p = topics;
	for (int n = 1;; n++) {
		size_t len = strspn(p, name_chars);
		if (len == 0 || len >= PG_TOPIC_MAX || n > MAX_TOPICS)
			return 0;
		p += len;
		if (!*p)
			return 1;
		if (*p++ != ',')
			return 0;
	}
}

static void on_event(void *ctx)
{
	FUZZ_CHECK(ctx == &notified);
	notified++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	if (!bus)
		bus = pg_bus_new();
	char *topics = fuzz_cstr(data, size);
	struct pg_bus_sub *sub = pg_bus_subscribe(bus, topics, on_event, &notified);
	FUZZ_CHECK((sub != NULL) == well_formed(topics));
	if (!sub)
		goto out;

	/* "Q" can never be a listed topic (upper case) */
	FUZZ_CHECK(pg_bus_sub_wants(sub, "Q") == (topics[0] == '\0'));
	char first[PG_TOPIC_MAX] = "any";
	for (const char *p = topics; *p;) {
		size_t len = strspn(p, name_chars);
		char name[PG_TOPIC_MAX];
		memcpy(name, p, len);
		name[len] = '\0';
		FUZZ_CHECK(pg_bus_sub_wants(sub, name));
		if (p == topics)
			memcpy(first, name, len + 1);
		p += len + (p[len] == ',');
	}

	notified = 0;
	pg_bus_publish(bus, 42, first, "{\"n\":1}");
	FUZZ_CHECK(notified == 1);
	int64_t id = 0;
	char *json = NULL;
	FUZZ_CHECK(pg_bus_next(sub, &id, &json) == 1);
	FUZZ_CHECK(id == 42 && strcmp(json, "{\"n\":1}") == 0);
	pg_free(json);
	FUZZ_CHECK(pg_bus_next(sub, &id, &json) == 0);
	pg_bus_publish(bus, 43, first, "{\"n\":2}"); /* left pending */
	pg_bus_unsubscribe(sub);
out:
	pg_free(topics);
	return 0;
}
