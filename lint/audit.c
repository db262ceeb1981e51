#include "lint/audit.h"

#include <stdlib.h>
#include <string.h>

#include "lint/dmarc.h"
#include "lint/spf_codes.h"
#include "lint/taglist.h"
#include "util/digest.h"

const char *const audit_area_names[AUDIT_NAREAS] = {
	[AUDIT_MX] = "mx", [AUDIT_SPF] = "spf", [AUDIT_DMARC] = "dmarc",
	[AUDIT_DKIM] = "dkim", [AUDIT_BIMI] = "bimi",
	[AUDIT_MTASTS] = "mta-sts", [AUDIT_TLSRPT] = "tls-rpt",
	[AUDIT_TLS] = "tls",
	[AUDIT_PARKED] = "parked",
};

const char *const audit_verdict_names[AUDIT_NVERDICTS] = {
	[AUDIT_PASS] = "pass", [AUDIT_ABSENT] = "absent",
	[AUDIT_SKIPPED] = "skipped", [AUDIT_WARN] = "warn",
	[AUDIT_FAIL] = "fail", [AUDIT_DNS_ERROR] = "dns-error",
};

/* An area may be absent without failing: nothing asks a domain for BIMI,
 * MTA-STS or TLS-RPT */
static audit_verdict_t
verdict(const lint_report_t *rp, bool optional)
{
	if (rp->dns_failed)
		return AUDIT_DNS_ERROR;
	if (rp->absent && optional)
		return AUDIT_ABSENT;
	if (lint_findings_count(&rp->f, LINT_ERROR))
		return AUDIT_FAIL;
	if (rp->skipped)
		return AUDIT_SKIPPED;	/* on purpose: --offline */
	if (lint_findings_count(&rp->f, LINT_WARNING))
		return AUDIT_WARN;
	return AUDIT_PASS;
}

void
audit_state_clear(audit_state_t *st)
{
	mtasts_source_clear(&st->src);
	if (st->walking)
		spf_walk_clear(&st->walk);
	st->walking = st->walked = false;
}

/* The SPF walk, on from where it stopped: 1 done, 0 waiting (deferred),
 * -1 on no memory */
static int
spf_walk_on(dns_resolver_t *r, spf_store_t *memo, const char *domain,
    audit_state_t *st)
{
	int rc = 0;

	if (!st->walking) {
		/* the report keeps the counts and findings, not the tree:
		 * included trees are summarized across the domains */
		if (spf_walk_start(&st->walk, r, memo, domain, NULL, 0,
		    SPF_WALK_MEMO) != 0)
			return -1;
		st->walking = true;
	}
	for (unsigned waits = 0; !st->walked; waits++) {
		if ((rc = spf_walk_step(&st->walk)) != 0 ||
		    dns_resolver_deferring(r) || waits == 4 * SPF_MAX_LOOKUPS)
			break;
		dns_resolver_wait(r);
	}
	if (rc == 1) {
		spf_walk_finish(&st->walk);
		st->walked = true;
	}
	return st->walked ? 1 : rc;
}

/* The SPF walk as a report: its findings are copied into rp */
static void
spf_area(dns_resolver_t *r, spf_store_t *memo, const char *domain,
    audit_state_t *st, audit_result_t *res)
{
	lint_report_t *rp = &res->area[AUDIT_SPF];
	const spf_walk_t *w = &st->walk;
	int rc = spf_walk_on(r, memo, domain, st);

	snprintf(rp->owner, sizeof(rp->owner), "%s", domain);
	if (rc < 0)
		return;
	if (rc == 0) {	/* this run's result stands only at the deadline */
		rp->dns_failed = true;
		snprintf(rp->error, sizeof(rp->error), "SPF: the walk did not "
		    "finish in time");
		return;
	}
	res->lookups = w->lookups;
	res->voids = w->voids;
	if (w->root && w->root->text)
		rp->record = strdup(w->root->text);
	rp->absent = lint_findings_has(&w->findings,
	    spf_codes[SPF_NO_RECORD].code);
	rp->dns_failed = w->dns_failed;
	for (size_t i = 0; w->dns_failed && i < w->findings.n; i++)
		if (w->findings.v[i].code == &spf_codes[SPF_DNS_FAILURE]) {
			snprintf(rp->error, sizeof(rp->error), "SPF: %s",
			    w->findings.v[i].message);
			break;
		}
	lint_findings_clear(&rp->f);
	lint_findings_append(&rp->f, &w->findings);
}

/* The policy that applies to domain from where it was found, or "" */
static void
dmarc_policy(const char *domain, const dmarc_found_t *d, char *out,
    size_t len)
{
	dmarc_record_t rec;
	lint_findings_t scratch;

	out[0] = '\0';
	if (d->record == NULL)
		return;
	lint_findings_init(&scratch);
	dmarc_record_parse(d->record, "", true, &rec, &scratch);
	if (rec.usable)
		snprintf(out, len, "%s", dmarc_policy_str(dmarc_record_policy(
		    &rec, strcmp(d->domain, domain) == 0, false)));
	dmarc_record_clear(&rec);
	lint_findings_clear(&scratch);
}

audit_result_t *
audit_domain_run(const audit_opts_t *ao, dns_resolver_t *r, const char *domain,
    audit_state_t *st)
{
	audit_result_t *res = calloc(1, sizeof(*res) +
	    ao->nselectors * sizeof(res->dkim[0]));
	dmarc_found_t d;
	mtasts_policy_t pol;
	const char *policy;
	size_t plen;

	if (res == NULL)
		return NULL;
	snprintf(res->domain, sizeof(res->domain), "%s", domain);
	for (size_t i = 0; i < AUDIT_NAREAS; i++)
		lint_report_init(&res->area[i]);
	mx_domain_check(r, domain, &res->area[AUDIT_MX], &res->null_mx);
	spf_area(r, ao->memo, domain, st, res);
	dmarc_domain_check(r, domain, NULL, ao->rfc7489, &res->area[AUDIT_DMARC],
	    &d);
	dmarc_policy(domain, &d, res->policy, sizeof(res->policy));
	free(d.record);
	for (size_t i = 0; i < ao->nselectors; i++) {
		lint_report_init(&res->dkim[i]);
		dkim_domain_check(r, domain, ao->selectors[i], NULL,
		    &res->dkim[i]);
		res->ndkim++;
	}
	bimi_domain_check(r, domain, ao->bimi_selector ? ao->bimi_selector :
	    "default", NULL, &res->area[AUDIT_BIMI], &d);
	free(d.record);
	memset(&pol, 0, sizeof(pol));
	mtasts_domain_check(r, domain, NULL, &st->src, false,
	    &res->area[AUDIT_MTASTS], &pol);
	snprintf(res->mode, sizeof(res->mode), "%s", pol.mode);
	mtasts_policy_clear(&pol);
	if ((policy = mtasts_source_policy(&st->src, &plen)) != NULL)
		util_sha256_hex(policy, plen, res->sts_policy);
	tlsrpt_domain_check(r, domain, NULL, &res->area[AUDIT_TLSRPT]);
	if (ao->parked)
		parked_domain_check(r, domain, &res->area[AUDIT_PARKED]);

	snprintf(res->area[AUDIT_TLS].owner, sizeof(res->area[AUDIT_TLS].owner),
	    "%s", domain);
	/* skipped until the command line's probes fill it in */
	res->area[AUDIT_TLS].skipped = true;
	snprintf(res->area[AUDIT_TLS].skipped_why,
	    sizeof(res->area[AUDIT_TLS].skipped_why), "%s", res->null_mx ?
	    "null MX: the domain takes no mail" : ao->no_connect ?
	    "no SMTP connection (--no-connect, --offline)" :
	    "not probed in time");
	audit_result_settle(res, ao);
	return res;
}

void
audit_result_settle(audit_result_t *res, const audit_opts_t *ao)
{
	for (size_t i = 0; i < AUDIT_NAREAS; i++)
		res->verdict[i] = verdict(&res->area[i], i == AUDIT_BIMI ||
		    i == AUDIT_MTASTS || i == AUDIT_TLSRPT);
	/* DKIM: the worst of its selectors; none asked, nothing to say */
	res->verdict[AUDIT_DKIM] = AUDIT_SKIPPED;
	for (size_t i = 0; i < res->ndkim; i++) {
		audit_verdict_t v = verdict(&res->dkim[i], false);

		res->dkim_verdict[i] = v;
		if (i == 0 || v > res->verdict[AUDIT_DKIM])
			res->verdict[AUDIT_DKIM] = v;
	}
	if (!ao->parked)
		res->verdict[AUDIT_PARKED] = AUDIT_SKIPPED;
	res->overall = AUDIT_PASS;
	for (size_t i = 0; i < AUDIT_NAREAS; i++)
		if (res->verdict[i] >= AUDIT_WARN && res->verdict[i] >
		    res->overall)
			res->overall = res->verdict[i];
}

void
audit_result_free(audit_result_t *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < AUDIT_NAREAS; i++)
		lint_report_clear(&res->area[i]);
	for (size_t i = 0; i < res->ndkim; i++)
		lint_report_clear(&res->dkim[i]);
	free(res);
}


const char *
audit_result_error(const audit_result_t *res)
{
	for (size_t i = 0; i < AUDIT_NAREAS; i++)
		if (res->area[i].dns_failed)
			return res->area[i].error;
	for (size_t i = 0; i < res->ndkim; i++)
		if (res->dkim[i].dns_failed)
			return res->dkim[i].error;
	return NULL;
}
