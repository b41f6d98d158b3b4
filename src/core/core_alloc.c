/* core_alloc.c - the one allocation wrapper: out-of-memory aborts with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void *oom(size_t n)
{
	fprintf(stderr, "portguard: out of memory allocating %zu bytes\n", n);
	abort();
}

void *pg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom(n);
}

void *pg_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	return p ? p : oom(nmemb * size);
}

void *pg_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom(n);
}

char *pg_strdup(const char *s)
{
	return pg_strndup(s, strlen(s));
}

char *pg_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = pg_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *pg_asprintf(const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(aq);
		return pg_strdup("");
	}
	char *p = pg_malloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, aq);
	va_end(aq);
	return p;
}

void pg_free(void *p)
{
	free(p);
}
