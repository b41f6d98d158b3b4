/* access_state.c - where people are, how many are in each zone, and the small int64 map
 * the engine indexes everything with. */
#include <string.h>

#include "access_policy.h"

static size_t slot_of(int64_t key, size_t cap)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 17) & (cap - 1);
}

void imap_init(struct imap *m, size_t expect)
{
	size_t cap = 16;
	while (cap < expect * 2)
		cap *= 2;
	m->keys = pg_calloc(cap, sizeof(int64_t));
	m->vals = pg_calloc(cap, sizeof(int64_t));
	m->cap = cap;
	m->n = 0;
}

void imap_release(struct imap *m)
{
	pg_free(m->keys);
	pg_free(m->vals);
	m->keys = m->vals = NULL;
	m->cap = m->n = 0;
}

static void imap_grow(struct imap *m)
{
	struct imap bigger;
	imap_init(&bigger, m->cap);
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			imap_put(&bigger, m->keys[i], m->vals[i]);
	imap_release(m);
	*m = bigger;
}

void imap_put(struct imap *m, int64_t key, int64_t val)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		imap_grow(m);
	size_t i = slot_of(key, m->cap);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->n++;
	}
	m->vals[i] = val;
}

int imap_get(const struct imap *m, int64_t key, int64_t *val)
{
	if (!m->cap || !key)
		return 0;
	size_t i = slot_of(key, m->cap);
	while (m->keys[i]) {
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return 1;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return 0;
}

struct access_state *access_state_new(void)
{
	struct access_state *st = pg_calloc(1, sizeof(*st));
	imap_init(&st->loc, 1024);
	imap_init(&st->count, 64);
	return st;
}

void access_state_free(struct access_state *st)
{
	if (!st)
		return;
	imap_release(&st->loc);
	imap_release(&st->count);
	pg_free(st);
}

int64_t access_state_location(const struct access_state *st, int64_t person_id)
{
	int64_t z = 0;
	imap_get(&st->loc, person_id, &z);
	return z;
}

int access_state_count(const struct access_state *st, int64_t zone_id)
{
	int64_t n = 0;
	imap_get(&st->count, zone_id, &n);
	return (int)n;
}

void access_state_place(struct access_state *st, int64_t person_id, int64_t zone_id,
			int64_t since_ms)
{
	(void)since_ms;
	int64_t old = access_state_location(st, person_id);
	if (old == zone_id)
		return;
	if (old)
		imap_put(&st->count, old, access_state_count(st, old) - 1);
	if (zone_id)
		imap_put(&st->count, zone_id, access_state_count(st, zone_id) + 1);
	imap_put(&st->loc, person_id, zone_id);
}
