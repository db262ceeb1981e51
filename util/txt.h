/* TXT records as text: each record's strings joined (RFC 7208 3.3). */
#ifndef AUTHZONE_UTIL_TXT_H
#define AUTHZONE_UTIL_TXT_H

#include <stddef.h>

#include <ldns/ldns.h>

/** The TXT records of rrs, each with its strings joined (a NUL in them is
 * kept); *n of them in an array the caller frees with util_txt_free.
 * NULL and *n = 0 when there are none. */
char **util_txt_join(const ldns_rr_list *rrs, size_t *n);
/** The same, with each text's length in *lens (the caller frees it). */
char **util_txt_join_lens(const ldns_rr_list *rrs, size_t *n, size_t **lens);
void util_txt_free(char **texts, size_t n);

/** The length of the UTF-8 sequence at s, or 0 when it is not a valid
 * one (overlong, a surrogate, past U+10FFFF, cut short). */
size_t util_utf8_len(const unsigned char *s);
/** s as valid UTF-8: each byte that starts no valid sequence taken as
 * the Latin-1 character it is (as records and reports in the wild carry
 * them); the caller frees it.  NULL on no memory. */
char *util_utf8_text(const char *s);

#endif
