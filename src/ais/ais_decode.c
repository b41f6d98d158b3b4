/* ais_decode.c - payload bits to struct ais_msg by walking the layout tables, and the
 * encoder that walks the same tables the other way. */
#include <math.h>
#include <string.h>

#include "ais_int.h"

#define MEMBER(m, f)  ((int32_t *)((char *)(m) + (f)->off))
#define CMEMBER(m, f) ((const int32_t *)((const char *)(m) + (f)->off))

const char *ais_reason_name(int reason)
{
	static const char *const names[AIS_R_COUNT] = {
	    "bad_format", "bad_checksum", "illegal_character", "bad_fill_bits",     "lost_fragment",
	    "too_long",   "unknown_type", "truncated_payload", "oversized_payload",
	};
	return reason >= 0 && reason < AIS_R_COUNT ? names[reason] : "unknown";
}

/* Reads n six-bit characters from start, stopping at '@'; returns how many were read. */
static int read_text(const uint8_t *bits, unsigned start, int n, char *to, size_t size)
{
	int i;
	if ((size_t)n > size - 1)
		n = (int)size - 1;
	for (i = 0; i < n; i++) {
		char c = ais_sixbit_chars[ais_ubits(bits, start + 6 * (unsigned)i, 6)];
		if (c == '@')
			break;
		to[i] = c;
	}
	to[i] = '\0';
	return i;
}

static void trim_right(char *s, int n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '@'))
		s[--n] = '\0';
}

int ais_decode_bits(const uint8_t *bits, int len, struct ais_msg *out)
{
	if (len < 38)
		return -1 - AIS_R_TRUNCATED_PAYLOAD;
	int32_t mmsi = (int32_t)ais_ubits(bits, 8, 30);
	const struct ais_layout *lay = ais_layout_for_bits(bits, len, mmsi);
	if (!lay)
		return -1 - AIS_R_UNKNOWN_TYPE;
	if (len < lay->min_bits)
		return -1 - AIS_R_TRUNCATED_PAYLOAD;
	if ((lay->max_bits && len > lay->max_bits) ||
	    (lay->two_lengths && len != lay->min_bits && len != lay->max_bits))
		return -1 - AIS_R_OVERSIZED_PAYLOAD;
	/* the size hidden from the compiler: libc's vector memset beats an inlined rep stos */
	size_t zero = offsetof(struct ais_msg, name);
	__asm__("" : "+r"(zero));
	memset(out, 0, zero);
	out->name[0] = out->text[0] = '\0';
	out->data_bits = 0;
	out->type = lay->type;
	out->repeat = (int32_t)ais_ubits(bits, 6, 2);
	out->mmsi = mmsi;
	out->bitlen = len;
	out->tag_time = -1;
	for (int i = 0; i < lay->n; i++) {
		const struct ais_field *f = &lay->rows[i];
		unsigned start = f->flags & AF_FROM_END ? (unsigned)len - f->start : f->start;
		if (f->need && len < f->need)
			continue;
		switch (f->kind) {
		case AK_U: {
			unsigned w = f->width;
			if ((f->flags & AF_TRUNC) && start + w > (unsigned)len)
				w = (unsigned)len - start;
			*MEMBER(out, f) = (int32_t)ais_ubits(bits, start, w);
			break;
		}
		case AK_S:
			*MEMBER(out, f) = ais_sbits(bits, start, f->width);
			break;
		case AK_TEXT: {
			char *to = (char *)out + f->off;
			int n = read_text(bits, start, f->width / 6, to, f->size);
			if ((f->flags & AF_NAMEEXT) && n == 20 && len > 272)
				n += read_text(bits, 272, (len - 272) / 6, to + 20, f->size - 20);
			trim_right(to, n);
			break;
		}
		case AK_TEXT_END: {
			char *to = (char *)out + f->off;
			int n = len > (int)start ? (len - (int)start) / 6 : 0;
			trim_right(to, read_text(bits, start, n, to, f->size));
			break;
		}
		case AK_DATA: {
			int n = len - (int)start - lay->trailer;
			if (n < 0)
				n = 0;
			if (n > (int)sizeof(out->data) * 8)
				return -1 - AIS_R_OVERSIZED_PAYLOAD;
			out->data_bits = n;
			int nbytes = (n + 7) / 8;
			for (int k = 0; k < nbytes; k++)
				out->data[k] = (uint8_t)ais_ubits(bits, start + 8 * (unsigned)k, 8);
			if (n & 7)
				out->data[nbytes - 1] &= (uint8_t)(0xff << (8 - (n & 7)));
			break;
		}
		default:
			break;
		}
	}
	if (lay->type == 24)
		out->part = out->partno == 0 ? AIS_PART_A : AIS_PART_B;
	return 0;
}

/* ---- positions -------------------------------------------------------------------- */

int ais_motion(const struct ais_msg *m, struct ais_motion *out)
{
	double div = 600000.0; /* 1/10000 minute */
	double sog = NAN, cog = NAN, heading = NAN;
	switch (m->type) {
	case 1:
	case 2:
	case 3:
	case 18:
	case 19:
		if (m->speed < 1023)
			sog = m->speed / 10.0;
		if (m->course < 3600)
			cog = m->course / 10.0;
		if (m->heading < 360)
			heading = m->heading;
		break;
	case 9:
		if (m->speed < 1023)
			sog = m->speed;
		if (m->course < 3600)
			cog = m->course / 10.0;
		break;
	case 27:
		div = 600.0; /* 1/10 minute */
		if (m->speed < 63)
			sog = m->speed;
		if (m->course < 360)
			cog = m->course;
		break;
	case 4:
	case 11:
	case 21:
		break;
	default:
		return -1;
	}
	double lat = m->lat / div, lon = m->lon / div;
	if (lat < -90.0 || lat > 90.0 || lon < -180.0 || lon > 180.0)
		return -1;
	out->lat = lat;
	out->lon = lon;
	out->sog = sog;
	out->cog = cog;
	out->heading = heading;
	return 0;
}

/* ---- encoder ------------------------------------------------------------------------ */

static void put_bits(uint8_t *b, unsigned start, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++) {
		unsigned bit = start + i;
		uint8_t mask = (uint8_t)(0x80 >> (bit & 7));
		if ((v >> (width - 1 - i)) & 1)
			b[bit >> 3] |= mask;
		else
			b[bit >> 3] &= (uint8_t)~mask;
	}
}

static int sixbit_of(char c)
{
	const char *p = c ? memchr(ais_sixbit_chars, c, 64) : NULL;
	return p ? (int)(p - ais_sixbit_chars) : 0;
}

static void put_text(uint8_t *b, unsigned start, int n, const char *s)
{
	size_t len = strlen(s);
	for (int i = 0; i < n; i++)
		put_bits(b, start + 6 * (unsigned)i, 6,
		         (uint32_t)((size_t)i < len ? sixbit_of(s[i]) : 0));
}

/* The bits a field takes when m is encoded (0 for fields not on the air). */
static unsigned field_end(const struct ais_layout *lay, const struct ais_field *f,
                          const struct ais_msg *m)
{
	const char *s = (const char *)m + f->off;
	switch (f->kind) {
	case AK_U:
	case AK_S:
		return f->flags & AF_FROM_END ? 0 : (unsigned)f->start + f->width;
	case AK_TEXT:
		if ((f->flags & AF_NAMEEXT) && strnlen(s, f->size) > 20)
			return 272 + 6 * (unsigned)(strnlen(s, f->size) - 20);
		return (unsigned)f->start + f->width;
	case AK_TEXT_END:
		return (unsigned)f->start + 6 * (unsigned)strnlen(s, f->size);
	case AK_DATA:
		return (unsigned)f->start + (unsigned)m->data_bits + lay->trailer;
	default:
		return 0;
	}
}

int ais_encode_bits(const struct ais_msg *m, uint8_t *bits)
{
	const struct ais_layout *lay = ais_layout_for_msg(m);
	if (!lay)
		return -1 - AIS_R_UNKNOWN_TYPE;
	unsigned len = 38;
	for (int i = 0; i < lay->n; i++) {
		unsigned e = field_end(lay, &lay->rows[i], m);
		if (e > len)
			len = e;
	}
	if (lay->std_bits > len)
		len = lay->std_bits;
	if (m->bitlen > 0)
		len = (unsigned)m->bitlen;
	if (len > AIS_MAX_BITS || m->data_bits < 0 || m->data_bits > (int)sizeof(m->data) * 8)
		return -1 - AIS_R_TOO_LONG;
	memset(bits, 0, AIS_MAX_BITS / 8 + 8);
	put_bits(bits, 0, 6, (uint32_t)m->type);
	put_bits(bits, 6, 2, (uint32_t)m->repeat);
	put_bits(bits, 8, 30, (uint32_t)m->mmsi);
	for (int i = 0; i < lay->n; i++) {
		const struct ais_field *f = &lay->rows[i];
		unsigned start = f->flags & AF_FROM_END ? len - f->start : f->start;
		const char *s = (const char *)m + f->off;
		switch (f->kind) {
		case AK_U:
		case AK_S:
			if (start + f->width <= len)
				put_bits(bits, start, f->width, (uint32_t)*CMEMBER(m, f));
			else if ((f->flags & AF_TRUNC) && start < len) /* the bits there are */
				put_bits(bits, start, len - start, (uint32_t)*CMEMBER(m, f));
			break;
		case AK_TEXT:
			put_text(bits, start, f->width / 6, s);
			if ((f->flags & AF_NAMEEXT) && strnlen(s, f->size) > 20)
				put_text(bits, 272, (int)strnlen(s, f->size) - 20, s + 20);
			break;
		case AK_TEXT_END:
			put_text(bits, start, (int)strnlen(s, f->size), s);
			break;
		case AK_DATA:
			for (int k = 0; k < m->data_bits; k++)
				put_bits(bits, start + (unsigned)k, 1,
				         (uint32_t)(m->data[k >> 3] >> (7 - (k & 7))) & 1u);
			break;
		default:
			break;
		}
	}
	/* the bits past the end stay zero, as the decoder expects */
	for (unsigned k = len; k < len + 8; k++)
		put_bits(bits, k, 1, 0);
	return (int)len;
}

static const char armour[64] = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw";

int ais_nmea_write(const uint8_t *bits, int nbits, const char *talker, char channel, int seqid,
                   char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	int nchars = (nbits + 5) / 6;
	int fill = nchars * 6 - nbits;
	int nfrag = nchars ? (nchars + 59) / 60 : 1;
	if (nfrag > AIS_MAX_FRAGMENTS)
		return -1;
	size_t pos = 0;
	for (int fr = 0; fr < nfrag; fr++) {
		int from = fr * 60, to = from + 60 < nchars ? from + 60 : nchars;
		char line[128];
		int n = 0;
		line[n++] = '!';
		for (const char *t = talker; *t && n < 7; t++)
			line[n++] = *t;
		line[n++] = ',';
		line[n++] = (char)('0' + nfrag);
		line[n++] = ',';
		line[n++] = (char)('0' + fr + 1);
		line[n++] = ',';
		if (nfrag > 1)
			line[n++] = (char)('0' + seqid % 10);
		line[n++] = ',';
		if (channel)
			line[n++] = channel;
		line[n++] = ',';
		for (int c = from; c < to; c++)
			line[n++] = armour[ais_ubits(bits, 6 * (unsigned)c, 6)];
		line[n++] = ',';
		line[n++] = (char)('0' + (fr == nfrag - 1 ? fill : 0));
		unsigned cs = 0;
		for (int k = 1; k < n; k++)
			cs ^= (unsigned char)line[k];
		line[n++] = '*';
		line[n++] = hex[cs >> 4];
		line[n++] = hex[cs & 15];
		line[n++] = '\r';
		line[n++] = '\n';
		if (pos + (size_t)n + 1 > cap)
			return -1;
		memcpy(out + pos, line, (size_t)n);
		pos += (size_t)n;
	}
	out[pos] = '\0';
	return (int)pos;
}

int ais_encode_nmea(const struct ais_msg *m, const char *talker, char channel, int seqid, char *out,
                    size_t cap)
{
	uint8_t bits[AIS_MAX_BITS / 8 + 8];
	int n = ais_encode_bits(m, bits);
	if (n < 0)
		return n;
	return ais_nmea_write(bits, n, talker, channel, seqid, out, cap);
}
