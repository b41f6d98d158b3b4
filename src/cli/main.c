/* main.c - portguard's command table and flag parsing. Exit codes: 0 success, 1 the
 * command failed, 2 the command line was wrong. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define DATA_FLAG {"--data", "DIR", "data directory holding portguard.db (default ./var)"}
#define CONFIG_FLAG {"--config", "FILE", "INI configuration file; flags override it"}

static const struct cli_command commands[] = {
	{"init", NULL, "Create the store (schema migrations) and the first admin user",
	 {DATA_FLAG, CONFIG_FLAG,
	  {"--admin-password-file", "FILE", "the admin's password (first line); without it one "
					    "is generated and printed once"}},
	 cmd_init},
	{"serve", NULL, "Run the daemon (HTTP API, console, event streams)",
	 {DATA_FLAG, CONFIG_FLAG, {"--listen", "ADDR:PORT", "where to listen (default 127.0.0.1:8080)"},
	  {"--threads", "N", "HTTP thread pool size (default: one per CPU)"},
	  {"--log-level", "LEVEL", "debug, info, warn or error"},
	  {"--ais-input", "URLS", "AIS inputs, comma-separated: tcp://HOST:PORT, udp://ADDR:PORT, "
				  "file://PATH?speed=N ([ais] inputs)"},
	  {"--ais-layout", "FILE", "the waterside layout GeoJSON ([ais] layout)"}},
	 cmd_serve},
	{"demo", NULL, "Init and serve a throwaway demo store with demo users",
	 {{"--data", "DIR", "demo data directory, emptied first (default ./var/demo)"},
	  {"--listen", "ADDR:PORT", "where to listen (default 127.0.0.1:8080)"},
	  {"--ais-layout", "FILE", "the waterside layout (default: the shipped etc/port-layout.geojson)"},
	  {"--mqtt-port", "PORT", "port of the demo's own mosquitto (default: a free one)"}},
	 cmd_demo},
	{"user add", "NAME", "Create a user",
	 {DATA_FLAG, {"--role", "ROLE", "admin, pfso, operator, gate, inspector, trainer, auditor, "
				       "authority or device"},
	  {"--password-file", "FILE", "the password (first line); without it one is generated "
				      "and printed once"}},
	 cmd_user_add},
	{"token create", NULL, "Create an API token for a device or client; prints it once",
	 {DATA_FLAG, {"--name", "NAME", "what the token is for"},
	  {"--role", "ROLE", "the role the token acts with"}},
	 cmd_token_create},
	{"audit verify", NULL, "Check the audit hash chain; exit 1 naming the first bad record",
	 {DATA_FLAG}, cmd_audit_verify},
	{"import people", "FILE", "Import people (and their badges and groups) from CSV: every "
				  "row or none",
	 {DATA_FLAG}, cmd_import_people},
	{"import manifest", "FILE", "Import a cargo manifest (CSV or JSON) and score every container "
				    "line: every line or none",
	 {DATA_FLAG, CONFIG_FLAG, {"--rules", "FILE", "risk rules (INI, see etc/risk.ini); default: "
						     "[inspect] rules of --config, else built in"}},
	 cmd_import_manifest},
	{"container check", "NUMBER...", "Check ISO 6346 container numbers: one line each, exit 0 "
					 "only if all are valid",
	 {{NULL, NULL, NULL}}, cmd_container_check, 1},
	{"ais decode", "[FILE]", "Decode AIS NMEA sentences (stdin without FILE or with '-') to one "
				 "gpsd JSON object per message",
	 {{"--raw", NULL, "unscaled integers, as gpsdecode -u -j"},
	  {"--stats", NULL, "print the sentence, message and drop counts (by reason) on stderr"}},
	 cmd_ais_decode},
	{"training import", "FILE", "Load a training pack (courses, questions, requirements; see "
				   "etc/training): every item or none",
	 {DATA_FLAG, CONFIG_FLAG}, cmd_training_import},
	{"training compliance", NULL, "Print the training compliance report as CSV",
	 {DATA_FLAG, CONFIG_FLAG, {"--status", "S", "only rows current, expiring or overdue"},
	  {"--role", "ROLE", "only people with this job role"}},
	 cmd_training_compliance},
	{"alarm kinds", NULL, "Print the alarm kinds and rules in effect as INI (etc/alarms.ini); "
			      "exit 1 naming the line of a bad --file",
	 {{"--file", "FILE", "alarm kinds file over the built-in table (as [alarms] kinds)"}},
	 cmd_alarm_kinds},
};
#define N_COMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

const char *cli_flag(const struct cli_command *cmd, const struct cli_args *args, const char *name)
{
	for (int i = 0; i < CLI_MAX_FLAGS && cmd->flags[i].name; i++)
		if (strcmp(cmd->flags[i].name, name) == 0)
			return args->values[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: portguard COMMAND [FLAGS]\n\n"
		   "portguard is an integrated port facility security system.\n\ncommands:\n");
	for (int i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'portguard COMMAND --help' lists a command's flags.\n");
}

static void command_help(const struct cli_command *c)
{
	printf("usage: portguard %s%s%s [FLAGS]\n\n%s\n\nflags:\n", c->name,
	       c->positional ? " " : "", c->positional ? c->positional : "", c->summary);
	for (int i = 0; i < CLI_MAX_FLAGS && c->flags[i].name; i++) {
		char left[64];
		pg_snprintf(left, sizeof(left), "%s%s%s", c->flags[i].name, c->flags[i].arg ? " " : "",
			    c->flags[i].arg ? c->flags[i].arg : "");
		printf("  %-30s %s\n", left, c->flags[i].help);
	}
	printf("  %-30s %s\n", "--help", "this text");
}

/* Which command do argv[1..] name? Commands of two words ("user add") match two args. */
static const struct cli_command *find_command(int argc, char **argv, int *used)
{
	for (int i = 0; i < N_COMMANDS; i++) {
		const char *name = commands[i].name;
		const char *sp = strchr(name, ' ');
		if (!sp && strcmp(argv[1], name) == 0) {
			*used = 2;
			return &commands[i];
		}
		if (sp && argc > 2 && strncmp(argv[1], name, (size_t)(sp - name)) == 0 &&
		    argv[1][sp - name] == '\0' && strcmp(argv[2], sp + 1) == 0) {
			*used = 3;
			return &commands[i];
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	int used = 0;
	const struct cli_command *cmd = find_command(argc, argv, &used);
	if (!cmd) {
		int group = 0;
		for (int i = 0; i < N_COMMANDS; i++) {
			const char *sp = strchr(commands[i].name, ' ');
			if (sp && strncmp(argv[1], commands[i].name, (size_t)(sp - commands[i].name)) == 0 &&
			    argv[1][sp - commands[i].name] == '\0') {
				if (!group++)
					fprintf(stderr, "portguard %s: give one of:\n", argv[1]);
				fprintf(stderr, "  portguard %-16s %s\n", commands[i].name,
					commands[i].summary);
			}
		}
		if (group)
			return argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) ? 0 : 2;
		if (argc > 2 && argv[2][0] != '-')
			fprintf(stderr, "portguard: unknown command '%s %s' (see portguard --help)\n",
				argv[1], argv[2]);
		else
			fprintf(stderr, "portguard: unknown command '%s' (see portguard --help)\n",
				argv[1]);
		return 2;
	}
	struct cli_args args = {0};
	for (int i = used; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			command_help(cmd);
			return 0;
		}
		if (a[0] != '-' || a[1] == '\0') { /* "-" (stdin) is a positional */
			if (!cmd->positional || (args.argc && !cmd->positional_many)) {
				fprintf(stderr, "portguard %s: unexpected argument '%s'\n", cmd->name, a);
				return 2;
			}
			/* Gathered at the front of argv[used..] in order, as getopt permutes argv:
			 * the slot written was read already (used + argc <= i), and flag values
			 * hold the strings, not the slots. */
			argv[used + args.argc++] = argv[i];
			continue;
		}
		char name[64];
		const char *eq = strchr(a, '=');
		pg_snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
		int k = 0;
		while (k < CLI_MAX_FLAGS && cmd->flags[k].name && strcmp(cmd->flags[k].name, name) != 0)
			k++;
		if (k == CLI_MAX_FLAGS || !cmd->flags[k].name) {
			fprintf(stderr, "portguard %s: unknown flag '%s' (see portguard %s --help)\n",
				cmd->name, name, cmd->name);
			return 2;
		}
		if (!cmd->flags[k].arg) {
			args.values[k] = "1";
		} else if (eq) {
			args.values[k] = eq + 1;
		} else if (i + 1 < argc) {
			args.values[k] = argv[++i];
		} else {
			fprintf(stderr, "portguard %s: flag '%s' needs a value (%s)\n", cmd->name, name,
				cmd->flags[k].arg);
			return 2;
		}
	}
	args.argv = (const char *const *)&argv[used];
	args.positional = args.argc ? args.argv[0] : NULL;
	if (cmd->positional && !args.argc && cmd->positional[0] != '[') { /* "[FILE]": optional */
		fprintf(stderr, "portguard %s: missing %s\n", cmd->name, cmd->positional);
		return 2;
	}
	if (pg_core_init() < 0) {
		fprintf(stderr, "portguard: cannot initialise libsodium\n");
		return 1;
	}
	return cmd->run(cmd, &args);
}
