/* core_log.c - one line per message on stderr: time, level, text. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

static enum pg_log_level log_level = PG_LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void pg_log_set_level(enum pg_log_level level)
{
	log_level = level;
}

int pg_log_level_parse(const char *s, enum pg_log_level *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum pg_log_level)i;
			return 0;
		}
	}
	return PG_EINVAL;
}

void pg_log(enum pg_log_level level, const char *fmt, ...)
{
	if (level < log_level)
		return;
	char ts[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), ts);
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s %s ", ts, level_names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&log_lock);
	va_end(ap);
}
