/* training_quiz.c - quiz attempts (draw, shuffle, server-side scoring, time and attempt
 * limits) and course completion, which issues the qualification access control checks. */
#include <string.h>
#include <time.h>

#include "../access/access.h"
#include "../access/access_admin.h"
#include "training_int.h"

#define GRACE_MS 5000 /* network and clock slack past the deadline */

uint32_t training_uniform(uint32_t n)
{
	/* rejection sampling: no modulo bias */
	uint32_t min = (uint32_t)(-n) % n, r;
	do {
		pg_random_bytes(&r, sizeof(r));
	} while (r < min);
	return r % n;
}

int training_publish(struct store_tx *tx, const char *actor, const char *action, const char *object,
                     json_t *details, struct pg_err *err)
{
	int rc = store_audit(tx, actor, action, object, details, err);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{ss ss}", "action", action, "by", actor);
	json_object_update(ev, details);
	int64_t id = store_event(tx, "training", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

int training_person_name(struct store_tx *tx, int64_t person_id, char *out, size_t n,
                         struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT first_name, last_name FROM people WHERE id = ?1",
	                     "i", person_id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1)
		pg_snprintf(out, n, "%s %s", store_text(r, 0), store_text(r, 1));
	store_rows_free(r);
	if (rc == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no person with id %lld",
		                  (long long)person_id);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading people failed") : 0;
}

int64_t training_add_months(int64_t ms, int months)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	int total = tm.tm_mon + months; /* months may be negative: floor division */
	int years = total >= 0 ? total / 12 : -((11 - total) / 12);
	tm.tm_year += years;
	tm.tm_mon = total - years * 12;
	int y = tm.tm_year + 1900;
	int last =
	    mdays[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (tm.tm_mday > last)
		tm.tm_mday = last;
	return (int64_t)timegm(&tm) * 1000 + ms % 1000;
}

/* ---- the course and the enrolment ------------------------------------------------------- */

struct course {
	int64_t id;
	char code[33], topic[40], qualification[65];
	char title[256];
	int quiz_questions, pass_mark, max_attempts, time_limit_s, validity_months, active;
};

static int course_load(struct store_tx *tx, int64_t id, struct course *c, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT code, topic, qualification, title, quiz_questions, pass_mark, "
	                     "max_attempts, time_limit_s, validity_months, active FROM "
	                     "training_courses WHERE id = ?1",
	                     "i", id);
	if (rc < 0)
		return rc;
	if ((rc = store_next(r)) == 1) {
		c->id = id;
		pg_strlcpy(c->code, store_text(r, 0), sizeof(c->code));
		pg_strlcpy(c->topic, store_text(r, 1), sizeof(c->topic));
		pg_strlcpy(c->qualification, store_text(r, 2), sizeof(c->qualification));
		pg_strlcpy(c->title, store_text(r, 3), sizeof(c->title));
		c->quiz_questions = (int)store_int(r, 4);
		c->pass_mark = (int)store_int(r, 5);
		c->max_attempts = (int)store_int(r, 6);
		c->time_limit_s = (int)store_int(r, 7);
		c->validity_months = (int)store_int(r, 8);
		c->active = (int)store_int(r, 9);
	}
	store_rows_free(r);
	if (rc == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no course with id %lld", (long long)id);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading courses failed") : 0;
}

/* The newest enrolment of person in course: *id (0 if none) and its status. */
static int enrolment_newest(struct store_tx *tx, int64_t person, int64_t course, int64_t *id,
                            char status[16], struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT id, status FROM training_enrolments WHERE person_id = ?1 AND "
	                     "course_id = ?2 ORDER BY id DESC LIMIT 1",
	                     "ii", person, course);
	if (rc < 0)
		return rc;
	*id = 0;
	status[0] = '\0';
	if ((rc = store_next(r)) == 1) {
		*id = store_int(r, 0);
		pg_strlcpy(status, store_text(r, 1), 16);
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading enrolments failed") : 0;
}

int training_enrol_tx(struct store_tx *tx, const char *actor, int64_t person, int64_t course,
                      int64_t now_ms, int64_t *id, struct pg_err *err)
{
	int rc = store_exec(tx, err,
	                    "INSERT INTO training_enrolments(person_id, course_id, status, "
	                    "enrolled_by, enrolled_at_ms) VALUES (?1, ?2, 'enrolled', ?3, ?4)",
	                    "iiti", person, course, actor, now_ms);
	if (rc < 0)
		return rc;
	*id = store_last_id(tx);
	json_t *d = json_pack("{sI sI sI}", "enrolment_id", (json_int_t)*id, "person_id",
	                      (json_int_t)person, "course_id", (json_int_t)course);
	char object[64];
	pg_snprintf(object, sizeof(object), "person %lld", (long long)person);
	rc = training_publish(tx, actor, "training.enrol", object, d, err);
	json_decref(d);
	return rc;
}

/* ---- attempts ------------------------------------------------------------------------------ */

/* The attempt as the taker sees it while it is open: question texts and shuffled options,
 * no answers. */
static int attempt_view_open(struct store_tx *tx, int64_t attempt_id, json_t **out,
                             struct pg_err *err)
{
	json_t *rows = NULL, *qs = NULL;
	int rc = store_query_json(
	    tx, &rows, err,
	    "SELECT a.id, a.course_id, a.person_id, a.status, a.pass_mark, a.total, "
	    "strftime('%Y-%m-%dT%H:%M:%fZ', a.started_at_ms / 1000.0, 'unixepoch') AS started_at, "
	    "strftime('%Y-%m-%dT%H:%M:%fZ', a.deadline_ms / 1000.0, 'unixepoch') AS deadline, "
	    "(a.deadline_ms - a.started_at_ms) / 1000 AS time_limit_s, "
	    "(SELECT count(*) FROM training_attempts b WHERE b.enrolment_id = a.enrolment_id "
	    "AND b.id <= a.id) AS attempt_no, c.max_attempts, c.code AS course_code, "
	    "c.title AS course_title, a.questions AS q_json FROM training_attempts a JOIN "
	    "training_courses c ON c.id = a.course_id WHERE a.id = ?1",
	    "i", attempt_id);
	if (rc < 0)
		return rc;
	json_t *a = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!a)
		return pg_err_set(err, PG_ENOTFOUND, "no attempt with id %lld",
		                  (long long)attempt_id);
	json_t *drawn = json_object_get(a, "q");
	json_t *view = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(drawn, i, d)
	{
		qs = NULL;
		rc = store_query_json(tx, &qs, err,
		                      "SELECT kind, text, options AS options_json FROM "
		                      "training_questions WHERE id = ?1",
		                      "i", (int64_t)json_integer_value(json_object_get(d, "q")));
		if (rc < 0)
			break;
		json_t *q = json_array_get(qs, 0);
		json_t *opts = json_object_get(q, "options"), *shown = json_array();
		size_t k;
		json_t *pi;
		json_array_foreach(json_object_get(d, "perm"), k, pi)
		    json_array_append(shown, json_array_get(opts, (size_t)json_integer_value(pi)));
		json_array_append_new(view,
		                      json_pack("{sI sO sO so}", "n", (json_int_t)i, "kind",
		                                json_object_get(q, "kind"), "text",
		                                json_object_get(q, "text"), "options", shown));
		json_decref(qs);
	}
	json_object_del(a, "q");
	json_object_set_new(a, "questions", view);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* Draws up to n ids at random (partial Fisher-Yates) from the active questions of topic. */
static int draw(struct store_tx *tx, const char *topic, int n, json_t **drawn, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT id, CASE WHEN kind = 'true_false' THEN 1 ELSE "
	                     "json_array_length(options) END FROM training_questions WHERE "
	                     "topic = ?1 AND active = 1 ORDER BY id",
	                     "t", topic);
	if (rc < 0)
		return rc;
	int64_t *ids = NULL;
	int *nopts = NULL;
	size_t cnt = 0, cap = 0;
	while ((rc = store_next(r)) == 1) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			ids = pg_realloc(ids, cap * sizeof(*ids));
			nopts = pg_realloc(nopts, cap * sizeof(*nopts));
		}
		ids[cnt] = store_int(r, 0);
		nopts[cnt++] = (int)store_int(r, 1);
	}
	store_rows_free(r);
	if (rc < 0) {
		rc = pg_err_set(err, PG_EIO, "store: reading questions failed");
		goto out;
	}
	if (cnt == 0) {
		rc = pg_err_set(err, PG_EUNPROCESSABLE, "the question bank of %s is empty", topic);
		goto out;
	}
	size_t take = (size_t)n < cnt ? (size_t)n : cnt;
	json_t *a = json_array();
	for (size_t i = 0; i < take; i++) {
		size_t j = i + training_uniform((uint32_t)(cnt - i));
		int64_t t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
		int tn = nopts[i];
		nopts[i] = nopts[j];
		nopts[j] = tn;
		/* true_false counts 1 here: True stays first, False second */
		int perm[TRAINING_MAX_OPTIONS];
		int no = nopts[i] > TRAINING_MAX_OPTIONS ? TRAINING_MAX_OPTIONS : nopts[i];
		int shuffle = no > 1;
		if (no == 1)
			no = 2;
		for (int k = 0; k < no; k++)
			perm[k] = k;
		for (int k = no - 1; shuffle && k > 0; k--) {
			int m = (int)training_uniform((uint32_t)k + 1);
			int x = perm[k];
			perm[k] = perm[m];
			perm[m] = x;
		}
		json_t *pa = json_array();
		for (int k = 0; k < no; k++)
			json_array_append_new(pa, json_integer(perm[k]));
		json_array_append_new(a, json_pack("{sI so}", "q", (json_int_t)ids[i], "perm", pa));
	}
	*drawn = a;
	rc = 0;
out:
	pg_free(ids);
	pg_free(nopts);
	return rc;
}

int training_attempts_expire_tx(struct store_tx *tx, int64_t person_id, int64_t course_id,
                                int64_t now_ms, struct pg_err *err)
{
	int rc =
	    store_exec(tx, err,
	               "UPDATE training_attempts SET status = 'expired', passed = 0, score = 0, "
	               "correct = 0, submitted_at_ms = deadline_ms WHERE person_id = ?1 AND "
	               "course_id = ?2 AND status = 'open' AND deadline_ms + ?3 < ?4",
	               "iiii", person_id, course_id, (int64_t)GRACE_MS, now_ms);
	if (rc < 0)
		return rc;
	/* an enrolment whose every attempt is used and over is failed */
	return store_exec(
	    tx, err,
	    "UPDATE training_enrolments SET status = 'failed', closed_at_ms = ?3 WHERE "
	    "person_id = ?1 AND course_id = ?2 AND status = 'enrolled' AND (SELECT "
	    "max_attempts FROM training_courses WHERE id = ?2) > 0 AND (SELECT count(*) "
	    "FROM training_attempts a WHERE a.enrolment_id = training_enrolments.id) >= "
	    "(SELECT max_attempts FROM training_courses WHERE id = ?2) AND NOT EXISTS "
	    "(SELECT 1 FROM training_attempts a WHERE a.enrolment_id = "
	    "training_enrolments.id AND a.status = 'open')",
	    "iii", person_id, course_id, now_ms);
}

int training_attempt_start_tx(struct store_tx *tx, const char *actor, int64_t person_id,
                              int64_t course_id, int64_t now_ms, json_t **out, struct pg_err *err)
{
	struct course c;
	char name[256], status[16];
	int64_t enrol = 0;
	json_t *drawn = NULL;
	int rc = course_load(tx, course_id, &c, err);
	if (rc < 0 || (rc = training_person_name(tx, person_id, name, sizeof(name), err)) < 0)
		return rc;
	if (!c.active)
		return pg_err_set(err, PG_ECONFLICT, "course %s is withdrawn", c.code);
	if (c.quiz_questions == 0)
		return pg_err_set(err, PG_EUNPROCESSABLE,
		                  "course %s has no quiz: it is completed in a classroom session",
		                  c.code);
	rc = training_attempts_expire_tx(tx, person_id, course_id, now_ms, err);
	if (rc < 0 || (rc = enrolment_newest(tx, person_id, course_id, &enrol, status, err)) < 0)
		return rc;
	if (enrol && strcmp(status, "failed") == 0)
		return pg_err_set(
		    err, PG_ECONFLICT,
		    "%s has used every attempt at %s: a trainer must enrol them again", name,
		    c.code);
	if (enrol && strcmp(status, "enrolled") == 0) {
		struct store_rows *r = NULL;
		int64_t open_id = 0, used = 0;
		rc = store_query(tx, &r, err,
		                 "SELECT count(*), max(CASE WHEN status = 'open' THEN id END) FROM "
		                 "training_attempts WHERE enrolment_id = ?1",
		                 "i", enrol);
		if (rc < 0)
			return rc;
		if (store_next(r) == 1) {
			used = store_int(r, 0);
			open_id = store_int(r, 1);
		}
		store_rows_free(r);
		if (open_id) {
			rc = attempt_view_open(tx, open_id, out, err);
			if (rc == 0)
				json_object_set_new(*out, "resumed", json_true());
			return rc;
		}
		if (c.max_attempts > 0 && used >= c.max_attempts) {
			rc = store_exec(tx, err,
			                "UPDATE training_enrolments SET status = 'failed', "
			                "closed_at_ms = ?2 WHERE id = ?1",
			                "ii", enrol, now_ms);
			return rc < 0
			           ? rc
			           : pg_err_set(err, PG_ECONFLICT,
			                        "%s has used every attempt at %s: a trainer must "
			                        "enrol them again",
			                        name, c.code);
		}
	} else if ((rc = training_enrol_tx(tx, actor, person_id, course_id, now_ms, &enrol, err)) <
	           0) {
		/* no enrolment yet, or the last one completed (recertification) */
		return rc;
	}
	if ((rc = draw(tx, c.topic, c.quiz_questions, &drawn, err)) < 0)
		return rc;
	char *qs = json_dumps(drawn, JSON_COMPACT);
	rc = store_exec(tx, err,
	                "INSERT INTO training_attempts(enrolment_id, person_id, course_id, status, "
	                "questions, total, pass_mark, started_at_ms, deadline_ms, taken_by) VALUES "
	                "(?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?9)",
	                "iiitiiiit", enrol, person_id, course_id, qs,
	                (int64_t)json_array_size(drawn), (int64_t)c.pass_mark, now_ms,
	                now_ms + (int64_t)c.time_limit_s * 1000, actor);
	pg_free(qs);
	json_decref(drawn);
	if (rc < 0)
		return rc;
	int64_t id = store_last_id(tx);
	json_t *d = json_pack("{sI sI ss sI ss}", "attempt_id", (json_int_t)id, "person_id",
	                      (json_int_t)person_id, "person", name, "course_id",
	                      (json_int_t)course_id, "course", c.code);
	char object[64];
	pg_snprintf(object, sizeof(object), "person %lld", (long long)person_id);
	rc = training_publish(tx, actor, "training.attempt.start", object, d, err);
	json_decref(d);
	if (rc == 0 && (rc = attempt_view_open(tx, id, out, err)) == 0)
		json_object_set_new(*out, "resumed", json_false());
	return rc;
}

/* The answers to one question as a bit set of shown indexes; PG_EINVAL naming answers[i]. */
static int answer_bits(const json_t *a, size_t i, int noptions, int kind, unsigned *bits,
                       struct pg_err *err)
{
	char field[32];
	pg_snprintf(field, sizeof(field), "answers[%zu]", i);
	if (!json_is_array(a))
		return pg_err_field(err, PG_EINVAL, field, "%s must be an array of option indexes",
		                    field);
	*bits = 0;
	size_t k;
	json_t *v;
	json_array_foreach(a, k, v)
	{
		json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;
		if (x < 0 || x >= noptions)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s holds %s, which names no option (0 to %d)", field,
			                    json_is_integer(v) ? "an index"
			                                       : "a value that is not "
			                                         "an index",
			                    noptions - 1);
		if (*bits & (1u << x))
			return pg_err_field(err, PG_EINVAL, field, "%s names option %d twice",
			                    field, (int)x);
		*bits |= 1u << x;
	}
	if (kind != TRAINING_MULTIPLE && json_array_size(a) > 1)
		return pg_err_field(err, PG_EINVAL, field, "%s: this question takes one answer",
		                    field);
	return 0;
}

int training_attempt_submit_tx(struct store_tx *tx, struct access *acc, const char *actor,
                               int64_t attempt_id, const json_t *answers, int64_t now_ms,
                               json_t **out, struct pg_err *err)
{
	json_t *rows = NULL, *result = NULL, *qrows = NULL;
	int rc =
	    store_query_json(tx, &rows, err,
	                     "SELECT a.person_id, a.course_id, a.enrolment_id, a.status, "
	                     "a.questions AS q_json, a.pass_mark, a.deadline_ms, c.max_attempts, "
	                     "c.code, (SELECT count(*) FROM training_attempts b WHERE "
	                     "b.enrolment_id = a.enrolment_id) AS used FROM training_attempts a "
	                     "JOIN training_courses c ON c.id = a.course_id WHERE a.id = ?1",
	                     "i", attempt_id);
	if (rc < 0)
		return rc;
	json_t *a = json_array_get(rows, 0);
	if (!a) {
		rc =
		    pg_err_set(err, PG_ENOTFOUND, "no attempt with id %lld", (long long)attempt_id);
		goto out;
	}
	const char *status = json_string_value(json_object_get(a, "status"));
	if (strcmp(status, "open") != 0) {
		rc = pg_err_set(err, PG_ECONFLICT, "attempt %lld is %s already",
		                (long long)attempt_id, status);
		goto out;
	}
	int64_t person = json_integer_value(json_object_get(a, "person_id"));
	int64_t course = json_integer_value(json_object_get(a, "course_id"));
	int64_t enrol = json_integer_value(json_object_get(a, "enrolment_id"));
	int pass_mark = (int)json_integer_value(json_object_get(a, "pass_mark"));
	int max_attempts = (int)json_integer_value(json_object_get(a, "max_attempts"));
	int used = (int)json_integer_value(json_object_get(a, "used"));
	int64_t deadline = json_integer_value(json_object_get(a, "deadline_ms"));
	json_t *drawn = json_object_get(a, "q");
	size_t total = json_array_size(drawn);
	if (!json_is_array(answers) || json_array_size(answers) != total) {
		rc = pg_err_field(err, PG_EINVAL, "answers",
		                  "answers must be an array of %zu answers, one per question",
		                  total);
		goto out;
	}
	int expired = now_ms > deadline + GRACE_MS;
	int correct = 0;
	json_t *review = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(drawn, i, d)
	{
		qrows = NULL;
		rc = store_query_json(
		    tx, &qrows, err,
		    "SELECT kind, text, options AS options_json, correct AS "
		    "correct_json, explanation FROM training_questions WHERE id = ?1",
		    "i", (int64_t)json_integer_value(json_object_get(d, "q")));
		if (rc < 0)
			break;
		json_t *q = json_array_get(qrows, 0);
		json_t *perm = json_object_get(d, "perm"), *opts = json_object_get(q, "options");
		int kind = access_name_index(
		    json_string_value(json_object_get(q, "kind")),
		    (const char *const[]){"single", "multiple", "true_false", NULL});
		unsigned chosen = 0, right = 0;
		rc = answer_bits(json_array_get(answers, i), i, (int)json_array_size(perm), kind,
		                 &chosen, err);
		if (rc < 0) {
			json_decref(qrows);
			break;
		}
		/* the right options, as shown */
		json_t *orig = json_object_get(q, "correct"), *shown = json_array(),
		       *right_shown = json_array(), *chosen_shown = json_array();
		size_t k;
		json_t *pi;
		json_array_foreach(perm, k, pi)
		{
			json_int_t o = json_integer_value(pi);
			json_array_append(shown, json_array_get(opts, (size_t)o));
			size_t m;
			json_t *cv;
			json_array_foreach(orig, m, cv) if (json_integer_value(cv) == o)
			{
				right |= 1u << k;
				json_array_append_new(right_shown, json_integer((json_int_t)k));
			}
			if (chosen & (1u << k))
				json_array_append_new(chosen_shown, json_integer((json_int_t)k));
		}
		int ok = !expired && chosen == right;
		correct += ok;
		json_array_append_new(
		    review,
		    json_pack("{sI sO sO so so so sb sO}", "n", (json_int_t)i, "kind",
		              json_object_get(q, "kind"), "text", json_object_get(q, "text"),
		              "options", shown, "chosen", chosen_shown, "correct", right_shown,
		              "right", ok, "explanation", json_object_get(q, "explanation")));
		json_decref(qrows);
	}
	if (rc < 0) {
		json_decref(review);
		goto out;
	}
	int score = total ? (int)((size_t)correct * 100 / total) : 0;
	int passed = !expired && score >= pass_mark;
	char *ans = json_dumps(answers, JSON_COMPACT);
	rc = store_exec(tx, err,
	                "UPDATE training_attempts SET status = ?2, answers = ?3, correct = ?4, "
	                "score = ?5, passed = ?6, submitted_at_ms = ?7 WHERE id = ?1",
	                "ittiiii", attempt_id, expired ? "expired" : "submitted", ans,
	                (int64_t)correct, (int64_t)score, (int64_t)passed, now_ms);
	pg_free(ans);
	int64_t completion = 0;
	if (rc == 0 && passed)
		rc = training_complete_tx(tx, acc, actor, person, course, attempt_id, 0, now_ms,
		                          &completion, err);
	else if (rc == 0 && max_attempts > 0 && used >= max_attempts)
		rc = store_exec(
		    tx, err,
		    "UPDATE training_enrolments SET status = 'failed', closed_at_ms = ?2 "
		    "WHERE id = ?1 AND status = 'enrolled'",
		    "ii", enrol, now_ms);
	json_t *details =
	    json_pack("{sI sI sI ss si si si sb sb}", "attempt_id", (json_int_t)attempt_id,
	              "person_id", (json_int_t)person, "course_id", (json_int_t)course, "course",
	              json_string_value(json_object_get(a, "code")), "score", score, "correct",
	              correct, "total", (int)total, "passed", passed, "expired", expired);
	char object[64];
	pg_snprintf(object, sizeof(object), "person %lld", (long long)person);
	if (rc == 0)
		rc = training_publish(tx, actor, "training.attempt.submit", object, details, err);
	json_decref(details);
	json_t *cert = json_null();
	if (rc == 0 && completion) {
		json_t *c = NULL;
		rc = store_query_json(tx, &c, err,
		                      "SELECT id, code, strftime('%Y-%m-%dT%H:%M:%fZ', "
		                      "completed_at_ms / 1000.0, 'unixepoch') AS completed_at, "
		                      "CASE WHEN expires_ms IS NULL THEN NULL ELSE "
		                      "strftime('%Y-%m-%dT%H:%M:%fZ', expires_ms / 1000.0, "
		                      "'unixepoch') END AS expires_at FROM training_completions "
		                      "WHERE id = ?1",
		                      "i", completion);
		if (rc == 0)
			cert = json_incref(json_array_get(c, 0));
		json_decref(c);
	}
	if (rc < 0) {
		json_decref(review);
		json_decref(cert);
		goto out;
	}
	int left = max_attempts > 0 ? max_attempts - used : -1;
	result = json_pack("{sI sI sI ss si si si si sb so so so}", "id", (json_int_t)attempt_id,
	                   "person_id", (json_int_t)person, "course_id", (json_int_t)course,
	                   "status", expired ? "expired" : "submitted", "score", score, "correct",
	                   correct, "total", (int)total, "pass_mark", pass_mark, "passed", passed,
	                   "attempts_left", passed || left < 0 ? json_null() : json_integer(left),
	                   "questions", review, "certificate", cert);
	*out = result;
out:
	json_decref(rows);
	return rc;
}

/* ---- completion ---------------------------------------------------------------------------- */

int training_complete_tx(struct store_tx *tx, struct access *acc, const char *actor,
                         int64_t person_id, int64_t course_id, int64_t attempt_id,
                         int64_t session_id, int64_t now_ms, int64_t *completion_id,
                         struct pg_err *err)
{
	struct course c;
	char name[256], code[TRAINING_CODE_LEN], now[PG_TIME_LEN];
	int rc = course_load(tx, course_id, &c, err);
	if (rc < 0 || (rc = training_person_name(tx, person_id, name, sizeof(name), err)) < 0)
		return rc;
	int64_t expires = c.validity_months ? training_add_months(now_ms, c.validity_months) : 0;
	/* a code collision (2^-80 per pair) is answered by drawing again */
	for (int tries = 0; tries < 3; tries++) {
		training_code_new(code);
		rc =
		    store_exec(tx, err,
		               "INSERT INTO training_completions(person_id, course_id, attempt_id, "
		               "session_id, completed_at_ms, expires_ms, code, issued_by) VALUES "
		               "(?1, ?2, NULLIF(?3, 0), NULLIF(?4, 0), ?5, NULLIF(?6, 0), ?7, ?8)",
		               "iiiiiitt", person_id, course_id, attempt_id, session_id, now_ms,
		               expires, code, actor);
		if (rc != PG_ECONFLICT)
			break;
	}
	if (rc < 0)
		return rc;
	int64_t cid = store_last_id(tx);
	pg_time_format(now_ms, now);
	char issued_by[80];
	pg_snprintf(issued_by, sizeof(issued_by), "training %s", c.code);
	/* renew: a later expiry, or none, that the person holds already is kept */
	rc =
	    store_exec(tx, err,
	               "INSERT INTO qualifications(person_id, name, expires_ms, issued_by, "
	               "updated_at) VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5) ON CONFLICT(person_id, "
	               "name) DO UPDATE SET expires_ms = CASE WHEN excluded.expires_ms IS NULL OR "
	               "qualifications.expires_ms IS NULL THEN NULL ELSE max(excluded.expires_ms, "
	               "qualifications.expires_ms) END, issued_by = excluded.issued_by, updated_at "
	               "= excluded.updated_at",
	               "ititt", person_id, c.qualification, expires, issued_by, now);
	if (rc < 0)
		return rc;
	rc = store_exec(tx, err,
	                "UPDATE training_enrolments SET status = 'completed', closed_at_ms = ?3 "
	                "WHERE person_id = ?1 AND course_id = ?2 AND status = 'enrolled'",
	                "iii", person_id, course_id, now_ms);
	if (rc < 0)
		return rc;
	char object[64], exp[PG_TIME_LEN] = "";
	if (expires)
		pg_time_format(expires, exp);
	pg_snprintf(object, sizeof(object), "person %lld", (long long)person_id);
	json_t *d =
	    json_pack("{sI sI ss sI ss ss ss so}", "completion_id", (json_int_t)cid, "person_id",
	              (json_int_t)person_id, "person", name, "course_id", (json_int_t)course_id,
	              "course", c.code, "qualification", c.qualification, "completed_at", now,
	              "expires_at", expires ? json_string(exp) : json_null());
	rc = training_publish(tx, actor, "training.complete", object, d, err);
	json_decref(d);
	if (rc < 0)
		return rc;
	d = json_pack("{ss so ss sI}", "qualification", c.qualification, "expires_ms",
	              expires ? json_integer(expires) : json_null(), "course", c.code,
	              "completion_id", (json_int_t)cid);
	rc = store_audit(tx, actor, "training.qualification.issue", object, d, err);
	json_decref(d);
	if (rc < 0)
		return rc;
	access_changed(tx, acc);
	if (completion_id)
		*completion_id = cid;
	return 0;
}
