/* fuzz_time.c - the RFC 3339 time stamp parser (pg_time_parse) against its formatter.
 *
 * What round trip truly holds: pg_time_parse keeps milliseconds (further fraction digits
 * are cut, not rounded) and folds the offset into UTC, so the *instant* survives
 * parse -> format -> parse, but the *text* does not ("+02:00", "t", ".5", ":60" all
 * change on the way). Checks, for any text:
 *  - on failure the output is not written;
 *  - on success the instant lies between 0000-01-01T00:00:00 and 9999-12-31T23:59:60.999
 *    shifted by at most a 23:59 offset;
 *  - pg_time_format(ms) is a terminated string; when ms is inside years 0000-9999 UTC it
 *    is the 24-character form and parses back to exactly ms. (An offset can carry the
 *    instant of a year 0000 or 9999 stamp out of that range, where the formatter cannot
 *    write four-digit years: nothing is asserted there.)
 *  - a stamp already in the formatter's form (YYYY-MM-DDTHH:MM:SS.mmmZ, seconds <= 59)
 *    comes back byte for byte. */
#include "fuzz.h"

#define MS_YEAR0      INT64_C(-62167219200000) /* 0000-01-01T00:00:00.000Z */
#define MS_YEAR10000  INT64_C(253402300800000) /* 10000-01-01T00:00:00.000Z */
#define MS_MAX_OFFSET INT64_C(86340000)        /* 23:59 */

static int canonical(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (strlen(s) != sizeof(form) - 1)
		return 0;
	for (size_t i = 0; form[i]; i++) {
		if (form[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != form[i])
			return 0;
	}
	return s[17] <= '5'; /* seconds 00-59: ":60" is read as the next minute */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char *s = fuzz_cstr(data, size);
	const int64_t untouched = INT64_C(0x5a5a5a5a5a5a5a5a);
	int64_t ms = untouched;
	if (pg_time_parse(s, &ms) < 0) {
		FUZZ_CHECK(ms == untouched);
		goto out;
	}
	FUZZ_CHECK(ms >= MS_YEAR0 - MS_MAX_OFFSET && ms < MS_YEAR10000 + 1000 + MS_MAX_OFFSET);

	char text[PG_TIME_LEN];
	memset(text, 0x5a, sizeof(text));
	pg_time_format(ms, text);
	FUZZ_CHECK(memchr(text, '\0', sizeof(text)) != NULL);
	if (ms >= MS_YEAR0 && ms < MS_YEAR10000) {
		FUZZ_CHECK(canonical(text));
		int64_t back = untouched;
		FUZZ_CHECK(pg_time_parse(text, &back) == 0);
		FUZZ_CHECK(back == ms);
	}
	if (canonical(s))
		FUZZ_CHECK(strcmp(text, s) == 0);
out:
	pg_free(s);
	return 0;
}
