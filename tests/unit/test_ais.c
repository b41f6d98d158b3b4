/* test_ais.c - the AIS decoder: the data-driven cases of tests/data/ais_cases.txt (NMEA
 * lines -> expected gpsd JSON or drop reason), encode/decode round trips of every type, the
 * drop counters, and the bit and text helpers. gpsd as the oracle: test_ais_gpsd.c. */
#include <jansson.h>
#include <math.h>

#include "ais/ais.h"
#include "ais/ais_int.h"
#include "unit.h"

/* ---- tests/data/ais_cases.txt ----------------------------------------------------------
 * "< LINE"        feed LINE to the decoder (the harness adds "\r\n")
 * then exactly one expectation of what that line gave:
 * "= JSON"        a message, printed by ais_json_write as this (scaled, device "stdin")
 * "= (none)"      a message gpsd does not print (type 24 part alone)
 * "~"             consumed: a fragment waiting for the rest
 * "- REASON"      dropped with this reason
 * and any number of checks on the last message:
 * "? source S" / "? time T" / "? channel C" / "? own N" / "? raw JSON"
 * directives: "@now MS" (the clock for the next lines), "!flush",
 * "!stats NAME N" (a drop counter, or sentences/messages, so far) */

static char *trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static uint64_t stat_named(const struct ais_stats *st, const char *name)
{
	if (strcmp(name, "sentences") == 0)
		return st->sentences;
	if (strcmp(name, "messages") == 0)
		return st->messages;
	for (int r = 0; r < AIS_R_COUNT; r++)
		if (strcmp(name, ais_reason_name(r)) == 0)
			return st->dropped[r];
	fail_msg("unknown counter %s", name);
	return 0;
}

static void cases_file_decodes_as_expected(void **state)
{
	(void)state;
	FILE *f = fopen(PG_SOURCE_DIR "/tests/data/ais_cases.txt", "r");
	assert_non_null(f);
	struct ais_decoder *d = ais_decoder_new(NULL);
	struct ais_msg m;
	memset(&m, 0, sizeof(m));
	char line[4096], fed[4200], json[AIS_JSON_MAX];
	int64_t now = 0;
	int rc = 0, lineno = 0, expecting = 0, failures = 0, ncases = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		if (expecting && !(line[0] == '=' || line[0] == '~' || line[0] == '-'))
			fail_msg("ais_cases.txt:%d: an input line needs one expectation", lineno);
		if (strncmp(line, "< ", 2) == 0) {
			snprintf(fed, sizeof(fed), "%s\r\n", line + 2);
			rc = ais_decoder_feed(d, fed, strlen(fed), now, &m);
			expecting = 1;
			ncases++;
			continue;
		}
		const char *want = line + 2;
		if (line[0] == '=') {
			expecting = 0;
			if (rc != 1) {
				printf("ais_cases.txt:%d: expected a message, got %s\n", lineno,
				       rc == 0 ? "none" : ais_reason_name(-1 - rc));
				failures++;
				continue;
			}
			int n = ais_json_write(&m, 0, "stdin", json, sizeof(json));
			if (n > 0)
				json[n - 2] = '\0'; /* without "\r\n" */
			const char *got = n > 0 ? json : "(none)";
			if (strcmp(got, want) != 0) {
				printf("ais_cases.txt:%d:\n  want %s\n  got  %s\n", lineno, want,
				       got);
				failures++;
			}
		} else if (line[0] == '~') {
			expecting = 0;
			if (rc != 0) {
				printf("ais_cases.txt:%d: expected nothing yet, got %s\n", lineno,
				       rc == 1 ? "a message" : ais_reason_name(-1 - rc));
				failures++;
			}
		} else if (line[0] == '-') {
			expecting = 0;
			if (rc >= 0 || strcmp(ais_reason_name(-1 - rc), want) != 0) {
				printf("ais_cases.txt:%d: expected a drop for %s, got %s\n", lineno,
				       want,
				       rc == 1   ? "a message"
				       : rc == 0 ? "nothing"
				                 : ais_reason_name(-1 - rc));
				failures++;
			}
		} else if (line[0] == '?') {
			char what[32] = "", val[2048] = "";
			sscanf(want, "%31s %2047[^\n]", what, val);
			char got[2048] = "";
			if (strcmp(what, "source") == 0)
				snprintf(got, sizeof(got), "%s", m.source);
			else if (strcmp(what, "time") == 0)
				snprintf(got, sizeof(got), "%lld", (long long)m.tag_time);
			else if (strcmp(what, "channel") == 0)
				snprintf(got, sizeof(got), "%c", m.channel ? m.channel : '-');
			else if (strcmp(what, "own") == 0)
				snprintf(got, sizeof(got), "%d", m.own);
			else if (strcmp(what, "raw") == 0) {
				int n = ais_json_write(&m, 1, "stdin", json, sizeof(json));
				if (n > 0)
					json[n - 2] = '\0';
				snprintf(got, sizeof(got), "%s", n > 0 ? json : "(none)");
			} else
				fail_msg("ais_cases.txt:%d: unknown check %s", lineno, what);
			if (strcmp(got, val) != 0) {
				printf("ais_cases.txt:%d: %s: want %s, got %s\n", lineno, what, val,
				       got);
				failures++;
			}
		} else if (strncmp(line, "@now ", 5) == 0) {
			now = strtoll(line + 5, NULL, 10);
		} else if (strcmp(line, "!flush") == 0) {
			ais_decoder_flush(d);
		} else if (strncmp(line, "!stats ", 7) == 0) {
			char name[64];
			unsigned long long n = 0;
			assert_int_equal(sscanf(line + 7, "%63s %llu", name, &n), 2);
			uint64_t got = stat_named(ais_decoder_stats(d), name);
			if (got != n) {
				printf("ais_cases.txt:%d: %s: want %llu, got %llu\n", lineno, name,
				       n, (unsigned long long)got);
				failures++;
			}
		} else {
			fail_msg("ais_cases.txt:%d: cannot read '%s'", lineno, line);
		}
	}
	fclose(f);
	ais_decoder_free(d);
	printf("%d input lines\n", ncases);
	assert_true(ncases > 40);
	assert_int_equal(failures, 0);
}

/* ---- round trips ------------------------------------------------------------------------ */

static void encode_then_decode_gives_every_type_back(void **state)
{
	(void)state;
	uint64_t rng = 42;
	char nmea[4096];
	int checked = 0;
	for (int type = 1; type <= 27; type++)
		for (int i = 0; i < 400; i++) {
			struct ais_msg m, got;
			ais_random_msg(&m, type, &rng, 0);
			uint8_t bits[AIS_MAX_BITS / 8 + 8];
			int nbits = ais_encode_bits(&m, bits);
			assert_true(nbits >= 38);
			assert_true(ais_nmea_write(bits, nbits, "AIVDM", 'B', i % 10, nmea,
			                           sizeof(nmea)) > 0);
			/* what the decoder adds */
			m.bitlen = nbits;
			m.channel = 'B';
			if (type == 24)
				m.part = m.partno ? AIS_PART_B : AIS_PART_A;
			struct ais_decoder *d = ais_decoder_new(NULL);
			memset(&got, 0, sizeof(got)); /* the decoder leaves bytes after a NUL */
			int rc = 0;
			for (char *p = nmea; *p;) {
				char *nl = strchr(p, '\n');
				rc = ais_decoder_feed(d, p, (size_t)(nl - p + 1), 0, &got);
				p = nl + 1;
			}
			ais_decoder_free(d);
			if (rc != 1)
				fail_msg("type %d: %s: %s", type, nmea,
				         rc == 0 ? "no message" : ais_reason_name(-1 - rc));
			if (memcmp(&m, &got, sizeof(m)) != 0) {
				char a[AIS_JSON_MAX], b[AIS_JSON_MAX];
				m.part = got.part = AIS_PART_AB; /* to print type 24 too */
				ais_json_write(&m, 1, NULL, a, sizeof(a));
				ais_json_write(&got, 1, NULL, b, sizeof(b));
				fail_msg("type %d differs after a round trip\n%s  in:  %s  out: %s",
				         type, nmea, a, b);
			}
			checked++;
		}
	assert_int_equal(checked, 27 * 400);
}

static void type_24_part_b_takes_the_name_of_part_a(void **state)
{
	(void)state;
	struct ais_msg a, b, got;
	uint64_t rng = 7;
	do
		ais_random_msg(&a, 24, &rng, 0);
	while (a.partno != 0);
	do
		ais_random_msg(&b, 24, &rng, 0);
	while (b.partno != 1 || b.mmsi / 10000000 == 98);
	a.mmsi = b.mmsi;
	snprintf(a.shipname, sizeof(a.shipname), "NORDIC STAR");
	char nmea[512];
	struct ais_decoder *d = ais_decoder_new(NULL);
	assert_true(ais_encode_nmea(&a, "AIVDM", 'A', 0, nmea, sizeof(nmea)) > 0);
	assert_int_equal(ais_decoder_feed(d, nmea, strlen(nmea), 0, &got), 1);
	assert_int_equal(got.part, AIS_PART_A);
	assert_string_equal(got.shipname, "NORDIC STAR");
	char json[AIS_JSON_MAX];
	assert_int_equal(ais_json_write(&got, 0, NULL, json, sizeof(json)), 0);
	assert_true(ais_encode_nmea(&b, "AIVDM", 'A', 0, nmea, sizeof(nmea)) > 0);
	assert_int_equal(ais_decoder_feed(d, nmea, strlen(nmea), 0, &got), 1);
	assert_int_equal(got.part, AIS_PART_AB);
	assert_string_equal(got.shipname, "NORDIC STAR");
	assert_true(ais_json_write(&got, 0, NULL, json, sizeof(json)) > 0);
	assert_non_null(strstr(json, "\"shipname\":\"NORDIC STAR\""));
	/* the same part B again finds no part A: gpsd prints nothing */
	assert_int_equal(ais_decoder_feed(d, nmea, strlen(nmea), 0, &got), 1);
	assert_int_equal(got.part, AIS_PART_B);
	assert_string_equal(got.shipname, "");
	ais_decoder_free(d);
}

/* Many multi-sentence messages interleaved over more keys than the table holds: the
 * oldest are lost and counted, the others complete. */
static void reassembly_table_evicts_the_oldest_when_full(void **state)
{
	(void)state;
	struct ais_decoder *d = ais_decoder_new(NULL);
	uint64_t rng = 9;
	char first[20][600], second[20][600];
	for (int i = 0; i < 20; i++) {
		struct ais_msg m;
		ais_random_msg(&m, 5, &rng, 0);
		m.bitlen = 424;
		char nmea[512];
		char src[32];
		snprintf(src, sizeof(src), "r%d", i);
		assert_true(ais_encode_nmea(&m, "AIVDM", 'A', i % 10, nmea, sizeof(nmea)) > 0);
		char *nl = strchr(nmea, '\n');
		/* a tag block names the receiver: 20 keys */
		char body[40];
		snprintf(body, sizeof(body), "s:%s", src);
		unsigned cs = 0;
		for (char *p = body; *p; p++)
			cs ^= (unsigned char)*p;
		snprintf(first[i], sizeof(first[i]), "\\%s*%02X\\%.*s", body, cs,
		         (int)(nl - nmea + 1), nmea);
		snprintf(second[i], sizeof(second[i]), "\\%s*%02X\\%s", body, cs, nl + 1);
	}
	struct ais_msg got;
	for (int i = 0; i < 20; i++)
		assert_int_equal(ais_decoder_feed(d, first[i], strlen(first[i]), 0, &got), 0);
	int ok = 0, lost = 0;
	for (int i = 0; i < 20; i++) {
		int rc = ais_decoder_feed(d, second[i], strlen(second[i]), 0, &got);
		if (rc == 1) {
			ok++;
			char want[32];
			snprintf(want, sizeof(want), "r%d", i);
			assert_string_equal(got.source, want);
		} else {
			assert_int_equal(rc, -1 - AIS_R_LOST_FRAGMENT);
			lost++;
		}
	}
	assert_int_equal(ok, 16);
	assert_int_equal(lost, 4);
	const struct ais_stats *st = ais_decoder_stats(d);
	assert_int_equal(st->dropped[AIS_R_LOST_FRAGMENT], 8); /* 4 first parts, 4 second */
	assert_int_equal(st->sentences, 40);
	assert_int_equal(st->messages, 16);
	ais_decoder_free(d);
}

/* A first part whose rest never comes is counted lost after the timeout even when only
 * single-sentence messages follow (checked every 1024 sentences). */
static void a_waiting_part_times_out_under_single_sentence_traffic(void **state)
{
	(void)state;
	struct ais_decoder_opts opts = {5000};
	struct ais_decoder *d = ais_decoder_new(&opts);
	struct ais_msg m;
	uint64_t rng = 11;
	char nmea[1024], pos[256];
	ais_random_msg(&m, 5, &rng, 0);
	assert_true(ais_encode_nmea(&m, "AIVDM", 'A', 1, nmea, sizeof(nmea)) > 0);
	*(strchr(nmea, '\n') + 1) = '\0'; /* the first part only */
	assert_int_equal(ais_decoder_feed(d, nmea, strlen(nmea), 0, &m), 0);
	ais_random_msg(&m, 1, &rng, 0);
	assert_true(ais_encode_nmea(&m, "AIVDM", 'A', 0, pos, sizeof(pos)) > 0);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(ais_decoder_feed(d, pos, strlen(pos), 6000, &m), 1);
	assert_int_equal(ais_decoder_stats(d)->dropped[AIS_R_LOST_FRAGMENT], 1);
	ais_decoder_free(d);
}

static void motion_gives_degrees_and_knots_or_not_available(void **state)
{
	(void)state;
	struct ais_msg m;
	struct ais_motion mo;
	memset(&m, 0, sizeof(m));
	m.type = 1;
	m.lat = 31089000; /* 51.815 */
	m.lon = -2700000; /* -4.5 */
	m.speed = 123;
	m.course = 3599;
	m.heading = 511;
	assert_int_equal(ais_motion(&m, &mo), 0);
	assert_true(fabs(mo.lat - 51.815) < 1e-9 && fabs(mo.lon + 4.5) < 1e-9);
	assert_true(fabs(mo.sog - 12.3) < 1e-9 && fabs(mo.cog - 359.9) < 1e-9);
	assert_true(isnan(mo.heading));
	m.speed = 1023;
	m.course = 3600;
	assert_int_equal(ais_motion(&m, &mo), 0);
	assert_true(isnan(mo.sog) && isnan(mo.cog));
	m.lat = 91 * 600000; /* not available */
	assert_int_equal(ais_motion(&m, &mo), -1);
	m.type = 27; /* 1/10 minute */
	m.lat = 600;
	m.lon = -1200;
	m.speed = 63;
	m.course = 90;
	assert_int_equal(ais_motion(&m, &mo), 0);
	assert_true(fabs(mo.lat - 1.0) < 1e-9 && fabs(mo.lon + 2.0) < 1e-9);
	assert_true(isnan(mo.sog) && fabs(mo.cog - 90) < 1e-9);
	m.type = 5;
	assert_int_equal(ais_motion(&m, &mo), -1);
}

static void bits_read_signed_and_unsigned_across_bytes(void **state)
{
	(void)state;
	uint8_t b[16] = {0xff, 0x00, 0xa5, 0x5a, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	assert_int_equal(ais_ubits(b, 0, 8), 0xff);
	assert_int_equal(ais_ubits(b, 4, 8), 0xf0);
	assert_int_equal(ais_ubits(b, 16, 16), 0xa55a);
	assert_int_equal(ais_sbits(b, 0, 8), -1);
	assert_int_equal(ais_sbits(b, 16, 4), -6);
	assert_int_equal(ais_ubits(b, 33, 30), 0x8000); /* bit 47 */
}

static void json_formats_edge_values_as_gpsd(void **state)
{
	(void)state;
	struct ais_msg m;
	memset(&m, 0, sizeof(m));
	m.type = 1;
	m.mmsi = 1;
	m.turn = -126;
	m.speed = 1022;
	m.lon = -108000000; /* -180 */
	m.lat = 1;
	m.course = 3600;
	char json[AIS_JSON_MAX];
	assert_true(ais_json_write(&m, 0, NULL, json, sizeof(json)) > 0);
	assert_non_null(strstr(json, "\"turn\":709,\"speed\":\"fast\""));
	assert_non_null(strstr(json, "\"lon\":-180.000000,\"lat\":0.000002,\"course\":360.0"));
	assert_true(ais_json_write(&m, 1, NULL, json, sizeof(json)) > 0);
	assert_non_null(strstr(json, "\"turn\":-126,\"speed\":1022"));
	assert_int_equal(ais_json_write(&m, 0, NULL, json, 100), -1);
	m.type = 0;
	assert_int_equal(ais_json_write(&m, 0, NULL, json, sizeof(json)), -1);
	/* the longest there is: a type 14 of escaped quotes, a device of control characters */
	m.type = 14;
	memset(m.text, '"', sizeof(m.text) - 1);
	m.text[sizeof(m.text) - 1] = '\0';
	char device[300];
	memset(device, 1, sizeof(device) - 1);
	device[sizeof(device) - 1] = '\0';
	int n = ais_json_write(&m, 0, device, json, sizeof(json));
	assert_true(n > 1000 && n < AIS_JSON_MAX);
	assert_int_equal((int)strlen(json), n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cases_file_decodes_as_expected),
	    cmocka_unit_test(encode_then_decode_gives_every_type_back),
	    cmocka_unit_test(type_24_part_b_takes_the_name_of_part_a),
	    cmocka_unit_test(reassembly_table_evicts_the_oldest_when_full),
	    cmocka_unit_test(a_waiting_part_times_out_under_single_sentence_traffic),
	    cmocka_unit_test(motion_gives_degrees_and_knots_or_not_available),
	    cmocka_unit_test(bits_read_signed_and_unsigned_across_bytes),
	    cmocka_unit_test(json_formats_edge_values_as_gpsd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
