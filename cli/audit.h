/* mail-audit's output: an audit result as JSON, as the one-screen text
 * report, and its exit status. */
#ifndef AUTHZONE_CLI_AUDIT_H
#define AUTHZONE_CLI_AUDIT_H

#include "cli/common.h"
#include "lint/audit.h"

/** The result as a JSON object (a new reference). */
json_t *audit_result_json(const audit_result_t *res);
/** The one-screen text report: the table, then the findings by area. */
void audit_result_print(const cmd_opts_t *o, const audit_result_t *res);
/** The exit status: 3 for a DNS failure, 1 for a failing area (or a
 * warning with --strict). */
int audit_result_status(const cmd_opts_t *o, const audit_result_t *res);

/** mail-audit's help after its usage lines: what it does, its options
 * (the common ones of accepts), its exit status. */
void audit_cli_help(FILE *fp, unsigned accepts);
/** --selector (or --bimi-selector with bimi) into ao; false with a
 * message. */
bool audit_cli_selector(const cmd_opts_t *o, audit_opts_t *ao, bool bimi,
    const char *arg);
/* What mail-audit runs over, and how */
typedef struct audit_cli {
	const char *batch;	/* --batch FILE, or NULL: the domains */
	char *const *domains;
	size_t ndomains;
	bool progress;		/* a progress line on a terminal */
	const char *baseline;	/* --baseline FILE, or NULL */
	bool dry_run;		/* compare with it, write nothing */
	unsigned smtp_port;	/* the tls area's; 25 */
	const char *trust_anchor;	/* its TLSA validated here, or NULL */
} audit_cli_t;

/** mail-audit's run after its options: the domains given, or those of
 * the batch file, printed as text, JSON or JSON Lines (with a baseline:
 * only what changed); the exit status. */
int audit_cli_run(const cmd_opts_t *o, audit_opts_t *ao, cmd_https_t *https,
    const audit_cli_t *c);

#endif
