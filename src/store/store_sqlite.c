/* store_sqlite.c - the SQLite back end: WAL, one writer thread with group commit, a pool
 * of read connections, cached prepared statements. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store_int.h"

struct write_job {
	store_fn fn;
	void *ctx;
	struct pg_err *err;
	int rc;
	int done;
	struct tx_hook *hooks;
	struct write_job *next;
	/* asynchronous jobs: heap-allocated, answered through done_fn */
	store_done_fn done_fn;
	void *done_arg;
	struct pg_err own_err;
};

#define LAT_BUCKETS 10
static const double lat_bounds[LAT_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
					       0.025,  0.05,  0.1,    0.25,  1.0};

struct store {
	char *path;
	struct pg_bus *bus;
	int max_batch;
	int version;

	/* writer */
	struct store_conn writer;
	pthread_t writer_thread;
	pthread_mutex_t qlock;
	pthread_cond_t qcv;    /* work queued or stopping */
	pthread_cond_t donecv; /* a batch finished */
	struct write_job *qhead, *qtail;
	int stopping;

	/* readers */
	struct store_conn *readers;
	int nreaders;
	pthread_mutex_t rlock;
	pthread_cond_t rcv;

	/* metrics (under qlock) */
	uint64_t commits, writes, failed_commits;
	uint64_t lat_count[LAT_BUCKETS + 1];
	double lat_sum;
	uint64_t batch_max;
};

struct store_rows {
	struct store_tx *tx;
	sqlite3_stmt *stmt;
	struct stmt_slot *slot; /* NULL when not cached */
	int err;
};

static __thread int on_writer_thread;

struct store *store_tx_store(struct store_tx *tx)
{
	return tx->s;
}

struct pg_bus *store_bus(struct store *s)
{
	return s->bus;
}

int store_schema_version(struct store *s)
{
	return s->version;
}

/* ---- connections ---------------------------------------------------------------------- */

static int conn_open(struct store *s, struct store_conn *c, int readonly, struct pg_err *err)
{
	memset(c, 0, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(s->path, &c->db, flags, NULL) != SQLITE_OK) {
		pg_err_set(err, PG_EIO, "cannot open %s: %s", s->path,
			   c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		c->db = NULL;
		return PG_EIO;
	}
	sqlite3_busy_timeout(c->db, 5000);
	const char *pragmas = readonly ? "PRAGMA foreign_keys=ON; PRAGMA query_only=1;"
				       : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
					 "PRAGMA foreign_keys=ON;";
	char *msg = NULL;
	if (sqlite3_exec(c->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		pg_err_set(err, PG_EIO, "cannot set up %s: %s", s->path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(c->db);
		c->db = NULL;
		return PG_EIO;
	}
	return 0;
}

static void conn_close(struct store_conn *c)
{
	if (!c->db)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close(c->db);
	c->db = NULL;
}

static int tx_plain(struct store_conn *c, const char *sql, struct pg_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pg_err_set(err, PG_EIO, "%s: %s", sql, msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return PG_EIO;
	}
	return 0;
}

/* ---- statements ----------------------------------------------------------------------- */

static int sql_error(struct store_tx *tx, int rc, struct pg_err *err)
{
	const char *msg = sqlite3_errmsg(tx->conn->db);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return pg_err_set(err, PG_ECONFLICT, "%s", msg);
	return pg_err_set(err, PG_EIO, "store: %s", msg);
}

static int stmt_get(struct store_tx *tx, const char *sql, sqlite3_stmt **out,
		    struct stmt_slot **slot_out, struct pg_err *err)
{
	struct store_conn *c = tx->conn;
	size_t h = 5381;
	for (const char *p = sql; *p; p++)
		h = h * 33 + (unsigned char)*p;
	/* a statement may sit in any of STMT_WAYS slots from its hash; a miss replaces the
	 * least recently used of them */
	struct stmt_slot *slot = NULL;
	for (int w = 0; w < STMT_WAYS; w++) {
		struct stmt_slot *cand = &c->cache[(h + (size_t)w) % STMT_CACHE];
		if (cand->stmt && !cand->in_use && strcmp(sqlite3_sql(cand->stmt), sql) == 0) {
			cand->in_use = 1;
			cand->used = ++c->clock;
			*out = cand->stmt;
			*slot_out = cand;
			return 0;
		}
		if (!cand->in_use && (!slot || !cand->stmt || (slot->stmt && cand->used < slot->used)))
			slot = cand;
	}
	if (!slot)
		slot = &c->cache[h % STMT_CACHE]; /* all in use: prepare an uncached one below */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, slot->in_use ? 0 : SQLITE_PREPARE_PERSISTENT,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return sql_error(tx, rc, err);
	if (!slot->in_use) {
		sqlite3_finalize(slot->stmt);
		slot->stmt = st;
		slot->in_use = 1;
		slot->used = ++c->clock;
		*slot_out = slot;
	} else {
		*slot_out = NULL;
	}
	*out = st;
	return 0;
}

static void stmt_put(sqlite3_stmt *st, struct stmt_slot *slot)
{
	if (!st)
		return;
	if (slot) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		slot->in_use = 0;
	} else {
		sqlite3_finalize(st);
	}
}

static int bind_args(struct store_tx *tx, sqlite3_stmt *st, const char *types, va_list ap,
		     struct pg_err *err)
{
	int n = types ? (int)strlen(types) : 0;
	for (int i = 0; i < n; i++) {
		int rc;
		switch (types[i]) {
		case 'i':
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 't': {
			const char *v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i + 1);
			break;
		}
		case 'd':
			rc = sqlite3_bind_double(st, i + 1, va_arg(ap, double));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i + 1);
			break;
		default:
			return pg_err_set(err, PG_EIO, "store: bad parameter type '%c'", types[i]);
		}
		if (rc != SQLITE_OK)
			return sql_error(tx, rc, err);
	}
	return 0;
}

static int vquery(struct store_tx *tx, struct store_rows **out, struct pg_err *err,
		  const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st = NULL;
	struct stmt_slot *slot = NULL;
	int rc = stmt_get(tx, sql, &st, &slot, err);
	if (rc < 0)
		return rc;
	rc = bind_args(tx, st, types, ap, err);
	if (rc < 0) {
		stmt_put(st, slot);
		return rc;
	}
	struct store_rows *r = pg_calloc(1, sizeof(*r));
	r->tx = tx;
	r->stmt = st;
	r->slot = slot;
	*out = r;
	return 0;
}

int store_query(struct store_tx *tx, struct store_rows **out, struct pg_err *err, const char *sql,
		const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = vquery(tx, out, err, sql, types, ap);
	va_end(ap);
	return rc;
}

int store_next(struct store_rows *r)
{
	int rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	r->err = rc;
	return (rc & 0xff) == SQLITE_CONSTRAINT ? PG_ECONFLICT : PG_EIO;
}

int64_t store_int(struct store_rows *r, int col)
{
	return sqlite3_column_int64(r->stmt, col);
}

double store_double(struct store_rows *r, int col)
{
	return sqlite3_column_double(r->stmt, col);
}

const char *store_text(struct store_rows *r, int col)
{
	return (const char *)sqlite3_column_text(r->stmt, col);
}

int store_is_null(struct store_rows *r, int col)
{
	return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

void store_rows_free(struct store_rows *r)
{
	if (!r)
		return;
	stmt_put(r->stmt, r->slot);
	pg_free(r);
}

int store_exec(struct store_tx *tx, struct pg_err *err, const char *sql, const char *types, ...)
{
	struct store_rows *r = NULL;
	va_list ap;
	va_start(ap, types);
	int rc = vquery(tx, &r, err, sql, types, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1)
		;
	if (rc < 0)
		rc = sql_error(tx, r->err, err);
	store_rows_free(r);
	return rc;
}

static json_t *column_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	case SQLITE_NULL:
		return json_null();
	default:
		return json_string((const char *)sqlite3_column_text(st, i));
	}
}

int store_query_json(struct store_tx *tx, json_t **out, struct pg_err *err, const char *sql,
		     const char *types, ...)
{
	struct store_rows *r = NULL;
	va_list ap;
	va_start(ap, types);
	int rc = vquery(tx, &r, err, sql, types, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	int ncol = sqlite3_column_count(r->stmt);
	while ((rc = store_next(r)) == 1) {
		json_t *obj = json_object();
		for (int i = 0; i < ncol; i++) {
			const char *name = sqlite3_column_name(r->stmt, i);
			size_t len = strlen(name);
			if (len > 5 && strcmp(name + len - 5, "_json") == 0) {
				char key[128];
				pg_snprintf(key, sizeof(key), "%.*s", (int)(len - 5), name);
				const char *txt = (const char *)sqlite3_column_text(r->stmt, i);
				json_t *v = txt ? json_loads(txt, JSON_DECODE_ANY, NULL) : NULL;
				json_object_set_new(obj, key, v ? v : json_null());
			} else {
				json_object_set_new(obj, name, column_json(r->stmt, i));
			}
		}
		json_array_append_new(arr, obj);
	}
	if (rc < 0) {
		rc = sql_error(tx, r->err, err);
		json_decref(arr);
	} else {
		*out = arr;
	}
	store_rows_free(r);
	return rc;
}

int64_t store_last_id(struct store_tx *tx)
{
	return sqlite3_last_insert_rowid(tx->conn->db);
}

int store_changes(struct store_tx *tx)
{
	return sqlite3_changes(tx->conn->db);
}

void store_after_commit(struct store_tx *tx, void (*fn)(void *ctx), void (*free_ctx)(void *ctx),
			void *ctx)
{
	struct tx_hook *h = pg_calloc(1, sizeof(*h));
	h->fn = fn;
	h->free_ctx = free_ctx;
	h->ctx = ctx;
	*tx->hooks_tail = h;
	tx->hooks_tail = &h->next;
}

static void hooks_run(struct tx_hook *h, int run)
{
	while (h) {
		struct tx_hook *next = h->next;
		if (run && h->fn)
			h->fn(h->ctx);
		if (h->free_ctx)
			h->free_ctx(h->ctx);
		pg_free(h);
		h = next;
	}
}

/* ---- the writer: group commit --------------------------------------------------------- */

static void batch_run(struct store *s, struct write_job *jobs)
{
	struct store_tx tx = {.s = s, .conn = &s->writer, .writable = 1};
	struct pg_err e = {0};
	int64_t t0 = pg_mono_us();
	int n = 0, ok = tx_plain(&s->writer, "BEGIN IMMEDIATE", &e) == 0;
	for (struct write_job *j = jobs; j; j = j->next) {
		n++;
		if (!ok) {
			j->rc = pg_err_set(j->err, PG_EIO, "store: cannot begin: %s", e.msg);
			continue;
		}
		tx.hooks = NULL;
		tx.hooks_tail = &tx.hooks;
		tx_plain(&s->writer, "SAVEPOINT job", NULL);
		j->rc = j->fn(&tx, j->ctx, j->err);
		if (j->rc < 0) {
			tx_plain(&s->writer, "ROLLBACK TO job", NULL);
			hooks_run(tx.hooks, 0);
		} else {
			j->hooks = tx.hooks;
		}
		tx_plain(&s->writer, "RELEASE job", NULL);
	}
	if (ok && tx_plain(&s->writer, "COMMIT", &e) < 0) {
		tx_plain(&s->writer, "ROLLBACK", NULL);
		ok = 0;
		for (struct write_job *j = jobs; j; j = j->next)
			if (j->rc >= 0)
				j->rc = pg_err_set(j->err, PG_EIO, "store: commit failed: %s", e.msg);
	}
	double secs = (double)(pg_mono_us() - t0) / 1e6;
	for (struct write_job *j = jobs; j; j = j->next) {
		hooks_run(j->hooks, ok && j->rc >= 0);
		j->hooks = NULL;
	}
	pthread_mutex_lock(&s->qlock);
	s->writes += (uint64_t)n;
	if (ok) {
		s->commits++;
		int b = 0;
		while (b < LAT_BUCKETS && secs > lat_bounds[b])
			b++;
		s->lat_count[b]++;
		s->lat_sum += secs;
		if ((uint64_t)n > s->batch_max)
			s->batch_max = (uint64_t)n;
	} else {
		s->failed_commits++;
	}
	struct write_job *async = NULL;
	for (struct write_job *j = jobs, *next; j; j = next) {
		next = j->next;
		if (j->done_fn) {
			j->next = async;
			async = j;
		} else {
			j->done = 1;
		}
	}
	pthread_cond_broadcast(&s->donecv);
	pthread_mutex_unlock(&s->qlock);
	for (struct write_job *j = async, *next; j; j = next) {
		next = j->next;
		j->done_fn(j->done_arg, j->rc, &j->own_err);
		pg_free(j);
	}
}

static void *writer_main(void *arg)
{
	struct store *s = arg;
	on_writer_thread = 1;
	pthread_mutex_lock(&s->qlock);
	for (;;) {
		while (!s->qhead && !s->stopping)
			pthread_cond_wait(&s->qcv, &s->qlock);
		if (!s->qhead)
			break;
		struct write_job *batch = s->qhead, *last = batch;
		int n = 1;
		while (last->next && n < s->max_batch) {
			last = last->next;
			n++;
		}
		s->qhead = last->next;
		if (!s->qhead)
			s->qtail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&s->qlock);
		batch_run(s, batch);
		pthread_mutex_lock(&s->qlock);
	}
	pthread_mutex_unlock(&s->qlock);
	return NULL;
}

int store_write(struct store *s, store_fn fn, void *ctx, struct pg_err *err)
{
	if (on_writer_thread)
		return pg_err_set(err, PG_EIO, "store: store_write called from inside a write");
	struct write_job job = {.fn = fn, .ctx = ctx, .err = err};
	pthread_mutex_lock(&s->qlock);
	if (s->stopping) {
		pthread_mutex_unlock(&s->qlock);
		return pg_err_set(err, PG_EIO, "store: shutting down");
	}
	if (s->qtail)
		s->qtail->next = &job;
	else
		s->qhead = &job;
	s->qtail = &job;
	pthread_cond_signal(&s->qcv);
	while (!job.done)
		pthread_cond_wait(&s->donecv, &s->qlock);
	pthread_mutex_unlock(&s->qlock);
	return job.rc;
}

int store_write_async(struct store *s, store_fn fn, void *ctx, store_done_fn done, void *arg)
{
	struct write_job *job = pg_calloc(1, sizeof(*job));
	job->fn = fn;
	job->ctx = ctx;
	job->err = &job->own_err;
	job->done_fn = done;
	job->done_arg = arg;
	pthread_mutex_lock(&s->qlock);
	if (s->stopping) {
		pthread_mutex_unlock(&s->qlock);
		pg_free(job);
		return PG_EIO;
	}
	if (s->qtail)
		s->qtail->next = job;
	else
		s->qhead = job;
	s->qtail = job;
	pthread_cond_signal(&s->qcv);
	pthread_mutex_unlock(&s->qlock);
	return 0;
}

/* ---- readers -------------------------------------------------------------------------- */

int store_read(struct store *s, store_fn fn, void *ctx, struct pg_err *err)
{
	pthread_mutex_lock(&s->rlock);
	struct store_conn *c = NULL;
	for (;;) {
		for (int i = 0; i < s->nreaders; i++) {
			if (!s->readers[i].busy) {
				c = &s->readers[i];
				break;
			}
		}
		if (c)
			break;
		pthread_cond_wait(&s->rcv, &s->rlock);
	}
	c->busy = 1;
	pthread_mutex_unlock(&s->rlock);

	struct store_tx tx = {.s = s, .conn = c, .writable = 0};
	tx.hooks_tail = &tx.hooks;
	int rc = tx_plain(c, "BEGIN", err);
	if (rc == 0) {
		rc = fn(&tx, ctx, err);
		tx_plain(c, "COMMIT", NULL);
	}
	hooks_run(tx.hooks, 0); /* a read commits nothing */

	pthread_mutex_lock(&s->rlock);
	c->busy = 0;
	pthread_cond_signal(&s->rcv);
	pthread_mutex_unlock(&s->rlock);
	return rc;
}

/* ---- open / close --------------------------------------------------------------------- */

/* SQLite's global configuration, before its first use: no memory statistics (they take a
 * global mutex on every allocation: 6 % of a manifest import's time). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *dir, const struct store_opts *opts, struct store **out,
	       struct pg_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return pg_err_set(err, PG_EIO, "cannot create data directory %s: %m", dir);
	struct store *s = pg_calloc(1, sizeof(*s));
	s->path = pg_asprintf("%s/portguard.db", dir);
	s->bus = opts ? opts->bus : NULL;
	s->max_batch = opts && opts->max_batch > 0 ? opts->max_batch : 256;
	s->nreaders = opts && opts->readers > 0 ? opts->readers : 4;
	pthread_mutex_init(&s->qlock, NULL);
	pthread_cond_init(&s->qcv, NULL);
	pthread_cond_init(&s->donecv, NULL);
	pthread_mutex_init(&s->rlock, NULL);
	pthread_cond_init(&s->rcv, NULL);
	s->readers = pg_calloc((size_t)s->nreaders, sizeof(*s->readers));

	int rc = conn_open(s, &s->writer, 0, err);
	if (rc < 0)
		goto fail;
	rc = store_migrate(s->writer.db, &s->version, err);
	if (rc < 0)
		goto fail;
	for (int i = 0; i < s->nreaders; i++) {
		rc = conn_open(s, &s->readers[i], 1, err);
		if (rc < 0)
			goto fail;
	}
	if (pthread_create(&s->writer_thread, NULL, writer_main, s) != 0) {
		rc = pg_err_set(err, PG_EIO, "cannot start the store writer thread");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	conn_close(&s->writer);
	for (int i = 0; i < s->nreaders; i++)
		conn_close(&s->readers[i]);
	pg_free(s->readers);
	pg_free(s->path);
	pg_free(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->qlock);
	s->stopping = 1;
	pthread_cond_signal(&s->qcv);
	pthread_mutex_unlock(&s->qlock);
	pthread_join(s->writer_thread, NULL);
	/* fold the WAL back into the database file so the directory is one file at rest */
	sqlite3_wal_checkpoint_v2(s->writer.db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	conn_close(&s->writer);
	for (int i = 0; i < s->nreaders; i++)
		conn_close(&s->readers[i]);
	pthread_mutex_destroy(&s->qlock);
	pthread_cond_destroy(&s->qcv);
	pthread_cond_destroy(&s->donecv);
	pthread_mutex_destroy(&s->rlock);
	pthread_cond_destroy(&s->rcv);
	pg_free(s->readers);
	pg_free(s->path);
	pg_free(s);
}

void store_metrics(struct store *s, struct pg_buf *out)
{
	pthread_mutex_lock(&s->qlock);
	pg_buf_printf(out,
		      "# HELP portguard_store_commits_total Group commits (transactions) written.\n"
		      "# TYPE portguard_store_commits_total counter\n"
		      "portguard_store_commits_total %llu\n"
		      "# HELP portguard_store_commit_failures_total Group commits that failed.\n"
		      "# TYPE portguard_store_commit_failures_total counter\n"
		      "portguard_store_commit_failures_total %llu\n"
		      "# HELP portguard_store_writes_total Writes carried by group commits.\n"
		      "# TYPE portguard_store_writes_total counter\n"
		      "portguard_store_writes_total %llu\n"
		      "# HELP portguard_store_batch_max Largest group commit so far (writes).\n"
		      "# TYPE portguard_store_batch_max gauge\n"
		      "portguard_store_batch_max %llu\n"
		      "# HELP portguard_store_commit_seconds Time to run and commit one batch.\n"
		      "# TYPE portguard_store_commit_seconds histogram\n",
		      (unsigned long long)s->commits, (unsigned long long)s->failed_commits,
		      (unsigned long long)s->writes, (unsigned long long)s->batch_max);
	uint64_t cum = 0;
	for (int b = 0; b <= LAT_BUCKETS; b++) {
		cum += s->lat_count[b];
		if (b < LAT_BUCKETS)
			pg_buf_printf(out, "portguard_store_commit_seconds_bucket{le=\"%g\"} %llu\n",
				      lat_bounds[b], (unsigned long long)cum);
		else
			pg_buf_printf(out, "portguard_store_commit_seconds_bucket{le=\"+Inf\"} %llu\n",
				      (unsigned long long)cum);
	}
	pg_buf_printf(out, "portguard_store_commit_seconds_sum %.6f\nportguard_store_commit_seconds_count %llu\n",
		      s->lat_sum, (unsigned long long)s->commits);
	pthread_mutex_unlock(&s->qlock);
}
