/* bench_alarms - the alarm engine's evaluation rate, in-process: figures, never pass or fail.
 *
 *   build/bench_alarms [N] [SENSORS]
 *
 * Stores N sensor events (state alarm) spread over SENSORS sensors in a fresh store in a
 * temp directory, then times alarms_evaluate over them (batches of 256 events, one write
 * transaction each, as the engine thread does): with one sensor every event after the
 * first folds into its alarm (the repeat path), with N sensors every event raises a new
 * alarm with its procedure (the raise path). Prints events/s and microseconds per event. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "alarms/alarms.h"
#include "store/store.h"

struct put {
	int n, sensors;
};

static int put_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct put *p = vctx;
	for (int i = 0; i < p->n; i++) {
		json_t *d = json_pack("{ss sI ss ss ss si sf sf}", "action", "event", "sensor_id",
		                      (json_int_t)(1 + i % p->sensors), "sensor", "bench", "kind",
		                      "fence_intrusion", "state", "alarm", "value", i, "lat", 51.95,
		                      "lon", 4.05);
		int64_t id = store_event(tx, "sensors", d, err);
		json_decref(d);
		if (id < 0)
			return (int)id;
	}
	return 0;
}

static void rm_store(const char *dir)
{
	const char *files[] = {"portguard.db", "portguard.db-wal", "portguard.db-shm"};
	char path[512];
	for (int i = 0; i < 3; i++) {
		pg_snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int run(int n, int sensors)
{
	char dir[] = "/tmp/portguard-bench-alarms-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	struct store *s = NULL;
	struct pg_err err = {0};
	struct store_opts o = {2, 256, NULL};
	int rc = store_open(dir, &o, &s, &err);
	struct put p = {n, sensors};
	if (rc == 0)
		rc = store_write(s, put_fn, &p, &err);
	struct alarm_kinds *k = alarm_kinds_default();
	int64_t t0 = pg_mono_us();
	int done = 0;
	while (rc == 0) {
		rc = alarms_evaluate(s, k, 256, pg_now_ms(), &done, &err);
		if (done == 0)
			break;
	}
	int64_t us = pg_mono_us() - t0;
	if (rc < 0)
		fprintf(stderr, "bench_alarms: %s\n", err.msg);
	else
		printf(
		    "%-6s %d events from %d sensor(s): %.0f ms, %.0f events/s, %.1f us per event\n",
		    sensors == 1 ? "fold" : "raise", n, sensors, us / 1000.0, n * 1e6 / (double)us,
		    (double)us / n);
	pg_free(k);
	store_close(s);
	rm_store(dir);
	return rc < 0;
}

int main(int argc, char **argv)
{
	int64_t n = 20000, sensors = 0;
	if ((argc > 1 && pg_parse_i64(argv[1], 1, 10000000, &n) < 0) ||
	    (argc > 2 && pg_parse_i64(argv[2], 1, 10000000, &sensors) < 0)) {
		fprintf(stderr, "usage: bench_alarms [N] [SENSORS]\n");
		return 2;
	}
	pg_core_init();
	pg_log_set_level(PG_LOG_WARN);
	if (sensors)
		return run((int)n, (int)sensors);
	return run((int)n, 1) || run((int)n, (int)n);
}
