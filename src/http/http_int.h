/* http_int.h - what only the http module sees: the route table, the request being
 * handled and the helpers handlers answer with. */
#ifndef PG_HTTP_INT_H
#define PG_HTTP_INT_H

#include <microhttpd.h>
#include <pthread.h>

#include "http.h"
#include "http_handler.h"

/* ---- embedded console (generated from web/ by cmake/embed.cmake) ---------------------- */
struct http_asset {
	const char *path;
	const char *type;
	const unsigned char *data;
	size_t len;
};
extern const struct http_asset http_assets[];
extern const int http_n_assets;

/* Sets the standard headers of every answer. */
void http_common_headers(struct MHD_Response *resp, int is_api);

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
