#include "cli/reclint.h"

#include <stdlib.h>
#include <string.h>

#include "lint/tagrec.h"

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

void
cmd_record_report(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    const lint_report_t *rp, json_t *extra)
{
	if (!o->json) {
		cmd_record_print(o, rp->owner, rp->record, &rp->f);
		if (rp->skipped)
			printf("\nnot checked: %s\n", rp->skipped_why);
		json_decref(extra);
		return;
	}
	json_t *doc = cmd_record_json(rp->owner, rp->record, &rp->f);

	json_object_set_new(doc, "skipped", rp->skipped ?
	    json_string(rp->skipped_why) : json_null());

	json_object_set_new(doc, "domain", json_string(domain));
	if (extra)
		json_object_update(doc, extra);
	json_decref(extra);
	json_object_set_new(doc, "dns", cmd_dns_json(r));
	cmd_json_print(doc);
	json_decref(doc);
}

int
cmd_report_status(const cmd_opts_t *o, const lint_report_t *rp)
{
	if (rp->dns_failed) {
		fprintf(stderr, "%s: %s\n", o->prog, rp->error);
		return EXIT_DNS;
	}
	return cmd_findings_status(o, &rp->f);
}

int
cmd_dkim_selectors(const cmd_opts_t *o, dns_resolver_t *r,
    const char *domain, const char *const *sel, size_t n, EVP_PKEY *key,
    const char *keyfile)
{
	json_t *list = json_array();
	int status = EXIT_CLEAN;

	for (size_t i = 0; i < n; i++) {
		lint_report_t rp;

		lint_report_init(&rp);
		dkim_domain_check(r, domain, sel[i], o->record, &rp);
		if (key && rp.record)
			dkim_record_key_check(rp.record, rp.owner, key, keyfile,
			    &rp.f);
		if (o->json)
			json_array_append_new(list, cmd_record_json(rp.owner,
			    rp.record, &rp.f));
		else
			cmd_record_print(o, rp.owner, rp.record, &rp.f);
		status = cmd_status_worse(status, cmd_report_status(o, &rp));
		lint_report_clear(&rp);
	}
	if (o->json) {
		json_t *doc = json_pack("{s:s, s:O, s:o}", "domain", domain,
		    "selectors", list, "dns", cmd_dns_json(r));

		cmd_json_print(doc);
		json_decref(doc);
	}
	json_decref(list);
	return status;
}
