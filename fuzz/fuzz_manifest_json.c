/* fuzz_manifest_json - the streaming JSON manifest reader (POST /api/v1/manifests as
 * application/json, portguard import manifest FILE.json): any bytes give a checked
 * manifest or an error naming where, never a crash, a hang or a leak.
 *
 * Checks:
 *  - success means a vessel and at least one container line;
 *  - a failure is PG_EINVAL, PG_ELIMIT or PG_EIO with a message; when PG_EINVAL names a
 *    field, the message begins with that field ("containers[3].hs_code: ...",
 *    "vessel.imo: ...", "containers: ...");
 *  - the manifest pointer is set exactly on success. */
#include "fuzz.h"
#include "inspect/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size)
		fgetc(f);
	struct inspect_manifest *m = NULL;
	struct pg_err err = {0};
	int rc = inspect_manifest_read_json(f, &m, &err);
	fclose(f);
	if (rc == 0) {
		FUZZ_CHECK(m != NULL);
		FUZZ_CHECK(inspect_manifest_lines(m) >= 1);
	} else {
		FUZZ_CHECK(m == NULL);
		FUZZ_CHECK(rc == PG_EINVAL || rc == PG_ELIMIT || rc == PG_EIO);
		FUZZ_CHECK(err.msg[0] != '\0');
		if (rc == PG_EINVAL && err.field[0])
			FUZZ_CHECK(strncmp(err.msg, err.field, strlen(err.field)) == 0);
	}
	inspect_manifest_free(m);
	return 0;
}
