/* test_ais_gpsd.c - gpsd (gpsdecode, Debian gpsd-clients) as the oracle: a corpus of
 * messages of every type with random bits in every field must decode, field for field and
 * byte for byte, as `gpsdecode -j` (scaled) and `gpsdecode -u -j` (raw) decode it.
 *
 * Exceptions, where gpsd prints something not comparable (documented in docs/AIS.md):
 * types 6/8 avoid the DAC values gpsd decodes into its own fields (1, 200, 235, 250; we
 * keep every payload as hex); type 26 radio is 0 (gpsd 3.22 does not decode it and prints 0).
 * Type 24 is sent as part A then part B of one MMSI (gpsd prints the pair only), plus lone
 * parts that neither prints. Skipped when gpsdecode is not installed. */
#include <jansson.h>
#include <sys/wait.h>

#include "ais/ais.h"
#include "unit.h"

#define PER_TYPE 1500

static const char *gpsdecode = "/usr/bin/gpsdecode";

/* The corpus: NMEA lines in one file; returns how many messages gpsd should print. */
static int write_corpus(const char *path, uint64_t seed)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	uint64_t rng = seed;
	char out[4096];
	int seq = 0, printed = 0;
	for (int type = 1; type <= 27; type++) {
		for (int i = 0; i < PER_TYPE; i++) {
			struct ais_msg m;
			ais_random_msg(&m, type, &rng, AIS_GEN_GPSD | (i & 1 ? AIS_GEN_MESSY : 0));
			if (type == 24) {
				/* A then B of the same MMSI: one line from gpsd; every 10th
				 * alone: none */
				struct ais_msg b;
				while (m.partno != 0)
					ais_random_msg(&m, 24, &rng, AIS_GEN_GPSD | AIS_GEN_MESSY);
				do
					ais_random_msg(&b, 24, &rng, AIS_GEN_GPSD);
				while (b.partno != 1);
				m.mmsi = b.mmsi;
				if (i % 10 == 0)
					m.mmsi = (m.mmsi + 1) & 0x3fffffff;
				else
					printed++;
				assert_true(ais_encode_nmea(&m, "AIVDM", 'A', seq++ % 10, out,
				                            sizeof(out)) > 0);
				fputs(out, f);
				assert_true(ais_encode_nmea(&b, "AIVDM", 'A', seq++ % 10, out,
				                            sizeof(out)) > 0);
				fputs(out, f);
				continue;
			}
			assert_true(ais_encode_nmea(&m, i % 3 ? "AIVDM" : "BSVDO",
			                            i & 1 ? 'B' : 'A', seq++ % 10, out,
			                            sizeof(out)) > 0);
			fputs(out, f);
			printed++;
		}
	}
	fclose(f);
	return printed;
}

/* Every line of a file into a NULL-terminated array. */
static char **read_lines(const char *path, int *n)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char **lines = NULL;
	int cap = 0;
	*n = 0;
	char *line = NULL;
	size_t sz = 0;
	ssize_t len;
	while ((len = getline(&line, &sz, f)) >= 0) {
		if (*n + 1 >= cap) {
			cap = cap ? cap * 2 : 256;
			lines = realloc(lines, (size_t)cap * sizeof(*lines));
		}
		lines[(*n)++] = strdup(line);
	}
	free(line);
	fclose(f);
	if (lines)
		lines[*n] = NULL;
	return lines;
}

static void free_lines(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Our output for the corpus, one JSON line per message, like gpsdecode. */
static void decode_corpus(const char *in, const char *outpath, int raw)
{
	int n = 0;
	char **lines = read_lines(in, &n);
	FILE *f = fopen(outpath, "w");
	assert_non_null(f);
	struct ais_decoder *d = ais_decoder_new(NULL);
	struct ais_msg m;
	char buf[AIS_JSON_MAX];
	for (int i = 0; i < n; i++)
		if (ais_decoder_feed(d, lines[i], strlen(lines[i]), 0, &m) == 1) {
			int k = ais_json_write(&m, raw, "stdin", buf, sizeof(buf));
			if (k > 0)
				fwrite(buf, 1, (size_t)k, f);
		}
	const struct ais_stats *st = ais_decoder_stats(d);
	for (int r = 0; r < AIS_R_COUNT; r++)
		if (st->dropped[r])
			fail_msg("the corpus has %llu drops for %s",
			         (unsigned long long)st->dropped[r], ais_reason_name(r));
	ais_decoder_free(d);
	fclose(f);
	free_lines(lines, n);
}

/* The sentences (of the corpus) whose message has this mmsi and type, for the report. */
static void print_sentences(const char *corpus, json_int_t mmsi, json_int_t type)
{
	int n = 0;
	char **lines = read_lines(corpus, &n);
	struct ais_decoder *d = ais_decoder_new(NULL);
	struct ais_msg m;
	int first = 0;
	for (int i = 0; i < n; i++) {
		if (ais_decoder_feed(d, lines[i], strlen(lines[i]), 0, &m) == 1) {
			if (m.mmsi == mmsi && m.type == type)
				for (int k = first; k <= i; k++)
					printf("  sentence: %s", lines[k]);
			first = i + 1;
		} else if (strchr(lines[i], ',') && lines[i][9] == '1') {
			first = i; /* a first fragment */
		}
	}
	ais_decoder_free(d);
	free_lines(lines, n);
}

static int compare_outputs(const char *corpus, const char *ours, const char *theirs, int expected)
{
	int na = 0, nb = 0, bad = 0, identical = 0;
	char **a = read_lines(ours, &na), **b = read_lines(theirs, &nb);
	if (na != nb || na != expected)
		printf("lines: ours %d, gpsdecode %d, expected %d\n", na, nb, expected);
	for (int i = 0; i < na && i < nb && bad < 10; i++) {
		if (strcmp(a[i], b[i]) == 0) {
			identical++;
			continue;
		}
		json_error_t e;
		json_t *ja = json_loads(a[i], 0, &e), *jb = json_loads(b[i], 0, &e);
		if (!ja || !jb) {
			printf("line %d does not parse:\n  ours: %s  gpsd: %s", i + 1, a[i], b[i]);
			bad++;
			json_decref(ja);
			json_decref(jb);
			continue;
		}
		const char *key;
		json_t *v;
		int differs = 0;
		json_object_foreach(jb, key, v)
		{
			json_t *mine = json_object_get(ja, key);
			if (!mine || !json_equal(mine, v)) {
				char *sv = json_dumps(v, JSON_ENCODE_ANY);
				char *sm = mine ? json_dumps(mine, JSON_ENCODE_ANY) : NULL;
				printf("line %d type %lld field \"%s\": ours %s, gpsd %s\n", i + 1,
				       (long long)json_integer_value(json_object_get(jb, "type")),
				       key, sm ? sm : "(missing)", sv);
				free(sv);
				free(sm);
				differs = 1;
			}
		}
		json_object_foreach(ja, key, v)
		{
			if (!json_object_get(jb, key)) {
				printf("line %d field \"%s\": ours only\n", i + 1, key);
				differs = 1;
			}
		}
		if (!differs)
			printf("line %d: same fields, other bytes:\n  ours: %s  gpsd: %s", i + 1,
			       a[i], b[i]);
		print_sentences(corpus, json_integer_value(json_object_get(jb, "mmsi")),
		                json_integer_value(json_object_get(jb, "type")));
		bad++;
		json_decref(ja);
		json_decref(jb);
	}
	printf("%d of %d lines byte-identical\n", identical, nb);
	int rc = bad || na != nb || na != expected;
	free_lines(a, na);
	free_lines(b, nb);
	return rc;
}

static void run_oracle(int raw)
{
	if (access(gpsdecode, X_OK) != 0) {
		printf("gpsdecode not installed (Debian gpsd-clients): skipped\n");
		skip();
	}
	char *dir = unit_tmpdir();
	char corpus[512], ours[512], theirs[512], cmd[2048];
	snprintf(corpus, sizeof(corpus), "%s/corpus.nmea", dir);
	snprintf(ours, sizeof(ours), "%s/ours.json", dir);
	snprintf(theirs, sizeof(theirs), "%s/gpsd.json", dir);
	int expected = write_corpus(corpus, 0x5eed0001ULL + (uint64_t)raw);
	decode_corpus(corpus, ours, raw);
	snprintf(cmd, sizeof(cmd), "%s %s -j < %s > %s 2>/dev/null", gpsdecode, raw ? "-u" : "",
	         corpus, theirs);
	int st = system(cmd);
	assert_true(WIFEXITED(st));
	int rc = compare_outputs(corpus, ours, theirs, expected);
	if (getenv("AIS_ORACLE_KEEP")) { /* to look at the corpus and both outputs */
		printf("kept in %s\n", dir);
		free(dir);
		assert_int_equal(rc, 0);
		return;
	}
	unlink(corpus);
	unlink(ours);
	unlink(theirs);
	rmdir(dir);
	free(dir);
	assert_int_equal(rc, 0);
}

static void every_type_decodes_as_gpsdecode_decodes_it(void **state)
{
	(void)state;
	run_oracle(0);
}

static void every_type_decodes_raw_as_gpsdecode_u_decodes_it(void **state)
{
	(void)state;
	run_oracle(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_type_decodes_as_gpsdecode_decodes_it),
	    cmocka_unit_test(every_type_decodes_raw_as_gpsdecode_u_decodes_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
