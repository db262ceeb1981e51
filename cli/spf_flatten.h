/*
 * spf-flatten's jobs: their options (from the command line or a --config
 * file) and the run of one: lock, state, flatten, publish (snippet,
 * serial, reload, verify, RFC 2136).  What the main shares with nothing
 * else, out of it.
 */
#ifndef AUTHZONE_CLI_SPF_FLATTEN_H
#define AUTHZONE_CLI_SPF_FLATTEN_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/gen.h"
#include "dns/update.h"
#include "flatten/flatten.h"

enum { OPT_SOURCE = OPT_TOOL_BASE, OPT_RESOLVE, OPT_KEEP, OPT_MAXBYTES,
    OPT_MAXLOOKUPS, OPT_PREFIX, OPT_OUTPUT, OPT_STATE, OPT_SHRINK,
    OPT_CHECK, OPT_DRY, OPT_UPDATE, OPT_TSIG_KEY, OPT_TSIG, OPT_CONFIG,
    OPT_BUMP, OPT_RELOAD, OPT_VERIFY, OPT_LOCK_WAIT };

#define MAX_KEEP	64
#define MAX_OUTPUT	(1u << 20)	/* bytes of an output file read back */

struct job {
	const char *domain, *source, *record, *output, *state, *update;
	const char *bump, *reload, *verify;
	const char *keep[MAX_KEEP];
	fl_options_t opt;
	dns_tsig_t tsig;
	bool signed_update, check, dry, force, ttl_given;
	unsigned shrink, lock_wait;
	uint32_t ttl;
	gen_format_t format;
	bool set[128];		/* options given, by value - OPT_JSON */
};

/* The long options of spf-flatten; a --config key is one of their names */
/* the common options spf-flatten implements */
#define FLATTEN_ACCEPTS	(CMD_RECORD | CMD_ZONE | CMD_DNS | CMD_JSON | \
	CMD_VERBOSE)

extern const struct option flatten_longopts[];

void flatten_job_init(struct job *j);
/** One setting, from the command line or the config file; -1 with err. */
int flatten_job_option(struct job *j, int c, const char *arg, char *err,
    size_t len);
/** The jobs of a config file, each starting from base; -1 with a
 * message. */
int flatten_config_jobs(const cmd_opts_t *o, const char *path,
    const struct job *base, json_t **root, struct job **jobs, size_t *n);
/** One domain of the run: lock, state, flatten, publish; its exit
 * status. */
int flatten_job_run(const cmd_opts_t *o, dns_resolver_t *r, struct job *j);

/** The help on stdout (status 0) or the usage lines on stderr; exits. */
void flatten_usage(FILE *fp, int status);
/** Runs the n jobs over one resolver: the worst exit status. */
int flatten_jobs_run(const cmd_opts_t *o, struct job *jobs, size_t n);

#endif
