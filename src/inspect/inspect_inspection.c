/* inspect_inspection.c - inspections: the state machine, findings, seal checks, evidence
 * files, the ISPS B/16 checklists, the chain of custody and the statistics, with their
 * routes.
 *
 * The transitions and the checklists are tables of data. Every change is audited with
 * object "inspection ID" (GET .../history reads those rows back, oldest first) and
 * published on topic "inspect". */
#include <sodium.h>
#include <string.h>

#include "../access/access_admin.h"
#include "../http/http_handler.h"
#include "../level/level.h"
#include "inspect_int.h"

#define R(x)  ROLE_BIT(ROLE_##x)
#define WRITE (R(ADMIN) | R(PFSO) | R(INSPECTOR))
#define READ  (WRITE | R(AUDITOR) | R(AUTHORITY))

#define SUBJECT_MAX 200
#define TEXT_MAX    2000
#define SEAL_MAX    40
#define QTY_MAX     100
#define NOTE_MAX    500
#define FNAME_MAX   200
#define CHECK_MAX   16 /* items of one checklist */

/* ---- tables ------------------------------------------------------------------------------ */

static const char *const kinds[] = {"container", "vehicle", "vessel", "person",
                                    "baggage",   "stores",  NULL};
static const char *const reasons[] = {"risk", "random", "intelligence", "level", "authority", NULL};
static const char *const states[] = {"selected", "scanning", "scanned", "examining",
                                     "cleared",  "held",     "seized",  NULL};
static const char *const scan_results[] = {"clear", "anomaly", "inconclusive", NULL};
static const char *const categories[] = {"narcotics", "weapons",       "explosives", "currency",
                                         "stowaway",  "undeclared_dg", "other",      NULL};
static const char *const seal_results[] = {"intact", "broken", "replaced", NULL};

/* The allowed transitions. A hold is not final: the goods are released or seized. */
static const struct {
	const char *from, *to;
} transitions[] = {
    {"selected", "scanning"}, {"selected", "examining"}, {"scanning", "scanned"},
    {"scanned", "examining"}, {"scanned", "cleared"},    {"examining", "cleared"},
    {"examining", "held"},    {"examining", "seized"},   {"held", "cleared"},
    {"held", "seized"},
};
#define N_TRANSITIONS (int)(sizeof(transitions) / sizeof(transitions[0]))

/* The checklists (ISPS B/16.30-16.48 and the access searches of B/16.17-16.20): the items
 * of a kind at the levels lo..hi, in the order they are shown. */
static const struct inspect_check_item checklist[] = {
    {"container", 1, 3, "documents_match", "Cargo matches its documents (manifest, bill of lading)",
     1},
    {"container", 1, 3, "seal_check", "Seals checked against the manifest", 1},
    {"container", 1, 3, "scan", "Non-intrusive scan (X-ray) image reviewed", 1},
    {"container", 2, 3, "seal_detail", "Detailed seal check: doors, hinges and locking bars", 1},
    {"container", 2, 3, "documented_only", "Verified that only documented cargo enters", 1},
    {"container", 3, 3, "dg_inventory", "Dangerous goods inventory and location verified", 1},
    {"vehicle", 1, 3, "driver_identity", "Driver identity and reason for entry confirmed", 1},
    {"vehicle", 1, 3, "cab", "Cab searched", 1},
    {"vehicle", 1, 3, "load_area", "Load area searched", 1},
    {"vehicle", 2, 3, "underside", "Underside inspected (mirror or pit)", 1},
    {"vehicle", 2, 3, "engine_fuel", "Engine compartment and fuel tank area searched", 1},
    {"vehicle", 2, 3, "trailer_seal", "Trailer seal checked", 1},
    {"vehicle", 3, 3, "movement_authorised", "Vehicle movement authorised under level 3", 1},
    {"vessel", 1, 3, "documents", "Ship's documents and Declaration of Security checked", 1},
    {"vessel", 1, 3, "spaces", "Cargo and stores spaces searched", 1},
    {"vessel", 2, 3, "waterside", "Waterside and hull inspected", 1},
    {"person", 1, 3, "identity", "Identity established", 1},
    {"person", 1, 3, "search", "Person and personal effects searched", 1},
    {"person", 2, 3, "justification", "Reason for entry verified", 1},
    {"baggage", 1, 1, "screen", "Screened (X-ray or search)", 1},
    {"baggage", 2, 2, "xray_100", "X-ray screened (100% at level 2)", 1},
    {"baggage", 3, 3, "xray_two_angles", "X-ray screened from two angles", 1},
    {"baggage", 1, 3, "tag_match", "Tag matched to a passenger or consignment", 1},
    {"stores", 1, 3, "advance_notice", "Advance notice of load, driver and vehicle on file", 1},
    {"stores", 1, 3, "match_order", "Stores match the order", 1},
    {"stores", 1, 1, "vehicle_search", "Delivery vehicle searched (at the planned rate)", 0},
    {"stores", 2, 3, "vehicle_search", "Delivery vehicle searched", 1},
    {"stores", 2, 3, "detailed_check", "Detailed check of the stores", 1},
    {"stores", 3, 3, "delivery_authorised", "Delivery authorised under level 3 restrictions", 1},
};
#define N_CHECKLIST (int)(sizeof(checklist) / sizeof(checklist[0]))

const char *inspect_state_name(int state)
{
	return state >= 0 && state < INSPECT_N_STATES ? states[state] : NULL;
}

int inspect_state_index(const char *name)
{
	return name ? access_name_index(name, states) : -1;
}

int inspect_transition_allowed(const char *from, const char *to)
{
	if (!from || !to)
		return 0;
	for (int i = 0; i < N_TRANSITIONS; i++)
		if (strcmp(transitions[i].from, from) == 0 && strcmp(transitions[i].to, to) == 0)
			return 1;
	return 0;
}

int inspect_state_is_outcome(const char *name)
{
	return name && (strcmp(name, "cleared") == 0 || strcmp(name, "held") == 0 ||
	                strcmp(name, "seized") == 0);
}

int inspect_state_is_final(const char *name)
{
	return name && (strcmp(name, "cleared") == 0 || strcmp(name, "seized") == 0);
}

int inspect_checklist_for(const char *kind, int level, const struct inspect_check_item **out,
                          int max)
{
	int n = 0;
	for (int i = 0; i < N_CHECKLIST && n < max; i++)
		if (strcmp(checklist[i].kind, kind) == 0 && level >= checklist[i].lo &&
		    level <= checklist[i].hi)
			out[n++] = &checklist[i];
	return n;
}

void inspect_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	pg_hex(h, sizeof(h), out);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* access_text_check that takes NULL for "not given". */
static int text_ok(const char *s, const char *field, size_t max, int required, struct pg_err *err)
{
	if (!s)
		return required ? pg_err_field(err, PG_EINVAL, field, "%s is required", field) : 0;
	return access_text_check(s, field, max, required, err);
}

static int name_ok(const char *s, const char *const *names, const char *field, const char *list,
                   struct pg_err *err)
{
	if (!s || access_name_index(s, names) < 0)
		return pg_err_field(err, PG_EINVAL, field, "%s must be one of %s", field, list);
	return 0;
}

/* Audits the change with object "inspection ID", marks the inspection updated and
 * publishes {action, id, by, details} on topic "inspect". */
static int record(struct store_tx *tx, const char *actor, const char *action, int64_t id,
                  json_t *details, struct pg_err *err)
{
	char object[40], now[PG_TIME_LEN];
	pg_snprintf(object, sizeof(object), "inspection %lld", (long long)id);
	pg_time_format(pg_now_ms(), now);
	int rc = store_exec(tx, err,
	                    "UPDATE inspections SET updated_by = ?1, updated_at = ?2 "
	                    "WHERE id = ?3",
	                    "tti", actor, now, id);
	if (rc == 0)
		rc = store_audit(tx, actor, action, object, details, err);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{ss sI ss sO}", "action", action, "id", (json_int_t)id, "by", actor,
	                       "details", details);
	int64_t eid = store_event(tx, "inspect", ev, err);
	json_decref(ev);
	return eid < 0 ? (int)eid : 0;
}

/* The inspection's state into state[16]; PG_ENOTFOUND; with changing set, PG_ECONFLICT
 * when it is final. */
static int load_state(struct store_tx *tx, int64_t id, int changing, char state[16],
                      struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT state FROM inspections WHERE id = ?1", "i", id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1)
		pg_strlcpy(state, store_text(r, 0), 16);
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading the inspection failed");
	if (rc == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no inspection with id %lld", (long long)id);
	if (changing && inspect_state_is_final(state))
		return pg_err_set(err, PG_ECONFLICT,
		                  "inspection %lld is %s: it can no longer change", (long long)id,
		                  state);
	return 0;
}

/* The first row of a query as a new object; PG_ENOTFOUND with what when there is none. */
static int one_row(struct store_tx *tx, json_t **out, struct pg_err *err, const char *what,
                   const char *sql, int64_t a, int64_t b)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err, sql, "ii", a, b);
	if (rc < 0)
		return rc;
	if (json_array_size(rows) == 0)
		rc = pg_err_set(err, PG_ENOTFOUND, "%s", what);
	else
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

#define INSPECTION_COLUMNS                                                                         \
	"id, kind, subject, manifest_container_id, reason, state, scan_result, verdict, notes, "   \
	"level, created_by, created_at, updated_by, updated_at"
#define FINDING_SQL                                                                                \
	"SELECT id, inspection_id, category, description, quantity, recorded_by, recorded_at "     \
	"FROM inspection_findings"
#define SEAL_SQL                                                                                   \
	"SELECT id, inspection_id, seal_number, result, new_number, checked_by, checked_at "       \
	"FROM inspection_seals"
#define EVIDENCE_SQL                                                                               \
	"SELECT id, inspection_id, filename, content_type, size, sha256, uploaded_by, "            \
	"uploaded_at FROM inspection_evidence"
#define CHECK_SQL                                                                                  \
	"SELECT n, code, text, CASE WHEN required THEN 'true' ELSE 'false' END AS required_json, " \
	"CASE WHEN done THEN 'true' ELSE 'false' END AS done_json, done_by, done_at, note "        \
	"FROM inspection_checklist"

int inspect_inspection_load(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	json_t *in = NULL;
	char what[64];
	pg_snprintf(what, sizeof(what), "no inspection with id %lld", (long long)id);
	int rc = one_row(tx, &in, err, what,
	                 "SELECT " INSPECTION_COLUMNS " FROM inspections WHERE id = ?1 AND ?2 = 0",
	                 id, 0);
	if (rc < 0)
		return rc;
	static const struct {
		const char *key, *sql;
	} parts[] = {
	    {"findings", FINDING_SQL " WHERE inspection_id = ?1 ORDER BY id"},
	    {"seals", SEAL_SQL " WHERE inspection_id = ?1 ORDER BY id"},
	    {"evidence", EVIDENCE_SQL " WHERE inspection_id = ?1 ORDER BY id"},
	    {"checklist", CHECK_SQL " WHERE inspection_id = ?1 ORDER BY n"},
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && rc == 0; i++) {
		json_t *rows = NULL;
		rc = store_query_json(tx, &rows, err, parts[i].sql, "i", id);
		if (rc == 0)
			json_object_set_new(in, parts[i].key, rows);
	}
	if (rc < 0) {
		json_decref(in);
		return rc;
	}
	*out = in;
	return 0;
}

/* ---- changes ------------------------------------------------------------------------------ */

/* Fills the subject, kind and reason of an inspection of a manifest line (which must be a
 * container line without an open inspection). */
static int from_line(struct store_tx *tx, const struct inspect_new *n, char subject[16],
                     char reason[16], struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT number, selected_by, (SELECT count(*) FROM inspections i "
	                     "WHERE i.manifest_container_id = c.id AND i.state NOT IN "
	                     "('cleared', 'seized')) FROM manifest_containers c WHERE c.id = ?1",
	                     "i", n->manifest_container_id);
	if (rc < 0)
		return rc;
	int64_t open = 0;
	rc = store_next(r);
	if (rc == 1) {
		pg_strlcpy(subject, store_text(r, 0), 16);
		pg_strlcpy(reason, store_is_null(r, 1) ? "" : store_text(r, 1), 16);
		open = store_int(r, 2);
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading the manifest line failed");
	if (rc == 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, "manifest_container_id",
		                    "no manifest line with id %lld",
		                    (long long)n->manifest_container_id);
	if (strcmp(n->kind, "container") != 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, "kind",
		                    "a manifest line is inspected as kind container");
	if (open)
		return pg_err_field(err, PG_ECONFLICT, "manifest_container_id",
		                    "manifest line %lld already has an open inspection",
		                    (long long)n->manifest_container_id);
	return 0;
}

int inspect_inspection_create_tx(struct store_tx *tx, const char *actor,
                                 const struct inspect_new *n, int64_t *id, struct pg_err *err)
{
	char line_subject[16] = "", line_reason[16] = "", subject[SUBJECT_MAX + 1];
	int rc = name_ok(n->kind, kinds, "kind",
	                 "container, vehicle, vessel, person, baggage, stores", err);
	if (rc == 0 && n->manifest_container_id)
		rc = from_line(tx, n, line_subject, line_reason, err);
	if (rc < 0)
		return rc;
	const char *reason = n->reason ? n->reason : *line_reason ? line_reason : NULL;
	if ((rc = name_ok(reason, reasons, "reason", "risk, random, intelligence, level, authority",
	                  err)) < 0)
		return rc;
	const char *s = n->subject ? n->subject : *line_subject ? line_subject : NULL;
	if (strcmp(n->kind, "container") == 0) {
		struct inspect_container_check cc;
		if (!s)
			return pg_err_field(err, PG_EINVAL, "subject", "subject is required");
		inspect_container_check(s, &cc);
		if (!cc.valid)
			return pg_err_field(err, PG_EINVAL, "subject",
			                    "subject: '%.20s' is not a valid container number: %s",
			                    s, cc.error);
		if (*line_subject && strcmp(cc.number, line_subject) != 0)
			return pg_err_field(
			    err, PG_EUNPROCESSABLE, "subject",
			    "subject %s is not the container of manifest line %lld (%s)", cc.number,
			    (long long)n->manifest_container_id, line_subject);
		pg_strlcpy(subject, cc.number, sizeof(subject));
	} else {
		if ((rc = text_ok(s, "subject", SUBJECT_MAX, 1, err)) < 0)
			return rc;
		pg_strlcpy(subject, s, sizeof(subject));
	}
	if ((rc = text_ok(n->notes, "notes", TEXT_MAX, 0, err)) < 0)
		return rc;
	int level = 1;
	if ((rc = level_current(tx, &level, err)) < 0)
		return rc;
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(
	    tx, err,
	    "INSERT INTO inspections(kind, subject, manifest_container_id, reason, state, "
	    "notes, level, created_by, created_at, updated_by, updated_at) VALUES (?1, "
	    "?2, nullif(?3, 0), ?4, 'selected', ?5, ?6, ?7, ?8, ?7, ?8)",
	    "ttittitt", n->kind, subject, n->manifest_container_id, reason, n->notes,
	    (int64_t)level, actor, now);
	if (rc < 0)
		return rc;
	int64_t iid = store_last_id(tx);
	const struct inspect_check_item *items[CHECK_MAX];
	int nitems = inspect_checklist_for(n->kind, level, items, CHECK_MAX);
	for (int i = 0; i < nitems && rc == 0; i++)
		rc = store_exec(tx, err,
		                "INSERT INTO inspection_checklist(inspection_id, n, code, text, "
		                "required) VALUES (?1, ?2, ?3, ?4, ?5)",
		                "iitti", iid, (int64_t)(i + 1), items[i]->code, items[i]->text,
		                (int64_t)items[i]->required);
	if (rc == 0 && n->manifest_container_id)
		rc = store_exec(tx, err, "UPDATE manifest_containers SET queued = 0 WHERE id = ?1",
		                "i", n->manifest_container_id);
	if (rc < 0)
		return rc;
	json_t *details = json_pack("{ss ss ss si si}", "kind", n->kind, "subject", subject,
	                            "reason", reason, "level", level, "checklist_items", nitems);
	json_object_set_new(details, "manifest_container_id",
	                    n->manifest_container_id ? json_integer(n->manifest_container_id)
	                                             : json_null());
	rc = record(tx, actor, "inspection.create", iid, details, err);
	json_decref(details);
	if (rc == 0)
		*id = iid;
	return rc;
}

/* Appends the open required items of inspection id as "N code, ..." to b; returns how
 * many there are (or < 0). */
static int open_required(struct store_tx *tx, int64_t id, struct pg_buf *b, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT n, code FROM inspection_checklist WHERE inspection_id = ?1 "
	                     "AND required AND NOT done ORDER BY n",
	                     "i", id);
	if (rc < 0)
		return rc;
	int count = 0;
	while ((rc = store_next(r)) == 1)
		pg_buf_printf(b, "%s%lld %s", count++ ? ", " : "", (long long)store_int(r, 0),
		              store_text(r, 1));
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading the checklist failed") : count;
}

int inspect_inspection_state_tx(struct store_tx *tx, const char *actor, int64_t id, const char *to,
                                const char *verdict, const char *scan_result, struct pg_err *err)
{
	char from[16];
	int rc = load_state(tx, id, 1, from, err);
	if (rc == 0)
		rc = name_ok(to, states, "state",
		             "selected, scanning, scanned, examining, cleared, held, seized", err);
	if (rc == 0 && scan_result)
		rc = name_ok(scan_result, scan_results, "scan_result",
		             "clear, anomaly, inconclusive", err);
	if (rc == 0)
		rc = text_ok(verdict, "verdict", TEXT_MAX, 0, err);
	if (rc < 0)
		return rc;
	if (!inspect_transition_allowed(from, to))
		return pg_err_field(err, PG_ECONFLICT, "state",
		                    "inspection %lld cannot go from %s to %s", (long long)id, from,
		                    to);
	if (strcmp(to, "scanned") == 0 && !scan_result)
		return pg_err_field(err, PG_EUNPROCESSABLE, "scan_result",
		                    "a scan_result is required to reach scanned");
	if (inspect_state_is_outcome(to)) {
		if (!verdict || !*verdict)
			return pg_err_field(err, PG_EUNPROCESSABLE, "verdict",
			                    "a verdict is required to reach %s", to);
		struct pg_buf open;
		pg_buf_init(&open, 4096);
		rc = open_required(tx, id, &open, err);
		if (rc > 0)
			rc = pg_err_field(
			    err, PG_ECONFLICT, "checklist",
			    "inspection %lld cannot be %s: required checklist items are "
			    "open: %s",
			    (long long)id, to, open.p);
		pg_buf_release(&open);
		if (rc < 0)
			return rc;
	}
	rc = store_exec(
	    tx, err,
	    "UPDATE inspections SET state = ?1, scan_result = coalesce(?2, scan_result), "
	    "verdict = coalesce(?3, verdict) WHERE id = ?4",
	    "ttti", to, scan_result, verdict, id);
	if (rc < 0)
		return rc;
	json_t *details = json_pack("{ss ss}", "from", from, "to", to);
	if (scan_result)
		json_object_set_new(details, "scan_result", json_string(scan_result));
	if (verdict)
		json_object_set_new(details, "verdict", json_string(verdict));
	rc = record(tx, actor, "inspection.state", id, details, err);
	json_decref(details);
	return rc;
}

int inspect_checklist_tick_tx(struct store_tx *tx, const char *actor, int64_t id, int64_t n,
                              int done, const char *note, struct pg_err *err)
{
	char state[16], now[PG_TIME_LEN];
	int rc = load_state(tx, id, 1, state, err);
	if (rc == 0)
		rc = text_ok(note, "note", NOTE_MAX, 0, err);
	if (rc < 0)
		return rc;
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(tx, err,
	                "UPDATE inspection_checklist SET done = ?1, done_by = CASE WHEN ?1 THEN ?2 "
	                "END, done_at = CASE WHEN ?1 THEN ?3 END, note = coalesce(?4, note) "
	                "WHERE inspection_id = ?5 AND n = ?6",
	                "ittiii", (int64_t)(done != 0), actor, now, note, id, n);
	if (rc < 0)
		return rc;
	if (store_changes(tx) == 0)
		return pg_err_set(err, PG_ENOTFOUND, "inspection %lld has no checklist item %lld",
		                  (long long)id, (long long)n);
	json_t *details = json_pack("{sI sb}", "n", (json_int_t)n, "done", done != 0);
	if (note)
		json_object_set_new(details, "note", json_string(note));
	rc = record(tx, actor, "inspection.checklist", id, details, err);
	json_decref(details);
	return rc;
}

/* ---- routes -------------------------------------------------------------------------------- */

enum op { OP_CREATE, OP_STATE, OP_FINDING, OP_SEAL, OP_EVIDENCE, OP_TICK };

struct op_ctx {
	enum op op;
	const char *actor;
	int64_t id, n;
	json_t *body;
	struct inspect_new nw;
	/* evidence */
	const char *filename;
	char content_type[40], sha256[65];
	size_t size;
	char *b64;
	json_t *out;
};

static const char *body_str(const json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

static int finding_tx(struct store_tx *tx, struct op_ctx *c, int64_t *row, struct pg_err *err)
{
	const char *cat = body_str(c->body, "category"), *desc = body_str(c->body, "description");
	const char *qty = body_str(c->body, "quantity");
	int rc = name_ok(cat, categories, "category",
	                 "narcotics, weapons, explosives, currency, stowaway, undeclared_dg, other",
	                 err);
	if (rc == 0)
		rc = text_ok(desc, "description", TEXT_MAX, 1, err);
	if (rc == 0)
		rc = text_ok(qty, "quantity", QTY_MAX, 0, err);
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO inspection_findings(inspection_id, category, "
		    "description, quantity, recorded_by, recorded_at) VALUES (?1, ?2, ?3, "
		    "?4, ?5, ?6)",
		    "ittttt", c->id, cat, desc, qty, c->actor, now);
	if (rc < 0)
		return rc;
	*row = store_last_id(tx);
	json_t *d = json_pack("{sI ss ss}", "finding_id", (json_int_t)*row, "category", cat,
	                      "description", desc);
	if (qty)
		json_object_set_new(d, "quantity", json_string(qty));
	rc = record(tx, c->actor, "inspection.finding", c->id, d, err);
	json_decref(d);
	return rc;
}

static int seal_tx(struct store_tx *tx, struct op_ctx *c, int64_t *row, struct pg_err *err)
{
	const char *num = body_str(c->body, "seal_number"), *res = body_str(c->body, "result");
	const char *nn = body_str(c->body, "new_number");
	int rc = text_ok(num, "seal_number", SEAL_MAX, 1, err);
	if (rc == 0)
		rc = name_ok(res, seal_results, "result", "intact, broken, replaced", err);
	if (rc == 0)
		rc = text_ok(nn, "new_number", SEAL_MAX, 0, err);
	if (rc < 0)
		return rc;
	int replaced = strcmp(res, "replaced") == 0;
	if (replaced && (!nn || !*nn))
		return pg_err_field(err, PG_EUNPROCESSABLE, "new_number",
		                    "a replaced seal needs its new_number");
	if (!replaced && nn)
		return pg_err_field(err, PG_EUNPROCESSABLE, "new_number",
		                    "new_number is only for a replaced seal");
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	rc = store_exec(
	    tx, err,
	    "INSERT INTO inspection_seals(inspection_id, seal_number, result, new_number, "
	    "checked_by, checked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    "ittttt", c->id, num, res, nn, c->actor, now);
	if (rc < 0)
		return rc;
	*row = store_last_id(tx);
	json_t *d = json_pack("{sI ss ss}", "seal_check_id", (json_int_t)*row, "seal_number", num,
	                      "result", res);
	if (nn)
		json_object_set_new(d, "new_number", json_string(nn));
	rc = record(tx, c->actor, "inspection.seal", c->id, d, err);
	json_decref(d);
	return rc;
}

static int evidence_tx(struct store_tx *tx, struct op_ctx *c, int64_t *row, struct pg_err *err)
{
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	int rc =
	    store_exec(tx, err,
	               "INSERT INTO inspection_evidence(inspection_id, filename, content_type, "
	               "size, sha256, data, uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, "
	               "?5, ?6, ?7, ?8)",
	               "ittitttt", c->id, c->filename, c->content_type, (int64_t)c->size, c->sha256,
	               c->b64, c->actor, now);
	if (rc < 0)
		return rc;
	*row = store_last_id(tx);
	json_t *d = json_pack("{sI ss ss sI ss}", "evidence_id", (json_int_t)*row, "filename",
	                      c->filename, "content_type", c->content_type, "size",
	                      (json_int_t)c->size, "sha256", c->sha256);
	rc = record(tx, c->actor, "inspection.evidence", c->id, d, err);
	json_decref(d);
	return rc;
}

static int op_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct op_ctx *c = vctx;
	char state[16];
	int64_t row = 0;
	int rc;
	switch (c->op) {
	case OP_CREATE:
		rc = inspect_inspection_create_tx(tx, c->actor, &c->nw, &c->id, err);
		return rc < 0 ? rc : inspect_inspection_load(tx, c->id, &c->out, err);
	case OP_STATE:
		rc = inspect_inspection_state_tx(tx, c->actor, c->id, body_str(c->body, "state"),
		                                 body_str(c->body, "verdict"),
		                                 body_str(c->body, "scan_result"), err);
		return rc < 0 ? rc : inspect_inspection_load(tx, c->id, &c->out, err);
	case OP_TICK: {
		json_t *done = json_object_get(c->body, "done");
		rc = inspect_checklist_tick_tx(tx, c->actor, c->id, c->n,
		                               done ? json_is_true(done) : 1,
		                               body_str(c->body, "note"), err);
		return rc < 0
		           ? rc
		           : one_row(tx, &c->out, err, "no such item",
		                     CHECK_SQL " WHERE inspection_id = ?1 AND n = ?2", c->id, c->n);
	}
	case OP_FINDING:
		if ((rc = load_state(tx, c->id, 1, state, err)) == 0 &&
		    (rc = finding_tx(tx, c, &row, err)) == 0)
			rc = one_row(tx, &c->out, err, "no such finding",
			             FINDING_SQL " WHERE id = ?1 AND ?2 = 0", row, 0);
		return rc;
	case OP_SEAL:
		if ((rc = load_state(tx, c->id, 1, state, err)) == 0 &&
		    (rc = seal_tx(tx, c, &row, err)) == 0)
			rc = one_row(tx, &c->out, err, "no such seal check",
			             SEAL_SQL " WHERE id = ?1 AND ?2 = 0", row, 0);
		return rc;
	case OP_EVIDENCE:
		if ((rc = load_state(tx, c->id, 1, state, err)) == 0 &&
		    (rc = evidence_tx(tx, c, &row, err)) == 0)
			rc = one_row(tx, &c->out, err, "no such evidence",
			             EVIDENCE_SQL " WHERE id = ?1 AND ?2 = 0", row, 0);
		return rc;
	}
	return pg_err_set(err, PG_EIO, "unknown operation");
}

static void run_op(struct http_req *req, struct op_ctx *c, int status, const char *location)
{
	struct pg_err err = {0};
	c->actor = req->who.name;
	c->body = req->body;
	int rc = store_write(http_store(req), op_tx, c, &err);
	if (rc < 0) {
		json_decref(c->out);
		http_error(req, rc, &err);
		return;
	}
	int64_t rid = json_integer_value(json_object_get(c->out, "id"));
	http_json(req, status, c->out);
	if (location) {
		char loc[128];
		pg_snprintf(loc, sizeof(loc), location, (long long)c->id, (long long)rid);
		http_header(req, "Location", loc);
	}
}

static void api_create(struct http_req *req)
{
	struct op_ctx c = {.op = OP_CREATE};
	c.nw.kind = body_str(req->body, "kind");
	c.nw.subject = body_str(req->body, "subject");
	c.nw.reason = body_str(req->body, "reason");
	c.nw.notes = body_str(req->body, "notes");
	c.nw.manifest_container_id =
	    json_integer_value(json_object_get(req->body, "manifest_container_id"));
	if (json_object_get(req->body, "manifest_container_id") &&
	    c.nw.manifest_container_id <= 0) {
		http_problem(req, 400, "bad-field", "manifest_container_id",
		             "manifest_container_id must be a positive id");
		return;
	}
	run_op(req, &c, 201, "/api/v1/inspections/%lld");
}

static void api_state(struct http_req *req)
{
	struct op_ctx c = {.op = OP_STATE};
	if (http_param_id(req, 0, &c.id) == 0)
		run_op(req, &c, 200, NULL);
}

static void api_finding(struct http_req *req)
{
	struct op_ctx c = {.op = OP_FINDING};
	if (http_param_id(req, 0, &c.id) == 0)
		run_op(req, &c, 201, NULL);
}

static void api_seal(struct http_req *req)
{
	struct op_ctx c = {.op = OP_SEAL};
	if (http_param_id(req, 0, &c.id) == 0)
		run_op(req, &c, 201, NULL);
}

static void api_tick(struct http_req *req)
{
	struct op_ctx c = {.op = OP_TICK};
	if (http_param_id(req, 0, &c.id) == 0 && http_param_id(req, 1, &c.n) == 0)
		run_op(req, &c, 200, NULL);
}

/* A file name to keep and to give back in Content-Disposition: no path, quotes or
 * control characters. */
static int filename_ok(const char *s, struct pg_err *err)
{
	int rc = text_ok(s, "filename", FNAME_MAX, 1, err);
	if (rc == 0 && strpbrk(s, "/\\\""))
		rc = pg_err_field(err, PG_EINVAL, "filename",
		                  "filename must not contain '/', '\\' or '\"'");
	return rc;
}

static void api_evidence_upload(struct http_req *req)
{
	struct op_ctx c = {.op = OP_EVIDENCE};
	struct pg_err err = {0};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	c.filename = http_query(req, "filename");
	if (filename_ok(c.filename, &err) < 0) {
		http_error(req, PG_EINVAL, &err);
		return;
	}
	if (req->body_buf.len == 0) {
		http_problem(req, 400, "bad-field", NULL, "the body is empty: send the file");
		return;
	}
	const char *ct =
	    MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t ctlen = ct ? strcspn(ct, "; \t") : 0;
	pg_snprintf(c.content_type, sizeof(c.content_type), "%.*s", (int)ctlen, ct ? ct : "");
	for (char *p = c.content_type; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	c.size = req->body_buf.len;
	inspect_sha256_hex(req->body_buf.p, c.size, c.sha256);
	size_t b64len = sodium_base64_ENCODED_LEN(c.size, sodium_base64_VARIANT_ORIGINAL);
	c.b64 = pg_malloc(b64len);
	sodium_bin2base64(c.b64, b64len, (const unsigned char *)req->body_buf.p, c.size,
	                  sodium_base64_VARIANT_ORIGINAL);
	run_op(req, &c, 201, "/api/v1/inspections/%lld/evidence/%lld");
	pg_free(c.b64);
}

/* ---- reads -------------------------------------------------------------------------------- */

struct read_ctx {
	int64_t id, eid, after;
	int limit;
	const char *state, *kind;
	json_t *out;
	/* an evidence file */
	unsigned char *data;
	size_t len;
	char content_type[40], sha256[65], filename[FNAME_MAX + 1];
};

static int get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	return inspect_inspection_load(tx, c->id, &c->out, err);
}

static void read_answer(struct http_req *req, store_fn fn, struct read_ctx *c)
{
	struct pg_err err = {0};
	int rc = store_read(http_store(req), fn, c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c->out);
}

static void api_get(struct http_req *req)
{
	struct read_ctx c = {0};
	if (http_param_id(req, 0, &c.id) == 0)
		read_answer(req, get_tx, &c);
}

static int list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err,
	                          "SELECT " INSPECTION_COLUMNS " FROM inspections WHERE (?1 = 0 OR "
	                          "id < ?1) AND (?3 IS NULL OR state = ?3) AND (?4 IS NULL OR "
	                          "kind = ?4) ORDER BY id DESC LIMIT ?2",
	                          "iitt", c->after, (int64_t)c->limit, c->state, c->kind);
	if (rc == 0)
		c->out = store_page(rows, c->limit, "id");
	return rc;
}

static void api_list(struct http_req *req)
{
	struct read_ctx c = {0};
	if (http_page_args(req, &c.limit, &c.after) < 0)
		return;
	c.state = http_query(req, "state");
	c.kind = http_query(req, "kind");
	if (c.state && inspect_state_index(c.state) < 0) {
		http_problem(
		    req, 400, "bad-field", "state",
		    "state must be one of selected, scanning, scanned, examining, cleared, "
		    "held, seized");
		return;
	}
	if (c.kind && access_name_index(c.kind, kinds) < 0) {
		http_problem(req, 400, "bad-field", "kind",
		             "kind must be one of container, vehicle, vessel, person, baggage, "
		             "stores");
		return;
	}
	read_answer(req, list_tx, &c);
}

static int exists_tx(struct store_tx *tx, int64_t id, struct pg_err *err)
{
	char state[16];
	return load_state(tx, id, 0, state, err);
}

static int evidence_list_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	int rc = exists_tx(tx, c->id, err);
	json_t *rows = NULL;
	if (rc == 0)
		rc = store_query_json(tx, &rows, err,
		                      EVIDENCE_SQL " WHERE inspection_id = ?1 ORDER "
		                                   "BY id",
		                      "i", c->id);
	if (rc == 0)
		c->out = json_pack("{so}", "items", rows);
	return rc;
}

static void api_evidence_list(struct http_req *req)
{
	struct read_ctx c = {0};
	if (http_param_id(req, 0, &c.id) == 0)
		read_answer(req, evidence_list_tx, &c);
}

static int evidence_get_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
	                     "SELECT filename, content_type, size, sha256, data FROM "
	                     "inspection_evidence WHERE id = ?1 AND inspection_id = ?2",
	                     "ii", c->eid, c->id);
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1) {
		pg_strlcpy(c->filename, store_text(r, 0), sizeof(c->filename));
		pg_strlcpy(c->content_type, store_text(r, 1), sizeof(c->content_type));
		pg_strlcpy(c->sha256, store_text(r, 3), sizeof(c->sha256));
		size_t size = (size_t)store_int(r, 2), len = 0;
		const char *b64 = store_text(r, 4);
		c->data = pg_malloc(size ? size : 1);
		if (sodium_base642bin(c->data, size, b64, strlen(b64), NULL, &len, NULL,
		                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    len != size) {
			pg_free(c->data);
			c->data = NULL;
			rc = pg_err_set(err, PG_EIO, "evidence %lld: the stored data is damaged",
			                (long long)c->eid);
		} else {
			c->len = len;
			rc = 0;
		}
	} else if (rc == 0) {
		rc = pg_err_set(err, PG_ENOTFOUND, "inspection %lld has no evidence %lld",
		                (long long)c->id, (long long)c->eid);
	} else {
		rc = pg_err_set(err, PG_EIO, "store: reading evidence failed");
	}
	store_rows_free(r);
	return rc;
}

static void api_evidence_get(struct http_req *req)
{
	struct read_ctx c = {0};
	struct pg_err err = {0};
	if (http_param_id(req, 0, &c.id) < 0 || http_param_id(req, 1, &c.eid) < 0)
		return;
	int rc = store_read(http_store(req), evidence_get_tx, &c, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	req->resp = MHD_create_response_from_buffer(c.len, c.data, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_CONTENT_TYPE, c.content_type);
	char etag[72], disp[FNAME_MAX + 40];
	pg_snprintf(etag, sizeof(etag), "\"%s\"", c.sha256);
	MHD_add_response_header(req->resp, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(req->resp, "X-Content-SHA256", c.sha256);
	pg_snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", c.filename);
	MHD_add_response_header(req->resp, "Content-Disposition", disp);
	MHD_add_response_header(req->resp, "X-Content-Type-Options", "nosniff");
	req->status = 200;
}

static int history_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	char object[40];
	pg_snprintf(object, sizeof(object), "inspection %lld", (long long)c->id);
	int rc = exists_tx(tx, c->id, err);
	json_t *rows = NULL;
	if (rc == 0)
		rc =
		    store_query_json(tx, &rows, err,
		                     "SELECT seq, at, actor, action, details AS details_json, hash "
		                     "FROM audit WHERE object = ?1 ORDER BY seq",
		                     "t", object);
	if (rc == 0)
		c->out = json_pack("{sI so}", "inspection_id", (json_int_t)c->id, "items", rows);
	return rc;
}

static void api_history(struct http_req *req)
{
	struct read_ctx c = {0};
	if (http_param_id(req, 0, &c.id) == 0)
		read_answer(req, history_tx, &c);
}

/* ---- statistics ----------------------------------------------------------------------------- */

/* Counts name -> value for every name (0 when absent) from a "SELECT name, count" query. */
static int counts(struct store_tx *tx, const char *sql, const char *const *names, json_t **out,
                  struct pg_err *err)
{
	json_t *o = json_object();
	for (int i = 0; names[i]; i++)
		json_object_set_new(o, names[i], json_integer(0));
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, sql, "");
	int more = 0;
	while (rc == 0 && (more = store_next(r)) == 1)
		if (!store_is_null(r, 0))
			json_object_set_new(o, store_text(r, 0), json_integer(store_int(r, 1)));
	store_rows_free(r);
	if (rc == 0 && more < 0)
		rc = pg_err_set(err, PG_EIO, "store: reading statistics failed");
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* Adds one closed inspection to the tally of key in o: {closed, with_finding}. */
static void tally(json_t *o, const char *key, int hit)
{
	json_t *t = json_object_get(o, key);
	if (!t) {
		t = json_pack("{si si}", "closed", 0, "with_finding", 0);
		json_object_set_new(o, key, t);
	}
	json_object_set_new(t, "closed",
	                    json_integer(json_integer_value(json_object_get(t, "closed")) + 1));
	if (hit)
		json_object_set_new(
		    t, "with_finding",
		    json_integer(json_integer_value(json_object_get(t, "with_finding")) + 1));
}

/* The tallies of o as [{name_key: key, closed, with_finding, hit_rate}] (o stolen). */
static json_t *rates(json_t *o, const char *name_key)
{
	json_t *a = json_array(), *t;
	const char *key;
	json_object_foreach(o, key, t)
	{
		json_int_t closed = json_integer_value(json_object_get(t, "closed"));
		json_int_t hits = json_integer_value(json_object_get(t, "with_finding"));
		json_array_append_new(
		    a, json_pack("{ss sI sI so}", name_key, key, "closed", closed, "with_finding",
		                 hits, "hit_rate",
		                 closed ? json_real((double)hits / (double)closed) : json_null()));
	}
	json_decref(o);
	return a;
}

static int stats_tx(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct read_ctx *c = vctx;
	static const char *const line_keys[] = {"risk", "random", NULL};
	json_t *by_reason = NULL, *by_state = NULL, *lines = NULL;
	int rc = counts(tx, "SELECT reason, count(*) FROM inspections GROUP BY reason", reasons,
	                &by_reason, err);
	if (rc == 0)
		rc = counts(tx, "SELECT state, count(*) FROM inspections GROUP BY state", states,
		            &by_state, err);
	if (rc == 0)
		rc = counts(
		    tx,
		    "SELECT selected_by, count(*) FROM manifest_containers WHERE selected_by "
		    "IS NOT NULL GROUP BY selected_by UNION ALL SELECT 'queued', count(*) FROM "
		    "manifest_containers WHERE queued = 1",
		    line_keys, &lines, err);
	struct store_rows *r = NULL;
	if (rc == 0)
		rc = store_query(
		    tx, &r, err,
		    "SELECT i.reason, EXISTS (SELECT 1 FROM inspection_findings f WHERE "
		    "f.inspection_id = i.id), CASE WHEN c.id IS NULL THEN NULL "
		    "ELSE " INSPECT_HITS_SQL " END FROM inspections i LEFT JOIN "
		    "manifest_containers c ON c.id = i.manifest_container_id WHERE "
		    "i.state IN ('cleared', 'held', 'seized')",
		    "");
	json_t *reason_t = json_object(), *ind_t = json_object();
	int64_t closed = 0, hits = 0;
	int more = 0;
	while (rc == 0 && (more = store_next(r)) == 1) {
		int hit = store_int(r, 1) != 0;
		closed++;
		hits += hit;
		tally(reason_t, store_text(r, 0), hit);
		json_t *h = store_is_null(r, 2) ? NULL : json_loads(store_text(r, 2), 0, NULL);
		json_t *seen = json_object(), *one;
		size_t i;
		json_array_foreach(h, i, one)
		{
			const char *ind = json_string_value(json_object_get(one, "indicator"));
			if (ind && !json_object_get(seen, ind)) {
				json_object_set_new(seen, ind, json_true());
				tally(ind_t, ind, hit);
			}
		}
		json_decref(seen);
		json_decref(h);
	}
	store_rows_free(r);
	if (rc == 0 && more < 0)
		rc = pg_err_set(err, PG_EIO, "store: reading statistics failed");
	if (rc < 0) {
		json_decref(by_reason);
		json_decref(by_state);
		json_decref(lines);
		json_decref(reason_t);
		json_decref(ind_t);
		return rc;
	}
	int64_t outcomes = 0;
	for (int i = 0; states[i]; i++)
		if (inspect_state_is_outcome(states[i]))
			outcomes += json_integer_value(json_object_get(by_state, states[i]));
	int64_t total = 0;
	const char *k;
	json_t *v;
	json_object_foreach(by_state, k, v) total += json_integer_value(v);
	c->out = json_pack(
	    "{s{so so} s{sO sO sO sI} so s{sI sI so} so so}", "selections", "by_reason", by_reason,
	    "manifest_lines", lines, "outcomes", "cleared", json_object_get(by_state, "cleared"),
	    "held", json_object_get(by_state, "held"), "seized",
	    json_object_get(by_state, "seized"), "open", (json_int_t)(total - outcomes), "by_state",
	    by_state, "hit_rate", "closed", (json_int_t)closed, "with_finding", (json_int_t)hits,
	    "rate", closed ? json_real((double)hits / (double)closed) : json_null(),
	    "hit_rate_by_reason", rates(reason_t, "reason"), "hit_rate_by_indicator",
	    rates(ind_t, "indicator"));
	return 0;
}

static void api_stats(struct http_req *req)
{
	struct read_ctx c = {0};
	read_answer(req, stats_tx, &c);
}

/* ---- the table --------------------------------------------------------------------------------
 */

static const struct http_field create_body[] = {
    {"kind", F_STRING, 1, 16, "container, vehicle, vessel, person, baggage or stores"},
    {"subject", F_STRING, 0, SUBJECT_MAX,
     "what is inspected (a container number for a container); from the line when omitted"},
    {"manifest_container_id", F_INT, 0, 0, "the manifest line it takes off the queue"},
    {"reason", F_STRING, 0, 16,
     "risk, random, intelligence, level or authority; the line's selection when omitted"},
    {"notes", F_STRING, 0, TEXT_MAX, "free text"},
    {NULL, 0, 0, 0, NULL},
};

static const struct http_field state_body[] = {
    {"state", F_STRING, 1, 16, "the state to move to"},
    {"verdict", F_STRING, 0, TEXT_MAX, "the operator's verdict (required for an outcome)"},
    {"scan_result", F_STRING, 0, 16, "clear, anomaly or inconclusive (required for scanned)"},
    {NULL, 0, 0, 0, NULL},
};

static const struct http_field finding_body[] = {
    {"category", F_STRING, 1, 16,
     "narcotics, weapons, explosives, currency, stowaway, undeclared_dg or other"},
    {"description", F_STRING, 1, TEXT_MAX, "what was found"},
    {"quantity", F_STRING, 0, QTY_MAX, "how much, as found (\"12 kg\")"},
    {NULL, 0, 0, 0, NULL},
};

static const struct http_field seal_body[] = {
    {"seal_number", F_STRING, 1, SEAL_MAX, "the seal checked"},
    {"result", F_STRING, 1, 16, "intact, broken or replaced"},
    {"new_number", F_STRING, 0, SEAL_MAX, "the new seal (exactly when replaced)"},
    {NULL, 0, 0, 0, NULL},
};

static const struct http_field tick_body[] = {
    {"done", F_BOOL, 0, 0, "true (default) ticks the item, false unticks it"},
    {"note", F_STRING, 0, NOTE_MAX, "a remark"},
    {NULL, 0, 0, 0, NULL},
};

static const struct http_route routes[] = {
    {"POST", "/api/v1/inspections", WRITE, api_create,
     "Start an inspection (from a queued manifest line or not) with its checklist", create_body,
     201, "inspection", NULL},
    {"GET", "/api/v1/inspections", READ, api_list, "Inspections, newest first", NULL, 200,
     "{items, next}", "limit,after,state,kind"},
    {"GET", "/api/v1/inspections/statistics", READ, api_stats,
     "Selections by reason, outcomes and hit rates by reason and risk indicator", NULL, 200,
     "{selections, outcomes, by_state, hit_rate, hit_rate_by_reason, hit_rate_by_indicator}", NULL},
    {"GET", "/api/v1/inspections/{id}", READ, api_get,
     "An inspection with findings, seals, evidence and checklist", NULL, 200, "inspection", NULL},
    {"POST", "/api/v1/inspections/{id}/state", WRITE, api_state, "Move an inspection on",
     state_body, 200, "inspection", NULL},
    {"POST", "/api/v1/inspections/{id}/findings", WRITE, api_finding, "Record a finding",
     finding_body, 201, "finding", NULL},
    {"POST", "/api/v1/inspections/{id}/seals", WRITE, api_seal, "Record a seal check", seal_body,
     201, "seal check", NULL},
    {"POST", "/api/v1/inspections/{id}/evidence", WRITE, api_evidence_upload,
     "Upload an evidence file (raw bytes; ?filename=)", NULL, 201, "evidence", "filename",
     .raw_types = "image/jpeg,image/png,application/pdf,application/octet-stream"},
    {"GET", "/api/v1/inspections/{id}/evidence", READ, api_evidence_list,
     "The inspection's evidence files (without their bytes)", NULL, 200, "{items}", NULL},
    {"GET", "/api/v1/inspections/{id}/evidence/{eid}", READ, api_evidence_get,
     "An evidence file's bytes (ETag and X-Content-SHA256: its SHA-256)", NULL, 200, "the file",
     NULL},
    {"POST", "/api/v1/inspections/{id}/checklist/{n}", WRITE, api_tick,
     "Tick (or untick) checklist item n", tick_body, 200, "checklist item", NULL},
    {"GET", "/api/v1/inspections/{id}/history", READ, api_history,
     "The chain of custody: the audit records of the inspection, oldest first", NULL, 200,
     "{inspection_id, items}", NULL},
};

int inspect_inspection_register_routes(struct inspect *in)
{
	return http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), in);
}
