#include "cmd/reclint.h"

#include <stdlib.h>
#include <string.h>

void
cmd_texts_free(char **texts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
}

int
cmd_txt_fetch(const cmd_opts_t *o, dns_resolver_t *r, const char *owner,
    char ***texts, size_t *n)
{
	const dns_answer_t *a;

	*texts = NULL;
	*n = 0;
	if (o->record) {
		*texts = malloc(sizeof(char *));
		(*texts)[(*n)++] = strdup(o->record);
		return EXIT_CLEAN;
	}
	a = dns_resolver_get(r, owner, LDNS_RR_TYPE_TXT);
	if (dns_result_is_failure(a->result)) {
		fprintf(stderr, "%s: %s TXT: %s (%s)\n", o->prog, owner,
		    dns_result_str(a->result), a->source);
		return EXIT_DNS;
	}
	if (a->result != DNS_OK)
		return EXIT_CLEAN;
	*texts = calloc(ldns_rr_list_rr_count(a->rrs), sizeof(char *));
	for (size_t i = 0; *texts && i < ldns_rr_list_rr_count(a->rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(a->rrs, i);
		size_t len = 0;
		char *t;

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
		(*texts)[(*n)++] = t;
	}
	return EXIT_CLEAN;
}

void
cmd_record_print(const cmd_opts_t *o, const char *owner, const char *record,
    const lint_findings_t *f)
{
	printf("%s\n  %s\n", owner, record ? record : "(no record)");
	if (f->n) {
		putchar('\n');
		cmd_findings_print(stdout, f, o->color);
	}
}

json_t *
cmd_record_json(const char *owner, const char *record,
    const lint_findings_t *f)
{
	return json_pack("{s:s, s:o, s:o}", "owner", owner, "record",
	    record ? json_string(record) : json_null(), "findings",
	    cmd_findings_json(f));
}
