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

#endif
