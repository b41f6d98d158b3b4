/* ais_anomaly.h - the AIS engine: the vessel table fed with decoded messages, the zone
 * lookups of each position (geo.h) and the anomaly rules, each a configurable rule with
 * defaults that raises an anomaly ONCE per episode (entry, start) with the reason in words
 * and the numbers that made it.
 *
 *   zone_entry  a vessel enters restricted waters or a berth security zone and no expected
 *               arrival (berth = the zone's berth or name; MMSI, IMO or name; window)
 *               covers it. Episode: inside the zone. Only an entry seen (a position
 *               outside, then one inside) counts: a vessel first heard inside is not raised.
 *   approach    at security level >= approach_level (ISPS: 2), a vessel that is not moored
 *               comes within approach_m of a moored ship (status moored, or under 0.5 kn in
 *               a berth zone). Episode: until it is 1.25 x approach_m away from all.
 *   dark        a vessel whose last position was inside the area (any zone but land) sends
 *               nothing for longer than max(dark_min_s, dark_factor x its ITU-R M.1371
 *               reporting interval). Episode: until it reports again.
 *   loitering   under loiter_kn for over loiter_min minutes outside anchorages and berths.
 *   rendezvous  two vessels within rendezvous_m, both under rendezvous_kn, for over
 *               rendezvous_min minutes, outside berths (ship-to-ship transfer). Per pair.
 *   spoofing    implied speed between consecutive positions over teleport_kn ("teleport";
 *               episode: until no jump for 10 minutes), or a position on land ("land";
 *               episode: until it is off the land).
 *   identity    MMSI not 9 digits or with an unallocated MID ("mmsi"); two transmitters
 *               sharing one MMSI: positions alternating between two places too far apart
 *               to sail between ("shared"); a watchlisted MMSI, IMO or name ("watchlist").
 *               Each check once per vessel.
 *   speeding    over the speed limit of the zone it is in (the lowest speed_limit_kn of its
 *               zones; a port_area zone without one: harbour_kn). Episode: until at or
 *               under the limit.
 *
 * Time is the caller's (milliseconds): the reception time of each message and the clock
 * of each tick. The engine is single-threaded: the caller (ais_live.c) owns it. */
#ifndef PG_AIS_ANOMALY_H
#define PG_AIS_ANOMALY_H

#include "../geo/geo.h"
#include "ais.h"
#include "ais_vessel.h"

enum ais_kind {
	AIS_K_ZONE_ENTRY,
	AIS_K_APPROACH,
	AIS_K_DARK,
	AIS_K_LOITERING,
	AIS_K_RENDEZVOUS,
	AIS_K_SPOOFING,
	AIS_K_IDENTITY,
	AIS_K_SPEEDING,
	AIS_N_KINDS
};
/* "zone_entry", "approach", ... */
const char *ais_kind_name(int kind);

struct ais_rules {
	double approach_m;     /* 150 */
	int approach_level;    /* 2 (ISPS: level 2 and 3) */
	double loiter_kn;      /* 2 */
	double loiter_min;     /* 30 */
	double rendezvous_m;   /* 500 */
	double rendezvous_kn;  /* 2 */
	double rendezvous_min; /* 30 */
	double teleport_kn;    /* 60 */
	double harbour_kn;     /* 8: port_area zones without their own limit */
	double dark_factor;    /* 3 x the reporting interval ... */
	double dark_min_s;     /* ... and at least 180 s */
	unsigned disabled;     /* bit per ais_kind: rule switched off */
};
void ais_rules_default(struct ais_rules *r);

/* An expected arrival (API-managed; ais_live.c loads them). */
struct ais_arrival {
	char berth[GEO_NAME_MAX];  /* a zone's properties.berth or name (case-insensitive) */
	int32_t mmsi, imo;         /* 0 = any */
	char name[21];             /* "" = any */
	int64_t from_ms, until_ms; /* 0 = open */
};

/* A watchlist entry: a vessel matches when mmsi, imo or name (case-insensitive) equals. */
struct ais_watch {
	int32_t mmsi, imo;
	char name[21];
	char reason[120];
};

#define AIS_ANOMALY_NUMS 4
struct ais_anomaly {
	int kind;
	char check[16]; /* the sub-rule: "teleport", "land", "mmsi", "shared", "watchlist" or "" */
	int32_t mmsi;
	char name[21];
	double lat, lon;
	char zone[GEO_NAME_MAX]; /* "" = none */
	int32_t other_mmsi;      /* rendezvous / approach: the other vessel, 0 none */
	char reason[400];
	int64_t at_ms;
	struct {
		const char *key;
		double v;
	} num[AIS_ANOMALY_NUMS];
	int nnum;
};

struct ais_engine_cb {
	/* an anomaly was raised */
	void (*anomaly)(void *ctx, const struct ais_anomaly *a);
	/* v has a new track point (its latest position passed the downsampling rule) */
	void (*track)(void *ctx, const struct ais_vessel *v);
	/* v changed (position or static data) and was not dirty: v->dirty is now 1 */
	void (*changed)(void *ctx, const struct ais_vessel *v);
	void *ctx;
};

struct ais_engine;

/* layout (borrowed, may be NULL: no zone rules) must outlive the engine; cb is copied. */
struct ais_engine *ais_engine_new(const struct ais_rules *rules, struct geo_layout *layout,
                                  const struct ais_engine_cb *cb);
void ais_engine_free(struct ais_engine *e); /* accepts NULL */

void ais_engine_set_level(struct ais_engine *e, int level);
/* Replace the expected arrivals / the watchlist (copied; a watchlist equal to the one held
 * changes nothing, another one has the vessels checked against it again). */
void ais_engine_set_arrivals(struct ais_engine *e, const struct ais_arrival *a, int n);
void ais_engine_set_watch(struct ais_engine *e, const struct ais_watch *w, int n);

/* One decoded message received at now_ms. Messages that do not describe a vessel are
 * ignored. */
void ais_engine_feed(struct ais_engine *e, const struct ais_msg *m, int64_t now_ms);
/* The time-driven rules (dark, loitering, rendezvous, approach): call about once a second. */
void ais_engine_tick(struct ais_engine *e, int64_t now_ms);

struct ais_fleet *ais_engine_fleet(struct ais_engine *e);
/* Anomalies raised so far, by kind. */
uint64_t ais_engine_raised(const struct ais_engine *e, int kind);

#endif
