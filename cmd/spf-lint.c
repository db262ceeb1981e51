/* spf-lint: lint a domain's SPF record, a candidate one, or every SPF
 * record of the zone files given. */
#include <stdlib.h>

#include "cli/spf_lint.h"
#include "lint/spf_interp.h"

/* the common options it implements */
#define ACCEPTS (CMD_LINTER | CMD_VERBOSE)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: spf-lint [options] DOMAIN\n"
	    "       spf-lint [options] --record TEXT [DOMAIN]\n"
	    "       spf-lint [options] --zone FILE...\n"
	    "       spf-lint [options] --batch FILE|-\n");
	if (fp == stdout) {
		fputs("\nLint the SPF record of DOMAIN: syntax, the 10 DNS "
		    "lookups and 2 void\nlookups of RFC 7208, policy and "
		    "size, with a tree of where each lookup\ncomes from.  "
		    "Without DOMAIN, lint every SPF record of the zone files.\n\n",
		    fp);
		fputs("      --batch FILE     lint the domains of FILE (- for "
		    "stdin) concurrently\n"
		    "                       over one cache, a JSON line each, no "
		    "deadline\n"
		    "      --concurrency N  at most N queries in flight, all "
		    "servers together\n"
		    "                       (default 256; each server's "
		    "window adapts below it)\n", fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage or\ninput error, 3 DNS failure.\n", fp);
	}
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "batch", required_argument, NULL, OPT_TOOL_BASE },
		{ "concurrency", required_argument, NULL, OPT_TOOL_BASE + 1 },
		CMD_COMMON_LONGOPTS
	};
	const char *batch = NULL;
	cmd_opts_t o;
	dns_resolver_t *r;
	json_t *docs = NULL;
	bool zone_mode;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "spf-lint", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_TOOL_BASE)
			batch = optarg;
		else if (c == OPT_TOOL_BASE + 1) {
			if (!cmd_concurrency(&o, optarg))
				return EXIT_USAGE;
		} else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (batch) {
		if (optind != argc || o.record)
			usage(stderr, EXIT_USAGE);
		status = spf_lint_batch(&o, batch);
		cmd_opts_clear(&o);
		return cmd_finish(&o, status);
	}
	if (argc - optind > 1 ||
	    (argc == optind && o.record == NULL && o.nzones == 0))
		usage(stderr, EXIT_USAGE);
	for (int i = optind; i < argc; i++) {
		char norm[256];

		cmd_domain_arg(&o, argv[i], norm);
	}
	zone_mode = optind == argc && o.record == NULL;
	r = cmd_resolver(&o);
	if (o.json)
		docs = json_array();
	if (!zone_mode) {
		status = spf_lint_one(&o, r, optind < argc ? argv[optind] :
		    NULL, false, docs);
	} else {
		status = spf_lint_zones(&o, r, docs);
	}
	if (docs)
		spf_lint_json(docs, zone_mode, r);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
