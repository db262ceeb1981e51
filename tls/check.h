/*
 * What a sending MTA makes of one MX address, from what the STARTTLS
 * probe (tls/smtp.h) saw and the TLSA RRset (RFC 7672):
 *   - the TLS version: 1.0 and 1.1 are errors (RFC 8996), 1.2 a note;
 *   - the certificate: its chain to the trust store (or the CA file
 *     given), its expiry (a warning under the days given), the MX name
 *     it covers (RFC 6125 as RFC 7817 and RFC 8461 4.2 apply it: the
 *     name itself or a wildcard for its first label only);
 *   - DANE: whether the RRset was validated (the AD bit of a validating
 *     resolver, or here from --trust-anchor: then a bogus RRset is an
 *     error, as DANE senders defer the mail), which records are usable for SMTP (usages 2 and 3,
 *     RFC 7672 3.1.3), and whether one matches the chain: DANE-EE the
 *     server's certificate or key, DANE-TA a certificate of the chain
 *     (with the name checked then).  A matching DANE-EE record makes
 *     the PKIX verdicts (chain, names, expiry) notes: DANE senders do not
 *     use them (RFC 7672 3.1.1).
 * Findings are data (tls_codes, one row a code); nothing here prints.
 */
#ifndef AUTHZONE_TLS_CHECK_H
#define AUTHZONE_TLS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "dns/dns.h"
#include "dns/validate.h"
#include "lint/finding.h"
#include "lint/tlsa.h"
#include "tls/smtp.h"

enum tls_row {
	TLS_CONNECT, TLS_BANNER, TLS_EHLO, TLS_NO_STARTTLS, TLS_STARTTLS,
	TLS_HANDSHAKE, TLS_OLD_VERSION, TLS_V12, TLS_UNTRUSTED, TLS_EXPIRED,
	TLS_EXPIRING, TLS_NAME, TLS_DANE_NONE, TLS_DANE_INSECURE,
	TLS_DANE_UNUSABLE, TLS_DANE_MISMATCH, TLS_DANE_MATCH,
	TLS_DANE_NEXT_KEY, TLS_PKIX_IGNORED, TLS_STS_CERT, TLS_STS_CERT_TESTING,
	TLS_DANE_BOGUS, TLS_DANE_VALIDATED, TLS_DANE_NONE_PROVEN,
	TLS_DANE_DENIAL_BOGUS, TLS_ROWS
};

extern const lint_code_t tls_codes[TLS_ROWS];

typedef struct tls_check_options {
	X509_STORE *store;	/* the trust store */
	unsigned expiry_warn;	/* days; a warning under it */
	time_t now;
	EVP_PKEY *next_key;	/* --next-key: a record must match it */
	dns_validator_t *validator;	/* --trust-anchor: TLSA validated here */
} tls_check_options_t;

/* A TLSA RRset validated here (dns/validate.h), not by the AD bit */
typedef struct tls_dnssec {
	bool checked;
	dns_validation_t state;
	char why[240];
} tls_dnssec_t;

typedef struct tls_cert_verdict {
	bool present;		/* a chain was seen */
	bool valid;		/* chains to the store, in its dates */
	bool names_ok;		/* covers the MX name */
	char error[128];	/* why the chain does not verify */
	char not_after[32];	/* "2027-03-01T12:00:00Z" */
	long days_left;
	char issuer[256], subject[256];
} tls_cert_verdict_t;

typedef struct tls_dane_verdict {
	bool present;		/* TLSA records at the owner */
	bool dnssec;		/* validated (AD, or here): the records, or
				 * that there are none */
	const char *validated_by;	/* "resolver", "trust-anchor" or NULL */
	const char *validation;	/* here: "secure", "insecure", "bogus",
				 * "failed"; NULL when not checked here */
	bool bogus;		/* validated here and bogus */
	bool usable;		/* a record of usage 2 or 3, well formed */
	bool matched;		/* one of those matches the chain */
	char match[160];	/* the matching record (a full one cut) */
	size_t nrecords;
} tls_dane_verdict_t;

/** The X509_STORE of the system (or of ca_file when given); NULL with
 * why in err.  Free with X509_STORE_free. */
X509_STORE *tls_store_new(const char *ca_file, char *err, size_t errlen);
/** The same of the PEM certificates in pem (len bytes). */
X509_STORE *tls_store_pem(const char *pem, size_t len, char *err,
    size_t errlen);

/** Judges probe p (tlsa: the answer for _PORT._tcp.HOST, or NULL when
 * DANE is not looked at; dnssec: its validation here, or NULL when the AD
 * bit is all there is) into cert and dane, adding findings to f. */
void tls_check_probe(const smtp_probe_t *p, const dns_answer_t *tlsa,
    const char *owner, const tls_dnssec_t *dnssec,
    const tls_check_options_t *o, tls_cert_verdict_t *cert,
    tls_dane_verdict_t *dane, lint_findings_t *f);

#endif
