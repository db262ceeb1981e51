/*
 * TLSA association data (RFC 6698 2.1) computed from what a server holds:
 * its certificate chain, its public key or its private key, as PEM or
 * DER.  The record's form and checks are lint/tlsa.h's.
 */
#ifndef AUTHZONE_TLS_TLSA_H
#define AUTHZONE_TLS_TLSA_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lint/tlsa.h"

/* What a file held: certificates (the leaf first, as servers send them),
 * or a key alone */
typedef struct tls_source {
	X509 *certs[16];
	size_t ncerts;
	EVP_PKEY *key;		/* with no certificate: the public key */
} tls_source_t;

/** Reads buf (len bytes): PEM certificates (up to 16), a PEM public key
 * or private key (the public half is kept), or one DER certificate or
 * SubjectPublicKeyInfo; 0, or -1 with why in err.  what names it in the
 * message.  Free with tls_source_clear. */
int tls_source_read(const char *buf, size_t len, const char *what,
    tls_source_t *s, char *err, size_t errlen);
void tls_source_clear(tls_source_t *s);

/** The record of usage, selector and mtype for cert (or, with cert NULL
 * and selector 1, for key) into r; 0, or -1 (selector 0 without a
 * certificate, or no memory). */
int tls_tlsa_make(X509 *cert, EVP_PKEY *key, unsigned usage,
    unsigned selector, unsigned mtype, tlsa_record_t *r);

/** r's presentation form, "3 1 1 0A1B...": hex in upper case, as
 * ldns and BIND print it.  The caller frees it. */
char *tls_tlsa_text(const tlsa_record_t *r);

/** True when cert is a CA certificate (basicConstraints CA:TRUE). */
bool tls_cert_is_ca(X509 *cert);

/** cert's subject, one line ("CN=mx.example.com"), into buf. */
void tls_cert_subject(X509 *cert, char *buf, size_t len);

#endif
