/* Unit tests of the core module: strings, buffers, time, configuration, event bus. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bus.h"
#include "core/config.h"
#include "core/core.h"

static void buf_refuses_to_grow_past_its_maximum(void **state)
{
	(void)state;
	struct pg_buf b;
	pg_buf_init(&b, 8);
	assert_int_equal(pg_buf_puts(&b, "12345678"), 0);
	assert_int_equal(pg_buf_puts(&b, "9"), PG_ELIMIT);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.p, "12345678");
	assert_int_equal(pg_buf_printf(&b, "%d", 1), PG_ELIMIT);
	pg_buf_release(&b);
}

static void strlcpy_truncates_and_says_so(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(pg_strlcpy(out, "abc", sizeof(out)), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(pg_strlcpy(out, "abcd", sizeof(out)), PG_ELIMIT);
	assert_string_equal(out, "abc");
}

static void parse_i64_takes_whole_numbers_in_range_only(void **state)
{
	(void)state;
	int64_t v = 7;
	assert_int_equal(pg_parse_i64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(pg_parse_i64("-3", -5, 5, &v), 0);
	assert_int_equal(v, -3);
	v = 7;
	assert_int_equal(pg_parse_i64("101", 0, 100, &v), PG_EINVAL);
	assert_int_equal(pg_parse_i64("12x", 0, 100, &v), PG_EINVAL);
	assert_int_equal(pg_parse_i64("", 0, 100, &v), PG_EINVAL);
	assert_int_equal(pg_parse_i64(" 1", 0, 100, &v), PG_EINVAL);
	assert_int_equal(pg_parse_i64("99999999999999999999", 0, INT64_MAX, &v), PG_EINVAL);
	assert_int_equal(v, 7);
}

static void time_formats_rfc3339_utc_and_parses_back(void **state)
{
	(void)state;
	char out[PG_TIME_LEN];
	pg_time_format(1795770000123LL, out);
	assert_string_equal(out, "2026-11-27T09:00:00.123Z");
	int64_t ms = 0;
	assert_int_equal(pg_time_parse(out, &ms), 0);
	assert_int_equal(ms, 1795770000123LL);
	assert_int_equal(pg_time_parse("2026-11-27T11:00:00+02:00", &ms), 0);
	assert_int_equal(ms, 1795770000000LL);
	assert_int_equal(pg_time_parse("2024-02-29T00:00:00Z", &ms), 0);
	assert_int_equal(pg_time_parse("2026-02-29T00:00:00Z", &ms), PG_EINVAL);
	assert_int_equal(pg_time_parse("2026-11-27 08:20:00Z", &ms), PG_EINVAL);
	assert_int_equal(pg_time_parse("2026-11-27T08:20:00", &ms), PG_EINVAL);
	assert_int_equal(pg_time_parse("2026-13-01T00:00:00Z", &ms), PG_EINVAL);
}

static void config_applies_keys_and_keeps_defaults(void **state)
{
	(void)state;
	struct pg_config c;
	struct pg_err err = {0};
	pg_config_defaults(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.threads, 0);
	assert_int_equal(pg_config_parse_string(&c, "[server]\nlisten = 0.0.0.0:9000\n"
						    "threads=8\n; a comment\n[auth]\nlockout_failures = 3\n",
						&err),
			 0);
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_int_equal(c.threads, 8);
	assert_int_equal(c.lockout_failures, 3);
	assert_int_equal(c.body_limit, 1048576);
}

static void config_error_names_line_and_key_and_changes_nothing(void **state)
{
	(void)state;
	struct pg_config c, before;
	struct pg_err err = {0};
	pg_config_defaults(&c);
	before = c;
	assert_int_equal(pg_config_parse_string(&c, "[server]\nthreads = 8\nthreds = 2\n", &err),
			 PG_EINVAL);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_non_null(strstr(err.msg, "server.threds"));
	assert_memory_equal(&c, &before, sizeof(c));
	assert_int_equal(pg_config_parse_string(&c, "[server]\nthreads = 65\n", &err), PG_EINVAL);
	assert_non_null(strstr(err.msg, "from 0 to 64"));
	assert_int_equal(pg_config_parse_string(&c, "[log]\nlevel = loud\n", &err), PG_EINVAL);
	assert_non_null(strstr(err.msg, "debug, info, warn, error"));
	assert_int_equal(pg_config_parse_string(&c, "just words\n", &err), PG_EINVAL);
	assert_memory_equal(&c, &before, sizeof(c));
}

static void config_refuses_long_lines_so_a_comment_never_sets_a_key(void **state)
{
	(void)state;
	struct pg_config c, before;
	struct pg_err err = {0};
	pg_config_defaults(&c);
	before = c;
	char text[512];
	char dashes[200];
	memset(dashes, '-', 197);
	dashes[197] = 0;
	snprintf(text, sizeof(text), "[server]\n# %sthreads = 64\n", dashes);
	assert_int_equal(pg_config_parse_string(&c, text, &err), PG_EINVAL);
	assert_non_null(strstr(err.msg, "line 2"));
	assert_memory_equal(&c, &before, sizeof(c));
	assert_int_equal(pg_config_parse_string(&c, "[server]\nlisten =\n", &err), PG_EINVAL);
}

static void utf8_sanitize_replaces_broken_sequences_only(void **state)
{
	(void)state;
	char s[] = "ok \xc3\xa9 cut \xc3 end \xff \xed\xa0\x80";
	pg_utf8_sanitize(s);
	assert_string_equal(s, "ok \xc3\xa9 cut ? end ? ???");
}

static int notified;
static void on_notify(void *ctx)
{
	(void)ctx;
	notified++;
}

static void bus_delivers_only_wanted_topics_in_order(void **state)
{
	(void)state;
	struct pg_bus *bus = pg_bus_new();
	struct pg_bus_sub *a = pg_bus_subscribe(bus, "users,auth", on_notify, NULL);
	struct pg_bus_sub *all = pg_bus_subscribe(bus, NULL, NULL, NULL);
	assert_non_null(a);
	notified = 0;
	pg_bus_publish(bus, 1, "users", "{\"n\":1}");
	pg_bus_publish(bus, 2, "alarms", "{\"n\":2}");
	pg_bus_publish(bus, 3, "auth", "{\"n\":3}");
	assert_int_equal(notified, 2);
	int64_t id;
	char *json;
	assert_int_equal(pg_bus_next(a, &id, &json), 1);
	assert_int_equal(id, 1);
	pg_free(json);
	assert_int_equal(pg_bus_next(a, &id, &json), 1);
	assert_int_equal(id, 3);
	pg_free(json);
	assert_int_equal(pg_bus_next(a, &id, &json), 0);
	int n = 0;
	while (pg_bus_next(all, &id, &json) == 1) {
		n++;
		pg_free(json);
	}
	assert_int_equal(n, 3);
	struct pg_buf m;
	pg_buf_init(&m, 1 << 16);
	pg_bus_metrics(bus, &m);
	assert_non_null(strstr(m.p, "portguard_events_total{topic=\"alarms\"} 1"));
	pg_buf_release(&m);
	pg_bus_unsubscribe(a);
	pg_bus_unsubscribe(all);
	pg_bus_free(bus);
}

static void bus_reports_overflow_once_so_the_reader_resyncs(void **state)
{
	(void)state;
	struct pg_bus *bus = pg_bus_new();
	struct pg_bus_sub *s = pg_bus_subscribe(bus, "x", NULL, NULL);
	for (int i = 0; i < PG_BUS_QUEUE + 5; i++)
		pg_bus_publish(bus, i + 1, "x", "{}");
	int64_t id;
	char *json;
	assert_int_equal(pg_bus_next(s, &id, &json), PG_ELIMIT);
	assert_int_equal(pg_bus_next(s, &id, &json), 0);
	pg_bus_publish(bus, 9999, "x", "{}");
	assert_int_equal(pg_bus_next(s, &id, &json), 1);
	assert_int_equal(id, 9999);
	pg_free(json);
	pg_bus_unsubscribe(s);
	pg_bus_free(bus);
}

static void bus_refuses_malformed_topic_lists(void **state)
{
	(void)state;
	struct pg_bus *bus = pg_bus_new();
	assert_null(pg_bus_subscribe(bus, "a,,b", NULL, NULL));
	assert_null(pg_bus_subscribe(bus, "a,", NULL, NULL));
	assert_null(pg_bus_subscribe(bus, "A B", NULL, NULL));
	pg_bus_free(bus);
}

static int parse_ok_only(const char *text, void *out, struct pg_err *err)
{
	if (strcmp(text, "ok\n") != 0)
		return pg_err_set(err, PG_EINVAL, "line 1: not ok");
	*(int *)out = 1;
	return 0;
}

static void load_text_file_prefixes_parse_errors_with_the_path(void **state)
{
	(void)state;
	char path[] = "/tmp/pg_test_core_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("ok\n", f);
	fclose(f);
	struct pg_err err = {0};
	int parsed = 0;
	assert_int_equal(pg_load_text_file(path, 64, "thing", parse_ok_only, &parsed, &err), 0);
	assert_int_equal(parsed, 1);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("bad\n", f);
	fclose(f);
	assert_int_equal(pg_load_text_file(path, 64, "thing", parse_ok_only, &parsed, &err),
			 PG_EINVAL);
	char want[128];
	snprintf(want, sizeof(want), "thing %s: line 1: not ok", path);
	assert_string_equal(err.msg, want);
	unlink(path);

	assert_true(pg_load_text_file(path, 64, "thing", parse_ok_only, &parsed, &err) < 0);
	assert_non_null(strstr(err.msg, "cannot open thing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_refuses_to_grow_past_its_maximum),
		cmocka_unit_test(strlcpy_truncates_and_says_so),
		cmocka_unit_test(parse_i64_takes_whole_numbers_in_range_only),
		cmocka_unit_test(time_formats_rfc3339_utc_and_parses_back),
		cmocka_unit_test(config_applies_keys_and_keeps_defaults),
		cmocka_unit_test(config_error_names_line_and_key_and_changes_nothing),
		cmocka_unit_test(config_refuses_long_lines_so_a_comment_never_sets_a_key),
		cmocka_unit_test(utf8_sanitize_replaces_broken_sequences_only),
		cmocka_unit_test(bus_delivers_only_wanted_topics_in_order),
		cmocka_unit_test(bus_reports_overflow_once_so_the_reader_resyncs),
		cmocka_unit_test(bus_refuses_malformed_topic_lists),
		cmocka_unit_test(load_text_file_prefixes_parse_errors_with_the_path),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
