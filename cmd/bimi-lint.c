/* bimi-lint: check a domain's BIMI assertion record and its DMARC
 * prerequisite. */
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/reclint.h"
#include "lint/bimi_files.h"

struct args {
	const char *selector;
	bool fetch;
};

static const cmd_arg_t rows[] = {
	CMD_TEXT("selector", struct args, selector, "S", cmd_is_name, NULL,
	    "default: default"),
	CMD_FLAG("fetch", struct args, fetch, "fetch the logo and the "
	    "certificate over HTTPS and\ncheck them: SVG Tiny PS, validity, "
	    "names, logotype"),
};

static cmd_https_t https;

static const cmd_tool_t tool = {
	"bimi-lint", "bimi-lint [options] [--selector S] DOMAIN", "Check the "
	"BIMI assertion record at S._bimi.DOMAIN (falling back to the\n"
	"organizational domain), and that DMARC asks for quarantine or reject.",
	"Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage,"
	"\n3 DNS failure.", CMD_LINTER, 0, rows, CMD_NARGS(rows), &https,
};

int
main(int argc, char **argv)
{
	struct args a = { .selector = "default" };
	char domain[256];
	lint_report_t rp;
	dmarc_found_t d;
	cmd_opts_t o;
	dns_resolver_t *r;
	int i = cmd_args_parse(&tool, &a, &o, NULL, argc, argv), status;

	cmd_args_domain(&tool, &o, i, argc, argv, domain);
	r = cmd_resolver(&o);
	lint_report_init(&rp);
	bimi_domain_check(r, domain, a.selector, o.record, &rp, &d);
	if (a.fetch && rp.record) {
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
