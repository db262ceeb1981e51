#include "zonegen/dkim.h"

#include <errno.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"

EVP_PKEY *
zg_dkim_key_new(unsigned bits)
{
	return bits ? EVP_RSA_gen(bits) : EVP_PKEY_Q_keygen(NULL, NULL,
	    "ED25519");
}

EVP_PKEY *
zg_dkim_key_load(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *pem = util_file_read(path, 1u << 20, &len, NULL, err, errlen);
	BIO *bio;
	EVP_PKEY *key = NULL;

	if (pem == NULL)
		return NULL;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) != NULL)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	explicit_bzero(pem, len);	/* a private key */
	free(pem);
	if (key == NULL || zg_dkim_key_type(key) == NULL) {
		snprintf(err, errlen, "%s: not an RSA or Ed25519 private key "
		    "in PEM", path);
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

char *
zg_dkim_key_pem(EVP_PKEY *key, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (bio && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL,
	    NULL) && (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(bio);
	return out;
}

const char *
zg_dkim_key_type(EVP_PKEY *key)
{
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		return "rsa";
	case EVP_PKEY_ED25519:
		return "ed25519";
	}
	return NULL;
}

char *
zg_dkim_public_b64(EVP_PKEY *key)
{
	unsigned char raw[32], *der = NULL;
	size_t rlen = sizeof(raw);
	int len;
	char *out;

	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
		if (!EVP_PKEY_get_raw_public_key(key, raw, &rlen) || rlen != 32)
			return NULL;
		der = raw;
		len = 32;
	} else if ((len = i2d_PUBKEY(key, &der)) <= 0)
		return NULL;
	if ((out = malloc((size_t)(4 * ((len + 2) / 3) + 1))) != NULL)
		EVP_EncodeBlock((unsigned char *)out, der, len);
	if (der != raw)
		OPENSSL_free(der);
	return out;
}
