/* http_api_auth.c - sessions, who am I, users, API tokens and the audit trail. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

/* The console pages each role may use, in order. Later modules add their rows. */
static const struct {
	const char *id, *title, *path;
	unsigned roles;
} console_nav[] = {
	{"overview", "Overview", "#/overview", ROLES_ANY},
	{"level", "Security level", "#/level", ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE)},
	{"people", "People & credentials", "#/people",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_GATE) | ROLE_BIT(ROLE_OPERATOR) |
		 ROLE_BIT(ROLE_AUDITOR)},
	{"zones", "Zones & readers", "#/zones",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_GATE) |
		 ROLE_BIT(ROLE_AUDITOR)},
	{"groups", "Access groups", "#/groups",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_GATE) | ROLE_BIT(ROLE_AUDITOR)},
	{"decisions", "Decision log", "#/decisions",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_GATE) |
		 ROLE_BIT(ROLE_AUDITOR)},
	{"occupancy", "Occupancy", "#/occupancy",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_GATE)},
	{"muster", "Muster", "#/muster",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_GATE)},
	{"control-room", "Control room", "#/control-room",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_AUDITOR) |
		 ROLE_BIT(ROLE_AUTHORITY)},
	{"inspections", "Inspections", "#/inspections",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_INSPECTOR) | ROLE_BIT(ROLE_AUDITOR) |
		 ROLE_BIT(ROLE_AUTHORITY)},
	{"drills", "Drills & exercises", "#/drills",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_TRAINER) | ROLE_BIT(ROLE_OPERATOR) |
		 ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_AUTHORITY)},
	{"sensors", "Sensors & cameras", "#/sensors",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_AUDITOR)},
	{"waterside", "Waterside", "#/waterside",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR) | ROLE_BIT(ROLE_AUDITOR) |
		 ROLE_BIT(ROLE_AUTHORITY)},
	{"training", "Training", "#/training", ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE)},
	{"training-results", "Training results", "#/training-results",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_TRAINER) | ROLE_BIT(ROLE_AUDITOR) |
		 ROLE_BIT(ROLE_AUTHORITY)},
	{"compliance", "Training compliance", "#/compliance",
	 ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_TRAINER) | ROLE_BIT(ROLE_AUDITOR) |
		 ROLE_BIT(ROLE_AUTHORITY)},
	{"users", "Users", "#/users", ROLE_BIT(ROLE_ADMIN)},
	{"tokens", "API tokens", "#/tokens", ROLE_BIT(ROLE_ADMIN)},
	{"audit", "Audit trail", "#/audit", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR)},
};

static const char *client_addr(struct http_req *req, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	buf[0] = '\0';
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ci->client_addr;
		inet_ntop(AF_INET, &sin->sin_addr, buf, (socklen_t)n);
	}
	return buf;
}

static const char *body_str(struct http_req *req, const char *key)
{
	return json_string_value(json_object_get(req->body, key));
}

void api_session_create(struct http_req *req)
{
	struct http_server *srv = req->srv;
	char token[AUTH_TOKEN_LEN], client[64];
	struct auth_principal p;
	int64_t expires = 0, retry = 0;
	struct pg_err err = {0};
	int rc = auth_login(srv->deps.store, &srv->deps.policy, body_str(req, "username"),
			    body_str(req, "password"), client_addr(req, client, sizeof(client)),
			    token, &p, &expires, &retry, &err);
	if (rc == PG_ELOCKED) {
		char ra[24];
		http_error(req, rc, &err);
		pg_snprintf(ra, sizeof(ra), "%lld", (long long)retry);
		http_header(req, "Retry-After", ra);
		return;
	}
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	char at[PG_TIME_LEN], cookie[256];
	pg_time_format(expires, at);
	json_t *body = json_pack("{s{sI ss ss} ss ss}", "user", "id", (json_int_t)p.id, "username",
				 p.name, "role", auth_role_name(p.role), "csrf_token", p.csrf,
				 "expires_at", at);
	http_json(req, 200, body);
	pg_snprintf(cookie, sizeof(cookie),
		    "pg_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d", token,
		    srv->deps.policy.session_hours * 3600);
	http_header(req, MHD_HTTP_HEADER_SET_COOKIE, cookie);
}

void api_session_delete(struct http_req *req)
{
	struct pg_err err = {0};
	int rc = auth_logout(req->srv->deps.store, &req->who, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	http_json(req, 204, NULL);
	http_header(req, MHD_HTTP_HEADER_SET_COOKIE,
		    "pg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

void api_me(struct http_req *req)
{
	json_t *nav = json_array();
	for (size_t i = 0; i < sizeof(console_nav) / sizeof(console_nav[0]); i++)
		if (console_nav[i].roles & ROLE_BIT(req->who.role))
			json_array_append_new(nav, json_pack("{ss ss ss}", "id", console_nav[i].id,
							     "title", console_nav[i].title, "path",
							     console_nav[i].path));
	json_t *me = json_pack("{sI ss ss ss so}", "id", (json_int_t)req->who.id, "username",
			       req->who.name, "role", auth_role_name(req->who.role), "kind",
			       req->who.is_token ? "token" : "user", "nav", nav);
	http_json(req, 200, me);
}

void api_users_list(struct http_req *req)
{
	int limit;
	int64_t after;
	if (http_page_args(req, &limit, &after) < 0)
		return;
	json_t *page = NULL;
	struct pg_err err = {0};
	int rc = auth_users_list(req->srv->deps.store, limit, after, &page, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, page);
}

void api_users_create(struct http_req *req)
{
	json_t *user = NULL;
	struct pg_err err = {0};
	int rc = auth_user_add(req->srv->deps.store, req->who.name, body_str(req, "username"),
			       body_str(req, "role"), body_str(req, "password"), &user, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 201, user);
}

void api_users_update(struct http_req *req)
{
	int64_t id;
	if (http_param_id(req, 0, &id) < 0)
		return;
	json_t *d = json_object_get(req->body, "disabled");
	const char *role = body_str(req, "role");
	if (!role && !d) {
		http_problem(req, 400, "bad-field", NULL, "give 'role', 'disabled' or both");
		return;
	}
	if (id == req->who.id && !req->who.is_token && d && json_is_true(d)) {
		http_problem(req, 409, "conflict", "disabled", "you cannot disable your own account");
		return;
	}
	json_t *user = NULL;
	struct pg_err err = {0};
	int rc = auth_user_update(req->srv->deps.store, req->who.name, id, role,
				  d ? json_is_true(d) : -1, &user, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, user);
}

void api_tokens_list(struct http_req *req)
{
	http_list(req,
		  "SELECT id, name, role, created_by, created_at, revoked_at FROM tokens "
		  "WHERE id > ?1 ORDER BY id LIMIT ?2",
		  "id");
}

void api_tokens_create(struct http_req *req)
{
	char token[AUTH_TOKEN_LEN];
	json_t *t = NULL;
	struct pg_err err = {0};
	int rc = auth_token_create(req->srv->deps.store, req->who.name, body_str(req, "name"),
				   body_str(req, "role"), token, &t, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	json_object_set_new(t, "token", json_string(token));
	http_json(req, 201, t);
}

void api_tokens_delete(struct http_req *req)
{
	int64_t id;
	if (http_param_id(req, 0, &id) < 0)
		return;
	struct pg_err err = {0};
	int rc = auth_token_revoke(req->srv->deps.store, req->who.name, id, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 204, NULL);
}

void api_audit_list(struct http_req *req)
{
	http_list(req,
		  "SELECT seq, at, actor, action, object, details AS details_json FROM audit "
		  "WHERE (?1 = 0 OR seq < ?1) ORDER BY seq DESC LIMIT ?2",
		  "seq");
}
