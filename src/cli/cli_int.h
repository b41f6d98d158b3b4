/* cli_int.h - helpers the commands share. */
#ifndef PG_CLI_INT_H
#define PG_CLI_INT_H

#include "../core/config.h"
#include "../store/store.h"
#include "cli.h"

/* "cli:<unix user>", the actor CLI changes are audited as. */
const char *cli_actor(void);
/* Defaults, then --config, then --data. Prints the error and returns 1 on failure. */
int cli_load_config(const struct cli_command *cmd, const struct cli_args *args,
		    struct pg_config *cfg);
int cli_open_store(const char *cmdname, const struct pg_config *cfg, struct pg_bus *bus,
		   struct store **out);
/* Creates the first admin in an empty store; pw receives the password used. */
int cli_init_store(const char *cmdname, struct store *s, const char *pwfile, char *pw, size_t pwn);

#endif
