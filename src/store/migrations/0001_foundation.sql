-- 0001 foundation: users, sessions, tokens, login failures, events, the audit chain.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL,
	pw_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_ms INTEGER NOT NULL
);

CREATE TABLE tokens (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);

CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	at_ms INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at_ms);

CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	topic TEXT NOT NULL,
	at TEXT NOT NULL,
	data TEXT NOT NULL
);

CREATE TABLE audit (
	seq INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	details TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

-- The last record of the chain, so that removing records from the end is noticed too.
CREATE TABLE audit_head (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
