/* ais_vessel.h - the vessel table: one row per MMSI with the latest position, movement,
 * navigational status and static data, built from decoded AIS messages (ais.h); the track
 * downsampling rule; the ITU-R M.1371 reporting intervals; the MMSI / MID checks.
 *
 * The table (struct ais_fleet) is owned by one thread (the AIS engine); nothing here
 * locks. Pointers to vessels stay valid until the next ais_fleet_get that creates one. */
#ifndef PG_AIS_VESSEL_H
#define PG_AIS_VESSEL_H

#include <stddef.h>
#include <stdint.h>

#include "ais.h"

#define AIS_VESSEL_ZONES 8 /* zones a vessel can be in at once (more are ignored) */

/* where a position is (bits of ais_vessel.where) */
#define AIS_IN_PORT       (1u << 0) /* a port_area zone */
#define AIS_IN_BERTH      (1u << 1)
#define AIS_IN_RESTRICTED (1u << 2)
#define AIS_IN_ANCHORAGE  (1u << 3)
#define AIS_IN_CHANNEL    (1u << 4)
#define AIS_IN_LAND       (1u << 5)
#define AIS_IN_AREA                                                                                \
	(AIS_IN_PORT | AIS_IN_BERTH | AIS_IN_RESTRICTED | AIS_IN_ANCHORAGE | AIS_IN_CHANNEL)

struct ais_vessel {
	int32_t mmsi;
	int class_b;               /* 1 once a Class B message (18, 19, 24) came from it */
	uint64_t msgs;             /* messages applied */
	int64_t first_ms, seen_ms; /* first and latest message of any type */
	/* latest position report */
	int has_pos;
	double lat, lon; /* degrees */
	double x, y;     /* metres in the layout's projection */
	double sog;      /* knots, -1 not available */
	double cog;      /* degrees true, -1 not available */
	int heading;     /* degrees true, -1 not available */
	int status;      /* navigational status 0..15 (15 = not defined; Class B: 15) */
	int64_t pos_ms;  /* when it was received */
	/* static and voyage data */
	char name[21], callsign[8], destination[21];
	char eta[12]; /* "MM-DDTHH:MM" (UTC, no year as AIS sends it) or "" */
	int32_t imo, shiptype, to_bow, to_stern, to_port, to_starboard,
	    draught; /* draught 1/10 m */

	/* ---- the engine's state (ais_anomaly.c) ---- */
	unsigned where; /* AIS_IN_* of the latest position */
	int zones[AIS_VESSEL_ZONES];
	int nzones;
	double limit_kn; /* speed limit at the latest position, 0 none */
	double px, py;   /* the position before the latest (teleport and shared-MMSI checks) */
	int64_t p_ms;
	int has_alt; /* a position from before a jump (a second transmitter?) */
	double altx, alty;
	int64_t alt_ms;
	int alt_count; /* returns to the position before a jump (alternating transmitters) */
	int has_track; /* the last track point kept */
	double tx, ty, tcog;
	int64_t t_ms;
	unsigned active;    /* episodes open: bit per ais_episode */
	unsigned checked;   /* identity checks done: bit per check */
	int64_t slow_since; /* loitering: slow outside berths and anchorage since (0 = not) */
	int64_t jump_ms;    /* the latest implausible jump */
	unsigned watch_gen; /* the watchlist generation it was checked against (0 = never) */
	int dirty;          /* changed since the last upsert (ais_live) */
	int pub_dirty;      /* changed since the last live position event (ais_live) */
	int64_t pub_ms;     /* when it was last in a live position event */
};

/* ---- the table ----------------------------------------------------------------------- */

struct ais_fleet;

struct ais_fleet *ais_fleet_new(void);
void ais_fleet_free(struct ais_fleet *f); /* accepts NULL */
/* The vessel of mmsi; with create, a new zeroed one when there is none (*created = 1). */
struct ais_vessel *ais_fleet_get(struct ais_fleet *f, int32_t mmsi, int create, int *created);
size_t ais_fleet_count(const struct ais_fleet *f);
/* Slot iteration: for (i = 0; i < ais_fleet_slots(f); i++) if ((v = ais_fleet_slot(f, i))) */
size_t ais_fleet_slots(const struct ais_fleet *f);
struct ais_vessel *ais_fleet_slot(struct ais_fleet *f, size_t i);

/* ---- applying messages --------------------------------------------------------------- */

#define AIS_APPLY_POSITION 1 /* a new valid position (lat, lon, sog, cog, ...) */
#define AIS_APPLY_STATIC   2 /* static or voyage data changed */

/* Does a message of this type describe a vessel (positions 1-3, 18, 19; static 5, 24)? */
int ais_vessel_type(int type);
/* Applies m (of v's MMSI) received at now_ms: returns AIS_APPLY_* bits, 0 if nothing of
 * use (a position "not available", another message type). x and y are not set here. */
int ais_vessel_apply(struct ais_vessel *v, const struct ais_msg *m, int64_t now_ms);

/* The downsampling rule: keep a track point when at least 30 s passed since the last kept
 * one, or it moved at least 50 m, or its course changed by at least 10 degrees (or there
 * is no kept point yet). */
#define AIS_TRACK_S   30
#define AIS_TRACK_M   50.0
#define AIS_TRACK_DEG 10.0
int ais_track_keep(const struct ais_vessel *v, int64_t t_ms, double x, double y, double cog);

/* The reporting interval ITU-R M.1371-5 (Table 1/2) gives a vessel, seconds: Class A at
 * anchor or moored and under 3 kn 180, up to 14 kn 10, up to 23 kn 6, faster 2; Class B
 * (SOTDMA) under 2 kn 180, up to 14 kn 30, up to 23 kn 15, faster 5. */
double ais_report_interval_s(int class_b, double sog, int status);

/* ---- identities --------------------------------------------------------------------- */

/* The country of an allocated ITU Maritime Identification Digits (201..775), or NULL. */
const char *ais_mid_country(int mid);
/* Checks an MMSI's form (9 digits) and its MID for the form it has (ships 2xx-7xx, coast
 * stations 00MID, groups 0MID, SAR aircraft 111MID, handhelds 8MID, craft of a parent ship
 * 98MID, aids to navigation 99MID; AIS-SART 970, MOB 972, EPIRB-AIS 974 carry no MID).
 * 0 when valid; otherwise PG_EINVAL and why (what is wrong, in words). */
int ais_mmsi_check(int32_t mmsi, char *why, size_t n);

#endif
