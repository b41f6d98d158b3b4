/* fuzz_manifest_csv - the CSV manifest reader (portguard import manifest, POST
 * /api/v1/manifests as text/csv): any bytes give a checked manifest or an error that
 * names the line, never a crash, a hang or a leak.
 *
 * Checks:
 *  - success means at least one container line, and never more lines than the input has
 *    line feeds (the header takes one);
 *  - a failure is PG_EINVAL, PG_ELIMIT or PG_EIO with a message; PG_EINVAL begins with
 *    "line N" and, when it names a field, says "line N, field F:" with err.field = F;
 *  - the manifest pointer is set exactly on success. */
#include "fuzz.h"
#include "inspect/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size)
		fgetc(f); /* fmemopen needs a size; an empty input is an empty file */
	struct inspect_manifest *m = NULL;
	struct pg_err err = {0};
	int rc = inspect_manifest_read_csv(f, &m, &err);
	fclose(f);
	if (rc == 0) {
		size_t lf = 0;
		for (size_t i = 0; i < size; i++)
			lf += data[i] == '\n';
		FUZZ_CHECK(m != NULL);
		FUZZ_CHECK(inspect_manifest_lines(m) >= 1);
		FUZZ_CHECK(inspect_manifest_lines(m) <= lf);
	} else {
		FUZZ_CHECK(m == NULL);
		FUZZ_CHECK(rc == PG_EINVAL || rc == PG_ELIMIT || rc == PG_EIO);
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(rc != PG_EINVAL || strncmp(err.msg, "line ", 5) == 0);
		if (rc == PG_EINVAL && err.field[0]) {
			char want[100];
			pg_snprintf(want, sizeof(want), ", field %s: ", err.field);
			FUZZ_CHECK(strstr(err.msg, want) != NULL);
		}
	}
	inspect_manifest_free(m);
	return 0;
}
