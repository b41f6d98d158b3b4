/* cli_container.c - portguard container check NUMBER...: ISO 6346 container numbers, one
 * line each (inspect_container.h). */
#include <stdio.h>
#include <string.h>

#include "../inspect/inspect_container.h"
#include "cli.h"

/* Prints s with control bytes as '?', so that an argument cannot drive the terminal. */
static void put_printable(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

/* Prints "<normalised number> valid" or "<normalised number> invalid: <what is wrong>" per
 * argument (the number as "(empty)" when nothing is left of it); exit 0 only if all are
 * valid, 1 otherwise. */
int cmd_container_check(const struct cli_command *cmd, const struct cli_args *args)
{
	if (args->argc < 1) {
		fprintf(stderr, "portguard %s: missing %s\n", cmd->name, cmd->positional);
		return 2;
	}
	int invalid = 0;
	for (int i = 0; i < args->argc; i++) {
		const char *in = args->argv[i];
		struct inspect_container_check c;
		inspect_container_check(in, &c);
		size_t n = strlen(in) + 1;
		char *number = pg_malloc(n);
		inspect_container_normalise(in, number, n);
		put_printable(number[0] ? number : "(empty)");
		pg_free(number);
		if (c.valid) {
			printf(" valid\n");
		} else {
			printf(" invalid: %s\n", c.error);
			invalid++;
		}
	}
	return invalid ? 1 : 0;
}
