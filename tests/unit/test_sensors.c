/* Unit tests of sensors: message parsing and validation, the state thresholds decide,
 * supervision (overdue, offline once per outage, online again), and ingestion into a real
 * store (the event's shape, refusals that change nothing, device token binding). */
#include <math.h>

#include "unit.h"

#include "sensors/sensors.h"
#include "store/store.h"

#define NOW 1795780000000LL /* 2026-11-26 */

static int setup(void **state)
{
	pg_core_init();
	*state = unit_fixture_new();
	return 0;
}

static int parse(const char *text, struct sensor_msg *m, enum sensor_result *why,
                 struct pg_err *err)
{
	return sensors_msg_parse(text, strlen(text), NOW, m, why, err);
}

static void a_good_message_parses_with_state_value_and_time(void **state)
{
	(void)state;
	struct sensor_msg m;
	enum sensor_result why = SR_ACCEPTED;
	struct pg_err err = {0};
	assert_int_equal(
	    parse("{\"state\":\"alarm\",\"value\":1.25,\"at\":\"2026-11-26T00:00:00Z\"}", &m, &why,
	          &err),
	    0);
	assert_int_equal(m.state, SENSOR_ALARM);
	assert_true(m.has_value);
	assert_true(fabs(m.value - 1.25) < 1e-9);
	int64_t at;
	pg_time_parse("2026-11-26T00:00:00Z", &at);
	assert_int_equal(m.at_ms, at);
	assert_int_equal(parse(" {\"state\":\"tamper\"} ", &m, &why, &err), 0);
	assert_int_equal(m.state, SENSOR_TAMPER);
	assert_false(m.has_value);
	assert_int_equal(m.at_ms, 0);
	assert_int_equal(parse("{\"value\":3}", &m, &why, &err), 0);
	assert_int_equal(m.state, -1);
	assert_int_equal(parse("{\"state\":\"fault\",\"value\":null}", &m, &why, &err), 0);
	assert_false(m.has_value);
}

static void bad_messages_are_refused_with_the_reason_and_field(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum sensor_result why;
		const char *field;
	} cases[] = {
	    {"", SR_MALFORMED, ""},
	    {"{\"state\":\"alarm\"", SR_MALFORMED, ""},
	    {"[\"alarm\"]", SR_MALFORMED, ""},
	    {"\"alarm\"", SR_MALFORMED, ""},
	    {"{\"state\":\"alarm\",\"state\":\"normal\"}", SR_MALFORMED, ""},
	    {"{\"state\":1}", SR_MALFORMED, "state"},
	    {"{\"state\":\"ALARM\"}", SR_UNKNOWN_STATE, "state"},
	    {"{\"state\":\"open\"}", SR_UNKNOWN_STATE, "state"},
	    {"{}", SR_NO_STATE, "state"},
	    {"{\"at\":\"2026-11-26T00:00:00Z\"}", SR_NO_STATE, "state"},
	    {"{\"state\":\"alarm\",\"value\":\"high\"}", SR_MALFORMED, "value"},
	    {"{\"state\":\"alarm\",\"value\":1e13}", SR_BAD_VALUE, "value"},
	    {"{\"state\":\"alarm\",\"at\":\"yesterday\"}", SR_BAD_TIME, "at"},
	    {"{\"state\":\"alarm\",\"at\":12}", SR_MALFORMED, "at"},
	    {"{\"state\":\"alarm\",\"at\":\"2026-12-30T00:00:00Z\"}", SR_BAD_TIME, "at"},
	    {"{\"state\":\"alarm\",\"at\":\"2026-10-01T00:00:00Z\"}", SR_BAD_TIME, "at"},
	    {"{\"state\":\"alarm\",\"battery\":80}", SR_MALFORMED, "battery"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sensor_msg m = {.state = 99};
		enum sensor_result why = SR_ACCEPTED;
		struct pg_err err = {0};
		int rc = parse(cases[i].text, &m, &why, &err);
		if (rc >= 0 || why != cases[i].why || strcmp(err.field, cases[i].field) != 0 ||
		    !err.msg[0] || m.state != 99)
			fail_msg("%s: rc %d, why %s (want %s), field '%s' (want '%s'), msg '%s'",
			         cases[i].text, rc, sensors_result_name(why),
			         sensors_result_name(cases[i].why), err.field, cases[i].field,
			         err.msg);
	}
	char big[SENSORS_MSG_MAX + 10];
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"state\":\"alarm\"}", 17);
	struct sensor_msg m;
	enum sensor_result why = SR_ACCEPTED;
	struct pg_err err = {0};
	assert_int_equal(sensors_msg_parse(big, sizeof(big), NOW, &m, &why, &err), PG_ELIMIT);
	assert_int_equal(why, SR_TOO_LARGE);
}

static void heartbeats_are_empty_or_carry_only_a_time(void **state)
{
	(void)state;
	int64_t at = -1;
	enum sensor_result why = SR_ACCEPTED;
	struct pg_err err = {0};
	assert_int_equal(sensors_heartbeat_parse("", 0, NOW, &at, &why, &err), 0);
	assert_int_equal(at, 0);
	assert_int_equal(sensors_heartbeat_parse(" \n", 2, NOW, &at, &why, &err), 0);
	assert_int_equal(sensors_heartbeat_parse("{}", 2, NOW, &at, &why, &err), 0);
	const char *t = "{\"at\":\"2026-11-26T00:00:00Z\"}";
	assert_int_equal(sensors_heartbeat_parse(t, strlen(t), NOW, &at, &why, &err), 0);
	assert_true(at > 0);
	t = "{\"state\":\"alarm\"}";
	assert_int_equal(sensors_heartbeat_parse(t, strlen(t), NOW, &at, &why, &err), PG_EINVAL);
	assert_int_equal(why, SR_MALFORMED);
	assert_string_equal(err.field, "state");
	assert_int_equal(sensors_heartbeat_parse("beat", 4, NOW, &at, &why, &err), PG_EINVAL);
}

static void thresholds_decide_the_state_and_say_why(void **state)
{
	(void)state;
	struct sensor_conf tide = {
	    .kind = "water_level", .has_high = 1, .high = 1.5, .has_low = 1, .low = -0.5};
	struct sensor_msg m = {.state = -1, .has_value = 1, .value = 1.8};
	int st = -1;
	char reason[200];
	enum sensor_result why = SR_ACCEPTED;
	struct pg_err err = {0};
	assert_int_equal(sensors_decide(&tide, &m, &st, reason, sizeof(reason), &why, &err), 0);
	assert_int_equal(st, SENSOR_ALARM);
	assert_string_equal(reason, "water level 1.80 m above the threshold 1.50 m");
	m.value = -0.7;
	sensors_decide(&tide, &m, &st, reason, sizeof(reason), &why, &err);
	assert_int_equal(st, SENSOR_ALARM);
	assert_string_equal(reason, "water level -0.70 m below the threshold -0.50 m");
	m.value = 1.5;          /* on the threshold is not over it */
	m.state = SENSOR_ALARM; /* the value decides, not the device */
	sensors_decide(&tide, &m, &st, reason, sizeof(reason), &why, &err);
	assert_int_equal(st, SENSOR_NORMAL);
	assert_string_equal(reason, "water level 1.50 m within the thresholds");
	m.state = SENSOR_TAMPER;
	m.value = 9;
	sensors_decide(&tide, &m, &st, reason, sizeof(reason), &why, &err);
	assert_int_equal(st, SENSOR_TAMPER);
	assert_string_equal(reason, "");

	struct sensor_conf wind = {.kind = "wind_speed", .unit = "kn", .has_high = 1, .high = 40};
	struct sensor_msg w = {.state = -1, .has_value = 1, .value = 41};
	sensors_decide(&wind, &w, &st, reason, sizeof(reason), &why, &err);
	assert_int_equal(st, SENSOR_ALARM);
	assert_string_equal(reason, "wind speed 41.00 kn above the threshold 40.00 kn");

	/* no thresholds: the device's state, and none given is refused */
	struct sensor_conf fence = {.kind = "fence_intrusion"};
	struct sensor_msg f = {.state = SENSOR_ALARM, .has_value = 1, .value = 3};
	sensors_decide(&fence, &f, &st, reason, sizeof(reason), &why, &err);
	assert_int_equal(st, SENSOR_ALARM);
	f.state = -1;
	assert_int_equal(sensors_decide(&fence, &f, &st, reason, sizeof(reason), &why, &err),
	                 PG_EINVAL);
	assert_int_equal(why, SR_NO_STATE);
}

static void a_sensor_is_overdue_after_twice_its_interval(void **state)
{
	(void)state;
	int64_t silent = 0;
	/* seen 119 s ago with a 60 s interval: not yet; 121 s: overdue */
	assert_false(sensors_overdue(NOW, NOW - 119000, NOW - 900000, NOW - 900000, 60, &silent));
	assert_true(sensors_overdue(NOW, NOW - 121000, NOW - 900000, NOW - 900000, 60, &silent));
	assert_int_equal(silent, 121000);
	/* never seen: counted from creation, or the daemon's start when later */
	assert_true(sensors_overdue(NOW, 0, NOW - 130000, NOW - 500000, 60, &silent));
	assert_int_equal(silent, 130000);
	assert_false(sensors_overdue(NOW, 0, NOW - 900000, NOW - 60000, 60, &silent));
	/* a restart gives a fresh grace even to one seen long ago */
	assert_false(sensors_overdue(NOW, NOW - 900000, NOW - 990000, NOW - 10000, 60, &silent));
	/* not supervised */
	assert_false(sensors_overdue(NOW, 0, 0, 0, 0, &silent));
	assert_true(sensors_name_ok("fence-north.1_a"));
	assert_false(sensors_name_ok("123"));
	assert_false(sensors_name_ok("a/b"));
	assert_false(sensors_name_ok("a+"));
	assert_false(sensors_name_ok(""));
	assert_non_null(sensors_kind_find("water_level"));
	assert_null(sensors_kind_find("laser"));
}

/* ---- with a store ------------------------------------------------------------------------ */

static int add_sensor(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int rc = store_exec(
	    tx, err,
	    "INSERT INTO sensors(id, name, kind, heartbeat_s, threshold_high, unit, "
	    "created_ms, created_at, updated_at) VALUES (1, 'tide-1', 'water_level', 10, "
	    "1.5, NULL, ?1, 'x', 'x'), (2, 'door-1', 'door_contact', NULL, NULL, NULL, "
	    "?1, 'x', 'x')",
	    "i", NOW - 60000);
	if (rc == 0)
		rc = store_exec(
		    tx, err,
		    "INSERT INTO tokens(id, name, role, token_hash, created_by, created_at) "
		    "VALUES (7, 'dev', 'device', 'h', 'admin', 'x')",
		    "");
	return rc == 0 ? store_exec(tx, err, "UPDATE sensors SET token_id = 7 WHERE id = 2", "")
	               : rc;
}

struct ingest {
	struct sensor_in in;
	int64_t event_id;
	json_t *event;
	enum sensor_result why;
};

static int ingest_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct ingest *c = ctx;
	return sensors_ingest_tx(tx, &c->in, &c->event_id, &c->event, &c->why, err);
}

static int ingest(struct fixture *f, struct ingest *c, const char *ref, const char *text,
                  int heartbeat, int64_t token, int64_t received, struct pg_err *err)
{
	memset(c, 0, sizeof(*c));
	c->in.source = SOURCE_MQTT;
	c->in.heartbeat = heartbeat;
	c->in.token_id = token;
	c->in.received_ms = received;
	pg_strlcpy(c->in.ref, ref, sizeof(c->in.ref));
	int rc = heartbeat
	             ? sensors_heartbeat_parse(text, strlen(text), received, &c->in.msg.at_ms,
	                                       &c->why, err)
	             : sensors_msg_parse(text, strlen(text), received, &c->in.msg, &c->why, err);
	return rc < 0 ? rc : store_write(f->s, ingest_tx, c, err);
}

struct count {
	const char *sql;
	int64_t n;
};

static int count_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct count *c = ctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, c->sql, "");
	if (rc == 0 && store_next(r) == 1)
		c->n = store_int(r, 0);
	store_rows_free(r);
	return rc;
}

static int64_t count(struct fixture *f, const char *sql)
{
	struct count c = {sql, -1};
	struct pg_err err = {0};
	if (store_read(f->s, count_tx, &c, &err) < 0)
		fail_msg("%s: %s", sql, err.msg);
	return c.n;
}

static void an_accepted_message_is_one_event_with_the_contract_shape(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, add_sensor, NULL, &err), 0);
	struct ingest c;
	assert_int_equal(ingest(f, &c, "tide-1", "{\"value\":1.8}", 0, 0, NOW, &err), 0);
	assert_int_equal(c.why, SR_ACCEPTED);
	assert_true(c.event_id > 0);
	json_t *e = c.event;
	assert_string_equal(json_string_value(json_object_get(e, "action")), "event");
	assert_int_equal(json_integer_value(json_object_get(e, "sensor_id")), 1);
	assert_string_equal(json_string_value(json_object_get(e, "sensor")), "tide-1");
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "water_level");
	assert_string_equal(json_string_value(json_object_get(e, "state")), "alarm");
	assert_true(json_is_null(json_object_get(e, "previous")));
	assert_string_equal(json_string_value(json_object_get(e, "unit")), "m");
	assert_string_equal(json_string_value(json_object_get(e, "reason")),
	                    "water level 1.80 m above the threshold 1.50 m");
	assert_string_equal(json_string_value(json_object_get(e, "source")), "mqtt");
	for (const char *k = "zone_id\0reader_id\0lat\0lon\0at\0received\0value\0"; *k;
	     k += strlen(k) + 1)
		if (!json_object_get(e, k))
			fail_msg("the event has no %s", k);
	json_decref(e);
	assert_int_equal(ingest(f, &c, "1", "{\"value\":0.2}", 0, 0, NOW + 1000, &err), 0);
	assert_string_equal(json_string_value(json_object_get(c.event, "previous")), "alarm");
	assert_string_equal(json_string_value(json_object_get(c.event, "state")), "normal");
	json_decref(c.event);
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE topic = 'sensors'"), 2);
	assert_int_equal(count(f, "SELECT last_event_ms FROM sensors WHERE id = 1"), NOW + 1000);

	/* a heartbeat is not an event */
	assert_int_equal(ingest(f, &c, "tide-1", "", 1, 0, NOW + 2000, &err), 0);
	assert_int_equal(c.why, SR_HEARTBEAT);
	assert_int_equal(c.event_id, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE topic = 'sensors'"), 2);
	assert_int_equal(count(f, "SELECT last_seen_ms FROM sensors WHERE id = 1"), NOW + 2000);
}

static void refusals_change_nothing_and_tokens_bind_to_their_sensor(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, add_sensor, NULL, &err), 0);
	struct ingest c;
	assert_int_equal(ingest(f, &c, "ghost", "{\"state\":\"alarm\"}", 0, 0, NOW, &err),
	                 PG_ENOTFOUND);
	assert_int_equal(c.why, SR_UNKNOWN_SENSOR);
	assert_int_equal(ingest(f, &c, "999", "{\"state\":\"alarm\"}", 0, 0, NOW, &err),
	                 PG_ENOTFOUND);
	/* door-1 has no thresholds: a value alone decides nothing */
	assert_int_equal(ingest(f, &c, "door-1", "{\"value\":1}", 0, 0, NOW, &err), PG_EINVAL);
	assert_int_equal(c.why, SR_NO_STATE);
	/* door-1 is bound to token 7 */
	assert_int_equal(ingest(f, &c, "door-1", "{\"state\":\"alarm\"}", 0, 8, NOW, &err),
	                 PG_EDENIED);
	assert_int_equal(c.why, SR_NOT_ALLOWED);
	assert_int_equal(count(f, "SELECT count(*) FROM events WHERE topic = 'sensors'"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM sensors WHERE state IS NOT NULL OR "
	                          "last_seen_ms IS NOT NULL"),
	                 0);
	assert_int_equal(ingest(f, &c, "door-1", "{\"state\":\"alarm\"}", 0, 7, NOW, &err), 0);
	json_decref(c.event);
	assert_int_equal(ingest(f, &c, "door-1", "{\"state\":\"alarm\"}", 0, 0, NOW, &err), 0);
	json_decref(c.event);
}

struct sup {
	int64_t now, started;
	int n;
};

static int sup_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	struct sup *s = ctx;
	return sensors_supervise_tx(tx, s->now, s->started, &s->n, err);
}

static void supervision_raises_offline_once_and_a_heartbeat_brings_it_back(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(store_write(f->s, add_sensor, NULL, &err), 0);
	struct ingest c;
	assert_int_equal(ingest(f, &c, "tide-1", "", 1, 0, NOW, &err), 0);
	struct sup s = {.now = NOW + 19000, .started = NOW - 100000};
	assert_int_equal(store_write(f->s, sup_tx, &s, &err), 0);
	assert_int_equal(s.n, 0);
	s.now = NOW + 21000;
	assert_int_equal(store_write(f->s, sup_tx, &s, &err), 0);
	assert_int_equal(s.n, 1);
	s.now = NOW + 60000;
	assert_int_equal(store_write(f->s, sup_tx, &s, &err), 0);
	assert_int_equal(s.n, 0); /* once per outage */
	assert_int_equal(count(f,
	                       "SELECT count(*) FROM events WHERE json_extract(data, '$.action') "
	                       "= 'offline' AND json_extract(data, '$.reason') = 'no heartbeat "
	                       "for 21 s (expected every 10 s)' AND json_extract(data, "
	                       "'$.interval_s') = 10"),
	                 1);
	assert_int_equal(count(f, "SELECT offline FROM sensors WHERE id = 1"), 1);
	/* door-1 is not supervised */
	assert_int_equal(count(f, "SELECT offline FROM sensors WHERE id = 2"), 0);

	assert_int_equal(ingest(f, &c, "tide-1", "", 1, 0, NOW + 331000, &err), 0);
	assert_int_equal(count(f,
	                       "SELECT count(*) FROM events WHERE json_extract(data, '$.action') "
	                       "= 'online' AND json_extract(data, '$.reason') = 'heartbeat again "
	                       "after 310 s offline'"),
	                 1);
	assert_int_equal(count(f, "SELECT offline FROM sensors WHERE id = 1"), 0);
	/* a second outage is a second offline */
	s.now = NOW + 352000;
	assert_int_equal(store_write(f->s, sup_tx, &s, &err), 0);
	assert_int_equal(s.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_good_message_parses_with_state_value_and_time),
	    cmocka_unit_test(bad_messages_are_refused_with_the_reason_and_field),
	    cmocka_unit_test(heartbeats_are_empty_or_carry_only_a_time),
	    cmocka_unit_test(thresholds_decide_the_state_and_say_why),
	    cmocka_unit_test(a_sensor_is_overdue_after_twice_its_interval),
	    cmocka_unit_test_setup_teardown(
	        an_accepted_message_is_one_event_with_the_contract_shape, setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(refusals_change_nothing_and_tokens_bind_to_their_sensor,
	                                    setup, unit_teardown),
	    cmocka_unit_test_setup_teardown(
	        supervision_raises_offline_once_and_a_heartbeat_brings_it_back, setup,
	        unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
