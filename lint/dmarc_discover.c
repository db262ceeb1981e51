#include "lint/dmarc_discover.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/dmarc.h"

/* The TXT records of _dmarc.name; 1 found (text in *rec), 0 none, -1 DNS */
static int
look(dns_resolver_t *r, const char *name, char **rec, dmarc_found_t *out,
    lint_findings_t *f)
{
	char owner[300], **texts;
	const dns_answer_t *a;
	size_t n, found = 0;

	snprintf(owner, sizeof(owner), "_dmarc.%s", name);
	a = dns_resolver_get(r, owner, LDNS_RR_TYPE_TXT);
	if (dns_result_is_failure(a->result)) {
		snprintf(out->error, sizeof(out->error), "%s TXT: %s", owner,
		    dns_result_str(a->result));
		return -1;
	}
	texts = util_txt_join(a->result == DNS_OK ? a->rrs : NULL, &n);
	for (size_t i = 0; i < n; i++) {
		const char *t = texts[i];

		if (dmarc_is_record(t)) {
			if (found++ == 0)
				*rec = strdup(t);
		} else if (dmarc_is_record(t + strspn(t, " \t")))
			lint_findings_add(f, &dmarc_codes[DMARC_LEADING_SPACE],
			    owner, 0L, owner);
		else if (strncasecmp(t, "v=spf1", 6) == 0)
			lint_findings_add(f, &dmarc_codes[DMARC_SPF_RECORD],
			    owner, 0L, owner);
	}
	util_txt_free(texts, n);
	if (found > 1) {	/* all discarded: the walk goes on */
		lint_findings_add(f, &dmarc_codes[DMARC_MULTIPLE], owner, -1L,
		    found, owner);
		free(*rec);
		*rec = NULL;
		return 0;
	}
	return found ? 1 : 0;
}

/* The next name of the walk after name (its queries-th), in place; false
 * when the top-level label was the last */
static bool
walk_next(char *name, unsigned queries)
{
	size_t labels = 1;
	const char *next;

	for (const char *p = name; *p; p++)
		labels += *p == '.';
	if (labels == 1)
		return false;	/* the top-level label was asked too */
	next = strchr(name, '.') + 1;
	if (queries == 1 && labels > 8) {
		next = name;
		for (size_t k = labels; k > 7; k--)
			next = strchr(next, '.') + 1;
	}
	memmove(name, next, strlen(next) + 1);
	return true;
}

static size_t
labels_of(const char *name)
{
	size_t n = 1;

	for (; *name; name++)
		n += *name == '.';
	return n;
}

int
dmarc_discover(dns_resolver_t *r, const char *domain, const char *candidate,
    dmarc_found_t *out, lint_findings_t *f)
{
	char name[256];

	memset(out, 0, sizeof(*out));
	snprintf(name, sizeof(name), "%s", domain);
	while (out->queries < DMARC_MAX_QUERIES) {
		int rc = candidate && out->queries == 0 ?
		    ((out->record = strdup(candidate)) != NULL) :
		    look(r, name, &out->record, out, f);

		out->queries++;
		if (rc != 0) {
			if (rc > 0)
				snprintf(out->domain, sizeof(out->domain), "%s",
				    name);
			return rc;
		}
		if (!walk_next(name, out->queries))
			break;
	}
	return 0;
}

int
dmarc_org_domain(dns_resolver_t *r, const char *domain, char *org,
    size_t orglen, char *err, size_t errlen)
{
	char name[256], fewest[256] = "";
	dmarc_found_t w;
	lint_findings_t scratch;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	snprintf(name, sizeof(name), "%s", domain);
	snprintf(org, orglen, "%s", domain);	/* no record: itself */
	lint_findings_init(&scratch);
	while (w.queries < DMARC_MAX_QUERIES) {
		char *rec = NULL;
		int got = look(r, name, &rec, &w, &scratch);
		char psd = 'u';

		w.queries++;
		if (got < 0) {
			snprintf(err, errlen, "%s", w.error);
			rc = -1;
			break;
		}
		if (got > 0) {
			dmarc_record_t d;

			dmarc_record_parse(rec, "", false, &d, &scratch);
			psd = d.psd;
			dmarc_record_clear(&d);
			free(rec);
			snprintf(fewest, sizeof(fewest), "%s", name);
		}
		if (psd == 'n') {	/* the organization says it is here */
			snprintf(org, orglen, "%s", name);
			fewest[0] = '\0';
			break;
		}
		if (psd == 'y' && strcasecmp(name, domain) != 0) {
			/* a public suffix: the organization is one below it */
			const char *p = domain;

			for (size_t k = labels_of(domain); k > labels_of(name) + 1;
			    k--)
				p = strchr(p, '.') + 1;
			snprintf(org, orglen, "%s", p);
			fewest[0] = '\0';
			break;
		}
		if (!walk_next(name, w.queries))
			break;
	}
	if (rc == 0 && fewest[0])
		snprintf(org, orglen, "%s", fewest);
	lint_findings_clear(&scratch);
	return rc;
}
