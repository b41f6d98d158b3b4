/* Unit tests of inspections: the transition table, the checklists per kind and level,
 * checklist gating of the outcomes, queue clearing, and the SHA-256 of evidence. */
#include "unit.h"

#include "inspect/inspect.h"
#include "store/store.h"

static int setup(void **state)
{
	pg_core_init();
	*state = unit_fixture_new();
	return 0;
}

static void the_transition_table_allows_only_its_rows(void **state)
{
	(void)state;
	static const struct {
		const char *from, *to;
		int ok;
	} cases[] = {
	    {"selected", "scanning", 1}, {"selected", "examining", 1}, {"selected", "cleared", 0},
	    {"selected", "scanned", 0},  {"scanning", "scanned", 1},   {"scanning", "cleared", 0},
	    {"scanned", "cleared", 1},   {"scanned", "examining", 1},  {"scanned", "seized", 0},
	    {"examining", "cleared", 1}, {"examining", "held", 1},     {"examining", "seized", 1},
	    {"held", "seized", 1},       {"held", "cleared", 1},       {"cleared", "examining", 0},
	    {"seized", "cleared", 0},    {"examining", "selected", 0}, {"selected", "bogus", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (inspect_transition_allowed(cases[i].from, cases[i].to) != cases[i].ok)
			fail_msg("%s -> %s: expected %d", cases[i].from, cases[i].to, cases[i].ok);
	}
	assert_int_equal(inspect_transition_allowed(NULL, "scanning"), 0);
	assert_int_equal(inspect_state_index("examining"), 3);
	assert_string_equal(inspect_state_name(6), "seized");
	assert_null(inspect_state_name(7));
	assert_true(inspect_state_is_final("cleared"));
	assert_false(inspect_state_is_final("held"));
	assert_true(inspect_state_is_outcome("held"));
}

static int has_item(const struct inspect_check_item **items, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(items[i]->code, code) == 0)
			return 1;
	return 0;
}

static void checklists_differ_by_security_level(void **state)
{
	(void)state;
	const struct inspect_check_item *l1[16], *l2[16];
	int n1 = inspect_checklist_for("vehicle", 1, l1, 16);
	int n2 = inspect_checklist_for("vehicle", 2, l2, 16);
	assert_true(n2 > n1);
	assert_false(has_item(l1, n1, "underside"));
	assert_true(has_item(l2, n2, "underside"));
	n1 = inspect_checklist_for("baggage", 1, l1, 16);
	n2 = inspect_checklist_for("baggage", 2, l2, 16);
	assert_true(has_item(l1, n1, "screen"));
	assert_false(has_item(l1, n1, "xray_100"));
	assert_true(has_item(l2, n2, "xray_100"));
	n1 = inspect_checklist_for("container", 1, l1, 16);
	assert_true(has_item(l1, n1, "seal_check") && has_item(l1, n1, "documents_match") &&
	            has_item(l1, n1, "scan"));
	n1 = inspect_checklist_for("stores", 1, l1, 16);
	assert_true(has_item(l1, n1, "match_order"));
	assert_int_equal(inspect_checklist_for("bicycle", 1, l1, 16), 0);
}

static void sha256_of_a_known_input(void **state)
{
	(void)state;
	char hex[65];
	inspect_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	inspect_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* ---- against a store -------------------------------------------------------------------- */

struct step {
	int op; /* 0 create, 1 state, 2 tick */
	struct inspect_new nw;
	int64_t id, n;
	const char *to, *verdict, *scan;
};

static int step_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct step *s = vctx;
	if (s->op == 0)
		return inspect_inspection_create_tx(tx, "tester", &s->nw, &s->id, err);
	if (s->op == 1)
		return inspect_inspection_state_tx(tx, "tester", s->id, s->to, s->verdict, s->scan,
		                                   err);
	return inspect_checklist_tick_tx(tx, "tester", s->id, s->n, 1, NULL, err);
}

static int step(struct fixture *f, struct step *s, struct pg_err *err)
{
	memset(err, 0, sizeof(*err));
	return store_write(f->s, step_fn, s, err);
}

static void an_outcome_waits_for_the_required_checklist_items(void **state)
{
	struct fixture *f = *state;
	struct pg_err err;
	struct step s = {.op = 0,
	                 .nw = {.kind = "baggage", .subject = "BAG-0042", .reason = "random"}};
	assert_int_equal(step(f, &s, &err), 0);
	int64_t id = s.id;

	struct step t = {.op = 1, .id = id, .to = "cleared", .verdict = "nothing found"};
	assert_int_equal(step(f, &t, &err), PG_ECONFLICT);
	assert_string_equal(err.msg, "inspection 1 cannot go from selected to cleared");

	t.to = "examining";
	assert_int_equal(step(f, &t, &err), 0);
	t.to = "cleared";
	assert_int_equal(step(f, &t, &err), PG_ECONFLICT);
	assert_string_equal(err.field, "checklist");
	assert_non_null(
	    strstr(err.msg, "required checklist items are open: 1 screen, 2 tag_match"));

	t.verdict = NULL;
	assert_int_equal(step(f, &t, &err), PG_EUNPROCESSABLE);
	assert_string_equal(err.field, "verdict");
	t.verdict = "nothing found";

	struct step k = {.op = 2, .id = id, .n = 1};
	assert_int_equal(step(f, &k, &err), 0);
	assert_int_equal(step(f, &t, &err), PG_ECONFLICT);
	assert_non_null(strstr(err.msg, "open: 2 tag_match"));
	k.n = 2;
	assert_int_equal(step(f, &k, &err), 0);
	k.n = 9;
	assert_int_equal(step(f, &k, &err), PG_ENOTFOUND);
	assert_int_equal(step(f, &t, &err), 0);

	/* cleared is final */
	t.to = "held";
	assert_int_equal(step(f, &t, &err), PG_ECONFLICT);
	k.n = 1;
	assert_int_equal(step(f, &k, &err), PG_ECONFLICT);
}

static void scanned_needs_a_scan_result_and_bad_input_is_refused(void **state)
{
	struct fixture *f = *state;
	struct pg_err err;
	struct step s = {
	    .op = 0,
	    .nw = {.kind = "container", .subject = "MSCU1234567", .reason = "intelligence"}};
	assert_int_equal(step(f, &s, &err), PG_EINVAL);
	assert_string_equal(err.field, "subject");
	s.nw.subject = "mscu 123456-6";
	s.nw.reason = "hunch";
	assert_int_equal(step(f, &s, &err), PG_EINVAL);
	assert_string_equal(err.field, "reason");
	s.nw.reason = "intelligence";
	s.nw.kind = "bicycle";
	assert_int_equal(step(f, &s, &err), PG_EINVAL);
	assert_string_equal(err.field, "kind");
	s.nw.kind = "container";
	s.nw.manifest_container_id = 77;
	assert_int_equal(step(f, &s, &err), PG_EUNPROCESSABLE);
	assert_string_equal(err.field, "manifest_container_id");
	s.nw.manifest_container_id = 0;
	assert_int_equal(step(f, &s, &err), 0);

	struct step t = {.op = 1, .id = s.id, .to = "scanning"};
	assert_int_equal(step(f, &t, &err), 0);
	t.to = "scanned";
	assert_int_equal(step(f, &t, &err), PG_EUNPROCESSABLE);
	assert_string_equal(err.field, "scan_result");
	t.scan = "fuzzy";
	assert_int_equal(step(f, &t, &err), PG_EINVAL);
	t.scan = "anomaly";
	assert_int_equal(step(f, &t, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_transition_table_allows_only_its_rows),
	    cmocka_unit_test(checklists_differ_by_security_level),
	    cmocka_unit_test(sha256_of_a_known_input),
	    cmocka_unit_test_setup_teardown(an_outcome_waits_for_the_required_checklist_items,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(scanned_needs_a_scan_result_and_bad_input_is_refused,
	                                    setup, unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
