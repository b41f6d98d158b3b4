/* ais_anomaly.c - the AIS engine: vessel table, zones of each position, anomaly rules. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core.h"
#include "ais_anomaly.h"

#define KN            (1852.0 / 3600.0) /* metres per second in a knot */
#define FRESH_MS      (5 * 60 * 1000)   /* positions older than this take no part in pair rules */
#define JUMP_QUIET_MS (10 * 60 * 1000)
#define MOORED_KN     0.5

/* episodes (bits of ais_vessel.active) */
enum {
	EP_APPROACH = 1u << 0,
	EP_DARK = 1u << 1,
	EP_LOITER = 1u << 2,
	EP_TELEPORT = 1u << 3,
	EP_LAND = 1u << 4,
	EP_SPEEDING = 1u << 5
};
/* identity checks done (bits of ais_vessel.checked) */
enum { CK_MMSI = 1u << 0, CK_SHARED = 1u << 1, CK_WATCH = 1u << 2 };

static const char *const kind_names[AIS_N_KINDS] = {
    "zone_entry", "approach", "dark", "loitering", "rendezvous", "spoofing", "identity", "speeding",
};

const char *ais_kind_name(int kind)
{
	return kind >= 0 && kind < AIS_N_KINDS ? kind_names[kind] : "?";
}

void ais_rules_default(struct ais_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->approach_m = 150;
	r->approach_level = 2;
	r->loiter_kn = 2;
	r->loiter_min = 30;
	r->rendezvous_m = 500;
	r->rendezvous_kn = 2;
	r->rendezvous_min = 30;
	r->teleport_kn = 60;
	r->harbour_kn = 8;
	r->dark_factor = 3;
	r->dark_min_s = 180;
}

struct pair {
	uint64_t key; /* (smaller mmsi << 32) | larger */
	int64_t since;
	int fired;
	double dist;
};

struct ais_engine {
	struct ais_rules r;
	struct geo_layout *layout;
	struct ais_engine_cb cb;
	struct ais_fleet *fleet;
	struct geo_proj proj;
	int has_proj;
	int level;
	struct ais_arrival *arrivals;
	int narrivals;
	struct ais_watch *watch;
	int nwatch;
	unsigned watch_gen;
	uint64_t raised[AIS_N_KINDS];
	/* tick scratch: the grid of fresh positions */
	struct ais_vessel **cand;
	int *next, *head;
	size_t ncand, capcand, nbuckets;
	struct pair *pairs, *newpairs;
	size_t npairs, cappairs, nnew, capnew;
};

struct ais_engine *ais_engine_new(const struct ais_rules *rules, struct geo_layout *layout,
                                  const struct ais_engine_cb *cb)
{
	struct ais_engine *e = pg_calloc(1, sizeof(*e));
	e->r = *rules;
	e->layout = layout;
	if (cb)
		e->cb = *cb;
	e->fleet = ais_fleet_new();
	if (layout) {
		e->proj = *geo_layout_proj(layout);
		e->has_proj = 1;
	}
	e->level = 1;
	e->watch_gen = 1;
	return e;
}

void ais_engine_free(struct ais_engine *e)
{
	if (!e)
		return;
	ais_fleet_free(e->fleet);
	pg_free(e->arrivals);
	pg_free(e->watch);
	pg_free(e->cand);
	pg_free(e->next);
	pg_free(e->head);
	pg_free(e->pairs);
	pg_free(e->newpairs);
	pg_free(e);
}

void ais_engine_set_level(struct ais_engine *e, int level)
{
	e->level = level;
}

void ais_engine_set_arrivals(struct ais_engine *e, const struct ais_arrival *a, int n)
{
	pg_free(e->arrivals);
	e->arrivals = n > 0 ? pg_malloc((size_t)n * sizeof(*a)) : NULL;
	if (n > 0)
		memcpy(e->arrivals, a, (size_t)n * sizeof(*a));
	e->narrivals = n > 0 ? n : 0;
}

void ais_engine_set_watch(struct ais_engine *e, const struct ais_watch *w, int n)
{
	if (n < 0)
		n = 0;
	if (n == e->nwatch && (n == 0 || memcmp(e->watch, w, (size_t)n * sizeof(*w)) == 0))
		return; /* the same list: no new generation, vessels are not checked again */
	pg_free(e->watch);
	e->watch = n > 0 ? pg_malloc((size_t)n * sizeof(*w)) : NULL;
	if (n > 0)
		memcpy(e->watch, w, (size_t)n * sizeof(*w));
	e->nwatch = n > 0 ? n : 0;
	e->watch_gen++;
}

struct ais_fleet *ais_engine_fleet(struct ais_engine *e)
{
	return e->fleet;
}
uint64_t ais_engine_raised(const struct ais_engine *e, int kind)
{
	return kind >= 0 && kind < AIS_N_KINDS ? e->raised[kind] : 0;
}

/* ---- raising ------------------------------------------------------------------------------ */

static void anomaly_init(struct ais_anomaly *a, int kind, const char *check,
                         const struct ais_vessel *v, int64_t now)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	pg_strlcpy(a->check, check, sizeof(a->check));
	a->mmsi = v->mmsi;
	pg_strlcpy(a->name, v->name, sizeof(a->name));
	a->lat = v->lat;
	a->lon = v->lon;
	a->at_ms = now;
}

static void num(struct ais_anomaly *a, const char *key, double v)
{
	if (a->nnum < AIS_ANOMALY_NUMS) {
		a->num[a->nnum].key = key;
		a->num[a->nnum].v = v;
		a->nnum++;
	}
}

__attribute__((format(printf, 3, 4))) static void
raise_it(struct ais_engine *e, struct ais_anomaly *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof(a->reason), fmt, ap);
	va_end(ap);
	e->raised[a->kind]++;
	if (e->cb.anomaly)
		e->cb.anomaly(e->cb.ctx, a);
}

static int enabled(const struct ais_engine *e, int kind)
{
	return !(e->r.disabled & (1u << kind));
}

static const char *vname(const struct ais_vessel *v, char *buf, size_t n)
{
	if (v->name[0])
		pg_snprintf(buf, n, "%s (MMSI %d)", v->name, (int)v->mmsi);
	else
		pg_snprintf(buf, n, "MMSI %d", (int)v->mmsi);
	return buf;
}

/* ---- identity ------------------------------------------------------------------------------ */

static void check_mmsi(struct ais_engine *e, struct ais_vessel *v, int64_t now)
{
	if (v->checked & CK_MMSI)
		return;
	v->checked |= CK_MMSI;
	char why[200];
	if (!enabled(e, AIS_K_IDENTITY) || ais_mmsi_check(v->mmsi, why, sizeof(why)) == 0)
		return;
	struct ais_anomaly a;
	anomaly_init(&a, AIS_K_IDENTITY, "mmsi", v, now);
	raise_it(e, &a, "%s", why);
}

static void check_watch(struct ais_engine *e, struct ais_vessel *v, int64_t now)
{
	if ((v->checked & CK_WATCH) || v->watch_gen == e->watch_gen)
		return;
	v->watch_gen = e->watch_gen;
	if (!enabled(e, AIS_K_IDENTITY))
		return;
	for (int i = 0; i < e->nwatch; i++) {
		const struct ais_watch *w = &e->watch[i];
		char what[80];
		if (w->mmsi && w->mmsi == v->mmsi)
			pg_snprintf(what, sizeof(what), "MMSI %d", (int)v->mmsi);
		else if (w->imo && w->imo == v->imo)
			pg_snprintf(what, sizeof(what), "IMO %d", (int)v->imo);
		else if (w->name[0] && v->name[0] && strcasecmp(w->name, v->name) == 0)
			pg_snprintf(what, sizeof(what), "the name %s", v->name);
		else
			continue;
		v->checked |= CK_WATCH;
		struct ais_anomaly a;
		anomaly_init(&a, AIS_K_IDENTITY, "watchlist", v, now);
		raise_it(e, &a, "%s is on the watchlist%s%s", what, w->reason[0] ? ": " : "",
		         w->reason);
		return;
	}
}

/* ---- per position -------------------------------------------------------------------------- */

static int arrival_expected(const struct ais_engine *e, const struct ais_vessel *v,
                            const struct geo_zone *z, int64_t now)
{
	for (int i = 0; i < e->narrivals; i++) {
		const struct ais_arrival *a = &e->arrivals[i];
		if (strcasecmp(a->berth, z->name) != 0 &&
		    !(z->berth[0] && strcasecmp(a->berth, z->berth) == 0))
			continue;
		if ((a->from_ms && now < a->from_ms) || (a->until_ms && now > a->until_ms))
			continue;
		if ((a->mmsi && a->mmsi == v->mmsi) || (a->imo && a->imo == v->imo) ||
		    (a->name[0] && v->name[0] && strcasecmp(a->name, v->name) == 0))
			return 1;
	}
	return 0;
}

static int in_list(const int *ids, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* entered: the vessel had a position before (an entry is seen, not assumed from a first report) */
static void zones_update(struct ais_engine *e, struct ais_vessel *v, int had_pos, int64_t now)
{
	int ids[AIS_VESSEL_ZONES];
	int n = 0;
	if (e->layout) {
		n = geo_layout_at(e->layout, v->x, v->y, ids, AIS_VESSEL_ZONES);
		if (n > AIS_VESSEL_ZONES)
			n = AIS_VESSEL_ZONES;
	}
	static const unsigned bit[GEO_N_KINDS] = {AIS_IN_PORT,       AIS_IN_BERTH,
	                                          AIS_IN_RESTRICTED, AIS_IN_ANCHORAGE,
	                                          AIS_IN_CHANNEL,    AIS_IN_LAND};
	unsigned where = 0;
	double limit = 0;
	const char *land = NULL, *limit_zone = NULL;
	for (int i = 0; i < n; i++) {
		const struct geo_zone *z = geo_layout_zone(e->layout, ids[i]);
		where |= bit[z->kind];
		double l = z->speed_limit_kn > 0      ? z->speed_limit_kn
		           : z->kind == GEO_PORT_AREA ? e->r.harbour_kn
		                                      : 0;
		if (l > 0 && (limit == 0 || l < limit)) {
			limit = l;
			limit_zone = z->name;
		}
		if (z->kind == GEO_LAND)
			land = z->name;
		if ((z->kind == GEO_RESTRICTED || z->kind == GEO_BERTH) && had_pos &&
		    !in_list(v->zones, v->nzones, ids[i]) && enabled(e, AIS_K_ZONE_ENTRY) &&
		    !arrival_expected(e, v, z, now)) {
			struct ais_anomaly a;
			anomaly_init(&a, AIS_K_ZONE_ENTRY, "", v, now);
			pg_strlcpy(a.zone, z->name, sizeof(a.zone));
			char nb[64];
			if (v->sog >= 0)
				num(&a, "speed_kn", v->sog);
			raise_it(e, &a,
			         "%s entered %s \"%s\"%s%s%s at %.1f kn and is not on the "
			         "expected arrivals",
			         vname(v, nb, sizeof(nb)),
			         z->kind == GEO_BERTH ? "the berth security zone"
			                              : "restricted waters",
			         z->name, z->berth[0] ? " (berth " : "", z->berth,
			         z->berth[0] ? ")" : "", v->sog < 0 ? 0.0 : v->sog);
		}
	}
	memcpy(v->zones, ids, (size_t)n * sizeof(int));
	v->nzones = n;
	v->where = where;
	v->limit_kn = limit;

	/* on land */
	if (land && !(v->active & EP_LAND)) {
		v->active |= EP_LAND;
		if (enabled(e, AIS_K_SPOOFING)) {
			struct ais_anomaly a;
			anomaly_init(&a, AIS_K_SPOOFING, "land", v, now);
			pg_strlcpy(a.zone, land, sizeof(a.zone));
			raise_it(e, &a,
			         "reported a position on land (\"%s\", %.5f N %.5f E): the "
			         "position is not credible",
			         land, v->lat, v->lon);
		}
	} else if (!land) {
		v->active &= ~EP_LAND;
	}

	/* speeding */
	if (limit > 0 && v->sog > limit && !(where & AIS_IN_LAND)) {
		if (!(v->active & EP_SPEEDING)) {
			v->active |= EP_SPEEDING;
			if (enabled(e, AIS_K_SPEEDING)) {
				struct ais_anomaly a;
				anomaly_init(&a, AIS_K_SPEEDING, "", v, now);
				pg_strlcpy(a.zone, limit_zone, sizeof(a.zone));
				num(&a, "speed_kn", v->sog);
				num(&a, "limit_kn", limit);
				raise_it(
				    e, &a,
				    "%.1f kn in \"%s\" where the limit is %g kn (%.1f kn over)",
				    v->sog, limit_zone, limit, v->sog - limit);
			}
		}
	} else {
		v->active &= ~EP_SPEEDING;
	}
}

/* The jump from the previous position: teleport or a second transmitter. */
static void jump_check(struct ais_engine *e, struct ais_vessel *v, int64_t now)
{
	double d = hypot(v->x - v->px, v->y - v->py);
	double dt = (double)(now - v->p_ms) / 1000.0;
	double kn = d / (dt < 2 ? 2 : dt) / KN;
	if (kn <= e->r.teleport_kn || d < 200) {
		if ((v->active & EP_TELEPORT) && now - v->jump_ms > JUMP_QUIET_MS)
			v->active &= ~EP_TELEPORT;
		return;
	}
	/* near where it was before the previous jump: two transmitters alternating */
	if (v->has_alt) {
		double d2 = hypot(v->x - v->altx, v->y - v->alty);
		double dt2 = (double)(now - v->alt_ms) / 1000.0;
		if (d2 / (dt2 < 2 ? 2 : dt2) / KN <= e->r.teleport_kn) {
			if (now - v->jump_ms > JUMP_QUIET_MS / 2)
				v->alt_count = 0;
			v->alt_count++;
			if (v->alt_count >= 3 && !(v->checked & CK_SHARED)) {
				v->checked |= CK_SHARED;
				if (enabled(e, AIS_K_IDENTITY)) {
					struct ais_anomaly a;
					anomaly_init(&a, AIS_K_IDENTITY, "shared", v, now);
					num(&a, "distance_m", d);
					num(&a, "seconds", dt);
					raise_it(
					    e, &a,
					    "positions alternate between two places %.1f km "
					    "apart within %.0f s: two transmitters share MMSI %d",
					    d / 1000, dt, (int)v->mmsi);
				}
			}
			v->altx = v->px, v->alty = v->py, v->alt_ms = v->p_ms;
			v->jump_ms = now;
			return;
		}
	}
	v->has_alt = 1;
	v->altx = v->px, v->alty = v->py, v->alt_ms = v->p_ms;
	v->jump_ms = now;
	if (v->active & EP_TELEPORT)
		return;
	v->active |= EP_TELEPORT;
	if (!enabled(e, AIS_K_SPOOFING))
		return;
	struct ais_anomaly a;
	anomaly_init(&a, AIS_K_SPOOFING, "teleport", v, now);
	num(&a, "distance_m", d);
	num(&a, "seconds", dt);
	num(&a, "implied_kn", kn);
	raise_it(e, &a,
	         "moved %.1f km in %.0f s: an implied speed of %.0f kn, over the %g kn a "
	         "vessel can make",
	         d / 1000, dt, kn, e->r.teleport_kn);
}

void ais_engine_feed(struct ais_engine *e, const struct ais_msg *m, int64_t now)
{
	if (!ais_vessel_type(m->type) || m->mmsi <= 0)
		return;
	struct ais_vessel *v = ais_fleet_get(e->fleet, m->mmsi, 1, NULL);
	int had_pos = v->has_pos;
	double ox = v->x, oy = v->y;
	int64_t oms = v->pos_ms;
	int r = ais_vessel_apply(v, m, now);
	if (r && !v->dirty) {
		v->dirty = 1;
		if (e->cb.changed)
			e->cb.changed(e->cb.ctx, v);
	}
	if (r)
		v->pub_dirty = 1;
	if (!(r & AIS_APPLY_POSITION)) {
		if ((r & AIS_APPLY_STATIC) && v->has_pos) {
			v->watch_gen = 0; /* new name or IMO: check the watchlist again */
			check_watch(e, v, now);
		}
		return;
	}
	/* the layout's projection; without a layout, one around the first position heard */
	if (!e->has_proj) {
		geo_proj_init(&e->proj, v->lat, v->lon);
		e->has_proj = 1;
	}
	geo_project(&e->proj, v->lat, v->lon, &v->x, &v->y);
	v->active &= ~EP_DARK; /* it reports again */
	check_mmsi(e, v, now);
	check_watch(e, v, now);
	if (had_pos) {
		v->px = ox, v->py = oy, v->p_ms = oms;
		jump_check(e, v, now);
	}
	zones_update(e, v, had_pos, now);

	/* loitering: slow outside anchorages and berths */
	if (v->sog >= 0 && v->sog < e->r.loiter_kn &&
	    !(v->where & (AIS_IN_BERTH | AIS_IN_ANCHORAGE))) {
		if (!v->slow_since)
			v->slow_since = now;
	} else {
		v->slow_since = 0;
		v->active &= ~EP_LOITER;
	}

	if (ais_track_keep(v, now, v->x, v->y, v->cog)) {
		v->has_track = 1;
		v->tx = v->x, v->ty = v->y, v->tcog = v->cog, v->t_ms = now;
		if (e->cb.track)
			e->cb.track(e->cb.ctx, v);
	}
}

/* ---- per tick -------------------------------------------------------------------------------- */

static void dark_check(struct ais_engine *e, struct ais_vessel *v, int64_t now)
{
	if (!v->has_pos || !(v->where & AIS_IN_AREA) || (v->active & EP_DARK))
		return;
	double iv = ais_report_interval_s(v->class_b, v->sog, v->status);
	double limit = iv * e->r.dark_factor;
	if (limit < e->r.dark_min_s)
		limit = e->r.dark_min_s;
	double silent = (double)(now - v->pos_ms) / 1000.0;
	if (silent <= limit)
		return;
	v->active |= EP_DARK;
	if (!enabled(e, AIS_K_DARK))
		return;
	struct ais_anomaly a;
	anomaly_init(&a, AIS_K_DARK, "", v, now);
	if (v->nzones > 0)
		pg_strlcpy(a.zone, geo_layout_zone(e->layout, v->zones[0])->name, sizeof(a.zone));
	num(&a, "silent_s", silent);
	num(&a, "interval_s", iv);
	num(&a, "limit_s", limit);
	raise_it(e, &a,
	         "no AIS position report for %.0f s inside the area; at %.1f kn a Class %s vessel "
	         "reports every %g s, so more than %.0f s of silence (%g x %g s, at least %g s) "
	         "means it went dark",
	         silent, v->sog < 0 ? 0.0 : v->sog, v->class_b ? "B" : "A", iv, limit,
	         e->r.dark_factor, iv, e->r.dark_min_s);
}

static void loiter_check(struct ais_engine *e, struct ais_vessel *v, int64_t now)
{
	if (!v->slow_since || (v->active & EP_LOITER) || now - v->pos_ms > FRESH_MS)
		return;
	double min = (double)(now - v->slow_since) / 60000.0;
	if (min < e->r.loiter_min)
		return;
	v->active |= EP_LOITER;
	if (!enabled(e, AIS_K_LOITERING))
		return;
	struct ais_anomaly a;
	anomaly_init(&a, AIS_K_LOITERING, "", v, now);
	if (v->nzones > 0)
		pg_strlcpy(a.zone, geo_layout_zone(e->layout, v->zones[0])->name, sizeof(a.zone));
	num(&a, "speed_kn", v->sog);
	num(&a, "minutes", min);
	raise_it(e, &a,
	         "under %g kn (now %.1f kn) for %.0f min outside anchorages and berths "
	         "(the rule allows %g min)",
	         e->r.loiter_kn, v->sog, min, e->r.loiter_min);
}

static uint64_t cell_key(long cx, long cy)
{
	return ((uint64_t)(uint32_t)cx << 32) | (uint32_t)cy;
}

static size_t bucket_of(uint64_t key, size_t nb)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (nb - 1);
}

static int is_moored(const struct ais_vessel *v)
{
	return v->status == 5 || ((v->where & AIS_IN_BERTH) && v->sog >= 0 && v->sog < MOORED_KN);
}

static int pair_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct pair *)a)->key, y = ((const struct pair *)b)->key;
	return x < y ? -1 : x > y;
}

static void grid_build(struct ais_engine *e, int64_t now, double cs)
{
	size_t slots = ais_fleet_slots(e->fleet);
	size_t n = ais_fleet_count(e->fleet);
	if (n > e->capcand) {
		e->capcand = n * 2;
		e->cand = pg_realloc(e->cand, e->capcand * sizeof(*e->cand));
		e->next = pg_realloc(e->next, e->capcand * sizeof(int));
	}
	size_t nb = 64;
	while (nb < n * 2)
		nb *= 2;
	if (nb != e->nbuckets) {
		e->head = pg_realloc(e->head, nb * sizeof(int));
		e->nbuckets = nb;
	}
	for (size_t i = 0; i < nb; i++)
		e->head[i] = -1;
	e->ncand = 0;
	for (size_t i = 0; i < slots; i++) {
		struct ais_vessel *v = ais_fleet_slot(e->fleet, i);
		if (!v || !v->has_pos || now - v->pos_ms > FRESH_MS || (v->where & AIS_IN_LAND))
			continue;
		size_t b = bucket_of(cell_key((long)floor(v->x / cs), (long)floor(v->y / cs)), nb);
		e->cand[e->ncand] = v;
		e->next[e->ncand] = e->head[b];
		e->head[b] = (int)e->ncand;
		e->ncand++;
	}
}

static void pair_add(struct ais_engine *e, uint64_t key, double d)
{
	if (e->nnew == e->capnew) {
		e->capnew = e->capnew ? e->capnew * 2 : 64;
		e->newpairs = pg_realloc(e->newpairs, e->capnew * sizeof(*e->newpairs));
	}
	e->newpairs[e->nnew++] = (struct pair){key, 0, 0, d};
}

static void pairs_tick(struct ais_engine *e, int64_t now)
{
	double cs =
	    e->r.rendezvous_m > e->r.approach_m * 1.25 ? e->r.rendezvous_m : e->r.approach_m * 1.25;
	if (cs < 1)
		cs = 1;
	grid_build(e, now, cs);
	int approach_on = e->level >= e->r.approach_level && enabled(e, AIS_K_APPROACH);
	e->nnew = 0;
	for (size_t i = 0; i < e->ncand; i++) {
		struct ais_vessel *a = e->cand[i];
		int slow_a =
		    a->sog >= 0 && a->sog < e->r.rendezvous_kn && !(a->where & AIS_IN_BERTH);
		int moored_a = is_moored(a);
		if (!slow_a && (moored_a || !approach_on)) {
			a->active &= ~EP_APPROACH;
			continue;
		}
		long cx = (long)floor(a->x / cs), cy = (long)floor(a->y / cs);
		double best = 1e18;
		struct ais_vessel *near = NULL;
		for (long dx = -1; dx <= 1; dx++) {
			for (long dy = -1; dy <= 1; dy++) {
				size_t bk = bucket_of(cell_key(cx + dx, cy + dy), e->nbuckets);
				for (int j = e->head[bk]; j >= 0; j = e->next[j]) {
					struct ais_vessel *b = e->cand[j];
					if (b == a)
						continue;
					double d = hypot(a->x - b->x, a->y - b->y);
					if (!moored_a && is_moored(b) && d < best) {
						best = d;
						near = b;
					}
					if (slow_a && a->mmsi < b->mmsi && d <= e->r.rendezvous_m &&
					    b->sog >= 0 && b->sog < e->r.rendezvous_kn &&
					    !(b->where & AIS_IN_BERTH))
						pair_add(e,
						         ((uint64_t)(uint32_t)a->mmsi << 32) |
						             (uint32_t)b->mmsi,
						         d);
				}
			}
		}
		if (moored_a)
			continue;
		if (approach_on && near && best <= e->r.approach_m) {
			if (!(a->active & EP_APPROACH)) {
				a->active |= EP_APPROACH;
				struct ais_anomaly an;
				anomaly_init(&an, AIS_K_APPROACH, "", a, now);
				an.other_mmsi = near->mmsi;
				if (near->nzones > 0)
					pg_strlcpy(an.zone,
					           geo_layout_zone(e->layout, near->zones[0])->name,
					           sizeof(an.zone));
				num(&an, "distance_m", best);
				num(&an, "level", e->level);
				num(&an, "limit_m", e->r.approach_m);
				char nb[64];
				raise_it(e, &an,
				         "came within %.0f m of the moored ship %s at security "
				         "level %d (the rule: no closer than %g m at level %d and "
				         "above)",
				         best, vname(near, nb, sizeof(nb)), e->level,
				         e->r.approach_m, e->r.approach_level);
			}
		} else if (!near || best > e->r.approach_m * 1.25 || !approach_on) {
			a->active &= ~EP_APPROACH;
		}
	}
	/* rendezvous: carry the pairs that still hold, raise those held long enough */
	if (e->nnew > 1)
		qsort(e->newpairs, e->nnew, sizeof(*e->newpairs), pair_cmp);
	size_t k = 0, w = 0;
	for (size_t i = 0; i < e->nnew; i++) {
		struct pair *p = &e->newpairs[i];
		if (w > 0 && e->newpairs[w - 1].key == p->key)
			continue; /* the same pair seen twice (bucket collision) */
		while (k < e->npairs && e->pairs[k].key < p->key)
			k++;
		if (k < e->npairs && e->pairs[k].key == p->key) {
			p->since = e->pairs[k].since;
			p->fired = e->pairs[k].fired;
		} else {
			p->since = now;
		}
		double min = (double)(now - p->since) / 60000.0;
		if (!p->fired && min >= e->r.rendezvous_min) {
			p->fired = 1;
			struct ais_vessel *a =
			    ais_fleet_get(e->fleet, (int32_t)(p->key >> 32), 0, NULL);
			struct ais_vessel *b =
			    ais_fleet_get(e->fleet, (int32_t)(p->key & 0xffffffffu), 0, NULL);
			if (a && b && enabled(e, AIS_K_RENDEZVOUS)) {
				struct ais_anomaly an;
				anomaly_init(&an, AIS_K_RENDEZVOUS, "", a, now);
				an.other_mmsi = b->mmsi;
				if (a->nzones > 0)
					pg_strlcpy(an.zone,
					           geo_layout_zone(e->layout, a->zones[0])->name,
					           sizeof(an.zone));
				num(&an, "distance_m", p->dist);
				num(&an, "minutes", min);
				num(&an, "speed_kn", a->sog);
				num(&an, "other_speed_kn", b->sog);
				char na[64], nb[64];
				raise_it(
				    e, &an,
				    "%s and %s have been within %.0f m of each other, both "
				    "under %g kn (%.1f and %.1f kn), for %.0f min outside berths: "
				    "a possible ship-to-ship transfer",
				    vname(a, na, sizeof(na)), vname(b, nb, sizeof(nb)), p->dist,
				    e->r.rendezvous_kn, a->sog, b->sog, min);
			}
		}
		e->newpairs[w++] = *p;
	}
	e->nnew = w;
	struct pair *t = e->pairs;
	size_t tc = e->cappairs;
	e->pairs = e->newpairs;
	e->npairs = e->nnew;
	e->cappairs = e->capnew;
	e->newpairs = t;
	e->capnew = tc;
	e->nnew = 0;
}

void ais_engine_tick(struct ais_engine *e, int64_t now)
{
	size_t slots = ais_fleet_slots(e->fleet);
	for (size_t i = 0; i < slots; i++) {
		struct ais_vessel *v = ais_fleet_slot(e->fleet, i);
		if (!v)
			continue;
		dark_check(e, v, now);
		loiter_check(e, v, now);
	}
	pairs_tick(e, now);
}
