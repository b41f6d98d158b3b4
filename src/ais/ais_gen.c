/* ais_gen.c - random messages of every type, field by field from the layout tables. */
#include <string.h>

#include "ais_int.h"

uint64_t ais_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint32_t rbits(uint64_t *rng, unsigned width)
{
	return width ? (uint32_t)(ais_rand(rng) >> (64 - width)) : 0;
}

static int rrange(uint64_t *rng, int lo, int hi) /* lo..hi inclusive */
{
	return lo + (int)(ais_rand(rng) % (uint64_t)(hi - lo + 1));
}

static void rtext(char *to, int maxn, uint64_t *rng, int messy)
{
	int n = rrange(rng, 0, 3) == 0 ? maxn : rrange(rng, 0, maxn);
	for (int i = 0; i < n; i++)
		to[i] = ais_sixbit_chars[messy ? rbits(rng, 6) : (uint32_t)rrange(rng, 1, 63)];
	to[n] = '\0';
	if (!messy) /* canonical: no trailing spaces */
		while (n > 0 && to[n - 1] == ' ')
			to[--n] = '\0';
}

/* Lengths with optional trailing fields, as transmitters send them. */
static int random_bitlen(int type, uint64_t *rng)
{
	static const int t7[] = {72, 104, 136, 168}, t15[] = {88, 110, 160}, t16[] = {96, 144},
	                 t20[] = {72, 104, 136, 160}, t5[] = {420, 422, 424, 424},
	                 t27[] = {96, 168};
#define PICK(a) a[rrange(rng, 0, (int)(sizeof(a) / sizeof(a[0])) - 1)]
	int odd = rrange(rng, 0, 7) == 0; /* now and then a length transmitters get wrong */
	switch (type) {
	case 1:
	case 2:
	case 3: /* gpsd takes 163 bits and more: a short radio field, or extra bits */
		return odd ? rrange(rng, 163, 204) : 0;
	case 4:
	case 9:
	case 11:
	case 18:
	case 22:
		return odd ? rrange(rng, 168, 200) : 0;
	case 10:
		return odd ? rrange(rng, 72, 96) : 0;
	case 19:
		return odd ? rrange(rng, 312, 330) : 0;
	case 23:
		return odd ? rrange(rng, 160, 176) : 0;
	case 5:
		return PICK(t5);
	case 7:
	case 13:
		return PICK(t7);
	case 15:
		return PICK(t15);
	case 16:
		return PICK(t16);
	case 20:
		return PICK(t20);
	case 27:
		return PICK(t27);
	default:
		return 0;
	}
#undef PICK
}

void ais_random_msg(struct ais_msg *m, int type, uint64_t *rng, int flags)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->repeat = (int32_t)rbits(rng, 2);
	m->mmsi = (int32_t)rbits(rng, 30);
	m->tag_time = -1;
	if (type == 24) {
		m->partno = (int32_t)rbits(rng, 1);
		if (rrange(rng, 0, 3) == 0)
			m->mmsi = 980000000 + rrange(rng, 0, 9999999);
	}
	if (type == 22 || type == 25 || type == 26)
		m->addressed = (int32_t)rbits(rng, 1);
	if (type == 25 || type == 26)
		m->structured = (int32_t)rbits(rng, 1);
	const struct ais_layout *lay = ais_layout_for_msg(m);
	if (!lay)
		return;
	m->bitlen = random_bitlen(type, rng);
	int maxlen = lay->max_bits ? lay->max_bits : AIS_MAX_BITS;
	for (int i = 0; i < lay->n; i++) {
		const struct ais_field *f = &lay->rows[i];
		char *s = (char *)m + f->off; /* an int32_t member for AK_U and AK_S */
		int32_t *v = (int32_t *)(void *)s;
		if (f->off == offsetof(struct ais_msg, partno) ||
		    f->off == offsetof(struct ais_msg, addressed) ||
		    f->off == offsetof(struct ais_msg, structured))
			continue;
		switch (f->kind) {
		case AK_U:
			*v = (int32_t)rbits(rng, f->width);
			break;
		case AK_S: {
			uint32_t u = rbits(rng, f->width), sign = 1u << (f->width - 1);
			*v = (int32_t)(u ^ sign) - (int32_t)sign;
			break;
		}
		case AK_TEXT:
			rtext(s, (f->flags & AF_NAMEEXT) ? (int)f->size - 1 : f->width / 6, rng,
			      flags & AIS_GEN_MESSY);
			if ((f->flags & AF_NAMEEXT) && strlen(s) > 20 && strchr(s, '@') &&
			    strchr(s, '@') - s < 20)
				s[20] = '\0';
			break;
		case AK_TEXT_END: {
			int room = (maxlen - f->start) / 6;
			if (room > (int)f->size - 1)
				room = (int)f->size - 1;
			rtext(s, room, rng, flags & AIS_GEN_MESSY);
			break;
		}
		case AK_DATA: {
			int room = maxlen - f->start - lay->trailer;
			if (room > (int)sizeof(m->data) * 8)
				room = (int)sizeof(m->data) * 8;
			m->data_bits = rrange(rng, 0, room);
			for (int k = 0; k < (m->data_bits + 7) / 8; k++)
				m->data[k] = (uint8_t)rbits(rng, 8);
			if (m->data_bits & 7)
				m->data[(m->data_bits - 1) / 8] &=
				    (uint8_t)(0xff << (8 - (m->data_bits & 7)));
			break;
		}
		default:
			break;
		}
	}
	if (type == 5 && m->bitlen && m->bitlen < 422) { /* the last character is cut */
		m->destination[19] = '\0';
		for (int n = 18; n >= 0 && m->destination[n] == ' ' && !(flags & AIS_GEN_MESSY);
		     n--)
			m->destination[n] = '\0';
	}
	/* fields the chosen length leaves out are not on the air */
	if (m->bitlen)
		for (int i = 0; i < lay->n; i++) {
			const struct ais_field *f = &lay->rows[i];
			int32_t *v = (int32_t *)(void *)((char *)m + f->off);
			if (f->kind != AK_U && f->kind != AK_S)
				continue;
			if ((f->flags & AF_TRUNC) && f->start < m->bitlen &&
			    f->start + f->width > m->bitlen) /* only the bits there are */
				*v = (int32_t)((uint32_t)*v >> (f->start + f->width - m->bitlen));
			else if (!(f->flags & AF_FROM_END) && (f->start + f->width > m->bitlen ||
			                                       (f->need && m->bitlen < f->need)))
				*v = 0;
		}
	if (type == 24 && m->partno == 1) {
		/* vendorid is read as 7 characters over model and serial (as gpsd does): keep
		 * the view the decoder will give */
		uint8_t bits[AIS_MAX_BITS / 8 + 8];
		struct ais_msg view;
		int n = ais_encode_bits(m, bits);
		if (n > 0 && ais_decode_bits(bits, n, &view) == 0)
			memcpy(m->vendorid, view.vendorid, sizeof(m->vendorid));
	}
	if (flags & AIS_GEN_GPSD) {
		if ((type == 6 || type == 8) &&
		    (m->dac == 1 || m->dac == 200 || m->dac == 235 || m->dac == 250))
			m->dac = 2;
		if (type == 26)
			m->radio = 0;
	}
}
