/* spf-gen: compose an SPF record from options, check it with spf-lint's
 * code, and print it with its lookup count. */
#include <stdlib.h>
#include <string.h>

#include "cli/gen.h"
#include "lint/spf_codes.h"
#include "lint/spf_walk.h"
#include "zonegen/spf.h"

enum { OPT_IP4 = OPT_TOOL_BASE, OPT_IP6, OPT_A, OPT_MX, OPT_INCLUDE,
    OPT_EXISTS, OPT_REDIRECT, OPT_EXP, OPT_ALL, OPT_NULL };

#define MAX_TERMS 256

/* the common options it implements */
#define ACCEPTS (CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: spf-gen [options] [--ip4 NET] [--ip6 NET] [--a[=DOMAIN]] "
	    "[--mx[=DOMAIN]]\n               [--include DOMAIN] [--exists "
	    "DOMAIN] [--redirect DOMAIN]\n               [--exp DOMAIN] "
	    "[--all QUALIFIER] DOMAIN\n"
	    "       spf-gen [options] --null DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCompose the SPF record of DOMAIN, check it as spf-lint "
		    "does, and print it\nwith the lookups it costs.\n\n"
		    "      --ip4 NET, --ip6 NET    an address or network "
		    "(repeatable)\n"
		    "      --a[=DOMAIN], --mx[=DOMAIN]  DOMAIN's addresses or "
		    "mail hosts\n"
		    "                       (repeatable; a prefix may follow: "
		    "--a=mail.example.com/28)\n"
		    "      --include DOMAIN, --exists DOMAIN  (repeatable)\n"
		    "      --redirect DOMAIN, --exp DOMAIN\n"
		    "      --all QUALIFIER  -, ~, ? or + (default -; none with "
		    "--redirect)\n"
		    "      --null           v=spf1 -all: the domain sends no "
		    "mail\n", fp);
		cmd_gen_help(fp, true);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 1 the record has errors (not "
		    "printed without\n--force), 2 usage or bad value.\n", fp);
	}
	exit(status);
}

/* A value is checked by parsing the one term it makes */
static void
check_value(const cmd_opts_t *o, const char *opt, const char *term)
{
	lint_findings_t f;
	char rec[1100];
	spf_record_t *r;

	snprintf(rec, sizeof(rec), "v=spf1 %s", term);
	lint_findings_init(&f);
	r = spf_record_parse(rec, strlen(rec), NULL, &f);
	if (r == NULL || r->bad || strlen(term) > 1000) {
		cmd_error(o, "bad value for --%s: %s", opt, f.n ?
		    f.v[0].message : "too long");
		exit(EXIT_USAGE);
	}
	spf_record_free(r);
	lint_findings_clear(&f);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ip4", required_argument, NULL, OPT_IP4 },
		{ "ip6", required_argument, NULL, OPT_IP6 },
		{ "a", optional_argument, NULL, OPT_A },
		{ "mx", optional_argument, NULL, OPT_MX },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "exists", required_argument, NULL, OPT_EXISTS },
		{ "redirect", required_argument, NULL, OPT_REDIRECT },
		{ "exp", required_argument, NULL, OPT_EXP },
		{ "all", required_argument, NULL, OPT_ALL },
		{ "null", no_argument, NULL, OPT_NULL },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	static const struct { int opt; spf_kind_t kind; } kinds[] = {
		{ OPT_IP4, SPF_IP4 }, { OPT_IP6, SPF_IP6 }, { OPT_A, SPF_A },
		{ OPT_MX, SPF_MX }, { OPT_INCLUDE, SPF_INCLUDE },
		{ OPT_EXISTS, SPF_EXISTS },
	};
	zg_spf_term_t terms[MAX_TERMS];
	size_t n = 0;
	const char *redirect = NULL, *exp = NULL, *all = NULL;
	bool null = false;
	cmd_opts_t o;
	gen_opts_t g;
	int c, status;

	cmd_opts_init(&o, "spf-gen", ACCEPTS);
	cmd_gen_init(&g, true);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		size_t k;
		char term[1100];

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (kinds[k].opt == c)
				break;
		if (k < sizeof(kinds) / sizeof(kinds[0])) {
			if (n == MAX_TERMS) {
				cmd_error(&o, "more than %d terms", MAX_TERMS);
				return EXIT_USAGE;
			}
			snprintf(term, sizeof(term), "%s%s%s",
			    spf_kind_str(kinds[k].kind), optarg ? ":" : "",
			    optarg ? optarg : "");
			check_value(&o, spf_kind_str(kinds[k].kind), term);
			terms[n++] = (zg_spf_term_t){ kinds[k].kind, optarg };
			continue;
		}
		switch (c) {
		case OPT_REDIRECT:
		case OPT_EXP:
			snprintf(term, sizeof(term), "%s=%s", c == OPT_EXP ?
			    "exp" : "redirect", optarg);
			check_value(&o, c == OPT_EXP ? "exp" : "redirect", term);
			*(c == OPT_EXP ? &exp : &redirect) = optarg;
			break;
		case OPT_ALL:
			if (strlen(optarg) != 1 || !strchr("-~?+", optarg[0])) {
				cmd_error(&o, "bad value '%s' for --all: want -, "
				    "~, ? or +", optarg);
				return EXIT_USAGE;
			}
			all = optarg;
			break;
		case OPT_NULL:
			null = true;
			break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	if (null && (n || redirect || exp || all)) {
		cmd_error(&o, "--null takes no other term: it is v=spf1 -all");
		return EXIT_USAGE;
	}
	if (!null && n == 0 && redirect == NULL && (all == NULL ||
	    all[0] == '-')) {
		/* "v=spf1 -all" rejects all of the domain's mail: only when
		 * asked for by name */
		cmd_error(&o, "nothing to authorize: give terms (--ip4, "
		    "--include, ...), --redirect, or --null for a domain that "
		    "sends no mail");
		return EXIT_USAGE;
	}
	char domain[256];

	cmd_domain_arg(&o, argv[optind], domain);
	char *record = zg_spf_build(terms, n, all ? all[0] :
	    redirect ? 0 : '-', redirect, exp);
	dns_resolver_t *r = cmd_resolver(&o);
	spf_walk_t w;

	if (record == NULL || spf_walk_run(&w, r, NULL, domain, record,
	    strlen(record), 0) != 0) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	/* names it could not resolve leave the count incomplete; they do not
	 * stop the record */
	bool unresolved = w.dns_failed;

	char count[160];
	zg_set_t set;

	snprintf(count, sizeof(count), "lookups %s%u/%d, void %s%u/%d%s",
	    w.complete ? "" : "at least ", w.lookups, SPF_LOOKUP_LIMIT,
	    w.complete ? "" : "at least ", w.voids, SPF_VOID_LIMIT,
	    unresolved ? " (some names not resolved)" : "");
	zg_set_init(&set);
	zg_set_add(&set, domain, g.ttl, "TXT", record, g.format == GEN_ZONE ?
	    count : NULL);
	if (g.format == GEN_TXT)
		fprintf(stderr, "spf-gen: %s\n", count);
	status = cmd_gen_emit(&o, &g, &set, &w.findings,
	    &spf_codes[SPF_DNS_FAILURE], record, json_pack("{s:s, s:s, s:b, "
	    "s:i, s:i}", "domain", domain, "record", record, "complete",
	    w.complete, "lookups", (int)w.lookups, "void_lookups",
	    (int)w.voids));
	zg_set_clear(&set);
	free(record);
	spf_walk_clear(&w);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
