#include "tls/mx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/domain_check.h"
#include "lint/mtasts_policy.h"

/* A lookup that failed: the first is the domain's error */
static void
dns_fail(tls_mx_t *m, const char *name, const char *type,
    const dns_answer_t *a)
{
	if (!m->dns_failed)
		snprintf(m->error, sizeof(m->error), "%s %s: %s (%s)", name, type,
		    dns_result_str(a->result), a->source ? a->source : "");
	m->dns_failed = true;
}

/* The hosts to probe, by preference: the MX set, or the domain itself */
static int
hosts_find(tls_mx_t *m, dns_resolver_t *r)
{
	const dns_answer_t *a = dns_resolver_get(r, m->domain, LDNS_RR_TYPE_MX);
	size_t n;

	if (a->result == DNS_PENDING)
		return 0;
	if (dns_result_is_failure(a->result)) {
		dns_fail(m, m->domain, "MX", a);
		return 1;
	}
	n = a->result == DNS_OK ? ldns_rr_list_rr_count(a->rrs) : 0;
	for (size_t i = 0; i < n && m->nhosts < TLS_MX_HOSTS; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(a->rrs, i);
		tls_mx_host_t *h = &m->host[m->nhosts];
		char *s = ldns_rdf2str(ldns_rr_rdf(rr, 1));

		if (s && strcmp(s, ".") == 0 && n == 1)
			m->null_mx = true;
		else if (s && util_name_normalize(s, h->name,
		    sizeof(h->name)) == 0) {
			h->preference = ldns_rdf2native_int16(ldns_rr_rdf(rr,
			    0));
			m->nhosts++;
		}
		free(s);
	}
	if (n == 0) {	/* RFC 5321 5.1: the domain is its own MX */
		m->implicit = true;
		snprintf(m->host[0].name, sizeof(m->host[0].name), "%s",
		    m->domain);
		m->nhosts = 1;
	}
	return 1;
}

/* The host's addresses and TLSA records; 0 while pending */
static int
host_resolve(tls_mx_t *m, dns_resolver_t *r, tls_mx_host_t *h, unsigned port)
{
	const dns_answer_t *v[2], *t;
	int failed = 0;

	snprintf(h->owner, sizeof(h->owner), "_%u._tcp.%s", port, h->name);
	dns_resolver_submit(r, h->name, LDNS_RR_TYPE_A);
	dns_resolver_submit(r, h->name, LDNS_RR_TYPE_AAAA);
	dns_resolver_submit(r, h->owner, LDNS_RR_TYPE_TLSA);
	v[0] = dns_resolver_get(r, h->name, LDNS_RR_TYPE_A);
	v[1] = dns_resolver_get(r, h->name, LDNS_RR_TYPE_AAAA);
	t = dns_resolver_get(r, h->owner, LDNS_RR_TYPE_TLSA);
	if (v[0]->result == DNS_PENDING || v[1]->result == DNS_PENDING ||
	    t->result == DNS_PENDING)
		return 0;
	h->tlsa = *t;
	h->tlsa.rrs = t->rrs ? ldns_rr_list_clone(t->rrs) : NULL;
	h->tlsa.source = h->tlsa.canonical = NULL;
	if (dns_result_is_failure(t->result))
		dns_fail(m, h->owner, "TLSA", t);
	size_t want = 0;

	for (size_t k = 0; k < 2; k++)
		want += v[k]->result == DNS_OK ? ldns_rr_list_rr_count(v[k]->rrs) :
		    0;
	if ((h->addr = calloc(want < TLS_MX_ADDRS ? want + 1 : TLS_MX_ADDRS,
	    sizeof(*h->addr))) == NULL)
		return -1;
	for (size_t k = 0; k < 2; k++) {
		failed += dns_result_is_failure(v[k]->result);
		for (size_t i = 0; v[k]->result == DNS_OK && h->naddr <
		    TLS_MX_ADDRS && i < ldns_rr_list_rr_count(v[k]->rrs); i++) {
			char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(
			    v[k]->rrs, i), 0));
			smtp_probe_t *p = &h->addr[h->naddr].probe;

			if (s == NULL)
				continue;
			snprintf(p->addr, sizeof(p->addr), "%s", s);
			snprintf(p->host, sizeof(p->host), "%s", h->name);
			p->port = port;
			p->failed = p->step = SMTP_DONE;
			p->fd = -1;
			h->naddr++;
			free(s);
		}
	}
	if (failed == 2)
		dns_fail(m, h->name, "A", v[0]);
	else if (h->naddr == 0 && failed == 0)
		lint_findings_add(&m->f, &mx_codes[MX_HOST_NO_ADDRESS],
		    m->domain, -1L, h->name);
	return 1;
}

int
tls_mx_resolve(tls_mx_t *m, dns_resolver_t *r, const char *host,
    unsigned port)
{
	int rc = 1;

	if (m->resolved)
		return 1;
	if (m->nhosts == 0 && !m->null_mx && !m->dns_failed) {
		if (host) {
			snprintf(m->host[0].name, sizeof(m->host[0].name), "%s",
			    host);
			m->nhosts = 1;
		} else if ((rc = hosts_find(m, r)) != 1)
			return rc;
	}
	/* every host's questions go out before any answer is read */
	for (size_t i = 0; i < m->nhosts; i++)
		if (m->host[i].addr == NULL) {
			int hr = host_resolve(m, r, &m->host[i], port);

			if (hr < 0)
				return -1;
			if (hr == 0)
				rc = 0;
		}
	if (rc == 1) {
		m->resolved = true;
		if (m->null_mx)
			lint_findings_add(&m->f, &mx_codes[MX_NULL], m->domain,
			    -1L, m->domain);
	}
	return rc;
}

int
tls_mx_probe(tls_mx_t *const *v, size_t n, const smtp_options_t *so,
    const tls_check_options_t *co)
{
	size_t total = 0, k = 0;
	smtp_probe_t **all;
	int rc;

	for (size_t i = 0; i < n; i++)
		for (size_t h = 0; h < v[i]->nhosts; h++)
			total += v[i]->host[h].naddr;
	if ((all = calloc(total + 1, sizeof(*all))) == NULL)
		return -1;
	/* one run over every address of every domain */
	for (size_t i = 0; i < n; i++)
		for (size_t h = 0; h < v[i]->nhosts; h++)
			for (size_t a = 0; a < v[i]->host[h].naddr; a++)
				all[k++] = &v[i]->host[h].addr[a].probe;
	rc = smtp_probe_run(all, total, so);
	for (size_t i = 0; i < n; i++)
		for (size_t h = 0; h < v[i]->nhosts; h++) {
			tls_mx_host_t *host = &v[i]->host[h];

			/* the records, or the proof there are none */
			if (co->validator && !host->dnssec.checked &&
			    ((host->tlsa.result == DNS_OK && host->tlsa.rrs &&
			    ldns_rr_list_rr_count(host->tlsa.rrs) > 0) ||
			    host->tlsa.result == DNS_NODATA ||
			    host->tlsa.result == DNS_NXDOMAIN)) {
				host->dnssec.state = dns_validator_check(
				    co->validator, host->owner,
				    LDNS_RR_TYPE_TLSA, host->dnssec.why,
				    sizeof(host->dnssec.why));
				host->dnssec.checked = true;
			}
			for (size_t a = 0; a < host->naddr; a++) {
				tls_mx_addr_t *ad = &host->addr[a];

				if (rc == 0)
					tls_check_probe(&ad->probe, &host->tlsa,
					    host->owner, host->dnssec.checked ?
					    &host->dnssec : NULL, co, &ad->cert,
					    &ad->dane, &v[i]->f);
			}
		}
	free(all);
	return rc;
}

void
tls_mx_clear(tls_mx_t *m)
{
	for (size_t h = 0; h < m->nhosts; h++) {
		for (size_t a = 0; m->host[h].addr && a < m->host[h].naddr; a++)
			smtp_probe_clear(&m->host[h].addr[a].probe);
		free(m->host[h].addr);
		ldns_rr_list_deep_free(m->host[h].tlsa.rrs);
	}
	lint_findings_clear(&m->f);
	memset(m, 0, sizeof(*m));
}

/* Why a sender that honours the policy refuses the address, or NULL */
static const char *
sts_refusal(const tls_mx_addr_t *a, char *buf, size_t len)
{
	const smtp_probe_t *p = &a->probe;

	if (p->failed == SMTP_STARTTLS && !p->starttls)
		return "it offers no STARTTLS";
	if (p->failed != SMTP_DONE) {
		snprintf(buf, len, "the probe failed at %s: %s",
		    smtp_step_names[p->failed], p->error);
		return buf;
	}
	if (a->cert.days_left < 0)
		return "its certificate expired";
	if (!a->cert.valid) {
		snprintf(buf, len, "its certificate does not chain to a trusted "
		    "CA (%s)", a->cert.error);
		return buf;
	}
	if (!a->cert.names_ok)
		return "its certificate does not cover its name";
	return NULL;
}

void
tls_mx_sts_check(const tls_mx_t *m, const char *const *patterns,
    size_t npatterns, bool enforce, lint_findings_t *f)
{
	char buf[400];

	for (size_t h = 0; h < m->nhosts; h++) {
		const tls_mx_host_t *host = &m->host[h];
		bool covered = false;

		for (size_t i = 0; i < npatterns && !covered; i++)
			covered = mtasts_mx_match(patterns[i], host->name);
		for (size_t a = 0; covered && a < host->naddr; a++) {
			const char *why = sts_refusal(&host->addr[a], buf,
			    sizeof(buf));

			if (why)
				lint_findings_add(f, &tls_codes[enforce ?
				    TLS_STS_CERT : TLS_STS_CERT_TESTING],
				    host->name, -1L, host->name,
				    host->addr[a].probe.addr, why);
		}
	}
}
