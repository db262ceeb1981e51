/* spf-lint: lint a domain's SPF record, a candidate one, or every SPF
 * record of the zone files given. */
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
	    "       spf-lint [options] --record TEXT [DOMAIN]\n"
	    "       spf-lint [options] --zone FILE...\n");
	if (fp == stdout) {
		fputs("\nLint the SPF record of DOMAIN: syntax, the 10 DNS "
		    "lookups and 2 void\nlookups of RFC 7208, policy and "
		    "size, with a tree of where each lookup\ncomes from.  "
		    "Without DOMAIN, lint every SPF record of the zone files.\n\n",
		    fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage or\ninput error, 3 DNS failure.\n", fp);
	}
	exit(status);
}

/* Lints one domain (or record); prints it as text, or adds its JSON
 * object to docs.  Returns its exit status. */
static int
lint_one(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    json_t *docs)
{
	spf_walk_t w;
	bool dns_failed;
	int status;

	if (spf_walk_run(&w, r, domain, o->record,
	    o->record ? strlen(o->record) : 0) != 0) {
		cmd_error(o, "out of memory");
		exit(EXIT_USAGE);
	}
	dns_failed = lint_findings_has(&w.findings,
	    spf_codes[SPF_DNS_FAILURE].code);
	if (docs) {
		json_t *doc = json_pack("{s:o, s:o, s:b, s:i, s:i, s:i, s:i}",
		    "domain", domain ? json_string(domain) : json_null(),
		    "record", w.root ? json_string(w.root->text) : json_null(),
		    "complete", w.complete,
		    "lookups", (int)w.lookups, "lookup_limit", SPF_LOOKUP_LIMIT,
		    "void_lookups", (int)w.voids, "void_limit", SPF_VOID_LIMIT);

		json_object_set_new(doc, "findings",
		    cmd_findings_json(&w.findings));
		json_object_set_new(doc, "tree", cmd_spf_tree_json(w.root));
		json_array_append_new(docs, doc);
	} else {
		if (w.root)
			printf("%s\n\n", w.root->text);
		cmd_findings_print(stdout, &w.findings, o->color);
		if (w.findings.n && w.root)
			putchar('\n');
		if (w.root) {
			cmd_spf_tree_print(stdout, &w, o->verbose);
			cmd_spf_summary_print(stdout, &w);
		}
	}
	if (dns_failed)
		fprintf(stderr, "spf-lint: %s: DNS failures kept the check from "
		    "finishing\n", domain ? domain : "the record");
	status = dns_failed ? EXIT_DNS : cmd_findings_status(o, &w.findings);
	spf_walk_clear(&w);
	return status;
}

struct zone_names {
	char **v;
	size_t n;
};

/* the zone's names with a TXT record starting with v=spf1 */
static void
spf_name(const char *name, const ldns_rr_list *rrs, void *arg)
{
	struct zone_names *zn = arg;
	size_t count, len;
	char *text = spf_txt_select(rrs, &count, &len), **v;

	free(text);
	if (count == 0 || (v = realloc(zn->v, (zn->n + 1) * sizeof(*v))) == NULL)
		return;
	zn->v = v;
	zn->v[zn->n++] = strdup(name);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = { CMD_COMMON_LONGOPTS };
	struct zone_names zn = { 0 };
	cmd_opts_t o;
	dns_resolver_t *r;
	json_t *docs = NULL;
	bool zone_mode;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "spf-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1)
		if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
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
		status = lint_one(&o, r, optind < argc ? argv[optind] : NULL,
		    docs);
	} else {
		/* the zone files' own records, each as its own domain */
		dns_resolver_zone_each(r, spf_name, &zn);
		if (zn.n == 0)
			fprintf(stderr, "spf-lint: the zone files hold no SPF "
			    "record\n");
		for (size_t i = 0; i < zn.n; i++) {
			int s;

			if (!o.json)
				printf("%s== %s\n", i ? "\n" : "", zn.v[i]);
			s = lint_one(&o, r, zn.v[i], docs);
			/* DNS failure outranks errors, errors outrank clean */
			if (s == EXIT_DNS || (s == EXIT_FINDINGS &&
			    status == EXIT_CLEAN))
				status = s;
			free(zn.v[i]);
		}
		free(zn.v);
	}
	if (docs) {
		json_t *doc = zone_mode ? json_pack("{s:O}", "domains", docs) :
		    json_incref(json_array_get(docs, 0));

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
		json_decref(docs);
	}
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
