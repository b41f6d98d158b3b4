/* access_admin.h - the value checks of the access administration routes
 * (access_admin.c), shared with the CSV import (access_import.c) and the unit tests.
 *
 * Every check returns 0 when the value is acceptable, or a negative code with err naming
 * `field`:
 *   PG_EINVAL          the value is malformed: wrong JSON type, syntax or structure
 *                      (HTTP 400 bad-field);
 *   PG_EUNPROCESSABLE  it is well-formed but not acceptable: an unknown name in a fixed
 *                      list, a number out of range, an empty time span (HTTP 422).
 * Nothing is consumed: json values are borrowed. Output parameters are written only on
 * success. */
#ifndef PG_ACCESS_ADMIN_H
#define PG_ACCESS_ADMIN_H

#include <jansson.h>

#include "../core/core.h"

#define ACCESS_UID_MAX  32  /* card UID: 4-32 hex digits */
#define ACCESS_QUAL_MAX 64  /* qualification name: 1-64 of [a-z0-9_] */
#define ACCESS_TEXT_MAX 100 /* names, employer, document type and number */

/* A GeoJSON Polygon object (RFC 7946 3.1.6): {"type": "Polygon", "coordinates": rings}
 * with 1-64 linear rings, each of at least 4 positions [lon, lat] (an optional third
 * number, the altitude, is allowed), the first equal to the last, lon in -180..180 and lat
 * in -90..90; at most 10000 positions in all. A "bbox" member of numbers is allowed; other
 * members are refused. All problems are PG_EINVAL. */
int access_geometry_check(const json_t *v, const char *field, struct pg_err *err);

/* An access group schedule: the string "always", or an object whose keys are among mon,
 * tue, wed, thu, fri, sat, sun (absent days: no access), each an array of at most 16
 * spans ["HH:MM", "HH:MM"] in the daemon's local time (00:00-23:59; the end may be
 * "24:00"). PG_EINVAL for the shape, PG_EUNPROCESSABLE for a span whose start is not
 * before its end. */
int access_schedule_check(const json_t *v, const char *field, struct pg_err *err);

/* Holidays: an array of at most 1000 real calendar dates "YYYY-MM-DD". PG_EINVAL. */
int access_holidays_check(const json_t *v, const char *field, struct pg_err *err);

/* Levels: a non-empty array of the security levels 1, 2, 3 a group is valid at, into
 * *mask (bit 0 = level 1). PG_EINVAL if not an array of whole numbers, PG_EUNPROCESSABLE
 * if empty or holding anything but 1, 2, 3. */
int access_levels_mask(const json_t *v, const char *field, int *mask, struct pg_err *err);

/* A card UID as read: 4-32 hex digits, written upper-cased into out. PG_EINVAL. */
int access_uid_normalise(const char *uid, const char *field, char out[ACCESS_UID_MAX + 1],
                         struct pg_err *err);

/* A PIN: 4-8 decimal digits. PG_EINVAL. */
int access_pin_check_format(const char *pin, const char *field, struct pg_err *err);

/* 1 if name is a qualification name: 1-64 of a-z, 0-9, '_'. */
int access_qual_name_ok(const char *name);

/* Free text (a name, an employer, a document number): valid UTF-8 of at most maxlen bytes
 * without control characters, and, when required, not blank. PG_EINVAL. */
int access_text_check(const char *s, const char *field, size_t maxlen, int required,
                      struct pg_err *err);

/* The index of s in a NULL-terminated list of names, or -1. */
int access_name_index(const char *s, const char *const *names);

/* The person kinds, in the schema's order, NULL-terminated. */
extern const char *const access_person_kinds[];

#endif
