/* fuzz_alarm_kinds.c - the alarm kinds INI parser (alarm_kinds_parse).
 *
 * Checks, for any text:
 *  - on success every kind has a valid name, a terminated label, a priority 1..5, an
 *    escalation time 0..86400, 1..ALARM_MAX_STEPS steps of terminated non-empty text with
 *    at least one required, no two kinds share a name, the kind 'manual' is there, the rules
 *    are within their limits, and the JSON of the table round-trips through jansson;
 *  - on failure the output is untouched and err says PG_EINVAL with a message;
 *  - parsing is deterministic: the same text gives the same table;
 *  - the table written as INI (alarm_kinds_ini) reads back as the same table. */
#include <jansson.h>

#include "alarms/alarms.h"
#include "fuzz.h"

#define MAX_TEXT (1 << 20) /* what alarm_kinds_load accepts */

static void check_kinds(const struct alarm_kinds *k)
{
	FUZZ_CHECK(k->n > 0 && k->n <= ALARM_MAX_KINDS);
	FUZZ_CHECK(alarm_kind_find(k, "manual") != NULL);
	for (int i = 0; i < k->n; i++) {
		const struct alarm_kind *a = &k->kinds[i];
		FUZZ_CHECK(memchr(a->name, '\0', sizeof(a->name)) != NULL && a->name[0]);
		for (const char *c = a->name; *c; c++)
			FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			           *c == '_');
		FUZZ_CHECK(memchr(a->label, '\0', sizeof(a->label)) != NULL && a->label[0]);
		FUZZ_CHECK(a->priority >= 1 && a->priority <= 5);
		FUZZ_CHECK(a->escalate_s >= 0 && a->escalate_s <= 86400);
		FUZZ_CHECK(a->intrusion == 0 || a->intrusion == 1);
		FUZZ_CHECK(a->nsteps >= 1 && a->nsteps <= ALARM_MAX_STEPS);
		int req = 0;
		for (int j = 0; j < a->nsteps; j++) {
			FUZZ_CHECK(memchr(a->steps[j].text, '\0', sizeof(a->steps[j].text)) !=
			           NULL);
			FUZZ_CHECK(a->steps[j].text[0]);
			req += a->steps[j].required;
		}
		FUZZ_CHECK(req > 0);
		for (int lvl = 1; lvl <= 3; lvl++) {
			int p = alarm_priority_at(a, lvl);
			FUZZ_CHECK(p >= 1 && p <= a->priority && a->priority - p <= 1);
		}
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(k->kinds[j].name, a->name) != 0);
	}
	const struct alarm_rules *r = &k->rules;
	FUZZ_CHECK(r->forced_door_grant_s >= 1 && r->forced_door_grant_s <= 3600);
	FUZZ_CHECK(r->door_held_open_s >= 5 && r->door_held_open_s <= 86400);
	FUZZ_CHECK(r->denials >= 2 && r->denials <= 100);
	FUZZ_CHECK(r->denials_window_s >= 5 && r->denials_window_s <= 3600);
	FUZZ_CHECK(r->escalation_steps >= 1 && r->escalation_steps <= 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_TEXT)
		return 0;
	char *text = fuzz_cstr(data, size);
	struct alarm_kinds *k = (struct alarm_kinds *)&k, *sentinel = k;
	struct pg_err err = {0};
	int rc = alarm_kinds_parse(text, &k, &err);
	if (rc == 0) {
		FUZZ_CHECK(err.code == 0 && err.msg[0] == '\0');
		check_kinds(k);
		json_t *j = alarm_kinds_json(k);
		FUZZ_CHECK(j != NULL);
		char *s = json_dumps(j, JSON_COMPACT);
		FUZZ_CHECK(s != NULL);
		json_t *back = json_loads(s, 0, NULL);
		FUZZ_CHECK(back && json_equal(back, j));
		struct alarm_kinds *k2 = NULL;
		FUZZ_CHECK(alarm_kinds_parse(text, &k2, NULL) == 0);
		json_t *j2 = alarm_kinds_json(k2);
		FUZZ_CHECK(json_equal(j, j2));
		json_decref(j2);
		struct pg_buf ini;
		pg_buf_init(&ini, 1 << 22);
		FUZZ_CHECK(alarm_kinds_ini(k, &ini) == 0);
		struct alarm_kinds *k3 = NULL;
		struct pg_err e3 = {0};
		if (alarm_kinds_parse(ini.p, &k3, &e3) != 0) {
			fprintf(stderr, "the INI of an accepted table is refused: %s\n", e3.msg);
			FUZZ_CHECK(0);
		}
		json_t *j3 = alarm_kinds_json(k3);
		FUZZ_CHECK(json_equal(j, j3));
		json_decref(j3);
		pg_free(k3);
		pg_buf_release(&ini);
		json_decref(back);
		json_decref(j);
		free(s);
		pg_free(k2);
		pg_free(k);
	} else {
		FUZZ_CHECK(rc == PG_EINVAL);
		FUZZ_CHECK(k == sentinel);
		FUZZ_CHECK(err.code == PG_EINVAL && err.msg[0] != '\0');
	}
	pg_free(text);
	return 0;
}
