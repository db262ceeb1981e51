/* nomail-gen: the records of a domain that sends and receives no mail:
 * the null SPF, a DMARC reject policy, the null MX of RFC 7505 and a
 * revoked wildcard DKIM key (M3AAWG's advice for parked domains). */
#include "cli/args.h"
#include "cli/nomail_gen.h"
#include "lint/dmarc.h"

#define POLICY	"none|quarantine|reject"

static const cmd_arg_t rows[] = {
	CMD_TEXT("rua", nomail_gen_t, rua, "URI", dmarc_uri_ok,
	    "mailto:address or https://host/path",
	    "DMARC aggregate reports to this mailto: or https: URI"),
	CMD_CHOICE("sp", nomail_gen_t, sp, "POLICY", POLICY,
	    "subdomain policy: none, quarantine or reject (default)"),
	CMD_CHOICE("np", nomail_gen_t, np, "POLICY", POLICY,
	    "non-existent subdomain policy (default reject)"),
};

static const cmd_tool_t tool = {
	"nomail-gen", "nomail-gen [options] DOMAIN...\n"
	"nomail-gen [options] --zone FILE...", "Print what a domain that sends "
	"and receives no mail publishes: v=spf1 -all,\n_dmarc with p=reject, "
	"the null MX (MX 0 .) and a revoked *._domainkey key.\nWith --zone and "
	"no DOMAIN: the set for every name of the zone that has\naddresses but "
	"neither MX nor SPF and is no MX's target.",
	"Exit status: 0 printed, 2 usage or bad value.",
	CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT, CMD_GEN_FORCE, rows,
	CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	nomail_gen_t m = { .sp = "reject", .np = "reject" };
	cmd_opts_t o;
	gen_opts_t g;
	int i = cmd_args_parse(&tool, &m, &o, &g, argc, argv), status;

	if (i == argc && o.nzones == 0)
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	status = cmd_nomail_gen(&o, &g, argv + i, argc - i, &m);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
