/* core_time.c - clocks and RFC 3339 time stamps. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core.h"

int64_t pg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t pg_mono_ms(void)
{
	return pg_mono_us() / 1000;
}

int64_t pg_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void pg_time_format(int64_t ms, char out[PG_TIME_LEN])
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int frac = (int)(ms - (int64_t)secs * 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	snprintf(out, PG_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static int digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];
		if (c < '0' || c > '9')
			return PG_EINVAL;
		v = v * 10 + (c - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

static int expect(const char **s, char c1, char c2)
{
	if (**s != c1 && **s != c2)
		return PG_EINVAL;
	(*s)++;
	return 0;
}

int pg_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, ms = 0;
	if (digits(&s, 4, &y) || expect(&s, '-', '-') || digits(&s, 2, &mo) ||
	    expect(&s, '-', '-') || digits(&s, 2, &d) || expect(&s, 'T', 't') ||
	    digits(&s, 2, &h) || expect(&s, ':', ':') || digits(&s, 2, &mi) ||
	    expect(&s, ':', ':') || digits(&s, 2, &sec))
		return PG_EINVAL;
	if (*s == '.') {
		s++;
		int n = 0, scale = 100;
		while (*s >= '0' && *s <= '9') {
			if (n < 3)
				ms += (*s - '0') * scale;
			scale /= 10;
			n++;
			s++;
		}
		if (n == 0)
			return PG_EINVAL;
	}
	int off = 0;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1, oh, om;
		s++;
		if (digits(&s, 2, &oh) || expect(&s, ':', ':') || digits(&s, 2, &om) || oh > 23 ||
		    om > 59)
			return PG_EINVAL;
		off = sign * (oh * 60 + om);
	} else {
		return PG_EINVAL;
	}
	if (*s || y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59)
		return PG_EINVAL;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return PG_EINVAL;
	/* days from civil (Howard Hinnant's algorithm) */
	int yy = y - (mo <= 2);
	int era = (yy >= 0 ? yy : yy - 399) / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - off * 60;
	if (secs < 0) /* before 1970 once the offset is applied */
		return PG_EINVAL;
	*out = secs * 1000 + ms;
	return 0;
}
