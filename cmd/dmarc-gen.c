/* dmarc-gen: compose a DMARC record (RFC 9989, RFC 7489 compatible) and
 * the authorization records that external report destinations publish. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/gen.h"
#include "lint/dmarc.h"
#include "lint/tagrec.h"
#include "zonegen/dmarc.h"
#include "zonegen/records.h"

enum { OPT_P = OPT_TOOL_BASE, OPT_SP, OPT_NP, OPT_PSD, OPT_T, OPT_ADKIM,
    OPT_ASPF, OPT_RUA, OPT_RUF, OPT_FO, OPT_STAGE, OPT_RFC7489, OPT_PCT,
    OPT_RF, OPT_RI };

#define MAX_URIS 8

/* the common options it implements */
#define ACCEPTS (CMD_JSON | CMD_STRICT)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dmarc-gen [options] (--p POLICY | --stage STAGE) "
	    "DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCompose the _dmarc record of DOMAIN (RFC 9989; "
		    "--rfc7489 for the older tags),\nand the record each "
		    "external report destination must publish.\n\n"
		    "      --p POLICY       none, quarantine or reject\n"
		    "      --stage STAGE    monitor (p=none), quarantine or "
		    "reject: the rollout steps\n"
		    "      --sp POLICY      for subdomains\n"
		    "      --np POLICY      for subdomains that do not exist\n"
		    "      --psd y|n|u      a public suffix domain\n"
		    "      --t y|n          testing mode\n"
		    "      --adkim r|s, --aspf r|s  alignment, relaxed or strict\n"
		    "      --rua URI, --ruf URI  report destinations, mailto: or "
		    "https: (repeatable)\n"
		    "      --fo OPTIONS     failure report options: 0, 1, d, s, "
		    "colon-separated\n"
		    "      --rfc7489        allow --pct 0-100, --rf afrf, --ri "
		    "SECONDS\n", fp);
		cmd_gen_help(fp, true);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 2 usage or bad value.\n", fp);
	}
	exit(status);
}

/* A report destination: a mailto: or https: URI */
static bool
uri_ok(const char *uri)
{
	dmarc_uri_t u;
	int rc = dmarc_uri_parse(uri, strlen(uri), &u);

	dmarc_uri_clear(&u);
	return rc == 0;
}

static const char *
one_of(const cmd_opts_t *o, const char *opt, const char *arg,
    const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(arg, allowed[i]) == 0)
			return arg;
	cmd_error(o, "bad value '%s' for --%s", arg, opt);
	exit(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "p", required_argument, NULL, OPT_P },
		{ "sp", required_argument, NULL, OPT_SP },
		{ "np", required_argument, NULL, OPT_NP },
		{ "psd", required_argument, NULL, OPT_PSD },
		{ "t", required_argument, NULL, OPT_T },
		{ "adkim", required_argument, NULL, OPT_ADKIM },
		{ "aspf", required_argument, NULL, OPT_ASPF },
		{ "rua", required_argument, NULL, OPT_RUA },
		{ "ruf", required_argument, NULL, OPT_RUF },
		{ "fo", required_argument, NULL, OPT_FO },
		{ "stage", required_argument, NULL, OPT_STAGE },
		{ "rfc7489", no_argument, NULL, OPT_RFC7489 },
		{ "pct", required_argument, NULL, OPT_PCT },
		{ "rf", required_argument, NULL, OPT_RF },
		{ "ri", required_argument, NULL, OPT_RI },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	static const char *const policies[] = { "none", "quarantine", "reject",
	    NULL };
	static const char *const yn[] = { "y", "n", NULL };
	static const char *const ynu[] = { "y", "n", "u", NULL };
	static const char *const rs[] = { "r", "s", NULL };
	static const char *const stages[] = { "monitor", "quarantine",
	    "reject", NULL };
	const char *p = NULL, *sp = NULL, *np = NULL, *psd = NULL, *t = NULL,
	    *adkim = NULL, *aspf = NULL, *fo = NULL, *stage = NULL,
	    *pct = NULL, *rf = NULL, *ri = NULL;
	const char *rua[MAX_URIS], *ruf[MAX_URIS];
	size_t nrua = 0, nruf = 0;
	bool rfc7489 = false;
	cmd_opts_t o;
	gen_opts_t g;
	unsigned v;
	int c;

	cmd_opts_init(&o, "dmarc-gen", ACCEPTS);
	cmd_gen_init(&g, true);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_P: p = one_of(&o, "p", optarg, policies); break;
		case OPT_SP: sp = one_of(&o, "sp", optarg, policies); break;
		case OPT_NP: np = one_of(&o, "np", optarg, policies); break;
		case OPT_PSD: psd = one_of(&o, "psd", optarg, ynu); break;
		case OPT_T: t = one_of(&o, "t", optarg, yn); break;
		case OPT_ADKIM: adkim = one_of(&o, "adkim", optarg, rs); break;
		case OPT_ASPF: aspf = one_of(&o, "aspf", optarg, rs); break;
		case OPT_STAGE: stage = one_of(&o, "stage", optarg, stages);
			break;
		case OPT_RFC7489: rfc7489 = true; break;
		case OPT_FO:
			if (!dmarc_fo_ok(optarg)) {
				cmd_error(&o, "bad value '%s' for --fo: want 0, "
				    "1, d or s, colon-separated", optarg);
				return EXIT_USAGE;
			}
			fo = optarg;
			break;
		case OPT_RUA:
		case OPT_RUF:
			if (!uri_ok(optarg) ||
			    (c == OPT_RUA ? nrua : nruf) == MAX_URIS) {
				cmd_error(&o, "bad value '%s' for --%s: want "
				    "mailto:address or https://host/path (at most "
				    "%d)", optarg, c == OPT_RUA ? "rua" : "ruf",
				    MAX_URIS);
				return EXIT_USAGE;
			}
			if (c == OPT_RUA)
				rua[nrua++] = optarg;
			else
				ruf[nruf++] = optarg;
			break;
		case OPT_PCT:
			if (cmd_parse_uint(optarg, 0, 100, &v) != 0) {
				cmd_error(&o, "bad value '%s' for --pct: want 0 "
				    "to 100", optarg);
				return EXIT_USAGE;
			}
			pct = optarg;
			break;
		case OPT_RF:
			rf = one_of(&o, "rf", optarg, (const char *const[]){
			    "afrf", NULL });
			break;
		case OPT_RI:
			if (cmd_parse_uint(optarg, 1, 2147483647u, &v) != 0) {
				cmd_error(&o, "bad value '%s' for --ri: want "
				    "seconds", optarg);
				return EXIT_USAGE;
			}
			ri = optarg;
			break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1 || (p == NULL && stage == NULL) ||
	    (p && stage)) {
		if (p && stage)
			cmd_error(&o, "give --p or --stage, not both");
		usage(stderr, EXIT_USAGE);
	}
	if ((pct || rf || ri) && !rfc7489) {
		cmd_error(&o, "pct, rf and ri were removed by RFC 9989: give "
		    "--rfc7489 to use them");
		return EXIT_USAGE;
	}
	char domain[256], owner[300], *rec;
	const char *note = NULL;

	cmd_domain_arg(&o, argv[optind], domain);
	if (stage)
		p = zg_dmarc_stage(stage, &note);
	zg_dmarc_t d = { .p = p, .sp = sp, .np = np, .psd = psd, .t = t,
	    .adkim = adkim, .aspf = aspf, .pct = pct, .rf = rf, .ri = ri,
	    .fo = fo, .rua = rua, .nrua = nrua, .ruf = ruf, .nruf = nruf };

	if ((rec = zg_dmarc_record(&d)) == NULL) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	zg_set_t set;

	zg_set_init(&set);
	snprintf(owner, sizeof(owner), "_dmarc.%s", domain);
	zg_set_add(&set, owner, g.ttl, "TXT", rec, note);
	const char *uris[2 * MAX_URIS];

	for (size_t i = 0; i < nrua + nruf; i++)
		uris[i] = i < nrua ? rua[i] : ruf[i - nrua];
	zg_dmarc_authorizations(&set, domain, uris, nrua + nruf, g.ttl);
	lint_findings_t f;

	lint_findings_init(&f);
	dmarc_record_check(rec, owner, rfc7489, &f);
	int status = cmd_gen_emit(&o, &g, &set, &f, NULL, rec,
	    json_pack("{s:s, s:s}", "domain", domain, "record", rec));

	lint_findings_clear(&f);
	zg_set_clear(&set);
	free(rec);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
