/* spf-lint: lint a domain's SPF record, or a candidate one. */
#include <stdlib.h>
#include <string.h>

#include "cmd/common.h"
#include "cmd/spf_tree.h"
#include "lint/spf_codes.h"
#include "lint/spf_walk.h"

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: spf-lint [options] DOMAIN\n"
	    "       spf-lint [options] --record TEXT [DOMAIN]\n");
	if (fp == stdout) {
		fputs("\nLint the SPF record of DOMAIN: syntax, the 10 DNS "
		    "lookups and 2 void\nlookups of RFC 7208, policy and "
		    "size, with a tree of where each lookup\ncomes from.\n\n",
		    fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage or\ninput error, 3 DNS failure.\n", fp);
	}
	exit(status);
}

static bool
dns_failed(const lint_findings_t *f)
{
	return lint_findings_has(f, spf_codes[SPF_DNS_FAILURE].code);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = { CMD_COMMON_LONGOPTS };
	cmd_opts_t o;
	spf_walk_t w;
	dns_resolver_t *r;
	const char *domain;
	int c, status;

	cmd_opts_init(&o, "spf-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1)
		if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	if (argc - optind > 1 || (argc == optind && o.record == NULL))
		usage(stderr, EXIT_USAGE);
	domain = optind < argc ? argv[optind] : NULL;
	if (domain) {
		char norm[256];

		if (dns_name_normalize(domain, norm, sizeof(norm)) != 0) {
			cmd_error(&o, "'%s' is not a domain name", domain);
			return EXIT_USAGE;
		}
	}
	r = cmd_resolver(&o);
	if (spf_walk_run(&w, r, domain, o.record,
	    o.record ? strlen(o.record) : 0) != 0) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	if (o.json) {
		json_t *doc = json_pack("{s:o, s:o, s:b, s:i, s:i, s:i, s:i}",
		    "domain", domain ? json_string(domain) : json_null(),
		    "record", w.root ? json_string(w.root->text) : json_null(),
		    "complete", w.complete,
		    "lookups", (int)w.lookups, "lookup_limit", SPF_LOOKUP_LIMIT,
		    "void_lookups", (int)w.voids, "void_limit", SPF_VOID_LIMIT);

		json_object_set_new(doc, "findings",
		    cmd_findings_json(&w.findings));
		json_object_set_new(doc, "tree", cmd_spf_tree_json(w.root));
		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
	} else {
		if (w.root)
			printf("%s\n\n", w.root->text);
		cmd_findings_print(stdout, &w.findings, o.color);
		if (w.findings.n)
			putchar('\n');
		if (w.root) {
			cmd_spf_tree_print(stdout, &w, o.verbose);
			cmd_spf_summary_print(stdout, &w);
		}
	}
	if (dns_failed(&w.findings))
		fprintf(stderr, "spf-lint: DNS failures kept the check from "
		    "finishing\n");
	status = dns_failed(&w.findings) ? EXIT_DNS :
	    cmd_findings_status(&o, &w.findings);
	spf_walk_clear(&w);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
