/* level.c - the security level, its history and its routes. */
#include <string.h>

#include "../http/http_handler.h"
#include "level.h"

int level_current(struct store_tx *tx, int *level, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT level FROM security_levels ORDER BY id DESC LIMIT 1", "");
	if (rc < 0)
		return rc;
	int v = 1;
	rc = store_next(r);
	if (rc == 1)
		v = (int)store_int(r, 0);
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading the security level failed");
	*level = v;
	return 0;
}


static int level_row(struct store_tx *tx, json_t **out, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
				  "SELECT id, level, reason, instructed_by, set_by, set_at "
				  "FROM security_levels ORDER BY id DESC LIMIT 1",
				  "");
	if (rc < 0)
		return rc;
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return *out ? 0 : pg_err_set(err, PG_EIO, "no security level recorded");
}

struct get_ctx {
	json_t *out;
};

static int get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	return level_row(tx, &((struct get_ctx *)vctx)->out, err);
}

int level_get(struct store *s, json_t **out, struct pg_err *err)
{
	struct get_ctx c = {NULL};
	int rc = store_read(s, get_tx, &c, err);
	if (rc == 0)
		*out = c.out;
	return rc;
}

struct set_ctx {
	const char *actor, *reason, *instructed_by;
	int level;
	json_t *out;
};

static int set_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct set_ctx *c = vctx;
	int before = 1;
	int rc = level_current(tx, &before, err);
	if (rc < 0)
		return rc;
	char at[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), at);
	rc = store_exec(tx, err,
			"INSERT INTO security_levels(level, reason, instructed_by, set_by, set_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5)",
			"itttt", (int64_t)c->level, c->reason, c->instructed_by, c->actor, at);
	if (rc < 0 || (rc = level_row(tx, &c->out, err)) < 0)
		return rc;
	json_t *details = json_pack("{si si ss ss?}", "from", before, "to", c->level, "reason",
				    c->reason, "instructed_by", c->instructed_by);
	char obj[32];
	pg_snprintf(obj, sizeof(obj), "security level %d", c->level);
	rc = store_audit(tx, c->actor, "level.set", obj, details, err);
	if (rc == 0) {
		json_object_set_new(details, "action", json_string("level.set"));
		json_object_set_new(details, "by", json_string(c->actor));
		int64_t id = store_event(tx, "level", details, err);
		rc = id < 0 ? (int)id : 0;
	}
	json_decref(details);
	if (rc < 0) {
		json_decref(c->out);
		c->out = NULL;
	}
	return rc;
}

int level_set(struct store *s, const char *actor, int level, const char *reason,
	      const char *instructed_by, json_t **out, struct pg_err *err)
{
	if (level < 1 || level > 3)
		return pg_err_field(err, PG_EUNPROCESSABLE, "level",
				    "security level must be 1, 2 or 3 (got %d)", level);
	if (!reason || !*reason)
		return pg_err_field(err, PG_EUNPROCESSABLE, "reason",
				    "a level change needs a reason");
	if (instructed_by && !*instructed_by)
		instructed_by = NULL;
	struct set_ctx c = {actor, reason, instructed_by, level, NULL};
	int rc = store_write(s, set_tx, &c, err);
	if (rc < 0)
		return rc;
	if (out)
		*out = c.out;
	else
		json_decref(c.out);
	return 0;
}

/* ---- routes ---------------------------------------------------------------------------- */

static void api_level_get(struct http_req *req)
{
	json_t *out = NULL;
	struct pg_err err = {0};
	int rc = level_get(http_store(req), &out, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, out);
}

static void api_level_put(struct http_req *req)
{
	json_t *out = NULL;
	struct pg_err err = {0};
	int rc = level_set(http_store(req), req->who.name,
			   (int)json_integer_value(json_object_get(req->body, "level")),
			   json_string_value(json_object_get(req->body, "reason")),
			   json_string_value(json_object_get(req->body, "instructed_by")), &out, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, out);
}

static void api_level_history(struct http_req *req)
{
	http_list(req,
		  "SELECT id, level, reason, instructed_by, set_by, set_at FROM security_levels "
		  "WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2",
		  "id");
}

static const struct http_field level_body[] = {
	{"level", F_INT, 1, 0, "1 normal, 2 heightened, 3 exceptional"},
	{"reason", F_STRING, 1, 500, "why, as notified"},
	{"instructed_by", F_STRING, 0, 200, "the authority on whose instruction"},
	{NULL, 0, 0, 0, NULL},
};

#define READERS (ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE))
#define SETTERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_AUTHORITY))

static const struct http_route level_routes[] = {
	{"GET", "/api/v1/security-level", ROLES_ANY, api_level_get,
	 "The facility's current ISPS security level", NULL, 200,
	 "{level, reason, instructed_by, set_by, set_at}", NULL},
	{"PUT", "/api/v1/security-level", SETTERS, api_level_put,
	 "Record a new security level (audited, published on topic level)", level_body, 200,
	 "{level, reason, instructed_by, set_by, set_at}", NULL},
	{"GET", "/api/v1/security-level/history", READERS, api_level_history,
	 "Every level change, newest first", NULL, 200, "{items, next}", "limit,after"},
};

int level_register_routes(void)
{
	return http_routes_register(level_routes, (int)(sizeof(level_routes) / sizeof(level_routes[0])),
				    NULL);
}
