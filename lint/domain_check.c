#include "lint/domain_check.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/spf_record.h"
#include "lint/spf_walk.h"
#include "lint/taglist.h"
#include "lint/dmarc.h"
#include "lint/tagrec.h"

const lint_code_t mx_codes[MX_ROWS] = {
	[MX_NONE] = { "mx-none", LINT_WARNING,
	    "%s has no MX record: senders fall back to its address",
	    "RFC 5321 5.1", "publish MX records, or the null MX (MX 0 .) "
	    "when it takes no mail" },
	[MX_NONE_NO_ADDRESS] = { "mx-none-no-address", LINT_WARNING,
	    "%s has neither MX nor address records: mail to it waits in "
	    "queues before it bounces", "RFC 7505 1",
	    "publish the null MX (MX 0 .)" },
	[MX_NULL] = { "mx-null", LINT_INFO,
	    "%s takes no mail: null MX", "RFC 7505", NULL },
	[MX_NULL_MIXED] = { "mx-null-mixed", LINT_ERROR,
	    "the null MX is published with %zu other MX records",
	    "RFC 7505 3", "keep the null MX alone, or remove it" },
	[MX_NULL_PREFERENCE] = { "mx-null-preference", LINT_WARNING,
	    "the null MX has preference %u, not 0", "RFC 7505 3", NULL },
	[MX_HOST_NO_ADDRESS] = { "mx-host-no-address", LINT_ERROR,
	    "MX host %s has no A or AAAA record", "RFC 5321 5.1", NULL },
	[MX_HOST_ALIAS] = { "mx-host-alias", LINT_WARNING,
	    "MX host %s is an alias (CNAME) of %s", "RFC 2181 10.3",
	    "name the canonical host" },
	[MX_HOST_ADDRESS] = { "mx-host-address", LINT_ERROR,
	    "MX host %s is an IP address, not a host name", "RFC 5321 5.1",
	    NULL },
	[MX_HOSTS] = { "mx-hosts", LINT_INFO, "%zu MX host%s: %s", NULL,
	    NULL },
};

const lint_code_t parked_codes[PARKED_ROWS] = {
	[PARKED_MX] = { "parked-mx", LINT_WARNING,
	    "%s should publish the null MX (MX 0 .), not %s", "RFC 7505",
	    "publish \"MX 0 .\" alone" },
	[PARKED_SPF] = { "parked-spf", LINT_ERROR,
	    "%s should publish \"v=spf1 -all\", not %s", "RFC 7208 10.1.2",
	    "publish the null SPF (nomail-gen)" },
	[PARKED_DMARC] = { "parked-dmarc", LINT_ERROR,
	    "the DMARC policy for %s should be p=reject, not %s", "RFC 9989",
	    "publish p=reject (nomail-gen)" },
	[PARKED_DKIM] = { "parked-dkim", LINT_WARNING,
	    "no revoked DKIM key at %s", "RFC 6376 3.6.1",
	    "publish \"v=DKIM1; p=\" there" },
	[PARKED_LIVE_MX] = { "parked-live-mx", LINT_WARNING,
	    "%s has mail hosts (%s): the null MX would stop the mail they "
	    "take", "RFC 7505 3", "declare it mail-less only when no mail "
	    "goes to it" },
	[PARKED_MX_UNCHECKED] = { "parked-mx-unchecked", LINT_WARNING,
	    "could not tell whether %s takes mail: its MX lookup failed (%s)",
	    "RFC 7505 3", NULL },
};

void
parked_mx_before(dns_resolver_t *r, const char *domain, lint_findings_t *f)
{
	const dns_answer_t *a = dns_resolver_get(r, domain, LDNS_RR_TYPE_MX);
	char hosts[600] = "";
	size_t n = 0;

	if (a->result == DNS_UNAVAILABLE)
		return;		/* --offline, no zone file: nothing to ask */
	if (dns_result_is_failure(a->result)) {
		lint_findings_add(f, &parked_codes[PARKED_MX_UNCHECKED], domain,
		    -1L, domain, dns_result_str(a->result));
		return;
	}
	for (size_t i = 0; a->result == DNS_OK &&
	    i < ldns_rr_list_rr_count(a->rrs); i++) {
		const ldns_rdf *host = ldns_rr_rdf(ldns_rr_list_rr(a->rrs, i), 1);
		char *t;

		if (host == NULL || ldns_rdf_size(host) <= 1)
			continue;	/* the null MX: already mail-less */
		if ((t = ldns_rdf2str(host)) != NULL)
			snprintf(hosts + strlen(hosts), sizeof(hosts) -
			    strlen(hosts), "%s%.*s", n++ ? ", " : "",
			    (int)strlen(t) - 1, t);
		free(t);
	}
	if (n)
		lint_findings_add(f, &parked_codes[PARKED_LIVE_MX], domain, -1L,
		    domain, hosts);
}

void
lint_report_init(lint_report_t *rp)
{
	memset(rp, 0, sizeof(*rp));
	lint_findings_init(&rp->f);
}

void
lint_report_clear(lint_report_t *rp)
{
	free(rp->record);
	lint_findings_clear(&rp->f);
	lint_report_init(rp);
}

void
lint_report_dns_fail(lint_report_t *rp, const char *name, ldns_rr_type type,
    const dns_answer_t *a)
{
	char *t = ldns_rr_type2str(type);

	if (!rp->dns_failed)
		snprintf(rp->error, sizeof(rp->error), "%s %s: %s (%s)", name,
		    t ? t : "?", dns_result_str(a->result), a->source ?
		    a->source : "?");
	free(t);
	rp->dns_failed = true;
}

int
lint_txt_fetch(dns_resolver_t *r, const char *owner, const char *record,
    char ***texts, size_t *n, lint_report_t *rp)
{
	const dns_answer_t *a;

	*texts = NULL;
	*n = 0;
	if (record) {
		if ((*texts = malloc(sizeof(char *))) == NULL ||
		    ((*texts)[0] = strdup(record)) == NULL) {
			free(*texts);
			*texts = NULL;
			return -1;
		}
		*n = 1;
		return 0;
	}
	a = dns_resolver_get(r, owner, LDNS_RR_TYPE_TXT);
	if (dns_result_is_failure(a->result)) {
		lint_report_dns_fail(rp, owner, LDNS_RR_TYPE_TXT, a);
		return -1;
	}
	*texts = util_txt_join(a->result == DNS_OK ? a->rrs : NULL, n);
	return 0;
}

/* The one record starting with prefix among the TXT records at owner (any
 * record when a candidate is given); *count of them.  NULL when none. */
static char *
txt_pick(dns_resolver_t *r, const char *owner, const char *record,
    const char *prefix, size_t *count, lint_report_t *rp)
{
	char **texts, *rec = NULL;
	size_t n;

	*count = 0;
	if (lint_txt_fetch(r, owner, record, &texts, &n, rp) != 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((record || strncmp(texts[i], prefix, strlen(prefix)) == 0) &&
		    (*count)++ == 0)
			rec = strdup(texts[i]);
	util_txt_free(texts, n);
	return rec;
}

void
lint_mailbox_domain_check(dns_resolver_t *r, const char *host,
    const lint_code_t *no_mx, const lint_code_t *null_mx, const char *owner,
    long offset, lint_report_t *rp)
{
	const dns_answer_t *a = dns_resolver_get(r, host, LDNS_RR_TYPE_MX);

	if (dns_result_is_failure(a->result))
		lint_report_dns_fail(rp, host, LDNS_RR_TYPE_MX, a);
	else if (a->result != DNS_OK)
		lint_findings_add(&rp->f, no_mx, owner, offset, host);
	else if (ldns_rr_list_rr_count(a->rrs) == 1 &&
	    ldns_rdf_size(ldns_rr_rdf(ldns_rr_list_rr(a->rrs, 0), 1)) == 1)
		lint_findings_add(&rp->f, null_mx, owner, offset, host);
}

/* ---- DKIM ---- */

void
dkim_domain_check(dns_resolver_t *r, const char *domain, const char *selector,
    const char *record, lint_report_t *rp)
{
	char **texts;
	size_t n;

	snprintf(rp->owner, sizeof(rp->owner), "%s._domainkey.%s", selector,
	    domain);
	if (lint_txt_fetch(r, rp->owner, record, &texts, &n, rp) != 0)
		return;
	if (n == 0) {
		rp->absent = true;
		lint_findings_add(&rp->f, &dkim_codes[DKIM_NO_RECORD], rp->owner,
		    -1L, rp->owner);
	} else {
		if (n > 1)
			lint_findings_add(&rp->f, &dkim_codes[DKIM_MULTIPLE],
			    rp->owner, -1L, n, rp->owner);
		rp->record = strdup(texts[0]);
		dkim_record_check(texts[0], rp->owner, &rp->f);
	}
	util_txt_free(texts, n);
}

/* ---- TLS-RPT ---- */

void
tlsrpt_domain_check(dns_resolver_t *r, const char *domain, const char *record,
    lint_report_t *rp)
{
	lint_taglist_t t;
	const lint_tag_t *rua;
	size_t found, at;

	snprintf(rp->owner, sizeof(rp->owner), "_smtp._tls.%s", domain);
	/* RFC 8460 3: records that do not start with v=TLSRPTv1 are not
	 * TLS-RPT records (a candidate is checked whatever it starts with) */
	rp->record = txt_pick(r, rp->owner, record, "v=TLSRPTv1", &found, rp);
	if (rp->dns_failed)
		return;
	if (found == 0) {
		rp->absent = true;
		lint_findings_add(&rp->f, &tlsrpt_codes[TLSRPT_NO_RECORD], rp->owner,
		    -1L, rp->owner);
	} else if (found > 1)
		lint_findings_add(&rp->f, &tlsrpt_codes[TLSRPT_MULTIPLE], rp->owner,
		    -1L, found, rp->owner);
	if (rp->record == NULL)
		return;
	tlsrpt_record_check(rp->record, rp->owner, &rp->f);
	lint_taglist_parse(rp->record, strlen(rp->record), &t, &at);
	if ((rua = lint_taglist_get(&t, "rua")) != NULL) {
		char list[1024], *save = NULL, norm[256];

		snprintf(list, sizeof(list), "%s", rua->value);
		for (char *u = strtok_r(list, ",", &save); u;
		    u = strtok_r(NULL, ",", &save)) {
			const char *at_sign = strchr(u, '@');

			if (strncasecmp(u, "mailto:", 7) || at_sign == NULL ||
			    util_name_normalize(at_sign + 1, norm,
			    sizeof(norm)) != 0)
				continue;
			lint_mailbox_domain_check(r, norm,
			    &tlsrpt_codes[TLSRPT_RUA_NO_MX],
			    &tlsrpt_codes[TLSRPT_RUA_NULL_MX], rp->owner,
			    (long)rua->value_offset, rp);
		}
	}
	lint_taglist_clear(&t);
}

/* ---- DMARC ---- */

/* The report destinations: authorization when external, and their MX */
static void
dmarc_destinations(dns_resolver_t *r, const char *policy,
    const dmarc_record_t *rec, lint_report_t *rp)
{
	for (size_t i = 0; i < rec->nrua + rec->nruf; i++) {
		const dmarc_uri_t *u = i < rec->nrua ? &rec->rua[i] :
		    &rec->ruf[i - rec->nrua];
		char auth[600], **texts;
		size_t n, ok = 0;

		if (!u->mailto)
			continue;
		if (!util_name_related(u->host, policy)) {
			snprintf(auth, sizeof(auth), "%s._report._dmarc.%s",
			    policy, u->host);
			if (lint_txt_fetch(r, auth, NULL, &texts, &n, rp) == 0) {
				for (size_t k = 0; k < n; k++)
					ok += dmarc_is_record(texts[k]);
				if (ok == 0)
					lint_findings_add(&rp->f,
					    &dmarc_codes[DMARC_UNAUTHORIZED],
					    rp->owner, -1L, u->host, policy,
					    auth);
				util_txt_free(texts, n);
			}
		}
		lint_mailbox_domain_check(r, u->host,
		    &dmarc_codes[DMARC_RUA_NO_MX],
		    &dmarc_codes[DMARC_RUA_NULL_MX], rp->owner, -1L, rp);
	}
}

void
dmarc_domain_check(dns_resolver_t *r, const char *domain, const char *record,
    bool rfc7489, lint_report_t *rp, dmarc_found_t *d)
{
	dmarc_record_t rec;
	char pct[400];
	int rc = dmarc_discover(r, domain, record, d, &rp->f);

	snprintf(rp->owner, sizeof(rp->owner), "_dmarc.%s", rc > 0 ?
	    d->domain : domain);
	if (rc < 0) {
		if (!rp->dns_failed)
			snprintf(rp->error, sizeof(rp->error), "%s", d->error);
		rp->dns_failed = true;
		return;
	}
	if (rc == 0) {
		rp->absent = true;
		lint_findings_add(&rp->f, &dmarc_codes[DMARC_NO_RECORD], domain,
		    -1L, domain);
		return;
	}
	rp->record = strdup(d->record);
	lint_findings_add(&rp->f, &dmarc_codes[DMARC_FOUND_AT], rp->owner, -1L,
	    domain, rp->owner);
	dmarc_record_parse(d->record, rp->owner, rfc7489, &rec, &rp->f);
	if (rec.usable) {
		dmarc_policy_t applied = dmarc_record_policy(&rec,
		    strcmp(d->domain, domain) == 0, false);

		lint_findings_add(&rp->f, &dmarc_codes[DMARC_EFFECTIVE],
		    rp->owner, -1L, dmarc_policy_str(applied),
		    dmarc_policy_str(dmarc_record_policy(&rec, false, false)),
		    dmarc_policy_str(dmarc_record_policy(&rec, false, true)));
		dmarc_pct_explain(&rec, applied, pct, sizeof(pct));
		if (pct[0])
			lint_findings_add(&rp->f, &dmarc_codes[DMARC_PCT],
			    rp->owner, -1L, pct);
	}
	dmarc_destinations(r, d->domain, &rec, rp);
	dmarc_record_clear(&rec);
}

/* The policy that applies to domain from what discovery found: *usable
 * false when there is none (no record, or one receivers discard) */
static dmarc_policy_t
dmarc_applied(const char *domain, const dmarc_found_t *d,
    dmarc_record_t *rec, bool *usable)
{
	lint_findings_t scratch;

	lint_findings_init(&scratch);
	memset(rec, 0, sizeof(*rec));
	*usable = false;
	if (d->record == NULL)
		return DMARC_P_NONE;
	dmarc_record_parse(d->record, "", true, rec, &scratch);
	lint_findings_clear(&scratch);
	*usable = rec->usable;
	return rec->usable ? dmarc_record_policy(rec, strcmp(d->domain,
	    domain) == 0, false) : DMARC_P_NONE;
}

/* ---- BIMI ---- */

/* The DMARC policy that applies to domain must enforce (and not test) */
static void
bimi_prerequisite(dns_resolver_t *r, const char *domain, lint_report_t *rp,
    dmarc_found_t *d)
{
	lint_findings_t scratch;
	char what[640] = "absent";
	int rc;

	lint_findings_init(&scratch);
	rc = dmarc_discover(r, domain, NULL, d, &scratch);
	lint_findings_clear(&scratch);
	if (rc < 0) {
		if (!rp->dns_failed)
			snprintf(rp->error, sizeof(rp->error), "%s", d->error);
		rp->dns_failed = true;
		return;
	}
	if (rc > 0) {
		dmarc_record_t rec;
		bool usable;
		dmarc_policy_t pol = dmarc_applied(domain, d, &rec, &usable);
		char pct[400];

		dmarc_pct_explain(&rec, pol, pct, sizeof(pct));
		if (!usable)
			snprintf(what, sizeof(what), "a record receivers "
			    "discard (%s)", rec.why);
		else if (pol == DMARC_P_NONE)
			snprintf(what, sizeof(what), "p=none");
		else if (rec.testing)
			snprintf(what, sizeof(what), "%s in testing (t=y)",
			    dmarc_policy_str(pol));
		else if (pct[0])
			snprintf(what, sizeof(what), "%s", pct);
		else
			what[0] = '\0';
		dmarc_record_clear(&rec);
	}
	if (what[0])
		lint_findings_add(&rp->f, &bimi_codes[BIMI_DMARC], rp->owner,
		    -1L, domain, what);
}

void
bimi_domain_check(dns_resolver_t *r, const char *domain, const char *selector,
    const char *record, lint_report_t *rp, dmarc_found_t *d)
{
	char org_owner[600];
	size_t found;

	snprintf(rp->owner, sizeof(rp->owner), "%s._bimi.%s", selector,
	    domain);
	bimi_prerequisite(r, domain, rp, d);
	rp->record = txt_pick(r, rp->owner, record, "v=BIMI1", &found, rp);
	/* no record at the domain: the organizational domain's applies (the
	 * domain where DMARC discovery found the policy) */
	if (found == 0 && !rp->dns_failed && d->record &&
	    strcmp(d->domain, domain)) {
		snprintf(org_owner, sizeof(org_owner), "%s._bimi.%s", selector,
		    d->domain);
		rp->record = txt_pick(r, org_owner, NULL, "v=BIMI1", &found, rp);
		if (found) {
			lint_findings_add(&rp->f, &bimi_codes[BIMI_FALLBACK],
			    rp->owner, -1L, rp->owner, org_owner);
			snprintf(rp->owner, sizeof(rp->owner), "%s", org_owner);
		}
	}
	if (rp->dns_failed)
		return;
	if (found > 1)
		lint_findings_add(&rp->f, &bimi_codes[BIMI_MULTIPLE], rp->owner,
		    -1L, found, rp->owner);
	if (found == 0) {
		rp->absent = true;
		lint_findings_add(&rp->f, &bimi_codes[BIMI_NO_RECORD], rp->owner,
		    -1L, rp->owner, d->record && strcmp(d->domain, domain) ?
		    " nor at the organizational domain" : "");
	} else
		bimi_record_check(rp->record, rp->owner, &rp->f);
}

/* ---- MTA-STS ---- */

void
mtasts_source_clear(mtasts_source_t *s)
{
	if (s->fetched)
		https_result_clear(&s->res);
	s->fetched = false;
}

const char *
mtasts_source_policy(const mtasts_source_t *src, size_t *len)
{
	if (src->text) {
		*len = src->len;
		return src->text;
	}
	if (src->fetched && src->status == HTTPS_OK && src->res.code == 200) {
		*len = src->res.len;
		return src->res.body;
	}
	*len = 0;
	return NULL;
}

/* The findings of the fetch, added again on every run */
static void
mtasts_fetch(mtasts_source_t *src, lint_report_t *rp)
{
	const https_result_t *h = &src->res;

	if (src->text)
		return;
	if (!src->fetched) {
		src->status = https_get(src->url, src->https, &src->res);
		if (src->status == HTTPS_PENDING) {
			https_result_clear(&src->res);
			return;		/* the next pass fetches it */
		}
		src->fetched = true;
	}
	switch (src->status) {
	case HTTPS_OK:
		if (h->code >= 300 && h->code < 400)
			lint_findings_add(&rp->f,
			    &mtasts_policy_codes[MP_REDIRECT], src->url, -1L,
			    h->code, h->location ? h->location : "?");
		else if (h->code != 200)
			lint_findings_add(&rp->f, &mtasts_policy_codes[MP_HTTP],
			    src->url, -1L, h->code);
		else if (!https_media_type_is(h->content_type, "text/plain"))
			lint_findings_add(&rp->f,
			    &mtasts_policy_codes[MP_CONTENT_TYPE], src->url, -1L,
			    h->content_type ? h->content_type : "(none)");
		break;
	case HTTPS_TLS:
		lint_findings_add(&rp->f, &mtasts_policy_codes[MP_TLS], src->url,
		    -1L, h->error);
		break;
	case HTTPS_NOHOST:
		lint_findings_add(&rp->f, &mtasts_policy_codes[MP_FETCH],
		    src->url, -1L, src->url, h->error);
		break;
	case HTTPS_NET:
	case HTTPS_DNS:
		/* the network, not the site: the check is incomplete */
		if (!rp->dns_failed)
			snprintf(rp->error, sizeof(rp->error), "fetching %.150s: %.230s",
			    src->url, h->error);
		rp->dns_failed = true;
		break;
	case HTTPS_OFFLINE:
	case HTTPS_PENDING:
		rp->skipped = true;
		snprintf(rp->skipped_why, sizeof(rp->skipped_why), "the policy "
		    "was not fetched (--offline)");
		break;
	}
}

/* The MX host names of domain, normalized, at most max; -1 on failure */
static int
mx_hosts(dns_resolver_t *r, const char *domain, char names[][256], size_t max,
    size_t *n, lint_report_t *rp)
{
	const dns_answer_t *a = dns_resolver_get(r, domain, LDNS_RR_TYPE_MX);

	*n = 0;
	if (dns_result_is_failure(a->result)) {
		lint_report_dns_fail(rp, domain, LDNS_RR_TYPE_MX, a);
		return -1;
	}
	for (size_t i = 0; a->result == DNS_OK && *n < max &&
	    i < ldns_rr_list_rr_count(a->rrs); i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs, i),
		    1));

		if (s && util_name_normalize(s, names[*n], 256) == 0)
			(*n)++;
		free(s);
	}
	return 0;
}

void
mtasts_domain_check(dns_resolver_t *r, const char *domain, const char *record,
    mtasts_source_t *src, bool always, lint_report_t *rp, mtasts_policy_t *pol)
{
	char tls[300], names[32][256];
	const char *policy, *hosts[32];
	size_t found, plen, n, nh = 0;

	snprintf(rp->owner, sizeof(rp->owner), "_mta-sts.%s", domain);
	snprintf(src->url, sizeof(src->url),
	    "https://mta-sts.%s/.well-known/mta-sts.txt", domain);
	rp->record = txt_pick(r, rp->owner, record, "v=STSv1", &found, rp);
	if (!rp->dns_failed && found == 0) {
		rp->absent = true;
		lint_findings_add(&rp->f, &mtasts_codes[MTASTS_NO_RECORD], rp->owner,
		    -1L, rp->owner);
	} else if (found > 1)
		lint_findings_add(&rp->f, &mtasts_codes[MTASTS_MULTIPLE], rp->owner,
		    -1L, found, rp->owner);
	if (rp->record)
		mtasts_record_check(rp->record, rp->owner, &rp->f);
	/* senders fetch the policy only when the record says there is one */
	if (rp->record || (always && !rp->dns_failed))
		mtasts_fetch(src, rp);
	if ((policy = mtasts_source_policy(src, &plen)) != NULL) {
		mtasts_policy_check(policy, plen, src->url, pol, &rp->f);
		if (mx_hosts(r, domain, names, 32, &n, rp) == 0) {
			for (size_t i = 0; i < n; i++)
				if (strchr(names[i], '.'))
					hosts[nh++] = names[i];
			mtasts_policy_cover(pol, hosts, nh, src->url, &rp->f);
		}
	}
	snprintf(tls, sizeof(tls), "_smtp._tls.%s", domain);
	const dns_answer_t *t = dns_resolver_get(r, tls, LDNS_RR_TYPE_TXT);

	if (dns_result_is_void(t->result))
		lint_findings_add(&rp->f, &mtasts_policy_codes[MP_NO_TLSRPT], tls,
		    -1L, tls);
}

/* ---- MX ---- */

/* "10 mx1.example.com., 20 mx2.example.com." */
static char *
mx_text(const ldns_rr_list *rrs)
{
	ldns_buffer *b = ldns_buffer_new(256);
	char *s;

	if (b == NULL)
		return NULL;
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (i)
			ldns_buffer_printf(b, ", ");
		ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, 0));
		ldns_buffer_printf(b, " ");
		ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, 1));
	}
	s = ldns_buffer_export2str(b);
	ldns_buffer_free(b);
	return s;
}

/* No MX: mail goes to the domain's addresses (RFC 5321 5.1), if any */
static void
mx_none(dns_resolver_t *r, const char *domain, lint_report_t *rp)
{
	const dns_answer_t *v4, *v6;

	rp->absent = true;
	dns_resolver_peek(r, domain, LDNS_RR_TYPE_AAAA);
	v4 = dns_resolver_get(r, domain, LDNS_RR_TYPE_A);
	v6 = dns_resolver_get(r, domain, LDNS_RR_TYPE_AAAA);
	if (dns_result_is_failure(v4->result))
		lint_report_dns_fail(rp, domain, LDNS_RR_TYPE_A, v4);
	else if (dns_result_is_failure(v6->result))
		lint_report_dns_fail(rp, domain, LDNS_RR_TYPE_AAAA, v6);
	else if (v4->result == DNS_OK || v6->result == DNS_OK)
		lint_findings_add(&rp->f, &mx_codes[MX_NONE], domain, -1L,
		    domain);
	else
		lint_findings_add(&rp->f, &mx_codes[MX_NONE_NO_ADDRESS], domain,
		    -1L, domain);
}

/* The null MX of RFC 7505 among the records: true when it is the only one
 * (nothing more to check) */
static bool
mx_null(const ldns_rr_list *rrs, const char *domain, lint_report_t *rp,
    bool *null_mx)
{
	size_t n = ldns_rr_list_rr_count(rrs);

	for (size_t i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		unsigned pref = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));

		if (ldns_rdf_size(ldns_rr_rdf(rr, 1)) != 1)
			continue;
		*null_mx = true;
		if (n > 1)
			lint_findings_add(&rp->f, &mx_codes[MX_NULL_MIXED], domain,
			    -1L, n - 1);
		if (pref != 0)
			lint_findings_add(&rp->f, &mx_codes[MX_NULL_PREFERENCE],
			    domain, -1L, pref);
		if (n == 1) {
			lint_findings_add(&rp->f, &mx_codes[MX_NULL], domain, -1L,
			    domain);
			return true;
		}
	}
	return false;
}

/* One mail host: an address where a name belongs, no address, an alias */
static void
mx_host(dns_resolver_t *r, const char *domain, const char *host,
    lint_report_t *rp)
{
	struct in6_addr ip;
	const dns_answer_t *v4, *v6;
	const char *canon;

	if (inet_pton(AF_INET, host, &ip) == 1 ||
	    inet_pton(AF_INET6, host, &ip) == 1) {
		lint_findings_add(&rp->f, &mx_codes[MX_HOST_ADDRESS], domain,
		    -1L, host);
		return;
	}
	v4 = dns_resolver_get(r, host, LDNS_RR_TYPE_A);
	v6 = dns_resolver_get(r, host, LDNS_RR_TYPE_AAAA);
	if (dns_result_is_failure(v4->result) &&
	    dns_result_is_failure(v6->result)) {
		lint_report_dns_fail(rp, host, LDNS_RR_TYPE_A, v4);
		return;
	}
	if (v4->result != DNS_OK && v6->result != DNS_OK &&
	    !dns_result_is_failure(v4->result) &&
	    !dns_result_is_failure(v6->result))
		lint_findings_add(&rp->f, &mx_codes[MX_HOST_NO_ADDRESS], domain,
		    -1L, host);
	canon = v4->canonical ? v4->canonical : v6->canonical;
	if (canon)
		lint_findings_add(&rp->f, &mx_codes[MX_HOST_ALIAS], domain, -1L,
		    host, canon);
}

void
mx_domain_check(dns_resolver_t *r, const char *domain, lint_report_t *rp,
    bool *null_mx)
{
	const dns_answer_t *a = dns_resolver_get(r, domain, LDNS_RR_TYPE_MX);
	char list[600] = "", names[32][256];
	size_t nh = 0, listed = 0;

	*null_mx = false;
	snprintf(rp->owner, sizeof(rp->owner), "%s", domain);
	if (dns_result_is_failure(a->result)) {
		lint_report_dns_fail(rp, domain, LDNS_RR_TYPE_MX, a);
		return;
	}
	if (a->result != DNS_OK) {
		mx_none(r, domain, rp);
		return;
	}
	rp->record = mx_text(a->rrs);
	if (mx_null(a->rrs, domain, rp, null_mx))
		return;
	/* every host's addresses, asked for together */
	mx_hosts(r, domain, names, 32, &nh, rp);
	for (size_t i = 0; i < nh; i++) {
		dns_resolver_peek(r, names[i], LDNS_RR_TYPE_A);
		dns_resolver_peek(r, names[i], LDNS_RR_TYPE_AAAA);
	}
	for (size_t i = 0; i < nh; i++) {
		size_t len = strlen(list);

		if (names[i][0] == '\0')
			continue;	/* the null MX among others */
		if (len + strlen(names[i]) + 3 < sizeof(list)) {
			if (len)
				strcat(list, ", ");
			strcat(list, names[i]);
		}
		listed++;
		mx_host(r, domain, names[i], rp);
	}
	if (listed)
		lint_findings_add(&rp->f, &mx_codes[MX_HOSTS], domain, -1L,
		    listed, listed == 1 ? "" : "s", list);
}

/* ---- a domain that takes and sends no mail ---- */

/* The null MX of RFC 7505: one MX, to "." */
static void
parked_mx(dns_resolver_t *r, const char *domain, lint_report_t *rp)
{
	const dns_answer_t *mx = dns_resolver_get(r, domain, LDNS_RR_TYPE_MX);

	if (dns_result_is_failure(mx->result))
		lint_report_dns_fail(rp, domain, LDNS_RR_TYPE_MX, mx);
	else if (mx->result != DNS_OK)
		lint_findings_add(&rp->f, &parked_codes[PARKED_MX], domain, -1L,
		    domain, "no MX record");
	else if (ldns_rr_list_rr_count(mx->rrs) != 1 ||
	    ldns_rdf_size(ldns_rr_rdf(ldns_rr_list_rr(mx->rrs, 0), 1)) != 1)
		lint_findings_add(&rp->f, &parked_codes[PARKED_MX], domain, -1L,
		    domain, "mail hosts");
}

/* The null SPF: v=spf1 -all */
static void
parked_spf(dns_resolver_t *r, const char *domain, lint_report_t *rp)
{
	const dns_answer_t *txt = dns_resolver_get(r, domain,
	    LDNS_RR_TYPE_TXT);
	size_t count = 0, len;
	char *spf, quoted[300];

	if (dns_result_is_failure(txt->result)) {
		lint_report_dns_fail(rp, domain, LDNS_RR_TYPE_TXT, txt);
		return;
	}
	spf = txt->result == DNS_OK ? spf_txt_select(txt->rrs, &count, &len) :
	    NULL;
	if (spf)
		snprintf(quoted, sizeof(quoted), "\"%s\"", spf);
	if (spf == NULL || strcasecmp(spf, "v=spf1 -all"))
		lint_findings_add(&rp->f, &parked_codes[PARKED_SPF], domain, -1L,
		    domain, spf ? quoted : count > 1 ? "several SPF records" :
		    "no SPF record");
	free(spf);
}

/* DMARC at p=reject for the domain */
static void
parked_dmarc(dns_resolver_t *r, const char *domain, lint_report_t *rp)
{
	lint_findings_t scratch;
	dmarc_found_t d;
	int rc;

	lint_findings_init(&scratch);
	rc = dmarc_discover(r, domain, NULL, &d, &scratch);
	lint_findings_clear(&scratch);
	if (rc < 0) {
		if (!rp->dns_failed)
			snprintf(rp->error, sizeof(rp->error), "%s", d.error);
		rp->dns_failed = true;
	} else {
		dmarc_record_t rec;
		bool usable;
		dmarc_policy_t pol = dmarc_applied(domain, &d, &rec, &usable);

		if (!usable || pol != DMARC_P_REJECT)
			lint_findings_add(&rp->f, &parked_codes[PARKED_DMARC],
			    domain, -1L, domain, rc == 0 ? "absent" : !usable ?
			    "a record receivers discard" : dmarc_policy_str(pol));
		dmarc_record_clear(&rec);
	}
	free(d.record);
}

/* A revoked key (p= empty) at *._domainkey */
static void
parked_dkim(dns_resolver_t *r, const char *dkim, lint_report_t *rp)
{
	const dns_answer_t *dk = dns_resolver_get(r, dkim, LDNS_RR_TYPE_TXT);
	char **texts;
	size_t n, revoked = 0;

	if (dns_result_is_failure(dk->result)) {
		lint_report_dns_fail(rp, dkim, LDNS_RR_TYPE_TXT, dk);
		return;
	}
	texts = util_txt_join(dk->result == DNS_OK ? dk->rrs : NULL, &n);
	for (size_t i = 0; i < n; i++) {
		lint_taglist_t t;
		size_t at;
		const lint_tag_t *p;

		lint_taglist_parse(texts[i], strlen(texts[i]), &t, &at);
		p = lint_taglist_get(&t, "p");
		revoked += p && p->value[0] == '\0';
		lint_taglist_clear(&t);
	}
	if (revoked == 0)
		lint_findings_add(&rp->f, &parked_codes[PARKED_DKIM], dkim, -1L,
		    dkim);
	util_txt_free(texts, n);
}

void
parked_domain_check(dns_resolver_t *r, const char *domain, lint_report_t *rp)
{
	char dkim[300];

	snprintf(rp->owner, sizeof(rp->owner), "%s", domain);
	snprintf(dkim, sizeof(dkim), "*._domainkey.%s", domain);
	dns_resolver_peek(r, domain, LDNS_RR_TYPE_MX);
	dns_resolver_peek(r, domain, LDNS_RR_TYPE_TXT);
	dns_resolver_peek(r, dkim, LDNS_RR_TYPE_TXT);
	parked_mx(r, domain, rp);
	parked_spf(r, domain, rp);
	parked_dmarc(r, domain, rp);
	parked_dkim(r, dkim, rp);
}
