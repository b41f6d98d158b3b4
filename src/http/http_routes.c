/* http_routes.c - the route table (data), path matching and request body checks.
 * /api/v1/openapi.json is generated from this same table (http_openapi.c). */
#include <string.h>

#include "http_int.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define AUDIT_READERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR))

static const struct http_field login_body[] = {
	{"username", F_STRING, 1, 64, "user name"},
	{"password", F_STRING, 1, 256, "password"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field user_create_body[] = {
	{"username", F_STRING, 1, 64, "1-64 of a-z, 0-9, '.', '_', '-'"},
	{"role", F_STRING, 1, 32, "admin, pfso, operator, gate, inspector, trainer, auditor, "
				  "authority or device"},
	{"password", F_STRING, 1, 256, "at least 12 characters"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field user_update_body[] = {
	{"role", F_STRING, 0, 32, "new role"},
	{"disabled", F_BOOL, 0, 0, "true disables the account and ends its sessions"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field token_create_body[] = {
	{"name", F_STRING, 1, 64, "what the token is for, e.g. gate-3 controller"},
	{"role", F_STRING, 1, 32, "the role the token acts with"},
	{NULL, 0, 0, 0, NULL},
};

const struct http_route http_core_routes[] = {
	{"GET", "/healthz", ROLES_PUBLIC, api_healthz, "Liveness", NULL, 200, "{status}", NULL},
	{"GET", "/readyz", ROLES_PUBLIC, api_readyz, "Readiness: the store answers", NULL, 200,
	 "{status}", NULL},
	{"GET", "/metrics", ROLES_PUBLIC, api_metrics, "Prometheus metrics", NULL, 200,
	 "Prometheus text", NULL},
	{"GET", "/api/v1/openapi.json", ROLES_PUBLIC, api_openapi,
	 "This description (OpenAPI 3.1)", NULL, 200, "OpenAPI document", NULL},
	{"POST", "/api/v1/session", ROLES_PUBLIC, api_session_create,
	 "Log in: sets the session cookie and returns the CSRF token", login_body, 200,
	 "{user, csrf_token, expires_at}", NULL},
	{"DELETE", "/api/v1/session", ROLES_ANY, api_session_delete, "Log out", NULL, 204, NULL,
	 NULL},
	{"GET", "/api/v1/me", ROLES_ANY, api_me, "Who am I, and the console pages I may use",
	 NULL, 200, "{id, username, role, kind, nav}", NULL},
	{"GET", "/api/v1/users", ADMIN, api_users_list, "List users", NULL, 200,
	 "{items: [user], next}", "limit,after"},
	{"POST", "/api/v1/users", ADMIN, api_users_create, "Create a user", user_create_body,
	 201, "user", NULL},
	{"PATCH", "/api/v1/users/{id}", ADMIN, api_users_update,
	 "Change a user's role or disable it", user_update_body, 200, "user", NULL},
	{"GET", "/api/v1/tokens", ADMIN, api_tokens_list, "List API tokens", NULL, 200,
	 "{items: [token], next}", "limit,after"},
	{"POST", "/api/v1/tokens", ADMIN, api_tokens_create,
	 "Create an API token (shown once)", token_create_body, 201,
	 "{id, name, role, token}", NULL},
	{"DELETE", "/api/v1/tokens/{id}", ADMIN, api_tokens_delete, "Revoke an API token", NULL,
	 204, NULL, NULL},
	{"GET", "/api/v1/audit", AUDIT_READERS, api_audit_list,
	 "The audit trail, newest first", NULL, 200, "{items: [record], next}", "limit,after"},
	{"GET", "/api/v1/events", ROLES_ANY, api_events,
	 "Server-Sent Events; Last-Event-ID resumes from the store", NULL, 200,
	 "text/event-stream", "topics,last_event_id,recent"},
};
const int http_n_core_routes = (int)(sizeof(http_core_routes) / sizeof(http_core_routes[0]));

struct http_route http_routes[HTTP_MAX_ROUTES];
int http_n_routes;

int http_routes_register(const struct http_route *table, int n, void *ctx)
{
	if (n < 0 || http_n_routes + n > HTTP_MAX_ROUTES)
		return PG_ELIMIT;
	for (int i = 0; i < n; i++) {
		http_routes[http_n_routes] = table[i];
		http_routes[http_n_routes++].ctx = ctx;
	}
	return 0;
}

void http_routes_reset(void)
{
	http_n_routes = 0;
}

/* Matches one pattern against a path, capturing {x} segments. */
static int path_match(const char *pat, const char *path, char params[][128], int *nparams)
{
	int n = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *pend = strchr(pat, '}');
			const char *send = strchr(path, '/');
			size_t len = send ? (size_t)(send - path) : strlen(path);
			if (!pend || len == 0 || len >= 128 || n == HTTP_MAX_PARAMS)
				return 0;
			memcpy(params[n], path, len);
			params[n++][len] = '\0';
			pat = pend + 1;
			path += len;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat || *path)
		return 0;
	*nparams = n;
	return 1;
}

int http_route_match(const char *method, const char *path, char params[][128], int *nparams,
		     int *path_known, char *allow, size_t allow_n)
{
	struct pg_buf b;
	pg_buf_init(&b, allow_n - 1);
	int found = -1;
	*path_known = 0;
	for (int i = 0; i < http_n_routes; i++) {
		char tmp[HTTP_MAX_PARAMS][128];
		int n = 0;
		if (!path_match(http_routes[i].path, path, tmp, &n))
			continue;
		*path_known = 1;
		pg_buf_printf(&b, "%s%s", b.len ? ", " : "", http_routes[i].method);
		if (found < 0 && strcmp(http_routes[i].method, method) == 0) {
			found = i;
			memcpy(params, tmp, sizeof(tmp));
			*nparams = n;
		}
	}
	pg_strlcpy(allow, b.p ? b.p : "", allow_n);
	pg_buf_release(&b);
	return found;
}

static const char *ftype_name(enum http_ftype t)
{
	switch (t) {
	case F_STRING: return "a string";
	case F_INT: return "a whole number";
	case F_BOOL: return "true or false";
	case F_OBJECT: return "an object";
	case F_ARRAY: return "an array";
	case F_ANY: return "a JSON value";
	}
	return "?";
}

int http_body_check(struct http_req *req, const struct http_field *fields)
{
	const char *key;
	json_t *v;
	json_object_foreach(req->body, key, v) {
		const struct http_field *f = fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name) {
			http_problem(req, 400, "bad-field", key, "unknown field '%.64s'", key);
			return PG_EINVAL;
		}
		int ok = (f->type == F_STRING && json_is_string(v)) ||
			 (f->type == F_INT && json_is_integer(v)) ||
			 (f->type == F_BOOL && json_is_boolean(v)) ||
			 (f->type == F_OBJECT && json_is_object(v)) ||
			 (f->type == F_ARRAY && json_is_array(v)) || f->type == F_ANY;
		if (!ok) {
			http_problem(req, 400, "bad-field", f->name, "field '%s' must be %s", f->name,
				     ftype_name(f->type));
			return PG_EINVAL;
		}
		if (f->type == F_STRING) {
			const char *s = json_string_value(v);
			if (strlen(s) != json_string_length(v)) {
				http_problem(req, 400, "bad-field", f->name,
					     "field '%s' contains a NUL character", f->name);
				return PG_EINVAL;
			}
			if (f->maxlen && json_string_length(v) > (size_t)f->maxlen) {
				http_problem(req, 400, "bad-field", f->name,
					     "field '%s' is longer than %d bytes", f->name,
					     f->maxlen);
				return PG_EINVAL;
			}
		}
	}
	for (const struct http_field *f = fields; f->name; f++) {
		if (f->required && !json_object_get(req->body, f->name)) {
			http_problem(req, 400, "bad-field", f->name, "field '%s' is required", f->name);
			return PG_EINVAL;
		}
	}
	return 0;
}
