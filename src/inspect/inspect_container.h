/* inspect_container.h - the identifiers of cargo: ISO 6346 container numbers, ISO 6346
 * size-type codes and ISO 17712 seals.
 *
 * A container number is 11 characters: an owner code of 3 letters, a category letter (U
 * freight container, J detachable container-related equipment, Z trailer or chassis), a
 * serial of 6 digits and a check digit. The check digit: each of the first 10 characters
 * takes a value (digits their own; letters 10 to 38 skipping the multiples of 11: A=10,
 * B=12, ... K=21, L=23, ... U=32, V=34, ... Z=38), weighted by 2^i for position i = 0..9;
 * the sum modulo 11, then modulo 10 (a remainder of 10 gives 0).
 *
 * Nothing here allocates or keeps state; every function is safe from any thread. */
#ifndef PG_INSPECT_CONTAINER_H
#define PG_INSPECT_CONTAINER_H

#include <stddef.h>

#include "../http/http_handler.h"

/* ---- container numbers (ISO 6346) -------------------------------------------------------- */

#define INSPECT_CONTAINER_LEN 11

struct inspect_container_check {
	/* The normalised input (ASCII letters upper-cased, spaces and '-' removed), cut to its
	 * first 11 characters when longer (the error then gives the whole length; use
	 * inspect_container_normalise for all of it). */
	char number[12];
	int valid; /* 1: a well-formed number whose check digit is right */
	/* "" when valid; otherwise the first part found wrong, in words, e.g. "owner code
	 * must be 3 letters (got 'C5Q')", "'#' at position 5 is not a letter or digit"
	 * (positions count the input's bytes from 1) or "check digit is 4, expected 3".
	 * Printable ASCII. */
	char error[96];
	/* The check digit the first 10 characters call for, when they are well formed (owner
	 * code, category U/J/Z, serial): also for a wrong length or a wrong check digit. -1
	 * when not computable. */
	int expected_check_digit;
};

/* Normalises (upper-cases, drops spaces and '-') and checks one number; never fails: the
 * result says what is wrong. input NULL is taken as "". */
void inspect_container_check(const char *input, struct inspect_container_check *out);

/* The check digit of the first 10 characters (owner+category+serial), or -1 if malformed:
 * ten must hold 3 upper-case letters, U, J or Z, and 6 digits (a shorter string is
 * malformed; what follows the 10th character is not read). */
int inspect_check_digit(const char *ten);

/* Writes the normalised form of input into out (size n > 0), cut to n - 1 bytes and
 * always terminated; returns the length of the whole normalised form (as snprintf does),
 * so a caller can tell it was cut. Only ASCII letters change case; other bytes, including
 * non-ASCII ones, are kept as they are. */
size_t inspect_container_normalise(const char *input, char *out, size_t n);

/* ---- size-type codes (ISO 6346) ---------------------------------------------------------- */

enum inspect_container_kind {
	INSPECT_KIND_GENERAL,    /* G: general purpose (dry van) */
	INSPECT_KIND_VENTILATED, /* V */
	INSPECT_KIND_REEFER,     /* R: mechanically refrigerated (and heated) */
	INSPECT_KIND_OPEN_TOP,   /* U */
	INSPECT_KIND_FLAT_RACK,  /* P: platform with ends, fixed or collapsible */
	INSPECT_KIND_TANK,       /* T */
	INSPECT_KIND_BULK,       /* B: dry bulk */
};

/* One size-type code with the figures a weight check needs. Masses are typical of the
 * fleet in service (an individual box's CSC plate is the authority): max_gross_kg is the
 * rated maximum gross mass (container and cargo), tare_kg a typical empty mass. */
struct inspect_size_type {
	const char *code;   /* "22G1" */
	int length_ft;      /* 20, 40, 45 */
	const char *height; /* "8 ft 6 in (standard)", "9 ft 6 in (high cube)" */
	enum inspect_container_kind kind;
	int max_gross_kg;
	int tare_kg;
	const char *description; /* "20 ft general purpose, passive vents" */
};

/* The row of a size-type code (4 characters, ASCII case ignored), or NULL if unknown. */
const struct inspect_size_type *inspect_size_type(const char *code);
/* The whole table, in code order (for listings and tests). */
extern const struct inspect_size_type inspect_size_types[];
extern const int inspect_n_size_types;
/* "general", "ventilated", "reefer", "open top", "flat rack", "tank", "bulk"; "?" else. */
const char *inspect_container_kind_name(enum inspect_container_kind kind);

/* ---- seals (ISO 17712) ------------------------------------------------------------------- */

enum inspect_seal_class {
	INSPECT_SEAL_INDICATIVE,    /* "I": shows tampering, no real barrier */
	INSPECT_SEAL_SECURITY,      /* "S": needs hand tools to open */
	INSPECT_SEAL_HIGH_SECURITY, /* "H": bolt and cable seals that need bolt cutters */
};

#define INSPECT_SEAL_NUMBER_MAX 20

/* The class of "I", "S" or "H" (exactly, upper case) as an enum inspect_seal_class; -1
 * for anything else, NULL included. */
int inspect_seal_class(const char *s);
/* "indicative", "security", "high security"; "?" else. */
const char *inspect_seal_class_name(int seal_class);
/* Checks a seal number: 1 to 20 characters of A-Z, 0-9 and '-'. 0, or PG_EINVAL with the
 * reason in err (field "seal"). */
int inspect_seal_number_check(const char *s, struct pg_err *err);

/* ---- HTTP (inspect_container_http.c) ----------------------------------------------------- */

/* POST /api/v1/containers/validate (any authenticated principal). */
extern const struct http_route inspect_container_routes[];
extern const int inspect_container_n_routes;
/* Registers inspect_container_routes (ctx NULL); before http_start. PG_ELIMIT if the
 * route table is full. */
int inspect_container_register_routes(void);

#endif
