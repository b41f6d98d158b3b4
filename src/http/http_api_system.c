/* http_api_system.c - health, readiness, metrics and the OpenAPI description. */
#include <pthread.h>
#include <string.h>

#include "http_int.h"

void api_healthz(struct http_req *req)
{
	http_json(req, 200, json_pack("{ss}", "status", "ok"));
}

static int ping(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	return store_exec(tx, err, "SELECT 1", "");
}

void api_readyz(struct http_req *req)
{
	struct pg_err err = {0};
	if (__atomic_load_n(&req->srv->stopping, __ATOMIC_SEQ_CST)) {
		http_json(req, 503, json_pack("{ss ss}", "status", "stopping", "detail",
					      "the daemon is shutting down"));
		return;
	}
	if (store_read(req->srv->deps.store, ping, NULL, &err) < 0) {
		http_json(req, 503, json_pack("{ss ss}", "status", "unavailable", "detail", err.msg));
		return;
	}
	http_json(req, 200, json_pack("{ss}", "status", "ready"));
}

void api_metrics(struct http_req *req)
{
	size_t len = 0;
	char *text = http_metrics_text(req->srv, &len);
	req->resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	http_common_headers(req->resp, 1);
	req->status = 200;
}

/* The routes do not change once the daemon serves: the document is made once. */
static pthread_mutex_t openapi_lock = PTHREAD_MUTEX_INITIALIZER;
static char *openapi_text;
static size_t openapi_len;

void api_openapi(struct http_req *req)
{
	pthread_mutex_lock(&openapi_lock);
	if (!openapi_text) {
		json_t *doc = http_openapi();
		openapi_text = json_dumps(doc, JSON_COMPACT);
		openapi_len = openapi_text ? strlen(openapi_text) : 0;
		json_decref(doc);
	}
	pthread_mutex_unlock(&openapi_lock);
	if (!openapi_text) {
		http_problem(req, 500, "internal", NULL, "could not build the OpenAPI document");
		return;
	}
	req->resp = MHD_create_response_from_buffer(openapi_len, openapi_text, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	http_common_headers(req->resp, 1);
	req->status = 200;
}
