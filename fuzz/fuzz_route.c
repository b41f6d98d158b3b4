/* fuzz_route.c - the router (http_route_match) on any method and path.
 *
 * Input: "METHOD\nPATH" (split at the first newline; without one the whole input is the
 * path of a GET). Checks:
 *  - the index is -1 or a row of http_routes[] (the core routes, registered first), with
 *    the method asked for;
 *  - on a match every captured parameter is terminated inside its 128 bytes, not empty
 *    and holds no '/', and putting the parameters back into the route's pattern gives
 *    the path exactly;
 *  - without a match the parameter outputs are not written;
 *  - allow is terminated; it is empty when no route has the path, and names the method
 *    when one matched. */
#include "http_int.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The routes the daemon serves: the core table, registered as cli_serve.c does. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	http_routes_reset();
	FUZZ_CHECK(http_routes_register(http_core_routes, http_n_core_routes, NULL) == 0);
	return 0;
}

/* The route's pattern with {x} replaced by the captured parameters, into out. */
static int rebuild(const char *pat, char params[][128], int nparams, struct pg_buf *out)
{
	int k = 0;
	while (*pat) {
		if (*pat == '{') {
			const char *end = strchr(pat, '}');
			FUZZ_CHECK(end != NULL);
			FUZZ_CHECK(k < nparams);
			if (pg_buf_puts(out, params[k++]) < 0)
				return -1;
			pat = end + 1;
			continue;
		}
		if (pg_buf_append(out, pat, 1) < 0)
			return -1;
		pat++;
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	const uint8_t *nl = memchr(data, '\n', size);
	char *method = nl ? pg_strndup((const char *)data, (size_t)(nl - data)) : pg_strdup("GET");
	char *path = nl ? fuzz_cstr(nl + 1, size - (size_t)(nl + 1 - data)) : fuzz_cstr(data, size);

	char params[HTTP_MAX_PARAMS][128];
	char allow[128];
	memset(params, 0x5a, sizeof(params));
	memset(allow, 0x5a, sizeof(allow));
	int nparams = -7, known = -7;

	int i = http_route_match(method, path, params, &nparams, &known, allow, sizeof(allow));
	FUZZ_CHECK(i >= -1 && i < http_n_routes);
	FUZZ_CHECK(known == 0 || known == 1);
	FUZZ_CHECK(memchr(allow, '\0', sizeof(allow)) != NULL);
	if (!known)
		FUZZ_CHECK(allow[0] == '\0' && i < 0);
	else
		FUZZ_CHECK(allow[0] != '\0');

	if (i < 0) {
		FUZZ_CHECK(nparams == -7);
		goto out;
	}
	const struct http_route *r = &http_routes[i];
	FUZZ_CHECK(strcmp(r->method, method) == 0);
	FUZZ_CHECK(strstr(allow, method) != NULL);
	FUZZ_CHECK(nparams >= 0 && nparams <= HTTP_MAX_PARAMS);
	for (int k = 0; k < nparams; k++) {
		FUZZ_CHECK(memchr(params[k], '\0', sizeof(params[k])) != NULL);
		FUZZ_CHECK(params[k][0] != '\0');
		FUZZ_CHECK(strchr(params[k], '/') == NULL);
	}
	struct pg_buf b;
	pg_buf_init(&b, 8192);
	FUZZ_CHECK(rebuild(r->path, params, nparams, &b) == nparams);
	FUZZ_CHECK(strcmp(b.p ? b.p : "", path) == 0);
	pg_buf_release(&b);
out:
	pg_free(method);
	pg_free(path);
	return 0;
}
