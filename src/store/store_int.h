/* store_int.h - what only the store module sees. */
#ifndef PG_STORE_INT_H
#define PG_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

struct store_migration {
	int version;
	const char *name;
	const char *sql;
};
/* Generated at build time from src/store/migrations/NNNN_name.sql, in version order. */
extern const struct store_migration store_migrations[];
extern const int store_n_migrations;

#define STMT_CACHE 128
#define STMT_WAYS 4

struct stmt_slot {
	sqlite3_stmt *stmt;
	int in_use;
	uint64_t used; /* when last used, for eviction */
};

struct store_conn {
	sqlite3 *db;
	struct stmt_slot cache[STMT_CACHE];
	uint64_t clock;
	int busy;
};

struct tx_hook {
	void (*fn)(void *ctx);
	void (*free_ctx)(void *ctx);
	void *ctx;
	struct tx_hook *next;
};

struct store_tx {
	struct store *s;
	struct store_conn *conn;
	int writable;
	struct tx_hook *hooks; /* run after commit, in order added */
	struct tx_hook **hooks_tail;
};

struct store *store_tx_store(struct store_tx *tx);
struct pg_bus *store_bus(struct store *s);
/* Migrations on a connection (store_migrate.c). */
int store_migrate(sqlite3 *db, int *version, struct pg_err *err);

#endif
