/* inspect_util.c - what the inspect files share: a string map, JSON strings, party name
 * keys, IMO numbers and IMDG classes. */
#include <string.h>

#include "inspect_int.h"

/* ---- the string map --------------------------------------------------------------------- */

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void inspect_map_init(struct inspect_map *m)
{
	memset(m, 0, sizeof(*m));
	pg_buf_init(&m->keys, (size_t)1 << 34);
}

void inspect_map_release(struct inspect_map *m)
{
	if (!m)
		return;
	pg_buf_release(&m->keys);
	pg_free(m->slots);
	pg_free(m->values);
	memset(m, 0, sizeof(*m));
}

static size_t find(const struct inspect_map *m, const char *key, size_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->slots[i] && strcmp(m->keys.p + m->slots[i] - 1, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

int64_t *inspect_map_get(const struct inspect_map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = find(m, key, hash(key));
	return m->slots[i] ? &m->values[i] : NULL;
}

static void grow(struct inspect_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	size_t *slots = pg_calloc(cap, sizeof(*slots));
	int64_t *values = pg_malloc(cap * sizeof(*values));
	for (size_t k = 0; k < m->cap; k++) {
		if (!m->slots[k])
			continue;
		size_t i = hash(m->keys.p + m->slots[k] - 1) & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = m->slots[k];
		values[i] = m->values[k];
	}
	pg_free(m->slots);
	pg_free(m->values);
	m->slots = slots;
	m->values = values;
	m->cap = cap;
}

int64_t *inspect_map_put(struct inspect_map *m, const char *key, int64_t value, int *added)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = find(m, key, hash(key));
	*added = !m->slots[i];
	if (*added) {
		size_t off = m->keys.len;
		if (pg_buf_append(&m->keys, key, strlen(key) + 1) < 0)
			return NULL;
		m->slots[i] = off + 1;
		m->values[i] = value;
		m->n++;
	}
	return &m->values[i];
}

/* ---- strings ------------------------------------------------------------------------------- */

void inspect_json_str(struct pg_buf *b, const char *s)
{
	char *copy = NULL;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			copy = pg_strdup(s);
			pg_utf8_sanitize(copy);
			s = copy;
			break;
		}
	pg_buf_append(b, "\"", 1);
	const char *run = s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c && c >= 0x20 && c != '"' && c != '\\')
			continue;
		pg_buf_append(b, run, (size_t)(p - run));
		if (!c)
			break;
		if (c == '"' || c == '\\')
			pg_buf_printf(b, "\\%c", c);
		else
			pg_buf_printf(b, "\\u%04x", c);
		run = p + 1;
	}
	pg_buf_append(b, "\"", 1);
	pg_free(copy);
}

void inspect_name_key(const char *name, char *out)
{
	size_t n = 0;
	int blank = 1; /* at the start, blanks are dropped */
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '\t') {
			if (!blank)
				out[n++] = ' ';
			blank = 1;
			continue;
		}
		blank = 0;
		out[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	if (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

int inspect_imo_normalise(const char *s, char out[8], struct pg_err *err)
{
	if ((s[0] == 'I' || s[0] == 'i') && (s[1] == 'M' || s[1] == 'm') &&
	    (s[2] == 'O' || s[2] == 'o'))
		s += s[3] == ' ' ? 4 : 3;
	int ok = strlen(s) == 7;
	for (int i = 0; ok && i < 7; i++)
		ok = s[i] >= '0' && s[i] <= '9';
	if (!ok)
		return pg_err_set(err, PG_EINVAL, "an IMO number is 7 digits, e.g. 9321483");
	int sum = 0;
	for (int i = 0; i < 6; i++)
		sum += (s[i] - '0') * (7 - i);
	if (sum % 10 != s[6] - '0')
		return pg_err_set(err, PG_EINVAL, "IMO %.7s: the check digit is %c, expected %d", s,
		                  s[6], sum % 10);
	memcpy(out, s, 7);
	out[7] = '\0';
	return 0;
}

/* ---- IMDG classes -------------------------------------------------------------------- */

int inspect_imdg_class_ok(const char *s)
{
	if (s[0] < '1' || s[0] > '9')
		return 0;
	s++;
	if (s[0] == '.') {
		if (s[1] < '1' || s[1] > '6')
			return 0;
		s += 2;
	}
	if (s[0] >= 'A' && s[0] <= 'S')
		s++;
	return *s == '\0';
}
