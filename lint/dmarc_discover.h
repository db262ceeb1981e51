/* DMARC policy discovery (RFC 9989 4.10): the DNS tree walk. */
#ifndef AUTHZONE_LINT_DMARC_DISCOVER_H
#define AUTHZONE_LINT_DMARC_DISCOVER_H

#include "dns/dns.h"
#include "lint/finding.h"

#define DMARC_MAX_QUERIES 8

typedef struct dmarc_found {
	char *record;		/* the record that applies, or NULL */
	char domain[256];	/* where it was found */
	unsigned queries;
	char error[400];	/* the DNS failure that stopped the walk */
} dmarc_found_t;

/** Walks from domain (RFC 9989 4.10): its _dmarc name, then the names
 * above it (a name of more than 7 labels jumps to its last 7) down to the
 * top-level label, at most 8 queries, stopping at the first name with one
 * record that starts with v=DMARC1 (several at one name are all discarded
 * and the walk goes on); candidate, when given, stands for the domain's
 * own record.
 * Findings about the records seen go to f.  Returns 1 found, 0 none, -1
 * on a DNS failure; the caller frees out->record. */
int dmarc_discover(dns_resolver_t *r, const char *domain,
    const char *candidate, dmarc_found_t *out, lint_findings_t *f);

/** The Organizational Domain of domain (RFC 9989 4.10.2): the same walk
 * to its end, every record read; the first (longest) name whose record
 * says psd=n, else one label below the first name above domain whose
 * record says psd=y, else the name with a record and the fewest labels,
 * else domain itself.  0 with org set, or -1 on a DNS failure (err says
 * which). */
int dmarc_org_domain(dns_resolver_t *r, const char *domain, char *org,
    size_t orglen, char *err, size_t errlen);

#endif
