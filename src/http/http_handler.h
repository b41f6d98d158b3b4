/* http_handler.h - what a module needs to offer HTTP routes: the route table row, the
 * request a handler gets, and the helpers it answers with.
 *
 * A module keeps its routes as a table of struct http_route and registers it once at
 * start-up (before http_start) with http_routes_register(); the daemon dispatches on,
 * counts and documents (OpenAPI) exactly the registered rows. A handler answers by
 * calling one of http_json / http_problem / http_error. */
#ifndef PG_HTTP_HANDLER_H
#define PG_HTTP_HANDLER_H

#include <microhttpd.h>
#include <pthread.h>

#include "../auth/auth.h"
#include "../core/bus.h"
#include "../store/store.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_ROUTES 256

struct http_server;
struct http_req;
typedef void (*http_finish_fn)(struct http_req *req, int rc, const struct pg_err *err, void *ctx);

/* ---- route table ---------------------------------------------------------------------- */

/* F_ARRAY: a JSON array; F_ANY: any JSON value (null included) for fields whose shape the
 * handler checks itself, such as "always" | {schedule}. */
enum http_ftype { F_STRING, F_INT, F_BOOL, F_OBJECT, F_ARRAY, F_ANY };

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
	void *ctx;              /* set by http_routes_register: the module's state */
	/* A raw body instead of a JSON one (body must be NULL): the media types accepted,
	 * comma-separated ("text/csv,application/json"); another Content-Type is 415. The
	 * handler reads req->body_buf (at most body_limit bytes) and checks it itself. */
	const char *raw_types;
};


/* Appends a module's routes (copied; ctx reaches its handlers as req->ctx). Call before
 * http_start, from one thread. PG_ELIMIT past HTTP_MAX_ROUTES. */
int http_routes_register(const struct http_route *table, int n, void *ctx);
/* Forgets every registered route (tests). */
void http_routes_reset(void);
/* The registered routes, in order. */
extern struct http_route http_routes[HTTP_MAX_ROUTES];
extern int http_n_routes;
/* The foundation's own routes: health, metrics, OpenAPI, session, users, tokens, audit,
 * events. */
extern const struct http_route http_core_routes[];
extern const int http_n_core_routes;

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
	int body_too_large; /* 1: reading and dropping the rest; 2: answer 413 now */
	size_t discarded;
	json_t *body;
	void *ctx; /* the route's module state */
	/* an answer waiting for a commit (http_write_async) */
	pthread_mutex_t async_lock;
	int async;      /* 1 pending, 2 committed */
	int suspended;
	int async_rc;
	struct pg_err async_err;
	http_finish_fn finish;
	void *finish_ctx;
	struct auth_principal who;
	int authed;
	int64_t start_us;

	/* the answer */
	int status;
	struct MHD_Response *resp;
};

/* Writes without holding an HTTP thread: fn runs in the store's next group commit; the
 * connection is parked meanwhile, and finish(req, rc, err, ctx) answers on an HTTP
 * thread once it committed. The handler returns right after calling this. This is how
 * routes that write on every request (decisions, sensor events) keep many requests in
 * one commit. */
void http_write_async(struct http_req *req, store_fn fn, void *ctx, http_finish_fn finish);

/* A module's own Prometheus text, appended to /metrics: fn(out, ctx) is called on an
 * HTTP thread for every scrape. At most 8; unregister (by fn) before ctx is freed. */
typedef void (*http_metrics_fn)(struct pg_buf *out, void *ctx);
int http_metrics_register(http_metrics_fn fn, void *ctx);
void http_metrics_unregister(http_metrics_fn fn);

/* The store and bus the daemon runs with. */
struct store *http_store(struct http_req *req);
struct pg_bus *http_bus(struct http_req *req);

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
/* Answers a list route: reads ?limit=&after=, runs sql (?1 = after, ?2 = limit) with
 * store_list_page and answers the page keyed by id_key. */
void http_list(struct http_req *req, const char *sql, const char *id_key);
/* Path parameter n as an id (> 0); answers 404 and returns < 0 otherwise. */
int http_param_id(struct http_req *req, int n, int64_t *out);

#endif
