/* access_decide.c - the decision engine: one request against a policy snapshot and the
 * live state. Pure: no store, no clock, no network.
 *
 * The rules, in the order users of access control systems expect them:
 *   reader -> credential -> status -> validity -> watchlist -> visitor end -> PIN
 *   -> group, schedule, level -> level 3 responders -> qualifications -> anti-passback
 *   -> escort -> two-person rule -> capacity -> grant.
 * Leaving a zone ("out") checks the credential, anti-passback and nothing else: nobody
 * is kept inside by a schedule. */
#include <stdio.h>
#include <string.h>

#include "access_policy.h"

static const char *const reason_names[AR_COUNT] = {
	"granted",
	"unknown_reader",
	"unknown_credential",
	"credential_suspended",
	"credential_lost",
	"credential_revoked",
	"not_yet_valid",
	"expired",
	"pin_required",
	"pin_wrong",
	"no_access_group",
	"outside_schedule",
	"level_restricted",
	"qualification_missing",
	"qualification_expired",
	"anti_passback",
	"escort_required",
	"two_person_required",
	"zone_full",
	"watchlisted",
	"visitor_expired",
};

const char *access_reason_name(enum access_reason r)
{
	return (unsigned)r < AR_COUNT ? reason_names[r] : "unknown";
}

static void deny(struct access_decision *d, enum access_reason r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void deny(struct access_decision *d, enum access_reason r, const char *fmt, ...)
{
	d->grant = 0;
	d->reason = r;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
	va_end(ap);
}

/* Is zone z (index) the zone a or below it? */
static int zone_within(const struct access_policy *p, int z, int a)
{
	for (int depth = 0; z >= 0 && depth < 64; depth++, z = p->zones[z].parent)
		if (z == a)
			return 1;
	return 0;
}

static int in_schedule(const struct ap_group *g, const struct access_request *req)
{
	for (int i = 0; i < g->nholidays; i++)
		if (g->holidays[i] == req->local_date)
			return 0;
	if (g->always)
		return 1;
	for (int i = 0; i < g->nspans; i++)
		if (req->local_minute_of_week >= g->spans[2 * i] &&
		    req->local_minute_of_week < g->spans[2 * i + 1])
			return 1;
	return 0;
}

/* group, schedule and level: 0 when some group lets the person into zone z now */
static int check_groups(const struct access_policy *p, const struct ap_person *pe, int z,
			const struct access_request *req, struct access_decision *d)
{
	int covering = 0, scheduled = 0;
	for (int i = 0; i < pe->ngrants; i++) {
		const struct ap_group *g = &p->groups[pe->grants[i].group];
		if (pe->grants[i].until_ms && req->now_ms >= pe->grants[i].until_ms)
			continue;
		if (!g->zones[z])
			continue;
		covering++;
		if (!in_schedule(g, req))
			continue;
		scheduled++;
		if (g->levels & (1 << (req->level - 1)))
			return 0;
	}
	if (!covering)
		deny(d, AR_NO_ACCESS_GROUP, "no current access group of %s covers %s", pe->name,
		     p->zones[z].name);
	else if (!scheduled)
		deny(d, AR_OUTSIDE_SCHEDULE, "%s: outside the schedule of every group covering it",
		     p->zones[z].name);
	else
		deny(d, AR_LEVEL_RESTRICTED, "%s: no group covering it is valid at security level %d",
		     p->zones[z].name, req->level);
	return -1;
}

static int check_essential(const struct access_policy *p, const struct ap_person *pe, int z,
			   struct access_decision *d)
{
	for (int i = 0; i < pe->nessential; i++)
		if (zone_within(p, z, pe->essential[i]))
			return 0;
	deny(d, AR_LEVEL_RESTRICTED, "security level 3: %s admits only responders essential to it",
	     p->zones[z].name);
	return -1;
}

static int check_quals(const struct access_policy *p, const struct ap_person *pe, int z,
		       int64_t now, struct access_decision *d)
{
	for (int zi = z, depth = 0; zi >= 0 && depth < 64; zi = p->zones[zi].parent, depth++) {
		const struct ap_zone *zone = &p->zones[zi];
		for (int q = 0; q < zone->nquals; q++) {
			const struct ap_qual *have = NULL;
			for (int k = 0; k < pe->nquals; k++)
				if (strcmp(pe->quals[k].name, zone->quals[q]) == 0)
					have = &pe->quals[k];
			if (!have) {
				deny(d, AR_QUALIFICATION_MISSING, "%s requires %s, which %s does not hold",
				     zone->name, zone->quals[q], pe->name);
				return -1;
			}
			if (have->expires_ms && now >= have->expires_ms) {
				char t[PG_TIME_LEN];
				pg_time_format(have->expires_ms, t);
				deny(d, AR_QUALIFICATION_EXPIRED, "%s requires %s: expired %.10s", zone->name,
				     zone->quals[q], t);
				return -1;
			}
		}
	}
	return 0;
}

/* ---- holds at readers (escorts, two-person rule) ------------------------------------- */

static void holds_prune(struct access_state *st, int64_t now)
{
	int k = 0;
	for (int i = 0; i < st->nholds; i++)
		if (now - st->holds[i].at_ms <= HOLD_MS)
			st->holds[k++] = st->holds[i];
	st->nholds = k;
}

static void hold_add(struct access_state *st, int64_t reader, int64_t person, enum hold_kind kind,
		     int64_t now)
{
	for (int i = 0; i < st->nholds; i++) {
		struct hold *h = &st->holds[i];
		if (h->reader_id == reader && h->person_id == person && h->kind == kind) {
			h->at_ms = now;
			return;
		}
	}
	if (st->nholds == MAX_HOLDS) { /* drop the oldest */
		memmove(&st->holds[0], &st->holds[1], sizeof(st->holds[0]) * (MAX_HOLDS - 1));
		st->nholds--;
	}
	st->holds[st->nholds++] = (struct hold){reader, person, now, kind};
}

/* Finds a hold of kind at reader by someone other than person; -1 if none. */
static int hold_find(const struct access_state *st, int64_t reader, int64_t person,
		     enum hold_kind kind)
{
	for (int i = st->nholds - 1; i >= 0; i--)
		if (st->holds[i].reader_id == reader && st->holds[i].kind == kind &&
		    st->holds[i].person_id != person)
			return i;
	return -1;
}

static void hold_remove(struct access_state *st, int i)
{
	memmove(&st->holds[i], &st->holds[i + 1], sizeof(st->holds[0]) * (size_t)(st->nholds - i - 1));
	st->nholds--;
}

/* ---- the decision ------------------------------------------------------------------- */

void access_decide(const struct access_policy *p, struct access_state *st,
		   const struct access_request *req, struct access_decision *d)
{
	memset(d, 0, sizeof(*d));
	holds_prune(st, req->now_ms);
	const struct ap_reader *rd = policy_reader(p, req->reader_id);
	if (!rd) {
		deny(d, AR_UNKNOWN_READER, "no reader with id %lld", (long long)req->reader_id);
		return;
	}
	int z = req->out ? rd->from : rd->to;       /* the zone the person goes to */
	int left = req->out ? rd->to : rd->from;    /* the zone the person leaves */
	const struct ap_zone *zone = &p->zones[z];
	d->zone_id = zone->id;

	char uid[40];
	size_t n = strlen(req->credential);
	for (size_t i = 0; i < n && i < sizeof(uid) - 1; i++)
		uid[i] = (char)(req->credential[i] >= 'a' && req->credential[i] <= 'f'
					? req->credential[i] - 'a' + 'A' : req->credential[i]);
	uid[n < sizeof(uid) - 1 ? n : sizeof(uid) - 1] = '\0';
	const struct ap_cred *c = n < sizeof(uid) ? policy_cred(p, uid) : NULL;
	if (!c) {
		deny(d, AR_UNKNOWN_CREDENTIAL, "credential not enrolled");
		return;
	}
	const struct ap_person *pe = &p->people[c->person];
	d->person_id = pe->id;
	switch (c->status) {
	case CS_SUSPENDED:
		deny(d, AR_CREDENTIAL_SUSPENDED, "credential %s is suspended", c->uid);
		return;
	case CS_LOST:
	case CS_STOLEN:
		d->alarm_lost = 1;
		deny(d, AR_CREDENTIAL_LOST, "credential %s was reported %s", c->uid,
		     c->status == CS_LOST ? "lost" : "stolen");
		return;
	case CS_REVOKED:
		deny(d, AR_CREDENTIAL_REVOKED, "credential %s is revoked", c->uid);
		return;
	case CS_ACTIVE:
		break;
	}
	char t[PG_TIME_LEN];
	if (c->valid_from_ms && req->now_ms < c->valid_from_ms) {
		pg_time_format(c->valid_from_ms, t);
		deny(d, AR_NOT_YET_VALID, "credential valid from %s", t);
		return;
	}
	if (c->valid_until_ms && req->now_ms >= c->valid_until_ms) {
		pg_time_format(c->valid_until_ms, t);
		deny(d, AR_EXPIRED, "credential expired %s", t);
		return;
	}
	if (pe->watchlisted) {
		deny(d, AR_WATCHLISTED, "%s is on the watchlist", pe->name);
		return;
	}
	if (pe->kind == PK_VISITOR && pe->visitor_expires_ms && req->now_ms >= pe->visitor_expires_ms) {
		pg_time_format(pe->visitor_expires_ms, t);
		deny(d, AR_VISITOR_EXPIRED, "visit ended %s", t);
		return;
	}
	if (!req->out && zone->kind >= ZK_RESTRICTED && req->level >= 2) {
		if (!c->pin_hash || !req->pin || !*req->pin) {
			deny(d, AR_PIN_REQUIRED, "%s needs card and PIN at security level %d",
			     zone->name, req->level);
			return;
		}
		if (!access_pin_check(c->pin_hash, req->pin)) {
			deny(d, AR_PIN_WRONG, "wrong PIN");
			return;
		}
	}
	if (!req->out) {
		if (check_groups(p, pe, z, req, d) < 0)
			return;
		if (req->level == 3 && check_essential(p, pe, z, d) < 0)
			return;
		if (check_quals(p, pe, z, req->now_ms, d) < 0)
			return;
	}

	/* anti-passback on the zone entered, or on the zone left */
	const struct ap_zone *apz = req->out ? &p->zones[left] : zone;
	int64_t where = access_state_location(st, pe->id);
	int violation = req->out ? (where && where != apz->id) : (where == apz->id);
	if (apz->apb != APB_NONE && violation) {
		if (apz->apb == APB_HARD) {
			deny(d, AR_ANTI_PASSBACK, "%s: %s is recorded %s already", apz->name, pe->name,
			     req->out ? "outside it" : "inside it");
			return;
		}
		d->soft_passback = 1;
	}

	if (!req->out) {
		/* escort: a visitor entering a restricted zone, or any zone at level 2 and 3 */
		if (pe->kind == PK_VISITOR && (zone->kind >= ZK_RESTRICTED || req->level >= 2)) {
			if (hold_find(st, rd->id, pe->id, ESCORT_PRESENT) < 0) {
				hold_add(st, rd->id, pe->id, HOLD_ESCORT, req->now_ms);
				d->held = 1;
				deny(d, AR_ESCORT_REQUIRED,
				     "visitor %s waits at %s for an escort (30 s)", pe->name, rd->name);
				return;
			}
		}
		/* two-person rule: the first authorised person is held for a second one */
		if (zone->kind == ZK_HIGH_SECURITY) {
			int h = hold_find(st, rd->id, pe->id, HOLD_TWO_PERSON);
			if (h < 0) {
				hold_add(st, rd->id, pe->id, HOLD_TWO_PERSON, req->now_ms);
				d->held = 1;
				deny(d, AR_TWO_PERSON_REQUIRED,
				     "%s is high-security: %s waits for a second authorised person (30 s)",
				     zone->name, pe->name);
				return;
			}
		}
		if (zone->capacity && access_state_count(st, zone->id) >= zone->capacity &&
		    where != zone->id) {
			deny(d, AR_ZONE_FULL, "%s holds %d of %d", zone->name,
			     access_state_count(st, zone->id), zone->capacity);
			return;
		}
	}

	/* grant */
	d->grant = 1;
	d->reason = AR_GRANTED;
	snprintf(d->detail, sizeof(d->detail), "%s %s %s%s", pe->name, req->out ? "leaves to" : "enters",
		 zone->name, d->soft_passback ? " (anti-passback violation tolerated: soft zone)" : "");
	access_state_place(st, pe->id, zone->id, req->now_ms);
	if (req->out)
		return;
	/* release whoever this grant completes: the second person of a two-person entry;
	 * visitors waiting for an escort (a non-visitor escorts) */
	for (int i = st->nholds - 1; i >= 0; i--) {
		struct hold *h = &st->holds[i];
		if (h->reader_id != rd->id || h->person_id == pe->id)
			continue;
		int releases = h->kind == HOLD_TWO_PERSON ||
			       (h->kind == HOLD_ESCORT && pe->kind != PK_VISITOR);
		if (!releases || d->nreleased == ACCESS_MAX_RELEASED)
			continue;
		d->released[d->nreleased++] = h->person_id;
		access_state_place(st, h->person_id, zone->id, req->now_ms);
		hold_remove(st, i);
	}
	for (int i = st->nholds - 1; i >= 0; i--) /* the one who completed a pair is done too */
		if (st->holds[i].reader_id == rd->id && st->holds[i].person_id == pe->id &&
		    st->holds[i].kind != ESCORT_PRESENT)
			hold_remove(st, i);
	if (pe->kind != PK_VISITOR)
		hold_add(st, rd->id, pe->id, ESCORT_PRESENT, req->now_ms);
}
