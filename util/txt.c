#include "util/txt.h"

#include <stdlib.h>
#include <string.h>

char **
util_txt_join(const ldns_rr_list *rrs, size_t *n)
{
	return util_txt_join_lens(rrs, n, NULL);
}

char **
util_txt_join_lens(const ldns_rr_list *rrs, size_t *n, size_t **lens)
{
	size_t count = rrs ? ldns_rr_list_rr_count(rrs) : 0;
	char **out;

	*n = 0;
	if (count == 0 || (out = calloc(count, sizeof(char *))) == NULL)
		return NULL;
	if (lens && (*lens = calloc(count, sizeof(size_t))) == NULL) {
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		size_t len = 0;
		char *t;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT)
			continue;
		for (size_t k = 0; k < ldns_rr_rd_count(rr); k++)
			len += ldns_rdf_size(ldns_rr_rdf(rr, k)) - 1;
		if ((t = malloc(len + 1)) == NULL)
			continue;
		len = 0;
		for (size_t k = 0; k < ldns_rr_rd_count(rr); k++) {
			const ldns_rdf *rd = ldns_rr_rdf(rr, k);

			memcpy(t + len, ldns_rdf_data(rd) + 1,
			    ldns_rdf_size(rd) - 1);
			len += ldns_rdf_size(rd) - 1;
		}
		t[len] = '\0';
		if (lens)
			(*lens)[*n] = len;
		out[(*n)++] = t;
	}
	return out;
}

void
util_txt_free(char **texts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
}


size_t
util_utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 :
	    s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : 0;
	unsigned cp;

	if (n == 0 || s[0] >= 0xf5)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	cp = n == 2 ? (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu) :
	    n == 3 ? (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 |
	    (s[2] & 0x3fu) : (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12 |
	    (s[2] & 0x3fu) << 6 | (s[3] & 0x3fu);
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *
util_utf8_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(2 * strlen(s) + 1), *q = out;

	if (out == NULL)
		return NULL;
	while (*p) {
		size_t n = *p < 0x80 ? 1 : util_utf8_len(p);

		if (n == 0) {	/* Latin-1: U+0080 to U+00FF */
			*q++ = (char)(0xc0 | *p >> 6);
			*q++ = (char)(0x80 | (*p & 0x3f));
			p++;
			continue;
		}
		memcpy(q, p, n);
		q += n;
		p += n;
	}
	*q = '\0';
	return out;
}
