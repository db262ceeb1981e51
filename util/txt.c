#include "util/txt.h"

#include <stdlib.h>
#include <string.h>

char **
util_txt_join(const ldns_rr_list *rrs, size_t *n)
{
	char **out;

	*n = 0;
	if (rrs == NULL || ldns_rr_list_rr_count(rrs) == 0 ||
	    (out = calloc(ldns_rr_list_rr_count(rrs), sizeof(char *))) == NULL)
		return NULL;
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

