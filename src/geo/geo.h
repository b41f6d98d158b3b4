/* geo.h - the port's waterside layout as geometry: zones (polygons from a GeoJSON
 * FeatureCollection) in a local metric projection, with point-in-zone lookups through GEOS
 * prepared geometries and an STRtree, so a position tests only the candidate zones.
 *
 * Projection: equirectangular around the centre of the layout's bounding box, scaled by
 * the WGS 84 meridional and prime-vertical radii of curvature at that latitude: x metres
 * east, y metres north. Over a port (tens of km) distances are within 0.1 % of the
 * ellipsoid's; the layout is refused if it spans more than GEO_MAX_SPAN_KM.
 *
 * Threads: a layout owns one GEOS context (GEOS_init_r); the lookup functions must be called
 * from one thread at a time (the AIS engine thread). The read-only accessors (zones,
 * projection, GeoJSON text) may be used from any thread. */
#ifndef PG_GEO_H
#define PG_GEO_H

#include <stddef.h>

#include "../core/core.h"

#define GEO_NAME_MAX     96
#define GEO_MAX_FEATURES 20000
#define GEO_MAX_POINTS   1000000 /* vertices in the whole layout */
#define GEO_MAX_BYTES    (16 << 20)
#define GEO_MAX_SPAN_KM  400.0

enum geo_kind {
	GEO_PORT_AREA,  /* the harbour: the area AIS rules watch (dark, speeding default) */
	GEO_BERTH,      /* a berth security zone */
	GEO_RESTRICTED, /* restricted waters */
	GEO_ANCHORAGE,
	GEO_CHANNEL, /* an approach channel */
	GEO_LAND,    /* land: a position here is not credible */
	GEO_N_KINDS
};
/* "port_area", "berth", ... as in properties.kind. */
const char *geo_kind_name(int kind);

/* ---- projection ---------------------------------------------------------------------- */

struct geo_proj {
	double lat0, lon0; /* degrees */
	double mx, my;     /* metres per degree of longitude / latitude at lat0 */
};

void geo_proj_init(struct geo_proj *p, double lat0, double lon0);
void geo_project(const struct geo_proj *p, double lat, double lon, double *x, double *y);
void geo_unproject(const struct geo_proj *p, double x, double y, double *lat, double *lon);
/* Great-circle distance in metres (haversine on the mean Earth radius). */
double geo_distance_m(double lat1, double lon1, double lat2, double lon2);

/* ---- layout ------------------------------------------------------------------------- */

struct geo_zone {
	char name[GEO_NAME_MAX];       /* properties.name, unique in the layout */
	char berth[GEO_NAME_MAX];      /* properties.berth, or "" */
	int kind;                      /* enum geo_kind */
	double speed_limit_kn;         /* properties.speed_limit_kn, or 0 (none) */
	double minx, miny, maxx, maxy; /* projected envelope, metres */
};

struct geo_layout;

/* Parses a GeoJSON FeatureCollection of Polygon / MultiPolygon features with
 * properties.name (1..95 characters, unique), properties.kind (a geo_kind name), optional
 * properties.speed_limit_kn (number, 0 < v <= 100) and properties.berth (string).
 * Coordinates are [lon, lat] in degrees; rings closed, at least 4 positions, valid
 * polygons (GEOS isValid). On failure nothing is kept and err names the feature and field:
 * "features[3] ("Quay 1"): properties.kind: 'dock' is not one of ...". */
int geo_layout_parse(const char *text, size_t len, struct geo_layout **out, struct pg_err *err);
/* Reads (at most GEO_MAX_BYTES) and parses a file; err names it. */
int geo_layout_load(const char *path, struct geo_layout **out, struct pg_err *err);
void geo_layout_free(struct geo_layout *l); /* accepts NULL */

const struct geo_proj *geo_layout_proj(const struct geo_layout *l);
int geo_layout_count(const struct geo_layout *l);
const struct geo_zone *geo_layout_zone(const struct geo_layout *l, int i);
/* The layout as compact GeoJSON text (every feature as given, in order). */
const char *geo_layout_geojson(const struct geo_layout *l);

/* The zones that contain (or touch) projected point (x, y): writes up to max zone indices
 * in ascending order into ids and returns how many there are. One thread at a time. */
int geo_layout_at(struct geo_layout *l, double x, double y, int *ids, int max);
/* Distance in metres from (x, y) to zone i (0 inside). One thread at a time. */
double geo_layout_distance(struct geo_layout *l, int i, double x, double y);

#endif
