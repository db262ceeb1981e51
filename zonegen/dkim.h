/* DKIM keys (RFC 6376, RFC 8463): generation, loading, and the p= value. */
#ifndef AUTHZONE_ZONEGEN_DKIM_H
#define AUTHZONE_ZONEGEN_DKIM_H

#include <openssl/evp.h>
#include <stddef.h>

/** A new RSA key of bits bits, or an Ed25519 key when bits is 0; NULL on
 * failure.  Free with EVP_PKEY_free. */
EVP_PKEY *zg_dkim_key_new(unsigned bits);
/** The private key read from a PEM file; NULL with a message in err. */
EVP_PKEY *zg_dkim_key_load(const char *path, char *err, size_t errlen);
/** The private key as PKCS#8 PEM; the caller frees it. */
char *zg_dkim_key_pem(EVP_PKEY *key, size_t *len);
/** "rsa" or "ed25519", or NULL for another kind of key. */
const char *zg_dkim_key_type(EVP_PKEY *key);
/** The p= value: base64 of the SubjectPublicKeyInfo (RSA) or of the raw
 * 32-byte key (Ed25519, RFC 8463 4.2).  The caller frees it. */
char *zg_dkim_public_b64(EVP_PKEY *key);

#endif
