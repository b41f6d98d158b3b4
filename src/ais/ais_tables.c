/* ais_tables.c - the AIS message layouts (ITU-R M.1371-5) as tables of fields, in the
 * order gpsd prints them, and the legends gpsd prints next to coded values. A new message
 * type (or variant) is rows here, nothing else. */
#include <stddef.h>

#include "ais_int.h"

const char ais_sixbit_chars[65] =
    "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

/* clang-format off */
#define OFF(m) offsetof(struct ais_msg, m)
#define SZ(m) sizeof(((struct ais_msg *)0)->m)
#define ROW(key, m, s, w, kind, fmt, leg, flags, need) \
	{key, sizeof(key) - 1, s, w, kind, fmt, leg, flags, need, OFF(m), 0}
#define UI(m, s, w) ROW(#m, m, s, w, AK_U, AJ_INT, AL_NONE, 0, 0)
#define SI(m, s, w) ROW(#m, m, s, w, AK_S, AJ_INT, AL_NONE, 0, 0)
#define BO(m, s) ROW(#m, m, s, 1, AK_U, AJ_BOOL, AL_NONE, 0, 0)
#define LG(m, s, w, leg) ROW(#m, m, s, w, AK_U, AJ_INT, leg, 0, 0)
#define FM(m, s, w, kind, fmt) ROW(#m, m, s, w, kind, fmt, AL_NONE, 0, 0)
#define HID(m, s, w) ROW(#m, m, s, w, AK_U, AJ_HIDDEN, AL_NONE, 0, 0)
#define NEED(m, s, w, need) ROW(#m, m, s, w, AK_U, AJ_INT, AL_NONE, 0, need)
#define ABSENT(m) ROW(#m, m, 0, 0, AK_NONE, AJ_INT, AL_NONE, 0, 0)
#define TX(m, s, n) {#m, sizeof(#m) - 1, s, 6 * (n), AK_TEXT, AJ_STR, AL_NONE, 0, 0, OFF(m), SZ(m)}
#define TXEND(m, s) {#m, sizeof(#m) - 1, s, 0, AK_TEXT_END, AJ_STR, AL_NONE, 0, 0, OFF(m), SZ(m)}
#define DATA(s) {"data", 4, s, 0, AK_DATA, AJ_DATA, AL_NONE, 0, 0, OFF(data), SZ(data)}
#define N(rows) (int)(sizeof(rows) / sizeof(rows[0]))

/* 1, 2, 3: position report class A */
static const struct ais_field t1[] = {
	LG(status, 38, 4, AL_NAV),
	FM(turn, 42, 8, AK_S, AJ_TURN),
	FM(speed, 50, 10, AK_U, AJ_SPEED),
	BO(accuracy, 60),
	FM(lon, 61, 28, AK_S, AJ_LATLON),
	FM(lat, 89, 27, AK_S, AJ_LATLON),
	FM(course, 116, 12, AK_U, AJ_TENTH),
	UI(heading, 128, 9),
	UI(second, 137, 6),
	UI(maneuver, 143, 2),
	BO(raim, 148),
	ROW("radio", radio, 149, 19, AK_U, AJ_INT, AL_NONE, AF_TRUNC, 0),
};

/* 4, 11: base station report, UTC/date response */
static const struct ais_field t4[] = {
	ROW("timestamp", year, 38, 14, AK_U, AJ_TIME4, AL_NONE, 0, 0),
	HID(month, 52, 4),
	HID(day, 56, 5),
	HID(hour, 61, 5),
	HID(minute, 66, 6),
	HID(second, 72, 6),
	BO(accuracy, 78),
	FM(lon, 79, 28, AK_S, AJ_LATLON),
	FM(lat, 107, 27, AK_S, AJ_LATLON),
	LG(epfd, 134, 4, AL_EPFD),
	BO(raim, 148),
	UI(radio, 149, 19),
};

/* 5: static and voyage related data */
static const struct ais_field t5[] = {
	UI(imo, 40, 30),
	UI(ais_version, 38, 2),
	TX(callsign, 70, 7),
	TX(shipname, 112, 20),
	LG(shiptype, 232, 8, AL_SHIP),
	UI(to_bow, 240, 9),
	UI(to_stern, 249, 9),
	UI(to_port, 258, 6),
	UI(to_starboard, 264, 6),
	LG(epfd, 270, 4, AL_EPFD),
	ROW("eta", month, 274, 4, AK_U, AJ_ETA, AL_NONE, 0, 0),
	HID(day, 278, 5),
	HID(hour, 283, 5),
	HID(minute, 288, 6),
	FM(draught, 294, 8, AK_U, AJ_TENTH),
	TX(destination, 302, 20),
	NEED(dte, 422, 1, 423),
};

/* 6: addressed binary message */
static const struct ais_field t6[] = {
	UI(seqno, 38, 2),
	UI(dest_mmsi, 40, 30),
	BO(retransmit, 70),
	UI(dac, 72, 10),
	UI(fid, 82, 6),
	DATA(88),
};

/* 7, 13: binary / safety related acknowledge */
static const struct ais_field t7[] = {
	UI(mmsi1, 40, 30),
	NEED(mmsi2, 72, 30, 102),
	NEED(mmsi3, 104, 30, 134),
	NEED(mmsi4, 136, 30, 166),
};

/* 8: binary broadcast message */
static const struct ais_field t8[] = {
	UI(dac, 40, 10),
	UI(fid, 50, 6),
	DATA(56),
};

/* 9: SAR aircraft position report */
static const struct ais_field t9[] = {
	FM(alt, 38, 12, AK_U, AJ_SARALT),
	FM(speed, 50, 10, AK_U, AJ_SARSPEED),
	BO(accuracy, 60),
	FM(lon, 61, 28, AK_S, AJ_LATLON),
	FM(lat, 89, 27, AK_S, AJ_LATLON),
	FM(course, 116, 12, AK_U, AJ_TENTH),
	UI(second, 128, 6),
	UI(regional, 134, 8),
	UI(dte, 142, 1),
	ROW("assigned", assigned, 146, 1, AK_U, AJ_HIDDEN, AL_NONE, 0, 0),
	BO(raim, 147),
	UI(radio, 148, 20),
};

/* 10: UTC/date inquiry */
static const struct ais_field t10[] = {
	UI(dest_mmsi, 40, 30),
};

/* 12: addressed safety related message */
static const struct ais_field t12[] = {
	UI(seqno, 38, 2),
	UI(dest_mmsi, 40, 30),
	BO(retransmit, 70),
	TXEND(text, 72),
};

/* 14: safety related broadcast message */
static const struct ais_field t14[] = {
	TXEND(text, 40),
};

/* 15: interrogation */
static const struct ais_field t15[] = {
	UI(mmsi1, 40, 30),
	UI(type1_1, 70, 6),
	UI(offset1_1, 76, 12),
	NEED(type1_2, 90, 6, 91),
	NEED(offset1_2, 96, 12, 91),
	NEED(mmsi2, 110, 30, 111),
	NEED(type2_1, 140, 6, 111),
	NEED(offset2_1, 146, 12, 111),
};

/* 16: assigned mode command */
static const struct ais_field t16[] = {
	UI(mmsi1, 40, 30),
	UI(offset1, 70, 12),
	UI(increment1, 82, 10),
	NEED(mmsi2, 92, 30, 144),
	NEED(offset2, 122, 12, 144),
	NEED(increment2, 134, 10, 144),
};

/* 17: DGNSS broadcast binary message */
static const struct ais_field t17[] = {
	FM(lon, 40, 18, AK_S, AJ_LATLON10),
	FM(lat, 58, 17, AK_S, AJ_LATLON10),
	DATA(80),
};

/* 18: standard class B position report */
static const struct ais_field t18[] = {
	UI(reserved, 38, 8),
	FM(speed, 46, 10, AK_U, AJ_TENTH),
	BO(accuracy, 56),
	FM(lon, 57, 28, AK_S, AJ_LATLON),
	FM(lat, 85, 27, AK_S, AJ_LATLON),
	FM(course, 112, 12, AK_U, AJ_TENTH),
	UI(heading, 124, 9),
	UI(second, 133, 6),
	UI(regional, 139, 2),
	BO(cs, 141),
	BO(display, 142),
	BO(dsc, 143),
	BO(band, 144),
	BO(msg22, 145),
	ROW("assigned", assigned, 146, 1, AK_U, AJ_HIDDEN, AL_NONE, 0, 0),
	BO(raim, 147),
	UI(radio, 148, 20),
};

/* 19: extended class B position report */
static const struct ais_field t19[] = {
	UI(reserved, 38, 8),
	FM(speed, 46, 10, AK_U, AJ_TENTH),
	BO(accuracy, 56),
	FM(lon, 57, 28, AK_S, AJ_LATLON),
	FM(lat, 85, 27, AK_S, AJ_LATLON),
	FM(course, 112, 12, AK_U, AJ_TENTH),
	UI(heading, 124, 9),
	UI(second, 133, 6),
	UI(regional, 139, 4),
	TX(shipname, 143, 20),
	LG(shiptype, 263, 8, AL_SHIP),
	UI(to_bow, 271, 9),
	UI(to_stern, 280, 9),
	UI(to_port, 289, 6),
	UI(to_starboard, 295, 6),
	LG(epfd, 301, 4, AL_EPFD),
	BO(raim, 305),
	UI(dte, 306, 1),
	BO(assigned, 307),
};

/* 20: data link management */
static const struct ais_field t20[] = {
	UI(offset1, 40, 12),
	UI(number1, 52, 4),
	UI(timeout1, 56, 3),
	UI(increment1, 59, 11),
	UI(offset2, 70, 12),
	UI(number2, 82, 4),
	UI(timeout2, 86, 3),
	UI(increment2, 89, 11),
	UI(offset3, 100, 12),
	UI(number3, 112, 4),
	UI(timeout3, 116, 3),
	UI(increment3, 119, 11),
	UI(offset4, 130, 12),
	UI(number4, 142, 4),
	UI(timeout4, 146, 3),
	UI(increment4, 149, 11),
};

/* 21: aid-to-navigation report (gpsd prints accuracy after lat when scaled, before lon
 * when raw: two rows of one field) */
static const struct ais_field t21[] = {
	LG(aid_type, 38, 5, AL_NAVAID),
	{"name", 4, 43, 120, AK_TEXT, AJ_STR, AL_NONE, AF_NAMEEXT, 0, OFF(name), SZ(name)},
	ROW("accuracy", accuracy, 163, 1, AK_U, AJ_BOOL, AL_NONE, AF_SCALEDSKIP, 0),
	FM(lon, 164, 28, AK_S, AJ_LATLON),
	FM(lat, 192, 27, AK_S, AJ_LATLON),
	ROW("accuracy", accuracy, 163, 1, AK_U, AJ_BOOL, AL_NONE, AF_RAWSKIP, 0),
	UI(to_bow, 219, 9),
	UI(to_stern, 228, 9),
	UI(to_port, 237, 6),
	UI(to_starboard, 243, 6),
	LG(epfd, 249, 4, AL_EPFD),
	UI(second, 253, 6),
	UI(regional, 260, 8),
	BO(off_position, 259),
	BO(raim, 268),
	BO(virtual_aid, 269),
	ROW("assigned", assigned, 270, 1, AK_U, AJ_HIDDEN, AL_NONE, 0, 0),
};

/* 22: channel management, broadcast (area) and addressed */
static const struct ais_field t22_area[] = {
	UI(channel_a, 40, 12),
	UI(channel_b, 52, 12),
	UI(txrx, 64, 4),
	BO(power, 68),
	FM(ne_lon, 69, 18, AK_S, AJ_CHANLL),
	FM(ne_lat, 87, 17, AK_S, AJ_CHANLL),
	FM(sw_lon, 104, 18, AK_S, AJ_CHANLL),
	FM(sw_lat, 122, 17, AK_S, AJ_CHANLL),
	BO(addressed, 139),
	BO(band_a, 140),
	BO(band_b, 141),
	UI(zonesize, 142, 3),
};
static const struct ais_field t22_addr[] = {
	UI(channel_a, 40, 12),
	UI(channel_b, 52, 12),
	UI(txrx, 64, 4),
	BO(power, 68),
	UI(dest1, 69, 30),
	UI(dest2, 104, 30),
	BO(addressed, 139),
	BO(band_a, 140),
	BO(band_b, 141),
	UI(zonesize, 142, 3),
};

/* 23: group assignment command */
static const struct ais_field t23[] = {
	FM(ne_lon, 40, 18, AK_S, AJ_CHANLL),
	FM(ne_lat, 58, 17, AK_S, AJ_CHANLL),
	FM(sw_lon, 75, 18, AK_S, AJ_CHANLL),
	FM(sw_lat, 93, 17, AK_S, AJ_CHANLL),
	LG(stationtype, 110, 4, AL_STATION),
	LG(shiptype, 114, 8, AL_SHIP),
	ROW("txrx", txrx, 144, 2, AK_U, AJ_HIDDEN, AL_NONE, 0, 0),
	UI(interval, 146, 4),
	UI(quiet, 150, 4),
};

/* 24: static data report, part A and part B (dimensions, or the mother ship of an
 * auxiliary craft 98xxxyyyy); as gpsd prints the pair, shipname first */
static const struct ais_field t24a[] = {
	ROW("partno", partno, 38, 2, AK_U, AJ_HIDDEN, AL_NONE, 0, 0),
	TX(shipname, 40, 20),
};
#define T24B_COMMON                                                        \
	ROW("partno", partno, 38, 2, AK_U, AJ_HIDDEN, AL_NONE, 0, 0),      \
	{"shipname", 8, 0, 0, AK_NONE, AJ_STR, AL_NONE, 0, 0, OFF(shipname), SZ(shipname)}, \
	LG(shiptype, 40, 8, AL_SHIP), TX(vendorid, 48, 7), UI(model, 66, 4),     \
	UI(serial, 70, 20), TX(callsign, 90, 7)
static const struct ais_field t24b[] = {
	T24B_COMMON,
	UI(to_bow, 132, 9),
	UI(to_stern, 141, 9),
	UI(to_port, 150, 6),
	UI(to_starboard, 156, 6),
};
static const struct ais_field t24b_aux[] = {
	T24B_COMMON,
	UI(mothership_mmsi, 132, 30),
};

/* 25: single slot binary message; 26: multiple slot binary message. Addressed (a) and
 * structured (s) decide where the data starts. */
#define BIN_HEAD BO(addressed, 38), BO(structured, 39)
static const struct ais_field t25_00[] = {BIN_HEAD, ABSENT(dest_mmsi), ABSENT(app_id), DATA(40)};
static const struct ais_field t25_01[] = {BIN_HEAD, ABSENT(dest_mmsi), UI(app_id, 40, 16),
					  DATA(56)};
static const struct ais_field t25_10[] = {BIN_HEAD, UI(dest_mmsi, 40, 30), ABSENT(app_id),
					  DATA(70)};
static const struct ais_field t25_11[] = {BIN_HEAD, UI(dest_mmsi, 40, 30), UI(app_id, 70, 16),
					  DATA(86)};
#define RADIO_END ROW("radio", radio, 20, 20, AK_U, AJ_INT, AL_NONE, AF_FROM_END, 0)
static const struct ais_field t26_00[] = {BIN_HEAD, ABSENT(dest_mmsi), ABSENT(app_id), DATA(40),
					  RADIO_END};
static const struct ais_field t26_01[] = {BIN_HEAD, ABSENT(dest_mmsi), UI(app_id, 40, 16),
					  DATA(56), RADIO_END};
static const struct ais_field t26_10[] = {BIN_HEAD, UI(dest_mmsi, 40, 30), ABSENT(app_id),
					  DATA(70), RADIO_END};
static const struct ais_field t26_11[] = {BIN_HEAD, UI(dest_mmsi, 40, 30), UI(app_id, 70, 16),
					  DATA(86), RADIO_END};

/* 27: long range broadcast */
static const struct ais_field t27[] = {
	FM(status, 40, 4, AK_U, AJ_NAVSTR),
	BO(accuracy, 38),
	FM(lon, 44, 18, AK_S, AJ_LATLON10),
	FM(lat, 62, 17, AK_S, AJ_LATLON10),
	UI(speed, 79, 6),
	UI(course, 85, 9),
	BO(raim, 39),
	BO(gnss, 94),
};

/* Lengths as gpsd 3.22 accepts them (min, max; 0 = no limit) and as the encoder writes. */
#define L(t, rows, min, max, std) {t, 1, min, max, std, 0, 0, rows, N(rows)}
static const struct ais_layout layouts[] = {
	L(1, t1, 163, 0, 168),	L(2, t1, 163, 0, 168),	L(3, t1, 163, 0, 168),
	L(4, t4, 168, 0, 168),	L(5, t5, 420, 0, 424),	L(6, t6, 88, 1008, 0),
	L(7, t7, 72, 168, 168), L(8, t8, 56, 1008, 0),	L(9, t9, 168, 0, 168),
	L(10, t10, 72, 0, 72),	L(11, t4, 168, 0, 168), L(12, t12, 72, 1008, 0),
	L(13, t7, 72, 168, 168), L(14, t14, 40, 1008, 0), L(15, t15, 88, 168, 160),
	L(16, t16, 96, 168, 144), L(17, t17, 80, 816, 0), L(18, t18, 168, 0, 168),
	L(19, t19, 312, 0, 312), L(20, t20, 72, 186, 160), L(21, t21, 272, 368, 272),
	L(22, t22_area, 168, 0, 168), L(23, t23, 160, 0, 160),
	{24, 0, 160, 168, 168, 0, 0, t24a, N(t24a)},
};
static const struct ais_layout l22_addr = L(22, t22_addr, 168, 0, 168);
static const struct ais_layout l24b = L(24, t24b, 168, 0, 168);
static const struct ais_layout l24b_aux = L(24, t24b_aux, 168, 0, 168);
static const struct ais_layout l25[4] = {
	L(25, t25_00, 40, 168, 0), L(25, t25_01, 56, 168, 0),
	L(25, t25_10, 70, 168, 0), L(25, t25_11, 86, 168, 0),
};
static const struct ais_layout l26[4] = {
	{26, 1, 60, 1004, 0, 20, 0, t26_00, N(t26_00)}, {26, 1, 76, 1004, 0, 20, 0, t26_01, N(t26_01)},
	{26, 1, 90, 1004, 0, 20, 0, t26_10, N(t26_10)}, {26, 1, 106, 1004, 0, 20, 0, t26_11, N(t26_11)},
};
static const struct ais_layout l27 = {27, 1, 96, 168, 96, 0, 1, t27, N(t27)};

/* clang-format on */

static int auxiliary_mmsi(int32_t mmsi)
{
	return mmsi / 10000000 == 98;
}

static const struct ais_layout *select_layout(int type, int partno, int addressed, int structured,
                                              int32_t mmsi)
{
	switch (type) {
	case 22:
		return addressed ? &l22_addr : &layouts[21];
	case 24:
		if (partno == 0)
			return &layouts[23];
		if (partno == 1)
			return auxiliary_mmsi(mmsi) ? &l24b_aux : &l24b;
		return NULL;
	case 25:
		return &l25[addressed * 2 + structured];
	case 26:
		return &l26[addressed * 2 + structured];
	case 27:
		return &l27;
	default:
		return type >= 1 && type <= 23 ? &layouts[type - 1] : NULL;
	}
}

const struct ais_layout *ais_layout_for_bits(const uint8_t *bits, int len, int32_t mmsi)
{
	int type = (int)ais_ubits(bits, 0, 6);
	(void)len;
	return select_layout(type, (int)ais_ubits(bits, 38, 2),
	                     type == 22 ? (int)ais_ubits(bits, 139, 1)
	                                : (int)ais_ubits(bits, 38, 1),
	                     (int)ais_ubits(bits, 39, 1), mmsi);
}

const struct ais_layout *ais_layout_for_msg(const struct ais_msg *m)
{
	return select_layout(m->type, m->partno, m->addressed ? 1 : 0, m->structured ? 1 : 0,
	                     m->mmsi);
}

/* clang-format off */
/* ---- legends, as gpsd prints them -------------------------------------------------- */

static const char *const nav_legends[16] = {
	"Under way using engine", "At anchor", "Not under command",
	"Restricted manoeuverability", "Constrained by her draught", "Moored", "Aground",
	"Engaged in fishing", "Under way sailing", "Reserved for HSC", "Reserved for WIG",
	"Reserved", "Reserved", "Reserved", "Reserved", "Not defined",
};

static const char *const epfd_legends[9] = {
	"Undefined", "GPS", "GLONASS", "Combined GPS/GLONASS", "Loran-C", "Chayka",
	"Integrated navigation system", "Surveyed", "Galileo",
};

#define RFU "Reserved for future use"
#define WIG "Wing in ground (WIG) - "
#define HSC "High speed craft (HSC) - "
#define CLASS(p) p "all ships of this type", p "Hazardous category A", \
	p "Hazardous category B", p "Hazardous category C", p "Hazardous category D", \
	p RFU, p RFU, p RFU, p RFU
static const char *const ship_legends[100] = {
	"Not available", RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU,
	RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU, RFU,
	CLASS(WIG), WIG RFU,
	"Fishing", "Towing", "Towing: length exceeds 200m or breadth exceeds 25m",
	"Dredging or underwater ops", "Diving ops", "Military ops", "Sailing", "Pleasure Craft",
	"Reserved", "Reserved",
	CLASS(HSC), HSC "No additional information",
	"Pilot Vessel", "Search and Rescue vessel", "Tug", "Port Tender",
	"Anti-pollution equipment", "Law Enforcement", "Spare - Local Vessel",
	"Spare - Local Vessel", "Medical Transport", "Ship according to RR Resolution No. 18",
	CLASS("Passenger - "), "Passenger - No additional information",
	CLASS("Cargo - "), "Cargo - No additional information",
	CLASS("Tanker - "), "Tanker - No additional information",
	CLASS("Other Type - "), "Other Type - no additional information",
};

static const char *const navaid_legends[32] = {
	"Unspecified", "Reference point", "RACON", "Fixed offshore structure",
	"Spare, Reserved for future use.", "Light, without sectors", "Light, with sectors",
	"Leading Light Front", "Leading Light Rear", "Beacon, Cardinal N", "Beacon, Cardinal E",
	"Beacon, Cardinal S", "Beacon, Cardinal W", "Beacon, Port hand", "Beacon, Starboard hand",
	"Beacon, Preferred Channel port hand", "Beacon, Preferred Channel starboard hand",
	"Beacon, Isolated danger", "Beacon, Safe water", "Beacon, Special mark",
	"Cardinal Mark N", "Cardinal Mark E", "Cardinal Mark S", "Cardinal Mark W",
	"Port hand Mark", "Starboard hand Mark", "Preferred Channel Port hand",
	"Preferred Channel Starboard hand", "Isolated danger", "Safe Water", "Special Mark",
	"Light Vessel / LANBY / Rigs",
};

static const char *const station_legends[16] = {
	"All types of mobiles", RFU, "All types of Class B mobile stations",
	"SAR airborne mobile station", "Aid to Navigation station",
	"Class B shipborne mobile station", "Regional use and inland waterways",
	"Regional use and inland waterways", "Regional use and inland waterways",
	"Regional use and inland waterways", RFU, RFU, RFU, RFU, RFU, RFU,
};

/* clang-format on */

const char *ais_legend(int legend, int32_t v)
{
	switch (legend) {
	case AL_NAV:
		return v >= 0 && v < 16 ? nav_legends[v] : "";
	case AL_EPFD:
		return v >= 0 && v < 9 ? epfd_legends[v] : "INVALID EPFD";
	case AL_SHIP:
		return v >= 0 && v < 100 ? ship_legends[v] : "INVALID SHIP TYPE";
	case AL_NAVAID:
		return v >= 0 && v < 32 ? navaid_legends[v] : "INVALID NAVAID TYPE";
	case AL_STATION:
		return v >= 0 && v < 16 ? station_legends[v] : "INVALID STATION TYPE";
	default:
		return "";
	}
}
