/* training_compliance.c - who is current, expiring or overdue, in one pass over sorted
 * cursors; the CSV rows; reminders as events. */
#include <stdlib.h>
#include <string.h>

#include "training_int.h"
#include "../core/csv.h"

#define DAY_MS 86400000LL
#define NEVER  INT64_MAX

static const char *const status_names[] = {"current", "expiring", "overdue"};

const char *training_status_name(enum training_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "?";
}

struct tcourse {
	int64_t id;
	char *code, *title, *qualification;
};

/* A requirement of the matrix or of a zone, resolved to a course index. */
struct treq {
	int course;  /* index into courses */
	int applies; /* 0 all_staff, 1 role, 2 kind, 3 zone */
	char *value; /* role, kind, or the zone's name */
	int64_t zone_id;
};

struct scan {
	struct tcourse *courses;
	int ncourses;
	struct treq *reqs;
	int nreqs;
};

static void scan_release(struct scan *s)
{
	for (int i = 0; i < s->ncourses; i++) {
		pg_free(s->courses[i].code);
		pg_free(s->courses[i].title);
		pg_free(s->courses[i].qualification);
	}
	for (int i = 0; i < s->nreqs; i++)
		pg_free(s->reqs[i].value);
	pg_free(s->courses);
	pg_free(s->reqs);
}

static int course_index(const struct scan *s, int64_t id)
{
	int lo = 0, hi = s->ncourses - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (s->courses[mid].id == id)
			return mid;
		if (s->courses[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void req_add(struct scan *s, int course, int applies, const char *value, int64_t zone_id)
{
	if (course < 0)
		return;
	s->reqs = pg_realloc(s->reqs, sizeof(*s->reqs) * (size_t)(s->nreqs + 1));
	s->reqs[s->nreqs++] =
	    (struct treq){course, applies, pg_strdup(value ? value : ""), zone_id};
}

/* Active courses (by id) and the requirements: the matrix, and the zones' qualifications. */
static int scan_load(struct store_tx *tx, struct scan *s, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT id, code, title, qualification FROM training_courses WHERE "
	                     "active = 1 ORDER BY id",
	                     "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		s->courses =
		    pg_realloc(s->courses, sizeof(*s->courses) * (size_t)(s->ncourses + 1));
		s->courses[s->ncourses++] =
		    (struct tcourse){store_int(r, 0), pg_strdup(store_text(r, 1)),
		                     pg_strdup(store_text(r, 2)), pg_strdup(store_text(r, 3))};
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading courses failed");
	rc = store_query(
	    tx, &r, err,
	    "SELECT course_id, applies_to, value FROM training_requirements ORDER BY id", "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		const char *a = store_text(r, 1);
		req_add(s, course_index(s, store_int(r, 0)),
		        strcmp(a, "all_staff") == 0 ? 0
		        : strcmp(a, "role") == 0    ? 1
		                                    : 2,
		        store_text(r, 2), 0);
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading requirements failed");
	/* a zone that requires a qualification requires the courses that grant it */
	rc = store_query(tx, &r, err,
	                 "SELECT z.id, z.name, c.id FROM zones z, json_each(z.required_quals) q "
	                 "JOIN training_courses c ON c.qualification = q.value AND c.active = 1 "
	                 "ORDER BY z.id, c.id",
	                 "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1)
		req_add(s, course_index(s, store_int(r, 2)), 3, store_text(r, 1), store_int(r, 0));
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading zones failed") : 0;
}

/* A cursor over rows sorted by person id (column 0) that the scan advances lazily. */
struct cursor {
	struct store_rows *r;
	int have; /* 1: a row is current; 0: done */
};

static int cursor_step(struct cursor *c, struct pg_err *err)
{
	int rc = store_next(c->r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading the compliance cursors failed");
	c->have = rc;
	return 0;
}

/* Moves c to the first row of person id or later. */
static int cursor_seek(struct cursor *c, int64_t id, struct pg_err *err)
{
	while (c->have && store_int(c->r, 0) < id)
		if (cursor_step(c, err) < 0)
			return PG_EIO;
	return 0;
}

static int on_person(struct cursor *c, int64_t id)
{
	return c->have && store_int(c->r, 0) == id;
}

int training_compliance_scan(struct store_tx *tx, const struct training_filter *f,
                             training_row_fn fn, void *ctx, int64_t *people, int64_t *last_person,
                             struct pg_err *err)
{
	struct scan s = {0};
	struct cursor pc = {0}, rc_ = {0}, zc = {0}, cc = {0};
	struct pg_buf roles, why, zones;
	pg_buf_init(&roles, 4096);
	pg_buf_init(&why, 4096);
	pg_buf_init(&zones, 4096);
	int64_t npeople = 0, last = 0;
	int64_t *done = NULL, *exp = NULL;
	char *zones_of = NULL; /* which zone requirements apply to the person */
	int *need = NULL;
	/* one person: every cursor starts just before them */
	int64_t after = f->person_id && f->person_id - 1 > f->after ? f->person_id - 1 : f->after;
	int rc = scan_load(tx, &s, err);
	if (rc < 0)
		goto out;
	done = pg_calloc((size_t)s.ncourses + 1, sizeof(*done));
	exp = pg_calloc((size_t)s.ncourses + 1, sizeof(*exp));
	need = pg_calloc((size_t)s.ncourses + 1, sizeof(*need));
	zones_of = pg_calloc((size_t)s.nreqs + 1, 1);
	if ((rc = store_query(
	         tx, &pc.r, err,
	         "SELECT id, kind, first_name, last_name, coalesce(employer, '') FROM "
	         "people WHERE id > ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 = 0 OR id = ?3) "
	         "ORDER BY id",
	         "iti", after, f->kind, f->person_id)) < 0 ||
	    (rc = store_query(tx, &rc_.r, err,
	                      "SELECT person_id, role FROM training_person_roles WHERE person_id > "
	                      "?1 ORDER BY person_id, role",
	                      "i", after)) < 0 ||
	    (rc =
	         store_query(tx, &zc.r, err,
	                     "SELECT DISTINCT pg.person_id, gz.zone_id FROM person_groups pg JOIN "
	                     "group_zones gz ON gz.group_id = pg.group_id WHERE pg.person_id > ?1 "
	                     "AND gz.zone_id IN (SELECT id FROM zones WHERE required_quals <> '[]' "
	                     "OR id = ?2) ORDER BY pg.person_id, gz.zone_id",
	                     "ii", after, f->zone_id)) < 0 ||
	    (rc =
	         store_query(tx, &cc.r, err,
	                     "SELECT person_id, course_id, max(completed_at_ms), "
	                     "max(coalesce(expires_ms, ?2)) FROM training_completions WHERE "
	                     "person_id > ?1 GROUP BY person_id, course_id ORDER BY person_id, "
	                     "course_id", /* the GROUP BY's order: streamed by the index, no sort */
	                     "ii", after, (int64_t)NEVER)) < 0)
		goto out;
	if ((rc = cursor_step(&pc, err)) < 0 || (rc = cursor_step(&rc_, err)) < 0 ||
	    (rc = cursor_step(&zc, err)) < 0 || (rc = cursor_step(&cc, err)) < 0)
		goto out;
	int64_t soon = f->now_ms + TRAINING_EXPIRING_DAYS * DAY_MS;
	for (; pc.have; rc = cursor_step(&pc, err)) {
		if (rc < 0)
			goto out;
		if (f->limit && npeople >= f->limit)
			break;
		int64_t id = store_int(pc.r, 0);
		const char *kind = store_text(pc.r, 1);
		/* the person's job roles */
		pg_buf_reset(&roles);
		int role_match = f->role == NULL;
		if ((rc = cursor_seek(&rc_, id, err)) < 0)
			goto out;
		memset(need, 0, sizeof(*need) * (size_t)s.ncourses);
		memset(zones_of, 0, (size_t)s.nreqs);
		for (; on_person(&rc_, id); rc = cursor_step(&rc_, err)) {
			if (rc < 0)
				goto out;
			const char *role = store_text(rc_.r, 1);
			pg_buf_printf(&roles, "%s%s", roles.len ? "," : "", role);
			if (f->role && strcmp(f->role, role) == 0)
				role_match = 1;
			for (int i = 0; i < s.nreqs; i++)
				if (s.reqs[i].applies == 1 && strcmp(s.reqs[i].value, role) == 0)
					zones_of[i] = 1;
		}
		if (rc < 0)
			goto out;
		int zone_match = f->zone_id == 0;
		if ((rc = cursor_seek(&zc, id, err)) < 0)
			goto out;
		for (; on_person(&zc, id); rc = cursor_step(&zc, err)) {
			if (rc < 0)
				goto out;
			int64_t z = store_int(zc.r, 1);
			if (z == f->zone_id)
				zone_match = 1;
			for (int i = 0; i < s.nreqs; i++)
				if (s.reqs[i].applies == 3 && s.reqs[i].zone_id == z)
					zones_of[i] = 1;
		}
		if (rc < 0)
			goto out;
		if (!role_match || !zone_match)
			continue;
		int staff = strcmp(kind, "employee") == 0 || strcmp(kind, "contractor") == 0;
		int any = 0;
		for (int i = 0; i < s.nreqs; i++) {
			const struct treq *q = &s.reqs[i];
			int applies = q->applies == 0   ? staff
			              : q->applies == 2 ? strcmp(q->value, kind) == 0
			                                : zones_of[i];
			if (applies && (!f->course_id || s.courses[q->course].id == f->course_id)) {
				need[q->course] = 1;
				any = 1;
			}
		}
		if (!any)
			continue;
		/* the completions, by course */
		memset(done, 0, sizeof(*done) * (size_t)s.ncourses);
		memset(exp, 0, sizeof(*exp) * (size_t)s.ncourses);
		if ((rc = cursor_seek(&cc, id, err)) < 0)
			goto out;
		for (; on_person(&cc, id); rc = cursor_step(&cc, err)) {
			if (rc < 0)
				goto out;
			int k = course_index(&s, store_int(cc.r, 1));
			if (k >= 0) {
				done[k] = store_int(cc.r, 2);
				exp[k] = store_int(cc.r, 3);
			}
		}
		if (rc < 0)
			goto out;
		int emitted = 0;
		for (int k = 0; k < s.ncourses; k++) {
			if (!need[k])
				continue;
			struct training_row row = {
			    .person_id = id,
			    .first_name = store_text(pc.r, 2),
			    .last_name = store_text(pc.r, 3),
			    .kind = kind,
			    .employer = store_text(pc.r, 4),
			    .roles = roles.p ? roles.p : "",
			    .course_id = s.courses[k].id,
			    .code = s.courses[k].code,
			    .title = s.courses[k].title,
			    .qualification = s.courses[k].qualification,
			    .completed_ms = done[k],
			    .expires_ms = exp[k],
			};
			row.status = !done[k] || exp[k] <= f->now_ms ? TS_OVERDUE
			             : exp[k] <= soon                ? TS_EXPIRING
			                                             : TS_CURRENT;
			if (f->status >= 0 && (int)row.status != f->status)
				continue;
			/* why: every requirement naming this course that applies */
			pg_buf_reset(&why);
			pg_buf_reset(&zones);
			for (int i = 0; i < s.nreqs; i++) {
				const struct treq *q = &s.reqs[i];
				if (q->course != k)
					continue;
				if (q->applies == 0 && staff)
					pg_buf_printf(&why, "%sall staff", why.len ? "; " : "");
				else if (q->applies == 1 && zones_of[i])
					pg_buf_printf(&why, "%srole %s", why.len ? "; " : "",
					              q->value);
				else if (q->applies == 2 && strcmp(q->value, kind) == 0)
					pg_buf_printf(&why, "%skind %s", why.len ? "; " : "",
					              q->value);
				else if (q->applies == 3 && zones_of[i]) {
					pg_buf_printf(&why, "%szone %s", why.len ? "; " : "",
					              q->value);
					pg_buf_printf(&zones, "%s%s", zones.len ? "\n" : "",
					              q->value);
				}
			}
			row.why = why.p ? why.p : "";
			row.zones = zones.p ? zones.p : "";
			if ((rc = fn(ctx, &row)) < 0)
				goto out;
			emitted = 1;
		}
		if (emitted) {
			npeople++;
			last = id;
		}
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if (people)
		*people = npeople;
	if (last_person)
		*last_person = last;
out:
	store_rows_free(pc.r);
	store_rows_free(rc_.r);
	store_rows_free(zc.r);
	store_rows_free(cc.r);
	pg_buf_release(&roles);
	pg_buf_release(&why);
	pg_buf_release(&zones);
	pg_free(done);
	pg_free(exp);
	pg_free(need);
	pg_free(zones_of);
	scan_release(&s);
	return rc;
}

/* ---- CSV ------------------------------------------------------------------------------------ */

/* RFC 4180 quoting; a leading = + - @ is prefixed with ' so that spreadsheets do not run
 * it as a formula. */
void training_compliance_csv_header(struct pg_buf *b)
{
	pg_buf_puts(b, "person_id,first_name,last_name,kind,employer,roles,course,title,"
	               "qualification,required_by,status,completed_at,expires_at\r\n");
}

void training_compliance_csv_row(struct pg_buf *b, const struct training_row *r)
{
	char num[32], t1[PG_TIME_LEN] = "", t2[PG_TIME_LEN] = "";
	pg_snprintf(num, sizeof(num), "%lld", (long long)r->person_id);
	if (r->completed_ms)
		pg_time_format(r->completed_ms, t1);
	if (r->expires_ms && r->expires_ms != NEVER)
		pg_time_format(r->expires_ms, t2);
	pg_csv_put(b, num, 0);
	pg_csv_put(b, r->first_name, 0);
	pg_csv_put(b, r->last_name, 0);
	pg_csv_put(b, r->kind, 0);
	pg_csv_put(b, r->employer, 0);
	pg_csv_put(b, r->roles, 0);
	pg_csv_put(b, r->code, 0);
	pg_csv_put(b, r->title, 0);
	pg_csv_put(b, r->qualification, 0);
	pg_csv_put(b, r->why, 0);
	pg_csv_put(b, training_status_name(r->status), 0);
	pg_csv_put(b, t1, 0);
	pg_csv_put(b, t2, 1);
}

/* ---- reminders ---------------------------------------------------------------------------- */

int training_reminders_tx(struct store_tx *tx, int64_t now_ms, int max, int *sent,
                          struct pg_err *err)
{
	struct store_rows *r = NULL;
	int n = 0;
	/* the newest expiry per person and course (none: never expires), within the window */
	int rc = store_query(
	    tx, &r, err,
	    "SELECT k.person_id, k.course_id, k.e, c.code, c.qualification, p.first_name || ' ' "
	    "|| p.last_name FROM (SELECT person_id, course_id, max(coalesce(expires_ms, ?3)) AS e "
	    "FROM training_completions GROUP BY person_id, course_id) k JOIN training_courses c "
	    "ON c.id = k.course_id JOIN people p ON p.id = k.person_id WHERE k.e <= ?2 AND NOT "
	    "EXISTS (SELECT 1 FROM training_reminders m WHERE m.person_id = k.person_id AND "
	    "m.course_id = k.course_id AND m.expires_ms = k.e AND m.threshold = CASE WHEN k.e "
	    "<= ?1 THEN 'expired' ELSE 'expiring' END) ORDER BY k.e LIMIT ?4",
	    "iiii", now_ms, now_ms + TRAINING_EXPIRING_DAYS * DAY_MS, (int64_t)NEVER, (int64_t)max);
	if (rc < 0)
		return rc;
	/* collected first: the statement must be done before the inserts */
	struct rem {
		int64_t person, course, e;
		char *code, *qual, *name;
	} *rows = NULL;
	int cnt = 0;
	while ((rc = store_next(r)) == 1) {
		rows = pg_realloc(rows, sizeof(*rows) * (size_t)(cnt + 1));
		rows[cnt++] = (struct rem){store_int(r, 0),
		                           store_int(r, 1),
		                           store_int(r, 2),
		                           pg_strdup(store_text(r, 3)),
		                           pg_strdup(store_text(r, 4)),
		                           pg_strdup(store_text(r, 5))};
	}
	store_rows_free(r);
	if (rc < 0)
		rc = pg_err_set(err, PG_EIO, "store: reading completions failed");
	for (int i = 0; i < cnt && rc >= 0; i++) {
		const char *th = rows[i].e <= now_ms ? "expired" : "expiring";
		rc = store_exec(tx, err,
		                "INSERT INTO training_reminders(person_id, course_id, threshold, "
		                "expires_ms, sent_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
		                "iitii", rows[i].person, rows[i].course, th, rows[i].e, now_ms);
		if (rc < 0)
			break;
		char at[PG_TIME_LEN];
		pg_time_format(rows[i].e, at);
		json_t *ev = json_pack(
		    "{ss sI ss sI ss ss ss}", "action", th, "person_id", (json_int_t)rows[i].person,
		    "person", rows[i].name, "course_id", (json_int_t)rows[i].course, "course",
		    rows[i].code, "qualification", rows[i].qual, "expires_at", at);
		int64_t id = store_event(tx, "training", ev, err);
		json_decref(ev);
		if (id < 0)
			rc = (int)id;
		else
			n++;
	}
	for (int i = 0; i < cnt; i++) {
		pg_free(rows[i].code);
		pg_free(rows[i].qual);
		pg_free(rows[i].name);
	}
	pg_free(rows);
	if (rc < 0)
		return rc;
	if (sent)
		*sent = n;
	return 0;
}
