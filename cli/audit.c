#include "cli/audit.h"

#include <stdlib.h>
#include <string.h>

#include "lint/spf_codes.h"

static json_t *
report_json(const lint_report_t *rp, audit_verdict_t v)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "verdict",
	    audit_verdict_names[v], "owner", rp->owner, "record", rp->record ?
	    json_string(rp->record) : json_null(), "findings",
	    cmd_findings_json(&rp->f));

	if (rp->dns_failed)
		json_object_set_new(o, "error", json_string(rp->error));
	if (rp->skipped)
		json_object_set_new(o, "skipped", json_string(rp->skipped_why));
	return o;
}


json_t *
audit_result_json(const audit_result_t *res)
{
	json_t *areas = json_object(), *doc;
	const char *err = audit_result_error(res);

	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		json_t *a;

		if (i == AUDIT_PARKED && res->verdict[i] == AUDIT_SKIPPED)
			continue;
		if (i == AUDIT_DKIM) {
			json_t *sel = json_array();

			for (size_t k = 0; k < res->ndkim; k++)
				json_array_append_new(sel, report_json(&res->dkim[k],
				    res->dkim_verdict[k]));
			a = json_pack("{s:s, s:o}", "verdict",
			    audit_verdict_names[res->verdict[i]], "selectors", sel);
		} else
			a = report_json(&res->area[i], res->verdict[i]);
		if (i == AUDIT_SPF)
			json_object_update_new(a, json_pack("{s:i, s:i}",
			    "lookups", (int)res->lookups, "void_lookups",
			    (int)res->voids));
		if (i == AUDIT_DMARC)
			json_object_set_new(a, "policy", res->policy[0] ?
			    json_string(res->policy) : json_null());
		if (i == AUDIT_MX)
			json_object_set_new(a, "null_mx", json_boolean(res->null_mx));
		if (i == AUDIT_MTASTS)
			json_object_set_new(a, "mode", res->mode[0] ?
			    json_string(res->mode) : json_null());
		json_object_set_new(areas, audit_area_names[i], a);
	}
	doc = json_pack("{s:s, s:s, s:o}", "domain", res->domain, "verdict",
	    audit_verdict_names[res->overall], "areas", areas);
	if (err)
		json_object_set_new(doc, "error", json_string(err));
	return doc;
}

/* The table's last column: the gist of an area */
static void
gist(const audit_result_t *res, size_t i, char *buf, size_t len)
{
	const lint_report_t *rp = &res->area[i];

	buf[0] = '\0';
	if (rp->dns_failed) {
		snprintf(buf, len, "%s", rp->error);
		return;
	}
	if (rp->skipped && res->verdict[i] == AUDIT_SKIPPED) {
		snprintf(buf, len, "%s", rp->skipped_why);
		return;
	}
	switch (i) {
	case AUDIT_MX:
		for (size_t k = 0; k < rp->f.n; k++)
			if (rp->f.v[k].code == &mx_codes[MX_HOSTS] ||
			    rp->f.v[k].code == &mx_codes[MX_NULL])
				snprintf(buf, len, "%s", rp->f.v[k].message);
		if (rp->absent)
			snprintf(buf, len, "no MX record");
		break;
	case AUDIT_SPF:
		if (rp->record)
			snprintf(buf, len, "%u/%d lookups, %u/%d void", res->lookups,
			    SPF_LOOKUP_LIMIT, res->voids, SPF_VOID_LIMIT);
		else
			snprintf(buf, len, "no SPF record");
		break;
	case AUDIT_DMARC:
		if (res->policy[0])
			snprintf(buf, len, "p=%s at %s", res->policy, rp->owner);
		else
			snprintf(buf, len, "no DMARC record");
		break;
	case AUDIT_DKIM:
		if (res->ndkim == 0)
			snprintf(buf, len, "no selector given (--selector)");
		else
			snprintf(buf, len, "%zu selector%s", res->ndkim,
			    res->ndkim == 1 ? "" : "s");
		break;
	case AUDIT_PARKED:
		if (rp->f.n == 0)
			snprintf(buf, len, "null MX, null SPF, p=reject, DKIM "
			    "revoked");
		else
			snprintf(buf, len, "%zu of the nomail set missing",
			    rp->f.n);
		break;
	case AUDIT_MTASTS:
		if (res->mode[0])
			snprintf(buf, len, "mode %s", res->mode);
		/* FALLTHROUGH */
	default:
		if (buf[0] == '\0')
			snprintf(buf, len, "%s", rp->record ? rp->owner :
			    "no record");
	}
}

static void
area_findings(const cmd_opts_t *o, const char *name, const lint_report_t *rp)
{
	if (rp->f.n == 0)
		return;
	printf("\n== %s: %s\n", name, rp->owner);
	if (rp->record)
		printf("   %s\n", rp->record);
	cmd_findings_print(stdout, &rp->f, o->color);
}

void
audit_result_print(const cmd_opts_t *o, const audit_result_t *res)
{
	char buf[1024];

	printf("%s: %s\n\n", res->domain, audit_verdict_names[res->overall]);
	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		if (i == AUDIT_PARKED && res->verdict[i] == AUDIT_SKIPPED)
			continue;
		gist(res, i, buf, sizeof(buf));
		printf("  %-8s %-9s %s\n", audit_area_names[i],
		    audit_verdict_names[res->verdict[i]], buf);
	}
	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		if (i == AUDIT_DKIM) {
			for (size_t k = 0; k < res->ndkim; k++)
				area_findings(o, "dkim", &res->dkim[k]);
			continue;
		}
		/* an optional record that is absent has only that to say */
		if (res->verdict[i] != AUDIT_ABSENT || o->verbose)
			area_findings(o, audit_area_names[i], &res->area[i]);
	}
}

int
audit_result_status(const cmd_opts_t *o, const audit_result_t *res)
{
	if (audit_result_error(res))
		return EXIT_DNS;
	if (res->overall == AUDIT_FAIL ||
	    (o->strict && res->overall == AUDIT_WARN))
		return EXIT_FINDINGS;
	return EXIT_CLEAN;
}
