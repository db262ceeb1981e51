/*
 * Domain names as text, the one form every layer compares: lowercase,
 * absolute without the final dot, odd bytes escaped as libldns prints
 * them (\\DDD), whatever path the name came by (the user, a zone file, an
 * answer, an SPF macro expansion).
 */
#ifndef AUTHZONE_UTIL_NAME_H
#define AUTHZONE_UTIL_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Writes name (presentation format) lowercased without its final dot
 * into out, with odd bytes escaped as ldns prints them; -1 if invalid
 * (empty label, label over 63, name over 253, or does not fit). */
int util_name_normalize(const char *name, char *out, size_t outlen);
/** The same for raw bytes, as SPF macro expansion makes them: every byte
 * is a byte of a label, dots separate labels. */
int util_name_from_raw(const char *raw, char *out, size_t outlen);
/** True when a and b are the same name or one lies under the other
 * (case-insensitive, normalized names). */
bool util_name_related(const char *a, const char *b);
/** The name of an address under in-addr.arpa (family AF_INET, 4 bytes)
 * or ip6.arpa (AF_INET6, 16 bytes), for its PTR records; out holds 74
 * bytes at least. */
void util_name_reverse(int family, const uint8_t *ip, char *out,
    size_t outlen);

#endif
