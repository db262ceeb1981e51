/* bimi-gen: the BIMI assertion record, or its declination. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/args.h"
#include "lint/tagrec.h"
#include "lint/uri.h"
#include "zonegen/records.h"

struct args {
	const char *logo, *cert, *selector, *lps, *avp;
	bool decline;
};

static bool
https_ok(const char *url)
{
	return lint_uri_report_ok(url, false) && strncasecmp(url, "https:", 6)
	    == 0 && strchr(url + 8, '/') != NULL && strchr(url, ';') == NULL;
}

/* local-part selectors: labels, comma-separated */
static bool
lps_ok(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789-_,") == strlen(s);
}

#define HTTPS	"BIMI wants an https URL with a path"

static const cmd_arg_t rows[] = {
	CMD_TEXT("logo", struct args, logo, "URL", https_ok, HTTPS,
	    "the SVG Tiny PS logo, https"),
	CMD_TEXT("cert", struct args, cert, "URL", https_ok, HTTPS,
	    "the PEM certificate (VMC or CMC), https"),
	CMD_TEXT("selector", struct args, selector, "NAME", cmd_is_selector,
	    NULL, "default: default"),
	CMD_TEXT("lps", struct args, lps, "PREFIX", lps_ok, NULL,
	    "local-part selectors (comma-separated)"),
	CMD_CHOICE("avp", struct args, avp, "VALUE", "brand|personal",
	    "avatar preference: brand or personal"),
	CMD_FLAG("decline", struct args, decline,
	    "the declination: v=BIMI1; l=; a=;"),
};

static const cmd_tool_t tool = {
	"bimi-gen", "bimi-gen [options] --logo URL [--cert URL] DOMAIN\n"
	"bimi-gen [options] --decline DOMAIN",
	"Compose the BIMI assertion record of DOMAIN at SELECTOR._bimi.DOMAIN.",
	"Exit status: 0 printed, 2 usage or bad value.",
	CMD_JSON, CMD_GEN, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	struct args a = { .selector = "default" };
	char domain[256], owner[600], *rec;
	cmd_opts_t o;
	gen_opts_t g;
	int i = cmd_args_parse(&tool, &a, &o, &g, argc, argv), status;

	if (argc - i != 1 || (a.decline == (a.logo != NULL)) ||
	    (a.decline && (a.cert || a.lps || a.avp)))
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[i], domain);
	if ((rec = zg_bimi_record(a.logo, a.cert, a.lps, a.avp,
	    a.decline)) == NULL) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	if (!a.decline)
		cmd_note(&o, "receivers show the logo only when DMARC is at "
		    "p=quarantine or p=reject, not in testing (t=y)");
	snprintf(owner, sizeof(owner), "%s._bimi.%s", a.selector, domain);
	status = cmd_gen_record(&o, &g, domain, owner, rec, bimi_record_check);
	free(rec);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
