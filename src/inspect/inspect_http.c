/* inspect_http.c - the manifest, container, queue, watchlist, weighbridge and risk-rules
 * routes, and the watchlist and weighbridge writes they share with the tests.
 *
 * Changes are written with http_write_async (one group commit, the connection parked
 * meanwhile), audited, and published on topic "inspect". */
#include <string.h>
#include <strings.h>

#include "../access/access_admin.h"
#include "../http/http_handler.h"
#include "../level/level.h"
#include "inspect_int.h"

#define ADM   (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO))
#define INSP  (ADM | ROLE_BIT(ROLE_INSPECTOR))
#define READ  (ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE))
#define SCALE (INSP | ROLE_BIT(ROLE_DEVICE))
/* the queue: who works it, and who checks that its selections were not made by hand */
#define QUEUE (INSP | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_AUTHORITY))

#define REASON_MAX    500
#define MAX_WEIGHT_KG 200000

int inspect_open(const char *rules_path, struct inspect **out, struct pg_err *err)
{
	struct inspect_rules *r = NULL;
	if (rules_path && *rules_path) {
		int rc = inspect_rules_load(rules_path, &r, err);
		if (rc < 0)
			return rc;
	} else {
		r = inspect_rules_default();
	}
	struct inspect *in = pg_calloc(1, sizeof(*in));
	in->rules = r;
	*out = in;
	return 0;
}

void inspect_close(struct inspect *in)
{
	if (!in)
		return;
	inspect_rules_free(in->rules);
	pg_free(in);
}

/* The columns of a container line as the API shows it. */
#define LINE_COLUMNS                                                                               \
	"c.id, c.manifest_id, c.line, c.number, c.size_type, c.shipper, c.consignee, "             \
	"c.notify_party, c.goods AS goods_description, c.hs_code, "                                \
	"c.declared_kg AS declared_gross_kg, c.vgm_kg, c.port_of_loading, "                        \
	"c.transshipment AS transshipment_ports_json, c.port_of_discharge, c.seals AS "            \
	"seals_json, "                                                                             \
	"c.dangerous_goods AS dangerous_goods_json, c.score, " INSPECT_HITS_SQL                    \
	" AS hits_json, c.decision, "                                                              \
	INSPECT_DRAW_SQL " AS random_draw_json, c.selected_by, "                                  \
	"CASE WHEN c.queued THEN 'true' ELSE 'false' END AS queued_json, c.level, c.scored_at"

/* ---- lists ordered by score: the cursor is "SCORE.ID" of the last row ----------------------- */

struct score_page {
	int limit;
	int64_t score, id; /* score -1: from the top */
};

static int score_page_args(struct http_req *req, struct score_page *p)
{
	int64_t l = 50;
	const char *ls = http_query(req, "limit"), *as = http_query(req, "after");
	p->score = -1;
	p->id = 0;
	if (ls && pg_parse_i64(ls, 1, 500, &l) < 0) {
		http_problem(req, 400, "bad-field", "limit",
		             "limit must be a whole number from 1 to 500");
		return PG_EINVAL;
	}
	p->limit = (int)l;
	if (!as)
		return 0;
	char a[48];
	const char *dot = strchr(as, '.');
	if (!dot || pg_snprintf(a, sizeof(a), "%.*s", (int)(dot - as), as) < 0 ||
	    pg_parse_i64(a, 0, INT64_MAX, &p->score) < 0 ||
	    pg_parse_i64(dot + 1, 0, INT64_MAX, &p->id) < 0) {
		http_problem(req, 400, "bad-field", "after",
		             "after must be the 'next' cursor of a previous page");
		return PG_EINVAL;
	}
	return 0;
}

/* {"items": rows, "next": "SCORE.ID" | null} (rows stolen). */
static json_t *score_page_wrap(json_t *rows, int limit)
{
	json_t *next = json_null();
	size_t n = json_array_size(rows);
	if (n == (size_t)limit) {
		json_t *last = json_array_get(rows, n - 1);
		next = json_sprintf("%lld.%lld",
		                    (long long)json_integer_value(json_object_get(last, "score")),
		                    (long long)json_integer_value(json_object_get(last, "id")));
	}
	return json_pack("{so so}", "items", rows, "next", next);
}

/* ---- manifests ---------------------------------------------------------------------------------
 */

struct import_ctx {
	struct inspect *in;
	struct inspect_manifest *m;
	const char *actor;
	struct inspect_import_result res;
};

static int import_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct import_ctx *c = vctx;
	return inspect_import_tx(tx, c->in->rules, c->actor, c->m, &c->res, err);
}

static void import_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct import_ctx *c = vctx;
	if (rc < 0) {
		http_error(req, rc, err);
	} else {
		const struct inspect_import_result *r = &c->res;
		http_json(
		    req, 201,
		    json_pack("{sI sI si s{sI sI sI sI} sI sI}", "id", (json_int_t)r->manifest_id,
		              "lines", (json_int_t)r->lines, "level", r->level, "decisions",
		              "release", (json_int_t)r->decisions[INSPECT_RELEASE],
		              "document_check", (json_int_t)r->decisions[INSPECT_DOCUMENT_CHECK],
		              "scan", (json_int_t)r->decisions[INSPECT_SCAN], "physical",
		              (json_int_t)r->decisions[INSPECT_PHYSICAL], "random_selected",
		              (json_int_t)r->random_selected, "queued", (json_int_t)r->queued));
		char loc[64];
		pg_snprintf(loc, sizeof(loc), "/api/v1/manifests/%lld", (long long)r->manifest_id);
		http_header(req, "Location", loc);
	}
	inspect_manifest_free(c->m);
	pg_free(c);
}

static void api_manifest_import(struct http_req *req)
{
	const char *ct =
	    MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	int csv = ct && strncasecmp(ct, "text/csv", 8) == 0;
	struct pg_err err = {0};
	struct inspect_manifest *m = NULL;
	if (req->body_buf.len == 0) {
		http_problem(req, 400, "bad-field", NULL, "the body is empty: send a manifest");
		return;
	}
	FILE *f = fmemopen(req->body_buf.p, req->body_buf.len, "r");
	if (!f) {
		http_problem(req, 500, "internal", NULL, "cannot read the body");
		return;
	}
	int rc =
	    csv ? inspect_manifest_read_csv(f, &m, &err) : inspect_manifest_read_json(f, &m, &err);
	fclose(f);
	if (rc < 0) {
		if (rc == PG_ELIMIT)
			http_problem(req, 413, "body-too-large", NULL, "%s", err.msg);
		else
			http_error(req, rc, &err);
		return;
	}
	struct import_ctx *c = pg_calloc(1, sizeof(*c));
	c->in = req->ctx;
	c->m = m;
	c->actor = req->who.name;
	http_write_async(req, import_fn, c, import_finish);
}

static void api_manifests_list(struct http_req *req)
{
	http_list(req,
	          "SELECT id, vessel_imo, vessel_name, voyage, format, containers, level, "
	          "summary AS summary_json, imported_by, imported_at FROM manifests "
	          "WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2",
	          "id");
}

struct get_ctx {
	int64_t id;
	char number[16];
	struct score_page page;
	json_t *out;
};

static int manifest_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct get_ctx *c = vctx;
	json_t *m = NULL, *rows = NULL;
	int rc = store_query_json(tx, &m, err,
	                          "SELECT id, vessel_imo, vessel_name, voyage, format, containers, "
	                          "level, summary AS summary_json, imported_by, imported_at "
	                          "FROM manifests WHERE id = ?1",
	                          "i", c->id);
	if (rc < 0)
		return rc;
	if (json_array_size(m) == 0) {
		json_decref(m);
		return pg_err_set(err, PG_ENOTFOUND, "no manifest with id %lld", (long long)c->id);
	}
	rc = store_query_json(tx, &rows, err,
	                      "SELECT " LINE_COLUMNS " FROM manifest_containers c "
	                      "WHERE c.manifest_id = ?1 AND (?2 < 0 OR c.score < ?2 OR "
	                      "(c.score = ?2 AND c.id > ?3)) ORDER BY c.score DESC, c.id LIMIT ?4",
	                      "iiii", c->id, c->page.score, c->page.id, (int64_t)c->page.limit);
	if (rc < 0) {
		json_decref(m);
		return rc;
	}
	c->out = json_incref(json_array_get(m, 0));
	json_decref(m);
	json_t *page = score_page_wrap(rows, c->page.limit);
	json_object_set(c->out, "containers", json_object_get(page, "items"));
	json_object_set(c->out, "next", json_object_get(page, "next"));
	json_decref(page);
	return 0;
}

/* Why a party, vessel or container is on the watchlist is intelligence: inspectors, the
 * PFSO, auditors and the authority read it; other roles (operators, gate officers) see only
 * that the watchlist was hit and its weight. */
#define WATCH_READERS QUEUE

static void redact_hits(json_t *lines)
{
	size_t i, k;
	json_t *line, *hit;
	json_array_foreach(lines, i, line) {
		json_array_foreach(json_object_get(line, "hits"), k, hit) {
			const char *ind = json_string_value(json_object_get(hit, "indicator"));
			if (!ind || strcmp(ind, "watchlist") != 0)
				continue;
			json_object_set_new(hit, "explanation",
			                    json_string("on the watchlist (the reason is restricted to "
			                                "inspectors, the PFSO, auditors and the authority)"));
			json_object_del(json_object_get(hit, "values"), "reason");
		}
	}
}

static void redact_watch(struct http_req *req, json_t *out)
{
	if (!out || (ROLE_BIT(req->who.role) & WATCH_READERS))
		return;
	redact_hits(json_object_get(out, "lines"));
	redact_hits(json_object_get(out, "containers"));
	redact_hits(json_object_get(out, "items"));
	json_t *w = json_object_get(out, "watchlist");
	if (json_is_object(w))
		json_object_set_new(w, "reason", json_string("restricted"));
}

static void read_answer(struct http_req *req, store_fn fn, struct get_ctx *c)
{
	struct pg_err err = {0};
	int rc = store_read(http_store(req), fn, c, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	redact_watch(req, c->out);
	http_json(req, 200, c->out);
}

static void api_manifest_get(struct http_req *req)
{
	struct get_ctx c = {0};
	if (http_param_id(req, 0, &c.id) < 0 || score_page_args(req, &c.page) < 0)
		return;
	read_answer(req, manifest_get_tx, &c);
}

/* ---- containers and the queue -------------------------------------------------------------- */

static int container_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct get_ctx *c = vctx;
	json_t *lines = NULL, *watch = NULL, *weighings = NULL;
	int rc = store_query_json(
	    tx, &lines, err,
	    "SELECT " LINE_COLUMNS ", m.vessel_imo, m.vessel_name, m.voyage, "
	    "m.imported_at FROM manifest_containers c JOIN manifests m ON "
	    "m.id = c.manifest_id WHERE c.number = ?1 ORDER BY c.id DESC LIMIT 100",
	    "t", c->number);
	if (rc == 0)
		rc =
		    store_query_json(tx, &watch, err,
		                     "SELECT id, reason, added_by, added_at FROM inspect_watchlist "
		                     "WHERE kind = 'container' AND value = ?1",
		                     "t", c->number);
	if (rc == 0)
		rc = store_query_json(
		    tx, &weighings, err,
		    "SELECT id, kg, strftime('%Y-%m-%dT%H:%M:%fZ', at_ms / 1000.0, "
		    "'unixepoch') AS at, recorded_by FROM inspect_weighings "
		    "WHERE container = ?1 ORDER BY at_ms DESC, id DESC LIMIT 20",
		    "t", c->number);
	if (rc == 0 && json_array_size(lines) == 0 && json_array_size(weighings) == 0 &&
	    json_array_size(watch) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND,
		                "container %s is on no manifest, watchlist or "
		                "weighbridge record",
		                c->number);
	if (rc == 0) {
		json_t *w = json_array_get(watch, 0);
		c->out =
		    json_pack("{ss sO so sO}", "number", c->number, "lines", lines, "watchlist",
		              w ? json_incref(w) : json_null(), "weighings", weighings);
	}
	json_decref(lines);
	json_decref(watch);
	json_decref(weighings);
	return rc;
}

static void api_container_get(struct http_req *req)
{
	struct get_ctx c = {0};
	struct inspect_container_check cc;
	inspect_container_check(req->params[0], &cc);
	if (inspect_container_normalise(req->params[0], c.number, sizeof(c.number)) !=
	        INSPECT_CONTAINER_LEN ||
	    cc.expected_check_digit < 0) {
		http_problem(req, 404, "not-found", NULL, "'%.20s' is not a container number: %s",
		             req->params[0], cc.error);
		return;
	}
	read_answer(req, container_get_tx, &c);
}

static int queue_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct get_ctx *c = vctx;
	json_t *rows = NULL;
	int rc =
	    store_query_json(tx, &rows, err,
	                     "SELECT " LINE_COLUMNS ", m.vessel_imo, m.vessel_name, m.voyage "
	                     "FROM manifest_containers c JOIN manifests m ON m.id = c.manifest_id "
	                     "WHERE c.queued = 1 AND (?1 < 0 OR c.score < ?1 OR (c.score = ?1 AND "
	                     "c.id > ?2)) ORDER BY c.score DESC, c.id LIMIT ?3",
	                     "iii", c->page.score, c->page.id, (int64_t)c->page.limit);
	if (rc == 0)
		c->out = score_page_wrap(rows, c->page.limit);
	return rc;
}

static void api_queue(struct http_req *req)
{
	struct get_ctx c = {0};
	if (score_page_args(req, &c.page) < 0)
		return;
	read_answer(req, queue_tx, &c);
}

/* ---- watchlist --------------------------------------------------------------------------------
 */

static int publish(struct store_tx *tx, const char *actor, const char *action, const char *object,
                   json_t *details, struct pg_err *err)
{
	int rc = store_audit(tx, actor, action, object, details, err);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{ss ss sO}", "action", action, "by", actor, "details", details);
	int64_t eid = store_event(tx, "inspect", ev, err);
	json_decref(ev);
	return eid < 0 ? (int)eid : 0;
}

int inspect_watchlist_add_tx(struct store_tx *tx, const char *actor, const char *kind,
                             const char *value, const char *reason, int64_t *id, struct pg_err *err)
{
	char key[256];
	struct pg_err e = {0};
	if (strcmp(kind, "party") == 0) {
		if (access_text_check(value, "value", 200, 1, &e) < 0)
			return pg_err_field(err, PG_EINVAL, "value", "%s", e.msg);
		inspect_name_key(value, key);
	} else if (strcmp(kind, "vessel") == 0) {
		if (inspect_imo_normalise(value, key, &e) < 0)
			return pg_err_field(err, PG_EINVAL, "value", "value: %s", e.msg);
	} else if (strcmp(kind, "container") == 0) {
		struct inspect_container_check cc;
		inspect_container_check(value, &cc);
		if (!cc.valid)
			return pg_err_field(err, PG_EINVAL, "value",
			                    "value: '%.20s' is not a valid "
			                    "container number: %s",
			                    value, cc.error);
		pg_strlcpy(key, cc.number, sizeof(key));
	} else {
		return pg_err_field(err, PG_EINVAL, "kind",
		                    "kind must be party, vessel or container");
	}
	if (access_text_check(reason, "reason", REASON_MAX, 1, &e) < 0)
		return pg_err_field(err, PG_EINVAL, "reason", "%s", e.msg);
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	int rc =
	    store_exec(tx, err,
	               "INSERT INTO inspect_watchlist(kind, value, reason, added_by, added_at) "
	               "VALUES (?1, ?2, ?3, ?4, ?5)",
	               "ttttt", kind, key, reason, actor, now);
	if (rc == PG_ECONFLICT)
		return pg_err_field(err, PG_ECONFLICT, "value", "%s %s is on the watchlist already",
		                    kind, key);
	if (rc < 0)
		return rc;
	int64_t wid = store_last_id(tx);
	json_t *details = json_pack("{sI ss ss ss}", "id", (json_int_t)wid, "kind", kind, "value",
	                            key, "reason", reason);
	char object[300];
	pg_snprintf(object, sizeof(object), "watchlist %s %s", kind, key);
	rc = publish(tx, actor, "watchlist.add", object, details, err);
	json_decref(details);
	if (rc == 0)
		*id = wid;
	return rc;
}

struct watch_ctx {
	const char *actor, *kind, *value, *reason;
	int64_t id;
	json_t *out;
};

static int watch_row(struct store_tx *tx, struct watch_ctx *c, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
	                          "SELECT id, kind, value, reason, added_by, added_at FROM "
	                          "inspect_watchlist WHERE id = ?1",
	                          "i", c->id);
	if (rc == 0 && json_array_size(rows) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "no watchlist entry with id %lld",
		                (long long)c->id);
	if (rc == 0)
		c->out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

static int watch_add_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct watch_ctx *c = vctx;
	int rc = inspect_watchlist_add_tx(tx, c->actor, c->kind, c->value, c->reason, &c->id, err);
	return rc < 0 ? rc : watch_row(tx, c, err);
}

static int watch_delete_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct watch_ctx *c = vctx;
	int rc = watch_row(tx, c, err);
	if (rc < 0)
		return rc;
	rc = store_exec(tx, err, "DELETE FROM inspect_watchlist WHERE id = ?1", "i", c->id);
	char object[300];
	pg_snprintf(object, sizeof(object), "watchlist %s %s",
	            json_string_value(json_object_get(c->out, "kind")),
	            json_string_value(json_object_get(c->out, "value")));
	return rc < 0 ? rc : publish(tx, c->actor, "watchlist.remove", object, c->out, err);
}

static void watch_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct watch_ctx *c = vctx;
	if (rc < 0)
		http_error(req, rc, err);
	else if (strcmp(req->method, "DELETE") == 0)
		http_json(req, 204, NULL);
	else
		http_json(req, 201, json_incref(c->out));
	json_decref(c->out);
	pg_free(c);
}

static void api_watch_add(struct http_req *req)
{
	struct watch_ctx *c = pg_calloc(1, sizeof(*c));
	c->actor = req->who.name;
	c->kind = json_string_value(json_object_get(req->body, "kind"));
	c->value = json_string_value(json_object_get(req->body, "value"));
	c->reason = json_string_value(json_object_get(req->body, "reason"));
	http_write_async(req, watch_add_fn, c, watch_finish);
}

static void api_watch_delete(struct http_req *req)
{
	int64_t id;
	if (http_param_id(req, 0, &id) < 0)
		return;
	struct watch_ctx *c = pg_calloc(1, sizeof(*c));
	c->actor = req->who.name;
	c->id = id;
	http_write_async(req, watch_delete_fn, c, watch_finish);
}

static void api_watch_list(struct http_req *req)
{
	http_list(req,
	          "SELECT id, kind, value, reason, added_by, added_at FROM inspect_watchlist "
	          "WHERE (?1 = 0 OR id > ?1) ORDER BY id LIMIT ?2",
	          "id");
}

/* ---- weighbridge ------------------------------------------------------------------------------
 */

/* The line's hits without those of the weighbridge rules (a newer reading replaces them):
 * appended to b without the closing ']'; returns their weight. */
static int hits_without_weighbridge(const char *hits, struct pg_buf *b, int *first)
{
	json_t *a = json_loads(hits, 0, NULL);
	size_t i;
	json_t *h;
	int removed = 0;
	pg_buf_puts(b, "[");
	json_array_foreach(a, i, h)
	{
		const char *ind = json_string_value(json_object_get(h, "indicator"));
		if (ind && strcmp(ind, "mass_weighbridge") == 0) {
			removed += (int)json_integer_value(json_object_get(h, "weight"));
			continue;
		}
		char *text = json_dumps(h, JSON_COMPACT);
		pg_buf_printf(b, "%s%s", *first ? "" : ",", text);
		pg_free(text);
		*first = 0;
	}
	json_decref(a);
	return removed;
}

int inspect_weighbridge_tx(struct store_tx *tx, const struct inspect_rules *r, const char *actor,
                           const char *container, int64_t kg, int64_t *rescored, struct pg_err *err)
{
	struct inspect_container_check cc;
	inspect_container_check(container, &cc);
	if (!cc.valid)
		return pg_err_field(err, PG_EINVAL, "container",
		                    "container: '%.20s' is not a valid container number: %s",
		                    container, cc.error);
	if (kg < 1 || kg > MAX_WEIGHT_KG)
		return pg_err_field(err, PG_EINVAL, "kg", "kg must be from 1 to %d", MAX_WEIGHT_KG);
	int64_t now = pg_now_ms(), line = 0;
	int rc =
	    store_exec(tx, err,
	               "INSERT INTO inspect_weighings(container, kg, at_ms, recorded_by) VALUES "
	               "(?1, ?2, ?3, ?4)",
	               "tiit", cc.number, kg, now, actor);
	if (rc < 0)
		return rc;
	int64_t wid = store_last_id(tx);
	struct store_rows *q = NULL;
	rc = store_query(tx, &q, err,
	                 "SELECT c.id, c.declared_kg, c.score, " INSPECT_HITS_SQL ", c.queued FROM "
	                 "manifest_containers c WHERE c.number = ?1 ORDER BY c.id DESC LIMIT 1",
	                 "t", cc.number);
	if (rc < 0)
		return rc;
	json_t *details = json_pack("{sI ss sI sn}", "id", (json_int_t)wid, "container", cc.number,
	                            "kg", (json_int_t)kg, "rescored");
	if ((rc = store_next(q)) == 1) {
		struct pg_buf hits;
		pg_buf_init(&hits, 1 << 20);
		int first = 1, level = 1;
		line = store_int(q, 0);
		int64_t declared = store_int(q, 1), queued = store_int(q, 4);
		int score = (int)store_int(q, 2) -
		            hits_without_weighbridge(store_text(q, 3), &hits, &first);
		score += inspect_score_weighbridge(r, declared, kg, &hits, &first);
		pg_buf_puts(&hits, "]");
		rc = level_current(tx, &level, err);
		enum inspect_decision d = inspect_decide(r, level, score);
		char at[PG_TIME_LEN];
		pg_time_format(now, at);
		/* a selection is never withdrawn here; a higher risk can add one */
		if (rc == 0)
			rc = store_exec(tx, err,
			                "UPDATE manifest_containers SET score = ?1, hits = ?2, "
			                "decision = ?3, level = ?4, scored_at = ?5, selected_by = "
			                "CASE WHEN ?6 AND selected_by IS NULL THEN 'risk' ELSE "
			                "selected_by END, queued = CASE WHEN ?6 AND selected_by IS "
			                "NULL THEN 1 ELSE queued END WHERE id = ?7",
			                "ittitii", (int64_t)score, hits.p, inspect_decision_name(d),
			                (int64_t)level, at, (int64_t)(d >= INSPECT_SCAN && !queued),
			                line);
		json_object_set_new(details, "rescored",
		                    json_pack("{sI si ss}", "line_id", (json_int_t)line, "score",
		                              score, "decision", inspect_decision_name(d)));
		pg_buf_release(&hits);
	} else if (rc < 0) {
		rc = pg_err_set(err, PG_EIO, "store: reading manifest lines failed");
	}
	store_rows_free(q);
	char object[64];
	pg_snprintf(object, sizeof(object), "container %s", cc.number);
	if (rc >= 0)
		rc = publish(tx, actor, "weighbridge.reading", object, details, err);
	json_decref(details);
	if (rc == 0 && rescored)
		*rescored = line;
	return rc;
}

struct weigh_ctx {
	struct inspect *in;
	const char *actor, *container;
	int64_t kg, line;
	json_t *out;
};

static int weigh_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct weigh_ctx *c = vctx;
	int rc =
	    inspect_weighbridge_tx(tx, c->in->rules, c->actor, c->container, c->kg, &c->line, err);
	if (rc < 0)
		return rc;
	json_t *rows = NULL;
	/* the reading just written: the newest (the writer runs one transaction at a time) */
	rc = store_query_json(tx, &rows, err,
	                      "SELECT id, container, kg, strftime('%Y-%m-%dT%H:%M:%fZ', at_ms / "
	                      "1000.0, 'unixepoch') AS at, recorded_by FROM inspect_weighings "
	                      "ORDER BY id DESC LIMIT 1",
	                      "");
	if (rc < 0)
		return rc;
	c->out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_t *line = NULL;
	if (c->line) {
		rc = store_query_json(tx, &line, err,
		                      "SELECT " LINE_COLUMNS
		                      " FROM manifest_containers c WHERE c.id = ?1",
		                      "i", c->line);
		if (rc < 0)
			return rc;
	}
	json_object_set_new(c->out, "line",
	                    line ? json_incref(json_array_get(line, 0)) : json_null());
	json_decref(line);
	return 0;
}

static void weigh_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct weigh_ctx *c = vctx;
	if (rc < 0)
		http_error(req, rc, err);
	else
		http_json(req, 201, json_incref(c->out));
	json_decref(c->out);
	pg_free(c);
}

static void api_weighbridge(struct http_req *req)
{
	struct weigh_ctx *c = pg_calloc(1, sizeof(*c));
	c->in = req->ctx;
	c->actor = req->who.name;
	c->container = json_string_value(json_object_get(req->body, "container"));
	c->kg = json_integer_value(json_object_get(req->body, "kg"));
	http_write_async(req, weigh_fn, c, weigh_finish);
}

static void api_rules(struct http_req *req)
{
	struct inspect *in = req->ctx;
	http_json(req, 200, inspect_rules_json(in->rules));
}

/* ---- the table --------------------------------------------------------------------------------
 */

static const struct http_field watch_body[] = {
    {"kind", F_STRING, 1, 16, "party, vessel or container"},
    {"value", F_STRING, 1, 200,
     "the party's name, the vessel's IMO number or the container number"},
    {"reason", F_STRING, 1, REASON_MAX, "why it is listed (shown with every hit)"},
    {NULL},
};

static const struct http_field weigh_body[] = {
    {"container", F_STRING, 1, 20, "ISO 6346 container number"},
    {"kg", F_INT, 1, 0, "the gross mass read, kilograms"},
    {NULL},
};

static const struct http_route routes[] = {
    {"POST", "/api/v1/manifests", INSP, api_manifest_import,
     "Import a manifest (JSON, or CSV as text/csv): every line scored, or nothing written", NULL,
     201, "{id, lines, level, decisions, random_selected, queued}", NULL,
     .raw_types = "application/json,text/csv"},
    {"GET", "/api/v1/manifests", READ, api_manifests_list, "Manifests, newest first", NULL, 200,
     "{items, next}", "limit,after"},
    {"GET", "/api/v1/manifests/{id}", READ, api_manifest_get,
     "A manifest with its container lines, highest score first (paged)", NULL, 200,
     "manifest with containers and next", "limit,after"},
    {"GET", "/api/v1/containers/{number}", READ, api_container_get,
     "Every manifest line of a container (score, hits, decision, draw), its watchlist entry "
     "and weighings",
     NULL, 200, "{number, lines, watchlist, weighings}", NULL},
    {"GET", "/api/v1/inspections/queue", QUEUE, api_queue,
     "Container lines selected (risk or random) and not yet inspected, highest score first", NULL,
     200, "{items, next}", "limit,after"},
    {"GET", "/api/v1/watchlist", INSP, api_watch_list, "Watchlist entries", NULL, 200,
     "{items, next}", "limit,after"},
    {"POST", "/api/v1/watchlist", ADM, api_watch_add, "List a party, vessel or container",
     watch_body, 201, "entry", NULL},
    {"DELETE", "/api/v1/watchlist/{id}", ADM, api_watch_delete, "Remove a watchlist entry", NULL,
     204, NULL, NULL},
    {"POST", "/api/v1/weighbridge", SCALE, api_weighbridge,
     "Record a weighbridge reading; re-scores the container's newest manifest line", weigh_body,
     201, "{id, container, kg, at, recorded_by, line}", NULL},
    {"GET", "/api/v1/risk-rules", READ, api_rules, "The risk rules in effect", NULL, 200,
     "{rules, levels, vague_descriptions, high_risk, un_classes, hs_keywords}", NULL},
};

int inspect_register_routes(struct inspect *in)
{
	int rc = http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), in);
	return rc < 0 ? rc : inspect_inspection_register_routes(in);
}
