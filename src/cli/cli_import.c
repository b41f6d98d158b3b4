/* cli_import.c - import people from CSV into the store (access_import.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../access/access_import.h"
#include "cli.h"
#include "cli_int.h"

/* portguard import people FILE [--data DIR] (FILE may be /dev/stdin). All or nothing:
 * exit 0 and "imported N people from FILE", or exit 1 and the first bad line. */
int cmd_import_people(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct store *s = NULL;
	struct pg_err err = {0};
	const char *file = args->positional;
	char path[600];
	int n = 0, rc = 1;
	FILE *f = NULL;
	if (cli_load_config(cmd, args, &cfg))
		return 1;
	pg_snprintf(path, sizeof(path), "%s/portguard.db", cfg.data);
	if (access(path, F_OK) != 0) {
		fprintf(stderr,
		        "portguard %s: no store at %s: run 'portguard init --data %s' first\n",
		        cmd->name, path, cfg.data);
		return 1;
	}
	f = fopen(file, "re");
	if (!f) {
		fprintf(stderr, "portguard %s: cannot open %s: %s\n", cmd->name, file,
		        strerror(errno));
		return 1;
	}
	if (cli_open_store(cmd->name, &cfg, NULL, &s))
		goto out;
	if (access_import_people(s, cli_actor(), f, &n, &err) < 0) {
		fprintf(stderr, "portguard %s: %s: %s; nothing was imported\n", cmd->name, file,
		        err.msg);
		goto out;
	}
	printf("imported %d %s from %s\n", n, n == 1 ? "person" : "people", file);
	rc = 0;
out:
	store_close(s);
	fclose(f);
	return rc;
}
