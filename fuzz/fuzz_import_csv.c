/* fuzz_import_csv - the people CSV reader (portguard import people): any bytes give a
 * row count or an error that names the line, never a crash, a hang or a leak. */
#include "access/access_import.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size)
		fgetc(f); /* fmemopen needs a size; an empty input is an empty file */
	int rows = -1;
	struct pg_err err = {0};
	int rc = access_import_check(f, &rows, &err);
	fclose(f);
	if (rc == 0) {
		FUZZ_CHECK(rows >= 0);
	} else {
		FUZZ_CHECK(rc == PG_EINVAL || rc == PG_ELIMIT || rc == PG_EIO);
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(rc != PG_EINVAL || strncmp(err.msg, "line ", 5) == 0);
	}
	return 0;
}
