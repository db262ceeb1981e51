/* bimi-lint: check a domain's BIMI assertion record and its DMARC
 * prerequisite. */
#include <stdlib.h>

#include "cli/reclint.h"
#include "lint/bimi_files.h"

enum {
	OPT_SELECTOR = OPT_TOOL_BASE, OPT_FETCH,
};

/* the common options it implements */
#define ACCEPTS (CMD_LINTER)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: bimi-lint [options] [--selector S] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the BIMI assertion record at "
		    "S._bimi.DOMAIN (falling back to the\norganizational "
		    "domain), and that DMARC asks for quarantine or reject.\n\n"
		    "      --selector S     default: default\n"
		    "      --fetch          fetch the logo and the certificate "
		    "over HTTPS and\n"
		    "                       check them: SVG Tiny PS, validity, "
		    "names, logotype\n", fp);
		cmd_https_help(fp);
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
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "fetch", no_argument, NULL, OPT_FETCH },
		CMD_HTTPS_LONGOPTS
		CMD_COMMON_LONGOPTS
	};
	const char *sel = "default";
	cmd_https_t https = { 0 };
	bool fetch = false;
	char domain[256];
	lint_report_t rp;
	dmarc_found_t d;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "bimi-lint", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_SELECTOR) {
			if (!cmd_selector_ok(&o, optarg))
				return EXIT_USAGE;
			sel = optarg;
		} else if (c == OPT_FETCH)
			fetch = true;
		else if (!cmd_https_option(&o, &https, c, optarg) &&
		    !cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);

	lint_report_init(&rp);
	bimi_domain_check(r, domain, sel, o.record, &rp, &d);
	if (fetch && rp.record) {
		/* the certificate names the domain whose record it is */
		const char *owner_domain = strstr(rp.owner, "._bimi.");

		bimi_files_fetch_check(rp.record, owner_domain ?
		    owner_domain + 7 : domain, cmd_https_options(&o, &https, r),
		    &rp);
	}
	cmd_record_report(&o, r, domain, &rp, json_pack("{s:o}", "dmarc",
	    d.record ? json_string(d.record) : json_null()));
	status = cmd_report_status(&o, &rp);
	free(d.record);
	lint_report_clear(&rp);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
