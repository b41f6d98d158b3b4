/* inspect.h - cargo manifests and explainable risk targeting (issue 6; ISPS B/16.30-37).
 *
 * A manifest (one vessel's voyage, one line per container) is read and checked whole,
 * then written in one transaction in which every line is scored against the risk rules:
 *
 *   score    = the sum of the weights of the rules that hit, each hit explained in words
 *              with the values that triggered it;
 *   decision = release, document_check, scan or physical, from the current security
 *              level's thresholds (the highest threshold the score reaches);
 *   random   = on top of risk, a uniform draw from libsodium (randombytes_uniform's method
 *              over randombytes_buf batches) at the level's
 *              rate; the draw (value, bound, rate, result) is stored with the line.
 *
 * A line decided scan or physical, or drawn at random, is selected and queued for
 * inspection (manifest_containers.queued = 1; the inspections module takes it off).
 *
 * Rules (struct inspect_rules) come from an INI file (etc/risk.ini documents the format)
 * or, when none is configured, from the compiled-in default table, which equals
 * etc/risk.ini. With the default weights no single indicator reaches a scan at any level
 * (WCO practice: one indicator never makes a box high-risk; combinations do). */
#ifndef PG_INSPECT_H
#define PG_INSPECT_H

#include <stdio.h>

#include "../store/store.h"

/* ---- risk rules (inspect_risk.c) ------------------------------------------------------- */

struct inspect_rules;

enum inspect_decision {
	INSPECT_RELEASE,
	INSPECT_DOCUMENT_CHECK,
	INSPECT_SCAN,
	INSPECT_PHYSICAL,
};
#define INSPECT_N_DECISIONS 4

/* The compiled-in rules (a fresh copy the caller frees). */
struct inspect_rules *inspect_rules_default(void);
/* Parses rules from INI text. PG_EINVAL with err "line N: what" (or, for what only the
 * whole file can tell, "[rule NAME]: what"). */
int inspect_rules_parse(const char *text, struct inspect_rules **out, struct pg_err *err);
/* Reads and parses an INI file of at most 1 MiB; err names the file. */
int inspect_rules_load(const char *path, struct inspect_rules **out, struct pg_err *err);
void inspect_rules_free(struct inspect_rules *r); /* accepts NULL */
/* The rules as JSON (GET /api/v1/risk-rules; the tests compare files with it). */
json_t *inspect_rules_json(const struct inspect_rules *r);
/* The decision a score gets at a security level (1..3). */
enum inspect_decision inspect_decide(const struct inspect_rules *r, int level, int score);
const char *inspect_decision_name(enum inspect_decision d);

/* ---- manifests (inspect_manifest.c) --------------------------------------------------- */

#define INSPECT_MAX_LINES 2000000 /* container lines of one manifest */
#define INSPECT_MAX_ROW   4096    /* bytes of one CSV row */

/* A read and checked manifest, not yet written: vessel and compact container lines in
 * an arena (no JSON per line). */
struct inspect_manifest;

/* Reads a manifest from f (to its end; f is not closed), choosing the format by its
 * first non-blank byte: '{' is JSON, anything else CSV (docs/API.md gives both). Every
 * line is checked before the call returns; on failure nothing is kept and err says where:
 *   PG_EINVAL  CSV: "line N, field F: what" (err->field = F), or "line N: what";
 *              JSON: "containers[i].F: what" (err->field = "containers[i].F"), or
 *              "vessel.F: ..." or "byte N: not valid JSON: ...";
 *   PG_ELIMIT  more than INSPECT_MAX_LINES lines (or 1 GiB of text);
 *   PG_EIO     reading f failed.
 * A manifest without container lines is PG_EINVAL. */
int inspect_manifest_read(FILE *f, struct inspect_manifest **out, struct pg_err *err);
int inspect_manifest_read_csv(FILE *f, struct inspect_manifest **out, struct pg_err *err);
int inspect_manifest_read_json(FILE *f, struct inspect_manifest **out, struct pg_err *err);
size_t inspect_manifest_lines(const struct inspect_manifest *m);
void inspect_manifest_free(struct inspect_manifest *m); /* accepts NULL */

struct inspect_import_result {
	int64_t manifest_id;
	int64_t lines;
	int level;
	int64_t decisions[INSPECT_N_DECISIONS]; /* lines per decision */
	int64_t random_selected;
	int64_t queued;
};

/* Scores and writes m in the caller's transaction: the manifest, every line with its
 * hits, decision and draw, the party history, one audit record ("manifest.import") and
 * one event on topic "inspect". m is left as it was. */
int inspect_import_tx(struct store_tx *tx, const struct inspect_rules *r, const char *actor,
                      const struct inspect_manifest *m, struct inspect_import_result *res,
                      struct pg_err *err);
/* The same in one store_write. */
int inspect_import(struct store *s, const struct inspect_rules *r, const char *actor,
                   const struct inspect_manifest *m, struct inspect_import_result *res,
                   struct pg_err *err);

/* ---- watchlist and weighbridge (inspect_http.c) --------------------------------------- */

/* Adds a watchlist entry (kind "party", "vessel" or "container"; value normalised: a
 * party's name upper-cased with blanks collapsed, an IMO number's digits, a container
 * number) in tx, audited and published. *id gets the new id. PG_EINVAL for a bad kind or
 * value (err->field names it), PG_ECONFLICT if it is listed already. */
int inspect_watchlist_add_tx(struct store_tx *tx, const char *actor, const char *kind,
                             const char *value, const char *reason, int64_t *id,
                             struct pg_err *err);
/* Records a weighbridge reading in tx and re-scores the container's newest manifest line
 * with the weighbridge rules (a hit is added, the score and decision follow; the random
 * draw stays). *rescored (may be NULL) is set to the line's id, or 0 if none changed. */
int inspect_weighbridge_tx(struct store_tx *tx, const struct inspect_rules *r, const char *actor,
                           const char *container, int64_t kg, int64_t *rescored,
                           struct pg_err *err);

/* ---- inspections (inspect_inspection.c) ------------------------------------------------
 *
 * An inspection moves selected -> scanning -> scanned -> examining -> cleared | held |
 * seized along the transitions of a table (inspect_transition_allowed). It gets, when
 * created, the checklist of its kind at the current security level (ISPS B/16); it cannot
 * reach cleared, held or seized while a required item is open. Every change is audited
 * with object "inspection ID" (the chain of custody) and published on topic "inspect". */

#define INSPECT_N_STATES 7

/* The state's name, or NULL outside 0..INSPECT_N_STATES-1; and its index, or -1. */
const char *inspect_state_name(int state);
int inspect_state_index(const char *name);
/* 1 if the table allows from -> to (names), else 0 (unknown names too). */
int inspect_transition_allowed(const char *from, const char *to);
/* 1 for cleared, held and seized. */
int inspect_state_is_outcome(const char *name);
/* 1 for cleared and seized: nothing more may change. */
int inspect_state_is_final(const char *name);

/* One row of the checklist table: the items of a kind at levels lo..hi. */
struct inspect_check_item {
	const char *kind;
	int lo, hi;
	const char *code, *text;
	int required;
};
/* The items of kind at level, in order, into out (at most max); returns how many
 * (0 for an unknown kind). */
int inspect_checklist_for(const char *kind, int level, const struct inspect_check_item **out,
                          int max);

/* The SHA-256 of data as 64 lower-case hex digits and a NUL. */
void inspect_sha256_hex(const void *data, size_t n, char out[65]);

struct inspect_new {
	const char *kind, *subject, *reason, *notes; /* subject and reason may be NULL when
	                                                manifest_container_id is given */
	int64_t manifest_container_id;               /* 0: none */
};

/* Creates an inspection in tx at the current level with its checklist; from a manifest
 * line it takes the line off the queue (queued = 0). *id gets the new id. PG_EINVAL
 * (err->field) for a bad kind, reason or subject; PG_EUNPROCESSABLE for an unknown line
 * or a line that is not a container; PG_ECONFLICT if the line has an open inspection. */
int inspect_inspection_create_tx(struct store_tx *tx, const char *actor,
                                 const struct inspect_new *n, int64_t *id, struct pg_err *err);
/* Moves inspection id to state to. verdict and scan_result (NULL: unchanged) are stored;
 * scan_result ("clear", "anomaly", "inconclusive") is required on entering scanned and a
 * verdict on entering an outcome. PG_ENOTFOUND; PG_ECONFLICT for a transition the table
 * does not allow ("cannot go from X to Y") or open required checklist items (listed). */
int inspect_inspection_state_tx(struct store_tx *tx, const char *actor, int64_t id,
                                const char *to, const char *verdict, const char *scan_result,
                                struct pg_err *err);
/* Ticks (done 1) or unticks checklist item n. PG_ENOTFOUND for no such item. */
int inspect_checklist_tick_tx(struct store_tx *tx, const char *actor, int64_t id, int64_t n,
                              int done, const char *note, struct pg_err *err);
/* The inspection with findings, seals, evidence (no data) and checklist (new reference). */
int inspect_inspection_load(struct store_tx *tx, int64_t id, json_t **out, struct pg_err *err);

/* ---- the daemon's module ----------------------------------------------------------------- */

struct inspect;

/* The module's state: the rules from rules_path, or the default table when it is NULL
 * or "". */
int inspect_open(const char *rules_path, struct inspect **out, struct pg_err *err);
void inspect_close(struct inspect *in); /* accepts NULL; after http_stop */
/* Registers the manifest, container, queue, watchlist, weighbridge, risk-rules and
 * inspection routes (before http_start). */
int inspect_register_routes(struct inspect *in);
/* The demo's cargo (inspect_demo.c): a watchlisted party and two voyages of a liner service,
 * the second with four planted high-risk boxes among ninety ordinary ones. */
int inspect_demo_seed(struct store *s, const struct inspect *in, struct pg_err *err);

#endif
