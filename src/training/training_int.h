/* training_int.h - what only the training module sees. */
#ifndef PG_TRAINING_INT_H
#define PG_TRAINING_INT_H

#include "training.h"

/* Name checks: a question ref (a-z, 0-9, '-', '_'), a course code (A-Z, 0-9, '-'), a job
 * role (a-z, 0-9, '_'); each 1-32 characters. */
int training_ref_ok(const char *s);
int training_code_ok(const char *s);
int training_role_ok(const char *s);

/* One matrix row's value for applies_to (all_staff: none; role: a job role; kind: a
 * person kind) into out; PG_EINVAL naming field. */
int training_requirement_check(const char *applies_to, const char *value, char out[33],
                               const char *field, struct pg_err *err);

/* Inserts one question (nothing if its ref exists). */
int training_question_insert_tx(struct store_tx *tx, const struct training_question *q,
                                const char *now, struct pg_err *err);

/* Audit record plus an event on topic "training" {action, by, ...details}. */
int training_publish(struct store_tx *tx, const char *actor, const char *action, const char *object,
                     json_t *details, struct pg_err *err);

/* A new enrolment of person in course (audited, published); *id gets it. */
int training_enrol_tx(struct store_tx *tx, const char *actor, int64_t person, int64_t course,
                      int64_t now_ms, int64_t *id, struct pg_err *err);

/* Uniform random integer in [0, n) from libsodium bytes (n > 0). */
uint32_t training_uniform(uint32_t n);

/* "First Last" of a person into out; PG_ENOTFOUND when there is no such person. */
int training_person_name(struct store_tx *tx, int64_t person_id, char *out, size_t n,
                         struct pg_err *err);

#endif
