/*
 * SHA-256 as lowercase hex, of a buffer or of data given in pieces (a
 * file checked as it is read or written).  On libcrypto.
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

#endif
