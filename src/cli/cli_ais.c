/* cli_ais.c - portguard ais decode [FILE]: NMEA AIS sentences (stdin when no FILE or '-')
 * to one gpsd JSON object per message on stdout, as `gpsdecode -j` prints them (--raw: as
 * `gpsdecode -u -j`). Bad lines are dropped and counted; --stats prints the counts on
 * stderr at the end. Exit 0 even when lines were dropped, 1 on an I/O error, 2 on usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../ais/ais.h"
#include "cli.h"

#define IN_CHUNK  (1 << 20)
#define OUT_CHUNK (1 << 20)
#define MAX_LINE  4096 /* longer lines are dropped as bad_format */

struct sink {
	int fd;
	char *buf;
	size_t len;
	int failed;
};

static void sink_flush(struct sink *s)
{
	size_t off = 0;
	while (off < s->len && !s->failed) {
		ssize_t n = write(s->fd, s->buf + off, s->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			s->failed = errno ? errno : EIO;
		else
			off += (size_t)n;
	}
	s->len = 0;
}

struct run {
	struct ais_decoder *dec;
	struct sink out;
	int raw;
	const char *device;
	int64_t now_ms;
};

static void one_line(struct run *r, const char *line, size_t len)
{
	struct ais_msg m;
	if (ais_decoder_feed(r->dec, line, len, r->now_ms, &m) != 1)
		return;
	if (r->out.len + AIS_JSON_MAX > OUT_CHUNK)
		sink_flush(&r->out);
	int n = ais_json_write(&m, r->raw, r->device, r->out.buf + r->out.len, AIS_JSON_MAX);
	if (n > 0)
		r->out.len += (size_t)n;
}

/* Feeds every line of fd; returns 0 or the errno of a failed read. */
static int feed_fd(struct run *r, int fd)
{
	char *buf = pg_malloc(IN_CHUNK + MAX_LINE);
	size_t have = 0;  /* bytes of an unfinished line at the start of buf */
	int skipping = 0; /* inside a line that was too long */
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, IN_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = errno;
			break;
		}
		r->now_ms = pg_mono_ms();
		size_t end = have + (size_t)n, start = 0;
		if (n == 0) { /* last line without a line end */
			if (have && !skipping)
				one_line(r, buf, have);
			break;
		}
		for (;;) {
			char *nl = memchr(buf + start, '\n', end - start);
			if (!nl)
				break;
			size_t len = (size_t)(nl - (buf + start));
			if (skipping)
				skipping = 0;
			else
				one_line(r, buf + start, len);
			start += len + 1;
		}
		have = end - start;
		if (have > MAX_LINE) { /* count the overlong line once, as not a sentence */
			struct ais_msg unused;
			if (!skipping)
				ais_decoder_feed(r->dec, "x", 1, r->now_ms, &unused);
			skipping = 1;
			have = 0;
		} else {
			memmove(buf, buf + start, have);
		}
	}
	pg_free(buf);
	return rc;
}

int cmd_ais_decode(const struct cli_command *cmd, const struct cli_args *args)
{
	const char *path = args->argc ? args->argv[0] : NULL;
	if (args->argc > 1) {
		fprintf(stderr, "portguard %s: give at most one FILE\n", cmd->name);
		return 2;
	}
	int fd = 0;
	const char *device = "stdin";
	if (path && strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "portguard %s: cannot open %s: %s\n", cmd->name, path,
			        strerror(errno));
			return 1;
		}
		device = path;
	}
	struct run r = {0};
	r.dec = ais_decoder_new(NULL);
	r.raw = cli_flag(cmd, args, "--raw") != NULL;
	r.device = device;
	r.out.fd = 1;
	r.out.buf = pg_malloc(OUT_CHUNK);
	int rc = feed_fd(&r, fd);
	ais_decoder_flush(r.dec);
	sink_flush(&r.out);
	int status = 0;
	if (rc) {
		fprintf(stderr, "portguard %s: cannot read %s: %s\n", cmd->name,
		        path ? path : "stdin", strerror(rc));
		status = 1;
	}
	if (r.out.failed) {
		fprintf(stderr, "portguard %s: cannot write the output: %s\n", cmd->name,
		        strerror(r.out.failed));
		status = 1;
	}
	if (cli_flag(cmd, args, "--stats")) {
		const struct ais_stats *st = ais_decoder_stats(r.dec);
		uint64_t dropped = 0;
		for (int i = 0; i < AIS_R_COUNT; i++)
			dropped += st->dropped[i];
		fprintf(stderr, "sentences %llu\nmessages %llu\ndropped %llu\n",
		        (unsigned long long)st->sentences, (unsigned long long)st->messages,
		        (unsigned long long)dropped);
		for (int i = 0; i < AIS_R_COUNT; i++)
			fprintf(stderr, "%s %llu\n", ais_reason_name(i),
			        (unsigned long long)st->dropped[i]);
	}
	if (fd > 0)
		close(fd);
	pg_free(r.out.buf);
	ais_decoder_free(r.dec);
	return status;
}
