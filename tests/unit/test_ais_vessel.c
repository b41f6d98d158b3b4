/* test_ais_vessel - the vessel table, applying messages, the downsampling rule, reporting
 * intervals and the MMSI / MID checks. */
#include "unit.h"

#include "ais/ais_vessel.h"

static void table_grows_and_finds_every_vessel(void **state)
{
	(void)state;
	struct ais_fleet *f = ais_fleet_new();
	int created;
	for (int i = 1; i <= 5000; i++) {
		struct ais_vessel *v = ais_fleet_get(f, 244000000 + i, 1, &created);
		assert_non_null(v);
		assert_int_equal(created, 1);
		v->imo = i;
	}
	assert_int_equal(ais_fleet_count(f), 5000);
	for (int i = 1; i <= 5000; i++) {
		struct ais_vessel *v = ais_fleet_get(f, 244000000 + i, 0, NULL);
		assert_non_null(v);
		assert_int_equal(v->imo, i);
	}
	assert_null(ais_fleet_get(f, 211000000, 0, NULL));
	assert_null(ais_fleet_get(f, 0, 1, NULL));
	size_t seen = 0;
	for (size_t i = 0; i < ais_fleet_slots(f); i++)
		seen += ais_fleet_slot(f, i) != NULL;
	assert_int_equal(seen, 5000);
	ais_fleet_free(f);
}

static void position_and_static_data_in_air_units(void **state)
{
	(void)state;
	struct ais_fleet *f = ais_fleet_new();
	struct ais_vessel *v = ais_fleet_get(f, 244100003, 1, NULL);
	struct ais_msg m;
	memset(&m, 0, sizeof(m));
	m.type = 1;
	m.mmsi = 244100003;
	m.lat = (int32_t)(51.97 * 600000);
	m.lon = (int32_t)(4.05 * 600000);
	m.speed = 123;
	m.course = 2705;
	m.heading = 511;
	m.status = 0;
	assert_int_equal(ais_vessel_apply(v, &m, 1000), AIS_APPLY_POSITION);
	assert_true(v->has_pos);
	assert_true(v->lat > 51.9699 && v->lat < 51.9701);
	assert_true(v->sog > 12.29 && v->sog < 12.31);
	assert_true(v->cog > 270.49 && v->cog < 270.51);
	assert_int_equal(v->heading, -1);
	/* "not available" positions are not positions */
	m.lat = 91 * 600000;
	assert_int_equal(ais_vessel_apply(v, &m, 2000), 0);
	assert_true(v->lat > 51.9699 && v->lat < 51.9701);
	memset(&m, 0, sizeof(m));
	m.type = 5;
	m.mmsi = 244100003;
	m.imo = 9300003;
	pg_strlcpy(m.shipname, "MAAS TRADER", sizeof(m.shipname));
	pg_strlcpy(m.callsign, "PDMT", sizeof(m.callsign));
	pg_strlcpy(m.destination, "ROTTERDAM", sizeof(m.destination));
	m.shiptype = 70;
	m.to_bow = 60;
	m.to_stern = 60;
	m.month = 11;
	m.day = 27;
	m.hour = 18;
	m.minute = 5;
	assert_int_equal(ais_vessel_apply(v, &m, 3000), AIS_APPLY_STATIC);
	assert_string_equal(v->name, "MAAS TRADER");
	assert_string_equal(v->eta, "11-27T18:05");
	assert_int_equal(v->imo, 9300003);
	assert_int_equal(ais_vessel_apply(v, &m, 4000), 0); /* nothing new */
	/* a message of another MMSI is not applied */
	m.mmsi = 211000000;
	assert_int_equal(ais_vessel_apply(v, &m, 5000), 0);
	/* Class B */
	memset(&m, 0, sizeof(m));
	m.type = 18;
	m.mmsi = 244100003;
	m.lat = (int32_t)(51.97 * 600000);
	m.lon = (int32_t)(4.05 * 600000);
	m.speed = 1023;
	m.course = 3600;
	assert_int_equal(ais_vessel_apply(v, &m, 6000), AIS_APPLY_POSITION);
	assert_true(v->class_b);
	assert_true(v->sog < 0 && v->cog < 0);
	ais_fleet_free(f);
}

static void downsampling_keeps_30s_50m_10deg(void **state)
{
	(void)state;
	struct ais_vessel v;
	memset(&v, 0, sizeof(v));
	assert_true(ais_track_keep(&v, 0, 0, 0, 90)); /* the first point */
	v.has_track = 1;
	v.t_ms = 0;
	v.tx = 0;
	v.ty = 0;
	v.tcog = 90;
	assert_false(ais_track_keep(&v, 29999, 49.9, 0, 95));
	assert_true(ais_track_keep(&v, 30000, 0, 0, 90));  /* 30 s */
	assert_true(ais_track_keep(&v, 1000, 30, 40, 90)); /* 50 m */
	assert_true(ais_track_keep(&v, 1000, 0, 0, 100));  /* 10 degrees */
	assert_false(ais_track_keep(&v, 1000, 0, 0, 99.9));
	v.tcog = 355;
	assert_true(ais_track_keep(&v, 1000, 0, 0, 5)); /* across north: 10 degrees */
	assert_false(ais_track_keep(&v, 1000, 0, 0, 4));
}

static void reporting_intervals_by_speed_class(void **state)
{
	(void)state;
	assert_true(ais_report_interval_s(0, 0, 5) == 180);
	assert_true(ais_report_interval_s(0, 0, 0) == 10);
	assert_true(ais_report_interval_s(0, 14, 0) == 10);
	assert_true(ais_report_interval_s(0, 14.1, 0) == 6);
	assert_true(ais_report_interval_s(0, 30, 0) == 2);
	assert_true(ais_report_interval_s(1, 1, 15) == 180);
	assert_true(ais_report_interval_s(1, 5, 15) == 30);
	assert_true(ais_report_interval_s(1, 20, 15) == 15);
	assert_true(ais_report_interval_s(1, 25, 15) == 5);
}

static void mmsi_forms_and_mid_table(void **state)
{
	(void)state;
	char why[200];
	assert_string_equal(ais_mid_country(244), "Netherlands");
	assert_string_equal(ais_mid_country(201), "Albania");
	assert_string_equal(ais_mid_country(775), "Venezuela");
	assert_null(ais_mid_country(200));
	assert_null(ais_mid_country(776));
	assert_int_equal(ais_mmsi_check(244100003, why, sizeof(why)), 0);
	assert_int_equal(ais_mmsi_check(636100009, why, sizeof(why)), 0);
	assert_int_equal(ais_mmsi_check(2442345, why, sizeof(why)),
	                 0); /* 002442345 coast station */
	assert_int_equal(ais_mmsi_check(24412345, why, sizeof(why)), 0);  /* 024412345 group */
	assert_int_equal(ais_mmsi_check(111244123, why, sizeof(why)), 0); /* SAR aircraft */
	assert_int_equal(ais_mmsi_check(970123456, why, sizeof(why)), 0); /* AIS-SART */
	assert_int_equal(ais_mmsi_check(992441234, why, sizeof(why)), 0); /* AtoN */
	assert_int_equal(ais_mmsi_check(982441234, why, sizeof(why)),
	                 0); /* craft of a parent ship */
	assert_int_equal(ais_mmsi_check(12345, why, sizeof(why)), PG_EINVAL);
	assert_non_null(strstr(why, "not 9 digits"));
	assert_int_equal(ais_mmsi_check(200123456, why, sizeof(why)), PG_EINVAL);
	assert_non_null(strstr(why, "MID 200"));
	assert_int_equal(ais_mmsi_check(992001234, why, sizeof(why)), PG_EINVAL);
	assert_int_equal(ais_mmsi_check(123456789, why, sizeof(why)), PG_EINVAL);
	assert_non_null(strstr(why, "no valid form"));
	assert_int_equal(ais_mmsi_check(975123456, why, sizeof(why)), PG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_grows_and_finds_every_vessel),
	    cmocka_unit_test(position_and_static_data_in_air_units),
	    cmocka_unit_test(downsampling_keeps_30s_50m_10deg),
	    cmocka_unit_test(reporting_intervals_by_speed_class),
	    cmocka_unit_test(mmsi_forms_and_mid_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
