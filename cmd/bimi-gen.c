/* bimi-gen: the BIMI assertion record, or its declination. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/gen.h"
#include "lint/tagrec.h"
#include "lint/uri.h"
#include "zonegen/records.h"

enum { OPT_LOGO = OPT_TOOL_BASE, OPT_CERT, OPT_SELECTOR, OPT_LPS, OPT_AVP,
    OPT_DECLINE };

/* the common options it implements */
#define ACCEPTS (CMD_JSON)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: bimi-gen [options] --logo URL [--cert URL] DOMAIN\n"
	    "       bimi-gen [options] --decline DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCompose the BIMI assertion record of DOMAIN at "
		    "SELECTOR._bimi.DOMAIN.\n\n"
		    "      --logo URL       the SVG Tiny PS logo, https\n"
		    "      --cert URL       the PEM certificate (VMC or CMC), "
		    "https\n"
		    "      --selector NAME  default: default\n"
		    "      --lps PREFIX     local-part selectors (comma-"
		    "separated)\n"
		    "      --avp VALUE      avatar preference: brand or personal\n"
		    "      --decline        the declination: v=BIMI1; l=; a=;\n",
		    fp);
		cmd_gen_help(fp, false);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 2 usage or bad value.\n", fp);
	}
	exit(status);
}

static bool
https_ok(const char *url)
{
	return lint_uri_report_ok(url, false) && strncasecmp(url, "https:", 6)
	    == 0 && strchr(url + 8, '/') != NULL && strchr(url, ';') == NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "logo", required_argument, NULL, OPT_LOGO },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "lps", required_argument, NULL, OPT_LPS },
		{ "avp", required_argument, NULL, OPT_AVP },
		{ "decline", no_argument, NULL, OPT_DECLINE },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	const char *logo = NULL, *cert = NULL, *sel = "default", *lps = NULL,
	    *avp = NULL;
	bool decline = false;
	char domain[256], owner[600], *rec, norm[256];
	cmd_opts_t o;
	gen_opts_t g;
	int c;

	cmd_opts_init(&o, "bimi-gen", ACCEPTS);
	cmd_gen_init(&g, false);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_LOGO:
		case OPT_CERT:
			if (!https_ok(optarg)) {
				cmd_error(&o, "bad value '%s' for --%s: BIMI wants "
				    "an https URL with a path", optarg,
				    c == OPT_LOGO ? "logo" : "cert");
				return EXIT_USAGE;
			}
			*(c == OPT_LOGO ? &logo : &cert) = optarg;
			break;
		case OPT_SELECTOR:
			if (util_name_normalize(optarg, norm, sizeof(norm)) != 0 ||
			    strpbrk(optarg, "\\ ")) {
				cmd_error(&o, "bad value '%s' for --selector",
				    optarg);
				return EXIT_USAGE;
			}
			sel = optarg;
			break;
		case OPT_LPS:
			/* local-part selectors: labels, comma-separated */
			if (strspn(optarg, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_,") !=
			    strlen(optarg) || !*optarg) {
				cmd_error(&o, "bad value '%s' for --lps", optarg);
				return EXIT_USAGE;
			}
			lps = optarg;
			break;
		case OPT_AVP:
			if (strcmp(optarg, "brand") && strcmp(optarg, "personal")) {
				cmd_error(&o, "bad value '%s' for --avp: want "
				    "brand or personal", optarg);
				return EXIT_USAGE;
			}
			avp = optarg;
			break;
		case OPT_DECLINE:
			decline = true;
			break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1 || (decline == (logo != NULL)) ||
	    (decline && (cert || lps || avp)))
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	if ((rec = zg_bimi_record(logo, cert, lps, avp, decline)) == NULL) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	if (!decline)
		fprintf(stderr, "bimi-gen: note: receivers show the logo only "
		    "when DMARC is at p=quarantine or p=reject, not in testing "
		    "(t=y)\n");
	snprintf(owner, sizeof(owner), "%s._bimi.%s", sel, domain);
	int status = cmd_gen_record(&o, &g, domain, owner, rec,
	    bimi_record_check);

	free(rec);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
