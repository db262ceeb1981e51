/* dmarc-gen: compose a DMARC record (RFC 9989, RFC 7489 compatible) and
 * the authorization records that external report destinations publish. */
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "lint/dmarc.h"
#include "zonegen/dmarc.h"
#include "zonegen/records.h"

#define POLICY	"none|quarantine|reject"
#define URIS	"mailto:address or https://host/path (at most 8)"

typedef struct args {
	zg_dmarc_t d;		/* the record's tags */
	const char *stage, *rua[8], *ruf[8];
	bool rfc7489;
} args_t;

static const cmd_arg_t rows[] = {
	CMD_CHOICE("p", args_t, d.p, "POLICY", POLICY,
	    "none, quarantine or reject"),
	CMD_CHOICE("stage", args_t, stage, "STAGE",
	    "monitor|quarantine|reject", "monitor (p=none), quarantine or "
	    "reject: the rollout steps"),
	CMD_CHOICE("sp", args_t, d.sp, "POLICY", POLICY, "for subdomains"),
	CMD_CHOICE("np", args_t, d.np, "POLICY", POLICY, "for subdomains that "
	    "do not exist"),
	CMD_CHOICE("psd", args_t, d.psd, "y|n|u", "y|n|u", "a public suffix "
	    "domain"),
	CMD_CHOICE("t", args_t, d.t, "y|n", "y|n", "testing mode"),
	CMD_CHOICE("adkim", args_t, d.adkim, "r|s", "r|s",
	    "DKIM alignment, relaxed or strict"),
	CMD_CHOICE("aspf", args_t, d.aspf, "r|s", "r|s",
	    "SPF alignment, relaxed or strict"),
	CMD_LIST("rua", args_t, rua, d.nrua, "URI", dmarc_uri_ok, URIS,
	    "aggregate reports to mailto: or https: (repeatable)"),
	CMD_LIST("ruf", args_t, ruf, d.nruf, "URI", dmarc_uri_ok, URIS,
	    "failure reports to mailto: or https: (repeatable)"),
	CMD_TEXT("fo", args_t, d.fo, "OPTIONS", dmarc_fo_ok,
	    "0, 1, d or s, colon-separated",
	    "failure report options: 0, 1, d, s, colon-separated"),
	CMD_FLAG("rfc7489", args_t, rfc7489,
	    "allow --pct 0-100, --rf afrf, --ri SECONDS"),
	CMD_UINT("pct", args_t, d.pct, NULL, 0, 100, "0 to 100", NULL),
	CMD_CHOICE("rf", args_t, d.rf, NULL, "afrf", NULL),
	CMD_UINT("ri", args_t, d.ri, NULL, 1, 2147483647u, "seconds", NULL),
};

static const cmd_tool_t tool = {
	"dmarc-gen", "dmarc-gen [options] (--p POLICY | --stage STAGE) DOMAIN",
	"Compose the _dmarc record of DOMAIN (RFC 9989; --rfc7489 for the "
	"older tags),\nand the record each external report destination must "
	"publish.", "Exit status: 0 printed, 2 usage or bad value.",
	CMD_JSON | CMD_STRICT, CMD_GEN_FORCE, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	char domain[256], *rec;
	const char *note = NULL;
	cmd_opts_t o;
	gen_opts_t g;
	lint_findings_t f;
	zg_set_t set;
	int i = cmd_args_parse(&tool, &a, &o, &g, argc, argv), status;

	if (argc - i != 1 || (a.d.p == NULL) == (a.stage == NULL)) {
		if (a.d.p && a.stage)
			cmd_error(&o, "give --p or --stage, not both");
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	}
	if ((a.d.pct || a.d.rf || a.d.ri) && !a.rfc7489) {
		cmd_error(&o, "pct, rf and ri were removed by RFC 9989: give "
		    "--rfc7489 to use them");
		return EXIT_USAGE;
	}
	cmd_domain_arg(&o, argv[i], domain);
	if (a.stage)
		a.d.p = zg_dmarc_stage(a.stage, &note);
	a.d.rua = a.rua;
	a.d.ruf = a.ruf;
	zg_set_init(&set);
	if (zg_dmarc_set(&set, domain, &a.d, g.ttl, note, &rec) != 0) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	lint_findings_init(&f);
	dmarc_record_check(rec, set.v[0].owner, a.rfc7489, &f);
	status = cmd_gen_emit(&o, &g, &set, &f, NULL, rec,
	    json_pack("{s:s, s:s}", "domain", domain, "record", rec));
	lint_findings_clear(&f);
	zg_set_clear(&set);
	free(rec);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
