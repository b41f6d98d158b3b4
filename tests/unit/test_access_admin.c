/* Unit tests of access administration: the CSV import of people (all or nothing, errors
 * naming line and column, RFC 4180 quoting) and the value checks the routes use
 * (GeoJSON polygons, schedules, holidays, levels, card UIDs). */
#include "unit.h"

#include "access/access_admin.h"
#include "access/access_import.h"
#include "store/store.h"

#define HEADER "kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group\n"

static int add_group(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return store_exec(
	    tx, err,
	    "INSERT INTO access_groups(name, created_at, updated_at) VALUES (?1, 'x', 'x')", "t",
	    (const char *)ctx);
}

static int setup(void **state)
{
	struct fixture *f = unit_fixture_new();
	struct pg_err err = {0};
	if (store_write(f->s, add_group, "Staff", &err) < 0 ||
	    store_write(f->s, add_group, "Crew, deck", &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

/* A FILE holding text (a temporary file, rewound). */
static FILE *text_file(const char *text)
{
	FILE *fp = tmpfile();
	assert_non_null(fp);
	fputs(text, fp);
	rewind(fp);
	return fp;
}

static int import_text(struct fixture *f, const char *text, int *n, struct pg_err *err)
{
	FILE *fp = text_file(text);
	int rc = access_import_people(f->s, "test", fp, n, err);
	fclose(fp);
	return rc;
}

struct query {
	const char *sql;
	const char *arg;
	int64_t n;
	char text[256];
};

static int query_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct query *q = ctx;
	struct store_rows *r = NULL;
	int rc = q->arg ? store_query(tx, &r, err, q->sql, "t", q->arg)
	                : store_query(tx, &r, err, q->sql, "");
	if (rc < 0)
		return rc;
	q->n = -1;
	q->text[0] = '\0';
	if (store_next(r) == 1) {
		q->n = store_int(r, 0);
		if (store_text(r, 0))
			snprintf(q->text, sizeof(q->text), "%s", store_text(r, 0));
	}
	store_rows_free(r);
	return 0;
}

static int64_t count(struct fixture *f, const char *sql)
{
	struct query q = {sql, NULL, 0, ""};
	struct pg_err err = {0};
	assert_int_equal(store_read(f->s, query_tx, &q, &err), 0);
	return q.n;
}

static const char *text_of(struct fixture *f, const char *sql, const char *arg, struct query *q)
{
	struct pg_err err = {0};
	q->sql = sql;
	q->arg = arg;
	assert_int_equal(store_read(f->s, query_tx, q, &err), 0);
	return q->text;
}

/* ---- the import ------------------------------------------------------------------------- */

static void a_good_file_imports_people_with_credentials_and_groups(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct query q;
	int n = -1;
	const char *csv = HEADER "employee,Ann,Quay,Stevedores Ltd,passport,P123,a1b2c3d4,Staff\n"
	                         "contractor,Bo,Lost,,,,,\n"
	                         "crew,Cy,Deck,,seaman_book,SB9,0badcafe,\"Crew, deck\"\n"
	                         "driver,Di,Truck,Hauliers,,,,Staff\n"
	                         "authority,Ed,Customs,Customs,,,,\n";
	assert_int_equal(import_text(f, csv, &n, &err), 0);
	assert_int_equal(n, 5);
	assert_int_equal(count(f, "SELECT count(*) FROM people"), 5);
	assert_int_equal(count(f, "SELECT count(*) FROM credentials WHERE status = 'active'"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM credentials WHERE pin_hash IS NULL"), 2);
	assert_int_equal(count(f, "SELECT count(*) FROM person_groups"), 3);
	assert_string_equal(text_of(f,
	                            "SELECT p.last_name FROM credentials c JOIN people p ON "
	                            "p.id = c.person_id WHERE c.uid = ?1",
	                            "A1B2C3D4", &q),
	                    "Quay");
	assert_string_equal(text_of(f,
	                            "SELECT g.name FROM person_groups pg JOIN people p ON "
	                            "p.id = pg.person_id JOIN access_groups g ON g.id = "
	                            "pg.group_id WHERE p.first_name = ?1",
	                            "Cy", &q),
	                    "Crew, deck");
	assert_int_equal(count(f, "SELECT count(*) FROM people WHERE employer IS NULL"), 2);
	assert_string_equal(text_of(f, "SELECT kind FROM people WHERE first_name = ?1", "Ed", &q),
	                    "authority");
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'people.import'"), 1);
	assert_string_equal(
	    text_of(f, "SELECT details FROM audit WHERE action = ?1", "people.import", &q),
	    "{\"count\":5,\"credentials\":2,\"groups\":3}");
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE topic = 'access'"), 1);
}

static void a_bad_row_on_line_7_is_named_and_nothing_is_written(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	int n = -1;
	const char *csv = HEADER "employee,A1,B,,,,,\n" /* line 2 */
	                         "employee,A2,B,,,,,\n"
	                         "employee,A3,B,,,,,\n"
	                         "employee,A4,B,,,,,\n"
	                         "employee,A5,B,,,,,\n" /* line 6 */
	                         "pilot,A6,B,,,,,\n"    /* line 7 */
	                         "employee,A7,B,,,,,\n";
	assert_int_equal(import_text(f, csv, &n, &err), PG_EINVAL);
	assert_int_equal(n, -1);
	assert_non_null(strstr(err.msg, "line 7, column kind"));
	assert_non_null(strstr(err.msg, "pilot"));
	assert_string_equal(err.field, "kind");
	assert_int_equal(count(f, "SELECT count(*) FROM people"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE action = 'people.import'"), 0);
}

static void a_row_the_store_refuses_undoes_the_rows_before_it(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	int n = -1;
	/* Well-formed throughout: the unknown group on line 7 is found in the write. */
	const char *csv = HEADER "employee,A1,B,,,,0001,Staff\n"
	                         "employee,A2,B,,,,0002,\n"
	                         "employee,A3,B,,,,,\n"
	                         "employee,A4,B,,,,,\n"
	                         "employee,A5,B,,,,,\n"
	                         "employee,A6,B,,,,,Night shift\n"
	                         "employee,A7,B,,,,,\n";
	assert_int_equal(import_text(f, csv, &n, &err), PG_EINVAL);
	assert_non_null(strstr(err.msg, "line 7, column group"));
	assert_non_null(strstr(err.msg, "Night shift"));
	assert_int_equal(count(f, "SELECT count(*) FROM people"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM credentials"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM person_groups"), 0);
}

static void each_column_check_names_its_column(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *row, *want;
	} cases[] = {
	    {"visitor,A,B,,,,,\n", "line 2, column kind"},
	    {"employee,,B,,,,,\n", "line 2, column first_name"},
	    {"employee,A,   ,,,,,\n", "line 2, column last_name"},
	    {"employee,A,B,,,,12G4,\n", "line 2, column credential_uid"},
	    {"employee,A,B,,,,123,\n", "line 2, column credential_uid"},
	    {"employee,A,B,\"x\ty\",,,,\n", "line 2, column employer"},
	    {"employee,A,B,,,,,\xff\xfe\n", "line 2, column group"},
	    {"employee,A,B,,,,,\n"
	     "employee,A,B,,,,abcd,\n"
	     "employee,A,B,,,,ABCD,\n",
	     "line 4, column credential_uid: UID ABCD is already on line 3"},
	    {"employee,A,B,,,\n", "line 2: 6 columns"},
	    {"employee,A,B,,,,,,\n", "line 2: more than 8 columns"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char csv[512];
		struct pg_err err = {0};
		int n = -1;
		snprintf(csv, sizeof(csv), HEADER "%s", cases[i].row);
		assert_int_equal(import_text(f, csv, &n, &err), PG_EINVAL);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: want '%s' in '%s'", i, cases[i].want, err.msg);
	}
	assert_int_equal(count(f, "SELECT count(*) FROM people"), 0);
}

static void quoted_fields_hold_commas_quotes_and_crlf_line_ends(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct query q;
	int n = -1;
	const char *csv = "kind,first_name,last_name,employer,id_doc_type,id_doc_number,"
	                  "credential_uid,group\r\n"
	                  "employee,\"Ann\",\"O'Brien, Jr.\",\"Quay \"\"Best\"\" Ltd\",,\"\",,\r\n"
	                  "\r\n"
	                  "\n"
	                  "crew,Bo,\"\"\"Quoted\"\"\",,,,,\n"
	                  "driver,Cy,Last,,,,,"; /* no line end at the end of the file */
	assert_int_equal(import_text(f, csv, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(
	    text_of(f, "SELECT last_name FROM people WHERE first_name = ?1", "Ann", &q),
	    "O'Brien, Jr.");
	assert_string_equal(
	    text_of(f, "SELECT employer FROM people WHERE first_name = ?1", "Ann", &q),
	    "Quay \"Best\" Ltd");
	assert_int_equal(count(f, "SELECT count(*) FROM people WHERE id_doc_number IS NULL"), 3);
	assert_string_equal(
	    text_of(f, "SELECT last_name FROM people WHERE first_name = ?1", "Bo", &q),
	    "\"Quoted\"");
	assert_string_equal(text_of(f, "SELECT kind FROM people WHERE first_name = ?1", "Cy", &q),
	                    "driver");
}

static void broken_quoting_is_named_by_line_and_column(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *rows, *want;
	} cases[] = {
	    {"employee,A,\"B\"x,,,,,\n", "line 2, column last_name: text after the closing quote"},
	    {"employee,A,B\"x,,,,,\n", "line 2, column last_name: a quote inside an unquoted"},
	    {"employee,A,B,,,,,\n"
	     "employee,A,\"B,,,,,\n"
	     "employee,A,B,,,,,\n",
	     "line 3, column last_name: the quoted field is not closed"},
	    {"employee,A,B,,,,,\rx\n", "line 2: a carriage return"},
	    {"employee,\"Multi\nline\",B,,,,,\n"
	     "employee,A,B,,,,,x\n",
	     "line 2, column first_name: the value contains a control character"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char csv[512];
		struct pg_err err = {0};
		int n = -1;
		snprintf(csv, sizeof(csv), HEADER "%s", cases[i].rows);
		assert_int_equal(import_text(f, csv, &n, &err), PG_EINVAL);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: want '%s' in '%s'", i, cases[i].want, err.msg);
	}
	assert_int_equal(count(f, "SELECT count(*) FROM people"), 0);
}

static void the_header_must_match_exactly(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	    "first_name,kind,last_name,employer,id_doc_type,id_doc_number,credential_uid,group\n",
	    "kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid\n",
	    "kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group,x\n",
	    "Kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group\n",
	    "employee,Ann,Quay,,,,,\n",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pg_err err = {0};
		int n = -1;
		char csv[512];
		snprintf(csv, sizeof(csv), "%semployee,Ann,Quay,,,,,\n", bad[i]);
		assert_int_equal(import_text(f, i == 5 ? "" : csv, &n, &err), PG_EINVAL);
		if (!strstr(err.msg, "line 1") || !strstr(err.msg, "header"))
			fail_msg("case %zu: '%s'", i, err.msg);
	}
	/* A byte order mark before an exact header is fine. */
	struct pg_err err = {0};
	int n = -1;
	assert_int_equal(import_text(f, "\xef\xbb\xbf" HEADER "employee,Ann,Quay,,,,,\n", &n, &err),
	                 0);
	assert_int_equal(n, 1);
}

static void an_overlong_row_is_refused(void **state)
{
	struct fixture *f = *state;
	size_t len = strlen(HEADER) + ACCESS_IMPORT_MAX_LINE + 64;
	char *csv = calloc(1, len);
	int k = snprintf(csv, len, HEADER "employee,");
	memset(csv + k, 'A', ACCESS_IMPORT_MAX_LINE);
	memcpy(csv + k + ACCESS_IMPORT_MAX_LINE, ",B,,,,,\n", 9);
	struct pg_err err = {0};
	int n = -1;
	assert_int_equal(import_text(f, csv, &n, &err), PG_EINVAL);
	assert_non_null(strstr(err.msg, "line 2: the row is longer than 4096 bytes"));
	free(csv);
}

static void more_than_a_million_rows_are_refused(void **state)
{
	struct fixture *f = *state;
	FILE *fp = tmpfile();
	assert_non_null(fp);
	fputs(HEADER, fp);
	for (int i = 0; i <= ACCESS_IMPORT_MAX_ROWS; i++)
		fputs("crew,A,B,,,,,\n", fp);
	rewind(fp);
	struct pg_err err = {0};
	int n = -1;
	assert_int_equal(access_import_people(f->s, "test", fp, &n, &err), PG_ELIMIT);
	fclose(fp);
	assert_non_null(strstr(err.msg, "line 1000002"));
	assert_int_equal(count(f, "SELECT count(*) FROM people"), 0);
}

/* ---- value checks ------------------------------------------------------------------------- */

static int geometry(const char *text, struct pg_err *err)
{
	json_error_t je;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("bad test JSON %s: %s", text, je.text);
	int rc = access_geometry_check(v, "geometry", err);
	json_decref(v);
	return rc;
}

static void geometry_must_be_a_closed_polygon_of_lon_lat(void **state)
{
	(void)state;
	struct pg_err err = {0};
	assert_int_equal(geometry("{\"type\":\"Polygon\",\"coordinates\":[[[4.4,51.9],[4.5,51.9],"
	                          "[4.5,52.0],[4.4,51.9]]]}",
	                          &err),
	                 0);
	assert_int_equal(geometry("{\"type\":\"Polygon\",\"bbox\":[0,0,1,1],\"coordinates\":"
	                          "[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0.2,0.2],[0.4,0.2],[0.4,0.4],"
	                          "[0.2,0.2]]]}",
	                          &err),
	                 0);
	assert_int_equal(
	    geometry("{\"type\":\"Polygon\",\"coordinates\":[[[-180,-90,5],[180,-90,5],"
	             "[180,90,5],[-180,-90,5]]]}",
	             &err),
	    0);
	static const struct {
		const char *json, *want;
	} bad[] = {
	    {"[]", "GeoJSON Polygon object"},
	    {"{\"type\":\"Point\",\"coordinates\":[0,0]}", "type must be \"Polygon\""},
	    {"{\"type\":\"Polygon\"}", "coordinates must be an array"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[]}", "coordinates must be an array"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
	     "coordinates[0] must be a linear ring of at least 4"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
	     "coordinates[0] is not closed"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,95],[0,0]]]}",
	     "coordinates[0][2]: latitude 95 is outside -90..90"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[181,0],[1,1],[0,0]]]}",
	     "coordinates[0][1]: longitude 181 is outside -180..180"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,\"0\"],[1,1],[0,0]]]}",
	     "coordinates[0][1] holds a non-number"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1],[1,1],[0,0]]]}",
	     "coordinates[0][1] must be a position"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]],\"style\":1}",
	     "unknown member 'style'"},
	    {"{\"type\":\"Polygon\",\"bbox\":[0,0],\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
	     "bbox must be"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(geometry(bad[i].json, &err), PG_EINVAL);
		assert_string_equal(err.field, "geometry");
		if (!strstr(err.msg, bad[i].want))
			fail_msg("case %zu: want '%s' in '%s'", i, bad[i].want, err.msg);
	}
}

static int schedule(const char *text, struct pg_err *err)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	int rc = access_schedule_check(v, "schedule", err);
	json_decref(v);
	return rc;
}

static void schedules_are_always_or_days_of_hh_mm_spans(void **state)
{
	(void)state;
	struct pg_err err = {0};
	assert_int_equal(schedule("\"always\"", &err), 0);
	assert_int_equal(schedule("{}", &err), 0);
	assert_int_equal(schedule("{\"mon\":[[\"06:00\",\"18:00\"],[\"20:00\",\"24:00\"]],"
	                          "\"sun\":[[\"00:00\",\"00:01\"]]}",
	                          &err),
	                 0);
	static const struct {
		const char *json, *want;
		int rc;
	} bad[] = {
	    {"\"never\"", "must be \"always\" or an object", PG_EINVAL},
	    {"[]", "must be \"always\" or an object", PG_EINVAL},
	    {"{\"monday\":[]}", "unknown day 'monday'", PG_EINVAL},
	    {"{\"mon\":\"06:00-18:00\"}", "schedule.mon must be an array", PG_EINVAL},
	    {"{\"tue\":[[\"06:00\"]]}", "schedule.tue[0] must be", PG_EINVAL},
	    {"{\"tue\":[[\"6:00\",\"18:00\"]]}", "schedule.tue[0] must be", PG_EINVAL},
	    {"{\"tue\":[[\"06:00\",\"18:60\"]]}", "schedule.tue[0] must be", PG_EINVAL},
	    {"{\"tue\":[[\"24:00\",\"24:00\"]]}", "schedule.tue[0] must be", PG_EINVAL},
	    {"{\"tue\":[[\"06:00\",\"24:01\"]]}", "schedule.tue[0] must be", PG_EINVAL},
	    {"{\"wed\":[[\"06:00\",6]]}", "schedule.wed[0] must be", PG_EINVAL},
	    {"{\"fri\":[[\"18:00\",\"06:00\"]]}", "the start 18:00 is not before the end 06:00",
	     PG_EUNPROCESSABLE},
	    {"{\"sat\":[[\"10:00\",\"10:00\"]]}", "is not before", PG_EUNPROCESSABLE},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(schedule(bad[i].json, &err), bad[i].rc);
		assert_string_equal(err.field, "schedule");
		if (!strstr(err.msg, bad[i].want))
			fail_msg("case %zu: want '%s' in '%s'", i, bad[i].want, err.msg);
	}
}

static void holidays_are_real_calendar_dates(void **state)
{
	(void)state;
	struct pg_err err = {0};
	json_t *ok = json_pack("[sss]", "2026-12-25", "2028-02-29", "2000-02-29");
	assert_int_equal(access_holidays_check(ok, "holidays", &err), 0);
	json_decref(ok);
	static const char *const bad[] = {"2026-02-29", "1900-02-29", "2026-13-01",
	                                  "2026-04-31", "2026-1-01",  "2026-12-25T00:00:00Z",
	                                  "25/12/2026"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *v = json_pack("[ss]", "2026-12-24", bad[i]);
		assert_int_equal(access_holidays_check(v, "holidays", &err), PG_EINVAL);
		assert_non_null(strstr(err.msg, "holidays[1]"));
		json_decref(v);
	}
	json_t *notarr = json_string("2026-12-25");
	assert_int_equal(access_holidays_check(notarr, "holidays", &err), PG_EINVAL);
	json_decref(notarr);
}

static void levels_become_a_bitmask_of_1_2_3(void **state)
{
	(void)state;
	struct pg_err err = {0};
	int mask = 0;
	json_t *v = json_pack("[ii]", 1, 3);
	assert_int_equal(access_levels_mask(v, "levels", &mask, &err), 0);
	assert_int_equal(mask, 5);
	json_decref(v);
	v = json_pack("[iii]", 3, 2, 1);
	assert_int_equal(access_levels_mask(v, "levels", &mask, &err), 0);
	assert_int_equal(mask, 7);
	json_decref(v);
	mask = -1;
	v = json_array();
	assert_int_equal(access_levels_mask(v, "levels", &mask, &err), PG_EUNPROCESSABLE);
	json_decref(v);
	v = json_pack("[i]", 4);
	assert_int_equal(access_levels_mask(v, "levels", &mask, &err), PG_EUNPROCESSABLE);
	json_decref(v);
	v = json_pack("[s]", "1");
	assert_int_equal(access_levels_mask(v, "levels", &mask, &err), PG_EINVAL);
	json_decref(v);
	v = json_integer(1);
	assert_int_equal(access_levels_mask(v, "levels", &mask, &err), PG_EINVAL);
	json_decref(v);
	assert_int_equal(mask, -1); /* untouched on failure */
}

static void card_uids_are_4_to_32_hex_digits_upper_cased(void **state)
{
	(void)state;
	struct pg_err err = {0};
	char out[ACCESS_UID_MAX + 1];
	assert_int_equal(access_uid_normalise("a1b2c3d4", "uid", out, &err), 0);
	assert_string_equal(out, "A1B2C3D4");
	assert_int_equal(access_uid_normalise("0123456789abcdefABCDEF0123456789", "uid", out, &err),
	                 0);
	assert_string_equal(out, "0123456789ABCDEFABCDEF0123456789");
	static const char *const bad[] = {"abc",
	                                  "",
	                                  "12345678901234567890123456789012X",
	                                  "0123456789abcdef0123456789abcdef0",
	                                  "12 34",
	                                  "g123"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(access_uid_normalise(bad[i], "uid", out, &err), PG_EINVAL);
		assert_string_equal(err.field, "uid");
	}
	assert_int_equal(access_pin_check_format("0000", "pin", &err), 0);
	assert_int_equal(access_pin_check_format("12345678", "pin", &err), 0);
	assert_int_equal(access_pin_check_format("123", "pin", &err), PG_EINVAL);
	assert_int_equal(access_pin_check_format("123456789", "pin", &err), PG_EINVAL);
	assert_int_equal(access_pin_check_format("12a4", "pin", &err), PG_EINVAL);
	assert_true(access_qual_name_ok("security_awareness"));
	assert_false(access_qual_name_ok("Security"));
	assert_false(access_qual_name_ok(""));
	assert_false(access_qual_name_ok("a-b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_good_file_imports_people_with_credentials_and_groups,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(a_bad_row_on_line_7_is_named_and_nothing_is_written,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(a_row_the_store_refuses_undoes_the_rows_before_it,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(each_column_check_names_its_column, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(quoted_fields_hold_commas_quotes_and_crlf_line_ends,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(broken_quoting_is_named_by_line_and_column, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(the_header_must_match_exactly, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(an_overlong_row_is_refused, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(more_than_a_million_rows_are_refused, setup, unit_teardown),
	    cmocka_unit_test(geometry_must_be_a_closed_polygon_of_lon_lat),
	    cmocka_unit_test(schedules_are_always_or_days_of_hh_mm_spans),
	    cmocka_unit_test(holidays_are_real_calendar_dates),
	    cmocka_unit_test(levels_become_a_bitmask_of_1_2_3),
	    cmocka_unit_test(card_uids_are_4_to_32_hex_digits_upper_cased),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
