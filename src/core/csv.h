/* csv.h - a streaming RFC 4180 reader for files with a fixed header (people, manifests),
 * and the field writer of the CSV exports.
 *
 * Rows are read one at a time into a buffer of the row's limit; every error names the
 * physical line and, where one field is at fault, the column (err->field is its name):
 * "line 7, column kind: ...". Blank lines are skipped, CRLF and LF both end a row, a
 * leading UTF-8 byte order mark is ignored, a NUL byte is refused. */
#ifndef PG_CSV_H
#define PG_CSV_H

#include <stdio.h>

#include "core.h"

#define PG_CSV_MAX_COLS 32

struct pg_csv {
	FILE *f;
	const char *const *names; /* the header, one name per column */
	int ncols;
	const char *word;         /* what a column is called in errors: "column", "field" */
	size_t max_row;           /* bytes of one row, quotes and separators included */
	long line;                /* the physical line being read, from 1 */
	size_t raw;
	char *buf;                /* the row's fields, each NUL-terminated */
	size_t len;
	size_t start[PG_CSV_MAX_COLS];
	int nfields;
};

/* Starts reading f and checks that its first row is exactly the header names. */
int pg_csv_open(struct pg_csv *c, FILE *f, const char *const *names, int ncols, const char *word,
		size_t max_row, struct pg_err *err);
/* Reads the next row: 1 and *line (its first line) when there is one with exactly ncols
 * fields, 0 at the end of the input, < 0 with err when it is malformed. */
int pg_csv_row(struct pg_csv *c, long *line, struct pg_err *err);
/* Field i of the row just read. */
const char *pg_csv_field(const struct pg_csv *c, int i);
/* An error about field col of the row at line: "line N, <word> <name>: ..." (PG_EINVAL). */
int pg_csv_fail(const struct pg_csv *c, struct pg_err *err, long line, int col, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
void pg_csv_release(struct pg_csv *c); /* accepts a released reader */

/* Writing (reports, exports): appends s (NULL = empty) as one field, quoted when it holds a
 * comma, quote or line end, then "," or, when last, "\r\n". A field that begins with =, +,
 * - or @ is quoted with a leading ' so that a spreadsheet does not run it as a formula. */
void pg_csv_put(struct pg_buf *b, const char *s, int last);

#endif
