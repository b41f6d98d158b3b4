/* cli_alarms.c - portguard alarm kinds [--file FILE]: the alarm kinds table in effect (the
 * built-in one, or FILE over it) as INI; a bad FILE exits 1 naming the line. */
#include <stdio.h>

#include "../alarms/alarms.h"
#include "cli.h"

int cmd_alarm_kinds(const struct cli_command *cmd, const struct cli_args *args)
{
	const char *file = cli_flag(cmd, args, "--file");
	struct alarm_kinds *k = NULL;
	struct pg_err err = {0};
	if (file) {
		if (alarm_kinds_load(file, &k, &err) < 0) {
			fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
			return 1;
		}
	} else {
		k = alarm_kinds_default();
	}
	struct pg_buf out;
	pg_buf_init(&out, 1 << 20);
	int rc = alarm_kinds_ini(k, &out);
	if (rc == 0)
		fputs(out.p, stdout);
	else
		fprintf(stderr, "portguard %s: the table is larger than 1 MiB\n", cmd->name);
	pg_buf_release(&out);
	pg_free(k);
	return rc == 0 ? 0 : 1;
}
