/* access_import.c - people from CSV: a streaming RFC 4180 reader, a compact list of the
 * checked rows, then one write. */
#include <stdlib.h>
#include <string.h>

#include "../core/csv.h"
#include "access_admin.h"
#include "access_import.h"

#define NCOLS     8
#define ARENA_MAX ((size_t)1 << 30) /* bytes of kept text: 1 GiB */

enum col { C_KIND, C_FIRST, C_LAST, C_EMPLOYER, C_DOC_TYPE, C_DOC_NUMBER, C_UID, C_GROUP };

static const char *const columns[NCOLS] = {
    "kind",        "first_name",    "last_name",      "employer",
    "id_doc_type", "id_doc_number", "credential_uid", "group",
};

/* What the CSV reader and the write phase name columns by. */
static const struct pg_csv cols = {.names = columns, .ncols = NCOLS, .word = "column"};

#define col_fail(err, line, col, ...) pg_csv_fail(&cols, err, line, col, __VA_ARGS__)

/* ---- the rows -------------------------------------------------------------------------------- */

/* One person to import: seven NUL-terminated strings in the arena, from off: first_name,
 * last_name, employer, id_doc_type, id_doc_number, credential_uid (upper-cased), group. */
struct row {
	size_t off;
	long line;
	int kind;
	int group; /* index into imp.groups, found in the write; -1: none */
};

struct group {
	int64_t id;
	char *name;
};

struct imp {
	const char *actor;
	struct pg_buf arena;
	struct row *rows;
	size_t n, cap;
	int *uids; /* open addressing over row indices (-1: empty), keyed by credential_uid */
	size_t uids_cap, nuids;
	struct group *groups; /* sorted by name */
	size_t ngroups;
	int64_t credentials, memberships, first_id, last_id;
};

static const char *row_str(const struct imp *m, const struct row *r, int col)
{
	const char *p = m->arena.p + r->off;
	for (int i = C_FIRST; i < col; i++)
		p += strlen(p) + 1;
	return p;
}

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Adds row i's UID to the set; the earlier row with the same UID, or -1. */
static int uid_add(struct imp *m, int i)
{
	if ((m->nuids + 1) * 2 > m->uids_cap) {
		size_t cap = m->uids_cap ? m->uids_cap * 2 : 1024;
		int *t = pg_malloc(cap * sizeof(int));
		for (size_t k = 0; k < cap; k++)
			t[k] = -1;
		for (size_t k = 0; k < m->uids_cap; k++) {
			if (m->uids[k] < 0)
				continue;
			size_t h = str_hash(row_str(m, &m->rows[m->uids[k]], C_UID)) & (cap - 1);
			while (t[h] >= 0)
				h = (h + 1) & (cap - 1);
			t[h] = m->uids[k];
		}
		pg_free(m->uids);
		m->uids = t;
		m->uids_cap = cap;
	}
	const char *uid = row_str(m, &m->rows[i], C_UID);
	size_t h = str_hash(uid) & (m->uids_cap - 1);
	for (; m->uids[h] >= 0; h = (h + 1) & (m->uids_cap - 1))
		if (strcmp(row_str(m, &m->rows[m->uids[h]], C_UID), uid) == 0)
			return m->uids[h];
	m->uids[h] = i;
	m->nuids++;
	return -1;
}

/* Checks the row in c and appends it to m. */
static int row_add(struct imp *m, const struct pg_csv *c, long line, struct pg_err *err)
{
	struct pg_err e = {0};
	char uid[ACCESS_UID_MAX + 1] = "";
	const char *kind = pg_csv_field(c, C_KIND);
	int k = access_name_index(kind, access_person_kinds);
	if (k >= 0 && strcmp(kind, "visitor") == 0)
		return col_fail(
		    err, line, C_KIND,
		    "visitors need a host and an end of visit: enrol them through the API");
	if (k < 0)
		return col_fail(err, line, C_KIND,
		                "unknown kind '%.40s': use employee, contractor, crew, driver or "
		                "authority",
		                kind);
	for (int i = C_FIRST; i <= C_GROUP; i++) {
		const char *v = pg_csv_field(c, i);
		if (i == C_UID) {
			if (*v && access_uid_normalise(v, "the value", uid, &e) < 0)
				return col_fail(err, line, i, "%s", e.msg);
		} else if (access_text_check(v, "the value", ACCESS_TEXT_MAX,
		                             i == C_FIRST || i == C_LAST, &e) < 0) {
			return col_fail(err, line, i, "%s", e.msg);
		}
	}
	if (m->n == ACCESS_IMPORT_MAX_ROWS)
		return pg_err_set(err, PG_ELIMIT, "line %ld: more than %d rows", line,
		                  ACCESS_IMPORT_MAX_ROWS);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->rows = pg_realloc(m->rows, m->cap * sizeof(*m->rows));
	}
	struct row *r = &m->rows[m->n];
	r->off = m->arena.len;
	r->line = line;
	r->kind = k;
	r->group = -1;
	for (int i = C_FIRST; i <= C_GROUP; i++) {
		const char *v = i == C_UID ? uid : pg_csv_field(c, i);
		if (pg_buf_append(&m->arena, v, strlen(v) + 1) < 0)
			return pg_err_set(err, PG_ELIMIT,
			                  "line %ld: the file holds more text than "
			                  "an import takes (1 GiB)",
			                  line);
	}
	m->n++;
	if (*uid) {
		int prev = uid_add(m, (int)(m->n - 1));
		if (prev >= 0) {
			m->n--;
			return col_fail(err, line, C_UID, "UID %s is already on line %ld", uid,
			                m->rows[prev].line);
		}
	}
	return 0;
}

/* Reads and checks the whole file into m. */
static int read_all(struct imp *m, FILE *f, struct pg_err *err)
{
	struct pg_csv c;
	long line = 1;
	int rc = pg_csv_open(&c, f, columns, NCOLS, "column", ACCESS_IMPORT_MAX_LINE, err);
	while (rc == 0 && (rc = pg_csv_row(&c, &line, err)) == 1)
		rc = row_add(m, &c, line, err);
	pg_csv_release(&c);
	return rc;
}

/* ---- the write --------------------------------------------------------------------------- */

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static int load_groups(struct store_tx *tx, struct imp *m, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT id, name FROM access_groups", "");
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(r)) == 1) {
		if (m->ngroups == cap) {
			cap = cap ? cap * 2 : 64;
			m->groups = pg_realloc(m->groups, cap * sizeof(*m->groups));
		}
		m->groups[m->ngroups].id = store_int(r, 0);
		m->groups[m->ngroups++].name = pg_strdup(store_text(r, 1));
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading access groups failed");
	if (m->ngroups)
		qsort(m->groups, m->ngroups, sizeof(*m->groups), group_cmp);
	return 0;
}

/* What the file refers to must be in the store: its groups, and none of its UIDs. */
static int resolve(struct store_tx *tx, struct imp *m, struct pg_err *err)
{
	for (size_t i = 0; i < m->n; i++) {
		struct row *r = &m->rows[i];
		const char *g = row_str(m, r, C_GROUP), *uid = row_str(m, r, C_UID);
		if (*g) {
			struct group key = {0, (char *)g};
			struct group *hit = m->ngroups ? bsearch(&key, m->groups, m->ngroups,
			                                         sizeof(*m->groups), group_cmp)
			                               : NULL;
			if (!hit)
				return col_fail(err, r->line, C_GROUP,
				                "no access group named '%.100s'", g);
			r->group = (int)(hit - m->groups);
		}
		if (*uid) {
			struct store_rows *q = NULL;
			int rc = store_query(tx, &q, err,
			                     "SELECT 1 FROM credentials WHERE uid = ?1", "t", uid);
			if (rc < 0)
				return rc;
			rc = store_next(q);
			store_rows_free(q);
			if (rc < 0)
				return pg_err_set(err, PG_EIO, "store: reading credentials failed");
			if (rc == 1)
				return col_fail(err, r->line, C_UID,
				                "UID %s is already enrolled in the store", uid);
		}
	}
	return 0;
}

static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

static int import_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct imp *m = vctx;
	char now[PG_TIME_LEN];
	int rc = load_groups(tx, m, err);
	if (rc < 0 || (rc = resolve(tx, m, err)) < 0)
		return rc;
	pg_time_format(pg_now_ms(), now);
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		const struct row *r = &m->rows[i];
		rc = store_exec(
		    tx, err,
		    "INSERT INTO people(kind, first_name, last_name, employer, id_doc_type, "
		    "id_doc_number, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		    "?7, ?7)",
		    "ttttttt", access_person_kinds[r->kind], row_str(m, r, C_FIRST),
		    row_str(m, r, C_LAST), or_null(row_str(m, r, C_EMPLOYER)),
		    or_null(row_str(m, r, C_DOC_TYPE)), or_null(row_str(m, r, C_DOC_NUMBER)), now);
		if (rc < 0)
			break;
		int64_t id = store_last_id(tx);
		m->first_id = m->first_id ? m->first_id : id;
		m->last_id = id;
		const char *uid = row_str(m, r, C_UID);
		if (*uid) {
			rc = store_exec(
			    tx, err,
			    "INSERT INTO credentials(uid, person_id, status, created_at, "
			    "updated_at) VALUES (?1, ?2, 'active', ?3, ?3)",
			    "tit", uid, id, now);
			m->credentials++;
		}
		if (rc == 0 && r->group >= 0) {
			/* (worded so that its statement does not share a slot of the store's
			 * statement cache with the people insert above: 64 slots, by hash) */
			rc = store_exec(
			    tx, err,
			    "INSERT INTO person_groups(person_id, group_id, until_ms) VALUES "
			    "(?1, ?2, NULL)",
			    "ii", id, m->groups[r->group].id);
			m->memberships++;
		}
		if (rc < 0 && err) {
			char why[sizeof(err->msg)];
			pg_strlcpy(why, err->msg, sizeof(why));
			pg_err_set(err, rc, "line %ld: the store refused the row: %s", r->line,
			           why);
		}
	}
	if (rc < 0)
		return rc;
	json_t *details =
	    json_pack("{sI sI sI}", "count", (json_int_t)m->n, "credentials",
	              (json_int_t)m->credentials, "groups", (json_int_t)m->memberships);
	rc = store_audit(tx, m->actor, "people.import", "people", details, err);
	if (rc == 0) {
		json_t *ev = json_pack("{ss sI sI sI ss sO}", "action", "people.import", "id",
		                       (json_int_t)m->first_id, "first_id", (json_int_t)m->first_id,
		                       "last_id", (json_int_t)m->last_id, "by", m->actor, "details",
		                       details);
		int64_t eid = store_event(tx, "access", ev, err);
		json_decref(ev);
		rc = eid < 0 ? (int)eid : 0;
	}
	json_decref(details);
	/* No access_changed(): the import runs without the daemon's struct access. */
	return rc;
}

int access_import_check(FILE *f, int *rows, struct pg_err *err)
{
	return access_import_people(NULL, NULL, f, rows, err);
}

int access_import_people(struct store *s, const char *actor, FILE *f, int *imported,
                         struct pg_err *err)
{
	struct imp m = {0};
	m.actor = actor;
	pg_buf_init(&m.arena, ARENA_MAX);
	int rc = read_all(&m, f, err);
	if (rc == 0 && m.n > 0 && s)
		rc = store_write(s, import_tx, &m, err);
	if (rc == 0)
		*imported = (int)m.n;
	for (size_t i = 0; i < m.ngroups; i++)
		pg_free(m.groups[i].name);
	pg_free(m.groups);
	pg_free(m.uids);
	pg_free(m.rows);
	pg_buf_release(&m.arena);
	return rc;
}
