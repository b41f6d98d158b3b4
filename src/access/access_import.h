/* access_import.h - importing people from CSV (portguard import people FILE).
 *
 * The file is RFC 4180 CSV whose first line is exactly
 *     kind,first_name,last_name,employer,id_doc_type,id_doc_number,credential_uid,group
 * (a leading UTF-8 byte order mark is ignored). Each further row is one person: kind is
 * employee, contractor, crew, driver or authority (visitors need a host and an end of
 * visit, which the file has no columns for: enrol them through the API); first_name and
 * last_name are required; employer, id_doc_type, id_doc_number, credential_uid and group
 * may be empty. A credential_uid (4-32 hex digits, stored upper-cased, unique in the file
 * and in the store) issues an active credential without a PIN; a group names an existing
 * access group to put the person in. Blank lines are skipped.
 *
 * All or nothing: every row is read and checked before anything is written, then all of
 * it goes into the store in one transaction, with one audit record ("people.import") and
 * one event on topic "access". */
#ifndef PG_ACCESS_IMPORT_H
#define PG_ACCESS_IMPORT_H

#include <stdio.h>

#include "../store/store.h"

#define ACCESS_IMPORT_MAX_ROWS 1000000
#define ACCESS_IMPORT_MAX_LINE 4096 /* bytes of one row, quotes and separators included */

/* Imports the people in f (read to its end; not closed). On success *imported is the
 * number of people written. On failure nothing is written and err says where:
 *   PG_EINVAL  a malformed file: "line N, column NAME: what is wrong" (err->field is the
 *              column) or "line N: ..." for the row as a whole, the header included;
 *   PG_ELIMIT  more than ACCESS_IMPORT_MAX_ROWS rows;
 *   PG_EIO     reading f or the store failed.
 * The import writes to the store directly; a daemon running on the same store notices
 * the commit at its next decision and reloads its snapshot. While a large import commits,
 * the daemon's own writes wait for it (import large files with the daemon stopped). */
int access_import_people(struct store *s, const char *actor, FILE *f, int *imported,
                         struct pg_err *err);

/* Reads and checks f exactly as access_import_people does, writing nothing (s NULL):
 * *rows is the number of people the file holds. What the store alone can tell (an
 * unknown group, a UID already enrolled) is not checked. */
int access_import_check(FILE *f, int *rows, struct pg_err *err);

#endif
