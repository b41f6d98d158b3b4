/* Unit tests of manifest reading: CSV and JSON errors name the line (or the JSON path) and
 * the field; a manifest with an error writes nothing; RFC 4180 quoting, CRLF, a byte order
 * mark and lower case are accepted; JSON and CSV give the same lines. */
#include "unit.h"

#include "inspect/inspect.h"
#include "inspect/inspect_container.h"
#include "inspect/inspect_int.h"
#include "store/store.h"

#define HEADER                                                                                     \
	"vessel_imo,vessel_name,voyage,container_number,size_type,shipper,consignee,"              \
	"notify_party,goods_description,hs_code,declared_gross_kg,vgm_kg,port_of_loading,"         \
	"transshipment_ports,port_of_discharge,seals,dangerous_goods\n"
#define V    "9321483,MSC Example,042W,"
#define GOOD V "MSCU1234566,22G1,Acme,Buyer,,Frozen fish,030389,18000,18100,CNSHA,,NLRTM,ML1:H,\n"
#define TAIL ",22G1,Acme,Buyer,,Frozen fish,030389,18000,,CNSHA,,NLRTM,ML1:H,\n"

static int read_text(const char *text, int json, struct inspect_manifest **m, struct pg_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(fp);
	int rc = json < 0 ? inspect_manifest_read(fp, m, err)
	         : json   ? inspect_manifest_read_json(fp, m, err)
	                  : inspect_manifest_read_csv(fp, m, err);
	fclose(fp);
	return rc;
}

struct bad_case {
	const char *text;  /* the whole file */
	const char *error; /* what the message starts with */
	const char *field; /* err.field, "" for none */
};

static const struct bad_case bad_csv[] = {
    {"", "line 1: the file is empty", ""},
    {"vessel_imo,vessel_name\n", "line 1: the header must be exactly", ""},
    {HEADER, "line 1: no container lines", ""},
    {HEADER GOOD V "MSCU1234566" TAIL,
     "line 3, field container_number: MSCU1234566 is already "
     "on line 2",
     "container_number"},
    {HEADER GOOD V "MSC1234566" TAIL,
     "line 3, field container_number: 'MSC1234566' is not an "
     "ISO 6346 container number",
     "container_number"},
    {HEADER GOOD "9321484,MSC Example,042W,TCNU7200794" TAIL,
     "line 3, field vessel_imo: IMO 9321484: the check digit is 4, expected 3", "vessel_imo"},
    {HEADER GOOD "9321483,MSC Other,042W,TCNU7200794" TAIL,
     "line 3, field vessel_name: 'MSC Other' differs from line 2", "vessel_name"},
    {HEADER V "MSCU1234566,99Q9,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,,\n",
     "line 2, field size_type: '99Q9' is not a known ISO 6346 size-type code", "size_type"},
    {HEADER V "MSCU1234566,22G1,,B,,Fish,030389,18000,,CNSHA,,NLRTM,,\n",
     "line 2, field shipper: the value must not be empty", "shipper"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,03x389,18000,,CNSHA,,NLRTM,,\n",
     "line 2, field hs_code: '03x389' is not an HS code", "hs_code"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18 t,,CNSHA,,NLRTM,,\n",
     "line 2, field declared_gross_kg: '18 t' is not a whole number", "declared_gross_kg"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,0,CNSHA,,NLRTM,,\n",
     "line 2, field vgm_kg: '0' is not a whole number", "vgm_kg"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,Shanghai,,NLRTM,,\n",
     "line 2, field port_of_loading: 'Shanghai' is not a UN/LOCODE", "port_of_loading"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,SGSIN;,NLRTM,,\n",
     "line 2, field transshipment_ports: a ';' with no port after it", "transshipment_ports"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,SGSIN;AE1EA,NLRTM,,\n",
     "line 2, field transshipment_ports: port 2 'AE1EA' is not a UN/LOCODE", "transshipment_ports"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,ML1:X,\n",
     "line 2, field seals: seal 1: class 'X' is not I, S or H", "seals"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,ML1,\n",
     "line 2, field seals: seal 1: write NUMBER:CLASS", "seals"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,ML 1:H,\n",
     "line 2, field seals: seal 1: seal number may hold only", "seals"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,,UN12:3\n",
     "line 2, field dangerous_goods: entry 1: 'UN12' is not a UN number", "dangerous_goods"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,,UN1203:11\n",
     "line 2, field dangerous_goods: entry 1: '11' is not an IMDG class", "dangerous_goods"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,\n",
     "line 2: 16 fields, the header has 17", ""},
    {HEADER V "MSCU1234566,22G1,\"A,B,,Fish,030389,18000,,CNSHA,,NLRTM,,\n",
     "line 2, field shipper: the quoted field is not closed", "shipper"},
    {HEADER V "MSCU1234566,22G1,A\"x,B,,Fish,030389,18000,,CNSHA,,NLRTM,,\n",
     "line 2, field shipper: a quote inside an unquoted field", "shipper"},
    {HEADER GOOD "\n\n" V "TCNU7200794,22G1,A,B,,\x01,030389,18000,,CNSHA,,NLRTM,,\n",
     "line 5, field goods_description: the value contains a control character",
     "goods_description"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish\xff,030389,18000,,CNSHA,,NLRTM,,\n",
     "line 2, field goods_description: the value is not valid UTF-8", "goods_description"},
    {HEADER V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,,\r\r\n",
     "line 2: a carriage return not followed by a line feed", ""},
};

static void csv_errors_name_the_line_and_field(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_csv) / sizeof(bad_csv[0]); i++) {
		struct inspect_manifest *m = NULL;
		struct pg_err err = {0};
		int rc = read_text(bad_csv[i].text, 0, &m, &err);
		if (rc != PG_EINVAL ||
		    strncmp(err.msg, bad_csv[i].error, strlen(bad_csv[i].error)) ||
		    strcmp(err.field, bad_csv[i].field))
			fail_msg(
			    "case %zu: got %d '%s' (field '%s'), expected '%s...' (field '%s')",
			    i + 1, rc, err.msg, err.field, bad_csv[i].error, bad_csv[i].field);
		assert_null(m);
	}
}

static void an_overlong_row_is_refused(void **state)
{
	(void)state;
	struct pg_buf b;
	pg_buf_init(&b, 1 << 20);
	pg_buf_puts(&b, HEADER GOOD V "TCNU7200794,22G1,A,B,,");
	for (int i = 0; i < 5000; i++)
		pg_buf_puts(&b, "x");
	pg_buf_puts(&b, ",030389,18000,,CNSHA,,NLRTM,,\n");
	struct inspect_manifest *m = NULL;
	struct pg_err err = {0};
	assert_int_equal(read_text(b.p, 0, &m, &err), PG_EINVAL);
	assert_string_equal(err.msg, "line 3: the row is longer than 4096 bytes");
	pg_buf_release(&b);
}

static const struct bad_case bad_json[] = {
    {"[]", "a JSON manifest is an object", ""},
    {"{\"vessel\": {\"imo\": \"9321483\", \"name\": \"X\", \"voyage\": \"1\"}}",
     "containers must hold at least one container", "containers"},
    {"{\"containers\": [], \"vessel\": {\"imo\": \"9321483\", \"name\": \"X\", \"voyage\": "
     "\"1\"}}",
     "containers must hold at least one container", "containers"},
    {"{\"vessel\": {\"imo\": \"9321483\", \"name\": \"X\"}, \"containers\": []}",
     "vessel.voyage: is required", "vessel.voyage"},
    {"{\"vessel\": {\"imo\": \"9321483\", \"name\": \"X\", \"voyage\": \"1\"}, \"ship\": 1}",
     "'ship' is given twice, or is not a member", ""},
    {"{\"vessel\": {\"imo\": \"9321483\", \"name\": \"X\", \"voyage\": \"1\"}, \"containers\": "
     "[{\"number\": \"MSCU1234566\", \"size_type\": \"22G1\", \"shipper\": \"A\", \"consignee\": "
     "\"B\", \"goods_description\": \"Fish\", \"hs_code\": \"030389\", \"declared_gross_kg\": "
     "18000, \"port_of_loading\": \"CNSHA\", \"port_of_discharge\": \"NLRTM\"}, {\"number\": "
     "\"TCNU7200794\", \"size_type\": \"22G1\", \"shipper\": \"A\", \"consignee\": \"B\", "
     "\"goods_description\": \"Fish\", \"hs_code\": \"03-0389\", \"declared_gross_kg\": 18000, "
     "\"port_of_loading\": \"CNSHA\", \"port_of_discharge\": \"NLRTM\"}]}",
     "containers[1].hs_code: '03-0389' is not an HS code", "containers[1].hs_code"},
    {"{\"containers\": [{\"number\": \"MSCU1234566\", \"colour\": \"red\"}]}",
     "containers[0]: unknown member 'colour'", "containers[0]"},
    {"{\"containers\": [{\"number\": \"MSCU1234566\"}]}", "containers[0].size_type: is required",
     "containers[0].size_type"},
    {"{\"containers\": [{\"number\": \"MSCU1234566\", \"declared_gross_kg\": \"18000\"}]}",
     "containers[0].declared_gross_kg: must be a whole number", "containers[0].declared_gross_kg"},
    {"{\"containers\": [{\"seals\": [{\"number\": \"A\"}]}]}",
     "containers[0].seals: item 0 must be {\"number\", \"class\"}", "containers[0].seals"},
    {"{\"containers\": [{\"number\": 1, ]}", "containers[0]: not valid JSON at byte",
     "containers[0]"},
    {"{\"vessel\": {\"imo\": \"9321483\", \"name\": \"X\", \"voyage\": \"1\"}} x",
     "text after the manifest object", ""},
};

static void json_errors_name_the_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
		struct inspect_manifest *m = NULL;
		struct pg_err err = {0};
		int rc = read_text(bad_json[i].text, 1, &m, &err);
		if (rc != PG_EINVAL ||
		    strncmp(err.msg, bad_json[i].error, strlen(bad_json[i].error)) ||
		    strcmp(err.field, bad_json[i].field))
			fail_msg(
			    "case %zu: got %d '%s' (field '%s'), expected '%s...' (field '%s')",
			    i + 1, rc, err.msg, err.field, bad_json[i].error, bad_json[i].field);
		assert_null(m);
	}
}

struct local_fixture {
	char *dir;
	struct store *s;
	struct inspect_rules *r;
};

static int setup(void **state)
{
	struct local_fixture *f = calloc(1, sizeof(*f));
	pg_core_init();
	f->dir = unit_tmpdir();
	struct store_opts o = {2, 64, NULL};
	struct pg_err err = {0};
	if (store_open(f->dir, &o, &f->s, &err) < 0)
		return -1;
	f->r = inspect_rules_default();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct local_fixture *f = *state;
	store_close(f->s);
	inspect_rules_free(f->r);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static int lines_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return store_query_json(
	    tx, (json_t **)ctx, err,
	    "SELECT m.vessel_imo, m.vessel_name, m.voyage, c.line, c.number, "
	    "c.size_type, c.shipper, c.consignee, c.notify_party, c.goods, c.hs_code, "
	    "c.declared_kg, c.vgm_kg, c.port_of_loading, c.transshipment AS ts_json, "
	    "c.port_of_discharge, c.seals AS seals_json, c.dangerous_goods AS "
	    "dg_json, c.score, " INSPECT_HITS_SQL " AS hits_json FROM manifest_containers c JOIN "
	    "manifests m ON m.id = c.manifest_id ORDER BY c.id",
	    "");
}

static void a_bad_line_writes_nothing(void **state)
{
	struct local_fixture *f = *state;
	struct inspect_manifest *m = NULL;
	struct pg_err err = {0};
	json_t *rows = NULL;
	/* 500 good lines, then a bad one: reading fails, nothing reaches the store */
	struct pg_buf b;
	pg_buf_init(&b, 1 << 20);
	pg_buf_puts(&b, HEADER);
	for (int i = 0; i < 500; i++) {
		char n[12];
		pg_snprintf(n, sizeof(n), "ABCU%06d", i);
		n[10] = (char)('0' + inspect_check_digit(n));
		n[11] = '\0';
		pg_buf_printf(&b, V "%s" TAIL, n);
	}
	pg_buf_puts(&b, V "MSCU1234566,22G1,A,B,,Fish,030389,18000,,CNSHA,,NLRTM,ML1:Q,\n");
	assert_int_equal(read_text(b.p, 0, &m, &err), PG_EINVAL);
	assert_string_equal(err.field, "seals");
	assert_non_null(strstr(err.msg, "line 502, field seals"));
	assert_int_equal(store_read(f->s, lines_tx, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	pg_buf_release(&b);
}

static void quoting_crlf_bom_and_case_are_accepted(void **state)
{
	struct local_fixture *f = *state;
	const char *text =
	    "\xef\xbb\xbf"
	    "vessel_imo,vessel_name,voyage,container_number,size_type,shipper,"
	    "consignee,notify_party,goods_description,hs_code,declared_gross_kg,vgm_kg,"
	    "port_of_loading,transshipment_ports,port_of_discharge,seals,dangerous_goods\r\n"
	    "IMO 9321483,MSC Example,042W,mscu 123456-6,22g1,\"Acme, \"\"Ltd\"\"\",Buyer,"
	    "\"Notify, Party\",Frozen fish,0303.89,18000,,cn sha, sgsin ; AEJEA ,NLRTM,"
	    "ml-1:h;ab2:i,un1203:3;:8\r\n"
	    "\r\n";
	struct inspect_manifest *m = NULL;
	struct pg_err err = {0};
	if (read_text(text, -1, &m, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(inspect_manifest_lines(m), 1);
	assert_int_equal(inspect_import(f->s, f->r, "test", m, NULL, &err), 0);
	inspect_manifest_free(m);
	json_t *rows = NULL;
	assert_int_equal(store_read(f->s, lines_tx, &rows, &err), 0);
	json_t *row = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(row, "number")), "MSCU1234566");
	assert_string_equal(json_string_value(json_object_get(row, "size_type")), "22G1");
	assert_string_equal(json_string_value(json_object_get(row, "shipper")), "Acme, \"Ltd\"");
	assert_string_equal(json_string_value(json_object_get(row, "notify_party")),
	                    "Notify, Party");
	assert_string_equal(json_string_value(json_object_get(row, "hs_code")), "030389");
	assert_string_equal(json_string_value(json_object_get(row, "port_of_loading")), "CNSHA");
	assert_true(json_is_null(json_object_get(row, "vgm_kg")));
	char *ts = json_dumps(json_object_get(row, "ts"), JSON_COMPACT);
	char *seals = json_dumps(json_object_get(row, "seals"), JSON_COMPACT);
	char *dg = json_dumps(json_object_get(row, "dg"), JSON_COMPACT);
	assert_string_equal(ts, "[\"SGSIN\",\"AEJEA\"]");
	assert_string_equal(
	    seals, "[{\"number\":\"ML-1\",\"class\":\"H\"},{\"number\":\"AB2\",\"class\":\"I\"}]");
	assert_string_equal(dg,
	                    "[{\"un_number\":\"UN1203\",\"imdg_class\":\"3\"},{\"un_number\":null,"
	                    "\"imdg_class\":\"8\"}]");
	free(ts);
	free(seals);
	free(dg);
	json_decref(rows);
}

static void notify_party_with_control_characters_is_refused(void **state)
{
	(void)state;
	struct inspect_manifest *m = NULL;
	struct pg_err err = {0};
	/* a line break inside a quoted field is a control character for a name too */
	assert_int_equal(read_text(HEADER V
	                           "MSCU1234566,22G1,\"A\nB\",B,,Fish,030389,18000,,CNSHA,,"
	                           "NLRTM,,\n",
	                           0, &m, &err),
	                 PG_EINVAL);
	assert_string_equal(err.field, "shipper");
}

static void json_and_csv_give_the_same_lines(void **state)
{
	struct local_fixture *f = *state;
	const char *csv = HEADER V "MSCU1234566,22G1,Acme,Buyer,Agent,General cargo,870323,31200,"
	                           "24000,CNSHA,SGSIN;BRSSZ,NLRTM,ML1:I,UN1203:8;:3\n";
	const char *json =
	    "  {\"vessel\": {\"imo\": \"IMO 9321483\", \"name\": \"MSC Example\", \"voyage\": "
	    "\"042W\"}, \"containers\": [{\"number\": \"MSCU1234566\", \"size_type\": \"22G1\", "
	    "\"shipper\": \"Acme\", \"consignee\": \"Buyer\", \"notify_party\": \"Agent\", "
	    "\"goods_description\": \"General cargo\", \"hs_code\": \"870323\", "
	    "\"declared_gross_kg\": 31200, \"vgm_kg\": 24000, \"port_of_loading\": \"CNSHA\", "
	    "\"transshipment_ports\": [\"SGSIN\", \"BRSSZ\"], \"port_of_discharge\": \"NLRTM\", "
	    "\"seals\": [{\"number\": \"ML1\", \"class\": \"I\"}], \"dangerous_goods\": "
	    "[{\"un_number\": \"UN1203\", \"imdg_class\": \"8\"}, {\"imdg_class\": \"3\"}]}]}\n";
	struct pg_err err = {0};
	for (int k = 0; k < 2; k++) {
		struct inspect_manifest *m = NULL;
		if (read_text(k ? json : csv, -1, &m, &err) < 0)
			fail_msg("%s: %s", k ? "json" : "csv", err.msg);
		assert_int_equal(inspect_import(f->s, f->r, "test", m, NULL, &err), 0);
		inspect_manifest_free(m);
	}
	json_t *rows = NULL;
	assert_int_equal(store_read(f->s, lines_tx, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 2);
	json_t *a = json_array_get(rows, 0), *b = json_array_get(rows, 1);
	/* the first import made the parties known: only the first-shipment hits differ */
	json_object_del(a, "line");
	json_object_del(b, "line");
	json_object_del(a, "score");
	json_object_del(b, "score");
	json_t *ha = json_object_get(a, "hits"), *hb = json_object_get(b, "hits");
	assert_int_equal(json_array_size(ha), json_array_size(hb) + 2);
	json_object_del(a, "hits");
	json_object_del(b, "hits");
	if (!json_equal(a, b))
		fail_msg("csv %s\njson %s", json_dumps(a, 0), json_dumps(b, 0));
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(csv_errors_name_the_line_and_field),
	    cmocka_unit_test(an_overlong_row_is_refused),
	    cmocka_unit_test(json_errors_name_the_path),
	    cmocka_unit_test(notify_party_with_control_characters_is_refused),
	    cmocka_unit_test_setup_teardown(a_bad_line_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(quoting_crlf_bom_and_case_are_accepted, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(json_and_csv_give_the_same_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
