/* tlsrpt-lint: check a domain's SMTP TLS reporting record (RFC 8460). */
#include "cli/args.h"
#include "cli/reclint.h"

static const cmd_tool_t tool = {
	"tlsrpt-lint", "tlsrpt-lint [options] DOMAIN", "Check the _smtp._tls "
	"record of DOMAIN: one record, v=TLSRPTv1 first, the\nrua URIs, and "
	"that mailto: report domains accept mail.", "Exit status: 0 clean, 1 "
	"errors (or warnings with --strict), 2 usage,\n3 DNS failure.",
	CMD_LINTER, 0, NULL, 0, NULL,
};

int
main(int argc, char **argv)
{
	char domain[256];
	lint_report_t rp;
	cmd_opts_t o;
	dns_resolver_t *r;
	int i = cmd_args_parse(&tool, NULL, &o, NULL, argc, argv), status;

	cmd_args_domain(&tool, &o, i, argc, argv, domain);
	r = cmd_resolver(&o);
	lint_report_init(&rp);
	tlsrpt_domain_check(r, domain, o.record, &rp);
	cmd_record_report(&o, r, domain, &rp, NULL);
	status = cmd_report_status(&o, &rp);
	lint_report_clear(&rp);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
