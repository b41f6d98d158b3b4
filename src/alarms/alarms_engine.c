/* alarms_engine.c - from committed events to alarms, exactly once.
 *
 * The engine reads the stored event log after its cursor. A batch that holds events of
 * the topics it evaluates (sensors, access, ais, training) is evaluated in one write
 * transaction that also advances the stored cursor, so an event is evaluated once and
 * never skipped, whatever crashes. Batches of other topics only move the in-memory
 * cursor: reading them again after a restart changes nothing.
 *
 * What each event means is the table `maps` below and the few functions it names. */
#include <string.h>

#include "alarms_int.h"

#define TOPICS "sensors,access,ais,training"
#define BATCH  256

/* ---- reading an event -------------------------------------------------------------------- */

struct ev {
	int64_t id, at_ms;
	const char *topic;
	json_t *d; /* data */
	struct alarm_folds *folds; /* the batch's repeats, published once at its end */
};

static const char *str(const struct ev *e, const char *key)
{
	return json_string_value(json_object_get(e->d, key));
}

static int64_t num(const struct ev *e, const char *key)
{
	json_t *v = json_object_get(e->d, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* zone_id, or zone.id of an access decision. */
static int64_t zone_of(const struct ev *e)
{
	int64_t z = num(e, "zone_id");
	if (!z)
		z = (int64_t)json_integer_value(
		    json_object_get(json_object_get(e->d, "zone"), "id"));
	return z;
}

static void position(const struct ev *e, struct alarm_raise *r)
{
	json_t *la = json_object_get(e->d, "lat"), *lo = json_object_get(e->d, "lon");
	if (json_is_number(la) && json_is_number(lo) && json_number_value(la) >= -90 &&
	    json_number_value(la) <= 90 && json_number_value(lo) >= -180 &&
	    json_number_value(lo) <= 180) {
		r->has_pos = 1;
		r->lat = json_number_value(la);
		r->lon = json_number_value(lo);
	}
}

static int raise_alarm(struct store_tx *tx, const struct alarm_kinds *ks, struct alarm_raise *r,
                       struct alarm_folds *folds, struct pg_err *err)
{
	r->folds = folds;
	int64_t id;
	int folded;
	if (!r->actor)
		r->actor = "system";
	json_t *given = r->source_event;
	if (given) { /* the event's data, with its id, goes with the alarm event */
		r->source_event = json_deep_copy(given);
		json_object_set_new(r->source_event, "event_id", json_integer(r->event_id));
	}
	int rc = alarm_raise_tx(tx, ks, r, &id, &folded, err);
	json_decref(r->source_event);
	r->source_event = given;
	if (rc == PG_EUNPROCESSABLE) { /* a kind the table lost: the event stays unevaluated */
		pg_warn("alarms: event %s: %s", r->source_key ? r->source_key : "", err->msg);
		return 0;
	}
	return rc;
}

/* The source is back to normal: recorded on its open alarms (not resolved: people do). */
static int source_normal(struct store_tx *tx, const char *key, int offline, const char *reason,
                         int64_t at_ms, struct pg_err *err)
{
	json_t *ids = NULL;
	int rc = store_query_json(tx, &ids, err,
	                          "SELECT id FROM alarms WHERE source_key = ?1 AND state <> "
	                          "'resolved' AND coalesce(source_state, '') <> 'normal' AND "
	                          "(kind = 'sensor_offline') = (?2 = 1)",
	                          "ti", key, (int64_t)offline);
	if (rc < 0)
		return rc;
	size_t i;
	json_t *row;
	json_t *d = json_pack("{ss?}", "reason", reason);
	json_array_foreach(ids, i, row)
	{
		int64_t id = (int64_t)json_integer_value(json_object_get(row, "id"));
		rc = store_exec(tx, err, "UPDATE alarms SET source_state = 'normal' WHERE id = ?1",
		                "i", id);
		if (rc == 0)
			rc = alarm_history_tx(tx, id, at_ms, "system", "source_normal", d, err);
		if (rc == 0)
			rc = alarm_publish_tx(tx, id, "source_normal", "system", NULL, NULL, NULL,
			                      err);
		if (rc < 0)
			break;
	}
	json_decref(d);
	json_decref(ids);
	return rc;
}

/* ---- sensors ------------------------------------------------------------------------------ */

static void sensor_raise(const struct ev *e, struct alarm_raise *r, char *key, size_t keyn,
                         const char *kind)
{
	pg_snprintf(key, keyn, "sensor:%lld", (long long)num(e, "sensor_id"));
	r->kind = kind;
	r->source = "sensor";
	r->source_key = key;
	r->source_name = str(e, "sensor");
	r->zone_id = num(e, "zone_id");
	r->event_id = e->id;
	r->source_event = e->d;
	r->at_ms = e->at_ms;
	position(e, r);
}

static int door_contact(struct store_tx *tx, const struct alarm_kinds *ks, const struct ev *e,
                        const char *state, struct pg_err *err)
{
	int64_t sensor = num(e, "sensor_id"), reader = num(e, "reader_id");
	char key[48], reason[300];
	if (strcmp(state, "normal") == 0) {
		int rc =
		    store_exec(tx, err,
		               "UPDATE alarm_doors SET open = 0, held_raised = 0 WHERE sensor_id "
		               "= ?1",
		               "i", sensor);
		pg_snprintf(key, sizeof(key), "sensor:%lld", (long long)sensor);
		return rc < 0 ? rc : source_normal(tx, key, 0, "the door closed", e->at_ms, err);
	}
	/* opened: was anyone let through at its reader just before? */
	struct store_rows *q = NULL;
	int granted = 0;
	int rc = 0;
	if (reader) {
		rc = store_query(
		    tx, &q, err,
		    "SELECT 1 FROM alarm_reader_activity WHERE reader_id = ?1 AND what = "
		    "'grant' AND at_ms BETWEEN ?2 AND ?3 LIMIT 1",
		    "iii", reader, e->at_ms - ks->rules.forced_door_grant_s * 1000LL, e->at_ms);
		if (rc < 0)
			return rc;
		granted = store_next(q);
		store_rows_free(q);
		if (granted < 0)
			return pg_err_set(err, PG_EIO, "store: reading reader activity failed");
	}
	json_t *la = json_object_get(e->d, "lat"), *lo = json_object_get(e->d, "lon");
	rc = store_exec(
	    tx, err,
	    "INSERT INTO alarm_doors(sensor_id, reader_id, zone_id, name, lat, lon, open, "
	    "opened_ms, held_raised) VALUES (?1, nullif(?2, 0), nullif(?3, 0), ?4, CASE "
	    "WHEN ?7 THEN ?5 END, CASE WHEN ?7 THEN ?6 END, 1, ?8, 0) "
	    "ON CONFLICT(sensor_id) DO UPDATE SET reader_id = excluded.reader_id, zone_id "
	    "= excluded.zone_id, name = excluded.name, lat = excluded.lat, lon = "
	    "excluded.lon, opened_ms = CASE WHEN open THEN opened_ms ELSE "
	    "excluded.opened_ms END, held_raised = CASE WHEN open THEN held_raised ELSE 0 "
	    "END, open = 1",
	    "iiitddii", sensor, reader, num(e, "zone_id"), str(e, "sensor"), json_number_value(la),
	    json_number_value(lo), (int64_t)(json_is_number(la) && json_is_number(lo)), e->at_ms);
	if (rc < 0 || granted)
		return rc;
	struct alarm_raise r = {0};
	sensor_raise(e, &r, key, sizeof(key), "door_forced");
	if (reader)
		pg_snprintf(reason, sizeof(reason),
		            "door %.80s opened with no access granted at reader %lld in the %d s "
		            "before",
		            str(e, "sensor") ? str(e, "sensor") : "?", (long long)reader,
		            ks->rules.forced_door_grant_s);
	else
		pg_snprintf(reason, sizeof(reason), "door %.80s (no reader) opened",
		            str(e, "sensor") ? str(e, "sensor") : "?");
	r.reason = reason;
	return raise_alarm(tx, ks, &r, e->folds, err);
}

static int on_sensor(struct store_tx *tx, const struct alarm_kinds *ks, const struct ev *e,
                     struct pg_err *err)
{
	const char *action = str(e, "action"), *state = str(e, "state"), *kind = str(e, "kind");
	if (!action || !num(e, "sensor_id"))
		return 0;
	char key[48], reason[300];
	struct alarm_raise r = {0};
	if (strcmp(action, "offline") == 0 || strcmp(action, "online") == 0) {
		if (action[1] == 'n') {
			pg_snprintf(key, sizeof(key), "sensor:%lld",
			            (long long)num(e, "sensor_id"));
			return source_normal(tx, key, 1, str(e, "reason"), e->at_ms, err);
		}
		sensor_raise(e, &r, key, sizeof(key), "sensor_offline");
		r.reason = str(e, "reason");
		return raise_alarm(tx, ks, &r, e->folds, err);
	}
	if (strcmp(action, "event") != 0 || !state || !kind)
		return 0;
	if (strcmp(kind, "door_contact") == 0 &&
	    (strcmp(state, "alarm") == 0 || strcmp(state, "normal") == 0))
		return door_contact(tx, ks, e, state, err);
	if (strcmp(state, "normal") == 0) {
		pg_snprintf(key, sizeof(key), "sensor:%lld", (long long)num(e, "sensor_id"));
		return source_normal(tx, key, 0, str(e, "reason"), e->at_ms, err);
	}
	const char *ak = strcmp(state, "tamper") == 0  ? "sensor_tamper"
	                 : strcmp(state, "fault") == 0 ? "sensor_fault"
	                 : strcmp(state, "alarm") == 0
	                     ? (alarm_kind_find(ks, kind) ? kind : "sensor_alarm")
	                     : NULL;
	if (!ak)
		return 0;
	sensor_raise(e, &r, key, sizeof(key), ak);
	r.reason = str(e, "reason");
	if (!r.reason) {
		json_t *v = json_object_get(e->d, "value");
		if (json_is_number(v))
			pg_snprintf(reason, sizeof(reason), "%.40s %.80s: %s, value %g %.20s", kind,
			            r.source_name ? r.source_name : "?", state,
			            json_number_value(v), str(e, "unit") ? str(e, "unit") : "");
		else
			pg_snprintf(reason, sizeof(reason), "%.40s %.80s: %s", kind,
			            r.source_name ? r.source_name : "?", state);
		r.reason = reason;
	}
	return raise_alarm(tx, ks, &r, e->folds, err);
}

/* ---- access ------------------------------------------------------------------------------- */

static void access_raise(const struct ev *e, struct alarm_raise *r, char *key, size_t keyn,
                         const char *kind)
{
	pg_snprintf(key, keyn, "reader:%lld", (long long)num(e, "reader_id"));
	r->kind = kind;
	r->source = "access";
	r->source_key = key;
	r->source_name = str(e, "reader");
	r->zone_id = zone_of(e);
	r->event_id = e->id;
	r->source_event = e->d;
	r->at_ms = e->at_ms;
}

static int on_decision(struct store_tx *tx, const struct alarm_kinds *ks, const struct ev *e,
                       struct pg_err *err)
{
	int64_t reader = num(e, "reader_id");
	const char *decision = str(e, "decision"), *why = str(e, "reason");
	if (!reader || !decision)
		return 0;
	int deny = strcmp(decision, "deny") == 0;
	const struct alarm_rules *ru = &ks->rules;
	int64_t keep = (ru->denials_window_s > ru->forced_door_grant_s ? ru->denials_window_s
	                                                               : ru->forced_door_grant_s) *
	               1000LL;
	int rc = store_exec(tx, err,
	                    "DELETE FROM alarm_reader_activity WHERE reader_id = ?1 AND at_ms < ?2",
	                    "ii", reader, e->at_ms - keep - 60000);
	if (rc == 0)
		rc = store_exec(tx, err,
		                "INSERT INTO alarm_reader_activity(reader_id, what, at_ms) VALUES "
		                "(?1, ?2, ?3)",
		                "iti", reader, deny ? "deny" : "grant", e->at_ms);
	if (rc < 0 || !deny)
		return rc;
	char key[48], reason[300];
	const char *person =
	    json_string_value(json_object_get(json_object_get(e->d, "person"), "name"));
	struct alarm_raise r = {0};
	if (why && (strcmp(why, "anti_passback") == 0 || strcmp(why, "watchlisted") == 0)) {
		access_raise(e, &r, key, sizeof(key),
		             why[0] == 'a' ? "anti_passback" : "watchlist_presented");
		pg_snprintf(reason, sizeof(reason), "%s at reader %.80s: %.80s refused",
		            why[0] == 'a' ? "anti-passback" : "watch-listed person",
		            r.source_name ? r.source_name : "?", person && *person ? person : "?");
		r.reason = reason;
		if ((rc = raise_alarm(tx, ks, &r, e->folds, err)) < 0)
			return rc;
	}
	struct store_rows *q = NULL;
	rc = store_query(
	    tx, &q, err,
	    "SELECT count(*) FROM alarm_reader_activity WHERE reader_id = ?1 AND what = "
	    "'deny' AND at_ms > ?2 AND at_ms <= ?3",
	    "iii", reader, e->at_ms - ru->denials_window_s * 1000LL, e->at_ms);
	if (rc < 0)
		return rc;
	int64_t n = 0;
	if ((rc = store_next(q)) == 1)
		n = store_int(q, 0);
	store_rows_free(q);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading reader activity failed");
	if (n < ru->denials)
		return 0;
	memset(&r, 0, sizeof(r));
	access_raise(e, &r, key, sizeof(key), "access_denied_repeated");
	pg_snprintf(reason, sizeof(reason),
	            "%lld denials at reader %.80s within %d s (last: %.60s)", (long long)n,
	            r.source_name ? r.source_name : "?", ru->denials_window_s, why ? why : "?");
	r.reason = reason;
	return raise_alarm(tx, ks, &r, e->folds, err);
}

static int on_access(struct store_tx *tx, const struct alarm_kinds *ks, const struct ev *e,
                     struct pg_err *err)
{
	const char *action = str(e, "action");
	if (!action)
		return 0;
	if (strcmp(action, "decision") == 0)
		return on_decision(tx, ks, e, err);
	if (strcmp(action, "alarm") != 0)
		return 0;
	const char *kind = str(e, "kind");
	if (!kind)
		return 0;
	const char *ak =
	    strncmp(kind, "credential_lost", 15) == 0 || strncmp(kind, "credential_stolen", 17) == 0
	        ? "credential_lost_presented"
	    : strncmp(kind, "anti_passback", 13) == 0 ? "anti_passback"
	    : alarm_kind_find(ks, kind)               ? kind
	                                              : NULL;
	if (!ak)
		return 0;
	char key[48], reason[300];
	struct alarm_raise r = {0};
	access_raise(e, &r, key, sizeof(key), ak);
	if (strcmp(ak, "zone_capacity_reached") == 0)
		pg_snprintf(key, sizeof(key), "zone:%lld", (long long)zone_of(e));
	pg_snprintf(reason, sizeof(reason), "%.60s at reader %lld: %.200s", kind,
	            (long long)num(e, "reader_id"), str(e, "detail") ? str(e, "detail") : "");
	r.reason = reason;
	return raise_alarm(tx, ks, &r, e->folds, err);
}

/* ---- AIS and training --------------------------------------------------------------------- */

static int on_ais(struct store_tx *tx, const struct alarm_kinds *ks, const struct ev *e,
                  struct pg_err *err)
{
	const char *action = str(e, "action"), *kind = str(e, "kind");
	if (!action || strcmp(action, "anomaly") != 0 || !kind)
		return 0;
	char ak[ALARM_KIND_LEN], key[48], name[32];
	if (pg_snprintf(ak, sizeof(ak), "ais_%s", kind) < 0 || !alarm_kind_find(ks, ak))
		return 0;
	int64_t mmsi = num(e, "mmsi");
	pg_snprintf(key, sizeof(key), "ais:%lld", (long long)mmsi);
	pg_snprintf(name, sizeof(name), "MMSI %lld", (long long)mmsi);
	struct alarm_raise r = {.kind = ak,
	                        .source = "ais",
	                        .source_key = key,
	                        .source_name = str(e, "name") ? str(e, "name") : name,
	                        .reason = str(e, "reason"),
	                        .zone_id = num(e, "zone_id"),
	                        .event_id = e->id,
	                        .source_event = e->d,
	                        .at_ms = e->at_ms};
	position(e, &r);
	return raise_alarm(tx, ks, &r, e->folds, err);
}

static int on_training(struct store_tx *tx, const struct alarm_kinds *ks, const struct ev *e,
                       struct pg_err *err)
{
	const char *action = str(e, "action");
	if (!action || (strcmp(action, "drill_overdue") != 0 && strcmp(action, "exercise_overdue")))
		return 0;
	char key[80];
	const char *what = str(e, "name") ? str(e, "name") : str(e, "drill");
	pg_snprintf(key, sizeof(key), "training:%.60s", what ? what : action);
	struct alarm_raise r = {.kind = action,
	                        .source = "training",
	                        .source_key = key,
	                        .source_name = what,
	                        .reason = str(e, "reason"),
	                        .event_id = e->id,
	                        .source_event = e->d,
	                        .at_ms = e->at_ms};
	return raise_alarm(tx, ks, &r, e->folds, err);
}

static const struct {
	const char *topic;
	int (*fn)(struct store_tx *, const struct alarm_kinds *, const struct ev *,
	          struct pg_err *);
} maps[] = {
    {"sensors", on_sensor},
    {"access", on_access},
    {"ais", on_ais},
    {"training", on_training},
};

static int relevant(const char *topic)
{
	for (size_t i = 0; topic && i < sizeof(maps) / sizeof(maps[0]); i++)
		if (strcmp(maps[i].topic, topic) == 0)
			return (int)i + 1;
	return 0;
}

/* ---- batches ----------------------------------------------------------------------------- */

struct batch {
	const struct alarm_kinds *ks;
	json_t *events;
	int64_t last; /* the id to store as the cursor */
	int evaluated;
};

static int batch_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct batch *b = vctx;
	struct store_rows *q = NULL;
	int rc = store_query(tx, &q, err, "SELECT event_id FROM alarm_cursor WHERE one = 1", "");
	if (rc < 0)
		return rc;
	int64_t stored = 0;
	if ((rc = store_next(q)) == 1)
		stored = store_int(q, 0);
	store_rows_free(q);
	if (rc != 1)
		return pg_err_set(err, PG_EIO, "store: the alarm cursor is missing");
	size_t i;
	json_t *env;
	struct alarm_folds folds = {0};
	json_array_foreach(b->events, i, env)
	{
		struct ev e = {.id = (int64_t)json_integer_value(json_object_get(env, "id")),
		               .topic = json_string_value(json_object_get(env, "topic")),
		               .d = json_object_get(env, "data"),
		               .folds = &folds};
		int m = relevant(e.topic);
		if (!m || e.id <= stored || !json_is_object(e.d))
			continue; /* evaluated already (another engine, a retried batch) */
		if (pg_time_parse(json_string_value(json_object_get(env, "at")), &e.at_ms) < 0)
			e.at_ms = pg_now_ms();
		struct pg_err e2 = {0};
		b->evaluated++;
		rc = maps[m - 1].fn(tx, b->ks, &e, &e2);
		if (rc == PG_EINVAL || rc == PG_EUNPROCESSABLE) {
			pg_warn("alarms: event %lld (%s) not evaluated: %s", (long long)e.id,
			        e.topic, e2.msg);
			rc = 0;
		}
		if (rc < 0) {
			*err = e2;
			alarm_folds_release(&folds);
			return rc;
		}
	}
	rc = alarm_folds_flush(tx, &folds, err);
	alarm_folds_release(&folds);
	if (rc == 0 && b->last > stored)
		rc = store_exec(tx, err, "UPDATE alarm_cursor SET event_id = ?1 WHERE one = 1", "i",
		                b->last);
	return rc;
}

/* Evaluates the events of the topics from *cursor on; moves *cursor; *done = events read. A
 * batch without events to evaluate is written (the stored cursor moved) only if persist is
 * set. */
static int evaluate(struct store *s, const struct alarm_kinds *ks, const struct pg_bus_sub *topics,
                    int64_t *cursor, int limit, int persist, int *done, int *evaluated,
                    struct pg_err *err)
{
	json_t *evs = NULL;
	/* only the topics evaluated are parsed (the log holds the alarms' own events too) */
	int rc = store_events_after(s, *cursor, topics, limit, &evs, err);
	if (rc < 0)
		return rc;
	size_t n = json_array_size(evs);
	int any = 0;
	for (size_t i = 0; i < n && !any; i++)
		any = relevant(json_string_value(json_object_get(json_array_get(evs, i), "topic")));
	int64_t last =
	    n ? (int64_t)json_integer_value(json_object_get(json_array_get(evs, n - 1), "id"))
	      : *cursor;
	if (any || (persist && n)) {
		struct batch b = {ks, evs, last, 0};
		rc = store_write(s, batch_fn, &b, err);
		if (evaluated)
			*evaluated = rc == 0 ? b.evaluated : 0;
	}
	json_decref(evs);
	if (rc < 0)
		return rc;
	*cursor = last;
	*done = (int)n;
	return 0;
}

static int cursor_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct store_rows *q = NULL;
	int rc = store_query(tx, &q, err, "SELECT event_id FROM alarm_cursor WHERE one = 1", "");
	if (rc < 0)
		return rc;
	rc = store_next(q);
	if (rc == 1)
		*(int64_t *)vctx = store_int(q, 0);
	store_rows_free(q);
	return rc == 1 ? 0 : pg_err_set(err, PG_EIO, "store: the alarm cursor is missing");
}

int alarms_evaluate(struct store *s, const struct alarm_kinds *ks, int limit, int64_t now_ms,
                    int *done, struct pg_err *err)
{
	(void)now_ms; /* events carry their own time */
	int64_t cursor = 0;
	int rc = store_read(s, cursor_fn, &cursor, err);
	if (rc < 0)
		return rc;
	struct pg_bus *bus = pg_bus_new(); /* a filter only: nothing is published on it */
	struct pg_bus_sub *topics = pg_bus_subscribe(bus, TOPICS, NULL, NULL);
	rc = evaluate(s, ks, topics, &cursor, limit, 1, done, NULL, err);
	pg_bus_unsubscribe(topics);
	pg_bus_free(bus);
	return rc;
}

/* ---- timers ------------------------------------------------------------------------------ */

struct tick {
	const struct alarm_kinds *ks;
	int64_t now, next;
};

static int next_deadline(struct store_tx *tx, const struct alarm_kinds *ks, int64_t *next,
                         struct pg_err *err)
{
	struct store_rows *q = NULL;
	int rc =
	    store_query(tx, &q, err,
	                "SELECT (SELECT min(next_escalation_ms) FROM alarms WHERE "
	                "next_escalation_ms IS NOT NULL), (SELECT min(opened_ms) FROM alarm_doors "
	                "WHERE open AND NOT held_raised)",
	                "");
	if (rc < 0)
		return rc;
	*next = INT64_MAX;
	if ((rc = store_next(q)) == 1) {
		if (!store_is_null(q, 0))
			*next = store_int(q, 0);
		if (!store_is_null(q, 1) &&
		    store_int(q, 1) + ks->rules.door_held_open_s * 1000LL < *next)
			*next = store_int(q, 1) + ks->rules.door_held_open_s * 1000LL;
	}
	store_rows_free(q);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading deadlines failed") : 0;
}

static int escalate(struct store_tx *tx, const struct alarm_kinds *ks, int64_t now,
                    struct pg_err *err)
{
	json_t *due = NULL;
	int rc = store_query_json(tx, &due, err,
	                          "SELECT id, priority, escalations, escalate_s, state FROM alarms "
	                          "WHERE next_escalation_ms <= ?1 ORDER BY next_escalation_ms",
	                          "i", now);
	if (rc < 0)
		return rc;
	size_t i;
	json_t *a;
	json_array_foreach(due, i, a)
	{
		int64_t id = (int64_t)json_integer_value(json_object_get(a, "id"));
		int p = (int)json_integer_value(json_object_get(a, "priority"));
		int step = (int)json_integer_value(json_object_get(a, "escalations")) + 1;
		int64_t es = (int64_t)json_integer_value(json_object_get(a, "escalate_s"));
		const char *st = json_string_value(json_object_get(a, "state"));
		if (!st || strcmp(st, "new") != 0) { /* acknowledged meanwhile */
			rc = store_exec(tx, err,
			                "UPDATE alarms SET next_escalation_ms = NULL WHERE id = ?1",
			                "i", id);
			if (rc < 0)
				break;
			continue;
		}
		int np = p > 1 ? p - 1 : 1;
		int64_t next = step < ks->rules.escalation_steps && es > 0 ? now + es * 1000 : 0;
		rc = store_exec(
		    tx, err,
		    "UPDATE alarms SET priority = ?2, escalations = ?3, next_escalation_ms "
		    "= nullif(?4, 0) WHERE id = ?1",
		    "iiii", id, (int64_t)np, (int64_t)step, next);
		json_t *d = json_pack("{si si si sI}", "step", step, "from", p, "to", np,
		                      "unacknowledged_s", (json_int_t)(es * step));
		if (rc == 0)
			rc = alarm_history_tx(tx, id, now, "system", "escalated", d, err);
		if (rc == 0)
			rc = alarm_publish_tx(tx, id, "escalated", "system", "alarm.escalate", d,
			                      NULL, err);
		json_decref(d);
		if (rc < 0)
			break;
	}
	json_decref(due);
	return rc;
}

static int doors_held(struct store_tx *tx, const struct alarm_kinds *ks, int64_t now,
                      struct pg_err *err)
{
	json_t *doors = NULL;
	int rc =
	    store_query_json(tx, &doors, err,
	                     "SELECT sensor_id, reader_id, zone_id, name, lat, lon, opened_ms "
	                     "FROM alarm_doors WHERE open AND NOT held_raised AND opened_ms <= ?1",
	                     "i", now - ks->rules.door_held_open_s * 1000LL);
	if (rc < 0)
		return rc;
	size_t i;
	json_t *d;
	json_array_foreach(doors, i, d)
	{
		int64_t sensor = (int64_t)json_integer_value(json_object_get(d, "sensor_id"));
		char key[48], reason[200];
		pg_snprintf(key, sizeof(key), "sensor:%lld", (long long)sensor);
		const char *name = json_string_value(json_object_get(d, "name"));
		pg_snprintf(reason, sizeof(reason), "door %.80s open for more than %d s",
		            name ? name : "?", ks->rules.door_held_open_s);
		struct ev e = {.d = d};
		struct alarm_raise r = {.kind = "door_held_open",
		                        .source = "sensor",
		                        .source_key = key,
		                        .source_name = name,
		                        .reason = reason,
		                        .zone_id = num(&e, "zone_id"),
		                        .at_ms = now};
		position(&e, &r);
		rc = store_exec(tx, err,
		                "UPDATE alarm_doors SET held_raised = 1 WHERE sensor_id = ?1", "i",
		                sensor);
		if (rc == 0)
			rc = raise_alarm(tx, ks, &r, NULL, err);
		if (rc < 0)
			break;
	}
	json_decref(doors);
	return rc;
}

static int tick_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct tick *t = vctx;
	int rc = escalate(tx, t->ks, t->now, err);
	if (rc == 0)
		rc = doors_held(tx, t->ks, t->now, err);
	if (rc == 0)
		rc = next_deadline(tx, t->ks, &t->next, err);
	return rc;
}

int alarms_tick(struct store *s, const struct alarm_kinds *ks, int64_t now_ms, int64_t *next_ms,
                struct pg_err *err)
{
	struct tick t = {ks, now_ms, INT64_MAX};
	int rc = store_write(s, tick_fn, &t, err);
	if (rc == 0 && next_ms)
		*next_ms = t.next;
	return rc;
}

static int deadline_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct tick *t = vctx;
	return next_deadline(tx, t->ks, &t->next, err);
}

/* ---- the thread --------------------------------------------------------------------------- */

static void on_published(void *ctx)
{
	struct alarms *a = ctx;
	pthread_mutex_lock(&a->lock);
	a->wake = 1;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

void alarms_retime(struct alarms *a)
{
	pthread_mutex_lock(&a->lock);
	a->retime = 1;
	a->wake = 1;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

#define RESYNC_MS 30000 /* look at the store this often anyway (writes by other processes) */
#define RETRY_MS  1000

static void *engine(void *arg)
{
	struct alarms *a = arg;
	int64_t next = 0; /* run the timers once at start */
	for (;;) {
		pthread_mutex_lock(&a->lock);
		int64_t now = pg_now_ms();
		int64_t until = next < now + RESYNC_MS ? next : now + RESYNC_MS;
		while (!a->stop && !a->wake && now < until) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			int64_t ms = until - now;
			ts.tv_sec += ms / 1000;
			ts.tv_nsec += (ms % 1000) * 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&a->cond, &a->lock, &ts);
			now = pg_now_ms();
		}
		int stop = a->stop, retime = a->retime;
		a->wake = 0;
		a->retime = 0;
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		/* the bus only wakes us: what to evaluate is read from the store */
		int64_t id;
		char *json;
		while (pg_bus_next(a->sub, &id, &json) != 0)
			if (json)
				pg_free(json), json = NULL;
		struct pg_err err = {0};
		int done = 0, rc = 0, evaluated = 0;
		do {
			int n = 0;
			rc =
			    evaluate(a->s, a->kinds, a->sub, &a->cursor, BATCH, 0, &done, &n, &err);
			evaluated += done;
			if (n) {
				__atomic_add_fetch(&a->m_evaluated, n, __ATOMIC_RELAXED);
				__atomic_add_fetch(&a->m_batches, 1, __ATOMIC_RELAXED);
			}
		} while (rc == 0 && done == BATCH);
		__atomic_store_n(&a->m_cursor, a->cursor, __ATOMIC_RELAXED);
		if (rc < 0) {
			__atomic_add_fetch(&a->m_errors, 1, __ATOMIC_RELAXED);
			pg_error("alarms: evaluating events after %lld: %s", (long long)a->cursor,
			         err.msg);
			next = pg_now_ms() + RETRY_MS;
			continue;
		}
		now = pg_now_ms();
		struct tick t = {a->kinds, now, INT64_MAX};
		if (now >= next)
			rc = store_write(a->s, tick_fn, &t, &err);
		else if (evaluated || retime)
			rc = store_read(a->s, deadline_fn, &t, &err);
		else
			t.next = next;
		if (rc < 0) {
			pg_error("alarms: timers: %s", err.msg);
			t.next = now + RETRY_MS;
		}
		next = t.next;
	}
	return NULL;
}

int alarms_open(struct store *s, struct pg_bus *bus, const char *kinds_path, struct alarms **out,
                struct pg_err *err)
{
	struct alarm_kinds *ks = NULL;
	int rc;
	if (kinds_path && *kinds_path) {
		if ((rc = alarm_kinds_load(kinds_path, &ks, err)) < 0)
			return rc;
	} else {
		ks = alarm_kinds_default();
	}
	struct alarms *a = pg_calloc(1, sizeof(*a));
	a->s = s;
	a->bus = bus;
	a->kinds = ks;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if ((rc = store_read(s, cursor_fn, &a->cursor, err)) < 0)
		goto fail;
	if (bus) {
		a->sub = pg_bus_subscribe(bus, TOPICS, on_published, a);
		if (!a->sub) {
			rc = pg_err_set(err, PG_EIO, "alarms: cannot subscribe to the bus");
			goto fail;
		}
		if (pthread_create(&a->thread, NULL, engine, a) != 0) {
			rc = pg_err_set(err, PG_EIO, "alarms: cannot start the engine thread");
			goto fail;
		}
		a->started = 1;
	}
	*out = a;
	return 0;
fail:
	alarms_close(a);
	return rc;
}

void alarms_close(struct alarms *a)
{
	if (!a)
		return;
	alarms_metrics_unregister();
	if (a->started) {
		pthread_mutex_lock(&a->lock);
		a->stop = 1;
		pthread_cond_signal(&a->cond);
		pthread_mutex_unlock(&a->lock);
		pthread_join(a->thread, NULL);
	}
	pg_bus_unsubscribe(a->sub);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	pg_free(a->kinds);
	pg_free(a);
}
