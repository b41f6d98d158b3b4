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

/* ---- the daemon's module ----------------------------------------------------------------- */

struct inspect;

/* The module's state: the rules from rules_path, or the default table when it is NULL
 * or "". */
int inspect_open(const char *rules_path, struct inspect **out, struct pg_err *err);
void inspect_close(struct inspect *in); /* accepts NULL; after http_stop */
/* Registers the manifest, container, queue, watchlist, weighbridge and risk-rules routes
 * (before http_start). */
int inspect_register_routes(struct inspect *in);

#endif
