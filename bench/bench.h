/* bench.h - what the benchmark programs share: wall-clock seconds and peak memory. */
#ifndef PG_BENCH_H
#define PG_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Peak resident set size (VmHWM) of this process in kB, or -1. */
static inline long bench_hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* Monotonic seconds. */
static inline double bench_now_s(void)
{
	return (double)pg_mono_us() / 1e6;
}

#endif
