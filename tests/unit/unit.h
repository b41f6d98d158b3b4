/* unit.h - what the unit tests share: cmocka, and a fresh temporary data directory. */
#ifndef PG_UNIT_H
#define PG_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

/* Makes a fresh directory under /tmp; returns a malloc'd path. */
static inline char *unit_tmpdir(void)
{
	char tmpl[] = "/tmp/pgunit-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	size_t n = strlen(d) + 1;
	char *out = malloc(n);
	memcpy(out, d, n);
	return out;
}

/* Removes what a store leaves in a data directory, then the directory. */
static inline void unit_rmdir(char *dir)
{
	const char *files[] = {"portguard.db", "portguard.db-wal", "portguard.db-shm"};
	char path[512];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

/* A fresh store in a fresh directory, with a bus: what most module tests start from. */
struct fixture {
	char *dir;
	struct store *s;
	struct pg_bus *bus;
};

static inline struct fixture *unit_fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->dir = unit_tmpdir();
	f->bus = pg_bus_new();
	struct store_opts o = {2, 64, f->bus};
	struct pg_err err = {0};
	if (store_open(f->dir, &o, &f->s, &err) < 0)
		fail_msg("store_open: %s", err.msg);
	return f;
}

static inline void unit_fixture_free(struct fixture *f)
{
	store_close(f->s);
	pg_bus_free(f->bus);
	unit_rmdir(f->dir);
	free(f);
}

static inline int unit_teardown(void **state)
{
	unit_fixture_free(*state);
	return 0;
}

#endif
