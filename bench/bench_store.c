/* bench_store.c - committed events per second through store_write: group commit with many
 * writers against one transaction per event. Figures, never pass or fail.
 *
 *   build/bench_store [SECONDS [THREADS,...]]      defaults: 20 s in all, 1,8,32 threads
 *
 * Every case has its own fresh store (a directory in a temp directory made under $TMPDIR,
 * else /tmp, removed at the end) and T threads that each call store_write in a loop, each
 * write recording one event (store_event, topic "bench", a ~40-byte JSON object; a bus
 * without subscribers as in the daemon). T = 1 is the one-transaction-per-event baseline:
 * with a single caller nothing else is ever queued, so every store_write commits alone
 * (its batch columns show 1). The other rows are group commit; "x 1 thr" is their rate
 * over the baseline. The cases take turns in rounds of slices of at least a second, so
 * that a disk whose speed drifts (shared machines) weighs on all of them alike.
 *
 * Columns: events/s committed; commits (transactions), the mean time to run and commit
 * one (store_metrics), and the batch sizes they carried: mean and max from store_metrics,
 * p50 and p99 per commit counted by the writer itself (a write's after-commit hook runs
 * after its whole batch committed and before the next batch starts, so the first hook
 * of a batch sees how many writes ran before it); the latency of one store_write call as
 * its caller sees it, p50 and p99 (queueing, the batch, the commit and its fsync).
 *
 * Exit status 0 once measured, 1 if it cannot set up (temp directory, store). */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

#define MAX_CASES   16
#define MAX_THREADS 1024
#define MAX_ROUNDS  5
#define BATCH_HIST  10001 /* batch sizes 0..10000 (store.max_batch is at most 10000) */

struct bench_case {
	int threads;
	struct pg_bus *bus;
	struct store *store;
	double secs;     /* measured, all slices */
	int64_t *lat_us; /* one per successful store_write */
	size_t n, cap;
	int64_t errors;
	/* the store's writer thread only (see the header comment); read after store_close */
	int64_t pending;     /* writes run since the last commit */
	int64_t *batch_hist; /* commits by batch size */
	/* from store_metrics */
	uint64_t commits, writes, batch_max;
	double commit_secs;
};

struct worker {
	pthread_t thread;
	struct bench_case *bc;
	int index;
	int64_t *lat_us;
	size_t n, cap;
	int64_t errors;
};

static int stop; /* atomics: set when a slice's time is up */
static pthread_barrier_t start_line;

static void on_commit(void *ctx)
{
	struct bench_case *bc = ctx;
	if (bc->pending == 0)
		return;
	bc->batch_hist[bc->pending < BATCH_HIST ? bc->pending : BATCH_HIST - 1]++;
	bc->pending = 0;
}

struct event_ctx {
	struct bench_case *bc;
	json_t *data;
};

static int write_event(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct event_ctx *c = vctx;
	int64_t id = store_event(tx, "bench", c->data, err);
	if (id < 0)
		return (int)id;
	c->bc->pending++;
	store_after_commit(tx, on_commit, NULL, c->bc);
	return 0;
}

static void lat_push(int64_t **arr, size_t *n, size_t *cap, const int64_t *v, size_t k)
{
	if (*n + k > *cap) {
		while (*n + k > *cap)
			*cap = *cap ? *cap * 2 : 4096;
		*arr = pg_realloc(*arr, *cap * sizeof(**arr));
	}
	memcpy(*arr + *n, v, k * sizeof(*v));
	*n += k;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	pthread_barrier_wait(&start_line);
	for (int64_t seq = 0; !__atomic_load_n(&stop, __ATOMIC_RELAXED); seq++) {
		struct event_ctx c = {w->bc, json_pack("{sI si ss}", "seq", (json_int_t)seq,
		                                       "thread", w->index, "gate", "gate-3")};
		struct pg_err err = {0};
		int64_t t0 = pg_mono_us();
		int rc = store_write(w->bc->store, write_event, &c, &err);
		int64_t us = pg_mono_us() - t0;
		json_decref(c.data);
		if (rc < 0) {
			if (w->errors++ == 0)
				fprintf(stderr, "bench_store: store_write: %s\n", err.msg);
			continue;
		}
		lat_push(&w->lat_us, &w->n, &w->cap, &us, 1);
	}
	return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The value below which pct percent of the sorted values lie. */
static int64_t percentile(const int64_t *sorted, size_t n, int pct)
{
	if (n == 0)
		return 0;
	size_t i = (n * (size_t)pct + 99) / 100;
	return sorted[i ? i - 1 : 0];
}

/* pct-th percentile of the commits in the batch-size histogram. */
static int64_t hist_percentile(const int64_t *hist, int pct)
{
	int64_t total = 0, seen = 0;
	for (int i = 0; i < BATCH_HIST; i++)
		total += hist[i];
	int64_t want = (total * pct + 99) / 100;
	for (int i = 0; i < BATCH_HIST; i++) {
		seen += hist[i];
		if (seen >= want && seen > 0)
			return i;
	}
	return 0;
}

/* The value of a Prometheus sample line "name value". */
static double metric(const char *text, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = text; (p = strstr(p, name)) != NULL; p += len) {
		if ((p == text || p[-1] == '\n') && p[len] == ' ')
			return strtod(p + len + 1, NULL);
	}
	return 0;
}

static int case_open(struct bench_case *bc, const char *root, int index, int threads)
{
	char dir[4096];
	memset(bc, 0, sizeof(*bc));
	bc->threads = threads;
	bc->batch_hist = pg_calloc(BATCH_HIST, sizeof(*bc->batch_hist));
	if (pg_snprintf(dir, sizeof(dir), "%s/case%d", root, index) < 0) {
		fprintf(stderr, "bench_store: temp path too long\n");
		return -1;
	}
	bc->bus = pg_bus_new(); /* as in the daemon: events are published after commit */
	struct store_opts opts = {.readers = 1, .max_batch = 0, .bus = bc->bus};
	struct pg_err err = {0};
	if (store_open(dir, &opts, &bc->store, &err) < 0) {
		fprintf(stderr, "bench_store: cannot open a store in %s: %s\n", dir, err.msg);
		return -1;
	}
	return 0;
}

/* Runs the case's threads against its store for secs. */
static void case_slice(struct bench_case *bc, double secs)
{
	int threads = bc->threads;
	struct worker *w = pg_calloc((size_t)threads, sizeof(*w));
	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
	for (int i = 0; i < threads; i++) {
		w[i].bc = bc;
		w[i].index = i;
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0) {
			fprintf(stderr, "bench_store: cannot start thread %d\n", i);
			exit(1); /* the barrier would wait forever */
		}
	}
	pthread_barrier_wait(&start_line);
	int64_t t0 = pg_mono_us();
	struct timespec nap = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < threads; i++)
		pthread_join(w[i].thread, NULL);
	bc->secs += (double)(pg_mono_us() - t0) / 1e6;
	pthread_barrier_destroy(&start_line);
	for (int i = 0; i < threads; i++) {
		lat_push(&bc->lat_us, &bc->n, &bc->cap, w[i].lat_us, w[i].n);
		bc->errors += w[i].errors;
		pg_free(w[i].lat_us);
	}
	pg_free(w);
}

/* Reads the store's metrics and closes it (joining its writer, whose counts are then
 * final and visible here). Accepts a case whose store did not open. */
static void case_close(struct bench_case *bc)
{
	if (bc->store) {
		struct pg_buf m;
		pg_buf_init(&m, 1 << 20);
		store_metrics(bc->store, &m);
		const char *t = m.p ? m.p : "";
		bc->commits = (uint64_t)metric(t, "portguard_store_commits_total");
		bc->writes = (uint64_t)metric(t, "portguard_store_writes_total");
		bc->batch_max = (uint64_t)metric(t, "portguard_store_batch_max");
		bc->commit_secs = metric(t, "portguard_store_commit_seconds_sum");
		pg_buf_release(&m);
		store_close(bc->store);
		bc->store = NULL;
	}
	pg_bus_free(bc->bus);
	bc->bus = NULL;
}

static void case_free(struct bench_case *bc)
{
	pg_free(bc->lat_us);
	pg_free(bc->batch_hist);
}

static int parse_threads(const char *s, int *out, int max)
{
	int n = 0;
	while (*s) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (errno || end == s || v < 1 || v > MAX_THREADS || n == max ||
		    (*end && *end != ','))
			return -1;
		out[n++] = (int)v;
		s = *end ? end + 1 : end;
	}
	return n;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	if (remove(path) < 0)
		fprintf(stderr, "bench_store: cannot remove %s: %m\n", path);
	return 0;
}

static void fmt_ms(char *out, size_t n, int64_t us)
{
	pg_snprintf(out, n, "%.2f ms", (double)us / 1000.0);
}

int main(int argc, char **argv)
{
	int64_t total = 20;
	int threads[MAX_CASES] = {1, 8, 32}, ncases = 3;
	if (argc > 3 || (argc > 1 && pg_parse_i64(argv[1], 1, 3600, &total) < 0) ||
	    (argc > 2 && (ncases = parse_threads(argv[2], threads, MAX_CASES)) <= 0)) {
		fprintf(stderr, "usage: bench_store [SECONDS (1-3600, default 20) "
		                "[THREADS,... (default 1,8,32)]]\n");
		return 1;
	}
	pg_log_set_level(PG_LOG_WARN);
	const char *tmp = getenv("TMPDIR");
	char root[4096];
	if (pg_snprintf(root, sizeof(root), "%s/pg-bench-store.XXXXXX",
	                tmp && *tmp ? tmp : "/tmp") < 0 ||
	    !mkdtemp(root)) {
		fprintf(stderr, "bench_store: cannot make a temp directory: %m\n");
		return 1;
	}

	/* Disks in shared machines change speed from one second to the next: the cases take
	 * turns in rounds of slices (of at least a second) so that all see the same weather. */
	int rounds = (int)(total / ncases);
	rounds = rounds < 1 ? 1 : rounds > MAX_ROUNDS ? MAX_ROUNDS : rounds;
	double slice = (double)total / ncases / rounds;
	printf("store benchmark: committed events through store_write; %d rounds of %.2f s per "
	       "case\n(SQLite WAL, synchronous=FULL, max_batch 256; data under %s)\n\n",
	       rounds, slice, root);

	struct bench_case cases[MAX_CASES];
	int opened = 0, rc = 0;
	for (int i = 0; i < ncases; i++) {
		int r = case_open(&cases[i], root, i, threads[i]);
		opened = i + 1;
		if (r < 0) {
			rc = 1;
			goto out;
		}
	}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < ncases; i++)
			case_slice(&cases[(i + r) % ncases], slice);
	for (int i = 0; i < ncases; i++)
		case_close(&cases[i]);

	double base = 0;
	for (int i = 0; i < ncases; i++)
		if (cases[i].threads == 1)
			base = (double)cases[i].n / cases[i].secs;
	printf("%7s %10s %8s %9s %10s %11s %5s %5s %5s %10s %10s\n", "threads", "events/s",
	       "x 1 thr", "commits", "commit ms", "batch mean", "p50", "p99", "max", "write p50",
	       "write p99");
	for (int i = 0; i < ncases; i++) {
		struct bench_case *bc = &cases[i];
		qsort(bc->lat_us, bc->n, sizeof(*bc->lat_us), cmp_i64);
		double rate = (double)bc->n / bc->secs;
		char ratio[32] = "-", p50[32], p99[32];
		if (base > 0)
			pg_snprintf(ratio, sizeof(ratio), "%.2f", rate / base);
		fmt_ms(p50, sizeof(p50), percentile(bc->lat_us, bc->n, 50));
		fmt_ms(p99, sizeof(p99), percentile(bc->lat_us, bc->n, 99));
		printf("%7d %10.0f %8s %9llu %10.3f %11.2f %5lld %5lld %5llu %10s %10s\n",
		       bc->threads, rate, ratio, (unsigned long long)bc->commits,
		       bc->commits ? bc->commit_secs * 1e3 / (double)bc->commits : 0.0,
		       bc->commits ? (double)bc->writes / (double)bc->commits : 0.0,
		       (long long)hist_percentile(bc->batch_hist, 50),
		       (long long)hist_percentile(bc->batch_hist, 99),
		       (unsigned long long)bc->batch_max, p50, p99);
		if (bc->errors)
			printf("        (%lld store_write calls failed in this case)\n",
			       (long long)bc->errors);
	}
	printf("\nthreads 1 = one transaction (and one fsync) per event; the other rows share "
	       "commits (group commit).\ncommit ms = mean time to run and commit one batch "
	       "(store_metrics); batch = events per commit.\n");
out:
	for (int i = 0; i < opened; i++) {
		case_close(&cases[i]); /* again: does nothing for a case already closed */
		case_free(&cases[i]);
	}
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
