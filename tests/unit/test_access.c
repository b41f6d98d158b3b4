/* Unit tests of the access decision engine: the data-driven cases in
 * tests/data/access_cases.txt against the port in tests/data/access_fixture.sql. */
#include <sqlite3.h>

#include "unit.h"

#include "access/access.h"

#define T_BASE 1796083200000LL /* 2026-11-30T00:00:00Z, a Monday */

static char *read_file(const char *path)
{
	char *text = NULL;
	struct pg_err err = {0};
	if (pg_read_text_file(path, 1 << 20, "test data", &text, &err) < 0)
		fail_msg("%s", err.msg);
	return text;
}

/* Writes the fixture with T+n / T-n made absolute and PIN:xxxx hashed. */
static char *fixture_sql(void)
{
	char *src = read_file(PG_SOURCE_DIR "/tests/data/access_fixture.sql");
	struct pg_buf b;
	pg_buf_init(&b, 1 << 20);
	for (const char *p = src; *p;) {
		if (p[0] == 'T' && (p[1] == '+' || p[1] == '-') && p[2] >= '0' && p[2] <= '9') {
			char *end;
			long long v = strtoll(p + 2, &end, 10);
			pg_buf_printf(&b, "%lld", T_BASE + (p[1] == '+' ? v : -v));
			p = end;
		} else if (strncmp(p, "'PIN:", 5) == 0) {
			char pin[16] = {0}, hash[100];
			int k = 0;
			p += 5;
			while (*p != '\'' && k < 15)
				pin[k++] = *p++;
			p++;
			access_pin_hash(pin, hash);
			pg_buf_printf(&b, "'%s'", hash);
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else {
			pg_buf_append(&b, p++, 1);
		}
	}
	pg_free(src);
	return pg_buf_detach(&b);
}

struct access_fixture {
	char *dir;
	struct store *s;
	struct access_policy *policy;
};

static int load(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return access_policy_load(tx, ctx, err);
}

static int setup(void **state)
{
	struct access_fixture *f = calloc(1, sizeof(*f));
	struct pg_err err = {0};
	f->dir = unit_tmpdir();
	if (store_open(f->dir, NULL, &f->s, &err) < 0)
		return -1;
	char path[512];
	snprintf(path, sizeof(path), "%s/portguard.db", f->dir);
	sqlite3 *db;
	char *sql = fixture_sql(), *msg = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fixture: %s\n", msg);
		return -1;
	}
	sqlite3_close(db);
	pg_free(sql);
	if (store_read(f->s, load, &f->policy, &err) < 0) {
		fprintf(stderr, "load: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct access_fixture *f = *state;
	access_policy_free(f->policy);
	store_close(f->s);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static int day_of(const char *day, int *date)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	if (strcmp(day, "xmas") == 0) {
		*date = 20261225;
		return 4;
	}
	for (int i = 0; i < 7; i++) {
		if (strcmp(day, days[i]) == 0) {
			*date = i == 0 ? 20261130 : 20261200 + i;
			return i;
		}
	}
	fail_msg("bad day %s", day);
	return 0;
}

/* Who holds the credential (the fixture's uid -> person id). */
static int64_t holder(const char *uid)
{
	static const struct {
		const char *uid;
		int64_t id;
	} map[] = {{"A1", 1}, {"B1", 2}, {"C1", 3}, {"V1", 4}, {"K1", 8}, {"K2", 9}, {"K3", 10}, {"Q1", 11}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].uid, uid) == 0)
			return map[i].id;
	fail_msg("no holder for %s in the test's map", uid);
	return 0;
}

static void every_case_decides_as_written(void **state)
{
	struct access_fixture *f = *state;
	struct access_state *st = access_state_new();
	char *cases = read_file(PG_SOURCE_DIR "/tests/data/access_cases.txt");
	int lineno = 0, ran = 0;
	for (char *line = cases, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char a[16], b[16];
		long long zone;
		if (sscanf(line, "loc %15s %lld", a, &zone) == 2) {
			if (access_state_location(st, holder(a)) != zone)
				fail_msg("line %d: %s is in zone %lld, expected %lld", lineno, a,
					 (long long)access_state_location(st, holder(a)), zone);
			continue;
		}
		int t, hh, mm, level;
		long long reader;
		char day[8], cred[16], pin[16], dir[8], want[8], reason[32], held[8] = "";
		int n = sscanf(line, "%d %7s %d:%d %d %lld %15s %15s %7s %7s %31s %7s", &t, day, &hh,
			       &mm, &level, &reader, cred, pin, dir, want, reason, held);
		if (n < 11)
			fail_msg("line %d: cannot read '%s'", lineno, line);
		(void)b;
		struct access_request rq = {0};
		rq.reader_id = reader;
		rq.credential = cred;
		rq.pin = strcmp(pin, "-") ? pin : NULL;
		rq.out = strcmp(dir, "out") == 0;
		rq.level = level;
		rq.now_ms = T_BASE + (int64_t)t * 1000;
		int d = day_of(day, &rq.local_date);
		rq.local_minute_of_week = d * 1440 + hh * 60 + mm;
		struct access_decision out;
		access_decide(f->policy, st, &rq, &out);
		const char *got = out.grant ? "grant" : "deny";
		if (strcmp(got, want) || strcmp(access_reason_name(out.reason), reason) ||
		    out.held != (strcmp(held, "held") == 0))
			fail_msg("line %d: %s -> %s %s%s (%s); expected %s %s %s", lineno, line, got,
				 access_reason_name(out.reason), out.held ? " held" : "", out.detail,
				 want, reason, held);
		ran++;
	}
	pg_free(cases);
	access_state_free(st);
	assert_true(ran > 40);
}

static void every_reason_has_a_stable_name(void **state)
{
	(void)state;
	assert_string_equal(access_reason_name(AR_GRANTED), "granted");
	assert_string_equal(access_reason_name(AR_VISITOR_EXPIRED), "visitor_expired");
	assert_string_equal(access_reason_name(AR_COUNT), "unknown");
	for (int i = 0; i < AR_COUNT; i++)
		assert_non_null(access_reason_name((enum access_reason)i));
}

static void pins_are_salted_and_checked(void **state)
{
	(void)state;
	char h1[100], h2[100];
	access_pin_hash("1234", h1);
	access_pin_hash("1234", h2);
	assert_string_not_equal(h1, h2);
	assert_true(access_pin_check(h1, "1234"));
	assert_false(access_pin_check(h1, "1235"));
	assert_false(access_pin_check("garbage", "1234"));
}

int main(void)
{
	pg_core_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_case_decides_as_written, setup, teardown),
		cmocka_unit_test(every_reason_has_a_stable_name),
		cmocka_unit_test(pins_are_salted_and_checked),
	};
	return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
