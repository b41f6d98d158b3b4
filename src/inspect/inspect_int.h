/* inspect_int.h - what only the inspect module sees: a container line as scoring reads
 * it, the facts the store contributes, a string map, and name normalisation. */
#ifndef PG_INSPECT_INT_H
#define PG_INSPECT_INT_H

#include "inspect.h"
#include "inspect_container.h"

/* One checked container line. Strings are normalised: number upper-case 11 characters;
 * hs digits only; ports UN/LOCODEs; ts, seals and dg in the CSV forms
 * "AEJEA;SGSIN", "ML123456:H;ABC:I" and "UN1203:3;:8" ("" when none). */
struct inspect_line {
	long line;
	const char *number, *size_type, *shipper, *consignee, *notify, *goods, *hs;
	const char *pol, *ts, *pod, *seals, *dg;
	int64_t declared_kg, vgm_kg; /* vgm_kg -1: not given */
	int check_digit;             /* the digit written, when it is wrong; else -1 */
	int expected_check_digit;
};

/* What the store knows about a line, looked up by the import before scoring. */
struct inspect_facts {
	int first_shipper, first_consignee; /* no earlier shipment on record */
	const char *watch_party;            /* the party on the watchlist, or NULL */
	const char *watch_party_reason;
	const char *watch_vessel_reason; /* NULL: the vessel is not listed */
	const char *watch_container_reason;
	int64_t weighbridge_kg; /* the newest reading in the rule's window, or -1 */
	const char *vessel_imo;
};

/* Scores one line: appends the hits as a JSON array to hits (reset first) and returns
 * the score. */
int inspect_score(const struct inspect_rules *r, const struct inspect_line *l,
                  const struct inspect_facts *f, struct pg_buf *hits);
/* SQL for a stored line's hits (manifest_containers c) as JSON objects: the store keeps the
 * hits that recur across lines once, in inspect_hit_texts, and names them by id in c.hits. */
#define INSPECT_HITS_SQL                                                                           \
	"(SELECT json_group_array(CASE WHEN j.type = 'integer' THEN json(t.hit) ELSE "             \
	"json(j.value) END) FROM json_each(c.hits) j LEFT JOIN inspect_hit_texts t ON "            \
	"j.type = 'integer' AND t.id = j.value)"
/* Random draws are 0..INSPECT_DRAW_BOUND-1, compared with the manifest's rate in ppm; a
 * line stores its value (c.random_value), the manifest its rate (random_ppm). */
#define INSPECT_DRAW_BOUND 1000000
/* SQL for a stored line's draw (manifest_containers c) as the API shows it. */
#define INSPECT_DRAW_SQL                                                                           \
	"(SELECT json_object('value', c.random_value, 'bound', 1000000, 'rate_ppm', "             \
	"dm.random_ppm, 'rate_percent', dm.random_ppm / 10000.0, 'selected', json(CASE WHEN "      \
	"c.random_value < dm.random_ppm THEN 'true' ELSE 'false' END)) FROM manifests dm WHERE "   \
	"dm.id = c.manifest_id)"
/* The weighbridge rules alone for a reading: appends their hits as JSON objects, each
 * preceded by a comma when *first is 0 (then clears it); returns the added weight. */
int inspect_score_weighbridge(const struct inspect_rules *r, int64_t declared_kg, int64_t kg,
                              struct pg_buf *hits, int *first);
/* The longest window of the weighbridge rules, in hours (0: no weighbridge rule). */
int inspect_weighbridge_window_h(const struct inspect_rules *r);
/* The level's random selection rate, in parts per million. */
uint32_t inspect_random_ppm(const struct inspect_rules *r, int level);

/* Appends s as a JSON string (quoted, escaped; invalid UTF-8 bytes become '?'). */
void inspect_json_str(struct pg_buf *b, const char *s);

/* A party's name as the history and the watchlist key it: ASCII upper case, runs of
 * blanks one space, no blanks at the ends (out has room for strlen(name) + 1). */
void inspect_name_key(const char *name, char *out);
/* Normalises an IMO number ("IMO 9321483" or "9321483") into out[8]; 0 if its check
 * digit is right, else PG_EINVAL with err saying what is wrong. */
int inspect_imo_normalise(const char *s, char out[8], struct pg_err *err);
/* 1 if s is an IMDG class: 1-9, optionally .1-.6, optionally a compatibility group letter. */
int inspect_imdg_class_ok(const char *s);

/* Registers the inspection routes (inspect_inspection.c); inspect_register_routes calls it. */
int inspect_inspection_register_routes(struct inspect *in);

/* ---- a string map (open addressing; keys copied) ---------------------------------------- */

struct inspect_map {
	struct pg_buf keys; /* NUL-terminated keys, back to back */
	size_t *slots;      /* offset + 1 into keys; 0 = empty */
	int64_t *values;
	size_t cap, n;
};

void inspect_map_init(struct inspect_map *m);
void inspect_map_release(struct inspect_map *m);
/* The value of key, or NULL. */
int64_t *inspect_map_get(const struct inspect_map *m, const char *key);
/* Adds key with value (or finds it); returns its value slot; *added says which. */
int64_t *inspect_map_put(struct inspect_map *m, const char *key, int64_t value, int *added);

/* The daemon's inspection module (inspect.h): its risk rules. */
struct inspect {
	struct inspect_rules *rules;
};

#endif
