/* training.h - courses, question banks and quizzes, the requirements matrix, training
 * records, certificates and compliance (issue 7; ISPS A/18, B/18; IMO model courses
 * 3.21, 3.24, 3.25). Drills and exercises live in training_drill.h.
 *
 * Who takes a quiz: an attempt belongs to a person (table people of the access module).
 * A console user may be linked to one person (PUT /api/v1/training/users/{id}/person);
 * such a user takes quizzes as that person. A trainer, PFSO or admin may also start an
 * attempt for any person (a proctored attempt, for example in a classroom or at a kiosk);
 * the attempt records who ran it (taken_by).
 *
 * Completing a course (a passed attempt, or a classroom session that completes it) writes
 * a completion with a verification code (the certificate) and upserts the qualification
 * the course grants in the same write transaction, audited, and marks the access
 * snapshot stale (access_changed), so zones that require the qualification open at once,
 * and close again by themselves when it expires. */
#ifndef PG_TRAINING_H
#define PG_TRAINING_H

#include <stdint.h>

#include "../store/store.h"

struct access;

/* ---- topics ------------------------------------------------------------------------- */

#define TRAINING_N_TOPICS 8
/* The eight areas, in order: security_awareness, security_emergency_procedures,
 * cargo_inspection, maritime_safety, crisis_incident_management, cyber_security,
 * legislation_regulation, collaboration_coordination. NULL-terminated. */
extern const char *const training_topics[];
/* The topic's index, or -1. */
int training_topic_index(const char *name);

/* ---- training packs: the data files of etc/training (training_pack.c) -----------------
 *
 * A pack is a JSON object {"format": "portguard-training/1", "topic"?, "questions"?,
 * "courses"?, "requirements"?}; the files etc/training/NAME.json are packs, compiled into the
 * binary (embedded from etc/training/ at build time by cmake/embed.cmake) and loaded when the store is first
 * opened. */

#define TRAINING_PACK_MAX    (4 << 20) /* bytes of one pack */
#define TRAINING_MAX_OPTIONS 8
#define TRAINING_MAX_ITEMS   2000 /* questions, courses or requirements of one pack */

struct training_question {
	char ref[33]; /* 1-32 of a-z, 0-9, '-', '_' */
	int topic;    /* index into training_topics */
	int kind;     /* TRAINING_SINGLE, TRAINING_MULTIPLE, TRAINING_TRUE_FALSE */
	char *text;
	char *options[TRAINING_MAX_OPTIONS];
	int noptions;
	unsigned correct; /* bit i: option i is right */
	char *explanation;
};
enum { TRAINING_SINGLE, TRAINING_MULTIPLE, TRAINING_TRUE_FALSE };
/* "single", "multiple", "true_false" */
const char *training_kind_name(int kind);

struct training_course_def {
	char code[33]; /* 1-32 of A-Z, 0-9, '-' */
	char *title;
	int topic;
	char qualification[65];
	char *content; /* Markdown */
	int duration_minutes, validity_months;
	int quiz_questions, pass_mark, max_attempts, time_limit_s;
};

struct training_requirement_def {
	char course[33];     /* a course code */
	char applies_to[16]; /* all_staff, role, kind */
	char value[33];      /* the role or person kind; "" for all_staff */
};

struct training_pack {
	struct training_question *questions;
	int nquestions;
	struct training_course_def *courses;
	int ncourses;
	struct training_requirement_def *requirements;
	int nrequirements;
};

/* Parses and checks a whole pack. PG_EINVAL with err naming the place ("questions[3].
 * correct: ...", err->field the same path); PG_ELIMIT above TRAINING_PACK_MAX or
 * TRAINING_MAX_ITEMS. Nothing is kept on failure. */
int training_pack_parse(const char *text, size_t len, struct training_pack **out,
                        struct pg_err *err);
void training_pack_free(struct training_pack *p); /* accepts NULL */

/* The compiled-in packs (the JSON files of etc/training, embedded at build time): name and text
 * (NUL-terminated after len bytes). */
struct training_data_file {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct training_data_file training_data_files[];
extern const int training_n_data_files;

/* Writes a pack in tx: courses (by code) and questions (by ref) that do not exist yet,
 * and requirements whose course exists. Audited as "training.pack.load". *added (may be
 * NULL) gets the number of rows written. */
int training_pack_store_tx(struct store_tx *tx, const char *actor, const struct training_pack *p,
                           int *added, struct pg_err *err);
/* Loads the compiled-in packs once per store (remembered in training_meta). */
int training_seed_tx(struct store_tx *tx, struct pg_err *err);

/* ---- quizzes and completions (training_quiz.c) ------------------------------------------ */

/* Starts (or resumes: the open attempt within its time limit) an attempt of person_id at
 * course_id at now_ms: draws the course's number of questions at random from the active
 * questions of its topic and shuffles each question's options. *out gets the attempt as
 * the taker sees it: {id, course_id, person_id, attempt_no, max_attempts, status,
 * started_at, deadline, time_limit_s, pass_mark, resumed, questions: [{n, kind, text,
 * options}]} with no answers. PG_ENOTFOUND for an unknown person or course;
 * PG_ECONFLICT when the attempt limit is used up (a trainer must enrol the person again)
 * or the course is inactive; PG_EUNPROCESSABLE when the course has no quiz or its bank is
 * empty. */
int training_attempt_start_tx(struct store_tx *tx, const char *actor, int64_t person_id,
                              int64_t course_id, int64_t now_ms, json_t **out, struct pg_err *err);

/* Housekeeping before a start, in its own transaction (a refused start undoes its own):
 * open attempts of person_id at course_id past their deadline become expired, and an
 * enrolment whose every attempt is used and over becomes failed. */
int training_attempts_expire_tx(struct store_tx *tx, int64_t person_id, int64_t course_id,
                                int64_t now_ms, struct pg_err *err);

/* Scores an open attempt on the server. answers is an array with one array per question
 * of the indexes of the options chosen, as they were shown. Past the deadline (plus 5 s of
 * grace) the attempt is recorded as expired and not passed. A pass completes the course
 * (training_complete_tx); a fail that uses the last attempt closes the enrolment as
 * failed. *out: {id, status, score, correct, total, pass_mark, passed, attempts_left,
 * questions: [{n, text, kind, options, chosen, correct, right, explanation}],
 * certificate: {id, code, expires_at} | null}. PG_ENOTFOUND; PG_ECONFLICT when already
 * submitted; PG_EINVAL (err->field "answers[i]") for malformed answers. */
int training_attempt_submit_tx(struct store_tx *tx, struct access *acc, const char *actor,
                               int64_t attempt_id, const json_t *answers, int64_t now_ms,
                               json_t **out, struct pg_err *err);

/* Completes course_id for person_id at now_ms (from attempt_id or session_id, 0 if
 * none): a completion with a new verification code, expiring validity_months later; the
 * qualification upserted (an existing later expiry, or none, is kept); the open
 * enrolment closed as completed; audit records "training.complete" and
 * "training.qualification.issue"; an event on topic "training"; access_changed(tx, acc).
 * *completion_id (may be NULL) gets the completion's id. */
int training_complete_tx(struct store_tx *tx, struct access *acc, const char *actor,
                         int64_t person_id, int64_t course_id, int64_t attempt_id,
                         int64_t session_id, int64_t now_ms, int64_t *completion_id,
                         struct pg_err *err);

/* ms + months calendar months (UTC; the day is clamped to the month's last day). */
int64_t training_add_months(int64_t ms, int months);

/* ---- certificates (training_cert.c) ----------------------------------------------------- */

#define TRAINING_CODE_LEN 20 /* "XXXX-XXXX-XXXX-XXXX" + NUL: 80 random bits, Crockford base32 */
/* A new random verification code. */
void training_code_new(char out[TRAINING_CODE_LEN]);
/* Normalises a code as typed (case, dashes, spaces, O/I/L read as 0/1/1) into
 * out; PG_EINVAL if it cannot be a code. */
int training_code_normalise(const char *in, char out[TRAINING_CODE_LEN]);

/* The certificate of completion id as a PDF (cairo) into *pdf / *len (caller frees with
 * pg_free). PG_ENOTFOUND. */
int training_certificate_pdf(struct store_tx *tx, int64_t completion_id, char **pdf, size_t *len,
                             struct pg_err *err);

/* Frees what cairo and the font machinery keep for the life of the process (their caches),
 * so that a leak checker sees a clean exit; call once, after the last PDF. */
void training_pdf_cleanup(void);

/* ---- compliance (training_compliance.c) ------------------------------------------------ */

#define TRAINING_EXPIRING_DAYS 30

enum training_status { TS_CURRENT, TS_EXPIRING, TS_OVERDUE };
const char *training_status_name(enum training_status s);

struct training_filter {
	const char *role;  /* only people with this job role, or NULL */
	const char *kind;  /* only this person kind, or NULL */
	int64_t zone_id;   /* only people whose access groups include this zone, or 0 */
	int64_t course_id; /* only this course, or 0 */
	int64_t person_id; /* only this person, or 0 */
	int status;        /* only rows with this status, or -1 */
	int64_t after;     /* people with id > after */
	int64_t limit;     /* at most this many people (0: all) */
	int64_t now_ms;
};

/* One required course of one person. */
struct training_row {
	int64_t person_id;
	const char *first_name, *last_name, *kind, *employer;
	const char *roles; /* job roles, comma-separated, or "" */
	int64_t course_id;
	const char *code, *title, *qualification;
	const char *why;      /* "all staff", "role gate_officer", "zone Quay", ... */
	const char *zones;    /* the zones that require the course of the person, one per
	                       * line ("" when none) */
	int64_t completed_ms; /* newest completion, 0: never */
	int64_t expires_ms;   /* its expiry; 0: never completed; INT64_MAX: does not expire */
	enum training_status status;
};

/* Calls fn for every required course of every person matching f, by person id then
 * course code, in one pass over sorted cursors (people, job roles, zone access and
 * completions aggregated per person and course). Requirements come from the matrix and
 * from zones: a person whose access groups include a zone needs the courses granting the
 * zone's required qualifications. fn returning < 0 stops the scan with that code.
 * *people (may be NULL) gets the number of people with at least one row, *last_person
 * (may be NULL) the id of the last of them. */
typedef int (*training_row_fn)(void *ctx, const struct training_row *r);
int training_compliance_scan(struct store_tx *tx, const struct training_filter *f,
                             training_row_fn fn, void *ctx, int64_t *people, int64_t *last_person,
                             struct pg_err *err);

/* Appends one row as CSV (the header with training_compliance_csv_header). */
void training_compliance_csv_header(struct pg_buf *b);
void training_compliance_csv_row(struct pg_buf *b, const struct training_row *r);

/* The compliance report as a PDF: the totals per course, then every row that is not
 * current (at most max_rows, then a line saying how many more). */
int training_compliance_pdf(struct store_tx *tx, const struct training_filter *f, int max_rows,
                            char **pdf, size_t *len, struct pg_err *err);

/* Emits reminder events (topic "training", action "expiring" or "expired") for courses
 * whose newest completion expires within TRAINING_EXPIRING_DAYS or has expired, once per
 * person, course, threshold and expiry (training_reminders), at most max per call.
 * *sent (may be NULL) gets how many. */
int training_reminders_tx(struct store_tx *tx, int64_t now_ms, int max, int *sent,
                          struct pg_err *err);

/* ---- the daemon's module (training_http.c) ---------------------------------------------- */

struct training;

/* Loads the compiled-in packs into the store (once) and starts the reminder check every
 * reminder_s seconds (0: no periodic check). acc is the access module whose snapshot
 * completions refresh (may be NULL in tests). */
int training_open(struct store *s, struct access *acc, int reminder_s, struct training **out,
                  struct pg_err *err);
/* The demo port's training records (after access_demo_seed and training_open). */
int training_demo_seed(struct store *s, struct pg_err *err);
/* Accepts NULL; stops the reminder thread and frees the PDF machinery's caches (call it
 * after http_stop). */
void training_close(struct training *t);
int training_register_routes(struct training *t);

#endif
