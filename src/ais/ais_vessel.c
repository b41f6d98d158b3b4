/* ais_vessel.c - the vessel table (open addressing by MMSI), applying messages, the
 * downsampling rule, reporting intervals and the MID table. */
#include <math.h>
#include <string.h>

#include "../core/core.h"
#include "ais_vessel.h"

/* ---- the table ------------------------------------------------------------------------- */

struct ais_fleet {
	struct ais_vessel *slots; /* mmsi 0 = empty */
	size_t cap, n;
};

struct ais_fleet *ais_fleet_new(void)
{
	struct ais_fleet *f = pg_calloc(1, sizeof(*f));
	f->cap = 1024;
	f->slots = pg_calloc(f->cap, sizeof(*f->slots));
	return f;
}

void ais_fleet_free(struct ais_fleet *f)
{
	if (!f)
		return;
	pg_free(f->slots);
	pg_free(f);
}

static size_t slot_of(int32_t mmsi, size_t cap)
{
	uint64_t h = (uint64_t)(uint32_t)mmsi * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 32) & (cap - 1);
}

static void grow(struct ais_fleet *f)
{
	struct ais_vessel *old = f->slots;
	size_t oldcap = f->cap;
	f->cap *= 2;
	f->slots = pg_calloc(f->cap, sizeof(*f->slots));
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].mmsi)
			continue;
		size_t k = slot_of(old[i].mmsi, f->cap);
		while (f->slots[k].mmsi)
			k = (k + 1) & (f->cap - 1);
		f->slots[k] = old[i];
	}
	pg_free(old);
}

struct ais_vessel *ais_fleet_get(struct ais_fleet *f, int32_t mmsi, int create, int *created)
{
	if (created)
		*created = 0;
	if (mmsi <= 0)
		return NULL;
	size_t k = slot_of(mmsi, f->cap);
	while (f->slots[k].mmsi) {
		if (f->slots[k].mmsi == mmsi)
			return &f->slots[k];
		k = (k + 1) & (f->cap - 1);
	}
	if (!create)
		return NULL;
	if ((f->n + 1) * 4 > f->cap * 3) { /* load under 3/4 */
		grow(f);
		return ais_fleet_get(f, mmsi, create, created);
	}
	struct ais_vessel *v = &f->slots[k];
	memset(v, 0, sizeof(*v));
	v->mmsi = mmsi;
	v->sog = -1;
	v->cog = -1;
	v->heading = -1;
	v->status = 15;
	f->n++;
	if (created)
		*created = 1;
	return v;
}

size_t ais_fleet_count(const struct ais_fleet *f)
{
	return f->n;
}
size_t ais_fleet_slots(const struct ais_fleet *f)
{
	return f->cap;
}

struct ais_vessel *ais_fleet_slot(struct ais_fleet *f, size_t i)
{
	return i < f->cap && f->slots[i].mmsi ? &f->slots[i] : NULL;
}

/* ---- applying messages ----------------------------------------------------------------- */

int ais_vessel_type(int type)
{
	return (type >= 1 && type <= 3) || type == 5 || type == 18 || type == 19 || type == 24;
}

static int set_text(char *dst, size_t n, const char *src)
{
	if (!src[0] || strcmp(dst, src) == 0)
		return 0;
	pg_strlcpy(dst, src, n);
	pg_utf8_sanitize(dst);
	return AIS_APPLY_STATIC;
}

static int set_int(int32_t *dst, int32_t v)
{
	if (*dst == v)
		return 0;
	*dst = v;
	return AIS_APPLY_STATIC;
}

static int apply_dims(struct ais_vessel *v, const struct ais_msg *m)
{
	int r = 0;
	if (m->shiptype)
		r |= set_int(&v->shiptype, m->shiptype);
	if (m->to_bow || m->to_stern || m->to_port || m->to_starboard) {
		r |= set_int(&v->to_bow, m->to_bow);
		r |= set_int(&v->to_stern, m->to_stern);
		r |= set_int(&v->to_port, m->to_port);
		r |= set_int(&v->to_starboard, m->to_starboard);
	}
	return r;
}

/* the decoder's units (ais_motion): degrees and knots, NAN for "not available" */
static int apply_position(struct ais_vessel *v, const struct ais_msg *m, int64_t now_ms)
{
	struct ais_motion mo;
	if (ais_motion(m, &mo) < 0)
		return 0;
	v->has_pos = 1;
	v->lat = mo.lat;
	v->lon = mo.lon;
	v->sog = isnan(mo.sog) ? -1 : mo.sog;
	v->cog = isnan(mo.cog) || mo.cog >= 360 ? -1 : mo.cog;
	v->heading = isnan(mo.heading) || mo.heading >= 360 ? -1 : (int)mo.heading;
	v->status = m->type <= 3 ? m->status : 15;
	v->pos_ms = now_ms;
	return AIS_APPLY_POSITION;
}

int ais_vessel_apply(struct ais_vessel *v, const struct ais_msg *m, int64_t now_ms)
{
	int r = 0;
	if (!ais_vessel_type(m->type) || m->mmsi != v->mmsi)
		return 0;
	if (m->type == 18 || m->type == 19 || m->type == 24)
		v->class_b = 1;
	switch (m->type) {
	case 1:
	case 2:
	case 3:
	case 18:
		r = apply_position(v, m, now_ms);
		break;
	case 19:
		r = apply_position(v, m, now_ms);
		r |= set_text(v->name, sizeof(v->name), m->shipname);
		r |= apply_dims(v, m);
		break;
	case 5:
		if (m->imo)
			r |= set_int(&v->imo, m->imo);
		r |= set_text(v->name, sizeof(v->name), m->shipname);
		r |= set_text(v->callsign, sizeof(v->callsign), m->callsign);
		r |= set_text(v->destination, sizeof(v->destination), m->destination);
		r |= apply_dims(v, m);
		if (m->draught)
			r |= set_int(&v->draught, m->draught);
		if (m->month >= 1 && m->month <= 12 && m->day >= 1 && m->day <= 31 &&
		    m->hour < 24 && m->minute < 60) {
			char eta[sizeof(v->eta)];
			pg_snprintf(eta, sizeof(eta), "%02d-%02dT%02d:%02d", m->month, m->day,
			            m->hour, m->minute);
			r |= set_text(v->eta, sizeof(v->eta), eta);
		}
		break;
	case 24:
		if (m->partno == 0 || m->part == AIS_PART_AB)
			r |= set_text(v->name, sizeof(v->name), m->shipname);
		if (m->partno == 1) {
			r |= set_text(v->callsign, sizeof(v->callsign), m->callsign);
			r |= apply_dims(v, m);
		}
		break;
	default:
		break;
	}
	v->msgs++;
	if (!v->first_ms)
		v->first_ms = now_ms;
	v->seen_ms = now_ms;
	return r;
}

int ais_track_keep(const struct ais_vessel *v, int64_t t_ms, double x, double y, double cog)
{
	if (!v->has_track)
		return 1;
	if (t_ms - v->t_ms >= AIS_TRACK_S * 1000)
		return 1;
	if (hypot(x - v->tx, y - v->ty) >= AIS_TRACK_M)
		return 1;
	if (cog >= 0 && v->tcog >= 0) {
		double d = fabs(cog - v->tcog);
		if (d > 180)
			d = 360 - d;
		if (d >= AIS_TRACK_DEG)
			return 1;
	}
	return 0;
}

double ais_report_interval_s(int class_b, double sog, int status)
{
	double s = sog < 0 ? 0 : sog;
	if (class_b) {
		if (s < 2)
			return 180;
		return s <= 14 ? 30 : s <= 23 ? 15 : 5;
	}
	if ((status == 1 || status == 5) && s < 3)
		return 180;
	return s <= 14 ? 10 : s <= 23 ? 6 : 2;
}

/* ---- MID table (ITU Maritime Identification Digits, as allocated) ------------------------- */

/* clang-format off */
static const struct {
	short mid;
	const char *country;
} mids[] = {
	{201, "Albania"}, {202, "Andorra"}, {203, "Austria"}, {204, "Azores"}, {205, "Belgium"},
	{206, "Belarus"}, {207, "Bulgaria"}, {208, "Vatican City"}, {209, "Cyprus"}, {210, "Cyprus"},
	{211, "Germany"}, {212, "Cyprus"}, {213, "Georgia"}, {214, "Moldova"}, {215, "Malta"},
	{216, "Armenia"}, {218, "Germany"}, {219, "Denmark"}, {220, "Denmark"}, {224, "Spain"},
	{225, "Spain"}, {226, "France"}, {227, "France"}, {228, "France"}, {229, "Malta"},
	{230, "Finland"}, {231, "Faroe Islands"}, {232, "United Kingdom"}, {233, "United Kingdom"},
	{234, "United Kingdom"}, {235, "United Kingdom"}, {236, "Gibraltar"}, {237, "Greece"},
	{238, "Croatia"}, {239, "Greece"}, {240, "Greece"}, {241, "Greece"}, {242, "Morocco"},
	{243, "Hungary"}, {244, "Netherlands"}, {245, "Netherlands"}, {246, "Netherlands"},
	{247, "Italy"}, {248, "Malta"}, {249, "Malta"}, {250, "Ireland"}, {251, "Iceland"},
	{252, "Liechtenstein"}, {253, "Luxembourg"}, {254, "Monaco"}, {255, "Madeira"},
	{256, "Malta"}, {257, "Norway"}, {258, "Norway"}, {259, "Norway"}, {261, "Poland"},
	{262, "Montenegro"}, {263, "Portugal"}, {264, "Romania"}, {265, "Sweden"}, {266, "Sweden"},
	{267, "Slovakia"}, {268, "San Marino"}, {269, "Switzerland"}, {270, "Czech Republic"},
	{271, "Turkey"}, {272, "Ukraine"}, {273, "Russian Federation"}, {274, "North Macedonia"},
	{275, "Latvia"}, {276, "Estonia"}, {277, "Lithuania"}, {278, "Slovenia"}, {279, "Serbia"},
	{301, "Anguilla"}, {303, "Alaska (USA)"}, {304, "Antigua and Barbuda"},
	{305, "Antigua and Barbuda"}, {306, "Netherlands Caribbean"}, {307, "Aruba"},
	{308, "Bahamas"}, {309, "Bahamas"}, {310, "Bermuda"}, {311, "Bahamas"}, {312, "Belize"},
	{314, "Barbados"}, {316, "Canada"}, {319, "Cayman Islands"}, {321, "Costa Rica"},
	{323, "Cuba"}, {325, "Dominica"}, {327, "Dominican Republic"}, {329, "Guadeloupe"},
	{330, "Grenada"}, {331, "Greenland"}, {332, "Guatemala"}, {334, "Honduras"}, {336, "Haiti"},
	{338, "United States"}, {339, "Jamaica"}, {341, "Saint Kitts and Nevis"},
	{343, "Saint Lucia"}, {345, "Mexico"}, {347, "Martinique"}, {348, "Montserrat"},
	{350, "Nicaragua"}, {351, "Panama"}, {352, "Panama"}, {353, "Panama"}, {354, "Panama"},
	{355, "Panama"}, {356, "Panama"}, {357, "Panama"}, {358, "Puerto Rico"},
	{359, "El Salvador"}, {361, "Saint Pierre and Miquelon"}, {362, "Trinidad and Tobago"},
	{364, "Turks and Caicos Islands"}, {366, "United States"}, {367, "United States"},
	{368, "United States"}, {369, "United States"}, {370, "Panama"}, {371, "Panama"},
	{372, "Panama"}, {373, "Panama"}, {374, "Panama"}, {375, "Saint Vincent and the Grenadines"},
	{376, "Saint Vincent and the Grenadines"}, {377, "Saint Vincent and the Grenadines"},
	{378, "British Virgin Islands"}, {379, "United States Virgin Islands"},
	{401, "Afghanistan"}, {403, "Saudi Arabia"}, {405, "Bangladesh"}, {408, "Bahrain"},
	{410, "Bhutan"}, {412, "China"}, {413, "China"}, {414, "China"}, {416, "Taiwan"},
	{417, "Sri Lanka"}, {419, "India"}, {422, "Iran"}, {423, "Azerbaijan"}, {425, "Iraq"},
	{428, "Israel"}, {431, "Japan"}, {432, "Japan"}, {434, "Turkmenistan"}, {436, "Kazakhstan"},
	{437, "Uzbekistan"}, {438, "Jordan"}, {440, "Korea (Republic of)"},
	{441, "Korea (Republic of)"}, {443, "Palestine"}, {445, "Korea (DPR)"}, {447, "Kuwait"},
	{450, "Lebanon"}, {451, "Kyrgyzstan"}, {453, "Macao"}, {455, "Maldives"}, {457, "Mongolia"},
	{459, "Nepal"}, {461, "Oman"}, {463, "Pakistan"}, {466, "Qatar"}, {468, "Syria"},
	{470, "United Arab Emirates"}, {471, "United Arab Emirates"}, {472, "Tajikistan"},
	{473, "Yemen"}, {475, "Yemen"}, {477, "Hong Kong"}, {478, "Bosnia and Herzegovina"},
	{501, "Adelie Land"}, {503, "Australia"}, {506, "Myanmar"}, {508, "Brunei Darussalam"},
	{510, "Micronesia"}, {511, "Palau"}, {512, "New Zealand"}, {514, "Cambodia"},
	{515, "Cambodia"}, {516, "Christmas Island"}, {518, "Cook Islands"}, {520, "Fiji"},
	{523, "Cocos (Keeling) Islands"}, {525, "Indonesia"}, {529, "Kiribati"}, {531, "Laos"},
	{533, "Malaysia"}, {536, "Northern Mariana Islands"}, {538, "Marshall Islands"},
	{540, "New Caledonia"}, {542, "Niue"}, {544, "Nauru"}, {546, "French Polynesia"},
	{548, "Philippines"}, {550, "Timor-Leste"}, {553, "Papua New Guinea"},
	{555, "Pitcairn Island"}, {557, "Solomon Islands"}, {559, "American Samoa"}, {561, "Samoa"},
	{563, "Singapore"}, {564, "Singapore"}, {565, "Singapore"}, {566, "Singapore"},
	{567, "Thailand"}, {570, "Tonga"}, {572, "Tuvalu"}, {574, "Viet Nam"}, {576, "Vanuatu"},
	{577, "Vanuatu"}, {578, "Wallis and Futuna"},
	{601, "South Africa"}, {603, "Angola"}, {605, "Algeria"},
	{607, "Saint Paul and Amsterdam Islands"}, {608, "Ascension Island"}, {609, "Burundi"},
	{610, "Benin"}, {611, "Botswana"}, {612, "Central African Republic"}, {613, "Cameroon"},
	{615, "Congo"}, {616, "Comoros"}, {617, "Cabo Verde"}, {618, "Crozet Archipelago"},
	{619, "Cote d'Ivoire"}, {620, "Comoros"}, {621, "Djibouti"}, {622, "Egypt"},
	{624, "Ethiopia"}, {625, "Eritrea"}, {626, "Gabon"}, {627, "Ghana"}, {629, "Gambia"},
	{630, "Guinea-Bissau"}, {631, "Equatorial Guinea"}, {632, "Guinea"}, {633, "Burkina Faso"},
	{634, "Kenya"}, {635, "Kerguelen Islands"}, {636, "Liberia"}, {637, "Liberia"},
	{638, "South Sudan"}, {642, "Libya"}, {644, "Lesotho"}, {645, "Mauritius"},
	{647, "Madagascar"}, {649, "Mali"}, {650, "Mozambique"}, {654, "Mauritania"},
	{655, "Malawi"}, {656, "Niger"}, {657, "Nigeria"}, {659, "Namibia"}, {660, "Reunion"},
	{661, "Rwanda"}, {662, "Sudan"}, {663, "Senegal"}, {664, "Seychelles"}, {665, "Saint Helena"},
	{666, "Somalia"}, {667, "Sierra Leone"}, {668, "Sao Tome and Principe"}, {669, "Eswatini"},
	{670, "Chad"}, {671, "Togo"}, {672, "Tunisia"}, {674, "Tanzania"}, {675, "Uganda"},
	{676, "Congo (Democratic Republic)"}, {677, "Tanzania"}, {678, "Zambia"}, {679, "Zimbabwe"},
	{701, "Argentina"}, {710, "Brazil"}, {720, "Bolivia"}, {725, "Chile"}, {730, "Colombia"},
	{735, "Ecuador"}, {740, "Falkland Islands"}, {745, "Guiana (French)"}, {750, "Guyana"},
	{755, "Paraguay"}, {760, "Peru"}, {765, "Suriname"}, {770, "Uruguay"}, {775, "Venezuela"},
};
/* clang-format on */

const char *ais_mid_country(int mid)
{
	size_t lo = 0, hi = sizeof(mids) / sizeof(mids[0]);
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		if (mids[m].mid == mid)
			return mids[m].country;
		if (mids[m].mid < mid)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

static int mid_check(int mid, const char *form, int32_t mmsi, char *why, size_t n)
{
	if (ais_mid_country(mid))
		return 0;
	pg_snprintf(why, n, "MMSI %09d (%s) has MID %03d, which is not allocated to any country",
	            (int)mmsi, form, mid);
	return PG_EINVAL;
}

int ais_mmsi_check(int32_t mmsi, char *why, size_t n)
{
	if (mmsi < 1000000 || mmsi > 999999999) {
		pg_snprintf(why, n, "MMSI %d is not 9 digits", (int)mmsi);
		return PG_EINVAL;
	}
	int d1 = mmsi / 100000000, d3 = mmsi / 1000000;
	if (d1 >= 2 && d1 <= 7)
		return mid_check(d3, "a ship", mmsi, why, n);
	if (mmsi < 10000000) /* 00MIDxxxx: coast station */
		return mid_check(mmsi / 10000, "a coast station", mmsi, why, n);
	if (d1 == 0)
		return mid_check(mmsi / 100000, "a group of ships", mmsi, why, n);
	if (d3 == 111)
		return mid_check(mmsi / 1000 % 1000, "an SAR aircraft", mmsi, why, n);
	if (d1 == 8)
		return mid_check(mmsi / 100000 % 1000, "a handheld VHF", mmsi, why, n);
	if (d3 == 970 || d3 == 972 || d3 == 974)
		return 0;
	if (mmsi / 10000000 == 98)
		return mid_check(mmsi / 10000 % 1000, "a craft of a parent ship", mmsi, why, n);
	if (mmsi / 10000000 == 99)
		return mid_check(mmsi / 10000 % 1000, "an aid to navigation", mmsi, why, n);
	pg_snprintf(why, n,
	            "MMSI %09d has no valid form (ships begin with 2-7, SAR aircraft 111, "
	            "AIS-SART 970, MOB 972, EPIRB 974, craft 98, aids to navigation 99)",
	            (int)mmsi);
	return PG_EINVAL;
}
