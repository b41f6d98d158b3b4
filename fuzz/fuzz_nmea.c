/* fuzz_nmea.c - AIS NMEA input through the whole decoder: sentence parsing, tag blocks,
 * reassembly, payload decoding, type 24 pairing, gpsd JSON output.
 *
 * The input is split into lines, fed to one decoder (with a clock that moves). Checks:
 *  - every line is counted: sentences == messages' sentences + drops + waiting (the
 *    counters only grow, by one line at most per line unless a message completes);
 *  - a decoded message has a type 1..27, a 30-bit MMSI, NUL-terminated texts that are
 *    six-bit characters without trailing spaces, data_bits within data[];
 *  - its JSON (scaled and raw) fits, is valid JSON (jansson), is one line ending "\r\n"
 *    and says class AIS with the type and MMSI of the message;
 *  - encode(decode(x)) round trips: the message encoded again (at its received length)
 *    decodes to the same message. */
#include <jansson.h>

#include "ais/ais.h"
#include "fuzz.h"

static void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);
	FUZZ_CHECK(n < size);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(
		    strchr("@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?",
		           s[i]) &&
		    s[i] != '@');
	FUZZ_CHECK(n == 0 || s[n - 1] != ' ');
}

static void check_json(const struct ais_msg *m, int raw)
{
	char buf[AIS_JSON_MAX];
	int n = ais_json_write(m, raw, "stdin", buf, sizeof(buf));
	FUZZ_CHECK(n >= 0 && n < (int)sizeof(buf));
	if (n == 0) {
		FUZZ_CHECK(m->type == 24 && m->part != AIS_PART_AB);
		return;
	}
	FUZZ_CHECK((size_t)n == strlen(buf));
	FUZZ_CHECK(n > 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n');
	FUZZ_CHECK(memchr(buf, '\n', (size_t)n - 1) == NULL);
	json_error_t e;
	json_t *j = json_loadb(buf, (size_t)n, 0, &e);
	FUZZ_CHECK(j != NULL);
	FUZZ_CHECK(strcmp(json_string_value(json_object_get(j, "class")), "AIS") == 0);
	FUZZ_CHECK(json_integer_value(json_object_get(j, "type")) == m->type);
	FUZZ_CHECK(json_integer_value(json_object_get(j, "mmsi")) == m->mmsi);
	json_decref(j);
}

static void check_round_trip(const struct ais_msg *m)
{
	struct ais_msg want = *m, again;
	if (want.type == 24 && want.part == AIS_PART_AB) { /* the name came from part A */
		want.part = AIS_PART_B;
		want.shipname[0] = '\0';
		memset(want.shipname, 0, sizeof(want.shipname));
	}
	uint8_t bits[AIS_MAX_BITS / 8 + 8];
	int n = ais_encode_bits(&want, bits);
	FUZZ_CHECK(n == m->bitlen);
	memset(&again, 0, sizeof(again));
	FUZZ_CHECK(ais_decode_bits(bits, n, &again) == 0);
	/* what the sentence layer adds */
	again.channel = want.channel;
	again.own = want.own;
	memcpy(again.source, want.source, sizeof(again.source));
	again.tag_time = want.tag_time;
	if (again.type == 24 && want.part == AIS_PART_B)
		FUZZ_CHECK(again.part == AIS_PART_B);
	FUZZ_CHECK(memcmp(&want, &again, offsetof(struct ais_msg, name)) == 0);
	FUZZ_CHECK(strcmp(want.name, again.name) == 0);
	FUZZ_CHECK(strcmp(want.text, again.text) == 0);
	FUZZ_CHECK(want.data_bits == again.data_bits);
	FUZZ_CHECK(memcmp(want.data, again.data, (size_t)(want.data_bits + 7) / 8) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2048)
		return 0;
	struct ais_decoder_opts opts = {5000};
	struct ais_decoder *d = ais_decoder_new(&opts);
	const char *p = (const char *)data, *end = p + size;
	int64_t now = 0;
	uint64_t prev_total = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
		struct ais_msg m;
		memset(&m, 0x5a, sizeof(m));
		int rc = ais_decoder_feed(d, p, len, now, &m);
		now += 1000;
		FUZZ_CHECK(rc >= -AIS_R_COUNT && rc <= 1);
		if (rc == 1) {
			FUZZ_CHECK(m.type >= 1 && m.type <= 27);
			FUZZ_CHECK(m.mmsi >= 0 && m.mmsi < (1 << 30));
			FUZZ_CHECK(m.data_bits >= 0 && m.data_bits <= (int)sizeof(m.data) * 8);
			check_text(m.callsign, sizeof(m.callsign));
			check_text(m.shipname, sizeof(m.shipname));
			check_text(m.destination, sizeof(m.destination));
			check_text(m.vendorid, sizeof(m.vendorid));
			check_text(m.name, sizeof(m.name));
			check_text(m.text, sizeof(m.text));
			FUZZ_CHECK(memchr(m.source, '\0', sizeof(m.source)) != NULL);
			check_json(&m, 0);
			check_json(&m, 1);
			check_round_trip(&m);
		}
		const struct ais_stats *st = ais_decoder_stats(d);
		uint64_t total = st->messages;
		for (int r = 0; r < AIS_R_COUNT; r++)
			total += st->dropped[r];
		FUZZ_CHECK(total >= prev_total);
		FUZZ_CHECK(total <= st->sentences);
		prev_total = total;
		p += len;
	}
	ais_decoder_flush(d);
	ais_decoder_free(d);
	return 0;
}
