#include "tls/tlsa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

void
tls_source_clear(tls_source_t *s)
{
	for (size_t i = 0; i < s->ncerts; i++)
		X509_free(s->certs[i]);
	EVP_PKEY_free(s->key);
	memset(s, 0, sizeof(*s));
}

/* The PEM blocks of buf: certificates, else the first key; 0 when one
 * of them was read */
static int
read_pem(const char *buf, size_t len, tls_source_t *s)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	X509 *c;

	if (bio == NULL)
		return -1;
	while (s->ncerts < sizeof(s->certs) / sizeof(s->certs[0]) &&
	    (c = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		s->certs[s->ncerts++] = c;
	BIO_free(bio);
	if (s->ncerts > 0)
		return 0;
	/* no certificate: a public key, else a private key's public half;
	 * a private key asks for no passphrase (the callback gets none) */
	if ((bio = BIO_new_mem_buf(buf, (int)len)) != NULL)
		s->key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (s->key == NULL && (bio = BIO_new_mem_buf(buf, (int)len)) != NULL) {
		s->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
		BIO_free(bio);
	}
	return s->key ? 0 : -1;
}

int
tls_source_read(const char *buf, size_t len, const char *what,
    tls_source_t *s, char *err, size_t errlen)
{
	const unsigned char *p = (const unsigned char *)buf;
	X509 *c;

	memset(s, 0, sizeof(*s));
	if (len > 0 && len < (size_t)1 << 30 && read_pem(buf, len, s) == 0)
		return 0;
	ERR_clear_error();
	if (len > 0 && len < (size_t)1 << 30 &&
	    (c = d2i_X509(NULL, &p, (long)len)) != NULL) {
		if (p == (const unsigned char *)buf + len) {
			s->certs[s->ncerts++] = c;
			return 0;
		}
		X509_free(c);
	}
	p = (const unsigned char *)buf;
	if (len > 0 && len < (size_t)1 << 30 &&
	    (s->key = d2i_PUBKEY(NULL, &p, (long)len)) != NULL) {
		if (p == (const unsigned char *)buf + len)
			return 0;
		tls_source_clear(s);
	}
	ERR_clear_error();
	snprintf(err, errlen, "%s: no certificate, public key or private key "
	    "(PEM or DER) in it", what);
	return -1;
}

int
tls_tlsa_make(X509 *cert, EVP_PKEY *key, unsigned usage, unsigned selector,
    unsigned mtype, tlsa_record_t *r)
{
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	int n;

	if (cert == NULL && (selector == 0 || key == NULL))
		return -1;
	if (selector == 0)
		n = i2d_X509(cert, &der);
	else
		n = i2d_PUBKEY(cert ? X509_get0_pubkey(cert) : key, &der);
	if (n <= 0)
		return -1;
	r->usage = usage;
	r->selector = selector;
	r->mtype = mtype;
	if (mtype == 0) {
		if ((size_t)n > sizeof(r->data)) {
			OPENSSL_free(der);
			return -1;
		}
		memcpy(r->data, der, (size_t)n);
		r->len = (size_t)n;
	} else if (EVP_Digest(der, (size_t)n, r->data, &mdlen, mtype == 1 ?
	    EVP_sha256() : EVP_sha512(), NULL) != 1) {
		OPENSSL_free(der);
		return -1;
	} else
		r->len = mdlen;
	OPENSSL_free(der);
	return 0;
}

char *
tls_tlsa_text(const tlsa_record_t *r)
{
	char *t = malloc(16 + 2 * r->len);
	int n;

	if (t == NULL)
		return NULL;
	n = snprintf(t, 16, "%u %u %u ", r->usage, r->selector, r->mtype);
	for (size_t i = 0; i < r->len; i++)
		snprintf(t + n + 2 * i, 3, "%02X", r->data[i]);
	return t;
}

bool
tls_cert_is_ca(X509 *cert)
{
	return X509_check_ca(cert) != 0 &&
	    (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
}

void
tls_cert_subject(X509 *cert, char *buf, size_t len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n = 0;

	buf[0] = '\0';
	if (bio == NULL)
		return;
	if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
	    XN_FLAG_RFC2253) >= 0 && (n = BIO_read(bio, buf, (int)len - 1)) > 0)
		buf[n] = '\0';
	BIO_free(bio);
}
