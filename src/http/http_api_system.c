/* http_api_system.c - health, readiness, metrics and the OpenAPI description. */
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

void api_openapi(struct http_req *req)
{
	http_json(req, 200, http_openapi());
}
