/* core_str.c - bounded strings, integer parsing, growable buffers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

int pg_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);
	if (n == 0)
		return PG_ELIMIT;
	size_t k = len < n ? len : n - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
	return len < n ? 0 : PG_ELIMIT;
}

int pg_snprintf(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(dst, n, fmt, ap);
	va_end(ap);
	return (r < 0 || (size_t)r >= n) ? PG_ELIMIT : 0;
}

int pg_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return PG_EINVAL;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (errno || !end || *end || v < min || v > max)
		return PG_EINVAL;
	*out = v;
	return 0;
}

void pg_utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
			: (*p & 0xf8) == 0xf0 ? 4 : 0;
		int ok = n > 0 && !(n == 2 && *p < 0xc2) && !(n == 4 && *p > 0xf4);
		for (int i = 1; ok && i < n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok && n == 3) { /* no overlongs, no surrogates */
			ok = !(p[0] == 0xe0 && p[1] < 0xa0) && !(p[0] == 0xed && p[1] >= 0xa0);
		} else if (ok && n == 4) {
			ok = !(p[0] == 0xf0 && p[1] < 0x90) && !(p[0] == 0xf4 && p[1] >= 0x90);
		}
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

int pg_streq_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;
	size_t n = la < lb ? la : lb;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

void pg_buf_init(struct pg_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int buf_reserve(struct pg_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return PG_ELIMIT;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->p = pg_realloc(b->p, cap);
	b->cap = cap;
	return 0;
}

int pg_buf_append(struct pg_buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return PG_ELIMIT;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int pg_buf_puts(struct pg_buf *b, const char *s)
{
	return pg_buf_append(b, s, strlen(s));
}

int pg_buf_vprintf(struct pg_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return PG_EINVAL;
	if (buf_reserve(b, (size_t)n) < 0)
		return PG_ELIMIT;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int pg_buf_printf(struct pg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = pg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void pg_buf_reset(struct pg_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

char *pg_buf_detach(struct pg_buf *b)
{
	char *p = b->p ? b->p : pg_strdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void pg_buf_release(struct pg_buf *b)
{
	if (!b)
		return;
	pg_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
