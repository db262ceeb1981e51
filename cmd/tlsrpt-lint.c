/* tlsrpt-lint: check a domain's SMTP TLS reporting record (RFC 8460). */
#include <stdlib.h>

#include "cli/reclint.h"

/* the common options it implements */
#define ACCEPTS (CMD_LINTER)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: tlsrpt-lint [options] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the _smtp._tls record of DOMAIN: one record, "
		    "v=TLSRPTv1 first, the\nrua URIs, and that mailto: report "
		    "domains accept mail.\n\n", fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS failure.\n", fp);
	}
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = { CMD_COMMON_LONGOPTS };
	char domain[256];
	lint_report_t rp;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "tlsrpt-lint", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1)
		if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);

	lint_report_init(&rp);
	tlsrpt_domain_check(r, domain, o.record, &rp);
	cmd_record_report(&o, r, domain, &rp, NULL);
	status = cmd_report_status(&o, &rp);
	lint_report_clear(&rp);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
