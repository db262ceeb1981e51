#include "cli/audit_tls.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct audit_tls {
	unsigned port;
	smtp_options_t so;
	tls_check_options_t co;
	tls_mx_t **queue;	/* resolved, waiting for the round's probes */
	size_t n, cap;
};

audit_tls_t *
audit_tls_new(const cmd_opts_t *o, const char *ca_pem, size_t ca_len,
    unsigned port, const char *trust_anchor)
{
	audit_tls_t *t = calloc(1, sizeof(*t));
	char err[300];

	if (t == NULL)
		return NULL;
	t->port = port;
	t->so.timeout_ms = 10000;
	t->so.max_open = 64;
	t->co.expiry_warn = 14;
	t->co.now = time(NULL);
	if ((t->co.store = ca_pem ? tls_store_pem(ca_pem, ca_len, err,
	    sizeof(err)) : tls_store_new(NULL, err, sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		free(t);
		return NULL;
	}
	if (trust_anchor && (t->co.validator = dns_validator_new(trust_anchor,
	    o->servers, o->nservers, o->timeout_ms, err, sizeof(err))) ==
	    NULL) {
		cmd_error(o, "--trust-anchor: %s", err);
		audit_tls_free(t);
		return NULL;
	}
	signal(SIGPIPE, SIG_IGN);
	return t;
}

void
audit_tls_free(audit_tls_t *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->co.store);
	dns_validator_free(t->co.validator);
	free(t->queue);
	free(t);
}

static const char *
dane_word(const tls_dane_verdict_t *d)
{
	/* bogus: the records, or the proof that there are none */
	return d->bogus ? "bogus" : !d->present ? "none" : !d->dnssec ?
	    "insecure" : !d->usable ?
	    "unusable" : d->matched ? "matched" : "mismatch";
}

/* What the probes saw, into the area's report and its summary */
static void
fill(const tls_mx_t *m, audit_result_t *res)
{
	lint_report_t *rp = &res->area[AUDIT_TLS];

	rp->skipped = false;
	rp->skipped_why[0] = '\0';
	lint_findings_append(&rp->f, &m->f);
	if (m->dns_failed) {
		rp->dns_failed = true;
		snprintf(rp->error, sizeof(rp->error), "tls: %s", m->error);
	}
	res->ntls = 0;
	for (size_t h = 0; h < m->nhosts; h++)
		for (size_t a = 0; a < m->host[h].naddr &&
		    res->ntls < AUDIT_TLS_ADDRS; a++) {
			const tls_mx_addr_t *ad = &m->host[h].addr[a];
			audit_tls_addr_t *x = &res->tls[res->ntls++];

			snprintf(x->host, sizeof(x->host), "%s", m->host[h].name);
			snprintf(x->addr, sizeof(x->addr), "%s", ad->probe.addr);
			snprintf(x->version, sizeof(x->version), "%s",
			    ad->probe.tls_version);
			x->starttls = ad->probe.starttls;
			x->cert = ad->cert.present;
			x->cert_valid = ad->cert.valid;
			x->names_ok = ad->cert.names_ok;
			x->days_left = ad->cert.days_left;
			x->dane = dane_word(&ad->dane);
		}
}

int
audit_tls_step(audit_tls_t *t, dns_resolver_t *r, tls_mx_t *m,
    audit_result_t *res)
{
	int rc;

	if (res->area[AUDIT_TLS].skipped && res->null_mx)
		return 1;
	if (!m->resolved && (rc = tls_mx_resolve(m, r, NULL, t->port)) != 1)
		return rc;
	if (!m->probed) {
		if (m->queued)
			return 0;
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 64;
			tls_mx_t **v = realloc(t->queue, cap * sizeof(*v));

			if (v == NULL)
				return -1;
			t->queue = v;
			t->cap = cap;
		}
		t->queue[t->n++] = m;
		m->queued = true;
		return 0;
	}
	fill(m, res);
	return 1;
}

void
audit_tls_round(audit_tls_t *t)
{
	if (t == NULL || t->n == 0)
		return;
	tls_mx_probe(t->queue, t->n, &t->so, &t->co);
	for (size_t i = 0; i < t->n; i++)
		t->queue[i]->probed = true;
	t->n = 0;
}

void
audit_tls_forget(audit_tls_t *t, tls_mx_t *m)
{
	for (size_t i = 0; t && m->queued && i < t->n; i++)
		if (t->queue[i] == m) {
			t->queue[i] = t->queue[--t->n];
			break;
		}
	tls_mx_clear(m);
}
