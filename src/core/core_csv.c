/* core_csv.c - the streaming CSV reader (csv.h). */
#include <stdarg.h>
#include <string.h>

#include "csv.h"

static int row_fail(struct pg_err *err, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int row_fail(struct pg_err *err, long line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pg_err_set(err, PG_EINVAL, "line %ld: %s", line, msg);
}

int pg_csv_fail(const struct pg_csv *c, struct pg_err *err, long line, int col, const char *fmt,
		...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (col >= c->ncols)
		col = c->ncols - 1;
	return pg_err_field(err, PG_EINVAL, c->names[col], "line %ld, %s %s: %s", line, c->word,
			    c->names[col], msg);
}

/* The header as text, for messages. */
static void header_text(const struct pg_csv *c, char *out, size_t n)
{
	struct pg_buf b;
	pg_buf_init(&b, n - 1);
	for (int i = 0; i < c->ncols; i++)
		pg_buf_printf(&b, "%s%s", i ? "," : "", c->names[i]);
	pg_strlcpy(out, b.p ? b.p : "", n);
	pg_buf_release(&b);
}

/* The next byte of the row (EOF at the end), counted against the row's limit. */
static int csv_get(struct pg_csv *c, long first, int *ch, struct pg_err *err)
{
	int v = getc_unlocked(c->f);
	if (v == EOF) {
		*ch = EOF;
		return ferror(c->f) ? pg_err_set(err, PG_EIO, "line %ld: reading failed", c->line)
				    : 0;
	}
	if (++c->raw > c->max_row)
		return row_fail(err, first, "the row is longer than %zu bytes", c->max_row);
	if (v == '\0')
		return row_fail(err, c->line, "a NUL byte");
	*ch = v;
	return 0;
}

/* After a CR: a line end only if an LF follows. */
static int csv_crlf(struct pg_csv *c, long first, struct pg_err *err)
{
	int ch = 0, rc = csv_get(c, first, &ch, err);
	if (rc == 0 && ch != '\n')
		rc = row_fail(err, c->line, "a carriage return not followed by a line feed");
	return rc;
}

/* Reads one row of any number of fields (up to ncols). */
static int csv_any_row(struct pg_csv *c, long *first, struct pg_err *err)
{
	int ch = 0, rc;
	for (;;) { /* blank lines */
		c->raw = 0;
		if ((rc = csv_get(c, c->line, &ch, err)) < 0)
			return rc;
		if (ch == EOF)
			return 0;
		if (ch == '\r' && (rc = csv_crlf(c, c->line, err)) < 0)
			return rc;
		if (ch != '\r' && ch != '\n')
			break;
		c->line++;
	}
	*first = c->line;
	c->len = 0;
	c->nfields = 0;
	for (;;) { /* one field per turn; ch is its first byte */
		if (c->nfields == c->ncols) {
			char h[1024];
			header_text(c, h, sizeof(h));
			return row_fail(err, *first, "more than %d %ss: the header is %s", c->ncols,
					c->word, h);
		}
		c->start[c->nfields] = c->len;
		if (ch == '"') {
			long opened = c->line;
			for (;;) {
				if ((rc = csv_get(c, *first, &ch, err)) < 0)
					return rc;
				if (ch == EOF)
					return pg_csv_fail(c, err, opened, c->nfields,
							   "the quoted field is not closed");
				if (ch == '"') {
					if ((rc = csv_get(c, *first, &ch, err)) < 0)
						return rc;
					if (ch != '"')
						break;
				} else if (ch == '\n') {
					c->line++;
				}
				c->buf[c->len++] = (char)ch;
			}
			if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF)
				return pg_csv_fail(c, err, c->line, c->nfields,
						   "text after the closing quote (a quote inside a "
						   "quoted field is written twice: \"\")");
		} else {
			while (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
				if (ch == '"')
					return pg_csv_fail(c, err, c->line, c->nfields,
							   "a quote inside an unquoted field (quote the "
							   "whole field and double the quote)");
				c->buf[c->len++] = (char)ch;
				if ((rc = csv_get(c, *first, &ch, err)) < 0)
					return rc;
			}
		}
		c->buf[c->len++] = '\0';
		c->nfields++;
		if (ch == ',') {
			if ((rc = csv_get(c, *first, &ch, err)) < 0)
				return rc;
			continue;
		}
		if (ch == '\r' && (rc = csv_crlf(c, *first, err)) < 0)
			return rc;
		if (ch != EOF)
			c->line++;
		return 1;
	}
}

int pg_csv_row(struct pg_csv *c, long *line, struct pg_err *err)
{
	int rc = csv_any_row(c, line, err);
	if (rc == 1 && c->nfields != c->ncols)
		return row_fail(err, *line, "%d %s%s, the header has %d", c->nfields, c->word,
				c->nfields == 1 ? "" : "s", c->ncols);
	return rc;
}

const char *pg_csv_field(const struct pg_csv *c, int i)
{
	return c->buf + c->start[i];
}

int pg_csv_open(struct pg_csv *c, FILE *f, const char *const *names, int ncols, const char *word,
		size_t max_row, struct pg_err *err)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->names = names;
	c->ncols = ncols < PG_CSV_MAX_COLS ? ncols : PG_CSV_MAX_COLS;
	c->word = word;
	c->max_row = max_row;
	c->line = 1;
	c->buf = pg_malloc(max_row + (size_t)c->ncols + 1);
	char h[1024];
	header_text(c, h, sizeof(h));
	int b0 = getc(f);
	if (b0 == 0xef) { /* a UTF-8 byte order mark */
		int b1 = getc(f), b2 = getc(f);
		if (b1 != 0xbb || b2 != 0xbf)
			return row_fail(err, 1, "the first line must be the header %s", h);
	} else if (b0 != EOF) {
		ungetc(b0, f);
	}
	long line = 1;
	int rc = csv_any_row(c, &line, err);
	if (rc == 0)
		return row_fail(err, 1, "the file is empty: the first line must be the header %s", h);
	if (rc < 0)
		return rc;
	for (int i = 0; i < c->ncols; i++)
		if (i >= c->nfields || strcmp(pg_csv_field(c, i), names[i]) != 0)
			return row_fail(err, line, "the header must be exactly %s (column %d is not %s)",
					h, i + 1, names[i]);
	if (c->nfields != c->ncols)
		return row_fail(err, line, "the header must be exactly %s", h);
	return 0;
}

void pg_csv_release(struct pg_csv *c)
{
	pg_free(c->buf);
	c->buf = NULL;
}

void pg_csv_put(struct pg_buf *b, const char *s, int last)
{
	s = s ? s : "";
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int formula = s[0] && strchr("=+-@", s[0]);
	if (quote || formula) {
		pg_buf_puts(b, "\"");
		if (formula)
			pg_buf_puts(b, "'");
		for (const char *p = s; *p; p++)
			pg_buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
		pg_buf_puts(b, "\"");
	} else {
		pg_buf_puts(b, s);
	}
	pg_buf_puts(b, last ? "\r\n" : ",");
}
