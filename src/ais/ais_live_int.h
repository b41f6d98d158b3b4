/* ais_live_int.h - what ais_live.c (inputs, engine thread) and ais_live_http.c
 * (persistence, routes, metrics) share. */
#ifndef PG_AIS_LIVE_INT_H
#define PG_AIS_LIVE_INT_H

#include <pthread.h>

#include "../http/http_handler.h"
#include "ais_live.h"

enum input_kind { IN_TCP, IN_UDP, IN_FILE, IN_SOURCE };

struct ais_input {
	struct ais_live *live;
	enum input_kind kind;
	char name[256]; /* the URL (label-safe) */
	char host[128], port[16], path[512];
	double speed;
	pthread_t th;
	int started;
	int fd;
	struct ais_decoder *dec;
	/* the line being assembled */
	char part[1024 + 1];
	size_t partlen;
	int toolong;
	/* replay pacing */
	int64_t t0, w0;
	/* counters (atomic) */
	uint64_t lines, messages, connects, failures;
	uint64_t dropped[AIS_R_COUNT];
	int connected, done;
};

struct live_entry {
	struct ais_msg m;
	int64_t t;
};

struct live_track {
	int32_t mmsi;
	int64_t t;
	double lat, lon, sog, cog;
	int heading;
};

struct ais_live {
	struct store *store;
	struct geo_layout *layout;
	struct ais_rules rules;
	struct ais_input *inputs[AIS_LIVE_MAX_INPUTS];
	int ninputs;
	int32_t *watch_mmsi;
	int nwatch_mmsi;

	/* the queue */
	pthread_mutex_t qlock;
	pthread_cond_t qnotempty, qnotfull;
	struct live_entry *queue;
	size_t qhead, qn;
	uint64_t queue_full;
	int stopping;    /* inputs stop */
	int engine_stop; /* the engine drains and stops */

	/* the engine thread's own */
	pthread_t engine_th;
	int engine_started;
	struct ais_engine *engine;
	int reload; /* atomic: read arrivals again */
	uint64_t processed;
	int32_t *dirty;
	size_t ndirty, capdirty;
	struct live_track *tracks;
	size_t ntracks, captracks;
	struct ais_anomaly *anomalies;
	size_t nanomalies, capanomalies;
	int64_t last_positions;

	/* commits in flight */
	pthread_mutex_t flock;
	pthread_cond_t fcond;
	int inflight;
	uint64_t batches, batch_failures, track_points, upserts;
	uint64_t raised[AIS_N_KINDS];
	size_t vessels;                    /* the table's size at the last flush */
	int arrivals_loaded, watch_loaded; /* what the engine holds (atomic) */
};

void input_pace(struct ais_input *in, int64_t tag_time);
void *live_engine_main(void *arg);
void live_refresh(struct ais_live *l);
void live_on_changed(void *ctx, const struct ais_vessel *v);
void live_on_track(void *ctx, const struct ais_vessel *v);
void live_on_anomaly(void *ctx, const struct ais_anomaly *a);
/* Hands what the engine collected to one group commit (engine thread). wait: block while
 * MAX_INFLIGHT commits are pending rather than keep collecting. */
void live_flush(struct ais_live *l, int64_t now, int wait);
void live_metrics(struct pg_buf *out, void *ctx);

#endif
