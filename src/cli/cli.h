/* cli.h - the command line: a table of commands, each with its flags. */
#ifndef PG_CLI_H
#define PG_CLI_H

#include "../core/core.h"

#define CLI_MAX_FLAGS 12

struct cli_flag {
	const char *name;  /* "--data" */
	const char *arg;   /* "DIR", or NULL for a switch */
	const char *help;
};

struct cli_args {
	const char *positional; /* the first positional argument, or NULL */
	/* Every positional argument, in order. A command with a positional gets at least one
	 * (none is a usage error); one without positional_many gets exactly one. */
	int argc;
	const char *const *argv;
	const char *values[CLI_MAX_FLAGS]; /* by flag index; "1" for a given switch */
};

struct cli_command {
	const char *name;       /* "user add" */
	const char *positional; /* "NAME", "NUMBER..." or NULL */
	const char *summary;
	struct cli_flag flags[CLI_MAX_FLAGS];
	int (*run)(const struct cli_command *cmd, const struct cli_args *args);
	int positional_many; /* 1: one or more positionals (args->argc, args->argv); 0: one */
};

/* The value of a flag by name, or NULL. */
const char *cli_flag(const struct cli_command *cmd, const struct cli_args *args, const char *name);

int cmd_init(const struct cli_command *cmd, const struct cli_args *args);
int cmd_serve(const struct cli_command *cmd, const struct cli_args *args);
int cmd_demo(const struct cli_command *cmd, const struct cli_args *args);
int cmd_user_add(const struct cli_command *cmd, const struct cli_args *args);
int cmd_token_create(const struct cli_command *cmd, const struct cli_args *args);
int cmd_audit_verify(const struct cli_command *cmd, const struct cli_args *args);
int cmd_import_people(const struct cli_command *cmd, const struct cli_args *args);
int cmd_import_manifest(const struct cli_command *cmd, const struct cli_args *args);
int cmd_container_check(const struct cli_command *cmd, const struct cli_args *args);
int cmd_ais_decode(const struct cli_command *cmd, const struct cli_args *args);
int cmd_alarm_kinds(const struct cli_command *cmd, const struct cli_args *args);

#endif
