/* core_file.c - reading small text files (configuration, rules) whole. */
#include <stdio.h>
#include <string.h>

#include "core.h"

int pg_read_text_file(const char *path, size_t max, const char *what, char **out,
		      struct pg_err *err)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return pg_err_set(err, PG_EIO, "cannot open %s %s: %m", what, path);
	struct pg_buf b;
	pg_buf_init(&b, max);
	char chunk[4096];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (pg_buf_append(&b, chunk, n) < 0) {
			rc = pg_err_set(err, PG_ELIMIT, "%s %s is larger than %zu bytes", what, path, max);
			goto out;
		}
	}
	if (ferror(f)) {
		rc = pg_err_set(err, PG_EIO, "cannot read %s %s", what, path);
		goto out;
	}
	if (memchr(b.p ? b.p : "", '\0', b.len)) {
		rc = pg_err_set(err, PG_EINVAL, "%s %s contains a NUL byte", what, path);
		goto out;
	}
	*out = pg_buf_detach(&b);
out:
	fclose(f);
	pg_buf_release(&b);
	return rc;
}

int pg_load_text_file(const char *path, size_t max, const char *what,
		      int (*parse)(const char *text, void *out, struct pg_err *err), void *out,
		      struct pg_err *err)
{
	char *text = NULL;
	int rc = pg_read_text_file(path, max, what, &text, err);
	if (rc < 0)
		return rc;
	struct pg_err e = {0};
	if (parse(text, out, &e) < 0)
		rc = pg_err_set(err, PG_EINVAL, "%s %s: %s", what, path, e.msg);
	pg_free(text);
	return rc;
}
