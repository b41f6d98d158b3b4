/* Unit tests of training: the pack parser (the shipped files, and bad packs refused with
 * the place named), the compiled-in copies equal the files, verification codes, calendar
 * months, quizzes (draw, no repeats, scoring, time and attempt limits), completion issuing
 * the qualification, compliance statuses and reminders sent once. */
#include "unit.h"

#include "core/core.h"
#include "training/training.h"

static int seed_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	return training_seed_tx(tx, err);
}

static int setup(void **state)
{
	pg_core_init();
	struct fixture *f = unit_fixture_new();
	struct pg_err err = {0};
	if (store_write(f->s, seed_fn, NULL, &err) < 0)
		fail_msg("seed: %s", err.msg);
	*state = f;
	return 0;
}

/* ---- packs ------------------------------------------------------------------------------ */

static void the_shipped_files_parse_and_equal_the_compiled_in_copies(void **state)
{
	(void)state;
	int questions[TRAINING_N_TOPICS] = {0}, courses = 0;
	assert_true(training_n_data_files >= 9);
	for (int i = 0; i < training_n_data_files; i++) {
		const struct training_data_file *d = &training_data_files[i];
		char path[512], *text = NULL;
		struct pg_err err = {0};
		snprintf(path, sizeof(path), "%s/etc/training/%s", PG_SOURCE_DIR, d->name);
		if (pg_read_text_file(path, TRAINING_PACK_MAX, "pack", &text, &err) < 0)
			fail_msg("%s", err.msg);
		if (strlen(text) != d->len || memcmp(text, d->text, d->len) != 0)
			fail_msg(
			    "%s differs from its compiled-in copy: rebuild",
			    d->name);
		pg_free(text);
		struct training_pack *p = NULL;
		if (training_pack_parse(d->text, d->len, &p, &err) < 0)
			fail_msg("%s: %s", d->name, err.msg);
		for (int q = 0; q < p->nquestions; q++) {
			questions[p->questions[q].topic]++;
			assert_true(strlen(p->questions[q].explanation) > 20);
		}
		courses += p->ncourses;
		training_pack_free(p);
	}
	for (int t = 0; t < TRAINING_N_TOPICS; t++)
		if (questions[t] < 15)
			fail_msg("topic %s has %d questions", training_topics[t], questions[t]);
	assert_int_equal(courses, 8);
}

static void bad_packs_are_refused_naming_the_place(void **state)
{
	(void)state;
	static const struct {
		const char *text, *field, *msg;
	} cases[] = {
	    {"[", "", "not valid JSON"},
	    {"[]", "", "a pack is a JSON object"},
	    {"{\"format\":\"v0\"}", "format", "must be"},
	    {"{\"format\":\"portguard-training/1\",\"x\":1}", "x", "unknown member"},
	    {"{\"format\":\"portguard-training/"
	     "1\",\"questions\":[{\"ref\":\"a\",\"kind\":\"single\","
	     "\"text\":\"Q?\",\"options\":[\"a\",\"b\"],\"correct\":[0],\"explanation\":\"E\"}]}",
	     "questions[0].topic", "required here"},
	    {"{\"format\":\"portguard-training/"
	     "1\",\"topic\":\"cyber_security\",\"questions\":[{\"ref\":"
	     "\"a\",\"kind\":\"single\",\"text\":\"Q?\",\"options\":[\"a\",\"b\"],\"correct\":[2],"
	     "\"explanation\":\"E\"}]}",
	     "questions[0].correct", "names no option"},
	    {"{\"format\":\"portguard-training/"
	     "1\",\"topic\":\"cyber_security\",\"questions\":[{\"ref\":"
	     "\"a\",\"kind\":\"single\",\"text\":\"Q?\",\"options\":[\"a\",\"a\"],\"correct\":[0],"
	     "\"explanation\":\"E\"}]}",
	     "questions[0].options[1]", "repeats"},
	    {"{\"format\":\"portguard-training/"
	     "1\",\"topic\":\"cyber_security\",\"questions\":[{\"ref\":"
	     "\"a\",\"kind\":\"true_false\",\"text\":\"Q?\",\"correct\":[0,1],"
	     "\"explanation\":\"E\"}]}",
	     "questions[0].correct", "one right option"},
	    {"{\"format\":\"portguard-training/"
	     "1\",\"topic\":\"cyber_security\",\"questions\":[{\"ref\":"
	     "\"A "
	     "B\",\"kind\":\"single\",\"text\":\"Q?\",\"options\":[\"a\",\"b\"],\"correct\":[0],"
	     "\"explanation\":\"E\"}]}",
	     "questions[0].ref", "a-z"},
	    {"{\"format\":\"portguard-training/"
	     "1\",\"topic\":\"cyber_security\",\"questions\":[{\"ref\":"
	     "\"a\",\"kind\":\"single\",\"text\":\"  \",\"options\":[\"a\",\"b\"],\"correct\":[0],"
	     "\"explanation\":\"E\"}]}",
	     "questions[0].text", "blank"},
	    {"{\"format\":\"portguard-training/1\",\"courses\":[{\"code\":\"X\",\"title\":\"T\","
	     "\"topic\":\"maritime_safety\",\"qualification\":\"q\",\"content\":\"c\","
	     "\"duration_minutes\":10,\"validity_months\":300}]}",
	     "courses[0].validity_months", "0 to 240"},
	    {"{\"format\":\"portguard-training/1\",\"requirements\":[{\"course\":\"X\","
	     "\"applies_to\":\"kind\",\"value\":\"alien\"}]}",
	     "requirements[0].value", "person kind"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct training_pack *p = NULL;
		struct pg_err err = {0};
		int rc = training_pack_parse(cases[i].text, strlen(cases[i].text), &p, &err);
		if (rc != PG_EINVAL || p)
			fail_msg("case %zu: rc %d", i, rc);
		if (strcmp(err.field, cases[i].field) != 0 || !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: field '%s' msg '%s'", i, err.field, err.msg);
	}
}

/* ---- codes and months --------------------------------------------------------------------- */

static void codes_are_random_and_read_forgivingly(void **state)
{
	(void)state;
	char a[TRAINING_CODE_LEN], b[TRAINING_CODE_LEN], n[TRAINING_CODE_LEN];
	training_code_new(a);
	training_code_new(b);
	assert_int_equal(strlen(a), 19);
	assert_string_not_equal(a, b);
	assert_int_equal(training_code_normalise(a, n), 0);
	assert_string_equal(a, n);
	assert_int_equal(training_code_normalise("g76w ftn8 4dh2 yc6e", n), 0);
	assert_string_equal(n, "G76W-FTN8-4DH2-YC6E");
	assert_int_equal(training_code_normalise("O0IL-0000-0000-0000", n), 0);
	assert_string_equal(n, "0011-0000-0000-0000");
	assert_int_equal(training_code_normalise("UUUU-0000-0000-0000", n), PG_EINVAL);
	assert_int_equal(training_code_normalise("0000-0000-0000", n), PG_EINVAL);
	assert_int_equal(training_code_normalise("0000-0000-0000-00000", n), PG_EINVAL);
}

static void months_are_calendar_months(void **state)
{
	(void)state;
	int64_t t;
	char s[PG_TIME_LEN];
	assert_int_equal(pg_time_parse("2027-01-31T10:00:00.250Z", &t), 0);
	pg_time_format(training_add_months(t, 1), s);
	assert_string_equal(s, "2027-02-28T10:00:00.250Z");
	assert_int_equal(pg_time_parse("2028-01-31T10:00:00Z", &t), 0);
	pg_time_format(training_add_months(t, 1), s);
	assert_string_equal(s, "2028-02-29T10:00:00.000Z");
	pg_time_format(training_add_months(t, 24), s);
	assert_string_equal(s, "2030-01-31T10:00:00.000Z");
	pg_time_format(training_add_months(t, 11), s);
	assert_string_equal(s, "2028-12-31T10:00:00.000Z");
	/* backwards too (the demo's completions are dated from their expiry) */
	pg_time_format(training_add_months(t, -1), s);
	assert_string_equal(s, "2027-12-31T10:00:00.000Z");
	pg_time_format(training_add_months(t, -11), s);
	assert_string_equal(s, "2027-02-28T10:00:00.000Z");
	pg_time_format(training_add_months(t, -12), s);
	assert_string_equal(s, "2027-01-31T10:00:00.000Z");
	pg_time_format(training_add_months(t, -25), s);
	assert_string_equal(s, "2025-12-31T10:00:00.000Z");
}

/* ---- quizzes ------------------------------------------------------------------------------ */

struct qctx {
	int64_t person, course, attempt, now;
	json_t *out, *answers;
	int right; /* answer right (1) or wrong (0) */
};

struct qrow {
	const char *sql;
	int64_t v;
};

static int int_fn(struct store_tx *tx, void *vctx, struct pg_err *e)
{
	struct qrow *q = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, e, q->sql, "");
	if (rc == 0 && store_next(r) == 1)
		q->v = store_int(r, 0);
	store_rows_free(r);
	return rc;
}

/* The first column of the first row of sql. */
static int64_t one_int(struct fixture *f, const char *sql)
{
	struct qrow q = {sql, -1};
	struct pg_err err = {0};
	if (store_read(f->s, int_fn, &q, &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
	return q.v;
}

struct pdfc {
	int64_t id;
	char *pdf;
	size_t len;
};

static int pdf_fn(struct store_tx *tx, void *vctx, struct pg_err *e)
{
	struct pdfc *p = vctx;
	return training_certificate_pdf(tx, p->id, &p->pdf, &p->len, e);
}

static int person_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct qctx *c = vctx;
	int rc =
	    store_exec(tx, err,
	               "INSERT INTO people(kind, first_name, last_name, created_at, updated_at) "
	               "VALUES ('employee', 'Ann', 'Quay', 'x', 'x')",
	               "");
	c->person = store_last_id(tx);
	return rc;
}

static int start_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct qctx *c = vctx;
	json_decref(c->out);
	c->out = NULL;
	return training_attempt_start_tx(tx, "test", c->person, c->course, c->now, &c->out, err);
}

/* The right answers (or one wrong option) per question, looked up by text in the bank. */
static int answers_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct qctx *c = vctx;
	json_decref(c->answers);
	c->answers = json_array();
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(c->out, "questions"), i, q)
	{
		json_t *rows = NULL;
		int rc =
		    store_query_json(tx, &rows, err,
		                     "SELECT options AS options_json, correct AS correct_json FROM "
		                     "training_questions WHERE text = ?1",
		                     "t", json_string_value(json_object_get(q, "text")));
		if (rc < 0)
			return rc;
		json_t *bank = json_array_get(rows, 0), *pick = json_array();
		json_t *opts = json_object_get(bank, "options"),
		       *corr = json_object_get(bank, "correct");
		size_t k;
		json_t *shown;
		json_array_foreach(json_object_get(q, "options"), k, shown)
		{
			int good = 0;
			size_t m;
			json_t *ci;
			json_array_foreach(corr, m, ci) good |=
			    json_equal(json_array_get(opts, (size_t)json_integer_value(ci)), shown);
			if (good == c->right && (c->right || json_array_size(pick) == 0))
				json_array_append_new(pick, json_integer((json_int_t)k));
		}
		json_array_append_new(c->answers, pick);
		json_decref(rows);
	}
	return 0;
}

static int expire_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct qctx *c = vctx;
	return training_attempts_expire_tx(tx, c->person, c->course, c->now, err);
}

static int submit_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct qctx *c = vctx;
	int64_t id = json_integer_value(json_object_get(c->out, "id"));
	json_decref(c->out);
	c->out = NULL;
	return training_attempt_submit_tx(tx, NULL, "test", id, c->answers, c->now, &c->out, err);
}

static void qctx_release(struct qctx *c)
{
	json_decref(c->out);
	json_decref(c->answers);
}

static void a_quiz_draws_distinct_questions_and_scores_on_the_server(void **state)
{
	struct fixture *f = *state;
	struct qctx c = {0};
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, person_tx, &c, &err), 0);
	c.course = one_int(f, "SELECT id FROM training_courses WHERE code = 'PG-325'");
	c.now = pg_now_ms();
	assert_int_equal(store_write(f->s, start_tx, &c, &err), 0);
	json_t *qs = json_object_get(c.out, "questions");
	assert_int_equal(json_array_size(qs), 10);
	for (size_t i = 0; i < 10; i++)
		for (size_t k = 0; k < i; k++)
			assert_false(json_equal(json_object_get(json_array_get(qs, i), "text"),
			                        json_object_get(json_array_get(qs, k), "text")));
	assert_null(json_object_get(json_array_get(qs, 0), "correct"));
	/* wrong answers: 0 %, the attempt counts */
	c.right = 0;
	assert_int_equal(store_read(f->s, answers_tx, &c, &err), 0);
	assert_int_equal(store_write(f->s, submit_tx, &c, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(c.out, "score")), 0);
	assert_false(json_is_true(json_object_get(c.out, "passed")));
	assert_int_equal(json_integer_value(json_object_get(c.out, "attempts_left")), 2);
	assert_int_equal(one_int(f, "SELECT count(*) FROM qualifications"), 0);
	/* right answers: 100 %, a completion, the qualification for 24 months */
	assert_int_equal(store_write(f->s, start_tx, &c, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(c.out, "attempt_no")), 2);
	c.right = 1;
	assert_int_equal(store_read(f->s, answers_tx, &c, &err), 0);
	assert_int_equal(store_write(f->s, submit_tx, &c, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(c.out, "score")), 100);
	assert_true(json_is_true(json_object_get(c.out, "passed")));
	assert_true(json_is_object(json_object_get(c.out, "certificate")));
	assert_int_equal(one_int(f, "SELECT count(*) FROM qualifications WHERE name = "
	                            "'security_awareness' AND issued_by = 'training PG-325'"),
	                 1);
	assert_int_equal(one_int(f, "SELECT expires_ms FROM qualifications"),
	                 training_add_months(c.now, 24));
	assert_int_equal(one_int(f, "SELECT count(*) FROM audit WHERE action = "
	                            "'training.qualification.issue'"),
	                 1);
	assert_int_equal(one_int(f, "SELECT count(*) FROM training_enrolments WHERE status = "
	                            "'completed'"),
	                 1);
	/* the certificate renders */
	struct pdfc p = {
	    json_integer_value(json_object_get(json_object_get(c.out, "certificate"), "id")), NULL,
	    0};
	assert_int_equal(store_read(f->s, pdf_fn, &p, &err), 0);
	assert_true(p.len > 1000);
	assert_memory_equal(p.pdf, "%PDF-", 5);
	pg_free(p.pdf);
	qctx_release(&c);
}

static void time_and_attempt_limits_hold_on_the_server(void **state)
{
	struct fixture *f = *state;
	struct qctx c = {0};
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, person_tx, &c, &err), 0);
	c.course = one_int(f, "SELECT id FROM training_courses WHERE code = 'PG-321'");
	assert_int_equal(one_int(f, "SELECT max_attempts FROM training_courses WHERE code = "
	                            "'PG-321'"),
	                 2);
	c.now = pg_now_ms();
	assert_int_equal(store_write(f->s, start_tx, &c, &err), 0);
	/* right answers, but 41 minutes later: expired, not passed */
	c.right = 1;
	assert_int_equal(store_read(f->s, answers_tx, &c, &err), 0);
	c.now += 41 * 60 * 1000;
	assert_int_equal(store_write(f->s, submit_tx, &c, &err), 0);
	assert_string_equal(json_string_value(json_object_get(c.out, "status")), "expired");
	assert_false(json_is_true(json_object_get(c.out, "passed")));
	/* an attempt left open past its deadline expires when the next one starts */
	assert_int_equal(store_write(f->s, start_tx, &c, &err), 0);
	int64_t open = json_integer_value(json_object_get(c.out, "id"));
	c.now += 41 * 60 * 1000;
	assert_int_equal(store_write(f->s, expire_tx, &c, &err), 0);
	assert_int_equal(store_write(f->s, start_tx, &c, &err), PG_ECONFLICT);
	assert_non_null(strstr(err.msg, "a trainer must enrol them again"));
	char sql[128];
	snprintf(sql, sizeof(sql),
	         "SELECT status = 'expired' FROM training_attempts WHERE id = %lld",
	         (long long)open);
	assert_int_equal(one_int(f, sql), 1);
	assert_int_equal(one_int(f, "SELECT count(*) FROM training_enrolments WHERE status = "
	                            "'failed'"),
	                 1);
	qctx_release(&c);
}

/* ---- compliance and reminders ------------------------------------------------------------ */

struct cctx {
	int n[3];
	int rows;
	int sent;
};

static int count_row(void *ctx, const struct training_row *r)
{
	struct cctx *c = ctx;
	c->n[r->status]++;
	c->rows++;
	return 0;
}

static int world_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	(void)vctx;
	/* three staff: awareness current, expiring in 10 days, never done; one gate officer;
	 * one visitor (not staff) */
	int64_t now = pg_now_ms(), day = 86400000;
	int rc =
	    store_exec(tx, err,
	               "INSERT INTO people(id, kind, first_name, last_name, created_at, "
	               "updated_at) VALUES (1, 'employee', 'A', 'A', 'x', 'x'), (2, 'employee', "
	               "'B', 'B', 'x', 'x'), (3, 'contractor', 'C', 'C', 'x', 'x'), (4, "
	               "'visitor', 'V', 'V', 'x', 'x')",
	               "");
	if (rc == 0)
		rc = store_exec(tx, err,
		                "INSERT INTO training_person_roles(person_id, role) VALUES (3, "
		                "'gate_officer')",
		                "");
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_completions(person_id, course_id, "
		    "completed_at_ms, expires_ms, code, issued_by) SELECT 1, id, ?1, ?2, "
		    "'A', 't' FROM training_courses WHERE code = 'PG-325' UNION ALL SELECT "
		    "2, id, ?1, ?3, 'B', 't' FROM training_courses WHERE code = 'PG-325' "
		    "UNION ALL SELECT 2, id, ?1, ?4, 'C', 't' FROM training_courses WHERE "
		    "code = 'PG-325'",
		    "iiii", now - 100 * day, now + 400 * day, now + 10 * day, now - 5 * day);
	return rc;
}

static int scan_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct training_filter f = {.status = -1, .now_ms = pg_now_ms()};
	return training_compliance_scan(tx, &f, count_row, vctx, NULL, NULL, err);
}

static int remind_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct cctx *c = vctx;
	return training_reminders_tx(tx, pg_now_ms(), 100, &c->sent, err);
}

static void compliance_counts_current_expiring_and_overdue_and_reminds_once(void **state)
{
	struct fixture *f = *state;
	struct cctx c = {0};
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, world_tx, NULL, &err), 0);
	assert_int_equal(store_read(f->s, scan_tx, &c, &err), 0);
	/* A, B, C need awareness (all staff); C also the gate officer course; V nothing */
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.n[TS_CURRENT], 1);
	assert_int_equal(c.n[TS_EXPIRING], 1); /* B: the newest of B's two completions */
	assert_int_equal(c.n[TS_OVERDUE], 2);
	assert_int_equal(store_write(f->s, remind_tx, &c, &err), 0);
	assert_int_equal(c.sent, 1); /* B expiring; A is far off; C never completed */
	assert_int_equal(store_write(f->s, remind_tx, &c, &err), 0);
	assert_int_equal(c.sent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_shipped_files_parse_and_equal_the_compiled_in_copies),
	    cmocka_unit_test(bad_packs_are_refused_naming_the_place),
	    cmocka_unit_test(codes_are_random_and_read_forgivingly),
	    cmocka_unit_test(months_are_calendar_months),
	    cmocka_unit_test_setup_teardown(
	        a_quiz_draws_distinct_questions_and_scores_on_the_server, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(time_and_attempt_limits_hold_on_the_server, setup,
	                                    unit_teardown),
	    cmocka_unit_test_setup_teardown(
	        compliance_counts_current_expiring_and_overdue_and_reminds_once, setup,
	        unit_teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	training_pdf_cleanup();
	return rc;
}
