/* core.h - what every portguard module uses: errors, allocation, buffers, time,
 * randomness, logging, configuration and the event bus.
 *
 * Conventions (see STYLE.md): a function that can fail returns 0 or a negative PG_E*
 * code; when it fails it may describe why in an optional struct pg_err, which is left
 * untouched on success. Output parameters are written only on success. */
#ifndef PG_CORE_H
#define PG_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors ---------------------------------------------------------------------- */

enum pg_errc {
	PG_OK = 0,
	PG_EINVAL = -1,    /* bad input from outside: a field, a file, a message */
	PG_ENOTFOUND = -2, /* no such object */
	PG_ECONFLICT = -3, /* already exists / state conflict */
	PG_EDENIED = -4,   /* not allowed */
	PG_EAUTH = -5,     /* not authenticated: bad password, unknown or revoked token */
	PG_ELOCKED = -6,   /* locked out for a while */
	PG_ELIMIT = -7,    /* over a size limit */
	PG_EIO = -8,       /* the system failed: store, file, socket */
	PG_EUNPROCESSABLE = -9, /* well-formed but not acceptable */
};

struct pg_err {
	int code;
	char field[64]; /* the input field at fault, or "" */
	char msg[512];
};

/* Sets err (if not NULL) and returns code, so `return pg_err_set(err, PG_EINVAL, ...)`. */
int pg_err_set(struct pg_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, naming the input field at fault. */
int pg_err_field(struct pg_err *err, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *pg_errc_name(int code);

/* ---- allocation: one policy (abort with a message on out-of-memory) ------------------ */

void *pg_malloc(size_t n);
void *pg_calloc(size_t nmemb, size_t size);
void *pg_realloc(void *p, size_t n);
char *pg_strdup(const char *s);
char *pg_strndup(const char *s, size_t n);
char *pg_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pg_free(void *p);

/* ---- strings ----------------------------------------------------------------------- */

/* Copies src into dst of size n, always terminated; returns PG_ELIMIT if truncated. */
int pg_strlcpy(char *dst, const char *src, size_t n);
/* snprintf that returns PG_ELIMIT on truncation instead of a length. */
int pg_snprintf(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Parses a whole decimal integer in [min, max]; anything else is PG_EINVAL. */
int pg_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Makes s valid UTF-8 in place: each byte that is not part of a well-formed sequence
 * becomes '?'. */
void pg_utf8_sanitize(char *s);
/* Constant-time equality of two NUL-terminated strings of equal length. */
int pg_streq_ct(const char *a, const char *b);

/* ---- growable buffer with a maximum ----------------------------------------------- */

struct pg_buf {
	char *p;   /* always NUL-terminated when not NULL */
	size_t len;
	size_t cap;
	size_t max; /* appends beyond max fail with PG_ELIMIT and leave the buffer as it was */
};

void pg_buf_init(struct pg_buf *b, size_t max);
int pg_buf_append(struct pg_buf *b, const void *data, size_t n);
int pg_buf_puts(struct pg_buf *b, const char *s);
int pg_buf_printf(struct pg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pg_buf_vprintf(struct pg_buf *b, const char *fmt, va_list ap);
void pg_buf_reset(struct pg_buf *b);
/* Gives the contents to the caller (who frees them with pg_free); the buffer is empty. */
char *pg_buf_detach(struct pg_buf *b);
void pg_buf_release(struct pg_buf *b);

/* ---- files -------------------------------------------------------------------------- */

/* Reads a whole text file of at most max bytes with no NUL byte into *out (the caller
 * frees it with pg_free). what names the file in errors ("config", "rules"). */
int pg_read_text_file(const char *path, size_t max, const char *what, char **out,
		      struct pg_err *err);
/* Reads the file as pg_read_text_file does and hands its text to parse(text, out, e); a
 * parse error comes back as PG_EINVAL "<what> <path>: <parse's message>". */
int pg_load_text_file(const char *path, size_t max, const char *what,
		      int (*parse)(const char *text, void *out, struct pg_err *err), void *out,
		      struct pg_err *err);

/* ---- time -------------------------------------------------------------------------- */

int64_t pg_now_ms(void);  /* wall clock, ms since the epoch */
int64_t pg_mono_ms(void); /* monotonic, ms */
int64_t pg_mono_us(void);
#define PG_TIME_LEN 64
/* Formats ms since the epoch as RFC 3339 UTC with milliseconds: 2026-11-27T09:00:00.123Z */
void pg_time_format(int64_t ms, char out[PG_TIME_LEN]);
/* Parses RFC 3339 (Z or +hh:mm offset, optional fraction) into ms since the epoch. */
int pg_time_parse(const char *s, int64_t *out);

/* ---- randomness (libsodium) --------------------------------------------------------- */

int pg_core_init(void); /* initialises libsodium; call once at start-up */
void pg_random_bytes(void *buf, size_t n);
/* Writes 2*n hex digits and a NUL into out (size 2*n+1) from n random bytes. */
void pg_random_hex(char *out, size_t n);
void pg_hex(const unsigned char *in, size_t n, char *out);

/* ---- logging ------------------------------------------------------------------------ */

enum pg_log_level { PG_LOG_DEBUG, PG_LOG_INFO, PG_LOG_WARN, PG_LOG_ERROR };
void pg_log_set_level(enum pg_log_level level);
int pg_log_level_parse(const char *s, enum pg_log_level *out);
void pg_log(enum pg_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pg_debug(...) pg_log(PG_LOG_DEBUG, __VA_ARGS__)
#define pg_info(...) pg_log(PG_LOG_INFO, __VA_ARGS__)
#define pg_warn(...) pg_log(PG_LOG_WARN, __VA_ARGS__)
#define pg_error(...) pg_log(PG_LOG_ERROR, __VA_ARGS__)

#include "banned.h"

#endif
