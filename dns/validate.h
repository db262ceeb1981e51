/*
 * DNSSEC validation here, from a trust anchor the user gives, for what a
 * validating resolver's AD bit cannot tell: an authoritative server (no
 * AD ever), or a resolver that is not trusted.  libldns does the work:
 * the RRset is asked again with DO and CD (so a validating resolver hands
 * over what it judged bogus too), and ldns_verify_trusted walks its
 * signer's DNSKEY RRset up through DS records to a key of the anchor file.
 * Where the name has no such records, the NSEC or NSEC3 records of the
 * answer are verified so, each, and then for what they prove (the name,
 * or its type, absent, and no wildcard that would make it: RFC 4035 5.4,
 * RFC 5155 8), by ldns_dnssec_verify_denial and its NSEC3 twin.
 *
 * The anchor file holds DS or DNSKEY records in zone-file syntax (what
 * ldns-keygen writes as KEY.ds, Unbound's trust-anchor-file, the root's
 * root.key).  The questions are synchronous, a timeout a try: they are
 * asked only for a handful of names (the TLSA owners of the MX hosts
 * found), never for a whole batch's names.
 *
 * The validator owns its ldns resolver and anchors; free it with
 * dns_validator_free.
 */
#ifndef AUTHZONE_DNS_VALIDATE_H
#define AUTHZONE_DNS_VALIDATE_H

#include <stddef.h>

#include <ldns/ldns.h>

typedef enum dns_validation {
	DNS_VALID_SECURE,	/* signed, the chain reaches an anchor */
	DNS_VALID_INSECURE,	/* no signature, or no anchor above it */
	DNS_VALID_BOGUS,	/* signed, but the chain or a signature fails */
	DNS_VALID_FAILED,	/* the questions got no usable answer */
} dns_validation_t;

typedef struct dns_validator dns_validator_t;

/** A validator over the servers given ("ADDR[@PORT]", all on the first
 * one's port; none: /etc/resolv.conf's) with the anchors of anchor_file,
 * each try waiting timeout_ms; NULL with why in err. */
dns_validator_t *dns_validator_new(const char *anchor_file,
    const char *const *servers, size_t nservers, unsigned timeout_ms,
    char *err, size_t errlen);
void dns_validator_free(dns_validator_t *v);

/** Validates the RRset of type at owner, or, when there is none, the
 * proof of that (secure: proven); why says how (the anchor's key tag, the
 * NSEC records) or why not. */
dns_validation_t dns_validator_check(dns_validator_t *v, const char *owner,
    ldns_rr_type type, char *why, size_t whylen);

/** "secure", "insecure", "bogus" or "failed". */
const char *dns_validation_str(dns_validation_t s);

#endif
