/* auth.h - users, roles, passwords, sessions and API tokens.
 *
 * Passwords are argon2id hashes (libsodium). Session and API tokens are 256-bit random
 * values given to the client once and stored only as BLAKE2b hashes. Every change here is
 * written to the audit chain and published as an event (topics "auth" and "users") in
 * the same transaction. Functions that return JSON objects give the caller a new
 * reference. */
#ifndef PG_AUTH_H
#define PG_AUTH_H

#include <jansson.h>
#include <stdint.h>

#include "../store/store.h"

enum pg_role {
	ROLE_ADMIN,
	ROLE_PFSO,
	ROLE_OPERATOR,
	ROLE_GATE,
	ROLE_INSPECTOR,
	ROLE_TRAINER,
	ROLE_AUDITOR,
	ROLE_AUTHORITY,
	ROLE_DEVICE,
	ROLE_COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_PUBLIC 0u                         /* no authentication */
#define ROLES_ANY ((1u << ROLE_COUNT) - 1u)     /* any authenticated principal */

const char *auth_role_name(enum pg_role role);
int auth_role_parse(const char *name, enum pg_role *out);
/* "admin, pfso" for a role mask (into out of size n). */
void auth_roles_format(unsigned mask, char *out, size_t n);

#define AUTH_TOKEN_LEN 69 /* "pgt_" + 64 hex + NUL; sessions use 64 hex + NUL */

struct auth_principal {
	int64_t id;          /* user id, or API token id */
	char name[80];       /* username, or "token:<name>" */
	enum pg_role role;
	int is_token;        /* authenticated by a bearer token (no CSRF needed) */
	int64_t session_id;  /* for users logged in through the console */
	char csrf[65];
};

struct auth_policy {
	int session_hours;
	int lockout_failures;
	int lockout_minutes;
};

/* Passwords: at least 12 and at most 256 characters. */
int auth_password_acceptable(const char *password, struct pg_err *err);
/* Reads a password from the first line of a file (at most 256 characters). */
int auth_password_read_file(const char *path, char *out, size_t n, struct pg_err *err);

/* Users. A username is 1-64 of [a-z0-9._-], starting with a letter or digit. */
int auth_user_add(struct store *s, const char *actor, const char *username, const char *role,
		  const char *password, json_t **out, struct pg_err *err);
/* role NULL leaves it; disabled -1 leaves it. Disabling ends the user's sessions. */
int auth_user_update(struct store *s, const char *actor, int64_t id, const char *role,
		     int disabled, json_t **out, struct pg_err *err);
/* A page of users with id > after, by id: {"items": [...], "next": "id" | null}. */
int auth_users_list(struct store *s, int limit, int64_t after, json_t **out, struct pg_err *err);

/* Logs a user in: a new session token (64 hex) into token_out, the principal into p.
 * PG_EAUTH for a wrong name or password or a disabled user (all the same to the client);
 * PG_ELOCKED when locked, with *retry_after in seconds. */
int auth_login(struct store *s, const struct auth_policy *pol, const char *username,
	       const char *password, const char *client, char token_out[AUTH_TOKEN_LEN],
	       struct auth_principal *p, int64_t *expires_ms, int64_t *retry_after,
	       struct pg_err *err);
int auth_logout(struct store *s, const struct auth_principal *p, struct pg_err *err);
/* Finds the principal for a session token (PG_EAUTH if none, expired, or user disabled). */
int auth_session_lookup(struct store *s, const char *token, struct auth_principal *p,
			struct pg_err *err);

/* API tokens ("pgt_" + 64 hex, shown once). */
int auth_token_create(struct store *s, const char *actor, const char *name, const char *role,
		      char token_out[AUTH_TOKEN_LEN], json_t **out, struct pg_err *err);
int auth_token_revoke(struct store *s, const char *actor, int64_t id, struct pg_err *err);
int auth_token_lookup(struct store *s, const char *token, struct auth_principal *p,
		      struct pg_err *err);

#endif
