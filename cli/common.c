#include "cli/common.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "util/file.h"
#include "util/time.h"

void
cmd_opts_init(cmd_opts_t *o, const char *prog, unsigned accepts)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	/* nothing here reads OpenSSL's configuration file: loading it costs
	 * every run that digests or parses a key about 2 ms */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	memset(o, 0, sizeof(*o));
	o->prog = prog;
	o->accepts = accepts;
	o->timeout_ms = 2000;
	o->retries = 2;
	o->deadline_ms = 30000;
	o->color = isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

void
cmd_opts_clear(cmd_opts_t *o)
{
	free(o->record);
	o->record = NULL;
}

bool
cmd_concurrency(cmd_opts_t *o, const char *arg)
{
	if (cmd_parse_uint(arg, 1, 65536, &o->concurrency) == 0)
		return true;
	cmd_error(o, "bad --concurrency '%s'", arg);
	return false;
}

int
cmd_status_worse(int a, int b)
{
	static const int rank[] = { [EXIT_CLEAN] = 0, [EXIT_DIFFERS] = 1,
	    [EXIT_USAGE] = 2, [EXIT_BUSY] = 3, [EXIT_FINDINGS] = 4,
	    [EXIT_DNS] = 5, [EXIT_VERIFY] = 6, [EXIT_RELOAD] = 7 };
	const int n = (int)(sizeof(rank) / sizeof(rank[0]));

	if (a < 0 || a >= n)	/* an unknown status is kept */
		return a;
	if (b < 0 || b >= n)
		return b;
	return rank[b] > rank[a] ? b : a;
}

static void
say(const char *prog, const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", prog, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cmd_error(const cmd_opts_t *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(o->prog, "error", fmt, ap);
	va_end(ap);
}

void
cmd_warn(const cmd_opts_t *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(o->prog, "warning", fmt, ap);
	va_end(ap);
}

void
cmd_note(const cmd_opts_t *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(o->prog, "note", fmt, ap);
	va_end(ap);
}

void
cmd_domain_arg(const cmd_opts_t *o, const char *arg, char *out)
{
	if (util_name_normalize(arg, out, 256) != 0) {
		cmd_error(o, "'%s' is not a domain name", arg);
		exit(EXIT_USAGE);
	}
}

bool
cmd_is_name(const char *s)
{
	char norm[256];

	return util_name_normalize(s, norm, sizeof(norm)) == 0 &&
	    !strpbrk(s, "\\ ");
}

bool
cmd_is_selector(const char *s)
{
	return cmd_is_name(s) && !strchr(s, '*');
}

int
cmd_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Reads all of stdin for --record -, at most 64 KiB, within the run's
 * deadline (a pipe that never closes does not hold the tool) */
static char *
read_stdin(const cmd_opts_t *o)
{
	char err[600];
	size_t n;
	char *buf = util_file_read("-", 65536, &n, NULL, err, sizeof(err));

	if (buf == NULL) {
		cmd_error(o, "--record -: %s", err);
		exit(EXIT_USAGE);
	}
	if (memchr(buf, '\0', n) != NULL) {
		cmd_error(o, "the record on standard input holds a NUL byte "
		    "(at byte %zu)", (size_t)((char *)memchr(buf, '\0', n) -
		    buf));
		exit(EXIT_USAGE);
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

void
cmd_bad_value(const cmd_opts_t *o, const char *opt, const char *arg,
    const char *want)
{
	cmd_error(o, "bad value '%s' for --%s%s%s", arg, opt, want ?
	    ": want " : "", want ? want : "");
	exit(EXIT_USAGE);
}

/* The group of a common option, 0 for those every tool has */
static unsigned
option_group(int c, const char **name)
{
	switch (c) {
	case OPT_RECORD: *name = "record"; return CMD_RECORD;
	case OPT_ZONE: *name = "zone"; return CMD_ZONE;
	case OPT_OFFLINE: *name = "offline"; return CMD_ZONE;
	case OPT_SERVER: *name = "server"; return CMD_DNS;
	case OPT_TIMEOUT: *name = "timeout"; return CMD_DNS;
	case OPT_RETRIES: *name = "retries"; return CMD_DNS;
	case OPT_DEADLINE: *name = "deadline"; return CMD_DNS;
	case OPT_RECURSIVE: *name = "recursive"; return CMD_DNS;
	case OPT_AUTHORITATIVE: *name = "authoritative"; return CMD_DNS;
	case OPT_JSON: *name = "json"; return CMD_JSON;
	case OPT_STRICT: *name = "strict"; return CMD_STRICT;
	case 'v': *name = "verbose"; return CMD_VERBOSE;
	}
	return 0;
}

int
cmd_option(cmd_opts_t *o, int c, const char *arg,
    void (*usage)(FILE *, int))
{
	const char *name = NULL;
	unsigned group = option_group(c, &name);

	if (group && !(o->accepts & group)) {
		cmd_error(o, "--%s is not an option of %s (see %s --help)", name,
		    o->prog, o->prog);
		exit(EXIT_USAGE);
	}
	o->given |= group;
	switch (c) {
	case 'h':
		usage(stdout, EXIT_CLEAN);
		return 1;
	case 'V':
		printf("%s (authzone) %s\n", o->prog, AUTHZONE_VERSION);
		exit(EXIT_CLEAN);
	case 'v':
		o->verbose++;
		return 1;
	case OPT_JSON:
		o->json = true;
		return 1;
	case OPT_STRICT:
		o->strict = true;
		return 1;
	case OPT_OFFLINE:
		o->offline = true;
		return 1;
	case OPT_RECORD:
		free(o->record);
		o->record = strcmp(arg, "-") == 0 ? read_stdin(o) : strdup(arg);
		if (o->record == NULL) {
			cmd_error(o, "out of memory");
			exit(EXIT_USAGE);
		}
		return 1;
	case OPT_ZONE:
		if (o->nzones == CMD_MAX_ZONES)
			cmd_bad_value(o, "zone", arg, "at most 64 zone files");
		o->zones[o->nzones++] = arg;
		return 1;
	case OPT_SERVER:
		if (o->nservers == CMD_MAX_SERVERS)
			cmd_bad_value(o, "server", arg, "at most 8 servers");
		o->servers[o->nservers++] = arg;
		return 1;
	case OPT_TIMEOUT:
		if (cmd_parse_uint(arg, 1, 600000, &o->timeout_ms) != 0)
			cmd_bad_value(o, "timeout", arg, "milliseconds, 1 to 600000");
		return 1;
	case OPT_RETRIES:
		if (cmd_parse_uint(arg, 0, 10, &o->retries) != 0)
			cmd_bad_value(o, "retries", arg, "0 to 10");
		return 1;
	case OPT_DEADLINE:
		if (cmd_parse_uint(arg, 1, 3600000, &o->deadline_ms) != 0)
			cmd_bad_value(o, "deadline", arg,
			    "milliseconds, 1 to 3600000");
		o->deadline_given = true;
		util_file_wait_set(o->deadline_ms);
		return 1;
	case OPT_RECURSIVE:
	case OPT_AUTHORITATIVE:
		if (o->server_kind != DNS_SERVER_DETECT &&
		    o->server_kind != (c == OPT_RECURSIVE ?
		    DNS_SERVER_RECURSIVE : DNS_SERVER_AUTHORITATIVE)) {
			cmd_error(o, "--recursive and --authoritative "
			    "exclude each other");
			exit(EXIT_USAGE);
		}
		o->server_kind = c == OPT_RECURSIVE ? DNS_SERVER_RECURSIVE :
		    DNS_SERVER_AUTHORITATIVE;
		return 1;
	case '?':
		usage(stderr, EXIT_USAGE);
		return 1;
	}
	return 0;
}

void
cmd_common_help(FILE *fp, unsigned accepts)
{
	if (accepts & (CMD_RECORD | CMD_ZONE))
		fputs("Input:\n", fp);
	if (accepts & CMD_RECORD)
		fputs(
"      --record TEXT    check TEXT as if it were published (- reads stdin)\n",
		    fp);
	if (accepts & CMD_ZONE)
		fputs(
"      --zone FILE      answer from this zone file first (repeatable)\n"
"      --offline        answer from zone files only, never from the network\n",
		    fp);
	if (accepts & CMD_DNS)
		fputs(
"DNS:\n"
"      --server ADDR[@PORT]  ask this server (repeatable; default: the\n"
"                       nameservers of /etc/resolv.conf)\n"
"      --timeout MS     wait this long for each try (default 2000)\n"
"      --retries N      try again N times, on the next server (default 2)\n"
"      --deadline MS    give up on the whole run after MS (default 30000)\n"
"      --recursive      the servers are recursive resolvers (default: told\n"
"                       by the RA bit of their answers)\n"
"      --authoritative  the servers are authoritative, even if they set RA\n",
		    fp);
	fputs("Output:\n", fp);
	if (accepts & CMD_JSON)
		fputs(
"      --json           one JSON document on stdout\n", fp);
	if (accepts & CMD_STRICT)
		fputs(
"      --strict         treat warnings as errors\n", fp);
	if (accepts & CMD_VERBOSE)
		fputs(
"  -v, --verbose        say more\n", fp);
	fputs(
"  -h, --help           print this help and exit\n"
"  -V, --version        print the version and exit\n", fp);
}

dns_resolver_t *
cmd_resolver(const cmd_opts_t *o)
{
	dns_options_t dopt = {
		.servers = o->servers, .nservers = o->nservers,
		.timeout_ms = o->timeout_ms, .retries = o->retries,
		.deadline_ms = o->deadline_ms, .offline = o->offline,
		.max_in_flight = o->concurrency, .kind = o->server_kind,
	};
	char err[512];
	dns_resolver_t *r = dns_resolver_new(&dopt, err, sizeof(err));

	if (r == NULL) {
		cmd_error(o, "%s", err);
		exit(EXIT_USAGE);
	}
	for (size_t i = 0; i < o->nzones; i++)
		if (dns_resolver_zone_load(r, o->zones[i], err,
		    sizeof(err)) != 0) {
			cmd_error(o, "%s", err);
			dns_resolver_free(r);
			exit(EXIT_USAGE);
		}
	return r;
}

int
cmd_findings_status(const cmd_opts_t *o, const lint_findings_t *f)
{
	if (lint_findings_count(f, LINT_ERROR) > 0)
		return EXIT_FINDINGS;
	if (o->strict && lint_findings_count(f, LINT_WARNING) > 0)
		return EXIT_FINDINGS;
	return EXIT_CLEAN;
}

int
cmd_finish(const cmd_opts_t *o, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_error(o, "cannot write output: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return status;
}

int
cmd_https_option(const cmd_opts_t *o, cmd_https_t *h, int c, const char *arg)
{
	if (c == OPT_CA_FILE) {
		static char *kept;	/* for the run; the last one counts */
		char err[600];
		size_t len;
		char *pem = util_file_read(arg, 16u << 20, &len, NULL, err,
		    sizeof(err));

		if (pem == NULL) {
			cmd_error(o, "--ca-file: %s", err);
			exit(EXIT_USAGE);
		}
		free(kept);
		kept = pem;
		h->ho.ca_pem = pem;
		h->ho.ca_len = len;
		return 1;
	}
	if (c != OPT_CONNECT_TO)
		return 0;
	if (h->ho.nconnect == CMD_MAX_CONNECT) {
		cmd_error(o, "more than %d --connect-to", CMD_MAX_CONNECT);
		exit(EXIT_USAGE);
	}
	h->connect[h->ho.nconnect++] = arg;
	return 1;
}

void
cmd_https_help(FILE *fp)
{
	fputs("      --ca-file FILE   trust these CA certificates instead of "
	    "the system's\n"
	    "      --connect-to HOST:PORT:CHOST:CPORT  connect there instead "
	    "(repeatable)\n", fp);
}

const https_options_t *
cmd_https_options(const cmd_opts_t *o, cmd_https_t *h, dns_resolver_t *r)
{
	h->ho.connect_to = h->connect;
	h->ho.resolver = r;
	h->ho.offline = o->offline;
	h->ho.timeout_ms = o->timeout_ms * (o->retries + 1);
	return &h->ho;
}
