/* Unit tests of the inspect module's identifiers: ISO 6346 container numbers (a table of
 * cases), the check digit against the rule written out independently, size-type codes and
 * ISO 17712 seals. */
#include "unit.h"

#include "inspect/inspect_container.h"

/* ---- container numbers: the cases -------------------------------------------------------- */

struct number_case {
	const char *input;
	int valid;
	const char *number; /* the normalised number as held in the result (11 at most) */
	int expected;       /* expected_check_digit */
	const char *error;  /* a part of the error ("" when valid) */
};

/* Check digits worked by hand (values: letters A=10, B=12 ... skipping 11, 22, 33; weights
 * 1, 2, 4 ... 512; sum mod 11 mod 10):
 *   CSQU305438: 13+60+112+256 + 48+0+320+512+768+4096 = 6185 = 11*562 + 3      -> 3
 *   BICU123456: 12+38+52+256 + 16+64+192+512+1280+3072 = 5494 = 11*499 + 5     -> 5
 *   TCNU720079: 31+26+100+256 + 112+64+0+0+1792+4608 = 6989 = 11*635 + 4       -> 4
 *   TOLU473478: 31+52+92+256 + 64+224+192+512+1792+4096 = 7311 = 11*664 + 7    -> 7
 *   GYOU404799: 17+74+104+256 + 64+0+256+896+2304+4608 = 8579 = 11*779 + 10    -> 0
 *   ZEPU003725: 38+30+108+256 + 0+0+192+896+512+2560 = 4592 = 11*417 + 5       -> 5
 *   MSCU123456: 24+60+52+256 + 16+64+192+512+1280+3072 = 5528 = 11*502 + 6     -> 6
 *   CSQJ305438: 6185 - 8*32 + 8*20 = 6089 = 11*553 + 6                         -> 6
 *   CSQZ305438: 6185 - 8*32 + 8*38 = 6233 = 11*566 + 7                         -> 7 */
static const struct number_case cases[] = {
	/* real-world numbers: ISO 6346's own example, BIC's, boxes in service */
	{"CSQU3054383", 1, "CSQU3054383", 3, ""},
	{"BICU1234565", 1, "BICU1234565", 5, ""},
	{"TCNU7200794", 1, "TCNU7200794", 4, ""},
	{"TOLU4734787", 1, "TOLU4734787", 7, ""},
	{"GYOU4047990", 1, "GYOU4047990", 0, ""}, /* remainder 10 gives 0 */
	{"ZEPU0037255", 1, "ZEPU0037255", 5, ""},
	{"MSCU1234566", 1, "MSCU1234566", 6, ""},
	/* the other categories: detachable equipment (J), trailers and chassis (Z) */
	{"CSQJ3054386", 1, "CSQJ3054386", 6, ""},
	{"CSQZ3054387", 1, "CSQZ3054387", 7, ""},
	/* normalised, not rejected: case, spaces, dashes */
	{"csqu3054383", 1, "CSQU3054383", 3, ""},
	{"CsQu3054383", 1, "CSQU3054383", 3, ""},
	{"CSQU 305438 3", 1, "CSQU3054383", 3, ""},
	{"csqu-305438-3", 1, "CSQU3054383", 3, ""},
	{"  TCNU 720079-4  ", 1, "TCNU7200794", 4, ""},
	/* wrong check digits, with the right one */
	{"CSQU3054384", 0, "CSQU3054384", 3, "check digit is 4, expected 3"},
	{"MSCU1234565", 0, "MSCU1234565", 6, "check digit is 5, expected 6"},
	{"GYOU4047991", 0, "GYOU4047991", 0, "check digit is 1, expected 0"},
	{"tolu 473478 0", 0, "TOLU4734780", 7, "check digit is 0, expected 7"},
	/* each part malformed, explained */
	{"C5QU3054383", 0, "C5QU3054383", -1, "owner code must be 3 letters (got 'C5Q')"},
	{"1234", 0, "1234", -1, "owner code must be 3 letters (got '123')"},
	{"CSQX3054383", 0, "CSQX3054383", -1, "category must be U, J or Z (got 'X')"},
	{"CSQ03054383", 0, "CSQ03054383", -1, "category must be U, J or Z (got '0')"},
	{"CSQU30A4383", 0, "CSQU30A4383", -1, "serial must be 6 digits (got '30A438')"},
	{"CSQUO054383", 0, "CSQUO054383", -1, "serial must be 6 digits (got 'O05438')"},
	{"CSQU305438X", 0, "CSQU305438X", 3, "check digit must be a digit (got 'X', expected 3)"},
	{"CSQU305438", 0, "CSQU305438", 3, "too short: 10 characters, check digit missing (expected 3"},
	{"CSQU30543", 0, "CSQU30543", -1, "too short: 9 characters, expected 11"},
	{"CSQ", 0, "CSQ", -1, "too short: 3 characters, expected 11"},
	{"CSQU30543833", 0, "CSQU3054383", 3, "too long: 12 characters, expected 11"},
	{"CSQU3054383 CSQU3054383", 0, "CSQU3054383", 3, "too long: 22 characters"},
	{"CSQU#054383", 0, "CSQU#054383", -1, "'#' at position 5 is not a letter or digit"},
	{"CSQU\t3054383", 0, "CSQU\t305438", -1, "byte 0x09 at position 5 is not a letter"},
	{"CSQU_3054383", 0, "CSQU_305438", -1, "'_' at position 5 is not a letter or digit"},
	{"\xc3\x84SQU3054383", 0, "\xc3\x84SQU305438", -1, "byte 0xC3 at position 1"},
	{"", 0, "", -1, "no letters or digits"},
	{" - -", 0, "", -1, "no letters or digits"},
};

static void numbers_are_checked_as_the_table_says(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct number_case *k = &cases[i];
		struct inspect_container_check c;
		memset(&c, 0x5a, sizeof(c));
		inspect_container_check(k->input, &c);
		if (c.valid != k->valid || strcmp(c.number, k->number) != 0 ||
		    c.expected_check_digit != k->expected || strstr(c.error, k->error) == NULL ||
		    (k->valid && c.error[0]))
			fail_msg("'%s': got valid %d number '%s' expected_check_digit %d "
				 "error '%s'; want %d '%s' %d '%s'",
				 k->input, c.valid, c.number, c.expected_check_digit, c.error,
				 k->valid, k->number, k->expected, k->error);
	}
}

static void a_null_number_is_explained_like_an_empty_one(void **state)
{
	(void)state;
	struct inspect_container_check c;
	inspect_container_check(NULL, &c);
	assert_int_equal(c.valid, 0);
	assert_string_equal(c.number, "");
	assert_int_equal(c.expected_check_digit, -1);
	assert_string_equal(c.error, "no letters or digits");
}

/* The letter values written out from the rule, independently of the module's table. */
static int rule_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	int v = 10;
	for (char x = 'A'; x < c; x++)
		if (++v % 11 == 0)
			v++;
	return v;
}

static int rule_check_digit(const char *ten)
{
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += rule_value(ten[i]) << i;
	return sum % 11 % 10;
}

static void check_digit_follows_the_rule_for_every_letter_in_every_place(void **state)
{
	(void)state;
	assert_int_equal(rule_value('A'), 10);
	assert_int_equal(rule_value('K'), 21);
	assert_int_equal(rule_value('L'), 23);
	assert_int_equal(rule_value('U'), 32);
	assert_int_equal(rule_value('V'), 34);
	assert_int_equal(rule_value('Z'), 38);
	char ten[11] = "CSQU305438";
	for (int pos = 0; pos < 3; pos++) {
		for (char c = 'A'; c <= 'Z'; c++) {
			memcpy(ten, "CSQU305438", 10);
			ten[pos] = c;
			assert_int_equal(inspect_check_digit(ten), rule_check_digit(ten));
		}
	}
	for (const char *cat = "UJZ"; *cat; cat++) {
		memcpy(ten, "CSQU305438", 10);
		ten[3] = *cat;
		assert_int_equal(inspect_check_digit(ten), rule_check_digit(ten));
	}
	/* every serial digit in every place, across many serials */
	uint32_t r = 12345;
	for (int n = 0; n < 20000; n++) {
		r = r * 1103515245u + 12345u;
		snprintf(ten, sizeof(ten), "%c%c%cU%06u", 'A' + (int)(r >> 8) % 26,
			 'A' + (int)(r >> 13) % 26, 'A' + (int)(r >> 18) % 26,
			 (unsigned)(n * 37 % 1000000));
		assert_int_equal(inspect_check_digit(ten), rule_check_digit(ten));
	}
}

static void check_digit_refuses_what_is_not_ten_well_formed_characters(void **state)
{
	(void)state;
	assert_int_equal(inspect_check_digit("CSQU305438"), 3);
	assert_int_equal(inspect_check_digit("CSQU3054389999"), 3); /* past the 10th: unread */
	assert_int_equal(inspect_check_digit("csqu305438"), -1);     /* normalise first */
	assert_int_equal(inspect_check_digit("CSQU30543"), -1);
	assert_int_equal(inspect_check_digit("CSQX305438"), -1);
	assert_int_equal(inspect_check_digit("CSQU30543A"), -1);
	assert_int_equal(inspect_check_digit("C1QU305438"), -1);
	assert_int_equal(inspect_check_digit(""), -1);
	assert_int_equal(inspect_check_digit(NULL), -1);
}

static void normalise_reports_the_whole_length_and_cuts_safely(void **state)
{
	(void)state;
	char out[12];
	assert_int_equal(inspect_container_normalise("csqu-305438 3", out, sizeof(out)), 11);
	assert_string_equal(out, "CSQU3054383");
	assert_int_equal(inspect_container_normalise("abcd 123456 7890", out, 5), 14);
	assert_string_equal(out, "ABCD");
	assert_int_equal(inspect_container_normalise("x", out, 1), 1);
	assert_string_equal(out, "");
	assert_int_equal(inspect_container_normalise("\xc3\xa4-b", out, sizeof(out)), 3);
	assert_string_equal(out, "\xc3\xa4" "B"); /* non-ASCII kept as it is */
	assert_int_equal(inspect_container_normalise(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

/* ---- size-type codes ------------------------------------------------------------------- */

static void common_size_types_have_realistic_masses(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		int length_ft;
		enum inspect_container_kind kind;
		int max_gross_kg, tare_lo, tare_hi;
	} want[] = {
		{"22G1", 20, INSPECT_KIND_GENERAL, 30480, 2000, 2400},
		{"22R1", 20, INSPECT_KIND_REEFER, 30480, 2800, 3300},
		{"22U1", 20, INSPECT_KIND_OPEN_TOP, 30480, 2100, 2500},
		{"22T1", 20, INSPECT_KIND_TANK, 36000, 3300, 4200},
		{"22P1", 20, INSPECT_KIND_FLAT_RACK, 34000, 2500, 3000},
		{"25G1", 20, INSPECT_KIND_GENERAL, 30480, 2200, 2500},
		{"42G1", 40, INSPECT_KIND_GENERAL, 30480, 3600, 3900},
		{"42R1", 40, INSPECT_KIND_REEFER, 32500, 4200, 4800},
		{"42P1", 40, INSPECT_KIND_FLAT_RACK, 45000, 5000, 6000},
		{"45G1", 40, INSPECT_KIND_GENERAL, 32500, 3700, 4100},
		{"45R1", 40, INSPECT_KIND_REEFER, 34000, 4400, 5000},
		{"45U1", 40, INSPECT_KIND_OPEN_TOP, 32500, 3800, 4300},
		{"L5G1", 45, INSPECT_KIND_GENERAL, 32500, 4600, 5000},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct inspect_size_type *t = inspect_size_type(want[i].code);
		if (!t)
			fail_msg("size type %s is missing", want[i].code);
		assert_string_equal(t->code, want[i].code);
		assert_int_equal(t->length_ft, want[i].length_ft);
		assert_int_equal(t->kind, want[i].kind);
		assert_int_equal(t->max_gross_kg, want[i].max_gross_kg);
		if (t->tare_kg < want[i].tare_lo || t->tare_kg > want[i].tare_hi)
			fail_msg("%s tare %d kg outside %d-%d", t->code, t->tare_kg,
				 want[i].tare_lo, want[i].tare_hi);
	}
	/* a reefer weighs more empty than the dry box of its size */
	assert_true(inspect_size_type("22R1")->tare_kg > inspect_size_type("22G1")->tare_kg);
	assert_true(inspect_size_type("45R1")->tare_kg > inspect_size_type("45G1")->tare_kg);
	assert_string_equal(inspect_container_kind_name(inspect_size_type("45R1")->kind), "reefer");
	assert_string_equal(inspect_container_kind_name(inspect_size_type("42P1")->kind),
			    "flat rack");
}

static void size_type_lookup_ignores_case_and_refuses_unknown_codes(void **state)
{
	(void)state;
	assert_ptr_equal(inspect_size_type("45r1"), inspect_size_type("45R1"));
	assert_ptr_equal(inspect_size_type("l5g1"), inspect_size_type("L5G1"));
	assert_null(inspect_size_type("99X9"));
	assert_null(inspect_size_type("22G"));
	assert_null(inspect_size_type("22G11"));
	assert_null(inspect_size_type(""));
	assert_null(inspect_size_type(NULL));
	assert_string_equal(inspect_container_kind_name((enum inspect_container_kind)99), "?");
}

/* Every row agrees with what its code says (ISO 6346: length, height, type group). */
static void every_size_type_row_matches_its_code(void **state)
{
	(void)state;
	static const struct {
		char c;
		int length_ft;
	} lengths[] = {{'2', 20}, {'4', 40}, {'L', 45}};
	static const struct {
		char c;
		const char *height;
	} heights[] = {{'2', "8 ft 6 in"}, {'5', "9 ft 6 in"}};
	static const struct {
		char c;
		enum inspect_container_kind kind;
	} groups[] = {{'G', INSPECT_KIND_GENERAL},   {'V', INSPECT_KIND_VENTILATED},
		      {'R', INSPECT_KIND_REEFER},    {'U', INSPECT_KIND_OPEN_TOP},
		      {'P', INSPECT_KIND_FLAT_RACK}, {'T', INSPECT_KIND_TANK},
		      {'B', INSPECT_KIND_BULK}};
	assert_true(inspect_n_size_types >= 13);
	for (int i = 0; i < inspect_n_size_types; i++) {
		const struct inspect_size_type *t = &inspect_size_types[i];
		assert_int_equal(strlen(t->code), 4);
		if (i > 0 && strcmp(inspect_size_types[i - 1].code, t->code) >= 0)
			fail_msg("%s: codes must be in order and unique", t->code);
		int ok = 0;
		for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++)
			ok |= lengths[k].c == t->code[0] && lengths[k].length_ft == t->length_ft;
		for (size_t k = 0; k < sizeof(heights) / sizeof(heights[0]); k++)
			ok |= (heights[k].c == t->code[1] && strstr(t->height, heights[k].height))
			      << 1;
		for (size_t k = 0; k < sizeof(groups) / sizeof(groups[0]); k++)
			ok |= (groups[k].c == t->code[2] && groups[k].kind == t->kind) << 2;
		if (ok != 7)
			fail_msg("%s: length, height or kind disagrees with the code (%d)", t->code,
				 ok);
		if (!(t->tare_kg > 1500 && t->tare_kg < t->max_gross_kg / 4 &&
		      t->max_gross_kg >= 24000 && t->max_gross_kg <= 45000))
			fail_msg("%s: masses %d/%d kg are not plausible", t->code, t->max_gross_kg,
				 t->tare_kg);
		assert_non_null(t->description);
		assert_ptr_equal(inspect_size_type(t->code), t);
	}
}

/* ---- seals (ISO 17712) ----------------------------------------------------------------- */

static void seal_classes_are_i_s_and_h_exactly(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int cls;
		const char *name;
	} want[] = {
		{"I", INSPECT_SEAL_INDICATIVE, "indicative"},
		{"S", INSPECT_SEAL_SECURITY, "security"},
		{"H", INSPECT_SEAL_HIGH_SECURITY, "high security"},
		{"h", -1, "?"}, {"HS", -1, "?"}, {"", -1, "?"}, {"X", -1, "?"}, {"H ", -1, "?"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(inspect_seal_class(want[i].s), want[i].cls);
		assert_string_equal(inspect_seal_class_name(want[i].cls), want[i].name);
	}
	assert_int_equal(inspect_seal_class(NULL), -1);
}

static void seal_numbers_are_1_to_20_of_letters_digits_and_dashes(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		const char *error; /* NULL: accepted */
	} want[] = {
		{"A", NULL},
		{"ML-1234567", NULL},
		{"EU12345678", NULL},
		{"ABCDEFGHIJ0123456789", NULL}, /* 20 */
		{"ABCDEFGHIJ01234567890", "longer than 20"},
		{"", "empty"},
		{"ml-1234567", "'m' at position 1"},
		{"AB 123", "byte 0x20 at position 3"},
		{"AB_123", "'_' at position 3"},
		{"AB\n", "byte 0x0A at position 3"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct pg_err err = {0};
		int rc = inspect_seal_number_check(want[i].s, &err);
		if (!want[i].error) {
			if (rc != 0 || err.msg[0])
				fail_msg("seal '%s' refused: %s", want[i].s, err.msg);
			continue;
		}
		if (rc != PG_EINVAL || strstr(err.msg, want[i].error) == NULL ||
		    strcmp(err.field, "seal") != 0)
			fail_msg("seal '%s': rc %d field '%s' msg '%s', want '%s'", want[i].s, rc,
				 err.field, err.msg, want[i].error);
	}
	assert_int_equal(inspect_seal_number_check(NULL, NULL), PG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_are_checked_as_the_table_says),
		cmocka_unit_test(a_null_number_is_explained_like_an_empty_one),
		cmocka_unit_test(check_digit_follows_the_rule_for_every_letter_in_every_place),
		cmocka_unit_test(check_digit_refuses_what_is_not_ten_well_formed_characters),
		cmocka_unit_test(normalise_reports_the_whole_length_and_cuts_safely),
		cmocka_unit_test(common_size_types_have_realistic_masses),
		cmocka_unit_test(size_type_lookup_ignores_case_and_refuses_unknown_codes),
		cmocka_unit_test(every_size_type_row_matches_its_code),
		cmocka_unit_test(seal_classes_are_i_s_and_h_exactly),
		cmocka_unit_test(seal_numbers_are_1_to_20_of_letters_digits_and_dashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
