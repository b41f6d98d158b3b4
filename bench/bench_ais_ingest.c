/* bench_ais_ingest - end-to-end AIS ingest figures (never pass or fail).
 *
 *   bench_ais_ingest [MESSAGES] [DIR]   MESSAGES (default 1,000,000) from 10,000 vessels
 *                                       against a layout of 1,000 geofences, in DIR
 *                                       (default $TMPDIR or /tmp)
 *
 * Generates the layout (a harbour area and 999 restricted / berth / anchorage boxes) and an
 * NMEA file (type 1 position reports, every 20th message a two-sentence type 5), then runs
 * the daemon's pipeline on it: a file:// replay input at full speed decoding into the
 * engine's queue, the engine thread (vessel table, STRtree + prepared-geometry geofencing,
 * the anomaly rules) and the batched persistence into a fresh store (vessel upserts,
 * downsampled track points, anomaly events, position events). Prints messages/s until the
 * engine processed every message and until the last batch committed, the stored rows, and
 * the peak RSS (VmHWM). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ais/ais.h"
#include "ais/ais_live.h"
#include "store/store.h"

#define VESSELS 10000
#define FENCES  1000

/* CPU seconds of every thread of the process (the machine may be shared: wall time then
 * says little). */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The area: 4.00-4.40 E, 51.90-52.10 N (about 27 x 22 km). */
static int write_layout(const char *path)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
	      "{\"name\":\"Harbour\",\"kind\":\"port_area\",\"speed_limit_kn\":12},\"geometry\":{"
	      "\"type\":"
	      "\"Polygon\",\"coordinates\":[[[4.0,51.9],[4.4,51.9],[4.4,52.1],[4.0,52.1],[4.0,51.9]"
	      "]]}}",
	      f);
	static const char *const kinds[] = {"restricted", "berth", "anchorage"};
	for (int i = 1; i < FENCES; i++) {
		int cx = i % 40, cy = i / 40;
		double lon = 4.0 + cx * 0.01, lat = 51.9 + cy * 0.008, w = 0.004, h = 0.003;
		fprintf(
		    f,
		    ",{\"type\":\"Feature\",\"properties\":{\"name\":\"fence "
		    "%d\",\"kind\":\"%s\"%s},"
		    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],"
		    "[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}}",
		    i, kinds[i % 3], i % 3 == 1 ? ",\"berth\":\"B\"" : "", lon, lat, lon + w, lat,
		    lon + w, lat + h, lon, lat + h, lon, lat);
	}
	fputs("]}\n", f);
	return fclose(f);
}

static int write_nmea(const char *path, long messages)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	uint64_t rng = 0x9E3779B97F4A7C15ull;
	static double lat[VESSELS], lon[VESSELS], cog[VESSELS], sog[VESSELS];
	for (int i = 0; i < VESSELS; i++) {
		lat[i] = 51.9 + (double)(ais_rand(&rng) % 200000) / 1e6;
		lon[i] = 4.0 + (double)(ais_rand(&rng) % 400000) / 1e6;
		cog[i] = (double)(ais_rand(&rng) % 3600) / 10;
		sog[i] = (double)(ais_rand(&rng) % 160) / 10;
	}
	char buf[512];
	struct ais_msg m;
	for (long k = 0; k < messages; k++) {
		int i = (int)(k % VESSELS);
		memset(&m, 0, sizeof(m));
		m.mmsi = 244000000 + i;
		if (k % 20 == 19) {
			m.type = 5;
			m.imo = 9000000 + i;
			snprintf(m.shipname, sizeof(m.shipname), "VESSEL %d", i);
			snprintf(m.callsign, sizeof(m.callsign), "PB%d", i % 10000);
			snprintf(m.destination, sizeof(m.destination), "ROTTERDAM");
			m.shiptype = 70;
			m.to_bow = 50;
			m.to_stern = 50;
		} else {
			/* 5 m along the course between reports */
			lat[i] += 5.0 * cos(cog[i] * M_PI / 180) / 111200.0;
			lon[i] += 5.0 * sin(cog[i] * M_PI / 180) / 68700.0;
			m.type = 1;
			m.lat = (int32_t)lround(lat[i] * 600000);
			m.lon = (int32_t)lround(lon[i] * 600000);
			m.speed = (int32_t)lround(sog[i] * 10);
			m.course = (int32_t)lround(cog[i] * 10);
			m.heading = 511;
			m.status = sog[i] < 0.5 ? 5 : 0;
		}
		if (ais_encode_nmea(&m, "AIVDM", 'A', (int)(k % 10), buf, sizeof(buf)) < 0 ||
		    fputs(buf, f) < 0) {
			fclose(f);
			return -1;
		}
	}
	return fclose(f);
}

static int count_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	int64_t *c = ctx;
	const char *q[] = {"SELECT count(*) FROM ais_vessels", "SELECT count(*) FROM ais_track",
	                   "SELECT count(*) FROM events WHERE topic = 'ais'",
	                   "SELECT count(*) FROM events WHERE topic = 'vessels'"};
	for (int i = 0; i < 4; i++) {
		struct store_rows *r = NULL;
		int rc = store_query(tx, &r, err, q[i], "");
		if (rc < 0)
			return rc;
		c[i] = store_next(r) == 1 ? store_int(r, 0) : -1;
		store_rows_free(r);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long messages = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	const char *base = argc > 2 ? argv[2] : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	char dir[512], layout[600], nmea[600];
	snprintf(dir, sizeof(dir), "%s/pg-bench-ais-XXXXXX", base);
	if (!mkdtemp(dir) || pg_core_init() < 0) {
		perror("bench_ais_ingest");
		return 1;
	}
	pg_log_set_level(PG_LOG_WARN);
	snprintf(layout, sizeof(layout), "%s/layout.geojson", dir);
	snprintf(nmea, sizeof(nmea), "%s/ais.nmea", dir);
	double t0 = bench_now_s();
	if (write_layout(layout) < 0 || write_nmea(nmea, messages) < 0) {
		perror("bench_ais_ingest: writing the inputs");
		return 1;
	}
	printf("generated %ld messages of %d vessels and %d geofences in %.2f s\n", messages,
	       VESSELS, FENCES, bench_now_s() - t0);

	struct pg_bus *bus = pg_bus_new();
	struct store_opts so = {2, 1024, bus};
	struct store *s = NULL;
	struct pg_err err = {0};
	if (store_open(dir, &so, &s, &err) < 0) {
		fprintf(stderr, "bench_ais_ingest: %s\n", err.msg);
		return 1;
	}
	struct pg_config cfg;
	pg_config_defaults(&cfg);
	pg_strlcpy(cfg.ais_layout, layout, sizeof(cfg.ais_layout));
	snprintf(cfg.ais_inputs, sizeof(cfg.ais_inputs), "file://%s?speed=0", nmea);
	struct ais_live *l = NULL;
	if (ais_live_open(s, &cfg, &l, &err) < 0) {
		fprintf(stderr, "bench_ais_ingest: %s\n", err.msg);
		return 1;
	}
	/* every message of the file is a vessel message: wait for all of them */
	double start = bench_now_s(), cpu0 = cpu_s();
	if (ais_live_start(l, &err) < 0) {
		fprintf(stderr, "bench_ais_ingest: %s\n", err.msg);
		return 1;
	}
	while (ais_live_processed(l) < (uint64_t)messages && bench_now_s() - start < 120)
		usleep(2000);
	double engine = bench_now_s() - start, engine_cpu = cpu_s() - cpu0;
	ais_live_close(l);
	double all = bench_now_s() - start, all_cpu = cpu_s() - cpu0;
	int64_t c[4] = {0};
	store_read(s, count_fn, c, &err);
	printf("decode + track + geofence + anomaly: %.2f s wall, %.0f messages/s; %.2f CPU s, "
	       "%.0f messages per CPU second\n",
	       engine, (double)messages / engine, engine_cpu, (double)messages / engine_cpu);
	printf("... + persist (last batch committed): %.2f s wall, %.0f messages/s; %.2f CPU s, "
	       "%.0f messages per CPU second\n",
	       all, (double)messages / all, all_cpu, (double)messages / all_cpu);
	double load[1] = {0};
	if (getloadavg(load, 1) == 1)
		printf("load average while measuring: %.1f on %ld CPUs\n", load[0],
		       sysconf(_SC_NPROCESSORS_ONLN));
	printf("stored: %lld vessels, %lld track points (downsampled), %lld anomaly events, "
	       "%lld position events\n",
	       (long long)c[0], (long long)c[1], (long long)c[2], (long long)c[3]);
	printf("peak RSS (VmHWM): %.1f MB\n", (double)bench_hwm_kb() / 1024.0);
	store_close(s);
	pg_bus_free(bus);
	const char *files[] = {"portguard.db", "portguard.db-wal", "portguard.db-shm",
	                       "layout.geojson", "ais.nmea"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char p[700];
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}
