/* inspect_container_http.c - POST /api/v1/containers/validate: ISO 6346 numbers checked in
 * a batch, one result each, as `portguard container check` prints them. */
#include <string.h>

#include "inspect_container.h"

#define VALIDATE_MAX_NUMBERS 1000
#define VALIDATE_MAX_BYTES 64

/* {input, number, valid, error?, expected_check_digit?} for one number, or NULL. */
static json_t *result_json(const char *input)
{
	struct inspect_container_check c;
	inspect_container_check(input, &c);
	/* the whole normalised form (c.number stops at 11 characters); removing ASCII spaces
	 * and dashes from valid UTF-8 leaves valid UTF-8 */
	char number[VALIDATE_MAX_BYTES + 1];
	inspect_container_normalise(input, number, sizeof(number));
	json_t *r = json_pack("{ss ss sb}", "input", input, "number", number, "valid", c.valid);
	if (r && !c.valid) {
		json_object_set_new(r, "error", json_string(c.error));
		if (c.expected_check_digit >= 0)
			json_object_set_new(r, "expected_check_digit",
					    json_integer(c.expected_check_digit));
	}
	return r;
}

/* Checks the shape of "numbers" (the body check saw only that it is an array); answers 400
 * and returns < 0 if it is wrong. */
static int numbers_check(struct http_req *req, json_t *numbers)
{
	size_t n = json_array_size(numbers);
	if (n < 1 || n > VALIDATE_MAX_NUMBERS) {
		http_problem(req, 400, "bad-field", "numbers",
			     "give 1 to %d container numbers (got %zu)", VALIDATE_MAX_NUMBERS, n);
		return PG_EINVAL;
	}
	size_t i;
	json_t *v;
	json_array_foreach(numbers, i, v) {
		const char *why = NULL;
		if (!json_is_string(v))
			why = "is not a string";
		else if (json_string_length(v) > VALIDATE_MAX_BYTES)
			why = "is longer than 64 bytes";
		else if (strlen(json_string_value(v)) != json_string_length(v))
			why = "contains a NUL character";
		if (why) {
			http_problem(req, 400, "bad-field", "numbers", "numbers[%zu] %s", i, why);
			return PG_EINVAL;
		}
	}
	return 0;
}

static void api_containers_validate(struct http_req *req)
{
	json_t *numbers = json_object_get(req->body, "numbers");
	if (numbers_check(req, numbers) < 0)
		return;
	json_t *results = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(numbers, i, v) {
		if (json_array_append_new(results, result_json(json_string_value(v))) < 0) {
			json_decref(results);
			http_problem(req, 500, "internal", NULL,
				     "numbers[%zu]: building the answer failed", i);
			return;
		}
	}
	http_json(req, 200, json_pack("{so}", "results", results));
}

static const struct http_field validate_body[] = {
	{"numbers", F_ARRAY, 1, 0,
	 "1 to 1000 container numbers, each a string of at most 64 bytes; lower case, spaces "
	 "and '-' are allowed"},
	{NULL, 0, 0, 0, NULL},
};

const struct http_route inspect_container_routes[] = {
	{"POST", "/api/v1/containers/validate", ROLES_ANY, api_containers_validate,
	 "Check ISO 6346 container numbers: owner code, category, serial and check digit",
	 validate_body, 200,
	 "{results: [{input, number, valid, error?, expected_check_digit?}]}, in the order given",
	 NULL},
};
const int inspect_container_n_routes =
	(int)(sizeof(inspect_container_routes) / sizeof(inspect_container_routes[0]));

int inspect_container_register_routes(void)
{
	return http_routes_register(inspect_container_routes, inspect_container_n_routes, NULL);
}
