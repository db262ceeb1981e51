/* bimi-lint: check a domain's BIMI assertion record and its DMARC
 * prerequisite. */
#include <stdlib.h>
#include <string.h>

#include "cmd/reclint.h"
#include "lint/dmarc_discover.h"
#include "lint/tagrec.h"
#include "lint/taglist.h"

enum { OPT_SELECTOR = OPT_TOOL_BASE };

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: bimi-lint [options] [--selector S] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the BIMI assertion record at "
		    "S._bimi.DOMAIN (falling back to the\norganizational "
		    "domain), and that DMARC asks for quarantine or reject.\n\n"
		    "      --selector S     default: default\n", fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS failure.\n", fp);
	}
	exit(status);
}

/* The BIMI records at sel._bimi.name: 1 found (*rec), 0 none, -1 DNS */
static int
look(const cmd_opts_t *o, dns_resolver_t *r, const char *owner, char **rec,
    lint_findings_t *f)
{
	char **texts;
	size_t n, found = 0;

	if (cmd_txt_fetch(o, r, owner, &texts, &n) != EXIT_CLEAN)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((o->record || strncmp(texts[i], "v=BIMI1", 7) == 0) &&
		    found++ == 0)
			*rec = strdup(texts[i]);
	if (found > 1)
		lint_findings_add(f, &bimi_codes[TR_MULTIPLE], owner, -1L, found,
		    owner);
	cmd_texts_free(texts, n);
	return found ? 1 : 0;
}

/* The DMARC policy that applies to domain must enforce (and not test) */
static int
prerequisite(dns_resolver_t *r, const char *domain, const char *owner,
    dmarc_found_t *d, lint_findings_t *f)
{
	lint_findings_t scratch;
	int rc;

	lint_findings_init(&scratch);
	rc = dmarc_discover(r, domain, NULL, d, &scratch);
	lint_findings_clear(&scratch);
	if (rc < 0) {
		fprintf(stderr, "bimi-lint: %s\n", d->error);
		return EXIT_DNS;
	}
	char what[128] = "absent";

	if (rc > 0) {
		lint_taglist_t t;
		size_t at;
		const lint_tag_t *p, *sp, *tt, *pct;

		lint_taglist_parse(d->record, strlen(d->record), &t, &at);
		p = lint_taglist_get(&t, "p");
		sp = lint_taglist_get(&t, "sp");
		tt = lint_taglist_get(&t, "t");
		pct = lint_taglist_get(&t, "pct");
		/* found above the domain: the subdomain policy applies */
		const char *pol = strcmp(d->domain, domain) && sp ? sp->value :
		    p ? p->value : "none";

		if (strcmp(pol, "quarantine") && strcmp(pol, "reject"))
			snprintf(what, sizeof(what), "p=%s", pol);
		else if (tt && strcmp(tt->value, "y") == 0)
			snprintf(what, sizeof(what), "%s in testing (t=y)", pol);
		else if (pct && atoi(pct->value) < 100)
			snprintf(what, sizeof(what), "%s at pct=%s", pol,
			    pct->value);
		else
			what[0] = '\0';
		lint_taglist_clear(&t);
	}
	if (what[0])
		lint_findings_add(f, &bimi_codes[TR_BIMI_DMARC], owner, -1L,
		    domain, what);
	return EXIT_CLEAN;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		CMD_COMMON_LONGOPTS
	};
	const char *sel = "default";
	char domain[256], owner[600], org_owner[600], norm[256], *rec = NULL;
	lint_findings_t f;
	dmarc_found_t d;
	cmd_opts_t o;
	int c, rc, status = EXIT_CLEAN;

	cmd_opts_init(&o, "bimi-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_SELECTOR) {
			if (dns_name_normalize(optarg, norm, sizeof(norm)) != 0) {
				cmd_error(&o, "bad selector '%s'", optarg);
				return EXIT_USAGE;
			}
			sel = optarg;
		} else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	snprintf(owner, sizeof(owner), "%s._bimi.%s", sel, domain);
	dns_resolver_t *r = cmd_resolver(&o);

	lint_findings_init(&f);
	memset(&d, 0, sizeof(d));
	status = prerequisite(r, domain, owner, &d, &f);
	rc = status == EXIT_CLEAN ? look(&o, r, owner, &rec, &f) : -1;
	/* no record at the domain: the organizational domain's applies (the
	 * domain where DMARC discovery found the policy) */
	if (rc == 0 && d.record && strcmp(d.domain, domain)) {
		snprintf(org_owner, sizeof(org_owner), "%s._bimi.%s", sel,
		    d.domain);
		rc = look(&o, r, org_owner, &rec, &f);
		if (rc > 0) {
			lint_findings_add(&f, &bimi_codes[TR_BIMI_FALLBACK],
			    owner, -1L, owner, org_owner);
			snprintf(owner, sizeof(owner), "%s", org_owner);
		}
	}
	if (rc < 0)
		status = EXIT_DNS;
	else if (rc == 0)
		lint_findings_add(&f, &bimi_codes[TR_NO_RECORD], owner, -1L,
		    owner, d.record && strcmp(d.domain, domain) ?
		    " nor at the organizational domain" : "");
	else
		bimi_record_check(rec, owner, &f);
	cmd_record_report(&o, r, domain, owner, rec, &f, json_pack("{s:o}",
	    "dmarc", d.record ? json_string(d.record) : json_null()));
	if (status == EXIT_CLEAN)
		status = cmd_findings_status(&o, &f);
	free(rec);
	free(d.record);
	lint_findings_clear(&f);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
