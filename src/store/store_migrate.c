/* store_migrate.c - versioned, forward-only schema migrations. */
#include <stdio.h>

#include "store_int.h"

static int exec_sql(sqlite3 *db, const char *sql, struct pg_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pg_err_set(err, PG_EIO, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return PG_EIO;
	}
	return 0;
}

static int current_version(sqlite3 *db, int *out, struct pg_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
			       &st, NULL) != SQLITE_OK)
		return pg_err_set(err, PG_EIO, "reading schema version: %s", sqlite3_errmsg(db));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : pg_err_set(err, PG_EIO, "reading schema version failed");
}

static int is_applied(sqlite3 *db, int version, int *out, struct pg_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return pg_err_set(err, PG_EIO, "reading schema migrations: %s", sqlite3_errmsg(db));
	sqlite3_bind_int(st, 1, version);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pg_err_set(err, PG_EIO, "reading schema migrations failed");
	*out = rc == SQLITE_ROW;
	return 0;
}

int store_migrate(sqlite3 *db, int *version, struct pg_err *err)
{
	int v = 0;
	if (exec_sql(db,
		     "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
		     "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
		     err) < 0)
		return PG_EIO;
	if (current_version(db, &v, err) < 0)
		return PG_EIO;
	int newest = store_n_migrations ? store_migrations[store_n_migrations - 1].version : 0;
	if (v > newest)
		return pg_err_set(err, PG_EINVAL,
				  "the store's schema is version %d, newer than this portguard knows "
				  "(%d): use a newer portguard",
				  v, newest);
	for (int i = 0; i < store_n_migrations; i++) {
		const struct store_migration *m = &store_migrations[i];
		/* every migration not applied yet, not only those above the newest applied: a
		 * store made between two numbers' merges must still get the lower one */
		int applied = 0;
		if (m->version <= v && is_applied(db, m->version, &applied, err) < 0)
			return PG_EIO;
		if (applied)
			continue;
		struct pg_err e = {0};
		if (exec_sql(db, "BEGIN IMMEDIATE", &e) < 0 || exec_sql(db, m->sql, &e) < 0)
			goto fail;
		char ts[PG_TIME_LEN];
		pg_time_format(pg_now_ms(), ts);
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db,
				       "INSERT INTO schema_migrations(version, name, applied_at) "
				       "VALUES (?1, ?2, ?3)",
				       -1, &st, NULL) != SQLITE_OK) {
			pg_err_set(&e, PG_EIO, "%s", sqlite3_errmsg(db));
			goto fail;
		}
		sqlite3_bind_int(st, 1, m->version);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, ts, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			pg_err_set(&e, PG_EIO, "%s", sqlite3_errmsg(db));
			goto fail;
		}
		if (exec_sql(db, "COMMIT", &e) < 0)
			goto fail;
		if (m->version > v)
			v = m->version;
		continue;
	fail:
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return pg_err_set(err, PG_EIO, "migration %04d %s failed: %s", m->version, m->name,
				  e.msg);
	}
	*version = v;
	return 0;
}
