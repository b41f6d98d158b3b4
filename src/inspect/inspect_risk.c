/* inspect_risk.c - risk rules (the compiled-in table, the INI file) and the scoring of a
 * container line: every hit with its weight, its explanation in words and its values.
 *
 * Each rule names one indicator (the table `indicators` below: what the code can test)
 * and carries the port's weight and parameters; several rules may use one indicator
 * (first_shipment of the shipper and of the consignee). */
#include <ini.h>
#include <pthread.h>
#include <string.h>

#include "inspect_int.h"

enum indicator {
	I_CHECK_DIGIT,
	I_VAGUE,
	I_MASS_LIMITS,
	I_MASS_VGM,
	I_MASS_WEIGHBRIDGE,
	I_FIRST_SHIPMENT,
	I_WATCHLIST,
	I_HR_ORIGIN,
	I_HR_TRANSSHIPMENT,
	I_CIRCUITOUS,
	I_SEAL_MISSING,
	I_SEAL_NOT_H,
	I_DG_WITHOUT_UN,
	I_DG_CLASS,
	I_HS_MISMATCH,
	I_COUNT
};

/* Parameters a rule may carry; which ones an indicator takes is in its row. */
enum param { P_TOLERANCE = 1, P_WINDOW = 2, P_PARTY = 4, P_KIND = 8, P_MAX_TS = 16, P_CROSS = 32 };

static const struct {
	const char *name;
	unsigned params;
	const char *doc;
} indicators[I_COUNT] = {
    [I_CHECK_DIGIT] = {"check_digit", 0, "the container number's ISO 6346 check digit is wrong"},
    [I_VAGUE] = {"vague_description", 0, "the goods description is on the vague list"},
    [I_MASS_LIMITS] = {"mass_limits", 0,
                       "declared gross mass above the size type's maximum or below its tare"},
    [I_MASS_VGM] = {"mass_vgm", P_TOLERANCE,
                    "declared gross mass differs from the VGM by more than tolerance_percent"},
    [I_MASS_WEIGHBRIDGE] = {"mass_weighbridge", P_TOLERANCE | P_WINDOW,
                            "a weighbridge reading (within window_hours) differs from the "
                            "declared gross mass by more than tolerance_percent"},
    [I_FIRST_SHIPMENT] = {"first_shipment", P_PARTY,
                          "the party (shipper or consignee) has no earlier shipment on record"},
    [I_WATCHLIST] = {"watchlist", P_KIND,
                     "a party, the vessel or the container (kind) is on the watchlist"},
    [I_HR_ORIGIN] = {"high_risk_origin", 0, "the port of loading is on the high-risk list"},
    [I_HR_TRANSSHIPMENT] = {"high_risk_transshipment", 0,
                            "a transshipment port is on the high-risk list"},
    [I_CIRCUITOUS] = {"circuitous_route", P_MAX_TS | P_CROSS,
                      "more than max_transshipments, or (cross_continent = yes) a "
                      "transshipment on another continent than both ends"},
    [I_SEAL_MISSING] = {"seal_missing", 0, "no seal declared"},
    [I_SEAL_NOT_H] = {"seal_not_high_security", 0, "seals declared, none of ISO 17712 class H"},
    [I_DG_WITHOUT_UN] = {"dg_without_un", 0, "dangerous goods declared without a UN number"},
    [I_DG_CLASS] = {"dg_class_mismatch", 0,
                    "a UN number's declared IMDG class differs from the UN table"},
    [I_HS_MISMATCH] = {"hs_mismatch", 0,
                       "the description names none of the keywords of its HS code's prefix"},
};

static const char *const param_names[] = {"tolerance_percent",  "window_hours",   "party", "kind",
                                          "max_transshipments", "cross_continent"};
static const char *const party_roles[] = {"shipper", "consignee"};
static const char *const watch_kinds[] = {"party", "vessel", "container"};

#define NAME_MAX_LEN 47
#define MAX_RULES    64
#define MAX_LIST     1000 /* entries of each list */
#define MAX_KEYWORDS 16   /* per HS prefix */
#define MAX_WEIGHT   1000
#define MAX_SCORE    100000

struct rule {
	char name[NAME_MAX_LEN + 1];
	enum indicator ind;
	int weight;
	int tolerance_bp; /* basis points: 500 = 5 % */
	int window_h;
	int party; /* index in party_roles */
	int kind;  /* index in watch_kinds */
	int max_ts;
	int cross;
	unsigned given; /* parameters given (parsing) */
};

struct level_rules {
	int doc, scan, physical;
	uint32_t random_ppm; /* 10000 = 1 % */
};

struct un_class {
	char un[8];  /* UN1203 */
	char cls[8]; /* 3, 2.1, 1.4S */
};

struct hs_words {
	char prefix[12];
	char words[MAX_KEYWORDS][32];
	int n;
};

struct inspect_rules {
	struct rule rules[MAX_RULES];
	int nrules;
	struct level_rules level[3];
	char (*vague)[128]; /* normalised: lower case, words separated by one space */
	int nvague;
	char (*high_risk)[8]; /* country (2 letters) or UN/LOCODE (5) */
	int nhigh;
	struct un_class *un;
	int nun;
	struct hs_words *hs;
	int nhs;
};

/* ---- the compiled-in default (etc/risk.ini holds the same) ------------------------------- */

#define R(n, i, w, ...)                                                                            \
	{                                                                                          \
		.name = n, .ind = i, .weight = w, __VA_ARGS__                                      \
	}
static const struct rule default_rules[] = {
    R("check_digit", I_CHECK_DIGIT, 20),
    R("vague_description", I_VAGUE, 15),
    R("mass_limits", I_MASS_LIMITS, 30),
    R("mass_vgm", I_MASS_VGM, 20, .tolerance_bp = 500),
    R("mass_weighbridge", I_MASS_WEIGHBRIDGE, 25, .tolerance_bp = 500, .window_h = 168),
    R("first_shipment_consignee", I_FIRST_SHIPMENT, 15, .party = 1),
    R("first_shipment_shipper", I_FIRST_SHIPMENT, 10, .party = 0),
    R("watchlist_party", I_WATCHLIST, 35, .kind = 0),
    R("watchlist_vessel", I_WATCHLIST, 25, .kind = 1),
    R("watchlist_container", I_WATCHLIST, 30, .kind = 2),
    R("high_risk_origin", I_HR_ORIGIN, 25),
    R("high_risk_transshipment", I_HR_TRANSSHIPMENT, 20),
    R("circuitous_route", I_CIRCUITOUS, 15, .max_ts = 2, .cross = 1),
    R("seal_missing", I_SEAL_MISSING, 20),
    R("seal_not_high_security", I_SEAL_NOT_H, 10),
    R("dg_without_un", I_DG_WITHOUT_UN, 20),
    R("dg_class_mismatch", I_DG_CLASS, 25),
    R("hs_mismatch", I_HS_MISMATCH, 20),
};
#undef R

static const struct level_rules default_levels[3] = {
    {20, 50, 80, 10000},  /* level 1: random 1 % */
    {15, 45, 70, 30000},  /* level 2: 3 % */
    {10, 40, 60, 100000}, /* level 3: 10 % */
};

static const char *const default_vague[] = {
    "general cargo",
    "freight of all kinds",
    "fak",
    "parts",
    "spare parts",
    "said to contain",
    "stc",
    "consolidated cargo",
    "goods",
    "merchandise",
    "various",
    "sundries",
    "personal effects",
    "samples",
    "gifts",
    "machinery",
    "equipment",
};

static const struct un_class default_un[] = {
    {"UN0335", "1.3"}, {"UN0336", "1.4"}, {"UN1005", "2.3"}, {"UN1075", "2.1"}, {"UN1090", "3"},
    {"UN1170", "3"},   {"UN1202", "3"},   {"UN1203", "3"},   {"UN1263", "3"},   {"UN1402", "4.3"},
    {"UN1428", "4.3"}, {"UN1789", "8"},   {"UN1791", "8"},   {"UN1823", "8"},   {"UN1830", "8"},
    {"UN1942", "5.1"}, {"UN1950", "2"},   {"UN1993", "3"},   {"UN2067", "5.1"}, {"UN2794", "8"},
    {"UN2814", "6.2"}, {"UN2910", "7"},   {"UN3077", "9"},   {"UN3082", "9"},   {"UN3480", "9"},
    {"UN3481", "9"},
};

static const struct {
	const char *prefix, *words;
} default_hs[] = {
    {"0302", "fish, salmon, tuna"},
    {"0303", "fish, frozen"},
    {"0803", "banana, plantain"},
    {"0901", "coffee"},
    {"1006", "rice"},
    {"2203", "beer"},
    {"2204", "wine"},
    {"2402", "cigar, cigarette, tobacco"},
    {"2709", "crude, petroleum, oil"},
    {"3004", "medicament, medicine, pharmaceutical, tablet, capsule, drug"},
    {"3926", "plastic"},
    {"4011", "tyre, tire"},
    {"4407", "wood, timber, lumber, sawn"},
    {"6109", "t-shirt, shirt, garment, apparel, clothing, vest"},
    {"6403", "shoe, footwear, boot, sneaker"},
    {"7208", "steel, iron, coil, sheet"},
    {"8471", "computer, laptop, server, notebook"},
    {"8517", "phone, telephone, smartphone, router"},
    {"8703", "car, vehicle, automobile, suv, sedan"},
    {"9401", "seat, chair, sofa, furniture"},
    {"9403", "furniture, table, cabinet, desk, wardrobe"},
};

/* ---- small helpers ------------------------------------------------------------------------ */

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int name_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Lower case, every run of characters other than letters, digits and '-' one space. */
static void words_normalise(const char *s, char *out, size_t n)
{
	size_t k = 0;
	int gap = 0;
	for (; *s && k + 2 < n; s++) {
		unsigned char c = (unsigned char)*s;
		int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || c == '-' || c >= 0x80;
		if (!word) {
			gap = k > 0;
			continue;
		}
		if (gap)
			out[k++] = ' ';
		gap = 0;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[k] = '\0';
}

/* A whole-number or decimal string with at most `digits` decimals, scaled by 10^digits. */
static int parse_scaled(const char *s, int digits, int64_t max, int64_t *out)
{
	int64_t v = 0;
	int frac = -1;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac == digits)
			return -1;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
		if (v > max * 1000000)
			return -1;
	}
	if (frac == 0)
		return -1;
	for (int i = frac < 0 ? 0 : frac; i < digits; i++)
		v *= 10;
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static int locode_or_country_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 2 && n != 5)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (i >= 2 && c >= '2' && c <= '9')))
			return 0;
	}
	return 1;
}

static void format_bp(int bp, char *out, size_t n)
{
	if (bp % 100 == 0)
		pg_snprintf(out, n, "%d", bp / 100);
	else if (bp % 10 == 0)
		pg_snprintf(out, n, "%d.%d", bp / 100, bp / 10 % 10);
	else
		pg_snprintf(out, n, "%d.%02d", bp / 100, bp % 100);
}

static void format_ppm(uint32_t ppm, char *out, size_t n)
{
	char frac[8];
	pg_snprintf(frac, sizeof(frac), "%04u", ppm % 10000);
	for (int i = 3; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	pg_snprintf(out, n, "%u%s%s", ppm / 10000, frac[0] ? "." : "", frac);
}

/* ---- building, freeing, dumping -------------------------------------------------------- */

static struct inspect_rules *rules_new(void)
{
	struct inspect_rules *r = pg_calloc(1, sizeof(*r));
	r->vague = pg_calloc(MAX_LIST, sizeof(*r->vague));
	r->high_risk = pg_calloc(MAX_LIST, sizeof(*r->high_risk));
	r->un = pg_calloc(MAX_LIST, sizeof(*r->un));
	r->hs = pg_calloc(MAX_LIST, sizeof(*r->hs));
	return r;
}

void inspect_rules_free(struct inspect_rules *r)
{
	if (!r)
		return;
	pg_free(r->vague);
	pg_free(r->high_risk);
	pg_free(r->un);
	pg_free(r->hs);
	pg_free(r);
}

/* Adds "a, b, c" as the keywords of an HS prefix; -1 if a word is empty or too many. */
static int hs_add(struct inspect_rules *r, const char *prefix, const char *words)
{
	struct hs_words *h = &r->hs[r->nhs];
	memset(h, 0, sizeof(*h));
	pg_strlcpy(h->prefix, prefix, sizeof(h->prefix));
	for (const char *p = words; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char raw[64], w[32];
		if (len >= sizeof(raw) || h->n == MAX_KEYWORDS)
			return -1;
		memcpy(raw, p, len);
		raw[len] = '\0';
		words_normalise(raw, w, sizeof(w));
		if (!w[0])
			return -1;
		pg_strlcpy(h->words[h->n++], w, sizeof(h->words[0]));
		p += len + (comma ? 1 : 0);
	}
	if (!h->n)
		return -1;
	r->nhs++;
	return 0;
}

struct inspect_rules *inspect_rules_default(void)
{
	struct inspect_rules *r = rules_new();
	memcpy(r->rules, default_rules, sizeof(default_rules));
	r->nrules = N_OF(default_rules);
	memcpy(r->level, default_levels, sizeof(default_levels));
	for (int i = 0; i < N_OF(default_vague); i++)
		words_normalise(default_vague[i], r->vague[r->nvague++], sizeof(r->vague[0]));
	memcpy(r->un, default_un, sizeof(default_un));
	r->nun = N_OF(default_un);
	for (int i = 0; i < N_OF(default_hs); i++)
		hs_add(r, default_hs[i].prefix, default_hs[i].words);
	return r;
}

json_t *inspect_rules_json(const struct inspect_rules *r)
{
	json_t *rules = json_array(), *levels = json_array(), *vague = json_array();
	json_t *high = json_array(), *un = json_object(), *hs = json_object();
	for (int i = 0; i < r->nrules; i++) {
		const struct rule *u = &r->rules[i];
		json_t *params = json_object();
		unsigned p = indicators[u->ind].params;
		char pct[16];
		format_bp(u->tolerance_bp, pct, sizeof(pct));
		if (p & P_TOLERANCE)
			json_object_set_new(params, "tolerance_percent", json_string(pct));
		if (p & P_WINDOW)
			json_object_set_new(params, "window_hours", json_integer(u->window_h));
		if (p & P_PARTY)
			json_object_set_new(params, "party", json_string(party_roles[u->party]));
		if (p & P_KIND)
			json_object_set_new(params, "kind", json_string(watch_kinds[u->kind]));
		if (p & P_MAX_TS)
			json_object_set_new(params, "max_transshipments", json_integer(u->max_ts));
		if (p & P_CROSS)
			json_object_set_new(params, "cross_continent", json_boolean(u->cross));
		json_array_append_new(rules,
		                      json_pack("{ss ss si ss so}", "name", u->name, "indicator",
		                                indicators[u->ind].name, "weight", u->weight, "doc",
		                                indicators[u->ind].doc, "parameters", params));
	}
	for (int l = 0; l < 3; l++) {
		char pct[16];
		format_ppm(r->level[l].random_ppm, pct, sizeof(pct));
		json_array_append_new(
		    levels, json_pack("{si si si si ss}", "level", l + 1, "document_check",
		                      r->level[l].doc, "scan", r->level[l].scan, "physical",
		                      r->level[l].physical, "random_percent", pct));
	}
	for (int i = 0; i < r->nvague; i++)
		json_array_append_new(vague, json_string(r->vague[i]));
	for (int i = 0; i < r->nhigh; i++)
		json_array_append_new(high, json_string(r->high_risk[i]));
	for (int i = 0; i < r->nun; i++)
		json_object_set_new(un, r->un[i].un, json_string(r->un[i].cls));
	for (int i = 0; i < r->nhs; i++) {
		json_t *w = json_array();
		for (int k = 0; k < r->hs[i].n; k++)
			json_array_append_new(w, json_string(r->hs[i].words[k]));
		json_object_set_new(hs, r->hs[i].prefix, w);
	}
	return json_pack("{so so so so so so}", "rules", rules, "levels", levels,
	                 "vague_descriptions", vague, "high_risk", high, "un_classes", un,
	                 "hs_keywords", hs);
}

/* ---- the INI file ------------------------------------------------------------------------- */

enum sect { S_NONE, S_RULE, S_LEVEL, S_VAGUE, S_HIGH, S_UN, S_HS };

struct parse {
	struct inspect_rules *r;
	struct pg_err *err;
	int failed;
	char section[200]; /* the section the last key was in */
	enum sect kind;
	struct rule *rule;
	int level;         /* 0..2 */
	unsigned lkeys[3]; /* level keys given: bit per key */
	int levels_seen;   /* bit per level */
};

static int fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char msg[400];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pg_err_set(p->err, PG_EINVAL, "%s", msg);
	p->failed = 1;
	return 0;
}

/* A new section begins: what kind is it? */
static int section_enter(struct parse *p, const char *section)
{
	pg_strlcpy(p->section, section, sizeof(p->section));
	p->rule = NULL;
	if (strncmp(section, "rule ", 5) == 0) {
		const char *name = section + 5;
		size_t n = strlen(name);
		int ok = n > 0 && n <= NAME_MAX_LEN;
		for (size_t i = 0; ok && i < n; i++)
			ok = (name[i] >= 'a' && name[i] <= 'z') ||
			     (name[i] >= '0' && name[i] <= '9') || name[i] == '_';
		if (!ok)
			return fail(p, "[%.60s]: a rule name is 1 to %d of a-z, 0-9 and _", section,
			            NAME_MAX_LEN);
		for (int i = 0; i < p->r->nrules; i++)
			if (strcmp(p->r->rules[i].name, name) == 0)
				return fail(p, "[rule %s] is defined twice", name);
		if (p->r->nrules == MAX_RULES)
			return fail(p, "more than %d rules", MAX_RULES);
		p->rule = &p->r->rules[p->r->nrules++];
		memset(p->rule, 0, sizeof(*p->rule));
		pg_strlcpy(p->rule->name, name, sizeof(p->rule->name));
		p->rule->ind = I_COUNT; /* until indicator = ... */
		p->rule->weight = -1;
		p->kind = S_RULE;
	} else if (strncmp(section, "level ", 6) == 0 && section[6] >= '1' && section[6] <= '3' &&
	           section[7] == '\0') {
		p->level = section[6] - '1';
		if (p->levels_seen & (1 << p->level))
			return fail(p, "[%s] is given twice", section);
		p->levels_seen |= 1 << p->level;
		p->kind = S_LEVEL;
	} else if (strcmp(section, "vague_descriptions") == 0) {
		p->kind = S_VAGUE;
	} else if (strcmp(section, "high_risk") == 0) {
		p->kind = S_HIGH;
	} else if (strcmp(section, "un_classes") == 0) {
		p->kind = S_UN;
	} else if (strcmp(section, "hs_keywords") == 0) {
		p->kind = S_HS;
	} else {
		return fail(p,
		            "unknown section [%.60s] (use [rule NAME], [level 1..3], "
		            "[vague_descriptions], [high_risk], [un_classes], [hs_keywords])",
		            section);
	}
	return 1;
}

static int rule_key(struct parse *p, const char *key, const char *value)
{
	struct rule *u = p->rule;
	if (strcmp(key, "indicator") == 0) {
		if (u->ind != I_COUNT)
			return fail(p, "[rule %s]: indicator is given twice", u->name);
		for (int i = 0; i < I_COUNT; i++)
			if (strcmp(value, indicators[i].name) == 0)
				u->ind = (enum indicator)i;
		if (u->ind == I_COUNT)
			return fail(p, "[rule %s]: unknown indicator '%.60s'", u->name, value);
		/* the parameters' defaults are the default table's */
		for (int i = 0; i < N_OF(default_rules); i++)
			if (default_rules[i].ind == u->ind) {
				struct rule d = default_rules[i];
				memcpy(d.name, u->name, sizeof(d.name));
				d.weight = -1;
				*u = d;
				break;
			}
		return 1;
	}
	if (u->ind == I_COUNT)
		return fail(p, "[rule %s]: indicator must be the first key of a rule", u->name);
	if (strcmp(key, "weight") == 0) {
		int64_t w;
		if (u->weight >= 0)
			return fail(p, "[rule %s]: weight is given twice", u->name);
		if (pg_parse_i64(value, 0, MAX_WEIGHT, &w) < 0)
			return fail(p,
			            "[rule %s]: weight '%.40s' is not a whole number from 0 to %d",
			            u->name, value, MAX_WEIGHT);
		u->weight = (int)w;
		return 1;
	}
	int k = name_index(key, param_names, N_OF(param_names));
	unsigned bit = k >= 0 ? 1u << k : 0;
	if (!(bit & indicators[u->ind].params))
		return fail(p, "[rule %s]: indicator %s takes no parameter '%.60s'", u->name,
		            indicators[u->ind].name, key);
	if (u->given & bit)
		return fail(p, "[rule %s]: %s is given twice", u->name, key);
	u->given |= bit;
	int64_t v;
	switch (bit) {
	case P_TOLERANCE:
		if (parse_scaled(value, 2, 10000, &v) < 0)
			return fail(p,
			            "[rule %s]: tolerance_percent '%.40s' is not a number from 0 "
			            "to 100 (at most 2 decimals)",
			            u->name, value);
		u->tolerance_bp = (int)v;
		break;
	case P_WINDOW:
		if (pg_parse_i64(value, 1, 24 * 365, &v) < 0)
			return fail(p,
			            "[rule %s]: window_hours '%.40s' is not a whole number from 1 "
			            "to 8760",
			            u->name, value);
		u->window_h = (int)v;
		break;
	case P_PARTY:
		if ((u->party = name_index(value, party_roles, 2)) < 0)
			return fail(p, "[rule %s]: party must be shipper or consignee", u->name);
		break;
	case P_KIND:
		if ((u->kind = name_index(value, watch_kinds, 3)) < 0)
			return fail(p, "[rule %s]: kind must be party, vessel or container",
			            u->name);
		break;
	case P_MAX_TS:
		if (pg_parse_i64(value, 0, 16, &v) < 0)
			return fail(p,
			            "[rule %s]: max_transshipments '%.40s' is not a whole number "
			            "from 0 to 16",
			            u->name, value);
		u->max_ts = (int)v;
		break;
	default: /* P_CROSS */
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail(p, "[rule %s]: cross_continent must be yes or no", u->name);
		u->cross = value[0] == 'y';
	}
	return 1;
}

static int level_key(struct parse *p, const char *key, const char *value)
{
	static const char *const keys[] = {"document_check", "scan", "physical", "random_percent"};
	struct level_rules *l = &p->r->level[p->level];
	int k = name_index(key, keys, 4);
	if (k < 0)
		return fail(p,
		            "[level %d]: unknown key '%.60s' (use document_check, scan, physical, "
		            "random_percent)",
		            p->level + 1, key);
	if (p->lkeys[p->level] & (1u << k))
		return fail(p, "[level %d]: %s is given twice", p->level + 1, key);
	p->lkeys[p->level] |= 1u << k;
	int64_t v;
	if (k == 3) {
		if (parse_scaled(value, 4, 1000000, &v) < 0)
			return fail(p,
			            "[level %d]: random_percent '%.40s' is not a number from 0 to "
			            "100 (at most 4 decimals)",
			            p->level + 1, value);
		l->random_ppm = (uint32_t)v;
		return 1;
	}
	if (pg_parse_i64(value, 1, MAX_SCORE, &v) < 0)
		return fail(p, "[level %d]: %s '%.40s' is not a whole number from 1 to %d",
		            p->level + 1, key, value, MAX_SCORE);
	int *dst = k == 0 ? &l->doc : k == 1 ? &l->scan : &l->physical;
	*dst = (int)v;
	return 1;
}

static int list_key(struct parse *p, const char *key, const char *value)
{
	struct inspect_rules *r = p->r;
	int full = (p->kind == S_VAGUE && r->nvague == MAX_LIST) ||
	           (p->kind == S_HIGH && r->nhigh == MAX_LIST) ||
	           (p->kind == S_UN && r->nun == MAX_LIST) ||
	           (p->kind == S_HS && r->nhs == MAX_LIST);
	if (full)
		return fail(p, "[%s]: more than %d entries", p->section, MAX_LIST);
	if (p->kind == S_VAGUE) {
		if (strcmp(key, "description") != 0)
			return fail(p, "[vague_descriptions]: write each as description = TEXT");
		words_normalise(value, r->vague[r->nvague], sizeof(r->vague[0]));
		if (!r->vague[r->nvague][0])
			return fail(p, "[vague_descriptions]: '%.60s' has no words", value);
		r->nvague++;
	} else if (p->kind == S_HIGH) {
		if (strcmp(key, "place") != 0)
			return fail(p, "[high_risk]: write each as place = CC or place = LOCODE");
		if (!locode_or_country_ok(value))
			return fail(p,
			            "[high_risk]: '%.40s' is neither a 2-letter country code nor a "
			            "UN/LOCODE (upper case)",
			            value);
		pg_strlcpy(r->high_risk[r->nhigh++], value, sizeof(r->high_risk[0]));
	} else if (p->kind == S_UN) {
		int ok = strlen(key) == 6 && strncmp(key, "UN", 2) == 0;
		for (int i = 2; ok && i < 6; i++)
			ok = key[i] >= '0' && key[i] <= '9';
		if (!ok)
			return fail(p, "[un_classes]: '%.40s' is not a UN number (UN and 4 digits)",
			            key);
		if (!inspect_imdg_class_ok(value))
			return fail(p,
			            "[un_classes]: %s = '%.40s' is not an IMDG class (e.g. 3, 2.1, "
			            "1.4S)",
			            key, value);
		for (int i = 0; i < r->nun; i++)
			if (strcmp(r->un[i].un, key) == 0)
				return fail(p, "[un_classes]: %s is given twice", key);
		pg_strlcpy(r->un[r->nun].un, key, sizeof(r->un[0].un));
		pg_strlcpy(r->un[r->nun++].cls, value, sizeof(r->un[0].cls));
	} else {
		size_t n = strlen(key);
		int ok = n >= 2 && n <= 10;
		for (size_t i = 0; ok && i < n; i++)
			ok = key[i] >= '0' && key[i] <= '9';
		if (!ok)
			return fail(p,
			            "[hs_keywords]: '%.40s' is not an HS code prefix (2 to 10 "
			            "digits)",
			            key);
		for (int i = 0; i < r->nhs; i++)
			if (strcmp(r->hs[i].prefix, key) == 0)
				return fail(p, "[hs_keywords]: %s is given twice", key);
		if (hs_add(r, key, value) < 0)
			return fail(
			    p,
			    "[hs_keywords]: %s: give 1 to %d comma-separated keywords of at "
			    "most 30 characters",
			    key, MAX_KEYWORDS);
	}
	return 1;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
	struct parse *p = user;
	if (p->failed)
		return 0;
	if (!key)
		return 1;
	if (!section[0])
		return fail(p, "'%.60s' is outside a section", key);
	if (strcmp(section, p->section) != 0 && !section_enter(p, section))
		return 0;
	switch (p->kind) {
	case S_RULE:
		return rule_key(p, key, value);
	case S_LEVEL:
		return level_key(p, key, value);
	default:
		return list_key(p, key, value);
	}
}

/* What only the whole file can tell. */
static int rules_complete(const struct inspect_rules *r, const unsigned lkeys[3],
                          struct pg_err *err)
{
	if (r->nrules == 0)
		return pg_err_set(err, PG_EINVAL, "no [rule NAME] section: give at least one rule");
	for (int i = 0; i < r->nrules; i++) {
		const struct rule *u = &r->rules[i];
		if (u->ind == I_COUNT || u->weight < 0)
			return pg_err_set(err, PG_EINVAL, "[rule %s]: %s is missing", u->name,
			                  u->ind == I_COUNT ? "indicator" : "weight");
	}
	for (int l = 0; l < 3; l++) {
		const struct level_rules *v = &r->level[l];
		if (lkeys[l] != 0xf)
			return pg_err_set(err, PG_EINVAL,
			                  "[level %d]: document_check, scan, physical and "
			                  "random_percent must all be given",
			                  l + 1);
		if (!(v->doc < v->scan && v->scan < v->physical))
			return pg_err_set(err, PG_EINVAL,
			                  "[level %d]: the thresholds must rise: document_check %d "
			                  "< scan %d < physical %d",
			                  l + 1, v->doc, v->scan, v->physical);
	}
	return 0;
}

/* libinih reads a line in pieces of 200 bytes and takes the rest as a new line: longer
 * lines are refused before it sees them (as pg_config_parse_string does). */
#define MAX_LINE 198

/* A [rule NAME] or [level N] header given twice: libinih cannot tell (it reports keys,
 * not headers), so the headers are read here first. */
static int headers_check(const char *text, struct pg_err *err)
{
	struct pg_buf seen;
	pg_buf_init(&seen, 1 << 20);
	int line = 1, rc = 0;
	for (const char *p = text; *p && rc == 0; line++) {
		size_t n = strcspn(p, "\n");
		const char *s = p;
		while (s < p + n && (*s == ' ' || *s == '\t'))
			s++;
		const char *close = *s == '[' ? memchr(s, ']', (size_t)(p + n - s)) : NULL;
		if (close && (strncmp(s, "[rule ", 6) == 0 || strncmp(s, "[level ", 7) == 0)) {
			char name[MAX_LINE + 4];
			pg_snprintf(name, sizeof(name), "\n%.*s\n", (int)(close - s - 1), s + 1);
			if (seen.p && strstr(seen.p, name))
				rc = pg_err_set(err, PG_EINVAL, "line %d: [%.*s] is given twice",
				                line, (int)(close - s - 1), s + 1);
			else
				pg_buf_printf(&seen, "%s", name);
		}
		p += n + (p[n] == '\n');
	}
	pg_buf_release(&seen);
	return rc;
}

int inspect_rules_parse(const char *text, struct inspect_rules **out, struct pg_err *err)
{
	int line = 1;
	size_t len = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			line++;
			len = 0;
		} else if (++len > MAX_LINE) {
			return pg_err_set(err, PG_EINVAL, "line %d: longer than %d characters",
			                  line, MAX_LINE);
		}
	}
	if (headers_check(text, err) < 0)
		return PG_EINVAL;
	struct pg_err e = {0};
	struct parse p = {.r = rules_new(), .err = &e};
	/* levels the file does not give stay unset, so that rules_complete names them */
	memset(p.r->level, 0, sizeof(p.r->level));
	int rc = ini_parse_string(text, on_key, &p);
	if (p.failed)
		rc = pg_err_set(err, PG_EINVAL, "line %d: %s", rc, e.msg);
	else if (rc != 0)
		rc = pg_err_set(err, PG_EINVAL, "line %d: not a 'key = value' line or [section]",
		                rc);
	else
		rc = rules_complete(p.r, p.lkeys, err);
	if (rc < 0) {
		inspect_rules_free(p.r);
		return rc;
	}
	*out = p.r;
	return 0;
}

static int rules_parse(const char *text, void *out, struct pg_err *err)
{
	return inspect_rules_parse(text, out, err);
}

int inspect_rules_load(const char *path, struct inspect_rules **out, struct pg_err *err)
{
	return pg_load_text_file(path, 1 << 20, "rules", rules_parse, out, err);
}

enum inspect_decision inspect_decide(const struct inspect_rules *r, int level, int score)
{
	const struct level_rules *l = &r->level[(level < 1 || level > 3 ? 1 : level) - 1];
	return score >= l->physical ? INSPECT_PHYSICAL
	       : score >= l->scan   ? INSPECT_SCAN
	       : score >= l->doc    ? INSPECT_DOCUMENT_CHECK
	                            : INSPECT_RELEASE;
}

const char *inspect_decision_name(enum inspect_decision d)
{
	static const char *const names[] = {"release", "document_check", "scan", "physical"};
	return names[d];
}

uint32_t inspect_random_ppm(const struct inspect_rules *r, int level)
{
	return r->level[(level < 1 || level > 3 ? 1 : level) - 1].random_ppm;
}

int inspect_weighbridge_window_h(const struct inspect_rules *r)
{
	int w = 0;
	for (int i = 0; i < r->nrules; i++)
		if (r->rules[i].ind == I_MASS_WEIGHBRIDGE && r->rules[i].window_h > w)
			w = r->rules[i].window_h;
	return w;
}

/* ---- scoring -------------------------------------------------------------------------------- */

/* Continents by ISO 3166 country code, for the circuitous-route indicator. */
static const struct {
	const char *name, *countries;
} continents[] = {
    {"Africa", "DZ AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS "
               "LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG "
               "TN UG EH ZM ZW"},
    {"Asia", "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV "
             "MN MM NP KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE"},
    {"Europe", "AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV "
               "LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB VA AX"},
    {"North America", "AG AI AW BS BB BZ BM BQ VG CA KY CR CU CW DM DO SV GL GD GP GT HT HN JM "
                      "MQ MX MS NI PA PR BL KN LC MF PM VC SX TT TC US VI"},
    {"South America", "AR BO BR CL CO EC FK GF GY PY PE SR UY VE"},
    {"Oceania", "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF"},
};

static signed char continent_table[26][26]; /* by the country code's letters; -1 unknown */
static pthread_once_t continent_once = PTHREAD_ONCE_INIT;

static void continent_init(void)
{
	memset(continent_table, -1, sizeof(continent_table));
	for (int i = 0; i < N_OF(continents); i++)
		for (const char *c = continents[i].countries; *c; c += c[2] ? 3 : 2)
			continent_table[c[0] - 'A'][c[1] - 'A'] = (signed char)i;
}

static int continent_of(const char *locode)
{
	pthread_once(&continent_once, continent_init);
	if (locode[0] < 'A' || locode[0] > 'Z' || locode[1] < 'A' || locode[1] > 'Z')
		return -1;
	return continent_table[locode[0] - 'A'][locode[1] - 'A'];
}

static int high_risk(const struct inspect_rules *r, const char *locode, const char **entry)
{
	for (int i = 0; i < r->nhigh; i++) {
		const char *h = r->high_risk[i];
		if ((h[2] == '\0' && h[0] == locode[0] && h[1] == locode[1]) ||
		    strcmp(h, locode) == 0) {
			*entry = h;
			return 1;
		}
	}
	return 0;
}

static void format_kg(int64_t kg, char *out, size_t n)
{
	char digits[32];
	pg_snprintf(digits, sizeof(digits), "%lld", (long long)(kg < 0 ? -kg : kg));
	size_t len = strlen(digits), k = 0;
	if (kg < 0 && k + 1 < n)
		out[k++] = '-';
	for (size_t i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

/* v in decimal (out has room for 24 bytes). */
static const char *format_int(int64_t v, char *out)
{
	char tmp[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = 0, k = 0;
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		out[k++] = '-';
	while (n)
		out[k++] = tmp[--n];
	out[k] = '\0';
	return out;
}

/* Appends one hit: {"rule","indicator","weight","explanation","values":{...}}. */
struct hit {
	struct pg_buf *b;
	int nvalues;
};

static void hit_open(struct hit *h, const struct rule *u, int *first, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void hit_open(struct hit *h, const struct rule *u, int *first, const char *fmt, ...)
{
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	char weight[16];
	pg_buf_puts(h->b, *first ? "{\"rule\":\"" : ",{\"rule\":\"");
	pg_buf_puts(h->b, u->name);
	pg_buf_puts(h->b, "\",\"indicator\":\"");
	pg_buf_puts(h->b, indicators[u->ind].name);
	pg_buf_puts(h->b, "\",\"weight\":");
	pg_buf_puts(h->b, format_int(u->weight, weight));
	pg_buf_puts(h->b, ",\"explanation\":");
	inspect_json_str(h->b, text);
	pg_buf_puts(h->b, ",\"values\":{");
	h->nvalues = 0;
	*first = 0;
}

static void hit_key(struct hit *h, const char *key)
{
	pg_buf_puts(h->b, h->nvalues++ ? ",\"" : "\"");
	pg_buf_puts(h->b, key);
	pg_buf_puts(h->b, "\":");
}

static void hit_str(struct hit *h, const char *key, const char *v)
{
	hit_key(h, key);
	if (v)
		inspect_json_str(h->b, v);
	else
		pg_buf_puts(h->b, "null");
}

static void hit_int(struct hit *h, const char *key, int64_t v)
{
	char digits[24];
	hit_key(h, key);
	pg_buf_puts(h->b, format_int(v, digits));
}

static void hit_close(struct hit *h)
{
	pg_buf_puts(h->b, "}}");
}

/* |a - b| above tol_bp basis points of base? *bp gets the difference in basis points. */
static int beyond(int64_t a, int64_t b, int64_t base, int tol_bp, int64_t *bp)
{
	int64_t d = a > b ? a - b : b - a;
	*bp = base > 0 ? d * 10000 / base : 0;
	return base > 0 && d * 10000 > (int64_t)tol_bp * base;
}

static int mass_pair(struct hit *h, const struct rule *u, int *first, const char *what,
                     int64_t declared, int64_t other)
{
	int64_t bp;
	if (!beyond(declared, other, other, u->tolerance_bp, &bp))
		return 0;
	char d[32], o[32], pct[16], tol[16];
	format_kg(declared, d, sizeof(d));
	format_kg(other, o, sizeof(o));
	format_bp((int)(bp > 1000000 ? 1000000 : bp / 10 * 10), pct, sizeof(pct));
	format_bp(u->tolerance_bp, tol, sizeof(tol));
	hit_open(h, u, first, "declared %s kg differs from the %s %s kg by %s%% (tolerance %s%%)",
	         d, what, o, pct, tol);
	hit_int(h, "declared_kg", declared);
	hit_int(h, strcmp(what, "VGM") == 0 ? "vgm_kg" : "weighbridge_kg", other);
	hit_int(h, "difference_basis_points", bp);
	hit_int(h, "tolerance_basis_points", u->tolerance_bp);
	hit_close(h);
	return u->weight;
}

int inspect_score_weighbridge(const struct inspect_rules *r, int64_t declared_kg, int64_t kg,
                              struct pg_buf *hits, int *first)
{
	struct hit h = {hits, 0};
	int score = 0;
	for (int i = 0; i < r->nrules; i++)
		if (r->rules[i].ind == I_MASS_WEIGHBRIDGE)
			score += mass_pair(&h, &r->rules[i], first, "weighbridge reading",
			                   declared_kg, kg);
	return score;
}

/* Does text (normalised words) hold the word kw, or its plural in -s or -es? */
static int has_word(const char *text, const char *kw)
{
	size_t n = strlen(kw);
	for (const char *p = text; n && (p = strstr(p, kw)); p++) {
		const char *e = p + n;
		if (*e == 's')
			e++;
		else if (e[0] == 'e' && e[1] == 's')
			e += 2;
		if ((p == text || p[-1] == ' ') && (*e == '\0' || *e == ' '))
			return 1;
	}
	return 0;
}

/* "A;B;C" with each ';' replaced by sep. */
static void list_join(const char *list, const char *sep, char *out, size_t n)
{
	struct pg_buf b;
	pg_buf_init(&b, n - 1);
	for (const char *p = list; *p; p++)
		if (*p == ';')
			pg_buf_puts(&b, sep);
		else
			pg_buf_append(&b, p, 1);
	pg_strlcpy(out, b.p ? b.p : "", n);
	pg_buf_release(&b);
}

/* The i-th ';'-separated item of list into out; 0 when there is none. */
static int item(const char *list, int i, char *out, size_t n)
{
	for (; i > 0 && list; i--) {
		list = strchr(list, ';');
		list = list ? list + 1 : NULL;
	}
	if (!list || !*list)
		return 0;
	size_t len = strcspn(list, ";");
	if (len >= n)
		len = n - 1;
	memcpy(out, list, len);
	out[len] = '\0';
	return 1;
}

static int circuitous(struct hit *h, const struct rule *u, int *first, const struct inspect_line *l)
{
	char why[400] = "", port[16];
	int nts = 0;
	for (; item(l->ts, nts, port, sizeof(port)); nts++)
		;
	struct pg_buf b;
	pg_buf_init(&b, sizeof(why) - 1);
	char ports[120], route[160];
	list_join(l->ts, ", ", ports, sizeof(ports));
	list_join(l->ts, " > ", route, sizeof(route));
	if (nts > u->max_ts)
		pg_buf_printf(&b, "%d transshipments (%s) exceed %d", nts, ports, u->max_ts);
	int from = *l->ts ? continent_of(l->pol) : -1, to = *l->ts ? continent_of(l->pod) : -1;
	for (int i = 0; u->cross && from >= 0 && to >= 0 && item(l->ts, i, port, sizeof(port));
	     i++) {
		int c = continent_of(port);
		if (c >= 0 && c != from && c != to)
			pg_buf_printf(&b,
			              "%stransshipment at %s (%s) is on neither the origin's "
			              "continent (%s, %s) nor the destination's (%s, %s)",
			              b.len ? "; " : "", port, continents[c].name,
			              continents[from].name, l->pol, continents[to].name, l->pod);
	}
	if (!b.len) {
		pg_buf_release(&b);
		return 0;
	}
	pg_strlcpy(why, b.p, sizeof(why));
	pg_buf_release(&b);
	hit_open(h, u, first, "route %s > %s%s%s: %s", l->pol, route, *l->ts ? " > " : "", l->pod,
	         why);
	hit_str(h, "port_of_loading", l->pol);
	hit_str(h, "transshipment_ports", l->ts);
	hit_str(h, "port_of_discharge", l->pod);
	hit_int(h, "transshipments", nts);
	hit_close(h);
	return u->weight;
}

static int dangerous_goods(struct hit *h, const struct rule *u, int *first,
                           const struct inspect_rules *r, const char *dg)
{
	char entry[32];
	for (int i = 0; item(dg, i, entry, sizeof(entry)); i++) {
		char *colon = strchr(entry, ':');
		if (!colon)
			continue;
		*colon = '\0';
		const char *un = entry, *cls = colon + 1;
		if (u->ind == I_DG_WITHOUT_UN && !*un) {
			hit_open(h, u, first,
			         "dangerous goods of IMDG class %s declared without a UN number",
			         cls);
			hit_str(h, "imdg_class", cls);
			hit_close(h);
			return u->weight;
		}
		for (int k = 0; u->ind == I_DG_CLASS && *un && k < r->nun; k++) {
			const char *want = r->un[k].cls;
			size_t n = strlen(want);
			if (strcmp(r->un[k].un, un) != 0)
				continue;
			if (strncmp(cls, want, n) == 0 &&
			    (cls[n] == '\0' || cls[n] == '.' || (cls[n] >= 'A' && cls[n] <= 'S')))
				break;
			hit_open(h, u, first, "%s is IMDG class %s in the UN table, declared as %s",
			         un, want, cls);
			hit_str(h, "un_number", un);
			hit_str(h, "declared_class", cls);
			hit_str(h, "table_class", want);
			hit_close(h);
			return u->weight;
		}
	}
	return 0;
}

static int hs_mismatch(struct hit *h, const struct rule *u, int *first,
                       const struct inspect_rules *r, const struct inspect_line *l)
{
	const struct hs_words *best = NULL;
	size_t best_n = 0;
	for (int i = 0; i < r->nhs; i++) {
		size_t n = strlen(r->hs[i].prefix);
		if (n > best_n && strncmp(l->hs, r->hs[i].prefix, n) == 0) {
			best = &r->hs[i];
			best_n = n;
		}
	}
	if (!best)
		return 0;
	char text[600];
	words_normalise(l->goods, text, sizeof(text));
	for (int k = 0; k < best->n; k++)
		if (has_word(text, best->words[k]))
			return 0;
	char list[600] = "";
	struct pg_buf b;
	pg_buf_init(&b, sizeof(list) - 1);
	for (int k = 0; k < best->n; k++)
		pg_buf_printf(&b, "%s%s", k ? ", " : "", best->words[k]);
	pg_strlcpy(list, b.p ? b.p : "", sizeof(list));
	pg_buf_release(&b);
	hit_open(h, u, first,
	         "HS code %s (%s: %s) but the description \"%.80s\" names none of these", l->hs,
	         best->prefix, list, l->goods);
	hit_str(h, "hs_code", l->hs);
	hit_str(h, "hs_prefix", best->prefix);
	hit_str(h, "goods_description", l->goods);
	hit_close(h);
	return u->weight;
}

static int watchlist(struct hit *h, const struct rule *u, int *first, const struct inspect_line *l,
                     const struct inspect_facts *f)
{
	if (u->kind == 0 && f->watch_party) {
		const char *role = f->watch_party == l->shipper     ? "shipper"
		                   : f->watch_party == l->consignee ? "consignee"
		                                                    : "notify party";
		hit_open(h, u, first, "%s \"%.80s\" is on the watchlist: %.200s", role,
		         f->watch_party, f->watch_party_reason);
		hit_str(h, "role", role);
		hit_str(h, "party", f->watch_party);
		hit_str(h, "reason", f->watch_party_reason);
	} else if (u->kind == 1 && f->watch_vessel_reason) {
		hit_open(h, u, first, "vessel IMO %s is on the watchlist: %.200s", f->vessel_imo,
		         f->watch_vessel_reason);
		hit_str(h, "vessel_imo", f->vessel_imo);
		hit_str(h, "reason", f->watch_vessel_reason);
	} else if (u->kind == 2 && f->watch_container_reason) {
		hit_open(h, u, first, "container %s is on the watchlist: %.200s", l->number,
		         f->watch_container_reason);
		hit_str(h, "container", l->number);
		hit_str(h, "reason", f->watch_container_reason);
	} else {
		return 0;
	}
	hit_close(h);
	return u->weight;
}

static int score_rule(const struct inspect_rules *r, const struct rule *u, struct hit *h,
                      int *first, const struct inspect_line *l, const struct inspect_facts *f)
{
	char a[32], b[32], port[16];
	const char *entry = NULL;
	switch (u->ind) {
	case I_CHECK_DIGIT:
		if (l->check_digit < 0)
			return 0;
		hit_open(h, u, first,
		         "container number %s: the check digit is %d, ISO 6346 gives %d", l->number,
		         l->check_digit, l->expected_check_digit);
		hit_str(h, "container", l->number);
		hit_int(h, "check_digit", l->check_digit);
		hit_int(h, "expected", l->expected_check_digit);
		break;
	case I_VAGUE: {
		char text[600];
		words_normalise(l->goods, text, sizeof(text));
		int i = 0;
		while (i < r->nvague && strcmp(text, r->vague[i]) != 0)
			i++;
		if (i == r->nvague)
			return 0;
		hit_open(h, u, first,
		         "goods description \"%.80s\" is on the list of vague descriptions",
		         l->goods);
		hit_str(h, "goods_description", l->goods);
		hit_str(h, "listed", r->vague[i]);
		break;
	}
	case I_MASS_LIMITS: {
		const struct inspect_size_type *st = inspect_size_type(l->size_type);
		if (!st)
			return 0;
		format_kg(l->declared_kg, a, sizeof(a));
		if (l->declared_kg > st->max_gross_kg) {
			format_kg(st->max_gross_kg, b, sizeof(b));
			hit_open(h, u, first,
			         "declared %s kg exceeds the %s kg maximum gross mass for %s", a, b,
			         st->code);
			hit_int(h, "max_gross_kg", st->max_gross_kg);
		} else if (l->declared_kg < st->tare_kg) {
			format_kg(st->tare_kg, b, sizeof(b));
			hit_open(h, u, first,
			         "declared %s kg is below the %s kg tare of an empty %s", a, b,
			         st->code);
			hit_int(h, "tare_kg", st->tare_kg);
		} else {
			return 0;
		}
		hit_int(h, "declared_kg", l->declared_kg);
		hit_str(h, "size_type", st->code);
		break;
	}
	case I_MASS_VGM:
		return l->vgm_kg < 0 ? 0 : mass_pair(h, u, first, "VGM", l->declared_kg, l->vgm_kg);
	case I_MASS_WEIGHBRIDGE:
		return f->weighbridge_kg < 0 ? 0
		                             : mass_pair(h, u, first, "weighbridge reading",
		                                         l->declared_kg, f->weighbridge_kg);
	case I_FIRST_SHIPMENT: {
		const char *name = u->party ? l->consignee : l->shipper;
		if (!(u->party ? f->first_consignee : f->first_shipper))
			return 0;
		hit_open(h, u, first, "%s \"%.80s\" has no earlier shipment on record",
		         party_roles[u->party], name);
		hit_str(h, "role", party_roles[u->party]);
		hit_str(h, "party", name);
		break;
	}
	case I_WATCHLIST:
		return watchlist(h, u, first, l, f);
	case I_HR_ORIGIN:
		if (!high_risk(r, l->pol, &entry))
			return 0;
		hit_open(h, u, first, "port of loading %s is on the high-risk list (%s)", l->pol,
		         entry);
		hit_str(h, "port_of_loading", l->pol);
		hit_str(h, "listed", entry);
		break;
	case I_HR_TRANSSHIPMENT: {
		int found = 0;
		for (int i = 0; !found && item(l->ts, i, port, sizeof(port)); i++)
			found = high_risk(r, port, &entry);
		if (!found)
			return 0;
		hit_open(h, u, first, "transshipment through %s, on the high-risk list (%s)", port,
		         entry);
		hit_str(h, "port", port);
		hit_str(h, "listed", entry);
		break;
	}
	case I_CIRCUITOUS:
		return circuitous(h, u, first, l);
	case I_SEAL_MISSING:
		if (*l->seals)
			return 0;
		hit_open(h, u, first, "no seal declared");
		break;
	case I_SEAL_NOT_H: {
		if (!*l->seals)
			return 0;
		char seal[48];
		for (int i = 0; item(l->seals, i, seal, sizeof(seal)); i++) {
			const char *c = strrchr(seal, ':');
			if (c && strcmp(c + 1, "H") == 0)
				return 0;
		}
		char list[400];
		list_join(l->seals, ", ", list, sizeof(list));
		hit_open(h, u, first, "no high-security seal (ISO 17712 class H): %s", list);
		hit_str(h, "seals", l->seals);
		break;
	}
	case I_DG_WITHOUT_UN:
	case I_DG_CLASS:
		return dangerous_goods(h, u, first, r, l->dg);
	case I_HS_MISMATCH:
		return hs_mismatch(h, u, first, r, l);
	default:
		return 0;
	}
	hit_close(h);
	return u->weight;
}

int inspect_score(const struct inspect_rules *r, const struct inspect_line *l,
                  const struct inspect_facts *f, struct pg_buf *hits)
{
	struct hit h = {hits, 0};
	int first = 1, score = 0;
	pg_buf_reset(hits);
	pg_buf_puts(hits, "[");
	for (int i = 0; i < r->nrules; i++)
		score += score_rule(r, &r->rules[i], &h, &first, l, f);
	pg_buf_puts(hits, "]");
	return score > MAX_SCORE ? MAX_SCORE : score;
}
