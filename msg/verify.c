#include "msg/verify.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/dmarc.h"
#include "lint/dmarc_discover.h"
#include "util/name.h"

/* The domain of the one address in an address field's value, lowercased
 * and normalized, into out; false when there is not exactly one */
static bool
address_domain(const char *v, char *out, size_t len)
{
	const char *lt = strrchr(v, '<'), *at, *end;
	char d[300];

	if (strchr(v, ',') && strchr(strchr(v, ',') + 1, '@'))
		return false;	/* several mailboxes */
	if (lt && strchr(lt, '>'))
		v = lt + 1;
	if ((at = strrchr(v, '@')) == NULL)
		return false;
	end = at + 1 + strcspn(at + 1, "> \t;,");
	snprintf(d, sizeof(d), "%.*s", (int)(end - at - 1), at + 1);
	return d[0] && util_name_normalize(d, out, len) == 0;
}

/* Whether the authenticated domain d is aligned with the From domain of
 * res: strictly the same name, relaxed the same Organizational Domain
 * (RFC 9989 4.10.2, found by the tree walk for each; the From domain's
 * once, when a name differs).  -1 on a DNS failure, err set. */
static int
aligned(dns_resolver_t *r, const char *d, mv_result_t *res, bool strict,
    char *err, size_t errlen)
{
	char org[256];

	if (strcasecmp(d, res->from_domain) == 0)
		return 1;
	if (strict)
		return 0;
	if (!res->org_domain[0] && dmarc_org_domain(r, res->from_domain,
	    res->org_domain, sizeof(res->org_domain), err, errlen) != 0)
		return -1;
	if (dmarc_org_domain(r, d, org, sizeof(org), err, errlen) != 0)
		return -1;
	return strcasecmp(org, res->org_domain) == 0;
}

/* The client, HELO and MAIL FROM of the Received: field that host wrote:
 * "from HELO (... [IP]) by HOST ..." */
static void
from_received(const msg_t *m, const char *host, mv_result_t *res)
{
	for (size_t i = 0; i < m->nf; i++) {
		char v[2048], *by, *lb, *rb, *p;
		size_t k = 0;

		if (!msg_field_is(&m->f[i], "received"))
			continue;
		for (size_t j = 0; j < m->f[i].vlen && k + 1 < sizeof(v); j++)
			if (m->f[i].value[j] != '\r' && m->f[i].value[j] != '\n')
				v[k++] = m->f[i].value[j] == '\t' ? ' ' :
				    m->f[i].value[j];
		v[k] = '\0';
		if ((by = strcasestr(v, " by ")) == NULL ||
		    strncasecmp(by + 4, host, strlen(host)) != 0)
			continue;
		p = v + strspn(v, " \t");
		if (!res->helo[0] && strncasecmp(p, "from ", 5) == 0)
			snprintf(res->helo, sizeof(res->helo), "%.*s",
			    (int)strcspn(p + 5, " \t("), p + 5);
		if (!res->ip[0] && (lb = strchr(v, '[')) && lb < by &&
		    (rb = strchr(lb, ']')) && rb < by) {
			lb++;
			if (strncasecmp(lb, "IPv6:", 5) == 0)
				lb += 5;
			snprintf(res->ip, sizeof(res->ip), "%.*s",
			    (int)(rb - lb), lb);
		}
		return;
	}
}

static void
spf_part(const msg_t *m, dns_resolver_t *r, const mv_request_t *req,
    mv_result_t *res)
{
	spf_request_t sr = { 0 };
	spf_outcome_t out;
	size_t n;
	char *rp;

	if (req->ip)
		snprintf(res->ip, sizeof(res->ip), "%s", req->ip);
	if (req->helo)
		snprintf(res->helo, sizeof(res->helo), "%s", req->helo);
	if (req->sender)
		snprintf(res->sender, sizeof(res->sender), "%s", req->sender);
	if (req->received_by)
		from_received(m, req->received_by, res);
	if (!res->sender[0] && (rp = msg_field_value(m, "return-path",
	    &n)) != NULL) {
		char *lt = strchr(rp, '<'), *gt = lt ? strchr(lt, '>') : NULL;

		if (lt && gt)
			snprintf(res->sender, sizeof(res->sender), "%.*s",
			    (int)(gt - lt - 1), lt + 1);
		free(rp);
	}
	if (!res->ip[0]) {
		snprintf(res->spf_reason, sizeof(res->spf_reason), "no client "
		    "address (give --ip, or --received-by HOST)");
		return;
	}
	sr.ip = res->ip;
	sr.sender = res->sender;
	sr.helo = res->helo[0] ? res->helo : NULL;
	sr.now = req->now;
	if (spf_eval_run(&out, r, &sr) != 0) {
		snprintf(res->spf_reason, sizeof(res->spf_reason), "out of "
		    "memory");
		return;
	}
	res->spf_checked = true;
	res->spf = out.result;
	snprintf(res->spf_domain, sizeof(res->spf_domain), "%s",
	    out.domain ? out.domain : "");
	snprintf(res->spf_reason, sizeof(res->spf_reason), "%s%s%s",
	    out.mechanism ? "by " : out.problem ? out.problem : "the default",
	    out.mechanism ? out.mechanism : "", "");
	res->dns_failed |= out.result == SPF_RESULT_TEMPERROR;
	spf_outcome_clear(&out);
}

static void
dmarc_part(const msg_t *m, dns_resolver_t *r, mv_result_t *res)
{
	dmarc_found_t d;
	dmarc_record_t rec;
	lint_findings_t scratch;
	size_t n;
	char *from = msg_field_value(m, "from", &n);
	int rc;
	bool strict_d, strict_s, pass = false;
	char err[400];

	res->disposition = "none";
	if (n != 1 || from == NULL || !address_domain(from, res->from_domain,
	    sizeof(res->from_domain))) {
		res->dmarc = "permerror";
		snprintf(res->dmarc_reason, sizeof(res->dmarc_reason), "%s",
		    n == 0 ? "no From field" : n > 1 ? "several From fields" :
		    "From holds no single address");
		free(from);
		return;
	}
	free(from);
	lint_findings_init(&scratch);
	memset(&d, 0, sizeof(d));
	rc = dmarc_discover(r, res->from_domain, NULL, &d, &scratch);
	lint_findings_clear(&scratch);
	if (rc < 0) {
		res->dmarc = "temperror";
		res->dns_failed = true;
		snprintf(res->dmarc_reason, sizeof(res->dmarc_reason), "%s",
		    d.error);
		free(d.record);
		return;
	}
	if (rc == 0) {
		res->dmarc = "none";
		snprintf(res->dmarc_reason, sizeof(res->dmarc_reason), "no "
		    "DMARC record for %s", res->from_domain);
		free(d.record);
		return;
	}
	lint_findings_init(&scratch);
	dmarc_record_parse(d.record, "", false, &rec, &scratch);
	lint_findings_clear(&scratch);
	snprintf(res->policy_domain, sizeof(res->policy_domain), "%s",
	    d.domain);
	snprintf(res->policy, sizeof(res->policy), "%s", dmarc_policy_str(
	    dmarc_record_policy(&rec, strcasecmp(d.domain, res->from_domain) ==
	    0, false)));
	strict_d = rec.adkim == 's';
	strict_s = rec.aspf == 's';
	for (size_t i = 0; i < res->ndkim; i++) {
		int a = aligned(r, res->dkim[i].d, res, strict_d, err,
		    sizeof(err));

		if (a < 0)
			goto dns_failed;
		res->dkim_aligned[i] = a == 1;
		pass |= res->dkim[i].result == DKIM_RES_PASS &&
		    res->dkim_aligned[i];
	}
	if (res->spf_checked && res->spf_domain[0]) {
		int a = aligned(r, res->spf_domain, res, strict_s, err,
		    sizeof(err));

		if (a < 0)
			goto dns_failed;
		res->spf_aligned = a == 1;
	}
	pass |= res->spf_checked && res->spf == SPF_RESULT_PASS &&
	    res->spf_aligned;
	res->dmarc = pass ? "pass" : "fail";
	res->disposition = pass ? "none" : res->policy;
	snprintf(res->dmarc_reason, sizeof(res->dmarc_reason), "%s",
	    pass ? "an aligned SPF or DKIM pass" : "no aligned SPF or DKIM "
	    "pass");
	dmarc_record_clear(&rec);
	free(d.record);
	return;
dns_failed:
	res->dmarc = "temperror";
	res->disposition = "none";
	res->dns_failed = true;
	snprintf(res->dmarc_reason, sizeof(res->dmarc_reason), "the "
	    "Organizational Domain could not be found: %s", err);
	dmarc_record_clear(&rec);
	free(d.record);
}

void
mv_evaluate(const msg_t *m, dns_resolver_t *r, const mv_request_t *req,
    mv_result_t *res)
{
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < m->nf && res->ndkim < MV_MAX_SIGS; i++)
		if (msg_field_is(&m->f[i], "dkim-signature")) {
			dkim_verify(m, i, r, req->now ? req->now : time(NULL),
			    &res->dkim[res->ndkim]);
			res->dns_failed |= res->dkim[res->ndkim].result ==
			    DKIM_RES_TEMPERROR;
			res->ndkim++;
		}
	res->arc = arc_verify(m, r, req->now ? req->now : time(NULL),
	    &res->arc_sets, res->arc_reason, sizeof(res->arc_reason));
	res->dns_failed |= strcmp(res->arc, "temperror") == 0;
	spf_part(m, r, req, res);
	dmarc_part(m, r, res);
}
