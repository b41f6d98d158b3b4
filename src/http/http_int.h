/* http_int.h - what only the http module sees: the route table, the request being
 * handled and the helpers handlers answer with. */
#ifndef PG_HTTP_INT_H
#define PG_HTTP_INT_H

#include <microhttpd.h>
#include <pthread.h>

#include "http.h"

/* ---- embedded console (generated from web/ by cmake/embed.cmake) ---------------------- */
struct http_asset {
	const char *path;
	const char *type;
	const unsigned char *data;
	size_t len;
};
extern const struct http_asset http_assets[];
extern const int http_n_assets;

/* ---- route table ---------------------------------------------------------------------- */

enum http_ftype { F_STRING, F_INT, F_BOOL, F_OBJECT };

/* One field of a JSON request body. */
struct http_field {
	const char *name;
	enum http_ftype type;
	int required;
	int maxlen; /* strings: characters */
	const char *doc;
};

struct http_req;
typedef void (*http_handler)(struct http_req *req);

struct http_route {
	const char *method;
	const char *path;       /* "/api/v1/users/{id}": {x} matches one segment */
	unsigned roles;         /* ROLES_PUBLIC, ROLES_ANY or a mask of ROLE_BIT() */
	http_handler handler;
	const char *summary;
	const struct http_field *body; /* NULL: no body; ends with a {NULL} row */
	int status;             /* the success status */
	const char *response;   /* what the success answer holds, for OpenAPI */
	const char *query;      /* query parameters, "limit,after", for OpenAPI */
};

extern const struct http_route http_routes[];
extern const int http_n_routes;

#define HTTP_MAX_PARAMS 4

struct http_server {
	struct MHD_Daemon *mhd;
	struct http_deps deps;
	int port;
	int stopping;
	int inflight; /* requests between first call and completion (atomics) */

	/* event streams */
	pthread_mutex_t sse_lock;
	pthread_cond_t sse_cv;
	struct sse_client *sse_clients;
	pthread_t ticker;
	int ticker_started;

	/* metrics (atomics): per route (plus "console" and "unmatched") */
	struct route_stats *stats;
};

struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const struct http_route *route;
	int route_index;
	const char *method;
	const char *url;
	char params[HTTP_MAX_PARAMS][128];
	int nparams;
	struct pg_buf body_buf;
	int body_too_large;
	json_t *body;
	struct auth_principal who;
	int authed;
	int64_t start_us;

	/* the answer */
	int status;
	struct MHD_Response *resp;
};

/* ---- answering (http_reply.c) ---------------------------------------------------------- */

/* Answers status with a JSON body (stolen; NULL = no body). */
void http_json(struct http_req *req, int status, json_t *body);
/* Answers an RFC 9457 problem: slug is the stable type suffix. */
void http_problem(struct http_req *req, int status, const char *slug, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Answers the problem that a module's error describes (PG_E* -> status and type). */
void http_error(struct http_req *req, int code, const struct pg_err *err);
/* Adds a header to the answer already set. */
void http_header(struct http_req *req, const char *name, const char *value);
/* Query parameter or NULL. */
const char *http_query(struct http_req *req, const char *name);
/* Reads ?limit=&after= (limit 1..500, default 50; after a non-negative id); answers 400
 * and returns < 0 if either is malformed. */
int http_page_args(struct http_req *req, int *limit, int64_t *after);
/* Path parameter n as an id (> 0); answers 404 and returns < 0 otherwise. */
int http_param_id(struct http_req *req, int n, int64_t *out);
/* Sets the standard headers of every answer. */
void http_common_headers(struct MHD_Response *resp, int is_api);

/* ---- pieces ---------------------------------------------------------------------------- */

/* Finds the route for method and path; *path_known tells whether any route has the path
 * (for 405) and allow gets its methods. Returns the index or -1. */
int http_route_match(const char *method, const char *path, char params[][128], int *nparams,
		     int *path_known, char *allow, size_t allow_n);
/* Validates a JSON body against a route's fields; answers 400 and returns < 0 if not. */
int http_body_check(struct http_req *req, const struct http_field *fields);

int http_console_serve(struct http_req *req, const char *path); /* 0 served, -1 not found */
json_t *http_openapi(void);
void http_metrics_init(struct http_server *srv);
void http_metrics_free(struct http_server *srv);
void http_metrics_count(struct http_server *srv, int route_index, int status, int64_t us);
char *http_metrics_text(struct http_server *srv, size_t *len);

/* event streams (http_sse.c) */
void http_sse_open(struct http_req *req);
int http_sse_start(struct http_server *srv);
void http_sse_stop(struct http_server *srv, int wait_ms);

/* handlers (http_api_*.c) */
void api_healthz(struct http_req *req);
void api_readyz(struct http_req *req);
void api_metrics(struct http_req *req);
void api_openapi(struct http_req *req);
void api_session_create(struct http_req *req);
void api_session_delete(struct http_req *req);
void api_me(struct http_req *req);
void api_users_list(struct http_req *req);
void api_users_create(struct http_req *req);
void api_users_update(struct http_req *req);
void api_tokens_list(struct http_req *req);
void api_tokens_create(struct http_req *req);
void api_tokens_delete(struct http_req *req);
void api_audit_list(struct http_req *req);
void api_events(struct http_req *req);

#endif
