/* fuzz_training_pack - the training pack parser (etc/training/NAME.json, compiled in and
 * loaded at start-up; POST /api/v1/training/courses and /questions go through it too) and
 * the verification code reader of GET /verify/{code}: any bytes give a checked pack or an
 * error naming where, never a crash, a hang or a leak.
 *
 * Checks:
 *  - success: every question has 2-8 options, a non-empty set of right options within
 *    them, exactly one for single and true_false, a known topic and kind; every course a
 *    topic, a code and a quiz pass mark in 1..100; the pack pointer is set;
 *  - failure: PG_EINVAL or PG_ELIMIT with a message that begins with the field it names;
 *    no pack;
 *  - a code that reads is 19 characters and reads as itself. */
#include "fuzz.h"
#include "training/training.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct training_pack *p = NULL;
	struct pg_err err = {0};
	int rc = training_pack_parse((const char *)data, size, &p, &err);
	if (rc == 0) {
		FUZZ_CHECK(p != NULL);
		for (int i = 0; i < p->nquestions; i++) {
			const struct training_question *q = &p->questions[i];
			FUZZ_CHECK(q->noptions >= 2 && q->noptions <= TRAINING_MAX_OPTIONS);
			FUZZ_CHECK(q->correct != 0 && (q->correct >> q->noptions) == 0);
			FUZZ_CHECK(q->topic >= 0 && q->topic < TRAINING_N_TOPICS);
			if (q->kind != TRAINING_MULTIPLE)
				FUZZ_CHECK((q->correct & (q->correct - 1)) == 0);
			FUZZ_CHECK(q->text && q->text[0] && q->explanation && q->explanation[0]);
		}
		for (int i = 0; i < p->ncourses; i++) {
			FUZZ_CHECK(p->courses[i].topic >= 0 && p->courses[i].code[0]);
			FUZZ_CHECK(p->courses[i].pass_mark >= 1 && p->courses[i].pass_mark <= 100);
		}
	} else {
		FUZZ_CHECK(p == NULL);
		FUZZ_CHECK(rc == PG_EINVAL || rc == PG_ELIMIT);
		FUZZ_CHECK(err.msg[0] != '\0');
		if (err.field[0])
			FUZZ_CHECK(strncmp(err.msg, err.field, strlen(err.field)) == 0);
	}
	training_pack_free(p);

	char *s = fuzz_cstr(data, size < 64 ? size : 64);
	char code[TRAINING_CODE_LEN], again[TRAINING_CODE_LEN];
	if (training_code_normalise(s, code) == 0) {
		FUZZ_CHECK(strlen(code) == 19);
		FUZZ_CHECK(training_code_normalise(code, again) == 0 && strcmp(code, again) == 0);
	}
	pg_free(s);
	return 0;
}
