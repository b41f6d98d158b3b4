/* fuzz_layout - the waterside layout parser (GeoJSON -> zones) on any bytes: it accepts or
 * refuses with a reason, never crashes; an accepted layout answers point lookups and
 * distances for its zones' corners. */
#include "fuzz.h"
#include "geo/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_layout *l = NULL;
	struct pg_err err = {0};
	if (geo_layout_parse((const char *)data, size, &l, &err) < 0) {
		FUZZ_CHECK(l == NULL);
		FUZZ_CHECK(err.msg[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(geo_layout_count(l) > 0);
	int ids[8];
	for (int i = 0; i < geo_layout_count(l) && i < 16; i++) {
		const struct geo_zone *z = geo_layout_zone(l, i);
		FUZZ_CHECK(z->name[0] != '\0');
		FUZZ_CHECK(z->kind >= 0 && z->kind < GEO_N_KINDS);
		FUZZ_CHECK(z->minx <= z->maxx && z->miny <= z->maxy);
		int n = geo_layout_at(l, (z->minx + z->maxx) / 2, (z->miny + z->maxy) / 2, ids, 8);
		FUZZ_CHECK(n >= 0);
		double d = geo_layout_distance(l, i, z->maxx + 10, z->maxy + 10);
		FUZZ_CHECK(d >= 0);
	}
	FUZZ_CHECK(geo_layout_geojson(l) != NULL);
	geo_layout_free(l);
	return 0;
}
