/*
 * SHA-256 as lowercase hex, of a buffer or of data given in pieces (a
 * file checked as it is read or written), and base64.  On libcrypto.
 */
#ifndef AUTHZONE_UTIL_DIGEST_H
#define AUTHZONE_UTIL_DIGEST_H

#include <stddef.h>

/** The hex SHA-256 of data into out (65 bytes). */
void util_sha256_hex(const void *data, size_t len, char out[65]);

/* The same over pieces: util_sha256_init, _add as often as needed, _end
 * (which frees what init took, also on no memory: the hex is then "") */
typedef struct util_sha256 {
	void *ctx;
} util_sha256_t;

void util_sha256_init(util_sha256_t *h);
void util_sha256_add(util_sha256_t *h, const void *data, size_t len);
void util_sha256_end(util_sha256_t *h, char out[65]);

/** The bytes of base64 text s (white space between its characters
 * ignored, as DKIM tag values fold), *len of them; NULL when it is not
 * base64.  The caller frees it. */
unsigned char *util_b64_decode(const char *s, size_t *len);
/** len bytes as base64 (no line breaks); the caller frees it. */
char *util_b64_encode(const unsigned char *data, size_t len);

#endif
