/* auth_user.c - roles, passwords and user accounts. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"

static const char *const role_names[ROLE_COUNT] = {
	"admin", "pfso", "operator", "gate", "inspector", "trainer", "auditor", "authority", "device",
};

const char *auth_role_name(enum pg_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : "?";
}

int auth_role_parse(const char *name, enum pg_role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum pg_role)i;
			return 0;
		}
	}
	return PG_EINVAL;
}

void auth_roles_format(unsigned mask, char *out, size_t n)
{
	struct pg_buf b;
	pg_buf_init(&b, n - 1);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (mask & ROLE_BIT(i))
			pg_buf_printf(&b, "%s%s", b.len ? ", " : "", role_names[i]);
	pg_strlcpy(out, b.p ? b.p : "", n);
	pg_buf_release(&b);
}

static int role_check(const char *role, struct pg_err *err)
{
	enum pg_role r;
	if (!role || auth_role_parse(role, &r) < 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, "role",
				    "unknown role '%s': use one of admin, pfso, operator, gate, "
				    "inspector, trainer, auditor, authority, device",
				    role ? role : "");
	return 0;
}

int auth_password_acceptable(const char *password, struct pg_err *err)
{
	size_t n = strlen(password);
	if (n < 12)
		return pg_err_field(err, PG_EUNPROCESSABLE, "password",
				    "password too short: at least 12 characters");
	if (n > 256)
		return pg_err_field(err, PG_EUNPROCESSABLE, "password",
				    "password too long: at most 256 characters");
	return 0;
}

int auth_password_read_file(const char *path, char *out, size_t n, struct pg_err *err)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return pg_err_set(err, PG_EIO, "cannot open password file %s: %m", path);
	char line[512];
	int rc = 0;
	if (!fgets(line, sizeof(line), f)) {
		rc = pg_err_set(err, PG_EINVAL, "password file %s is empty", path);
		goto out;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (pg_strlcpy(out, line, n) < 0) {
		rc = pg_err_set(err, PG_EINVAL, "password in %s is too long", path);
		goto out;
	}
out:
	fclose(f);
	return rc;
}

static int username_check(const char *u, struct pg_err *err)
{
	size_t n = strlen(u);
	if (n == 0 || n > 64)
		return pg_err_field(err, PG_EUNPROCESSABLE, "username",
				    "username must be 1 to 64 characters");
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return pg_err_field(err, PG_EUNPROCESSABLE, "username",
					    "username may hold only a-z, 0-9, '.', '_' and '-', "
					    "starting with a letter or digit");
	}
	return 0;
}

struct user_add {
	const char *actor, *username, *role;
	char hash[crypto_pwhash_STRBYTES];
	json_t *out;
};

static int user_get(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
				  "SELECT id, username, role, disabled, created_at FROM users "
				  "WHERE id = ?1",
				  "i", id);
	if (rc < 0)
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return pg_err_set(err, PG_ENOTFOUND, "no user with id %lld", (long long)id);
	}
	json_t *u = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_object_set_new(u, "disabled", json_boolean(json_integer_value(json_object_get(u, "disabled"))));
	*out = u;
	return 0;
}

static int user_add_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct user_add *c = vctx;
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	int rc = store_exec(tx, err,
			    "INSERT INTO users(username, role, pw_hash, created_at, updated_at) "
			    "VALUES (?1, ?2, ?3, ?4, ?4)",
			    "tttt", c->username, c->role, c->hash, now);
	if (rc == PG_ECONFLICT)
		return pg_err_field(err, PG_ECONFLICT, "username", "user '%s' already exists",
				    c->username);
	if (rc < 0)
		return rc;
	int64_t id = store_last_id(tx);
	json_t *u = NULL;
	if ((rc = user_get(tx, id, &u, err)) < 0)
		return rc;
	json_t *details = json_pack("{ss}", "role", c->role);
	rc = store_audit(tx, c->actor, "user.create", c->username, details, err);
	json_decref(details);
	if (rc >= 0) {
		json_t *ev = json_pack("{ss sO ss}", "action", "user.create", "user", u, "by", c->actor);
		int64_t eid = store_event(tx, "users", ev, err);
		rc = eid < 0 ? (int)eid : 0;
		json_decref(ev);
	}
	if (rc < 0) {
		json_decref(u);
		return rc;
	}
	c->out = u;
	return 0;
}

int auth_user_add(struct store *s, const char *actor, const char *username, const char *role,
		  const char *password, json_t **out, struct pg_err *err)
{
	int rc;
	if ((rc = username_check(username, err)) < 0 || (rc = role_check(role, err)) < 0 ||
	    (rc = auth_password_acceptable(password, err)) < 0)
		return rc;
	struct user_add c = {actor, username, role, {0}, NULL};
	if (crypto_pwhash_str_alg(c.hash, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return pg_err_set(err, PG_EIO, "password hashing ran out of memory");
	rc = store_write(s, user_add_tx, &c, err);
	if (rc < 0)
		return rc;
	if (out)
		*out = c.out;
	else
		json_decref(c.out);
	return 0;
}

struct user_upd {
	const char *actor, *role;
	int64_t id;
	int disabled;
	json_t *out;
};

static int user_update_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct user_upd *c = vctx;
	json_t *before = NULL, *after = NULL;
	int rc = user_get(tx, c->id, &before, err);
	if (rc < 0)
		return rc;
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	json_t *details = json_object();
	if (c->role) {
		rc = store_exec(tx, err, "UPDATE users SET role = ?1, updated_at = ?2 WHERE id = ?3",
				"tti", c->role, now, c->id);
		json_object_set_new(details, "role", json_pack("[OS]", json_object_get(before, "role"), c->role));
	}
	if (rc >= 0 && c->disabled >= 0) {
		rc = store_exec(tx, err,
				"UPDATE users SET disabled = ?1, updated_at = ?2 WHERE id = ?3", "iti",
				(int64_t)c->disabled, now, c->id);
		json_object_set_new(details, "disabled", json_boolean(c->disabled));
		if (rc >= 0 && c->disabled)
			rc = store_exec(tx, err, "DELETE FROM sessions WHERE user_id = ?1", "i", c->id);
	}
	if (rc >= 0)
		rc = user_get(tx, c->id, &after, err);
	const char *uname = json_string_value(json_object_get(before, "username"));
	if (rc >= 0)
		rc = store_audit(tx, c->actor, "user.update", uname ? uname : "?", details, err);
	if (rc >= 0) {
		json_t *ev = json_pack("{ss sO ss}", "action", "user.update", "user", after, "by", c->actor);
		int64_t id = store_event(tx, "users", ev, err);
		rc = id < 0 ? (int)id : 0;
		json_decref(ev);
	}
	json_decref(details);
	json_decref(before);
	if (rc < 0) {
		json_decref(after);
		return rc;
	}
	c->out = after;
	return 0;
}

int auth_user_update(struct store *s, const char *actor, int64_t id, const char *role,
		     int disabled, json_t **out, struct pg_err *err)
{
	int rc;
	if (role && (rc = role_check(role, err)) < 0)
		return rc;
	struct user_upd c = {actor, role, id, disabled, NULL};
	rc = store_write(s, user_update_tx, &c, err);
	if (rc < 0)
		return rc;
	if (out)
		*out = c.out;
	else
		json_decref(c.out);
	return 0;
}

struct list_ctx {
	int limit;
	int64_t after;
	json_t *rows;
};

static int users_list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_ctx *c = vctx;
	int rc = store_query_json(tx, &c->rows, err,
				  "SELECT id, username, role, disabled, created_at FROM users "
				  "WHERE id > ?1 ORDER BY id LIMIT ?2",
				  "ii", c->after, (int64_t)c->limit);
	if (rc < 0)
		return rc;
	size_t i;
	json_t *u;
	json_array_foreach(c->rows, i, u)
		json_object_set_new(u, "disabled", json_boolean(json_integer_value(json_object_get(u, "disabled"))));
	return 0;
}

int auth_users_list(struct store *s, int limit, int64_t after, json_t **out, struct pg_err *err)
{
	struct list_ctx c = {limit, after, NULL};
	int rc = store_read(s, users_list_tx, &c, err);
	if (rc < 0)
		return rc;
	*out = store_page(c.rows, limit, "id");
	return 0;
}
