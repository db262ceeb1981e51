/*
 * Record-level checks of the tag-list records: DKIM keys, TLS-RPT, the
 * MTA-STS TXT record and BIMI (DMARC has lint/dmarc.h).  Each type keeps its own table of
 * findings; each check parses the record, adds what it finds to f, and
 * never touches the network.
 */
#ifndef AUTHZONE_LINT_TAGREC_H
#define AUTHZONE_LINT_TAGREC_H

#include <stdbool.h>

#include "lint/finding.h"
#include "lint/taglist.h"

/** The part every tag-list record shares: syntax, "v=VERSION" first and
 * exact (or absent, when optional), no duplicate tag, reported with the
 * given codes (syntax, version, duplicate).  Returns 0 with the tags in *t
 * (cleared by the caller), or -1 when the record is not parsable at all. */
int lint_tagrec_open(const char *text, const char *where,
    const char *version, bool optional, const lint_code_t *codes,
    lint_taglist_t *t, lint_findings_t *f);

/* The rows of dkim_codes */
enum dkim_row {
	DKIM_SYNTAX, DKIM_VERSION, DKIM_DUPLICATE, DKIM_NO_KEY, DKIM_BAD_BASE64,
	DKIM_BAD_KEY, DKIM_KEY_TYPE, DKIM_ED25519_LENGTH, DKIM_RSA_TOO_SMALL,
	DKIM_RSA_WEAK, DKIM_RSA_LARGE, DKIM_PKCS1, DKIM_UNKNOWN_K, DKIM_TESTING,
	DKIM_SHA1, DKIM_SERVICE, DKIM_REVOKED, DKIM_KEY, DKIM_NO_RECORD,
	DKIM_MULTIPLE, DKIM_KEY_MATCH, DKIM_KEY_MISMATCH, DKIM_ROWS
};

/* One table per record type, sized by its enum's last row.  The first
 * three rows of each are the ones lint_tagrec_open reports (syntax,
 * version, duplicate), in that order. */
enum tlsrpt_row {
	TLSRPT_SYNTAX, TLSRPT_VERSION, TLSRPT_DUPLICATE, TLSRPT_NO_RUA,
	TLSRPT_BAD_URI, TLSRPT_NO_RECORD, TLSRPT_MULTIPLE, TLSRPT_RUA_NO_MX,
	TLSRPT_RUA_NULL_MX, TLSRPT_ROWS
};

enum mtasts_row {
	MTASTS_SYNTAX, MTASTS_VERSION, MTASTS_DUPLICATE, MTASTS_NO_ID,
	MTASTS_BAD_ID, MTASTS_NO_RECORD, MTASTS_MULTIPLE, MTASTS_ROWS
};

enum bimi_row {
	BIMI_SYNTAX, BIMI_VERSION, BIMI_DUPLICATE, BIMI_NO_LOGO,
	BIMI_BAD_VALUE, BIMI_DECLINED, BIMI_NO_RECORD, BIMI_MULTIPLE,
	BIMI_FALLBACK, BIMI_DMARC, BIMI_ROWS
};

extern const lint_code_t dkim_codes[DKIM_ROWS];
extern const lint_code_t tlsrpt_codes[TLSRPT_ROWS];
extern const lint_code_t mtasts_codes[MTASTS_ROWS];
extern const lint_code_t bimi_codes[BIMI_ROWS];

/** A DKIM key record (RFC 6376 3.6.1, RFC 8301, RFC 8463). */
void dkim_record_check(const char *text, const char *where,
    lint_findings_t *f);
/** Whether the key record holds the public half of the private key priv
 * (read from keyfile): DKIM_KEY_MATCH or DKIM_KEY_MISMATCH in f, as
 * opendkim-testkey tells.  priv is an EVP_PKEY. */
void dkim_record_key_check(const char *text, const char *where,
    const void *priv, const char *keyfile, lint_findings_t *f);
/** The public key of a DKIM key record (RSA: SubjectPublicKeyInfo or a
 * bare RSAPublicKey; k=ed25519: the raw 32 bytes), or NULL when it has
 * none (revoked, absent, not base64, no such key).  An EVP_PKEY *, freed
 * with EVP_PKEY_free. */
void *dkim_record_public_key(const char *text);
/** The same of a key record already parsed into tags. */
void *dkim_tags_public_key(const lint_taglist_t *t);
/** The _smtp._tls record (RFC 8460 3). */
void tlsrpt_record_check(const char *text, const char *where,
    lint_findings_t *f);
/** The _mta-sts record (RFC 8461 3.1). */
void mtasts_record_check(const char *text, const char *where,
    lint_findings_t *f);
/** The BIMI assertion record. */
void bimi_record_check(const char *text, const char *where,
    lint_findings_t *f);

#endif
