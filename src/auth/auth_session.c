/* auth_session.c - console logins, lockout after repeated failures, sessions. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"

/* BLAKE2b-256 of a secret token, as hex: what the store keeps instead of the token. */
static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	pg_hex(h, sizeof(h), out);
}

/* ---- login ------------------------------------------------------------------------- */

struct login_read {
	const char *username;
	int64_t since_ms;
	int64_t failures, last_failure_ms;
	int found;
	int64_t id;
	char role[32];
	char hash[crypto_pwhash_STRBYTES];
	int disabled;
};

static int login_read_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct login_read *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT count(*), coalesce(max(at_ms), 0) FROM login_failures "
			     "WHERE username = ?1 AND at_ms > ?2",
			     "ti", c->username, c->since_ms);
	if (rc < 0)
		return rc;
	if (store_next(r) == 1) {
		c->failures = store_int(r, 0);
		c->last_failure_ms = store_int(r, 1);
	}
	store_rows_free(r);
	rc = store_query(tx, &r, err,
			 "SELECT id, role, pw_hash, disabled FROM users WHERE username = ?1", "t",
			 c->username);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1) {
		c->found = 1;
		c->id = store_int(r, 0);
		pg_strlcpy(c->role, store_text(r, 1) ? store_text(r, 1) : "", sizeof(c->role));
		pg_strlcpy(c->hash, store_text(r, 2) ? store_text(r, 2) : "", sizeof(c->hash));
		c->disabled = (int)store_int(r, 3);
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading user failed") : 0;
}

enum login_outcome { LOGIN_OK, LOGIN_FAILED, LOGIN_LOCKED_NOW, LOGIN_LOCKED };

struct login_write {
	enum login_outcome outcome;
	const char *username, *client, *reason;
	int64_t user_id;
	char token_hash[65];
	char csrf[65];
	int64_t expires_ms;
	int64_t session_id;
};

static int login_event(struct store_tx *tx, const char *action, const char *username,
		       json_t *details, struct pg_err *err)
{
	int rc = store_audit(tx, username, action, username, details, err);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{ss ss sO}", "action", action, "username", username, "details",
			       details);
	int64_t id = store_event(tx, "auth", ev, err);
	json_decref(ev);
	return id < 0 ? (int)id : 0;
}

static int login_write_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct login_write *c = vctx;
	int64_t now = pg_now_ms();
	int rc;
	json_t *details = json_pack("{ss}", "client", c->client ? c->client : "");
	switch (c->outcome) {
	case LOGIN_OK: {
		char at[PG_TIME_LEN];
		pg_time_format(now, at);
		rc = store_exec(tx, err,
				"INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_ms) "
				"VALUES (?1, ?2, ?3, ?4, ?5)",
				"titti", c->token_hash, c->user_id, c->csrf, at, c->expires_ms);
		if (rc < 0)
			break;
		c->session_id = store_last_id(tx);
		rc = store_exec(tx, err, "DELETE FROM login_failures WHERE username = ?1", "t",
				c->username);
		/* expired sessions go when anyone logs in */
		if (rc >= 0)
			rc = store_exec(tx, err, "DELETE FROM sessions WHERE expires_ms < ?1", "i", now);
		if (rc >= 0)
			rc = login_event(tx, "login", c->username, details, err);
		break;
	}
	case LOGIN_FAILED:
	case LOGIN_LOCKED_NOW:
		json_object_set_new(details, "reason", json_string(c->reason));
		rc = store_exec(tx, err, "INSERT INTO login_failures(username, at_ms) VALUES (?1, ?2)",
				"ti", c->username, now);
		if (rc >= 0)
			rc = login_event(tx, "login.failed", c->username, details, err);
		if (rc >= 0 && c->outcome == LOGIN_LOCKED_NOW)
			rc = login_event(tx, "login.locked", c->username, details, err);
		break;
	default:
		json_object_set_new(details, "reason", json_string("account locked"));
		rc = login_event(tx, "login.refused", c->username, details, err);
		break;
	}
	json_decref(details);
	return rc;
}

int auth_login(struct store *s, const struct auth_policy *pol, const char *username,
	       const char *password, const char *client, char token_out[AUTH_TOKEN_LEN],
	       struct auth_principal *p, int64_t *expires_ms, int64_t *retry_after,
	       struct pg_err *err)
{
	int64_t now = pg_now_ms();
	int64_t window = (int64_t)pol->lockout_minutes * 60 * 1000;
	if (strlen(username) > 64 || strlen(password) > 256)
		return pg_err_set(err, PG_EAUTH, "wrong username or password");
	struct login_read rd = {.username = username, .since_ms = now - window};
	int rc = store_read(s, login_read_tx, &rd, err);
	if (rc < 0)
		return rc;
	struct login_write wr = {.username = username, .client = client};
	if (rd.failures >= pol->lockout_failures) {
		int64_t until = rd.last_failure_ms + window;
		wr.outcome = LOGIN_LOCKED;
		if (store_write(s, login_write_tx, &wr, err) < 0)
			return PG_EIO;
		if (retry_after)
			*retry_after = (until - now + 999) / 1000;
		return pg_err_set(err, PG_ELOCKED,
				  "account '%s' is locked after %d failed logins; try again in %lld "
				  "minutes",
				  username, pol->lockout_failures, (long long)((until - now + 59999) / 60000));
	}
	int ok = rd.found && !rd.disabled &&
		 crypto_pwhash_str_verify(rd.hash, password, strlen(password)) == 0;
	if (!ok) {
		wr.reason = !rd.found ? "unknown user" : rd.disabled ? "user disabled" : "wrong password";
		wr.outcome = rd.failures + 1 >= pol->lockout_failures ? LOGIN_LOCKED_NOW : LOGIN_FAILED;
		if (store_write(s, login_write_tx, &wr, err) < 0)
			return PG_EIO;
		return pg_err_set(err, PG_EAUTH, "wrong username or password");
	}
	char token[AUTH_TOKEN_LEN];
	pg_random_hex(token, 32);
	wr.outcome = LOGIN_OK;
	wr.user_id = rd.id;
	token_hash(token, wr.token_hash);
	pg_random_hex(wr.csrf, 32);
	wr.expires_ms = now + (int64_t)pol->session_hours * 3600 * 1000;
	if ((rc = store_write(s, login_write_tx, &wr, err)) < 0)
		return rc;
	struct auth_principal pr = {.id = rd.id, .session_id = wr.session_id};
	pg_strlcpy(pr.name, username, sizeof(pr.name));
	auth_role_parse(rd.role, &pr.role);
	pg_strlcpy(pr.csrf, wr.csrf, sizeof(pr.csrf));
	memcpy(token_out, token, AUTH_TOKEN_LEN);
	*p = pr;
	*expires_ms = wr.expires_ms;
	return 0;
}

/* ---- logout ------------------------------------------------------------------------ */

static int logout_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	const struct auth_principal *p = vctx;
	int rc = store_exec(tx, err, "DELETE FROM sessions WHERE id = ?1", "i", p->session_id);
	if (rc < 0)
		return rc;
	json_t *details = json_object();
	rc = login_event(tx, "logout", p->name, details, err);
	json_decref(details);
	return rc;
}

int auth_logout(struct store *s, const struct auth_principal *p, struct pg_err *err)
{
	if (p->is_token || !p->session_id)
		return pg_err_set(err, PG_EINVAL, "not a console session: nothing to log out");
	return store_write(s, logout_tx, (void *)p, err);
}

/* ---- lookup ------------------------------------------------------------------------ */

struct lookup {
	char hash[65];
	struct auth_principal p;
	int found;
};

static int session_lookup_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct lookup *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT s.id, s.csrf, u.id, u.username, u.role FROM sessions s "
			     "JOIN users u ON u.id = s.user_id "
			     "WHERE s.token_hash = ?1 AND s.expires_ms > ?2 AND u.disabled = 0",
			     "ti", c->hash, pg_now_ms());
	if (rc < 0)
		return rc;
	if ((rc = store_next(r)) == 1) {
		c->found = 1;
		c->p.session_id = store_int(r, 0);
		pg_strlcpy(c->p.csrf, store_text(r, 1), sizeof(c->p.csrf));
		c->p.id = store_int(r, 2);
		pg_strlcpy(c->p.name, store_text(r, 3), sizeof(c->p.name));
		if (auth_role_parse(store_text(r, 4), &c->p.role) < 0)
			c->found = 0;
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading session failed") : 0;
}

int auth_session_lookup(struct store *s, const char *token, struct auth_principal *p,
			struct pg_err *err)
{
	if (strlen(token) != 64)
		return pg_err_set(err, PG_EAUTH, "invalid session");
	struct lookup c = {0};
	token_hash(token, c.hash);
	int rc = store_read(s, session_lookup_tx, &c, err);
	if (rc < 0)
		return rc;
	if (!c.found)
		return pg_err_set(err, PG_EAUTH, "session expired or unknown: log in again");
	*p = c.p;
	return 0;
}

/* ---- API tokens -------------------------------------------------------------------- */

struct token_new {
	const char *actor, *name, *role;
	char hash[65];
	json_t *out;
};

static int token_create_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct token_new *c = vctx;
	char at[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), at);
	int rc = store_exec(tx, err,
			    "INSERT INTO tokens(name, role, token_hash, created_by, created_at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5)",
			    "ttttt", c->name, c->role, c->hash, c->actor, at);
	if (rc < 0)
		return rc;
	int64_t id = store_last_id(tx);
	c->out = json_pack("{sI ss ss ss}", "id", (json_int_t)id, "name", c->name, "role", c->role,
			   "created_at", at);
	json_t *details = json_pack("{sI ss}", "id", (json_int_t)id, "role", c->role);
	rc = store_audit(tx, c->actor, "token.create", c->name, details, err);
	if (rc >= 0) {
		json_t *ev = json_pack("{ss sO ss}", "action", "token.create", "token", c->out,
				       "by", c->actor);
		int64_t eid = store_event(tx, "users", ev, err);
		rc = eid < 0 ? (int)eid : 0;
		json_decref(ev);
	}
	json_decref(details);
	if (rc < 0) {
		json_decref(c->out);
		c->out = NULL;
	}
	return rc;
}

int auth_token_create(struct store *s, const char *actor, const char *name, const char *role,
		      char token_out[AUTH_TOKEN_LEN], json_t **out, struct pg_err *err)
{
	enum pg_role r;
	size_t n = strlen(name);
	if (n == 0 || n > 64)
		return pg_err_field(err, PG_EUNPROCESSABLE, "name",
				    "token name must be 1 to 64 characters");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return pg_err_field(err, PG_EUNPROCESSABLE, "name",
					    "token name must not contain control characters");
	if (auth_role_parse(role, &r) < 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, "role", "unknown role '%s'", role);
	char token[AUTH_TOKEN_LEN] = "pgt_";
	pg_random_hex(token + 4, 32);
	struct token_new c = {actor, name, role, {0}, NULL};
	token_hash(token, c.hash);
	int rc = store_write(s, token_create_tx, &c, err);
	if (rc < 0)
		return rc;
	memcpy(token_out, token, AUTH_TOKEN_LEN);
	if (out)
		*out = c.out;
	else
		json_decref(c.out);
	return 0;
}

struct token_rev {
	const char *actor;
	int64_t id;
};

static int token_revoke_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct token_rev *c = vctx;
	char at[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), at);
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT name, revoked_at FROM tokens WHERE id = ?1", "i",
			     c->id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	char name[80] = "";
	int revoked = 0;
	if (rc == 1) {
		pg_strlcpy(name, store_text(r, 0), sizeof(name));
		revoked = !store_is_null(r, 1);
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading token failed");
	if (rc == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no token with id %lld", (long long)c->id);
	if (revoked)
		return pg_err_set(err, PG_ECONFLICT, "token %lld is already revoked", (long long)c->id);
	rc = store_exec(tx, err, "UPDATE tokens SET revoked_at = ?1 WHERE id = ?2", "ti", at, c->id);
	json_t *details = json_pack("{sI}", "id", (json_int_t)c->id);
	if (rc >= 0)
		rc = store_audit(tx, c->actor, "token.revoke", name, details, err);
	if (rc >= 0) {
		json_t *ev = json_pack("{ss sO ss}", "action", "token.revoke", "token", details, "by",
				       c->actor);
		int64_t eid = store_event(tx, "users", ev, err);
		rc = eid < 0 ? (int)eid : 0;
		json_decref(ev);
	}
	json_decref(details);
	return rc;
}

int auth_token_revoke(struct store *s, const char *actor, int64_t id, struct pg_err *err)
{
	struct token_rev c = {actor, id};
	return store_write(s, token_revoke_tx, &c, err);
}

static int token_lookup_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct lookup *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT id, name, role FROM tokens WHERE token_hash = ?1 "
			     "AND revoked_at IS NULL",
			     "t", c->hash);
	if (rc < 0)
		return rc;
	if ((rc = store_next(r)) == 1) {
		c->found = auth_role_parse(store_text(r, 2), &c->p.role) == 0;
		c->p.id = store_int(r, 0);
		pg_snprintf(c->p.name, sizeof(c->p.name), "token:%.64s", store_text(r, 1));
		c->p.is_token = 1;
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading token failed") : 0;
}

int auth_token_lookup(struct store *s, const char *token, struct auth_principal *p,
		      struct pg_err *err)
{
	if (strlen(token) != AUTH_TOKEN_LEN - 1 || strncmp(token, "pgt_", 4) != 0)
		return pg_err_set(err, PG_EAUTH, "invalid bearer token");
	struct lookup c = {0};
	token_hash(token, c.hash);
	int rc = store_read(s, token_lookup_tx, &c, err);
	if (rc < 0)
		return rc;
	if (!c.found)
		return pg_err_set(err, PG_EAUTH, "bearer token unknown or revoked");
	*p = c.p;
	return 0;
}
