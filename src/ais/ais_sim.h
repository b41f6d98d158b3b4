/* ais_sim.h - the demo's waterside traffic: a scripted scenario of fifteen vessels around the
 * demo port (etc/port-layout.geojson), encoded as NMEA with ais_encode_nmea and fed into
 * the live engine as the in-process source "sim", so that every anomaly rule fires within
 * ten minutes (with the demo's rule settings, ais_sim_rules):
 *
 *   MAAS TRADER, RHINE SPIRIT  arrive at Quay 1 / the Ferry berth, expected (no anomaly)
 *   NORDIC STAR, BALTIC FERRY  moored at the berths
 *   NOSY PARKER                enters the LNG jetty restricted waters        zone_entry
 *   SEA GULL (Class B)         comes alongside the moored NORDIC STAR         approach, zone_entry
 *   DRIFTER                    under 1 kn in the basin                        loitering
 *   GREY WHALE + NIGHT OWL     side by side at 1 kn                           rendezvous (+
 * loitering); GREY WHALE's MMSI is on the demo watchlist     identity/watchlist SILENT RUNNER stops
 * reporting after a minute                  dark PHANTOM                    jumps onto the land
 * spoofing/teleport, land GHOST                      MMSI 200123456: MID 200 is not allocated
 * identity/mmsi TWIN                       two transmitters, one MMSI, 9 km apart identity/shared
 *   FAST EDDIE (Class B)       18 kn in the 6 kn harbour basin                speeding
 *
 * The scenario repeats every ten minutes (moving vessels sail closed loops). */
#ifndef PG_AIS_SIM_H
#define PG_AIS_SIM_H

#include "ais_live.h"

struct ais_sim;

/* The demo's rule settings: the defaults with the durations shortened (loitering 3 min,
 * rendezvous 4 min, dark after 60 s) and the approach rule from level 1 (the ISPS default
 * is level 2), so that each rule fires within ten minutes. */
void ais_sim_rules(struct ais_rules *r);
/* The demo's MMSI watchlist (for ais.watch_mmsi). */
#define AIS_SIM_WATCH_MMSI "273100008"

/* Records the expected arrivals of the scenario (MAAS TRADER at Quay 1, RHINE SPIRIT at the
 * Ferry berth) and starts a thread that feeds the scenario in real time into l's source
 * "sim" (create it with ais_live_source before ais_live_start). */
int ais_sim_start(struct ais_live *l, struct ais_source *src, struct ais_sim **out,
                  struct pg_err *err);
void ais_sim_stop(struct ais_sim *s); /* accepts NULL */

/* Finds the shipped etc/port-layout.geojson: in the working directory (the repository root,
 * as `make demo` runs) or next to the binary (BIN/../etc, BIN/../../etc). */
int ais_sim_layout_path(char *out, size_t n);

/* The NMEA lines of scenario second t (from 0) appended to out (tests). */
void ais_sim_second(int t, struct pg_buf *out);

#endif
