/* dmarc-lint: find a domain's DMARC policy as receivers do (RFC 9989 tree
 * walk) and check it, its report destinations and what it means. */
#include <stdlib.h>

#include "cli/reclint.h"

enum { OPT_RFC7489 = OPT_TOOL_BASE };

/* the common options it implements */
#define ACCEPTS (CMD_LINTER)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dmarc-lint [options] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nFind the DMARC policy of DOMAIN as receivers do (the "
		    "RFC 9989 tree walk, at\nmost 8 queries), check the record, "
		    "its report destinations and their\nauthorization, and say "
		    "what the policy means.\n\n"
		    "      --rfc7489        allow pct, rf and ri without a "
		    "warning\n", fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS failure.\n", fp);
	}
	exit(status);
}


int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rfc7489", no_argument, NULL, OPT_RFC7489 },
		CMD_COMMON_LONGOPTS
	};
	char domain[256];
	bool rfc7489 = false;
	lint_report_t rp;
	dmarc_found_t d;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "dmarc-lint", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_RFC7489)
			rfc7489 = true;
		else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);

	lint_report_init(&rp);
	dmarc_domain_check(r, domain, o.record, rfc7489, &rp, &d);
	cmd_record_report(&o, r, domain, &rp, json_pack("{s:o, s:i}",
	    "policy_domain", d.record ? json_string(d.domain) : json_null(),
	    "queries", (int)d.queries));
	status = cmd_report_status(&o, &rp);
	free(d.record);
	lint_report_clear(&rp);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
