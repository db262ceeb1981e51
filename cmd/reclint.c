#include "cmd/reclint.h"

#include <stdlib.h>
#include <string.h>

void
cmd_texts_free(char **texts, size_t n)
{
	dns_txt_free(texts, n);
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
	*texts = dns_txt_join(a, n);
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

int
cmd_report_domain_check(const cmd_opts_t *o, dns_resolver_t *r,
    const char *host, const lint_code_t *no_mx, const lint_code_t *null_mx,
    const char *owner, long offset, lint_findings_t *f)
{
	const dns_answer_t *a = dns_resolver_get(r, host, LDNS_RR_TYPE_MX);

	if (dns_result_is_failure(a->result)) {
		fprintf(stderr, "%s: %s MX: %s\n", o->prog, host,
		    dns_result_str(a->result));
		return EXIT_DNS;
	}
	if (a->result != DNS_OK)
		lint_findings_add(f, no_mx, owner, offset, host);
	else if (ldns_rr_list_rr_count(a->rrs) == 1 &&
	    ldns_rdf_size(ldns_rr_rdf(ldns_rr_list_rr(a->rrs, 0), 1)) == 1)
		lint_findings_add(f, null_mx, owner, offset, host);
	return EXIT_CLEAN;
}

void
cmd_record_report(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    const char *owner, const char *record, const lint_findings_t *f,
    json_t *extra)
{
	if (!o->json) {
		cmd_record_print(o, owner, record, f);
		json_decref(extra);
		return;
	}
	json_t *doc = cmd_record_json(owner, record, f);

	json_object_set_new(doc, "domain", json_string(domain));
	if (extra)
		json_object_update(doc, extra);
	json_decref(extra);
	json_object_set_new(doc, "dns", cmd_dns_json(r));
	cmd_json_print(doc);
	json_decref(doc);
}
