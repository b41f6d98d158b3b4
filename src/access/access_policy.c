/* access_policy.c - loads the decision snapshot from the store, and the PIN hashes. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "access_policy.h"

static const char *const zone_kinds[] = {"public", "controlled", "restricted", "high_security"};
static const char *const apb_modes[] = {"none", "soft", "hard"};
static const char *const person_kinds[] = {"employee", "contractor", "visitor",
					   "crew",     "driver",     "authority"};
static const char *const cred_statuses[] = {"active", "suspended", "lost", "stolen", "revoked"};
static const char *const reader_kinds[] = {"door", "turnstile", "pedestrian_gate", "vehicle_gate",
					   "muster"};

static int enum_of(const char *s, const char *const *names, int n, int dflt)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return dflt;
}
#define ENUM_OF(s, names, dflt) enum_of(s, names, (int)(sizeof(names) / sizeof(names[0])), dflt)

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- lookups ----------------------------------------------------------------------- */

int policy_zone_index(const struct access_policy *p, int64_t id)
{
	int64_t v;
	return imap_get(&p->zone_ix, id, &v) ? (int)v : -1;
}

const struct ap_reader *policy_reader(const struct access_policy *p, int64_t id)
{
	int64_t v;
	return imap_get(&p->reader_ix, id, &v) ? &p->readers[v] : NULL;
}

static size_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

const struct ap_cred *policy_cred(const struct access_policy *p, const char *uid)
{
	if (!p->cred_cap)
		return NULL;
	size_t i = str_hash(uid) & (p->cred_cap - 1);
	while (p->cred_slots[i] >= 0) {
		const struct ap_cred *c = &p->creds[p->cred_slots[i]];
		if (strcmp(c->uid, uid) == 0)
			return c;
		i = (i + 1) & (p->cred_cap - 1);
	}
	return NULL;
}

/* ---- schedules ----------------------------------------------------------------------- */

static int parse_hhmm(const char *s, int *out)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return PG_EINVAL;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '9' ||
	    s[4] < '0' || s[4] > '9' || m > 59 || h > 24 || (h == 24 && m != 0))
		return PG_EINVAL;
	*out = h * 60 + m;
	return 0;
}

static int load_schedule(struct ap_group *g, const char *schedule, const char *holidays)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	json_t *sch = json_loads(nz(schedule), JSON_DECODE_ANY, NULL);
	json_t *hol = json_loads(nz(holidays), 0, NULL);
	int rc = 0;
	if (json_is_string(sch) && strcmp(json_string_value(sch), "always") == 0) {
		g->always = 1;
	} else if (json_is_object(sch)) {
		for (int d = 0; d < 7; d++) {
			json_t *spans = json_object_get(sch, days[d]), *span;
			size_t i;
			json_array_foreach(spans, i, span) {
				int a, b;
				if (parse_hhmm(json_string_value(json_array_get(span, 0)), &a) < 0 ||
				    parse_hhmm(json_string_value(json_array_get(span, 1)), &b) < 0 ||
				    a >= b) {
					rc = PG_EINVAL;
					continue;
				}
				g->spans = pg_realloc(g->spans, sizeof(int) * (size_t)(g->nspans + 1) * 2);
				g->spans[2 * g->nspans] = d * 1440 + a;
				g->spans[2 * g->nspans + 1] = d * 1440 + b;
				g->nspans++;
			}
		}
	} else {
		rc = PG_EINVAL;
	}
	size_t i;
	json_t *h;
	json_array_foreach(hol, i, h) {
		const char *s = json_string_value(h);
		int64_t ms;
		char t[40];
		if (!s || pg_snprintf(t, sizeof(t), "%sT00:00:00Z", s) < 0 || pg_time_parse(t, &ms) < 0) {
			rc = PG_EINVAL;
			continue;
		}
		g->holidays = pg_realloc(g->holidays, sizeof(int) * (size_t)(g->nholidays + 1));
		g->holidays[g->nholidays++] =
			(int)((s[0] - '0') * 10000000 + (s[1] - '0') * 1000000 + (s[2] - '0') * 100000 +
			      (s[3] - '0') * 10000 + (s[5] - '0') * 1000 + (s[6] - '0') * 100 +
			      (s[8] - '0') * 10 + (s[9] - '0'));
	}
	json_decref(sch);
	json_decref(hol);
	return rc;
}

/* ---- loading ------------------------------------------------------------------------ */

static int load_zones(struct store_tx *tx, struct access_policy *p, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT id, name, kind, parent_id, capacity, anti_passback, required_quals "
			     "FROM zones ORDER BY id",
			     "");
	if (rc < 0)
		return rc;
	int cap = 0;
	int64_t *parents = NULL;
	while ((rc = store_next(r)) == 1) {
		if (p->nzones == cap) {
			cap = cap ? cap * 2 : 64;
			p->zones = pg_realloc(p->zones, sizeof(*p->zones) * (size_t)cap);
			parents = pg_realloc(parents, sizeof(int64_t) * (size_t)cap);
		}
		struct ap_zone *z = &p->zones[p->nzones];
		memset(z, 0, sizeof(*z));
		z->id = store_int(r, 0);
		z->name = pg_strdup(nz(store_text(r, 1)));
		z->kind = (enum zone_kind)ENUM_OF(store_text(r, 2), zone_kinds, ZK_HIGH_SECURITY);
		parents[p->nzones] = store_int(r, 3);
		z->capacity = (int)store_int(r, 4);
		z->apb = (enum apb_mode)ENUM_OF(store_text(r, 5), apb_modes, APB_NONE);
		json_t *q = json_loads(nz(store_text(r, 6)), 0, NULL), *v;
		size_t i;
		json_array_foreach(q, i, v) {
			if (!json_is_string(v))
				continue;
			z->quals = pg_realloc(z->quals, sizeof(char *) * (size_t)(z->nquals + 1));
			z->quals[z->nquals++] = pg_strdup(json_string_value(v));
		}
		json_decref(q);
		p->nzones++;
	}
	store_rows_free(r);
	imap_init(&p->zone_ix, (size_t)p->nzones);
	for (int i = 0; i < p->nzones; i++)
		imap_put(&p->zone_ix, p->zones[i].id, i);
	for (int i = 0; i < p->nzones; i++)
		p->zones[i].parent = parents[i] ? policy_zone_index(p, parents[i]) : -1;
	pg_free(parents);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading zones failed") : 0;
}

static int load_readers(struct store_tx *tx, struct access_policy *p, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT id, name, kind, from_zone_id, to_zone_id FROM readers ORDER BY id", "");
	if (rc < 0)
		return rc;
	int cap = 0;
	while ((rc = store_next(r)) == 1) {
		int from = policy_zone_index(p, store_int(r, 3)), to = policy_zone_index(p, store_int(r, 4));
		if (from < 0 || to < 0)
			continue;
		if (p->nreaders == cap) {
			cap = cap ? cap * 2 : 64;
			p->readers = pg_realloc(p->readers, sizeof(*p->readers) * (size_t)cap);
		}
		struct ap_reader *rd = &p->readers[p->nreaders++];
		rd->id = store_int(r, 0);
		rd->name = pg_strdup(nz(store_text(r, 1)));
		rd->kind = (enum reader_kind)ENUM_OF(store_text(r, 2), reader_kinds, RK_DOOR);
		rd->from = from;
		rd->to = to;
	}
	store_rows_free(r);
	imap_init(&p->reader_ix, (size_t)p->nreaders);
	for (int i = 0; i < p->nreaders; i++)
		imap_put(&p->reader_ix, p->readers[i].id, i);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading readers failed") : 0;
}

static int load_groups(struct store_tx *tx, struct access_policy *p, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT id, name, schedule, holidays, levels FROM access_groups ORDER BY id",
			     "");
	if (rc < 0)
		return rc;
	int cap = 0;
	while ((rc = store_next(r)) == 1) {
		if (p->ngroups == cap) {
			cap = cap ? cap * 2 : 32;
			p->groups = pg_realloc(p->groups, sizeof(*p->groups) * (size_t)cap);
		}
		struct ap_group *g = &p->groups[p->ngroups++];
		memset(g, 0, sizeof(*g));
		g->id = store_int(r, 0);
		g->name = pg_strdup(nz(store_text(r, 1)));
		g->levels = (int)store_int(r, 4);
		g->zones = pg_calloc((size_t)p->nzones + 1, 1);
		if (load_schedule(g, store_text(r, 2), store_text(r, 3)) < 0)
			pg_warn("access: group %lld '%s' has a malformed schedule or holiday: the "
				"malformed parts are ignored",
				(long long)g->id, g->name);
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading access groups failed");
	imap_init(&p->group_ix, (size_t)p->ngroups);
	for (int i = 0; i < p->ngroups; i++)
		imap_put(&p->group_ix, p->groups[i].id, i);
	rc = store_query(tx, &r, err, "SELECT group_id, zone_id FROM group_zones", "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		int64_t gi;
		int zi = policy_zone_index(p, store_int(r, 1));
		if (imap_get(&p->group_ix, store_int(r, 0), &gi) && zi >= 0)
			p->groups[gi].zones[zi] = 1;
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading group zones failed") : 0;
}

static struct ap_person *person_at(struct access_policy *p, int64_t id)
{
	int64_t i;
	return imap_get(&p->person_ix, id, &i) ? &p->people[i] : NULL;
}

static int load_people(struct store_tx *tx, struct access_policy *p, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT id, first_name, last_name, kind, watchlisted, visitor_expires_ms "
			     "FROM people ORDER BY id",
			     "");
	if (rc < 0)
		return rc;
	int cap = 0;
	while ((rc = store_next(r)) == 1) {
		if (p->npeople == cap) {
			cap = cap ? cap * 2 : 1024;
			p->people = pg_realloc(p->people, sizeof(*p->people) * (size_t)cap);
		}
		struct ap_person *pe = &p->people[p->npeople++];
		memset(pe, 0, sizeof(*pe));
		pe->id = store_int(r, 0);
		pe->name = pg_asprintf("%s %s", nz(store_text(r, 1)), nz(store_text(r, 2)));
		pe->kind = (enum person_kind)ENUM_OF(store_text(r, 3), person_kinds, PK_VISITOR);
		pe->watchlisted = store_int(r, 4) != 0;
		pe->visitor_expires_ms = store_int(r, 5);
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading people failed");
	imap_init(&p->person_ix, (size_t)p->npeople);
	for (int i = 0; i < p->npeople; i++)
		imap_put(&p->person_ix, p->people[i].id, i);

	rc = store_query(tx, &r, err, "SELECT person_id, group_id, until_ms FROM person_groups", "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		struct ap_person *pe = person_at(p, store_int(r, 0));
		int64_t gi;
		if (!pe || !imap_get(&p->group_ix, store_int(r, 1), &gi))
			continue;
		pe->grants = pg_realloc(pe->grants, sizeof(*pe->grants) * (size_t)(pe->ngrants + 1));
		pe->grants[pe->ngrants++] = (struct ap_grant){(int)gi, store_int(r, 2)};
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading person groups failed");

	rc = store_query(tx, &r, err, "SELECT person_id, name, expires_ms FROM qualifications", "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		struct ap_person *pe = person_at(p, store_int(r, 0));
		if (!pe)
			continue;
		pe->quals = pg_realloc(pe->quals, sizeof(*pe->quals) * (size_t)(pe->nquals + 1));
		pe->quals[pe->nquals++] =
			(struct ap_qual){pg_strdup(nz(store_text(r, 1))), store_int(r, 2)};
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading qualifications failed");

	rc = store_query(tx, &r, err, "SELECT person_id, zone_id FROM person_essential", "");
	if (rc < 0)
		return rc;
	while ((rc = store_next(r)) == 1) {
		struct ap_person *pe = person_at(p, store_int(r, 0));
		int zi = policy_zone_index(p, store_int(r, 1));
		if (!pe || zi < 0)
			continue;
		pe->essential = pg_realloc(pe->essential, sizeof(int) * (size_t)(pe->nessential + 1));
		pe->essential[pe->nessential++] = zi;
	}
	store_rows_free(r);
	return rc < 0 ? pg_err_set(err, PG_EIO, "store: reading essential people failed") : 0;
}

static int load_creds(struct store_tx *tx, struct access_policy *p, struct pg_err *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT uid, person_id, status, valid_from_ms, valid_until_ms, pin_hash "
			     "FROM credentials",
			     "");
	if (rc < 0)
		return rc;
	int cap = 0;
	while ((rc = store_next(r)) == 1) {
		int64_t pi;
		if (!imap_get(&p->person_ix, store_int(r, 1), &pi))
			continue;
		if (p->ncreds == cap) {
			cap = cap ? cap * 2 : 1024;
			p->creds = pg_realloc(p->creds, sizeof(*p->creds) * (size_t)cap);
		}
		struct ap_cred *c = &p->creds[p->ncreds++];
		c->uid = pg_strdup(nz(store_text(r, 0)));
		c->person = (int)pi;
		c->status = (enum cred_status)ENUM_OF(store_text(r, 2), cred_statuses, CS_REVOKED);
		c->valid_from_ms = store_int(r, 3);
		c->valid_until_ms = store_int(r, 4);
		c->pin_hash = store_is_null(r, 5) ? NULL : pg_strdup(nz(store_text(r, 5)));
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading credentials failed");
	size_t slots = 16;
	while (slots < (size_t)p->ncreds * 2)
		slots *= 2;
	p->cred_cap = slots;
	p->cred_slots = pg_malloc(sizeof(int) * slots);
	memset(p->cred_slots, 0xff, sizeof(int) * slots);
	for (int i = 0; i < p->ncreds; i++) {
		size_t s = str_hash(p->creds[i].uid) & (slots - 1);
		while (p->cred_slots[s] >= 0)
			s = (s + 1) & (slots - 1);
		p->cred_slots[s] = i;
	}
	return 0;
}

int access_policy_load(struct store_tx *tx, struct access_policy **out, struct pg_err *err)
{
	struct access_policy *p = pg_calloc(1, sizeof(*p));
	int rc;
	if ((rc = load_zones(tx, p, err)) < 0 || (rc = load_readers(tx, p, err)) < 0 ||
	    (rc = load_groups(tx, p, err)) < 0 || (rc = load_people(tx, p, err)) < 0 ||
	    (rc = load_creds(tx, p, err)) < 0) {
		access_policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void access_policy_free(struct access_policy *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nzones; i++) {
		pg_free(p->zones[i].name);
		for (int k = 0; k < p->zones[i].nquals; k++)
			pg_free(p->zones[i].quals[k]);
		pg_free(p->zones[i].quals);
	}
	for (int i = 0; i < p->nreaders; i++)
		pg_free(p->readers[i].name);
	for (int i = 0; i < p->ngroups; i++) {
		pg_free(p->groups[i].name);
		pg_free(p->groups[i].zones);
		pg_free(p->groups[i].spans);
		pg_free(p->groups[i].holidays);
	}
	for (int i = 0; i < p->npeople; i++) {
		struct ap_person *pe = &p->people[i];
		pg_free(pe->name);
		pg_free(pe->grants);
		for (int k = 0; k < pe->nquals; k++)
			pg_free(pe->quals[k].name);
		pg_free(pe->quals);
		pg_free(pe->essential);
	}
	for (int i = 0; i < p->ncreds; i++) {
		pg_free(p->creds[i].uid);
		pg_free(p->creds[i].pin_hash);
	}
	pg_free(p->zones);
	pg_free(p->readers);
	pg_free(p->groups);
	pg_free(p->people);
	pg_free(p->creds);
	pg_free(p->cred_slots);
	imap_release(&p->zone_ix);
	imap_release(&p->reader_ix);
	imap_release(&p->person_ix);
	imap_release(&p->group_ix);
	pg_free(p);
}

/* ---- PINs: salted BLAKE2b, fast enough for a door (the PIN is a second factor next to
 * the card, not a password) ---------------------------------------------------------- */

void access_pin_hash(const char *pin, char out[100])
{
	unsigned char salt[16], h[32];
	char salthex[33], hhex[65];
	pg_random_bytes(salt, sizeof(salt));
	crypto_generichash(h, sizeof(h), (const unsigned char *)pin, strlen(pin), salt, sizeof(salt));
	pg_hex(salt, sizeof(salt), salthex);
	pg_hex(h, sizeof(h), hhex);
	pg_snprintf(out, 100, "%s$%s", salthex, hhex);
}

int access_pin_check(const char *stored, const char *pin)
{
	unsigned char salt[16], h[32];
	char hhex[65];
	const char *dollar = strchr(stored, '$');
	if (!dollar || dollar - stored != 32)
		return 0;
	for (int i = 0; i < 16; i++) {
		unsigned v;
		if (sscanf(stored + 2 * i, "%2x", &v) != 1)
			return 0;
		salt[i] = (unsigned char)v;
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)pin, strlen(pin), salt, sizeof(salt));
	pg_hex(h, sizeof(h), hhex);
	return pg_streq_ct(hhex, dollar + 1);
}
