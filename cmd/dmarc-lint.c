/* dmarc-lint: find a domain's DMARC policy as receivers do (RFC 9989 tree
 * walk) and check it, its report destinations and what it means. */
#include <stdlib.h>

#include "cli/args.h"
#include "cli/reclint.h"

struct args {
	bool rfc7489;
};

static const cmd_arg_t rows[] = {
	CMD_FLAG("rfc7489", struct args, rfc7489,
	    "allow pct, rf and ri without a warning"),
};

static const cmd_tool_t tool = {
	"dmarc-lint", "dmarc-lint [options] DOMAIN", "Find the DMARC policy of "
	"DOMAIN as receivers do (the RFC 9989 tree walk, at\nmost 8 queries), "
	"check the record, its report destinations and their\nauthorization, "
	"and say what the policy means.", "Exit status: 0 clean, 1 errors (or "
	"warnings with --strict), 2 usage,\n3 DNS failure.", CMD_LINTER, 0,
	rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	struct args a = { false };
	char domain[256];
	lint_report_t rp;
	dmarc_found_t d;
	cmd_opts_t o;
	dns_resolver_t *r;
	int i = cmd_args_parse(&tool, &a, &o, NULL, argc, argv), status;

	cmd_args_domain(&tool, &o, i, argc, argv, domain);
	r = cmd_resolver(&o);
	lint_report_init(&rp);
	dmarc_domain_check(r, domain, o.record, a.rfc7489, &rp, &d);
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
