/* store.h - the storage API every module writes through.
 *
 * The default back end is SQLite in WAL mode (store_sqlite.c). Modules never see
 * sqlite3: they run functions inside a transaction (struct store_tx) and speak portable
 * SQL with numbered parameters (?1, ?2, ...), so a PostgreSQL back end can implement this
 * header without touching them.
 *
 * Writes: store_write() queues the caller's function to the one writer thread, which runs
 * many queued functions in one transaction (group commit: one fsync per batch, each
 * function inside its own savepoint so one failure does not undo the others) and returns
 * only after the batch committed. "Accepted" therefore always means "on disk".
 *
 * Reads: store_read() runs the function on one of a pool of read connections, inside a
 * read transaction (a consistent snapshot). */
#ifndef PG_STORE_H
#define PG_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "../core/bus.h"
#include "../core/core.h"

struct store;
struct store_tx;
struct store_rows;

struct store_opts {
	int readers;   /* read connections (default 4) */
	int max_batch; /* functions per group commit (default 256) */
	struct pg_bus *bus; /* where committed events are published, or NULL */
};

/* Opens (creating if needed) DIR/portguard.db and applies the pending schema migrations.
 * A store whose schema is newer than this binary is refused. */
int store_open(const char *dir, const struct store_opts *opts, struct store **out,
	       struct pg_err *err);
/* Drains the writer (every queued write commits), then closes. Accepts NULL. */
void store_close(struct store *s);
/* The schema version after migrations. */
int store_schema_version(struct store *s);

typedef int (*store_fn)(struct store_tx *tx, void *ctx, struct pg_err *err);

/* Runs fn in the next group commit; returns fn's result once the batch committed (or
 * PG_EIO if the commit failed). fn's changes are undone if it returns < 0. */
int store_write(struct store *s, store_fn fn, void *ctx, struct pg_err *err);
/* The same without waiting: done(arg, rc, err) is called on the writer thread once the
 * batch committed (or failed); it must be quick and must not call store_write. */
typedef void (*store_done_fn)(void *arg, int rc, const struct pg_err *err);
int store_write_async(struct store *s, store_fn fn, void *ctx, store_done_fn done, void *arg);
/* Runs fn in a read-only snapshot. */
int store_read(struct store *s, store_fn fn, void *ctx, struct pg_err *err);

/* Statements. types names each variadic argument:
 *   'i' int64_t, 't' const char * (NULL binds SQL NULL), 'd' double, 'n' SQL NULL (no argument).
 * Constraint violations are PG_ECONFLICT; other failures PG_EIO. */
int store_exec(struct store_tx *tx, struct pg_err *err, const char *sql, const char *types, ...);
int store_query(struct store_tx *tx, struct store_rows **out, struct pg_err *err, const char *sql,
		const char *types, ...);
/* 1 = a row is ready, 0 = no more rows, < 0 = error. */
int store_next(struct store_rows *r);
int64_t store_int(struct store_rows *r, int col);
double store_double(struct store_rows *r, int col);
/* NULL for SQL NULL; valid until the next store_next or store_rows_free. */
const char *store_text(struct store_rows *r, int col);
int store_is_null(struct store_rows *r, int col);
void store_rows_free(struct store_rows *r); /* accepts NULL */
/* Runs a query and returns its rows as an array of objects keyed by column name (columns
 * named *_json holding JSON text are embedded as JSON under the name without _json). */
int store_query_json(struct store_tx *tx, json_t **out, struct pg_err *err, const char *sql,
		     const char *types, ...);
/* Wraps rows (stolen) into a list page: {"items": rows, "next": the last row's id_key as a
 * string, or null when fewer than limit rows came back}. */
json_t *store_page(json_t *rows, int limit, const char *id_key);
/* Runs a list query in a read snapshot and pages it: sql takes ?1 = the cursor (0 = from
 * the start) and ?2 = limit, and returns rows ordered by id_key. */
int store_list_page(struct store *s, const char *sql, int limit, int64_t after, const char *id_key,
		    json_t **out, struct pg_err *err);
int64_t store_last_id(struct store_tx *tx);
int store_changes(struct store_tx *tx);

/* Runs fn(ctx) after the transaction that tx belongs to committed (not if it rolled back). */
void store_after_commit(struct store_tx *tx, void (*fn)(void *ctx), void (*free_ctx)(void *ctx),
			void *ctx);

/* ---- events (store_event.c) --------------------------------------------------------- */

/* Records an event on topic with data (borrowed) in tx; after commit it is published on
 * the bus with its id. Returns the event id (> 0) or < 0. */
int64_t store_event(struct store_tx *tx, const char *topic, json_t *data, struct pg_err *err);
/* Reads up to limit stored events with id > after whose topic sub wants (NULL = all). */
int store_events_after(struct store *s, int64_t after, const struct pg_bus_sub *sub, int limit,
		       json_t **out, struct pg_err *err);

/* Where to replay from so that the n most recent stored events sub wants come first: the
 * id just before the n-th most recent matching event (0 when there are fewer). */
int store_events_recent(struct store *s, const struct pg_bus_sub *sub, int n, int64_t *after,
			struct pg_err *err);

/* ---- audit chain (store_audit.c) ----------------------------------------------------- */

/* Appends one row to the hash-chained audit table within tx. details may be NULL. */
int store_audit(struct store_tx *tx, const char *actor, const char *action, const char *object,
		json_t *details, struct pg_err *err);
/* Recomputes the chain. 0 and *count on success; PG_EINVAL with *bad_seq and err naming the
 * first bad record when a row was changed, deleted or reordered. */
int store_audit_verify(struct store *s, int64_t *count, int64_t *bad_seq, struct pg_err *err);

/* ---- metrics ----------------------------------------------------------------------- */

/* Appends Prometheus text: commits, batch sizes, commit latency. */
void store_metrics(struct store *s, struct pg_buf *out);

#endif
