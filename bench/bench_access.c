/* bench_access - access decision figures (never pass or fail).
 *
 *   bench_access [SECONDS]      in-process: decisions/s of the pure engine, and of
 *                               decide-and-persist with 1, 8 and 32 callers
 *   bench_access seed DIR       writes a store for bench/access.sh: 50 k people, 200
 *                               readers, 100 groups; prints an API token for the gate
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access.h"
#include "auth/auth.h"

#define PEOPLE 50000
#define READERS 200
#define GROUPS 100
#define ZONES 40

static int seed_tx(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	char now[PG_TIME_LEN];
	pg_time_format(pg_now_ms(), now);
	int rc = 0;
	char name[32];
	static const char *const kinds[] = {"public", "controlled", "restricted", "high_security"};
	for (int z = 1; z <= ZONES && rc == 0 && snprintf(name, sizeof(name), "zone %d", z); z++)
		rc = store_exec(tx, err,
				"INSERT INTO zones(id, name, kind, parent_id, anti_passback, required_quals, "
				"created_at, updated_at) VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER), ?5, ?6, ?7, ?7)",
				"itttttt", (int64_t)z, name,
				z == 1 ? "public" : kinds[1 + (z % 2)], z == 1 ? NULL : "1",
				z % 3 == 0 ? "soft" : "none",
				z % 2 == 0 ? "[\"security_awareness\"]" : "[]", now);
	for (int r = 1; r <= READERS && rc == 0 && snprintf(name, sizeof(name), "reader %d", r); r++)
		rc = store_exec(tx, err,
				"INSERT INTO readers(id, name, kind, from_zone_id, to_zone_id, created_at, "
				"updated_at) VALUES (?1, ?2, 'turnstile', 1, ?3, ?4, ?4)",
				"itit", (int64_t)r, name, (int64_t)(2 + r % (ZONES - 1)), now);
	for (int g = 1; g <= GROUPS && rc == 0; g++) {
		snprintf(name, sizeof(name), "group %d", g);
		rc = store_exec(tx, err,
				"INSERT INTO access_groups(id, name, schedule, levels, created_at, updated_at) "
				"VALUES (?1, ?2, ?3, 7, ?4, ?4)",
				"ittt", (int64_t)g, name,
				g % 2 ? "\"always\"" : "{\"mon\":[[\"00:00\",\"24:00\"]],\"tue\":[[\"00:00\",\"24:00\"]],"
				"\"wed\":[[\"00:00\",\"24:00\"]],\"thu\":[[\"00:00\",\"24:00\"]],\"fri\":[[\"00:00\",\"24:00\"]],"
				"\"sat\":[[\"00:00\",\"24:00\"]],\"sun\":[[\"00:00\",\"24:00\"]]}", now);
		for (int k = 0; k < 8 && rc == 0; k++)
			rc = store_exec(tx, err, "INSERT OR IGNORE INTO group_zones(group_id, zone_id) VALUES (?1, ?2)",
					"ii", (int64_t)g, (int64_t)(2 + (g * 7 + k * 5) % (ZONES - 1)));
	}
	for (int p = 1; p <= PEOPLE && rc == 0; p++) {
		char uid[16];
		snprintf(uid, sizeof(uid), "B%07X", p);
		rc = store_exec(tx, err,
				"INSERT INTO people(id, kind, first_name, last_name, created_at, updated_at) "
				"VALUES (?1, 'employee', 'Person', ?2, ?3, ?3)",
				"itt", (int64_t)p, uid, now);
		if (rc == 0)
			rc = store_exec(tx, err,
					"INSERT INTO credentials(uid, person_id, created_at, updated_at) "
					"VALUES (?1, ?2, ?3, ?3)",
					"tit", uid, (int64_t)p, now);
		for (int k = 0; k < 3 && rc == 0; k++)
			rc = store_exec(tx, err,
					"INSERT OR IGNORE INTO person_groups(person_id, group_id) VALUES (?1, ?2)",
					"ii", (int64_t)p, (int64_t)(1 + (p * 13 + k * 31) % GROUPS));
		if (rc == 0 && p % 10)
			rc = store_exec(tx, err,
					"INSERT INTO qualifications(person_id, name, expires_ms, issued_by, "
					"updated_at) VALUES (?1, 'security_awareness', NULL, 'bench', ?2)",
					"it", (int64_t)p, now);
	}
	return rc;
}

static int seed(const char *dir, struct store **out)
{
	struct pg_err err = {0};
	struct store *s = NULL;
	if (store_open(dir, NULL, &s, &err) < 0 || store_write(s, seed_tx, NULL, &err) < 0) {
		fprintf(stderr, "bench_access: seeding %s: %s\n", dir, err.msg);
		store_close(s);
		return 1;
	}
	*out = s;
	return 0;
}

static int load(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	return access_policy_load(tx, ctx, err);
}

struct worker {
	struct access *a;
	int n;
	uint32_t seed;
	double *lat;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < w->n; i++) {
		w->seed = w->seed * 1103515245u + 12345u;
		char uid[16];
		snprintf(uid, sizeof(uid), "B%07X", 1 + (int)((w->seed >> 8) % PEOPLE));
		int64_t t0 = pg_mono_us();
		struct pg_err err = {0};
		access_decide_and_record(w->a, 1 + (int)((w->seed >> 4) % READERS), uid, NULL,
					 (int)((w->seed >> 20) & 1), NULL, &err);
		w->lat[i] = (double)(pg_mono_us() - t0) / 1000.0;
	}
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void persisted(struct access *a, int threads, double secs_budget)
{
	int per = (int)(secs_budget * 3000 / threads) + 50;
	pthread_t th[64];
	struct worker w[64];
	double *lat = calloc((size_t)threads * (size_t)per, sizeof(double));
	int64_t t0 = pg_mono_us();
	for (int i = 0; i < threads; i++) {
		w[i] = (struct worker){a, per, (uint32_t)(i * 7919 + 1), lat + (size_t)i * (size_t)per};
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	double secs = (double)(pg_mono_us() - t0) / 1e6;
	size_t n = (size_t)threads * (size_t)per;
	qsort(lat, n, sizeof(double), cmp_d);
	printf("  decide + persist, %2d callers   %8.0f decisions/s   p50 %6.2f ms   p99 %6.2f ms\n",
	       threads, (double)n / secs, lat[n / 2], lat[n * 99 / 100]);
	free(lat);
}

int main(int argc, char **argv)
{
	pg_core_init();
	pg_log_set_level(PG_LOG_WARN);
	if (argc == 3 && strcmp(argv[1], "seed") == 0) {
		struct store *s = NULL;
		if (seed(argv[2], &s))
			return 1;
		char token[AUTH_TOKEN_LEN];
		struct pg_err err = {0};
		if (auth_token_create(s, "bench", "bench-gate", "gate", token, NULL, &err) < 0) {
			fprintf(stderr, "bench_access: %s\n", err.msg);
			return 1;
		}
		printf("%s\n", token);
		store_close(s);
		return 0;
	}
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	char tmpl[] = "/tmp/pgbench-access-XXXXXX";
	char *dir = mkdtemp(tmpl);
	struct store *s = NULL;
	int64_t t0 = pg_mono_us();
	if (!dir || seed(dir, &s))
		return 1;
	printf("access decisions: %d people, %d readers, %d groups (seeded in %.1f s)\n", PEOPLE,
	       READERS, GROUPS, (double)(pg_mono_us() - t0) / 1e6);
	struct access_policy *p = NULL;
	struct pg_err err = {0};
	t0 = pg_mono_us();
	if (store_read(s, load, &p, &err) < 0) {
		fprintf(stderr, "bench_access: %s\n", err.msg);
		return 1;
	}
	printf("  snapshot load                   %8.1f ms\n", (double)(pg_mono_us() - t0) / 1000);
	struct access_state *st = access_state_new();
	uint32_t r = 1;
	long n = 0, grants = 0;
	t0 = pg_mono_us();
	while (pg_mono_us() - t0 < (int64_t)(secs * 1e6)) {
		for (int i = 0; i < 1000; i++, n++) {
			r = r * 1103515245u + 12345u;
			char uid[16];
			snprintf(uid, sizeof(uid), "B%07X", 1 + (int)((r >> 8) % PEOPLE));
			struct access_request rq = {.reader_id = 1 + (int)((r >> 4) % READERS),
						    .credential = uid, .out = (int)((r >> 20) & 1),
						    .level = 1, .now_ms = pg_now_ms(),
						    .local_minute_of_week = 600, .local_date = 20261130};
			struct access_decision d;
			access_decide(p, st, &rq, &d);
			grants += d.grant;
		}
	}
	double el = (double)(pg_mono_us() - t0) / 1e6;
	printf("  pure engine, 1 thread           %8.0f decisions/s   (%.0f%% granted)\n", n / el,
	       100.0 * (double)grants / (double)n);
	access_state_free(st);
	access_policy_free(p);

	struct access *a = NULL;
	if (access_open(s, &a, &err) < 0) {
		fprintf(stderr, "bench_access: %s\n", err.msg);
		return 1;
	}
	int threads[] = {1, 8, 32};
	for (int i = 0; i < 3; i++)
		persisted(a, threads[i], secs);
	access_close(a);
	store_close(s);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_access: could not remove %s\n", dir);
	return 0;
}
