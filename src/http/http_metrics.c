/* http_metrics.c - Prometheus text: requests by route and status, latency histogram,
 * plus what the store and the bus count. */
#include <string.h>

#include "http_int.h"

#define N_STATUS 600
#define LAT_BUCKETS 12
static const double lat_bounds[LAT_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
					       0.01,   0.025,   0.05,   0.1,   0.5,    2.0};

struct route_stats {
	uint64_t by_status[N_STATUS];
	uint64_t lat[LAT_BUCKETS + 1];
	uint64_t lat_sum_us;
};

/* rows: the routes, then "console", "method_not_allowed", "unmatched" */
#define N_ROWS (http_n_routes + 3)

void http_metrics_init(struct http_server *srv)
{
	srv->stats = pg_calloc((size_t)N_ROWS, sizeof(struct route_stats));
}

void http_metrics_free(struct http_server *srv)
{
	pg_free(srv->stats);
	srv->stats = NULL;
}

static int row_of(int route_index)
{
	if (route_index >= 0 && route_index <= http_n_routes)
		return route_index;
	return route_index == -2 ? http_n_routes + 1 : http_n_routes + 2;
}

void http_metrics_count(struct http_server *srv, int route_index, int status, int64_t us)
{
	struct route_stats *st = &srv->stats[row_of(route_index)];
	if (status < 0 || status >= N_STATUS)
		status = 0;
	__atomic_add_fetch(&st->by_status[status], 1, __ATOMIC_RELAXED);
	double secs = (double)us / 1e6;
	int b = 0;
	while (b < LAT_BUCKETS && secs > lat_bounds[b])
		b++;
	__atomic_add_fetch(&st->lat[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st->lat_sum_us, (uint64_t)us, __ATOMIC_RELAXED);
}

static void row_label(int row, char *out, size_t n)
{
	if (row < http_n_routes)
		pg_snprintf(out, n, "route=\"%s %s\"", http_routes[row].method, http_routes[row].path);
	else
		pg_snprintf(out, n, "route=\"%s\"",
			    row == http_n_routes ? "console"
			    : row == http_n_routes + 1 ? "method_not_allowed" : "unmatched");
}

/* modules' own metrics (http_metrics_register) */
#define N_SOURCES 8
static struct {
	http_metrics_fn fn;
	void *ctx;
} sources[N_SOURCES];
static pthread_mutex_t sources_lock = PTHREAD_MUTEX_INITIALIZER;

int http_metrics_register(http_metrics_fn fn, void *ctx)
{
	int rc = PG_ELIMIT;
	pthread_mutex_lock(&sources_lock);
	for (int i = 0; i < N_SOURCES && rc < 0; i++) {
		if (!sources[i].fn || sources[i].fn == fn) {
			sources[i].fn = fn;
			sources[i].ctx = ctx;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&sources_lock);
	return rc;
}

void http_metrics_unregister(http_metrics_fn fn)
{
	pthread_mutex_lock(&sources_lock);
	for (int i = 0; i < N_SOURCES; i++)
		if (sources[i].fn == fn)
			sources[i].fn = NULL;
	pthread_mutex_unlock(&sources_lock);
}

char *http_metrics_text(struct http_server *srv, size_t *len)
{
	struct pg_buf b;
	pg_buf_init(&b, 16 << 20);
	char label[200];
	pg_buf_puts(&b, "# HELP portguard_http_requests_total HTTP requests answered, by route and status.\n"
			"# TYPE portguard_http_requests_total counter\n");
	for (int r = 0; r < N_ROWS; r++) {
		row_label(r, label, sizeof(label));
		for (int s = 0; s < N_STATUS; s++) {
			uint64_t v = __atomic_load_n(&srv->stats[r].by_status[s], __ATOMIC_RELAXED);
			if (v)
				pg_buf_printf(&b, "portguard_http_requests_total{%s,status=\"%d\"} %llu\n",
					      label, s, (unsigned long long)v);
		}
	}
	pg_buf_puts(&b, "# HELP portguard_http_request_seconds Time from request to answer, by route.\n"
			"# TYPE portguard_http_request_seconds histogram\n");
	for (int r = 0; r < N_ROWS; r++) {
		uint64_t total = 0;
		for (int k = 0; k <= LAT_BUCKETS; k++)
			total += __atomic_load_n(&srv->stats[r].lat[k], __ATOMIC_RELAXED);
		if (!total)
			continue;
		row_label(r, label, sizeof(label));
		uint64_t cum = 0;
		for (int k = 0; k <= LAT_BUCKETS; k++) {
			cum += __atomic_load_n(&srv->stats[r].lat[k], __ATOMIC_RELAXED);
			if (k < LAT_BUCKETS)
				pg_buf_printf(&b, "portguard_http_request_seconds_bucket{%s,le=\"%g\"} %llu\n",
					      label, lat_bounds[k], (unsigned long long)cum);
			else
				pg_buf_printf(&b, "portguard_http_request_seconds_bucket{%s,le=\"+Inf\"} %llu\n",
					      label, (unsigned long long)cum);
		}
		pg_buf_printf(&b, "portguard_http_request_seconds_sum{%s} %.6f\n", label,
			      (double)__atomic_load_n(&srv->stats[r].lat_sum_us, __ATOMIC_RELAXED) / 1e6);
		pg_buf_printf(&b, "portguard_http_request_seconds_count{%s} %llu\n", label,
			      (unsigned long long)total);
	}
	pg_buf_printf(&b, "# HELP portguard_http_inflight Requests being handled.\n"
			  "# TYPE portguard_http_inflight gauge\nportguard_http_inflight %d\n",
		      __atomic_load_n(&srv->inflight, __ATOMIC_RELAXED));
	store_metrics(srv->deps.store, &b);
	pg_bus_metrics(srv->deps.bus, &b);
	pthread_mutex_lock(&sources_lock);
	for (int i = 0; i < N_SOURCES; i++)
		if (sources[i].fn)
			sources[i].fn(&b, sources[i].ctx);
	pthread_mutex_unlock(&sources_lock);
	*len = b.len;
	return pg_buf_detach(&b);
}
