/* Unit tests of alarms: the kinds table and its INI file, the state machine, raising and
 * folding from sensor events, required steps, escalation on an injected clock, the
 * security level's priority raise, the derived access alarms and exactly-once evaluation. */
#include "unit.h"

#include "alarms/alarms.h"
#include "level/level.h"
#include "store/store.h"

static int setup(void **state)
{
	pg_core_init();
	*state = unit_fixture_new();
	return 0;
}

/* ---- helpers --------------------------------------------------------------------------- */

struct put {
	const char *topic;
	json_t *data;
};

static int put_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct put *p = vctx;
	int64_t id = store_event(tx, p->topic, p->data, err);
	return id < 0 ? (int)id : 0;
}

/* Stores an event (data stolen). */
static void put(struct fixture *f, const char *topic, json_t *data)
{
	struct put p = {topic, data};
	struct pg_err err = {0};
	if (store_write(f->s, put_fn, &p, &err) < 0)
		fail_msg("store_event: %s", err.msg);
	json_decref(data);
}

static json_t *sensor_ev(int64_t id, const char *kind, const char *state, int64_t reader)
{
	json_t *d = json_pack("{ss sI ss ss ss sI sf sf}", "action", "event", "sensor_id",
	                      (json_int_t)id, "sensor", "S-1", "kind", kind, "state", state,
	                      "zone_id", (json_int_t)0, "lat", 51.9, "lon", 4.05);
	json_object_set_new(d, "reader_id", reader ? json_integer(reader) : json_null());
	return d;
}

static int evaluate(struct fixture *f, const struct alarm_kinds *k)
{
	struct pg_err err = {0};
	int done = 0, total = 0;
	do {
		if (alarms_evaluate(f->s, k, 100, pg_now_ms(), &done, &err) < 0)
			fail_msg("alarms_evaluate: %s", err.msg);
		total += done;
	} while (done);
	return total;
}

struct q {
	const char *sql;
	int64_t arg;
	json_t *rows;
};

static int q_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct q *q = vctx;
	return store_query_json(tx, &q->rows, err, q->sql, "i", q->arg);
}

static json_t *query(struct fixture *f, const char *sql, int64_t arg)
{
	struct q q = {sql, arg, NULL};
	struct pg_err err = {0};
	if (store_read(f->s, q_fn, &q, &err) < 0)
		fail_msg("query: %s", err.msg);
	return q.rows;
}

static int64_t count(struct fixture *f, const char *sql, int64_t arg)
{
	json_t *r = query(f, sql, arg);
	int64_t n = (int64_t)json_integer_value(json_object_get(json_array_get(r, 0), "n"));
	json_decref(r);
	return n;
}

/* The alarm row (new reference). */
static json_t *get_alarm(struct fixture *f, int64_t id)
{
	json_t *r = query(f,
	                  "SELECT id, kind, priority, state, count, escalations, source_key, "
	                  "source_state FROM alarms WHERE id = ?1",
	                  id);
	json_t *a = json_incref(json_array_get(r, 0));
	json_decref(r);
	assert_non_null(a);
	return a;
}

static int64_t ival(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}
static const char *sval(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

struct act {
	int op;
	int64_t id;
	int n, done;
	const char *s;
	int64_t now;
	json_t *missing;
};

static int act_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct act *a = vctx;
	switch (a->op) {
	case 0:
		return alarm_ack_tx(tx, a->id, "op1", a->now, err);
	case 1:
		return alarm_step_tx(tx, a->id, a->n, a->done, "done it", "op1", a->now, err);
	case 2:
		return alarm_resolve_tx(tx, a->id, a->s, "notes", "op1", a->now, &a->missing, err);
	case 3:
		return alarm_assign_tx(tx, a->id, a->s, "op1", a->now, err);
	}
	return PG_EINVAL;
}

static int act(struct fixture *f, struct act *a, struct pg_err *err)
{
	if (!a->now)
		a->now = pg_now_ms();
	return store_write(f->s, act_fn, a, err);
}

/* ---- kinds --------------------------------------------------------------------------------- */

static void the_default_kinds_have_procedures_with_a_required_step(void **state)
{
	(void)state;
	struct alarm_kinds *k = alarm_kinds_default();
	assert_true(k->n >= 30);
	for (int i = 0; i < k->n; i++) {
		int req = 0;
		for (int j = 0; j < k->kinds[i].nsteps; j++)
			req += k->kinds[i].steps[j].required;
		if (!req || k->kinds[i].priority < 1 || k->kinds[i].priority > 5)
			fail_msg("kind %s", k->kinds[i].name);
	}
	const struct alarm_kind *fi = alarm_kind_find(k, "fence_intrusion");
	assert_non_null(fi);
	assert_int_equal(fi->priority, 2);
	assert_true(fi->intrusion);
	assert_int_equal(alarm_priority_at(fi, 1), 2);
	assert_int_equal(alarm_priority_at(fi, 2), 1);
	assert_int_equal(alarm_priority_at(fi, 3), 1);
	const struct alarm_kind *sm = alarm_kind_find(k, "smoke_heat");
	assert_int_equal(alarm_priority_at(sm, 3), sm->priority); /* not an intrusion */
	const struct alarm_kind *pir = alarm_kind_find(k, "pir");
	assert_int_equal(alarm_priority_at(pir, 2), pir->priority - 1);
	assert_null(alarm_kind_find(k, "nonsense"));
	pg_free(k);
}

static void an_ini_file_overrides_and_adds_kinds(void **state)
{
	(void)state;
	struct alarm_kinds *k = NULL;
	struct pg_err err = {0};
	const char *text = "; ours\n[kind fence_intrusion]\npriority = 1\nrequired = Look\n"
	                   "optional = Tell\n[kind crane_overload]\nlabel = Crane overload\n"
	                   "priority = 2\nescalate_s = 30\nrequired = Stop the crane\n"
	                   "[rules]\ndenials = 5\ndoor_held_open_s = 60\n";
	assert_int_equal(alarm_kinds_parse(text, &k, &err), 0);
	const struct alarm_kind *fi = alarm_kind_find(k, "fence_intrusion");
	assert_int_equal(fi->priority, 1);
	assert_int_equal(fi->nsteps, 2);
	assert_string_equal(fi->steps[1].text, "Tell");
	assert_false(fi->steps[1].required);
	assert_true(fi->intrusion); /* untouched */
	const struct alarm_kind *co = alarm_kind_find(k, "crane_overload");
	assert_non_null(co);
	assert_string_equal(co->label, "Crane overload");
	assert_int_equal(co->escalate_s, 30);
	assert_int_equal(k->rules.denials, 5);
	assert_int_equal(k->rules.door_held_open_s, 60);
	assert_int_equal(k->rules.denials_window_s, 60);
	pg_free(k);

	static const struct {
		const char *text, *says;
	} bad[] = {
	    {"[kind pir]\npriority = 0\n", "line 2: [kind pir]: priority: '0' is not a whole"},
	    {"[kind pir]\ncolour = red\n", "line 2: [kind pir]: unknown key 'colour'"},
	    {"[kind Bad-Name]\npriority = 2\n", "a kind's name"},
	    {"[sirens]\nloud = yes\n", "[sirens]: not a section"},
	    {"[kind new_one]\nlabel = x\n", "[kind new_one]: no procedure"},
	    {"[kind pir]\noptional = only this\n", "[kind pir]: no required step"},
	    {"[rules]\ndenials = 1\n", "line 2: [rules]: denials"},
	    {"[kind pir]\nintrusion = maybe\n", "intrusion must be yes or no"},
	    {"priority = 2\n", "outside a section"},
	    {"[kind pir]\nnot a line\n", "line 2: not a 'key = value'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pg_err e = {0};
		k = NULL;
		assert_int_equal(alarm_kinds_parse(bad[i].text, &k, &e), PG_EINVAL);
		assert_null(k);
		if (!strstr(e.msg, bad[i].says))
			fail_msg("'%s': got '%s'", bad[i].text, e.msg);
	}
}

static void the_shipped_ini_file_is_the_default_table(void **state)
{
	(void)state;
	struct alarm_kinds *k = NULL, *d = alarm_kinds_default();
	struct pg_err err = {0};
	if (alarm_kinds_load(PG_SOURCE_DIR "/etc/alarms.ini", &k, &err) < 0)
		fail_msg("%s", err.msg);
	json_t *a = alarm_kinds_json(k), *b = alarm_kinds_json(d);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	pg_free(k);
	pg_free(d);
}

static void the_ini_text_of_a_table_reads_back_as_the_same_table(void **state)
{
	(void)state;
	struct alarm_kinds *k = NULL, *back = NULL;
	struct pg_err err = {0};
	assert_int_equal(alarm_kinds_parse("[kind crane_overload]\npriority = 2\nrequired = Stop "
	                                   "the crane\n[rules]\ndenials = 7\n",
	                                   &k, &err),
	                 0);
	struct pg_buf b;
	pg_buf_init(&b, 1 << 20);
	assert_int_equal(alarm_kinds_ini(k, &b), 0);
	if (alarm_kinds_parse(b.p, &back, &err) < 0)
		fail_msg("%s", err.msg);
	json_t *x = alarm_kinds_json(k), *y = alarm_kinds_json(back);
	assert_true(json_equal(x, y));
	assert_non_null(alarm_kind_find(back, "crane_overload"));
	assert_int_equal(back->rules.denials, 7);
	json_decref(x);
	json_decref(y);
	pg_buf_release(&b);
	pg_free(k);
	pg_free(back);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void the_workflow_allows_only_its_transitions(void **state)
{
	(void)state;
	assert_true(alarm_transition_allowed(ALARM_NEW, ALARM_ACKNOWLEDGED));
	assert_false(alarm_transition_allowed(ALARM_NEW, ALARM_RESOLVED));
	assert_false(alarm_transition_allowed(ALARM_NEW, ALARM_IN_PROGRESS));
	assert_true(alarm_transition_allowed(ALARM_ACKNOWLEDGED, ALARM_IN_PROGRESS));
	assert_true(alarm_transition_allowed(ALARM_ACKNOWLEDGED, ALARM_RESOLVED));
	assert_true(alarm_transition_allowed(ALARM_IN_PROGRESS, ALARM_RESOLVED));
	assert_false(alarm_transition_allowed(ALARM_RESOLVED, ALARM_ACKNOWLEDGED));
	assert_false(alarm_transition_allowed(ALARM_IN_PROGRESS, ALARM_NEW));
	assert_false(alarm_transition_allowed(7, ALARM_NEW));
	assert_int_equal(alarm_state_parse("in_progress"), ALARM_IN_PROGRESS);
	assert_int_equal(alarm_state_parse("closed"), -1);
	assert_true(alarm_outcome_valid("false_alarm"));
	assert_false(alarm_outcome_valid("fine"));
}

static void a_sensor_alarm_is_raised_and_repeats_fold_into_it(void **state)
{
	struct fixture *f = *state;
	struct alarm_kinds *k = alarm_kinds_default();
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0));
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0));
	put(f, "sensors", sensor_ev(8, "fence_intrusion", "alarm", 0));
	put(f, "inspect", json_pack("{ss}", "action", "unrelated"));
	assert_int_equal(evaluate(f, k), 3); /* the unrelated event is not read */
	assert_int_equal(count(f, "SELECT count(*) AS n FROM alarms WHERE ?1", 1), 2);
	json_t *a = get_alarm(f, 1);
	assert_string_equal(sval(a, "kind"), "fence_intrusion");
	assert_int_equal(ival(a, "count"), 2);
	assert_int_equal(ival(a, "priority"), 2);
	assert_string_equal(sval(a, "source_key"), "sensor:7");
	json_decref(a);
	assert_int_equal(count(f, "SELECT count(*) AS n FROM alarm_steps WHERE alarm_id = ?1", 1),
	                 4);
	assert_int_equal(count(f,
	                       "SELECT count(*) AS n FROM alarm_history WHERE alarm_id = ?1 AND "
	                       "action = 'repeated'",
	                       1),
	                 1);
	/* each raise and repeat is on topic alarms; raises are audited */
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM events WHERE topic = 'alarms' AND ?1", 1), 3);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM audit WHERE action = 'alarm.raise' AND ?1", 1), 2);
	/* a burst of repeats in one batch: every repeat in the history, one event with the
	 * count (not one per message) */
	for (int i = 0; i < 5; i++)
		put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0));
	evaluate(f, k);
	a = get_alarm(f, 1);
	assert_int_equal(ival(a, "count"), 7);
	json_decref(a);
	assert_int_equal(count(f,
	                       "SELECT count(*) AS n FROM alarm_history WHERE alarm_id = ?1 AND "
	                       "action = 'repeated'",
	                       1),
	                 6);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM events WHERE topic = 'alarms' AND ?1", 1), 4);
	assert_int_equal(count(f,
	                       "SELECT json_extract(data, '$.alarm.count') AS n FROM events WHERE "
	                       "topic = 'alarms' ORDER BY id DESC LIMIT ?1",
	                       1),
	                 7);
	/* back to normal: recorded, not resolved */
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "normal", 0));
	evaluate(f, k);
	a = get_alarm(f, 1);
	assert_string_equal(sval(a, "state"), "new");
	assert_string_equal(sval(a, "source_state"), "normal");
	json_decref(a);
	/* tamper, fault and offline have their own kinds; an unknown kind is a sensor_alarm */
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "tamper", 0));
	put(f, "sensors", sensor_ev(9, "sonar", "alarm", 0));
	put(f, "sensors",
	    json_pack("{ss sI ss ss}", "action", "offline", "sensor_id", (json_int_t)9, "sensor",
	              "S-9", "reason", "no heartbeat for 130 s"));
	evaluate(f, k);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'sensor_tamper' AND ?1", 1), 1);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'sensor_alarm' AND ?1", 1), 1);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'sensor_offline' AND ?1", 1),
	    1);
	pg_free(k);
}

static void resolving_needs_every_required_step(void **state)
{
	struct fixture *f = *state;
	struct alarm_kinds *k = alarm_kinds_default();
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0));
	evaluate(f, k);
	struct pg_err err = {0};
	struct act a = {.op = 2, .id = 1, .s = "genuine"};
	assert_int_equal(act(f, &a, &err), PG_ECONFLICT); /* new: acknowledge first */
	assert_non_null(strstr(err.msg, "acknowledge"));
	a = (struct act){.op = 1, .id = 1, .n = 1, .done = 1};
	assert_int_equal(act(f, &a, &err), PG_ECONFLICT);
	a = (struct act){.op = 0, .id = 1};
	assert_int_equal(act(f, &a, &err), 0);
	assert_int_equal(act(f, &a, &err), PG_ECONFLICT); /* twice */
	a = (struct act){.op = 1, .id = 1, .n = 1, .done = 1};
	assert_int_equal(act(f, &a, &err), 0);
	json_t *r = get_alarm(f, 1);
	assert_string_equal(sval(r, "state"), "in_progress");
	json_decref(r);
	a = (struct act){.op = 1, .id = 1, .n = 9, .done = 1};
	assert_int_equal(act(f, &a, &err), PG_ENOTFOUND);
	memset(&err, 0, sizeof(err));
	a = (struct act){.op = 2, .id = 1, .s = "genuine"};
	assert_int_equal(act(f, &a, &err), PG_ECONFLICT);
	assert_non_null(strstr(err.msg, "2 (Dispatch a patrol"));
	assert_non_null(strstr(err.msg, "4 (Record"));
	assert_null(strstr(err.msg, "3 (")); /* optional */
	assert_int_equal(json_array_size(a.missing), 2);
	json_decref(a.missing);
	a = (struct act){.op = 2, .id = 1, .s = "splendid"};
	assert_int_equal(act(f, &a, &err), PG_EUNPROCESSABLE);
	for (int n = 2; n <= 4; n += 2) {
		a = (struct act){.op = 1, .id = 1, .n = n, .done = 1};
		assert_int_equal(act(f, &a, &err), 0);
	}
	a = (struct act){.op = 3, .id = 1, .s = "nobody"};
	assert_int_equal(act(f, &a, &err), PG_EUNPROCESSABLE);
	a = (struct act){.op = 2, .id = 1, .s = "false_alarm"};
	assert_int_equal(act(f, &a, &err), 0);
	r = get_alarm(f, 1);
	assert_string_equal(sval(r, "state"), "resolved");
	json_decref(r);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM audit WHERE action = 'alarm.step' AND ?1", 1), 3);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM audit WHERE action = 'alarm.resolve' AND ?1", 1),
	    1);
	/* a repeat after resolution is a new alarm */
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0));
	evaluate(f, k);
	assert_int_equal(count(f, "SELECT count(*) AS n FROM alarms WHERE ?1", 1), 2);
	pg_free(k);
}

static void unacknowledged_high_priority_alarms_escalate_on_time(void **state)
{
	struct fixture *f = *state;
	struct alarm_kinds *k = alarm_kinds_default();
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0)); /* 2, 120 s */
	put(f, "sensors", sensor_ev(8, "pir", "alarm", 0));             /* 3: never */
	evaluate(f, k);
	struct pg_err err = {0};
	int64_t t0 = pg_now_ms(), next = 0;
	assert_int_equal(alarms_tick(f->s, k, t0 + 100000, &next, &err), 0);
	json_t *a = get_alarm(f, 1);
	assert_int_equal(ival(a, "priority"), 2);
	assert_int_equal(ival(a, "escalations"), 0);
	json_decref(a);
	assert_true(next > t0 + 100000 && next <= t0 + 121000);
	assert_int_equal(alarms_tick(f->s, k, next, &next, &err), 0);
	a = get_alarm(f, 1);
	assert_int_equal(ival(a, "priority"), 1);
	assert_int_equal(ival(a, "escalations"), 1);
	json_decref(a);
	/* the same instant again: once per step */
	int64_t again = next;
	assert_int_equal(alarms_tick(f->s, k, again - 1, &next, &err), 0);
	a = get_alarm(f, 1);
	assert_int_equal(ival(a, "escalations"), 1);
	json_decref(a);
	assert_int_equal(alarms_tick(f->s, k, again, &next, &err), 0);
	a = get_alarm(f, 1);
	assert_int_equal(ival(a, "escalations"), 2);
	assert_int_equal(ival(a, "priority"), 1); /* not above 1 */
	json_decref(a);
	a = get_alarm(f, 2);
	assert_int_equal(ival(a, "escalations"), 0);
	json_decref(a);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM audit WHERE action = 'alarm.escalate' AND ?1", 1),
	    2);
	/* acknowledged: no more */
	struct act ac = {.op = 0, .id = 1};
	assert_int_equal(act(f, &ac, &err), 0);
	assert_int_equal(alarms_tick(f->s, k, again + 10000000, &next, &err), 0);
	a = get_alarm(f, 1);
	assert_int_equal(ival(a, "escalations"), 2);
	json_decref(a);
	assert_true(next == INT64_MAX);
	pg_free(k);
}

static void intrusions_rise_one_priority_at_level_two(void **state)
{
	struct fixture *f = *state;
	struct alarm_kinds *k = alarm_kinds_default();
	struct pg_err err = {0};
	json_t *out = NULL;
	assert_int_equal(level_set(f->s, "pfso", 2, "threat", "authority", &out, &err), 0);
	json_decref(out);
	put(f, "sensors", sensor_ev(7, "fence_intrusion", "alarm", 0));
	put(f, "sensors", sensor_ev(8, "pir", "alarm", 0));
	put(f, "sensors", sensor_ev(9, "water_level", "alarm", 0));
	evaluate(f, k);
	json_t *a = get_alarm(f, 1);
	assert_int_equal(ival(a, "priority"), 1);
	json_decref(a);
	a = get_alarm(f, 2);
	assert_int_equal(ival(a, "priority"), 2);
	json_decref(a);
	a = get_alarm(f, 3);
	assert_int_equal(ival(a, "priority"), 3); /* not an intrusion */
	json_decref(a);
	pg_free(k);
}

static json_t *decision(int64_t reader, const char *d, const char *reason)
{
	return json_pack("{ss ss ss sI ss s{sI ss} s{sI ss}}", "action", "decision", "decision", d,
	                 "reason", reason, "reader_id", (json_int_t)reader, "reader", "Gate 1",
	                 "zone", "id", (json_int_t)0, "name", "", "person", "id", (json_int_t)1,
	                 "name", "A B");
}

static void access_events_derive_their_alarms(void **state)
{
	struct fixture *f = *state;
	struct alarm_kinds *k = alarm_kinds_default();
	/* a door opened after a grant at its reader: fine; without one: forced */
	put(f, "access", decision(3, "grant", "granted"));
	put(f, "sensors", sensor_ev(20, "door_contact", "alarm", 3));
	put(f, "sensors", sensor_ev(20, "door_contact", "normal", 3));
	put(f, "sensors", sensor_ev(21, "door_contact", "alarm", 4));
	evaluate(f, k);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'door_forced' AND ?1", 1), 1);
	json_t *r = query(f, "SELECT source_key FROM alarms WHERE kind = 'door_forced' AND ?1", 1);
	assert_string_equal(sval(json_array_get(r, 0), "source_key"), "sensor:21");
	json_decref(r);
	/* still open 30 s later: held open (the closed door 20 is not) */
	struct pg_err err = {0};
	int64_t next = 0;
	assert_int_equal(alarms_tick(f->s, k, pg_now_ms() + 31000, &next, &err), 0);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'door_held_open' AND ?1", 1),
	    1);
	assert_int_equal(alarms_tick(f->s, k, pg_now_ms() + 62000, &next, &err), 0);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'door_held_open' AND ?1", 1),
	    1);
	/* three denials at one reader within 60 s; two at another are not */
	for (int i = 0; i < 3; i++)
		put(f, "access", decision(5, "deny", "no_access_group"));
	put(f, "access", decision(6, "deny", "no_access_group"));
	put(f, "access", decision(6, "deny", "anti_passback"));
	evaluate(f, k);
	r = query(
	    f, "SELECT source_key, count FROM alarms WHERE kind = 'access_denied_repeated' AND ?1",
	    1);
	assert_int_equal(json_array_size(r), 1);
	assert_string_equal(sval(json_array_get(r, 0), "source_key"), "reader:5");
	json_decref(r);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'anti_passback' AND ?1", 1), 1);
	/* the access module's alarm events */
	put(f, "access",
	    json_pack("{ss ss sI sI sI sI ss}", "action", "alarm", "kind",
	              "credential_lost_presented", "decision_id", (json_int_t)9, "reader_id",
	              (json_int_t)5, "person_id", (json_int_t)1, "zone_id", (json_int_t)0, "detail",
	              "card reported lost"));
	put(f, "ais",
	    json_pack("{ss ss sI sf sf ss}", "action", "anomaly", "kind", "zone_entry", "mmsi",
	              (json_int_t)235000001, "lat", 51.9, "lon", 4.0, "reason",
	              "entered the restricted zone at 6.2 kn"));
	put(f, "training",
	    json_pack("{ss ss}", "action", "drill_overdue", "reason",
	              "quarterly drill 5 days overdue"));
	evaluate(f, k);
	assert_int_equal(
	    count(
	        f,
	        "SELECT count(*) AS n FROM alarms WHERE kind = 'credential_lost_presented' AND ?1",
	        1),
	    1);
	assert_int_equal(count(f,
	                       "SELECT count(*) AS n FROM alarms WHERE kind = 'ais_zone_entry' AND "
	                       "source = 'ais' AND ?1",
	                       1),
	                 1);
	assert_int_equal(
	    count(f, "SELECT count(*) AS n FROM alarms WHERE kind = 'drill_overdue' AND ?1", 1), 1);
	pg_free(k);
}

static void each_event_is_evaluated_once(void **state)
{
	struct fixture *f = *state;
	struct alarm_kinds *k = alarm_kinds_default();
	put(f, "sensors", sensor_ev(7, "smoke_heat", "alarm", 0));
	assert_true(evaluate(f, k) >= 1);
	assert_int_equal(evaluate(f, k), 0);
	put(f, "sensors", sensor_ev(7, "smoke_heat", "alarm", 0));
	evaluate(f, k);
	json_t *a = get_alarm(f, 1);
	assert_int_equal(ival(a, "count"), 2); /* not 3 */
	json_decref(a);
	assert_true(count(f, "SELECT event_id AS n FROM alarm_cursor WHERE one = ?1", 1) >=
	            count(f, "SELECT max(id) AS n FROM events WHERE topic = 'sensors' AND ?1", 1));
	pg_free(k);
}

/* The engine thread: woken by the bus, it raises the alarm without being asked. */
static void the_engine_thread_raises_alarms_from_the_bus(void **state)
{
	struct fixture *f = *state;
	struct alarms *a = NULL;
	struct pg_err err = {0};
	assert_int_equal(alarms_open(f->s, f->bus, NULL, &a, &err), 0);
	struct pg_bus_sub *sub = pg_bus_subscribe(f->bus, "alarms", NULL, NULL);
	put(f, "sensors", sensor_ev(7, "panic_button", "alarm", 0));
	int64_t id;
	char *json = NULL;
	int64_t deadline = pg_mono_ms() + 5000;
	while (pg_mono_ms() < deadline && pg_bus_next(sub, &id, &json) != 1)
		usleep(2000);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"panic_button\""));
	pg_free(json);
	pg_bus_unsubscribe(sub);
	alarms_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_default_kinds_have_procedures_with_a_required_step),
	    cmocka_unit_test(an_ini_file_overrides_and_adds_kinds),
	    cmocka_unit_test(the_shipped_ini_file_is_the_default_table),
	    cmocka_unit_test(the_ini_text_of_a_table_reads_back_as_the_same_table),
	    cmocka_unit_test(the_workflow_allows_only_its_transitions),
	    cmocka_unit_test_setup_teardown(a_sensor_alarm_is_raised_and_repeats_fold_into_it,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(resolving_needs_every_required_step, setup,
	                                    unit_teardown),
	    cmocka_unit_test_setup_teardown(unacknowledged_high_priority_alarms_escalate_on_time,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(intrusions_rise_one_priority_at_level_two, setup,
	                                    unit_teardown),
	    cmocka_unit_test_setup_teardown(access_events_derive_their_alarms, setup,
	                                    unit_teardown),
	    cmocka_unit_test_setup_teardown(each_event_is_evaluated_once, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(the_engine_thread_raises_alarms_from_the_bus, setup,
	                                    unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
