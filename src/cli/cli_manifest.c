/* cli_manifest.c - import a cargo manifest (CSV or JSON) into the store, scoring every
 * container line (inspect.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../inspect/inspect.h"
#include "cli.h"
#include "cli_int.h"

/* portguard import manifest FILE [--data DIR] [--config FILE] [--rules FILE] (FILE may be
 * /dev/stdin). Rules: --rules, else [inspect] rules of the configuration, else the
 * built-in table. All or nothing: exit 0 and a summary, or exit 1 and the first bad line. */
int cmd_import_manifest(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct store *s = NULL;
	struct inspect_rules *rules = NULL;
	struct inspect_manifest *m = NULL;
	struct inspect_import_result res = {0};
	struct pg_err err = {0};
	const char *file = args->positional, *rules_path = cli_flag(cmd, args, "--rules");
	char path[600];
	int rc = 1;
	FILE *f = NULL;
	if (cli_load_config(cmd, args, &cfg))
		return 1;
	if (!rules_path && cfg.inspect_rules[0])
		rules_path = cfg.inspect_rules;
	pg_snprintf(path, sizeof(path), "%s/portguard.db", cfg.data);
	if (access(path, F_OK) != 0) {
		fprintf(stderr,
		        "portguard %s: no store at %s: run 'portguard init --data %s' first\n",
		        cmd->name, path, cfg.data);
		return 1;
	}
	if (rules_path ? inspect_rules_load(rules_path, &rules, &err) < 0
	               : !(rules = inspect_rules_default())) {
		fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
		return 1;
	}
	f = fopen(file, "re");
	if (!f) {
		fprintf(stderr, "portguard %s: cannot open %s: %s\n", cmd->name, file,
		        strerror(errno));
		goto out;
	}
	if (inspect_manifest_read(f, &m, &err) < 0) {
		fprintf(stderr, "portguard %s: %s: %s; nothing was imported\n", cmd->name, file,
		        err.msg);
		goto out;
	}
	if (cli_open_store(cmd->name, &cfg, NULL, &s))
		goto out;
	if (inspect_import(s, rules, cli_actor(), m, &res, &err) < 0) {
		fprintf(stderr, "portguard %s: %s: %s; nothing was imported\n", cmd->name, file,
		        err.msg);
		goto out;
	}
	printf("imported manifest %lld from %s: %lld container lines at security level %d: "
	       "%lld release, %lld document check, %lld scan, %lld physical; %lld drawn at random; "
	       "%lld queued for inspection\n",
	       (long long)res.manifest_id, file, (long long)res.lines, res.level,
	       (long long)res.decisions[INSPECT_RELEASE],
	       (long long)res.decisions[INSPECT_DOCUMENT_CHECK],
	       (long long)res.decisions[INSPECT_SCAN], (long long)res.decisions[INSPECT_PHYSICAL],
	       (long long)res.random_selected, (long long)res.queued);
	rc = 0;
out:
	store_close(s);
	inspect_manifest_free(m);
	inspect_rules_free(rules);
	if (f)
		fclose(f);
	return rc;
}
