/*
 * What every tool shares: the common options (input, DNS, output), number
 * parsing, the resolver built from those options, findings printed as text
 * or JSON, and exit statuses.  A tool's main parses its own options, hands
 * the rest to cmd_option, and calls the libraries.
 */
#ifndef AUTHZONE_CLI_COMMON_H
#define AUTHZONE_CLI_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "cli/jsonw.h"
#include "dns/dns.h"
#include "dns/https.h"
#include "lint/finding.h"

enum {
	EXIT_CLEAN = 0,		/* nothing at error severity */
	EXIT_FINDINGS = 1,	/* findings at error severity */
	EXIT_USAGE = 2,		/* usage or input error */
	EXIT_DNS = 3,		/* DNS failure kept the job from finishing */
	/* spf-flatten's own */
	EXIT_DIFFERS = 4,	/* --check: DNS publishes something else */
	EXIT_RELOAD = 5,	/* the reload command failed */
	EXIT_VERIFY = 6,	/* --verify: not served in time */
	EXIT_BUSY = 7,		/* another run holds the lock */
};

/** The worse of two exit statuses, for a run over several domains or
 * records: a publication not served (reload, verify), then a DNS
 * failure, findings, a held lock, usage, a difference, clean. */
int cmd_status_worse(int a, int b);

#define CMD_MAX_SERVERS	DNS_MAX_SERVERS
#define CMD_MAX_ZONES	64

/* The groups of common options; a tool accepts those it implements, lists
 * only those in its help, and refuses the others as usage errors. */
enum {
	CMD_RECORD = 1 << 0,	/* --record */
	CMD_ZONE = 1 << 1,	/* --zone, --offline */
	CMD_DNS = 1 << 2,	/* --server, --timeout, --retries, --deadline,
				 * --recursive, --authoritative */
	CMD_JSON = 1 << 3,	/* --json */
	CMD_STRICT = 1 << 4,	/* --strict */
	CMD_VERBOSE = 1 << 5,	/* -v */
	CMD_LINTER = CMD_RECORD | CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT,
};

typedef struct cmd_opts {
	const char *prog;
	unsigned accepts;	/* CMD_RECORD, ... */
	unsigned given;		/* the groups of the options given */
	bool json, strict, offline, color;
	int verbose;
	char *record;		/* --record, read from stdin for "-" */
	const char *servers[CMD_MAX_SERVERS];
	size_t nservers;
	const char *zones[CMD_MAX_ZONES];
	size_t nzones;
	unsigned timeout_ms, retries, deadline_ms;
	bool deadline_given;	/* --deadline: a batch's whole-run limit */
	unsigned concurrency;	/* queries in flight at most; 0: default */
	dns_server_kind_t server_kind;	/* --recursive, --authoritative */
} cmd_opts_t;

/* The long options every tool has; end a tool's table with them. */
enum {
	OPT_JSON = 0x100, OPT_STRICT, OPT_OFFLINE, OPT_RECORD, OPT_ZONE,
	OPT_SERVER, OPT_TIMEOUT, OPT_RETRIES, OPT_DEADLINE, OPT_CA_FILE,
	OPT_CONNECT_TO, OPT_RECURSIVE, OPT_AUTHORITATIVE, OPT_TOOL_BASE,
};
#define CMD_COMMON_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "strict", no_argument, NULL, OPT_STRICT }, \
	{ "offline", no_argument, NULL, OPT_OFFLINE }, \
	{ "record", required_argument, NULL, OPT_RECORD }, \
	{ "zone", required_argument, NULL, OPT_ZONE }, \
	{ "server", required_argument, NULL, OPT_SERVER }, \
	{ "timeout", required_argument, NULL, OPT_TIMEOUT }, \
	{ "retries", required_argument, NULL, OPT_RETRIES }, \
	{ "deadline", required_argument, NULL, OPT_DEADLINE }, \
	{ "recursive", no_argument, NULL, OPT_RECURSIVE }, \
	{ "authoritative", no_argument, NULL, OPT_AUTHORITATIVE }, \
	{ NULL, 0, NULL, 0 }
#define CMD_COMMON_SHORTOPTS "hVv"

/* The options of the tools that fetch over HTTPS; put them before
 * CMD_COMMON_LONGOPTS. */
#define CMD_HTTPS_LONGOPTS \
	{ "ca-file", required_argument, NULL, OPT_CA_FILE }, \
	{ "connect-to", required_argument, NULL, OPT_CONNECT_TO },
#define CMD_MAX_CONNECT	8

typedef struct cmd_https {
	https_options_t ho;
	const char *connect[CMD_MAX_CONNECT];
} cmd_https_t;

/** Handles --ca-file and --connect-to into h (zeroed by the caller);
 * returns 1 when c was one of them, exits 2 past CMD_MAX_CONNECT. */
int cmd_https_option(const cmd_opts_t *o, cmd_https_t *h, int c,
    const char *arg);
/** Their help text. */
void cmd_https_help(FILE *fp);
/** The options for https_get, the timeout taken from o's tries, hosts
 * resolved by r (so --server and --zone apply), nothing fetched with
 * --offline. */
const https_options_t *cmd_https_options(const cmd_opts_t *o,
    cmd_https_t *h, dns_resolver_t *r);

/** Sets defaults; prog is the tool's name for messages, accepts the
 * groups of common options it implements. */
void cmd_opts_init(cmd_opts_t *o, const char *prog, unsigned accepts);
void cmd_opts_clear(cmd_opts_t *o);

/** Handles one common option.  Returns 1 when handled, 0 when c is not a
 * common option; exits for -h/-V (0), for bad values and for an option
 * the tool does not accept (2). */
int cmd_option(cmd_opts_t *o, int c, const char *arg,
    void (*usage)(FILE *, int));

/** --concurrency N (1 to 65536) into o; false with a message. */
bool cmd_concurrency(cmd_opts_t *o, const char *arg);

/** The help text of the common options in the groups accepts. */
void cmd_common_help(FILE *fp, unsigned accepts);

/** Prints "prog: error: ..." on stderr. */
void cmd_error(const cmd_opts_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** The same for a warning: "prog: warning: ...". */
void cmd_warn(const cmd_opts_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** And for a note: "prog: note: ...". */
void cmd_note(const cmd_opts_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** "prog: error: bad value 'arg' for --opt: want WANT" (no want: NULL),
 * then exit 2. */
void cmd_bad_value(const cmd_opts_t *o, const char *opt, const char *arg,
    const char *want) __attribute__((noreturn));

/** Writes the domain name arg, normalized, into out (256 bytes); exits 2
 * with a message when it is not a domain name. */
void cmd_domain_arg(const cmd_opts_t *o, const char *arg, char *out);

/** True when s is a name's labels, nothing a zone file would need
 * escaped: a selector (DKIM, BIMI) to look up. */
bool cmd_is_name(const char *s);
/** And one to publish a record at: no wildcard either. */
bool cmd_is_selector(const char *s);

/** Parses a decimal in [min, max]; -1 when it is not one. */
int cmd_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out);

/** A resolver with the zones and servers of o loaded; exits 2 on bad
 * input.  The caller frees it with dns_resolver_free. */
dns_resolver_t *cmd_resolver(const cmd_opts_t *o);

/** Prints findings as text; color as cmd_opts_t says. */
void cmd_findings_print(FILE *fp, const lint_findings_t *f, bool color);
/** The findings as a JSON array (a new reference). */
json_t *cmd_findings_json(const lint_findings_t *f);
/** The same, written as key's value (NULL in an array) by w. */
void cmd_findings_jw(jw_t *w, const char *key, const lint_findings_t *f);
/** The resolver's counters as a JSON object (a new reference). */
json_t *cmd_dns_json(const dns_resolver_t *r);
/** The same as a line on stderr, after a batch: "TOOL: dns: ...". */
void cmd_dns_summary(const char *tool, const dns_resolver_t *r);
/** Prints one JSON document and a newline on stdout. */
void cmd_json_print(json_t *doc);
/** Prints doc on one line of stdout (JSON Lines) and drops it. */
void cmd_json_line(json_t *doc);

/** The exit status for findings: 1 for errors (or warnings with strict). */
int cmd_findings_status(const cmd_opts_t *o, const lint_findings_t *f);

/** Flushes stdout; the status, or 2 when output could not be written. */
int cmd_finish(const cmd_opts_t *o, int status);

#endif
