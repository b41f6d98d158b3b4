/* ais.h - AIS: NMEA 0183 !xxVDM/!xxVDO sentences (NMEA 4.10 tag blocks), fragment
 * reassembly, decoding of all 27 ITU-R M.1371-5 message types into one typed struct, a
 * gpsd-compatible JSON writer (the output of `gpsdecode -j`, or `-u -j` when raw) and an
 * encoder for the same types.
 *
 * The message layouts are tables of fields (ais_tables.c) that one decoder, one encoder
 * and one JSON writer walk. No dependency beyond libc; no allocation per sentence.
 *
 * Typical use (a stream):
 *
 *     struct ais_decoder *d = ais_decoder_new(NULL);
 *     struct ais_msg m;
 *     for each line:
 *         if (ais_decoder_feed(d, line, len, now_ms, &m) == 1)
 *             use m (and ais_json_write(&m, 0, "stdin", buf, sizeof buf) for gpsd JSON);
 *     ais_decoder_flush(d);         // counts fragments still waiting as lost
 *     ais_decoder_stats(d)->dropped[AIS_R_BAD_CHECKSUM] ...
 *     ais_decoder_free(d);
 */
#ifndef PG_AIS_H
#define PG_AIS_H

#include <stddef.h>
#include <stdint.h>

#define AIS_MAX_BITS      2048 /* longest reassembled payload accepted (5 slots are 1064) */
#define AIS_MAX_FRAGMENTS 9
#define AIS_SOURCE_LEN    32

/* Why a sentence or a message was dropped. Every drop is counted by reason. */
enum ais_reason {
	AIS_R_BAD_FORMAT = 0,    /* not an !xxVDM/!xxVDO sentence (or a malformed tag block) */
	AIS_R_BAD_CHECKSUM,      /* the sentence's or the tag block's *hh does not match */
	AIS_R_ILLEGAL_CHARACTER, /* a payload character outside the 6-bit armouring */
	AIS_R_BAD_FILL_BITS,     /* fill bits not 0..5, or more than the payload has */
	AIS_R_LOST_FRAGMENT, /* a part of a multi-sentence message missing, out of order or timed
	                        out */
	AIS_R_TOO_LONG,      /* the payload exceeds AIS_MAX_BITS */
	AIS_R_UNKNOWN_TYPE,  /* message type 0 or 28..63, or a type 24 part other than A/B */
	AIS_R_TRUNCATED_PAYLOAD, /* too short for its type */
	AIS_R_OVERSIZED_PAYLOAD, /* longer than its type allows (as gpsd rejects it) */
	AIS_R_COUNT
};
/* "bad_checksum", ... (the names --stats prints). */
const char *ais_reason_name(int reason);

enum ais_part { AIS_PART_NONE = 0, AIS_PART_A, AIS_PART_B, AIS_PART_AB };

/* One decoded message. Fields hold the raw integers of the air interface (ITU-R
 * M.1371-5): lat/lon in 1/10000 minute (types 1-4, 9, 11, 18, 19, 21), 1/10 minute
 * (17, 22, 23, 27); speed in 1/10 knot (1-3, 18, 19), course in 1/10 degree, draught in
 * 1/10 m. Booleans are 0/1. Text fields are NUL-terminated, cut at the first '@' and with
 * trailing spaces removed (as gpsd does). Fields a type does not have are 0. */
struct ais_msg {
	int32_t type, repeat, mmsi;
	int32_t bitlen; /* payload bits as received; the encoder writes this many (0: standard) */
	/* positions and movement */
	int32_t status, turn, speed, accuracy, lon, lat, course, heading, second, maneuver;
	int32_t raim, radio, alt, regional, dte, assigned, reserved, gnss;
	int32_t cs, display, dsc, band, msg22;
	/* dates: type 4/11 timestamp, type 5 ETA */
	int32_t year, month, day, hour, minute;
	/* static data */
	int32_t imo, ais_version, shiptype, to_bow, to_stern, to_port, to_starboard, epfd, draught;
	int32_t part; /* type 24: enum ais_part (AB when the decoder paired A then B) */
	int32_t partno, model, serial, mothership_mmsi;
	int32_t aid_type, off_position, virtual_aid;
	/* addressed and binary messages */
	int32_t seqno, dest_mmsi, retransmit, dac, fid, addressed, structured, app_id;
	int32_t mmsi1, mmsi2, mmsi3, mmsi4;
	int32_t type1_1, offset1_1, type1_2, offset1_2, type2_1, offset2_1;
	int32_t offset1, offset2, offset3, offset4, number1, number2, number3, number4;
	int32_t timeout1, timeout2, timeout3, timeout4;
	int32_t increment1, increment2, increment3, increment4;
	/* channel management / group assignment */
	int32_t channel_a, channel_b, txrx, power, ne_lon, ne_lat, sw_lon, sw_lat, dest1, dest2;
	int32_t band_a, band_b, zonesize, stationtype, interval, quiet;
	char callsign[8], shipname[21], destination[21], vendorid[8];
	/* the long members last: the decoder clears only their first byte (data: data_bits) */
	char name[35];     /* type 21: name and name extension */
	char text[170];    /* types 12 and 14 */
	int32_t data_bits; /* types 6, 8, 17, 25, 26: the application data (data_bits valid bits) */
	uint8_t data[128];
	/* where it came from */
	char channel;                /* 'A', 'B', ... or 0 */
	int32_t own;                 /* 1 for !xxVDO (own ship) */
	char source[AIS_SOURCE_LEN]; /* tag block s:, or "" */
	int64_t tag_time;            /* tag block c: in seconds since the epoch, or -1 */
};

/* Counts of sentences: every sentence fed ends in a decoded message, in dropped[] under
 * one reason (all the sentences of a message that is dropped), or still waits for the rest
 * of its message. */
struct ais_stats {
	uint64_t sentences; /* non-blank lines fed */
	uint64_t messages;  /* messages decoded */
	uint64_t dropped[AIS_R_COUNT];
};

struct ais_decoder_opts {
	int64_t fragment_timeout_ms; /* a multi-sentence message not complete by then is lost
	                                (default 10 s) */
};

struct ais_decoder;

/* A decoder with its fixed reassembly table; opts may be NULL. Never fails (aborts on OOM). */
struct ais_decoder *ais_decoder_new(const struct ais_decoder_opts *opts);
void ais_decoder_free(struct ais_decoder *d);

/* Feeds one line (with or without its line end; len bytes, need not be NUL-terminated).
 * now_ms is the caller's clock for fragment timeouts (a tag block's c: takes precedence).
 * Returns 1 when a message was completed into *out, 0 when the line was consumed without
 * one (a fragment waiting for the rest, a blank line), or -1 - reason when the line (or the
 * message it completed) was dropped; every drop is counted in the stats. *out (never NULL)
 * holds a message only when 1 is returned; otherwise its contents are unspecified.
 * Type 24: part A is returned (part = AIS_PART_A) and remembered; a part B of the same MMSI
 * that follows is returned with the shipname filled in and part = AIS_PART_AB (gpsd's
 * pairing), otherwise as AIS_PART_B. */
int ais_decoder_feed(struct ais_decoder *d, const char *line, size_t len, int64_t now_ms,
                     struct ais_msg *out);
/* Counts every fragment still waiting as lost (end of stream). */
void ais_decoder_flush(struct ais_decoder *d);
const struct ais_stats *ais_decoder_stats(const struct ais_decoder *d);

/* Decodes len payload bits (big-endian bit order in bits[], zero beyond len, at least
 * AIS_MAX_BITS/8 + 8 bytes readable) into *out (all other fields zeroed). Returns 0 or -1 -
 * reason (AIS_R_UNKNOWN_TYPE, AIS_R_TRUNCATED_PAYLOAD, AIS_R_OVERSIZED_PAYLOAD). No
 * type 24 pairing here (part is A or B). */
int ais_decode_bits(const uint8_t *bits, int len, struct ais_msg *out);

/* Writes the gpsd JSON object of m (with "\r\n", as gpsdecode does) into buf of size cap,
 * NUL-terminated. raw: unscaled integers (gpsdecode -u). device: the "device" member (its
 * first 128 bytes; NULL or "": none). Returns the length written, 0 when gpsd prints nothing
 * for this message (a type 24 part that was not paired), or -1 if cap is below AIS_JSON_MAX
 * (which always suffices) or the type is unknown. */
#define AIS_JSON_MAX 2048
int ais_json_write(const struct ais_msg *m, int raw, const char *device, char *buf, size_t cap);

/* Encodes m into payload bits (the layout of m->type, and of m->partno for type 24,
 * m->addressed/m->structured for 22, 25 and 26); m->bitlen bits if not 0, else the
 * standard length. bits must hold AIS_MAX_BITS/8 + 8 bytes. Returns the bit count, or -1 -
 * AIS_R_UNKNOWN_TYPE / AIS_R_TOO_LONG. */
int ais_encode_bits(const struct ais_msg *m, uint8_t *bits);

/* Writes the NMEA sentences of a payload (fragments of at most 60 characters, seqid
 * used when there is more than one; talker like "AIVDM"; channel 'A'/'B' or 0), each
 * ending in "\r\n", into out of size cap, NUL-terminated. Returns the length or -1 if cap
 * is too small. */
int ais_nmea_write(const uint8_t *bits, int nbits, const char *talker, char channel, int seqid,
                   char *out, size_t cap);

/* Encodes m and writes its sentences: ais_encode_bits + ais_nmea_write. */
int ais_encode_nmea(const struct ais_msg *m, const char *talker, char channel, int seqid, char *out,
                    size_t cap);

/* ---- what a vessel picture needs, in SI-ish units ------------------------------------- */

struct ais_motion {
	double lat, lon; /* degrees (WGS 84) */
	double sog;      /* speed over ground, knots; NAN when not available */
	double cog;      /* course over ground, degrees; NAN when not available */
	double heading;  /* true heading, degrees; NAN when not available (511) */
};

/* The position (and movement, where the type reports it) of a position report: types
 * 1-3, 18, 19 (class A/B), 9 (SAR aircraft), 27 (long range), 4/11 (base station) and 21
 * (aid to navigation). Returns 0 and fills *out, or -1 when the type has no position or
 * the position is not available (lat 91, lon 181 or out of range). */
int ais_motion(const struct ais_msg *m, struct ais_motion *out);

/* ---- random messages (tests, fuzzing, benchmarks, the demo simulator) ------------------ */

#define AIS_GEN_GPSD                                                                               \
	1               /* only what gpsd 3.22 prints comparably: no DAC/FI gpsd decodes           \
	                 * itself in types 6/8 (DAC 1, 200, 235, 250), type 26 radio 0 */
#define AIS_GEN_MESSY 2 /* texts may hold '@' and trailing spaces (not canonical) */

/* A next pseudo-random number from a xorshift64* state (never 0). */
uint64_t ais_rand(uint64_t *state);

/* Fills *m with random values in every field of a type (1..27): random bits of each
 * field's width, texts of random length, binary data of random length, and for types with
 * optional trailing fields a random valid length (m->bitlen). Type 24 gives part A or B at
 * random (m->partno), 22, 25 and 26 a random addressed/structured variant. Without
 * AIS_GEN_MESSY the result is canonical: ais_encode_bits then ais_decode_bits gives it back
 * (with m->bitlen, tag_time -1 and channel as the decoder sets them). */
void ais_random_msg(struct ais_msg *m, int type, uint64_t *rng, int flags);

#endif
