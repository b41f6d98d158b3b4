/* alarms_alarm.c - one alarm's life: raise or fold, acknowledge, assign, tick steps,
 * resolve; each change with a history row, an audit record and an event on "alarms". */
#include <string.h>

#include "../level/level.h"
#include "alarms_int.h"

static const char *const state_names[] = {"new", "acknowledged", "in_progress", "resolved"};

const char *alarm_state_name(int state)
{
	return state >= 0 && state <= ALARM_RESOLVED ? state_names[state] : NULL;
}

int alarm_state_parse(const char *s)
{
	for (int i = 0; s && i <= ALARM_RESOLVED; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

int alarm_transition_allowed(int from, int to)
{
	static const unsigned char allowed[4][4] = {
	    /* to:          new ack prog res */
	    [ALARM_NEW] = {0, 1, 0, 0},
	    [ALARM_ACKNOWLEDGED] = {0, 0, 1, 1},
	    [ALARM_IN_PROGRESS] = {0, 0, 1, 1},
	    [ALARM_RESOLVED] = {0, 0, 0, 0},
	};
	if (from < 0 || from > ALARM_RESOLVED || to < 0 || to > ALARM_RESOLVED)
		return 0;
	return allowed[from][to];
}

int alarm_outcome_valid(const char *o)
{
	static const char *const outcomes[] = {"genuine", "false_alarm", "test", "nuisance"};
	for (size_t i = 0; o && i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(o, outcomes[i]) == 0)
			return 1;
	return 0;
}

/* ---- rows ------------------------------------------------------------------------------- */

#define ISO(x) ALARM_ISO_(x)

int alarm_get_tx(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	json_t *rows = NULL;
	int rc = store_query_json(tx, &rows, err, "SELECT " ALARM_COLUMNS_SQL " WHERE a.id = ?1",
	                          "i", id);
	if (rc < 0)
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return pg_err_set(err, PG_ENOTFOUND, "no alarm %lld", (long long)id);
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

/* Cameras covering the alarm's zone first, then those within about 500 m of its position,
 * nearest first (the cameras table is the sensors module's: migration 0008 made it
 * before 0009 made the alarms). */
int alarm_cameras_tx(struct store_tx *tx, const json_t *alarm, json_t **out, struct pg_err *err)
{
	json_t *zone = json_object_get(alarm, "zone_id");
	json_t *lat = json_object_get(alarm, "lat"), *lon = json_object_get(alarm, "lon");
	int has_pos = json_is_number(lat) && json_is_number(lon);
	double la = json_number_value(lat);
	json_t *rows = NULL;
	int rc = store_query_json(
	    tx, &rows, err,
	    "WITH p(zone, lat, lon, k) AS (SELECT nullif(?1, 0), CASE WHEN ?4 THEN ?2 END, "
	    "CASE WHEN ?4 THEN ?3 END, cos(radians(?2))), "
	    "c2 AS (SELECT c.*, EXISTS (SELECT 1 FROM json_each(c.zones) j, p WHERE j.value = "
	    "p.zone) AS covers, (SELECT (c.lat - p.lat) * (c.lat - p.lat) + (c.lon - p.lon) * "
	    "(c.lon - p.lon) * p.k * p.k FROM p) AS d2 FROM cameras c) "
	    "SELECT id, name, lat, lon, stream_url, snapshot_url, CASE WHEN covers THEN 'zone' "
	    "ELSE 'nearby' END AS why, CAST(round(sqrt(d2) * 111320) AS INTEGER) AS distance_m "
	    "FROM c2 WHERE covers OR d2 < 0.0045 * 0.0045 "
	    "ORDER BY covers DESC, d2 IS NULL, d2 LIMIT 8",
	    "iddi", json_is_integer(zone) ? (int64_t)json_integer_value(zone) : 0, la,
	    json_number_value(lon), (int64_t)has_pos);
	if (rc < 0)
		return rc;
	*out = rows;
	return 0;
}

int alarm_detail_tx(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err)
{
	json_t *a = NULL, *steps = NULL, *hist = NULL, *cams = NULL;
	int rc = alarm_get_tx(tx, id, &a, err);
	if (rc < 0)
		return rc;
	rc = store_query_json(
	    tx, &steps, err,
	    "SELECT n, text, CASE WHEN required THEN 'true' ELSE 'false' END AS "
	    "required_json, CASE WHEN done THEN 'true' ELSE 'false' END AS done_json, "
	    "done_by, " ISO("done_ms") " AS done_at, note FROM alarm_steps WHERE "
	                               "alarm_id = ?1 ORDER BY n",
	    "i", id);
	if (rc == 0)
		rc = store_query_json(tx, &hist, err,
		                      "SELECT id, " ISO("at_ms") " AS at, actor, action, detail AS "
		                                                 "detail_json FROM alarm_history "
		                                                 "WHERE alarm_id = ?1 ORDER BY id",
		                      "i", id);
	if (rc == 0)
		rc = alarm_cameras_tx(tx, a, &cams, err);
	if (rc < 0) {
		json_decref(a);
		json_decref(steps);
		json_decref(hist);
		return rc;
	}
	json_object_set_new(a, "steps", steps);
	json_object_set_new(a, "history", hist);
	json_object_set_new(a, "cameras", cams);
	*out = a;
	return 0;
}

/* ---- changes ---------------------------------------------------------------------------- */

int alarm_history_tx(struct store_tx *tx, int64_t id, int64_t at_ms, const char *actor,
                     const char *action, json_t *detail, struct pg_err *err)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	int rc = store_exec(tx, err,
	                    "INSERT INTO alarm_history(alarm_id, at_ms, actor, action, detail) "
	                    "VALUES (?1, ?2, ?3, ?4, coalesce(?5, '{}'))",
	                    "iittt", id, at_ms, actor, action, text);
	free(text);
	return rc;
}

/* Publishes {"action", "alarm": row} on "alarms"; audits it when audit_action is set. */
int alarm_publish_tx(struct store_tx *tx, int64_t id, const char *action, const char *actor,
                     const char *audit_action, json_t *details, json_t *source, struct pg_err *err)
{
	json_t *row = NULL;
	int rc = alarm_get_tx(tx, id, &row, err);
	if (rc < 0)
		return rc;
	if (audit_action) {
		char object[48];
		pg_snprintf(object, sizeof(object), "alarm %lld", (long long)id);
		json_t *d = details ? json_deep_copy(details) : json_object();
		json_object_set(d, "kind", json_object_get(row, "kind"));
		json_object_set(d, "state", json_object_get(row, "state"));
		json_object_set(d, "priority", json_object_get(row, "priority"));
		rc = store_audit(tx, actor, audit_action, object, d, err);
		json_decref(d);
	}
	if (rc == 0) {
		json_t *ev = json_pack("{ss sO}", "action", action, "alarm", row);
		if (source)
			json_object_set_new(ev, "source_event", json_deep_copy(source));
		int64_t eid = store_event(tx, "alarms", ev, err);
		json_decref(ev);
		rc = eid < 0 ? (int)eid : 0;
	}
	json_decref(row);
	return rc;
}

static void folds_add(struct alarm_folds *f, int64_t id, json_t *source_event)
{
	size_t i = 0;
	while (i < f->n && f->v[i].id != id)
		i++;
	if (i == f->n) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 8;
			f->v = pg_realloc(f->v, f->cap * sizeof(*f->v));
		}
		f->v[f->n++] = (struct alarm_fold){id, NULL};
	}
	json_decref(f->v[i].source_event);
	f->v[i].source_event = source_event ? json_deep_copy(source_event) : NULL;
}

int alarm_folds_flush(struct store_tx *tx, struct alarm_folds *f, struct pg_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < f->n && rc == 0; i++)
		rc = alarm_publish_tx(tx, f->v[i].id, "repeated", "system", NULL, NULL,
		                      f->v[i].source_event, err);
	return rc;
}

void alarm_folds_release(struct alarm_folds *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		json_decref(f->v[i].source_event);
	pg_free(f->v);
	memset(f, 0, sizeof(*f));
}

int alarm_raise_tx(struct store_tx *tx, const struct alarm_kinds *ks, const struct alarm_raise *r,
                   int64_t *id, int *folded, struct pg_err *err)
{
	const struct alarm_kind *k = alarm_kind_find(ks, r->kind);
	if (!k)
		return pg_err_field(err, PG_EUNPROCESSABLE, "kind", "no alarm kind '%.60s'",
		                    r->kind);
	int64_t open = 0;
	int rc = 0;
	if (r->source_key) {
		struct store_rows *q = NULL;
		rc = store_query(tx, &q, err,
		                 "SELECT id FROM alarms WHERE kind = ?1 AND source_key = ?2 AND "
		                 "state <> 'resolved' ORDER BY id LIMIT 1",
		                 "tt", k->name, r->source_key);
		if (rc < 0)
			return rc;
		rc = store_next(q);
		if (rc == 1)
			open = store_int(q, 0);
		store_rows_free(q);
		if (rc < 0)
			return pg_err_set(err, PG_EIO, "store: reading open alarms failed");
	}
	if (open) {
		rc = store_exec(
		    tx, err,
		    "UPDATE alarms SET count = count + 1, last_ms = max(last_ms, ?2), "
		    "reason = coalesce(?3, reason), source_state = 'alarm' WHERE id = ?1",
		    "iit", open, r->at_ms, r->reason);
		json_t *d =
		    json_pack("{sI ss?}", "event_id", (json_int_t)r->event_id, "reason", r->reason);
		if (rc == 0)
			rc = alarm_history_tx(tx, open, r->at_ms, r->actor, "repeated", d, err);
		json_decref(d);
		if (rc == 0 && r->folds)
			folds_add(r->folds, open, r->source_event);
		else if (rc == 0)
			rc = alarm_publish_tx(tx, open, "repeated", r->actor, NULL, NULL,
			                      r->source_event, err);
		if (rc == 0) {
			*id = open;
			*folded = 1;
		}
		return rc;
	}
	int level = 1;
	if ((rc = level_current(tx, &level, err)) < 0)
		return rc;
	int prio = r->priority ? r->priority : alarm_priority_at(k, level);
	int64_t next_esc = prio <= 2 && k->escalate_s > 0 ? r->at_ms + k->escalate_s * 1000LL : 0;
	rc = store_exec(
	    tx, err,
	    "INSERT INTO alarms(kind, label, priority, base_priority, level, source, "
	    "source_key, source_name, source_state, reason, zone_id, lat, lon, event_id, "
	    "raised_by, raised_ms, last_ms, escalate_s, next_escalation_ms) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?11, 0), CASE WHEN ?19 THEN ?12 END, "
	    "CASE WHEN ?19 THEN ?13 END, nullif(?14, 0), ?15, ?16, ?16, ?17, nullif(?18, 0))",
	    "ttiiitttttidditiiii", k->name, k->label, (int64_t)prio, (int64_t)k->priority,
	    (int64_t)level, r->source, r->source_key, r->source_name,
	    strcmp(r->source, "manual") == 0 ? NULL : "alarm", r->reason, r->zone_id,
	    r->has_pos ? r->lat : 0.0, r->has_pos ? r->lon : 0.0, r->event_id, r->actor, r->at_ms,
	    (int64_t)k->escalate_s, next_esc, (int64_t)(r->has_pos != 0));
	if (rc < 0)
		return rc;
	int64_t aid = store_last_id(tx);
	for (int i = 0; rc == 0 && i < k->nsteps; i++)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO alarm_steps(alarm_id, n, text, required) VALUES (?1, ?2, "
		    "?3, ?4)",
		    "iiti", aid, (int64_t)(i + 1), k->steps[i].text, (int64_t)k->steps[i].required);
	json_t *d = json_pack("{sI ss? si si}", "event_id", (json_int_t)r->event_id, "reason",
	                      r->reason, "priority", prio, "level", level);
	if (rc == 0)
		rc = alarm_history_tx(tx, aid, r->at_ms, r->actor, "raised", d, err);
	if (rc == 0)
		rc = alarm_publish_tx(tx, aid, "raised", r->actor, "alarm.raise", d,
		                      r->source_event, err);
	json_decref(d);
	if (rc == 0) {
		*id = aid;
		*folded = 0;
	}
	return rc;
}

/* The alarm's state, or PG_ENOTFOUND. */
static int state_of(struct store_tx *tx, int64_t id, int *state, struct pg_err *err)
{
	struct store_rows *q = NULL;
	int rc = store_query(tx, &q, err, "SELECT state FROM alarms WHERE id = ?1", "i", id);
	if (rc < 0)
		return rc;
	rc = store_next(q);
	if (rc == 1)
		*state = alarm_state_parse(store_text(q, 0));
	store_rows_free(q);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading the alarm failed");
	if (rc == 0)
		return pg_err_set(err, PG_ENOTFOUND, "no alarm %lld", (long long)id);
	return 0;
}

static int illegal(struct pg_err *err, int from, const char *what)
{
	if (from == ALARM_RESOLVED)
		return pg_err_set(err, PG_ECONFLICT, "the alarm is resolved: it cannot be %s",
		                  what);
	if (from == ALARM_NEW)
		return pg_err_set(err, PG_ECONFLICT,
		                  "the alarm is new: acknowledge it before it can be %s", what);
	return pg_err_set(err, PG_ECONFLICT, "the alarm is %s: it cannot be %s",
	                  alarm_state_name(from), what);
}

int alarm_ack_tx(struct store_tx *tx, int64_t id, const char *actor, int64_t now_ms,
                 struct pg_err *err)
{
	int st = 0;
	int rc = state_of(tx, id, &st, err);
	if (rc < 0)
		return rc;
	if (!alarm_transition_allowed(st, ALARM_ACKNOWLEDGED))
		return pg_err_set(err, PG_ECONFLICT,
		                  "the alarm is %s: only a new alarm can be "
		                  "acknowledged",
		                  alarm_state_name(st));
	rc = store_exec(tx, err,
	                "UPDATE alarms SET state = 'acknowledged', acknowledged_by = ?2, "
	                "acknowledged_ms = ?3, next_escalation_ms = NULL WHERE id = ?1",
	                "iti", id, actor, now_ms);
	if (rc == 0)
		rc = alarm_history_tx(tx, id, now_ms, actor, "acknowledged", NULL, err);
	if (rc == 0)
		rc = alarm_publish_tx(tx, id, "acknowledged", actor, "alarm.acknowledge", NULL,
		                      NULL, err);
	return rc;
}

int alarm_assign_tx(struct store_tx *tx, int64_t id, const char *user, const char *actor,
                    int64_t now_ms, struct pg_err *err)
{
	int st = 0;
	int rc = state_of(tx, id, &st, err);
	if (rc < 0)
		return rc;
	if (!alarm_transition_allowed(st, ALARM_IN_PROGRESS))
		return illegal(err, st, "assigned");
	struct store_rows *q = NULL;
	rc = store_query(tx, &q, err, "SELECT 1 FROM users WHERE username = ?1 AND NOT disabled",
	                 "t", user);
	if (rc < 0)
		return rc;
	rc = store_next(q);
	store_rows_free(q);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading users failed");
	if (rc == 0)
		return pg_err_field(err, PG_EUNPROCESSABLE, "user", "no active user '%.64s'", user);
	rc = store_exec(
	    tx, err,
	    "UPDATE alarms SET state = 'in_progress', assigned_to = ?2, assigned_ms = ?3 "
	    "WHERE id = ?1",
	    "iti", id, user, now_ms);
	json_t *d = json_pack("{ss}", "user", user);
	if (rc == 0)
		rc = alarm_history_tx(tx, id, now_ms, actor, "assigned", d, err);
	if (rc == 0)
		rc = alarm_publish_tx(tx, id, "assigned", actor, "alarm.assign", d, NULL, err);
	json_decref(d);
	return rc;
}

int alarm_step_tx(struct store_tx *tx, int64_t id, int n, int done, const char *note,
                  const char *actor, int64_t now_ms, struct pg_err *err)
{
	int st = 0;
	int rc = state_of(tx, id, &st, err);
	if (rc < 0)
		return rc;
	if (st != ALARM_ACKNOWLEDGED && st != ALARM_IN_PROGRESS)
		return illegal(err, st, "worked on");
	rc = store_exec(tx, err,
	                "UPDATE alarm_steps SET done = ?3, done_by = CASE WHEN ?3 THEN ?4 END, "
	                "done_ms = CASE WHEN ?3 THEN ?5 END, note = coalesce(?6, note) "
	                "WHERE alarm_id = ?1 AND n = ?2",
	                "iiitit", id, (int64_t)n, (int64_t)(done != 0), actor, now_ms, note);
	if (rc < 0)
		return rc;
	if (store_changes(tx) == 0)
		return pg_err_field(err, PG_ENOTFOUND, "n", "alarm %lld has no step %d",
		                    (long long)id, n);
	if (st == ALARM_ACKNOWLEDGED)
		rc = store_exec(tx, err, "UPDATE alarms SET state = 'in_progress' WHERE id = ?1",
		                "i", id);
	json_t *d = json_pack("{si sb ss?}", "n", n, "done", done != 0, "note", note);
	if (rc == 0)
		rc = alarm_history_tx(tx, id, now_ms, actor, "step", d, err);
	if (rc == 0)
		rc = alarm_publish_tx(tx, id, "step", actor, "alarm.step", d, NULL, err);
	json_decref(d);
	return rc;
}

int alarm_resolve_tx(struct store_tx *tx, int64_t id, const char *outcome, const char *notes,
                     const char *actor, int64_t now_ms, json_t **missing, struct pg_err *err)
{
	if (!alarm_outcome_valid(outcome))
		return pg_err_field(err, PG_EUNPROCESSABLE, "outcome",
		                    "outcome must be genuine, false_alarm, test or nuisance");
	int st = 0;
	int rc = state_of(tx, id, &st, err);
	if (rc < 0)
		return rc;
	if (!alarm_transition_allowed(st, ALARM_RESOLVED))
		return illegal(err, st, "resolved");
	json_t *open = NULL;
	rc =
	    store_query_json(tx, &open, err,
	                     "SELECT n, text FROM alarm_steps WHERE alarm_id = ?1 AND required AND "
	                     "NOT done ORDER BY n",
	                     "i", id);
	if (rc < 0)
		return rc;
	if (json_array_size(open) > 0) {
		struct pg_buf b;
		pg_buf_init(&b, 400);
		size_t i;
		json_t *s;
		json_array_foreach(open, i, s)
		{
			if (pg_buf_printf(&b, "%s%lld (%s)", i ? ", " : "",
			                  (long long)json_integer_value(json_object_get(s, "n")),
			                  json_string_value(json_object_get(s, "text"))) < 0) {
				pg_buf_puts(&b, ", ...");
				break;
			}
		}
		rc = pg_err_field(err, PG_ECONFLICT, "steps", "required steps not done: %s",
		                  b.p ? b.p : "");
		pg_buf_release(&b);
		if (missing)
			*missing = open;
		else
			json_decref(open);
		return rc;
	}
	json_decref(open);
	rc = store_exec(tx, err,
	                "UPDATE alarms SET state = 'resolved', resolved_by = ?2, resolved_ms = ?3, "
	                "outcome = ?4, notes = ?5, next_escalation_ms = NULL WHERE id = ?1",
	                "ititt", id, actor, now_ms, outcome, notes);
	json_t *d = json_pack("{ss ss?}", "outcome", outcome, "notes", notes);
	if (rc == 0)
		rc = alarm_history_tx(tx, id, now_ms, actor, "resolved", d, err);
	if (rc == 0)
		rc = alarm_publish_tx(tx, id, "resolved", actor, "alarm.resolve", d, NULL, err);
	json_decref(d);
	return rc;
}
