/* Unit tests of risk targeting: a table of container lines, each with the rules it must
 * hit and its decision at security levels 1, 2 and 3, imported through the store with a
 * party history, a watchlist and a weighbridge reading; the rules file (etc/risk.ini is
 * the default table; errors name their line); random selection; weighbridge re-scoring. */
#include "unit.h"

#include "inspect/inspect.h"
#include "inspect/inspect_int.h"
#include "store/store.h"

#define HEADER                                                                                     \
	"vessel_imo,vessel_name,voyage,container_number,size_type,shipper,consignee,"              \
	"notify_party,goods_description,hs_code,declared_gross_kg,vgm_kg,port_of_loading,"         \
	"transshipment_ports,port_of_discharge,seals,dangerous_goods\n"
#define VESSEL "9321483,MSC Example,042W,"

/* The default rules plus two high-risk places (the default list is empty). */
#define EXTRA_PLACES "\n[high_risk]\nplace = XZ\nplace = PAONX\n"

/* One case: the line after the vessel columns (its number is 10 characters: the test adds
 * the right check digit, or a wrong one after a '!'), the rules it hits in rule order, and
 * the decisions at levels 1, 2, 3. Known parties: "Known Exporter" and "Known Importer". */
struct risk_case {
	const char *line;
	const char *hits;
	const char *decision[3];
};

#define CLEAN_PARTIES "Known Exporter,Known Importer,"
#define R             "release"
#define DC            "document_check"
#define SC            "scan"
#define PH            "physical"

static const struct risk_case cases[] = {
    /* a clean line hits nothing */
    {"TCNU000001,22G1," CLEAN_PARTIES ",Frozen fish,0303.89,18000,18100,CNSHA,,NLRTM,ML1:H,",
     "",
     {R, R, R}},
    /* one indicator at a time: never more than a document check */
    {"TCNU000002!,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML2:H,",
     "check_digit",
     {DC, DC, DC}},
    {"TCNU000003,22G1," CLEAN_PARTIES ",General Cargo.,9999,18000,,CNSHA,,NLRTM,ML3:H,",
     "vague_description",
     {R, DC, DC}},
    {"TCNU000004,22G1," CLEAN_PARTIES ",Frozen fish,030389,31200,,CNSHA,,NLRTM,ML4:H,",
     "mass_limits",
     {DC, DC, DC}},
    {"TCNU000005,42G1," CLEAN_PARTIES ",Frozen fish,030389,1500,,CNSHA,,NLRTM,ML5:H,",
     "mass_limits",
     {DC, DC, DC}},
    {"TCNU000006,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,24500,CNSHA,,NLRTM,ML6:H,",
     "mass_vgm",
     {DC, DC, DC}},
    {"TCNU000007,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,18800,CNSHA,,NLRTM,ML7:H,",
     "",
     {R, R, R}}, /* 4.4 % off the VGM: within the 5 % tolerance */
    {"TCNU000008,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML8:H,",
     "mass_weighbridge",
     {DC, DC, DC}}, /* read 26,000 kg at the gate */
    {"TCNU000009,22G1,Known Exporter,Brand New Buyer,,Frozen fish,030389,18000,,CNSHA,,NLRTM,"
     "ML9:H,",
     "first_shipment_consignee",
     {R, DC, DC}},
    {"TCNU000010,22G1,Fresh Shipper Co,known  importer,,Frozen fish,030389,18000,,CNSHA,,NLRTM,"
     "ML10:H,",
     "first_shipment_shipper",
     {R, R, DC}},
    {"TCNU000011,22G1," CLEAN_PARTIES "shadow   HOLDINGS,Frozen fish,030389,18000,,CNSHA,,"
     "NLRTM,ML11:H,",
     "watchlist_party",
     {DC, DC, DC}},
    {"TCNU000012,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML12:H,",
     "watchlist_container",
     {DC, DC, DC}},
    {"TCNU000013,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,XZABC,,NLRTM,ML13:H,",
     "high_risk_origin",
     {DC, DC, DC}},
    {"TCNU000014,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,USNYC,PAONX,CLSAI,ML14:H,",
     "high_risk_transshipment",
     {DC, DC, DC}},
    {"TCNU000015,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,BRSSZ,NLRTM,ML15:H,",
     "circuitous_route",
     {R, DC, DC}}, /* South America between Asia and Europe */
    {"TCNU000016,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,HKHKG;SGSIN;MYPKG,JPTYO,"
     "ML16:H,",
     "circuitous_route",
     {R, DC, DC}}, /* three transshipments, all in Asia */
    {"TCNU000017,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,SGSIN;AEJEA,NLRTM,"
     "ML17:H,",
     "",
     {R, R, R}}, /* two transshipments on the way */
    {"TCNU000018,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,,",
     "seal_missing",
     {DC, DC, DC}},
    {"TCNU000019,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML19:i;X-2:S,",
     "seal_not_high_security",
     {R, R, DC}},
    {"TCNU000020,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML20:H,:3",
     "dg_without_un",
     {DC, DC, DC}},
    {"TCNU000021,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML21:H,UN1203:8",
     "dg_class_mismatch",
     {DC, DC, DC}},
    {"TCNU000022,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML22:H,"
     "UN1950:2.1;un1203:3;UN9999:6.1",
     "",
     {R, R, R}}, /* class 2 takes any division; an unknown UN number is no hit */
    {"TCNU000023,22G1," CLEAN_PARTIES ",Frozen fish,870323,18000,,CNSHA,,NLRTM,ML23:H,",
     "hs_mismatch",
     {DC, DC, DC}},
    {"TCNU000024,22G1," CLEAN_PARTIES ",Used cars (2),870323,18000,,CNSHA,,NLRTM,ML24:H,",
     "",
     {R, R, R}}, /* a plural names the keyword; "cargo" would not name "car" */
    /* combinations make a box high-risk */
    {"TCNU000025,22G1,Known Exporter,Shadow Holdings,,Frozen fish,030389,18000,,CNSHA,,NLRTM,"
     "ML25:H,",
     "first_shipment_consignee watchlist_party",
     {SC, SC, SC}},
    {"TCNU000026,22G1,Fresh Shipper Co,Brand New Buyer,,General cargo,870323,31200,24000,PAONX,"
     "BRSSZ,NLRTM,,",
     "vague_description mass_limits mass_vgm first_shipment_consignee first_shipment_shipper "
     "high_risk_origin circuitous_route seal_missing hs_mismatch",
     {PH, PH, PH}},
    {"TCNU000027,22G1," CLEAN_PARTIES ",Frozen fish,030389,18000,,CNSHA,,NLRTM,ML27:I,",
     "seal_not_high_security",
     {R, R, DC}},
    {"TCNU000028!,22G1," CLEAN_PARTIES ",Goods,9999,18000,,CNSHA,,NLRTM,ML28:H,",
     "check_digit vague_description",
     {DC, DC, DC}},
    {"TCNU000029!,22G1," CLEAN_PARTIES ",Goods,9999,18000,,CNSHA,,NLRTM,,",
     "check_digit vague_description seal_missing",
     {SC, SC, SC}},
};

struct local_fixture {
	char *dir;
	struct store *s;
	struct inspect_rules *rules;
};

static char *read_text(const char *path)
{
	char *text = NULL;
	struct pg_err err = {0};
	if (pg_read_text_file(path, 1 << 20, "test data", &text, &err) < 0)
		fail_msg("%s", err.msg);
	return text;
}

static struct inspect_rules *rules_with(const char *extra)
{
	char *text = read_text(PG_SOURCE_DIR "/etc/risk.ini");
	char *all = pg_asprintf("%s%s", text, extra);
	struct inspect_rules *r = NULL;
	struct pg_err err = {0};
	if (inspect_rules_parse(all, &r, &err) < 0)
		fail_msg("rules: %s", err.msg);
	pg_free(text);
	pg_free(all);
	return r;
}

static int setup(void **state)
{
	struct local_fixture *f = calloc(1, sizeof(*f));
	pg_core_init();
	f->dir = unit_tmpdir();
	struct store_opts o = {2, 64, NULL};
	struct pg_err err = {0};
	if (store_open(f->dir, &o, &f->s, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	f->rules = rules_with(EXTRA_PLACES);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct local_fixture *f = *state;
	store_close(f->s);
	inspect_rules_free(f->rules);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* Imports a CSV text; the manifest id. */
static int64_t import_text(struct local_fixture *f, const struct inspect_rules *r, const char *csv,
                           struct inspect_import_result *res)
{
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	struct inspect_manifest *m = NULL;
	struct inspect_import_result rr;
	struct pg_err err = {0};
	if (inspect_manifest_read(fp, &m, &err) < 0)
		fail_msg("read: %s", err.msg);
	fclose(fp);
	if (inspect_import(f->s, r, "test", m, res ? res : &rr, &err) < 0)
		fail_msg("import: %s", err.msg);
	inspect_manifest_free(m);
	return res ? res->manifest_id : rr.manifest_id;
}

struct setup_ctx {
	const struct inspect_rules *r;
};

static int seed_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct setup_ctx *c = vctx;
	int64_t id;
	int rc = inspect_watchlist_add_tx(tx, "test", "party", "Shadow Holdings",
	                                  "seized cocaine, 2025", &id, err);
	char number[16] = "TCNU000012";
	number[10] = (char)('0' + inspect_check_digit(number));
	number[11] = '\0';
	if (rc == 0)
		rc = inspect_watchlist_add_tx(tx, "test", "container", number, "tip-off", &id, err);
	pg_strlcpy(number, "TCNU000008", sizeof(number));
	number[10] = (char)('0' + inspect_check_digit(number));
	if (rc == 0)
		rc = inspect_weighbridge_tx(tx, c->r, "gate-scale", number, 26000, NULL, err);
	return rc;
}

/* The case's line with the vessel and its container number's check digit. */
static char *case_line(const char *line)
{
	char number[12];
	memcpy(number, line, 10);
	number[10] = '\0';
	int cd = inspect_check_digit(number);
	int wrong = line[10] == '!';
	number[10] = (char)('0' + (wrong ? (cd + 1) % 10 : cd));
	number[11] = '\0';
	return pg_asprintf(VESSEL "%s%s\n", number, line + 10 + wrong);
}

static int hits_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	json_t **out = vctx;
	return store_query_json(tx, out, err,
	                        "SELECT line, number, score, " INSPECT_HITS_SQL
	                        " AS hits_json, decision, level FROM "
	                        "manifest_containers c WHERE manifest_id = (SELECT max(id) FROM "
	                        "manifests) ORDER BY line",
	                        "");
}

static void each_case_hits_its_rules_and_decides_per_level(void **state)
{
	struct local_fixture *f = *state;
	struct setup_ctx sc = {f->rules};
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, seed_tx, &sc, &err), 0);
	/* the history: earlier shipments of the known parties */
	import_text(f, f->rules,
	            HEADER VESSEL "MSCU1234566,22G1,Known Exporter,Known Importer,,Frozen fish,"
	                          "030389,18000,,CNSHA,,NLRTM,ML0:H,\n",
	            NULL);

	struct pg_buf csv;
	pg_buf_init(&csv, 1 << 20);
	pg_buf_puts(&csv, HEADER);
	size_t n = sizeof(cases) / sizeof(cases[0]);
	for (size_t i = 0; i < n; i++) {
		char *l = case_line(cases[i].line);
		pg_buf_puts(&csv, l);
		pg_free(l);
	}
	struct inspect_import_result res;
	import_text(f, f->rules, csv.p, &res);
	pg_buf_release(&csv);
	assert_int_equal(res.lines, (int64_t)n);
	assert_int_equal(res.level, 1);

	json_t *rows = NULL;
	assert_int_equal(store_read(f->s, hits_tx, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), n);
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array_get(rows, i), *hits = json_object_get(row, "hits");
		struct pg_buf got;
		pg_buf_init(&got, 4096);
		int sum = 0;
		for (size_t k = 0; k < json_array_size(hits); k++) {
			json_t *h = json_array_get(hits, k);
			const char *expl = json_string_value(json_object_get(h, "explanation"));
			pg_buf_printf(&got, "%s%s", k ? " " : "",
			              json_string_value(json_object_get(h, "rule")));
			sum += (int)json_integer_value(json_object_get(h, "weight"));
			if (!expl || strlen(expl) < 10 ||
			    !json_is_object(json_object_get(h, "values")))
				fail_msg("case %zu (%s): hit %zu is not explained", i + 1,
				         cases[i].line, k);
		}
		if (strcmp(got.p ? got.p : "", cases[i].hits) != 0)
			fail_msg("case %zu (%s): hits '%s', expected '%s'\n%s", i + 1,
			         cases[i].line, got.p ? got.p : "", cases[i].hits,
			         json_dumps(hits, JSON_INDENT(1)));
		pg_buf_release(&got);
		int score = (int)json_integer_value(json_object_get(row, "score"));
		assert_int_equal(score, sum);
		for (int level = 1; level <= 3; level++) {
			const char *d =
			    inspect_decision_name(inspect_decide(f->rules, level, score));
			if (strcmp(d, cases[i].decision[level - 1]) != 0)
				fail_msg("case %zu (%s): score %d is %s at level %d, expected %s",
				         i + 1, cases[i].line, score, d, level,
				         cases[i].decision[level - 1]);
		}
		assert_string_equal(json_string_value(json_object_get(row, "decision")),
		                    cases[i].decision[0]);
	}
	json_decref(rows);
}

static void explanations_carry_the_values(void **state)
{
	struct local_fixture *f = *state;
	struct inspect_line l = {
	    .line = 2,
	    .number = "MSCU1234566",
	    .size_type = "22G1",
	    .shipper = "A",
	    .consignee = "B",
	    .notify = "",
	    .goods = "Frozen fish",
	    .hs = "030389",
	    .pol = "CNSHA",
	    .ts = "",
	    .pod = "NLRTM",
	    .seals = "X:H",
	    .dg = "",
	    .declared_kg = 31200,
	    .vgm_kg = -1,
	    .check_digit = -1,
	    .expected_check_digit = -1,
	};
	struct inspect_facts facts = {.weighbridge_kg = -1, .vessel_imo = "9321483"};
	struct pg_buf hits;
	pg_buf_init(&hits, 1 << 16);
	assert_int_equal(inspect_score(f->rules, &l, &facts, &hits), 30);
	assert_non_null(strstr(hits.p,
	                       "declared 31,200 kg exceeds the 30,480 kg maximum gross mass "
	                       "for 22G1"));
	l.declared_kg = 18000;
	l.vgm_kg = 24500;
	inspect_score(f->rules, &l, &facts, &hits);
	assert_non_null(strstr(hits.p, "declared 18,000 kg differs from the VGM 24,500 kg by 26.5% "
	                               "(tolerance 5%)"));
	pg_buf_release(&hits);
}

static int watch_vessel_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int64_t id;
	return inspect_watchlist_add_tx(tx, "test", "vessel", "IMO 9321483", "sanctions list", &id,
	                                err);
}

static void a_watched_vessel_marks_every_line(void **state)
{
	struct local_fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, watch_vessel_tx, NULL, &err), 0);
	import_text(f, f->rules,
	            HEADER VESSEL
	            "MSCU1234566,22G1,A,B,,Frozen fish,030389,18000,,CNSHA,,NLRTM,X:H,\n" VESSEL
	            "TCNU7200794,22G1,A,B,,Frozen fish,030389,18000,,CNSHA,,NLRTM,X:H,\n",
	            NULL);
	json_t *rows = NULL;
	assert_int_equal(store_read(f->s, hits_tx, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 2);
	for (size_t i = 0; i < 2; i++) {
		char *text = json_dumps(json_object_get(json_array_get(rows, i), "hits"), 0);
		assert_non_null(
		    strstr(text, "vessel IMO 9321483 is on the watchlist: sanctions list"));
		free(text);
	}
	json_decref(rows);
	/* listing it twice is a conflict */
	assert_int_equal(store_write(f->s, watch_vessel_tx, NULL, &err), PG_ECONFLICT);
}

static void the_default_weights_never_reach_a_scan_alone(void **state)
{
	(void)state;
	struct inspect_rules *r = inspect_rules_default();
	json_t *j = inspect_rules_json(r);
	json_t *rules = json_object_get(j, "rules"), *levels = json_object_get(j, "levels");
	assert_true(json_array_size(rules) >= 15);
	size_t i, k;
	json_t *u, *l;
	json_array_foreach(rules, i, u)
	{
		int w = (int)json_integer_value(json_object_get(u, "weight"));
		json_array_foreach(levels, k, l)
		{
			int scan = (int)json_integer_value(json_object_get(l, "scan"));
			if (w >= scan)
				fail_msg(
				    "rule %s (weight %d) reaches a scan (%d) at level %zu alone",
				    json_string_value(json_object_get(u, "name")), w, scan, k + 1);
		}
	}
	json_decref(j);
	inspect_rules_free(r);
}

static void etc_risk_ini_is_the_default_table(void **state)
{
	(void)state;
	struct inspect_rules *file = rules_with(""), *def = inspect_rules_default();
	json_t *a = inspect_rules_json(file), *b = inspect_rules_json(def);
	if (!json_equal(a, b))
		fail_msg("etc/risk.ini differs from the compiled-in table:\n%s\n---\n%s",
		         json_dumps(a, JSON_INDENT(1)), json_dumps(b, JSON_INDENT(1)));
	json_decref(a);
	json_decref(b);
	inspect_rules_free(file);
	inspect_rules_free(def);
}

static void rules_file_errors_name_their_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *error;
	} bad[] = {
	    {"[rule x]\nweight = 5\n", "line 2: [rule x]: indicator must be the first key"},
	    {"[rule x]\nindicator = telepathy\n",
	     "line 2: [rule x]: unknown indicator 'telepathy'"},
	    {"\n[rule x]\nindicator = mass_vgm\nweight = 5\nparty = shipper\n",
	     "line 5: [rule x]: indicator mass_vgm takes no parameter 'party'"},
	    {"[rule x]\nindicator = mass_vgm\nweight = 1001\n", "line 3: [rule x]: weight '1001'"},
	    {"[rule x]\nindicator = mass_vgm\ntolerance_percent = 5.123\n",
	     "line 3: [rule x]: tolerance_percent '5.123'"},
	    {"[rule x]\nindicator = seal_missing\nweight = 5\n[rule x]\nindicator = seal_missing\n",
	     "line 4: [rule x] is given twice"},
	    {"[colours]\nred = 1\n", "line 2: unknown section [colours]"},
	    {"[level 1]\nscan = ten\n", "line 2: [level 1]: scan 'ten'"},
	    {"[high_risk]\nplace = Xz\n", "line 2: [high_risk]: 'Xz' is neither"},
	    {"[un_classes]\nUN1203 = 10\n",
	     "line 2: [un_classes]: UN1203 = '10' is not an IMDG class"},
	    {"[hs_keywords]\n87a3 = car\n",
	     "line 2: [hs_keywords]: '87a3' is not an HS code prefix"},
	    {"[rule x]\nindicator = seal_missing\n", "[rule x]: weight is missing"},
	    {"[rule x]\nindicator = seal_missing\nweight = 5\n[level 1]\ndocument_check = 5\n",
	     "[level 1]: document_check, scan, physical and random_percent must all be given"},
	    {"; "
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
	     "line 1: longer than 198 characters"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct inspect_rules *r = NULL;
		struct pg_err err = {0};
		int rc = inspect_rules_parse(bad[i].text, &r, &err);
		if (rc != PG_EINVAL || strstr(err.msg, bad[i].error) != err.msg)
			fail_msg("case %zu: got %d '%s', expected '%s...'", i + 1, rc, err.msg,
			         bad[i].error);
		assert_null(r);
	}
	/* thresholds must rise */
	char *text = read_text(PG_SOURCE_DIR "/etc/risk.ini");
	char *swapped = pg_asprintf("%.*s", (int)(strstr(text, "[level 1]") - text), text);
	char *all =
	    pg_asprintf("%s[level 1]\ndocument_check = 50\nscan = 50\nphysical = 80\n"
	                "random_percent = 1\n[level 2]\ndocument_check = 1\nscan = 2\n"
	                "physical = 3\nrandom_percent = 0.5\n[level 3]\ndocument_check = 1\n"
	                "scan = 2\nphysical = 3\nrandom_percent = 100\n",
	                swapped);
	struct inspect_rules *r = NULL;
	struct pg_err err = {0};
	assert_int_equal(inspect_rules_parse(all, &r, &err), PG_EINVAL);
	assert_non_null(strstr(err.msg, "[level 1]: the thresholds must rise"));
	pg_free(text);
	pg_free(swapped);
	pg_free(all);
}

static void random_selection_follows_the_level_rate_and_records_the_draw(void **state)
{
	struct local_fixture *f = *state;
	struct pg_err err = {0};
	char *text = read_text(PG_SOURCE_DIR "/etc/risk.ini");
	char *head = pg_asprintf("%.*s", (int)(strstr(text, "[level 1]") - text), text);
	const char *levels[2] = {"100", "0"};
	for (int k = 0; k < 2; k++) {
		char *all =
		    pg_asprintf("%s[level 1]\ndocument_check = 20\nscan = 50\nphysical = 80\n"
		                "random_percent = %s\n[level 2]\ndocument_check = 15\nscan = "
		                "45\nphysical = 70\nrandom_percent = 3\n[level 3]\n"
		                "document_check = 10\nscan = 40\nphysical = 60\n"
		                "random_percent = 10\n",
		                head, levels[k]);
		struct inspect_rules *r = NULL;
		assert_int_equal(inspect_rules_parse(all, &r, &err), 0);
		struct pg_buf csv;
		pg_buf_init(&csv, 1 << 20);
		pg_buf_puts(&csv, HEADER);
		for (int i = 0; i < 50; i++) {
			char number[12];
			pg_snprintf(number, sizeof(number), "RNDU%06d", i + k * 100);
			number[10] = (char)('0' + inspect_check_digit(number));
			number[11] = '\0';
			pg_buf_printf(&csv,
			              VESSEL "%s,22G1,Known Exporter,Known Importer,,Frozen fish,"
			                     "030389,18000,,CNSHA,,NLRTM,X:H,\n",
			              number);
		}
		struct inspect_import_result res;
		import_text(f, r, csv.p, &res);
		assert_int_equal(res.random_selected, k == 0 ? 50 : 0);
		assert_int_equal(res.queued, k == 0 ? 50 : 0);
		pg_buf_release(&csv);
		inspect_rules_free(r);
		pg_free(all);
	}
	pg_free(text);
	pg_free(head);
}

struct draw_ctx {
	json_t *rows;
};

static int draws_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct draw_ctx *c = vctx;
	return store_query_json(tx, &c->rows, err,
	                        "SELECT " INSPECT_DRAW_SQL " AS draw_json, selected_by, queued "
	                        "FROM manifest_containers c ORDER BY id",
	                        "");
}

static void every_draw_is_recorded_with_value_rate_and_result(void **state)
{
	struct local_fixture *f = *state;
	struct pg_err err = {0};
	import_text(f, f->rules,
	            HEADER VESSEL
	            "MSCU1234566,22G1,A,B,,Frozen fish,030389,18000,,CNSHA,,NLRTM,X:H,\n",
	            NULL);
	struct draw_ctx c = {0};
	assert_int_equal(store_read(f->s, draws_tx, &c, &err), 0);
	json_t *d = json_object_get(json_array_get(c.rows, 0), "draw");
	assert_true(json_is_integer(json_object_get(d, "value")));
	assert_true(json_integer_value(json_object_get(d, "value")) < 1000000);
	assert_int_equal(json_integer_value(json_object_get(d, "bound")), 1000000);
	assert_int_equal(json_integer_value(json_object_get(d, "rate_ppm")), 10000);
	int selected = json_is_true(json_object_get(d, "selected"));
	assert_int_equal(selected, json_integer_value(json_object_get(d, "value")) < 10000);
	json_decref(c.rows);
}

struct weigh_ctx {
	const struct inspect_rules *r;
	int64_t kg, line;
};

static int weigh_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct weigh_ctx *c = vctx;
	return inspect_weighbridge_tx(tx, c->r, "scale 1", "mscu 123456-6", c->kg, &c->line, err);
}

static void a_weighbridge_reading_rescores_the_newest_line(void **state)
{
	struct local_fixture *f = *state;
	struct pg_err err = {0};
	import_text(f, f->rules,
	            HEADER VESSEL "MSCU1234566,22G1,Known Exporter,Shadow Holdings,,Frozen fish,"
	                          "030389,18000,,CNSHA,,NLRTM,X:H,\n",
	            NULL);
	/* a fresh store: both parties ship for the first time (15 + 10) */
	struct weigh_ctx c = {f->rules, 26000, 0};
	if (store_write(f->s, weigh_tx, &c, &err) < 0)
		fail_msg("weighbridge: %s", err.msg);
	assert_true(c.line > 0);
	json_t *rows = NULL;
	assert_int_equal(store_read(f->s, hits_tx, &rows, &err), 0);
	json_t *row = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_object_get(row, "score")), 15 + 10 + 25);
	assert_string_equal(json_string_value(json_object_get(row, "decision")), "scan");
	char *text = json_dumps(json_object_get(row, "hits"), 0);
	assert_non_null(strstr(text, "declared 18,000 kg differs from the weighbridge reading "
	                             "26,000 kg by 30.7% (tolerance 5%)"));
	free(text);
	json_decref(rows);
	/* a consistent reading replaces the hit; the selection stays */
	c.kg = 18100;
	assert_int_equal(store_write(f->s, weigh_tx, &c, &err), 0);
	assert_int_equal(store_read(f->s, hits_tx, &rows, &err), 0);
	row = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_object_get(row, "score")), 25);
	assert_string_equal(json_string_value(json_object_get(row, "decision")), "document_check");
	json_decref(rows);
	struct draw_ctx d = {0};
	assert_int_equal(store_read(f->s, draws_tx, &d, &err), 0);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(d.rows, 0), "selected_by")), "risk");
	json_decref(d.rows);
	/* a bad number is refused naming the field */
	struct weigh_ctx bad = {f->rules, 0, 0};
	assert_int_equal(store_write(f->s, weigh_tx, &bad, &err), PG_EINVAL);
	assert_string_equal(err.field, "kg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(each_case_hits_its_rules_and_decides_per_level, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(explanations_carry_the_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_watched_vessel_marks_every_line, setup, teardown),
	    cmocka_unit_test(the_default_weights_never_reach_a_scan_alone),
	    cmocka_unit_test(etc_risk_ini_is_the_default_table),
	    cmocka_unit_test(rules_file_errors_name_their_line),
	    cmocka_unit_test_setup_teardown(
	        random_selection_follows_the_level_rate_and_records_the_draw, setup, teardown),
	    cmocka_unit_test_setup_teardown(every_draw_is_recorded_with_value_rate_and_result,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(a_weighbridge_reading_rescores_the_newest_line, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
