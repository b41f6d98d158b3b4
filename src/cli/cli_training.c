/* cli_training.c - load a training pack (courses, questions, requirements) and print the
 * compliance report (training.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../training/training.h"
#include "cli.h"
#include "cli_int.h"

static int store_present(const struct cli_command *cmd, const struct pg_config *cfg)
{
	char path[600];
	pg_snprintf(path, sizeof(path), "%s/portguard.db", cfg->data);
	if (access(path, F_OK) == 0)
		return 0;
	fprintf(stderr, "portguard %s: no store at %s: run 'portguard init --data %s' first\n",
	        cmd->name, path, cfg->data);
	return 1;
}

struct pack_ctx {
	const struct training_pack *p;
	int added;
};

static int pack_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct pack_ctx *c = vctx;
	/* the shipped packs first, so that requirements may name their courses */
	int rc = training_seed_tx(tx, err);
	return rc < 0 ? rc : training_pack_store_tx(tx, cli_actor(), c->p, &c->added, err);
}

/* portguard training import FILE: all or nothing; courses and questions that exist (by
 * code and ref) are kept as they are. */
int cmd_training_import(const struct cli_command *cmd, const struct cli_args *args)
{
	struct pg_config cfg;
	struct pg_err err = {0};
	struct store *s = NULL;
	struct training_pack *p = NULL;
	char *text = NULL;
	int rc = 1;
	if (cli_load_config(cmd, args, &cfg) || store_present(cmd, &cfg))
		return 1;
	if (pg_read_text_file(args->positional, TRAINING_PACK_MAX, "pack", &text, &err) < 0 ||
	    training_pack_parse(text, strlen(text), &p, &err) < 0) {
		fprintf(stderr, "portguard %s: %s: %s; nothing was imported\n", cmd->name,
		        args->positional, err.msg);
		goto out;
	}
	if (cli_open_store(cmd->name, &cfg, NULL, &s))
		goto out;
	struct pack_ctx c = {p, 0};
	if (store_write(s, pack_fn, &c, &err) < 0) {
		fprintf(stderr, "portguard %s: %s: %s; nothing was imported\n", cmd->name,
		        args->positional, err.msg);
		goto out;
	}
	printf("%s: %d courses, %d questions, %d requirements read; %d rows new\n",
	       args->positional, p->ncourses, p->nquestions, p->nrequirements, c.added);
	rc = 0;
out:
	store_close(s);
	training_pack_free(p);
	pg_free(text);
	return rc;
}

struct csv_ctx {
	struct training_filter f;
	struct pg_buf buf;
	int done;
};

static int csv_row(void *ctx, const struct training_row *r)
{
	training_compliance_csv_row(ctx, r);
	return 0;
}

static int csv_fn(struct store_tx *tx, void *vctx, struct pg_err *err)
{
	struct csv_ctx *c = vctx;
	struct training_filter f = c->f;
	f.limit = 1000;
	int64_t n = 0, last = 0;
	int rc = training_compliance_scan(tx, &f, csv_row, &c->buf, &n, &last, err);
	if (rc == 0 && n < f.limit)
		c->done = 1;
	c->f.after = last;
	return rc;
}

/* portguard training compliance [--status S] [--role R]: the CSV of
 * GET /api/v1/training/compliance.csv on stdout. */
int cmd_training_compliance(const struct cli_command *cmd, const struct cli_args *args)
{
	static const char *const st[] = {"current", "expiring", "overdue", NULL};
	struct pg_config cfg;
	struct pg_err err = {0};
	struct store *s = NULL;
	struct csv_ctx c = {.f = {.status = -1, .now_ms = pg_now_ms()}};
	const char *status = cli_flag(cmd, args, "--status"), *role = cli_flag(cmd, args, "--role");
	if (status) {
		for (c.f.status = 0; st[c.f.status] && strcmp(st[c.f.status], status) != 0;)
			c.f.status++;
		if (!st[c.f.status]) {
			fprintf(stderr,
			        "portguard %s: --status must be current, expiring or overdue\n",
			        cmd->name);
			return 2;
		}
	}
	c.f.role = role;
	if (cli_load_config(cmd, args, &cfg) || store_present(cmd, &cfg) ||
	    cli_open_store(cmd->name, &cfg, NULL, &s))
		return 1;
	int rc = 0;
	pg_buf_init(&c.buf, 64 << 20);
	training_compliance_csv_header(&c.buf);
	while (rc == 0) {
		if (store_read(s, csv_fn, &c, &err) < 0) {
			fprintf(stderr, "portguard %s: %s\n", cmd->name, err.msg);
			rc = 1;
			break;
		}
		fwrite(c.buf.p ? c.buf.p : "", 1, c.buf.len, stdout);
		pg_buf_reset(&c.buf);
		if (c.done)
			break;
	}
	pg_buf_release(&c.buf);
	store_close(s);
	return rc;
}
