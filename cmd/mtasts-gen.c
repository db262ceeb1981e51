/* mtasts-gen: both halves of MTA-STS (RFC 8461): the policy file and the
 * _mta-sts record whose id follows the policy's content. */
#include "cli/args.h"
#include "cli/mtasts_gen.h"
#include "lint/mtasts_policy.h"
#include "lint/uri.h"

/* a pattern as the policy check accepts it, and written in lower case */
static bool
pattern_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return false;
	return mtasts_pattern_ok(s);
}

static bool
rua_ok(const char *s)
{
	return lint_uri_report_ok(s, false);
}

static const cmd_arg_t rows[] = {
	CMD_CHOICE("mode", mtasts_gen_t, mode, "MODE", "enforce|testing|none",
	    "enforce, testing (default) or none"),
	CMD_LIST("mx", mtasts_gen_t, mx, nmx, "PATTERN", pattern_ok,
	    "a lowercase host name or *.domain", "a mail host or *.domain "
	    "(repeatable; default: the\ndomain's MX records, from DNS or "
	    "--zone)"),
	CMD_UINT("max-age", mtasts_gen_t, max_age, "SECONDS", 0, 31557600,
	    "seconds, at most 31557600", "default 604800, at most 31557600"),
	CMD_TEXT("policy-out", mtasts_gen_t, out, "FILE", NULL, NULL,
	    "write the policy there (CRLF), whole or not at all"),
	CMD_TEXT("rua", mtasts_gen_t, rua, "URI", rua_ok, NULL,
	    "also the TLS-RPT record, reports to URI"),
};

static const cmd_tool_t tool = {
	"mtasts-gen", "mtasts-gen [options] [--mx PATTERN]... [--policy-out "
	"FILE] DOMAIN", "Compose the MTA-STS policy of DOMAIN and its _mta-sts "
	"record, whose id is\nderived from the policy, so it changes exactly "
	"when the policy does.", "Exit status: 0 printed, 2 usage, bad value "
	"or a file not written,\n3 the MX records could not be looked up.",
	CMD_ZONE | CMD_DNS | CMD_JSON, CMD_GEN, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	mtasts_gen_t m = { .mode = "testing" };
	char domain[256];
	cmd_opts_t o;
	gen_opts_t g;
	int i = cmd_args_parse(&tool, &m, &o, &g, argc, argv), status;

	if (argc - i != 1)
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[i], domain);
	status = cmd_mtasts_gen(&o, &g, domain, &m);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
