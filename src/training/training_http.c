/* training_http.c - the training module in the daemon: open/close, the reminder thread,
 * and the routes for courses, the requirements matrix, question banks, job roles, user
 * links, training records, enrolments, quiz attempts, classroom sessions, certificates,
 * verification and compliance.
 *
 * Writes go through http_write_async (one group commit, the connection parked); every
 * change is audited and published on topic "training". */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "../access/access.h"
#include "../access/access_admin.h"
#include "../http/http_handler.h"
#include "training_int.h"

#define STAFF        (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_TRAINER))
#define MATRIX       (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO))
#define AUDIT        (STAFF | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_AUTHORITY))
#define TAKERS       (ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE))
#define PEOPLE_ROLES (STAFF | ROLE_BIT(ROLE_GATE))

#define CSV_CHUNK_PEOPLE   500
#define PDF_MAX_ROWS       2000
#define MAX_SESSION_PEOPLE 500
#define REMINDER_BATCH     500

struct training {
	struct store *store;
	struct access *acc;
	int reminder_s;
	pthread_t thread;
	int running;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop;
};

/* ---- reminders: a thread that runs the check every reminder_s seconds ------------------------ */

static int reminders_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return training_reminders_tx(tx, pg_now_ms(), REMINDER_BATCH, ctx, err);
}

static void *reminder_loop(void *arg)
{
	struct training *t = arg;
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		pthread_mutex_unlock(&t->lock);
		struct pg_err err = {0};
		int sent = 0;
		if (store_write(t->store, reminders_fn, &sent, &err) < 0)
			pg_warn("training reminders: %s", err.msg);
		else if (sent)
			pg_info("training reminders: %d sent", sent);
		pthread_mutex_lock(&t->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += t->reminder_s;
		while (!t->stop && pthread_cond_timedwait(&t->cond, &t->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static int seed_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	return training_seed_tx(tx, err);
}

int training_open(struct store *s, struct access *acc, int reminder_s, struct training **out,
                  struct pg_err *err)
{
	int rc = store_write(s, seed_fn, NULL, err);
	if (rc < 0)
		return rc;
	struct training *t = pg_calloc(1, sizeof(*t));
	t->store = s;
	t->acc = acc;
	t->reminder_s = reminder_s;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	if (reminder_s > 0) {
		if (pthread_create(&t->thread, NULL, reminder_loop, t) != 0) {
			training_close(t);
			return pg_err_set(err, PG_EIO, "cannot start the training reminder thread");
		}
		t->running = 1;
	}
	*out = t;
	return 0;
}

void training_close(struct training *t)
{
	if (!t)
		return;
	if (t->running) {
		pthread_mutex_lock(&t->lock);
		t->stop = 1;
		pthread_cond_signal(&t->cond);
		pthread_mutex_unlock(&t->lock);
		pthread_join(t->thread, NULL);
	}
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->cond);
	pg_free(t);
	training_pdf_cleanup(); /* after http_stop: no PDF is being made */
}

/* ---- shared plumbing ---------------------------------------------------------------------- */

static int is_staff(const struct http_req *req)
{
	return (STAFF & ROLE_BIT(req->who.role)) != 0;
}

static int is_auditor(const struct http_req *req)
{
	return (AUDIT & ROLE_BIT(req->who.role)) != 0;
}

/* One route's work: the fields a handler fills in, the write or read function, the answer. */
struct op {
	struct training *t;
	struct auth_principal who;
	int staff, auditor;
	int64_t id, id2;
	json_t *body; /* borrowed from the request (alive until the answer) */
	json_t *out;
	int status;
	char text[128];
};

static struct op *op_new(struct http_req *req, int status)
{
	struct op *c = pg_calloc(1, sizeof(*c));
	c->t = req->ctx;
	c->who = req->who;
	c->staff = is_staff(req);
	c->auditor = is_auditor(req);
	c->body = req->body;
	c->status = status;
	return c;
}

static void op_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct op *c = vctx;
	if (rc < 0)
		http_error(req, rc, err);
	else
		http_json(req, c->status, c->out ? json_incref(c->out) : NULL);
	json_decref(c->out);
	pg_free(c);
}

static void op_write(struct http_req *req, struct op *c, store_fn fn)
{
	http_write_async(req, fn, c, op_finish);
}

static void op_read(struct http_req *req, struct op *c, store_fn fn)
{
	struct pg_err err = {0};
	int rc = store_read(http_store(req), fn, c, &err);
	op_finish(req, rc, &err, c);
}

/* The person the principal is linked to, or 0. */
static int linked_person(struct store_tx *tx, const struct auth_principal *who, int64_t *person,
                         struct pg_err *err)
{
	*person = 0;
	if (who->is_token)
		return 0;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT person_id FROM training_user_people WHERE user_id = ?1", "i",
	                     who->id);
	if (rc < 0)
		return rc;
	if ((rc = store_next(r)) == 1)
		*person = store_int(r, 0);
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading user links failed") : 0;
}

/* Staff may act for anyone (auditors read anyone); others only for their linked person. */
static int may_act_for(struct store_tx *tx, const struct op *c, int64_t person, int read,
                       struct pg_err *err)
{
	if (c->staff || (read && c->auditor))
		return 0;
	int64_t mine = 0;
	int rc = linked_person(tx, &c->who, &mine, err);
	if (rc < 0)
		return rc;
	if (mine == 0)
		return pg_err_set(
		    err, PG_EDENIED,
		    "your account is not linked to a person: ask a trainer to link it "
		    "(PUT /api/v1/training/users/{id}/person)");
	if (mine != person)
		return pg_err_set(err, PG_EDENIED, "you may act only for your own training record");
	return 0;
}

static int one_row(struct store_tx *tx, json_t **out, struct pg_err *err, const char *what,
                   int64_t id, const char *sql)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err, sql, "i", id);
	if (rc < 0)
		return rc;
	json_t *row = json_array_get(rows, 0);
	if (!row) {
		json_decref(rows);
		return pg_err_set(err, PG_ENOTFOUND, "no %s with id %lld", what, (long long)id);
	}
	*out = json_incref(row);
	json_decref(rows);
	return 0;
}

#define TIME_SQL(col)     "strftime('%Y-%m-%dT%H:%M:%fZ', " col " / 1000.0, 'unixepoch')"
#define TIME_OR_NULL(col) "CASE WHEN " col " IS NULL THEN NULL ELSE " TIME_SQL(col) " END"

/* ---- courses --------------------------------------------------------------------------------- */

#define COURSE_COLS                                                                                \
	"id, code, title, topic, duration_minutes, validity_months, qualification, "               \
	"quiz_questions, pass_mark, max_attempts, time_limit_s, CASE WHEN active THEN 'true' "     \
	"ELSE 'false' END AS active_json, created_at, updated_at"

static void api_courses_list(struct http_req *req)
{
	http_list(req,
	          "SELECT " COURSE_COLS ", (SELECT count(*) FROM training_questions q WHERE "
	          "q.topic = training_courses.topic AND q.active = 1) AS bank_size FROM "
	          "training_courses WHERE id > ?1 ORDER BY id LIMIT ?2",
	          "id");
}

static int course_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	return one_row(tx, &c->out, err, "course", c->id,
	               "SELECT " COURSE_COLS ", content FROM training_courses WHERE id = ?1");
}

static void api_course_get(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_read(req, c, course_get_tx);
}

/* The course fields of a body, checked: a pack of one course parsed by the pack parser,
 * so the API and the data files accept exactly the same. */
static int course_from_body(const json_t *body, const json_t *base, struct training_course_def *out,
                            struct pg_err *err)
{
	json_t *o = base ? json_deep_copy(base) : json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v)
	{
		if (strcmp(k, "quiz_questions") == 0 || strcmp(k, "pass_mark") == 0 ||
		    strcmp(k, "max_attempts") == 0 || strcmp(k, "time_limit_minutes") == 0) {
			json_t *q = json_object_get(o, "quiz");
			if (!q) {
				q = json_object();
				json_object_set_new(o, "quiz", q);
			}
			json_object_set(q, strcmp(k, "quiz_questions") == 0 ? "questions" : k, v);
		} else if (strcmp(k, "active") != 0) {
			json_object_set(o, k, v);
		}
	}
	json_t *q = json_object_get(o, "quiz");
	if (q && json_is_integer(json_object_get(q, "questions")) &&
	    json_integer_value(json_object_get(q, "questions")) == 0)
		json_object_del(o, "quiz");
	json_t *pack = json_pack("{ss s[o]}", "format", "portguard-training/1", "courses", o);
	char *text = json_dumps(pack, JSON_COMPACT);
	json_decref(pack);
	struct training_pack *p = NULL;
	int rc = training_pack_parse(text, strlen(text), &p, err);
	pg_free(text);
	if (rc < 0) {
		/* "courses[0].title: ..." names the body's field */
		const char *dot = strchr(err->field, '.');
		if (dot) {
			char f[64];
			pg_strlcpy(f, dot + 1, sizeof(f));
			if (strncmp(f, "quiz.", 5) == 0)
				memmove(f, f + 5, strlen(f + 5) + 1);
			if (strcmp(f, "questions") == 0)
				pg_strlcpy(f, "quiz_questions", sizeof(f));
			pg_strlcpy(err->field, f, sizeof(err->field));
			char *m = strstr(err->msg, ": ");
			if (m) {
				char msg[512];
				pg_snprintf(msg, sizeof(msg), "%s%s", f, m);
				pg_strlcpy(err->msg, msg, sizeof(err->msg));
			}
		}
		return rc;
	}
	*out = p->courses[0];
	p->courses[0].title = NULL;
	p->courses[0].content = NULL;
	training_pack_free(p);
	return 0;
}

static int course_create_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	struct training_course_def d;
	int rc = course_from_body(c->body, NULL, &d, err);
	if (rc < 0)
		return rc;
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(
	    tx, err,
	    "INSERT INTO training_courses(code, title, topic, content, duration_minutes, "
	    "validity_months, qualification, quiz_questions, pass_mark, max_attempts, "
	    "time_limit_s, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?12)",
	    "ttttiitiiiit", d.code, d.title, training_topics[d.topic], d.content,
	    (int64_t)d.duration_minutes, (int64_t)d.validity_months, d.qualification,
	    (int64_t)d.quiz_questions, (int64_t)d.pass_mark, (int64_t)d.max_attempts,
	    (int64_t)d.time_limit_s, now);
	if (rc == PG_ECONFLICT)
		rc = pg_err_field(err, PG_ECONFLICT, "code", "a course with code %s exists already",
		                  d.code);
	pg_free(d.title);
	pg_free(d.content);
	if (rc < 0)
		return rc;
	c->id = store_last_id(tx);
	json_t *det = json_pack("{sI ss}", "course_id", (json_int_t)c->id, "code", d.code);
	rc = training_publish(tx, c->who.name, "training.course.create", d.code, det, err);
	json_decref(det);
	return rc < 0 ? rc : course_get_tx(tx, c, err);
}

static void api_course_create(struct http_req *req)
{
	op_write(req, op_new(req, 201), course_create_tx);
}

static int course_update_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *cur = NULL;
	int rc = one_row(tx, &cur, err, "course", c->id,
	                 "SELECT code, title, topic, content, duration_minutes, validity_months, "
	                 "qualification, active FROM training_courses WHERE id = ?1");
	if (rc < 0)
		return rc;
	json_t *q = NULL;
	rc = one_row(
	    tx, &q, err, "course", c->id,
	    "SELECT quiz_questions AS questions, pass_mark, max_attempts, time_limit_s / 60 "
	    "AS time_limit_minutes FROM training_courses WHERE id = ?1");
	if (rc < 0) {
		json_decref(cur);
		return rc;
	}
	int64_t active = json_integer_value(json_object_get(cur, "active"));
	json_object_del(cur, "active");
	if (json_integer_value(json_object_get(q, "questions")) > 0)
		json_object_set(cur, "quiz", q);
	json_decref(q);
	if (json_object_get(c->body, "code") &&
	    !json_equal(json_object_get(c->body, "code"), json_object_get(cur, "code"))) {
		json_decref(cur);
		return pg_err_field(err, PG_EINVAL, "code",
		                    "code: a course's code does not change");
	}
	struct training_course_def d;
	rc = course_from_body(c->body, cur, &d, err);
	json_decref(cur);
	if (rc < 0)
		return rc;
	json_t *a = json_object_get(c->body, "active");
	if (a)
		active = json_is_true(a);
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(
	    tx, err,
	    "UPDATE training_courses SET title = ?2, topic = ?3, content = ?4, "
	    "duration_minutes = ?5, validity_months = ?6, qualification = ?7, "
	    "quiz_questions = ?8, pass_mark = ?9, max_attempts = ?10, time_limit_s = ?11, "
	    "active = ?12, updated_at = ?13 WHERE id = ?1",
	    "itttiitiiiiit", c->id, d.title, training_topics[d.topic], d.content,
	    (int64_t)d.duration_minutes, (int64_t)d.validity_months, d.qualification,
	    (int64_t)d.quiz_questions, (int64_t)d.pass_mark, (int64_t)d.max_attempts,
	    (int64_t)d.time_limit_s, active, now);
	pg_free(d.title);
	pg_free(d.content);
	if (rc < 0)
		return rc;
	json_t *det = json_pack("{sI ss so}", "course_id", (json_int_t)c->id, "code", d.code,
	                        "changes", json_deep_copy(c->body));
	json_object_del(json_object_get(det, "changes"), "content"); /* long; the row has it */
	rc = training_publish(tx, c->who.name, "training.course.update", d.code, det, err);
	json_decref(det);
	return rc < 0 ? rc : course_get_tx(tx, c, err);
}

static void api_course_update(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_write(req, c, course_update_tx);
}

/* ---- the requirements matrix ----------------------------------------------------------------- */

static const char *const REQ_SQL =
    "SELECT r.id, r.course_id, c.code AS course, c.title, c.qualification, r.applies_to, "
    "r.value FROM training_requirements r JOIN training_courses c ON c.id = r.course_id "
    "ORDER BY c.code, r.applies_to, r.value";

static int reqs_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err, REQ_SQL, "");
	if (rc == 0)
		c->out = json_pack("{so}", "items", rows);
	return rc;
}

static void api_reqs_get(struct http_req *req)
{
	op_read(req, op_new(req, 200), reqs_get_tx);
}

static int reqs_put_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *rows = json_object_get(c->body, "items");
	if (json_array_size(rows) > 1000)
		return pg_err_field(err, PG_EINVAL, "items", "items: at most 1000 rows");
	int rc = store_exec(tx, err, "DELETE FROM training_requirements", "");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (rc < 0)
			break;
		char field[48], value[33];
		pg_snprintf(field, sizeof(field), "items[%zu]", i);
		json_t *cid = json_object_get(r, "course_id"),
		       *ap = json_object_get(r, "applies_to"), *v = json_object_get(r, "value");
		if (!json_is_object(r) || !json_is_integer(cid) || !json_is_string(ap) ||
		    (v && !json_is_string(v)) || json_object_size(r) > 3u)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s must be {course_id, applies_to, value?}", field);
		rc = training_requirement_check(json_string_value(ap), json_string_value(v), value,
		                                field, err);
		if (rc < 0)
			return rc;
		rc = store_exec(tx, err,
		                "INSERT INTO training_requirements(course_id, applies_to, value) "
		                "SELECT id, ?2, ?3 FROM training_courses WHERE id = ?1 "
		                "ON CONFLICT(course_id, applies_to, value) DO NOTHING",
		                "itt", (int64_t)json_integer_value(cid), json_string_value(ap),
		                value);
		if (rc == 0 && store_changes(tx) == 0) {
			/* a repeated row is harmless; an unknown course is not */
			struct store_rows *q = NULL;
			rc =
			    store_query(tx, &q, err, "SELECT 1 FROM training_courses WHERE id = ?1",
			                "i", (int64_t)json_integer_value(cid));
			if (rc == 0 && store_next(q) != 1)
				rc = pg_err_field(err, PG_EUNPROCESSABLE, field,
				                  "%s: no course with id %lld", field,
				                  (long long)json_integer_value(cid));
			store_rows_free(q);
		}
	}
	if (rc < 0)
		return rc;
	rc = reqs_get_tx(tx, c, err);
	if (rc < 0)
		return rc;
	return training_publish(tx, c->who.name, "training.matrix.set", "training matrix", c->out,
	                        err);
}

static void api_reqs_put(struct http_req *req)
{
	op_write(req, op_new(req, 200), reqs_put_tx);
}

/* ---- question banks ------------------------------------------------------------------------- */

static int questions_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(
	    tx, &rows, err,
	    "SELECT id, ref, topic, kind, text, options AS options_json, correct AS correct_json, "
	    "explanation, CASE WHEN active THEN 'true' ELSE 'false' END AS active_json, "
	    "(SELECT count(*) FROM training_attempts a, json_each(a.questions) j WHERE "
	    "json_extract(j.value, '$.q') = q.id AND a.status <> 'open') AS times_asked "
	    "FROM training_questions q WHERE (?1 = '' OR topic = ?1) AND id > ?2 ORDER BY id "
	    "LIMIT ?3",
	    "tii", c->text, c->id, c->id2);
	if (rc == 0)
		c->out = store_page(rows, (int)c->id2, "id");
	return rc;
}

static void api_questions(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	int limit;
	const char *topic = http_query(req, "topic");
	if (http_page_args(req, &limit, &c->id) < 0) {
		pg_free(c);
		return;
	}
	if (topic && training_topic_index(topic) < 0) {
		pg_free(c);
		http_problem(req, 400, "bad-field", "topic",
		             "topic must be one of the eight areas");
		return;
	}
	c->id2 = limit;
	pg_strlcpy(c->text, topic ? topic : "", sizeof(c->text));
	op_read(req, c, questions_tx);
}

static int question_add_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *pack =
	    json_pack("{ss s[O]}", "format", "portguard-training/1", "questions", c->body);
	char *text = json_dumps(pack, JSON_COMPACT);
	json_decref(pack);
	struct training_pack *p = NULL;
	int rc = training_pack_parse(text, strlen(text), &p, err);
	pg_free(text);
	if (rc < 0) {
		const char *dot = strchr(err->field, '.');
		if (dot)
			memmove(err->field, dot + 1, strlen(dot + 1) + 1);
		char *m = strstr(err->msg, "].");
		if (m)
			memmove(err->msg, m + 2, strlen(m + 2) + 1);
		return rc;
	}
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	rc = training_question_insert_tx(tx, &p->questions[0], now, err);
	if (rc == 0 && store_changes(tx) == 0)
		rc = pg_err_field(err, PG_ECONFLICT, "ref", "a question with ref %s exists already",
		                  p->questions[0].ref);
	if (rc == 0) {
		c->id = store_last_id(tx);
		json_t *det =
		    json_pack("{sI ss ss}", "question_id", (json_int_t)c->id, "ref",
		              p->questions[0].ref, "topic", training_topics[p->questions[0].topic]);
		rc = training_publish(tx, c->who.name, "training.question.add", p->questions[0].ref,
		                      det, err);
		json_decref(det);
	}
	training_pack_free(p);
	if (rc == 0)
		rc = one_row(
		    tx, &c->out, err, "question", c->id,
		    "SELECT id, ref, topic, kind, text, options AS options_json, correct AS "
		    "correct_json, explanation FROM training_questions WHERE id = ?1");
	return rc;
}

static void api_question_add(struct http_req *req)
{
	op_write(req, op_new(req, 201), question_add_tx);
}

/* A question is never changed or deleted (attempts refer to it): it is withdrawn from
 * future draws, or put back. */
static int question_active_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int active = json_is_true(json_object_get(c->body, "active"));
	int rc = store_exec(tx, err, "UPDATE training_questions SET active = ?2 WHERE id = ?1",
	                    "ii", c->id, (int64_t)active);
	if (rc == 0 && store_changes(tx) == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no question with id %lld", (long long)c->id);
	if (rc == 0)
		rc = one_row(
		    tx, &c->out, err, "question", c->id,
		    "SELECT id, ref, topic, kind, text, options AS options_json, correct AS "
		    "correct_json, explanation, CASE WHEN active THEN 'true' ELSE 'false' "
		    "END AS active_json FROM training_questions WHERE id = ?1");
	if (rc < 0)
		return rc;
	json_t *d = json_pack("{sI sO sb}", "question_id", (json_int_t)c->id, "ref",
	                      json_object_get(c->out, "ref"), "active", active);
	rc = training_publish(tx, c->who.name, "training.question.active",
	                      json_string_value(json_object_get(c->out, "ref")), d, err);
	json_decref(d);
	return rc;
}

static void api_question_active(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_write(req, c, question_active_tx);
}

/* ---- job roles and user links --------------------------------------------------------------- */

static int roles_put_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char name[256];
	int rc = training_person_name(tx, c->id, name, sizeof(name), err);
	if (rc < 0)
		return rc;
	json_t *roles = json_object_get(c->body, "roles");
	if (json_array_size(roles) > 16)
		return pg_err_field(err, PG_EINVAL, "roles", "roles: at most 16");
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r)
	{
		if (!json_is_string(r) || !training_role_ok(json_string_value(r)))
			return pg_err_field(err, PG_EINVAL, "roles",
			                    "roles[%zu]: a job role is 1 to 32 of a-z, 0-9, '_'",
			                    i);
	}
	rc = store_exec(tx, err, "DELETE FROM training_person_roles WHERE person_id = ?1", "i",
	                c->id);
	json_array_foreach(roles, i, r)
	{
		if (rc < 0)
			break;
		rc =
		    store_exec(tx, err,
		               "INSERT INTO training_person_roles(person_id, role) VALUES (?1, ?2) "
		               "ON CONFLICT DO NOTHING",
		               "it", c->id, json_string_value(r));
	}
	if (rc < 0)
		return rc;
	json_t *rows = NULL;
	rc =
	    store_query_json(tx, &rows, err,
	                     "SELECT role FROM training_person_roles WHERE person_id = ?1 ORDER BY "
	                     "role",
	                     "i", c->id);
	if (rc < 0)
		return rc;
	json_t *list = json_array();
	json_array_foreach(rows, i, r) json_array_append(list, json_object_get(r, "role"));
	json_decref(rows);
	c->out =
	    json_pack("{sI ss so}", "person_id", (json_int_t)c->id, "name", name, "roles", list);
	char object[64];
	pg_snprintf(object, sizeof(object), "person %lld", (long long)c->id);
	return training_publish(tx, c->who.name, "training.roles.set", object, c->out, err);
}

static void api_roles_put(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_write(req, c, roles_put_tx);
}

static int link_put_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char name[256], now[PG_TIME_LEN];
	json_t *user = NULL;
	int rc = one_row(tx, &user, err, "user", c->id, "SELECT username FROM users WHERE id = ?1");
	if (rc < 0)
		return rc;
	if ((rc = training_person_name(tx, c->id2, name, sizeof(name), err)) < 0) {
		json_decref(user);
		return rc;
	}
	pg_time_format(pg_now_ms(), now);
	rc =
	    store_exec(tx, err,
	               "INSERT INTO training_user_people(user_id, person_id, linked_by, linked_at) "
	               "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(user_id) DO UPDATE SET person_id = "
	               "excluded.person_id, linked_by = excluded.linked_by, linked_at = "
	               "excluded.linked_at",
	               "iitt", c->id, c->id2, c->who.name, now);
	if (rc == PG_ECONFLICT)
		rc = pg_err_field(err, PG_ECONFLICT, "person_id",
		                  "%s is linked to another user already", name);
	if (rc == 0) {
		c->out = json_pack("{sI sO sI ss}", "user_id", (json_int_t)c->id, "username",
		                   json_object_get(user, "username"), "person_id",
		                   (json_int_t)c->id2, "person", name);
		char object[96];
		pg_snprintf(object, sizeof(object), "user %s",
		            json_string_value(json_object_get(user, "username")));
		rc = training_publish(tx, c->who.name, "training.user.link", object, c->out, err);
	}
	json_decref(user);
	return rc;
}

static void api_link_put(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	c->id2 = json_integer_value(json_object_get(req->body, "person_id"));
	op_write(req, c, link_put_tx);
}

static int link_delete_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int rc =
	    store_exec(tx, err, "DELETE FROM training_user_people WHERE user_id = ?1", "i", c->id);
	if (rc == 0 && store_changes(tx) == 0)
		return pg_err_set(err, PG_ENOTFOUND, "user %lld is not linked to a person",
		                  (long long)c->id);
	json_t *d = json_pack("{sI}", "user_id", (json_int_t)c->id);
	char object[64];
	pg_snprintf(object, sizeof(object), "user %lld", (long long)c->id);
	if (rc == 0)
		rc = training_publish(tx, c->who.name, "training.user.unlink", object, d, err);
	json_decref(d);
	return rc;
}

static void api_link_delete(struct http_req *req)
{
	struct op *c = op_new(req, 204);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_write(req, c, link_delete_tx);
}

/* ---- a person's training record ---------------------------------------------------------------
 */

static int record_row(void *ctx, const struct training_row *r)
{
	json_t *a = ctx;
	char t1[PG_TIME_LEN], t2[PG_TIME_LEN];
	if (r->completed_ms)
		pg_time_format(r->completed_ms, t1);
	if (r->expires_ms && r->expires_ms != INT64_MAX)
		pg_time_format(r->expires_ms, t2);
	json_array_append_new(
	    a,
	    json_pack("{sI ss ss ss ss ss so so}", "course_id", (json_int_t)r->course_id, "code",
	              r->code, "title", r->title, "qualification", r->qualification, "required_by",
	              r->why, "status", training_status_name(r->status), "completed_at",
	              r->completed_ms ? json_string(t1) : json_null(), "expires_at",
	              r->expires_ms && r->expires_ms != INT64_MAX ? json_string(t2) : json_null()));
	return 0;
}

/* The record of person c->id into c->out. */
static int record_tx(struct store_tx *tx, struct op *c, struct pg_err *err)
{
	json_t *person = NULL, *required = json_array(), *enrol = NULL, *attempts = NULL,
	       *done = NULL, *sessions = NULL, *roles = NULL;
	int rc = one_row(tx, &person, err, "person", c->id,
	                 "SELECT id, first_name || ' ' || last_name AS name, kind, employer FROM "
	                 "people WHERE id = ?1");
	struct training_filter f = {.status = -1, .person_id = c->id, .now_ms = pg_now_ms()};
	if (rc == 0)
		rc = training_compliance_scan(tx, &f, record_row, required, NULL, NULL, err);
	if (rc == 0)
		rc = store_query_json(tx, &roles, err,
		                      "SELECT role FROM training_person_roles WHERE person_id = ?1 "
		                      "ORDER BY role",
		                      "i", c->id);
	if (rc == 0)
		rc = store_query_json(
		    tx, &enrol, err,
		    "SELECT e.id, e.course_id, c.code AS course, e.status, "
		    "e.enrolled_by, " TIME_SQL("e.enrolled_at_ms") " AS enrolled_at, " TIME_OR_NULL(
		        "e.closed_at_ms") " AS closed_at FROM "
		                          "training_enrolments e JOIN training_courses c ON c.id = "
		                          "e.course_id WHERE e.person_id = ?1 ORDER BY e.id DESC "
		                          "LIMIT 200",
		    "i", c->id);
	if (rc == 0)
		rc = store_query_json(
		    tx, &attempts, err,
		    "SELECT a.id, a.course_id, c.code AS course, a.status, a.score, "
		    "a.pass_mark, a.correct, a.total, CASE WHEN a.passed = 1 THEN "
		    "'true' WHEN a.passed = 0 THEN 'false' END AS passed_json, " TIME_SQL(
		        "a."
		        "started_"
		        "at_ms") " AS started_at, " TIME_SQL("a.deadline_ms") " AS "
		                                                              "deadline,"
		                                                              " " TIME_OR_NULL(
		                                                                  "a."
		                                                                  "sub"
		                                                                  "mit"
		                                                                  "ted"
		                                                                  "_at"
		                                                                  "_m"
		                                                                  "s") " AS "
		                                                                       "submit"
		                                                                       "ted_"
		                                                                       "at, "
		                                                                       "a."
		                                                                       "taken_"
		                                                                       "by "
		                                                                       "FROM "
		                                                                       "traini"
		                                                                       "ng_"
		                                                                       "attemp"
		                                                                       "ts a "
		                                                                       "JOIN "
		                                                                       "traini"
		                                                                       "ng_"
		                                                                       "course"
		                                                                       "s c "
		                                                                       "ON "
		                                                                       "c.id "
		                                                                       "= "
		                                                                       "a."
		                                                                       "course"
		                                                                       "_id "
		                                                                       "WHERE "
		                                                                       "a."
		                                                                       "person"
		                                                                       "_id = "
		                                                                       "?1 "
		                                                                       "ORDER "
		                                                                       "BY "
		                                                                       "a.id "
		                                                                       "DESC "
		                                                                       "LIMIT "
		                                                                       "200",
		    "i", c->id);
	if (rc == 0)
		rc = store_query_json(
		    tx, &done, err,
		    "SELECT k.id, k.course_id, c.code AS course, c.title, "
		    "c.qualification, k.code AS verification_code, " TIME_SQL(
		        "k.completed_at_ms") " AS completed_at, " TIME_OR_NULL("k.expires_ms") " AS"
		                                                                               " ex"
		                                                                               "pir"
		                                                                               "es_"
		                                                                               "at,"
		                                                                               " k."
		                                                                               "att"
		                                                                               "emp"
		                                                                               "t_"
		                                                                               "id,"
		                                                                               " "
		                                                                               "k."
		                                                                               "ses"
		                                                                               "sio"
		                                                                               "n_"
		                                                                               "id,"
		                                                                               " k."
		                                                                               "iss"
		                                                                               "ued"
		                                                                               "_by"
		                                                                               " FR"
		                                                                               "OM "
		                                                                               "tra"
		                                                                               "ini"
		                                                                               "ng_"
		                                                                               "com"
		                                                                               "ple"
		                                                                               "tio"
		                                                                               "ns "
		                                                                               "k "
		                                                                               "JOI"
		                                                                               "N "
		                                                                               "tra"
		                                                                               "ini"
		                                                                               "ng_"
		                                                                               "cou"
		                                                                               "rse"
		                                                                               "s "
		                                                                               "c "
		                                                                               "ON "
		                                                                               "c."
		                                                                               "id "
		                                                                               "= "
		                                                                               "k."
		                                                                               "cou"
		                                                                               "rse"
		                                                                               "_id"
		                                                                               " WH"
		                                                                               "ERE"
		                                                                               " k."
		                                                                               "per"
		                                                                               "son"
		                                                                               "_id"
		                                                                               " = "
		                                                                               "?1 "
		                                                                               "ORD"
		                                                                               "ER "
		                                                                               "BY "
		                                                                               "k."
		                                                                               "id "
		                                                                               "DES"
		                                                                               "C "
		                                                                               "LIM"
		                                                                               "IT "
		                                                                               "20"
		                                                                               "0",
		    "i", c->id);
	if (rc == 0)
		rc = store_query_json(
		    tx, &sessions, err,
		    "SELECT s.id, s.course_id, c.code AS course, " TIME_SQL(
		        "s.held_at_ms") " AS held_at, s.duration_minutes, "
		                        "s.description, s.trainer, s.location, CASE WHEN "
		                        "t.completed "
		                        "THEN 'true' ELSE 'false' END AS completed_json FROM "
		                        "training_session_attendees t JOIN training_sessions s ON "
		                        "s.id = "
		                        "t.session_id LEFT JOIN training_courses c ON c.id = "
		                        "s.course_id "
		                        "WHERE t.person_id = ?1 ORDER BY s.held_at_ms DESC LIMIT "
		                        "200",
		    "i", c->id);
	if (rc == 0) {
		json_t *rl = json_array();
		size_t i;
		json_t *r;
		json_array_foreach(roles, i, r) json_array_append(rl, json_object_get(r, "role"));
		json_object_set_new(person, "roles", rl);
		c->out = json_pack("{sO sO sO sO sO sO}", "person", person, "required", required,
		                   "enrolments", enrol, "attempts", attempts, "completions", done,
		                   "sessions", sessions);
	}
	json_decref(person);
	json_decref(required);
	json_decref(enrol);
	json_decref(attempts);
	json_decref(done);
	json_decref(sessions);
	json_decref(roles);
	return rc;
}

static int record_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int rc = may_act_for(tx, c, c->id, 1, err);
	return rc < 0 ? rc : record_tx(tx, c, err);
}

static void api_record(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_read(req, c, record_get_tx);
}

static int me_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int64_t person = 0;
	int rc = linked_person(tx, &c->who, &person, err);
	if (rc < 0)
		return rc;
	json_t *rec = json_null();
	if (person) {
		c->id = person;
		if ((rc = record_tx(tx, c, err)) < 0)
			return rc;
		rec = c->out;
	}
	c->out =
	    json_pack("{sI ss ss sb so}", "user_id", (json_int_t)c->who.id, "username", c->who.name,
	              "role", auth_role_name(c->who.role), "staff", c->staff, "record", rec);
	return 0;
}

static void api_me(struct http_req *req)
{
	op_read(req, op_new(req, 200), me_tx);
}

/* ---- enrolments and attempts ------------------------------------------------------------------
 */

static int enrol_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char name[256];
	int rc = training_person_name(tx, c->id, name, sizeof(name), err);
	if (rc < 0)
		return rc;
	json_t *course = NULL;
	if ((rc = one_row(tx, &course, err, "course", c->id2,
	                  "SELECT code FROM training_courses WHERE id = ?1")) < 0)
		return rc;
	json_decref(course);
	int64_t now = pg_now_ms(), id = 0;
	/* an open enrolment stays; a failed or completed one is followed by a new cycle */
	struct store_rows *r = NULL;
	rc = store_query(tx, &r, err,
	                 "SELECT id FROM training_enrolments WHERE person_id = ?1 AND "
	                 "course_id = ?2 AND status = 'enrolled'",
	                 "ii", c->id, c->id2);
	if (rc < 0)
		return rc;
	if (store_next(r) == 1)
		id = store_int(r, 0);
	store_rows_free(r);
	if (id)
		return pg_err_set(err, PG_ECONFLICT,
		                  "%s is enrolled in this course already (enrolment "
		                  "%lld)",
		                  name, (long long)id);
	if ((rc = training_enrol_tx(tx, c->who.name, c->id, c->id2, now, &id, err)) < 0)
		return rc;
	return one_row(tx, &c->out, err, "enrolment", id,
	               "SELECT e.id, e.person_id, e.course_id, c.code AS course, e.status, "
	               "e.enrolled_by, " TIME_SQL(
	                   "e.enrolled_at_ms") " AS enrolled_at FROM "
	                                       "training_enrolments e JOIN training_courses c ON "
	                                       "c.id = e.course_id "
	                                       "WHERE e.id = ?1");
}

static void api_enrol(struct http_req *req)
{
	struct op *c = op_new(req, 201);
	c->id = json_integer_value(json_object_get(req->body, "person_id"));
	c->id2 = json_integer_value(json_object_get(req->body, "course_id"));
	op_write(req, c, enrol_tx);
}

static int attempt_start_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int64_t person = c->id2;
	int rc = 0;
	if (!person) {
		if ((rc = linked_person(tx, &c->who, &person, err)) < 0)
			return rc;
		if (!person)
			return pg_err_field(err, PG_EINVAL, "person_id",
			                    "person_id is required: your account is not linked to "
			                    "a person");
	}
	if ((rc = may_act_for(tx, c, person, 0, err)) < 0)
		return rc;
	rc = training_attempt_start_tx(tx, c->who.name, person, c->id, pg_now_ms(), &c->out, err);
	if (rc == 0 && json_is_true(json_object_get(c->out, "resumed")))
		c->status = 200;
	return rc;
}

static int expire_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int64_t person = c->id2;
	int rc = person ? 0 : linked_person(tx, &c->who, &person, err);
	return rc < 0 || !person ? rc
	                         : training_attempts_expire_tx(tx, person, c->id, pg_now_ms(), err);
}

static void api_attempt_start(struct http_req *req)
{
	struct op *c = op_new(req, 201);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	c->id2 = json_integer_value(json_object_get(req->body, "person_id"));
	/* committed on its own, so that a refused start still records what is over */
	struct pg_err err = {0};
	int rc = store_write(http_store(req), expire_fn, c, &err);
	if (rc < 0) {
		op_finish(req, rc, &err, c);
		return;
	}
	op_write(req, c, attempt_start_fn);
}

static int attempt_person(struct store_tx *tx, int64_t id, int64_t *person, struct pg_err *err)
{
	json_t *a = NULL;
	int rc = one_row(tx, &a, err, "attempt", id,
	                 "SELECT person_id FROM training_attempts WHERE id = ?1");
	if (rc < 0)
		return rc;
	*person = json_integer_value(json_object_get(a, "person_id"));
	json_decref(a);
	return 0;
}

static int attempt_submit_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int64_t person = 0;
	int rc = attempt_person(tx, c->id, &person, err);
	if (rc < 0 || (rc = may_act_for(tx, c, person, 0, err)) < 0)
		return rc;
	return training_attempt_submit_tx(tx, c->t->acc, c->who.name, c->id,
	                                  json_object_get(c->body, "answers"), pg_now_ms(), &c->out,
	                                  err);
}

static void api_attempt_submit(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_write(req, c, attempt_submit_fn);
}

static int attempt_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int64_t person = 0;
	int rc = attempt_person(tx, c->id, &person, err);
	if (rc < 0 || (rc = may_act_for(tx, c, person, 1, err)) < 0)
		return rc;
	/* an open attempt is never shown with its answers, not even to staff */
	return one_row(
	    tx, &c->out, err, "attempt", c->id,
	    "SELECT a.id, a.person_id, p.first_name || ' ' || p.last_name AS person, "
	    "a.course_id, c.code AS course, a.status, a.score, a.correct, a.total, "
	    "a.pass_mark, CASE WHEN a.passed = 1 THEN 'true' WHEN a.passed = 0 THEN "
	    "'false' END AS passed_json, " TIME_SQL("a.started_at_ms") " AS started_at, " TIME_SQL(
	        "a.deadline_ms") " AS deadline, " TIME_OR_NULL("a.submitted_at_ms") " AS "
	                                                                            "submitted_at, "
	                                                                            "a.taken_by "
	                                                                            "FROM "
	                                                                            "training_"
	                                                                            "attempts a "
	                                                                            "JOIN people p "
	                                                                            "ON "
	                                                                            "p.id = "
	                                                                            "a.person_id "
	                                                                            "JOIN "
	                                                                            "training_"
	                                                                            "courses c ON "
	                                                                            "c.id = "
	                                                                            "a.course_id "
	                                                                            "WHERE "
	                                                                            "a.id = ?1");
}

static void api_attempt_get(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (http_param_id(req, 0, &c->id) < 0) {
		pg_free(c);
		return;
	}
	op_read(req, c, attempt_get_tx);
}

static int query_id(struct http_req *req, const char *name, int64_t *out)
{
	const char *s = http_query(req, name);
	*out = 0;
	if (s && pg_parse_i64(s, 1, INT64_MAX, out) < 0) {
		http_problem(req, 400, "bad-field", name, "%s must be an id", name);
		return PG_EINVAL;
	}
	return 0;
}

struct list_op {
	int64_t course, person, after;
	int limit;
	json_t *out;
};

static int attempts_list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_op *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(
	    tx, &rows, err,
	    "SELECT a.id, a.person_id, p.first_name || ' ' || p.last_name AS person, "
	    "a.course_id, c.code AS course, a.status, a.score, a.correct, a.total, a.pass_mark, "
	    "CASE WHEN a.passed = 1 THEN 'true' WHEN a.passed = 0 THEN 'false' END AS "
	    "passed_json, " TIME_SQL("a.started_at_ms") " AS started_at, " TIME_OR_NULL(
	        "a.submitted_at_ms") " AS submitted_at, a.taken_by FROM "
	                             "training_attempts a JOIN people p ON p.id = a.person_id JOIN "
	                             "training_courses c "
	                             "ON c.id = a.course_id WHERE (?1 = 0 OR a.course_id = ?1) AND "
	                             "(?2 = 0 OR "
	                             "a.person_id = ?2) AND (?3 = 0 OR a.id < ?3) ORDER BY a.id "
	                             "DESC LIMIT ?4",
	    "iiii", c->course, c->person, c->after, (int64_t)c->limit);
	if (rc < 0)
		return rc;
	/* the course's results at a glance: attempts, pass rate, mean score */
	json_t *stats = NULL;
	rc =
	    store_query_json(tx, &stats, err,
	                     "SELECT c.id AS course_id, c.code AS course, count(a.id) AS attempts, "
	                     "sum(a.passed) AS passed, round(avg(a.score), 1) AS mean_score, "
	                     "count(DISTINCT a.person_id) AS people FROM training_courses c JOIN "
	                     "training_attempts a ON a.course_id = c.id AND a.status <> 'open' "
	                     "WHERE (?1 = 0 OR c.id = ?1) AND (?2 = 0 OR a.person_id = ?2) GROUP "
	                     "BY c.id ORDER BY c.code",
	                     "ii", c->course, c->person);
	if (rc < 0) {
		json_decref(rows);
		return rc;
	}
	c->out = store_page(rows, c->limit, "id");
	json_object_set_new(c->out, "by_course", stats);
	return 0;
}

static void api_attempts_list(struct http_req *req)
{
	struct list_op c = {0};
	if (http_page_args(req, &c.limit, &c.after) < 0 ||
	    query_id(req, "course_id", &c.course) < 0 || query_id(req, "person_id", &c.person) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), attempts_list_tx, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c.out);
}

/* ---- classroom sessions -----------------------------------------------------------------------
 */

static int session_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *b = c->body;
	int64_t held = 0, course = json_integer_value(json_object_get(b, "course_id"));
	int64_t minutes = json_integer_value(json_object_get(b, "duration_minutes"));
	int complete = json_is_true(json_object_get(b, "completes_course"));
	const char *desc = json_string_value(json_object_get(b, "description"));
	const char *trainer = json_string_value(json_object_get(b, "trainer"));
	const char *location = json_string_value(json_object_get(b, "location"));
	json_t *att = json_object_get(b, "attendees");
	struct pg_err e = {0};
	if (pg_time_parse(json_string_value(json_object_get(b, "held_at")), &held) < 0)
		return pg_err_field(err, PG_EINVAL, "held_at",
		                    "held_at must be an RFC 3339 time, e.g. 2026-11-27T09:00:00Z");
	if (held > pg_now_ms() + 86400000LL)
		return pg_err_field(err, PG_EUNPROCESSABLE, "held_at",
		                    "held_at is in the future: record a session once it was held");
	if (minutes < 1 || minutes > 10000)
		return pg_err_field(err, PG_EINVAL, "duration_minutes",
		                    "duration_minutes must be from 1 to 10000");
	if (access_text_check(desc, "description", 2000, 1, &e) < 0 ||
	    (trainer && access_text_check(trainer, "trainer", 100, 1, &e) < 0) ||
	    (location && access_text_check(location, "location", 100, 0, &e) < 0))
		return pg_err_field(err, PG_EINVAL, e.field, "%s", e.msg);
	if (json_array_size(att) < 1 || json_array_size(att) > MAX_SESSION_PEOPLE)
		return pg_err_field(err, PG_EINVAL, "attendees",
		                    "attendees must list 1 to %d person ids", MAX_SESSION_PEOPLE);
	if (complete && !course)
		return pg_err_field(err, PG_EINVAL, "completes_course",
		                    "completes_course needs a course_id");
	json_t *crow = NULL;
	int rc = 0;
	if (course && (rc = one_row(tx, &crow, err, "course", course,
	                            "SELECT code FROM training_courses WHERE id = ?1")) < 0)
		return rc;
	json_decref(crow);
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(tx, err,
	                "INSERT INTO training_sessions(course_id, held_at_ms, duration_minutes, "
	                "description, trainer, location, recorded_by, recorded_at) VALUES "
	                "(NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	                "iiitttt"
	                "t",
	                course, held, minutes, desc, trainer ? trainer : c->who.name, location,
	                c->who.name, now);
	if (rc < 0)
		return rc;
	int64_t sid = store_last_id(tx);
	size_t i;
	json_t *p;
	json_array_foreach(att, i, p)
	{
		char name[256], field[32];
		pg_snprintf(field, sizeof(field), "attendees[%zu]", i);
		if (!json_is_integer(p))
			return pg_err_field(err, PG_EINVAL, field, "%s must be a person id", field);
		int64_t pid = json_integer_value(p);
		if (training_person_name(tx, pid, name, sizeof(name), &e) < 0)
			return pg_err_field(err, PG_EUNPROCESSABLE, field,
			                    "%s: no person with id %lld", field, (long long)pid);
		rc = store_exec(tx, err,
		                "INSERT INTO training_session_attendees(session_id, person_id, "
		                "completed) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
		                "iii", sid, pid, (int64_t)complete);
		if (rc == 0 && complete && store_changes(tx))
			rc = training_complete_tx(tx, c->t->acc, c->who.name, pid, course, 0, sid,
			                          held, NULL, err);
		if (rc < 0)
			return rc;
	}
	rc = one_row(
	    tx, &c->out, err, "session", sid,
	    "SELECT s.id, s.course_id, c.code AS course, " TIME_SQL(
	        "s.held_at_ms") " AS held_at, s.duration_minutes, s.description, s.trainer, "
	                        "s.location, "
	                        "s.recorded_by, s.recorded_at, (SELECT "
	                        "json_group_array(json_object('person_id', "
	                        "t.person_id, 'name', p.first_name || ' ' || p.last_name, "
	                        "'completed', "
	                        "json(CASE WHEN t.completed THEN 'true' ELSE 'false' END))) FROM "
	                        "training_session_attendees t JOIN people p ON p.id = "
	                        "t.person_id WHERE t.session_id = s.id) AS attendees_json FROM "
	                        "training_sessions s LEFT JOIN training_courses c ON c.id = "
	                        "s.course_id WHERE "
	                        "s.id = ?1");
	if (rc < 0)
		return rc;
	json_t *d = json_pack("{sI so si sb}", "session_id", (json_int_t)sid, "course_id",
	                      course ? json_integer(course) : json_null(), "attendees",
	                      (int)json_array_size(att), "completes_course", complete);
	char object[64];
	pg_snprintf(object, sizeof(object), "training session %lld", (long long)sid);
	rc = training_publish(tx, c->who.name, "training.session.record", object, d, err);
	json_decref(d);
	return rc;
}

static void api_session_create(struct http_req *req)
{
	op_write(req, op_new(req, 201), session_tx);
}

static void api_sessions_list(struct http_req *req)
{
	http_list(req,
	          "SELECT s.id, s.course_id, c.code AS course, " TIME_SQL(
	              "s.held_at_ms") " AS held_at, s.duration_minutes, s.description, s.trainer, "
	                              "s.location, "
	                              "s.recorded_by, (SELECT "
	                              "json_group_array(json_object('person_id', t.person_id, "
	                              "'name', p.first_name || ' ' || p.last_name, 'completed', "
	                              "json(CASE WHEN "
	                              "t.completed THEN 'true' ELSE 'false' END))) FROM "
	                              "training_session_attendees t JOIN people p ON p.id = "
	                              "t.person_id WHERE "
	                              "t.session_id = s.id) AS attendees_json FROM "
	                              "training_sessions s LEFT JOIN "
	                              "training_courses c ON c.id = s.course_id WHERE (?1 = 0 OR "
	                              "s.id < ?1) ORDER BY "
	                              "s.id DESC LIMIT ?2",
	          "id");
}

/* ---- certificates and verification ----------------------------------------------------------- */

struct pdf_op {
	struct op op;
	char *pdf;
	size_t len;
};

static int cert_pdf_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct pdf_op *c = vctx;
	json_t *row = NULL;
	int rc = one_row(tx, &row, err, "certificate", c->op.id,
	                 "SELECT person_id FROM training_completions WHERE id = ?1");
	if (rc < 0)
		return rc;
	int64_t person = json_integer_value(json_object_get(row, "person_id"));
	json_decref(row);
	if ((rc = may_act_for(tx, &c->op, person, 1, err)) < 0)
		return rc;
	return training_certificate_pdf(tx, c->op.id, &c->pdf, &c->len, err);
}

static void pdf_answer(struct http_req *req, char *pdf, size_t len, const char *filename)
{
	req->resp = MHD_create_response_from_buffer(len, pdf, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/pdf");
	char disp[128];
	pg_snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	MHD_add_response_header(req->resp, "Content-Disposition", disp);
	MHD_add_response_header(req->resp, "Cache-Control", "no-store");
	req->status = 200;
}

static void api_cert_pdf(struct http_req *req)
{
	struct pdf_op c = {0};
	c.op.t = req->ctx;
	c.op.who = req->who;
	c.op.staff = is_staff(req);
	c.op.auditor = is_auditor(req);
	if (http_param_id(req, 0, &c.op.id) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), cert_pdf_tx, &c, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	char name[64];
	pg_snprintf(name, sizeof(name), "certificate-%lld.pdf", (long long)c.op.id);
	pdf_answer(req, c.pdf, c.len, name);
}

static int verify_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(
	    tx, &rows, err,
	    "SELECT k.code, p.first_name || ' ' || p.last_name AS holder, c.code AS course, "
	    "c.title, c.qualification, " TIME_SQL(
	        "k.completed_at_ms") " AS completed_at, " TIME_OR_NULL("k.expires_ms") " AS "
	                                                                               "expires_at,"
	                                                                               " k.expires_"
	                                                                               "ms IS NULL "
	                                                                               "OR "
	                                                                               "k.expires_"
	                                                                               "ms > "
	                                                                               "?2 AS "
	                                                                               "current, "
	                                                                               "(SELECT "
	                                                                               "count(*) "
	                                                                               "FROM "
	                                                                               "training_"
	                                                                               "completions"
	                                                                               " n WHERE "
	                                                                               "n.person_"
	                                                                               "id = "
	                                                                               "k.person_"
	                                                                               "id AND "
	                                                                               "n.course_"
	                                                                               "id = "
	                                                                               "k.course_"
	                                                                               "id AND "
	                                                                               "n.id > "
	                                                                               "k.id) AS "
	                                                                               "renewals "
	                                                                               "FROM "
	                                                                               "training_"
	                                                                               "completions"
	                                                                               " k JOIN "
	                                                                               "people p "
	                                                                               "ON p.id = "
	                                                                               "k.person_"
	                                                                               "id JOIN "
	                                                                               "training_"
	                                                                               "courses c "
	                                                                               "ON c.id = "
	                                                                               "k.course_"
	                                                                               "id WHERE "
	                                                                               "k.code = "
	                                                                               "?1",
	    "ti", c->text, pg_now_ms());
	if (rc < 0)
		return rc;
	json_t *r = json_array_get(rows, 0);
	if (!r) {
		/* an answer, not an error: the verifier asked whether it is genuine */
		json_decref(rows);
		c->out = json_pack("{sb sb ss ss}", "genuine", 0, "current", 0, "status", "unknown",
		                   "code", c->text);
		return 0;
	}
	int current = json_integer_value(json_object_get(r, "current")) != 0;
	c->out = json_pack(
	    "{sb sb ss sO sO s{sO sO} sO sO sO sI}", "genuine", 1, "current", current, "status",
	    current ? "current" : "expired", "code", json_object_get(r, "code"), "holder",
	    json_object_get(r, "holder"), "course", "code", json_object_get(r, "course"), "title",
	    json_object_get(r, "title"), "qualification", json_object_get(r, "qualification"),
	    "completed_at", json_object_get(r, "completed_at"), "expires_at",
	    json_object_get(r, "expires_at"), "renewals",
	    json_integer_value(json_object_get(r, "renewals")));
	json_decref(rows);
	return 0;
}

static void api_verify(struct http_req *req)
{
	struct op *c = op_new(req, 200);
	if (training_code_normalise(req->params[0], c->text) < 0) {
		pg_free(c);
		http_problem(req, 400, "bad-field", "code",
		             "'%.40s' is not a verification code (16 letters and digits, "
		             "XXXX-XXXX-XXXX-XXXX)",
		             req->params[0]);
		return;
	}
	op_read(req, c, verify_tx);
}

/* ---- compliance
 * ---------------------------------------------------------------------------------- */

struct comp_q {
	struct training_filter f;
	char role[33], kind[16];
};

/* Reads ?role=&kind=&zone_id=&course_id=&status=; answers 400 and returns < 0 if bad. */
static int comp_args(struct http_req *req, struct comp_q *q)
{
	memset(q, 0, sizeof(*q));
	q->f.status = -1;
	q->f.now_ms = pg_now_ms();
	const char *role = http_query(req, "role"), *kind = http_query(req, "kind"),
	           *status = http_query(req, "status");
	if (role && *role) {
		if (!training_role_ok(role)) {
			http_problem(req, 400, "bad-field", "role",
			             "role must be a job role: 1 to 32 of a-z, 0-9, '_'");
			return PG_EINVAL;
		}
		pg_strlcpy(q->role, role, sizeof(q->role));
		q->f.role = q->role;
	}
	if (kind && *kind) {
		if (access_name_index(kind, access_person_kinds) < 0) {
			http_problem(req, 400, "bad-field", "kind",
			             "kind must be employee, contractor, visitor, crew, driver or "
			             "authority");
			return PG_EINVAL;
		}
		pg_strlcpy(q->kind, kind, sizeof(q->kind));
		q->f.kind = q->kind;
	}
	if (status && *status) {
		static const char *const st[] = {"current", "expiring", "overdue", NULL};
		q->f.status = access_name_index(status, st);
		if (q->f.status < 0) {
			http_problem(req, 400, "bad-field", "status",
			             "status must be current, expiring or overdue");
			return PG_EINVAL;
		}
	}
	if (query_id(req, "zone_id", &q->f.zone_id) < 0 ||
	    query_id(req, "course_id", &q->f.course_id) < 0)
		return PG_EINVAL;
	return 0;
}

struct comp_json {
	json_t *items;
	json_t *cur; /* the person being filled */
	int64_t cur_id;
	int64_t totals[3];
	json_t *by_course; /* object code -> {course_id, code, title, current, expiring, overdue} */
	json_t *by_role;   /* job role -> {role, current, expiring, overdue} */
	json_t *by_zone;   /* zone name -> {zone, current, expiring, overdue} */
	int summary_only;
};

/* Counts one row's status under key in map (an object of {name_key: key, statuses}). */
static void tally(json_t *map, const char *name_key, const char *key, enum training_status st)
{
	json_t *o = json_object_get(map, key);
	if (!o) {
		o = json_pack("{ss si si si}", name_key, key, "current", 0, "expiring", 0,
		              "overdue", 0);
		json_object_set_new(map, key, o);
	}
	const char *sn = training_status_name(st);
	json_object_set_new(o, sn, json_integer(json_integer_value(json_object_get(o, sn)) + 1));
}

/* Each item of a list separated by sep, tallied. */
static void tally_list(json_t *map, const char *name_key, const char *list, char sep,
                       enum training_status st)
{
	char item[128];
	for (const char *p = list; *p;) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && n < sizeof(item)) {
			memcpy(item, p, n);
			item[n] = '\0';
			tally(map, name_key, item, st);
		}
		p += n + (e != NULL);
	}
}

static int comp_row(void *ctx, const struct training_row *r)
{
	struct comp_json *c = ctx;
	c->totals[r->status]++;
	if (c->by_role)
		tally_list(c->by_role, "role", r->roles, ',', r->status);
	if (c->by_zone)
		tally_list(c->by_zone, "zone", r->zones, '\n', r->status);
	json_t *bc = json_object_get(c->by_course, r->code);
	if (!bc) {
		bc = json_pack("{sI ss ss si si si}", "course_id", (json_int_t)r->course_id, "code",
		               r->code, "title", r->title, "current", 0, "expiring", 0, "overdue",
		               0);
		json_object_set_new(c->by_course, r->code, bc);
	}
	const char *sn = training_status_name(r->status);
	json_object_set_new(bc, sn, json_integer(json_integer_value(json_object_get(bc, sn)) + 1));
	if (c->summary_only)
		return 0;
	if (!c->cur || c->cur_id != r->person_id) {
		json_t *roles = json_array();
		if (r->roles[0]) {
			char buf[512];
			pg_strlcpy(buf, r->roles, sizeof(buf));
			for (char *s = buf, *e; s; s = e) {
				e = strchr(s, ',');
				if (e)
					*e++ = '\0';
				json_array_append_new(roles, json_string(s));
			}
		}
		char name[256];
		pg_snprintf(name, sizeof(name), "%s %s", r->first_name, r->last_name);
		c->cur = json_pack("{sI ss ss ss so s[]}", "person_id", (json_int_t)r->person_id,
		                   "name", name, "kind", r->kind, "employer", r->employer, "roles",
		                   roles, "courses");
		c->cur_id = r->person_id;
		json_array_append_new(c->items, c->cur);
	}
	return record_row(json_object_get(c->cur, "courses"), r);
}

struct comp_op {
	struct comp_q q;
	int limit;
	int summary;
	json_t *out;
};

static int comp_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct comp_op *c = vctx;
	struct comp_json j = {.items = json_array(), .by_course = json_object()};
	int64_t people = 0, last = 0;
	struct training_filter f = c->q.f;
	f.limit = c->limit;
	int rc = training_compliance_scan(tx, &f, comp_row, &j, &people, &last, err);
	json_t *summary = json_null();
	if (rc == 0 && c->summary) {
		/* the whole population, not just this page */
		struct comp_json s = {.by_course = json_object(),
		                      .by_role = json_object(),
		                      .by_zone = json_object(),
		                      .summary_only = 1};
		struct training_filter all = c->q.f;
		int64_t n = 0;
		rc = training_compliance_scan(tx, &all, comp_row, &s, &n, NULL, err);
		json_t *bc = json_array();
		const char *k;
		json_t *v;
		json_object_foreach(s.by_course, k, v) json_array_append(bc, v);
		json_t *br = json_array(), *bz = json_array();
		json_object_foreach(s.by_role, k, v) json_array_append(br, v);
		json_object_foreach(s.by_zone, k, v) json_array_append(bz, v);
		summary = json_pack("{sI sI sI sI so so so}", "people", (json_int_t)n, "current",
		                    (json_int_t)s.totals[0], "expiring", (json_int_t)s.totals[1],
		                    "overdue", (json_int_t)s.totals[2], "by_course", bc, "by_role",
		                    br, "by_zone", bz);
		json_decref(s.by_course);
		json_decref(s.by_role);
		json_decref(s.by_zone);
	}
	json_decref(j.by_course);
	if (rc < 0) {
		json_decref(j.items);
		json_decref(summary);
		return rc;
	}
	char now[PG_TIME_LEN];
	pg_time_format(c->q.f.now_ms, now);
	json_t *next = json_null();
	if (people == c->limit)
		next = json_sprintf("%lld", (long long)last);
	c->out =
	    json_pack("{ss si so so so}", "as_of", now, "expiring_days", TRAINING_EXPIRING_DAYS,
	              "summary", summary, "items", j.items, "next", next);
	return 0;
}

static void api_compliance(struct http_req *req)
{
	struct comp_op c = {0};
	int64_t after = 0;
	if (comp_args(req, &c.q) < 0 || http_page_args(req, &c.limit, &after) < 0)
		return;
	c.q.f.after = after;
	c.summary = http_query(req, "after") == NULL;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), comp_tx, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c.out);
}

/* CSV: streamed in chunks of people, each chunk read in its own snapshot. */
struct csv_stream {
	struct store *store;
	struct comp_q q;
	struct pg_buf buf;
	size_t off;
	int done;
	int failed;
};

static int csv_row(void *ctx, const struct training_row *r)
{
	training_compliance_csv_row(ctx, r);
	return 0;
}

static int csv_chunk_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct csv_stream *s = vctx;
	struct training_filter f = s->q.f;
	f.limit = CSV_CHUNK_PEOPLE;
	int64_t people = 0, last = 0;
	int rc = training_compliance_scan(tx, &f, csv_row, &s->buf, &people, &last, err);
	if (rc == 0) {
		if (people < CSV_CHUNK_PEOPLE)
			s->done = 1;
		else
			s->q.f.after = last;
	}
	return rc;
}

static ssize_t csv_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct csv_stream *s = cls;
	while (s->off == s->buf.len) {
		if (s->done || s->failed)
			return MHD_CONTENT_READER_END_OF_STREAM;
		pg_buf_reset(&s->buf);
		s->off = 0;
		struct pg_err err = {0};
		if (store_read(s->store, csv_chunk_tx, s, &err) < 0) {
			pg_warn("compliance CSV: %s", err.msg);
			s->failed = 1;
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	size_t n = s->buf.len - s->off < max ? s->buf.len - s->off : max;
	memcpy(out, s->buf.p + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void csv_free(void *cls)
{
	struct csv_stream *s = cls;
	pg_buf_release(&s->buf);
	pg_free(s);
}

static void api_compliance_csv(struct http_req *req)
{
	struct csv_stream *s = pg_calloc(1, sizeof(*s));
	if (comp_args(req, &s->q) < 0) {
		pg_free(s);
		return;
	}
	/* the strings of the filter must outlive the request */
	if (s->q.f.role)
		s->q.f.role = s->q.role;
	if (s->q.f.kind)
		s->q.f.kind = s->q.kind;
	s->store = http_store(req);
	pg_buf_init(&s->buf, 64 << 20);
	training_compliance_csv_header(&s->buf);
	req->resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, csv_read, s, csv_free);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
	MHD_add_response_header(req->resp, "Content-Disposition",
	                        "attachment; filename=\"training-compliance.csv\"");
	MHD_add_response_header(req->resp, "Cache-Control", "no-store");
	req->status = 200;
}

struct comp_pdf {
	struct comp_q q;
	char *pdf;
	size_t len;
};

static int comp_pdf_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct comp_pdf *c = vctx;
	return training_compliance_pdf(tx, &c->q.f, PDF_MAX_ROWS, &c->pdf, &c->len, err);
}

static void api_compliance_pdf(struct http_req *req)
{
	struct comp_pdf c;
	if (comp_args(req, &c.q) < 0)
		return;
	c.pdf = NULL;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), comp_pdf_tx, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		pdf_answer(req, c.pdf, c.len, "training-compliance.pdf");
}

static int remind_now_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	int sent = 0;
	int rc = training_reminders_tx(tx, pg_now_ms(), REMINDER_BATCH, &sent, err);
	if (rc == 0)
		c->out = json_pack("{si}", "sent", sent);
	return rc;
}

static void api_remind(struct http_req *req)
{
	op_write(req, op_new(req, 200), remind_now_tx);
}

/* ---- the table ----------------------------------------------------------------------------------
 */

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0, 0, NULL                                                                \
	}

#define COURSE_FIELDS(req)                                                                         \
	{"title", F_STRING, req, 200, "the course title"},                                         \
	    {"topic", F_STRING, req, 40, "one of the eight training areas"},                       \
	    {"qualification", F_STRING, req, 64, "the qualification a completion grants"},         \
	    {"content", F_STRING, req, 262144, "the course text, Markdown"},                       \
	    {"duration_minutes", F_INT, req, 0, "how long the course takes"},                      \
	    {"validity_months", F_INT, req, 0,                                                     \
	     "months a completion is valid; 0: does not expire"},                                  \
	    {"quiz_questions", F_INT, 0, 0, "questions drawn per attempt; 0: no quiz"},            \
	    {"pass_mark", F_INT, 0, 0, "percent needed to pass"},                                  \
	    {"max_attempts", F_INT, 0, 0, "attempts per enrolment; 0: no limit (default 3)"},      \
	{                                                                                          \
		"time_limit_minutes", F_INT, 0, 0, "minutes per attempt"                           \
	}

static const struct http_field course_create_body[] = {
    {"code", F_STRING, 1, 32, "1-32 of A-Z, 0-9, '-'"},
    COURSE_FIELDS(1),
    END,
};

static const struct http_field course_update_body[] = {
    {"code", F_STRING, 0, 32, "must equal the course's code if given"},
    COURSE_FIELDS(0),
    {"active", F_BOOL, 0, 0, "false withdraws the course"},
    END,
};

static const struct http_field reqs_body[] = {
    {"items", F_ARRAY, 1, 0, "[{course_id, applies_to: all_staff|role|kind, value}]"},
    END,
};

static const struct http_field question_body[] = {
    {"ref", F_STRING, 1, 32, "a stable name, 1-32 of a-z, 0-9, '-', '_'"},
    {"topic", F_STRING, 1, 40, "one of the eight training areas"},
    {"kind", F_STRING, 1, 16, "single, multiple or true_false"},
    {"text", F_STRING, 1, 2000, "the question"},
    {"options", F_ARRAY, 0, 0, "2-8 option texts (none for true_false)"},
    {"correct", F_ARRAY, 1, 0, "indexes of the right options"},
    {"explanation", F_STRING, 1, 3000, "why, shown after the attempt"},
    END,
};

static const struct http_field roles_body[] = {
    {"roles", F_ARRAY, 1, 0, "job roles: gate_officer, inspection_officer, pfso, ..."},
    END,
};

static const struct http_field question_active_body[] = {
    {"active", F_BOOL, 1, 0, "false withdraws the question from future quizzes"},
    END,
};

static const struct http_field link_body[] = {
    {"person_id", F_INT, 1, 0, "the person this user is"},
    END,
};

static const struct http_field enrol_body[] = {
    {"person_id", F_INT, 1, 0, "the person"},
    {"course_id", F_INT, 1, 0, "the course"},
    END,
};

static const struct http_field start_body[] = {
    {"person_id", F_INT, 0, 0, "the person taking it; default: the caller's linked person"},
    END,
};

static const struct http_field submit_body[] = {
    {"answers", F_ARRAY, 1, 0, "per question, the indexes of the options chosen, as shown"},
    END,
};

static const struct http_field session_body[] = {
    {"course_id", F_INT, 0, 0, "the course taught, if any"},
    {"held_at", F_STRING, 1, 40, "when (RFC 3339)"},
    {"duration_minutes", F_INT, 1, 0, "how long"},
    {"description", F_STRING, 1, 2000, "what was taught"},
    {"trainer", F_STRING, 0, 100, "who taught it (default: the caller)"},
    {"location", F_STRING, 0, 100, "where"},
    {"attendees", F_ARRAY, 1, 0, "person ids"},
    {"completes_course", F_BOOL, 0, 0, "true: every attendee completes the course"},
    END,
};

static const struct http_route routes[] = {
    {"GET", "/api/v1/training/courses", TAKERS, api_courses_list, "Courses (without their content)",
     NULL, 200, "{items, next}", "limit,after"},
    {"POST", "/api/v1/training/courses", STAFF, api_course_create, "Create a course",
     course_create_body, 201, "course", NULL},
    {"GET", "/api/v1/training/courses/{id}", TAKERS, api_course_get,
     "A course with its Markdown content", NULL, 200, "course", NULL},
    {"PATCH", "/api/v1/training/courses/{id}", STAFF, api_course_update,
     "Change a course, or withdraw it (active false)", course_update_body, 200, "course", NULL},
    {"GET", "/api/v1/training/requirements", TAKERS, api_reqs_get,
     "The requirements matrix: who needs which course", NULL, 200, "{items}", NULL},
    {"PUT", "/api/v1/training/requirements", MATRIX, api_reqs_put,
     "Replace the requirements matrix (PFSO)", reqs_body, 200, "{items}", NULL},
    {"GET", "/api/v1/training/questions", STAFF, api_questions,
     "The question banks with answers (trainers)", NULL, 200, "{items, next}", "topic,limit,after"},
    {"POST", "/api/v1/training/questions", STAFF, api_question_add, "Add a question to a bank",
     question_body, 201, "question", NULL},
    {"PATCH", "/api/v1/training/questions/{id}", STAFF, api_question_active,
     "Withdraw a question from future quizzes (or put it back)", question_active_body, 200,
     "question", NULL},
    {"PUT", "/api/v1/training/people/{id}/roles", PEOPLE_ROLES, api_roles_put,
     "Set a person's job roles (for the matrix)", roles_body, 200, "{person_id, name, roles}",
     NULL},
    {"GET", "/api/v1/training/people/{id}/record", TAKERS, api_record,
     "A person's training record (staff, auditors, or the person's own user)", NULL, 200,
     "{person, required, enrolments, attempts, completions, sessions}", NULL},
    {"PUT", "/api/v1/training/users/{id}/person", STAFF, api_link_put,
     "Link a console user to the person they are (they then take quizzes as that person)",
     link_body, 200, "{user_id, username, person_id, person}", NULL},
    {"DELETE", "/api/v1/training/users/{id}/person", STAFF, api_link_delete,
     "Unlink a console user from their person", NULL, 204, NULL, NULL},
    {"GET", "/api/v1/training/me", TAKERS, api_me, "The caller's linked person and training record",
     NULL, 200, "{user_id, username, role, staff, record}", NULL},
    {"POST", "/api/v1/training/enrolments", STAFF, api_enrol,
     "Enrol a person in a course (again, after the attempt limit was used up)", enrol_body, 201,
     "enrolment", NULL},
    {"POST", "/api/v1/training/courses/{id}/attempts", TAKERS, api_attempt_start,
     "Start (or resume) a quiz attempt: random questions, shuffled options, no answers", start_body,
     201, "attempt", NULL},
    {"GET", "/api/v1/training/attempts", AUDIT, api_attempts_list,
     "Quiz attempts, newest first, with results per course (trainer's view)", NULL, 200,
     "{items, next, by_course}", "course_id,person_id,limit,after"},
    {"GET", "/api/v1/training/attempts/{id}", TAKERS, api_attempt_get,
     "One attempt's result (never its answers while it is open)", NULL, 200, "attempt", NULL},
    {"POST", "/api/v1/training/attempts/{id}/submit", TAKERS, api_attempt_submit,
     "Submit the answers: scored on the server; a pass completes the course", submit_body, 200,
     "result", NULL},
    {"POST", "/api/v1/training/sessions", STAFF, api_session_create,
     "Record a classroom session (date, duration, description, attendees)", session_body, 201,
     "session", NULL},
    {"GET", "/api/v1/training/sessions", AUDIT, api_sessions_list,
     "Classroom sessions, newest first", NULL, 200, "{items, next}", "limit,after"},
    {"GET", "/api/v1/training/certificates/{id}/pdf", TAKERS, api_cert_pdf,
     "A certificate as PDF (staff, auditors, or its holder's user)", NULL, 200, "application/pdf",
     NULL},
    {"GET", "/api/v1/training/compliance", AUDIT, api_compliance,
     "Who is current, expiring within 30 days, or overdue, per person (paged)", NULL, 200,
     "{as_of, expiring_days, summary, items, next}",
     "role,kind,zone_id,course_id,status,limit,after"},
    {"GET", "/api/v1/training/compliance.csv", AUDIT, api_compliance_csv,
     "The compliance report as CSV (streamed)", NULL, 200, "text/csv",
     "role,kind,zone_id,course_id,status"},
    {"GET", "/api/v1/training/compliance.pdf", AUDIT, api_compliance_pdf,
     "The compliance report as PDF", NULL, 200, "application/pdf",
     "role,kind,zone_id,course_id,status"},
    {"POST", "/api/v1/training/reminders/run", STAFF, api_remind,
     "Run the expiry reminder check now (it also runs every minute)", NULL, 200, "{sent}", NULL},
    {"GET", "/verify/{code}", ROLES_PUBLIC, api_verify,
     "Is a certificate genuine and current? (no login)", NULL, 200,
     "{genuine, current, status, code, holder, course, qualification, completed_at, "
     "expires_at, renewals}",
     NULL},
};

int training_register_routes(struct training *t)
{
	return http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), t);
}
