/* bimi-lint: check a domain's BIMI assertion record and its DMARC
 * prerequisite. */
#include <stdlib.h>

#include "cmd/reclint.h"
#include "lint/bimi_files.h"

enum {
	OPT_SELECTOR = OPT_TOOL_BASE, OPT_FETCH, OPT_CA_FILE, OPT_CONNECT_TO,
};

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
		    "names, logotype\n"
		    "      --ca-file FILE   trust these CAs for the fetch\n"
		    "      --connect-to HOST:PORT:CHOST:CPORT  connect there "
		    "instead (repeatable)\n", fp);
		cmd_common_help(fp);
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
		{ "ca-file", required_argument, NULL, OPT_CA_FILE },
		{ "connect-to", required_argument, NULL, OPT_CONNECT_TO },
		CMD_COMMON_LONGOPTS
	};
	const char *sel = "default", *connect[8];
	https_options_t ho = { .connect_to = connect };
	bool fetch = false;
	char domain[256], norm[256];
	lint_report_t rp;
	dmarc_found_t d;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "bimi-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_SELECTOR) {
			if (dns_name_normalize(optarg, norm, sizeof(norm)) != 0) {
				cmd_error(&o, "bad selector '%s'", optarg);
				return EXIT_USAGE;
			}
			sel = optarg;
		} else if (c == OPT_FETCH)
			fetch = true;
		else if (c == OPT_CA_FILE)
			ho.ca_file = optarg;
		else if (c == OPT_CONNECT_TO) {
			if (ho.nconnect == 8)
				usage(stderr, EXIT_USAGE);
			connect[ho.nconnect++] = optarg;
		} else if (!cmd_option(&o, c, optarg, usage))
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

		ho.timeout_ms = o.timeout_ms * (o.retries + 1);
		bimi_files_fetch_check(rp.record, owner_domain ?
		    owner_domain + 7 : domain, &ho, &rp.f);
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
