/* access_admin.c - the administration routes of access control: zones, readers, people,
 * credentials, group memberships, qualifications and access groups.
 *
 * Most routes are one generic create / update / get / list over a table of entities
 * (struct entity): each names its SQL, a check of what the write depends on, and how to
 * save a row. A request body is first turned into a change set by parse_body(), driven by
 * a table of field specs (struct fspec), outside the store's writer; the write then loads
 * the row, applies the changes, checks the merged row against the store and saves it,
 * audits it and publishes it on topic "access" - all in one store_write.
 *
 * Answers: a malformed value (wrong type, syntax, structure) is 400 bad-field naming the
 * field; a well-formed value that is not acceptable (unknown name in a fixed list, a
 * number out of range, an unknown referenced id, a cycle, the visitor rules) is 422
 * unprocessable naming the field; 404 is only for the objects named in the path. */
#include <stdlib.h>
#include <string.h>

#include "access_admin.h"
#include "access_int.h"

#define ADM  (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO))
#define GATE (ADM | ROLE_BIT(ROLE_GATE))
#define READ (ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE))
#define QUAL (ADM | ROLE_BIT(ROLE_TRAINER))

#define MAX_QUALS     32    /* required qualifications of a zone */
#define MAX_IDS       1000  /* zones of a group, essential zones of a person */
#define MAX_RINGS     64    /* geometry */
#define MAX_POSITIONS 10000 /* geometry, all rings */
#define MAX_SPANS     16    /* schedule spans per day */
#define MAX_HOLIDAYS  1000
#define MAX_CAPACITY  1000000
#define MAX_QUERY     100 /* ?q= */

static const char *const zone_kinds[] = {"public", "controlled", "restricted", "high_security",
                                         NULL};
static const char *const apb_modes[] = {"none", "soft", "hard", NULL};
static const char *const reader_kinds[] = {"door",         "turnstile", "pedestrian_gate",
                                           "vehicle_gate", "muster",    NULL};
const char *const access_person_kinds[] = {"employee", "contractor", "visitor", "crew",
                                           "driver",   "authority",  NULL};
static const char *const cred_statuses[] = {"active", "suspended", "lost",
                                            "stolen", "revoked",   NULL};
static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

/* ---- value checks (access_admin.h) ------------------------------------------------------ */

int access_name_index(const char *s, const char *const *names)
{
	for (int i = 0; s && names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* "a, b or c" for a NULL-terminated list. */
static const char *names_list(const char *const *names, char *out, size_t n)
{
	struct pg_buf b;
	pg_buf_init(&b, n - 1);
	for (int i = 0; names[i]; i++)
		pg_buf_printf(&b, "%s%s", i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);
	pg_strlcpy(out, b.p ? b.p : "", n);
	pg_buf_release(&b);
	return out;
}

int access_text_check(const char *s, const char *field, size_t maxlen, int required,
                      struct pg_err *err)
{
	size_t n = strlen(s);
	if (n > maxlen)
		return pg_err_field(err, PG_EINVAL, field, "%s is longer than %zu bytes", field,
		                    maxlen);
	int blank = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s contains a control character", field);
		blank &= c == ' ';
	}
	if (required && blank)
		return pg_err_field(err, PG_EINVAL, field, "%s must not be empty", field);
	char *copy = pg_strndup(s, n);
	pg_utf8_sanitize(copy);
	int same = memcmp(copy, s, n) == 0;
	pg_free(copy);
	if (!same)
		return pg_err_field(err, PG_EINVAL, field, "%s is not valid UTF-8", field);
	return 0;
}

int access_uid_normalise(const char *uid, const char *field, char out[ACCESS_UID_MAX + 1],
                         struct pg_err *err)
{
	size_t n = strlen(uid);
	char tmp[ACCESS_UID_MAX + 1];
	int ok = n >= 4 && n <= ACCESS_UID_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		char c = uid[i];
		if (c >= 'a' && c <= 'f')
			c = (char)(c - 'a' + 'A');
		ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
		tmp[i] = c;
	}
	if (!ok)
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be 4 to 32 hex digits (0-9, A-F), as the card is read",
		                    field);
	tmp[n] = '\0';
	memcpy(out, tmp, n + 1);
	return 0;
}

int access_pin_check_format(const char *pin, const char *field, struct pg_err *err)
{
	size_t n = strlen(pin);
	int ok = n >= 4 && n <= 8;
	for (size_t i = 0; ok && i < n; i++)
		ok = pin[i] >= '0' && pin[i] <= '9';
	return ok ? 0 : pg_err_field(err, PG_EINVAL, field, "%s must be 4 to 8 digits", field);
}

int access_qual_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > ACCESS_QUAL_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* One GeoJSON position [lon, lat] or [lon, lat, alt]. */
static int position_check(const json_t *p, const char *where, struct pg_err *err, const char *field)
{
	size_t n = json_array_size(p);
	if (!json_is_array(p) || n < 2 || n > 3)
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be a position [longitude, latitude]", where);
	for (size_t i = 0; i < n; i++)
		if (!json_is_number(json_array_get(p, i)))
			return pg_err_field(err, PG_EINVAL, field, "%s holds a non-number", where);
	double lon = json_number_value(json_array_get(p, 0));
	double lat = json_number_value(json_array_get(p, 1));
	if (lon < -180.0 || lon > 180.0)
		return pg_err_field(err, PG_EINVAL, field, "%s: longitude %g is outside -180..180",
		                    where, lon);
	if (lat < -90.0 || lat > 90.0)
		return pg_err_field(err, PG_EINVAL, field, "%s: latitude %g is outside -90..90",
		                    where, lat);
	return 0;
}

static int same_position(const json_t *a, const json_t *b)
{
	if (json_array_size(a) != json_array_size(b))
		return 0;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_number_value(json_array_get(a, i)) !=
		    json_number_value(json_array_get(b, i)))
			return 0;
	return 1;
}

int access_geometry_check(const json_t *v, const char *field, struct pg_err *err)
{
	if (!json_is_object(v))
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be a GeoJSON Polygon object {\"type\": \"Polygon\", "
		                    "\"coordinates\": [...]}",
		                    field);
	const char *key;
	json_t *m;
	json_object_foreach((json_t *)v, key, m)
	{
		if (strcmp(key, "type") != 0 && strcmp(key, "coordinates") != 0 &&
		    strcmp(key, "bbox") != 0)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s: unknown member '%.64s' (a Polygon has type, "
			                    "coordinates and bbox)",
			                    field, key);
	}
	const char *type = json_string_value(json_object_get(v, "type"));
	if (!type || strcmp(type, "Polygon") != 0)
		return pg_err_field(err, PG_EINVAL, field, "%s.type must be \"Polygon\"", field);
	json_t *bbox = json_object_get(v, "bbox");
	if (bbox) {
		size_t n = json_array_size(bbox);
		int ok = json_is_array(bbox) && (n == 4 || n == 6);
		for (size_t i = 0; ok && i < n; i++)
			ok = json_is_number(json_array_get(bbox, i));
		if (!ok)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s.bbox must be an array of 4 or 6 numbers", field);
	}
	json_t *rings = json_object_get(v, "coordinates");
	size_t nrings = json_array_size(rings), total = 0;
	if (!json_is_array(rings) || nrings == 0 || nrings > MAX_RINGS)
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s.coordinates must be an array of 1 to %d linear rings",
		                    field, MAX_RINGS);
	for (size_t i = 0; i < nrings; i++) {
		json_t *ring = json_array_get(rings, i);
		size_t n = json_array_size(ring);
		char where[96];
		if (!json_is_array(ring) || n < 4)
			return pg_err_field(
			    err, PG_EINVAL, field,
			    "%s.coordinates[%zu] must be a linear ring of at least 4 "
			    "positions",
			    field, i);
		total += n;
		if (total > MAX_POSITIONS)
			return pg_err_field(err, PG_EINVAL, field, "%s has more than %d positions",
			                    field, MAX_POSITIONS);
		for (size_t j = 0; j < n; j++) {
			pg_snprintf(where, sizeof(where), "%s.coordinates[%zu][%zu]", field, i, j);
			int rc = position_check(json_array_get(ring, j), where, err, field);
			if (rc < 0)
				return rc;
		}
		if (!same_position(json_array_get(ring, 0), json_array_get(ring, n - 1)))
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s.coordinates[%zu] is not closed: its first and last "
			                    "positions differ",
			                    field, i);
	}
	return 0;
}

/* "HH:MM" into minutes of the day; "24:00" only as an end. */
static int hhmm(const json_t *v, int end, int *out)
{
	const char *s = json_string_value(v);
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	*out = h * 60 + m;
	return 0;
}

int access_schedule_check(const json_t *v, const char *field, struct pg_err *err)
{
	if (json_is_string(v) && strcmp(json_string_value(v), "always") == 0)
		return 0;
	if (!json_is_object(v))
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be \"always\" or an object of days, e.g. "
		                    "{\"mon\": [[\"06:00\", \"18:00\"]]}",
		                    field);
	const char *day;
	json_t *spans;
	json_object_foreach((json_t *)v, day, spans)
	{
		if (access_name_index(day, day_names) < 0)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s: unknown day '%.16s' (use mon, tue, wed, thu, fri, "
			                    "sat, sun)",
			                    field, day);
		if (!json_is_array(spans) || json_array_size(spans) > MAX_SPANS)
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s.%s must be an array of at most %d spans "
			                    "[\"HH:MM\", \"HH:MM\"]",
			                    field, day, MAX_SPANS);
		size_t i;
		json_t *span;
		json_array_foreach(spans, i, span)
		{
			int a, b;
			if (!json_is_array(span) || json_array_size(span) != 2 ||
			    hhmm(json_array_get(span, 0), 0, &a) < 0 ||
			    hhmm(json_array_get(span, 1), 1, &b) < 0)
				return pg_err_field(err, PG_EINVAL, field,
				                    "%s.%s[%zu] must be [\"HH:MM\", \"HH:MM\"] "
				                    "(00:00 to 23:59; the end may be 24:00)",
				                    field, day, i);
			if (a >= b)
				return pg_err_field(
				    err, PG_EUNPROCESSABLE, field,
				    "%s.%s[%zu]: the start %s is not before the end %s", field, day,
				    i, json_string_value(json_array_get(span, 0)),
				    json_string_value(json_array_get(span, 1)));
		}
	}
	return 0;
}

static int date_ok(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int access_holidays_check(const json_t *v, const char *field, struct pg_err *err)
{
	if (!json_is_array(v) || json_array_size(v) > MAX_HOLIDAYS)
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be an array of at most %d dates \"YYYY-MM-DD\"", field,
		                    MAX_HOLIDAYS);
	size_t i;
	json_t *d;
	json_array_foreach(v, i, d)
	{
		if (!date_ok(json_string_value(d)))
			return pg_err_field(err, PG_EINVAL, field,
			                    "%s[%zu] is not a calendar date \"YYYY-MM-DD\"", field,
			                    i);
	}
	return 0;
}

int access_levels_mask(const json_t *v, const char *field, int *mask, struct pg_err *err)
{
	if (!json_is_array(v))
		return pg_err_field(err, PG_EINVAL, field,
		                    "%s must be an array of security levels, e.g. [1, 2]", field);
	if (json_array_size(v) == 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, field,
		                    "%s must name at least one security level (1, 2, 3)", field);
	int m = 0;
	size_t i;
	json_t *l;
	json_array_foreach(v, i, l)
	{
		if (!json_is_integer(l))
			return pg_err_field(err, PG_EINVAL, field, "%s[%zu] must be a whole number",
			                    field, i);
		json_int_t x = json_integer_value(l);
		if (x < 1 || x > 3)
			return pg_err_field(err, PG_EUNPROCESSABLE, field,
			                    "%s[%zu]: %lld is not a security level (1, 2, 3)",
			                    field, i, (long long)x);
		m |= 1 << (x - 1);
	}
	*mask = m;
	return 0;
}

/* ---- request bodies: field specs and change sets ------------------------------------------ */

enum fkind {
	FK_NAME,     /* text that must not be blank */
	FK_TEXT,     /* optional text; "" is stored as null */
	FK_ENUM,     /* one of spec->values */
	FK_REF,      /* the id of another object (that it exists is checked in the write) */
	FK_COUNT,    /* a whole number above 0 */
	FK_BOOL,     /* stored as 0 / 1 */
	FK_TIME,     /* RFC 3339 -> ms since the epoch */
	FK_QUALS,    /* an array of qualification names */
	FK_IDS,      /* an array of ids (existence checked in the write) */
	FK_GEOMETRY, /* a GeoJSON Polygon */
	FK_SCHEDULE,
	FK_HOLIDAYS,
	FK_LEVELS, /* an array of levels -> a bitmask */
	FK_UID,    /* a card UID -> upper-case hex */
	FK_PIN,    /* 4-8 digits -> a salted hash */
};

/* One body field: how to check it and where it goes in the change set. */
struct fspec {
	const char *name; /* in the request body */
	const char *key;  /* in the change set: the row as the entity loads it */
	enum fkind kind;
	int nullable;              /* null clears it */
	const char *const *values; /* FK_ENUM: the names allowed */
	unsigned roles;            /* 0: whoever may use the route; else only these roles */
};

static const struct http_field *field_row(const struct http_field *rows, const char *name)
{
	for (; rows && rows->name; rows++)
		if (strcmp(rows->name, name) == 0)
			return rows;
	return NULL;
}

static int type_error(struct pg_err *err, const char *field, const char *what)
{
	return pg_err_field(err, PG_EINVAL, field, "field '%s' must be %s", field, what);
}

/* An array of ids (deduplicated) or qualification names (deduplicated). */
static int parse_list(const struct fspec *f, const json_t *v, json_t **out, struct pg_err *err)
{
	int ids = f->kind == FK_IDS;
	size_t max = ids ? MAX_IDS : MAX_QUALS;
	if (!json_is_array(v) || json_array_size(v) > max)
		return pg_err_field(err, PG_EINVAL, f->name,
		                    "field '%s' must be an array of at "
		                    "most %zu %s",
		                    f->name, max, ids ? "ids" : "qualification names");
	json_t *list = json_array();
	size_t i, j;
	json_t *x, *y;
	json_array_foreach(v, i, x)
	{
		if (ids ? !json_is_integer(x)
		        : !json_is_string(x) || !access_qual_name_ok(json_string_value(x))) {
			json_decref(list);
			return pg_err_field(
			    err, PG_EINVAL, f->name,
			    ids ? "%s[%zu] must be an id (a whole number)"
			        : "%s[%zu] must be a qualification name: 1 to 64 of "
			          "a-z, 0-9, '_'",
			    f->name, i);
		}
		int dup = 0;
		json_array_foreach(list, j, y)
		{
			dup |= json_equal(x, y);
		}
		if (!dup)
			json_array_append(list, x);
	}
	*out = list;
	return 0;
}

/* Checks one non-null value and converts it for the change set (*out: a new reference). */
static int parse_value(const struct fspec *f, const json_t *v, size_t maxlen, json_t **out,
                       struct pg_err *err)
{
	const char *s = json_string_value(v);
	char buf[100];
	int rc = 0, mask = 0;
	int64_t ms = 0;
	switch (f->kind) {
	case FK_NAME:
	case FK_TEXT:
		if (!s || strlen(s) != json_string_length(v))
			return type_error(err, f->name, "a string without NUL characters");
		if ((rc = access_text_check(s, f->name, maxlen, f->kind == FK_NAME, err)) < 0)
			return rc;
		*out = f->kind == FK_TEXT && !*s ? json_null() : json_string(s);
		return 0;
	case FK_ENUM:
		if (!s)
			return type_error(err, f->name, "a string");
		if (access_name_index(s, f->values) < 0) {
			char names[200];
			return pg_err_field(err, PG_EUNPROCESSABLE, f->name,
			                    "unknown %s '%.64s': use %s", f->name, s,
			                    names_list(f->values, names, sizeof(names)));
		}
		*out = json_string(s);
		return 0;
	case FK_REF:
	case FK_COUNT:
		if (!json_is_integer(v))
			return type_error(err, f->name, "a whole number");
		if (f->kind == FK_COUNT &&
		    (json_integer_value(v) < 1 || json_integer_value(v) > MAX_CAPACITY))
			return pg_err_field(err, PG_EUNPROCESSABLE, f->name,
			                    "%s must be from 1 to %d (or null for none)", f->name,
			                    MAX_CAPACITY);
		*out = json_integer(json_integer_value(v));
		return 0;
	case FK_BOOL:
		if (!json_is_boolean(v))
			return type_error(err, f->name, "true or false");
		*out = json_integer(json_is_true(v));
		return 0;
	case FK_TIME:
		if (!s || pg_time_parse(s, &ms) < 0)
			return pg_err_field(err, PG_EINVAL, f->name,
			                    "%s must be an RFC 3339 time such as "
			                    "2026-12-31T18:00:00Z, or null",
			                    f->name);
		*out = json_integer(ms);
		return 0;
	case FK_QUALS:
	case FK_IDS:
		return parse_list(f, v, out, err);
	case FK_GEOMETRY:
		rc = access_geometry_check(v, f->name, err);
		break;
	case FK_SCHEDULE:
		rc = access_schedule_check(v, f->name, err);
		break;
	case FK_HOLIDAYS:
		rc = access_holidays_check(v, f->name, err);
		break;
	case FK_LEVELS:
		if ((rc = access_levels_mask(v, f->name, &mask, err)) < 0)
			return rc;
		*out = json_integer(mask);
		return 0;
	case FK_UID:
		if (!s)
			return type_error(err, f->name, "a string");
		if ((rc = access_uid_normalise(s, f->name, buf, err)) < 0)
			return rc;
		*out = json_string(buf);
		return 0;
	case FK_PIN:
		if (!s)
			return type_error(err, f->name, "a string");
		if ((rc = access_pin_check_format(s, f->name, err)) < 0)
			return rc;
		access_pin_hash(s, buf);
		*out = json_string(buf);
		return 0;
	}
	if (rc < 0)
		return rc;
	*out = json_deep_copy(v);
	return 0;
}

/* Turns a request body into a change set {key: value}: every field must have a row in
 * rows (the route's) and a spec; values are checked and converted. Fields limited to some
 * roles are refused (PG_EDENIED) before anything else is looked at. */
static int parse_body(const json_t *body, const struct http_field *rows, const struct fspec *spec,
                      enum pg_role role, json_t **out, struct pg_err *err)
{
	const char *name;
	json_t *v;
	const struct fspec *f;
	for (f = spec; f && f->name; f++) {
		if (f->roles && !(f->roles & ROLE_BIT(role)) && json_object_get(body, f->name)) {
			char roles[160];
			auth_roles_format(f->roles, roles, sizeof(roles));
			return pg_err_field(err, PG_EDENIED, f->name,
			                    "role '%s' may not set %s (allowed: %s)",
			                    auth_role_name(role), f->name, roles);
		}
	}
	json_t *chg = json_object();
	int rc = 0;
	json_object_foreach((json_t *)body, name, v)
	{
		const struct http_field *row = field_row(rows, name);
		for (f = spec; f && f->name && strcmp(f->name, name) != 0; f++)
			;
		if (!row || !f || !f->name) {
			rc = pg_err_field(err, PG_EINVAL, name, "unknown field '%.64s'", name);
			goto out;
		}
		json_t *val = NULL;
		if (json_is_null(v)) {
			if (!f->nullable) {
				rc = pg_err_field(err, PG_EINVAL, name,
				                  "field '%s' must not be null", name);
				goto out;
			}
			val = json_null();
		} else if ((rc = parse_value(
		                f, v, row->maxlen > 0 ? (size_t)row->maxlen : ACCESS_TEXT_MAX, &val,
		                err)) < 0) {
			goto out;
		}
		json_object_set_new(chg, f->key, val);
	}
	for (const struct http_field *r = rows; r && r->name; r++) {
		if (r->required && !json_object_get(body, r->name)) {
			rc = pg_err_field(err, PG_EINVAL, r->name, "field '%s' is required",
			                  r->name);
			goto out;
		}
	}
	*out = chg;
	chg = NULL;
out:
	json_decref(chg);
	return rc;
}

/* ---- rows ------------------------------------------------------------------------------- */

/* 1 if the change set sets key to a value (not null). */
static int given(const json_t *chg, const char *key)
{
	json_t *v = json_object_get(chg, key);
	return v && !json_is_null(v);
}

static int64_t jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* JSON text of a value for a TEXT column (malloc'd), or NULL for absent / null. */
static char *jdump(const json_t *v)
{
	return v && !json_is_null(v) ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static json_t *levels_array(int mask)
{
	json_t *a = json_array();
	for (int l = 1; l <= 3; l++)
		if (mask & (1 << (l - 1)))
			json_array_append_new(a, json_integer(l));
	return a;
}

/* Turns rows as stored into their API form, in place and recursively: "x_ms" numbers
 * become "x" RFC 3339 times (null stays null), 0/1 flags become booleans and a levels
 * bitmask becomes [1, 2, 3]. Geometry is left alone. */
static void view_fix(json_t *o)
{
	static const char *const flags[] = {"watchlisted", "has_pin", NULL};
	size_t i;
	json_t *v;
	if (json_is_array(o)) {
		json_array_foreach(o, i, v)
		{
			view_fix(v);
		}
		return;
	}
	if (!json_is_object(o))
		return;
	json_t *times = json_object();
	const char *k;
	void *tmp;
	json_object_foreach_safe(o, tmp, k, v)
	{
		size_t n = strlen(k);
		if (n > 3 && n < 64 && strcmp(k + n - 3, "_ms") == 0) {
			char name[64], at[PG_TIME_LEN];
			pg_snprintf(name, sizeof(name), "%.*s", (int)(n - 3), k);
			if (json_is_integer(v))
				pg_time_format(json_integer_value(v), at);
			json_object_set_new(times, name,
			                    json_is_integer(v) ? json_string(at) : json_null());
			json_object_del(o, k);
		} else if (access_name_index(k, flags) >= 0 && json_is_integer(v)) {
			json_object_set_new(o, k, json_boolean(json_integer_value(v)));
		} else if (strcmp(k, "levels") == 0 && json_is_integer(v)) {
			json_object_set_new(o, k, levels_array((int)json_integer_value(v)));
		} else if (strcmp(k, "geometry") != 0) {
			view_fix(v);
		}
	}
	json_object_update(o, times);
	json_decref(times);
}

/* 1 if a row with this id is in table (a constant of this file), 0 if not. */
static int row_exists(struct store_tx *tx, const char *table, int64_t id, struct pg_err *err)
{
	char sql[96];
	struct store_rows *r = NULL;
	pg_snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE id = ?1", table);
	int rc = store_query(tx, &r, err, sql, "i", id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading %s failed", table) : rc;
}

/* A referenced id must exist: 422 naming the field otherwise. */
static int must_exist(struct store_tx *tx, const char *table, const char *what, int64_t id,
                      const char *field, struct pg_err *err)
{
	int rc = row_exists(tx, table, id, err);
	if (rc == 0)
		rc = pg_err_field(err, PG_EUNPROCESSABLE, field, "%s: no %s with id %lld", field,
		                  what, (long long)id);
	return rc < 0 ? rc : 0;
}

static int all_exist(struct store_tx *tx, const json_t *ids, const char *table, const char *what,
                     const char *field, struct pg_err *err)
{
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		int rc = must_exist(tx, table, what, json_integer_value(id), field, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Replaces the set of ids linked to owner in a link table (constants of this file). */
static int replace_links(struct store_tx *tx, const char *table, const char *owner_col,
                         const char *id_col, int64_t owner, const json_t *ids, struct pg_err *err)
{
	char sql[160];
	pg_snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ?1", table, owner_col);
	int rc = store_exec(tx, err, sql, "i", owner);
	pg_snprintf(sql, sizeof(sql), "INSERT INTO %s(%s, %s) VALUES (?1, ?2)", table, owner_col,
	            id_col);
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		if (rc < 0)
			break;
		rc = store_exec(tx, err, sql, "ii", owner, (int64_t)json_integer_value(id));
	}
	return rc;
}

/* The ids linked to owner, as an array (added to row under key). */
static int add_links(struct store_tx *tx, json_t *row, const char *key, const char *sql,
                     int64_t owner, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, sql, "i", owner);
	if (rc < 0)
		return rc;
	json_t *a = json_array();
	while ((rc = store_next(r)) == 1)
		json_array_append_new(a, json_integer(store_int(r, 0)));
	store_rows_free(r);
	json_object_set_new(row, key, a);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading %s failed", key) : 0;
}

/* The one row a query returns (a new reference), or PG_ENOTFOUND with msg. */
static int one_row(struct store_tx *tx, json_t **out, struct pg_err *err, const char *sql,
                   int64_t id, const char *what)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err, sql, "i", id);
	if (rc < 0)
		return rc;
	json_t *row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!row)
		return pg_err_set(err, PG_ENOTFOUND, "no %s with id %lld", what, (long long)id);
	*out = row;
	return 0;
}

/* "First Last" of a person, or PG_ENOTFOUND. */
static int person_title(struct store_tx *tx, int64_t id, char *out, size_t n, struct pg_err *err)
{
	json_t *p = NULL;
	int rc = one_row(tx, &p, err, "SELECT first_name, last_name FROM people WHERE id = ?1", id,
	                 "person");
	if (rc < 0)
		return rc;
	access_person_name(jstr(p, "first_name"), jstr(p, "last_name"), out, n);
	json_decref(p);
	return 0;
}

/* ---- writes: one context, audit and event ------------------------------------------------ */

struct entity;

struct op {
	const struct entity *e;
	const struct fspec *spec;
	struct access *a;
	const char *actor;
	int64_t id;    /* the object in the path; 0 while creating, then the new id */
	int64_t owner; /* POST /people/{id}/credentials: the person */
	int64_t id2;   /* the group in a membership path */
	char name[ACCESS_QUAL_MAX + 1]; /* the qualification in the path */
	json_t *chg;                    /* the change set */
	json_t *out;                    /* the answer */
};

/* Audits one change (details: what changed, borrowed), publishes it on topic "access" and
 * tells the decision engine to reload after commit. The event names the fields that
 * changed, not their values: every role may read the event stream. */
static int record(struct store_tx *tx, const struct op *c, const char *action, const char *object,
                  int64_t id, json_t *details, struct pg_err *err)
{
	int rc = store_audit(tx, c->actor, action, object, details, err);
	if (rc < 0)
		return rc;
	json_t *fields = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(details, k, v)
	{
		json_array_append_new(fields, json_string(k));
	}
	json_t *ev = json_pack("{ss sI ss ss so}", "action", action, "id", (json_int_t)id, "name",
	                       object, "by", c->actor, "fields", fields);
	int64_t eid = store_event(tx, "access", ev, err);
	json_decref(ev);
	if (eid < 0)
		return (int)eid;
	access_changed(tx, c->a);
	return 0;
}

/* The audit details of a change set: its values in API form; a PIN only as "set" or
 * "removed"; a status as {from, to}. */
static json_t *audit_details(const json_t *chg, const json_t *cur)
{
	json_t *d = json_deep_copy(chg);
	json_t *pin = json_object_get(d, "pin_hash");
	if (pin) {
		json_object_set_new(d, "pin", json_string(json_is_null(pin) ? "removed" : "set"));
		json_object_del(d, "pin_hash");
	}
	const char *to = jstr(d, "status"), *from = jstr(cur, "status");
	if (to && from)
		json_object_set_new(d, "status", json_pack("{ss ss}", "from", from, "to", to));
	view_fix(d);
	return d;
}

/* ---- entities ------------------------------------------------------------------------------ */

struct entity {
	const char *noun;   /* audit actions <noun>.create and <noun>.update */
	const char *what;   /* in messages: "no <what> with id 4" */
	const char *select; /* the API columns, for views and lists: "SELECT ... FROM t" */
	/* The columns a write merges into ("SELECT ... WHERE id = ?1"), or NULL: select. */
	const char *stored;
	const char *unique;   /* the field a UNIQUE conflict is about, or NULL */
	const char *defaults; /* JSON: the row a create starts from */
	/* Adds what is not a column (full: for a single object rather than a list item). */
	int (*decorate)(struct store_tx *tx, json_t *row, int full, struct pg_err *err);
	/* Checks the merged row m against the store; cur is NULL while creating. May adjust m. */
	int (*check)(struct store_tx *tx, struct op *c, const json_t *cur, json_t *m,
	             struct pg_err *err);
	/* Inserts (c->id == 0: sets c->id) or updates the row. */
	int (*save)(struct store_tx *tx, struct op *c, const json_t *m, const char *now,
	            struct pg_err *err);
	/* The audit object of a row. */
	void (*title)(const json_t *m, char *out, size_t n);
};

static void title_name(const json_t *m, char *out, size_t n)
{
	pg_strlcpy(out, jstr(m, "name") ? jstr(m, "name") : "?", n);
}

/* The API view of one object (a new reference). */
static int entity_view(struct store_tx *tx, const struct entity *e, int64_t id, json_t **out,
                       struct pg_err *err)
{
	char sql[600];
	json_t *row = NULL;
	pg_snprintf(sql, sizeof(sql), "%s WHERE id = ?1", e->select);
	int rc = one_row(tx, &row, err, sql, id, e->what);
	if (rc == 0 && e->decorate)
		rc = e->decorate(tx, row, 1, err);
	if (rc < 0) {
		json_decref(row);
		return rc;
	}
	view_fix(row);
	*out = row;
	return 0;
}

/* -- zones -- */

static int zone_decorate(struct store_tx *tx, json_t *row, int full, struct pg_err *err)
{
	if (!full)
		return 0;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT count(*) FROM occupancy WHERE zone_id = ?1", "i",
	                     (int64_t)jint(row, "id"));
	if (rc < 0)
		return rc;
	if ((rc = store_next(r)) == 1)
		json_object_set_new(row, "occupancy", json_integer(store_int(r, 0)));
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading the occupancy failed") : 0;
}

/* 1 if zone anc is zone z or one of its ancestors. UNION ends the walk on a cycle. */
static int zone_is_within(struct store_tx *tx, int64_t z, int64_t anc, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "WITH RECURSIVE up(id) AS (SELECT ?1 UNION SELECT z.parent_id FROM "
	                     "zones z JOIN up ON z.id = up.id WHERE z.parent_id IS NOT NULL) "
	                     "SELECT 1 FROM up WHERE id = ?2",
	                     "ii", z, anc);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: walking the zone tree failed") : rc;
}

static int zone_check(struct store_tx *tx, struct op *c, const json_t *cur, json_t *m,
                      struct pg_err *err)
{
	(void)cur;
	(void)m;
	int64_t parent = jint(c->chg, "parent_id");
	if (!given(c->chg, "parent_id"))
		return 0;
	int rc = must_exist(tx, "zones", "zone", parent, "parent_id", err);
	if (rc == 0 && c->id && (rc = zone_is_within(tx, parent, c->id, err)) == 1)
		rc = pg_err_field(err, PG_EUNPROCESSABLE, "parent_id",
		                  "parent_id: zone %lld would become its own ancestor",
		                  (long long)c->id);
	return rc < 0 ? rc : 0;
}

static int zone_save(struct store_tx *tx, struct op *c, const json_t *m, const char *now,
                     struct pg_err *err)
{
	char *quals = jdump(json_object_get(m, "required_qualifications"));
	char *geo = jdump(json_object_get(m, "geometry"));
	int rc;
	if (!c->id) {
		rc = store_exec(tx, err,
		                "INSERT INTO zones(name, kind, parent_id, capacity, anti_passback, "
		                "required_quals, geometry, created_at, updated_at) VALUES (?1, ?2, "
		                "NULLIF(?3, 0), NULLIF(?4, 0), ?5, ?6, ?7, ?8, ?8)",
		                "ttiitttt", jstr(m, "name"), jstr(m, "kind"), jint(m, "parent_id"),
		                jint(m, "capacity"), jstr(m, "anti_passback"), quals ? quals : "[]",
		                geo, now);
		c->id = rc < 0 ? 0 : store_last_id(tx);
	} else {
		rc =
		    store_exec(tx, err,
		               "UPDATE zones SET name = ?1, kind = ?2, parent_id = NULLIF(?3, 0), "
		               "capacity = NULLIF(?4, 0), anti_passback = ?5, required_quals = ?6, "
		               "geometry = ?7, updated_at = ?8 WHERE id = ?9",
		               "ttiitttti", jstr(m, "name"), jstr(m, "kind"), jint(m, "parent_id"),
		               jint(m, "capacity"), jstr(m, "anti_passback"), quals ? quals : "[]",
		               geo, now, c->id);
	}
	free(quals);
	free(geo);
	return rc;
}

/* -- readers -- */

static int reader_check(struct store_tx *tx, struct op *c, const json_t *cur, json_t *m,
                        struct pg_err *err)
{
	(void)cur;
	(void)m;
	static const char *const refs[] = {"from_zone_id", "to_zone_id"};
	for (int i = 0; i < 2; i++) {
		json_t *z = json_object_get(c->chg, refs[i]);
		int rc =
		    z ? must_exist(tx, "zones", "zone", json_integer_value(z), refs[i], err) : 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int reader_save(struct store_tx *tx, struct op *c, const json_t *m, const char *now,
                       struct pg_err *err)
{
	int rc;
	if (!c->id) {
		rc = store_exec(
		    tx, err,
		    "INSERT INTO readers(name, kind, from_zone_id, to_zone_id, created_at, "
		    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
		    "ttiit", jstr(m, "name"), jstr(m, "kind"), jint(m, "from_zone_id"),
		    jint(m, "to_zone_id"), now);
		c->id = rc < 0 ? 0 : store_last_id(tx);
		return rc;
	}
	return store_exec(
	    tx, err,
	    "UPDATE readers SET name = ?1, kind = ?2, from_zone_id = ?3, to_zone_id = "
	    "?4, updated_at = ?5 WHERE id = ?6",
	    "ttiiti", jstr(m, "name"), jstr(m, "kind"), jint(m, "from_zone_id"),
	    jint(m, "to_zone_id"), now, c->id);
}

/* -- people -- */

static int person_location(struct store_tx *tx, json_t *row, int64_t id, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc =
	    store_query_json(tx, &rows, err,
	                     "SELECT o.zone_id, z.name, o.reader_id, o.since_ms FROM occupancy o "
	                     "JOIN zones z ON z.id = o.zone_id WHERE o.person_id = ?1",
	                     "i", id);
	if (rc < 0)
		return rc;
	json_t *o = json_array_get(rows, 0), *loc = json_null();
	if (o)
		loc = json_pack("{s{sO sO} sO sO}", "zone", "id", json_object_get(o, "zone_id"),
		                "name", json_object_get(o, "name"), "reader_id",
		                json_object_get(o, "reader_id"), "since_ms",
		                json_object_get(o, "since_ms"));
	json_object_set_new(row, "location", loc);
	json_decref(rows);
	return 0;
}

static int person_decorate(struct store_tx *tx, json_t *row, int full, struct pg_err *err)
{
	static const struct {
		const char *key, *sql;
	} parts[] = {
	    {"credentials",
	     "SELECT id, uid, status, pin_hash IS NOT NULL AS has_pin, valid_from_ms, "
	     "valid_until_ms, created_at, updated_at FROM credentials WHERE person_id = ?1 "
	     "ORDER BY id"},
	    {"groups",
	     "SELECT g.id, g.name, pg.until_ms FROM person_groups pg JOIN access_groups g ON "
	     "g.id = pg.group_id WHERE pg.person_id = ?1 ORDER BY g.id"},
	    {"qualifications",
	     "SELECT name, expires_ms, issued_by, updated_at FROM qualifications WHERE "
	     "person_id = ?1 ORDER BY name"},
	};
	char name[256];
	access_person_name(jstr(row, "first_name"), jstr(row, "last_name"), name, sizeof(name));
	json_object_set_new(row, "name", json_string(name));
	if (!full)
		return 0;
	int64_t id = jint(row, "id");
	int rc = add_links(tx, row, "essential_zone_ids",
	                   "SELECT zone_id FROM person_essential WHERE person_id = ?1 ORDER BY "
	                   "zone_id",
	                   id, err);
	for (size_t i = 0; rc == 0 && i < sizeof(parts) / sizeof(parts[0]); i++) {
		json_t *rows = NULL;
		if ((rc = store_query_json(tx, &rows, err, parts[i].sql, "i", id)) == 0)
			json_object_set_new(row, parts[i].key, rows);
	}
	return rc < 0 ? rc : person_location(tx, row, id, err);
}

/* The visitor rules: a visitor has a host (an existing person who is not a visitor) and a
 * visit end in the future; only visitors have either. */
static int person_check(struct store_tx *tx, struct op *c, const json_t *cur, json_t *m,
                        struct pg_err *err)
{
	const json_t *chg = c->chg;
	json_t *ess = json_object_get(chg, "essential_zone_ids");
	int rc = ess ? all_exist(tx, ess, "zones", "zone", "essential_zone_ids", err) : 0;
	if (rc < 0)
		return rc;
	int visitor = strcmp(jstr(m, "kind"), "visitor") == 0;
	int became = visitor && (!cur || strcmp(jstr(cur, "kind"), "visitor") != 0);
	if (!visitor) {
		if (given(chg, "host_id") || given(chg, "visitor_expires_ms"))
			return pg_err_field(err, PG_EUNPROCESSABLE,
			                    given(chg, "host_id") ? "host_id" : "visitor_expires",
			                    "only a visitor has a host_id and a visitor_expires");
		/* no longer a visitor: the host and the visit end go, and the audit says so */
		static const char *const gone[] = {"host_id", "visitor_expires_ms"};
		for (int i = 0; i < 2; i++) {
			if (given(m, gone[i]))
				json_object_set_new(c->chg, gone[i], json_null());
			json_object_set_new(m, gone[i], json_null());
		}
		return 0;
	}
	int64_t host = jint(m, "host_id"), expires = jint(m, "visitor_expires_ms");
	if (!host)
		return pg_err_field(err, PG_EUNPROCESSABLE, "host_id",
		                    "a visitor needs host_id: the person they visit");
	if (!expires)
		return pg_err_field(err, PG_EUNPROCESSABLE, "visitor_expires",
		                    "a visitor needs visitor_expires: when the visit ends");
	if (became || json_object_get(chg, "host_id")) {
		json_t *h = NULL;
		if (host == c->id)
			return pg_err_field(err, PG_EUNPROCESSABLE, "host_id",
			                    "host_id: a visitor cannot host themselves");
		rc = one_row(tx, &h, err, "SELECT kind FROM people WHERE id = ?1", host, "person");
		if (rc == PG_ENOTFOUND)
			return pg_err_field(err, PG_EUNPROCESSABLE, "host_id",
			                    "host_id: no person with id %lld", (long long)host);
		if (rc < 0)
			return rc;
		int host_visitor = strcmp(jstr(h, "kind"), "visitor") == 0;
		json_decref(h);
		if (host_visitor)
			return pg_err_field(err, PG_EUNPROCESSABLE, "host_id",
			                    "host_id: person %lld is a visitor; a host must not be",
			                    (long long)host);
	}
	if ((became || json_object_get(chg, "visitor_expires_ms")) && expires <= pg_now_ms())
		return pg_err_field(err, PG_EUNPROCESSABLE, "visitor_expires",
		                    "visitor_expires must be in the future");
	if (became && c->id) {
		struct store_rows *r = NULL;
		if ((rc = store_query(tx, &r, err, "SELECT 1 FROM people WHERE host_id = ?1", "i",
		                      c->id)) < 0)
			return rc;
		rc = store_next(r);
		store_rows_free(r);
		if (rc < 0)
			return pg_err_set(err, PG_EIO, "store: reading people failed");
		if (rc == 1)
			return pg_err_field(err, PG_EUNPROCESSABLE, "kind",
			                    "person %lld hosts visitors and cannot become one",
			                    (long long)c->id);
	}
	return 0;
}

static int person_save(struct store_tx *tx, struct op *c, const json_t *m, const char *now,
                       struct pg_err *err)
{
	int rc;
	const char *kind = jstr(m, "kind"), *first = jstr(m, "first_name"),
	           *last = jstr(m, "last_name"), *employer = jstr(m, "employer"),
	           *photo = jstr(m, "photo_ref"), *doc_type = jstr(m, "id_doc_type"),
	           *doc_number = jstr(m, "id_doc_number"), *reason = jstr(m, "watchlist_reason");
	int64_t host = jint(m, "host_id"), expires = jint(m, "visitor_expires_ms"),
	        watch = jint(m, "watchlisted");
	if (!c->id) {
		rc = store_exec(
		    tx, err,
		    "INSERT INTO people(kind, first_name, last_name, employer, photo_ref, "
		    "id_doc_type, id_doc_number, host_id, visitor_expires_ms, watchlisted, "
		    "watchlist_reason, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		    "?6, ?7, NULLIF(?8, 0), NULLIF(?9, 0), ?10, ?11, ?12, ?12)",
		    "tttttttiiitt", kind, first, last, employer, photo, doc_type, doc_number, host,
		    expires, watch, reason, now);
		c->id = rc < 0 ? 0 : store_last_id(tx);
	} else {
		rc = store_exec(
		    tx, err,
		    "UPDATE people SET kind = ?1, first_name = ?2, last_name = ?3, "
		    "employer = ?4, photo_ref = ?5, id_doc_type = ?6, id_doc_number = ?7, "
		    "host_id = NULLIF(?8, 0), visitor_expires_ms = NULLIF(?9, 0), "
		    "watchlisted = ?10, watchlist_reason = ?11, updated_at = ?12 WHERE id = "
		    "?13",
		    "tttttttiiitti", kind, first, last, employer, photo, doc_type, doc_number, host,
		    expires, watch, reason, now, c->id);
	}
	json_t *ess = json_object_get(c->chg, "essential_zone_ids");
	if (rc == 0 && ess)
		rc = replace_links(tx, "person_essential", "person_id", "zone_id", c->id, ess, err);
	return rc;
}

static void person_title_of(const json_t *m, char *out, size_t n)
{
	access_person_name(jstr(m, "first_name"), jstr(m, "last_name"), out, n);
}

/* -- credentials -- */

static int cred_check(struct store_tx *tx, struct op *c, const json_t *cur, json_t *m,
                      struct pg_err *err)
{
	if (!cur) {
		int rc = row_exists(tx, "people", c->owner, err);
		if (rc == 0)
			rc = pg_err_set(err, PG_ENOTFOUND, "no person with id %lld",
			                (long long)c->owner);
		if (rc < 0)
			return rc;
		json_object_set_new(m, "person_id", json_integer(c->owner));
	}
	int64_t from = jint(m, "valid_from_ms"), until = jint(m, "valid_until_ms");
	if (from && until && from >= until)
		return pg_err_field(err, PG_EUNPROCESSABLE,
		                    json_object_get(c->chg, "valid_until_ms") ? "valid_until"
		                                                              : "valid_from",
		                    "valid_until must be after valid_from");
	return 0;
}

static int cred_save(struct store_tx *tx, struct op *c, const json_t *m, const char *now,
                     struct pg_err *err)
{
	int rc;
	if (!c->id) {
		rc = store_exec(
		    tx, err,
		    "INSERT INTO credentials(uid, person_id, pin_hash, status, "
		    "valid_from_ms, valid_until_ms, created_at, updated_at) VALUES (?1, "
		    "?2, ?3, ?4, NULLIF(?5, 0), NULLIF(?6, 0), ?7, ?7)",
		    "tittiit", jstr(m, "uid"), jint(m, "person_id"), jstr(m, "pin_hash"),
		    jstr(m, "status"), jint(m, "valid_from_ms"), jint(m, "valid_until_ms"), now);
		c->id = rc < 0 ? 0 : store_last_id(tx);
		return rc;
	}
	return store_exec(
	    tx, err,
	    "UPDATE credentials SET pin_hash = ?1, status = ?2, valid_from_ms = "
	    "NULLIF(?3, 0), valid_until_ms = NULLIF(?4, 0), updated_at = ?5 WHERE id = "
	    "?6",
	    "ttiiti", jstr(m, "pin_hash"), jstr(m, "status"), jint(m, "valid_from_ms"),
	    jint(m, "valid_until_ms"), now, c->id);
}

static void cred_title(const json_t *m, char *out, size_t n)
{
	pg_snprintf(out, n, "credential %s", jstr(m, "uid") ? jstr(m, "uid") : "?");
}

/* -- access groups -- */

static int group_decorate(struct store_tx *tx, json_t *row, int full, struct pg_err *err)
{
	(void)full;
	return add_links(tx, row, "zone_ids",
	                 "SELECT zone_id FROM group_zones WHERE group_id = ?1 ORDER BY zone_id",
	                 jint(row, "id"), err);
}

static int group_check(struct store_tx *tx, struct op *c, const json_t *cur, json_t *m,
                       struct pg_err *err)
{
	(void)cur;
	(void)m;
	json_t *zones = json_object_get(c->chg, "zone_ids");
	return zones ? all_exist(tx, zones, "zones", "zone", "zone_ids", err) : 0;
}

static int group_save(struct store_tx *tx, struct op *c, const json_t *m, const char *now,
                      struct pg_err *err)
{
	char *schedule = jdump(json_object_get(m, "schedule"));
	char *holidays = jdump(json_object_get(m, "holidays"));
	int rc;
	if (!c->id) {
		rc = store_exec(tx, err,
		                "INSERT INTO access_groups(name, schedule, holidays, levels, "
		                "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
		                "tttit", jstr(m, "name"), schedule, holidays, jint(m, "levels"),
		                now);
		c->id = rc < 0 ? 0 : store_last_id(tx);
	} else {
		rc = store_exec(tx, err,
		                "UPDATE access_groups SET name = ?1, schedule = ?2, holidays = ?3, "
		                "levels = ?4, updated_at = ?5 WHERE id = ?6",
		                "tttiti", jstr(m, "name"), schedule, holidays, jint(m, "levels"),
		                now, c->id);
	}
	free(schedule);
	free(holidays);
	json_t *zones = json_object_get(c->chg, "zone_ids");
	if (rc == 0 && zones)
		rc = replace_links(tx, "group_zones", "group_id", "zone_id", c->id, zones, err);
	return rc;
}

static const struct entity zone_entity = {
    .noun = "zone",
    .what = "zone",
    .select = "SELECT id, name, kind, parent_id, capacity, anti_passback, required_quals AS "
              "required_qualifications_json, geometry AS geometry_json, created_at, "
              "updated_at FROM zones",
    .unique = "name",
    .defaults = "{\"parent_id\": null, \"capacity\": null, \"anti_passback\": \"none\", "
                "\"required_qualifications\": [], \"geometry\": null}",
    .decorate = zone_decorate,
    .check = zone_check,
    .save = zone_save,
    .title = title_name,
};

static const struct entity reader_entity = {
    .noun = "reader",
    .what = "reader",
    .select = "SELECT id, name, kind, from_zone_id, to_zone_id, created_at, updated_at FROM "
              "readers",
    .unique = "name",
    .defaults = "{}",
    .check = reader_check,
    .save = reader_save,
    .title = title_name,
};

static const struct entity person_entity = {
    .noun = "person",
    .what = "person",
    .select = "SELECT id, kind, first_name, last_name, employer, photo_ref, id_doc_type, "
              "id_doc_number, host_id, visitor_expires_ms, watchlisted, watchlist_reason, "
              "created_at, updated_at FROM people",
    .defaults = "{\"employer\": null, \"photo_ref\": null, \"id_doc_type\": null, "
                "\"id_doc_number\": null, \"host_id\": null, \"visitor_expires_ms\": null, "
                "\"watchlisted\": 0, \"watchlist_reason\": null}",
    .decorate = person_decorate,
    .check = person_check,
    .save = person_save,
    .title = person_title_of,
};

static const struct entity cred_entity = {
    .noun = "credential",
    .what = "credential",
    .select = "SELECT id, uid, person_id, status, pin_hash IS NOT NULL AS has_pin, "
              "valid_from_ms, valid_until_ms, created_at, updated_at FROM credentials",
    .stored = "SELECT id, uid, person_id, status, pin_hash, valid_from_ms, valid_until_ms "
              "FROM credentials WHERE id = ?1",
    .unique = "uid",
    .defaults = "{\"status\": \"active\", \"pin_hash\": null, \"valid_from_ms\": null, "
                "\"valid_until_ms\": null}",
    .check = cred_check,
    .save = cred_save,
    .title = cred_title,
};

static const struct entity group_entity = {
    .noun = "group",
    .what = "access group",
    .select = "SELECT id, name, schedule AS schedule_json, holidays AS holidays_json, "
              "levels, created_at, updated_at FROM access_groups",
    .unique = "name",
    .defaults = "{\"schedule\": \"always\", \"holidays\": [], \"levels\": 7}",
    .decorate = group_decorate,
    .check = group_check,
    .save = group_save,
    .title = title_name,
};

/* Creates (c->id == 0) or updates one object: load, merge the change set, check, save,
 * answer its view, audit, publish. */
static int upsert_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	const struct entity *e = c->e;
	json_t *cur = NULL, *m = NULL, *details = NULL;
	int create = c->id == 0, rc = 0;
	char sql[600], title[256], action[48], now[PG_TIME_LEN];
	if (create) {
		m = json_loads(e->defaults, 0, NULL);
	} else {
		if (e->stored)
			pg_strlcpy(sql, e->stored, sizeof(sql));
		else
			pg_snprintf(sql, sizeof(sql), "%s WHERE id = ?1", e->select);
		if ((rc = one_row(tx, &cur, err, sql, c->id, e->what)) < 0)
			goto out;
		m = json_deep_copy(cur);
	}
	json_object_update(m, c->chg);
	if ((rc = e->check(tx, c, cur, m, err)) < 0)
		goto out;
	pg_time_format(pg_now_ms(), now);
	rc = e->save(tx, c, m, now, err);
	if (rc == PG_ECONFLICT && e->unique)
		rc = pg_err_field(err, PG_ECONFLICT, e->unique, "a %s with %s '%s' already exists",
		                  e->what, e->unique, jstr(m, e->unique) ? jstr(m, e->unique) : "");
	if (rc < 0 || (rc = entity_view(tx, e, c->id, &c->out, err)) < 0)
		goto out;
	e->title(m, title, sizeof(title));
	details = audit_details(c->chg, cur);
	pg_snprintf(action, sizeof(action), "%s.%s", e->noun, create ? "create" : "update");
	rc = record(tx, c, action, title, c->id, details, err);
out:
	if (rc < 0) {
		json_decref(c->out);
		c->out = NULL;
	}
	json_decref(cur);
	json_decref(m);
	json_decref(details);
	return rc;
}

/* Parses the body into c->chg, runs fn in one write and answers status with c->out. */
static void write_answer(struct http_req *req, struct op *c, store_fn fn, int status)
{
	struct pg_err err = {0};
	int rc = 0;
	if (req->body)
		rc = parse_body(req->body, req->route->body, c->spec, req->who.role, &c->chg, &err);
	if (rc == 0)
		rc = store_write(http_store(req), fn, c, &err);
	json_decref(c->chg);
	c->chg = NULL;
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, status, c->out);
}

static void op_init(struct op *c, struct http_req *req, const struct entity *e,
                    const struct fspec *spec)
{
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->spec = spec;
	c->a = req->ctx;
	c->actor = req->who.name;
}

static void entity_create(struct http_req *req, const struct entity *e, const struct fspec *spec)
{
	struct op c;
	op_init(&c, req, e, spec);
	if (req->nparams > 0 && http_param_id(req, 0, &c.owner) < 0)
		return;
	write_answer(req, &c, upsert_tx, 201);
}

static void entity_update(struct http_req *req, const struct entity *e, const struct fspec *spec)
{
	struct op c;
	op_init(&c, req, e, spec);
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	if (json_object_size(req->body) == 0) {
		http_problem(req, 400, "bad-field", NULL, "give at least one field to change");
		return;
	}
	write_answer(req, &c, upsert_tx, 200);
}

/* ---- reads --------------------------------------------------------------------------------- */

struct read_ctx {
	const struct entity *e;
	int64_t id;
	int limit;
	int64_t after;
	const char *kind; /* people: ?kind= */
	char *like;       /* people: ?q= as a LIKE pattern */
	json_t *out;
};

static int get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	return entity_view(tx, c->e, c->id, &c->out, err);
}

static int decorate_rows(struct store_tx *tx, const struct entity *e, json_t *rows,
                         struct pg_err *err)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		int rc = e->decorate ? e->decorate(tx, row, 0, err) : 0;
		if (rc < 0)
			return rc;
		view_fix(row);
	}
	return 0;
}

static int list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	char sql[700];
	json_t *rows = NULL;
	pg_snprintf(sql, sizeof(sql), "%s WHERE id > ?1 ORDER BY id LIMIT ?2", c->e->select);
	int rc = store_query_json(tx, &rows, err, sql, "ii", c->after, (int64_t)c->limit);
	if (rc == 0 && (rc = decorate_rows(tx, c->e, rows, err)) == 0)
		c->out = rows;
	else
		json_decref(rows);
	return rc;
}

static int people_list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	char sql[1400];
	json_t *rows = NULL;
	pg_snprintf(sql, sizeof(sql),
	            "%s WHERE id > ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR "
	            "first_name LIKE ?3 ESCAPE '\\' OR last_name LIKE ?3 ESCAPE '\\' OR "
	            "first_name || ' ' || last_name LIKE ?3 ESCAPE '\\' OR employer LIKE ?3 ESCAPE "
	            "'\\' OR id_doc_number LIKE ?3 ESCAPE '\\') ORDER BY id LIMIT ?4",
	            person_entity.select);
	int rc = store_query_json(tx, &rows, err, sql, "itti", c->after, c->kind, c->like,
	                          (int64_t)c->limit);
	if (rc == 0 && (rc = decorate_rows(tx, &person_entity, rows, err)) == 0)
		c->out = rows;
	else
		json_decref(rows);
	return rc;
}

static void read_answer(struct http_req *req, struct read_ctx *c, store_fn fn, int page)
{
	struct pg_err err = {0};
	int rc = store_read(http_store(req), fn, c, &err);
	pg_free(c->like);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, page ? store_page(c->out, c->limit, "id") : c->out);
}

static void entity_get(struct http_req *req, const struct entity *e)
{
	struct read_ctx c = {.e = e};
	if (http_param_id(req, 0, &c.id) == 0)
		read_answer(req, &c, get_tx, 0);
}

static void entity_list(struct http_req *req, const struct entity *e)
{
	struct read_ctx c = {.e = e};
	if (http_page_args(req, &c.limit, &c.after) == 0)
		read_answer(req, &c, list_tx, 1);
}

/* "%q%" with LIKE's wildcards and the escape character escaped. */
static char *like_pattern(const char *q)
{
	struct pg_buf b;
	pg_buf_init(&b, 2 * strlen(q) + 3);
	pg_buf_puts(&b, "%");
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			pg_buf_puts(&b, "\\");
		pg_buf_append(&b, p, 1);
	}
	pg_buf_puts(&b, "%");
	return pg_buf_detach(&b);
}

static void api_people_list(struct http_req *req)
{
	struct read_ctx c = {.e = &person_entity};
	if (http_page_args(req, &c.limit, &c.after) < 0)
		return;
	const char *q = http_query(req, "q");
	c.kind = http_query(req, "kind");
	if (c.kind && access_name_index(c.kind, access_person_kinds) < 0) {
		char names[200];
		http_problem(req, 400, "bad-field", "kind", "kind must be one of %s",
		             names_list(access_person_kinds, names, sizeof(names)));
		return;
	}
	if (q && strlen(q) > MAX_QUERY) {
		http_problem(req, 400, "bad-field", "q", "q is longer than %d bytes", MAX_QUERY);
		return;
	}
	if (q && *q)
		c.like = like_pattern(q);
	read_answer(req, &c, people_list_tx, 1);
}

/* ---- memberships and qualifications ---------------------------------------------------- */

static int group_name(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	return one_row(tx, out, err, "SELECT name FROM access_groups WHERE id = ?1", id,
	               "access group");
}

static int membership_put_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char title[256];
	json_t *g = NULL, *details = NULL;
	int64_t until = jint(c->chg, "until_ms");
	int rc = person_title(tx, c->id, title, sizeof(title), err);
	if (rc < 0 || (rc = group_name(tx, c->id2, &g, err)) < 0)
		goto out;
	if (until && until <= pg_now_ms()) {
		rc = pg_err_field(err, PG_EUNPROCESSABLE, "until", "until must be in the future");
		goto out;
	}
	rc = store_exec(tx, err,
	                "INSERT INTO person_groups(person_id, group_id, until_ms) VALUES (?1, ?2, "
	                "NULLIF(?3, 0)) ON CONFLICT(person_id, group_id) DO UPDATE SET until_ms = "
	                "excluded.until_ms",
	                "iii", c->id, c->id2, until);
	if (rc < 0)
		goto out;
	details = json_pack("{sI sO so}", "group_id", (json_int_t)c->id2, "group",
	                    json_object_get(g, "name"), "until_ms",
	                    until ? json_integer(until) : json_null());
	c->out = json_pack("{sI sI sO so}", "person_id", (json_int_t)c->id, "group_id",
	                   (json_int_t)c->id2, "name", json_object_get(g, "name"), "until_ms",
	                   until ? json_integer(until) : json_null());
	view_fix(details);
	view_fix(c->out);
	rc = record(tx, c, "person.group.set", title, c->id, details, err);
out:
	if (rc < 0) {
		json_decref(c->out);
		c->out = NULL;
	}
	json_decref(g);
	json_decref(details);
	return rc;
}

static int membership_delete_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char title[256];
	json_t *g = NULL, *details = NULL;
	int rc = person_title(tx, c->id, title, sizeof(title), err);
	if (rc < 0 || (rc = group_name(tx, c->id2, &g, err)) < 0)
		goto out;
	rc = store_exec(tx, err, "DELETE FROM person_groups WHERE person_id = ?1 AND group_id = ?2",
	                "ii", c->id, c->id2);
	if (rc == 0 && store_changes(tx) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "%s is not in access group %s", title,
		                jstr(g, "name"));
	if (rc < 0)
		goto out;
	details = json_pack("{sI sO}", "group_id", (json_int_t)c->id2, "group",
	                    json_object_get(g, "name"));
	rc = record(tx, c, "person.group.remove", title, c->id, details, err);
out:
	json_decref(g);
	json_decref(details);
	return rc;
}

static int qual_put_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char title[256], now[PG_TIME_LEN];
	json_t *details = NULL;
	int64_t expires = jint(c->chg, "expires_ms");
	int rc = person_title(tx, c->id, title, sizeof(title), err);
	if (rc < 0)
		return rc;
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(tx, err,
	                "INSERT INTO qualifications(person_id, name, expires_ms, issued_by, "
	                "updated_at) VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5) ON CONFLICT(person_id, "
	                "name) DO UPDATE SET expires_ms = excluded.expires_ms, issued_by = "
	                "excluded.issued_by, updated_at = excluded.updated_at",
	                "ititt", c->id, c->name, expires, c->actor, now);
	if (rc < 0)
		return rc;
	json_t *exp = expires ? json_integer(expires) : json_null();
	details = json_pack("{ss sO}", "qualification", c->name, "expires_ms", exp);
	c->out = json_pack("{sI ss so ss ss}", "person_id", (json_int_t)c->id, "name", c->name,
	                   "expires_ms", exp, "issued_by", c->actor, "updated_at", now);
	view_fix(details);
	view_fix(c->out);
	rc = record(tx, c, "person.qualification.set", title, c->id, details, err);
	json_decref(details);
	if (rc < 0) {
		json_decref(c->out);
		c->out = NULL;
	}
	return rc;
}

static int qual_delete_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op *c = vctx;
	char title[256];
	int rc = person_title(tx, c->id, title, sizeof(title), err);
	if (rc < 0)
		return rc;
	rc = store_exec(tx, err, "DELETE FROM qualifications WHERE person_id = ?1 AND name = ?2",
	                "it", c->id, c->name);
	if (rc == 0 && store_changes(tx) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "%s has no qualification '%s'", title, c->name);
	if (rc < 0)
		return rc;
	json_t *details = json_pack("{ss}", "qualification", c->name);
	rc = record(tx, c, "person.qualification.remove", title, c->id, details, err);
	json_decref(details);
	return rc;
}

static const struct fspec until_spec[] = {
    {"until", "until_ms", FK_TIME, 1, NULL, 0},
    {NULL, NULL, 0, 0, NULL, 0},
};

static const struct fspec expires_spec[] = {
    {"expires", "expires_ms", FK_TIME, 1, NULL, 0},
    {NULL, NULL, 0, 0, NULL, 0},
};

/* PUT / DELETE /people/{id}/groups/{group_id} and /people/{id}/qualifications/{name}. */
static void person_sub(struct http_req *req, store_fn fn, const struct fspec *spec, int status)
{
	struct op c;
	op_init(&c, req, NULL, spec);
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	if (strstr(req->route->path, "{group_id}")) {
		if (http_param_id(req, 1, &c.id2) < 0)
			return;
	} else if (req->nparams < 2 || !access_qual_name_ok(req->params[1])) {
		http_problem(req, 400, "bad-field", "name",
		             "a qualification name is 1 to 64 of a-z, 0-9, '_'");
		return;
	} else {
		pg_strlcpy(c.name, req->params[1], sizeof(c.name));
	}
	write_answer(req, &c, fn, status);
}

/* ---- the route table ------------------------------------------------------------------------ */

/* Rows typed F_ARRAY or F_ANY (a schedule, or a value that may be null to clear it) only
 * get past the body check: parse_body() checks every value's type itself. */
#define END_FIELDS                                                                                 \
	{                                                                                          \
		NULL, 0, 0, 0, NULL                                                                \
	}
#define END_SPECS                                                                                  \
	{                                                                                          \
		NULL, NULL, 0, 0, NULL, 0                                                          \
	}

static const struct fspec zone_spec[] = {
    {"name", "name", FK_NAME, 0, NULL, 0},
    {"kind", "kind", FK_ENUM, 0, zone_kinds, 0},
    {"parent_id", "parent_id", FK_REF, 1, NULL, 0},
    {"capacity", "capacity", FK_COUNT, 1, NULL, 0},
    {"anti_passback", "anti_passback", FK_ENUM, 0, apb_modes, 0},
    {"required_qualifications", "required_qualifications", FK_QUALS, 0, NULL, 0},
    {"geometry", "geometry", FK_GEOMETRY, 1, NULL, 0},
    END_SPECS,
};

/* clang-format off */
#define ZONE_FIELDS(req)                                                                   \
	{"name", F_STRING, req, ACCESS_TEXT_MAX, "unique name, e.g. Terminal 2"},          \
	{"kind", F_STRING, req, 32, "public, controlled, restricted or high_security"},    \
	{"parent_id", F_ANY, 0, 0, "the enclosing zone, or null"},                         \
	{"capacity", F_ANY, 0, 0, "most people inside at once, or null"},                  \
	{"anti_passback", F_STRING, 0, 16, "none, soft or hard (default none)"},           \
	{"required_qualifications", F_ARRAY, 0, 0, "qualification names needed to enter"}, \
	{"geometry", F_ANY, 0, 0, "a GeoJSON Polygon, or null"},                           \
	END_FIELDS
/* clang-format on */

static const struct http_field zone_create_body[] = {ZONE_FIELDS(1)};
static const struct http_field zone_patch_body[] = {ZONE_FIELDS(0)};

static const struct fspec reader_spec[] = {
    {"name", "name", FK_NAME, 0, NULL, 0},
    {"kind", "kind", FK_ENUM, 0, reader_kinds, 0},
    {"from_zone_id", "from_zone_id", FK_REF, 0, NULL, 0},
    {"to_zone_id", "to_zone_id", FK_REF, 0, NULL, 0},
    END_SPECS,
};

/* clang-format off */
#define READER_FIELDS(req)                                                                                                                                        \
	{"name", F_STRING, req, ACCESS_TEXT_MAX, "unique name, e.g. Gate 3 turnstile 1"},                                                                         \
	{"kind", F_STRING, req, 32,                                                            	     "door, turnstile, pedestrian_gate, vehicle_gate or muster"}, \
	{"from_zone_id", F_INT, req, 0, "the zone a passage \"in\" leaves"},                                                                                      \
	{"to_zone_id", F_INT, req, 0, "the zone a passage \"in\" enters"},                                                                                        \
	END_FIELDS
/* clang-format on */

static const struct http_field reader_create_body[] = {READER_FIELDS(1)};
static const struct http_field reader_patch_body[] = {READER_FIELDS(0)};

static const struct fspec person_spec[] = {
    {"kind", "kind", FK_ENUM, 0, access_person_kinds, 0},
    {"first_name", "first_name", FK_NAME, 0, NULL, 0},
    {"last_name", "last_name", FK_NAME, 0, NULL, 0},
    {"employer", "employer", FK_TEXT, 1, NULL, 0},
    {"photo_ref", "photo_ref", FK_TEXT, 1, NULL, 0},
    {"id_doc_type", "id_doc_type", FK_TEXT, 1, NULL, 0},
    {"id_doc_number", "id_doc_number", FK_TEXT, 1, NULL, 0},
    {"host_id", "host_id", FK_REF, 1, NULL, 0},
    {"visitor_expires", "visitor_expires_ms", FK_TIME, 1, NULL, 0},
    {"watchlisted", "watchlisted", FK_BOOL, 0, NULL, ADM},
    {"watchlist_reason", "watchlist_reason", FK_TEXT, 1, NULL, ADM},
    {"essential_zone_ids", "essential_zone_ids", FK_IDS, 0, NULL, 0},
    END_SPECS,
};

/* clang-format off */
#define PERSON_FIELDS(req)                                                                       \
	{"kind", F_STRING, req, 32, "employee, contractor, visitor, crew, driver or authority"}, \
	{"first_name", F_STRING, req, ACCESS_TEXT_MAX, "given name"},                            \
	{"last_name", F_STRING, req, ACCESS_TEXT_MAX, "family name"},                            \
	{"employer", F_ANY, 0, ACCESS_TEXT_MAX, "company"},                                      \
	{"photo_ref", F_ANY, 0, 500, "where the photo is kept"},                                 \
	{"id_doc_type", F_ANY, 0, ACCESS_TEXT_MAX, "e.g. passport"},                             \
	{"id_doc_number", F_ANY, 0, ACCESS_TEXT_MAX, "identity document number"},                \
	{"host_id", F_ANY, 0, 0, "visitors: the person visited (not a visitor)"},                \
	{"visitor_expires", F_ANY, 0, 64, "visitors: end of the visit (future)"},                \
	{"watchlisted", F_BOOL, 0, 0, "admin and pfso only"},                                    \
	{"watchlist_reason", F_ANY, 0, 500, "admin and pfso only"},                              \
	{"essential_zone_ids", F_ARRAY, 0, 0, "zones the person is admitted to at level 3"},     \
	END_FIELDS
/* clang-format on */

static const struct http_field person_create_body[] = {PERSON_FIELDS(1)};
static const struct http_field person_patch_body[] = {PERSON_FIELDS(0)};

static const struct fspec cred_spec[] = {
    {"uid", "uid", FK_UID, 0, NULL, 0},
    {"pin", "pin_hash", FK_PIN, 1, NULL, 0},
    {"status", "status", FK_ENUM, 0, cred_statuses, 0},
    {"valid_from", "valid_from_ms", FK_TIME, 1, NULL, 0},
    {"valid_until", "valid_until_ms", FK_TIME, 1, NULL, 0},
    END_SPECS,
};

static const struct http_field cred_create_body[] = {
    {"uid", F_STRING, 1, 64, "card UID as read: 4-32 hex digits"},
    {"pin", F_ANY, 0, 16, "4-8 digits (stored hashed, never returned)"},
    {"valid_from", F_ANY, 0, 64, "RFC 3339"},
    {"valid_until", F_ANY, 0, 64, "RFC 3339"},
    END_FIELDS,
};

static const struct http_field cred_patch_body[] = {
    {"status", F_STRING, 0, 16, "active, suspended, lost, stolen or revoked"},
    {"pin", F_ANY, 0, 16, "4-8 digits; null removes the PIN"},
    {"valid_from", F_ANY, 0, 64, "RFC 3339, or null"},
    {"valid_until", F_ANY, 0, 64, "RFC 3339, or null"},
    END_FIELDS,
};

static const struct fspec group_spec[] = {
    {"name", "name", FK_NAME, 0, NULL, 0},
    {"zone_ids", "zone_ids", FK_IDS, 0, NULL, 0},
    {"schedule", "schedule", FK_SCHEDULE, 0, NULL, 0},
    {"holidays", "holidays", FK_HOLIDAYS, 0, NULL, 0},
    {"levels", "levels", FK_LEVELS, 0, NULL, 0},
    END_SPECS,
};

/* clang-format off */
#define GROUP_FIELDS(req)                                                                    \
	{"name", F_STRING, req, ACCESS_TEXT_MAX, "unique name"},                             \
	{"zone_ids", F_ARRAY, req, 0, "the zones the group opens"},                          \
	{"schedule", F_ANY, 0, 0, "\"always\" or {\"mon\": [[\"06:00\", \"18:00\"]], ...}"}, \
	{"holidays", F_ARRAY, 0, 0, "[\"2026-12-25\", ...]: no access those days"},          \
	{"levels", F_ARRAY, 0, 0, "the security levels it is valid at, e.g. [1, 2]"},        \
	END_FIELDS
/* clang-format on */

static const struct http_field group_create_body[] = {GROUP_FIELDS(1)};
static const struct http_field group_patch_body[] = {GROUP_FIELDS(0)};

static const struct http_field until_body[] = {
    {"until", F_ANY, 0, 64, "RFC 3339: the membership's own end, or null"},
    END_FIELDS,
};

static const struct http_field expires_body[] = {
    {"expires", F_ANY, 0, 64, "RFC 3339, or null: does not expire"},
    END_FIELDS,
};

static void api_zones_list(struct http_req *req)
{
	entity_list(req, &zone_entity);
}
static void api_zone_get(struct http_req *req)
{
	entity_get(req, &zone_entity);
}
static void api_zone_create(struct http_req *req)
{
	entity_create(req, &zone_entity, zone_spec);
}
static void api_zone_update(struct http_req *req)
{
	entity_update(req, &zone_entity, zone_spec);
}
static void api_readers_list(struct http_req *req)
{
	entity_list(req, &reader_entity);
}
static void api_reader_create(struct http_req *req)
{
	entity_create(req, &reader_entity, reader_spec);
}
static void api_reader_update(struct http_req *req)
{
	entity_update(req, &reader_entity, reader_spec);
}
static void api_person_get(struct http_req *req)
{
	entity_get(req, &person_entity);
}
static void api_person_create(struct http_req *req)
{
	entity_create(req, &person_entity, person_spec);
}
static void api_person_update(struct http_req *req)
{
	entity_update(req, &person_entity, person_spec);
}
static void api_cred_create(struct http_req *req)
{
	entity_create(req, &cred_entity, cred_spec);
}
static void api_cred_update(struct http_req *req)
{
	entity_update(req, &cred_entity, cred_spec);
}
static void api_membership_put(struct http_req *req)
{
	person_sub(req, membership_put_tx, until_spec, 200);
}
static void api_membership_delete(struct http_req *req)
{
	person_sub(req, membership_delete_tx, NULL, 204);
}
static void api_qual_put(struct http_req *req)
{
	person_sub(req, qual_put_tx, expires_spec, 200);
}
static void api_qual_delete(struct http_req *req)
{
	person_sub(req, qual_delete_tx, NULL, 204);
}
static void api_groups_list(struct http_req *req)
{
	entity_list(req, &group_entity);
}
static void api_group_create(struct http_req *req)
{
	entity_create(req, &group_entity, group_spec);
}
static void api_group_update(struct http_req *req)
{
	entity_update(req, &group_entity, group_spec);
}

const struct http_route access_admin_routes[] = {
    {"GET", "/api/v1/zones", READ, api_zones_list, "Zones, by id", NULL, 200,
     "{items: [zone], next}", "limit,after"},
    {"GET", "/api/v1/zones/{id}", READ, api_zone_get,
     "A zone, with its occupancy (people inside it now)", NULL, 200, "zone", NULL},
    {"POST", "/api/v1/zones", ADM, api_zone_create, "Create a zone", zone_create_body, 201, "zone",
     NULL},
    {"PATCH", "/api/v1/zones/{id}", ADM, api_zone_update, "Change a zone", zone_patch_body, 200,
     "zone", NULL},
    {"GET", "/api/v1/readers", READ, api_readers_list, "Readers, by id", NULL, 200,
     "{items: [reader], next}", "limit,after"},
    {"POST", "/api/v1/readers", ADM, api_reader_create, "Create a reader", reader_create_body, 201,
     "reader", NULL},
    {"PATCH", "/api/v1/readers/{id}", ADM, api_reader_update, "Change a reader", reader_patch_body,
     200, "reader", NULL},
    {"GET", "/api/v1/people", READ, api_people_list,
     "People, by id; q matches names, employer and document number", NULL, 200,
     "{items: [person], next}", "limit,after,q,kind"},
    {"GET", "/api/v1/people/{id}", READ, api_person_get,
     "A person with credentials, groups, qualifications, essential zones and location", NULL, 200,
     "person", NULL},
    {"POST", "/api/v1/people", GATE, api_person_create,
     "Enrol a person (watchlist fields: admin and pfso)", person_create_body, 201, "person", NULL},
    {"PATCH", "/api/v1/people/{id}", GATE, api_person_update,
     "Change a person (watchlist fields: admin and pfso)", person_patch_body, 200, "person", NULL},
    {"POST", "/api/v1/people/{id}/credentials", GATE, api_cred_create,
     "Issue a credential to a person", cred_create_body, 201, "credential", NULL},
    {"PATCH", "/api/v1/credentials/{id}", GATE, api_cred_update,
     "Change a credential's status, PIN or validity (audited)", cred_patch_body, 200, "credential",
     NULL},
    {"PUT", "/api/v1/people/{id}/groups/{group_id}", GATE, api_membership_put,
     "Put a person in an access group", until_body, 200, "{person_id, group_id, name, until}",
     NULL},
    {"DELETE", "/api/v1/people/{id}/groups/{group_id}", GATE, api_membership_delete,
     "Take a person out of an access group", NULL, 204, NULL, NULL},
    {"PUT", "/api/v1/people/{id}/qualifications/{name}", QUAL, api_qual_put,
     "Record a person's qualification", expires_body, 200,
     "{person_id, name, expires, issued_by, updated_at}", NULL},
    {"DELETE", "/api/v1/people/{id}/qualifications/{name}", QUAL, api_qual_delete,
     "Withdraw a person's qualification", NULL, 204, NULL, NULL},
    {"GET", "/api/v1/access-groups", READ, api_groups_list, "Access groups, by id", NULL, 200,
     "{items: [group], next}", "limit,after"},
    {"POST", "/api/v1/access-groups", ADM, api_group_create, "Create an access group",
     group_create_body, 201, "group", NULL},
    {"PATCH", "/api/v1/access-groups/{id}", ADM, api_group_update, "Change an access group",
     group_patch_body, 200, "group", NULL},
};
const int access_admin_n_routes =
    (int)(sizeof(access_admin_routes) / sizeof(access_admin_routes[0]));
