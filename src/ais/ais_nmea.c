/* ais_nmea.c - NMEA 0183 sentences to messages: tag blocks, checksums, 6-bit armouring,
 * multi-sentence reassembly with a timeout, type 24 pairing, drop counters. */
#include <string.h>

#include "../core/core.h"
#include "ais_int.h"

#define SLOTS      16  /* multi-sentence messages in flight */
#define SLOT_CHARS 512 /* armoured characters of one message */
#define T24_QUEUE  8   /* part A names remembered for pairing (gpsd keeps 8 too) */

struct slot {
	int used;
	char channel;
	int seqid;
	int total, next; /* fragment count, next fragment number expected */
	int64_t started_ms;
	uint64_t age; /* feed counter when started: the oldest is evicted first */
	char source[AIS_SOURCE_LEN];
	int nchars;
	char chars[SLOT_CHARS];
};

struct t24a {
	int32_t mmsi;
	char shipname[21];
};

struct ais_decoder {
	struct ais_decoder_opts opts;
	struct ais_stats stats;
	uint64_t counter;
	struct slot slots[SLOTS];
	struct t24a queue[T24_QUEUE];
	int queue_next;
	uint8_t bits[AIS_MAX_BITS / 8 + 32];
};

/* 6-bit de-armouring: character -> value, or 255 if not in the armouring. */
static const uint8_t unarmour[256] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0,   1,   2,   3,   4,   5,   6,   7,   8,
    9,   10,  11,  12,  13,  14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,
    28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  255, 255, 255, 255, 255, 255, 255,
    255, 40,  41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,  56,  57,
    58,  59,  60,  61,  62,  63,  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255,
};

struct ais_decoder *ais_decoder_new(const struct ais_decoder_opts *opts)
{
	struct ais_decoder *d = pg_calloc(1, sizeof(*d));
	if (opts)
		d->opts = *opts;
	if (d->opts.fragment_timeout_ms <= 0)
		d->opts.fragment_timeout_ms = 10000;
	return d;
}

void ais_decoder_free(struct ais_decoder *d)
{
	pg_free(d);
}

const struct ais_stats *ais_decoder_stats(const struct ais_decoder *d)
{
	return &d->stats;
}

static int drop(struct ais_decoder *d, int reason)
{
	d->stats.dropped[reason]++;
	return -1 - reason;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* *hh at p (p[0] == '*') against the XOR of [from, p). */
static int checksum_ok(const char *from, const char *p, const char *end)
{
	if (end - p < 3)
		return 0;
	int hi = hexval(p[1]), lo = hexval(p[2]);
	if (hi < 0 || lo < 0)
		return 0;
	/* eight bytes at a time, folded */
	uint64_t x = 0, w;
	const char *q = from;
	for (; p - q >= 8; q += 8) {
		memcpy(&w, q, 8);
		x ^= w;
	}
	x ^= x >> 32;
	x ^= x >> 16;
	x ^= x >> 8;
	unsigned cs = (unsigned)(x & 0xff);
	for (; q < p; q++)
		cs ^= (unsigned char)*q;
	return cs == (unsigned)(hi * 16 + lo);
}

struct tag {
	char source[AIS_SOURCE_LEN];
	int64_t time; /* seconds, or -1 */
};

/* Parses "\key:value,...*hh\" at line (line[0] == '\\'); returns the length taken or -1 -
 * reason. */
static int parse_tag_block(const char *line, const char *end, struct tag *tag)
{
	const char *close = memchr(line + 1, '\\', (size_t)(end - line - 1));
	if (!close)
		return -1 - AIS_R_BAD_FORMAT;
	const char *star = NULL;
	for (const char *q = close - 1; q > line; q--)
		if (*q == '*') {
			star = q;
			break;
		}
	if (!star || close - star != 3)
		return -1 - AIS_R_BAD_FORMAT;
	if (!checksum_ok(line + 1, star, close))
		return -1 - AIS_R_BAD_CHECKSUM;
	const char *p = line + 1;
	while (p < star) {
		const char *comma = memchr(p, ',', (size_t)(star - p));
		const char *e = comma ? comma : star;
		if (e - p < 2 || p[1] != ':')
			return -1 - AIS_R_BAD_FORMAT;
		if (p[0] == 's') {
			size_t n = (size_t)(e - p - 2);
			if (n >= AIS_SOURCE_LEN)
				n = AIS_SOURCE_LEN - 1;
			memcpy(tag->source, p + 2, n);
			tag->source[n] = '\0';
		} else if (p[0] == 'c') {
			int64_t v = 0;
			const char *q = p + 2;
			if (q == e || e - q > 15)
				return -1 - AIS_R_BAD_FORMAT;
			for (; q < e; q++) {
				if (*q < '0' || *q > '9')
					return -1 - AIS_R_BAD_FORMAT;
				v = v * 10 + (*q - '0');
			}
			if (v > 100000000000LL) /* milliseconds, as some receivers send */
				v /= 1000;
			tag->time = v;
		}
		p = e + 1;
	}
	return (int)(close - line + 1);
}

/* Drops the nfrag sentences of one message. */
static int drop_n(struct ais_decoder *d, int reason, int nfrag)
{
	d->stats.dropped[reason] += (uint64_t)nfrag;
	return -1 - reason;
}

static int decode_message(struct ais_decoder *d, const char *chars, int nchars, int fill, int nfrag,
                          struct ais_msg *out, char channel, int own, const struct tag *tag)
{
	int nbits = nchars * 6 - fill;
	if (nbits > AIS_MAX_BITS)
		return drop_n(d, AIS_R_TOO_LONG, nfrag);
	uint8_t *b = d->bits;
	unsigned any = 0; /* an illegal character makes this 0xff */
	/* four characters make three bytes */
	int i = 0, o = 0;
	for (; i + 4 <= nchars; i += 4, o += 3) {
		unsigned c0 = unarmour[(unsigned char)chars[i]];
		unsigned c1 = unarmour[(unsigned char)chars[i + 1]];
		unsigned c2 = unarmour[(unsigned char)chars[i + 2]];
		unsigned c3 = unarmour[(unsigned char)chars[i + 3]];
		any |= c0 | c1 | c2 | c3;
		uint32_t v = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
		b[o] = (uint8_t)(v >> 16);
		b[o + 1] = (uint8_t)(v >> 8);
		b[o + 2] = (uint8_t)v;
	}
	uint32_t v = 0;
	int k = 0;
	for (; i < nchars; i++, k++) {
		unsigned c = unarmour[(unsigned char)chars[i]];
		any |= c;
		v = (v << 6) | (c & 63);
	}
	if (any & 0xc0)
		return drop_n(d, AIS_R_ILLEGAL_CHARACTER, nfrag);
	if (k) {
		v <<= 6 * (4 - k);
		b[o++] = (uint8_t)(v >> 16);
		b[o++] = (uint8_t)(v >> 8);
		b[o++] = (uint8_t)v;
	}
	memset(b + o, 0, 16);
	int rc = ais_decode_bits(b, nbits, out);
	if (rc < 0)
		return drop_n(d, -1 - rc, nfrag);
	out->channel = channel;
	out->own = own;
	memcpy(out->source, tag->source, sizeof(out->source));
	out->tag_time = tag->time;
	if (out->type == 24) {
		if (out->part == AIS_PART_A) {
			struct t24a *q = &d->queue[d->queue_next];
			q->mmsi = out->mmsi;
			memcpy(q->shipname, out->shipname, sizeof(q->shipname));
			d->queue_next = (d->queue_next + 1) % T24_QUEUE;
		} else {
			for (int j = 0; j < T24_QUEUE; j++)
				if (d->queue[j].mmsi == out->mmsi) {
					memcpy(out->shipname, d->queue[j].shipname,
					       sizeof(out->shipname));
					d->queue[j].mmsi = 0;
					out->part = AIS_PART_AB;
					break;
				}
		}
	}
	d->stats.messages++;
	return 1;
}

/* A message that will not complete: its sentences are counted as lost. */
static void lose(struct ais_decoder *d, struct slot *s)
{
	s->used = 0;
	d->stats.dropped[AIS_R_LOST_FRAGMENT] += (uint64_t)(s->next - 1);
}

static void expire(struct ais_decoder *d, int64_t now_ms)
{
	for (int i = 0; i < SLOTS; i++)
		if (d->slots[i].used &&
		    now_ms - d->slots[i].started_ms > d->opts.fragment_timeout_ms)
			lose(d, &d->slots[i]);
}

static struct slot *find_slot(struct ais_decoder *d, const char *source, char channel, int seqid)
{
	for (int i = 0; i < SLOTS; i++) {
		struct slot *s = &d->slots[i];
		if (s->used && s->channel == channel && s->seqid == seqid &&
		    strcmp(s->source, source) == 0)
			return s;
	}
	return NULL;
}

int ais_decoder_feed(struct ais_decoder *d, const char *line, size_t len, int64_t now_ms,
                     struct ais_msg *out)
{
	const char *p = line, *end = line + len;
	d->stats.sentences++;
	d->counter++;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end) {
		d->stats.sentences--; /* a blank line is no sentence */
		return 0;
	}
	struct tag tag = {"", -1};
	if (*p == '\\') {
		int n = parse_tag_block(p, end, &tag);
		if (n < 0)
			return drop(d, -1 - n);
		p += n;
	}
	/* !ttVDM,count,num,seqid,channel,payload,fill*hh */
	if (end - p < 18 || p[0] != '!' || p[3] != 'V' || p[4] != 'D' ||
	    (p[5] != 'M' && p[5] != 'O') || p[6] != ',' || p[1] < 'A' || p[1] > 'Z' || p[2] < 'A' ||
	    p[2] > 'Z')
		return drop(d, AIS_R_BAD_FORMAT);
	const char *star = end - 3;
	if (*star != '*')
		return drop(d, AIS_R_BAD_FORMAT);
	if (!checksum_ok(p + 1, star, end))
		return drop(d, AIS_R_BAD_CHECKSUM);
	int own = p[5] == 'O';
	const char *q = p + 7;
	/* count, num: one digit each */
	if (q + 4 > star || q[0] < '1' || q[0] > '9' || q[1] != ',' || q[2] < '1' || q[2] > '9' ||
	    q[3] != ',')
		return drop(d, AIS_R_BAD_FORMAT);
	int total = q[0] - '0', num = q[2] - '0';
	if (num > total)
		return drop(d, AIS_R_BAD_FORMAT);
	q += 4;
	int seqid = -1;
	if (q < star && *q >= '0' && *q <= '9')
		seqid = *q++ - '0';
	if (q >= star || *q++ != ',')
		return drop(d, AIS_R_BAD_FORMAT);
	char channel = 0;
	if (q < star && *q != ',')
		channel = *q++;
	if (q >= star || *q++ != ',')
		return drop(d, AIS_R_BAD_FORMAT);
	/* the payload ends at the comma before the fill digit: ",F*hh" */
	if (star - q < 2 || star[-2] != ',' || star[-1] < '0' || star[-1] > '9')
		return drop(d, AIS_R_BAD_FORMAT);
	const char *payload = q;
	int nchars = (int)(star - 2 - payload);
	int fill = star[-1] - '0';
	if (fill > 5 || fill > nchars * 6 || (num < total && fill != 0))
		return drop(d, AIS_R_BAD_FILL_BITS);
	int64_t now = tag.time >= 0 ? tag.time * 1000 : now_ms;
	if (total == 1) {                     /* checks the characters as it de-armours them */
		if ((d->counter & 1023) == 0) /* parts waiting too long are counted lost */
			expire(d, now);
		return decode_message(d, payload, nchars, fill, 1, out, channel, own, &tag);
	}
	unsigned any = 0;
	for (int i = 0; i < nchars; i++)
		any |= unarmour[(unsigned char)payload[i]];
	if (any & 0xc0)
		return drop(d, AIS_R_ILLEGAL_CHARACTER);

	expire(d, now);
	struct slot *s = find_slot(d, tag.source, channel, seqid);
	if (num == 1) {
		if (s) /* a new message under a key still waiting: the old one lost a part */
			lose(d, s);
		s = NULL;
		for (int i = 0; i < SLOTS && !s; i++)
			if (!d->slots[i].used)
				s = &d->slots[i];
		if (!s) { /* full: the oldest is lost */
			s = &d->slots[0];
			for (int i = 1; i < SLOTS; i++)
				if (d->slots[i].age < s->age)
					s = &d->slots[i];
			lose(d, s);
		}
		s->used = 1;
		s->channel = channel;
		s->seqid = seqid;
		s->total = total;
		s->next = 2;
		s->started_ms = now;
		s->age = d->counter;
		memcpy(s->source, tag.source, sizeof(s->source));
		s->nchars = 0;
	} else if (!s || s->next != num || s->total != total) {
		if (s) /* the message this belongs to lost a part */
			lose(d, s);
		return drop(d, AIS_R_LOST_FRAGMENT);
	}
	if (s->nchars + nchars > SLOT_CHARS) {
		s->used = 0;
		return drop_n(d, AIS_R_TOO_LONG, num);
	}
	memcpy(s->chars + s->nchars, payload, (size_t)nchars);
	s->nchars += nchars;
	if (num < total) {
		s->next = num + 1;
		return 0;
	}
	s->used = 0;
	return decode_message(d, s->chars, s->nchars, fill, total, out, channel, own, &tag);
}

void ais_decoder_flush(struct ais_decoder *d)
{
	for (int i = 0; i < SLOTS; i++)
		if (d->slots[i].used)
			lose(d, &d->slots[i]);
}
