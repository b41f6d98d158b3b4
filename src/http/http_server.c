/* http_server.c - libmicrohttpd with a thread pool: body intake with a limit,
 * routing, authentication, CSRF, body checks, then the route's handler. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_int.h"

static int is_state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Finds who is calling: a bearer token, or the session cookie. 0 if someone, PG_EAUTH if
 * nobody (or an invalid credential), PG_EIO if the store failed. */
static int authenticate(struct http_req *req, struct pg_err *err)
{
	struct store *s = req->srv->deps.store;
	const char *authz = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
							MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return pg_err_set(err, PG_EAUTH, "Authorization must be 'Bearer <token>'");
		return auth_token_lookup(s, authz + 7, &req->who, err);
	}
	const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "pg_session");
	if (cookie)
		return auth_session_lookup(s, cookie, &req->who, err);
	return pg_err_set(err, PG_EAUTH, "log in, or send 'Authorization: Bearer <token>'");
}

/* Is the request's Content-Type one of types ("a/b,c/d"), parameters ignored? */
static int content_type_in(struct http_req *req, const char *types)
{
	const char *ct = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_TYPE);
	for (const char *t = types; ct && *t;) {
		size_t n = strcspn(t, ",");
		if (strncasecmp(ct, t, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return 1;
		t += n + (t[n] == ',');
	}
	return 0;
}

static void dispatch(struct http_req *req)
{
	char path[1024];
	if (pg_strlcpy(path, req->url, sizeof(path)) < 0) {
		http_problem(req, 404, "not-found", NULL, "no such path");
		return;
	}
	char allow[128];
	int known = 0;
	int i = http_route_match(req->method, path, req->params, &req->nparams, &known, allow,
				 sizeof(allow));
	if (i < 0) {
		if (known) {
			req->route_index = -2;
			http_problem(req, 405, "method-not-allowed", NULL,
				     "%s is not allowed on %s; allowed: %s", req->method, path, allow);
			http_header(req, "Allow", allow);
			return;
		}
		if (strncmp(path, "/api/", 5) != 0 &&
		    (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
		    http_console_serve(req, path) == 0) {
			req->route_index = http_n_routes; /* "console" */
			return;
		}
		http_problem(req, 404, "not-found", NULL, "no such route: %s %s", req->method, path);
		return;
	}
	const struct http_route *r = &http_routes[i];
	req->route = r;
	req->route_index = i;
	req->ctx = r->ctx;

	if (r->roles != ROLES_PUBLIC) {
		struct pg_err err = {0};
		int rc = authenticate(req, &err);
		if (rc == PG_EAUTH) {
			http_problem(req, 401, "unauthorized", NULL, "%s", err.msg);
			http_header(req, "WWW-Authenticate", "Bearer realm=\"portguard\"");
			return;
		}
		if (rc < 0) {
			http_error(req, rc, &err);
			return;
		}
		req->authed = 1;
		if (!(r->roles & ROLE_BIT(req->who.role))) {
			char roles[160];
			auth_roles_format(r->roles, roles, sizeof(roles));
			http_problem(req, 403, "forbidden", NULL,
				     "role '%s' may not %s %s (allowed: %s)",
				     auth_role_name(req->who.role), r->method, r->path, roles);
			return;
		}
		if (!req->who.is_token && is_state_changing(req->method)) {
			const char *csrf = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
								       "X-CSRF-Token");
			if (!csrf || !pg_streq_ct(csrf, req->who.csrf)) {
				http_problem(req, 403, "csrf", NULL,
					     "missing or wrong X-CSRF-Token header for a session "
					     "request that changes state");
				return;
			}
		}
	}

	int required = 0;
	for (const struct http_field *f = r->body; f && f->name; f++)
		required |= f->required;
	if (r->raw_types) {
		if (!content_type_in(req, r->raw_types)) {
			http_problem(req, 415, "unsupported-media-type", NULL,
				     "send the body as Content-Type: %s", r->raw_types);
			return;
		}
	} else if (r->body && req->body_buf.len == 0 && !required) {
		req->body = json_object(); /* every field optional: no body is {} */
	} else if (r->body) {
		if (!content_type_in(req, "application/json")) {
			http_problem(req, 415, "unsupported-media-type", NULL,
				     "send the body as Content-Type: application/json");
			return;
		}
		json_error_t jerr;
		req->body = json_loadb(req->body_buf.p ? req->body_buf.p : "", req->body_buf.len,
				       JSON_REJECT_DUPLICATES, &jerr);
		if (!req->body) {
			http_problem(req, 400, "bad-json", NULL,
				     "the body is not valid JSON: line %d, column %d: %s", jerr.line,
				     jerr.column, jerr.text);
			return;
		}
		if (!json_is_object(req->body)) {
			http_problem(req, 400, "bad-json", NULL, "the body must be a JSON object");
			return;
		}
		if (http_body_check(req, r->body) < 0)
			return;
	} else if (req->body_buf.len > 0) {
		/* a route without a body accepts nothing, or an empty JSON object */
		json_t *empty = json_loadb(req->body_buf.p, req->body_buf.len, 0, NULL);
		int ok = json_is_object(empty) && json_object_size(empty) == 0;
		json_decref(empty);
		if (!ok) {
			http_problem(req, 400, "bad-field", NULL, "%s %s takes no body", r->method,
				     r->path);
			return;
		}
	}
	r->handler(req);
	if (!req->resp && !req->async)
		http_problem(req, 500, "internal", NULL, "the handler gave no answer");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	if (!req) {
		req = pg_calloc(1, sizeof(*req));
		req->srv = srv;
		req->conn = conn;
		req->url = url;
		req->method = method;
		req->route_index = -1;
		req->start_us = pg_mono_us();
		pthread_mutex_init(&req->async_lock, NULL);
		pg_buf_init(&req->body_buf, (size_t)srv->deps.cfg->body_limit);
		__atomic_add_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
		*con_cls = req;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t n;
		/* A body far over the limit is refused before it is read; one a little over
		 * is read and dropped so that the client sees the 413 rather than a reset. */
		if (cl && pg_parse_i64(cl, 0, INT64_MAX, &n) == 0 && n > 8 * srv->deps.cfg->body_limit)
			req->body_too_large = 2;
		else
			return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!req->body_too_large && pg_buf_append(&req->body_buf, upload, *upload_size) < 0)
			req->body_too_large = 1;
		req->discarded += req->body_too_large ? *upload_size : 0;
		*upload_size = 0;
		if (req->body_too_large != 1)
			return MHD_YES;
		if (req->discarded <= (size_t)(8 * srv->deps.cfg->body_limit))
			return MHD_YES; /* keep reading (and dropping) to the end of the body */
		req->body_too_large = 2; /* enough: answer now and close */
	}
	if (req->async) { /* back from a parked write, or parking it now */
		pthread_mutex_lock(&req->async_lock);
		if (req->async == 1) {
			req->suspended = 1;
			MHD_suspend_connection(conn);
			pthread_mutex_unlock(&req->async_lock);
			return MHD_YES;
		}
		pthread_mutex_unlock(&req->async_lock);
		if (!req->resp) {
			req->finish(req, req->async_rc, &req->async_err, req->finish_ctx);
			if (!req->resp)
				http_problem(req, 500, "internal", NULL, "the handler gave no answer");
		}
		return MHD_queue_response(conn, (unsigned)req->status, req->resp);
	}
	if (req->resp) /* already answered (an early 413) */
		return MHD_YES;
	if (__atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST)) {
		/* draining: requests already in a handler finish; new ones are refused whole */
		http_problem(req, 503, "unavailable", NULL,
			     "the daemon is shutting down; nothing was changed, retry shortly");
		http_header(req, "Retry-After", "5");
		MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONNECTION, "close");
	} else if (req->body_too_large) {
		http_problem(req, 413, "body-too-large", NULL, "the body is larger than %lld bytes",
			     (long long)srv->deps.cfg->body_limit);
		MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONNECTION, "close");
	} else {
		dispatch(req);
		if (req->async) /* parked until the write commits */
			return on_request(cls, conn, url, method, version, upload, upload_size, con_cls);
	}
	return MHD_queue_response(conn, (unsigned)req->status, req->resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	(void)toe;
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	if (!req)
		return;
	http_metrics_count(srv, req->route_index, req->status, pg_mono_us() - req->start_us);
	if (req->resp)
		MHD_destroy_response(req->resp);
	json_decref(req->body);
	pg_buf_release(&req->body_buf);
	pthread_mutex_destroy(&req->async_lock);
	pg_free(req);
	*con_cls = NULL;
	__atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	pg_warn("http: %s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct pg_err *err)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	int64_t port;
	if (!colon || (size_t)(colon - listen) >= sizeof(host) ||
	    pg_parse_i64(colon + 1, 0, 65535, &port) < 0)
		return pg_err_set(err, PG_EINVAL, "listen address '%s' is not ADDR:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "") == 0 || strcmp(host, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return pg_err_set(err, PG_EINVAL, "listen address '%s': '%s' is not an IPv4 address",
				  listen, host);
	return 0;
}

int http_start(const struct http_deps *deps, struct http_server **out, struct pg_err *err)
{
	struct sockaddr_in sa;
	int rc = parse_listen(deps->cfg->listen, &sa, err);
	if (rc < 0)
		return rc;
	struct http_server *srv = pg_calloc(1, sizeof(*srv));
	srv->deps = *deps;
	pthread_mutex_init(&srv->sse_lock, NULL);
	pthread_cond_init(&srv->sse_cv, NULL);
	http_metrics_init(srv);
	/* one thread per CPU: more only adds scheduling delay to the tail of the latency */
	long threads = deps->cfg->threads;
	if (threads <= 0) {
		threads = sysconf(_SC_NPROCESSORS_ONLN);
		threads = threads < 2 ? 2 : threads;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	srv->mhd = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)deps->cfg->max_conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, srv, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!srv->mhd) {
		rc = pg_err_set(err, PG_EIO, "cannot listen on %s (in use, or not an address of "
					     "this machine?)",
				deps->cfg->listen);
		goto fail;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : ntohs(sa.sin_port);
	if ((rc = http_sse_start(srv)) < 0) {
		pg_err_set(err, PG_EIO, "cannot start the event stream ticker");
		MHD_stop_daemon(srv->mhd);
		goto fail;
	}
	*out = srv;
	return 0;
fail:
	http_metrics_free(srv);
	pthread_mutex_destroy(&srv->sse_lock);
	pthread_cond_destroy(&srv->sse_cv);
	pg_free(srv);
	return rc;
}

static void on_committed(void *arg, int rc, const struct pg_err *err)
{
	struct http_req *req = arg;
	pthread_mutex_lock(&req->async_lock);
	req->async_rc = rc;
	if (rc < 0 && err)
		req->async_err = *err;
	req->async = 2;
	if (req->suspended) {
		req->suspended = 0;
		MHD_resume_connection(req->conn);
	}
	pthread_mutex_unlock(&req->async_lock);
}

void http_write_async(struct http_req *req, store_fn fn, void *ctx, http_finish_fn finish)
{
	req->finish = finish;
	req->finish_ctx = ctx;
	req->async = 1;
	if (store_write_async(req->srv->deps.store, fn, ctx, on_committed, req) < 0) {
		req->async = 2;
		req->async_rc = pg_err_set(&req->async_err, PG_EIO, "store: shutting down");
	}
}

struct store *http_store(struct http_req *req)
{
	return req->srv->deps.store;
}

struct pg_bus *http_bus(struct http_req *req)
{
	return req->srv->deps.bus;
}

int http_port(struct http_server *srv)
{
	return srv->port;
}

void http_stop(struct http_server *srv, int wait_ms)
{
	if (!srv)
		return;
	__atomic_store_n(&srv->stopping, 1, __ATOMIC_SEQ_CST);
	MHD_socket fd = MHD_quiesce_daemon(srv->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	int64_t deadline = pg_mono_ms() + wait_ms;
	http_sse_stop(srv, wait_ms);
	while (__atomic_load_n(&srv->inflight, __ATOMIC_SEQ_CST) > 0 && pg_mono_ms() < deadline) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(srv->mhd);
	http_metrics_free(srv);
	pthread_mutex_destroy(&srv->sse_lock);
	pthread_cond_destroy(&srv->sse_cv);
	pg_free(srv);
}
