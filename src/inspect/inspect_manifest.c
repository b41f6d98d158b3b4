/* inspect_manifest.c - reading manifests (a streaming RFC 4180 CSV reader, a streaming
 * JSON reader that decodes one container object at a time), checking every line into a
 * compact arena, and writing a checked manifest with its risk scores in one transaction. */
#include <sodium.h>
#include <stdarg.h>
#include <string.h>

#include "../access/access_admin.h"
#include "../core/csv.h"
#include "../level/level.h"
#include "inspect_int.h"

#define ARENA_MAX    ((size_t)1 << 30) /* bytes of kept text: 1 GiB */
#define TEXT_MAX     200               /* vessel name, parties */
#define GOODS_MAX    512
#define VOYAGE_MAX   32
#define MAX_TS       8 /* transshipment ports of a line */
#define MAX_SEALS    8
#define MAX_DG       16
#define MAX_KG       200000

/* The columns: the CSV header names and the JSON member names. */
enum col {
	C_IMO,
	C_VNAME,
	C_VOYAGE,
	C_NUMBER,
	C_SIZE,
	C_SHIPPER,
	C_CONSIGNEE,
	C_NOTIFY,
	C_GOODS,
	C_HS,
	C_DECL,
	C_VGM,
	C_POL,
	C_TS,
	C_POD,
	C_SEALS,
	C_DG,
	NCOLS
};
#define FIRST_LINE_COL C_NUMBER /* the columns from here on are the container's */
#define NSTR           12       /* strings kept per line, in the order of struct inspect_line */

static const char *const csv_names[NCOLS] = {
    "vessel_imo",
    "vessel_name",
    "voyage",
    "container_number",
    "size_type",
    "shipper",
    "consignee",
    "notify_party",
    "goods_description",
    "hs_code",
    "declared_gross_kg",
    "vgm_kg",
    "port_of_loading",
    "transshipment_ports",
    "port_of_discharge",
    "seals",
    "dangerous_goods",
};
static const char *const json_names[NCOLS] = {
    "imo",
    "name",
    "voyage",
    "number",
    "size_type",
    "shipper",
    "consignee",
    "notify_party",
    "goods_description",
    "hs_code",
    "declared_gross_kg",
    "vgm_kg",
    "port_of_loading",
    "transshipment_ports",
    "port_of_discharge",
    "seals",
    "dangerous_goods",
};

/* One checked line: its strings (NSTR, NUL-terminated, back to back) at off. */
struct mline {
	uint32_t off;
	uint32_t line;
	int32_t declared_kg, vgm_kg;
	int8_t check_digit, expected_check_digit;
};

struct inspect_manifest {
	char imo[8];
	char vessel_name[TEXT_MAX + 1];
	char voyage[VOYAGE_MAX + 1];
	int have_vessel;
	long vessel_line; /* where the vessel was first given (CSV) */
	int json;
	struct pg_buf arena;
	struct mline *lines;
	size_t n, cap;
	struct inspect_map numbers; /* container number -> line, while reading */
};

/* Where a value came from, for the error: a CSV line or a JSON container index. */
struct loc {
	int json;
	long line;    /* CSV */
	size_t index; /* JSON */
};

static int field_fail(struct pg_err *err, const struct loc *at, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int field_fail(struct pg_err *err, const struct loc *at, int col, const char *fmt, ...)
{
	char msg[400], field[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!at->json)
		return pg_err_field(err, PG_EINVAL, csv_names[col], "line %ld, field %s: %s",
		                    at->line, csv_names[col], msg);
	if (col < FIRST_LINE_COL)
		pg_snprintf(field, sizeof(field), "vessel.%s", json_names[col]);
	else
		pg_snprintf(field, sizeof(field), "containers[%zu].%s", at->index, json_names[col]);
	return pg_err_field(err, PG_EINVAL, field, "%s: %s", field, msg);
}

/* ---- value checks ---------------------------------------------------------------------- */

static int text_check(const struct loc *at, int col, const char *v, size_t max, int required,
                      struct pg_err *err)
{
	const unsigned char *p = (const unsigned char *)v;
	while (*p >= 0x20 && *p < 0x7f)
		p++;
	if (*p == '\0' && (size_t)(p - (const unsigned char *)v) <= max) { /* plain ASCII */
		int blank = 1;
		for (const char *q = v; *q && blank; q++)
			blank = *q == ' ';
		if (!required || !blank)
			return 0;
	}
	struct pg_err e = {0};
	if (access_text_check(v, "the value", max, required, &e) < 0)
		return field_fail(err, at, col, "%s", e.msg);
	return 0;
}

static int locode(const char *v, char out[6])
{
	size_t k = 0;
	for (const char *p = v; *p; p++) {
		char c = *p;
		if (c == ' ' && k == 2)
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		int ok = k < 2 ? (c >= 'A' && c <= 'Z')
		               : ((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '9'));
		if (!ok || k == 5)
			return -1;
		out[k++] = c;
	}
	out[k] = '\0';
	return k == 5 ? 0 : -1;
}

static int port_check(const struct loc *at, int col, const char *v, char out[6], struct pg_err *err)
{
	if (locode(v, out) < 0)
		return field_fail(err, at, col,
		                  "'%.40s' is not a UN/LOCODE (2-letter country code and 3 letters "
		                  "or digits 2-9, e.g. NLRTM)",
		                  v);
	return 0;
}

static int kg_check(const struct loc *at, int col, const char *v, int required, int32_t *out,
                    struct pg_err *err)
{
	int64_t kg;
	if (!*v && !required) {
		*out = -1;
		return 0;
	}
	if (pg_parse_i64(v, 1, MAX_KG, &kg) < 0)
		return field_fail(err, at, col,
		                  "'%.40s' is not a whole number of kilograms from 1 to %d", v,
		                  MAX_KG);
	*out = (int32_t)kg;
	return 0;
}

/* "A;B" (or "A; B") into the normalised list "A;B". */
static int ts_check(const struct loc *at, const char *v, char *out, size_t n, struct pg_err *err)
{
	size_t k = 0;
	int count = 0;
	out[0] = '\0';
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ";");
		char port[16], code[6];
		while (len && *p == ' ') {
			p++;
			len--;
		}
		if (len >= sizeof(port) || len == 0)
			return field_fail(
			    err, at, C_TS,
			    "port %d is empty or too long: write UN/LOCODEs separated "
			    "by ';'",
			    count + 1);
		memcpy(port, p, len);
		port[len] = '\0';
		while (len && port[len - 1] == ' ')
			port[--len] = '\0';
		if (++count > MAX_TS)
			return field_fail(err, at, C_TS, "more than %d transshipment ports",
			                  MAX_TS);
		if (locode(port, code) < 0)
			return field_fail(err, at, C_TS, "port %d '%.20s' is not a UN/LOCODE",
			                  count, port);
		k += (size_t)snprintf(out + k, n - k, "%s%s", k ? ";" : "", code);
		p += strcspn(p, ";");
		if (*p == ';' && !*++p)
			return field_fail(err, at, C_TS, "a ';' with no port after it");
	}
	return 0;
}

/* "NUMBER:CLASS;..." into the same, the class upper-case. */
static int seals_check(const struct loc *at, const char *v, char *out, size_t n, struct pg_err *err)
{
	size_t k = 0;
	int count = 0;
	out[0] = '\0';
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ";");
		const char *colon = memchr(p, ':', len);
		count++;
		if (count > MAX_SEALS)
			return field_fail(err, at, C_SEALS, "more than %d seals", MAX_SEALS);
		if (!colon)
			return field_fail(err, at, C_SEALS,
			                  "seal %d: write NUMBER:CLASS (class I, S or H)", count);
		size_t nlen = (size_t)(colon - p);
		char number[INSPECT_SEAL_NUMBER_MAX + 2];
		struct pg_err e = {0};
		pg_snprintf(number, sizeof(number), "%.*s", (int)nlen, p);
		for (char *q = number; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 'a' + 'A');
		if (inspect_seal_number_check(number, &e) < 0)
			return field_fail(err, at, C_SEALS, "seal %d: %s", count, e.msg);
		char cls[8];
		size_t clen = len - nlen - 1;
		if (clen == 0 || clen >= sizeof(cls))
			return field_fail(err, at, C_SEALS, "seal %d: the class must be I, S or H",
			                  count);
		memcpy(cls, colon + 1, clen);
		cls[clen] = '\0';
		if (cls[0] >= 'a' && cls[0] <= 'z')
			cls[0] = (char)(cls[0] - 'a' + 'A');
		if (inspect_seal_class(cls) < 0)
			return field_fail(err, at, C_SEALS,
			                  "seal %d: class '%.8s' is not I, S or H (ISO 17712)",
			                  count, cls);
		if (k + nlen + clen + 3 > n)
			return field_fail(err, at, C_SEALS, "the seals are too long");
		k += (size_t)snprintf(out + k, n - k, "%s%s:%s", k ? ";" : "", number, cls);
		p += len;
		if (*p == ';' && !*++p)
			return field_fail(err, at, C_SEALS, "a ';' with no seal after it");
	}
	return 0;
}

/* "UN1203:3;:8" (an empty UN number: declared without one) into the same. */
static int dg_check(const struct loc *at, const char *v, char *out, size_t n, struct pg_err *err)
{
	size_t k = 0;
	int count = 0;
	out[0] = '\0';
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ";");
		char entry[32], un[8] = "";
		count++;
		if (count > MAX_DG)
			return field_fail(err, at, C_DG, "more than %d dangerous goods entries",
			                  MAX_DG);
		if (len >= sizeof(entry))
			return field_fail(err, at, C_DG, "entry %d is too long", count);
		memcpy(entry, p, len);
		entry[len] = '\0';
		char *colon = strchr(entry, ':');
		if (!colon)
			return field_fail(err, at, C_DG,
			                  "entry %d: write UN_NUMBER:IMDG_CLASS, e.g. UN1203:3 (an "
			                  "empty UN number if there is none)",
			                  count);
		*colon = '\0';
		const char *u = entry, *cls = colon + 1;
		if (*u) {
			if ((u[0] == 'U' || u[0] == 'u') && (u[1] == 'N' || u[1] == 'n'))
				u += 2;
			int ok = strlen(u) == 4;
			for (int i = 0; ok && i < 4; i++)
				ok = u[i] >= '0' && u[i] <= '9';
			if (!ok)
				return field_fail(err, at, C_DG,
				                  "entry %d: '%.12s' is not a UN number (UN and 4 "
				                  "digits)",
				                  count, entry);
			pg_snprintf(un, sizeof(un), "UN%s", u);
		}
		if (!inspect_imdg_class_ok(cls))
			return field_fail(
			    err, at, C_DG,
			    "entry %d: '%.12s' is not an IMDG class (e.g. 3, 2.1, 1.4S)", count,
			    cls);
		if (k + strlen(un) + strlen(cls) + 3 > n)
			return field_fail(err, at, C_DG, "the entries are too long");
		k += (size_t)snprintf(out + k, n - k, "%s%s:%s", k ? ";" : "", un, cls);
		p += len;
		if (*p == ';' && !*++p)
			return field_fail(err, at, C_DG, "a ';' with no entry after it");
	}
	return 0;
}

static int vessel_set(struct inspect_manifest *m, const struct loc *at, const char *imo,
                      const char *name, const char *voyage, struct pg_err *err)
{
	char norm[8];
	struct pg_err e = {0};
	/* every CSV line repeats the vessel: the text already checked needs no new check */
	if (m->have_vessel && strcmp(imo, m->imo) == 0 && strcmp(name, m->vessel_name) == 0 &&
	    strcmp(voyage, m->voyage) == 0)
		return 0;
	if (inspect_imo_normalise(imo, norm, &e) < 0)
		return field_fail(err, at, C_IMO, "%s", e.msg);
	int rc = text_check(at, C_VNAME, name, TEXT_MAX, 1, err);
	if (rc == 0)
		rc = text_check(at, C_VOYAGE, voyage, VOYAGE_MAX, 1, err);
	if (rc < 0)
		return rc;
	if (!m->have_vessel) {
		memcpy(m->imo, norm, sizeof(m->imo));
		pg_strlcpy(m->vessel_name, name, sizeof(m->vessel_name));
		pg_strlcpy(m->voyage, voyage, sizeof(m->voyage));
		m->have_vessel = 1;
		m->vessel_line = at->line;
		return 0;
	}
	const char *had[3] = {m->imo, m->vessel_name, m->voyage}, *now[3] = {norm, name, voyage};
	for (int i = 0; i < 3; i++)
		if (strcmp(had[i], now[i]) != 0)
			return field_fail(
			    err, at, C_IMO + i,
			    "'%.60s' differs from line %ld ('%.60s'): a manifest is one "
			    "vessel's voyage",
			    now[i], m->vessel_line, had[i]);
	return 0;
}

/* Checks one container line (raw values by column; the vessel's are not read) and keeps
 * it. */
static int line_add(struct inspect_manifest *m, const struct loc *at, const char *const v[NCOLS],
                    struct pg_err *err)
{
	struct inspect_container_check cc;
	char size[8], hs[12], pol[6], pod[6], ts[MAX_TS * 6 + 1],
	    seals[MAX_SEALS * (INSPECT_SEAL_NUMBER_MAX + 3)];
	char dg[MAX_DG * 12];
	struct mline l = {0};
	int rc;
	l.check_digit = l.expected_check_digit = -1;

	inspect_container_check(v[C_NUMBER], &cc);
	if (!cc.valid) {
		/* well formed but for the check digit: a risk indicator, not an error */
		const char *s = cc.number;
		char whole[16];
		int expected = inspect_container_normalise(v[C_NUMBER], whole, sizeof(whole)) ==
		                           INSPECT_CONTAINER_LEN &&
		                       s[10] >= '0' && s[10] <= '9'
		                   ? inspect_check_digit(s)
		                   : -1;
		if (expected < 0)
			return field_fail(err, at, C_NUMBER,
			                  "'%.20s' is not an ISO 6346 container "
			                  "number: %s",
			                  v[C_NUMBER], cc.error);
		l.check_digit = (int8_t)(s[10] - '0');
		l.expected_check_digit = (int8_t)expected;
	}
	size_t sn = strlen(v[C_SIZE]);
	for (size_t i = 0; i < sn && i < sizeof(size) - 1; i++)
		size[i] = v[C_SIZE][i] >= 'a' && v[C_SIZE][i] <= 'z' ? (char)(v[C_SIZE][i] - 32)
		                                                     : v[C_SIZE][i];
	size[sn < sizeof(size) - 1 ? sn : sizeof(size) - 1] = '\0';
	if (sn >= sizeof(size) || !inspect_size_type(size))
		return field_fail(err, at, C_SIZE,
		                  "'%.12s' is not a known ISO 6346 size-type code "
		                  "(e.g. 22G1, 42G1, 45R1)",
		                  v[C_SIZE]);
	if ((rc = text_check(at, C_SHIPPER, v[C_SHIPPER], TEXT_MAX, 1, err)) < 0 ||
	    (rc = text_check(at, C_CONSIGNEE, v[C_CONSIGNEE], TEXT_MAX, 1, err)) < 0 ||
	    (rc = text_check(at, C_NOTIFY, v[C_NOTIFY], TEXT_MAX, 0, err)) < 0 ||
	    (rc = text_check(at, C_GOODS, v[C_GOODS], GOODS_MAX, 1, err)) < 0)
		return rc;
	size_t k = 0;
	for (const char *p = v[C_HS]; *p; p++) {
		if (*p == '.' || *p == ' ')
			continue;
		if (*p < '0' || *p > '9' || k == 10)
			return field_fail(err, at, C_HS,
			                  "'%.20s' is not an HS code (4 to 10 digits)", v[C_HS]);
		hs[k++] = *p;
	}
	hs[k] = '\0';
	if (k < 4)
		return field_fail(err, at, C_HS, "'%.20s' is not an HS code (4 to 10 digits)",
		                  v[C_HS]);
	if ((rc = kg_check(at, C_DECL, v[C_DECL], 1, &l.declared_kg, err)) < 0 ||
	    (rc = kg_check(at, C_VGM, v[C_VGM], 0, &l.vgm_kg, err)) < 0 ||
	    (rc = port_check(at, C_POL, v[C_POL], pol, err)) < 0 ||
	    (rc = ts_check(at, v[C_TS], ts, sizeof(ts), err)) < 0 ||
	    (rc = port_check(at, C_POD, v[C_POD], pod, err)) < 0 ||
	    (rc = seals_check(at, v[C_SEALS], seals, sizeof(seals), err)) < 0 ||
	    (rc = dg_check(at, v[C_DG], dg, sizeof(dg), err)) < 0)
		return rc;

	int added;
	int64_t *prev = inspect_map_put(&m->numbers, cc.number,
	                                at->json ? (int64_t)at->index : at->line, &added);
	if (!prev)
		return pg_err_set(err, PG_ELIMIT, "the manifest holds too many containers");
	if (!added)
		return at->json ? field_fail(err, at, C_NUMBER, "%s is already containers[%lld]",
		                             cc.number, (long long)*prev)
		                : field_fail(err, at, C_NUMBER, "%s is already on line %lld",
		                             cc.number, (long long)*prev);
	if (m->n == INSPECT_MAX_LINES)
		return pg_err_set(err, PG_ELIMIT, "more than %d container lines",
		                  INSPECT_MAX_LINES);
	const char *keep[NSTR] = {cc.number,   size,       v[C_SHIPPER], v[C_CONSIGNEE],
	                          v[C_NOTIFY], v[C_GOODS], hs,           pol,
	                          ts,          pod,        seals,        dg};
	l.off = (uint32_t)m->arena.len;
	l.line = (uint32_t)(at->json ? at->index : (size_t)at->line);
	for (int i = 0; i < NSTR; i++)
		if (pg_buf_append(&m->arena, keep[i], strlen(keep[i]) + 1) < 0) {
			m->arena.len = l.off;
			return pg_err_set(
			    err, PG_ELIMIT,
			    "the manifest holds more text than an import takes (1 GiB)");
		}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->lines = pg_realloc(m->lines, m->cap * sizeof(*m->lines));
	}
	m->lines[m->n++] = l;
	return 0;
}

static struct inspect_manifest *manifest_new(int json)
{
	struct inspect_manifest *m = pg_calloc(1, sizeof(*m));
	m->json = json;
	pg_buf_init(&m->arena, ARENA_MAX);
	inspect_map_init(&m->numbers);
	return m;
}

void inspect_manifest_free(struct inspect_manifest *m)
{
	if (!m)
		return;
	pg_buf_release(&m->arena);
	inspect_map_release(&m->numbers);
	pg_free(m->lines);
	pg_free(m);
}

size_t inspect_manifest_lines(const struct inspect_manifest *m)
{
	return m->n;
}

/* A line's strings, in the order of struct inspect_line. */
static void line_view(const struct inspect_manifest *m, const struct mline *ml,
                      struct inspect_line *l)
{
	const char *s[NSTR];
	const char *p = m->arena.p + ml->off;
	for (int i = 0; i < NSTR; i++) {
		s[i] = p;
		p += strlen(p) + 1;
	}
	*l = (struct inspect_line){
	    .line = ml->line,
	    .number = s[0],
	    .size_type = s[1],
	    .shipper = s[2],
	    .consignee = s[3],
	    .notify = s[4],
	    .goods = s[5],
	    .hs = s[6],
	    .pol = s[7],
	    .ts = s[8],
	    .pod = s[9],
	    .seals = s[10],
	    .dg = s[11],
	    .declared_kg = ml->declared_kg,
	    .vgm_kg = ml->vgm_kg,
	    .check_digit = ml->check_digit,
	    .expected_check_digit = ml->expected_check_digit,
	};
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static int csv_read_all(struct inspect_manifest *m, FILE *f, struct pg_err *err)
{
	struct pg_csv c;
	long line = 1;
	int rc = pg_csv_open(&c, f, csv_names, NCOLS, "field", INSPECT_MAX_ROW, err);
	while (rc == 0 && (rc = pg_csv_row(&c, &line, err)) == 1) {
		const char *v[NCOLS];
		struct loc at = {0, line, 0};
		for (int i = 0; i < NCOLS; i++)
			v[i] = pg_csv_field(&c, i);
		if ((rc = vessel_set(m, &at, v[C_IMO], v[C_VNAME], v[C_VOYAGE], err)) == 0)
			rc = line_add(m, &at, v, err);
	}
	if (rc == 0 && m->n == 0)
		rc = pg_err_set(err, PG_EINVAL, "line %ld: no container lines after the header", line);
	pg_csv_release(&c);
	return rc;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

/* The next byte that is not JSON white space (EOF at the end). */
static int json_skip(FILE *f)
{
	int c;
	do
		c = getc_unlocked(f);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	return c;
}

/* A member name of the top level: plain characters, no escapes (only "vessel" and
 * "containers" are allowed there). */
static int json_key(FILE *f, char *out, size_t n)
{
	size_t k = 0;
	for (int c; (c = getc_unlocked(f)) != '"';) {
		if (c == EOF || c == '\\' || c < 0x20 || k + 1 == n)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return 0;
}

static json_t *json_value(FILE *f, const char *where, struct pg_err *err)
{
	json_error_t jerr;
	long at = ftell(f);
	json_t *v = json_loadf(f, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		if (at >= 0)
			pg_err_field(err, PG_EINVAL, where, "%s: not valid JSON at byte %lld: %s",
			             where, (long long)(at + jerr.position), jerr.text);
		else
			pg_err_field(err, PG_EINVAL, where, "%s: not valid JSON: %s", where,
			             jerr.text);
	} else if (!json_is_object(v)) {
		json_decref(v);
		v = NULL;
		pg_err_field(err, PG_EINVAL, where, "%s must be an object", where);
	}
	return v;
}

static const char *int_text(json_t *v, char *buf, size_t n)
{
	pg_snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	return buf;
}

/* A container object into the raw CSV values of line_add. */
static int json_container(struct inspect_manifest *m, size_t index, json_t *o, struct pg_err *err)
{
	struct loc at = {1, 0, index};
	const char *v[NCOLS] = {0};
	char decl[24], vgm[24];
	struct pg_buf ts, seals, dg;
	int rc = 0;
	pg_buf_init(&ts, 4096);
	pg_buf_init(&seals, 4096);
	pg_buf_init(&dg, 4096);
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val)
	{
		int col = FIRST_LINE_COL;
		while (col < NCOLS && strcmp(json_names[col], key) != 0)
			col++;
		if (col == NCOLS) {
			char field[64];
			pg_snprintf(field, sizeof(field), "containers[%zu]", index);
			rc = pg_err_field(err, PG_EINVAL, field, "%s: unknown member '%.40s'",
			                  field, key);
			goto out;
		}
		if (col == C_DECL || col == C_VGM) {
			if (col == C_VGM && json_is_null(val))
				continue;
			if (!json_is_integer(val)) {
				rc = field_fail(err, &at, col,
				                "must be a whole number of kilograms");
				goto out;
			}
			v[col] = int_text(val, col == C_DECL ? decl : vgm, sizeof(decl));
		} else if (col == C_TS || col == C_SEALS || col == C_DG) {
			struct pg_buf *b = col == C_TS ? &ts : col == C_SEALS ? &seals : &dg;
			size_t i;
			json_t *e;
			if (!json_is_array(val)) {
				rc = field_fail(err, &at, col, "must be an array");
				goto out;
			}
			json_array_foreach(val, i, e)
			{
				const char *a = NULL, *c = NULL;
				if (col == C_TS) {
					a = json_string_value(e);
				} else if (json_is_object(e)) {
					const char *ka = col == C_SEALS ? "number" : "un_number";
					const char *kc = col == C_SEALS ? "class" : "imdg_class";
					json_t *ja = json_object_get(e, ka),
					       *jc = json_object_get(e, kc);
					a = json_is_null(ja) || !ja ? "" : json_string_value(ja);
					c = json_string_value(jc);
					if (json_object_size(e) != (size_t)(!!ja + !!jc))
						a = NULL;
					if (col == C_SEALS && !ja)
						a = NULL;
				}
				if (!a || (col != C_TS && !c) || strpbrk(a, ";:") ||
				    (c && strpbrk(c, ";:"))) {
					rc = field_fail(
					    err, &at, col,
					    col == C_TS ? "item %zu must be a UN/LOCODE string"
					    : col == C_SEALS
					        ? "item %zu must be {\"number\", \"class\"}"
					        : "item %zu must be {\"un_number\"?, "
					          "\"imdg_class\"}",
					    i);
					goto out;
				}
				if (pg_buf_printf(b, "%s%s%s%s", i ? ";" : "", a, c ? ":" : "",
				                  c ? c : "") < 0) {
					rc = field_fail(err, &at, col, "too long");
					goto out;
				}
			}
			v[col] = b->p ? b->p : "";
		} else if (!json_is_string(val) && !(col == C_NOTIFY && json_is_null(val))) {
			rc = field_fail(err, &at, col, "must be a string");
			goto out;
		} else {
			v[col] = json_is_null(val) ? "" : json_string_value(val);
			if (strlen(v[col]) != json_string_length(val)) {
				rc = field_fail(err, &at, col, "contains a NUL character");
				goto out;
			}
		}
	}
	for (int col = FIRST_LINE_COL; col < NCOLS; col++) {
		int optional =
		    col == C_NOTIFY || col == C_VGM || col == C_TS || col == C_SEALS || col == C_DG;
		if (!v[col] && !optional) {
			rc = field_fail(err, &at, col, "is required");
			goto out;
		}
		if (!v[col])
			v[col] = "";
	}
	rc = line_add(m, &at, v, err);
out:
	pg_buf_release(&ts);
	pg_buf_release(&seals);
	pg_buf_release(&dg);
	return rc;
}

static int json_vessel(struct inspect_manifest *m, json_t *o, struct pg_err *err)
{
	struct loc at = {1, 0, 0};
	const char *v[3];
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val)
	{
		if (strcmp(key, "imo") && strcmp(key, "name") && strcmp(key, "voyage"))
			return pg_err_field(err, PG_EINVAL, "vessel",
			                    "vessel: unknown member '%.40s'", key);
	}
	for (int i = 0; i < 3; i++) {
		json_t *x = json_object_get(o, json_names[i]);
		if (!json_is_string(x))
			return field_fail(err, &at, i, "is required and must be a string");
		v[i] = json_string_value(x);
		if (strlen(v[i]) != json_string_length(x))
			return field_fail(err, &at, i, "contains a NUL character");
	}
	return vessel_set(m, &at, v[0], v[1], v[2], err);
}

static int json_read_all(struct inspect_manifest *m, FILE *f, struct pg_err *err)
{
	int c = json_skip(f), rc = 0, seen_vessel = 0, seen_containers = 0;
	if (c != '{')
		return pg_err_set(err, PG_EINVAL,
		                  "a JSON manifest is an object {\"vessel\", "
		                  "\"containers\"}");
	c = json_skip(f);
	while (c != '}') {
		char key[32];
		if (c != '"' || json_key(f, key, sizeof(key)) < 0 || json_skip(f) != ':')
			return pg_err_set(err, PG_EINVAL,
			                  "the manifest object is not valid JSON, or "
			                  "has a member other than vessel and "
			                  "containers");
		if (strcmp(key, "vessel") == 0 && !seen_vessel++) {
			json_t *o = json_value(f, "vessel", err);
			if (!o)
				return PG_EINVAL;
			rc = json_vessel(m, o, err);
			json_decref(o);
			if (rc < 0)
				return rc;
		} else if (strcmp(key, "containers") == 0 && !seen_containers++) {
			if (json_skip(f) != '[')
				return pg_err_field(err, PG_EINVAL, "containers",
				                    "containers must be an array");
			c = json_skip(f);
			for (size_t i = 0; c != ']'; i++) {
				char where[48];
				pg_snprintf(where, sizeof(where), "containers[%zu]", i);
				ungetc(c, f);
				json_t *o = json_value(f, where, err);
				if (!o)
					return PG_EINVAL;
				rc = json_container(m, i, o, err);
				json_decref(o);
				if (rc < 0)
					return rc;
				c = json_skip(f);
				if (c == ',')
					c = json_skip(f);
				else if (c != ']')
					return pg_err_field(err, PG_EINVAL, "containers",
					                    "containers: ',' or ']' expected after "
					                    "containers[%zu]",
					                    i);
			}
		} else {
			return pg_err_set(err, PG_EINVAL,
			                  "'%s' is given twice, or is not a member of "
			                  "a manifest (vessel, containers)",
			                  key);
		}
		c = json_skip(f);
		if (c == ',')
			c = json_skip(f);
		else if (c != '}')
			return pg_err_set(err, PG_EINVAL, "',' or '}' expected after %s", key);
	}
	if (json_skip(f) != EOF)
		return pg_err_set(err, PG_EINVAL, "text after the manifest object");
	if (ferror(f))
		return pg_err_set(err, PG_EIO, "reading the manifest failed");
	if (!m->have_vessel)
		return pg_err_field(err, PG_EINVAL, "vessel", "vessel is required");
	if (m->n == 0)
		return pg_err_field(err, PG_EINVAL, "containers",
		                    "containers must hold at least one container");
	return 0;
}

/* ---- reading -------------------------------------------------------------------------------- */

static int read_with(FILE *f, int json, struct inspect_manifest **out, struct pg_err *err)
{
	struct inspect_manifest *m = manifest_new(json);
	int rc = json ? json_read_all(m, f, err) : csv_read_all(m, f, err);
	inspect_map_release(&m->numbers); /* only needed while reading */
	if (rc < 0) {
		inspect_manifest_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int inspect_manifest_read_csv(FILE *f, struct inspect_manifest **out, struct pg_err *err)
{
	return read_with(f, 0, out, err);
}

int inspect_manifest_read_json(FILE *f, struct inspect_manifest **out, struct pg_err *err)
{
	return read_with(f, 1, out, err);
}

int inspect_manifest_read(FILE *f, struct inspect_manifest **out, struct pg_err *err)
{
	int c = json_skip(f);
	if (c != EOF)
		ungetc(c, f);
	return read_with(f, c == '{', out, err);
}

/* ---- writing and scoring ---------------------------------------------------------------- */

struct watch {
	struct inspect_map parties, containers; /* key -> index into reasons */
	char **reasons;
	size_t n;
	char *vessel_reason;
};

static void watch_release(struct watch *w)
{
	inspect_map_release(&w->parties);
	inspect_map_release(&w->containers);
	for (size_t i = 0; i < w->n; i++)
		pg_free(w->reasons[i]);
	pg_free(w->reasons);
	pg_free(w->vessel_reason);
}

static int watch_load(struct store_tx *tx, const char *imo, struct watch *w, struct pg_err *err)
{
	struct store_rows *r = NULL;
	inspect_map_init(&w->parties);
	inspect_map_init(&w->containers);
	int rc = store_query(tx, &r, err, "SELECT kind, value, reason FROM inspect_watchlist", "");
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(r)) == 1) {
		const char *kind = store_text(r, 0), *value = store_text(r, 1);
		if (strcmp(kind, "vessel") == 0) {
			if (strcmp(value, imo) == 0 && !w->vessel_reason)
				w->vessel_reason = pg_strdup(store_text(r, 2));
			continue;
		}
		if (w->n == cap) {
			cap = cap ? cap * 2 : 16;
			w->reasons = pg_realloc(w->reasons, cap * sizeof(*w->reasons));
		}
		w->reasons[w->n] = pg_strdup(store_text(r, 2));
		int added;
		inspect_map_put(strcmp(kind, "party") == 0 ? &w->parties : &w->containers, value,
		                (int64_t)w->n++, &added);
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading the watchlist failed") : 0;
}

/* The newest weighbridge reading per container within the window: kg. */
static int weighings_load(struct store_tx *tx, int window_h, struct inspect_map *kg,
                          struct pg_err *err)
{
	struct store_rows *r = NULL;
	inspect_map_init(kg);
	if (window_h <= 0)
		return 0;
	int rc = store_query(tx, &r, err,
	                     "SELECT container, kg FROM inspect_weighings WHERE at_ms >= ?1 "
	                     "ORDER BY at_ms, id",
	                     "i", pg_now_ms() - (int64_t)window_h * 3600000);
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		int added;
		*inspect_map_put(kg, store_text(r, 0), store_int(r, 1), &added) = store_int(r, 1);
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading weighings failed") : 0;
}

/* Party keys: "S" or "C" and the name key; the value counts the lines (<< 1) and bit 0
 * says the party shipped before this manifest. */
static void party_key(char role, const char *name, char *out)
{
	out[0] = role;
	inspect_name_key(name, out + 1);
}

static int parties_load(struct store_tx *tx, const struct inspect_manifest *m,
                        struct inspect_map *parties, struct pg_err *err)
{
	char key[TEXT_MAX + 2];
	inspect_map_init(parties);
	for (size_t i = 0; i < m->n; i++) {
		struct inspect_line l;
		line_view(m, &m->lines[i], &l);
		for (int k = 0; k < 2; k++) {
			int added;
			party_key(k ? 'C' : 'S', k ? l.consignee : l.shipper, key);
			*inspect_map_put(parties, key, 0, &added) += 2;
		}
	}
	for (size_t s = 0; s < parties->cap; s++) {
		if (!parties->slots[s])
			continue;
		const char *k = parties->keys.p + parties->slots[s] - 1;
		struct store_rows *r = NULL;
		int rc = store_query(
		    tx, &r, err, "SELECT 1 FROM inspect_parties WHERE role = ?1 AND name_key = ?2",
		    "tt", k[0] == 'S' ? "shipper" : "consignee", k + 1);
		if (rc < 0)
			return rc;
		rc = store_next(r);
		store_rows_free(r);
		if (rc < 0)
			return pg_err_set(err, PG_EIO, "store: reading the party history failed");
		parties->values[s] |= rc == 1;
	}
	return 0;
}

static int parties_save(struct store_tx *tx, const struct inspect_manifest *m,
                        const struct inspect_map *parties, int64_t manifest_id, const char *now,
                        struct pg_err *err)
{
	/* the name as first seen: the first line of each party */
	struct inspect_map done;
	char key[TEXT_MAX + 2];
	int rc = 0;
	inspect_map_init(&done);
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		struct inspect_line l;
		line_view(m, &m->lines[i], &l);
		for (int k = 0; k < 2 && rc == 0; k++) {
			int added;
			const char *name = k ? l.consignee : l.shipper;
			party_key(k ? 'C' : 'S', name, key);
			inspect_map_put(&done, key, 0, &added);
			if (!added)
				continue;
			int64_t v = *inspect_map_get(parties, key);
			rc = store_exec(
			    tx, err,
			    "INSERT INTO inspect_parties(role, name_key, name, "
			    "first_manifest_id, shipments, first_seen, last_seen) VALUES "
			    "(?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT(role, name_key) DO "
			    "UPDATE SET shipments = shipments + ?5, last_seen = ?6",
			    "tttiit", k ? "consignee" : "shipper", key + 1, name, manifest_id,
			    v >> 1, now);
		}
	}
	inspect_map_release(&done);
	return rc;
}

/* The JSON forms of the list columns. */
static void json_list(struct pg_buf *b, const char *list, const char *ka, const char *kb)
{
	char entry[64];
	pg_buf_reset(b);
	pg_buf_puts(b, "[");
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ";");
		pg_snprintf(entry, sizeof(entry), "%.*s", (int)len, p);
		if (b->len > 1)
			pg_buf_puts(b, ",");
		if (!ka) {
			inspect_json_str(b, entry);
		} else {
			char *colon = strrchr(entry, ':');
			*colon = '\0';
			pg_buf_printf(b, "{\"%s\":", ka);
			if (*entry)
				inspect_json_str(b, entry);
			else
				pg_buf_puts(b, "null");
			pg_buf_printf(b, ",\"%s\":", kb);
			inspect_json_str(b, colon + 1);
			pg_buf_puts(b, "}");
		}
		p += len + (p[len] == ';');
	}
	pg_buf_puts(b, "]");
}

/* Stored hits: the hits that recur across lines (every indicator but the check digit, the
 * masses and the watchlist, whose values are the line's own) are kept once in
 * inspect_hit_texts and named by id; the others stay inline. The API expands them again
 * (INSPECT_HITS_SQL), so its answers do not change. */
static int hit_inline(const char *obj, size_t len)
{
	static const char key[] = "\"indicator\":\"";
	const char *p = memmem(obj, len, key, sizeof(key) - 1);
	if (!p)
		return 1;
	p += sizeof(key) - 1;
	return strncmp(p, "check_digit\"", 12) == 0 || strncmp(p, "mass_", 5) == 0 ||
	       strncmp(p, "watchlist\"", 10) == 0;
}

static int hit_text_id(struct store_tx *tx, struct inspect_map *dict, const char *hit, int64_t *id,
                       struct pg_err *err)
{
	int64_t *v = inspect_map_get(dict, hit);
	if (v) {
		*id = *v;
		return 0;
	}
	int rc = store_exec(
	    tx, err, "INSERT INTO inspect_hit_texts(hit) VALUES (?1) ON CONFLICT(hit) DO NOTHING",
	    "t", hit);
	struct store_rows *r = NULL;
	if (rc == 0)
		rc = store_query(tx, &r, err, "SELECT id FROM inspect_hit_texts WHERE hit = ?1",
		                 "t", hit);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1)
		*id = store_int(r, 0);
	store_rows_free(r);
	if (rc != 1)
		return pg_err_set(err, PG_EIO, "store: recording a hit text failed");
	int added;
	*inspect_map_put(dict, hit, *id, &added) = *id;
	return 0;
}

/* hits (a JSON array of objects, as inspect_score writes it) into out in the stored form. */
static int hits_compact(struct store_tx *tx, struct inspect_map *dict, const char *hits,
                        struct pg_buf *key, struct pg_buf *out, struct pg_err *err)
{
	pg_buf_reset(out);
	pg_buf_puts(out, "[");
	for (const char *p = hits + 1; *p == '{';) {
		const char *q = p;
		int depth = 0, str = 0;
		for (;; q++) {
			if (str) {
				if (*q == '\\')
					q++;
				else if (*q == '"')
					str = 0;
			} else if (*q == '"') {
				str = 1;
			} else if (*q == '{') {
				depth++;
			} else if (*q == '}' && --depth == 0) {
				break;
			}
		}
		size_t len = (size_t)(q + 1 - p);
		if (out->len > 1)
			pg_buf_puts(out, ",");
		if (hit_inline(p, len)) {
			pg_buf_append(out, p, len);
		} else {
			int64_t id = 0;
			pg_buf_reset(key);
			pg_buf_append(key, p, len);
			int rc = hit_text_id(tx, dict, key->p, &id, err);
			if (rc < 0)
				return rc;
			pg_buf_printf(out, "%lld", (long long)id);
		}
		p = q + 1;
		if (*p == ',')
			p++;
	}
	pg_buf_puts(out, "]");
	return 0;
}

/* Random draws: libsodium's randombytes_uniform method (reject values below 2^32 mod
 * bound, then take the remainder) over randombytes_buf batches, so that a million lines
 * cost a few hundred getrandom calls rather than a million. */
struct draws {
	uint32_t v[1024];
	size_t left;
};

static uint32_t draw_uniform(struct draws *d, uint32_t bound)
{
	uint32_t min = (1U + ~bound) % bound;
	for (;;) {
		if (!d->left) {
			randombytes_buf(d->v, sizeof(d->v));
			d->left = sizeof(d->v) / sizeof(d->v[0]);
		}
		uint32_t r = d->v[--d->left];
		if (r >= min)
			return r % bound;
	}
}

struct import {
	const struct inspect_rules *r;
	const char *actor;
	const struct inspect_manifest *m;
	struct inspect_import_result *res;
};

int inspect_import_tx(struct store_tx *tx, const struct inspect_rules *r, const char *actor,
                      const struct inspect_manifest *m, struct inspect_import_result *res,
                      struct pg_err *err)
{
	struct watch w = {0};
	struct inspect_map weigh, parties, dict;
	struct pg_buf hits, stored, key_buf, ts, seals, dg;
	struct inspect_import_result out = {0};
	char now[PG_TIME_LEN], key[TEXT_MAX + 2];
	int level = 1;
	int rc = level_current(tx, &level, err);
	inspect_map_init(&weigh);
	inspect_map_init(&parties);
	inspect_map_init(&dict);
	pg_buf_init(&hits, 1 << 20);
	pg_buf_init(&stored, 1 << 20);
	pg_buf_init(&key_buf, 1 << 20);
	pg_buf_init(&ts, 1 << 16);
	pg_buf_init(&seals, 1 << 16);
	pg_buf_init(&dg, 1 << 16);
	pg_time_format(pg_now_ms(), now);
	uint32_t ppm = inspect_random_ppm(r, level);
	if (rc < 0 || (rc = watch_load(tx, m->imo, &w, err)) < 0 ||
	    (rc = weighings_load(tx, inspect_weighbridge_window_h(r), &weigh, err)) < 0 ||
	    (rc = parties_load(tx, m, &parties, err)) < 0)
		goto out;
	rc =
	    store_exec(tx, err,
	               "INSERT INTO manifests(vessel_imo, vessel_name, voyage, format, containers, "
	               "level, summary, imported_by, imported_at, random_ppm) VALUES (?1, ?2, ?3, "
	               "?4, ?5, ?6, '{}', ?7, ?8, ?9)",
	               "ttttiitti", m->imo, m->vessel_name, m->voyage, m->json ? "json" : "csv",
	               (int64_t)m->n, (int64_t)level, actor, now,
	               (int64_t)ppm);
	if (rc < 0)
		goto out;
	out.manifest_id = store_last_id(tx);
	out.level = level;
	struct draws *rnd = pg_calloc(1, sizeof(*rnd));
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		struct inspect_line l;
		struct inspect_facts f = {.weighbridge_kg = -1,
		                          .vessel_imo = m->imo,
		                          .watch_vessel_reason = w.vessel_reason};
		line_view(m, &m->lines[i], &l);
		party_key('S', l.shipper, key);
		f.first_shipper = !(*inspect_map_get(&parties, key) & 1);
		party_key('C', l.consignee, key);
		f.first_consignee = !(*inspect_map_get(&parties, key) & 1);
		const char *named[3] = {l.shipper, l.consignee, l.notify};
		for (int k = 0; k < 3 && !f.watch_party && w.parties.n; k++) {
			inspect_name_key(named[k], key);
			int64_t *hit = *key ? inspect_map_get(&w.parties, key) : NULL;
			if (hit) {
				f.watch_party = named[k];
				f.watch_party_reason = w.reasons[*hit];
			}
		}
		int64_t *x = w.containers.n ? inspect_map_get(&w.containers, l.number) : NULL;
		f.watch_container_reason = x ? w.reasons[*x] : NULL;
		x = weigh.n ? inspect_map_get(&weigh, l.number) : NULL;
		f.weighbridge_kg = x ? *x : -1;

		int score = inspect_score(r, &l, &f, &hits);
		enum inspect_decision d = inspect_decide(r, level, score);
		uint32_t value = draw_uniform(rnd, INSPECT_DRAW_BOUND);
		int random = value < ppm;
		int by_risk = d >= INSPECT_SCAN;
		json_list(&ts, l.ts, NULL, NULL);
		json_list(&seals, l.seals, "number", "class");
		json_list(&dg, l.dg, "un_number", "imdg_class");
		rc = hits_compact(tx, &dict, hits.p, &key_buf, &stored, err);
		if (rc == 0)
			rc = store_exec(
			    tx, err,
			    "INSERT INTO manifest_containers(manifest_id, line, number, size_type, "
			    "shipper, consignee, notify_party, goods, hs_code, declared_kg, "
			    "vgm_kg, "
			    "port_of_loading, transshipment, port_of_discharge, seals, "
			    "dangerous_goods, score, hits, decision, random_value, selected_by, "
			    "queued, level, scored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
			    "?10, NULLIF(?11, -1), ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
			    "?21, ?22, "
			    "?23, "
			    "?24)",
			    "iitttttttiitttttittitiit", out.manifest_id, (int64_t)l.line, l.number,
			    l.size_type, l.shipper, l.consignee, *l.notify ? l.notify : NULL,
			    l.goods, l.hs, l.declared_kg, l.vgm_kg, l.pol, ts.p, l.pod, seals.p,
			    dg.p, (int64_t)score, stored.p, inspect_decision_name(d), (int64_t)value,
			    by_risk  ? "risk"
			    : random ? "random"
			             : NULL,
			    (int64_t)(by_risk || random), (int64_t)level, now);
		out.decisions[d]++;
		out.random_selected += random;
		out.queued += by_risk || random;
		if (rc < 0 && err) {
			char why[sizeof(err->msg)];
			pg_strlcpy(why, err->msg, sizeof(why));
			pg_err_set(err, rc, "%s %ld: the store refused the line: %s",
			           m->json ? "containers" : "line", l.line, why);
		}
	}
	out.lines = (int64_t)m->n;
	sodium_memzero(rnd, sizeof(*rnd));
	pg_free(rnd);
	if (rc < 0 || (rc = parties_save(tx, m, &parties, out.manifest_id, now, err)) < 0)
		goto out;
	json_t *summary = json_pack(
	    "{sI sI sI sI sI sI sI si}", "lines", (json_int_t)out.lines, "release",
	    (json_int_t)out.decisions[INSPECT_RELEASE], "document_check",
	    (json_int_t)out.decisions[INSPECT_DOCUMENT_CHECK], "scan",
	    (json_int_t)out.decisions[INSPECT_SCAN], "physical",
	    (json_int_t)out.decisions[INSPECT_PHYSICAL], "random_selected",
	    (json_int_t)out.random_selected, "queued", (json_int_t)out.queued, "level", level);
	char *text = json_dumps(summary, JSON_COMPACT);
	rc = store_exec(tx, err, "UPDATE manifests SET summary = ?1 WHERE id = ?2", "ti", text,
	                out.manifest_id);
	pg_free(text);
	char object[300];
	pg_snprintf(object, sizeof(object), "manifest %lld (IMO %s %s voyage %s)",
	            (long long)out.manifest_id, m->imo, m->vessel_name, m->voyage);
	if (rc == 0)
		rc = store_audit(tx, actor, "manifest.import", object, summary, err);
	if (rc == 0) {
		json_t *ev =
		    json_pack("{ss sI ss ss ss sO ss}", "action", "manifest.import", "id",
		              (json_int_t)out.manifest_id, "vessel_imo", m->imo, "vessel_name",
		              m->vessel_name, "voyage", m->voyage, "summary", summary, "by", actor);
		int64_t eid = store_event(tx, "inspect", ev, err);
		json_decref(ev);
		rc = eid < 0 ? (int)eid : 0;
	}
	json_decref(summary);
	if (rc == 0 && res)
		*res = out;
out:
	watch_release(&w);
	inspect_map_release(&weigh);
	inspect_map_release(&parties);
	inspect_map_release(&dict);
	pg_buf_release(&hits);
	pg_buf_release(&stored);
	pg_buf_release(&key_buf);
	pg_buf_release(&ts);
	pg_buf_release(&seals);
	pg_buf_release(&dg);
	return rc;
}

static int import_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct import *c = ctx;
	return inspect_import_tx(tx, c->r, c->actor, c->m, c->res, err);
}

int inspect_import(struct store *s, const struct inspect_rules *r, const char *actor,
                   const struct inspect_manifest *m, struct inspect_import_result *res,
                   struct pg_err *err)
{
	struct import c = {r, actor, m, res};
	return store_write(s, import_fn, &c, err);
}
