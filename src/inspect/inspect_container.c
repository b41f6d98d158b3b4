/* inspect_container.c - ISO 6346 container numbers and size-type codes, ISO 17712 seals. */
#include <string.h>

#include "inspect_container.h"

/* ---- container numbers -------------------------------------------------------------------- */

/* ISO 6346 letter values: 10 upwards, skipping the multiples of 11 (11, 22, 33). */
static const unsigned char letter_value[26] = {
	10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, /* A-K */
	23, 24, 25, 26, 27, 28, 29, 30, 31, 32,     /* L-U */
	34, 35, 36, 37, 38,                         /* V-Z */
};

/* The equipment category letters. */
static const char categories[] = "UJZ";

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_category(int c)
{
	return c && strchr(categories, c) != NULL;
}

static int upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* What normalising does to one byte: -1 drop it, else the byte to keep. */
static int normal_byte(unsigned char c)
{
	if (c == ' ' || c == '-')
		return -1;
	return upper(c);
}

int inspect_check_digit(const char *ten)
{
	if (!ten)
		return -1;
	unsigned sum = 0;
	for (int i = 0; i < 10; i++) {
		unsigned char c = (unsigned char)ten[i];
		int ok = i < 3 ? is_upper(c) : i == 3 ? is_category(c) : is_digit(c);
		if (!ok)
			return -1; /* a NUL fails here too: nothing past it is read */
		unsigned v = is_digit(c) ? (unsigned)(c - '0') : letter_value[c - 'A'];
		sum += v << i;
	}
	return (int)(sum % 11 % 10);
}

size_t inspect_container_normalise(const char *input, char *out, size_t n)
{
	size_t len = 0;
	for (const char *p = input ? input : ""; *p; p++) {
		int c = normal_byte((unsigned char)*p);
		if (c < 0)
			continue;
		if (len + 1 < n)
			out[len] = (char)c;
		len++;
	}
	if (n)
		out[len < n ? len : n - 1] = '\0';
	return len;
}

/* A byte for a message: 'x' when printable ASCII, else its hex value. */
static void describe_byte(unsigned char c, char *out, size_t n)
{
	if (c > ' ' && c < 0x7f && c != '\'')
		pg_snprintf(out, n, "'%c'", c);
	else
		pg_snprintf(out, n, "byte 0x%02X", c);
}

void inspect_container_check(const char *input, struct inspect_container_check *out)
{
	memset(out, 0, sizeof(*out));
	out->expected_check_digit = -1;
	/* one pass: the normalised length, its first 11 characters, the first bad byte */
	size_t len = 0, bad_at = 0;
	unsigned char bad = 0;
	const char *s = input ? input : "";
	for (size_t i = 0; s[i]; i++) {
		int c = normal_byte((unsigned char)s[i]);
		if (c < 0)
			continue;
		if (!bad && !is_upper(c) && !is_digit(c)) {
			bad = (unsigned char)c;
			bad_at = i + 1;
		}
		if (len < INSPECT_CONTAINER_LEN)
			out->number[len] = (char)c;
		len++;
	}
	const char *nb = out->number;
	size_t have = len < INSPECT_CONTAINER_LEN ? len : INSPECT_CONTAINER_LEN;
	if (len >= 10)
		out->expected_check_digit = inspect_check_digit(nb);
	int expected = out->expected_check_digit;
	char *e = out->error;
	size_t en = sizeof(out->error);

	if (len == 0) {
		pg_snprintf(e, en, "no letters or digits");
		return;
	}
	if (bad) {
		char what[16];
		describe_byte(bad, what, sizeof(what));
		pg_snprintf(e, en, "%s at position %zu is not a letter or digit", what, bad_at);
		return;
	}
	for (size_t i = 0; i < 3 && i < have; i++) {
		if (!is_upper(nb[i])) {
			pg_snprintf(e, en, "owner code must be 3 letters (got '%.3s')", nb);
			return;
		}
	}
	if (have > 3 && !is_category(nb[3])) {
		pg_snprintf(e, en, "category must be U, J or Z (got '%c')", nb[3]);
		return;
	}
	for (size_t i = 4; i < 10 && i < have; i++) {
		if (!is_digit(nb[i])) {
			pg_snprintf(e, en, "serial must be 6 digits (got '%.6s')", nb + 4);
			return;
		}
	}
	if (len < 10) {
		pg_snprintf(e, en, "too short: %zu characters, expected 11", len);
		return;
	}
	if (len == 10) {
		pg_snprintf(e, en, "too short: 10 characters, check digit missing (expected %d)",
			    expected);
		return;
	}
	if (len > INSPECT_CONTAINER_LEN) {
		pg_snprintf(e, en, "too long: %zu characters, expected 11", len);
		return;
	}
	if (!is_digit(nb[10])) {
		pg_snprintf(e, en, "check digit must be a digit (got '%c', expected %d)", nb[10],
			    expected);
		return;
	}
	if (nb[10] - '0' != expected) {
		pg_snprintf(e, en, "check digit is %c, expected %d", nb[10], expected);
		return;
	}
	out->valid = 1;
}

/* ---- size-type codes ---------------------------------------------------------------------- */

#define H86 "8 ft 6 in (standard)"
#define H96 "9 ft 6 in (high cube)"
#define GEN INSPECT_KIND_GENERAL
#define VEN INSPECT_KIND_VENTILATED
#define REF INSPECT_KIND_REEFER
#define OPT INSPECT_KIND_OPEN_TOP
#define FLR INSPECT_KIND_FLAT_RACK
#define TNK INSPECT_KIND_TANK
#define BLK INSPECT_KIND_BULK

/* Typical figures of boxes in service. Tanks: T0-T2 non-dangerous liquids, T3-T6 dangerous
 * liquids, the test pressure rising with the digit. */
/* clang-format off */
const struct inspect_size_type inspect_size_types[] = {
	/* code, length ft, height, kind, max gross kg, tare kg, description */
	{"22B0", 20, H86, BLK, 30480, 2600, "20 ft dry bulk, closed"},
	{"22G0", 20, H86, GEN, 30480, 2200, "20 ft general purpose"},
	{"22G1", 20, H86, GEN, 30480, 2200, "20 ft general purpose, passive vents"},
	{"22P1", 20, H86, FLR, 34000, 2750, "20 ft flat rack, fixed ends"},
	{"22P3", 20, H86, FLR, 34000, 2900, "20 ft flat rack, collapsible ends"},
	{"22R0", 20, H86, REF, 30480, 3000, "20 ft refrigerated"},
	{"22R1", 20, H86, REF, 30480, 3050, "20 ft refrigerated and heated"},
	{"22T0", 20, H86, TNK, 36000, 3650, "20 ft tank, non-dangerous liquids, 0.45 bar"},
	{"22T1", 20, H86, TNK, 36000, 3650, "20 ft tank, non-dangerous liquids, 1.5 bar"},
	{"22T2", 20, H86, TNK, 36000, 3700, "20 ft tank, non-dangerous liquids, 2.65 bar"},
	{"22T3", 20, H86, TNK, 36000, 3750, "20 ft tank, dangerous liquids, 1.5 bar"},
	{"22T4", 20, H86, TNK, 36000, 3800, "20 ft tank, dangerous liquids, 2.65 bar"},
	{"22T5", 20, H86, TNK, 36000, 3900, "20 ft tank, dangerous liquids, 4 bar"},
	{"22T6", 20, H86, TNK, 36000, 4000, "20 ft tank, dangerous liquids, 6 bar"},
	{"22U0", 20, H86, OPT, 30480, 2250, "20 ft open top, openings at one or both ends"},
	{"22U1", 20, H86, OPT, 30480, 2300, "20 ft open top, removable top members"},
	{"22V0", 20, H86, VEN, 30480, 2350, "20 ft ventilated, passive"},
	{"25G1", 20, H96, GEN, 30480, 2350, "20 ft high cube general purpose, passive vents"},
	{"42G0", 40, H86, GEN, 30480, 3750, "40 ft general purpose"},
	{"42G1", 40, H86, GEN, 30480, 3750, "40 ft general purpose, passive vents"},
	{"42P1", 40, H86, FLR, 45000, 5500, "40 ft flat rack, fixed ends"},
	{"42P3", 40, H86, FLR, 45000, 5800, "40 ft flat rack, collapsible ends"},
	{"42R1", 40, H86, REF, 32500, 4500, "40 ft refrigerated and heated"},
	{"42U1", 40, H86, OPT, 30480, 3850, "40 ft open top, removable top members"},
	{"45G0", 40, H96, GEN, 32500, 3900, "40 ft high cube general purpose"},
	{"45G1", 40, H96, GEN, 32500, 3900, "40 ft high cube general purpose, passive vents"},
	{"45P3", 40, H96, FLR, 45000, 6000, "40 ft high cube flat rack, collapsible ends"},
	{"45R1", 40, H96, REF, 34000, 4800, "40 ft high cube refrigerated and heated"},
	{"45U1", 40, H96, OPT, 32500, 4000, "40 ft high cube open top"},
	{"L5G1", 45, H96, GEN, 32500, 4800, "45 ft high cube general purpose, passive vents"},
	{"L5R1", 45, H96, REF, 34000, 5200, "45 ft high cube refrigerated and heated"},
};
/* clang-format on */
const int inspect_n_size_types = (int)(sizeof(inspect_size_types) / sizeof(inspect_size_types[0]));
#undef H86
#undef H96
#undef GEN
#undef VEN
#undef REF
#undef OPT
#undef FLR
#undef TNK
#undef BLK

const struct inspect_size_type *inspect_size_type(const char *code)
{
	if (!code || strlen(code) != 4)
		return NULL;
	for (int i = 0; i < inspect_n_size_types; i++) {
		const char *t = inspect_size_types[i].code;
		int k = 0;
		while (k < 4 && upper((unsigned char)code[k]) == t[k])
			k++;
		if (k == 4)
			return &inspect_size_types[i];
	}
	return NULL;
}

static const char *const kind_names[] = {
	[INSPECT_KIND_GENERAL] = "general",     [INSPECT_KIND_VENTILATED] = "ventilated",
	[INSPECT_KIND_REEFER] = "reefer",       [INSPECT_KIND_OPEN_TOP] = "open top",
	[INSPECT_KIND_FLAT_RACK] = "flat rack", [INSPECT_KIND_TANK] = "tank",
	[INSPECT_KIND_BULK] = "bulk",
};

const char *inspect_container_kind_name(enum inspect_container_kind kind)
{
	unsigned k = (unsigned)kind;
	if (k >= sizeof(kind_names) / sizeof(kind_names[0]) || !kind_names[k])
		return "?";
	return kind_names[k];
}

/* ---- seals (ISO 17712) -------------------------------------------------------------------- */

static const struct {
	const char *letter;
	enum inspect_seal_class cls;
	const char *name;
} seal_classes[] = {
	{"I", INSPECT_SEAL_INDICATIVE, "indicative"},
	{"S", INSPECT_SEAL_SECURITY, "security"},
	{"H", INSPECT_SEAL_HIGH_SECURITY, "high security"},
};
#define N_SEAL_CLASSES (int)(sizeof(seal_classes) / sizeof(seal_classes[0]))

int inspect_seal_class(const char *s)
{
	for (int i = 0; s && i < N_SEAL_CLASSES; i++)
		if (strcmp(s, seal_classes[i].letter) == 0)
			return (int)seal_classes[i].cls;
	return -1;
}

const char *inspect_seal_class_name(int seal_class)
{
	for (int i = 0; i < N_SEAL_CLASSES; i++)
		if ((int)seal_classes[i].cls == seal_class)
			return seal_classes[i].name;
	return "?";
}

int inspect_seal_number_check(const char *s, struct pg_err *err)
{
	if (!s || !*s)
		return pg_err_field(err, PG_EINVAL, "seal", "seal number is empty");
	size_t i = 0;
	for (; s[i] && i <= INSPECT_SEAL_NUMBER_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!is_upper(c) && !is_digit(c) && c != '-') {
			char what[16];
			describe_byte(c, what, sizeof(what));
			return pg_err_field(err, PG_EINVAL, "seal",
					    "seal number may hold only A-Z, 0-9 and '-' (%s at "
					    "position %zu)",
					    what, i + 1);
		}
	}
	if (i > INSPECT_SEAL_NUMBER_MAX)
		return pg_err_field(err, PG_EINVAL, "seal",
				    "seal number is longer than %d characters",
				    INSPECT_SEAL_NUMBER_MAX);
	return 0;
}
