/* http_reply.c - answers: JSON, RFC 9457 problems, headers, query arguments. */
#include <stdio.h>
#include <string.h>

#include "http_int.h"

static const char csp[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
			  "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
			  "base-uri 'none'; form-action 'self'";

void http_common_headers(struct MHD_Response *resp, int is_api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (is_api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	else
		MHD_add_response_header(resp, "Content-Security-Policy", csp);
}

static void set_resp(struct http_req *req, int status, char *text, size_t len, const char *type)
{
	if (req->resp)
		MHD_destroy_response(req->resp);
	req->resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (type)
		MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	http_common_headers(req->resp, 1);
	req->status = status;
}

void http_json(struct http_req *req, int status, json_t *body)
{
	if (!body) {
		set_resp(req, status, pg_strdup(""), 0, NULL);
		return;
	}
	/* 15 significant digits: 4.0421 rather than 4.0420999999999996 (a double keeps 15) */
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	json_decref(body);
	if (!text) {
		http_problem(req, 500, "internal", NULL, "could not encode the answer");
		return;
	}
	set_resp(req, status, text, strlen(text), "application/json");
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	}
	return "Internal Server Error";
}

void http_problem(struct http_req *req, int status, const char *slug, const char *field,
		  const char *fmt, ...)
{
	char detail[600], type[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	pg_utf8_sanitize(detail); /* a cut or a client's bytes may leave it invalid */
	snprintf(type, sizeof(type), "urn:portguard:problem:%s", slug);
	json_t *p = json_pack("{ss ss si ss}", "type", type, "title", status_title(status),
			      "status", status, "detail", detail);
	if (field && *field)
		json_object_set_new(p, "field", json_string(field));
	if (req->url) {
		char *inst = pg_strndup(req->url, 512);
		pg_utf8_sanitize(inst);
		json_object_set_new(p, "instance", json_string(inst));
		pg_free(inst);
	}
	char *text = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (!text)
		text = pg_strdup("{\"type\":\"urn:portguard:problem:internal\",\"status\":500}");
	set_resp(req, status, text, strlen(text), "application/problem+json");
}

void http_error(struct http_req *req, int code, const struct pg_err *err)
{
	const char *msg = err && err->msg[0] ? err->msg : pg_errc_name(code);
	const char *field = err ? err->field : NULL;
	switch (code) {
	case PG_EINVAL: http_problem(req, 400, "bad-field", field, "%s", msg); break;
	case PG_ENOTFOUND: http_problem(req, 404, "not-found", field, "%s", msg); break;
	case PG_ECONFLICT: http_problem(req, 409, "conflict", field, "%s", msg); break;
	case PG_EDENIED: http_problem(req, 403, "forbidden", field, "%s", msg); break;
	case PG_EAUTH: http_problem(req, 401, "unauthorized", field, "%s", msg); break;
	case PG_ELOCKED: http_problem(req, 429, "locked", field, "%s", msg); break;
	case PG_ELIMIT: http_problem(req, 413, "body-too-large", field, "%s", msg); break;
	case PG_EUNPROCESSABLE: http_problem(req, 422, "unprocessable", field, "%s", msg); break;
	default:
		pg_error("%s %s: %s", req->method, req->url, msg);
		http_problem(req, 500, "internal", NULL, "%s", msg);
	}
}

void http_header(struct http_req *req, const char *name, const char *value)
{
	if (req->resp)
		MHD_add_response_header(req->resp, name, value);
}

const char *http_query(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_page_args(struct http_req *req, int *limit, int64_t *after)
{
	int64_t l = 50, a = 0;
	const char *ls = http_query(req, "limit"), *as = http_query(req, "after");
	if (ls && pg_parse_i64(ls, 1, 500, &l) < 0) {
		http_problem(req, 400, "bad-field", "limit", "limit must be a whole number from 1 to 500");
		return PG_EINVAL;
	}
	if (as && pg_parse_i64(as, 0, INT64_MAX, &a) < 0) {
		http_problem(req, 400, "bad-field", "after",
			     "after must be the 'next' cursor of a previous page");
		return PG_EINVAL;
	}
	*limit = (int)l;
	*after = a;
	return 0;
}

int http_param_id(struct http_req *req, int n, int64_t *out)
{
	int64_t v;
	if (n >= req->nparams || pg_parse_i64(req->params[n], 1, INT64_MAX, &v) < 0) {
		http_problem(req, 404, "not-found", NULL, "'%s' is not an id",
			     n < req->nparams ? req->params[n] : "");
		return PG_ENOTFOUND;
	}
	*out = v;
	return 0;
}

void http_list(struct http_req *req, const char *sql, const char *id_key)
{
	int limit;
	int64_t after;
	if (http_page_args(req, &limit, &after) < 0)
		return;
	json_t *page = NULL;
	struct pg_err err = {0};
	int rc = store_list_page(http_store(req), sql, limit, after, id_key, &page, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, page);
}
