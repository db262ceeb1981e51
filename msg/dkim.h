/*
 * DKIM signatures (RFC 6376) of a message: canonicalization (simple and
 * relaxed, header and body, 3.4), the DKIM-Signature tag list (3.5), the
 * hashes and signatures of rsa-sha256, rsa-sha1 (verified, weak: RFC
 * 8301) and ed25519-sha256 (RFC 8463), verifying with the key record
 * from DNS (3.6.2) and signing.  Results carry RFC 8601's names.
 *
 * Nothing here prints; a verdict says what it found and why.
 */
#ifndef AUTHZONE_MSG_DKIM_H
#define AUTHZONE_MSG_DKIM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>

#include "dns/dns.h"
#include "msg/message.h"

#define DKIM_MAX_H	64	/* header fields a signature names */

typedef enum dkim_result {
	DKIM_RES_PASS, DKIM_RES_FAIL, DKIM_RES_NEUTRAL, DKIM_RES_POLICY,
	DKIM_RES_TEMPERROR, DKIM_RES_PERMERROR,
} dkim_result_t;

extern const char *const dkim_result_names[];	/* "pass", ... */

typedef struct dkim_verdict {
	dkim_result_t result;
	char d[256], s[64], a[32], i[300];
	bool weak;		/* rsa-sha1, or an RSA key under 2048 bits */
	bool testing;		/* the key record says t=y */
	unsigned bits;		/* the key's */
	char reason[700];	/* why not pass; for pass, what was checked */
} dkim_verdict_t;

/** Verifies the DKIM-Signature in field sig of m, the key asked from r
 * (the caller's resolver: --zone answers first); now for x=. */
void dkim_verify(const msg_t *m, size_t sig, dns_resolver_t *r, time_t now,
    dkim_verdict_t *v);

/** ARC (RFC 8617 5.2): the sets' structure (every instance once in each
 * of ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal; cv=
 * none for the first, pass after), the newest ARC-Message-Signature
 * verified as a DKIM signature is, and every ARC-Seal over the sets up to
 * its own.  "none" (no set), "pass", "fail" or "temperror", with why;
 * *sets how many there are. */
const char *arc_verify(const msg_t *m, dns_resolver_t *r, time_t now,
    size_t *sets, char *why, size_t whylen);

typedef struct dkim_sign_options {
	const char *d, *s;
	const char *const *h;	/* the fields to sign, in order; a name
				 * given twice is signed as often (and
				 * over-signed past the fields there are) */
	size_t nh;
	bool simple_header, simple_body;	/* default relaxed/relaxed */
	time_t t;		/* 0: no t= */
} dkim_sign_options_t;

/** The DKIM-Signature field (folded, its CRLF at the end) that key
 * (RSA: rsa-sha256; Ed25519: ed25519-sha256) makes over m; NULL with why
 * in err.  The caller frees it. */
char *dkim_sign(const msg_t *m, EVP_PKEY *key, const dkim_sign_options_t *o,
    char *err, size_t errlen);

/** The canonical form of the body (relaxed or simple), cut at l bytes
 * when l >= 0, into a buffer the caller frees; *len its length. */
char *dkim_canon_body(const char *body, size_t len, bool relaxed, long l,
    size_t *outlen);
/** The canonical form of one header field (raw, rawlen bytes), CRLF at
 * its end; the caller frees it. */
char *dkim_canon_field(const char *raw, size_t rawlen, bool relaxed,
    size_t *outlen);

#endif
