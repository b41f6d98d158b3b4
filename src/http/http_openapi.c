/* http_openapi.c - the OpenAPI 3.1 document, generated from the route table. */
#include <string.h>

#include "http_int.h"

static const char *lower_method(const char *m, char *out, size_t n)
{
	size_t i = 0;
	for (; m[i] && i + 1 < n; i++)
		out[i] = (char)(m[i] >= 'A' && m[i] <= 'Z' ? m[i] - 'A' + 'a' : m[i]);
	out[i] = '\0';
	return out;
}

static json_t *field_schema(const struct http_field *f)
{
	static const char *const types[] = {"string", "integer", "boolean", "object", "array"};
	json_t *s = f->type == F_ANY ? json_pack("{ss}", "description", f->doc)
				     : json_pack("{ss ss}", "type", types[f->type], "description", f->doc);
	if (f->type == F_STRING && f->maxlen)
		json_object_set_new(s, "maxLength", json_integer(f->maxlen));
	return s;
}

static json_t *body_schema(const struct http_field *fields)
{
	json_t *props = json_object(), *req = json_array();
	for (const struct http_field *f = fields; f->name; f++) {
		json_object_set_new(props, f->name, field_schema(f));
		if (f->required)
			json_array_append_new(req, json_string(f->name));
	}
	return json_pack("{ss so so sb}", "type", "object", "properties", props, "required", req,
			 "additionalProperties", 0);
}

static json_t *parameters(const struct http_route *r)
{
	json_t *ps = json_array();
	for (const char *p = strchr(r->path, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		json_array_append_new(ps, json_pack("{ss# ss sb s{ss}}", "name", p + 1, (int)(e - p - 1),
						    "in", "path", "required", 1, "schema", "type",
						    "string"));
	}
	if (r->query) {
		const char *q = r->query;
		while (*q) {
			const char *comma = strchr(q, ',');
			int len = comma ? (int)(comma - q) : (int)strlen(q);
			json_array_append_new(ps, json_pack("{ss# ss sb s{ss}}", "name", q, len, "in",
							    "query", "required", 0, "schema", "type",
							    "string"));
			q += len + (comma ? 1 : 0);
		}
	}
	return ps;
}

json_t *http_openapi(void)
{
	json_t *paths = json_object();
	for (int i = 0; i < http_n_routes; i++) {
		const struct http_route *r = &http_routes[i];
		json_t *item = json_object_get(paths, r->path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->path, item);
		}
		char status[8], m[16], roles[160];
		pg_snprintf(status, sizeof(status), "%d", r->status);
		json_t *responses = json_object();
		json_object_set_new(responses, status,
				    json_pack("{ss}", "description", r->response ? r->response : "no content"));
		json_object_set_new(responses, "default",
				    json_pack("{ss s{s{s{ss}}}}", "description",
					      "RFC 9457 problem", "content",
					      "application/problem+json", "schema", "$ref",
					      "#/components/schemas/Problem"));
		json_t *op = json_pack("{ss so so}", "summary", r->summary, "parameters",
				       parameters(r), "responses", responses);
		char opid[160];
		pg_snprintf(opid, sizeof(opid), "%s %s", r->method, r->path);
		json_object_set_new(op, "operationId", json_string(opid));
		if (r->roles == ROLES_PUBLIC) {
			json_object_set_new(op, "security", json_array());
			json_object_set_new(op, "x-roles", json_array());
		} else {
			auth_roles_format(r->roles, roles, sizeof(roles));
			json_t *xr = json_array();
			for (int k = 0; k < ROLE_COUNT; k++)
				if (r->roles & ROLE_BIT(k))
					json_array_append_new(xr, json_string(auth_role_name((enum pg_role)k)));
			json_object_set_new(op, "x-roles", xr);
			json_object_set_new(op, "description", json_sprintf("Roles: %s.", roles));
		}
		if (r->body)
			json_object_set_new(op, "requestBody",
					    json_pack("{sb s{s{so}}}", "required", 1, "content",
						      "application/json", "schema",
						      body_schema(r->body)));
		if (r->raw_types) {
			json_t *content = json_object();
			for (const char *t = r->raw_types; *t;) {
				size_t n = strcspn(t, ",");
				char type[64];
				pg_snprintf(type, sizeof(type), "%.*s", (int)n, t);
				json_object_set_new(content, type,
						    json_pack("{s{ss}}", "schema", "type", "string"));
				t += n + (t[n] == ',');
			}
			json_object_set_new(op, "requestBody",
					    json_pack("{sb so}", "required", 1, "content", content));
		}
		json_object_set_new(item, lower_method(r->method, m, sizeof(m)), op);
	}
	json_t *problem = json_pack(
		"{ss s{s{ss} s{ss} s{ss} s{ss} s{ss} s{ss}}}", "type", "object", "properties",
		"type", "type", "string", "title", "type", "string", "status", "type", "integer",
		"detail", "type", "string", "field", "type", "string", "instance", "type", "string");
	json_t *schemes = json_pack("{s{ss ss ss} s{ss ss}}", "session", "type", "apiKey", "in",
				    "cookie", "name", "pg_session", "bearer", "type", "http",
				    "scheme", "bearer");
	json_t *doc = json_object();
	json_object_set_new(doc, "openapi", json_string("3.1.0"));
	json_object_set_new(doc, "info",
			    json_pack("{ss ss ss}", "title", "portguard", "version", "1",
				      "description",
				      "Integrated port facility security system. Errors are RFC 9457 "
				      "problems; lists page with ?limit=&after=."));
	json_object_set_new(doc, "paths", paths);
	json_object_set_new(doc, "components", json_pack("{s{so} so}", "schemas", "Problem",
							 problem, "securitySchemes", schemes));
	json_object_set_new(doc, "security",
			    json_pack("[{s[]} {s[]}]", "session", "bearer"));
	return doc;
}
