/* store_audit.c - the append-only, hash-chained audit trail.
 *
 * hash(n) = BLAKE2b-256(prev_hash(n) || canonical(n)), where canonical(n) is each of
 * seq, at, actor, action, object and details (JSON text, keys sorted) written as
 * "<length>:<bytes>", so no two different rows share a canonical form. The first row's
 * prev_hash is 64 zeros. audit_head keeps the last (seq, hash) so that records cut from
 * the end are noticed too. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define HASH_BYTES 32
#define HASH_HEX (2 * HASH_BYTES + 1)
static const char genesis[HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void hash_field(crypto_generichash_state *st, const char *s)
{
	char len[24];
	size_t n = strlen(s);
	snprintf(len, sizeof(len), "%zu:", n);
	crypto_generichash_update(st, (const unsigned char *)len, strlen(len));
	crypto_generichash_update(st, (const unsigned char *)s, n);
}

static void row_hash(const char *prev, int64_t seq, const char *at, const char *actor,
		     const char *action, const char *object, const char *details,
		     char out[HASH_HEX])
{
	crypto_generichash_state st;
	unsigned char h[HASH_BYTES];
	char seqs[24];
	snprintf(seqs, sizeof(seqs), "%lld", (long long)seq);
	crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
	hash_field(&st, prev);
	hash_field(&st, seqs);
	hash_field(&st, at);
	hash_field(&st, actor);
	hash_field(&st, action);
	hash_field(&st, object);
	hash_field(&st, details);
	crypto_generichash_final(&st, h, HASH_BYTES);
	pg_hex(h, HASH_BYTES, out);
}

int store_audit(struct store_tx *tx, const char *actor, const char *action, const char *object,
		json_t *details, struct pg_err *err)
{
	if (!tx->writable)
		return pg_err_set(err, PG_EIO, "store: audit outside a write");
	int64_t seq = 1;
	char prev[HASH_HEX];
	memcpy(prev, genesis, HASH_HEX);
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
			     "");
	if (rc < 0)
		return rc;
	rc = store_next(r);
	if (rc == 1) {
		seq = store_int(r, 0) + 1;
		pg_strlcpy(prev, store_text(r, 1) ? store_text(r, 1) : "", sizeof(prev));
	}
	store_rows_free(r);
	if (rc < 0)
		return pg_err_set(err, PG_EIO, "store: reading the audit head failed");

	char at[PG_TIME_LEN], hash[HASH_HEX];
	pg_time_format(pg_now_ms(), at);
	char *text = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)
			     : pg_strdup("{}");
	if (!text)
		return pg_err_set(err, PG_EINVAL, "audit details are not serialisable");
	row_hash(prev, seq, at, actor, action, object, text, hash);
	rc = store_exec(tx, err,
			"INSERT INTO audit(seq, at, actor, action, object, details, prev_hash, hash) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			"ittttttt", seq, at, actor, action, object, text, prev, hash);
	free(text);
	if (rc < 0)
		return rc;
	return store_exec(tx, err,
			  "INSERT INTO audit_head(one, seq, hash) VALUES (1, ?1, ?2) "
			  "ON CONFLICT(one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
			  "it", seq, hash);
}

struct verify_ctx {
	int64_t count;
	int64_t bad_seq;
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int verify_read(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct verify_ctx *c = vctx;
	struct store_rows *r = NULL;
	int rc = store_query(tx, &r, err,
			     "SELECT seq, at, actor, action, object, details, prev_hash, hash "
			     "FROM audit ORDER BY seq",
			     "");
	if (rc < 0)
		return rc;
	char prev[HASH_HEX], calc[HASH_HEX];
	memcpy(prev, genesis, HASH_HEX);
	int64_t expect = 1;
	while ((rc = store_next(r)) == 1) {
		int64_t seq = store_int(r, 0);
		if (seq != expect) {
			c->bad_seq = expect;
			rc = pg_err_set(err, PG_EINVAL,
					"audit chain broken at record %lld: record missing (next "
					"present is %lld)",
					(long long)expect, (long long)seq);
			goto out;
		}
		if (strcmp(nz(store_text(r, 6)), prev) != 0) {
			c->bad_seq = seq;
			rc = pg_err_set(err, PG_EINVAL,
					"audit chain broken at record %lld: it does not follow "
					"record %lld (reordered, replaced or a record before it removed)",
					(long long)seq, (long long)seq - 1);
			goto out;
		}
		row_hash(prev, seq, nz(store_text(r, 1)), nz(store_text(r, 2)),
			 nz(store_text(r, 3)), nz(store_text(r, 4)), nz(store_text(r, 5)), calc);
		if (strcmp(calc, nz(store_text(r, 7))) != 0) {
			c->bad_seq = seq;
			rc = pg_err_set(err, PG_EINVAL,
					"audit chain broken at record %lld: its contents were changed",
					(long long)seq);
			goto out;
		}
		memcpy(prev, calc, HASH_HEX);
		expect++;
	}
	if (rc < 0) {
		rc = pg_err_set(err, PG_EIO, "store: reading the audit table failed");
		goto out;
	}
	store_rows_free(r);
	r = NULL;
	rc = store_query(tx, &r, err, "SELECT seq, hash FROM audit_head", "");
	if (rc < 0)
		goto out;
	rc = store_next(r);
	if (rc == 1 && (store_int(r, 0) != expect - 1 || strcmp(nz(store_text(r, 1)), prev) != 0)) {
		c->bad_seq = expect;
		rc = pg_err_set(err, PG_EINVAL,
				"audit chain broken at record %lld: the chain ends at %lld but its "
				"head says %lld",
				(long long)expect, (long long)expect - 1, (long long)store_int(r, 0));
		goto out;
	}
	if (rc == 0 && expect > 1) {
		c->bad_seq = 1;
		rc = pg_err_set(err, PG_EINVAL, "audit chain broken at record 1: the head is missing");
		goto out;
	}
	rc = rc < 0 ? pg_err_set(err, PG_EIO, "store: reading the audit head failed") : 0;
	c->count = expect - 1;
out:
	store_rows_free(r);
	return rc;
}

int store_audit_verify(struct store *s, int64_t *count, int64_t *bad_seq, struct pg_err *err)
{
	struct verify_ctx c = {0, 0};
	int rc = store_read(s, verify_read, &c, err);
	if (rc == PG_EINVAL && bad_seq)
		*bad_seq = c.bad_seq;
	if (rc == 0 && count)
		*count = c.count;
	return rc;
}
