/* ais_int.h - what only src/ais sees: the message layout tables the decoder, the encoder
 * and the JSON writer walk. */
#ifndef PG_AIS_INT_H
#define PG_AIS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ais.h"

/* How a field's bits are read (and written). */
enum ais_kind {
	AK_U = 1,    /* unsigned integer */
	AK_S,        /* two's complement integer */
	AK_TEXT,     /* six-bit text of width/6 characters (a char array member) */
	AK_TEXT_END, /* six-bit text from start to the end of the message */
	AK_DATA,     /* binary data from start to the end (less the layout's trailer) */
	AK_NONE,     /* not on the air (filled by the decoder: type 24 shipname when paired) */
};

/* How a field is written as gpsd JSON (scaled; raw output prints integers instead). */
enum ais_fmt {
	AJ_INT = 1,  /* integer */
	AJ_BOOL,     /* true/false */
	AJ_STR,      /* JSON string of a text member */
	AJ_LATLON,   /* 1/10000 min -> degrees, %.6f */
	AJ_TENTH,    /* /10, %.1f */
	AJ_TURN,     /* rate of turn: "nan", "fastleft", "fastright" or (turn/4.733)^2 */
	AJ_SPEED,    /* 1/10 knot with "nan" (1023) and "fast" (1022) */
	AJ_SARALT,   /* metres with "nan" (4095) and "high" (4094) */
	AJ_SARSPEED, /* knots with "nan" (1023) and "fast" (1022) */
	AJ_LATLON10, /* 1/10 min -> degrees, %.1f */
	AJ_CHANLL,   /* 1/10 min -> degrees as a quoted "%f" string (types 22, 23) */
	AJ_NAVSTR,   /* type 27 status: the navigation status text (an integer when raw) */
	AJ_TIME4,    /* types 4/11: "timestamp" from year..second */
	AJ_ETA,      /* type 5: "eta" from month..minute */
	AJ_DATA,     /* "bits:hex" */
	AJ_HIDDEN,   /* decoded, not printed */
};

enum ais_legend { AL_NONE = 0, AL_NAV, AL_EPFD, AL_SHIP, AL_NAVAID, AL_STATION };

struct ais_field {
	const char *key; /* JSON member name */
	uint8_t keylen;
	uint16_t start; /* first bit; with AF_FROM_END, bits before the end */
	uint16_t width; /* bits (text: 6 per character) */
	uint8_t kind;   /* enum ais_kind */
	uint8_t fmt;    /* enum ais_fmt */
	uint8_t legend; /* enum ais_legend: also print "<key>_text" */
	uint8_t flags;
	uint16_t need; /* decoded only when the message has at least this many bits */
	uint16_t off;  /* offsetof(struct ais_msg, member) */
	uint16_t size; /* text members: sizeof the array */
};
#define AF_TRUNC      1  /* read only the bits present (type 1-3 radio in short messages) */
#define AF_FROM_END   2  /* start counts back from the end of the message */
#define AF_RAWSKIP    4  /* not printed in raw output */
#define AF_SCALEDSKIP 8  /* not printed in scaled output */
#define AF_NAMEEXT    16 /* type 21 name: 20 characters plus the name extension */

struct ais_layout {
	uint8_t type;
	uint8_t json;        /* 0: gpsd prints nothing for it (type 24 parts alone) */
	uint16_t min_bits;   /* shorter: truncated_payload */
	uint16_t max_bits;   /* longer: oversized_payload (0: no limit) */
	uint16_t std_bits;   /* what the encoder writes by default (0: up to the last field) */
	uint16_t trailer;    /* AK_DATA ends this many bits before the end (type 26 radio) */
	uint8_t two_lengths; /* only min_bits or max_bits long (type 27) */
	const struct ais_field *rows;
	int n;
};

/* The layout for a message whose first bits are in bits (the decoder) or whose fields are
 * in m (the encoder), or NULL if the type (or type 24 part) is unknown. */
const struct ais_layout *ais_layout_for_bits(const uint8_t *bits, int len, int32_t mmsi);
const struct ais_layout *ais_layout_for_msg(const struct ais_msg *m);
const char *ais_legend(int legend, int32_t value);

/* Six-bit character set of AIS text: value -> ASCII. */
extern const char ais_sixbit_chars[65];

/* Big-endian bit access on a zero-padded byte buffer. */
static inline uint32_t ais_ubits(const uint8_t *b, unsigned start, unsigned width)
{
	const uint8_t *p = b + (start >> 3);
	uint64_t w = ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) |
	             ((uint64_t)p[3] << 32) | ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) |
	             ((uint64_t)p[6] << 8) | (uint64_t)p[7];
	return (uint32_t)((w << (start & 7)) >> (64 - width));
}

static inline int32_t ais_sbits(const uint8_t *b, unsigned start, unsigned width)
{
	uint32_t u = ais_ubits(b, start, width);
	uint32_t sign = 1u << (width - 1);
	return (int32_t)(u ^ sign) - (int32_t)sign;
}

#endif
