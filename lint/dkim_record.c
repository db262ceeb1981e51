/* DKIM key record checks (RFC 6376 3.6.1, RFC 8301, RFC 8463). */
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lint/tagrec.h"
#include "util/digest.h"


const lint_code_t dkim_codes[DKIM_ROWS] = {
	[DKIM_SYNTAX] = { "dkim-syntax", LINT_ERROR,
	    "the tag list breaks at byte %zu", "RFC 6376 3.2", NULL },
	[DKIM_VERSION] = { "dkim-version", LINT_ERROR,
	    "v= must be %s and come first when present", "RFC 6376 3.6.1",
	    NULL },
	[DKIM_DUPLICATE] = { "dkim-duplicate-tag", LINT_ERROR,
	    "tag %s appears more than once", "RFC 6376 3.2", NULL },
	[DKIM_NO_KEY] = { "dkim-no-key", LINT_ERROR,
	    "no p= tag", "RFC 6376 3.6.1", NULL },
	[DKIM_BAD_BASE64] = { "dkim-bad-base64", LINT_ERROR,
	    "p= is not base64", "RFC 6376 3.6.1", NULL },
	[DKIM_BAD_KEY] = { "dkim-bad-key", LINT_ERROR,
	    "p= does not hold a public key", "RFC 6376 3.6.1", NULL },
	[DKIM_KEY_TYPE] = { "dkim-key-type-mismatch", LINT_ERROR,
	    "k=%s but p= holds %s", "RFC 6376 3.6.1", NULL },
	[DKIM_ED25519_LENGTH] = { "dkim-ed25519-length", LINT_ERROR,
	    "an Ed25519 key is 32 bytes, this one %zu", "RFC 8463 4.2",
	    NULL },
	[DKIM_RSA_TOO_SMALL] = { "dkim-rsa-too-small", LINT_ERROR,
	    "an RSA key of %d bits: verifiers refuse under 1024",
	    "RFC 8301 3.2", "publish a 2048-bit key" },
	[DKIM_RSA_WEAK] = { "dkim-rsa-weak", LINT_WARNING,
	    "an RSA key of %d bits: use 2048 or more", "RFC 8301 3.2", NULL },
	[DKIM_RSA_LARGE] = { "dkim-rsa-large", LINT_WARNING,
	    "an RSA key of %d bits: some verifiers refuse over 4096",
	    "RFC 8301 3.2", NULL },
	[DKIM_PKCS1] = { "dkim-pkcs1-key", LINT_WARNING,
	    "p= is a PKCS#1 key, not a SubjectPublicKeyInfo", "RFC 6376 3.6.1",
	    "publish the SubjectPublicKeyInfo (openssl pkey -pubout)" },
	[DKIM_UNKNOWN_K] = { "dkim-unknown-key-type", LINT_ERROR,
	    "k=%s: want rsa or ed25519", "RFC 8463 3", NULL },
	[DKIM_TESTING] = { "dkim-testing", LINT_WARNING,
	    "t=y: the domain is testing DKIM", "RFC 6376 3.6.1", NULL },
	[DKIM_SHA1] = { "dkim-sha1", LINT_WARNING,
	    "h= allows sha1, which must not be used", "RFC 8301 3.1", NULL },
	[DKIM_SERVICE] = { "dkim-service", LINT_WARNING,
	    "s=%s: the key does not serve email", "RFC 6376 3.6.1", NULL },
	[DKIM_REVOKED] = { "dkim-revoked", LINT_INFO,
	    "p= is empty: the key is revoked", "RFC 6376 3.6.1", NULL },
	[DKIM_KEY] = { "dkim-key", LINT_INFO,
	    "%s key, %d bits", NULL, NULL },
	[DKIM_NO_RECORD] = { "dkim-no-record", LINT_ERROR,
	    "no TXT record at %s", "RFC 6376 3.6.2.2",
	    "publish the selector's key record" },
	[DKIM_MULTIPLE] = { "dkim-multiple-records", LINT_WARNING,
	    "%zu TXT records at %s: verifiers may pick any", "RFC 6376 3.6.2.2",
	    "keep one" },
	[DKIM_KEY_MATCH] = { "dkim-key-matches", LINT_INFO,
	    "the record holds the public half of the private key in %s",
	    NULL, NULL },
	[DKIM_KEY_MISMATCH] = { "dkim-key-mismatch", LINT_ERROR,
	    "the record's key is not the public half of the private key in "
	    "%s%s: signatures made with it fail", "RFC 6376 3.6.1",
	    "publish the record of that key (dkim-gen --from-key)" },
};

/* The p= value of a key record decoded; NULL when there is none (absent,
 * empty: revoked, or not base64).  The caller frees it. */
static unsigned char *
p_decode(const lint_tag_t *p, size_t *dlen)
{
	return p ? util_b64_decode(p->value, dlen) : NULL;
}

void *
dkim_record_public_key(const char *text)
{
	lint_taglist_t t;
	size_t at;
	void *pub;

	lint_taglist_parse(text, strlen(text), &t, &at);
	pub = dkim_tags_public_key(&t);
	lint_taglist_clear(&t);
	return pub;
}

void *
dkim_tags_public_key(const lint_taglist_t *t)
{
	const lint_tag_t *k = lint_taglist_get(t, "k");
	unsigned char *der;
	const unsigned char *q;
	size_t dlen = 0;
	EVP_PKEY *pub = NULL;

	if ((der = p_decode(lint_taglist_get(t, "p"), &dlen)) != NULL) {
		if (k && strcmp(k->value, "ed25519") == 0)
			pub = dlen == 32 ? EVP_PKEY_new_raw_public_key(
			    EVP_PKEY_ED25519, NULL, der, 32) : NULL;
		else if ((q = der, pub = d2i_PUBKEY(NULL, &q,
		    (long)dlen)) == NULL) {
			q = der;
			pub = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)dlen);
		}
	}
	free(der);
	return pub;
}

void
dkim_record_key_check(const char *text, const char *where, const void *priv,
    const char *keyfile, lint_findings_t *f)
{
	EVP_PKEY *key = (EVP_PKEY *)priv, *pub = dkim_record_public_key(text);
	bool match = pub && EVP_PKEY_eq(pub, key) == 1;

	lint_findings_add(f, &dkim_codes[match ? DKIM_KEY_MATCH :
	    DKIM_KEY_MISMATCH], where, -1L, keyfile, pub ? "" :
	    " (the record has no usable key)");
	EVP_PKEY_free(pub);
}

/* The flags and the hash, service and key type tags */
static void
tag_checks(const lint_taglist_t *t, const char *where, lint_findings_t *f)
{
	const lint_tag_t *k = lint_taglist_get(t, "k"), *g;

	if (k && strcmp(k->value, "rsa") && strcmp(k->value, "ed25519"))
		lint_findings_add(f, &dkim_codes[DKIM_UNKNOWN_K], where,
		    (long)k->value_offset, k->value);
	if ((g = lint_taglist_get(t, "t")) && strchr(g->value, 'y'))
		lint_findings_add(f, &dkim_codes[DKIM_TESTING], where,
		    (long)g->offset);
	if ((g = lint_taglist_get(t, "h")) && strstr(g->value, "sha1"))
		lint_findings_add(f, &dkim_codes[DKIM_SHA1], where, (long)g->offset);
	if ((g = lint_taglist_get(t, "s")) && !strstr(g->value, "email") &&
	    !strchr(g->value, '*'))
		lint_findings_add(f, &dkim_codes[DKIM_SERVICE], where,
		    (long)g->offset, g->value);
}

/* p='s bytes (*dlen), or NULL: revoked (empty) or not base64, said */
static unsigned char *
p_checked(const lint_tag_t *p, const char *where, lint_findings_t *f,
    size_t *dlen)
{
	unsigned char *der;

	if (p->value[strspn(p->value, " \t\r\n")] == '\0') {
		lint_findings_add(f, &dkim_codes[DKIM_REVOKED], where,
		    (long)p->offset);
		return NULL;
	}
	if ((der = p_decode(p, dlen)) == NULL)
		lint_findings_add(f, &dkim_codes[DKIM_BAD_BASE64], where,
		    (long)p->value_offset);
	return der;
}

/* The key in der: Ed25519's length, or an RSA key and its size */
static void
key_check(const unsigned char *der, size_t dlen, const lint_tag_t *p,
    const lint_tag_t *k, const char *where, lint_findings_t *f)
{
	const unsigned char *q = der;
	EVP_PKEY *key;
	int bits;

	if (k && strcmp(k->value, "ed25519") == 0) {
		if (dlen != 32)
			lint_findings_add(f, &dkim_codes[DKIM_ED25519_LENGTH], where,
			    (long)p->value_offset, dlen);
		else
			lint_findings_add(f, &dkim_codes[DKIM_KEY], where, -1L,
			    "ed25519", 256);
		return;
	}
	if ((key = d2i_PUBKEY(NULL, &q, (long)dlen)) == NULL) {
		q = der;
		if ((key = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q,
		    (long)dlen)) != NULL)
			lint_findings_add(f, &dkim_codes[DKIM_PKCS1], where,
			    (long)p->value_offset);
	}
	if (key == NULL) {
		lint_findings_add(f, &dkim_codes[DKIM_BAD_KEY], where,
		    (long)p->value_offset);
		return;
	}
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		lint_findings_add(f, &dkim_codes[DKIM_KEY_TYPE], where,
		    (long)p->value_offset, k ? k->value : "rsa",
		    "another kind of key");
		EVP_PKEY_free(key);
		return;
	}
	bits = EVP_PKEY_get_bits(key);
	lint_findings_add(f, &dkim_codes[DKIM_KEY], where, -1L, "rsa", bits);
	if (bits < 1024)
		lint_findings_add(f, &dkim_codes[DKIM_RSA_TOO_SMALL], where,
		    (long)p->value_offset, bits);
	else if (bits < 2048)
		lint_findings_add(f, &dkim_codes[DKIM_RSA_WEAK], where,
		    (long)p->value_offset, bits);
	else if (bits > 4096)
		lint_findings_add(f, &dkim_codes[DKIM_RSA_LARGE], where,
		    (long)p->value_offset, bits);
	EVP_PKEY_free(key);
}

void
dkim_record_check(const char *text, const char *where, lint_findings_t *f)
{
	lint_taglist_t t;
	const lint_tag_t *p;
	unsigned char *der;
	size_t dlen = 0;

	/* v= is optional in a key record (RFC 6376 3.6.1) */
	if (lint_tagrec_open(text, where, "DKIM1", true, dkim_codes, &t,
	    f) != 0)
		return;
	tag_checks(&t, where, f);
	if ((p = lint_taglist_get(&t, "p")) == NULL)
		lint_findings_add(f, &dkim_codes[DKIM_NO_KEY], where, -1L);
	else if ((der = p_checked(p, where, f, &dlen)) != NULL) {
		key_check(der, dlen, p, lint_taglist_get(&t, "k"), where, f);
		free(der);
	}
	lint_taglist_clear(&t);
}
