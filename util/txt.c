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

