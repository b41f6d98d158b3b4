/* Unit tests of the http module's pure parts: route matching, body checks, OpenAPI. */
#include "unit.h"

#include "http_int.h"

static void routes_match_with_path_parameters(void **state)
{
	(void)state;
	char params[HTTP_MAX_PARAMS][128], allow[128];
	int n = 0, known = 0;
	int i = http_route_match("PATCH", "/api/v1/users/42", params, &n, &known, allow, sizeof(allow));
	assert_true(i >= 0);
	assert_string_equal(http_routes[i].path, "/api/v1/users/{id}");
	assert_int_equal(n, 1);
	assert_string_equal(params[0], "42");
	assert_int_equal(http_route_match("GET", "/api/v1/users/", params, &n, &known, allow,
					  sizeof(allow)),
			 -1);
	assert_int_equal(known, 0);
	assert_int_equal(http_route_match("GET", "/api/v1/users/1/x", params, &n, &known, allow,
					  sizeof(allow)),
			 -1);
}

static void a_known_path_with_another_method_lists_the_allowed_ones(void **state)
{
	(void)state;
	char params[HTTP_MAX_PARAMS][128], allow[128];
	int n = 0, known = 0;
	assert_int_equal(http_route_match("PUT", "/api/v1/users", params, &n, &known, allow,
					  sizeof(allow)),
			 -1);
	assert_int_equal(known, 1);
	assert_string_equal(allow, "GET, POST");
}

static void check(const char *json, const struct http_field *fields, int want_status,
		  const char *want_field)
{
	struct http_req req = {0};
	json_error_t e;
	req.body = json_loads(json, 0, &e);
	assert_non_null(req.body);
	int rc = http_body_check(&req, fields);
	if (!want_status) {
		assert_int_equal(rc, 0);
		assert_null(req.resp);
	} else {
		assert_int_equal(rc, PG_EINVAL);
		assert_int_equal(req.status, want_status);
		assert_non_null(req.resp);
		MHD_destroy_response(req.resp);
		(void)want_field;
	}
	json_decref(req.body);
}

static const struct http_route *route(const char *method, const char *path)
{
	for (int i = 0; i < http_n_routes; i++)
		if (!strcmp(http_routes[i].method, method) && !strcmp(http_routes[i].path, path))
			return &http_routes[i];
	fail_msg("no route %s %s", method, path);
	return NULL;
}

static void body_check_refuses_unknown_missing_mistyped_and_long_fields(void **state)
{
	(void)state;
	const struct http_field *f = route("POST", "/api/v1/users")->body;
	check("{\"username\":\"bob\",\"role\":\"gate\",\"password\":\"xxxxxxxxxxxx\"}", f, 0, NULL);
	check("{\"username\":\"bob\",\"role\":\"gate\"}", f, 400, "password");
	check("{\"username\":\"bob\",\"role\":\"gate\",\"password\":\"x\",\"admin\":true}", f, 400,
	      "admin");
	check("{\"username\":7,\"role\":\"gate\",\"password\":\"xxxxxxxxxxxx\"}", f, 400, "username");
	char big[400];
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = 0;
	char body[600];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"role\":\"gate\",\"password\":\"p\"}", big);
	check(body, f, 400, "username");
	const struct http_field *u = route("PATCH", "/api/v1/users/{id}")->body;
	check("{\"disabled\":true}", u, 0, NULL);
	check("{\"disabled\":\"yes\"}", u, 400, "disabled");
}

static void openapi_lists_every_route_with_its_method(void **state)
{
	(void)state;
	json_t *doc = http_openapi();
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	json_t *paths = json_object_get(doc, "paths");
	for (int i = 0; i < http_n_routes; i++) {
		char m[16];
		size_t k = 0;
		for (; http_routes[i].method[k]; k++)
			m[k] = (char)(http_routes[i].method[k] - 'A' + 'a');
		m[k] = 0;
		json_t *op = json_object_get(json_object_get(paths, http_routes[i].path), m);
		assert_non_null(op);
		assert_non_null(json_object_get(op, "x-roles"));
		if (http_routes[i].body)
			assert_non_null(json_object_get(op, "requestBody"));
	}
	json_decref(doc);
}

static int register_core(void **state)
{
	(void)state;
	http_routes_reset();
	return http_routes_register(http_core_routes, http_n_core_routes, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes_match_with_path_parameters),
		cmocka_unit_test(a_known_path_with_another_method_lists_the_allowed_ones),
		cmocka_unit_test(body_check_refuses_unknown_missing_mistyped_and_long_fields),
		cmocka_unit_test(openapi_lists_every_route_with_its_method),
	};
	return cmocka_run_group_tests_name("http", tests, register_core, NULL);
}
