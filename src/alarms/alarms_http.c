/* alarms_http.c - the alarm routes: the queue, one alarm, manual alarms and the operator's
 * actions. Changes go through http_write_async (one group commit, the connection parked),
 * audited and published on "alarms" by alarms_alarm.c. */
#include <string.h>

#include "../http/http_handler.h"
#include "alarms_int.h"

#define ACT  (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO) | ROLE_BIT(ROLE_OPERATOR))
#define READ (ACT | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_AUTHORITY))

/* ---- the queue: ordered by priority, then age; the cursor is "PRIORITY.ID" ---------------- */

struct list_ctx {
	int state;        /* -1 any, 4 = open (not resolved) */
	int64_t priority; /* 0 any */
	int limit;
	int64_t after_p, after_id;
	json_t *rows;
};

static int list_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct list_ctx *c = vctx;
	/* one statement per state filter, so that the open queue reads its partial index */
#define LIST_SQL(where)                                                                      \
	"SELECT " ALARM_COLUMNS_SQL " WHERE " where " AND (?2 = 0 OR a.priority = ?2) AND "  \
	"(a.priority > ?3 OR (a.priority = ?3 AND a.id > ?4)) ORDER BY a.priority, a.id LIMIT ?5"
	const char *sql = c->state == 4   ? LIST_SQL("a.state <> 'resolved'")
	                  : c->state >= 0 ? LIST_SQL("a.state = ?1")
	                                  : LIST_SQL("?1 IS NOT NULL");
#undef LIST_SQL
	return store_query_json(tx, &c->rows, err, sql, "tiiii",
	                        c->state >= 0 && c->state < 4 ? alarm_state_name(c->state) : "",
	                        c->priority, c->after_p, c->after_id, (int64_t)c->limit);
}

static void api_list(struct http_req *req)
{
	struct list_ctx c = {.state = -1, .limit = 50};
	const char *st = http_query(req, "state"), *pr = http_query(req, "priority");
	const char *ls = http_query(req, "limit"), *as = http_query(req, "after");
	if (st && *st) {
		c.state = strcmp(st, "open") == 0 ? 4 : alarm_state_parse(st);
		if (c.state < 0) {
			http_problem(
			    req, 400, "bad-field", "state",
			    "state must be open, new, acknowledged, in_progress or resolved");
			return;
		}
	}
	if (pr && *pr && pg_parse_i64(pr, 1, 5, &c.priority) < 0) {
		http_problem(req, 400, "bad-field", "priority",
		             "priority must be a whole number from 1 to 5");
		return;
	}
	int64_t l = 50;
	if (ls && pg_parse_i64(ls, 1, 500, &l) < 0) {
		http_problem(req, 400, "bad-field", "limit",
		             "limit must be a whole number from 1 to 500");
		return;
	}
	c.limit = (int)l;
	if (as) {
		char p[24];
		const char *dot = strchr(as, '.');
		if (!dot || pg_snprintf(p, sizeof(p), "%.*s", (int)(dot - as), as) < 0 ||
		    pg_parse_i64(p, 0, 5, &c.after_p) < 0 ||
		    pg_parse_i64(dot + 1, 0, INT64_MAX, &c.after_id) < 0) {
			http_problem(req, 400, "bad-field", "after",
			             "after must be the 'next' cursor of a previous page");
			return;
		}
	}
	struct pg_err err = {0};
	int rc = store_read(http_store(req), list_fn, &c, &err);
	if (rc < 0) {
		http_error(req, rc, &err);
		return;
	}
	json_t *next = json_null();
	size_t n = json_array_size(c.rows);
	if (n == (size_t)c.limit) {
		json_t *last = json_array_get(c.rows, n - 1);
		next = json_sprintf(
		    "%lld.%lld", (long long)json_integer_value(json_object_get(last, "priority")),
		    (long long)json_integer_value(json_object_get(last, "id")));
	}
	http_json(req, 200, json_pack("{so so}", "items", c.rows, "next", next));
}

struct get_ctx {
	int64_t id;
	json_t *out;
};

static int get_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct get_ctx *c = vctx;
	return alarm_detail_tx(tx, c->id, &c->out, err);
}

static void api_get(struct http_req *req)
{
	struct get_ctx c = {0};
	if (http_param_id(req, 0, &c.id) < 0)
		return;
	struct pg_err err = {0};
	int rc = store_read(http_store(req), get_fn, &c, &err);
	if (rc < 0)
		http_error(req, rc, &err);
	else
		http_json(req, 200, c.out);
}

static void api_kinds(struct http_req *req)
{
	struct alarms *a = req->ctx;
	http_json(req, 200, alarm_kinds_json(a->kinds));
}

/* ---- changes ------------------------------------------------------------------------------ */

enum op { OP_RAISE, OP_ACK, OP_ASSIGN, OP_STEP, OP_RESOLVE };

struct change {
	struct alarms *a;
	enum op op;
	int64_t id;
	int n, done;
	char actor[80];
	json_t *body; /* a reference to the request's body */
	json_t *out;
};

static int change_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct change *c = vctx;
	int64_t now = pg_now_ms();
	const char *s1 = NULL, *s2 = NULL;
	int rc = 0;
	switch (c->op) {
	case OP_RAISE: {
		json_t *b = c->body;
		json_t *la = json_object_get(b, "lat"), *lo = json_object_get(b, "lon");
		struct alarm_raise r = {
		    .kind = json_string_value(json_object_get(b, "kind")),
		    .source = "manual",
		    .source_name = c->actor,
		    .reason = json_string_value(json_object_get(b, "reason")),
		    .zone_id = (int64_t)json_integer_value(json_object_get(b, "zone_id")),
		    .has_pos = json_is_number(la) && json_is_number(lo),
		    .lat = json_number_value(la),
		    .lon = json_number_value(lo),
		    .priority = (int)json_integer_value(json_object_get(b, "priority")),
		    .at_ms = now,
		    .actor = c->actor};
		if (!r.kind)
			r.kind = "manual";
		if (r.zone_id) {
			struct store_rows *q = NULL;
			if ((rc = store_query(tx, &q, err, "SELECT 1 FROM zones WHERE id = ?1", "i",
			                      r.zone_id)) < 0)
				return rc;
			rc = store_next(q);
			store_rows_free(q);
			if (rc <= 0)
				return rc < 0
				           ? pg_err_set(err, PG_EIO, "store: reading zones failed")
				           : pg_err_field(err, PG_EUNPROCESSABLE, "zone_id",
				                          "no zone %lld", (long long)r.zone_id);
		}
		int folded;
		if ((rc = alarm_raise_tx(tx, c->a->kinds, &r, &c->id, &folded, err)) < 0)
			return rc;
		break;
	}
	case OP_ACK:
		rc = alarm_ack_tx(tx, c->id, c->actor, now, err);
		break;
	case OP_ASSIGN:
		s1 = json_string_value(json_object_get(c->body, "user"));
		rc = alarm_assign_tx(tx, c->id, s1, c->actor, now, err);
		break;
	case OP_STEP:
		s1 = json_string_value(json_object_get(c->body, "note"));
		rc = alarm_step_tx(tx, c->id, c->n, c->done, s1, c->actor, now, err);
		break;
	case OP_RESOLVE:
		s1 = json_string_value(json_object_get(c->body, "outcome"));
		s2 = json_string_value(json_object_get(c->body, "notes"));
		rc = alarm_resolve_tx(tx, c->id, s1, s2, c->actor, now, NULL, err);
		break;
	}
	if (rc < 0)
		return rc;
	return alarm_detail_tx(tx, c->id, &c->out, err);
}

static void change_finish(struct http_req *req, int rc, const struct pg_err *err, void *vctx)
{
	struct change *c = vctx;
	if (rc == PG_ECONFLICT && c->op == OP_RESOLVE && err && strcmp(err->field, "steps") == 0) {
		http_problem(req, 409, "steps-required", "steps", "%s", err->msg);
	} else if (rc == PG_ECONFLICT) {
		http_problem(req, 409, "alarm-state", err ? err->field : NULL, "%s",
		             err ? err->msg : "conflict");
	} else if (rc < 0) {
		http_error(req, rc, err);
	} else {
		http_json(req, c->op == OP_RAISE ? 201 : 200, json_incref(c->out));
		if (c->op == OP_RAISE) {
			alarms_retime(c->a); /* its escalation is a new deadline */
			char loc[64];
			pg_snprintf(loc, sizeof(loc), "/api/v1/alarms/%lld", (long long)c->id);
			http_header(req, "Location", loc);
		}
	}
	json_decref(c->out);
	json_decref(c->body);
	pg_free(c);
}

static void start(struct http_req *req, enum op op)
{
	struct change *c = pg_calloc(1, sizeof(*c));
	c->a = req->ctx;
	c->op = op;
	pg_strlcpy(c->actor, req->who.name, sizeof(c->actor));
	c->body = req->body ? json_incref(req->body) : NULL;
	if (op != OP_RAISE && http_param_id(req, 0, &c->id) < 0)
		goto fail;
	if (op == OP_STEP) {
		int64_t n;
		if (req->nparams < 2 || pg_parse_i64(req->params[1], 1, ALARM_MAX_STEPS, &n) < 0) {
			http_problem(req, 404, "not-found", "n", "'%s' is not a step number",
			             req->nparams > 1 ? req->params[1] : "");
			goto fail;
		}
		c->n = (int)n;
		c->done = json_is_true(json_object_get(req->body, "done"));
	}
	if (op == OP_RAISE) {
		json_t *la = json_object_get(req->body, "lat"),
		       *lo = json_object_get(req->body, "lon");
		int64_t p = (int64_t)json_integer_value(json_object_get(req->body, "priority"));
		if (json_object_get(req->body, "priority") && (p < 1 || p > 5)) {
			http_problem(req, 400, "bad-field", "priority",
			             "priority must be a whole number from 1 (highest) to 5");
			goto fail;
		}
		if ((la && (!json_is_number(la) || json_number_value(la) < -90 ||
		            json_number_value(la) > 90)) ||
		    (lo && (!json_is_number(lo) || json_number_value(lo) < -180 ||
		            json_number_value(lo) > 180)) ||
		    (!la) != (!lo)) {
			http_problem(req, 400, "bad-field",
			             la && json_is_number(la) ? "lon" : "lat",
			             "lat and lon go together: degrees, lat from -90 to 90 and lon "
			             "from -180 to 180");
			goto fail;
		}
		const char *reason = json_string_value(json_object_get(req->body, "reason"));
		if (!reason || !*reason) {
			http_problem(req, 400, "bad-field", "reason", "say what is happening");
			goto fail;
		}
	}
	http_write_async(req, change_fn, c, change_finish);
	return;
fail:
	json_decref(c->body);
	pg_free(c);
}

static void api_raise(struct http_req *req)
{
	start(req, OP_RAISE);
}
static void api_ack(struct http_req *req)
{
	start(req, OP_ACK);
}
static void api_assign(struct http_req *req)
{
	start(req, OP_ASSIGN);
}
static void api_step(struct http_req *req)
{
	start(req, OP_STEP);
}
static void api_resolve(struct http_req *req)
{
	start(req, OP_RESOLVE);
}

/* ---- the table ---------------------------------------------------------------------------- */

static const struct http_field raise_body[] = {
    {"kind", F_STRING, 0, ALARM_KIND_LEN - 1, "an alarm kind (GET /api/v1/alarm-kinds); manual"},
    {"reason", F_STRING, 1, 500, "what is happening"},
    {"priority", F_INT, 0, 0, "1 (highest) to 5; default: the kind's at the current level"},
    {"zone_id", F_INT, 0, 0, "the zone where it happens"},
    {"lat", F_ANY, 0, 0, "latitude, degrees (with lon)"},
    {"lon", F_ANY, 0, 0, "longitude, degrees (with lat)"},
    {NULL},
};

static const struct http_field assign_body[] = {
    {"user", F_STRING, 1, 64, "the username who handles it"},
    {NULL},
};

static const struct http_field step_body[] = {
    {"done", F_BOOL, 1, 0, "ticked (true) or unticked (false)"},
    {"note", F_STRING, 0, 500, "what was done"},
    {NULL},
};

static const struct http_field resolve_body[] = {
    {"outcome", F_STRING, 1, 16, "genuine, false_alarm, test or nuisance"},
    {"notes", F_STRING, 0, 2000, "what happened"},
    {NULL},
};

static const struct http_route routes[] = {
    {"GET", "/api/v1/alarms", READ, api_list,
     "The alarm queue: highest priority first, then oldest; state = open|new|acknowledged|"
     "in_progress|resolved",
     NULL, 200, "{items, next}", "state,priority,limit,after"},
    {"POST", "/api/v1/alarms", ACT, api_raise, "Raise a manual alarm", raise_body, 201,
     "alarm with steps, history and cameras", NULL},
    {"GET", "/api/v1/alarms/{id}", READ, api_get,
     "An alarm with its procedure steps, cameras and history", NULL, 200,
     "alarm with steps, history and cameras", NULL},
    {"POST", "/api/v1/alarms/{id}/ack", ACT, api_ack, "Acknowledge a new alarm", NULL, 200, "alarm",
     NULL},
    {"POST", "/api/v1/alarms/{id}/assign", ACT, api_assign,
     "Assign an acknowledged alarm to a user (in_progress)", assign_body, 200, "alarm", NULL},
    {"POST", "/api/v1/alarms/{id}/steps/{n}", ACT, api_step, "Tick or untick procedure step n",
     step_body, 200, "alarm", NULL},
    {"POST", "/api/v1/alarms/{id}/resolve", ACT, api_resolve,
     "Resolve with an outcome: 409 names the required steps not done", resolve_body, 200, "alarm",
     NULL},
    {"GET", "/api/v1/alarm-kinds", READ, api_kinds,
     "Alarm kinds with priorities, escalation and procedures; the engine's rules", NULL, 200,
     "{kinds, rules}", NULL},
};

static void metrics(struct pg_buf *out, void *ctx)
{
	struct alarms *a = ctx;
	pg_buf_printf(
	    out,
	    "# HELP portguard_alarm_events_evaluated_total Events of topics sensors, access, "
	    "ais, training evaluated by the alarm engine.\n"
	    "# TYPE portguard_alarm_events_evaluated_total counter\n"
	    "portguard_alarm_events_evaluated_total %lld\n"
	    "# HELP portguard_alarm_batches_total Evaluation transactions.\n"
	    "# TYPE portguard_alarm_batches_total counter\n"
	    "portguard_alarm_batches_total %lld\n"
	    "# HELP portguard_alarm_errors_total Evaluation passes that failed (retried).\n"
	    "# TYPE portguard_alarm_errors_total counter\n"
	    "portguard_alarm_errors_total %lld\n"
	    "# HELP portguard_alarm_cursor The last event id the alarm engine has read.\n"
	    "# TYPE portguard_alarm_cursor gauge\n"
	    "portguard_alarm_cursor %lld\n",
	    (long long)__atomic_load_n(&a->m_evaluated, __ATOMIC_RELAXED),
	    (long long)__atomic_load_n(&a->m_batches, __ATOMIC_RELAXED),
	    (long long)__atomic_load_n(&a->m_errors, __ATOMIC_RELAXED),
	    (long long)__atomic_load_n(&a->m_cursor, __ATOMIC_RELAXED));
}

void alarms_metrics_unregister(void)
{
	http_metrics_unregister(metrics);
}

int alarms_register_routes(struct alarms *a)
{
	int rc = http_routes_register(routes, (int)(sizeof(routes) / sizeof(routes[0])), a);
	return rc < 0 ? rc : http_metrics_register(metrics, a);
}
