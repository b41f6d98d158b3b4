/* cli_admin.c - init, user add, token create, audit verify. */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../auth/auth.h"
#include "../core/config.h"
#include "cli.h"
#include "cli_int.h"

const char *cli_actor(void)
{
	static char actor[80];
	if (!actor[0]) {
		struct passwd *pw = getpwuid(getuid());
		pg_snprintf(actor, sizeof(actor), "cli:%s", pw ? pw->pw_name : "unknown");
	}
	return actor;
}

int cli_load_config(const struct cli_command *cmd, const struct cli_args *args,
		    struct pg_config *cfg)
{
	struct pg_err err = {0};
	pg_config_defaults(cfg);
	const char *conf = cli_flag(cmd, args, "--config");
	if (conf && pg_config_load(cfg, conf, &err) < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
		return 1;
	}
	const char *data = cli_flag(cmd, args, "--data");
	if (data && pg_config_set(cfg, "store", "data", data, &err) < 0) {
		fprintf(stderr, "portguard %s: --data: %s\n", cmd->name, err.msg);
		return 1;
	}
	return 0;
}

int cli_open_store(const char *cmdname, const struct pg_config *cfg, struct pg_bus *bus,
		   struct store **out)
{
	struct pg_err err = {0};
	struct store_opts opts = {(int)cfg->readers, (int)cfg->max_batch, bus};
	if (store_open(cfg->data, &opts, out, &err) < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmdname, err.msg);
		return 1;
	}
	return 0;
}

/* A password from a file, or a generated one (printed by the caller). */
static int get_password(const char *cmdname, const char *file, char *out, size_t n, int *generated)
{
	struct pg_err err = {0};
	*generated = 0;
	if (file) {
		if (auth_password_read_file(file, out, n, &err) < 0 ||
		    auth_password_acceptable(out, &err) < 0) {
			fprintf(stderr, "portguard %s: %s\n", cmdname, err.msg);
			return 1;
		}
		return 0;
	}
	pg_random_hex(out, 10); /* 20 hex characters, 80 bits */
	*generated = 1;
	return 0;
}

struct count_ctx {
	int64_t n;
};

static int count_users(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct count_ctx *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT count(*) FROM users", "");
	if (rc < 0)
		return rc;
	if (store_next(r) == 1)
		c->n = store_int(r, 0);
	store_rows_free(r);
	return 0;
}

static int audit_init(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int rc = store_audit(tx, cli_actor(), "store.init", "store", NULL, err);
	if (rc < 0)
		return rc;
	json_t *data = json_pack("{ss}", "action", "store.init");
	int64_t id = store_event(tx, "system", data, err);
	json_decref(data);
	return id < 0 ? (int)id : 0;
}

int cli_init_store(const char *cmdname, struct store *s, const char *pwfile, char *pw, size_t pwn)
{
	struct pg_err err = {0};
	struct count_ctx c = {0};
	if (store_read(s, count_users, &c, &err) < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmdname, err.msg);
		return 1;
	}
	if (c.n > 0) {
		fprintf(stderr, "portguard %s: the store is already initialised (%lld users)\n",
			cmdname, (long long)c.n);
		return 1;
	}
	int generated;
	if (get_password(cmdname, pwfile, pw, pwn, &generated))
		return 1;
	if (store_write(s, audit_init, NULL, &err) < 0 ||
	    auth_user_add(s, cli_actor(), "admin", "admin", pw, NULL, &err) < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmdname, err.msg);
		return 1;
	}
	return 0;
}

int cmd_init(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct store *s = NULL;
	char pw[300];
	if (cli_load_config(cmd, args, &cfg) || cli_open_store(cmd->name, &cfg, NULL, &s))
		return 1;
	const char *pwfile = cli_flag(cmd, args, "--admin-password-file");
	int rc = cli_init_store(cmd->name, s, pwfile, pw, sizeof(pw));
	if (rc == 0) {
		printf("initialised %s/portguard.db (schema version %d)\n", cfg.data,
		       store_schema_version(s));
		if (!pwfile)
			printf("admin password (shown once): %s\n", pw);
	}
	store_close(s);
	return rc;
}

int cmd_user_add(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct store *s = NULL;
	const char *role = cli_flag(cmd, args, "--role");
	if (!role) {
		fprintf(stderr, "portguard %s: --role is required\n", cmd->name);
		return 2;
	}
	char pw[300];
	int generated;
	const char *pwfile = cli_flag(cmd, args, "--password-file");
	if (cli_load_config(cmd, args, &cfg) ||
	    get_password(cmd->name, pwfile, pw, sizeof(pw), &generated) ||
	    cli_open_store(cmd->name, &cfg, NULL, &s))
		return 1;
	struct pg_err err = {0};
	json_t *u = NULL;
	int rc = auth_user_add(s, cli_actor(), args->positional, role, pw, &u, &err);
	if (rc < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
	} else {
		printf("user %s (id %lld) created with role %s\n", args->positional,
		       (long long)json_integer_value(json_object_get(u, "id")), role);
		if (generated)
			printf("password (shown once): %s\n", pw);
	}
	json_decref(u);
	store_close(s);
	return rc < 0 ? 1 : 0;
}

int cmd_token_create(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct store *s = NULL;
	const char *name = cli_flag(cmd, args, "--name"), *role = cli_flag(cmd, args, "--role");
	if (!name || !role) {
		fprintf(stderr, "portguard %s: --name and --role are required\n", cmd->name);
		return 2;
	}
	if (cli_load_config(cmd, args, &cfg) || cli_open_store(cmd->name, &cfg, NULL, &s))
		return 1;
	struct pg_err err = {0};
	char token[AUTH_TOKEN_LEN];
	json_t *t = NULL;
	int rc = auth_token_create(s, cli_actor(), name, role, token, &t, &err);
	if (rc < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
	} else {
		printf("%s\n", token);
		fprintf(stderr, "token %lld '%s' (role %s) created; it is shown only this once\n",
			(long long)json_integer_value(json_object_get(t, "id")), name, role);
	}
	json_decref(t);
	store_close(s);
	return rc < 0 ? 1 : 0;
}

int cmd_audit_verify(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct store *s = NULL;
	if (cli_load_config(cmd, args, &cfg))
		return 1;
	char path[600];
	pg_snprintf(path, sizeof(path), "%s/portguard.db", cfg.data);
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "portguard %s: no store at %s\n", cmd->name, path);
		return 1;
	}
	if (cli_open_store(cmd->name, &cfg, NULL, &s))
		return 1;
	struct pg_err err = {0};
	int64_t count = 0, bad = 0;
	int rc = store_audit_verify(s, &count, &bad, &err);
	store_close(s);
	if (rc < 0) {
		fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
		return 1;
	}
	printf("audit chain ok: %lld records\n", (long long)count);
	return 0;
}
