/* bench_ais - AIS decoding speed (figures, never pass or fail).
 *
 *   bench_ais gen FILE [SENTENCES]   write a realistic NMEA file (default 1 000 000 sentences)
 *   bench_ais decode FILE [ROUNDS [decode-only]]
 *                                    decode the file in memory: sentences/s decode-only
 *                                    (the struct, no output), and decode + gpsd JSON into a
 *                                    buffer (no I/O); best of ROUNDS (default 3)
 *
 * The mix (by sentences), from the encoder with plausible values for 4000 vessels moving
 * around a port: 62 % class A positions (types 1/2/3), 18 % class B (18), 8 % type 5 in
 * two sentences, 5 % type 24 A+B, 2 % base stations (4), and 1 % each of 21, 9, 27, 8
 * (one sentence) and 19; a third of the lines carry a tag block (s:, c:). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ais/ais.h"

#define VESSELS 4000

struct vessel {
	int32_t mmsi, lon, lat, speed, course;
	char name[21], callsign[8], dest[21];
};

/* CPU time of this thread: on a shared machine, wall time measures the neighbours. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int pick(uint64_t *rng, int n)
{
	return (int)(ais_rand(rng) % (uint64_t)n);
}

static void word(uint64_t *rng, char *to, int n)
{
	static const char *w[] = {"NORDIC", "STAR",   "MAERSK",    "EVER", "GIVEN",
	                          "OCEAN",  "PILOT",  "ROTTERDAM", "TUG",  "HAMBURG",
	                          "BLUE",   "SPIRIT", "ARCTIC"};
	snprintf(to, (size_t)n, "%s %s", w[pick(rng, 13)], w[pick(rng, 13)]);
}

static int generate(const char *path, long sentences)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	uint64_t rng = 0x5eed;
	static struct vessel v[VESSELS];
	for (int i = 0; i < VESSELS; i++) {
		v[i].mmsi = 200000000 + pick(&rng, 570000000);
		v[i].lon = (int32_t)((4.0 + pick(&rng, 1000) / 1000.0) * 600000); /* 4..5 E */
		v[i].lat = (int32_t)((51.8 + pick(&rng, 300) / 1000.0) * 600000);
		v[i].speed = pick(&rng, 200);
		v[i].course = pick(&rng, 3600);
		word(&rng, v[i].name, sizeof(v[i].name));
		snprintf(v[i].callsign, sizeof(v[i].callsign), "PD%04d", pick(&rng, 10000));
		snprintf(v[i].dest, sizeof(v[i].dest), "NLRTM");
	}
	char out[4096];
	long written = 0;
	int seq = 0;
	while (written < sentences) {
		struct vessel *s = &v[pick(&rng, VESSELS)];
		struct ais_msg m;
		memset(&m, 0, sizeof(m));
		m.mmsi = s->mmsi;
		m.tag_time = -1;
		s->lon += pick(&rng, 61) - 30;
		s->lat += pick(&rng, 41) - 20;
		int r = pick(&rng, 100), lines = 0;
		m.lon = s->lon;
		m.lat = s->lat;
		m.speed = s->speed;
		m.course = s->course;
		m.heading = s->course / 10;
		m.second = pick(&rng, 60);
		m.radio = pick(&rng, 1 << 19);
		char ch = pick(&rng, 2) ? 'A' : 'B';
		if (r < 62) {
			m.type = 1 + pick(&rng, 3);
			m.status = pick(&rng, 9);
			m.turn = pick(&rng, 20) - 10;
		} else if (r < 80) {
			m.type = 18;
			m.heading = 511;
			m.cs = 1;
		} else if (r < 84) { /* 2 sentences each */
			m.type = 5;
			m.imo = 9000000 + pick(&rng, 999999);
			memcpy(m.shipname, s->name, sizeof(m.shipname));
			memcpy(m.callsign, s->callsign, sizeof(m.callsign));
			memcpy(m.destination, s->dest, sizeof(m.destination));
			m.shiptype = 70 + pick(&rng, 20);
			m.to_bow = 150;
			m.to_stern = 40;
			m.to_port = 15;
			m.to_starboard = 15;
			m.epfd = 1;
			m.month = 1 + pick(&rng, 12);
			m.day = 1 + pick(&rng, 28);
			m.hour = pick(&rng, 24);
			m.draught = 50 + pick(&rng, 100);
		} else if (r < 89) { /* A here, B next (2 sentences) */
			m.type = 24;
			memcpy(m.shipname, s->name, sizeof(m.shipname));
			struct ais_msg b = m;
			memset(b.shipname, 0, sizeof(b.shipname));
			b.partno = 1;
			b.shiptype = 37;
			memcpy(b.vendorid, "GRM", 4);
			memcpy(b.callsign, s->callsign, sizeof(b.callsign));
			b.to_bow = 10;
			b.to_stern = 2;
			b.to_port = 2;
			b.to_starboard = 2;
			if (ais_encode_nmea(&b, "AIVDM", ch, 0, out, sizeof(out)) > 0) {
				/* written after A below */
			}
			char a[512];
			if (ais_encode_nmea(&m, "AIVDM", ch, 0, a, sizeof(a)) > 0) {
				fputs(a, f);
				fputs(out, f);
				written += 2;
			}
			continue;
		} else if (r < 91) {
			m.type = 4;
			m.year = 2026;
			m.month = 11;
			m.day = 27;
			m.hour = pick(&rng, 24);
			m.minute = pick(&rng, 60);
			m.epfd = 7;
		} else if (r < 92) {
			m.type = 21;
			m.aid_type = pick(&rng, 32);
			snprintf(m.name, sizeof(m.name), "BUOY %d", pick(&rng, 100));
		} else if (r < 93) {
			m.type = 9;
			m.alt = pick(&rng, 1000);
		} else if (r < 94) {
			m.type = 27;
			m.lon /= 1000;
			m.lat /= 1000;
			m.speed = pick(&rng, 63);
			m.course = pick(&rng, 360);
		} else if (r < 95) {
			m.type = 8;
			m.dac = 2 + pick(&rng, 100);
			m.fid = pick(&rng, 64);
			m.data_bits = 8 * (1 + pick(&rng, 10));
			for (int k = 0; k < m.data_bits / 8; k++)
				m.data[k] = (uint8_t)pick(&rng, 256);
		} else if (r < 96) {
			m.type = 19;
			memcpy(m.shipname, s->name, sizeof(m.shipname));
			m.shiptype = 37;
		} else {
			m.type = 1;
		}
		int n = ais_encode_nmea(&m, "AIVDM", ch, seq++ % 10, out, sizeof(out));
		if (n <= 0)
			continue;
		for (char *p = out; *p; p++)
			lines += *p == '\n';
		if (pick(&rng, 3) == 0 && lines == 1) {
			char body[64];
			snprintf(body, sizeof(body), "s:rx%d,c:%ld", pick(&rng, 4),
			         1795000000L + written / 100);
			unsigned cs = 0;
			for (char *p = body; *p; p++)
				cs ^= (unsigned char)*p;
			fprintf(f, "\\%s*%02X\\", body, cs);
		}
		fputs(out, f);
		written += lines;
	}
	fclose(f);
	printf("wrote %ld sentences to %s\n", written, path);
	return 0;
}

static int decode(const char *path, int rounds, int modes)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	fclose(f);
	buf[size] = '\0';
	char *json = malloc(AIS_JSON_MAX);
	double best_dec = 1e9, best_json = 1e9;
	uint64_t sentences = 0, messages = 0, printed = 0, bytes = 0;
	for (int mode = 0; mode < modes; mode++)
		for (int r = 0; r < rounds; r++) {
			struct ais_decoder *d = ais_decoder_new(NULL);
			struct ais_msg m;
			printed = bytes = 0;
			double t0 = now_s();
			for (char *p = buf, *end = buf + size; p < end;) {
				char *nl = memchr(p, '\n', (size_t)(end - p));
				size_t len = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
				if (ais_decoder_feed(d, p, len, 0, &m) == 1 && mode == 1) {
					int n = ais_json_write(&m, 0, "stdin", json, AIS_JSON_MAX);
					if (n > 0) {
						printed++;
						bytes += (uint64_t)n;
					}
				}
				p += len;
			}
			double t = now_s() - t0;
			const struct ais_stats *st = ais_decoder_stats(d);
			sentences = st->sentences;
			messages = st->messages;
			ais_decoder_free(d);
			if (mode == 0 && t < best_dec)
				best_dec = t;
			if (mode == 1 && t < best_json)
				best_json = t;
		}
	printf("%-28s %10s %14s %10s\n", "in memory, one core", "cpu s", "sentences/s", "ns/sent");
	printf("%-28s %10.3f %14.0f %10.1f\n", "decode only", best_dec, sentences / best_dec,
	       best_dec * 1e9 / (double)sentences);
	printf("%-28s %10.3f %14.0f %10.1f\n", "decode + gpsd JSON", best_json,
	       sentences / best_json, best_json * 1e9 / (double)sentences);
	printf("(%llu sentences, %llu messages, %llu JSON lines, %.1f MB of JSON)\n",
	       (unsigned long long)sentences, (unsigned long long)messages,
	       (unsigned long long)printed, bytes / 1e6);
	free(json);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "gen") == 0)
		return generate(argv[2], argc > 3 ? atol(argv[3]) : 1000000);
	if (argc >= 3 && strcmp(argv[1], "decode") == 0)
		return decode(argv[2], argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3,
		              argc > 4 && strcmp(argv[4], "decode-only") == 0 ? 1 : 2);
	fprintf(stderr, "usage: bench_ais gen FILE [SENTENCES] | bench_ais decode FILE [ROUNDS]\n");
	return 2;
}
