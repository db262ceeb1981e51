#include "util/digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static void
hex(const unsigned char *md, unsigned len, char out[65])
{
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", i < len ? md[i] : 0);
}

void
util_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	hex(md, mdlen, out);
}

void
util_sha256_init(util_sha256_t *h)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		c = NULL;
	}
	h->ctx = c;
}

void
util_sha256_add(util_sha256_t *h, const void *data, size_t len)
{
	if (h->ctx)
		EVP_DigestUpdate(h->ctx, data, len);
}

void
util_sha256_end(util_sha256_t *h, char out[65])
{
	unsigned char md[32];
	unsigned mdlen = 0;

	out[0] = '\0';
	if (h->ctx && EVP_DigestFinal_ex(h->ctx, md, &mdlen) == 1)
		hex(md, mdlen, out);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

unsigned char *
util_b64_decode(const char *s, size_t *len)
{
	size_t n = 0, cap = strlen(s);
	char *b64 = malloc(cap + 1);
	unsigned char *out;
	int dl;

	if (b64 == NULL)
		return NULL;
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			b64[n++] = *s;
	b64[n] = '\0';
	out = n && n % 4 == 0 ? malloc(n) : NULL;
	dl = out && strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789+/=") == n ? EVP_DecodeBlock(out,
	    (unsigned char *)b64, (int)n) : -1;
	if (dl < 0) {
		free(out);
		free(b64);
		return NULL;
	}
	/* EVP_DecodeBlock counts the padding as data */
	*len = (size_t)dl - (b64[n - 1] == '=') - (n > 1 && b64[n - 2] == '=');
	free(b64);
	return out;
}

char *
util_b64_encode(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}
