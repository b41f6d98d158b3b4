/* core_err.c - error descriptions. */
#include <stdio.h>

#include "core.h"

static int err_vset(struct pg_err *err, int code, const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	pg_strlcpy(err->field, field ? field : "", sizeof(err->field));
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int pg_err_set(struct pg_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int pg_err_field(struct pg_err *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, code, field, fmt, ap);
	va_end(ap);
	return code;
}

const char *pg_errc_name(int code)
{
	switch (code) {
	case PG_OK: return "ok";
	case PG_EINVAL: return "invalid";
	case PG_ENOTFOUND: return "not found";
	case PG_ECONFLICT: return "conflict";
	case PG_EDENIED: return "denied";
	case PG_EAUTH: return "unauthenticated";
	case PG_ELOCKED: return "locked";
	case PG_ELIMIT: return "over limit";
	case PG_EIO: return "i/o failure";
	case PG_EUNPROCESSABLE: return "unprocessable";
	}
	return "error";
}
