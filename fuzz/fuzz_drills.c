/* fuzz_drills.c - drill and corrective action bodies through the store writes of
 * POST /api/v1/drills and POST /api/v1/drills/{id}/actions (training_drill_create_tx,
 * training_drill_action_add_tx), against a real store on /dev/shm seeded with one person,
 * one zone, one user and one drill. An input is a JSON object: with a "text" key it is an
 * action for drill 1, else a drill.
 *
 * Checks, for every input:
 *  - the write either succeeds, or fails with PG_EINVAL or PG_EUNPROCESSABLE and an error
 *    that names the field at fault and says what was wrong (never a constraint failure or
 *    an I/O error from the store);
 *  - a failure writes nothing (drills, participants, actions, audit and events unchanged);
 *    a success adds exactly one drill (or action), one audit record and one event;
 *  - nothing leaks, nothing crashes. */
#include <jansson.h>
#include <unistd.h>

#include "fuzz.h"
#include "store/store.h"
#include "training/training_drill.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct store *st;
static char dir[64];
static const int64_t NOW_MS = 1780272000000LL; /* 2026-06-01T00:00:00Z */

static void cleanup(void)
{
	store_close(st);
	const char *files[] = {"portguard.db", "portguard.db-wal", "portguard.db-shm"};
	char path[128];
	for (int i = 0; i < 3; i++) {
		pg_snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int seed_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	const char *t = "2026-01-01T00:00:00.000Z";
	int rc = store_exec(tx, err,
			    "INSERT INTO people(kind, first_name, last_name, created_at, updated_at) "
			    "VALUES ('employee', 'Ana', 'Silva', ?1, ?1)",
			    "t", t);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO zones(name, kind, created_at, updated_at) VALUES "
				"('Terminal', 'controlled', ?1, ?1)",
				"t", t);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO users(username, role, pw_hash, created_at, updated_at) "
				"VALUES ('pfso', 'pfso', 'x', ?1, ?1)",
				"t", t);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO drills(kind, type, status, title, planned_at, created_by, "
				"created_at, updated_by, updated_at) VALUES ('drill', 'fire', "
				"'planned', 'Fire', ?1, 'fuzz', ?1, 'fuzz', ?1)",
				"t", t);
	return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	FUZZ_CHECK(pg_core_init() == 0);
	pg_log_set_level(PG_LOG_ERROR);
	pg_strlcpy(dir, access("/dev/shm", W_OK) == 0 ? "/dev/shm/pgfuzz-drills-XXXXXX"
						       : "/tmp/pgfuzz-drills-XXXXXX",
		   sizeof(dir));
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	struct store_opts o = {1, 1, NULL};
	struct pg_err err = {0};
	FUZZ_CHECK(store_open(dir, &o, &st, &err) == 0);
	atexit(cleanup);
	FUZZ_CHECK(store_write(st, seed_fn, NULL, &err) == 0);
	return 0;
}

struct one {
	json_t *body;
	int64_t id;
	int64_t counts[2][5]; /* before, after */
};

static int counts(struct store_tx *tx, int64_t out[5], struct pg_err *err)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM drills", "SELECT count(*) FROM drill_participants",
		"SELECT count(*) FROM drill_actions", "SELECT count(*) FROM audit",
		"SELECT count(*) FROM events",
	};
	for (int i = 0; i < 5; i++) {
		struct store_rows *r = NULL;
		int rc = store_query(tx, &r, err, sql[i], "");
		if (rc < 0)
			return rc;
		FUZZ_CHECK(store_next(r) == 1);
		out[i] = store_int(r, 0);
		store_rows_free(r);
	}
	return 0;
}

static int write_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct one *c = vctx;
	FUZZ_CHECK(counts(tx, c->counts[0], err) == 0);
	if (json_object_get(c->body, "text"))
		return training_drill_action_add_tx(tx, "fuzz", 1, c->body, NOW_MS, &c->id, err);
	return training_drill_create_tx(tx, "fuzz", c->body, NOW_MS, &c->id, err);
}

static int after_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct one *c = vctx;
	return counts(tx, c->counts[1], err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (64 << 10))
		return 0;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	struct one c = {.body = body};
	struct pg_err err = {0};
	int rc = store_write(st, write_fn, &c, &err);
	struct pg_err e2 = {0};
	FUZZ_CHECK(store_read(st, after_fn, &c, &e2) == 0);
	int action = json_object_get(body, "text") != NULL;
	if (rc == 0) {
		FUZZ_CHECK(c.id > 0);
		FUZZ_CHECK(c.counts[1][action ? 2 : 0] == c.counts[0][action ? 2 : 0] + 1);
		FUZZ_CHECK(c.counts[1][3] == c.counts[0][3] + 1);
		FUZZ_CHECK(c.counts[1][4] == c.counts[0][4] + 1);
	} else {
		if (rc != PG_EINVAL && rc != PG_EUNPROCESSABLE)
			fprintf(stderr, "rc %d: %s\n", rc, err.msg);
		FUZZ_CHECK(rc == PG_EINVAL || rc == PG_EUNPROCESSABLE);
		FUZZ_CHECK(err.msg[0] != '\0');
		if (!err.field[0])
			fprintf(stderr, "no field: %s\n", err.msg);
		FUZZ_CHECK(err.field[0] != '\0');
		for (int i = 0; i < 5; i++)
			FUZZ_CHECK(c.counts[1][i] == c.counts[0][i]);
	}
	json_decref(body);
	return 0;
}
