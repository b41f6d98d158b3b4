/* test_geo - the local projection, distances, the layout parser's checks and errors, and
 * point-in-zone lookups through the STRtree. */
#include <math.h>

#include "unit.h"

#include "geo/geo.h"

static void projection_round_trips_and_is_metric(void **state)
{
	(void)state;
	struct geo_proj p;
	geo_proj_init(&p, 51.97, 4.05);
	double x, y, lat, lon;
	geo_project(&p, 51.97, 4.05, &x, &y);
	assert_true(fabs(x) < 1e-9 && fabs(y) < 1e-9);
	geo_project(&p, 51.98, 4.06, &x, &y);
	geo_unproject(&p, x, y, &lat, &lon);
	assert_true(fabs(lat - 51.98) < 1e-12 && fabs(lon - 4.06) < 1e-12);
	/* one degree of latitude is about 111.2 km, of longitude at 52 N about 68.7 km */
	assert_true(fabs(p.my - 111250) < 300);
	assert_true(fabs(p.mx - 68700) < 300);
}

static void distances_within_one_percent(void **state)
{
	(void)state;
	struct geo_proj p;
	geo_proj_init(&p, 51.97, 4.05);
	const double pts[][4] = {
	    {51.96, 4.02, 51.985, 4.09}, {51.97, 4.05, 51.97, 4.0507}, {51.9, 4.0, 52.1, 4.2},
	    {51.97, 4.05, 52.05, 4.05},  {51.99, 3.95, 51.95, 4.15},
	};
	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		double x1, y1, x2, y2;
		geo_project(&p, pts[i][0], pts[i][1], &x1, &y1);
		geo_project(&p, pts[i][2], pts[i][3], &x2, &y2);
		double planar = hypot(x2 - x1, y2 - y1);
		double sphere = geo_distance_m(pts[i][0], pts[i][1], pts[i][2], pts[i][3]);
		assert_true(fabs(planar - sphere) / sphere < 0.01);
	}
	/* a known distance: 0.01 degree of latitude = 1.11 km */
	assert_true(fabs(geo_distance_m(52.0, 4.0, 52.01, 4.0) - 1112) < 5);
}

static struct geo_layout *load(const char *text)
{
	struct geo_layout *l = NULL;
	struct pg_err err = {0};
	if (geo_layout_parse(text, strlen(text), &l, &err) < 0)
		fail_msg("%s", err.msg);
	return l;
}

static void shipped_layout_loads_and_answers_point_in_zone(void **state)
{
	(void)state;
	char path[600];
	snprintf(path, sizeof(path), "%s/etc/port-layout.geojson", PG_SOURCE_DIR);
	struct geo_layout *l = NULL;
	struct pg_err err = {0};
	assert_int_equal(geo_layout_load(path, &l, &err), 0);
	assert_int_equal(geo_layout_count(l), 7);
	double x, y;
	int ids[8];
	/* on Quay 1's berth zone: the harbour basin and the berth */
	geo_project(geo_layout_proj(l), 51.961, 4.045, &x, &y);
	int n = geo_layout_at(l, x, y, ids, 8);
	assert_int_equal(n, 2);
	int kinds = 0;
	for (int i = 0; i < n; i++)
		kinds |= 1 << geo_layout_zone(l, ids[i])->kind;
	assert_int_equal(kinds, (1 << GEO_PORT_AREA) | (1 << GEO_BERTH));
	assert_string_equal(geo_layout_zone(l, ids[1])->berth, "Quay 1");
	/* on land */
	geo_project(geo_layout_proj(l), 51.94, 4.05, &x, &y);
	n = geo_layout_at(l, x, y, ids, 8);
	assert_int_equal(n, 1);
	assert_int_equal(geo_layout_zone(l, ids[0])->kind, GEO_LAND);
	/* far out at sea: nothing */
	geo_project(geo_layout_proj(l), 52.2, 4.3, &x, &y);
	assert_int_equal(geo_layout_at(l, x, y, ids, 8), 0);
	/* the distance from the restricted waters to a point 1 km west of them */
	int restricted = -1;
	for (int i = 0; i < geo_layout_count(l); i++)
		if (geo_layout_zone(l, i)->kind == GEO_RESTRICTED)
			restricted = i;
	double ex, ey;
	geo_project(geo_layout_proj(l), 51.963, 4.08, &ex, &ey);
	double d = geo_layout_distance(l, restricted, ex - 1000, ey);
	assert_true(fabs(d - 1000) < 1);
	assert_true(geo_layout_distance(l, restricted, ex + 10, ey) == 0);
	assert_non_null(strstr(geo_layout_geojson(l), "LNG jetty"));
	geo_layout_free(l);
}

static void a_thousand_fences_through_the_tree(void **state)
{
	(void)state;
	struct pg_buf b;
	pg_buf_init(&b, 1 << 22);
	pg_buf_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (int i = 0; i < 1000; i++) {
		double lon = 4.0 + (i % 40) * 0.005, lat = 51.9 + (i / 40) * 0.005;
		pg_buf_printf(&b,
		              "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"f%d\",\"kind\":"
		              "\"restricted\"},"
		              "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f]"
		              ",[%f,%f],[%f,%f],[%f,%f]]]}}",
		              i ? "," : "", i, lon, lat, lon + 0.004, lat, lon + 0.004, lat + 0.004,
		              lon, lat + 0.004, lon, lat);
	}
	pg_buf_puts(&b, "]}");
	struct geo_layout *l = load(b.p);
	pg_buf_release(&b);
	int ids[4];
	for (int i = 0; i < 1000; i += 37) {
		double lon = 4.0 + (i % 40) * 0.005 + 0.002, lat = 51.9 + (i / 40) * 0.005 + 0.002;
		double x, y;
		geo_project(geo_layout_proj(l), lat, lon, &x, &y);
		assert_int_equal(geo_layout_at(l, x, y, ids, 4), 1);
		assert_int_equal(ids[0], i);
		/* in the gap between fences */
		geo_project(geo_layout_proj(l), lat + 0.0025, lon, &x, &y);
		assert_int_equal(geo_layout_at(l, x, y, ids, 4), 0);
	}
	geo_layout_free(l);
}

static void bad_layouts_name_the_feature_and_field(void **state)
{
	(void)state;
	const char *cases[][2] = {
	    {"[1]", "FeatureCollection"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[]}", "features"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"Q\",\"kind\":\"dock\"},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52],[4.1,52.1],[4,"
	     "52]]]}}]}",
	     "features[0] (\"Q\"): properties.kind: 'dock' is not one of"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"kind\":\"berth\"},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52],[4.1,52.1],[4,"
	     "52]]]}}]}",
	     "features[0]: properties.name"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"Q\",\"kind\":\"berth\"},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52],[4.1,52.1],[4."
	     "05,52]]]}}]}",
	     "not closed"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"Q\",\"kind\":\"berth\"},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52.1],[4.1,52],[4,"
	     "52.1],[4,52]]]}}]}",
	     "not a valid polygon"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"Q\",\"kind\":\"berth\",\"speed_limit_kn\":-3},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52],[4.1,52.1],[4,"
	     "52]]]}}]}",
	     "speed_limit_kn"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"Q\",\"kind\":\"berth\"},"
	     "\"geometry\":{\"type\":\"Point\",\"coordinates\":[4,52]}}]}",
	     "Polygon or MultiPolygon"},
	    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{"
	     "\"name\":\"Q\",\"kind\":\"berth\"},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[400,52],[4.1,52.1],[4,"
	     "52]]]}}]}",
	     "longitude"},
	    {"{\"type\":\"FeatureCollection\",\"features\":["
	     "{\"type\":\"Feature\",\"properties\":{\"name\":\"Q\",\"kind\":\"berth\"},"
	     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52],[4.1,52.1],[4,"
	     "52]]]}},"
	     "{\"type\":\"Feature\",\"properties\":{\"name\":\"Q\",\"kind\":\"land\"},\"geometry\":"
	     "{\"type\":\"Polygon\",\"coordinates\":[[[4,52],[4.1,52],[4.1,52.1],[4,52]]]}}]}",
	     "features[1] (\"Q\"): properties.name: features[0] has the same name"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct geo_layout *l = NULL;
		struct pg_err err = {0};
		assert_true(geo_layout_parse(cases[i][0], strlen(cases[i][0]), &l, &err) < 0);
		assert_null(l);
		if (!strstr(err.msg, cases[i][1]))
			fail_msg("case %zu: '%s' does not say '%s'", i, err.msg, cases[i][1]);
	}
}

static void multipolygon_with_a_hole(void **state)
{
	(void)state;
	struct geo_layout *l =
	    load("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	         "\"properties\":{\"name\":\"M\",\"kind\":\"anchorage\"},"
	         "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[4,52],[4.1,52],[4.1,"
	         "52.1],[4,52.1],[4,52]],"
	         "[[4.04,52.04],[4.06,52.04],[4.06,52.06],[4.04,52.06],[4.04,52.04]]],"
	         "[[[4.2,52],[4.3,52],[4.3,52.1],[4.2,52]]]]}}]}");
	double x, y;
	int ids[2];
	geo_project(geo_layout_proj(l), 52.01, 4.01, &x, &y);
	assert_int_equal(geo_layout_at(l, x, y, ids, 2), 1);
	geo_project(geo_layout_proj(l), 52.05, 4.05, &x, &y); /* in the hole */
	assert_int_equal(geo_layout_at(l, x, y, ids, 2), 0);
	geo_project(geo_layout_proj(l), 52.01, 4.28, &x, &y); /* second polygon */
	assert_int_equal(geo_layout_at(l, x, y, ids, 2), 1);
	geo_layout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(projection_round_trips_and_is_metric),
	    cmocka_unit_test(distances_within_one_percent),
	    cmocka_unit_test(shipped_layout_loads_and_answers_point_in_zone),
	    cmocka_unit_test(a_thousand_fences_through_the_tree),
	    cmocka_unit_test(bad_layouts_name_the_feature_and_field),
	    cmocka_unit_test(multipolygon_with_a_hole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
