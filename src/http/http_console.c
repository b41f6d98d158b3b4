/* http_console.c - the console (web/), embedded in the binary at build time. */
#include <string.h>

#include "http_int.h"

int http_console_serve(struct http_req *req, const char *path)
{
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (int i = 0; i < http_n_assets; i++) {
		const struct http_asset *a = &http_assets[i];
		if (strcmp(a->path, path) != 0)
			continue;
		req->resp = MHD_create_response_from_buffer(a->len, (void *)a->data,
							    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
		MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
		http_common_headers(req->resp, 0);
		req->status = 200;
		return 0;
	}
	return -1;
}
