/* training_pack.c - the training data files (etc/training/NAME.json): parsing and checking a
 * pack, writing it to the store, and loading the compiled-in packs once. */
#include <string.h>

#include "../access/access_admin.h"
#include "training_int.h"

#define PACK_FORMAT     "portguard-training/1"
#define MAX_TEXT        2000
#define MAX_OPTION      400
#define MAX_EXPLANATION 3000
#define MAX_TITLE       200
#define MAX_CONTENT     (256 * 1024)

const char *const training_topics[] = {
    "security_awareness",     "security_emergency_procedures", "cargo_inspection",
    "maritime_safety",        "crisis_incident_management",    "cyber_security",
    "legislation_regulation", "collaboration_coordination",    NULL,
};

int training_topic_index(const char *name)
{
	return name ? access_name_index(name, training_topics) : -1;
}

static const char *const kinds[] = {"single", "multiple", "true_false", NULL};

const char *training_kind_name(int kind)
{
	return kind >= 0 && kind < 3 ? kinds[kind] : "?";
}

/* 1-32 characters, each a letter (a-z, or A-Z if upper), a digit, or one of punct. */
static int name_ok(const char *s, int upper, const char *punct)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int letter = upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z');
		if (!letter && !(c >= '0' && c <= '9') && !strchr(punct, c))
			return 0;
	}
	return 1;
}

int training_ref_ok(const char *s)
{
	return name_ok(s, 0, "-_");
}

int training_code_ok(const char *s)
{
	return name_ok(s, 1, "-");
}

int training_role_ok(const char *s)
{
	return name_ok(s, 0, "_");
}

void training_pack_free(struct training_pack *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nquestions; i++) {
		struct training_question *q = &p->questions[i];
		pg_free(q->text);
		pg_free(q->explanation);
		for (int k = 0; k < q->noptions; k++)
			pg_free(q->options[k]);
	}
	for (int i = 0; i < p->ncourses; i++) {
		pg_free(p->courses[i].title);
		pg_free(p->courses[i].content);
	}
	pg_free(p->questions);
	pg_free(p->courses);
	pg_free(p->requirements);
	pg_free(p);
}

/* ---- field checks: each names the path of the value at fault ----------------------------- */

static int bad(struct pg_err *err, const char *path, const char *fmt, const char *what)
{
	return pg_err_field(err, PG_EINVAL, path, fmt, path, what);
}

/* Only the keys of allowed (NULL-terminated). */
static int keys_check(const json_t *o, const char *path, const char *const *allowed,
                      struct pg_err *err)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v)
	{
		if (access_name_index(k, allowed) < 0) {
			char p[128];
			pg_snprintf(p, sizeof(p), "%s%s%.40s", path, *path ? "." : "", k);
			return bad(err, p, "%s: unknown member%s", "");
		}
	}
	return 0;
}

/* Why v is not a text of 1..max bytes of valid UTF-8 without control characters
 * (newlines and tabs are allowed when multiline), or NULL when it is one. */
static const char *text_problem(const json_t *v, size_t max, int multiline)
{
	if (!json_is_string(v))
		return "required, a string";
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n == 0 || n > max || strlen(s) != n)
		return "too long, empty or holding a NUL";
	int blank = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
			return "holds a control character";
		if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
			blank = 0;
	}
	return blank ? "is blank" : NULL;
}

/* A required text (text_problem) as a new copy in *out. */
static int text_get(const json_t *o, const char *key, const char *path, size_t max, int multiline,
                    char **out, struct pg_err *err)
{
	char p[128];
	pg_snprintf(p, sizeof(p), "%s.%s", path, key);
	json_t *v = json_object_get(o, key);
	const char *why = text_problem(v, max, multiline);
	if (why)
		return bad(err, p, "%s: %s", why);
	*out = pg_strdup(json_string_value(v));
	return 0;
}

/* A whole number in [lo, hi]; absent gives def when def >= lo, else an error. */
static int int_get(const json_t *o, const char *key, const char *path, int lo, int hi, int def,
                   int *out, struct pg_err *err)
{
	char p[128], what[64];
	pg_snprintf(p, sizeof(p), "%s.%s", path, key);
	json_t *v = json_object_get(o, key);
	if (!v && def >= lo) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		pg_snprintf(what, sizeof(what), "must be a whole number from %d to %d", lo, hi);
		return bad(err, p, "%s: %s", what);
	}
	*out = (int)json_integer_value(v);
	return 0;
}

static int question_parse(const json_t *o, const char *path, int topic, struct training_question *q,
                          struct pg_err *err)
{
	static const char *const allowed[] = {"ref",     "topic",   "kind",        "text",
	                                      "options", "correct", "explanation", NULL};
	char p[128];
	if (!json_is_object(o))
		return bad(err, path, "%s: %s", "must be an object");
	int rc = keys_check(o, path, allowed, err);
	if (rc < 0)
		return rc;
	json_t *v = json_object_get(o, "ref");
	pg_snprintf(p, sizeof(p), "%s.ref", path);
	if (!json_is_string(v) || !training_ref_ok(json_string_value(v)))
		return bad(err, p, "%s: %s", "required: 1 to 32 of a-z, 0-9, '-', '_'");
	pg_strlcpy(q->ref, json_string_value(v), sizeof(q->ref));
	v = json_object_get(o, "topic");
	if (v) {
		topic = json_is_string(v) ? training_topic_index(json_string_value(v)) : -1;
		if (topic < 0) {
			pg_snprintf(p, sizeof(p), "%s.topic", path);
			return bad(err, p, "%s: %s", "must be one of the eight training topics");
		}
	}
	if (topic < 0) {
		pg_snprintf(p, sizeof(p), "%s.topic", path);
		return bad(err, p, "%s: %s", "required here (the pack names no topic)");
	}
	q->topic = topic;
	v = json_object_get(o, "kind");
	q->kind = json_is_string(v) ? access_name_index(json_string_value(v), kinds) : -1;
	if (q->kind < 0) {
		pg_snprintf(p, sizeof(p), "%s.kind", path);
		return bad(err, p, "%s: %s", "must be single, multiple or true_false");
	}
	if ((rc = text_get(o, "text", path, MAX_TEXT, 1, &q->text, err)) < 0 ||
	    (rc = text_get(o, "explanation", path, MAX_EXPLANATION, 1, &q->explanation, err)) < 0)
		return rc;
	json_t *opts = json_object_get(o, "options");
	pg_snprintf(p, sizeof(p), "%s.options", path);
	if (q->kind == TRAINING_TRUE_FALSE) {
		if (opts)
			return bad(err, p, "%s: %s",
			           "a true_false question has no options (they are "
			           "True and False)");
		q->options[0] = pg_strdup("True");
		q->options[1] = pg_strdup("False");
		q->noptions = 2;
	} else {
		if (!json_is_array(opts) || json_array_size(opts) < 2 ||
		    json_array_size(opts) > TRAINING_MAX_OPTIONS)
			return bad(err, p, "%s: %s", "required: an array of 2 to 8 option texts");
		size_t i;
		json_t *ov;
		json_array_foreach(opts, i, ov)
		{
			char ip[128];
			pg_snprintf(ip, sizeof(ip), "%s.options[%zu]", path, i);
			const char *why = text_problem(ov, MAX_OPTION, 0);
			if (why)
				return bad(err, ip, "%s: %s", why);
			char *t = pg_strdup(json_string_value(ov));
			for (int k = 0; k < q->noptions; k++)
				if (strcmp(q->options[k], t) == 0) {
					pg_free(t);
					return bad(err, ip, "%s: %s", "repeats an earlier option");
				}
			q->options[q->noptions++] = t;
		}
	}
	json_t *corr = json_object_get(o, "correct");
	pg_snprintf(p, sizeof(p), "%s.correct", path);
	if (!json_is_array(corr) || json_array_size(corr) < 1)
		return bad(err, p, "%s: %s", "required: a non-empty array of option indexes");
	size_t i;
	json_t *cv;
	json_array_foreach(corr, i, cv)
	{
		json_int_t k = json_is_integer(cv) ? json_integer_value(cv) : -1;
		if (k < 0 || k >= q->noptions)
			return bad(err, p, "%s: %s", "holds an index that names no option");
		if (q->correct & (1u << k))
			return bad(err, p, "%s: %s", "names an option twice");
		q->correct |= 1u << k;
	}
	if (q->kind != TRAINING_MULTIPLE && json_array_size(corr) != 1)
		return bad(err, p, "%s: %s",
		           "a single or true_false question has one right option");
	if (q->kind == TRAINING_MULTIPLE && q->correct == (1u << q->noptions) - 1u &&
	    q->noptions < 3)
		return bad(err, p, "%s: %s", "every option is right: make it a real choice");
	return 0;
}

static int course_parse(const json_t *o, const char *path, struct training_course_def *c,
                        struct pg_err *err)
{
	static const char *const allowed[] = {"code",
	                                      "title",
	                                      "topic",
	                                      "qualification",
	                                      "content",
	                                      "duration_minutes",
	                                      "validity_months",
	                                      "quiz",
	                                      NULL};
	static const char *const quiz_allowed[] = {"questions", "pass_mark", "max_attempts",
	                                           "time_limit_minutes", NULL};
	char p[128];
	if (!json_is_object(o))
		return bad(err, path, "%s: %s", "must be an object");
	int rc = keys_check(o, path, allowed, err);
	if (rc < 0)
		return rc;
	json_t *v = json_object_get(o, "code");
	pg_snprintf(p, sizeof(p), "%s.code", path);
	if (!json_is_string(v) || !training_code_ok(json_string_value(v)))
		return bad(err, p, "%s: %s", "required: 1 to 32 of A-Z, 0-9, '-'");
	pg_strlcpy(c->code, json_string_value(v), sizeof(c->code));
	v = json_object_get(o, "topic");
	c->topic = json_is_string(v) ? training_topic_index(json_string_value(v)) : -1;
	pg_snprintf(p, sizeof(p), "%s.topic", path);
	if (c->topic < 0)
		return bad(err, p, "%s: %s", "required: one of the eight training topics");
	v = json_object_get(o, "qualification");
	pg_snprintf(p, sizeof(p), "%s.qualification", path);
	if (!json_is_string(v) || !access_qual_name_ok(json_string_value(v)))
		return bad(err, p, "%s: %s", "required: 1 to 64 of a-z, 0-9, '_'");
	pg_strlcpy(c->qualification, json_string_value(v), sizeof(c->qualification));
	if ((rc = text_get(o, "title", path, MAX_TITLE, 0, &c->title, err)) < 0 ||
	    (rc = text_get(o, "content", path, MAX_CONTENT, 1, &c->content, err)) < 0 ||
	    (rc = int_get(o, "duration_minutes", path, 1, 100000, -1, &c->duration_minutes, err)) <
	        0 ||
	    (rc = int_get(o, "validity_months", path, 0, 240, -1, &c->validity_months, err)) < 0)
		return rc;
	json_t *quiz = json_object_get(o, "quiz");
	pg_snprintf(p, sizeof(p), "%s.quiz", path);
	if (!quiz) {
		c->quiz_questions = 0;
		c->pass_mark = 100;
		c->max_attempts = 0;
		c->time_limit_s = 60;
		return 0;
	}
	if (!json_is_object(quiz))
		return bad(err, p, "%s: %s", "must be an object");
	int minutes = 0;
	if ((rc = keys_check(quiz, p, quiz_allowed, err)) < 0 ||
	    (rc = int_get(quiz, "questions", p, 1, 100, -1, &c->quiz_questions, err)) < 0 ||
	    (rc = int_get(quiz, "pass_mark", p, 1, 100, -1, &c->pass_mark, err)) < 0 ||
	    (rc = int_get(quiz, "max_attempts", p, 0, 100, 3, &c->max_attempts, err)) < 0 ||
	    (rc = int_get(quiz, "time_limit_minutes", p, 1, 600, -1, &minutes, err)) < 0)
		return rc;
	c->time_limit_s = minutes * 60;
	return 0;
}

static int requirement_parse(const json_t *o, const char *path, struct training_requirement_def *r,
                             struct pg_err *err)
{
	static const char *const allowed[] = {"course", "applies_to", "value", NULL};
	static const char *const applies[] = {"all_staff", "role", "kind", NULL};
	char p[128];
	if (!json_is_object(o))
		return bad(err, path, "%s: %s", "must be an object");
	int rc = keys_check(o, path, allowed, err);
	if (rc < 0)
		return rc;
	json_t *v = json_object_get(o, "course");
	pg_snprintf(p, sizeof(p), "%s.course", path);
	if (!json_is_string(v) || !training_code_ok(json_string_value(v)))
		return bad(err, p, "%s: %s", "required: a course code");
	pg_strlcpy(r->course, json_string_value(v), sizeof(r->course));
	v = json_object_get(o, "applies_to");
	int a = json_is_string(v) ? access_name_index(json_string_value(v), applies) : -1;
	pg_snprintf(p, sizeof(p), "%s.applies_to", path);
	if (a < 0)
		return bad(err, p, "%s: %s", "required: all_staff, role or kind");
	pg_strlcpy(r->applies_to, applies[a], sizeof(r->applies_to));
	v = json_object_get(o, "value");
	pg_snprintf(p, sizeof(p), "%s.value", path);
	const char *val = json_is_string(v) ? json_string_value(v) : NULL;
	if (v && !val)
		return bad(err, p, "%s: %s", "must be a string");
	return training_requirement_check(r->applies_to, val, r->value, p, err);
}

int training_requirement_check(const char *applies_to, const char *value, char out[33],
                               const char *field, struct pg_err *err)
{
	if (strcmp(applies_to, "all_staff") == 0) {
		if (value && *value)
			return pg_err_field(err, PG_EINVAL, field, "%s: all_staff takes no value",
			                    field);
		out[0] = '\0';
		return 0;
	}
	if (strcmp(applies_to, "role") == 0) {
		if (!value || !training_role_ok(value))
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s: a job role is 1 to 32 of a-z, 0-9, '_'", field);
	} else if (strcmp(applies_to, "kind") == 0) {
		if (!value || access_name_index(value, access_person_kinds) < 0)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s: must be a person kind (employee, contractor, "
			                    "visitor, crew, driver, authority)",
			                    field);
	} else {
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s: applies_to must be all_staff, "
		                    "role or kind",
		                    field);
	}
	pg_strlcpy(out, value, 33);
	return 0;
}

/* An array member of the pack, parsed item by item into *items (n of them). */
typedef int (*item_fn)(const json_t *o, const char *path, void *item, int topic,
                       struct pg_err *err);

static int q_item(const json_t *o, const char *path, void *item, int topic, struct pg_err *err)
{
	return question_parse(o, path, topic, item, err);
}

static int c_item(const json_t *o, const char *path, void *item, int topic, struct pg_err *err)
{
	(void)topic;
	return course_parse(o, path, item, err);
}

static int r_item(const json_t *o, const char *path, void *item, int topic, struct pg_err *err)
{
	(void)topic;
	return requirement_parse(o, path, item, err);
}

static int items_parse(const json_t *doc, const char *key, size_t size, item_fn fn, int topic,
                       void **items, int *n, struct pg_err *err)
{
	json_t *a = json_object_get(doc, key);
	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(err, key, "%s: %s", "must be an array");
	if (json_array_size(a) > TRAINING_MAX_ITEMS)
		return pg_err_field(err, PG_ELIMIT, key, "%s: more than %d items", key,
		                    TRAINING_MAX_ITEMS);
	*items = pg_calloc(json_array_size(a) + 1, size);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		char path[64];
		pg_snprintf(path, sizeof(path), "%s[%zu]", key, i);
		(*n)++; /* counted first, so that a half-parsed item is freed too */
		int rc = fn(v, path, (char *)*items + i * size, topic, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int training_pack_parse(const char *text, size_t len, struct training_pack **out,
                        struct pg_err *err)
{
	static const char *const allowed[] = {"format",  "topic",        "questions",
	                                      "courses", "requirements", NULL};
	if (len > TRAINING_PACK_MAX)
		return pg_err_set(err, PG_ELIMIT, "the pack is larger than %d bytes",
		                  TRAINING_PACK_MAX);
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return pg_err_set(err, PG_EINVAL, "byte %d: not valid JSON: %s", je.position,
		                  je.text);
	struct training_pack *p = pg_calloc(1, sizeof(*p));
	int rc = 0, topic = -1;
	if (!json_is_object(doc)) {
		rc = pg_err_set(err, PG_EINVAL, "a pack is a JSON object");
		goto out;
	}
	if ((rc = keys_check(doc, "", allowed, err)) < 0)
		goto out;
	json_t *f = json_object_get(doc, "format");
	if (!json_is_string(f) || strcmp(json_string_value(f), PACK_FORMAT) != 0) {
		rc = pg_err_field(err, PG_EINVAL, "format", "format: must be \"%s\"", PACK_FORMAT);
		goto out;
	}
	json_t *t = json_object_get(doc, "topic");
	if (t) {
		topic = json_is_string(t) ? training_topic_index(json_string_value(t)) : -1;
		if (topic < 0) {
			rc =
			    bad(err, "topic", "%s: %s", "must be one of the eight training topics");
			goto out;
		}
	}
	if ((rc = items_parse(doc, "questions", sizeof(*p->questions), q_item, topic,
	                      (void **)&p->questions, &p->nquestions, err)) < 0 ||
	    (rc = items_parse(doc, "courses", sizeof(*p->courses), c_item, topic,
	                      (void **)&p->courses, &p->ncourses, err)) < 0 ||
	    (rc = items_parse(doc, "requirements", sizeof(*p->requirements), r_item, topic,
	                      (void **)&p->requirements, &p->nrequirements, err)) < 0)
		goto out;
	/* names unique within the pack */
	for (int i = 0; i < p->nquestions; i++)
		for (int k = 0; k < i; k++)
			if (strcmp(p->questions[i].ref, p->questions[k].ref) == 0) {
				char path[64];
				pg_snprintf(path, sizeof(path), "questions[%d].ref", i);
				rc = bad(err, path, "%s: %s",
				         "repeats the ref of an earlier question");
				goto out;
			}
	for (int i = 0; i < p->ncourses; i++)
		for (int k = 0; k < i; k++)
			if (strcmp(p->courses[i].code, p->courses[k].code) == 0) {
				char path[64];
				pg_snprintf(path, sizeof(path), "courses[%d].code", i);
				rc = bad(err, path, "%s: %s",
				         "repeats the code of an earlier course");
				goto out;
			}
out:
	json_decref(doc);
	if (rc < 0) {
		training_pack_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* ---- into the store ------------------------------------------------------------------------ */

static json_t *options_json(const struct training_question *q)
{
	json_t *a = json_array();
	for (int k = 0; k < q->noptions; k++)
		json_array_append_new(a, json_string(q->options[k]));
	return a;
}

static json_t *correct_json(unsigned correct)
{
	json_t *a = json_array();
	for (int k = 0; k < TRAINING_MAX_OPTIONS; k++)
		if (correct & (1u << k))
			json_array_append_new(a, json_integer(k));
	return a;
}

int training_question_insert_tx(struct store_tx *tx, const struct training_question *q,
                                const char *now, struct pg_err *err)
{
	json_t *o = options_json(q), *c = correct_json(q->correct);
	char *os = json_dumps(o, JSON_COMPACT), *cs = json_dumps(c, JSON_COMPACT);
	int rc =
	    store_exec(tx, err,
	               "INSERT INTO training_questions(ref, topic, kind, text, options, correct, "
	               "explanation, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	               "ON CONFLICT(ref) DO NOTHING",
	               "tttttttt", q->ref, training_topics[q->topic], training_kind_name(q->kind),
	               q->text, os, cs, q->explanation, now);
	pg_free(os);
	pg_free(cs);
	json_decref(o);
	json_decref(c);
	return rc;
}

int training_pack_store_tx(struct store_tx *tx, const char *actor, const struct training_pack *p,
                           int *added, struct pg_err *err)
{
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	int rc = 0, nq = 0, nc = 0, nr = 0;
	for (int i = 0; i < p->ncourses && rc == 0; i++) {
		const struct training_course_def *c = &p->courses[i];
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_courses(code, title, topic, content, "
		    "duration_minutes, validity_months, qualification, quiz_questions, "
		    "pass_mark, max_attempts, time_limit_s, created_at, updated_at) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) "
		    "ON CONFLICT(code) DO NOTHING",
		    "ttttiitiiiit", c->code, c->title, training_topics[c->topic], c->content,
		    (int64_t)c->duration_minutes, (int64_t)c->validity_months, c->qualification,
		    (int64_t)c->quiz_questions, (int64_t)c->pass_mark, (int64_t)c->max_attempts,
		    (int64_t)c->time_limit_s, now);
		nc += rc == 0 ? store_changes(tx) : 0;
	}
	for (int i = 0; i < p->nquestions && rc == 0; i++) {
		rc = training_question_insert_tx(tx, &p->questions[i], now, err);
		nq += rc == 0 ? store_changes(tx) : 0;
	}
	for (int i = 0; i < p->nrequirements && rc == 0; i++) {
		const struct training_requirement_def *r = &p->requirements[i];
		rc = store_exec(tx, err,
		                "INSERT INTO training_requirements(course_id, applies_to, value) "
		                "SELECT id, ?2, ?3 FROM training_courses WHERE code = ?1 "
		                "ON CONFLICT(course_id, applies_to, value) DO NOTHING",
		                "ttt", r->course, r->applies_to, r->value);
		nr += rc == 0 ? store_changes(tx) : 0;
	}
	if (rc < 0)
		return rc;
	json_t *details =
	    json_pack("{si si si}", "courses", nc, "questions", nq, "requirements", nr);
	rc = store_audit(tx, actor, "training.pack.load", "training", details, err);
	json_decref(details);
	if (rc == 0 && added)
		*added = nc + nq + nr;
	return rc;
}

int training_seed_tx(struct store_tx *tx, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc =
	    store_query(tx, &r, err, "SELECT value FROM training_meta WHERE key = 'seeded'", "");
	if (rc < 0)
		return rc;
	rc = store_next(r);
	store_rows_free(r);
	if (rc != 0)
		return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading training_meta failed") : 0;
	for (int i = 0; i < training_n_data_files; i++) {
		struct training_pack *p = NULL;
		struct pg_err e = {0};
		rc = training_pack_parse(training_data_files[i].text, training_data_files[i].len,
		                         &p, &e);
		if (rc < 0)
			return pg_err_set(err, rc, "etc/training/%s: %s",
			                  training_data_files[i].name, e.msg);
		rc = training_pack_store_tx(tx, "system", p, NULL, err);
		training_pack_free(p);
		if (rc < 0)
			return rc;
	}
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	return store_exec(tx, err, "INSERT INTO training_meta(key, value) VALUES ('seeded', ?1)",
	                  "t", now);
}
