/* training_cert.c - verification codes and the PDF documents (cairo): the certificate of
 * a completion and the compliance report. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <ctype.h>
#include <dlfcn.h>
#include <string.h>

#include "training_int.h"

#define PDF_MAX (16 << 20)

/* Crockford's base32: no I, L, O, U, so a code read aloud or typed is hard to get wrong. */
static const char B32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void training_code_new(char out[TRAINING_CODE_LEN])
{
	unsigned char r[10]; /* 80 bits = 16 symbols of 5 bits */
	pg_random_bytes(r, sizeof(r));
	int o = 0;
	for (int i = 0; i < 16; i++) {
		int bit = i * 5, v = 0;
		for (int k = 0; k < 5; k++, bit++)
			v = (v << 1) | ((r[bit / 8] >> (7 - bit % 8)) & 1);
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = B32[v];
	}
	out[o] = '\0';
}

int training_code_normalise(const char *in, char out[TRAINING_CODE_LEN])
{
	char sym[17];
	int n = 0;
	for (const char *p = in; *p; p++) {
		char c = (char)toupper((unsigned char)*p);
		if (c == '-' || c == ' ')
			continue;
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(B32, c) || c == '\0' || n == 16)
			return PG_EINVAL;
		sym[n++] = c;
	}
	if (n != 16)
		return PG_EINVAL;
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = sym[i];
	}
	out[o] = '\0';
	return 0;
}

void training_pdf_cleanup(void)
{
	cairo_debug_reset_static_data();
	/* fontconfig is cairo's dependency, not linked by us: its FcFini, found at run time,
	 * frees the configuration it loaded for cairo's text */
	void *sym = dlsym(RTLD_DEFAULT, "FcFini");
	void (*fc_fini)(void) = NULL;
	if (sym) {
		memcpy(&fc_fini, &sym, sizeof(fc_fini));
		fc_fini();
	}
}

/* ---- a PDF in memory ------------------------------------------------------------------------ */

struct training_pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	struct pg_buf buf;
	int overflow;
	double w, h, y;
};

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct training_pdf *p = closure;
	if (pg_buf_append(&p->buf, data, length) < 0) {
		p->overflow = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

struct training_pdf *training_pdf_new(double w, double h)
{
	struct training_pdf *p = pg_calloc(1, sizeof(*p));
	pg_buf_init(&p->buf, PDF_MAX);
	p->w = w;
	p->h = h;
	p->surface = cairo_pdf_surface_create_for_stream(pdf_write, p, w, h);
	p->cr = cairo_create(p->surface);
	return p;
}

int training_pdf_finish(struct training_pdf *p, char **out, size_t *len, struct pg_err *err)
{
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	cairo_status_t st = cairo_surface_status(p->surface);
	cairo_surface_destroy(p->surface);
	int rc = 0;
	if (p->overflow)
		rc = pg_err_set(err, PG_ELIMIT, "the PDF is larger than %d bytes", PDF_MAX);
	else if (st != CAIRO_STATUS_SUCCESS)
		rc = pg_err_set(err, PG_EIO, "cairo: %s", cairo_status_to_string(st));
	if (rc == 0) {
		*len = p->buf.len;
		*out = pg_buf_detach(&p->buf);
	}
	pg_buf_release(&p->buf);
	pg_free(p);
	return rc;
}

static void font(cairo_t *cr, double size, int bold)
{
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

/* Text at x (align 0 left, 1 centre on x) on the baseline y. */
static void text(cairo_t *cr, double x, double y, int centre, const char *s)
{
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, centre ? x - e.x_advance / 2 : x, y);
	cairo_show_text(cr, s);
}

/* s cut to fit width (an ellipsis marks the cut), into out. */
static void fit(cairo_t *cr, const char *s, double width, char *out, size_t n)
{
	pg_strlcpy(out, s ? s : "", n);
	cairo_text_extents_t e;
	size_t len = strlen(out);
	for (;;) {
		cairo_text_extents(cr, out, &e);
		if (e.x_advance <= width || len == 0)
			return;
		/* step back over one UTF-8 character */
		do
			len--;
		while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
		if (len + 4 > n)
			len = n - 4;
		memcpy(out + len, "\xE2\x80\xA6", 4);
	}
}

/* ---- the certificate ------------------------------------------------------------------------ */

int training_certificate_pdf(struct store_tx *tx, int64_t completion_id, char **pdf, size_t *len,
                             struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(
	    tx, &r, err,
	    "SELECT p.first_name || ' ' || p.last_name, p.employer, c.code, c.title, "
	    "c.qualification, k.completed_at_ms, k.expires_ms, k.code, a.score, a.pass_mark, "
	    "s.held_at_ms, s.description, c.duration_minutes FROM training_completions k "
	    "JOIN people p ON p.id = k.person_id JOIN training_courses c ON c.id = k.course_id "
	    "LEFT JOIN training_attempts a ON a.id = k.attempt_id LEFT JOIN training_sessions s "
	    "ON s.id = k.session_id WHERE k.id = ?1",
	    "i", completion_id);
	if (rc < 0)
		return rc;
	if ((rc = store_next(r)) != 1) {
		store_rows_free(r);
		return rc == 0 ? pg_err_set(err, PG_ENOTFOUND, "no certificate with id %lld",
		                            (long long)completion_id)
		               : pg_err_set(err, PG_EIO, "store: reading completions failed");
	}
	struct training_pdf *p = training_pdf_new(842, 595); /* A4 landscape, points */
	cairo_t *cr = p->cr;
	char line[512], t1[PG_TIME_LEN], t2[PG_TIME_LEN], cut[512];
	double cx = 421;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.09, 0.23, 0.42);
	cairo_set_line_width(cr, 6);
	cairo_rectangle(cr, 24, 24, 794, 547);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, 34, 34, 774, 527);
	cairo_stroke(cr);

	font(cr, 12, 1);
	text(cr, cx, 80, 1, "PORT FACILITY SECURITY TRAINING (ISPS Code A/18, B/18)");
	font(cr, 36, 1);
	text(cr, cx, 140, 1, "Certificate of training");
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	font(cr, 14, 0);
	text(cr, cx, 190, 1, "This certifies that");
	font(cr, 28, 1);
	fit(cr, store_text(r, 0), 700, cut, sizeof(cut));
	text(cr, cx, 232, 1, cut);
	font(cr, 12, 0);
	if (store_text(r, 1) && *store_text(r, 1)) {
		fit(cr, store_text(r, 1), 700, cut, sizeof(cut));
		text(cr, cx, 254, 1, cut);
	}
	font(cr, 14, 0);
	text(cr, cx, 290, 1, "has completed the course");
	font(cr, 20, 1);
	pg_snprintf(line, sizeof(line), "%s  %s", store_text(r, 2), store_text(r, 3));
	fit(cr, line, 740, cut, sizeof(cut));
	text(cr, cx, 324, 1, cut);

	font(cr, 13, 0);
	pg_time_format(store_int(r, 5), t1);
	t1[10] = '\0';
	if (store_is_null(r, 6)) {
		pg_strlcpy(t2, "does not expire", sizeof(t2));
	} else {
		pg_time_format(store_int(r, 6), t2);
		t2[10] = '\0';
	}
	pg_snprintf(line, sizeof(line), "Completed on %s     Valid until %s", t1, t2);
	text(cr, cx, 370, 1, line);
	if (!store_is_null(r, 8))
		pg_snprintf(line, sizeof(line), "Quiz passed with %lld %% (pass mark %lld %%)",
		            (long long)store_int(r, 8), (long long)store_int(r, 9));
	else if (!store_is_null(r, 10))
		pg_snprintf(line, sizeof(line), "Classroom session, %lld minutes",
		            (long long)store_int(r, 12));
	else
		line[0] = '\0';
	text(cr, cx, 392, 1, line);
	pg_snprintf(line, sizeof(line), "Qualification granted: %s", store_text(r, 4));
	text(cr, cx, 414, 1, line);

	cairo_set_source_rgb(cr, 0.09, 0.23, 0.42);
	font(cr, 12, 0);
	text(cr, cx, 470, 1, "Verification code");
	cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 22);
	text(cr, cx, 498, 1, store_text(r, 7));
	font(cr, 10, 0);
	pg_snprintf(
	    line, sizeof(line),
	    "Check that it is genuine and current at /verify/%s on the facility's portguard "
	    "server.",
	    store_text(r, 7));
	text(cr, cx, 522, 1, line);
	store_rows_free(r);
	cairo_show_page(cr);
	return training_pdf_finish(p, pdf, len, err);
}

/* ---- the compliance report ------------------------------------------------------------------ */

#define MAX_COURSES 256

struct report {
	struct training_pdf *p;
	int max_rows, rows, more;
	int page;
	int ncourses;
	struct {
		int64_t id;
		char code[33];
		char title[120];
		int64_t n[3];
	} courses[MAX_COURSES];
	struct pg_buf lines; /* the rows not current, as "person\tcourse\tstatus\texpiry\n" */
};

static int report_row(void *ctx, const struct training_row *r)
{
	struct report *rep = ctx;
	int i = 0;
	while (i < rep->ncourses && rep->courses[i].id != r->course_id)
		i++;
	if (i == rep->ncourses && rep->ncourses < MAX_COURSES) {
		rep->ncourses++;
		rep->courses[i].id = r->course_id;
		pg_strlcpy(rep->courses[i].code, r->code, sizeof(rep->courses[i].code));
		pg_strlcpy(rep->courses[i].title, r->title, sizeof(rep->courses[i].title));
	}
	if (i < MAX_COURSES)
		rep->courses[i].n[r->status]++;
	if (r->status == TS_CURRENT)
		return 0;
	if (rep->rows >= rep->max_rows) {
		rep->more++;
		return 0;
	}
	char exp[PG_TIME_LEN] = "never done";
	if (r->expires_ms == INT64_MAX) {
		pg_strlcpy(exp, "-", sizeof(exp));
	} else if (r->expires_ms) {
		pg_time_format(r->expires_ms, exp);
		exp[10] = '\0';
	}
	rep->rows++;
	pg_buf_printf(&rep->lines, "%lld %s %s\t%s\t%s\t%s\t%s\n", (long long)r->person_id,
	              r->first_name, r->last_name, r->roles[0] ? r->roles : r->kind, r->code,
	              training_status_name(r->status), exp);
	return 0;
}

static void page_head(struct report *rep, const char *title)
{
	cairo_t *cr = rep->p->cr;
	if (rep->page++)
		cairo_show_page(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	font(cr, 9, 0);
	char n[32];
	pg_snprintf(n, sizeof(n), "page %d", rep->page);
	text(cr, 500, 820, 0, n);
	font(cr, 16, 1);
	text(cr, 40, 50, 0, title);
	rep->p->y = 80;
}

static void row_text(struct report *rep, const double *xs, const char *const *cols, int n, int bold)
{
	cairo_t *cr = rep->p->cr;
	char cut[256];
	font(cr, 9, bold);
	for (int i = 0; i < n; i++) {
		double w = (i + 1 < n ? xs[i + 1] : 560) - xs[i] - 6;
		fit(cr, cols[i], w, cut, sizeof(cut));
		text(cr, xs[i], rep->p->y, 0, cut);
	}
	rep->p->y += 14;
	if (rep->p->y > 800)
		page_head(rep, "Training compliance (continued)");
}

int training_compliance_pdf(struct store_tx *tx, const struct training_filter *f, int max_rows,
                            char **pdf, size_t *len, struct pg_err *err)
{
	struct report *rep = pg_calloc(1, sizeof(*rep));
	rep->max_rows = max_rows;
	pg_buf_init(&rep->lines, 8 << 20);
	struct training_filter all = *f;
	all.after = 0;
	all.limit = 0;
	int64_t people = 0;
	int rc = training_compliance_scan(tx, &all, report_row, rep, &people, NULL, err);
	if (rc < 0) {
		pg_buf_release(&rep->lines);
		pg_free(rep);
		return rc;
	}
	rep->p = training_pdf_new(595, 842); /* A4 portrait */
	cairo_t *cr = rep->p->cr;
	page_head(rep, "Training compliance");
	char line[256], now[PG_TIME_LEN];
	pg_time_format(f->now_ms, now);
	font(cr, 10, 0);
	pg_snprintf(line, sizeof(line),
	            "As of %.16s UTC: %lld people with required training; "
	            "'expiring' = within %d days.",
	            now, (long long)people, TRAINING_EXPIRING_DAYS);
	text(cr, 40, rep->p->y, 0, line);
	rep->p->y += 14;
	pg_snprintf(
	    line, sizeof(line), "Filters: role %s, kind %s, zone %lld, course %lld, status %s",
	    f->role ? f->role : "any", f->kind ? f->kind : "any", (long long)f->zone_id,
	    (long long)f->course_id, f->status >= 0 ? training_status_name(f->status) : "any");
	text(cr, 40, rep->p->y, 0, line);
	rep->p->y += 24;
	static const double cx[] = {40, 120, 380, 440, 500};
	row_text(rep, cx,
	         (const char *const[]){"Course", "Title", "Current", "Expiring", "Overdue"}, 5, 1);
	for (int i = 0; i < rep->ncourses; i++) {
		char a[24], b[24], c[24];
		pg_snprintf(a, sizeof(a), "%lld", (long long)rep->courses[i].n[TS_CURRENT]);
		pg_snprintf(b, sizeof(b), "%lld", (long long)rep->courses[i].n[TS_EXPIRING]);
		pg_snprintf(c, sizeof(c), "%lld", (long long)rep->courses[i].n[TS_OVERDUE]);
		row_text(
		    rep, cx,
		    (const char *const[]){rep->courses[i].code, rep->courses[i].title, a, b, c}, 5,
		    0);
	}
	rep->p->y += 16;
	font(cr, 12, 1);
	text(cr, 40, rep->p->y, 0, "Not current");
	rep->p->y += 18;
	static const double lx[] = {40, 210, 330, 420, 480};
	row_text(rep, lx,
	         (const char *const[]){"Person", "Role / kind", "Course", "Status", "Expiry"}, 5,
	         1);
	char *s = rep->lines.p ? rep->lines.p : "";
	while (*s) {
		char *nl = strchr(s, '\n');
		*nl = '\0';
		const char *cols[5];
		int n = 0;
		for (char *c = s; n < 5;) {
			cols[n++] = c;
			char *tab = strchr(c, '\t');
			if (!tab)
				break;
			*tab = '\0';
			c = tab + 1;
		}
		while (n < 5)
			cols[n++] = "";
		row_text(rep, lx, cols, 5, 0);
		s = nl + 1;
	}
	if (rep->more) {
		pg_snprintf(line, sizeof(line),
		            "... and %d more rows not current: see the CSV export.", rep->more);
		row_text(rep, lx, (const char *const[]){line}, 1, 0);
	}
	if (rep->rows == 0 && rep->more == 0)
		row_text(rep, lx, (const char *const[]){"Everyone is current."}, 1, 0);
	cairo_show_page(cr);
	rc = training_pdf_finish(rep->p, pdf, len, err);
	pg_buf_release(&rep->lines);
	pg_free(rep);
	return rc;
}
