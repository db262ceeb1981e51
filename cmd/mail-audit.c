/* mail-audit: every mail authentication record of a domain, or of a batch
 * of domains, in one report with a verdict per area. */
#include <stdlib.h>

#include "cli/audit.h"

enum { OPT_SELECTOR = OPT_TOOL_BASE, OPT_BIMI_SELECTOR, OPT_PARKED,
    OPT_RFC7489, OPT_BATCH, OPT_CONCURRENCY, OPT_NO_PROGRESS };

/* the common options it implements */
#define ACCEPTS (CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT | CMD_VERBOSE)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: mail-audit [options] DOMAIN...\n"
	    "       mail-audit [options] --batch FILE|-\n");
	if (fp == stdout) {
		fputs("\nAudit the mail records of each DOMAIN: MX or null MX, "
		    "SPF, DMARC, DKIM\n(the selectors given), BIMI, MTA-STS and "
		    "TLS-RPT, with a verdict per area.\nWith --batch, audit the "
		    "domains of FILE (one per line) concurrently over\none DNS "
		    "cache and print one JSON object per line.\n\n"
		    "      --selector S     check the DKIM key of selector S "
		    "(repeatable)\n"
		    "      --bimi-selector S  the BIMI selector (default: "
		    "default)\n"
		    "      --parked         the domain sends and takes no mail: "
		    "check it against\n"
		    "                       the nomail set (null MX, v=spf1 -all, "
		    "p=reject)\n"
		    "      --rfc7489        allow DMARC pct, rf and ri without a "
		    "warning\n"
		    "      --batch FILE     audit FILE's domains (- for stdin), "
		    "no deadline\n"
		    "      --concurrency N  at most N queries in flight, all "
		    "servers together\n"
		    "                       (default 256; each server's "
		    "window adapts below it)\n"
		    "      --no-progress    no progress line on a terminal\n", fp);
		cmd_https_help(fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 every domain passes (warnings allowed), "
		    "1 an area fails\n(or warns, with --strict), 2 usage, 3 DNS "
		    "failure.\n", fp);
	}
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
		CMD_HTTPS_LONGOPTS
		CMD_COMMON_LONGOPTS
	};
	const char *batch = NULL;
	cmd_https_t https = { 0 };
	audit_opts_t ao = { 0 };
	bool show_progress = true;
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
		case OPT_BATCH: batch = optarg; break;
		case OPT_NO_PROGRESS: show_progress = false; break;
		default:
			if (!cmd_https_option(&o, &https, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if ((batch == NULL) == (optind == argc))
		usage(stderr, EXIT_USAGE);
	status = audit_cli_run(&o, &ao, &https, batch, argv + optind,
	    (size_t)(argc - optind), show_progress);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
