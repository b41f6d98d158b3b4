/* http.h - the daemon's HTTP server: routing from a table, authentication, problem+json
 * errors, Server-Sent Events, metrics and the embedded console. */
#ifndef PG_HTTP_H
#define PG_HTTP_H

#include "../auth/auth.h"
#include "../core/bus.h"
#include "../core/config.h"
#include "../store/store.h"

struct http_server;

struct http_deps {
	struct store *store;       /* borrowed; outlives the server */
	struct pg_bus *bus;        /* borrowed */
	const struct pg_config *cfg; /* listen, threads, body_limit, max_connections */
	struct auth_policy policy;
};

/* Starts listening on cfg->listen ("ADDR:PORT"; port 0 picks a free one). */
int http_start(const struct http_deps *deps, struct http_server **out, struct pg_err *err);
/* The port actually bound. */
int http_port(struct http_server *srv);
/* Graceful stop: stops accepting, ends event streams, waits up to wait_ms for requests in
 * flight to finish, then closes. Accepts NULL. */
void http_stop(struct http_server *srv, int wait_ms);

#endif
