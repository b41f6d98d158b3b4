/* fuzz_sensor_message.c - the sensor message and heartbeat parsers (MQTT payloads and HTTP
 * bodies from devices) and the state decision over what they accept.
 *
 * Checks, for any bytes:
 *  - a refusal says why (a result that is a refusal, a message) and leaves the output as
 *    it was; an acceptance is a known state or -1 with a finite value, and a time inside
 *    the accepted window (or none);
 *  - over SENSORS_MSG_MAX bytes is always refused as too large;
 *  - sensors_decide over an accepted message either refuses for lack of a state or gives
 *    a known state, with a terminated reason. */
#include <math.h>

#include "fuzz.h"
#include "sensors/sensors.h"

#define NOW INT64_C(1795780000000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 * SENSORS_MSG_MAX)
		return 0;
	const char *text = (const char *)data;
	struct sensor_msg m, untouched;
	memset(&m, 0x5a, sizeof(m));
	untouched = m;
	enum sensor_result why = SR_ACCEPTED;
	struct pg_err err = {0};
	int rc = sensors_msg_parse(text, size, NOW, &m, &why, &err);
	if (size > SENSORS_MSG_MAX)
		FUZZ_CHECK(rc == PG_ELIMIT && why == SR_TOO_LARGE);
	if (rc < 0) {
		FUZZ_CHECK(why != SR_ACCEPTED && why != SR_HEARTBEAT && why < SR_N_RESULTS);
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(memcmp(&m, &untouched, sizeof(m)) == 0);
	} else {
		FUZZ_CHECK(rc == 0);
		FUZZ_CHECK(m.state >= -1 && m.state < SENSOR_N_STATES);
		FUZZ_CHECK(m.state >= 0 || m.has_value);
		FUZZ_CHECK(!m.has_value || isfinite(m.value));
		FUZZ_CHECK(m.at_ms == 0 || (m.at_ms <= NOW + SENSORS_AT_FUTURE_MS &&
		                            m.at_ms >= NOW - SENSORS_AT_PAST_MS));
		static const struct sensor_conf confs[] = {
		    {.kind = "water_level", .has_high = 1, .high = 1.5, .has_low = 1, .low = -1},
		    {.kind = "fence_intrusion"},
		    {.kind = "nonsense", .unit = "u", .has_high = 1, .high = 0},
		};
		for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
			int st = -7;
			char reason[200];
			memset(reason, 'x', sizeof(reason));
			enum sensor_result w = SR_ACCEPTED;
			struct pg_err e = {0};
			int d = sensors_decide(&confs[i], &m, &st, reason, sizeof(reason), &w, &e);
			if (d < 0) {
				FUZZ_CHECK(w == SR_NO_STATE && m.state < 0);
			} else {
				FUZZ_CHECK(st >= 0 && st < SENSOR_N_STATES);
				FUZZ_CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
			}
		}
	}
	int64_t at = INT64_C(0x5a5a5a5a5a5a5a5a);
	why = SR_ACCEPTED;
	rc = sensors_heartbeat_parse(text, size, NOW, &at, &why, &err);
	if (rc < 0)
		FUZZ_CHECK(at == INT64_C(0x5a5a5a5a5a5a5a5a) && why != SR_ACCEPTED);
	else
		FUZZ_CHECK(at == 0 ||
		           (at <= NOW + SENSORS_AT_FUTURE_MS && at >= NOW - SENSORS_AT_PAST_MS));
	return 0;
}
