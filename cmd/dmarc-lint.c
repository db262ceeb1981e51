/* dmarc-lint: find a domain's DMARC policy as receivers do (RFC 9989 tree
 * walk) and check it, its report destinations and what it means. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/reclint.h"
#include "lint/dmarc_discover.h"
#include "lint/tagrec.h"
#include "lint/taglist.h"

enum { OPT_RFC7489 = OPT_TOOL_BASE };

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dmarc-lint [options] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nFind the DMARC policy of DOMAIN as receivers do (the "
		    "RFC 9989 tree walk, at\nmost 8 queries), check the record, "
		    "its report destinations and their\nauthorization, and say "
		    "what the policy means.\n\n"
		    "      --rfc7489        allow pct, rf and ri without a "
		    "warning\n", fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS failure.\n", fp);
	}
	exit(status);
}


/* The report destinations: authorization when external, and their MX */
static int
destinations(const cmd_opts_t *o, dns_resolver_t *r, const char *policy,
    const char *owner, const lint_taglist_t *t, lint_findings_t *f)
{
	int status = EXIT_CLEAN;

	for (size_t i = 0; i < t->n; i++) {
		char list[1024], *save = NULL;

		if (strcmp(t->v[i].name, "rua") && strcmp(t->v[i].name, "ruf"))
			continue;
		snprintf(list, sizeof(list), "%s", t->v[i].value);
		for (char *u = strtok_r(list, ",", &save); u;
		    u = strtok_r(NULL, ",", &save)) {
			const char *at = strchr(u, '@');
			char host[256], auth[600];

			u += strspn(u, " \t");
			if (strncasecmp(u, "mailto:", 7) || at == NULL)
				continue;
			snprintf(host, sizeof(host), "%.*s", (int)strcspn(at + 1,
			    "! \t"), at + 1);
			if (!dns_name_related(host, policy)) {
				snprintf(auth, sizeof(auth), "%s._report._dmarc.%s",
				    policy, host);
				char **texts;
				size_t n, ok = 0;

				if (cmd_txt_fetch(o, r, auth, &texts, &n) !=
				    EXIT_CLEAN) {
					status = EXIT_DNS;
					continue;
				}
				for (size_t k = 0; k < n; k++)
					ok += strncmp(texts[k], "v=DMARC1", 8) == 0;
				if (ok == 0)
					lint_findings_add(f,
					    &dmarc_codes[DMARC_UNAUTHORIZED], owner,
					    (long)t->v[i].value_offset, host, policy,
					    auth);
				cmd_texts_free(texts, n);
			}
			if (cmd_report_domain_check(o, r, host,
			    &dmarc_codes[DMARC_RUA_NO_MX],
			    &dmarc_codes[DMARC_RUA_NULL_MX], owner,
			    (long)t->v[i].value_offset, f) != EXIT_CLEAN)
				status = EXIT_DNS;
		}
	}
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rfc7489", no_argument, NULL, OPT_RFC7489 },
		CMD_COMMON_LONGOPTS
	};
	char domain[256], name[256], owner[300], *rec = NULL;
	const char *found_at = NULL;
	bool rfc7489 = false;
	unsigned queries = 0;
	lint_findings_t f;
	cmd_opts_t o;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "dmarc-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_RFC7489)
			rfc7489 = true;
		else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);

	lint_findings_init(&f);
	dmarc_found_t d;
	int rc = dmarc_discover(r, domain, o.record, &d, &f);

	rec = d.record;
	queries = d.queries;
	if (rc < 0) {
		fprintf(stderr, "dmarc-lint: %s\n", d.error);
		status = EXIT_DNS;
	} else if (rc > 0) {
		snprintf(name, sizeof(name), "%s", d.domain);
		found_at = name;
	}
	snprintf(owner, sizeof(owner), "_dmarc.%s", found_at ? found_at :
	    domain);
	if (status != EXIT_DNS && found_at == NULL)
		lint_findings_add(&f, &dmarc_codes[DMARC_NO_RECORD], domain, -1L,
		    domain);
	if (found_at) {
		lint_taglist_t t;
		size_t at;
		const lint_tag_t *p, *sp, *np;

		lint_findings_add(&f, &dmarc_codes[DMARC_FOUND_AT], owner, -1L,
		    domain, owner);
		dmarc_record_check(rec, owner, rfc7489, &f);
		lint_taglist_parse(rec, strlen(rec), &t, &at);
		p = lint_taglist_get(&t, "p");
		sp = lint_taglist_get(&t, "sp");
		np = lint_taglist_get(&t, "np");
		/* a policy found above the domain applies as sp (RFC 9989) */
		const char *pv = p ? p->value : "none";
		const char *spv = sp ? sp->value : pv;
		const char *npv = np ? np->value : spv;

		lint_findings_add(&f, &dmarc_codes[DMARC_EFFECTIVE], owner, -1L,
		    strcmp(found_at, domain) ? spv : pv, spv, npv);
		if (destinations(&o, r, found_at, owner, &t, &f) != EXIT_CLEAN)
			status = EXIT_DNS;
		lint_taglist_clear(&t);
	}
	cmd_record_report(&o, r, domain, owner, rec, &f, json_pack("{s:o, s:i}",
	    "policy_domain", found_at ? json_string(found_at) : json_null(),
	    "queries", (int)queries));
	if (status == EXIT_CLEAN)
		status = cmd_findings_status(&o, &f);
	free(rec);
	lint_findings_clear(&f);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
