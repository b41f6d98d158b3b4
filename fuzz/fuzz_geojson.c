/* fuzz_geojson - the zone geometry, schedule, holidays and levels checks on any JSON:
 * they accept or refuse with a reason, never crash; accepted geometry has closed rings. */
#include <jansson.h>

#include "access/access_admin.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t e;
	json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);
	if (!v)
		return 0;
	struct pg_err err = {0};
	if (access_geometry_check(v, "geometry", &err) == 0) {
		json_t *rings = json_object_get(v, "coordinates"), *ring;
		size_t i;
		FUZZ_CHECK(json_is_array(rings) && json_array_size(rings) > 0);
		json_array_foreach(rings, i, ring) {
			size_t n = json_array_size(ring);
			FUZZ_CHECK(n >= 4);
			FUZZ_CHECK(json_equal(json_array_get(ring, 0), json_array_get(ring, n - 1)));
		}
	} else {
		FUZZ_CHECK(err.msg[0] != '\0');
	}
	memset(&err, 0, sizeof(err));
	if (access_schedule_check(v, "schedule", &err) < 0)
		FUZZ_CHECK(err.msg[0] != '\0');
	memset(&err, 0, sizeof(err));
	if (access_holidays_check(v, "holidays", &err) < 0)
		FUZZ_CHECK(err.msg[0] != '\0');
	int mask = -1;
	memset(&err, 0, sizeof(err));
	if (access_levels_mask(v, "levels", &mask, &err) == 0)
		FUZZ_CHECK(mask >= 1 && mask <= 7);
	json_decref(v);
	return 0;
}
