/* fuzz_json_body.c - request bodies: JSON parsed as the server parses it
 * (json_loadb with JSON_REJECT_DUPLICATES), then http_body_check against every route of
 * http_routes[] that takes a body (the core routes, registered first as the daemon does).
 *
 * Checks, for every such route:
 *  - http_body_check accepts exactly the bodies the route's field rows describe (every key
 *    a field, of its type, strings without NUL and within maxlen bytes, required fields
 *    present);
 *  - accepting answers nothing; refusing returns PG_EINVAL with a 400 answer whose body is
 *    an RFC 9457 problem saying the same: type ...:bad-field, status 400, the field (unless
 *    the body has a key "", which may be the one at fault), the request URL as instance;
 *  - nothing leaks (LeakSanitizer) and nothing crashes.
 *
 * The answer's body is captured on its way into libmicrohttpd: the definition of
 * MHD_create_response_from_buffer below is linked before the library's, copies what it is
 * given, and hands over to the library's (dlsym RTLD_NEXT). No daemon is needed. */
#include <dlfcn.h>

#include "http_int.h"
#include "access/access_int.h"
#include "alarms/alarms.h"
#include "fuzz.h"
#include "inspect/inspect.h"
#include "inspect/inspect_container.h"
#include "level/level.h"
#include "sensors/sensors.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The routes the daemon serves, registered as cli_serve.c does. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	http_routes_reset();
	FUZZ_CHECK(http_routes_register(http_core_routes, http_n_core_routes, NULL) == 0);
	FUZZ_CHECK(level_register_routes() == 0);
	FUZZ_CHECK(http_routes_register(access_decide_routes, access_decide_n_routes, NULL) == 0);
	FUZZ_CHECK(http_routes_register(access_admin_routes, access_admin_n_routes, NULL) == 0);
	FUZZ_CHECK(http_routes_register(access_muster_routes, access_muster_n_routes, NULL) == 0);
	FUZZ_CHECK(inspect_container_register_routes() == 0);
	struct inspect *in = NULL;
	FUZZ_CHECK(inspect_open(NULL, &in, NULL) == 0);
	FUZZ_CHECK(inspect_register_routes(in) == 0); /* in lives as long as the harness */
	FUZZ_CHECK(sensors_register_routes(NULL) == 0); /* handlers never run here */
	FUZZ_CHECK(alarms_register_routes(NULL) == 0);
	return 0;
}

static char answer[8192];
static size_t answer_len;
static int answers;

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
	typedef struct MHD_Response *(*create_fn)(size_t, void *, enum MHD_ResponseMemoryMode);
	static create_fn real;
	if (!real) {
		*(void **)&real = dlsym(RTLD_NEXT, "MHD_create_response_from_buffer");
		FUZZ_CHECK(real != NULL);
	}
	answer_len = size < sizeof(answer) ? size : sizeof(answer) - 1;
	memcpy(answer, buffer, answer_len);
	answer[answer_len] = '\0';
	answers++;
	return real(size, buffer, mode);
}

static const struct http_field *field_find(const struct http_field *fields, const char *name)
{
	for (const struct http_field *f = fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* What the field rows say about body: 1 acceptable, 0 not. */
static int acceptable(json_t *body, const struct http_field *fields)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		const struct http_field *f = field_find(fields, key);
		if (!f)
			return 0;
		switch (f->type) {
		case F_STRING: {
			if (!json_is_string(v))
				return 0;
			size_t len = json_string_length(v);
			if (memchr(json_string_value(v), '\0', len))
				return 0;
			if (f->maxlen && len > (size_t)f->maxlen)
				return 0;
			break;
		}
		case F_INT:
			if (!json_is_integer(v))
				return 0;
			break;
		case F_BOOL:
			if (!json_is_boolean(v))
				return 0;
			break;
		case F_OBJECT:
			if (!json_is_object(v))
				return 0;
			break;
		case F_ARRAY:
			if (!json_is_array(v))
				return 0;
			break;
		case F_ANY:
			break;
		}
	}
	for (const struct http_field *f = fields; f->name; f++)
		if (f->required && !json_object_get(body, f->name))
			return 0;
	return 1;
}

static const char *text_of(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

static void check_problem(const struct http_req *req)
{
	/* the field at fault is named, but an empty name ({"": ...}) is left out */
	int named = json_object_get(req->body, "") == NULL;
	json_error_t e;
	json_t *p = json_loads(answer, 0, &e);
	if (!p || json_integer_value(json_object_get(p, "status")) != 400 ||
	    (named && !json_is_string(json_object_get(p, "field"))))
		fprintf(stderr, "fuzz: answer with status %d: %s\n", req->status, answer);
	FUZZ_CHECK(json_is_object(p));
	FUZZ_CHECK(strcmp(text_of(p, "type"), "urn:portguard:problem:bad-field") == 0);
	FUZZ_CHECK(json_integer_value(json_object_get(p, "status")) == 400);
	FUZZ_CHECK(json_is_string(json_object_get(p, "field")) || !named);
	FUZZ_CHECK(json_is_string(json_object_get(p, "detail")));
	FUZZ_CHECK(strcmp(text_of(p, "instance"), req->url) == 0);
	json_decref(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1 << 20))
		return 0;
	json_error_t e;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!body)
		return 0;
	if (!json_is_object(body))
		goto out;
	for (int i = 0; i < http_n_routes; i++) {
		const struct http_route *r = &http_routes[i];
		if (!r->body)
			continue;
		struct http_req req;
		memset(&req, 0, sizeof(req));
		req.route = r;
		req.route_index = i;
		req.method = r->method;
		req.url = r->path;
		req.body = body;
		answers = 0;

		int rc = http_body_check(&req, r->body);
		FUZZ_CHECK((rc == 0) == acceptable(body, r->body));
		if (rc == 0) {
			FUZZ_CHECK(req.resp == NULL && answers == 0);
		} else {
			FUZZ_CHECK(rc == PG_EINVAL);
			FUZZ_CHECK(req.resp != NULL && answers == 1);
			FUZZ_CHECK(req.status == 400);
			check_problem(&req);
		}
		if (req.resp)
			MHD_destroy_response(req.resp);
	}
out:
	json_decref(body);
	return 0;
}
