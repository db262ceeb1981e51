/*
 * The checks of a domain through DNS, one per record type, as the linters
 * and mail-audit share them: find the record where receivers look for it,
 * check it with the record checks of tagrec.h, and follow what it points
 * to (report destinations, the DMARC policy a BIMI record depends on, the
 * MTA-STS policy and the MX hosts it must cover).
 *
 * Each fills a lint_report_t the caller owns.  A DNS failure does not stop
 * a check: it is noted in the report (the first one in error) and the
 * check goes on with what it has, so that in the resolver's deferred mode
 * one run submits every query it can already name.  Nothing here prints.
 */
#ifndef AUTHZONE_LINT_DOMAIN_CHECK_H
#define AUTHZONE_LINT_DOMAIN_CHECK_H

#include <stdbool.h>

#include "dns/dns.h"
#include "dns/https.h"
#include "lint/dmarc_discover.h"
#include "lint/finding.h"
#include "lint/mtasts_policy.h"

typedef struct lint_report {
	char owner[600];	/* where the record is, or was looked for */
	char *record;		/* the record checked, or NULL */
	bool absent;		/* no record of the type there */
	bool dns_failed;	/* a lookup or fetch failed: incomplete */
	char error[400];	/* the first failure: "NAME TYPE: timeout" */
	bool skipped;		/* a part was not checked on purpose */
	char skipped_why[200];	/* "not fetched: --offline" */
	lint_findings_t f;
} lint_report_t;

void lint_report_init(lint_report_t *rp);
void lint_report_clear(lint_report_t *rp);
/** Notes a failed lookup of name/type in rp (the first one is kept). */
void lint_report_dns_fail(lint_report_t *rp, const char *name,
    ldns_rr_type type, const dns_answer_t *a);

/** The TXT records at owner, each with its strings joined, or record
 * alone when it is given (a candidate standing for what is published).
 * -1 when the lookup failed (noted in rp); the caller frees *texts with
 * util_txt_free. */
int lint_txt_fetch(dns_resolver_t *r, const char *owner, const char *record,
    char ***texts, size_t *n, lint_report_t *rp);

/** A report destination must accept mail: adds no_mx when host has no MX
 * record, null_mx when it has the null MX (RFC 7505), at owner/offset. */
void lint_mailbox_domain_check(dns_resolver_t *r, const char *host,
    const lint_code_t *no_mx, const lint_code_t *null_mx, const char *owner,
    long offset, lint_report_t *rp);

/** The DKIM key at selector._domainkey.domain. */
void dkim_domain_check(dns_resolver_t *r, const char *domain,
    const char *selector, const char *record, lint_report_t *rp);

/** The _smtp._tls record and its mailto: destinations. */
void tlsrpt_domain_check(dns_resolver_t *r, const char *domain,
    const char *record, lint_report_t *rp);

/** The DMARC policy that applies to domain (the RFC 9989 tree walk; record
 * stands for the domain's own), its report destinations and what it
 * means.  *d tells where it was found; the caller frees d->record. */
void dmarc_domain_check(dns_resolver_t *r, const char *domain,
    const char *record, bool rfc7489, lint_report_t *rp, dmarc_found_t *d);

/** The BIMI record at selector._bimi.domain, or at the organizational
 * domain's, and its DMARC prerequisite; the caller frees d->record. */
void bimi_domain_check(dns_resolver_t *r, const char *domain,
    const char *selector, const char *record, lint_report_t *rp,
    dmarc_found_t *d);

/* Where an MTA-STS policy comes from: the text of a file, or a fetch kept
 * here across reruns of the check (so a batch fetches it once). */
typedef struct mtasts_source {
	const char *text;	/* --policy: the policy itself, or NULL */
	size_t len;
	const https_options_t *https;
	bool fetched;
	https_status_t status;
	https_result_t res;
	char url[400];
} mtasts_source_t;

void mtasts_source_clear(mtasts_source_t *s);

/** The _mta-sts record; the policy (fetched only when the record exists,
 * unless always); its coverage of the domain's MX hosts; a TLS-RPT
 * record.  *pol is cleared by the caller with mtasts_policy_clear. */
void mtasts_domain_check(dns_resolver_t *r, const char *domain,
    const char *record, mtasts_source_t *src, bool always, lint_report_t *rp,
    mtasts_policy_t *pol);
/** The policy text src holds after mtasts_domain_check, or NULL. */
const char *mtasts_source_policy(const mtasts_source_t *src, size_t *len);

/* The rows of mx_codes */
enum mx_row {
	MX_NONE, MX_NONE_NO_ADDRESS, MX_NULL, MX_NULL_MIXED, MX_NULL_PREFERENCE,
	MX_HOST_NO_ADDRESS, MX_HOST_ALIAS, MX_HOST_ADDRESS, MX_HOSTS, MX_ROWS
};
extern const lint_code_t mx_codes[MX_ROWS];

/** The domain's MX records (RFC 5321 5.1, RFC 7505): the null MX alone or
 * hosts with addresses.  *null_mx tells whether it is the null MX. */
void mx_domain_check(dns_resolver_t *r, const char *domain, lint_report_t *rp,
    bool *null_mx);

/* The rows of parked_codes */
enum parked_row {
	PARKED_MX, PARKED_SPF, PARKED_DMARC, PARKED_DKIM, PARKED_LIVE_MX,
	PARKED_MX_UNCHECKED, PARKED_ROWS
};
extern const lint_code_t parked_codes[PARKED_ROWS];

/** Before a domain is declared mail-less: its live MX hosts, whose mail
 * the null MX would stop (PARKED_LIVE_MX), or PARKED_MX_UNCHECKED when DNS
 * could not tell.  Nothing when the domain has no MX or the null MX. */
void parked_mx_before(dns_resolver_t *r, const char *domain,
    lint_findings_t *f);

/** A domain that sends and receives no mail against the nomail set: the
 * null MX, "v=spf1 -all", DMARC p=reject, a revoked wildcard DKIM key. */
void parked_domain_check(dns_resolver_t *r, const char *domain,
    lint_report_t *rp);

#endif
