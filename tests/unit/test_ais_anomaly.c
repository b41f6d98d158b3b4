/* test_ais_anomaly - each anomaly rule on synthetic tracks, once per episode; the demo
 * scenario raises every kind within ten minutes. */
#include <math.h>

#include "unit.h"

#include "ais/ais_anomaly.h"
#include "ais/ais_sim.h"
#include "geo/geo.h"

/* A port 10 km wide around 52 N 4 E: the harbour (limit 6 kn), a berth, restricted waters,
 * an anchorage and land. */
static const char *layout_text =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Harbour\",\"kind\":\"port_area\",\"speed_"
    "limit_kn\":6},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4.0,52.0],[4.1,52.0],[4.1,52.05],[4.0,"
    "52.05],[4.0,52.0]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Berth 1 "
    "zone\",\"kind\":\"berth\",\"berth\":\"Berth 1\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4.01,52.0],[4.02,52.0],[4.02,52.005],[4."
    "01,52.005],[4.01,52.0]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Restricted\",\"kind\":\"restricted\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4.08,52.0],[4.1,52.0],[4.1,52.01],[4.08,"
    "52.01],[4.08,52.0]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Anchorage\",\"kind\":\"anchorage\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4.0,52.04],[4.03,52.04],[4.03,52.05],[4."
    "0,52.05],[4.0,52.04]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Land\",\"kind\":\"land\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4.0,51.95],[4.1,51.95],[4.1,52.0],[4.0,"
    "52.0],[4.0,51.95]]]}}"
    "]}";

struct rec {
	int n[AIS_N_KINDS];
	struct ais_anomaly last;
	struct ais_anomaly by_kind[AIS_N_KINDS];
	int tracks;
};

static void on_anomaly(void *ctx, const struct ais_anomaly *a)
{
	struct rec *r = ctx;
	r->n[a->kind]++;
	r->last = *a;
	r->by_kind[a->kind] = *a;
	if (getenv("SHOW"))
		print_message("%s %d %s\n", ais_kind_name(a->kind), (int)a->mmsi, a->reason);
}

static void on_track(void *ctx, const struct ais_vessel *v)
{
	(void)v;
	((struct rec *)ctx)->tracks++;
}

struct world {
	struct geo_layout *layout;
	struct ais_engine *e;
	struct rec rec;
	struct ais_rules rules;
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct pg_err err = {0};
	if (geo_layout_parse(layout_text, strlen(layout_text), &w->layout, &err) < 0)
		fail_msg("layout: %s", err.msg);
	ais_rules_default(&w->rules);
	struct ais_engine_cb cb = {on_anomaly, on_track, NULL, &w->rec};
	w->e = ais_engine_new(&w->rules, w->layout, &cb);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	ais_engine_free(w->e);
	geo_layout_free(w->layout);
	free(w);
	return 0;
}

/* A Class A position report. */
static void pos(struct world *w, int32_t mmsi, double lat, double lon, double kn, double cog,
                int status, int64_t t_ms)
{
	struct ais_msg m;
	memset(&m, 0, sizeof(m));
	m.type = 1;
	m.mmsi = mmsi;
	m.lat = (int32_t)lround(lat * 600000);
	m.lon = (int32_t)lround(lon * 600000);
	m.speed = (int32_t)lround(kn * 10);
	m.course = (int32_t)lround(cog * 10);
	m.heading = 511;
	m.status = status;
	ais_engine_feed(w->e, &m, t_ms);
}

#define S   1000LL
#define MIN (60 * S)

static void zone_entry_once_per_entry(void **state)
{
	struct world *w = *state;
	pos(w, 244000001, 52.02, 4.09, 4, 180, 0, 0);
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 0);
	pos(w, 244000001, 52.005, 4.09, 4, 180, 0, 10 * S); /* inside Restricted */
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 1);
	assert_string_equal(w->rec.last.zone, "Restricted");
	assert_non_null(strstr(w->rec.last.reason, "restricted waters"));
	pos(w, 244000001, 52.004, 4.09, 4, 180, 0, 20 * S); /* still inside: no second */
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 1);
	pos(w, 244000001, 52.015, 4.09, 4, 0, 0, 30 * S);   /* out */
	pos(w, 244000001, 52.005, 4.09, 4, 180, 0, 40 * S); /* in again: a new episode */
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 2);
}

static void expected_arrival_enters_berth_quietly(void **state)
{
	struct world *w = *state;
	struct ais_arrival a = {"berth 1", 244000002, 0, "", 0, 0};
	ais_engine_set_arrivals(w->e, &a, 1);
	pos(w, 244000002, 52.01, 4.015, 3, 180, 0, 0);
	pos(w, 244000002, 52.003, 4.015, 3, 180, 0, 10 * S);
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 0);
	/* another vessel is not expected */
	pos(w, 244000003, 52.01, 4.015, 3, 180, 0, 0);
	pos(w, 244000003, 52.003, 4.015, 3, 180, 0, 10 * S);
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 1);
	assert_non_null(strstr(w->rec.last.reason, "berth security zone"));
	/* outside its window the arrival does not count */
	struct ais_arrival late = {"Berth 1", 244000004, 0, "", 100 * MIN, 200 * MIN};
	ais_engine_set_arrivals(w->e, &late, 1);
	pos(w, 244000004, 52.01, 4.015, 3, 180, 0, 0);
	pos(w, 244000004, 52.003, 4.015, 3, 180, 0, 10 * S);
	assert_int_equal(w->rec.n[AIS_K_ZONE_ENTRY], 2);
}

static void speeding_once_per_episode(void **state)
{
	struct world *w = *state;
	for (int i = 0; i < 5; i++)
		pos(w, 244000010, 52.02, 4.05 + i * 0.001, 9, 90, 0, i * 10 * S);
	assert_int_equal(w->rec.n[AIS_K_SPEEDING], 1);
	assert_string_equal(w->rec.last.zone, "Harbour");
	assert_non_null(strstr(w->rec.last.reason, "9.0 kn"));
	assert_non_null(strstr(w->rec.last.reason, "limit is 6 kn"));
	pos(w, 244000010, 52.02, 4.056, 5, 90, 0, 60 * S); /* under the limit: episode ends */
	pos(w, 244000010, 52.02, 4.057, 8, 90, 0, 70 * S);
	assert_int_equal(w->rec.n[AIS_K_SPEEDING], 2);
	/* outside the port area there is no limit */
	pos(w, 244000011, 52.2, 4.05, 20, 90, 0, 0);
	assert_int_equal(w->rec.n[AIS_K_SPEEDING], 2);
}

static void loitering_after_thirty_minutes_not_in_anchorage(void **state)
{
	struct world *w = *state;
	int64_t t = 0;
	for (; t <= 40 * MIN; t += 30 * S) {
		pos(w, 244000020, 52.02, 4.05, 0.5, 0, 0, t);  /* in the harbour */
		pos(w, 244000021, 52.045, 4.01, 0.5, 0, 0, t); /* in the anchorage */
		ais_engine_tick(w->e, t);
		if (t < 30 * MIN)
			assert_int_equal(w->rec.n[AIS_K_LOITERING], 0);
	}
	assert_int_equal(w->rec.n[AIS_K_LOITERING], 1);
	assert_int_equal(w->rec.last.mmsi, 244000020);
	assert_non_null(strstr(w->rec.last.reason, "min"));
	/* under way again, then slow again: a new episode after another 30 min */
	pos(w, 244000020, 52.02, 4.05, 5, 0, 0, t);
	ais_engine_tick(w->e, t);
	assert_int_equal(w->rec.n[AIS_K_LOITERING], 1);
}

static void rendezvous_of_two_slow_vessels(void **state)
{
	struct world *w = *state;
	for (int64_t t = 0; t <= 35 * MIN; t += 30 * S) {
		pos(w, 244000030, 52.03, 4.06, 1, 0, 0, t);
		pos(w, 244000031, 52.031, 4.061, 1, 0, 0, t + 1); /* ~130 m apart */
		pos(w, 244000032, 52.03, 4.09, 1, 0, 0, t);       /* 2 km away: alone */
		ais_engine_tick(w->e, t + 2);
	}
	assert_int_equal(w->rec.n[AIS_K_RENDEZVOUS], 1);
	assert_int_equal(w->rec.by_kind[AIS_K_RENDEZVOUS].mmsi, 244000030);
	assert_true(w->rec.by_kind[AIS_K_RENDEZVOUS].num[0].v < 500);
}

static void rendezvous_reason_names_both(void **state)
{
	struct world *w = *state;
	for (int64_t t = 0; t <= 31 * MIN; t += 60 * S) {
		pos(w, 244000040, 52.03, 4.06, 1, 0, 0, t);
		pos(w, 244000041, 52.0305, 4.0605, 1.5, 0, 0, t);
		ais_engine_tick(w->e, t);
	}
	struct ais_anomaly got = w->rec.by_kind[AIS_K_RENDEZVOUS];
	assert_int_equal(w->rec.n[AIS_K_RENDEZVOUS], 1);
	assert_int_equal(got.kind, AIS_K_RENDEZVOUS);
	assert_int_equal(got.mmsi, 244000040);
	assert_int_equal(got.other_mmsi, 244000041);
	assert_non_null(strstr(got.reason, "ship-to-ship"));
}

static void dark_after_the_reporting_interval(void **state)
{
	struct world *w = *state;
	pos(w, 244000050, 52.02, 4.05, 10, 0, 0, 0); /* 10 kn Class A: every 10 s */
	ais_engine_tick(w->e, 100 * S);
	assert_int_equal(w->rec.n[AIS_K_DARK], 0); /* under the 180 s minimum */
	ais_engine_tick(w->e, 181 * S);
	assert_int_equal(w->rec.n[AIS_K_DARK], 1);
	assert_non_null(strstr(w->rec.last.reason, "every 10 s"));
	ais_engine_tick(w->e, 300 * S);
	assert_int_equal(w->rec.n[AIS_K_DARK], 1); /* once */
	/* a vessel outside the area is not watched */
	pos(w, 244000051, 52.3, 4.05, 10, 0, 0, 0);
	ais_engine_tick(w->e, 400 * S);
	assert_int_equal(w->rec.n[AIS_K_DARK], 1);
	/* it reports again, then falls silent again: a new episode */
	pos(w, 244000050, 52.02, 4.05, 10, 0, 0, 500 * S);
	ais_engine_tick(w->e, 700 * S);
	assert_int_equal(w->rec.n[AIS_K_DARK], 2);
}

static void teleport_and_land(void **state)
{
	struct world *w = *state;
	pos(w, 244000060, 52.02, 4.05, 10, 0, 0, 0);
	pos(w, 244000060, 52.021, 4.05, 10, 0, 0, 10 * S);
	assert_int_equal(w->rec.n[AIS_K_SPOOFING], 0);
	pos(w, 244000060, 52.2, 4.05, 10, 0, 0, 20 * S); /* 20 km in 10 s */
	assert_int_equal(w->rec.n[AIS_K_SPOOFING], 1);
	assert_string_equal(w->rec.last.check, "teleport");
	assert_non_null(strstr(w->rec.last.reason, "implied speed"));
	pos(w, 244000060, 52.3, 4.05, 10, 0, 0, 30 * S); /* again, same episode */
	assert_int_equal(w->rec.n[AIS_K_SPOOFING], 1);
	/* on land */
	pos(w, 244000061, 51.98, 4.05, 0, 0, 0, 0);
	assert_int_equal(w->rec.n[AIS_K_SPOOFING], 2);
	assert_string_equal(w->rec.last.check, "land");
	pos(w, 244000061, 51.9801, 4.05, 0, 0, 0, 10 * S);
	assert_int_equal(w->rec.n[AIS_K_SPOOFING], 2);
}

static void identity_mmsi_mid_and_watchlist(void **state)
{
	struct world *w = *state;
	pos(w, 12345, 52.02, 4.05, 3, 0, 0, 0);
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 1);
	assert_string_equal(w->rec.last.check, "mmsi");
	assert_non_null(strstr(w->rec.last.reason, "not 9 digits"));
	pos(w, 200123456, 52.02, 4.06, 3, 0, 0, 0);
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 2);
	assert_non_null(strstr(w->rec.last.reason, "MID 200"));
	pos(w, 200123456, 52.0201, 4.06, 3, 0, 0, 10 * S); /* once per vessel */
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 2);
	pos(w, 244000070, 52.02, 4.07, 3, 0, 0, 0); /* a Dutch ship: fine */
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 2);
	struct ais_watch wl = {244000070, 0, "", "sanctions list"};
	ais_engine_set_watch(w->e, &wl, 1);
	pos(w, 244000070, 52.0201, 4.07, 3, 0, 0, 10 * S);
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 3);
	assert_string_equal(w->rec.last.check, "watchlist");
	assert_non_null(strstr(w->rec.last.reason, "sanctions list"));
	pos(w, 244000070, 52.0202, 4.07, 3, 0, 0, 20 * S);
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 3);
}

static void shared_mmsi_alternating(void **state)
{
	struct world *w = *state;
	for (int i = 0; i < 8; i++) {
		if (i % 2 == 0)
			pos(w, 244000080, 52.02 + i * 0.0001, 4.05, 5, 0, 0, i * 5 * S);
		else
			pos(w, 244000080, 52.3 + i * 0.0001, 4.2, 5, 0, 0, i * 5 * S);
	}
	assert_int_equal(w->rec.n[AIS_K_IDENTITY], 1);
	assert_string_equal(w->rec.last.check, "shared");
}

static void approach_only_at_the_rule_level(void **state)
{
	struct world *w = *state;
	pos(w, 244000090, 52.002, 4.015, 0, 90, 5, 0);    /* moored in the berth */
	pos(w, 244000091, 52.0025, 4.0165, 3, 270, 0, 0); /* ~110 m away */
	ais_engine_tick(w->e, S);
	assert_int_equal(w->rec.n[AIS_K_APPROACH], 0); /* level 1 */
	ais_engine_set_level(w->e, 2);
	ais_engine_tick(w->e, 2 * S);
	assert_int_equal(w->rec.n[AIS_K_APPROACH], 1);
	assert_int_equal(w->rec.last.mmsi, 244000091);
	assert_int_equal(w->rec.last.other_mmsi, 244000090);
	ais_engine_tick(w->e, 3 * S);
	assert_int_equal(w->rec.n[AIS_K_APPROACH], 1);
}

static void downsampled_track(void **state)
{
	struct world *w = *state;
	/* 1 s apart, 5 m steps, same course: only every 30 s or 50 m */
	for (int i = 0; i <= 60; i++)
		pos(w, 244000100, 52.02 + i * 0.000045, 4.05, 10, 0, 0, i * S);
	/* 61 reports over 300 m: a point at 0 then every ~50 m (10-11 reports) */
	assert_true(w->rec.tracks >= 6 && w->rec.tracks <= 8);
}

static void without_a_layout_distances_are_metric_where_the_vessels_are(void **state)
{
	(void)state;
	struct ais_rules r;
	ais_rules_default(&r);
	struct rec rec = {0};
	struct ais_engine_cb cb = {on_anomaly, NULL, NULL, &rec};
	struct ais_engine *e = ais_engine_new(&r, NULL, &cb);
	struct world w = {.e = e};
	/* off Singapore, 1.3 N: 0.0063 degrees of longitude are 700 m (a projection made for
	 * 52 N would say 430 m and see a rendezvous) */
	for (int64_t t = 0; t <= 35 * MIN; t += 60 * S) {
		pos(&w, 563000001, 1.26, 103.80, 1, 0, 0, t);
		pos(&w, 563000002, 1.26, 103.8063, 1, 0, 0, t);
		pos(&w, 563000003, 1.264, 103.80, 1, 0, 0, t); /* 445 m north of the first */
		ais_engine_tick(e, t);
	}
	assert_int_equal(rec.n[AIS_K_RENDEZVOUS], 1);
	assert_int_equal(rec.by_kind[AIS_K_RENDEZVOUS].mmsi, 563000001);
	assert_int_equal(rec.by_kind[AIS_K_RENDEZVOUS].other_mmsi, 563000003);
	assert_int_equal(rec.n[AIS_K_ZONE_ENTRY] + rec.n[AIS_K_SPEEDING] + rec.n[AIS_K_DARK], 0);
	ais_engine_free(e);
}

static void demo_scenario_raises_every_kind_in_ten_minutes(void **state)
{
	(void)state;
	char path[600];
	snprintf(path, sizeof(path), "%s/etc/port-layout.geojson", PG_SOURCE_DIR);
	struct geo_layout *l = NULL;
	struct pg_err err = {0};
	if (geo_layout_load(path, &l, &err) < 0)
		fail_msg("%s", err.msg);
	struct ais_rules r;
	ais_sim_rules(&r);
	struct rec rec = {0};
	struct ais_engine_cb cb = {on_anomaly, NULL, NULL, &rec};
	struct ais_engine *e = ais_engine_new(&r, l, &cb);
	struct ais_arrival arr[2] = {{"Quay 1", 244100003, 0, "", 0, 0},
	                             {"Ferry berth", 211200004, 0, "", 0, 0}};
	ais_engine_set_arrivals(e, arr, 2);
	struct ais_watch wl = {273100008, 0, "", "demo"};
	ais_engine_set_watch(e, &wl, 1);
	struct ais_decoder *d = ais_decoder_new(NULL);
	struct pg_buf out;
	pg_buf_init(&out, 1 << 20);
	for (int t = 0; t < 600; t++) {
		pg_buf_reset(&out);
		ais_sim_second(t, &out);
		int64_t now = (int64_t)t * 1000;
		for (char *p = out.p; p && *p;) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			struct ais_msg m;
			if (ais_decoder_feed(d, p, len, now, &m) == 1)
				ais_engine_feed(e, &m, now);
			p = nl ? nl + 1 : NULL;
		}
		ais_engine_tick(e, now);
	}
	for (int k = 0; k < AIS_N_KINDS; k++) {
		print_message("%s: %d\n", ais_kind_name(k), rec.n[k]);
		assert_true(rec.n[k] >= 1);
	}
	pg_buf_release(&out);
	ais_decoder_free(d);
	ais_engine_free(e);
	geo_layout_free(l);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(zone_entry_once_per_entry),
	    T(expected_arrival_enters_berth_quietly),
	    T(speeding_once_per_episode),
	    T(loitering_after_thirty_minutes_not_in_anchorage),
	    T(rendezvous_of_two_slow_vessels),
	    T(rendezvous_reason_names_both),
	    T(dark_after_the_reporting_interval),
	    T(teleport_and_land),
	    T(identity_mmsi_mid_and_watchlist),
	    T(shared_mmsi_alternating),
	    T(approach_only_at_the_rule_level),
	    T(downsampled_track),
	    cmocka_unit_test(without_a_layout_distances_are_metric_where_the_vessels_are),
	    cmocka_unit_test(demo_scenario_raises_every_kind_in_ten_minutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
