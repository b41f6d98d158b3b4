/* ais_json.c - struct ais_msg to the JSON gpsd prints (`gpsdecode -j`, `-u -j` when raw):
 * the same members, order, units, scaling and number formats, byte for byte. Written by
 * hand into the caller's buffer: no allocation, no printf on the common paths. */
#include <stdio.h>
#include <string.h>

#include "ais_int.h"

struct out {
	char *p;
};

static inline void put(struct out *o, const char *s, size_t n)
{
	memcpy(o->p, s, n);
	o->p += n;
}
#define PUTS(o, lit) put(o, lit, sizeof(lit) - 1)

static inline void put_u(struct out *o, uint32_t v)
{
	char tmp[12];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*o->p++ = tmp[--n];
}

static inline void put_i(struct out *o, int32_t v)
{
	if (v < 0) {
		*o->p++ = '-';
		put_u(o, (uint32_t)0 - (uint32_t)v);
	} else {
		put_u(o, (uint32_t)v);
	}
}

/* v with at least width digits (zero padded), as %0Nu. */
static inline void put_u0(struct out *o, uint32_t v, int width)
{
	char tmp[12];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*o->p++ = tmp[--n];
}

/* 1/10000 minute as degrees, %.6f: v/600000 = v*5/3 millionths, never a tie. */
static void put_latlon(struct out *o, int32_t v)
{
	int64_t n = (int64_t)v * 5;
	int neg = n < 0;
	if (neg)
		n = -n;
	int64_t q = n / 3, r = n % 3;
	if (r == 2)
		q++;
	if (neg)
		*o->p++ = '-';
	put_u(o, (uint32_t)(q / 1000000));
	*o->p++ = '.';
	put_u0(o, (uint32_t)(q % 1000000), 6);
}

static void put_tenth(struct out *o, uint32_t v)
{
	put_u(o, v / 10);
	*o->p++ = '.';
	*o->p++ = (char)('0' + v % 10);
}

/* gpsd: the square of turn/4.733 as %.0f (its sign lost, as gpsd prints it). */
static void put_turn(struct out *o, int32_t t)
{
	double r = t / 4.733;
	double x = r * r;
	long n = (long)x;
	double frac = x - (double)n;
	if (frac > 0.5 || (frac == 0.5 && (n & 1)))
		n++;
	put_u(o, (uint32_t)n);
}

static void put_fmt(struct out *o, const char *fmt, double v)
{
	char tmp[64];
	int n = snprintf(tmp, sizeof(tmp), fmt, v);
	if (n > 0 && n < (int)sizeof(tmp))
		put(o, tmp, (size_t)n);
}

/* A JSON string body: six-bit text needs only '"' and '\\' escaped; control characters
 * (only in device names) become \u00XX. */
static void put_str(struct out *o, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*o->p++ = '\\';
			*o->p++ = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			PUTS(o, "\\u00");
			*o->p++ = hex[c >> 4];
			*o->p++ = hex[c & 15];
		} else {
			*o->p++ = (char)c;
		}
	}
}

static void put_data(struct out *o, const struct ais_msg *m)
{
	static const char hex[] = "0123456789abcdef";
	*o->p++ = '"';
	put_u(o, (uint32_t)m->data_bits);
	*o->p++ = ':';
	for (int i = 0; i < (m->data_bits + 7) / 8; i++) {
		*o->p++ = hex[m->data[i] >> 4];
		*o->p++ = hex[m->data[i] & 15];
	}
	*o->p++ = '"';
}

static void put_field(struct out *o, const struct ais_msg *m, const struct ais_field *f, int raw)
{
	int32_t v = 0; /* the member as an integer (texts and data are not) */
	if (f->fmt != AJ_STR && f->fmt != AJ_DATA)
		memcpy(&v, (const char *)m + f->off, sizeof(v));
	int fmt = f->fmt;
	if (raw && fmt != AJ_BOOL && fmt != AJ_STR && fmt != AJ_TIME4 && fmt != AJ_ETA &&
	    fmt != AJ_DATA)
		fmt = AJ_INT;
	*o->p++ = ',';
	*o->p++ = '"';
	put(o, f->key, f->keylen);
	*o->p++ = '"';
	*o->p++ = ':';
	switch (fmt) {
	case AJ_INT:
		if (f->kind == AK_S)
			put_i(o, v);
		else
			put_u(o, (uint32_t)v);
		break;
	case AJ_BOOL:
		if (v)
			PUTS(o, "true");
		else
			PUTS(o, "false");
		break;
	case AJ_STR:
		*o->p++ = '"';
		put_str(o, (const char *)m + f->off, f->size);
		*o->p++ = '"';
		break;
	case AJ_LATLON:
		put_latlon(o, v);
		break;
	case AJ_TENTH:
		put_tenth(o, (uint32_t)v);
		break;
	case AJ_TURN:
		if (v == -128)
			PUTS(o, "\"nan\"");
		else if (v == -127)
			PUTS(o, "\"fastleft\"");
		else if (v == 127)
			PUTS(o, "\"fastright\"");
		else
			put_turn(o, v);
		break;
	case AJ_SPEED:    /* tenths of a knot */
	case AJ_SARSPEED: /* whole knots */
		if (v == 1023)
			PUTS(o, "\"nan\"");
		else if (v == 1022)
			PUTS(o, "\"fast\"");
		else if (fmt == AJ_SPEED)
			put_tenth(o, (uint32_t)v);
		else
			put_u(o, (uint32_t)v);
		break;
	case AJ_SARALT:
		if (v == 4095)
			PUTS(o, "\"nan\"");
		else if (v == 4094)
			PUTS(o, "\"high\"");
		else
			put_u(o, (uint32_t)v);
		break;
	case AJ_LATLON10:
		put_fmt(o, "%.1f", v / 600.0);
		break;
	case AJ_CHANLL:
		put_fmt(o, "\"%f\"", v / 600.0);
		break;
	case AJ_NAVSTR: {
		const char *s = ais_legend(AL_NAV, v);
		*o->p++ = '"';
		put(o, s, strlen(s));
		*o->p++ = '"';
		break;
	}
	case AJ_TIME4:
		*o->p++ = '"';
		put_u0(o, (uint32_t)m->year, 4);
		*o->p++ = '-';
		put_u0(o, (uint32_t)m->month, 2);
		*o->p++ = '-';
		put_u0(o, (uint32_t)m->day, 2);
		*o->p++ = 'T';
		put_u0(o, (uint32_t)m->hour, 2);
		*o->p++ = ':';
		put_u0(o, (uint32_t)m->minute, 2);
		*o->p++ = ':';
		put_u0(o, (uint32_t)m->second, 2);
		PUTS(o, "Z\"");
		break;
	case AJ_ETA:
		*o->p++ = '"';
		put_u0(o, (uint32_t)m->month, 2);
		*o->p++ = '-';
		put_u0(o, (uint32_t)m->day, 2);
		*o->p++ = 'T';
		put_u0(o, (uint32_t)m->hour, 2);
		*o->p++ = ':';
		put_u0(o, (uint32_t)m->minute, 2);
		PUTS(o, "Z\"");
		break;
	case AJ_DATA:
		put_data(o, m);
		break;
	default:
		break;
	}
	if (f->legend) {
		const char *s = ais_legend(f->legend, v);
		*o->p++ = ',';
		*o->p++ = '"';
		put(o, f->key, f->keylen);
		PUTS(o, "_text\":\"");
		put(o, s, strlen(s));
		*o->p++ = '"';
	}
}

int ais_json_write(const struct ais_msg *m, int raw, const char *device, char *buf, size_t cap)
{
	if (cap < AIS_JSON_MAX)
		return -1;
	const struct ais_layout *lay = ais_layout_for_msg(m);
	if (!lay)
		return -1;
	if (!lay->json || (m->type == 24 && m->part != AIS_PART_AB))
		return 0;
	struct out o = {buf};
	PUTS(&o, "{\"class\":\"AIS\"");
	if (device && device[0]) {
		PUTS(&o, ",\"device\":\"");
		put_str(&o, device, 128); /* at most 768 bytes: the rest always fits */
		*o.p++ = '"';
	}
	PUTS(&o, ",\"type\":");
	put_u(&o, (uint32_t)m->type);
	PUTS(&o, ",\"repeat\":");
	put_u(&o, (uint32_t)m->repeat);
	PUTS(&o, ",\"mmsi\":");
	put_u(&o, (uint32_t)m->mmsi);
	if (raw)
		PUTS(&o, ",\"scaled\":false");
	else
		PUTS(&o, ",\"scaled\":true");
	int skip = raw ? AF_RAWSKIP : AF_SCALEDSKIP;
	for (int i = 0; i < lay->n; i++) {
		const struct ais_field *f = &lay->rows[i];
		if (f->fmt == AJ_HIDDEN || (f->flags & skip))
			continue;
		put_field(&o, m, f, raw);
	}
	PUTS(&o, "}\r\n");
	*o.p = '\0';
	return (int)(o.p - buf);
}
