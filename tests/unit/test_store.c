/* Unit tests of the store: migrations, group commit, savepoints, after-commit hooks,
 * events and the audit hash chain. */
#include <pthread.h>
#include <sqlite3.h>

#include "unit.h"

#include "store/store.h"

static int setup(void **state)
{
	*state = unit_fixture_new();
	return 0;
}

static int make_table(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	return store_exec(tx, err, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)", "");
}

static int insert_v(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return store_exec(tx, err, "INSERT INTO t(v) VALUES (?1)", "t", (const char *)ctx);
}

struct count {
	int64_t n;
};

static int count_t(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT count(*) FROM t", "");
	if (rc < 0)
		return rc;
	assert_int_equal(store_next(r), 1);
	((struct count *)ctx)->n = store_int(r, 0);
	store_rows_free(r);
	return 0;
}

static void migrations_reach_the_newest_version(void **state)
{
	struct fixture *f = *state;
	assert_true(store_schema_version(f->s) >= 1);
}

static void a_failed_write_undoes_only_itself(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, make_table, NULL, &err), 0);
	assert_int_equal(store_write(f->s, insert_v, "a", &err), 0);
	assert_int_equal(store_write(f->s, insert_v, "a", &err), PG_ECONFLICT);
	assert_non_null(strstr(err.msg, "UNIQUE"));
	assert_int_equal(store_write(f->s, insert_v, "b", &err), 0);
	struct count c = {0};
	assert_int_equal(store_read(f->s, count_t, &c, &err), 0);
	assert_int_equal(c.n, 2);
}

struct writer_arg {
	struct store *s;
	int id;
	int n;
};

static void *writer(void *vp)
{
	struct writer_arg *a = vp;
	char v[32];
	for (int i = 0; i < a->n; i++) {
		snprintf(v, sizeof(v), "w%d-%d", a->id, i);
		struct pg_err err = {0};
		if (store_write(a->s, insert_v, v, &err) < 0)
			return (void *)1;
	}
	return NULL;
}

static int64_t metric(struct store *s, const char *name)
{
	struct pg_buf b;
	pg_buf_init(&b, 1 << 20);
	store_metrics(s, &b);
	char key[128];
	snprintf(key, sizeof(key), "\n%s ", name);
	const char *p = strstr(b.p, key);
	int64_t v = p ? strtoll(p + strlen(key), NULL, 10) : -1;
	pg_buf_release(&b);
	return v;
}

static void concurrent_writes_share_commits(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, make_table, NULL, &err), 0);
	int64_t commits0 = metric(f->s, "portguard_store_commits_total");
	enum { THREADS = 16, EACH = 50 };
	pthread_t th[THREADS];
	struct writer_arg args[THREADS];
	for (int i = 0; i < THREADS; i++) {
		args[i] = (struct writer_arg){f->s, i, EACH};
		pthread_create(&th[i], NULL, writer, &args[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		void *rv;
		pthread_join(th[i], &rv);
		assert_null(rv);
	}
	struct count c = {0};
	assert_int_equal(store_read(f->s, count_t, &c, &err), 0);
	assert_int_equal(c.n, THREADS * EACH);
	int64_t commits = metric(f->s, "portguard_store_commits_total") - commits0;
	/* every write is acknowledged only after a commit, but many share one */
	assert_true(commits < THREADS * EACH);
	assert_true(metric(f->s, "portguard_store_batch_max") > 1);
}

struct async_result {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int done, rc;
	char msg[600];
};

static void async_done(void *arg, int rc, const struct pg_err *err)
{
	struct async_result *r = arg;
	pthread_mutex_lock(&r->lock);
	r->rc = rc;
	snprintf(r->msg, sizeof(r->msg), "%s", rc < 0 ? err->msg : "");
	r->done = 1;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->lock);
}

static int async_wait(struct async_result *r)
{
	pthread_mutex_lock(&r->lock);
	while (!r->done)
		pthread_cond_wait(&r->cv, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return r->rc;
}

static void async_writes_report_after_commit(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, make_table, NULL, &err), 0);
	struct async_result ok = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, ""};
	struct async_result dup = ok;
	assert_int_equal(store_write_async(f->s, insert_v, "x", async_done, &ok), 0);
	assert_int_equal(store_write_async(f->s, insert_v, "x", async_done, &dup), 0);
	assert_int_equal(async_wait(&ok), 0);
	assert_int_equal(async_wait(&dup), PG_ECONFLICT);
	assert_non_null(strstr(dup.msg, "UNIQUE"));
	struct count c = {0};
	assert_int_equal(store_read(f->s, count_t, &c, &err), 0);
	assert_int_equal(c.n, 1);
}

static int hooks_seen;
static void hook(void *ctx)
{
	(void)ctx;
	hooks_seen++;
}

static int write_with_hook(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	store_after_commit(tx, hook, NULL, NULL);
	return ctx ? pg_err_set(err, PG_EINVAL, "refused") : 0;
}

static void after_commit_hooks_run_only_for_committed_writes(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	hooks_seen = 0;
	assert_int_equal(store_write(f->s, write_with_hook, NULL, &err), 0);
	assert_int_equal(hooks_seen, 1);
	assert_int_equal(store_write(f->s, write_with_hook, "fail", &err), PG_EINVAL);
	assert_int_equal(hooks_seen, 1);
	assert_string_equal(err.msg, "refused");
}

static int add_events(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	const char *topics[] = {"users", "alarms", "users", "auth"};
	for (int i = 0; i < 4; i++) {
		json_t *d = json_pack("{si}", "n", i);
		int64_t id = store_event(tx, topics[i], d, err);
		json_decref(d);
		if (id < 0)
			return (int)id;
	}
	return 0;
}

static void events_are_published_after_commit_and_replayable(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct pg_bus_sub *sub = pg_bus_subscribe(f->bus, "users", NULL, NULL);
	assert_int_equal(store_write(f->s, add_events, NULL, &err), 0);
	int64_t id;
	char *json;
	assert_int_equal(pg_bus_next(sub, &id, &json), 1);
	json_t *ev = json_loads(json, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(ev, "topic")), "users");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ev, "data"), "n")), 0);
	json_decref(ev);
	pg_free(json);
	int64_t first = id;
	assert_int_equal(pg_bus_next(sub, &id, &json), 1);
	pg_free(json);
	assert_int_equal(pg_bus_next(sub, &id, &json), 0);

	json_t *replay = NULL;
	assert_int_equal(store_events_after(f->s, first, sub, 10, &replay, &err), 0);
	assert_int_equal(json_array_size(replay), 1); /* only the second "users" event */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(replay, 0), "data") ?
					    json_object_get(json_object_get(json_array_get(replay, 0), "data"), "n") :
					    NULL),
			 2);
	json_decref(replay);
	assert_int_equal(store_events_after(f->s, 0, NULL, 10, &replay, &err), 0);
	assert_int_equal(json_array_size(replay), 4);
	json_decref(replay);
	pg_bus_unsubscribe(sub);
}

static int add_audit(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	int n = *(int *)ctx;
	for (int i = 0; i < n; i++) {
		json_t *d = json_pack("{si ss}", "i", i, "note", "line\nbreak");
		int rc = store_audit(tx, "tester", "thing.do", "object", d, err);
		json_decref(d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void tamper(const char *dir, const char *sql)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/portguard.db", dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "tamper: %s\n", msg);
	assert_int_equal(rc, SQLITE_OK);
	sqlite3_close(db);
}

static void audit_rows_cannot_be_updated_through_sql(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	int n = 2;
	assert_int_equal(store_write(f->s, add_audit, &n, &err), 0);
	char path[512];
	snprintf(path, sizeof(path), "%s/portguard.db", f->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET actor = 'x'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void audit_verify_names_the_changed_row(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	int n = 5;
	int64_t count = 0, bad = 0;
	assert_int_equal(store_write(f->s, add_audit, &n, &err), 0);
	assert_int_equal(store_audit_verify(f->s, &count, &bad, &err), 0);
	assert_int_equal(count, 5);
	tamper(f->dir, "DROP TRIGGER audit_no_update; "
		       "UPDATE audit SET details = '{\"i\":9}' WHERE seq = 3");
	assert_int_equal(store_audit_verify(f->s, &count, &bad, &err), PG_EINVAL);
	assert_int_equal(bad, 3);
	assert_non_null(strstr(err.msg, "record 3"));
}

static void audit_verify_names_a_deleted_row(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	int n = 5;
	int64_t bad = 0;
	assert_int_equal(store_write(f->s, add_audit, &n, &err), 0);
	tamper(f->dir, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
	assert_int_equal(store_audit_verify(f->s, NULL, &bad, &err), PG_EINVAL);
	assert_int_equal(bad, 2);
}

static void audit_verify_notices_a_cut_tail_and_reordering(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	int n = 4;
	int64_t bad = 0;
	assert_int_equal(store_write(f->s, add_audit, &n, &err), 0);
	tamper(f->dir, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4");
	assert_int_equal(store_audit_verify(f->s, NULL, &bad, &err), PG_EINVAL);
	assert_int_equal(bad, 4);
	tamper(f->dir, "DROP TRIGGER audit_no_update; "
		       "UPDATE audit SET seq = 100 WHERE seq = 1; UPDATE audit SET seq = 1 WHERE seq = 2; "
		       "UPDATE audit SET seq = 2 WHERE seq = 100;");
	assert_int_equal(store_audit_verify(f->s, NULL, &bad, &err), PG_EINVAL);
	assert_int_equal(bad, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrations_reach_the_newest_version, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(a_failed_write_undoes_only_itself, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(concurrent_writes_share_commits, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(after_commit_hooks_run_only_for_committed_writes, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(async_writes_report_after_commit, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(events_are_published_after_commit_and_replayable, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(audit_rows_cannot_be_updated_through_sql, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(audit_verify_names_the_changed_row, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(audit_verify_names_a_deleted_row, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(audit_verify_notices_a_cut_tail_and_reordering, setup, unit_teardown),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
