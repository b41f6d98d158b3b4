/* geo.c - the local projection, the GeoJSON layout parser and zone lookups (GEOS). */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "geo.h"

#define DEG      (M_PI / 180.0)
#define WGS84_A  6378137.0
#define WGS84_E2 0.00669437999014
#define EARTH_R  6371008.8

static const char *const kind_names[GEO_N_KINDS] = {
    "port_area", "berth", "restricted", "anchorage", "channel", "land",
};

const char *geo_kind_name(int kind)
{
	return kind >= 0 && kind < GEO_N_KINDS ? kind_names[kind] : "?";
}

void geo_proj_init(struct geo_proj *p, double lat0, double lon0)
{
	double s = sin(lat0 * DEG);
	double w = 1.0 - WGS84_E2 * s * s;
	double m = WGS84_A * (1.0 - WGS84_E2) / (w * sqrt(w)); /* meridional radius */
	double n = WGS84_A / sqrt(w);                          /* prime vertical radius */
	p->lat0 = lat0;
	p->lon0 = lon0;
	p->my = m * DEG;
	p->mx = n * cos(lat0 * DEG) * DEG;
}

void geo_project(const struct geo_proj *p, double lat, double lon, double *x, double *y)
{
	*x = (lon - p->lon0) * p->mx;
	*y = (lat - p->lat0) * p->my;
}

void geo_unproject(const struct geo_proj *p, double x, double y, double *lat, double *lon)
{
	*lat = p->lat0 + y / p->my;
	*lon = p->lon0 + x / p->mx;
}

double geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);
	return 2.0 * EARTH_R * atan2(sqrt(a), sqrt(1.0 - a));
}

/* ---- layout ----------------------------------------------------------------------------- */

struct zone_geom {
	GEOSGeometry *g;
	const GEOSPreparedGeometry *prep;
};

struct geo_layout {
	GEOSContextHandle_t ctx;
	char geos_msg[256];
	struct geo_proj proj;
	struct geo_zone *zones;
	struct zone_geom *geoms;
	int n;
	GEOSSTRtree *tree;
	char *geojson;
	/* query scratch */
	int *hits;
	int nhits, maxhits;
};

static void on_geos_error(const char *msg, void *ud)
{
	struct geo_layout *l = ud;
	pg_strlcpy(l->geos_msg, msg, sizeof(l->geos_msg));
}

/* names a feature in errors */
static void feature_label(char *out, size_t n, int i, json_t *props)
{
	json_t *name = json_object_get(props, "name");
	if (json_is_string(name))
		pg_snprintf(out, n, "features[%d] (\"%.60s\")", i, json_string_value(name));
	else
		pg_snprintf(out, n, "features[%d]", i);
}

struct bbox {
	double minlon, minlat, maxlon, maxlat;
	long points;
};

/* Checks one ring of [lon, lat] positions. */
static int ring_check(json_t *ring, const char *label, const char *path, struct bbox *bb,
                      struct pg_err *err)
{
	if (!json_is_array(ring) || json_array_size(ring) < 4)
		return pg_err_field(err, PG_EINVAL, "geometry",
		                    "%s: %s: a ring needs at least 4 positions", label, path);
	size_t i;
	json_t *pos;
	json_array_foreach(ring, i, pos)
	{
		if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 3 ||
		    !json_is_number(json_array_get(pos, 0)) ||
		    !json_is_number(json_array_get(pos, 1)))
			return pg_err_field(err, PG_EINVAL, "geometry",
			                    "%s: %s[%zu]: a position is [longitude, latitude]",
			                    label, path, i);
		double lon = json_number_value(json_array_get(pos, 0));
		double lat = json_number_value(json_array_get(pos, 1));
		if (!(lon >= -180 && lon <= 180) || !(lat >= -85 && lat <= 85))
			return pg_err_field(
			    err, PG_EINVAL, "geometry",
			    "%s: %s[%zu]: [%g, %g] is not a longitude in -180..180 and a "
			    "latitude in -85..85",
			    label, path, i, lon, lat);
		if (++bb->points > GEO_MAX_POINTS)
			return pg_err_set(err, PG_ELIMIT, "the layout has more than %d positions",
			                  GEO_MAX_POINTS);
		if (lon < bb->minlon)
			bb->minlon = lon;
		if (lon > bb->maxlon)
			bb->maxlon = lon;
		if (lat < bb->minlat)
			bb->minlat = lat;
		if (lat > bb->maxlat)
			bb->maxlat = lat;
	}
	json_t *a = json_array_get(ring, 0), *b = json_array_get(ring, json_array_size(ring) - 1);
	if (json_number_value(json_array_get(a, 0)) != json_number_value(json_array_get(b, 0)) ||
	    json_number_value(json_array_get(a, 1)) != json_number_value(json_array_get(b, 1)))
		return pg_err_field(
		    err, PG_EINVAL, "geometry",
		    "%s: %s: the ring is not closed (its last position must equal its first)",
		    label, path);
	return 0;
}

static int polygon_check(json_t *rings, const char *label, const char *path, struct bbox *bb,
                         struct pg_err *err)
{
	if (!json_is_array(rings) || json_array_size(rings) < 1)
		return pg_err_field(err, PG_EINVAL, "geometry",
		                    "%s: %s: a polygon is an array of rings (outer first)", label,
		                    path);
	size_t i;
	json_t *ring;
	char p[128];
	json_array_foreach(rings, i, ring)
	{
		pg_snprintf(p, sizeof(p), "%s[%zu]", path, i);
		int rc = ring_check(ring, label, p, bb, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static GEOSGeometry *ring_build(struct geo_layout *l, json_t *ring)
{
	size_t n = json_array_size(ring);
	GEOSCoordSequence *seq = GEOSCoordSeq_create_r(l->ctx, (unsigned)n, 2);
	if (!seq)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *pos = json_array_get(ring, i);
		double x, y;
		geo_project(&l->proj, json_number_value(json_array_get(pos, 1)),
		            json_number_value(json_array_get(pos, 0)), &x, &y);
		GEOSCoordSeq_setXY_r(l->ctx, seq, (unsigned)i, x, y);
	}
	return GEOSGeom_createLinearRing_r(l->ctx, seq);
}

static GEOSGeometry *polygon_build(struct geo_layout *l, json_t *rings)
{
	size_t n = json_array_size(rings);
	GEOSGeometry *shell = ring_build(l, json_array_get(rings, 0));
	if (!shell)
		return NULL;
	GEOSGeometry **holes = n > 1 ? pg_calloc(n - 1, sizeof(*holes)) : NULL;
	for (size_t i = 1; i < n; i++) {
		holes[i - 1] = ring_build(l, json_array_get(rings, i));
		if (!holes[i - 1]) {
			for (size_t k = 0; k + 1 < i; k++)
				GEOSGeom_destroy_r(l->ctx, holes[k]);
			GEOSGeom_destroy_r(l->ctx, shell);
			pg_free(holes);
			return NULL;
		}
	}
	GEOSGeometry *poly = GEOSGeom_createPolygon_r(l->ctx, shell, holes, (unsigned)(n - 1));
	pg_free(holes);
	return poly;
}

static GEOSGeometry *geometry_build(struct geo_layout *l, json_t *geom)
{
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *coords = json_object_get(geom, "coordinates");
	if (strcmp(type, "Polygon") == 0)
		return polygon_build(l, coords);
	size_t n = json_array_size(coords);
	GEOSGeometry **polys = pg_calloc(n, sizeof(*polys));
	for (size_t i = 0; i < n; i++) {
		polys[i] = polygon_build(l, json_array_get(coords, i));
		if (!polys[i]) {
			for (size_t k = 0; k < i; k++)
				GEOSGeom_destroy_r(l->ctx, polys[k]);
			pg_free(polys);
			return NULL;
		}
	}
	GEOSGeometry *m =
	    GEOSGeom_createCollection_r(l->ctx, GEOS_MULTIPOLYGON, polys, (unsigned)n);
	pg_free(polys);
	return m;
}

/* Checks a feature's properties and geometry shape (pass 1). */
static int feature_check(json_t *f, int i, struct geo_zone *z, struct bbox *bb, struct pg_err *err)
{
	char label[128];
	if (!json_is_object(f))
		return pg_err_field(err, PG_EINVAL, "features", "features[%d]: not an object", i);
	json_t *props = json_object_get(f, "properties");
	feature_label(label, sizeof(label), i, props);
	if (!json_is_string(json_object_get(f, "type")) ||
	    strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0)
		return pg_err_field(err, PG_EINVAL, "type", "%s: type: must be \"Feature\"", label);
	if (!json_is_object(props))
		return pg_err_field(err, PG_EINVAL, "properties",
		                    "%s: properties: missing or not an object", label);
	json_t *name = json_object_get(props, "name");
	if (!json_is_string(name) || json_string_length(name) < 1 ||
	    json_string_length(name) >= GEO_NAME_MAX)
		return pg_err_field(
		    err, PG_EINVAL, "properties.name",
		    "%s: properties.name: a string of 1 to %d characters is required", label,
		    GEO_NAME_MAX - 1);
	pg_strlcpy(z->name, json_string_value(name), sizeof(z->name));
	pg_utf8_sanitize(z->name);
	json_t *kind = json_object_get(props, "kind");
	z->kind = -1;
	for (int k = 0; k < GEO_N_KINDS && json_is_string(kind); k++)
		if (strcmp(json_string_value(kind), kind_names[k]) == 0)
			z->kind = k;
	if (z->kind < 0)
		return pg_err_field(
		    err, PG_EINVAL, "properties.kind",
		    "%s: properties.kind: %s%.40s%s is not one of port_area, berth, "
		    "restricted, anchorage, channel, land",
		    label, json_is_string(kind) ? "'" : "",
		    json_is_string(kind) ? json_string_value(kind) : "missing or not a string",
		    json_is_string(kind) ? "'" : "");
	json_t *lim = json_object_get(props, "speed_limit_kn");
	if (lim && !json_is_null(lim)) {
		double v = json_number_value(lim);
		if (!json_is_number(lim) || !(v > 0 && v <= 100))
			return pg_err_field(
			    err, PG_EINVAL, "properties.speed_limit_kn",
			    "%s: properties.speed_limit_kn: a number of knots above 0 and "
			    "at most 100",
			    label);
		z->speed_limit_kn = v;
	}
	json_t *berth = json_object_get(props, "berth");
	if (berth && !json_is_null(berth)) {
		if (!json_is_string(berth) || json_string_length(berth) >= GEO_NAME_MAX)
			return pg_err_field(
			    err, PG_EINVAL, "properties.berth",
			    "%s: properties.berth: a string of at most %d characters", label,
			    GEO_NAME_MAX - 1);
		pg_strlcpy(z->berth, json_string_value(berth), sizeof(z->berth));
		pg_utf8_sanitize(z->berth);
	}
	json_t *geom = json_object_get(f, "geometry");
	const char *type = json_string_value(json_object_get(geom, "type"));
	if (!json_is_object(geom) || !type ||
	    (strcmp(type, "Polygon") != 0 && strcmp(type, "MultiPolygon") != 0))
		return pg_err_field(err, PG_EINVAL, "geometry",
		                    "%s: geometry: a Polygon or MultiPolygon is required", label);
	json_t *coords = json_object_get(geom, "coordinates");
	if (strcmp(type, "Polygon") == 0)
		return polygon_check(coords, label, "geometry.coordinates", bb, err);
	if (!json_is_array(coords) || json_array_size(coords) < 1)
		return pg_err_field(
		    err, PG_EINVAL, "geometry",
		    "%s: geometry.coordinates: a MultiPolygon needs at least one polygon", label);
	size_t k;
	json_t *poly;
	char path[64];
	json_array_foreach(coords, k, poly)
	{
		pg_snprintf(path, sizeof(path), "geometry.coordinates[%zu]", k);
		int rc = polygon_check(poly, label, path, bb, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void geo_layout_free(struct geo_layout *l)
{
	if (!l)
		return;
	if (l->tree)
		GEOSSTRtree_destroy_r(l->ctx, l->tree);
	for (int i = 0; i < l->n; i++) {
		if (l->geoms[i].prep)
			GEOSPreparedGeom_destroy_r(l->ctx, l->geoms[i].prep);
		if (l->geoms[i].g)
			GEOSGeom_destroy_r(l->ctx, l->geoms[i].g);
	}
	if (l->ctx)
		GEOS_finish_r(l->ctx);
	pg_free(l->zones);
	pg_free(l->geoms);
	pg_free(l->geojson);
	pg_free(l->hits);
	pg_free(l);
}

int geo_layout_parse(const char *text, size_t len, struct geo_layout **out, struct pg_err *err)
{
	int rc = 0;
	json_error_t je;
	struct geo_layout *l = NULL;
	if (len > GEO_MAX_BYTES)
		return pg_err_set(err, PG_ELIMIT, "the layout is larger than %d bytes",
		                  GEO_MAX_BYTES);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return pg_err_set(err, PG_EINVAL, "line %d: not valid JSON: %s", je.line, je.text);
	json_t *type = json_object_get(root, "type"), *features = json_object_get(root, "features");
	if (!json_is_string(type) || strcmp(json_string_value(type), "FeatureCollection") != 0) {
		rc = pg_err_field(err, PG_EINVAL, "type", "type: must be \"FeatureCollection\"");
		goto out;
	}
	if (!json_is_array(features) || json_array_size(features) < 1) {
		rc = pg_err_field(err, PG_EINVAL, "features",
		                  "features: an array of at least one feature "
		                  "is required");
		goto out;
	}
	if (json_array_size(features) > GEO_MAX_FEATURES) {
		rc =
		    pg_err_set(err, PG_ELIMIT, "features: more than %d features", GEO_MAX_FEATURES);
		goto out;
	}
	l = pg_calloc(1, sizeof(*l));
	l->n = (int)json_array_size(features);
	l->zones = pg_calloc((size_t)l->n, sizeof(*l->zones));
	l->geoms = pg_calloc((size_t)l->n, sizeof(*l->geoms));
	struct bbox bb = {1e9, 1e9, -1e9, -1e9, 0};
	for (int i = 0; i < l->n; i++) {
		rc = feature_check(json_array_get(features, (size_t)i), i, &l->zones[i], &bb, err);
		if (rc < 0)
			goto out;
		for (int k = 0; k < i; k++) {
			if (strcmp(l->zones[k].name, l->zones[i].name) == 0) {
				rc = pg_err_field(
				    err, PG_EINVAL, "properties.name",
				    "features[%d] (\"%s\"): properties.name: features[%d] has "
				    "the same name",
				    i, l->zones[i].name, k);
				goto out;
			}
		}
	}
	geo_proj_init(&l->proj, (bb.minlat + bb.maxlat) / 2, (bb.minlon + bb.maxlon) / 2);
	double w = (bb.maxlon - bb.minlon) * l->proj.mx / 1000.0,
	       h = (bb.maxlat - bb.minlat) * l->proj.my / 1000.0;
	if (w > GEO_MAX_SPAN_KM || h > GEO_MAX_SPAN_KM) {
		rc = pg_err_set(err, PG_EINVAL,
		                "the layout spans %.0f x %.0f km: more than %.0f km "
		                "is not one port",
		                w, h, GEO_MAX_SPAN_KM);
		goto out;
	}
	l->ctx = GEOS_init_r();
	GEOSContext_setErrorMessageHandler_r(l->ctx, on_geos_error, l);
	l->tree = GEOSSTRtree_create_r(l->ctx, 10);
	for (int i = 0; i < l->n; i++) {
		json_t *f = json_array_get(features, (size_t)i);
		struct geo_zone *z = &l->zones[i];
		l->geos_msg[0] = '\0';
		GEOSGeometry *g = geometry_build(l, json_object_get(f, "geometry"));
		if (!g) {
			rc = pg_err_field(err, PG_EINVAL, "geometry",
			                  "features[%d] (\"%s\"): geometry: %s", i, z->name,
			                  l->geos_msg[0] ? l->geos_msg : "not a valid polygon");
			goto out;
		}
		l->geoms[i].g = g;
		if (GEOSisValid_r(l->ctx, g) != 1) {
			char *why = GEOSisValidReason_r(l->ctx, g);
			rc =
			    pg_err_field(err, PG_EINVAL, "geometry",
			                 "features[%d] (\"%s\"): geometry: not a valid polygon: %s",
			                 i, z->name, why ? why : "?");
			GEOSFree_r(l->ctx, why);
			goto out;
		}
		l->geoms[i].prep = GEOSPrepare_r(l->ctx, g);
		double minx, miny, maxx, maxy;
		GEOSGeom_getXMin_r(l->ctx, g, &minx);
		GEOSGeom_getYMin_r(l->ctx, g, &miny);
		GEOSGeom_getXMax_r(l->ctx, g, &maxx);
		GEOSGeom_getYMax_r(l->ctx, g, &maxy);
		z->minx = minx, z->miny = miny, z->maxx = maxx, z->maxy = maxy;
		GEOSSTRtree_insert_r(l->ctx, l->tree, g, (void *)(intptr_t)(i + 1));
	}
	l->geojson = json_dumps(root, JSON_COMPACT);
	l->maxhits = 64;
	l->hits = pg_calloc((size_t)l->maxhits, sizeof(int));
	*out = l;
	l = NULL;
out:
	geo_layout_free(l);
	json_decref(root);
	return rc;
}

int geo_layout_load(const char *path, struct geo_layout **out, struct pg_err *err)
{
	char *text = NULL;
	int rc = pg_read_text_file(path, GEO_MAX_BYTES, "layout", &text, err);
	if (rc < 0)
		return rc;
	struct pg_err e = {0};
	rc = geo_layout_parse(text, strlen(text), out, &e);
	if (rc < 0) {
		pg_err_set(err, rc, "layout %s: %s", path, e.msg);
		if (err)
			pg_strlcpy(err->field, e.field, sizeof(err->field));
	}
	pg_free(text);
	return rc;
}

const struct geo_proj *geo_layout_proj(const struct geo_layout *l)
{
	return &l->proj;
}
int geo_layout_count(const struct geo_layout *l)
{
	return l->n;
}
const struct geo_zone *geo_layout_zone(const struct geo_layout *l, int i)
{
	return &l->zones[i];
}
const char *geo_layout_geojson(const struct geo_layout *l)
{
	return l->geojson;
}

struct query {
	struct geo_layout *l;
	const GEOSGeometry *pt;
};

static void on_candidate(void *item, void *ud)
{
	struct query *q = ud;
	struct geo_layout *l = q->l;
	int i = (int)(intptr_t)item - 1;
	if (GEOSPreparedIntersects_r(l->ctx, l->geoms[i].prep, q->pt) != 1)
		return;
	if (l->nhits == l->maxhits) {
		l->maxhits *= 2;
		l->hits = pg_realloc(l->hits, (size_t)l->maxhits * sizeof(int));
	}
	l->hits[l->nhits++] = i;
}

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int geo_layout_at(struct geo_layout *l, double x, double y, int *ids, int max)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(l->ctx, x, y);
	if (!pt)
		return 0;
	struct query q = {l, pt};
	l->nhits = 0;
	GEOSSTRtree_query_r(l->ctx, l->tree, pt, on_candidate, &q);
	GEOSGeom_destroy_r(l->ctx, pt);
	qsort(l->hits, (size_t)l->nhits, sizeof(int), int_cmp);
	for (int i = 0; i < l->nhits && i < max; i++)
		ids[i] = l->hits[i];
	return l->nhits;
}

double geo_layout_distance(struct geo_layout *l, int i, double x, double y)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(l->ctx, x, y);
	double d = -1;
	if (pt && GEOSPreparedDistance_r(l->ctx, l->geoms[i].prep, pt, &d) != 1)
		d = -1;
	if (pt)
		GEOSGeom_destroy_r(l->ctx, pt);
	return d;
}
