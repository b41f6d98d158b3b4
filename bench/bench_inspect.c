/* bench_inspect - manifest import figures (never pass or fail).
 *
 *   bench_inspect [LINES] [DIR]   generates a CSV manifest of LINES container lines
 *                                 (default 1,000,000) in DIR (default $TMPDIR or /tmp), then
 *                                 reads and checks it, and imports and scores it into a
 *                                 fresh store there: seconds, lines/s, peak RSS (VmHWM)
 *
 * The lines vary as a real manifest does: 5,000 shippers and consignees, some vague
 * descriptions, weights off their VGM, transshipments, missing seals, dangerous goods. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "inspect/inspect.h"
#include "inspect/inspect_container.h"
#include "store/store.h"

static const char *const goods[] = {"Frozen fish",      "Coffee beans",  "Used cars",
                                    "General cargo",    "Cotton shirts", "Steel coils",
                                    "Laptop computers", "Parts",         "Furniture, flat packed"};
static const char *const hs[] = {"030389", "090111", "870323", "870323", "610910",
                                 "720851", "847130", "848790", "940360"};
static const char *const ports[] = {"CNSHA", "SGSIN", "NLRTM", "DEHAM", "USNYC",
                                    "BRSSZ", "AEJEA", "KRPUS", "JPTYO", "ESVLC"};
static const char *const sizes[] = {"22G1", "42G1", "45G1", "45R1"};

static int generate(const char *path, long lines, int run)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -1;
	fputs("vessel_imo,vessel_name,voyage,container_number,size_type,shipper,consignee,"
	      "notify_party,goods_description,hs_code,declared_gross_kg,vgm_kg,port_of_loading,"
	      "transshipment_ports,port_of_discharge,seals,dangerous_goods\n",
	      f);
	uint64_t x = 88172645463325252ULL + (uint64_t)run;
	for (long i = 0; i < lines; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		char number[12];
		snprintf(number, sizeof(number), "%c%cXU%06ld", 'A' + (int)(i / 1000000), 'B' + run,
		         i % 1000000);
		number[10] = (char)('0' + inspect_check_digit(number));
		number[11] = '\0';
		int g = (int)(x % 9), p = (int)((x >> 8) % 10), q = (int)((x >> 16) % 10);
		long kg = 8000 + (long)((x >> 24) % 20000);
		long vgm = (x >> 40) % 10 == 0 ? kg + 3000 : kg + (long)((x >> 44) % 200);
		const char *ts = (x >> 50) % 10 == 0   ? "SGSIN;AEJEA"
		                 : (x >> 50) % 10 == 1 ? "BRSSZ"
		                                       : "";
		const char *seal = (x >> 54) % 20 == 0  ? ""
		                   : (x >> 54) % 5 == 0 ? "SL1:I"
		                                        : "BS77:H";
		const char *dg = (x >> 58) % 16 == 0 ? "UN1203:3" : "";
		fprintf(f,
		        "9321483,MSC Benchmark,001B,%s,%s,Shipper %ld Co,Consignee %ld "
		        "Ltd,,\"%s\",%s,%ld,%ld,"
		        "%s,%s,%s,%s,%s\n",
		        number, sizes[(x >> 5) % 4], (long)((x >> 12) % 5000),
		        (long)((x >> 28) % 5000), goods[g], hs[g], kg, vgm, ports[p], ts,
		        ports[q == p ? (q + 1) % 10 : q], seal, dg);
	}
	return fclose(f);
}

struct run {
	double read_s, write_s;
	long hwm_kb;
	struct inspect_import_result res;
};

/* Reads, checks, scores and writes the manifest at csv into s. */
static int import_once(struct store *s, const char *csv, struct run *out)
{
	struct pg_err err = {0};
	struct inspect_manifest *m = NULL;
	struct inspect_rules *r = inspect_rules_default();
	FILE *f = fopen(csv, "re");
	double t0 = bench_now_s();
	int rc = f ? inspect_manifest_read(f, &m, &err) : -1;
	double t1 = bench_now_s();
	if (rc == 0)
		rc = inspect_import(s, r, "bench", m, &out->res, &err);
	double t2 = bench_now_s();
	if (rc < 0)
		fprintf(stderr, "bench_inspect: %s\n", f ? err.msg : "cannot open the manifest");
	out->read_s = t1 - t0;
	out->write_s = t2 - t1;
	out->hwm_kb = bench_hwm_kb();
	if (f)
		fclose(f);
	inspect_manifest_free(m);
	inspect_rules_free(r);
	return rc;
}

static void report(const char *what, long lines, const struct run *x)
{
	const struct inspect_import_result *r = &x->res;
	printf("\n%s\n", what);
	printf("  %-28s %8.2f s %12.0f lines/s\n", "read and check", x->read_s, lines / x->read_s);
	printf("  %-28s %8.2f s %12.0f lines/s\n", "score and write (1 commit)", x->write_s,
	       lines / x->write_s);
	printf("  %-28s %8.2f s %12.0f lines/s\n", "import in all", x->read_s + x->write_s,
	       lines / (x->read_s + x->write_s));
	printf("  peak RSS (VmHWM) so far: %.0f MB\n", x->hwm_kb / 1024.0);
	printf("  at level %d: %lld release, %lld document_check, %lld scan, %lld physical; "
	       "%lld drawn at random; %lld queued\n",
	       r->level, (long long)r->decisions[0], (long long)r->decisions[1],
	       (long long)r->decisions[2], (long long)r->decisions[3],
	       (long long)r->random_selected, (long long)r->queued);
}

int main(int argc, char **argv)
{
	long lines = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	const char *tmp = argc > 2 ? argv[2] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[512], csv[2][600], path[700];
	pg_core_init();
	pg_log_set_level(PG_LOG_WARN);
	if (lines < 1 || lines > 9000000) {
		fprintf(stderr, "usage: bench_inspect [LINES (1..9000000)] [DIR]\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/pg-bench-inspect-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int rc = 0;
	struct store *s = NULL;
	struct run runs[2] = {{0}};
	struct pg_err err = {0};
	double t0 = bench_now_s();
	for (int k = 0; k < 2 && rc == 0; k++) {
		snprintf(csv[k], sizeof(csv[k]), "%s/manifest%d.csv", dir, k + 1);
		if (generate(csv[k], lines, k) < 0) {
			perror(csv[k]);
			rc = 1;
		}
	}
	double t1 = bench_now_s();
	long before = bench_hwm_kb();
	struct store_opts o = {2, 256, NULL};
	if (rc == 0 && store_open(dir, &o, &s, &err) < 0) {
		fprintf(stderr, "bench_inspect: %s\n", err.msg);
		rc = 1;
	}
	for (int k = 0; k < 2 && rc == 0; k++)
		rc = import_once(s, csv[k], &runs[k]) < 0;
	if (rc == 0) {
		FILE *f = fopen(csv[0], "re");
		long bytes = 0;
		if (f && fseek(f, 0, SEEK_END) == 0)
			bytes = ftell(f);
		if (f)
			fclose(f);
		printf("two generated manifests of %ld container lines, %.1f MB of CSV each "
		       "(generated in %.2f s); peak RSS before importing %.0f MB\n",
		       lines, bytes / 1e6, t1 - t0, before / 1024.0);
		report("1. into a fresh store (every shipper and consignee new)", lines, &runs[0]);
		report("2. a second voyage into the same store (the parties known)", lines,
		       &runs[1]);
	}
	store_close(s);
	if (getenv("BENCH_KEEP")) {
		printf("kept %s (BENCH_KEEP)\n", dir);
		return rc;
	}
	const char *files[] = {"manifest1.csv", "manifest2.csv", "portguard.db", "portguard.db-wal",
	                       "portguard.db-shm"};
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return rc;
}
