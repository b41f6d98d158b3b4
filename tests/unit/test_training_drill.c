/* Unit tests of drills and exercises: calendar-month arithmetic at month ends, the ISPS
 * due rules (drill 3 months, exercise by the end of the next calendar year and within 18
 * months, the 25% personnel change, no record yet), the overdue notices published once per
 * item, the schedule's overdue corrective actions, the check thread and the demo history. */
#include "unit.h"

#include <jansson.h>
#include <time.h>

#include "training/training_drill.h"

static int setup(void **state)
{
	pg_core_init();
	*state = unit_fixture_new();
	return 0;
}

static int64_t D(const char *s)
{
	int64_t day;
	if (training_day_parse(s, &day) < 0)
		fail_msg("bad date in the test: %s", s);
	return day;
}

static void assert_day(int64_t day, const char *want)
{
	char got[11];
	training_day_format(day, got);
	assert_string_equal(got, want);
}

static int64_t ms_of(const char *rfc3339)
{
	int64_t ms;
	assert_int_equal(pg_time_parse(rfc3339, &ms), 0);
	return ms;
}

/* ---- pure ---------------------------------------------------------------------------------- */

static void days_round_trip_and_dates_parse_strictly(void **state)
{
	(void)state;
	assert_int_equal(training_day_from_civil(1970, 1, 1), 0);
	assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2); /* 2000 is a leap year */
	assert_int_equal(D("2100-03-01") - D("2100-02-28"), 1); /* 2100 is not */
	for (int64_t d = D("2023-12-25"); d < D("2029-01-10"); d++) {
		int y, m, dd;
		training_day_to_civil(d, &y, &m, &dd);
		assert_int_equal(training_day_from_civil(y, m, dd), d);
	}
	int64_t day = 7;
	assert_int_equal(training_day_parse("2026-02-29", &day), PG_EINVAL);
	assert_int_equal(training_day_parse("2026-13-01", &day), PG_EINVAL);
	assert_int_equal(training_day_parse("2026-1-01", &day), PG_EINVAL);
	assert_int_equal(training_day_parse("2026-01-01T", &day), PG_EINVAL);
	assert_int_equal(training_day_parse("2026-0a-01", &day), PG_EINVAL);
	assert_int_equal(training_day_parse(NULL, &day), PG_EINVAL);
	assert_int_equal(day, 7); /* untouched on failure */
	assert_int_equal(training_day_parse("2028-02-29", &day), 0);
	assert_day(day, "2028-02-29");
}

static void months_are_calendar_months_clamped_at_month_end(void **state)
{
	(void)state;
	static const struct {
		const char *from;
		int n;
		const char *want;
	} cases[] = {
		{"2026-11-30", 3, "2027-02-28"}, {"2027-11-30", 3, "2028-02-29"},
		{"2026-01-31", 1, "2026-02-28"}, {"2026-03-31", 3, "2026-06-30"},
		{"2026-08-31", 18, "2028-02-29"}, {"2026-12-15", 3, "2027-03-15"},
		{"2026-10-31", 3, "2027-01-31"}, {"2026-05-31", 3, "2026-08-31"},
		{"2026-03-15", 0, "2026-03-15"}, {"2026-01-15", -1, "2025-12-15"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[11];
		training_day_format(training_day_add_months(D(cases[i].from), cases[i].n), got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s + %d months: got %s, want %s", cases[i].from, cases[i].n, got,
				 cases[i].want);
	}
}

static void a_drill_is_due_three_months_after_the_last_and_overdue_the_day_after(void **state)
{
	(void)state;
	struct training_due r;
	int64_t last = D("2026-05-31"), since = D("2026-01-01");
	training_drill_due(TRAINING_DRILL, 1, last, since, 0, D("2026-06-01"), &r);
	assert_day(r.due, "2026-08-31");
	assert_int_equal(r.status, TRAINING_DUE_OK);
	assert_int_equal(r.days_left, 91);
	training_drill_due(TRAINING_DRILL, 1, last, since, 0, D("2026-08-17"), &r);
	assert_int_equal(r.status, TRAINING_DUE_SOON); /* 14 days left */
	training_drill_due(TRAINING_DRILL, 1, last, since, 0, D("2026-08-16"), &r);
	assert_int_equal(r.status, TRAINING_DUE_OK); /* 15 days left */
	training_drill_due(TRAINING_DRILL, 1, last, since, 0, D("2026-08-31"), &r);
	assert_int_equal(r.status, TRAINING_DUE_SOON); /* the due day itself is in time */
	assert_int_equal(r.days_left, 0);
	assert_int_equal(r.days_overdue, 0);
	training_drill_due(TRAINING_DRILL, 1, last, since, 0, D("2026-09-01"), &r);
	assert_int_equal(r.status, TRAINING_DUE_OVERDUE);
	assert_int_equal(r.days_overdue, 1);
	/* a last drill on 30 November: due on the last day of February */
	training_drill_due(TRAINING_DRILL, 1, D("2027-11-30"), since, 0, D("2028-02-29"), &r);
	assert_day(r.due, "2028-02-29");
	assert_int_equal(r.status, TRAINING_DUE_SOON);
	training_drill_due(TRAINING_DRILL, 1, D("2026-11-30"), since, 0, D("2027-03-01"), &r);
	assert_day(r.due, "2027-02-28");
	assert_int_equal(r.days_overdue, 1);
}

static void an_exercise_is_due_by_the_end_of_next_year_and_within_18_months(void **state)
{
	(void)state;
	static const struct {
		const char *last, *want;
	} cases[] = {
		{"2025-03-15", "2026-09-15"}, /* 18 months comes first */
		{"2025-06-30", "2026-12-30"}, /* 18 months: 30 Dec, one day before year end */
		{"2025-07-01", "2026-12-31"}, /* 18 months would be 1 Jan 2027: the year ends first */
		{"2025-09-01", "2026-12-31"},
		{"2025-12-31", "2026-12-31"}, /* 12 months, not 18 */
		{"2025-01-01", "2026-07-01"},
		{"2024-08-31", "2025-12-31"}, /* 18 months would be 28 Feb 2026 */
		{"2023-08-31", "2024-12-31"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct training_due r;
		training_drill_due(TRAINING_EXERCISE, 1, D(cases[i].last), 0, 0, D(cases[i].last), &r);
		char got[11];
		training_day_format(r.due, got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("exercise on %s: due %s, want %s", cases[i].last, got, cases[i].want);
	}
	struct training_due r;
	training_drill_due(TRAINING_EXERCISE, 1, D("2025-09-01"), 0, 0, D("2026-12-01"), &r);
	assert_int_equal(r.status, TRAINING_DUE_SOON); /* 30 days */
	training_drill_due(TRAINING_EXERCISE, 1, D("2025-09-01"), 0, 0, D("2026-11-30"), &r);
	assert_int_equal(r.status, TRAINING_DUE_OK); /* 31 days */
	training_drill_due(TRAINING_EXERCISE, 1, D("2025-09-01"), 0, 0, D("2027-01-05"), &r);
	assert_int_equal(r.status, TRAINING_DUE_OVERDUE);
	assert_int_equal(r.days_overdue, 5);
	/* the personnel change rule is for drills only */
	training_drill_due(TRAINING_EXERCISE, 1, D("2025-09-01"), 0, D("2026-01-10"), D("2026-01-20"),
			   &r);
	assert_int_equal(r.status, TRAINING_DUE_OK);
	assert_int_equal(r.by_personnel_change, 0);
}

static void with_no_record_each_kind_is_overdue_since_the_schedule_began(void **state)
{
	(void)state;
	struct training_due r;
	int64_t since = D("2026-11-27");
	training_drill_due(TRAINING_DRILL, 0, 0, since, 0, since, &r);
	assert_day(r.due, "2026-11-27");
	assert_int_equal(r.status, TRAINING_DUE_OVERDUE);
	assert_int_equal(r.days_overdue, 0);
	training_drill_due(TRAINING_EXERCISE, 0, 0, since, 0, D("2027-01-01"), &r);
	assert_int_equal(r.status, TRAINING_DUE_OVERDUE);
	assert_int_equal(r.days_overdue, 35);
}

static void a_personnel_change_over_25_percent_brings_a_drill_forward_to_a_week(void **state)
{
	(void)state;
	struct training_due r;
	int64_t last = D("2026-10-01");
	training_drill_due(TRAINING_DRILL, 1, last, 0, D("2026-10-20"), D("2026-10-21"), &r);
	assert_day(r.due, "2026-10-27");
	assert_int_equal(r.by_personnel_change, 1);
	assert_int_equal(r.status, TRAINING_DUE_SOON);
	training_drill_due(TRAINING_DRILL, 1, last, 0, D("2026-10-20"), D("2026-10-28"), &r);
	assert_int_equal(r.status, TRAINING_DUE_OVERDUE);
	assert_int_equal(r.days_overdue, 1);
	/* a drill on the day of the change or after it settles it */
	training_drill_due(TRAINING_DRILL, 1, D("2026-10-20"), 0, D("2026-10-20"), D("2026-10-28"),
			   &r);
	assert_int_equal(r.by_personnel_change, 0);
	assert_day(r.due, "2027-01-20");
	/* a change whose week ends after the regular due day changes nothing */
	training_drill_due(TRAINING_DRILL, 1, last, 0, D("2026-12-30"), D("2026-12-30"), &r);
	assert_int_equal(r.by_personnel_change, 0);
	assert_day(r.due, "2027-01-01");
	/* with no drill recorded, the change still gives a week from it */
	training_drill_due(TRAINING_DRILL, 0, 0, D("2026-10-01"), D("2026-10-20"), D("2026-10-21"),
			   &r);
	assert_int_equal(r.by_personnel_change, 0); /* due since 1 Oct already */
	assert_int_equal(r.status, TRAINING_DUE_OVERDUE);
}

/* ---- in the store ------------------------------------------------------------------------- */

struct sql_ctx {
	const char *sql;
	const char *arg;
	int64_t n;
	int64_t now_ms;
	int published;
	json_t *out;
};

static int sql_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sql_ctx *c = vctx;
	return store_exec(tx, err, c->sql, "t", c->arg);
}

static void sql(struct fixture *f, const char *statement, const char *arg)
{
	struct sql_ctx c = {.sql = statement, .arg = arg};
	struct pg_err err = {0};
	if (store_write(f->s, sql_fn, &c, &err) < 0)
		fail_msg("%s: %s", statement, err.msg);
}

static int count_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sql_ctx *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, c->sql, "t", c->arg);
	if (rc == 0 && store_next(r) == 1)
		c->n = store_int(r, 0);
	store_rows_free(r);
	return rc;
}

static int64_t count(struct fixture *f, const char *q, const char *arg)
{
	struct sql_ctx c = {.sql = q, .arg = arg};
	struct pg_err err = {0};
	if (store_read(f->s, count_fn, &c, &err) < 0)
		fail_msg("%s: %s", q, err.msg);
	return c.n;
}

static int check_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sql_ctx *c = vctx;
	return training_drill_check_tx(tx, c->now_ms, &c->published, err);
}

static int check(struct fixture *f, const char *now)
{
	struct sql_ctx c = {.now_ms = ms_of(now)};
	struct pg_err err = {0};
	if (store_write(f->s, check_fn, &c, &err) < 0)
		fail_msg("check: %s", err.msg);
	return c.published;
}

static int schedule_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sql_ctx *c = vctx;
	return training_drill_schedule_tx(tx, c->now_ms, &c->out, err);
}

static json_t *schedule(struct fixture *f, const char *now)
{
	struct sql_ctx c = {.now_ms = ms_of(now)};
	struct pg_err err = {0};
	if (store_read(f->s, schedule_fn, &c, &err) < 0)
		fail_msg("schedule: %s", err.msg);
	return c.out;
}

static int events_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct sql_ctx *c = vctx;
	return store_query_json(tx, &c->out, err,
				"SELECT id, data AS data_json FROM events WHERE topic = 'training' "
				"ORDER BY id",
				"");
}

static json_t *training_events(struct fixture *f)
{
	struct sql_ctx c = {0};
	struct pg_err err = {0};
	if (store_read(f->s, events_fn, &c, &err) < 0)
		fail_msg("events: %s", err.msg);
	return c.out;
}

static const char *ev_str(json_t *events, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_object_get(json_array_get(events, i), "data"), key));
}

static void overdue_items_are_published_once_each_and_remembered(void **state)
{
	struct fixture *f = *state;
	sql(f, "UPDATE drill_meta SET value = ?1 WHERE key = 'schedule_since'", "2026-01-10");
	assert_int_equal(check(f, "2026-03-01T08:00:00Z"), 2); /* no drill, no exercise */
	assert_int_equal(check(f, "2026-03-02T08:00:00Z"), 0); /* the same items: remembered */
	json_t *ev = training_events(f);
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(ev_str(ev, 0, "action"), "drill_overdue");
	assert_string_equal(ev_str(ev, 0, "kind"), "drill");
	assert_string_equal(ev_str(ev, 0, "due"), "2026-01-10T23:59:59.999Z");
	assert_true(json_is_null(json_object_get(json_object_get(json_array_get(ev, 0), "data"), "last")));
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_array_get(ev, 0), "data"), "days_overdue")),
			 50);
	assert_string_equal(ev_str(ev, 0, "reason"),
			    "no drill recorded since the schedule began on 2026-01-10 (due "
			    "2026-01-10)");
	assert_string_equal(ev_str(ev, 1, "action"), "exercise_overdue");
	json_decref(ev);
	assert_int_equal(count(f, "SELECT count(*) FROM drill_notices WHERE kind = ?1", "drill"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = ?1", "drill_overdue"), 1);

	/* a drill conducted on 31 May: due 31 August, overdue from 1 September, published once */
	sql(f,
	    "INSERT INTO drills(kind, type, status, title, conducted_at, created_by, created_at, "
	    "updated_by, updated_at) VALUES ('drill', 'fire', 'conducted', 'Fire', ?1, 't', ?1, 't', ?1)",
	    "2026-05-31T22:30:00.000Z");
	assert_int_equal(check(f, "2026-08-31T23:00:00Z"), 0);
	assert_int_equal(check(f, "2026-09-01T00:00:01Z"), 1);
	assert_int_equal(check(f, "2026-09-20T00:00:00Z"), 0);
	ev = training_events(f);
	assert_int_equal(json_array_size(ev), 3);
	assert_string_equal(ev_str(ev, 2, "last"), "2026-05-31T22:30:00.000Z");
	assert_string_equal(ev_str(ev, 2, "due"), "2026-08-31T23:59:59.999Z");
	assert_string_equal(ev_str(ev, 2, "reason"), "no drill recorded since 2026-05-31 (due 2026-08-31)");
	json_decref(ev);
}

static void the_schedule_lists_overdue_open_actions_and_the_next_planned_item(void **state)
{
	struct fixture *f = *state;
	sql(f, "UPDATE drill_meta SET value = ?1 WHERE key = 'schedule_since'", "2026-01-01");
	sql(f,
	    "INSERT INTO drills(kind, type, format, status, title, conducted_at, created_by, created_at, "
	    "updated_by, updated_at) VALUES ('exercise', 'spill', 'tabletop', 'conducted', 'Spill', ?1, "
	    "'t', ?1, 't', ?1)",
	    "2026-02-10T09:00:00.000Z");
	sql(f,
	    "INSERT INTO drills(kind, type, status, title, planned_at, created_by, created_at, "
	    "updated_by, updated_at) VALUES ('drill', 'cyber', 'planned', 'Cyber', ?1, 't', ?1, 't', ?1)",
	    "2026-04-02T09:00:00.000Z");
	sql(f,
	    "INSERT INTO drill_actions(drill_id, text, owner_user, due_date, status, created_by, "
	    "created_at) VALUES (1, 'Fix the call-out list', 'admin', ?1, 'open', 't', ?1)",
	    "2026-03-01");
	sql(f,
	    "INSERT INTO drill_actions(drill_id, text, owner_user, due_date, status, created_by, "
	    "created_at, closed_at, closed_by) VALUES (1, 'Closed one', 'admin', ?1, 'closed', 't', "
	    "?1, ?1, 't')",
	    "2026-02-01");
	json_t *s = schedule(f, "2026-03-11T12:00:00Z");
	json_t *dr = json_object_get(s, "drill"), *ex = json_object_get(s, "exercise");
	assert_string_equal(json_string_value(json_object_get(dr, "status")), "overdue");
	assert_true(json_is_null(json_object_get(dr, "last")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(dr, "next_planned"), "title")),
			    "Cyber");
	assert_string_equal(json_string_value(json_object_get(ex, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(ex, "due_date")), "2027-08-10");
	assert_int_equal(json_integer_value(json_object_get(s, "actions_open")), 1);
	json_t *ov = json_object_get(s, "actions_overdue");
	assert_int_equal(json_array_size(ov), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ov, 0), "days_overdue")), 10);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ov, 0), "drill_title")),
			    "Spill");
	json_decref(s);
	/* on its due day an action is not overdue yet */
	s = schedule(f, "2026-03-01T23:00:00Z");
	assert_int_equal(json_array_size(json_object_get(s, "actions_overdue")), 0);
	json_decref(s);
}

static void the_check_thread_publishes_at_start_up(void **state)
{
	struct fixture *f = *state;
	struct training_drill *d = NULL;
	struct pg_err err = {0};
	assert_int_equal(training_drill_open(f->s, f->bus, &d, &err), 0);
	int64_t n = 0;
	for (int i = 0; i < 500 && n < 2; i++) {
		n = count(f, "SELECT count(*) FROM drill_notices WHERE kind <> ?1", "");
		if (n < 2) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL); /* polling the store for the thread's write */
		}
	}
	training_drill_close(d);
	training_drill_close(NULL);
	assert_int_equal(n, 2);
}

static void the_demo_history_leaves_one_overdue_action_and_nothing_else_overdue(void **state)
{
	struct fixture *f = *state;
	sql(f,
	    "INSERT INTO users(username, role, pw_hash, created_at, updated_at) VALUES ('pfso', "
	    "'pfso', 'x', ?1, ?1)",
	    "2026-01-01T00:00:00Z");
	for (int i = 0; i < 6; i++)
		sql(f,
		    "INSERT INTO people(kind, first_name, last_name, created_at, updated_at) VALUES "
		    "('employee', 'A', 'B', ?1, ?1)",
		    "2026-01-01T00:00:00Z");
	struct pg_err err = {0};
	if (training_drill_demo_seed(f->s, &err) < 0)
		fail_msg("demo: %s", err.msg);
	assert_int_equal(count(f, "SELECT count(*) FROM drills WHERE status = ?1", "conducted"), 5);
	assert_int_equal(count(f, "SELECT count(*) FROM drills WHERE status = ?1", "planned"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM drills WHERE kind = ?1", "exercise"), 2);
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	json_t *s = schedule(f, now);
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "drill"), "status")),
			    "ok");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(s, "exercise"), "status")), "ok");
	assert_int_equal(json_array_size(json_object_get(s, "actions_overdue")), 1);
	json_decref(s);
	assert_int_equal(check(f, now), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(days_round_trip_and_dates_parse_strictly),
		cmocka_unit_test(months_are_calendar_months_clamped_at_month_end),
		cmocka_unit_test(a_drill_is_due_three_months_after_the_last_and_overdue_the_day_after),
		cmocka_unit_test(an_exercise_is_due_by_the_end_of_next_year_and_within_18_months),
		cmocka_unit_test(with_no_record_each_kind_is_overdue_since_the_schedule_began),
		cmocka_unit_test(a_personnel_change_over_25_percent_brings_a_drill_forward_to_a_week),
		cmocka_unit_test_setup_teardown(overdue_items_are_published_once_each_and_remembered,
						setup, unit_teardown),
		cmocka_unit_test_setup_teardown(
			the_schedule_lists_overdue_open_actions_and_the_next_planned_item, setup,
			unit_teardown),
		cmocka_unit_test_setup_teardown(the_check_thread_publishes_at_start_up, setup,
						unit_teardown),
		cmocka_unit_test_setup_teardown(
			the_demo_history_leaves_one_overdue_action_and_nothing_else_overdue, setup,
			unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
