#include "zonegen/spf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const spf_kind_t order[] = {
	SPF_IP4, SPF_IP6, SPF_A, SPF_MX, SPF_INCLUDE, SPF_EXISTS,
};

char *
zg_spf_build(const zg_spf_term_t *terms, size_t n, char all_q,
    const char *redirect, const char *exp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return NULL;
	fputs("v=spf1", fp);
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; i < n; i++) {
			bool dup = false;

			if (terms[i].kind != order[k])
				continue;
			for (size_t j = 0; j < i && !dup; j++)
				dup = terms[j].kind == terms[i].kind &&
				    (terms[j].arg && terms[i].arg ?
				    strcmp(terms[j].arg, terms[i].arg) == 0 :
				    terms[j].arg == terms[i].arg);
			if (dup)
				continue;
			fprintf(fp, " %s%s%s", spf_kind_str(order[k]),
			    terms[i].arg ? ":" : "",
			    terms[i].arg ? terms[i].arg : "");
		}
	if (all_q)
		fprintf(fp, " %call", all_q);
	if (redirect)
		fprintf(fp, " redirect=%s", redirect);
	if (exp)
		fprintf(fp, " exp=%s", exp);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
