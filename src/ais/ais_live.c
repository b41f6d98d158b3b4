/* ais_live.c - inputs, the bounded queue, the engine thread and its batched persistence. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../level/level.h"
#include "ais_live_int.h"

#define FLUSH_MS       500
#define TICK_MS        1000
#define REFRESH_MS     10000
#define TRACK_FLUSH    8192
#define LINE_MAX_LEN   1024
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000

/* ---- inputs: parsing --------------------------------------------------------------------------
 */

static int split_hostport(const char *s, char *host, size_t hn, char *port, size_t pn)
{
	const char *colon = strrchr(s, ':');
	int64_t p;
	if (!colon || colon == s || pg_parse_i64(colon + 1, 0, 65535, &p) < 0)
		return PG_EINVAL;
	const char *h = s;
	size_t len = (size_t)(colon - s);
	if (h[0] == '[' && len >= 2 && h[len - 1] == ']') {
		h++;
		len -= 2;
	}
	if (len >= hn || pg_snprintf(host, hn, "%.*s", (int)len, h) < 0)
		return PG_EINVAL;
	pg_snprintf(port, pn, "%lld", (long long)p);
	return 0;
}

static int input_parse(struct ais_input *in, const char *url, struct pg_err *err)
{
	pg_strlcpy(in->name, url, sizeof(in->name));
	for (char *c = in->name; *c; c++) /* a Prometheus label value */
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 32)
			*c = '_';
	in->speed = 1;
	if (strncmp(url, "tcp://", 6) == 0 || strncmp(url, "udp://", 6) == 0) {
		in->kind = url[0] == 't' ? IN_TCP : IN_UDP;
		if (split_hostport(url + 6, in->host, sizeof(in->host), in->port,
		                   sizeof(in->port)) < 0 ||
		    (in->kind == IN_TCP && strcmp(in->port, "0") == 0))
			return pg_err_field(
			    err, PG_EINVAL, "ais.inputs",
			    "input '%s': expected %s://HOST:PORT with a port from 1 to 65535", url,
			    in->kind == IN_TCP ? "tcp" : "udp");
		return 0;
	}
	if (strncmp(url, "file://", 7) == 0) {
		in->kind = IN_FILE;
		const char *q = strchr(url + 7, '?');
		size_t len = q ? (size_t)(q - url - 7) : strlen(url + 7);
		if (len == 0 || len >= sizeof(in->path))
			return pg_err_field(err, PG_EINVAL, "ais.inputs",
			                    "input '%s': file://PATH needs a path", url);
		pg_snprintf(in->path, sizeof(in->path), "%.*s", (int)len, url + 7);
		if (q) {
			char *end = NULL;
			if (strncmp(q, "?speed=", 7) != 0 ||
			    (in->speed = strtod(q + 7, &end), *end) ||
			    !(in->speed >= 0 && in->speed <= 10000))
				return pg_err_field(
				    err, PG_EINVAL, "ais.inputs",
				    "input '%s': the only option is ?speed=N (0 = as fast as "
				    "possible, else 0 < N <= 10000)",
				    url);
		}
		if (access(in->path, R_OK) != 0)
			return pg_err_field(err, PG_EINVAL, "ais.inputs",
			                    "input '%s': cannot read %s: %s", url, in->path,
			                    strerror(errno));
		return 0;
	}
	return pg_err_field(
	    err, PG_EINVAL, "ais.inputs",
	    "input '%s': not tcp://HOST:PORT, udp://ADDR:PORT or file://PATH?speed=N", url);
}

/* ---- the queue --------------------------------------------------------------------------------
 */

static void queue_push(struct ais_live *l, const struct ais_msg *m, int64_t t)
{
	pthread_mutex_lock(&l->qlock);
	while (l->qn == AIS_LIVE_QUEUE && !l->stopping) {
		l->queue_full++;
		pthread_cond_wait(&l->qnotfull, &l->qlock);
	}
	if (l->qn < AIS_LIVE_QUEUE) {
		size_t k = (l->qhead + l->qn) % AIS_LIVE_QUEUE;
		l->queue[k].m = *m;
		l->queue[k].t = t;
		l->qn++;
		if (l->qn == 1)
			pthread_cond_signal(&l->qnotempty);
	}
	pthread_mutex_unlock(&l->qlock);
}

/* Decodes one line of an input and queues its message. */
static void input_line(struct ais_input *in, const char *line, size_t len)
{
	struct ais_msg m;
	int64_t now = pg_now_ms();
	__atomic_add_fetch(&in->lines, 1, __ATOMIC_RELAXED);
	int rc = ais_decoder_feed(in->dec, line, len, now, &m);
	if (rc == 1) {
		__atomic_add_fetch(&in->messages, 1, __ATOMIC_RELAXED);
		if (in->kind == IN_FILE && in->speed > 0 && m.tag_time >= 0)
			input_pace(in, m.tag_time);
		queue_push(in->live, &m, pg_now_ms());
	} else if (rc < 0 && -1 - rc < AIS_R_COUNT) {
		__atomic_add_fetch(&in->dropped[-1 - rc], 1, __ATOMIC_RELAXED);
	}
}

/* Splits text into lines; a line longer than LINE_MAX_LEN is dropped as malformed. The
 * rest of a line without its end waits in in->part (stream inputs). */
static void input_text(struct ais_input *in, const char *p, size_t n, int final)
{
	const char *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (in->partlen + len > LINE_MAX_LEN) {
			in->toolong = 1;
		} else {
			memcpy(in->part + in->partlen, p, len);
			in->partlen += len;
		}
		if (!nl && !final)
			return;
		if (in->toolong) {
			__atomic_add_fetch(&in->lines, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&in->dropped[AIS_R_BAD_FORMAT], 1, __ATOMIC_RELAXED);
		} else if (in->partlen > 0) {
			size_t k = in->partlen;
			while (k > 0 && (in->part[k - 1] == '\r' || in->part[k - 1] == ' '))
				k--;
			if (k > 0)
				input_line(in, in->part, k);
		}
		in->partlen = 0;
		in->toolong = 0;
		p = nl ? nl + 1 : end;
	}
}

/* Sleeps ms, waking early when the daemon stops; returns 1 if stopping. */
static int nap(struct ais_live *l, int64_t ms)
{
	while (ms > 0 && !__atomic_load_n(&l->stopping, __ATOMIC_RELAXED)) {
		int64_t s = ms > 100 ? 100 : ms;
		usleep((useconds_t)(s * 1000));
		ms -= s;
	}
	return __atomic_load_n(&l->stopping, __ATOMIC_RELAXED);
}

void input_pace(struct ais_input *in, int64_t tag_time)
{
	int64_t now = pg_mono_ms();
	if (in->t0 < 0) {
		in->t0 = tag_time;
		in->w0 = now;
		return;
	}
	int64_t target = in->w0 + (int64_t)((double)(tag_time - in->t0) * 1000.0 / in->speed);
	if (target > now)
		nap(in->live, target - now);
}

static int tcp_connect(struct ais_input *in)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(in->host, in->port, &hints, &res) != 0)
		return -1;
	int fd = -1;
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

static void *tcp_main(void *arg)
{
	struct ais_input *in = arg;
	struct ais_live *l = in->live;
	int64_t backoff = BACKOFF_MIN_MS;
	char buf[16384];
	while (!__atomic_load_n(&l->stopping, __ATOMIC_RELAXED)) {
		int fd = tcp_connect(in);
		if (fd < 0) {
			__atomic_add_fetch(&in->failures, 1, __ATOMIC_RELAXED);
			pg_debug("ais: %s: cannot connect; again in %lld ms", in->name,
			         (long long)backoff);
			if (nap(l, backoff))
				break;
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		__atomic_add_fetch(&in->connects, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&in->connected, 1, __ATOMIC_RELAXED);
		pg_info("ais: %s: connected", in->name);
		backoff = BACKOFF_MIN_MS;
		in->partlen = 0;
		in->toolong = 0;
		while (!__atomic_load_n(&l->stopping, __ATOMIC_RELAXED)) {
			struct pollfd pfd = {fd, POLLIN, 0};
			int pr = poll(&pfd, 1, 200);
			if (pr == 0 || (pr < 0 && errno == EINTR))
				continue;
			ssize_t n = pr < 0 ? -1 : read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			input_text(in, buf, (size_t)n, 0);
		}
		close(fd);
		__atomic_store_n(&in->connected, 0, __ATOMIC_RELAXED);
		if (!__atomic_load_n(&l->stopping, __ATOMIC_RELAXED)) {
			pg_warn("ais: %s: connection closed; reconnecting in %lld ms", in->name,
			        (long long)backoff);
			if (nap(l, backoff))
				break;
		}
	}
	return NULL;
}

static void *udp_main(void *arg)
{
	struct ais_input *in = arg;
	struct ais_live *l = in->live;
	char buf[65536];
	while (!__atomic_load_n(&l->stopping, __ATOMIC_RELAXED)) {
		struct pollfd pfd = {in->fd, POLLIN, 0};
		int pr = poll(&pfd, 1, 200);
		if (pr <= 0)
			continue;
		ssize_t n = recv(in->fd, buf, sizeof(buf), 0);
		if (n <= 0)
			continue;
		in->partlen = 0;
		in->toolong = 0;
		input_text(in, buf, (size_t)n, 1);
	}
	return NULL;
}

static void *file_main(void *arg)
{
	struct ais_input *in = arg;
	struct ais_live *l = in->live;
	char buf[65536];
	int fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pg_error("ais: %s: cannot open: %s", in->name, strerror(errno));
	} else {
		ssize_t n;
		while (!__atomic_load_n(&l->stopping, __ATOMIC_RELAXED) &&
		       (n = read(fd, buf, sizeof(buf))) > 0)
			input_text(in, buf, (size_t)n, 0);
		input_text(in, "", 0, 1);
		close(fd);
		pg_info("ais: %s: replayed to its end (%llu lines)", in->name,
		        (unsigned long long)__atomic_load_n(&in->lines, __ATOMIC_RELAXED));
	}
	__atomic_store_n(&in->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int udp_bind(struct ais_input *in, struct pg_err *err)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE;
	int g = getaddrinfo(in->host[0] ? in->host : NULL, in->port, &hints, &res);
	if (g != 0)
		return pg_err_field(err, PG_EINVAL, "ais.inputs", "input '%s': %s", in->name,
		                    gai_strerror(g));
	int fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return pg_err_field(err, PG_EIO, "ais.inputs", "input '%s': cannot listen: %s",
		                    in->name, strerror(e));
	}
	freeaddrinfo(res);
	int rcv = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	in->fd = fd;
	return 0;
}

/* ---- open / start / close ------------------------------------------------------------------- */

static struct ais_input *input_new(struct ais_live *l)
{
	if (l->ninputs == AIS_LIVE_MAX_INPUTS)
		return NULL;
	struct ais_input *in = pg_calloc(1, sizeof(*in));
	in->live = l;
	in->fd = -1;
	in->t0 = -1;
	in->dec = ais_decoder_new(NULL);
	l->inputs[l->ninputs++] = in;
	return in;
}

static int parse_watch_mmsi(struct ais_live *l, const char *list, struct pg_err *err)
{
	char buf[sizeof(((struct pg_config *)0)->ais_watch_mmsi)];
	pg_strlcpy(buf, list, sizeof(buf));
	char *save = NULL;
	for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		int64_t v;
		if (pg_parse_i64(t, 1, 999999999, &v) < 0)
			return pg_err_field(err, PG_EINVAL, "ais.watch_mmsi",
			                    "ais.watch_mmsi: '%s' is not an MMSI (1 to 999999999)",
			                    t);
		l->watch_mmsi =
		    pg_realloc(l->watch_mmsi, (size_t)(l->nwatch_mmsi + 1) * sizeof(int32_t));
		l->watch_mmsi[l->nwatch_mmsi++] = (int32_t)v;
	}
	return 0;
}

int ais_live_open(struct store *s, const struct pg_config *cfg, struct ais_live **out,
                  struct pg_err *err)
{
	int rc = 0;
	struct ais_live *l = pg_calloc(1, sizeof(*l));
	l->store = s;
	pthread_mutex_init(&l->qlock, NULL);
	pthread_cond_init(&l->qnotempty, NULL);
	pthread_cond_init(&l->qnotfull, NULL);
	pthread_mutex_init(&l->flock, NULL);
	pthread_cond_init(&l->fcond, NULL);
	l->queue = pg_calloc(AIS_LIVE_QUEUE, sizeof(*l->queue));
	ais_rules_default(&l->rules);
	l->rules.approach_m = (double)cfg->ais_approach_m;
	l->rules.approach_level = (int)cfg->ais_approach_level;
	l->rules.loiter_kn = (double)cfg->ais_loiter_kn;
	l->rules.loiter_min = (double)cfg->ais_loiter_min;
	l->rules.rendezvous_m = (double)cfg->ais_rendezvous_m;
	l->rules.rendezvous_kn = (double)cfg->ais_rendezvous_kn;
	l->rules.rendezvous_min = (double)cfg->ais_rendezvous_min;
	l->rules.teleport_kn = (double)cfg->ais_teleport_kn;
	l->rules.harbour_kn = (double)cfg->ais_harbour_kn;
	l->rules.dark_factor = (double)cfg->ais_dark_factor;
	l->rules.dark_min_s = (double)cfg->ais_dark_min_s;
	if (cfg->ais_layout[0] && (rc = geo_layout_load(cfg->ais_layout, &l->layout, err)) < 0)
		goto out;
	if ((rc = parse_watch_mmsi(l, cfg->ais_watch_mmsi, err)) < 0)
		goto out;
	char list[sizeof(cfg->ais_inputs)];
	pg_strlcpy(list, cfg->ais_inputs, sizeof(list));
	char *save = NULL;
	for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		struct ais_input *in = input_new(l);
		if (!in) {
			rc = pg_err_field(err, PG_ELIMIT, "ais.inputs",
			                  "ais.inputs: more than %d inputs", AIS_LIVE_MAX_INPUTS);
			goto out;
		}
		if ((rc = input_parse(in, t, err)) < 0)
			goto out;
	}
	*out = l;
	l = NULL;
out:
	if (l) {
		ais_live_close(l);
	}
	return rc;
}

void ais_live_set_rules(struct ais_live *l, const struct ais_rules *r)
{
	l->rules = *r;
}
const struct geo_layout *ais_live_layout(struct ais_live *l)
{
	return l->layout;
}

struct ais_source *ais_live_source(struct ais_live *l, const char *name)
{
	struct ais_input *in = input_new(l);
	if (!in)
		return NULL;
	in->kind = IN_SOURCE;
	pg_snprintf(in->name, sizeof(in->name), "%s", name);
	return (struct ais_source *)in;
}

void ais_live_source_feed(struct ais_source *src, const char *text, size_t len)
{
	struct ais_input *in = (struct ais_input *)src;
	input_text(in, text, len, 1);
}

int ais_live_start(struct ais_live *l, struct pg_err *err)
{
	for (int i = 0; i < l->ninputs; i++) {
		struct ais_input *in = l->inputs[i];
		if (in->kind == IN_UDP) {
			int rc = udp_bind(in, err);
			if (rc < 0)
				return rc;
		}
	}
	l->engine = ais_engine_new(&l->rules, l->layout,
	                           &(struct ais_engine_cb){.anomaly = live_on_anomaly,
	                                                   .track = live_on_track,
	                                                   .changed = live_on_changed,
	                                                   .ctx = l});
	live_refresh(l);
	if (pthread_create(&l->engine_th, NULL, live_engine_main, l) != 0)
		return pg_err_set(err, PG_EIO, "cannot start the AIS engine thread");
	l->engine_started = 1;
	for (int i = 0; i < l->ninputs; i++) {
		struct ais_input *in = l->inputs[i];
		void *(*fn)(void *) = in->kind == IN_TCP    ? tcp_main
		                      : in->kind == IN_UDP  ? udp_main
		                      : in->kind == IN_FILE ? file_main
		                                            : NULL;
		if (!fn)
			continue;
		if (pthread_create(&in->th, NULL, fn, in) != 0)
			return pg_err_set(err, PG_EIO, "cannot start the thread of input %s",
			                  in->name);
		in->started = 1;
	}
	pg_info("ais: %d input(s), layout %s, %d zones", l->ninputs, l->layout ? "loaded" : "none",
	        l->layout ? geo_layout_count(l->layout) : 0);
	return 0;
}

void ais_live_close(struct ais_live *l)
{
	if (!l)
		return;
	http_metrics_unregister(live_metrics);
	__atomic_store_n(&l->stopping, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&l->qlock);
	pthread_cond_broadcast(&l->qnotfull);
	pthread_mutex_unlock(&l->qlock);
	for (int i = 0; i < l->ninputs; i++)
		if (l->inputs[i]->started)
			pthread_join(l->inputs[i]->th, NULL);
	pthread_mutex_lock(&l->qlock);
	l->engine_stop = 1;
	pthread_cond_signal(&l->qnotempty);
	pthread_mutex_unlock(&l->qlock);
	if (l->engine_started)
		pthread_join(l->engine_th, NULL);
	/* the engine committed its last batch; wait for the commits in flight */
	pthread_mutex_lock(&l->flock);
	while (l->inflight > 0)
		pthread_cond_wait(&l->fcond, &l->flock);
	pthread_mutex_unlock(&l->flock);
	for (int i = 0; i < l->ninputs; i++) {
		struct ais_input *in = l->inputs[i];
		if (in->fd >= 0)
			close(in->fd);
		ais_decoder_free(in->dec);
		pg_free(in);
	}
	ais_engine_free(l->engine);
	geo_layout_free(l->layout);
	pg_free(l->queue);
	pg_free(l->watch_mmsi);
	pg_free(l->dirty);
	pg_free(l->tracks);
	pg_free(l->anomalies);
	pthread_mutex_destroy(&l->qlock);
	pthread_cond_destroy(&l->qnotempty);
	pthread_cond_destroy(&l->qnotfull);
	pthread_mutex_destroy(&l->flock);
	pthread_cond_destroy(&l->fcond);
	pg_free(l);
}

uint64_t ais_live_processed(struct ais_live *l)
{
	return __atomic_load_n(&l->processed, __ATOMIC_ACQUIRE);
}

int ais_live_inputs_done(struct ais_live *l)
{
	for (int i = 0; i < l->ninputs; i++)
		if (l->inputs[i]->kind == IN_FILE &&
		    !__atomic_load_n(&l->inputs[i]->done, __ATOMIC_ACQUIRE))
			return 0;
	return 1;
}

/* ---- the engine thread ----------------------------------------------------------------------- */

void live_on_changed(void *ctx, const struct ais_vessel *v)
{
	struct ais_live *l = ctx;
	if (l->ndirty == l->capdirty) {
		l->capdirty = l->capdirty ? l->capdirty * 2 : 1024;
		l->dirty = pg_realloc(l->dirty, l->capdirty * sizeof(int32_t));
	}
	l->dirty[l->ndirty++] = v->mmsi;
}

void live_on_track(void *ctx, const struct ais_vessel *v)
{
	struct ais_live *l = ctx;
	if (l->ntracks == l->captracks) {
		l->captracks = l->captracks ? l->captracks * 2 : 1024;
		l->tracks = pg_realloc(l->tracks, l->captracks * sizeof(*l->tracks));
	}
	struct live_track *t = &l->tracks[l->ntracks++];
	t->mmsi = v->mmsi;
	t->t = v->pos_ms;
	t->lat = v->lat;
	t->lon = v->lon;
	t->sog = v->sog;
	t->cog = v->cog;
	t->heading = v->heading;
}

void live_on_anomaly(void *ctx, const struct ais_anomaly *a)
{
	struct ais_live *l = ctx;
	if (l->nanomalies == l->capanomalies) {
		l->capanomalies = l->capanomalies ? l->capanomalies * 2 : 64;
		l->anomalies = pg_realloc(l->anomalies, l->capanomalies * sizeof(*l->anomalies));
	}
	l->anomalies[l->nanomalies++] = *a;
	__atomic_add_fetch(&l->raised[a->kind], 1, __ATOMIC_RELAXED);
	pg_info("ais: %s%s%s: MMSI %d: %s", ais_kind_name(a->kind), a->check[0] ? "/" : "",
	        a->check, (int)a->mmsi, a->reason);
}

struct refresh_ctx {
	int level;
	struct ais_arrival *arrivals;
	int narrivals, caparrivals;
	struct ais_watch *watch;
	int nwatch, capwatch;
};

/* Room for one more element in *arr (n used of *cap), doubling the capacity. */
static void *grow(void *arr, int n, int *cap, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	return pg_realloc(arr, (size_t)*cap * size);
}

static int refresh_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct refresh_ctx *c = vctx;
	int rc = level_current(tx, &c->level, err);
	if (rc < 0)
		return rc;
	struct store_rows *r = NULL;
	rc = store_query(
	    tx, &r, err,
	    "SELECT berth, mmsi, imo, name, window_from, window_until FROM ais_arrivals "
	    "ORDER BY id LIMIT 10000",
	    "");
	if (rc < 0)
		return rc;
	while (store_next(r) == 1) {
		c->arrivals =
		    grow(c->arrivals, c->narrivals, &c->caparrivals, sizeof(*c->arrivals));
		struct ais_arrival *a = &c->arrivals[c->narrivals++];
		memset(a, 0, sizeof(*a));
		pg_strlcpy(a->berth, store_text(r, 0) ? store_text(r, 0) : "", sizeof(a->berth));
		a->mmsi = (int32_t)store_int(r, 1);
		a->imo = (int32_t)store_int(r, 2);
		pg_strlcpy(a->name, store_text(r, 3) ? store_text(r, 3) : "", sizeof(a->name));
		if (store_text(r, 4))
			pg_time_parse(store_text(r, 4), &a->from_ms);
		if (store_text(r, 5))
			pg_time_parse(store_text(r, 5), &a->until_ms);
	}
	store_rows_free(r);
	rc = store_query(tx, &r, err,
	                 "SELECT value, reason FROM inspect_watchlist WHERE kind = 'vessel' "
	                 "ORDER BY id LIMIT 10000",
	                 "");
	if (rc < 0)
		return rc;
	while (store_next(r) == 1) {
		c->watch = grow(c->watch, c->nwatch, &c->capwatch, sizeof(*c->watch));
		struct ais_watch *w = &c->watch[c->nwatch++];
		memset(w, 0, sizeof(*w));
		const char *v = store_text(r, 0) ? store_text(r, 0) : "";
		const char *digits = strncasecmp(v, "IMO", 3) == 0 ? v + 3 : v;
		while (*digits == ' ')
			digits++;
		int64_t imo;
		if (pg_parse_i64(digits, 1, 9999999, &imo) == 0)
			w->imo = (int32_t)imo;
		else
			pg_strlcpy(w->name, v, sizeof(w->name));
		pg_snprintf(w->reason, sizeof(w->reason), "%s (inspections watchlist)",
		            store_text(r, 1) ? store_text(r, 1) : "");
	}
	store_rows_free(r);
	return 0;
}

/* Reads the level, the expected arrivals and the watchlists into the engine. */
void live_refresh(struct ais_live *l)
{
	struct refresh_ctx c = {0};
	struct pg_err err = {0};
	c.level = 1;
	if (store_read(l->store, refresh_fn, &c, &err) < 0) {
		pg_warn("ais: reading the level, arrivals and watchlist: %s", err.msg);
	} else {
		for (int i = 0; i < l->nwatch_mmsi; i++) {
			c.watch = grow(c.watch, c.nwatch, &c.capwatch, sizeof(*c.watch));
			struct ais_watch *w = &c.watch[c.nwatch++];
			memset(w, 0, sizeof(*w));
			w->mmsi = l->watch_mmsi[i];
			pg_strlcpy(w->reason, "the MMSI watchlist (ais.watch_mmsi)",
			           sizeof(w->reason));
		}
		ais_engine_set_level(l->engine, c.level);
		ais_engine_set_arrivals(l->engine, c.arrivals, c.narrivals);
		ais_engine_set_watch(l->engine, c.watch, c.nwatch);
		__atomic_store_n(&l->arrivals_loaded, c.narrivals, __ATOMIC_RELAXED);
		__atomic_store_n(&l->watch_loaded, c.nwatch, __ATOMIC_RELAXED);
	}
	pg_free(c.arrivals);
	pg_free(c.watch);
}

void *live_engine_main(void *arg)
{
	struct ais_live *l = arg;
	enum { POP = 512 };
	struct live_entry *batch = pg_malloc(POP * sizeof(*batch));
	int64_t last_tick = pg_now_ms(), last_flush = last_tick, last_refresh = pg_mono_ms();
	for (;;) {
		size_t n = 0;
		int stop = 0;
		pthread_mutex_lock(&l->qlock);
		if (l->qn == 0 && !l->engine_stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&l->qnotempty, &l->qlock, &ts);
		}
		while (n < POP && l->qn > 0) {
			batch[n++] = l->queue[l->qhead];
			l->qhead = (l->qhead + 1) % AIS_LIVE_QUEUE;
			l->qn--;
		}
		if (n)
			pthread_cond_broadcast(&l->qnotfull);
		stop = l->engine_stop && l->qn == 0;
		pthread_mutex_unlock(&l->qlock);
		for (size_t i = 0; i < n; i++)
			ais_engine_feed(l->engine, &batch[i].m, batch[i].t);
		if (n)
			__atomic_add_fetch(&l->processed, n, __ATOMIC_RELEASE);
		int64_t now = pg_now_ms();
		if (__atomic_exchange_n(&l->reload, 0, __ATOMIC_ACQ_REL) ||
		    pg_mono_ms() - last_refresh >= REFRESH_MS) {
			live_refresh(l);
			last_refresh = pg_mono_ms();
		}
		if (now - last_tick >= TICK_MS) {
			ais_engine_tick(l->engine, now);
			last_tick = now;
		}
		if (stop || now - last_flush >= FLUSH_MS || l->ntracks >= TRACK_FLUSH) {
			live_flush(l, now, stop || l->ntracks >= TRACK_FLUSH);
			last_flush = now;
		}
		if (stop)
			break;
	}
	pg_free(batch);
	return NULL;
}
