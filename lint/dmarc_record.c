/* DMARC record checks (RFC 9989, RFC 7489). */
#include <stdlib.h>
#include <string.h>

#include "lint/tagrec.h"
#include "lint/uri.h"


const lint_code_t dmarc_codes[] = {
	[DMARC_SYNTAX] = { "dmarc-syntax", LINT_ERROR,
	    "the tag list breaks at byte %zu", "RFC 9989 4.7", NULL },
	[DMARC_VERSION] = { "dmarc-version", LINT_ERROR,
	    "the record must start with v=%s", "RFC 9989 4.7", NULL },
	[DMARC_DUPLICATE] = { "dmarc-duplicate-tag", LINT_ERROR,
	    "tag %s appears more than once", "RFC 9989 4.7", NULL },
	[DMARC_BAD_VALUE] = { "dmarc-bad-value", LINT_ERROR,
	    "%s=%s is not a valid value", "RFC 9989 4.7", NULL },
	[DMARC_BAD_URI] = { "dmarc-bad-uri", LINT_ERROR,
	    "\"%s\" is not a mailto: or https: URI", "RFC 9989 4.7", NULL },
	[DMARC_EMPTY_RUA] = { "dmarc-empty-rua", LINT_ERROR,
	    "rua= is empty", "RFC 9989 4.7", "remove it or give a URI" },
	[DMARC_NO_P] = { "dmarc-no-policy", LINT_WARNING,
	    "no p= tag: receivers treat the policy as none", "RFC 9989 4.7",
	    NULL },
	[DMARC_P_NOT_SECOND] = { "dmarc-p-not-second", LINT_WARNING,
	    "p= should come right after v=DMARC1", "RFC 9989 4.7", NULL },
	[DMARC_REMOVED_TAG] = { "dmarc-removed-tag", LINT_WARNING,
	    "%s= was removed by RFC 9989 and is ignored", "RFC 9989 A.6",
	    NULL },
	[DMARC_UNKNOWN_TAG] = { "dmarc-unknown-tag", LINT_WARNING,
	    "unknown tag %s= is ignored", "RFC 9989 4.7", NULL },
	[DMARC_POLICY_NONE] = { "dmarc-policy-none", LINT_WARNING,
	    "%s=none asks receivers to act on nothing", "RFC 9989 4.7",
	    "move on to quarantine, then reject, when the reports allow" },
	[DMARC_TESTING] = { "dmarc-testing", LINT_WARNING,
	    "t=y: the policy is in testing mode", "RFC 9989 4.7", NULL },
	[DMARC_NO_RUA] = { "dmarc-no-rua", LINT_WARNING,
	    "no rua=: no aggregate reports will tell how mail fares",
	    "RFC 9989 4.7", NULL },
	[DMARC_NO_RECORD] = { "dmarc-no-record", LINT_ERROR,
	    "no DMARC record for %s nor any name above it", "RFC 9989 4.10",
	    "publish a record at _dmarc.<domain>" },
	[DMARC_MULTIPLE] = { "dmarc-multiple-records", LINT_ERROR,
	    "%zu DMARC records at %s: receivers use none", "RFC 9989 4.10",
	    "keep one" },
	[DMARC_LEADING_SPACE] = { "dmarc-leading-space", LINT_ERROR,
	    "a record at %s starts with whitespace before v=DMARC1: it is "
	    "not a DMARC record", "RFC 9989 4.7", "remove the whitespace" },
	[DMARC_SPF_RECORD] = { "dmarc-spf-record", LINT_ERROR,
	    "an SPF record answers at %s (a wildcard TXT?)", "RFC 9989 4.10",
	    "publish an explicit DMARC record at _dmarc" },
	[DMARC_UNAUTHORIZED] = { "dmarc-external-unauthorized", LINT_WARNING,
	    "%s has not authorized reports for %s: no v=DMARC1 record at %s",
	    "RFC 7489 7.1", "ask the destination to publish it" },
	[DMARC_RUA_NO_MX] = { "dmarc-rua-no-mx", LINT_WARNING,
	    "the report domain %s has no MX record", "RFC 9989 4.7", NULL },
	[DMARC_RUA_NULL_MX] = { "dmarc-rua-null-mx", LINT_ERROR,
	    "the report domain %s accepts no mail (null MX)", "RFC 7505",
	    NULL },
	[DMARC_FOUND_AT] = { "dmarc-found-at", LINT_INFO,
	    "the policy of %s is the record at %s", "RFC 9989 4.10", NULL },
	[DMARC_EFFECTIVE] = { "dmarc-effective-policy", LINT_INFO,
	    "the domain: %s; its subdomains: %s; non-existent subdomains: %s",
	    "RFC 9989 4.7", NULL },
};

static bool
in(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

void
dmarc_record_check(const char *text, const char *where, bool rfc7489,
    lint_findings_t *f)
{
	static const char *const pol[] = { "none", "quarantine", "reject",
	    NULL };
	static const char *const known[] = { "v", "p", "sp", "np", "psd",
	    "t", "adkim", "aspf", "rua", "ruf", "fo", "pct", "rf", "ri",
	    NULL };
	lint_taglist_t t;

	if (lint_tagrec_open(text, where, "DMARC1", false, dmarc_codes, &t, f) != 0)
		return;
	for (size_t i = 1; i < t.n; i++) {
		const lint_tag_t *g = &t.v[i];
		const char *n = g->name, *v = g->value;
		bool ok = true;

		if (!in(n, known)) {
			lint_findings_add(f, &dmarc_codes[DMARC_UNKNOWN_TAG], where,
			    (long)g->offset, n);
			continue;
		}
		if (in(n, (const char *const[]){ "p", "sp", "np", NULL }))
			ok = in(v, pol);
		else if (strcmp(n, "psd") == 0)
			ok = in(v, (const char *const[]){ "y", "n", "u", NULL });
		else if (strcmp(n, "t") == 0)
			ok = in(v, (const char *const[]){ "y", "n", NULL });
		else if (!strcmp(n, "adkim") || !strcmp(n, "aspf"))
			ok = in(v, (const char *const[]){ "r", "s", NULL });
		else if (strcmp(n, "fo") == 0)
			ok = *v && strspn(v, "01ds:") == strlen(v);
		else if (strcmp(n, "pct") == 0) {
			char *end;
			long p = strtol(v, &end, 10);

			ok = *v && !*end && p >= 0 && p <= 100;
		}
		if (!ok)
			lint_findings_add(f, &dmarc_codes[DMARC_BAD_VALUE], where,
			    (long)g->value_offset, n, v);
		if (in(n, (const char *const[]){ "pct", "rf", "ri", NULL }) &&
		    !rfc7489)
			lint_findings_add(f, &dmarc_codes[DMARC_REMOVED_TAG], where,
			    (long)g->offset, n);
		if (ok && (!strcmp(n, "p") || !strcmp(n, "sp")) &&
		    !strcmp(v, "none"))
			lint_findings_add(f, &dmarc_codes[DMARC_POLICY_NONE], where,
			    (long)g->offset, n);
		if (ok && !strcmp(n, "t") && !strcmp(v, "y"))
			lint_findings_add(f, &dmarc_codes[DMARC_TESTING], where,
			    (long)g->offset);
		if (!strcmp(n, "rua") || !strcmp(n, "ruf")) {
			char *list = strdup(v), *save = NULL;

			if (!*v && !strcmp(n, "rua"))
				lint_findings_add(f, &dmarc_codes[DMARC_EMPTY_RUA],
				    where, (long)g->offset);
			for (char *u = strtok_r(list, ",", &save); u;
			    u = strtok_r(NULL, ",", &save)) {
				u += strspn(u, " \t");
				u[strcspn(u, " \t")] = '\0';
				if (!lint_uri_report_ok(u, true))
					lint_findings_add(f,
					    &dmarc_codes[DMARC_BAD_URI], where,
					    (long)g->value_offset, u);
			}
			free(list);
		}
	}
	const lint_tag_t *p = lint_taglist_get(&t, "p");

	if (p == NULL)
		lint_findings_add(f, &dmarc_codes[DMARC_NO_P], where, -1L);
	else if (p != &t.v[1])
		lint_findings_add(f, &dmarc_codes[DMARC_P_NOT_SECOND], where,
		    (long)p->offset);
	if (lint_taglist_get(&t, "rua") == NULL)
		lint_findings_add(f, &dmarc_codes[DMARC_NO_RUA], where, -1L);
	lint_taglist_clear(&t);
}
