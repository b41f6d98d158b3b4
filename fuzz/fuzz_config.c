/* fuzz_config.c - the INI configuration parser (pg_config_parse_string).
 *
 * Checks, for any text:
 *  - on success every value is within the limits of its row in cfg_keys (core_config.c;
 *    the numbers below are a second copy of that table: keep them in step), every string
 *    is terminated inside its buffer, and err is left untouched;
 *  - on failure cfg is byte-for-byte unchanged and err says PG_EINVAL with a message;
 *  - applying the same text twice gives what applying it once gave;
 *  - a comment line means nothing: blanking every whole-line comment (first non-space
 *    character ';' or '#') in a text that is accepted gives the same values; and a text
 *    refused only for its comments must have a line too long to read whole. */
#include "core/config.h"
#include "fuzz.h"

#define MAX_TEXT (1 << 20) /* what pg_config_load accepts */

static void check_str(const char *s, size_t cap)
{
	FUZZ_CHECK(memchr(s, '\0', cap) != NULL);
}

static void check_values(const struct pg_config *c)
{
	check_str(c->listen, sizeof(c->listen));
	check_str(c->data, sizeof(c->data));
	check_str(c->log_level, sizeof(c->log_level));
	FUZZ_CHECK(c->threads >= 0 && c->threads <= 64);
	FUZZ_CHECK(c->body_limit >= 1024 && c->body_limit <= 64 * 1024 * 1024);
	FUZZ_CHECK(c->max_conns >= 4 && c->max_conns <= 100000);
	FUZZ_CHECK(c->max_batch >= 1 && c->max_batch <= 10000);
	FUZZ_CHECK(c->readers >= 1 && c->readers <= 64);
	FUZZ_CHECK(c->session_hours >= 1 && c->session_hours <= 24 * 30);
	FUZZ_CHECK(c->lockout_failures >= 1 && c->lockout_failures <= 100);
	FUZZ_CHECK(c->lockout_minutes >= 1 && c->lockout_minutes <= 24 * 60);
	enum pg_log_level lvl;
	FUZZ_CHECK(pg_log_level_parse(c->log_level, &lvl) == 0);
}

/* Lines this long may be refused (libinih reads at most 199 bytes of a line at once). */
#define LONG_LINE 199

static size_t longest_line(const char *text)
{
	size_t longest = 0;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		longest = len > longest ? len : longest;
		p += len + (p[len] == '\n');
	}
	return longest;
}

static void dump(const char *label, const struct pg_config *c)
{
	fprintf(stderr,
	        "fuzz: %s: listen '%s' threads %lld body_limit %lld max_connections %lld data '%s' "
	        "max_batch %lld readers %lld session_hours %lld lockout_failures %lld "
	        "lockout_minutes %lld level '%s'\n",
	        label, c->listen, (long long)c->threads, (long long)c->body_limit,
	        (long long)c->max_conns, c->data, (long long)c->max_batch, (long long)c->readers,
	        (long long)c->session_hours, (long long)c->lockout_failures,
	        (long long)c->lockout_minutes, c->log_level);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* A copy of text with every whole-line comment made an empty line (line numbers kept;
 * libinih takes an empty line for a comment too). */
static char *blank_comments(const char *text)
{
	char *out = pg_strdup(text);
	char *line = out;
	while (*line) {
		char *nl = strchr(line, '\n');
		char *end = nl ? nl : line + strlen(line);
		char *p = line;
		while (p < end && is_space(*p))
			p++;
		if (p < end && (*p == ';' || *p == '#'))
			memmove(line, end, strlen(end) + 1);
		else
			line = end;
		if (*line == '\n')
			line++;
	}
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_TEXT)
		return 0;
	char *text = fuzz_cstr(data, size);

	struct pg_config cfg, before;
	pg_config_defaults(&cfg);
	check_values(&cfg);
	before = cfg;
	struct pg_err err, err_before;
	memset(&err, 0x5a, sizeof(err));
	err_before = err;

	int rc = pg_config_parse_string(&cfg, text, &err);
	if (rc == 0) {
		check_values(&cfg);
		FUZZ_CHECK(memcmp(&err, &err_before, sizeof(err)) == 0);

		struct pg_config again = cfg;
		FUZZ_CHECK(pg_config_parse_string(&again, text, NULL) == 0);
		FUZZ_CHECK(memcmp(&again, &cfg, sizeof(cfg)) == 0);
	} else {
		FUZZ_CHECK(rc == PG_EINVAL);
		FUZZ_CHECK(memcmp(&cfg, &before, sizeof(cfg)) == 0);
		FUZZ_CHECK(err.code == PG_EINVAL);
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
		FUZZ_CHECK(err.msg[0] != '\0');
	}

	/* A comment never changes what an accepted text means. (Refusing a text for a line
	 * too long to read whole is allowed: then the comment-less text may pass.) */
	char *blanked = blank_comments(text);
	struct pg_config cfg2;
	pg_config_defaults(&cfg2);
	int rc2 = pg_config_parse_string(&cfg2, blanked, NULL);
	if (rc == 0 && (rc2 != 0 || memcmp(&cfg2, &cfg, sizeof(cfg)) != 0)) {
		fprintf(stderr, "fuzz: a comment changed the result (%d without comments)\n", rc2);
		dump("with comments", &cfg);
		dump("without", &cfg2);
	}
	if (rc == 0)
		FUZZ_CHECK(rc2 == 0 && memcmp(&cfg2, &cfg, sizeof(cfg)) == 0);
	if (rc != 0 && rc2 == 0)
		FUZZ_CHECK(longest_line(text) >= LONG_LINE);

	pg_free(blanked);
	pg_free(text);
	return 0;
}
