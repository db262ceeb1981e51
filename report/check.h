/*
 * dmarc-report --check: why a source fails DMARC, in terms of the
 * domain's records as they are now.  SPF is evaluated for the source's
 * address by the same check_host as spf-eval (lint/spf_eval.h), for the
 * envelope domain the reporter saw; each DKIM selector the source signed
 * with is looked up; and alignment with the From domain is checked
 * (relaxed: the same name, or one under the other).  The result says
 * which record to change and how (a spf-gen or dkim-gen command line).
 *
 * Ownership: a rep_check_t owns its strings; clear it with
 * rep_check_clear.
 */
#ifndef AUTHZONE_REPORT_CHECK_H
#define AUTHZONE_REPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/dns.h"
#include "report/feedback.h"

#define REP_CHECK_MAX	8	/* diagnoses (and fixes) of one source */

typedef enum rep_key {
	REP_KEY_PUBLISHED, REP_KEY_MISSING, REP_KEY_REVOKED, REP_KEY_BROKEN,
	REP_KEY_UNAVAILABLE, REP_KEY_COUNT
} rep_key_t;

typedef struct rep_check {
	char *spf_domain;	/* the envelope domain evaluated */
	char *spf_result;	/* check_host's result now */
	char *spf_mechanism;	/* the term that decided, or NULL */
	bool spf_aligned;
	char *dkim_domain, *dkim_selector;
	rep_key_t dkim_key;
	bool dkim_aligned;
	char *why[REP_CHECK_MAX];	/* sentences */
	char *fix[REP_CHECK_MAX];	/* command lines */
	size_t nwhy, nfix;
} rep_check_t;

/** Checks a failing row of a report on domain against the records in
 * DNS; 0, or -1 on no memory. */
int rep_check_row(rep_check_t *c, dns_resolver_t *r, const char *domain,
    const rep_row_t *row);
void rep_check_clear(rep_check_t *c);

const char *rep_key_str(rep_key_t k);

/** The next stage's record: the DMARC record that applies to domain now
 * (found as receivers find it), its p= set to next and every other tag
 * kept; where it is goes into owner.  NULL when none is found. */
char *rep_next_record(dns_resolver_t *r, const char *domain, const char *next,
    char *owner, size_t ownerlen);

/** Asks for the PTR record of ip, to be read by rep_ptr_name after the
 * resolver waited: many go out together. */
void rep_ptr_ask(dns_resolver_t *r, const char *ip);
/** The first PTR name of ip (the caller frees it), or NULL. */
char *rep_ptr_name(dns_resolver_t *r, const char *ip);

#endif
