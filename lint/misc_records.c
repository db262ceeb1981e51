/* TLS-RPT (RFC 8460 3), the MTA-STS TXT record (RFC 8461 3.1) and BIMI
 * assertion records: one table each. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/tagrec.h"
#include "lint/uri.h"


const lint_code_t tlsrpt_codes[TLSRPT_ROWS] = {
	[TLSRPT_SYNTAX] = { "tlsrpt-syntax", LINT_ERROR,
	    "the record breaks at byte %zu", "RFC 8460 3", NULL },
	[TLSRPT_VERSION] = { "tlsrpt-version", LINT_ERROR,
	    "the record must start with v=%s", "RFC 8460 3", NULL },
	[TLSRPT_DUPLICATE] = { "tlsrpt-duplicate-field", LINT_ERROR,
	    "field %s appears more than once", "RFC 8460 3", NULL },
	[TLSRPT_NO_RUA] = { "tlsrpt-no-rua", LINT_ERROR,
	    "no rua= field", "RFC 8460 3", NULL },
	[TLSRPT_BAD_URI] = { "tlsrpt-bad-uri", LINT_ERROR,
	    "\"%s\" is not a mailto: or https: URI", "RFC 8460 3", NULL },
	[TLSRPT_NO_RECORD] = { "tlsrpt-no-record", LINT_ERROR,
	    "no TLS-RPT record at %s", "RFC 8460 3", NULL },
	[TLSRPT_MULTIPLE] = { "tlsrpt-multiple-records", LINT_ERROR,
	    "%zu TLS-RPT records at %s: senders use none", "RFC 8460 3",
	    "keep one" },
	[TLSRPT_RUA_NO_MX] = { "tlsrpt-rua-no-mx", LINT_WARNING,
	    "the report domain %s has no MX record", "RFC 8460 3", NULL },
	[TLSRPT_RUA_NULL_MX] = { "tlsrpt-rua-null-mx", LINT_WARNING,
	    "the report domain %s accepts no mail (null MX)", "RFC 7505", NULL },
};

const lint_code_t mtasts_codes[MTASTS_ROWS] = {
	[MTASTS_SYNTAX] = { "mtasts-syntax", LINT_ERROR,
	    "the record breaks at byte %zu", "RFC 8461 3.1", NULL },
	[MTASTS_VERSION] = { "mtasts-version", LINT_ERROR,
	    "the record must start with v=%s", "RFC 8461 3.1", NULL },
	[MTASTS_DUPLICATE] = { "mtasts-duplicate-field", LINT_ERROR,
	    "field %s appears more than once", "RFC 8461 3.1", NULL },
	[MTASTS_NO_ID] = { "mtasts-no-id", LINT_ERROR,
	    "no id= field", "RFC 8461 3.1", NULL },
	[MTASTS_BAD_ID] = { "mtasts-bad-id", LINT_ERROR,
	    "id=%s: want 1 to 32 letters and digits", "RFC 8461 3.1", NULL },
	[MTASTS_NO_RECORD] = { "mtasts-no-record", LINT_ERROR,
	    "no MTA-STS record at %s", "RFC 8461 3.1", NULL },
	[MTASTS_MULTIPLE] = { "mtasts-multiple-records", LINT_ERROR,
	    "%zu MTA-STS records at %s: senders use none", "RFC 8461 3.1",
	    "keep one" },
};

const lint_code_t bimi_codes[BIMI_ROWS] = {
	[BIMI_SYNTAX] = { "bimi-syntax", LINT_ERROR,
	    "the record breaks at byte %zu", NULL, NULL },
	[BIMI_VERSION] = { "bimi-version", LINT_ERROR,
	    "the record must start with v=%s", NULL, NULL },
	[BIMI_DUPLICATE] = { "bimi-duplicate-tag", LINT_ERROR,
	    "tag %s appears more than once", NULL, NULL },
	[BIMI_NO_LOGO] = { "bimi-no-logo", LINT_ERROR,
	    "no l= tag", NULL, NULL },
	[BIMI_BAD_VALUE] = { "bimi-bad-value", LINT_ERROR,
	    "%s=%s: want an https URL (l=, a=) or brand/personal (avp=)",
	    NULL, NULL },
	[BIMI_DECLINED] = { "bimi-declined", LINT_INFO,
	    "l= and a= are empty: the domain declines to publish a logo",
	    NULL, NULL },
	[BIMI_NO_RECORD] = { "bimi-no-record", LINT_ERROR,
	    "no BIMI record at %s%s", NULL, NULL },
	[BIMI_MULTIPLE] = { "bimi-multiple-records", LINT_ERROR,
	    "%zu BIMI records at %s: receivers use none", NULL, "keep one" },
	[BIMI_FALLBACK] = { "bimi-fallback", LINT_INFO,
	    "no record at %s: the organizational domain's, at %s, applies",
	    NULL, NULL },
	[BIMI_DMARC] = { "bimi-dmarc-not-enforcing", LINT_ERROR,
	    "the DMARC policy for %s does not enforce: %s; receivers show a "
	    "logo only where quarantine or reject applies to all failing mail",
	    "RFC 9989", "apply p=quarantine or p=reject to all mail, without "
	    "t=y or pct below 100 (dmarc-gen --stage)" },
};

void
tlsrpt_record_check(const char *text, const char *where, lint_findings_t *f)
{
	lint_taglist_t t;
	const lint_tag_t *rua;

	if (lint_tagrec_open(text, where, "TLSRPTv1", false, tlsrpt_codes, &t,
	    f) != 0)
		return;
	if ((rua = lint_taglist_get(&t, "rua")) == NULL)
		lint_findings_add(f, &tlsrpt_codes[TLSRPT_NO_RUA], where, -1L);
	else {
		/* RFC 8460 3: tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri): every
		 * part between commas must be a URI, the first included */
		char list[1024], *p;

		snprintf(list, sizeof(list), "%s", rua->value);
		p = list;
		for (;;) {
			char *comma = strchr(p, ','), *end;

			if (comma)
				*comma = '\0';
			p += strspn(p, " \t");
			end = p + strlen(p);
			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				*--end = '\0';
			if (!lint_uri_report_ok(p, false))
				lint_findings_add(f, &tlsrpt_codes[TLSRPT_BAD_URI],
				    where, (long)rua->value_offset, p);
			if (comma == NULL)
				break;
			p = comma + 1;
		}
	}
	lint_taglist_clear(&t);
}

void
mtasts_record_check(const char *text, const char *where, lint_findings_t *f)
{
	lint_taglist_t t;
	const lint_tag_t *id;

	if (lint_tagrec_open(text, where, "STSv1", false, mtasts_codes, &t,
	    f) != 0)
		return;
	if ((id = lint_taglist_get(&t, "id")) == NULL)
		lint_findings_add(f, &mtasts_codes[MTASTS_NO_ID], where, -1L);
	else if (id->value[0] == '\0' || strlen(id->value) > 32 ||
	    strspn(id->value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789") != strlen(id->value))
		lint_findings_add(f, &mtasts_codes[MTASTS_BAD_ID], where,
		    (long)id->value_offset, id->value);
	lint_taglist_clear(&t);
}

void
bimi_record_check(const char *text, const char *where, lint_findings_t *f)
{
	lint_taglist_t t;
	const lint_tag_t *l, *a, *avp;

	if (lint_tagrec_open(text, where, "BIMI1", false, bimi_codes, &t,
	    f) != 0)
		return;
	l = lint_taglist_get(&t, "l");
	a = lint_taglist_get(&t, "a");
	if (l == NULL)
		lint_findings_add(f, &bimi_codes[BIMI_NO_LOGO], where, -1L);
	else if (!*l->value && (a == NULL || !*a->value))
		lint_findings_add(f, &bimi_codes[BIMI_DECLINED], where, -1L);
	for (const lint_tag_t *g = l; g; g = g == l ? a : NULL)
		if (*g->value && (strncasecmp(g->value, "https://", 8) != 0 ||
		    !lint_uri_report_ok(g->value, false)))
			lint_findings_add(f, &bimi_codes[BIMI_BAD_VALUE], where,
			    (long)g->value_offset, g->name, g->value);
	if ((avp = lint_taglist_get(&t, "avp")) && strcmp(avp->value,
	    "brand") && strcmp(avp->value, "personal"))
		lint_findings_add(f, &bimi_codes[BIMI_BAD_VALUE], where,
		    (long)avp->value_offset, "avp", avp->value);
	lint_taglist_clear(&t);
}
