/* mtasts-lint: check both halves of MTA-STS (RFC 8461), the _mta-sts
 * record and the policy served over HTTPS, and that the policy covers
 * every MX host. */
#include <stdlib.h>
#include <string.h>

#include "cli/reclint.h"
#include "util/file.h"

enum { OPT_POLICY = OPT_TOOL_BASE };

/* the common options it implements */
#define ACCEPTS (CMD_LINTER)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: mtasts-lint [options] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the _mta-sts record of DOMAIN, the policy at "
		    "https://mta-sts.DOMAIN/\n.well-known/mta-sts.txt (the "
		    "certificate verified, no redirect followed,\ntext/plain), "
		    "and that its mx patterns cover every MX host.\n\n"
		    "      --policy FILE    read the policy from FILE instead\n", fp);
		cmd_https_help(fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS or network failure.\n", fp);
	}
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, OPT_POLICY },
		CMD_HTTPS_LONGOPTS
		CMD_COMMON_LONGOPTS
	};
	const char *policy_file = NULL;
	cmd_https_t https = { 0 };
	mtasts_source_t src = { 0 };
	char domain[256], *policy = NULL;
	const char *text;
	size_t plen;
	mtasts_policy_t pol;
	lint_report_t rp;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "mtasts-lint", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_POLICY: policy_file = optarg; break;
		default:
			if (!cmd_https_option(&o, &https, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	if (policy_file) {
		char err[600];

		if ((policy = util_file_read(policy_file, 65536, &src.len, NULL,
		    err, sizeof(err))) == NULL) {
			cmd_error(&o, "%s", err);
			return EXIT_USAGE;
		}
		src.text = policy;
	}
	dns_resolver_t *r = cmd_resolver(&o);

	src.https = cmd_https_options(&o, &https, r);
	lint_report_init(&rp);
	memset(&pol, 0, sizeof(pol));
	mtasts_domain_check(r, domain, o.record, &src, true, &rp, &pol);
	text = mtasts_source_policy(&src, &plen);
	cmd_record_report(&o, r, domain, &rp, json_pack("{s:s, s:o, s:o}",
	    "policy_url", src.url, "policy", text ? json_stringn(text, plen) :
	    json_null(), "mode", pol.mode[0] ? json_string(pol.mode) :
	    json_null()));
	if (!o.json && text)
		printf("\n%s\n  %s%s\n", src.url, pol.mode[0] ? "mode: " : "",
		    pol.mode);
	status = cmd_report_status(&o, &rp);
	mtasts_policy_clear(&pol);
	mtasts_source_clear(&src);
	free(policy);
	lint_report_clear(&rp);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
