/* training_demo.c - training records for the demo port (portguard demo): completions that
 * match the qualifications the access demo gave its people, job roles, and one classroom
 * session, so that the training pages show a facility in mid-life. */
#include "training_int.h"

static int demo_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int64_t now = pg_now_ms(), day = 86400000LL;
	/* a completion for each qualification a course grants, dated validity months before
	 * its expiry; its verification code is random like any other */
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT q.person_id, c.id, q.expires_ms, c.validity_months FROM "
	                     "qualifications q JOIN training_courses c ON c.qualification = q.name "
	                     "WHERE q.expires_ms IS NOT NULL ORDER BY q.person_id",
	                     "");
	if (rc < 0)
		return rc;
	struct row {
		int64_t person, course, expires;
		int months;
	} *rows = NULL;
	size_t n = 0;
	while ((rc = store_next(r)) == 1) {
		rows = pg_realloc(rows, sizeof(*rows) * (n + 1));
		rows[n++] = (struct row){store_int(r, 0), store_int(r, 1), store_int(r, 2),
		                         (int)store_int(r, 3)};
	}
	store_rows_free(r);
	if (rc < 0)
		rc = pg_err_set(err, PG_EIO, "store: reading qualifications failed");
	for (size_t i = 0; i < n && rc >= 0; i++) {
		char code[TRAINING_CODE_LEN];
		training_code_new(code);
		int64_t done = training_add_months(rows[i].expires, -rows[i].months);
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_completions(person_id, course_id, completed_at_ms, "
		    "expires_ms, code, issued_by) VALUES (?1, ?2, ?3, ?4, ?5, 'demo')",
		    "iiiit", rows[i].person, rows[i].course, done > now ? now : done,
		    rows[i].expires, code);
	}
	pg_free(rows);
	/* job roles: the matrix then asks the gate and inspection courses of some */
	if (rc >= 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_person_roles(person_id, role) SELECT id, CASE id % "
		    "7 WHEN 1 THEN 'gate_officer' WHEN 2 THEN 'inspection_officer' ELSE "
		    "'security_guard' END FROM people WHERE kind = 'employee' AND id % 7 IN "
		    "(1, 2, 3) ON CONFLICT DO NOTHING",
		    "");
	if (rc >= 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_sessions(course_id, held_at_ms, duration_minutes, "
		    "description, trainer, location, recorded_by, recorded_at) SELECT id, ?1, "
		    "240, 'Access control and ID document checks for gate staff, with a "
		    "practical at the main gate', 'trainer', 'Training room, admin building', "
		    "'demo', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM training_courses "
		    "WHERE code = 'PG-324-AC'",
		    "i", now - 40 * day);
	if (rc >= 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_session_attendees(session_id, person_id, "
		    "completed) SELECT (SELECT max(id) FROM training_sessions), person_id, 1 "
		    "FROM training_person_roles WHERE role = 'gate_officer' ORDER BY "
		    "person_id LIMIT 12",
		    "");
	/* the session completed the course for those who attended */
	if (rc >= 0)
		rc =
		    store_query(tx, &r, err,
		                "SELECT t.person_id, s.course_id, s.id, s.held_at_ms FROM "
		                "training_session_attendees t JOIN training_sessions s ON s.id = "
		                "t.session_id WHERE s.id = (SELECT max(id) FROM training_sessions)",
		                "");
	if (rc < 0)
		return rc;
	int64_t att[12][4];
	int na = 0;
	while (na < 12 && store_next(r) == 1) {
		for (int k = 0; k < 4; k++)
			att[na][k] = store_int(r, k);
		na++;
	}
	store_rows_free(r);
	for (int i = 0; i < na && rc >= 0; i++)
		rc = training_complete_tx(tx, NULL, "demo", att[i][0], att[i][1], 0, att[i][2],
		                          att[i][3], NULL, err);
	if (rc < 0)
		return rc;
	json_t *d = json_pack("{sI}", "completions", (json_int_t)n);
	rc = store_audit(tx, "demo", "training.demo.seed", "training", d, err);
	json_decref(d);
	return rc;
}

int training_demo_seed(struct store *s, struct pg_err *err)
{
	return store_write(s, demo_tx, NULL, err);
}
