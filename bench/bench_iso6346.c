/* bench_iso6346 - ISO 6346 container number validations per second (figures, never pass
 * or fail).
 *
 *   bench_iso6346 [SECONDS] [COUNT]    default 2 s over 1 000 000 generated numbers
 *
 * The numbers: 60 % valid (a third of those in lower case with spaces and a dash, as
 * manifests and clerks write them), 25 % with a wrong check digit, 15 % malformed (bad
 * owner code, category, serial, length or character). Each row loops over the whole array
 * until SECONDS have passed:
 *  - inspect_container_check: normalise, check every part, explain what is wrong;
 *  - inspect_check_digit alone, over the first 10 characters of the canonical numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect_container.h"

#define SLOT 24 /* bytes per generated number */

static uint32_t rnd(uint32_t *r)
{
	*r = *r * 1103515245u + 12345u;
	return *r >> 8;
}

/* One number into out (SLOT bytes); returns 1 if it is meant to be valid. */
static int generate(uint32_t *r, char *out)
{
	char ten[11];
	int cat = (int)(rnd(r) % 100);
	snprintf(ten, sizeof(ten), "%c%c%c%c%06u", 'A' + (int)(rnd(r) % 26),
		 'A' + (int)(rnd(r) % 26), 'A' + (int)(rnd(r) % 26), "UUUUUUUUJZ"[rnd(r) % 10],
		 (unsigned)(rnd(r) % 1000000));
	int d = inspect_check_digit(ten);
	if (cat < 40) { /* valid, canonical */
		snprintf(out, SLOT, "%s%d", ten, d);
		return 1;
	}
	if (cat < 60) { /* valid, as written by hand: "abcu 123456-7" */
		snprintf(out, SLOT, "%c%c%c%c %.6s-%d", ten[0] | 0x20, ten[1] | 0x20, ten[2] | 0x20,
			 ten[3] | 0x20, ten + 4, d);
		return 1;
	}
	if (cat < 85) { /* a wrong check digit */
		snprintf(out, SLOT, "%s%d", ten, (d + 1 + (int)(rnd(r) % 9)) % 10);
		return 0;
	}
	snprintf(out, SLOT, "%s%d", ten, d); /* then one part broken */
	switch (rnd(r) % 6) {
	case 0: out[1] = '7'; break;             /* owner code */
	case 1: out[3] = 'X'; break;             /* category */
	case 2: out[6] = 'O'; break;             /* serial */
	case 3: out[9] = '\0'; break;            /* too short */
	case 4: memcpy(out + 11, "12", 3); break; /* too long */
	default: out[5] = '#'; break;            /* a stray character */
	}
	return 0;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? strtod(argv[1], NULL) : 2.0;
	long count = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
	if (secs <= 0)
		secs = 2.0;
	if (count < 1000)
		count = 1000;
	char *numbers = malloc((size_t)count * SLOT);
	if (!numbers) {
		fprintf(stderr, "bench_iso6346: out of memory\n");
		return 1;
	}
	uint32_t r = 20261127;
	long meant_valid = 0;
	int64_t t0 = pg_mono_us();
	for (long i = 0; i < count; i++)
		meant_valid += generate(&r, numbers + i * SLOT);
	printf("ISO 6346 validation: %ld numbers, %.0f %% meant valid (generated in %.0f ms)\n",
	       count, 100.0 * (double)meant_valid / (double)count,
	       (double)(pg_mono_us() - t0) / 1000.0);

	/* inspect_container_check over the whole array, again and again */
	long n = 0, valid = 0, passes = 0;
	t0 = pg_mono_us();
	int64_t budget = (int64_t)(secs * 1e6);
	do {
		for (long i = 0; i < count; i++) {
			struct inspect_container_check c;
			inspect_container_check(numbers + i * SLOT, &c);
			valid += c.valid;
		}
		n += count;
		passes++;
	} while (pg_mono_us() - t0 < budget);
	double el = (double)(pg_mono_us() - t0) / 1e6;
	printf("  inspect_container_check   %12.0f validations/s  %6.1f ns each  (%ld passes, "
	       "%.1f %% valid%s)\n",
	       (double)n / el, el * 1e9 / (double)n, passes, 100.0 * (double)valid / (double)n,
	       valid / passes == meant_valid ? "" : ", NOT as generated");

	/* the check digit alone, over canonical first-10 characters */
	char *tens = malloc((size_t)count * 11);
	if (!tens) {
		fprintf(stderr, "bench_iso6346: out of memory\n");
		return 1;
	}
	for (long i = 0; i < count; i++) {
		struct inspect_container_check c;
		inspect_container_check(numbers + i * SLOT, &c);
		memcpy(tens + i * 11, c.number, 10);
		tens[i * 11 + 10] = '\0';
	}
	long sum = 0;
	n = passes = 0;
	t0 = pg_mono_us();
	do {
		for (long i = 0; i < count; i++)
			sum += inspect_check_digit(tens + i * 11);
		n += count;
		passes++;
	} while (pg_mono_us() - t0 < budget);
	el = (double)(pg_mono_us() - t0) / 1e6;
	printf("  inspect_check_digit       %12.0f digits/s       %6.1f ns each  (%ld passes, "
	       "checksum %ld)\n",
	       (double)n / el, el * 1e9 / (double)n, passes, sum);
	free(tens);
	free(numbers);
	return 0;
}
