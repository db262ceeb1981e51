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
