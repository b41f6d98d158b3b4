/* ais_sim.c - the demo's scripted waterside traffic (see ais_sim.h). */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "ais_sim.h"

#define DEG    (M_PI / 180.0)
#define PERIOD 600 /* the scenario's cycle, seconds */

enum sim_role { R_PATH, R_DARK, R_SPOOF, R_TWIN };

struct sim_ship {
	int32_t mmsi;
	const char *name, *callsign, *dest;
	int32_t imo, shiptype, len, beam;
	int class_b;
	enum sim_role role;
	int closed; /* a closed loop (repeats), else it stops at its last point, moored */
	double kn;  /* speed along the path */
	int npts;
	double pts[6][2]; /* lat, lon */
	int status;       /* navigational status while under way (class A) */
};

/* clang-format off */
static const struct sim_ship ships[] = {
	{244100001, "NORDIC STAR", "PDNS", "ROTTERDAM", 9300001, 70, 180, 28, 0, R_PATH, 0, 0, 1,
	 {{51.9612, 4.045}}, 5},
	{244100002, "BALTIC FERRY", "PDBF", "HARWICH", 9300002, 60, 150, 25, 0, R_PATH, 0, 0, 1,
	 {{51.9612, 4.068}}, 5},
	{244100003, "MAAS TRADER", "PDMT", "DEMO QUAY 1", 9300003, 70, 120, 18, 0, R_PATH, 0, 5, 2,
	 {{51.975, 4.052}, {51.9615, 4.052}}, 0},
	{211200004, "RHINE SPIRIT", "DKRS", "DEMO FERRY", 9300004, 60, 110, 20, 0, R_PATH, 0, 4, 2,
	 {{51.972, 4.0755}, {51.9614, 4.0755}}, 0},
	{244100005, "NOSY PARKER", "PDNP", "", 0, 52, 25, 8, 0, R_PATH, 1, 5, 2,
	 {{51.969, 4.076}, {51.964, 4.086}}, 0},
	{244100006, "SEA GULL", "PDSG", "", 0, 37, 8, 3, 1, R_PATH, 1, 3, 2,
	 {{51.968, 4.046}, {51.9620, 4.0455}}, 0},
	{244100007, "DRIFTER", "PDDR", "", 0, 30, 15, 5, 0, R_PATH, 1, 0.8, 3,
	 {{51.975, 4.030}, {51.9755, 4.031}, {51.975, 4.032}}, 0},
	{273100008, "GREY WHALE", "UBGW", "", 9300008, 80, 140, 22, 0, R_PATH, 1, 1, 2,
	 {{51.980, 4.075}, {51.9805, 4.076}}, 0},
	{636100009, "NIGHT OWL", "A8NO", "", 9300009, 80, 130, 20, 0, R_PATH, 1, 1, 2,
	 {{51.9803, 4.0755}, {51.9808, 4.0765}}, 0},
	{244100010, "SILENT RUNNER", "PDSR", "", 9300010, 70, 90, 14, 0, R_DARK, 1, 4, 2,
	 {{51.978, 4.040}, {51.978, 4.060}}, 0},
	{244100011, "PHANTOM", "PDPH", "", 9300011, 70, 100, 16, 0, R_SPOOF, 1, 5, 2,
	 {{51.983, 4.025}, {51.983, 4.040}}, 0},
	{200123456, "GHOST", "", "", 0, 70, 90, 15, 0, R_PATH, 1, 1, 2,
	 {{52.000, 4.020}, {52.001, 4.022}}, 0},
	{244100014, "TWIN", "PDTW", "", 9300014, 70, 95, 15, 0, R_TWIN, 1, 5, 2,
	 {{51.990, 4.052}, {52.000, 4.052}}, 0},
	{244100013, "FAST EDDIE", "PDFE", "", 0, 37, 12, 4, 1, R_PATH, 1, 18, 5,
	 {{51.970, 4.025}, {51.970, 4.040}, {51.978, 4.040}, {51.978, 4.025}, {51.970, 4.025}}, 0},
};
/* clang-format on */
#define N_SHIPS (int)(sizeof(ships) / sizeof(ships[0]))

void ais_sim_rules(struct ais_rules *r)
{
	ais_rules_default(r);
	r->loiter_min = 3;
	r->rendezvous_min = 4;
	r->dark_min_s = 60;
	r->approach_level = 1;
}

/* Where a ship is at second t: position, speed, course; moored when its path ended. */
struct sim_pos {
	double lat, lon, kn, cog;
	int moored;
};

static double leg_len(const double a[2], const double b[2])
{
	return geo_distance_m(a[0], a[1], b[0], b[1]);
}

static double bearing(const double a[2], const double b[2])
{
	double dx = (b[1] - a[1]) * cos(a[0] * DEG), dy = b[0] - a[0];
	double c = atan2(dx, dy) / DEG;
	return c < 0 ? c + 360 : c;
}

static struct sim_pos ship_at(const struct sim_ship *s, double t)
{
	struct sim_pos p = {s->pts[0][0], s->pts[0][1], 0, 90, 0};
	if (s->npts < 2 || s->kn <= 0) {
		p.moored = 1;
		return p;
	}
	double v = s->kn * 1852.0 / 3600.0;
	/* the legs: forward, and back again for a closed loop of two points */
	double pts[12][2];
	int n = 0;
	for (int i = 0; i < s->npts; i++, n++)
		pts[n][0] = s->pts[i][0], pts[n][1] = s->pts[i][1];
	if (s->closed && s->npts == 2)
		pts[n][0] = s->pts[0][0], pts[n][1] = s->pts[0][1], n++;
	else if (s->closed && (pts[n - 1][0] != pts[0][0] || pts[n - 1][1] != pts[0][1]))
		pts[n][0] = s->pts[0][0], pts[n][1] = s->pts[0][1], n++;
	double total = 0;
	for (int i = 0; i + 1 < n; i++)
		total += leg_len(pts[i], pts[i + 1]) / v;
	if (s->closed)
		t = fmod(t, total);
	for (int i = 0; i + 1 < n; i++) {
		double dt = leg_len(pts[i], pts[i + 1]) / v;
		if (t <= dt) {
			double f = dt > 0 ? t / dt : 0;
			p.lat = pts[i][0] + (pts[i + 1][0] - pts[i][0]) * f;
			p.lon = pts[i][1] + (pts[i + 1][1] - pts[i][1]) * f;
			p.kn = s->kn;
			p.cog = bearing(pts[i], pts[i + 1]);
			return p;
		}
		t -= dt;
	}
	p.lat = pts[n - 1][0];
	p.lon = pts[n - 1][1];
	p.cog = bearing(pts[n - 2], pts[n - 1]);
	p.moored = 1;
	return p;
}

static void emit(const struct ais_msg *m, int seq, struct pg_buf *out)
{
	char buf[512];
	if (ais_encode_nmea(m, "AIVDM", seq % 2 ? 'B' : 'A', seq % 10, buf, sizeof(buf)) > 0)
		pg_buf_puts(out, buf);
}

static void emit_position(const struct sim_ship *s, struct sim_pos p, int t, struct pg_buf *out)
{
	struct ais_msg m;
	memset(&m, 0, sizeof(m));
	m.type = s->class_b ? 18 : 1;
	m.mmsi = s->mmsi;
	m.lat = (int32_t)lround(p.lat * 600000.0);
	m.lon = (int32_t)lround(p.lon * 600000.0);
	m.speed = p.moored ? 0 : (int32_t)lround(p.kn * 10);
	m.course = (int32_t)lround(p.cog * 10) % 3600;
	m.heading = (int32_t)lround(p.cog) % 360;
	m.second = t % 60;
	m.accuracy = 1;
	if (!s->class_b) {
		m.status = p.moored ? 5 : s->status;
		m.turn = 0;
	} else {
		m.regional = 0;
		m.cs = 1;
	}
	emit(&m, t, out);
}

static void emit_static(const struct sim_ship *s, int t, struct pg_buf *out)
{
	struct ais_msg m;
	memset(&m, 0, sizeof(m));
	m.mmsi = s->mmsi;
	if (!s->class_b) {
		m.type = 5;
		m.ais_version = 2;
		m.imo = s->imo;
		pg_strlcpy(m.callsign, s->callsign, sizeof(m.callsign));
		pg_strlcpy(m.shipname, s->name, sizeof(m.shipname));
		pg_strlcpy(m.destination, s->dest, sizeof(m.destination));
		m.shiptype = s->shiptype;
		m.to_bow = s->len / 2;
		m.to_stern = s->len - s->len / 2;
		m.to_port = s->beam / 2;
		m.to_starboard = s->beam - s->beam / 2;
		m.epfd = 1;
		m.month = 11;
		m.day = 27;
		m.hour = 18;
		m.minute = 0;
		m.draught = 60;
		emit(&m, t, out);
		return;
	}
	m.type = 24;
	m.partno = 0;
	pg_strlcpy(m.shipname, s->name, sizeof(m.shipname));
	emit(&m, t, out);
	memset(&m, 0, sizeof(m));
	m.type = 24;
	m.mmsi = s->mmsi;
	m.partno = 1;
	m.shiptype = s->shiptype;
	pg_strlcpy(m.callsign, s->callsign, sizeof(m.callsign));
	pg_strlcpy(m.vendorid, "PGSIM", sizeof(m.vendorid));
	m.to_bow = s->len / 2;
	m.to_stern = s->len - s->len / 2;
	m.to_port = s->beam / 2;
	m.to_starboard = s->beam - s->beam / 2;
	emit(&m, t + 1, out);
}

void ais_sim_second(int t, struct pg_buf *out)
{
	int c = t % PERIOD;
	for (int i = 0; i < N_SHIPS; i++) {
		const struct sim_ship *s = &ships[i];
		int interval = s->class_b ? 10 : 5;
		int phase = (t + i) % interval;
		if (s->role == R_DARK && c >= 60)
			continue; /* silent for the rest of the cycle */
		if ((t + i) % 60 == 0 || t == 0)
			emit_static(s, t, out);
		if (s->role == R_TWIN) {
			/* transmitter A on its path, transmitter B 9 km to the north-east */
			if (phase == 0 || phase == interval / 2) {
				struct sim_pos p = ship_at(s, t);
				if (phase != 0) {
					p.lat += 0.06;
					p.lon += 0.09;
				}
				emit_position(s, p, t, out);
			}
			continue;
		}
		if (phase != 0)
			continue;
		struct sim_pos p = ship_at(s, t);
		if (s->role == R_SPOOF && c >= 200 && c < 400) {
			p.lat = 51.945; /* on the port's land */
			p.lon = 4.050;
		}
		emit_position(s, p, t, out);
	}
}

/* ---- the thread ------------------------------------------------------------------------------ */

struct ais_sim {
	struct ais_source *src;
	pthread_t th;
	int stop;
};

static void *sim_main(void *arg)
{
	struct ais_sim *s = arg;
	struct pg_buf out;
	pg_buf_init(&out, 1 << 20);
	int64_t start = pg_mono_ms();
	for (int t = 0; !__atomic_load_n(&s->stop, __ATOMIC_RELAXED); t++) {
		int64_t due = start + (int64_t)t * 1000;
		while (pg_mono_ms() < due && !__atomic_load_n(&s->stop, __ATOMIC_RELAXED))
			usleep(50 * 1000);
		pg_buf_reset(&out);
		ais_sim_second(t, &out);
		if (out.len)
			ais_live_source_feed(s->src, out.p, out.len);
	}
	pg_buf_release(&out);
	return NULL;
}

int ais_sim_start(struct ais_live *l, struct ais_source *src, struct ais_sim **out,
                  struct pg_err *err)
{
	int64_t now = pg_now_ms();
	int rc = ais_live_arrival_add(l, "demo", "Quay 1", 244100003, 9300003, "MAAS TRADER",
	                              now - 3600 * 1000, now + 24 * 3600 * 1000, "demo arrival",
	                              NULL, err);
	if (rc == 0)
		rc = ais_live_arrival_add(l, "demo", "Ferry berth", 211200004, 0, "RHINE SPIRIT",
		                          now - 3600 * 1000, now + 24 * 3600 * 1000, "demo arrival",
		                          NULL, err);
	if (rc < 0)
		return rc;
	struct ais_sim *s = pg_calloc(1, sizeof(*s));
	s->src = src;
	if (pthread_create(&s->th, NULL, sim_main, s) != 0) {
		pg_free(s);
		return pg_err_set(err, PG_EIO, "cannot start the AIS simulator");
	}
	*out = s;
	return 0;
}

void ais_sim_stop(struct ais_sim *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
	pthread_join(s->th, NULL);
	pg_free(s);
}

int ais_sim_layout_path(char *out, size_t n)
{
	char exe[512];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *rel[] = {"/../etc/port-layout.geojson", "/../../etc/port-layout.geojson"};
	if (access("etc/port-layout.geojson", R_OK) == 0)
		return pg_strlcpy(out, "etc/port-layout.geojson", n);
	if (k <= 0)
		return PG_ENOTFOUND;
	exe[k] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		pg_snprintf(out, n, "%s%s", exe, rel[i]);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return PG_ENOTFOUND;
}
