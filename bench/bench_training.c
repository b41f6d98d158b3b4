/* bench_training - training compliance report figures (never pass or fail).
 *
 *   bench_training [PEOPLE] [DIR]   makes a fresh store in DIR (default $TMPDIR or /tmp)
 *                                   with PEOPLE people (default 50,000), 20 courses, a
 *                                   matrix that requires every course of everyone, and
 *                                   about 0.75 completions per person and course (some
 *                                   expired, some expiring, some renewed), then times:
 *     1. the compliance summary (one pass over everyone, counts per status),
 *     2. the CSV export as the daemon streams it (chunks of 500 people, each its own read
 *        snapshot), written to /dev/null,
 *     3. the PDF report (totals per course, the first 2000 rows not current),
 *   printing seconds, rows and peak RSS (VmHWM) after each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "store/store.h"
#include "training/training.h"

static long people = 50000;

static int fill_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int64_t now = pg_now_ms(), day = 86400000;
	int rc = training_seed_tx(tx, err);
	/* 12 more courses: 20 in all */
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i "
		    "< 12) INSERT INTO training_courses(code, title, topic, content, "
		    "duration_minutes, validity_months, qualification, quiz_questions, "
		    "pass_mark, max_attempts, time_limit_s, created_at, updated_at) SELECT "
		    "'B-' || i, 'Bench course ' || i, 'maritime_safety', 'x', 60, 24, "
		    "'bench_' || i, 10, 80, 3, 600, 'x', 'x' FROM n",
		    "");
	if (rc == 0)
		rc = store_exec(tx, err,
		                "INSERT INTO training_requirements(course_id, applies_to, value) "
		                "SELECT id, 'all_staff', '' FROM training_courses WHERE true "
		                "ON CONFLICT DO NOTHING",
		                "");
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i "
		    "< ?1) INSERT INTO people(id, kind, first_name, last_name, employer, "
		    "created_at, updated_at) SELECT i, CASE WHEN i % 5 = 0 THEN "
		    "'contractor' ELSE 'employee' END, 'First' || i, 'Last' || i, "
		    "'Employer ' || (i % 40), 'x', 'x' FROM n",
		    "i", (int64_t)people);
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_person_roles(person_id, role) SELECT id, CASE id "
		    "% 3 WHEN 0 THEN 'gate_officer' WHEN 1 THEN 'inspection_officer' ELSE "
		    "'security_guard' END FROM people",
		    "");
	/* completions: done at a random day in the last 800 days; a quarter never */
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO training_completions(person_id, course_id, "
		    "completed_at_ms, expires_ms, code, issued_by) SELECT p.id, c.id, ?1 - "
		    "((p.id * 7919 + c.id * 104729) % 1067) * ?2, ?1 - ((p.id * 7919 + c.id "
		    "* 104729) % 1067) * ?2 + 730 * ?2, 'B' || p.id || '-' || c.id, 'bench' "
		    "FROM people p CROSS JOIN training_courses c WHERE (p.id * 31 + c.id * "
		    "17) % 4 <> 0",
		    "ii", now, day);
	return rc;
}

struct counts {
	long rows, st[3];
};

static int count_row(void *ctx, const struct training_row *r)
{
	struct counts *c = ctx;
	c->rows++;
	c->st[r->status]++;
	return 0;
}

static int summary_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct training_filter f = {.status = -1, .now_ms = pg_now_ms()};
	return training_compliance_scan(tx, &f, count_row, ctx, NULL, NULL, err);
}

struct csv {
	struct training_filter f;
	struct pg_buf buf;
	FILE *out;
	long rows, bytes;
	int done;
};

static int csv_row(void *ctx, const struct training_row *r)
{
	struct csv *c = ctx;
	training_compliance_csv_row(&c->buf, r);
	c->rows++;
	return 0;
}

static int csv_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct csv *c = ctx;
	struct training_filter f = c->f;
	f.limit = 500;
	int64_t n = 0, last = 0;
	int rc = training_compliance_scan(tx, &f, csv_row, c, &n, &last, err);
	if (rc == 0 && n < 500)
		c->done = 1;
	c->f.after = last;
	return rc;
}

struct pdf {
	char *p;
	size_t len;
};

static int pdf_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct pdf *p = ctx;
	struct training_filter f = {.status = -1, .now_ms = pg_now_ms()};
	return training_compliance_pdf(tx, &f, 2000, &p->p, &p->len, err);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		people = strtol(argv[1], NULL, 10);
	const char *base = argc > 2 ? argv[2] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/bench-training-XXXXXX", base);
	if (pg_core_init() < 0 || !mkdtemp(dir))
		return 1;
	struct pg_err err = {0};
	struct store *s = NULL;
	struct store_opts o = {2, 64, NULL};
	if (store_open(dir, &o, &s, &err) < 0) {
		fprintf(stderr, "bench_training: %s\n", err.msg);
		return 1;
	}
	double t0 = bench_now_s();
	if (store_write(s, fill_tx, NULL, &err) < 0) {
		fprintf(stderr, "bench_training: fill: %s\n", err.msg);
		return 1;
	}
	printf("store: %ld people x 20 courses, made in %.2f s\n", people, bench_now_s() - t0);

	struct counts c = {0};
	t0 = bench_now_s();
	if (store_read(s, summary_tx, &c, &err) < 0) {
		fprintf(stderr, "bench_training: %s\n", err.msg);
		return 1;
	}
	printf("summary: %ld rows (current %ld, expiring %ld, overdue %ld) in %.2f s, peak RSS "
	       "%ld MB\n",
	       c.rows, c.st[0], c.st[1], c.st[2], bench_now_s() - t0, bench_hwm_kb() / 1024);

	struct csv v = {.f = {.status = -1, .now_ms = pg_now_ms()}};
	pg_buf_init(&v.buf, 64 << 20);
	v.out = fopen("/dev/null", "we");
	t0 = bench_now_s();
	while (!v.done) {
		pg_buf_reset(&v.buf);
		if (store_read(s, csv_tx, &v, &err) < 0) {
			fprintf(stderr, "bench_training: %s\n", err.msg);
			return 1;
		}
		fwrite(v.buf.p ? v.buf.p : "", 1, v.buf.len, v.out);
		v.bytes += (long)v.buf.len;
	}
	fclose(v.out);
	pg_buf_release(&v.buf);
	printf("CSV: %ld rows, %.1f MB in %.2f s, peak RSS %ld MB\n", v.rows, v.bytes / 1e6,
	       bench_now_s() - t0, bench_hwm_kb() / 1024);

	struct pdf p = {0};
	t0 = bench_now_s();
	if (store_read(s, pdf_tx, &p, &err) < 0) {
		fprintf(stderr, "bench_training: %s\n", err.msg);
		return 1;
	}
	printf("PDF: %zu KB in %.2f s, peak RSS %ld MB\n", p.len / 1024, bench_now_s() - t0,
	       bench_hwm_kb() / 1024);
	pg_free(p.p);
	store_close(s);
	char path[600];
	const char *files[] = {"portguard.db", "portguard.db-wal", "portguard.db-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}
