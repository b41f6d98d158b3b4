/* fuzz_container.c - the identifiers of inspect_container.h on any text: ISO 6346 container
 * numbers, size-type codes, seal classes and seal numbers.
 *
 * Checks, for any text:
 *  - inspect_container_check never crashes and fills its result: number and error are
 *    terminated, number holds at most 11 characters and is the start of what
 *    inspect_container_normalise gives (whose length it reports whole);
 *  - valid exactly when error is "", and then the number is 11 characters, its first 10
 *    give inspect_check_digit == its last digit == expected_check_digit;
 *  - expected_check_digit is -1 or a digit 0-9, and when it is a digit it is what
 *    inspect_check_digit says of the number's first 10 characters;
 *  - checking the normalised number again (when it fits) gives the same verdict: a number
 *    is judged by its normalised form only;
 *  - the error is printable ASCII (it goes to terminals and JSON as it is);
 *  - the size-type, seal class and seal number functions never crash, and what they
 *    accept is what they document. */
#include <strings.h>

#include "fuzz.h"
#include "inspect/inspect_container.h"

static int printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static void check_number(const char *s)
{
	struct inspect_container_check c;
	memset(&c, 0x5a, sizeof(c));
	inspect_container_check(s, &c);
	FUZZ_CHECK(memchr(c.number, '\0', sizeof(c.number)) != NULL);
	FUZZ_CHECK(memchr(c.error, '\0', sizeof(c.error)) != NULL);
	FUZZ_CHECK(c.valid == 0 || c.valid == 1);
	FUZZ_CHECK(c.valid == (c.error[0] == '\0'));
	FUZZ_CHECK(printable_ascii(c.error));

	size_t n = strlen(s) + 1;
	char *norm = pg_malloc(n);
	size_t len = inspect_container_normalise(s, norm, n);
	FUZZ_CHECK(len == strlen(norm));
	size_t have = strlen(c.number);
	FUZZ_CHECK(have == (len < INSPECT_CONTAINER_LEN ? len : INSPECT_CONTAINER_LEN));
	FUZZ_CHECK(memcmp(c.number, norm, have) == 0);

	FUZZ_CHECK(c.expected_check_digit >= -1 && c.expected_check_digit <= 9);
	if (c.expected_check_digit >= 0)
		FUZZ_CHECK(inspect_check_digit(c.number) == c.expected_check_digit);
	if (c.valid) {
		FUZZ_CHECK(len == INSPECT_CONTAINER_LEN);
		FUZZ_CHECK(inspect_check_digit(c.number) == c.number[10] - '0');
		FUZZ_CHECK(c.expected_check_digit == c.number[10] - '0');
	}
	if (len <= INSPECT_CONTAINER_LEN) {
		struct inspect_container_check again;
		inspect_container_check(norm, &again);
		FUZZ_CHECK(again.valid == c.valid);
		FUZZ_CHECK(strcmp(again.number, c.number) == 0);
		FUZZ_CHECK(again.expected_check_digit == c.expected_check_digit);
	}
	pg_free(norm);
}

static void check_others(const char *s)
{
	(void)inspect_check_digit(s);
	const struct inspect_size_type *t = inspect_size_type(s);
	if (t) {
		FUZZ_CHECK(strlen(s) == 4);
		FUZZ_CHECK(strcasecmp(s, t->code) == 0);
	}
	int cls = inspect_seal_class(s);
	FUZZ_CHECK(cls == -1 || (strlen(s) == 1 && strchr("ISH", s[0])));
	FUZZ_CHECK(strcmp(inspect_seal_class_name(cls), "?") != 0 || cls == -1);

	struct pg_err err;
	memset(&err, 0, sizeof(err));
	int rc = inspect_seal_number_check(s, &err);
	size_t n = strlen(s);
	int ok = n >= 1 && n <= INSPECT_SEAL_NUMBER_MAX &&
		 strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
	FUZZ_CHECK(ok ? rc == 0 && err.msg[0] == '\0' : rc == PG_EINVAL && err.msg[0] != '\0');
	FUZZ_CHECK(printable_ascii(err.msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = fuzz_cstr(data, size);
	check_number(s);
	check_others(s);
	pg_free(s);
	return 0;
}
