/* mail-audit: every mail authentication record of a domain, or of a batch
 * of domains, in one report with a verdict per area. */
#include <stdlib.h>

#include "cli/audit.h"

enum { OPT_SELECTOR = OPT_TOOL_BASE, OPT_BIMI_SELECTOR, OPT_PARKED,
    OPT_RFC7489, OPT_BATCH, OPT_CONCURRENCY, OPT_NO_PROGRESS, OPT_BASELINE,
    OPT_DRY_RUN, OPT_NO_CONNECT, OPT_SMTP_PORT, OPT_TRUST_ANCHOR };

/* the common options it implements */
#define ACCEPTS (CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT | CMD_VERBOSE)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: mail-audit [options] DOMAIN...\n"
	    "       mail-audit [options] --batch FILE|-\n");
	if (fp == stdout)
		audit_cli_help(fp, ACCEPTS);
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "bimi-selector", required_argument, NULL, OPT_BIMI_SELECTOR },
		{ "parked", no_argument, NULL, OPT_PARKED },
		{ "rfc7489", no_argument, NULL, OPT_RFC7489 },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "concurrency", required_argument, NULL, OPT_CONCURRENCY },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "no-connect", no_argument, NULL, OPT_NO_CONNECT },
		{ "smtp-port", required_argument, NULL, OPT_SMTP_PORT },
		{ "trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR },
		CMD_HTTPS_LONGOPTS
		CMD_COMMON_LONGOPTS
	};
	audit_cli_t run = { .progress = true, .smtp_port = 25 };
	cmd_https_t https = { 0 };
	audit_opts_t ao = { 0 };
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "mail-audit", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_SELECTOR:
		case OPT_BIMI_SELECTOR:
		case OPT_CONCURRENCY:	/* the values that can be refused */
			if (!(c == OPT_CONCURRENCY ? cmd_concurrency(&o, optarg) :
			    audit_cli_selector(&o, &ao, c == OPT_BIMI_SELECTOR,
			    optarg)))
				return EXIT_USAGE;
			break;
		case OPT_PARKED: ao.parked = true; break;
		case OPT_RFC7489: ao.rfc7489 = true; break;
		case OPT_BATCH: run.batch = optarg; break;
		case OPT_NO_PROGRESS: run.progress = false; break;
		case OPT_BASELINE: run.baseline = optarg; break;
		case OPT_DRY_RUN: run.dry_run = true; break;
		case OPT_NO_CONNECT: ao.no_connect = true; break;
		case OPT_TRUST_ANCHOR: run.trust_anchor = optarg; break;
		case OPT_SMTP_PORT:
			if (cmd_parse_uint(optarg, 1, 65535, &run.smtp_port) != 0) {
				cmd_error(&o, "bad --smtp-port '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			if (!cmd_https_option(&o, &https, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if ((run.batch == NULL) == (optind == argc) ||
	    (run.dry_run && !run.baseline))
		usage(stderr, EXIT_USAGE);
	run.domains = argv + optind;
	run.ndomains = (size_t)(argc - optind);
	status = audit_cli_run(&o, &ao, &https, &run);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
