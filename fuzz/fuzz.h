/* fuzz.h - what the libFuzzer harnesses share.
 *
 * FUZZ_CHECK is the harnesses' assert: it holds in every build type (assert() vanishes
 * under NDEBUG) and aborts with the condition, so libFuzzer records the input as a crash.
 * Each harness includes this header once (the helpers are static). */
#ifndef PG_FUZZ_H
#define PG_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

__attribute__((noreturn)) static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

/* The input as a C string (it ends at the first NUL byte, as a C caller would see it).
 * The caller frees it with pg_free. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = pg_malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
