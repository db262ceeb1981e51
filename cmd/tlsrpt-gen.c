/* tlsrpt-gen: the _smtp._tls record of SMTP TLS reporting (RFC 8460). */
#include <stdlib.h>
#include <string.h>

#include "cli/gen.h"
#include "lint/tagrec.h"
#include "lint/uri.h"
#include "zonegen/records.h"

enum { OPT_RUA = OPT_TOOL_BASE };

#define MAX_RUA	16

/* the common options it implements */
#define ACCEPTS (CMD_JSON)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: tlsrpt-gen [options] --rua URI... DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCompose the _smtp._tls record of DOMAIN (RFC 8460).\n\n"
		    "      --rua URI        where reports go: mailto: or https: "
		    "(repeatable)\n", fp);
		cmd_gen_help(fp, false);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 2 usage or bad value.\n", fp);
	}
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rua", required_argument, NULL, OPT_RUA },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	const char *rua[MAX_RUA];
	char domain[256], owner[300], *rec;
	size_t nrua = 0;
	cmd_opts_t o;
	gen_opts_t g;
	int c;

	cmd_opts_init(&o, "tlsrpt-gen", ACCEPTS);
	cmd_gen_init(&g, false);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_RUA) {
			/* RFC 8460 3: mailto: or https:, no size suffix */
			if (!lint_uri_report_ok(optarg, false) ||
			    nrua == MAX_RUA) {
				cmd_error(&o, "bad value '%s' for --rua: want "
				    "mailto:address or https://host/path (at most "
				    "%d)", optarg, MAX_RUA);
				return EXIT_USAGE;
			}
			rua[nrua++] = optarg;
		} else if (!cmd_gen_option(&o, &g, c, optarg) &&
		    !cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (argc - optind != 1 || nrua == 0)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	if ((rec = zg_tlsrpt_record(rua, nrua)) == NULL) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	snprintf(owner, sizeof(owner), "_smtp._tls.%s", domain);
	int status = cmd_gen_record(&o, &g, domain, owner, rec,
	    tlsrpt_record_check);

	free(rec);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
