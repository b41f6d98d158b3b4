/* alarms_kinds.c - the alarm kinds (the compiled-in table and the INI file over it).
 *
 * A kind's procedure is written in the table as "R:text|O:text|..." (R required, O
 * optional), in the order the operator works through it. etc/alarms.ini is this table
 * written out; the unit tests check that the two agree. */
#include <ini.h>
#include <stdio.h>
#include <string.h>

#include "alarms.h"

static const struct {
	const char *name, *label;
	int priority, intrusion, escalate_s;
	const char *steps;
} defaults[] = {
    /* sensors */
    {"fence_intrusion", "Perimeter fence intrusion", 2, 1, 120,
     "R:Call up the cameras covering the zone and look|R:Dispatch a patrol to the fence "
     "section|O:Inform the PFSO|R:Record what was found"},
    {"pir", "Movement detected (PIR)", 3, 1, 300,
     "R:Call up the cameras covering the zone and look|O:Dispatch a patrol|R:Record what was "
     "found"},
    {"camera_analytics", "Video analytics detection", 3, 1, 300,
     "R:Review the camera clip|O:Dispatch a patrol|R:Record what was found"},
    {"door_forced", "Door forced open", 2, 1, 120,
     "R:Call up the cameras at the door|R:Dispatch a patrol to the door|R:Confirm the door is "
     "closed and secured|O:Inform the PFSO"},
    {"door_held_open", "Door held open", 4, 1, 0,
     "R:Call the area and ask for the door to be closed|R:Confirm the door is closed"},
    {"panic_button", "Panic button pressed", 1, 0, 60,
     "R:Call the location by radio or phone|R:Dispatch responders|R:Inform the PFSO|R:Record "
     "what happened"},
    {"smoke_heat", "Smoke or heat detected", 1, 0, 60,
     "R:Call up the cameras covering the zone|R:Alert the fire brigade as the contingency plan "
     "says|R:Evacuate the zone if the fire is confirmed|O:Inform the PFSO"},
    {"glass_break", "Glass break", 2, 1, 120,
     "R:Call up the cameras covering the zone|R:Dispatch a patrol|R:Record what was found"},
    {"temperature", "Temperature out of range", 3, 0, 0,
     "R:Check the reading on site|O:Inform the owner of the goods or equipment"},
    {"gas", "Gas detected", 1, 0, 60,
     "R:Keep people out of the zone|R:Alert the fire brigade as the contingency plan "
     "says|R:Inform the PFSO"},
    {"radiation_portal", "Radiation portal alarm", 1, 0, 60,
     "R:Stop the vehicle or container and keep people at a distance|R:Inform customs and the "
     "radiation protection officer|R:Record the reading and the container or vehicle"},
    {"water_level", "Water level out of range", 3, 0, 0,
     "R:Check the reading on site|O:Warn the berths concerned"},
    {"wind_speed", "Wind speed out of range", 4, 0, 0,
     "R:Warn the crane operators|O:Record the reading"},
    {"sensor_alarm", "Sensor alarm", 3, 0, 0, "R:Check the sensor's zone|R:Record what was found"},
    {"sensor_tamper", "Sensor tampered with", 2, 1, 180,
     "R:Call up the cameras covering the sensor|R:Send a patrol to the sensor|R:Record what was "
     "found"},
    {"sensor_fault", "Sensor fault", 4, 0, 0,
     "R:Open a maintenance request|O:Arrange patrols while the sensor is out"},
    {"sensor_offline", "Sensor offline", 3, 0, 0,
     "R:Check the sensor's power and network|O:Arrange patrols while the sensor is out"},
    /* access */
    {"access_denied_repeated", "Repeated denials at a reader", 3, 1, 300,
     "R:Call up the cameras at the reader|R:Send a guard to the reader|R:Record who it was"},
    {"credential_lost_presented", "Lost or stolen credential presented", 2, 1, 120,
     "R:Call up the cameras at the reader|R:Send a guard to identify the holder|R:Record the "
     "outcome"},
    {"anti_passback", "Anti-passback violation", 4, 0, 0,
     "R:Check the person's movements|O:Brief the person"},
    {"zone_capacity_reached", "Zone at capacity", 4, 0, 0,
     "R:Stop further entries to the zone|O:Inform the PFSO"},
    {"watchlist_presented", "Watch-listed person at a reader", 2, 1, 120,
     "R:Call up the cameras at the reader|R:Send a guard|R:Inform the PFSO"},
    /* AIS */
    {"ais_zone_entry", "Vessel entered a restricted zone", 2, 1, 180,
     "R:Identify the vessel on the map and the cameras|R:Hail the vessel on VHF|O:Inform the "
     "harbour master|R:Record the outcome"},
    {"ais_approach", "Vessel approaching fast", 3, 1, 300,
     "R:Identify the vessel|R:Hail the vessel on VHF|R:Record the outcome"},
    {"ais_dark", "Vessel went dark (AIS off)", 3, 0, 0,
     "R:Check the vessel's last position|O:Inform the harbour master"},
    {"ais_loitering", "Vessel loitering", 3, 0, 0,
     "R:Watch the vessel on the cameras|O:Hail the vessel on VHF"},
    {"ais_rendezvous", "Vessels meeting at sea", 2, 1, 180,
     "R:Identify both vessels|R:Inform the authority|R:Record the outcome"},
    {"ais_spoofing", "AIS position spoofing", 2, 0, 180,
     "R:Compare with radar or cameras|R:Inform the authority"},
    {"ais_identity", "AIS identity mismatch", 3, 0, 0,
     "R:Check the vessel's identity|O:Inform the authority"},
    {"ais_speeding", "Vessel speeding", 4, 0, 0, "R:Hail the vessel on VHF"},
    /* training */
    {"drill_overdue", "Security drill overdue", 5, 0, 0, "R:Schedule the drill|O:Inform the PFSO"},
    {"exercise_overdue", "Security exercise overdue", 5, 0, 0,
     "R:Schedule the exercise|O:Inform the PFSO"},
    /* operators */
    {"manual", "Manual alarm", 3, 0, 300, "R:Assess the report|R:Record what was done"},
};
#define N_DEFAULTS (sizeof(defaults) / sizeof(defaults[0]))

static const struct alarm_rules default_rules = {
    .forced_door_grant_s = 10,
    .door_held_open_s = 30,
    .denials = 3,
    .denials_window_s = 60,
    .escalation_steps = 3,
};

static void steps_from(struct alarm_kind *k, const char *s)
{
	k->nsteps = 0;
	while (s && *s && k->nsteps < ALARM_MAX_STEPS) {
		size_t n = strcspn(s, "|");
		struct alarm_step_def *d = &k->steps[k->nsteps++];
		d->required = s[0] == 'R';
		pg_snprintf(d->text, sizeof(d->text), "%.*s", (int)(n - 2), s + 2);
		s += n + (s[n] == '|');
	}
}

struct alarm_kinds *alarm_kinds_default(void)
{
	struct alarm_kinds *ks = pg_calloc(1, sizeof(*ks));
	for (size_t i = 0; i < N_DEFAULTS; i++) {
		struct alarm_kind *k = &ks->kinds[ks->n++];
		pg_strlcpy(k->name, defaults[i].name, sizeof(k->name));
		pg_strlcpy(k->label, defaults[i].label, sizeof(k->label));
		k->priority = defaults[i].priority;
		k->intrusion = defaults[i].intrusion;
		k->escalate_s = defaults[i].escalate_s;
		steps_from(k, defaults[i].steps);
	}
	ks->rules = default_rules;
	return ks;
}

const struct alarm_kind *alarm_kind_find(const struct alarm_kinds *ks, const char *name)
{
	for (int i = 0; name && i < ks->n; i++)
		if (strcmp(ks->kinds[i].name, name) == 0)
			return &ks->kinds[i];
	return NULL;
}

int alarm_priority_at(const struct alarm_kind *k, int level)
{
	int p = k->priority;
	if (k->intrusion && level >= 2 && p > 1)
		p--;
	return p;
}

/* ---- the INI file ----------------------------------------------------------------------- */

/* libinih reads a line in pieces of 200 bytes: longer lines are refused first. */
#define MAX_LINE 198
/* a step written back as "optional = TEXT" must fit a line */
#define STEP_MAX (MAX_LINE - 11)

struct parse {
	struct alarm_kinds *ks;
	struct pg_err *err;
	int failed;
	char section[ALARM_KIND_LEN + 8];
	struct alarm_kind *kind; /* NULL in [rules] */
	unsigned char steps_given[ALARM_MAX_KINDS];
};

static int fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char msg[400];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pg_err_set(p->err, PG_EINVAL, "%s", msg);
	p->failed = 1;
	return 0;
}

static int name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= ALARM_KIND_LEN)
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return 0;
	return 1;
}

static int section_enter(struct parse *p, const char *section)
{
	pg_strlcpy(p->section, section, sizeof(p->section));
	if (strcmp(section, "rules") == 0) {
		p->kind = NULL;
		return 1;
	}
	if (strncmp(section, "kind ", 5) != 0)
		return fail(p, "[%.60s]: not a section of this file (give [kind NAME] or [rules])",
		            section);
	const char *name = section + 5;
	if (!name_valid(name))
		return fail(p, "[%.60s]: a kind's name is 1 to %d of a-z, 0-9 and '_'", section,
		            ALARM_KIND_LEN - 1);
	p->kind = (struct alarm_kind *)alarm_kind_find(p->ks, name);
	if (p->kind)
		return 1;
	if (p->ks->n >= ALARM_MAX_KINDS)
		return fail(p, "[%s]: more than %d kinds", section, ALARM_MAX_KINDS);
	p->kind = &p->ks->kinds[p->ks->n++];
	memset(p->kind, 0, sizeof(*p->kind));
	pg_strlcpy(p->kind->name, name, sizeof(p->kind->name));
	pg_strlcpy(p->kind->label, name, sizeof(p->kind->label));
	p->kind->priority = 3;
	return 1;
}

static int int_value(struct parse *p, const char *key, const char *value, int64_t lo, int64_t hi,
                     int *out)
{
	int64_t v;
	if (pg_parse_i64(value, lo, hi, &v) < 0)
		return fail(p, "[%s]: %s: '%.40s' is not a whole number from %lld to %lld",
		            p->section, key, value, (long long)lo, (long long)hi);
	*out = (int)v;
	return 1;
}

static int rules_key(struct parse *p, const char *key, const char *value)
{
	struct alarm_rules *r = &p->ks->rules;
	if (strcmp(key, "forced_door_grant_s") == 0)
		return int_value(p, key, value, 1, 3600, &r->forced_door_grant_s);
	if (strcmp(key, "door_held_open_s") == 0)
		return int_value(p, key, value, 5, 86400, &r->door_held_open_s);
	if (strcmp(key, "denials") == 0)
		return int_value(p, key, value, 2, 100, &r->denials);
	if (strcmp(key, "denials_window_s") == 0)
		return int_value(p, key, value, 5, 3600, &r->denials_window_s);
	if (strcmp(key, "escalation_steps") == 0)
		return int_value(p, key, value, 1, 10, &r->escalation_steps);
	return fail(p,
	            "[rules]: unknown key '%.40s' (forced_door_grant_s, door_held_open_s, denials, "
	            "denials_window_s, escalation_steps)",
	            key);
}

static int kind_key(struct parse *p, const char *key, const char *value)
{
	struct alarm_kind *k = p->kind;
	if (strcmp(key, "label") == 0) {
		if (!*value || strlen(value) >= sizeof(k->label))
			return fail(p, "[%s]: label: give 1 to %zu characters", p->section,
			            sizeof(k->label) - 1);
		pg_strlcpy(k->label, value, sizeof(k->label));
		return 1;
	}
	if (strcmp(key, "priority") == 0)
		return int_value(p, key, value, 1, 5, &k->priority);
	if (strcmp(key, "escalate_s") == 0)
		return int_value(p, key, value, 0, 86400, &k->escalate_s);
	if (strcmp(key, "intrusion") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail(p, "[%s]: intrusion must be yes or no", p->section);
		k->intrusion = value[0] == 'y';
		return 1;
	}
	if (strcmp(key, "required") == 0 || strcmp(key, "optional") == 0) {
		int ki = (int)(k - p->ks->kinds);
		if (!p->steps_given[ki]) {
			p->steps_given[ki] = 1;
			k->nsteps = 0;
		}
		if (k->nsteps >= ALARM_MAX_STEPS)
			return fail(p, "[%s]: more than %d steps", p->section, ALARM_MAX_STEPS);
		if (!*value || strlen(value) > STEP_MAX)
			return fail(p, "[%s]: a step is 1 to %d characters", p->section, STEP_MAX);
		struct alarm_step_def *d = &k->steps[k->nsteps++];
		pg_strlcpy(d->text, value, sizeof(d->text));
		d->required = key[0] == 'r';
		return 1;
	}
	return fail(p,
	            "[%s]: unknown key '%.40s' (label, priority, intrusion, escalate_s, required, "
	            "optional)",
	            p->section, key);
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
	struct parse *p = user;
	if (p->failed)
		return 0;
	if (!key)
		return 1;
	if (!section[0])
		return fail(p, "'%.60s' is outside a section", key);
	if (strcmp(section, p->section) != 0 && !section_enter(p, section))
		return 0;
	return p->kind ? kind_key(p, key, value) : rules_key(p, key, value);
}

int alarm_kinds_parse(const char *text, struct alarm_kinds **out, struct pg_err *err)
{
	int line = 1;
	size_t len = 0;
	for (const char *c = text; *c; c++) {
		if (*c == '\n') {
			line++;
			len = 0;
		} else if (++len > MAX_LINE) {
			return pg_err_set(err, PG_EINVAL, "line %d: longer than %d characters",
			                  line, MAX_LINE);
		}
	}
	struct pg_err e = {0};
	struct parse p = {.ks = alarm_kinds_default(), .err = &e};
	int rc = ini_parse_string(text, on_key, &p);
	if (p.failed)
		rc = pg_err_set(err, PG_EINVAL, "line %d: %s", rc, e.msg);
	else if (rc != 0)
		rc = pg_err_set(err, PG_EINVAL, "line %d: not a 'key = value' line or [section]",
		                rc);
	for (int i = 0; rc == 0 && i < p.ks->n; i++) {
		const struct alarm_kind *k = &p.ks->kinds[i];
		int required = 0;
		for (int j = 0; j < k->nsteps; j++)
			required += k->steps[j].required;
		if (k->nsteps == 0)
			rc = pg_err_set(err, PG_EINVAL,
			                "[kind %s]: no procedure: give at least one "
			                "'required = ' step",
			                k->name);
		else if (!required)
			rc = pg_err_set(
			    err, PG_EINVAL,
			    "[kind %s]: no required step: an alarm must not be resolvable "
			    "without one",
			    k->name);
	}
	if (rc == 0 && !alarm_kind_find(p.ks, "manual"))
		rc = pg_err_set(err, PG_EINVAL, "the kind 'manual' is missing");
	if (rc < 0) {
		pg_free(p.ks);
		return rc;
	}
	*out = p.ks;
	return 0;
}

static int kinds_parse(const char *text, void *out, struct pg_err *err)
{
	return alarm_kinds_parse(text, out, err);
}

int alarm_kinds_load(const char *path, struct alarm_kinds **out, struct pg_err *err)
{
	return pg_load_text_file(path, 1 << 20, "alarm kinds", kinds_parse, out, err);
}

int alarm_kinds_ini(const struct alarm_kinds *ks, struct pg_buf *out)
{
	const struct alarm_rules *r = &ks->rules;
	int rc = pg_buf_printf(
	    out,
	    "[rules]\n"
	    "; a door that opens with no access granted at its reader this many seconds before: "
	    "door_forced\nforced_door_grant_s = %d\n"
	    "; a door still open this many seconds after it opened: door_held_open\n"
	    "door_held_open_s = %d\n"
	    "; this many denials at one reader within denials_window_s: access_denied_repeated\n"
	    "denials = %d\ndenials_window_s = %d\n"
	    "; how often an unacknowledged alarm of priority 1 or 2 escalates at most\n"
	    "escalation_steps = %d\n",
	    r->forced_door_grant_s, r->door_held_open_s, r->denials, r->denials_window_s,
	    r->escalation_steps);
	for (int i = 0; rc == 0 && i < ks->n; i++) {
		const struct alarm_kind *k = &ks->kinds[i];
		rc = pg_buf_printf(out,
		                   "\n[kind %s]\nlabel = %s\npriority = %d\nintrusion = %s\n"
		                   "escalate_s = %d\n",
		                   k->name, k->label, k->priority, k->intrusion ? "yes" : "no",
		                   k->escalate_s);
		for (int j = 0; rc == 0 && j < k->nsteps; j++)
			rc = pg_buf_printf(out, "%s = %s\n",
			                   k->steps[j].required ? "required" : "optional",
			                   k->steps[j].text);
	}
	return rc;
}

json_t *alarm_kinds_json(const struct alarm_kinds *ks)
{
	json_t *kinds = json_array();
	for (int i = 0; i < ks->n; i++) {
		const struct alarm_kind *k = &ks->kinds[i];
		json_t *steps = json_array();
		for (int j = 0; j < k->nsteps; j++)
			json_array_append_new(steps, json_pack("{si ss sb}", "n", j + 1, "text",
			                                       k->steps[j].text, "required",
			                                       k->steps[j].required));
		json_array_append_new(kinds, json_pack("{ss ss si sb si so}", "kind", k->name,
		                                       "label", k->label, "priority", k->priority,
		                                       "intrusion", k->intrusion, "escalate_s",
		                                       k->escalate_s, "steps", steps));
	}
	const struct alarm_rules *r = &ks->rules;
	return json_pack("{so s{si si si si si}}", "kinds", kinds, "rules", "forced_door_grant_s",
	                 r->forced_door_grant_s, "door_held_open_s", r->door_held_open_s, "denials",
	                 r->denials, "denials_window_s", r->denials_window_s, "escalation_steps",
	                 r->escalation_steps);
}
