/* training_drill.c - drills and exercises: the ISPS schedule, the drill record with
 * participants, observers and corrective actions, the muster of an evacuation drill, the
 * overdue check thread, the routes under /api/v1/drills and the demo history. */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "../access/access.h"
#include "../http/http_handler.h"
#include "training_drill.h"

#define R(x)  ROLE_BIT(ROLE_##x)
#define WRITE (R(ADMIN) | R(PFSO) | R(TRAINER))
#define READ  (WRITE | R(OPERATOR) | R(AUDITOR) | R(AUTHORITY))

#define TITLE_MAX     200
#define PLACE_MAX     200
#define LONG_MAX_TEXT 8000
#define NAME_MAX_TEXT 100
#define MAX_PEOPLE    500
#define MAX_OBSERVERS 50
#define ACTION_MAX    2000
#define WARN_DRILL    14
#define WARN_EXERCISE 30
#define CHECK_EVERY_S 60
#define FUTURE_SLACK_MS (10 * 60 * 1000) /* a conducted time may be this far ahead of the clock */
#define DAY_MS        86400000LL

static const char *const KINDS[] = {"drill", "exercise", NULL};
static const char *const TYPES[] = {"evacuation", "intrusion",      "bomb_threat",    "fire",
				    "spill",      "cyber",          "access_control", "cargo",
				    "waterside",  "level_change",   "communications", "other",
				    NULL};
static const char *const FORMATS[] = {"live", "tabletop", "combined", NULL};
static const char *const STATUS_NAMES[] = {"ok", "due", "overdue"};

static int name_index(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* ---- calendar days ------------------------------------------------------------------------ */

/* H. Hinnant's days_from_civil / civil_from_days. */
int64_t training_day_from_civil(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void training_day_to_civil(int64_t day, int *y, int *m, int *d)
{
	int64_t z = day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

int64_t training_day_add_months(int64_t day, int n)
{
	int y, m, d;
	training_day_to_civil(day, &y, &m, &d);
	int64_t months = (int64_t)y * 12 + (m - 1) + n;
	int ny = (int)(months >= 0 ? months / 12 : (months - 11) / 12);
	int nm = (int)(months - (int64_t)ny * 12) + 1;
	int md = month_days(ny, nm);
	return training_day_from_civil(ny, nm, d > md ? md : d);
}

int training_day_parse(const char *s, int64_t *day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return PG_EINVAL;
	int v[3] = {0, 0, 0};
	const int at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < len[i]; k++) {
			char c = s[at[i] + k];
			if (c < '0' || c > '9')
				return PG_EINVAL;
			v[i] = v[i] * 10 + (c - '0');
		}
	}
	if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > month_days(v[0], v[1]))
		return PG_EINVAL;
	*day = training_day_from_civil(v[0], v[1], v[2]);
	return 0;
}

void training_day_format(int64_t day, char out[11])
{
	int y, m, d;
	training_day_to_civil(day, &y, &m, &d);
	pg_snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m, d);
}

static int64_t day_of_ms(int64_t ms)
{
	return ms >= 0 ? ms / DAY_MS : (ms - DAY_MS + 1) / DAY_MS;
}

/* ---- the schedule ------------------------------------------------------------------------ */

void training_drill_due(enum training_drill_kind kind, int has_last, int64_t last, int64_t since,
			int64_t change, int64_t today, struct training_due *out)
{
	struct training_due r = {0};
	if (!has_last) {
		r.due = since;
	} else if (kind == TRAINING_DRILL) {
		r.due = training_day_add_months(last, 3);
	} else {
		int y, m, d;
		training_day_to_civil(last, &y, &m, &d);
		int64_t year_end = training_day_from_civil(y + 1, 12, 31);
		int64_t months18 = training_day_add_months(last, 18);
		r.due = months18 < year_end ? months18 : year_end;
	}
	if (kind == TRAINING_DRILL && change > 0 && (!has_last || last < change) &&
	    change + 7 < r.due) {
		r.due = change + 7;
		r.by_personnel_change = 1;
	}
	int warn = kind == TRAINING_DRILL ? WARN_DRILL : WARN_EXERCISE;
	if (!has_last && !r.by_personnel_change) {
		r.status = TRAINING_DUE_OVERDUE; /* nothing shows compliance */
		r.days_overdue = today > r.due ? today - r.due : 0;
	} else if (today > r.due) {
		r.status = TRAINING_DUE_OVERDUE;
		r.days_overdue = today - r.due;
	} else {
		r.status = r.due - today <= warn ? TRAINING_DUE_SOON : TRAINING_DUE_OK;
		r.days_left = r.due - today;
	}
	*out = r;
}

/* ---- small checks ------------------------------------------------------------------------- */

/* Text of at most max bytes without control characters (line breaks and tabs allowed when
 * multiline); when required, not blank. JSON strings are valid UTF-8 already. */
static int text_check(const char *s, const char *field, size_t max, int required, int multiline,
		      struct pg_err *err)
{
	if (!s)
		return required ? pg_err_field(err, PG_EINVAL, field, "%s is required", field) : 0;
	size_t n = strlen(s);
	if (n > max)
		return pg_err_field(err, PG_EINVAL, field, "%s is longer than %zu bytes", field,
				    max);
	int blank = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int ws = *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
		if ((*p < 0x20 || *p == 0x7f) && !(multiline && ws))
			return pg_err_field(err, PG_EINVAL, field,
					    "%s holds a control character", field);
		if (!ws)
			blank = 0;
	}
	if (required && blank)
		return pg_err_field(err, PG_EINVAL, field, "%s must not be blank", field);
	return 0;
}

/* An RFC 3339 time in canonical form (UTC, milliseconds) into out. */
static int time_field(const char *s, const char *field, char out[PG_TIME_LEN], int64_t *ms,
		      struct pg_err *err)
{
	int64_t v;
	if (pg_time_parse(s, &v) < 0 || v < 0)
		return pg_err_field(err, PG_EINVAL, field,
				    "%s must be an RFC 3339 time such as 2026-11-27T09:00:00Z", field);
	pg_time_format(v, out);
	if (ms)
		*ms = v;
	return 0;
}

static const char *str_of(json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

/* A NULL-bound text: empty strings clear a field. */
static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int exists(struct store_tx *tx, const char *sql, int64_t id, int *found,
		  struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, sql, "i", id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading failed");
	*found = rc == 1;
	return 0;
}

/* ---- publishing --------------------------------------------------------------------------- */

static int publish(struct store_tx *tx, const char *actor, const char *action, int64_t id,
		   json_t *details, struct pg_err *err)
{
	char object[48] = "drills schedule"; /* id 0: the schedule, not one drill */
	if (id)
		pg_snprintf(object, sizeof(object), "drill %lld", (long long)id);
	int rc = store_audit(tx, actor, action, object, details, err);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{ss sI ss sO}", "action", action, "id", (json_int_t)id, "by",
			       actor, "details", details ? details : json_null());
	int64_t eid = store_event(tx, "training", ev, err);
	json_decref(ev);
	return eid < 0 ? (int)eid : 0;
}

/* ---- reading a drill ---------------------------------------------------------------------- */

#define DRILL_COLUMNS                                                                              \
	"d.id, d.kind, d.type, d.format, d.status, d.title, d.scenario, d.planned_at, "            \
	"d.conducted_at, d.ended_at, coalesce(d.conducted_at, d.planned_at) AS at, d.place, "       \
	"d.zone_id, (SELECT name FROM zones WHERE id = d.zone_id) AS zone, "                       \
	"d.observers AS observers_json, d.results, d.lessons, d.muster_id, "                       \
	"d.muster_timing AS muster_json, d.created_by, d.created_at, d.updated_by, d.updated_at"

#define ACTION_COLUMNS                                                                             \
	"a.id, a.drill_id, (SELECT title FROM drills WHERE id = a.drill_id) AS drill_title, "       \
	"a.text, a.owner_person_id, (SELECT first_name || ' ' || last_name FROM people WHERE id = " \
	"a.owner_person_id) AS owner_name, a.owner_user, a.due_date, a.status, "                   \
	"CASE WHEN a.status = 'open' AND a.due_date < ?2 THEN 'true' ELSE 'false' END AS "          \
	"overdue_json, a.closed_by, a.closed_at, a.closure, a.created_by, a.created_at"

static void today_text(int64_t now_ms, char out[11])
{
	training_day_format(day_of_ms(now_ms), out);
}

/* The live state of a drill's muster that is still open. */
static json_t *muster_live(json_t *m)
{
	return json_pack("{sO sO sO sn sO sO sO sO sn}", "muster_id", json_object_get(m, "id"),
			 "zone", json_object_get(m, "zone"), "started_at",
			 json_object_get(m, "started_at"), "closed_at", "elapsed_s",
			 json_object_get(m, "elapsed_s"), "total", json_object_get(m, "total"),
			 "safe_count", json_object_get(m, "safe_count"), "missing_count",
			 json_object_get(m, "missing_count"), "accounted_s");
}

/* The timing kept on the drill once its muster closed: counts, elapsed time and the time
 * to account for everyone (start to the last person marked safe; null while anyone is
 * missing). */
static json_t *muster_timing(json_t *m)
{
	json_t *t = muster_live(m);
	json_object_set(t, "closed_at", json_object_get(m, "closed_at"));
	int64_t started = 0, last = 0, at;
	pg_time_parse(json_string_value(json_object_get(m, "started_at")), &started);
	last = started;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(m, "safe"), i, p) {
		if (pg_time_parse(json_string_value(json_object_get(p, "safe_at")), &at) == 0 &&
		    at > last)
			last = at;
	}
	if (json_integer_value(json_object_get(m, "missing_count")) == 0) {
		json_object_set_new(t, "accounted_s", json_integer((last - started) / 1000));
		char when[PG_TIME_LEN];
		pg_time_format(last, when);
		json_object_set_new(t, "all_accounted_at", json_string(when));
	} else {
		json_object_set_new(t, "all_accounted_at", json_null());
	}
	return t;
}

static int drill_load(struct store_tx *tx, int64_t id, int64_t now_ms, json_t **out,
		      struct pg_err *err)
{
	json_t *rows = NULL, *people = NULL, *actions = NULL;
	char today[11];
	today_text(now_ms, today);
	int rc = store_query_json(tx, &rows, err, "SELECT " DRILL_COLUMNS " FROM drills d WHERE d.id = ?1",
				  "i", id);
	if (rc == 0 && json_array_size(rows) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "no drill with id %lld", (long long)id);
	if (rc == 0)
		rc = store_query_json(
			tx, &people, err,
			"SELECT p.id, p.first_name || ' ' || p.last_name AS name, p.kind, p.employer "
			"FROM drill_participants dp JOIN people p ON p.id = dp.person_id "
			"WHERE dp.drill_id = ?1 ORDER BY p.last_name, p.first_name, p.id",
			"i", id);
	if (rc == 0)
		rc = store_query_json(tx, &actions, err,
				      "SELECT " ACTION_COLUMNS
				      " FROM drill_actions a WHERE a.drill_id = ?1 ORDER BY a.id",
				      "it", id, today);
	json_t *d = NULL;
	if (rc == 0) {
		d = json_incref(json_array_get(rows, 0));
		json_object_set(d, "participants", people);
		json_object_set(d, "actions", actions);
		json_t *mid = json_object_get(d, "muster_id");
		if (json_is_integer(mid) && json_is_null(json_object_get(d, "muster"))) {
			json_t *m = NULL;
			rc = access_muster_load_tx(tx, json_integer_value(mid), &m, err);
			if (rc == 0)
				json_object_set_new(d, "muster", json_is_string(json_object_get(m, "closed_at"))
									? muster_timing(m)
									: muster_live(m));
			json_decref(m);
		}
	}
	json_decref(rows);
	json_decref(people);
	json_decref(actions);
	if (rc < 0) {
		json_decref(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* ---- writing a drill ---------------------------------------------------------------------- */

/* Replaces the participants with the people ids of arr (each must exist). */
static int set_participants(struct store_tx *tx, int64_t id, json_t *arr, struct pg_err *err)
{
	if (!json_is_array(arr))
		return pg_err_field(err, PG_EINVAL, "participants",
				    "participants must be an array of people ids");
	if (json_array_size(arr) > MAX_PEOPLE)
		return pg_err_field(err, PG_EINVAL, "participants",
				    "participants: at most %d people", MAX_PEOPLE);
	int rc = store_exec(tx, err, "DELETE FROM drill_participants WHERE drill_id = ?1", "i", id);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (rc < 0)
			break;
		char field[48];
		pg_snprintf(field, sizeof(field), "participants[%zu]", i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return pg_err_field(err, PG_EINVAL, field, "%s must be a person id", field);
		int found = 0;
		rc = exists(tx, "SELECT 1 FROM people WHERE id = ?1", json_integer_value(v), &found,
			    err);
		if (rc == 0 && !found)
			return pg_err_field(err, PG_EUNPROCESSABLE, field, "%s: no person with id %lld",
					    field, (long long)json_integer_value(v));
		if (rc == 0)
			rc = store_exec(tx, err,
					"INSERT OR IGNORE INTO drill_participants(drill_id, person_id) "
					"VALUES (?1, ?2)",
					"ii", id, (int64_t)json_integer_value(v));
	}
	return rc;
}

static int observers_text(json_t *arr, char **out, struct pg_err *err)
{
	if (!json_is_array(arr) || json_array_size(arr) > MAX_OBSERVERS)
		return pg_err_field(err, PG_EINVAL, "observers",
				    "observers must be an array of at most %d names", MAX_OBSERVERS);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		char field[48];
		pg_snprintf(field, sizeof(field), "observers[%zu]", i);
		if (!json_is_string(v))
			return pg_err_field(err, PG_EINVAL, field, "%s must be a name", field);
		int rc = text_check(json_string_value(v), field, NAME_MAX_TEXT, 1, 0, err);
		if (rc < 0)
			return rc;
	}
	*out = json_dumps(arr, JSON_COMPACT);
	return 0;
}

/* The fields of a drill as one write would leave them: the row (when updating), overlaid by
 * the body. */
struct drill_fields {
	char kind[16], type[32], format[16], status[16];
	int has_format;
	char *title, *scenario, *place, *results, *lessons, *observers;
	char planned_at[PG_TIME_LEN], conducted_at[PG_TIME_LEN], ended_at[PG_TIME_LEN];
	int64_t zone_id;
};

static void fields_release(struct drill_fields *f)
{
	pg_free(f->title);
	pg_free(f->scenario);
	pg_free(f->place);
	pg_free(f->results);
	pg_free(f->lessons);
	pg_free(f->observers);
}

static void set_text(char **dst, const char *s)
{
	pg_free(*dst);
	*dst = s && *s ? pg_strdup(s) : NULL;
}

static int fields_from_row(struct store_tx *tx, int64_t id, struct drill_fields *f,
			   struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT kind, type, format, status, title, scenario, place, results, "
			     "lessons, observers, planned_at, conducted_at, ended_at, zone_id "
			     "FROM drills WHERE id = ?1",
			     "i", id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1) {
		const char *s;
		pg_strlcpy(f->kind, store_text(r, 0), sizeof(f->kind));
		pg_strlcpy(f->type, store_text(r, 1), sizeof(f->type));
		f->has_format = !store_is_null(r, 2);
		pg_strlcpy(f->format, f->has_format ? store_text(r, 2) : "", sizeof(f->format));
		pg_strlcpy(f->status, store_text(r, 3), sizeof(f->status));
		char **texts[] = {&f->title, &f->scenario, &f->place, &f->results, &f->lessons,
				  &f->observers};
		for (int i = 0; i < 6; i++)
			set_text(texts[i], store_text(r, 4 + i));
		s = store_text(r, 10);
		pg_strlcpy(f->planned_at, s ? s : "", PG_TIME_LEN);
		s = store_text(r, 11);
		pg_strlcpy(f->conducted_at, s ? s : "", PG_TIME_LEN);
		s = store_text(r, 12);
		pg_strlcpy(f->ended_at, s ? s : "", PG_TIME_LEN);
		f->zone_id = store_is_null(r, 13) ? 0 : store_int(r, 13);
		rc = 0;
	} else if (rc == 0) {
		rc = pg_err_set(err, PG_ENOTFOUND, "no drill with id %lld", (long long)id);
	} else {
		rc = pg_err_set(err, PG_EIO, "store: reading drill failed");
	}
	store_rows_free(r);
	return rc;
}

/* Applies the body's fields over f, checking each. */
static int fields_apply(struct store_tx *tx, json_t *body, int64_t now_ms, struct drill_fields *f,
			struct pg_err *err)
{
	const char *s;
	int rc = 0;
	if ((s = str_of(body, "kind"))) {
		if (name_index(KINDS, s) < 0)
			return pg_err_field(err, PG_EUNPROCESSABLE, "kind",
					    "kind must be drill or exercise, not '%.20s'", s);
		pg_strlcpy(f->kind, s, sizeof(f->kind));
	}
	if ((s = str_of(body, "type"))) {
		if (name_index(TYPES, s) < 0)
			return pg_err_field(err, PG_EUNPROCESSABLE, "type",
					    "type must be one of evacuation, intrusion, bomb_threat, "
					    "fire, spill, cyber, access_control, cargo, waterside, "
					    "level_change, communications, other; not '%.32s'",
					    s);
		pg_strlcpy(f->type, s, sizeof(f->type));
	}
	if ((s = str_of(body, "format"))) {
		if (*s && name_index(FORMATS, s) < 0)
			return pg_err_field(err, PG_EUNPROCESSABLE, "format",
					    "format must be live, tabletop or combined, not '%.20s'",
					    s);
		pg_strlcpy(f->format, s, sizeof(f->format));
		f->has_format = *s != '\0';
	}
	if (name_index(KINDS, f->kind) < 0)
		return pg_err_field(err, PG_EINVAL, "kind", "kind is required: drill or exercise");
	if (name_index(TYPES, f->type) < 0)
		return pg_err_field(err, PG_EINVAL, "type", "type is required");
	if (strcmp(f->kind, "drill") == 0 && f->has_format)
		return pg_err_field(err, PG_EUNPROCESSABLE, "format",
				    "format (live, tabletop, combined) is for exercises only");
	static const struct {
		const char *key;
		size_t off, max;
		int required, multiline;
	} texts[] = {
		{"title", offsetof(struct drill_fields, title), TITLE_MAX, 1, 0},
		{"scenario", offsetof(struct drill_fields, scenario), LONG_MAX_TEXT, 0, 1},
		{"place", offsetof(struct drill_fields, place), PLACE_MAX, 0, 0},
		{"results", offsetof(struct drill_fields, results), LONG_MAX_TEXT, 0, 1},
		{"lessons", offsetof(struct drill_fields, lessons), LONG_MAX_TEXT, 0, 1},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *v = json_object_get(body, texts[i].key);
		if (!v)
			continue;
		rc = text_check(json_string_value(v), texts[i].key, texts[i].max, texts[i].required,
				texts[i].multiline, err);
		if (rc < 0)
			return rc;
		set_text((char **)((char *)f + texts[i].off), json_string_value(v));
	}
	if (!f->title)
		return pg_err_field(err, PG_EINVAL, "title", "title is required");
	static const struct {
		const char *key;
		size_t off;
	} times[] = {
		{"planned_at", offsetof(struct drill_fields, planned_at)},
		{"conducted_at", offsetof(struct drill_fields, conducted_at)},
		{"ended_at", offsetof(struct drill_fields, ended_at)},
	};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		if (!(s = str_of(body, times[i].key)))
			continue;
		char *dst = (char *)f + times[i].off;
		if (!*s)
			dst[0] = '\0';
		else if ((rc = time_field(s, times[i].key, dst, NULL, err)) < 0)
			return rc;
	}
	int64_t c_ms = 0, e_ms = 0;
	if (f->conducted_at[0]) {
		pg_time_parse(f->conducted_at, &c_ms);
		if (c_ms > now_ms + FUTURE_SLACK_MS)
			return pg_err_field(err, PG_EUNPROCESSABLE, "conducted_at",
					    "conducted_at %s is in the future: plan it with planned_at",
					    f->conducted_at);
	}
	if (f->ended_at[0]) {
		pg_time_parse(f->ended_at, &e_ms);
		if (!f->conducted_at[0] || e_ms < c_ms)
			return pg_err_field(err, PG_EUNPROCESSABLE, "ended_at",
					    "ended_at must not be before conducted_at");
	}
	json_t *v = json_object_get(body, "observers");
	if (v) {
		char *obs = NULL;
		if ((rc = observers_text(v, &obs, err)) < 0)
			return rc;
		pg_free(f->observers);
		f->observers = obs;
	}
	v = json_object_get(body, "zone_id");
	if (v) {
		int found = 0;
		f->zone_id = json_integer_value(v);
		if (f->zone_id && (rc = exists(tx, "SELECT 1 FROM zones WHERE id = ?1", f->zone_id,
					       &found, err)) < 0)
			return rc;
		if (f->zone_id && !found)
			return pg_err_field(err, PG_EUNPROCESSABLE, "zone_id", "no zone with id %lld",
					    (long long)f->zone_id);
	}
	return 0;
}

static int fields_write(struct store_tx *tx, int64_t id, const char *actor, int64_t now_ms,
			const struct drill_fields *f, struct pg_err *err)
{
	char now[PG_TIME_LEN];
	pg_time_format(now_ms, now);
	int rc = store_exec(
		tx, err,
		"UPDATE drills SET kind = ?1, type = ?2, format = ?3, status = ?4, title = ?5, "
		"scenario = ?6, planned_at = ?7, conducted_at = ?8, ended_at = ?9, place = ?10, "
		"zone_id = NULLIF(?11, 0), observers = ?12, results = ?13, lessons = ?14, updated_by = ?15, "
		"updated_at = ?16 WHERE id = ?17",
		"tttttttttt" "ittttti", f->kind, f->type, f->has_format ? f->format : NULL, f->status,
		f->title, f->scenario, nonempty(f->planned_at), nonempty(f->conducted_at),
		nonempty(f->ended_at), f->place, f->zone_id, f->observers ? f->observers : "[]",
		f->results, f->lessons, actor, now, id);
	if (rc == PG_ECONFLICT)
		return pg_err_set(err, PG_EUNPROCESSABLE, "the drill's fields do not fit together");
	return rc;
}

/* ---- operations (one per write route) ------------------------------------------------------ */

enum op {
	OP_CREATE,
	OP_UPDATE,
	OP_CONDUCT,
	OP_ACTION_ADD,
	OP_ACTION_CLOSE,
	OP_MUSTER_START,
	OP_MUSTER_CLOSE,
	OP_PERSONNEL,
};

struct op_ctx {
	enum op op;
	struct training_drill *mod;
	const char *actor;
	int64_t id, aid, now_ms;
	json_t *body; /* borrowed */
	json_t *out;
};

static int create_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	struct drill_fields f = {0};
	json_t *body = c->body;
	const char *st = str_of(body, "status");
	int rc = 0;
	pg_strlcpy(f.status, st ? st : (str_of(body, "conducted_at") ? "conducted" : "planned"),
		   sizeof(f.status));
	if (strcmp(f.status, "planned") != 0 && strcmp(f.status, "conducted") != 0)
		rc = pg_err_field(err, PG_EUNPROCESSABLE, "status",
				  "a new drill is planned or conducted, not '%.20s'", f.status);
	if (rc == 0)
		rc = fields_apply(tx, body, c->now_ms, &f, err);
	if (rc == 0 && strcmp(f.status, "planned") == 0 && !f.planned_at[0])
		rc = pg_err_field(err, PG_EINVAL, "planned_at", "a planned drill needs planned_at");
	if (rc == 0 && strcmp(f.status, "conducted") == 0 && !f.conducted_at[0])
		rc = pg_err_field(err, PG_EINVAL, "conducted_at",
				  "a conducted drill needs conducted_at");
	char now[PG_TIME_LEN];
	pg_time_format(c->now_ms, now);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO drills(kind, type, status, title, conducted_at, created_by, "
				"created_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?7, ?5, ?6, "
				"?5, ?6)",
				"ttttttt", f.kind, f.type, f.status, f.title, c->actor, now,
				nonempty(f.conducted_at));
	if (rc == 0) {
		c->id = store_last_id(tx);
		rc = fields_write(tx, c->id, c->actor, c->now_ms, &f, err);
	}
	json_t *parts = json_object_get(body, "participants");
	if (rc == 0 && parts)
		rc = set_participants(tx, c->id, parts, err);
	if (rc == 0)
		rc = publish(tx, c->actor, "drill.create", c->id, body, err);
	fields_release(&f);
	return rc;
}

static int update_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	struct drill_fields f = {0};
	int rc = fields_from_row(tx, c->id, &f, err);
	const char *st = str_of(c->body, "status");
	if (rc == 0 && st) {
		if (strcmp(st, f.status) == 0) {
			/* unchanged */
		} else if (strcmp(st, "cancelled") == 0 && strcmp(f.status, "planned") == 0) {
			pg_strlcpy(f.status, st, sizeof(f.status));
		} else if (strcmp(st, "planned") == 0 && strcmp(f.status, "cancelled") == 0) {
			pg_strlcpy(f.status, st, sizeof(f.status));
		} else {
			rc = pg_err_field(err, PG_ECONFLICT, "status",
					  "drill %lld cannot go from %s to %.20s (conduct it with "
					  "POST /api/v1/drills/%lld/conduct)",
					  (long long)c->id, f.status, st, (long long)c->id);
		}
	}
	if (rc == 0)
		rc = fields_apply(tx, c->body, c->now_ms, &f, err);
	if (rc == 0 && strcmp(f.status, "planned") == 0 && !f.planned_at[0])
		rc = pg_err_field(err, PG_EINVAL, "planned_at", "a planned drill needs planned_at");
	if (rc == 0 && strcmp(f.status, "conducted") == 0 && !f.conducted_at[0])
		rc = pg_err_field(err, PG_EINVAL, "conducted_at",
				  "a conducted drill needs conducted_at");
	if (rc == 0)
		rc = fields_write(tx, c->id, c->actor, c->now_ms, &f, err);
	json_t *parts = json_object_get(c->body, "participants");
	if (rc == 0 && parts)
		rc = set_participants(tx, c->id, parts, err);
	if (rc == 0)
		rc = publish(tx, c->actor, "drill.update", c->id, c->body, err);
	fields_release(&f);
	return rc;
}

static int conduct_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	struct drill_fields f = {0};
	int rc = fields_from_row(tx, c->id, &f, err);
	if (rc == 0 && strcmp(f.status, "planned") != 0)
		rc = pg_err_field(err, PG_ECONFLICT, "status",
				  "drill %lld is %s: only a planned drill can be conducted",
				  (long long)c->id, f.status);
	if (rc == 0 && !str_of(c->body, "conducted_at") && !f.conducted_at[0])
		pg_time_format(c->now_ms, f.conducted_at); /* now, unless the muster set it */
	if (rc == 0) {
		pg_strlcpy(f.status, "conducted", sizeof(f.status));
		rc = fields_apply(tx, c->body, c->now_ms, &f, err);
	}
	if (rc == 0 && !f.results)
		rc = pg_err_field(err, PG_EINVAL, "results", "results are required");
	if (rc == 0)
		rc = fields_write(tx, c->id, c->actor, c->now_ms, &f, err);
	json_t *parts = json_object_get(c->body, "participants");
	if (rc == 0 && parts)
		rc = set_participants(tx, c->id, parts, err);
	if (rc == 0) {
		json_t *details = json_deep_copy(c->body);
		json_object_set_new(details, "conducted_at", json_string(f.conducted_at));
		rc = publish(tx, c->actor, "drill.conduct", c->id, details, err);
		json_decref(details);
	}
	fields_release(&f);
	return rc;
}

static int drill_status(struct store_tx *tx, int64_t id, char *status, size_t n, char *type,
			size_t tn, int64_t *muster_id, int64_t *zone_id, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT status, type, muster_id, zone_id FROM drills WHERE id = ?1", "i",
			     id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1) {
		pg_strlcpy(status, store_text(r, 0), n);
		pg_strlcpy(type, store_text(r, 1), tn);
		*muster_id = store_is_null(r, 2) ? 0 : store_int(r, 2);
		*zone_id = store_is_null(r, 3) ? 0 : store_int(r, 3);
		rc = 0;
	} else if (rc == 0) {
		rc = pg_err_set(err, PG_ENOTFOUND, "no drill with id %lld", (long long)id);
	} else {
		rc = pg_err_set(err, PG_EIO, "store: reading drill failed");
	}
	store_rows_free(r);
	return rc;
}

static int action_load(struct store_tx *tx, int64_t aid, int64_t now_ms, json_t **out,
		       struct pg_err *err)
{
	char today[11];
	today_text(now_ms, today);
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
				  "SELECT " ACTION_COLUMNS " FROM drill_actions a WHERE a.id = ?1",
				  "it", aid, today);
	if (rc == 0 && json_array_size(rows) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "no corrective action with id %lld",
				(long long)aid);
	if (rc == 0)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

static int action_add_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	char status[16], type[32];
	int64_t mid, zid, due;
	int rc = drill_status(tx, c->id, status, sizeof(status), type, sizeof(type), &mid, &zid, err);
	if (rc == 0 && strcmp(status, "cancelled") == 0)
		rc = pg_err_set(err, PG_ECONFLICT, "drill %lld is cancelled", (long long)c->id);
	const char *text = str_of(c->body, "text"), *due_s = str_of(c->body, "due_date");
	const char *user = str_of(c->body, "owner_user");
	json_t *person = json_object_get(c->body, "owner_person_id");
	if (rc == 0)
		rc = text_check(text, "text", ACTION_MAX, 1, 1, err);
	if (rc == 0 && training_day_parse(due_s, &due) < 0)
		rc = pg_err_field(err, PG_EINVAL, "due_date",
				  "due_date must be a date YYYY-MM-DD, not '%.20s'", due_s ? due_s : "");
	if (rc == 0 && !user == !person)
		rc = pg_err_field(err, PG_EINVAL, "owner_person_id",
				  "give the owner as exactly one of owner_person_id (a person) and "
				  "owner_user (a username)");
	int found = 0;
	if (rc == 0 && person) {
		rc = exists(tx, "SELECT 1 FROM people WHERE id = ?1", json_integer_value(person),
			    &found, err);
		if (rc == 0 && !found)
			rc = pg_err_field(err, PG_EUNPROCESSABLE, "owner_person_id",
					  "no person with id %lld",
					  (long long)json_integer_value(person));
	}
	if (rc == 0 && user) {
		json_t *u = NULL;
		rc = store_query_json(tx, &u, err, "SELECT id FROM users WHERE username = ?1", "t",
				      user);
		found = json_array_size(u) > 0;
		json_decref(u);
		if (rc == 0 && !found)
			rc = pg_err_field(err, PG_EUNPROCESSABLE, "owner_user", "no user named '%.64s'",
					  user);
	}
	char now[PG_TIME_LEN];
	pg_time_format(c->now_ms, now);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO drill_actions(drill_id, text, owner_person_id, owner_user, "
				"due_date, status, created_by, created_at) VALUES (?1, ?2, NULLIF(?3, 0), "
				"?4, ?5, 'open', ?6, ?7)",
				"it" "ittt" "t", c->id, text,
				person ? (int64_t)json_integer_value(person) : (int64_t)0, user, due_s,
				c->actor, now);
	if (rc == 0)
		c->aid = store_last_id(tx);
	if (rc == 0) {
		json_t *details = json_deep_copy(c->body);
		json_object_set_new(details, "action_id", json_integer(c->aid));
		rc = publish(tx, c->actor, "drill.action.add", c->id, details, err);
		json_decref(details);
	}
	return rc;
}

static int action_close_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	const char *closure = str_of(c->body, "closure");
	int rc = text_check(closure, "closure", ACTION_MAX, 0, 1, err);
	json_t *a = NULL;
	if (rc == 0)
		rc = action_load(tx, c->aid, c->now_ms, &a, err);
	if (rc == 0 && json_integer_value(json_object_get(a, "drill_id")) != c->id)
		rc = pg_err_set(err, PG_ENOTFOUND, "drill %lld has no corrective action %lld",
				(long long)c->id, (long long)c->aid);
	if (rc == 0 && strcmp(json_string_value(json_object_get(a, "status")), "closed") == 0)
		rc = pg_err_set(err, PG_ECONFLICT, "corrective action %lld is closed already",
				(long long)c->aid);
	json_decref(a);
	char now[PG_TIME_LEN];
	pg_time_format(c->now_ms, now);
	if (rc == 0)
		rc = store_exec(tx, err,
				"UPDATE drill_actions SET status = 'closed', closed_by = ?1, closed_at "
				"= ?2, closure = ?3 WHERE id = ?4",
				"ttti", c->actor, now, nonempty(closure), c->aid);
	if (rc == 0) {
		json_t *details = json_pack("{sI ss*}", "action_id", (json_int_t)c->aid, "closure",
					    nonempty(closure));
		rc = publish(tx, c->actor, "drill.action.close", c->id, details, err);
		json_decref(details);
	}
	return rc;
}

/* Keeps the timing of a closed muster on its drill. */
static int keep_timing(struct store_tx *tx, int64_t drill_id, int64_t muster_id, int *kept,
		       struct pg_err *err)
{
	json_t *m = NULL;
	int rc = access_muster_load_tx(tx, muster_id, &m, err);
	*kept = 0;
	if (rc < 0 || !json_is_string(json_object_get(m, "closed_at"))) {
		json_decref(m);
		return rc;
	}
	json_t *t = muster_timing(m);
	json_decref(m);
	char *text = json_dumps(t, JSON_COMPACT);
	rc = store_exec(tx, err, "UPDATE drills SET muster_timing = ?1 WHERE id = ?2", "ti", text,
			drill_id);
	pg_free(text);
	if (rc == 0)
		rc = publish(tx, "system", "drill.muster.timing", drill_id, t, err);
	json_decref(t);
	*kept = rc == 0;
	return rc;
}

static int muster_start_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	char status[16], type[32];
	int64_t mid, zid;
	int rc = drill_status(tx, c->id, status, sizeof(status), type, sizeof(type), &mid, &zid, err);
	json_t *zv = json_object_get(c->body, "zone_id");
	if (zv)
		zid = json_integer_value(zv);
	if (rc == 0 && strcmp(type, "evacuation") != 0)
		rc = pg_err_field(err, PG_ECONFLICT, "type",
				  "drill %lld is of type %s: only an evacuation drill musters",
				  (long long)c->id, type);
	if (rc == 0 && strcmp(status, "planned") != 0)
		rc = pg_err_set(err, PG_ECONFLICT,
				"drill %lld is %s: a muster is started for a planned drill as it "
				"begins",
				(long long)c->id, status);
	if (rc == 0 && mid)
		rc = pg_err_set(err, PG_ECONFLICT, "drill %lld has muster %lld already",
				(long long)c->id, (long long)mid);
	if (rc == 0 && zid <= 0)
		rc = pg_err_field(err, PG_EINVAL, "zone_id",
				  "zone_id is required: the drill names no zone to muster");
	if (rc == 0)
		rc = access_muster_start_tx(tx, c->actor, zid, 1, &mid, err);
	char now[PG_TIME_LEN];
	pg_time_format(c->now_ms, now);
	if (rc == 0)
		rc = store_exec(tx, err,
				"UPDATE drills SET muster_id = ?1, zone_id = ?2, conducted_at = "
				"coalesce(conducted_at, ?3), updated_by = ?4, updated_at = ?3 WHERE id "
				"= ?5",
				"iitti", mid, zid, now, c->actor, c->id);
	if (rc == 0) {
		json_t *details = json_pack("{sI sI}", "muster_id", (json_int_t)mid, "zone_id",
					    (json_int_t)zid);
		rc = publish(tx, c->actor, "drill.muster.start", c->id, details, err);
		json_decref(details);
	}
	return rc;
}

static int muster_close_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	char status[16], type[32];
	int64_t mid, zid;
	int kept = 0;
	int rc = drill_status(tx, c->id, status, sizeof(status), type, sizeof(type), &mid, &zid, err);
	if (rc == 0 && !mid)
		rc = pg_err_set(err, PG_ECONFLICT, "drill %lld has no muster", (long long)c->id);
	if (rc == 0)
		rc = access_muster_close_tx(tx, c->actor, mid, err);
	if (rc == 0)
		rc = keep_timing(tx, c->id, mid, &kept, err);
	return rc;
}

static int personnel_tx(struct store_tx *tx, struct op_ctx *c, struct pg_err *err)
{
	const char *date = str_of(c->body, "date"), *note = str_of(c->body, "note");
	json_int_t pct = json_integer_value(json_object_get(c->body, "percent"));
	int64_t day;
	int rc = 0;
	if (training_day_parse(date, &day) < 0)
		rc = pg_err_field(err, PG_EINVAL, "date", "date must be a date YYYY-MM-DD");
	else if (day > day_of_ms(c->now_ms))
		rc = pg_err_field(err, PG_EUNPROCESSABLE, "date", "date %s is in the future", date);
	if (rc == 0 && (pct < 0 || pct > 100))
		rc = pg_err_field(err, PG_EUNPROCESSABLE, "percent", "percent must be 0 to 100");
	if (rc == 0)
		rc = text_check(note, "note", ACTION_MAX, 0, 1, err);
	char now[PG_TIME_LEN];
	pg_time_format(c->now_ms, now);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO drill_personnel_changes(date, percent, note, recorded_by, "
				"recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
				"titt" "t", date, (int64_t)pct, nonempty(note), c->actor, now);
	if (rc == 0) {
		c->aid = store_last_id(tx);
		json_t *details = json_pack("{sI ss sI}", "personnel_change_id", (json_int_t)c->aid,
					    "date", date, "percent", pct);
		rc = publish(tx, c->actor, "drill.personnel_change", 0, details, err);
		json_decref(details);
	}
	if (rc == 0)
		rc = store_query_json(tx, &c->out, err,
				      "SELECT id, date, percent, note, recorded_by, recorded_at FROM "
				      "drill_personnel_changes WHERE id = ?1",
				      "i", c->aid);
	if (rc == 0) {
		json_t *row = json_incref(json_array_get(c->out, 0));
		json_decref(c->out);
		c->out = row;
	}
	return rc;
}

int training_drill_create_tx(struct store_tx *tx, const char *actor, json_t *body,
			     int64_t now_ms, int64_t *id, struct pg_err *err)
{
	struct op_ctx c = {.op = OP_CREATE, .actor = actor, .body = body, .now_ms = now_ms};
	int rc = create_tx(tx, &c, err);
	if (rc == 0)
		*id = c.id;
	return rc;
}

int training_drill_action_add_tx(struct store_tx *tx, const char *actor, int64_t drill_id,
				 json_t *body, int64_t now_ms, int64_t *id, struct pg_err *err)
{
	struct op_ctx c = {.op = OP_ACTION_ADD, .actor = actor, .id = drill_id, .body = body,
			   .now_ms = now_ms};
	int rc = action_add_tx(tx, &c, err);
	if (rc == 0)
		*id = c.aid;
	return rc;
}

/* ---- the schedule in the store ------------------------------------------------------------ */

struct kind_state {
	int has_last;
	int64_t last_day, last_id;
	char last[PG_TIME_LEN];
	struct training_due due;
	int64_t change_day, change_pct;
};

static int schedule_since(struct store_tx *tx, int64_t now_ms, int64_t *since, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT value FROM drill_meta WHERE key = 'schedule_since'",
			     "");
	if (rc < 0)
		return rc;
	*since = day_of_ms(now_ms);
	if (store_next(r) == 1 && training_day_parse(store_text(r, 0), since) < 0)
		*since = day_of_ms(now_ms);
	store_rows_free(r);
	return 0;
}

static int kind_state(struct store_tx *tx, enum training_drill_kind kind, int64_t now_ms,
		      int64_t since, struct kind_state *k, struct pg_err *err)
{
	memset(k, 0, sizeof(*k));
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT id, conducted_at FROM drills WHERE kind = ?1 AND status = "
			     "'conducted' ORDER BY conducted_at DESC, id DESC LIMIT 1",
			     "t", kind == TRAINING_DRILL ? "drill" : "exercise");
	if (rc < 0)
		return rc;
	if (store_next(r) == 1) {
		int64_t ms = 0;
		k->last_id = store_int(r, 0);
		pg_strlcpy(k->last, store_text(r, 1), sizeof(k->last));
		pg_time_parse(k->last, &ms);
		k->last_day = day_of_ms(ms);
		k->has_last = 1;
	}
	store_rows_free(r);
	if (kind == TRAINING_DRILL) {
		rc = store_query(tx, &r, err,
				 "SELECT date, percent FROM drill_personnel_changes WHERE percent > 25 "
				 "ORDER BY date DESC, id DESC LIMIT 1",
				 "");
		if (rc < 0)
			return rc;
		if (store_next(r) == 1 && training_day_parse(store_text(r, 0), &k->change_day) == 0)
			k->change_pct = store_int(r, 1);
		store_rows_free(r);
	}
	training_drill_due(kind, k->has_last, k->last_day, since, k->change_day, day_of_ms(now_ms),
			   &k->due);
	return 0;
}

static void kind_reason(enum training_drill_kind kind, const struct kind_state *k, int64_t since,
			char *out, size_t n)
{
	const char *what = kind == TRAINING_DRILL ? "drill" : "exercise";
	char due[11], last[11], from[11], change[11];
	training_day_format(k->due.due, due);
	training_day_format(k->last_day, last);
	training_day_format(since, from);
	training_day_format(k->change_day, change);
	if (k->due.by_personnel_change)
		pg_snprintf(out, n,
			    "more than 25%% of the personnel with security duties changed on %s "
			    "(%lld%%) with no drill since (due %s)",
			    change, (long long)k->change_pct, due);
	else if (!k->has_last)
		pg_snprintf(out, n, "no %s recorded since the schedule began on %s (due %s)", what,
			    from, due);
	else if (k->due.status == TRAINING_DUE_OVERDUE)
		pg_snprintf(out, n, "no %s recorded since %s (due %s)", what, last, due);
	else
		pg_snprintf(out, n, "last %s on %s; the next is due by %s", what, last, due);
}

static void due_time(int64_t day, char out[PG_TIME_LEN])
{
	pg_time_format(day * DAY_MS + DAY_MS - 1, out); /* the end of the due day */
}

static json_t *kind_json(struct store_tx *tx, enum training_drill_kind kind,
			 const struct kind_state *k, int64_t since)
{
	char due[PG_TIME_LEN], due_date[11], reason[300];
	due_time(k->due.due, due);
	training_day_format(k->due.due, due_date);
	kind_reason(kind, k, since, reason, sizeof(reason));
	json_t *o = json_pack("{ss so so ss ss ss sI sI ss sb}", "kind",
			      kind == TRAINING_DRILL ? "drill" : "exercise", "last",
			      k->has_last ? json_string(k->last) : json_null(), "last_id",
			      k->has_last ? json_integer(k->last_id) : json_null(), "due", due,
			      "due_date", due_date, "status", STATUS_NAMES[k->due.status],
			      "days_overdue", (json_int_t)k->due.days_overdue, "days_left",
			      (json_int_t)k->due.days_left, "reason", reason, "by_personnel_change",
			      k->due.by_personnel_change);
	json_t *planned = NULL;
	struct pg_err e = {0};
	if (store_query_json(tx, &planned, &e,
			     "SELECT id, type, title, planned_at FROM drills WHERE kind = ?1 AND "
			     "status = 'planned' ORDER BY planned_at, id LIMIT 1",
			     "t", kind == TRAINING_DRILL ? "drill" : "exercise") == 0 &&
	    json_array_size(planned))
		json_object_set(o, "next_planned", json_array_get(planned, 0));
	else
		json_object_set_new(o, "next_planned", json_null());
	json_decref(planned);
	return o;
}

int training_drill_schedule_tx(struct store_tx *tx, int64_t now_ms, json_t **out,
			       struct pg_err *err)
{
	int64_t since;
	struct kind_state drill, exercise;
	int rc = schedule_since(tx, now_ms, &since, err);
	if (rc == 0)
		rc = kind_state(tx, TRAINING_DRILL, now_ms, since, &drill, err);
	if (rc == 0)
		rc = kind_state(tx, TRAINING_EXERCISE, now_ms, since, &exercise, err);
	char today[11], from[11];
	today_text(now_ms, today);
	training_day_format(since, from);
	json_t *overdue = NULL, *open = NULL;
	if (rc == 0)
		rc = store_query_json(tx, &overdue, err,
				      "SELECT " ACTION_COLUMNS ", julianday(?2) - julianday(a.due_date) "
				      "AS days_overdue FROM drill_actions a WHERE a.status = 'open' AND "
				      "a.due_date < ?2 ORDER BY a.due_date, a.id LIMIT ?1",
				      "it", (int64_t)500, today);
	if (rc == 0)
		rc = store_query_json(tx, &open, err,
				      "SELECT count(*) AS n FROM drill_actions WHERE status = 'open'", "");
	if (rc < 0) {
		json_decref(overdue);
		json_decref(open);
		return rc;
	}
	size_t i;
	json_t *a;
	json_array_foreach(overdue, i, a) /* julianday differences are reals */
		json_object_set_new(a, "days_overdue",
				    json_integer((json_int_t)json_number_value(
					    json_object_get(a, "days_overdue"))));
	*out = json_pack("{ss ss so so sO so}", "today", today, "since", from, "drill",
			 kind_json(tx, TRAINING_DRILL, &drill, since), "exercise",
			 kind_json(tx, TRAINING_EXERCISE, &exercise, since), "actions_open",
			 json_object_get(json_array_get(open, 0), "n"), "actions_overdue", overdue);
	json_decref(open);
	return 0;
}

static int notice(struct store_tx *tx, enum training_drill_kind kind, const struct kind_state *k,
		  int64_t since, int64_t now_ms, int *published, struct pg_err *err)
{
	const char *what = kind == TRAINING_DRILL ? "drill" : "exercise";
	char due_date[11], due[PG_TIME_LEN], reason[300], now[PG_TIME_LEN];
	training_day_format(k->due.due, due_date);
	int found = 0;
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
				  "SELECT 1 AS x FROM drill_notices WHERE kind = ?1 AND due = ?2", "tt",
				  what, due_date);
	found = json_array_size(rows) > 0;
	json_decref(rows);
	if (rc < 0 || found)
		return rc;
	due_time(k->due.due, due);
	kind_reason(kind, k, since, reason, sizeof(reason));
	json_t *ev = json_pack("{ss ss so ss ss sI ss}", "action",
			       kind == TRAINING_DRILL ? "drill_overdue" : "exercise_overdue", "kind",
			       what, "last", k->has_last ? json_string(k->last) : json_null(), "due",
			       due, "due_date", due_date, "days_overdue",
			       (json_int_t)k->due.days_overdue, "reason", reason);
	int64_t eid = store_event(tx, "training", ev, err);
	rc = eid < 0 ? (int)eid : 0;
	pg_time_format(now_ms, now);
	if (rc == 0)
		rc = store_exec(tx, err,
				"INSERT INTO drill_notices(kind, due, event_id, emitted_at) VALUES "
				"(?1, ?2, ?3, ?4)",
				"ttit", what, due_date, eid, now);
	if (rc == 0)
		rc = store_audit(tx, "system", json_string_value(json_object_get(ev, "action")),
				 "schedule", ev, err);
	json_decref(ev);
	if (rc == 0)
		(*published)++;
	return rc;
}

int training_drill_check_tx(struct store_tx *tx, int64_t now_ms, int *published,
			    struct pg_err *err)
{
	int64_t since;
	int n = 0;
	struct kind_state k;
	int rc = schedule_since(tx, now_ms, &since, err);
	for (int kind = TRAINING_DRILL; rc == 0 && kind <= TRAINING_EXERCISE; kind++) {
		rc = kind_state(tx, (enum training_drill_kind)kind, now_ms, since, &k, err);
		if (rc == 0 && k.due.status == TRAINING_DUE_OVERDUE)
			rc = notice(tx, (enum training_drill_kind)kind, &k, since, now_ms, &n, err);
	}
	json_t *open = NULL;
	if (rc == 0)
		rc = store_query_json(tx, &open, err,
				      "SELECT id, muster_id FROM drills WHERE muster_id IS NOT NULL "
				      "AND muster_timing IS NULL",
				      "");
	size_t i;
	json_t *row;
	json_array_foreach(open, i, row) {
		int kept;
		if (rc == 0)
			rc = keep_timing(tx, json_integer_value(json_object_get(row, "id")),
					 json_integer_value(json_object_get(row, "muster_id")), &kept,
					 err);
	}
	json_decref(open);
	if (rc == 0 && published)
		*published = n;
	return rc;
}

/* ---- the module: the check thread ---------------------------------------------------------- */

struct training_drill {
	struct store *s;
	struct pg_bus_sub *sub;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop, kick, started;
};

static void kick(void *ctx)
{
	struct training_drill *d = ctx;
	pthread_mutex_lock(&d->lock);
	d->kick = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

static int check_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int n = 0;
	int rc = training_drill_check_tx(tx, pg_now_ms(), &n, err);
	if (rc == 0 && n)
		pg_info("drills: %d overdue notice(s) published", n);
	return rc;
}

static void *check_thread(void *arg)
{
	struct training_drill *d = arg;
	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		d->kick = 0;
		pthread_mutex_unlock(&d->lock);
		if (d->sub) { /* the muster events only wake us: drain them */
			int64_t id;
			char *json = NULL;
			while (pg_bus_next(d->sub, &id, &json) != 0) {
				pg_free(json);
				json = NULL;
			}
		}
		struct pg_err err = {0};
		if (store_write(d->s, check_fn, NULL, &err) < 0)
			pg_warn("drills: the overdue check failed: %s", err.msg);
		pthread_mutex_lock(&d->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += CHECK_EVERY_S;
		while (!d->stop && !d->kick)
			if (pthread_cond_timedwait(&d->cond, &d->lock, &until) != 0)
				break;
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int training_drill_open(struct store *s, struct pg_bus *bus, struct training_drill **out,
			struct pg_err *err)
{
	struct training_drill *d = pg_calloc(1, sizeof(*d));
	d->s = s;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (bus)
		d->sub = pg_bus_subscribe(bus, "muster", kick, d);
	if (pthread_create(&d->thread, NULL, check_thread, d) != 0) {
		pg_bus_unsubscribe(d->sub);
		pthread_cond_destroy(&d->cond);
		pthread_mutex_destroy(&d->lock);
		pg_free(d);
		return pg_err_set(err, PG_EIO, "drills: cannot start the check thread");
	}
	d->started = 1;
	*out = d;
	return 0;
}

void training_drill_close(struct training_drill *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (d->started)
		pthread_join(d->thread, NULL);
	if (d->sub)
		pg_bus_unsubscribe(d->sub);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	pg_free(d);
}

/* ---- routes -------------------------------------------------------------------------------- */

static int op_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op_ctx *c = vctx;
	int rc;
	switch (c->op) {
	case OP_CREATE: rc = create_tx(tx, c, err); break;
	case OP_UPDATE: rc = update_tx(tx, c, err); break;
	case OP_CONDUCT: rc = conduct_tx(tx, c, err); break;
	case OP_ACTION_ADD: rc = action_add_tx(tx, c, err); break;
	case OP_ACTION_CLOSE: rc = action_close_tx(tx, c, err); break;
	case OP_MUSTER_START: rc = muster_start_tx(tx, c, err); break;
	case OP_MUSTER_CLOSE: rc = muster_close_tx(tx, c, err); break;
	default: rc = personnel_tx(tx, c, err); break;
	}
	if (rc == 0 && (c->op == OP_ACTION_ADD || c->op == OP_ACTION_CLOSE))
		rc = action_load(tx, c->aid, c->now_ms, &c->out, err);
	else if (rc == 0 && c->op != OP_PERSONNEL)
		rc = drill_load(tx, c->id, c->now_ms, &c->out, err);
	if (rc == 0 && c->mod)
		store_after_commit(tx, kick, NULL, c->mod);
	return rc;
}

static void run_op(struct http_req *req, enum op op, int nparams, int status)
{
	struct op_ctx c = {.op = op, .mod = req->ctx, .actor = req->who.name, .body = req->body,
			   .now_ms = pg_now_ms()};
	if (nparams >= 1 && http_param_id(req, 0, &c.id) < 0)
		return;
	if (nparams >= 2 && http_param_id(req, 1, &c.aid) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_write(http_store(req), op_fn, &c, &err);
	if (rc < 0) {
		json_decref(c.out);
		http_error(req, rc, &err);
		return;
	}
	http_json(req, status, c.out);
	if (op == OP_CREATE) {
		char loc[64];
		pg_snprintf(loc, sizeof(loc), "/api/v1/drills/%lld", (long long)c.id);
		http_header(req, "Location", loc);
	}
}

static void api_create(struct http_req *req) { run_op(req, OP_CREATE, 0, 201); }
static void api_update(struct http_req *req) { run_op(req, OP_UPDATE, 1, 200); }
static void api_conduct(struct http_req *req) { run_op(req, OP_CONDUCT, 1, 200); }
static void api_action_add(struct http_req *req) { run_op(req, OP_ACTION_ADD, 1, 201); }
static void api_action_close(struct http_req *req) { run_op(req, OP_ACTION_CLOSE, 2, 200); }
static void api_muster_start(struct http_req *req) { run_op(req, OP_MUSTER_START, 1, 201); }
static void api_muster_close(struct http_req *req) { run_op(req, OP_MUSTER_CLOSE, 1, 200); }
static void api_personnel(struct http_req *req) { run_op(req, OP_PERSONNEL, 0, 201); }

struct read_ctx {
	int64_t id, after, now_ms;
	int limit;
	const char *kind, *status, *type, *from, *to;
	json_t *out;
};

static int get_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	return drill_load(tx, c->id, c->now_ms, &c->out, err);
}

static int schedule_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	return training_drill_schedule_tx(tx, c->now_ms, &c->out, err);
}

static int list_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	json_t *rows = NULL;
	char today[11];
	today_text(c->now_ms, today);
	int rc = store_query_json(
		tx, &rows, err,
		"SELECT " DRILL_COLUMNS ", (SELECT count(*) FROM drill_participants dp WHERE "
		"dp.drill_id = d.id) AS participant_count, (SELECT count(*) FROM drill_actions a "
		"WHERE a.drill_id = d.id AND a.status = 'open') AS actions_open, (SELECT count(*) "
		"FROM drill_actions a WHERE a.drill_id = d.id AND a.status = 'open' AND a.due_date < "
		"?8) AS actions_overdue FROM drills d WHERE (?1 = 0 OR d.id < ?1) AND (?3 IS NULL OR "
		"d.kind = ?3) AND (?4 IS NULL OR d.status = ?4) AND (?5 IS NULL OR d.type = ?5) AND "
		"(?6 IS NULL OR substr(coalesce(d.conducted_at, d.planned_at), 1, 10) >= ?6) AND "
		"(?7 IS NULL OR substr(coalesce(d.conducted_at, d.planned_at), 1, 10) <= ?7) "
		"ORDER BY d.id DESC LIMIT ?2",
		"iittttt" "t", c->after, (int64_t)c->limit, c->kind, c->status, c->type, c->from, c->to,
		today);
	if (rc == 0)
		c->out = store_page(rows, c->limit, "id");
	return rc;
}

static void read_answer(struct http_req *req, store_fn fn, struct read_ctx *c)
{
	struct pg_err err = {0};
	c->now_ms = pg_now_ms();
	int rc = store_read(http_store(req), fn, c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c->out);
}

static void api_get(struct http_req *req)
{
	struct read_ctx c = {0};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	read_answer(req, get_fn, &c);
}

static void api_schedule(struct http_req *req)
{
	struct read_ctx c = {0};
	read_answer(req, schedule_fn, &c);
}

static int list_filter(struct http_req *req, const char *name, const char *const *allowed)
{
	const char *v = http_query(req, name);
	int64_t day;
	if (!v)
		return 0;
	if (allowed ? name_index(allowed, v) >= 0 : training_day_parse(v, &day) == 0)
		return 0;
	http_problem(req, 400, "bad-field", name, "%s: '%.32s' is not %s", name, v,
		     allowed ? "one of the allowed values" : "a date YYYY-MM-DD");
	return -1;
}

static void api_list(struct http_req *req)
{
	static const char *const statuses[] = {"planned", "conducted", "cancelled", NULL};
	struct read_ctx c = {0};
	if (http_page_args(req, &c.limit, &c.after) < 0 || list_filter(req, "kind", KINDS) < 0 ||
	    list_filter(req, "status", statuses) < 0 || list_filter(req, "type", TYPES) < 0 ||
	    list_filter(req, "from", NULL) < 0 || list_filter(req, "to", NULL) < 0)
		return;
	c.kind = http_query(req, "kind");
	c.status = http_query(req, "status");
	c.type = http_query(req, "type");
	c.from = http_query(req, "from");
	c.to = http_query(req, "to");
	read_answer(req, list_fn, &c);
}

static int actions_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	char today[11];
	today_text(c->now_ms, today);
	json_t *rows = NULL;
	int rc = store_query_json(
		tx, &rows, err,
		"SELECT " ACTION_COLUMNS " FROM drill_actions a WHERE (?1 = 0 OR a.id < ?1) AND "
		"(?4 IS NULL OR a.status = ?4) AND (?5 = 0 OR (a.status = 'open' AND a.due_date < "
		"?2)) ORDER BY a.id DESC LIMIT ?3",
		"iti" "ti", c->after, today, (int64_t)c->limit, c->status, c->id);
	if (rc == 0)
		c->out = store_page(rows, c->limit, "id");
	return rc;
}

static void api_actions(struct http_req *req)
{
	static const char *const statuses[] = {"open", "closed", NULL};
	static const char *const bools[] = {"true", "false", NULL};
	struct read_ctx c = {0};
	if (http_page_args(req, &c.limit, &c.after) < 0 || list_filter(req, "status", statuses) < 0 ||
	    list_filter(req, "overdue", bools) < 0)
		return;
	c.status = http_query(req, "status");
	const char *o = http_query(req, "overdue");
	c.id = o && strcmp(o, "true") == 0; /* the overdue flag */
	read_answer(req, actions_fn, &c);
}

#define DRILL_FIELDS(req)                                                                          \
	{"kind", F_STRING, req, 16, "drill or exercise"},                                          \
	{"type", F_STRING, req, 32,                                                                \
	 "evacuation, intrusion, bomb_threat, fire, spill, cyber, access_control, cargo, "        \
	 "waterside, level_change, communications or other"},                                      \
	{"format", F_STRING, 0, 16, "exercises: live, tabletop or combined"},                      \
	{"title", F_STRING, req, TITLE_MAX, "a short name"},                                       \
	{"scenario", F_STRING, 0, LONG_MAX_TEXT, "what is simulated"},                             \
	{"planned_at", F_STRING, 0, 64, "RFC 3339: the planned start"},                            \
	{"conducted_at", F_STRING, 0, 64, "RFC 3339: when it took place"},                         \
	{"ended_at", F_STRING, 0, 64, "RFC 3339: when it ended"},                                  \
	{"place", F_STRING, 0, PLACE_MAX, "where"},                                                \
	{"zone_id", F_INT, 0, 0, "evacuation: the zone to muster"},                                \
	{"participants", F_ARRAY, 0, 0, "people ids (replaces the list)"},                         \
	{"observers", F_ARRAY, 0, 0, "names or usernames of observers"},                           \
	{"results", F_STRING, 0, LONG_MAX_TEXT, "what happened, measured against the plan"},       \
	{"lessons", F_STRING, 0, LONG_MAX_TEXT, "lessons learned"}

static const struct http_field create_body[] = {
	DRILL_FIELDS(1),
	{"status", F_STRING, 0, 16, "planned (default without conducted_at) or conducted"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field update_body[] = {
	DRILL_FIELDS(0),
	{"status", F_STRING, 0, 16, "cancelled (from planned) or planned (from cancelled)"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field conduct_body[] = {
	{"conducted_at", F_STRING, 0, 64, "RFC 3339 (default: the muster's start, or now)"},
	{"ended_at", F_STRING, 0, 64, "RFC 3339"},
	{"place", F_STRING, 0, PLACE_MAX, "where"},
	{"participants", F_ARRAY, 0, 0, "people ids (replaces the list)"},
	{"observers", F_ARRAY, 0, 0, "names or usernames"},
	{"results", F_STRING, 1, LONG_MAX_TEXT, "what happened, measured against the plan"},
	{"lessons", F_STRING, 0, LONG_MAX_TEXT, "lessons learned"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field action_body[] = {
	{"text", F_STRING, 1, ACTION_MAX, "what must change"},
	{"owner_person_id", F_INT, 0, 0, "the owner, a person (or owner_user)"},
	{"owner_user", F_STRING, 0, 64, "the owner, a username (or owner_person_id)"},
	{"due_date", F_STRING, 1, 10, "YYYY-MM-DD"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field close_body[] = {
	{"closure", F_STRING, 0, ACTION_MAX, "what was done"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field muster_body[] = {
	{"zone_id", F_INT, 0, 0, "the zone to evacuate (default: the drill's zone)"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_field personnel_body[] = {
	{"date", F_STRING, 1, 10, "YYYY-MM-DD: the day of the change"},
	{"percent", F_INT, 1, 0, "share of the personnel with security duties replaced, 0-100"},
	{"note", F_STRING, 0, ACTION_MAX, "what changed"},
	{NULL, 0, 0, 0, NULL},
};

static const struct http_route routes[] = {
	{"GET", "/api/v1/drills/schedule", READ, api_schedule,
	 "What is due and overdue: drills every 3 months, exercises each calendar year within 18 "
	 "months; open and overdue corrective actions",
	 NULL, 200, "{today, since, drill, exercise, actions_open, actions_overdue}", NULL},
	{"GET", "/api/v1/drills/actions", READ, api_actions,
	 "Corrective actions of all drills, newest first", NULL, 200, "{items, next}",
	 "status,overdue,limit,after"},
	{"POST", "/api/v1/drills/personnel-changes", WRITE, api_personnel,
	 "Record a change of the personnel with security duties (over 25%: a drill within a week)",
	 personnel_body, 201, "{id, date, percent, note, recorded_by, recorded_at}", NULL},
	{"GET", "/api/v1/drills", READ, api_list, "Drills and exercises, newest first", NULL, 200,
	 "{items, next}", "kind,status,type,from,to,limit,after"},
	{"POST", "/api/v1/drills", WRITE, api_create, "Plan or record a drill or exercise",
	 create_body, 201, "drill", NULL},
	{"GET", "/api/v1/drills/{id}", READ, api_get,
	 "A drill with participants, corrective actions and muster timing", NULL, 200, "drill",
	 NULL},
	{"PATCH", "/api/v1/drills/{id}", WRITE, api_update, "Change a drill's record", update_body,
	 200, "drill", NULL},
	{"POST", "/api/v1/drills/{id}/conduct", WRITE, api_conduct,
	 "Record a planned drill as conducted, with its results", conduct_body, 200, "drill",
	 NULL},
	{"POST", "/api/v1/drills/{id}/actions", WRITE, api_action_add, "Add a corrective action",
	 action_body, 201, "action", NULL},
	{"POST", "/api/v1/drills/{id}/actions/{aid}/close", WRITE, api_action_close,
	 "Close a corrective action", close_body, 200, "action", NULL},
	{"POST", "/api/v1/drills/{id}/muster", WRITE, api_muster_start,
	 "Start the evacuation drill's muster (a real muster, flagged as a drill)", muster_body,
	 201, "drill", NULL},
	{"POST", "/api/v1/drills/{id}/muster/close", WRITE, api_muster_close,
	 "Close the drill's muster and keep its timing on the drill", NULL, 200, "drill", NULL},
};

int training_drill_register_routes(struct training_drill *d)
{
	return http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), d);
}

/* ---- demo history -------------------------------------------------------------------------- */

struct demo_ctx {
	int64_t now_ms;
};

static int demo_drill(struct store_tx *tx, int64_t now_ms, json_t *body, int64_t *id,
		      struct pg_err *err)
{
	struct op_ctx c = {.op = OP_CREATE, .actor = "demo", .body = body, .now_ms = now_ms};
	int rc = create_tx(tx, &c, err);
	json_decref(body);
	if (rc == 0)
		*id = c.id;
	return rc;
}

static int demo_action(struct store_tx *tx, int64_t now_ms, int64_t drill, json_t *body,
		       const char *closure, struct pg_err *err)
{
	struct op_ctx c = {.op = OP_ACTION_ADD, .actor = "demo", .id = drill, .body = body,
			   .now_ms = now_ms};
	int rc = action_add_tx(tx, &c, err);
	json_decref(body);
	if (rc == 0 && closure) {
		json_t *b = json_pack("{ss}", "closure", closure);
		c.op = OP_ACTION_CLOSE;
		c.body = b;
		rc = action_close_tx(tx, &c, err);
		json_decref(b);
	}
	return rc;
}

static json_t *ago(int64_t now_ms, int days, int hour)
{
	char t[PG_TIME_LEN];
	int64_t day = day_of_ms(now_ms) - days;
	pg_time_format(day * DAY_MS + hour * 3600000LL, t);
	return json_string(t);
}

static json_t *date_ago(int64_t now_ms, int days)
{
	char t[11];
	training_day_format(day_of_ms(now_ms) - days, t);
	return json_string(t);
}

static int demo_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct demo_ctx *dc = vctx;
	int64_t now = dc->now_ms, id = 0;
	json_t *people = NULL;
	int rc = store_query_json(tx, &people, err,
				  "SELECT id FROM people WHERE kind = 'employee' ORDER BY id LIMIT 12",
				  "");
	if (rc < 0)
		return rc;
	json_t *p1 = json_array(), *p2 = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(people, i, row) {
		json_array_append(i % 2 ? p2 : p1, json_object_get(row, "id"));
	}
	json_decref(people);
	/* the schedule began a year ago */
	char since[11];
	training_day_format(day_of_ms(now) - 365, since);
	rc = store_exec(tx, err, "UPDATE drill_meta SET value = ?1 WHERE key = 'schedule_since'", "t",
			since);
	if (rc == 0)
		rc = demo_drill(
			tx, now,
			json_pack("{ss ss ss ss so ss sO so ss ss}", "kind", "drill", "type",
				  "evacuation", "title", "Terminal building evacuation", "scenario",
				  "Fire alarm in the passenger terminal at shift change",
				  "conducted_at", ago(now, 330, 10), "place", "Passenger terminal",
				  "participants", p1, "observers", json_pack("[s]", "pfso"), "results",
				  "Building clear in 7 min 40 s; two visitors left without escort",
				  "lessons", "Visitor hosts must collect their visitors at the muster point"),
			&id, err);
	if (rc == 0)
		rc = demo_action(tx, now, id,
				 json_pack("{ss ss so}", "text",
					   "Brief all hosts on escorting visitors during evacuation",
					   "owner_user", "pfso", "due_date", date_ago(now, 300)),
				 "Briefing given at the monthly safety meeting", err);
	if (rc == 0)
		rc = demo_drill(
			tx, now,
			json_pack("{ss ss ss ss so ss sO so ss}", "kind", "drill", "type", "intrusion",
				  "title", "Fence breach at the container yard", "scenario",
				  "A person climbs the north fence at night", "conducted_at",
				  ago(now, 245, 22), "place", "Container yard, north fence",
				  "participants", p2, "observers", json_pack("[s]", "Harbour police"),
				  "results", "Patrol on scene in 6 minutes; CCTV operator lost track "
					     "once"),
			&id, err);
	if (rc == 0) {
		/* the overdue one */
		json_t *b = json_pack("{ss so}", "text",
				      "Add a camera preset covering the north fence corner", "due_date",
				      date_ago(now, 20));
		if (json_array_size(p2))
			json_object_set(b, "owner_person_id", json_array_get(p2, 0));
		else
			json_object_set_new(b, "owner_user", json_string("pfso"));
		rc = demo_action(tx, now, id, b, NULL, err);
	}
	if (rc == 0)
		rc = demo_drill(
			tx, now,
			json_pack("{ss ss ss ss ss so ss sO so ss ss}", "kind", "exercise", "type",
				  "bomb_threat", "format", "tabletop", "title",
				  "Bomb threat against a cruise call", "scenario",
				  "A phoned threat while a cruise ship is alongside, with the "
				  "authorities and the ship's SSO",
				  "conducted_at", ago(now, 200, 9), "place", "Port authority "
									  "meeting room",
				  "participants", p1, "observers",
				  json_pack("[s s]", "Coast guard", "Police"), "results",
				  "Roles clear; the call-out list was out of date", "lessons",
				  "Review the call-out list every quarter"),
			&id, err);
	if (rc == 0)
		rc = demo_action(tx, now, id,
				 json_pack("{ss ss so}", "text", "Update the emergency call-out list",
					   "owner_user", "pfso", "due_date", date_ago(now, 150)),
				 "List updated and distributed", err);
	if (rc == 0)
		rc = demo_drill(
			tx, now,
			json_pack("{ss ss ss so ss sO so ss}", "kind", "drill", "type", "bomb_threat",
				  "title", "Suspicious package at gate 2", "conducted_at",
				  ago(now, 155, 14), "place", "Gate 2", "participants", p2,
				  "observers", json_array(), "results",
				  "Area cordoned in 4 minutes, vehicles diverted"),
			&id, err);
	if (rc == 0)
		rc = demo_drill(
			tx, now,
			json_pack("{ss ss ss so ss sO so ss}", "kind", "drill", "type", "fire",
				  "title", "Fire at the fuel berth", "conducted_at",
				  ago(now, 70, 11), "place", "Berth 4", "participants", p1,
				  "observers", json_pack("[s]", "Fire brigade"), "results",
				  "Water curtain in 3 minutes; access to berth 4 closed"),
			&id, err);
	if (rc == 0)
		rc = demo_drill(tx, now,
				json_pack("{ss ss ss ss so ss}", "kind", "drill", "type", "cyber",
					  "title", "Phishing and access control outage", "scenario",
					  "The access control server is unreachable for an hour",
					  "planned_at", ago(now, -12, 9), "place", "Control room"),
				&id, err);
	if (rc == 0)
		rc = demo_drill(tx, now,
				json_pack("{ss ss ss ss ss so ss}", "kind", "exercise", "type",
					  "spill", "format", "live", "title",
					  "Oil spill with the harbour master", "scenario",
					  "Bunker spill at berth 2 during a level 2 period",
					  "planned_at", ago(now, -60, 8), "place", "Berth 2"),
				&id, err);
	json_decref(p1);
	json_decref(p2);
	return rc;
}

int training_drill_demo_seed(struct store *s, struct pg_err *err)
{
	struct demo_ctx c = {pg_now_ms()};
	return store_write(s, demo_fn, &c, err);
}
