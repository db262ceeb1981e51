#include "report/check.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/dmarc_discover.h"
#include "lint/domain_check.h"
#include "lint/spf_codes.h"
#include "lint/spf_eval.h"
#include "lint/spf_interp.h"
#include "lint/spf_record.h"
#include "lint/tagrec.h"
#include "util/name.h"

static const char *const key_names[REP_KEY_COUNT] = {
	[REP_KEY_PUBLISHED] = "published", [REP_KEY_MISSING] = "missing",
	[REP_KEY_REVOKED] = "revoked", [REP_KEY_BROKEN] = "broken",
	[REP_KEY_UNAVAILABLE] = "unavailable",
};

const char *
rep_key_str(rep_key_t k)
{
	return key_names[k];
}

void
rep_check_clear(rep_check_t *c)
{
	free(c->spf_domain);
	free(c->spf_result);
	free(c->spf_mechanism);
	free(c->dkim_domain);
	free(c->dkim_selector);
	for (size_t i = 0; i < c->nwhy; i++)
		free(c->why[i]);
	for (size_t i = 0; i < c->nfix; i++)
		free(c->fix[i]);
	memset(c, 0, sizeof(*c));
}

static void
add(char **v, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (*n == REP_CHECK_MAX)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0)
		v[(*n)++] = s;
	va_end(ap);
}

/* Relaxed alignment (RFC 9989 4.4): the same name, or the same
 * Organizational Domain, found by the DMARC tree walk as mail-verify finds
 * it.  Where a walk fails in the DNS, one name under the other is taken
 * as aligned (the answer without the DNS), and c's why says so. */
static bool
aligned(rep_check_t *c, dns_resolver_t *r, const char *a, const char *b)
{
	char x[256], y[256], ox[256], oy[256], err[256];

	if (a == NULL || b == NULL || util_name_normalize(a, x, sizeof(x)) ||
	    util_name_normalize(b, y, sizeof(y)))
		return false;
	if (strcmp(x, y) == 0)
		return true;
	if (dmarc_org_domain(r, x, ox, sizeof(ox), err, sizeof(err)) != 0 ||
	    dmarc_org_domain(r, y, oy, sizeof(oy), err, sizeof(err)) != 0) {
		add(c->why, &c->nwhy, "the Organizational Domains of %s and %s "
		    "are not known (%s): one under the other is taken as "
		    "aligned", x, y, err);
		return util_name_related(x, y);
	}
	return strcasecmp(ox, oy) == 0;
}

/* One term as spf-gen's option; false when spf-gen has none for it */
static bool
term_option(FILE *fp, const char *text, const spf_term_t *t,
    const char *domain)
{
	const char *body = text + t->offset, *name = spf_kind_str(t->kind);
	size_t blen = t->length, nlen = strlen(name);

	if (strchr("+-~?", *body)) {
		body++;
		blen--;
	}
	const char *arg = body + nlen;
	size_t alen = blen > nlen ? blen - nlen : 0;

	if (t->kind == SPF_ALL) {
		if (t->qualifier != '-')
			fprintf(fp, " --all '%c'", t->qualifier);
		return true;
	}
	if (t->qualifier != '+')
		return false;
	switch (t->kind) {
	case SPF_IP4: case SPF_IP6: case SPF_INCLUDE: case SPF_EXISTS:
	case SPF_REDIRECT: case SPF_EXP:
		fprintf(fp, " --%s %.*s", name, (int)(alen - 1), arg + 1);
		return alen > 1;
	case SPF_A: case SPF_MX:
		if (alen && *arg == ':')
			fprintf(fp, " --%s=%.*s", name, (int)(alen - 1), arg + 1);
		else if (alen)
			fprintf(fp, " --%s=%s%.*s", name, domain, (int)alen, arg);
		else
			fprintf(fp, " --%s", name);
		return true;
	default:
		return false;	/* ptr, unknown terms */
	}
}

/* The spf-gen command line of domain's record with the address added, or
 * NULL when the record has a term spf-gen cannot give */
static char *
spf_gen_line(dns_resolver_t *r, const char *domain, const char *ip)
{
	const dns_answer_t *a = dns_resolver_get(r, domain, LDNS_RR_TYPE_TXT);
	size_t count, len, n = 0;
	char *text = a->result == DNS_OK ? spf_txt_select(a->rrs, &count,
	    &len) : NULL, *out = NULL;
	lint_findings_t f;
	spf_record_t *rec;
	bool ok = true;
	FILE *fp;

	lint_findings_init(&f);
	rec = text ? spf_record_parse(text, len, domain, &f) : NULL;
	lint_findings_clear(&f);
	if (rec && !rec->bad && (fp = open_memstream(&out, &n)) != NULL) {
		fputs("spf-gen", fp);
		for (size_t i = 0; i < rec->nterms && ok; i++)
			ok = term_option(fp, text, &rec->terms[i], domain);
		fprintf(fp, " --%s %s %s", strchr(ip, ':') ? "ip6" : "ip4", ip,
		    domain);
		if (fclose(fp) != 0 || !ok) {
			free(out);
			out = NULL;
		}
	}
	spf_record_free(rec);
	free(text);
	return out;
}

static void
check_spf(rep_check_t *c, dns_resolver_t *r, const char *domain,
    const rep_row_t *row)
{
	const char *env = row->nspf && row->spf_auth[0].domain ?
	    row->spf_auth[0].domain : row->envelope_from ? row->envelope_from :
	    row->header_from ? row->header_from : domain;
	char sender[300];
	spf_request_t q = { .ip = row->source_ip, .sender = sender };
	spf_outcome_t out;

	snprintf(sender, sizeof(sender), "postmaster@%s", env);
	c->spf_domain = strdup(env);
	c->spf_aligned = aligned(c, r, env, row->header_from ?
	    row->header_from : domain);
	if (spf_eval_run(&out, r, &q) != 0)
		return;
	c->spf_result = strdup(spf_result_str(out.result));
	c->spf_mechanism = out.mechanism ? strdup(out.mechanism) : NULL;
	if (out.result == SPF_RESULT_PASS && !c->spf_aligned)
		add(c->why, &c->nwhy, "SPF passes for %s, which is not aligned "
		    "with the From domain %s: a forwarder or a third-party "
		    "sender, which needs a DKIM key of the domain or an "
		    "envelope domain under it", env, row->header_from ?
		    row->header_from : domain);
	else if (out.result == SPF_RESULT_TEMPERROR)
		add(c->why, &c->nwhy, "SPF of %s cannot be evaluated now: %s",
		    env, out.problem ? out.problem : "temperror");
	else if (out.result != SPF_RESULT_PASS) {
		char *line = c->spf_aligned ? spf_gen_line(r, env,
		    row->source_ip) : NULL;

		add(c->why, &c->nwhy, "%s is not in the SPF of %s: check_host "
		    "gives %s%s%s%s", row->source_ip, env,
		    spf_result_str(out.result), out.mechanism ? " by \"" : "",
		    out.mechanism ? out.mechanism : "", out.mechanism ? "\"" :
		    "");
		if (line)
			c->fix[c->nfix++] = line;
		else if (c->spf_aligned)
			add(c->fix, &c->nfix, "add ip%c:%s to the SPF record of %s "
			    "(or the include of the provider that sends from "
			    "it)", strchr(row->source_ip, ':') ? '6' : '4',
			    row->source_ip, env);
	}
	spf_outcome_clear(&out);
}

static rep_key_t
key_state(dns_resolver_t *r, const char *domain, const char *selector)
{
	lint_report_t rp;
	rep_key_t k;

	lint_report_init(&rp);
	dkim_domain_check(r, domain, selector, NULL, &rp);
	k = rp.dns_failed ? REP_KEY_UNAVAILABLE : rp.absent ? REP_KEY_MISSING :
	    lint_findings_has(&rp.f, dkim_codes[DKIM_REVOKED].code) ?
	    REP_KEY_REVOKED : lint_findings_count(&rp.f, LINT_ERROR) ?
	    REP_KEY_BROKEN : REP_KEY_PUBLISHED;
	lint_report_clear(&rp);
	return k;
}

static void
check_dkim(rep_check_t *c, dns_resolver_t *r, const char *domain,
    const rep_row_t *row)
{
	const rep_auth_t *a = row->ndkim ? &row->dkim_auth[0] : NULL;
	const char *from = row->header_from ? row->header_from : domain;

	if (a == NULL || a->domain == NULL) {
		add(c->why, &c->nwhy, "no DKIM signature");
		add(c->fix, &c->nfix, "dkim-gen --selector SELECTOR %s (and "
		    "have the source sign with it)", from);
		return;
	}
	c->dkim_domain = strdup(a->domain);
	c->dkim_aligned = aligned(c, r, a->domain, from);
	if (a->selector == NULL)
		return;
	c->dkim_selector = strdup(a->selector);
	c->dkim_key = key_state(r, a->domain, a->selector);
	if (c->dkim_key == REP_KEY_MISSING || c->dkim_key == REP_KEY_REVOKED) {
		add(c->why, &c->nwhy, "DKIM selector %s of %s %s", a->selector,
		    a->domain, c->dkim_key == REP_KEY_MISSING ? "has no key "
		    "published" : "is revoked (p= is empty)");
		if (c->dkim_aligned)
			add(c->fix, &c->nfix, "dkim-gen --selector %s %s (and "
			    "install the private key where the source signs)",
			    a->selector, a->domain);
	} else if (!c->dkim_aligned)
		add(c->why, &c->nwhy, "DKIM signs as %s, not aligned with the "
		    "From domain %s", a->domain, from);
	else if (a->result && strcmp(a->result, "pass") != 0)
		add(c->why, &c->nwhy, "DKIM selector %s of %s is published but "
		    "the signature gave %s (a rotated key, or a message "
		    "changed on its way)", a->selector, a->domain, a->result);
}

char *
rep_next_record(dns_resolver_t *r, const char *domain, const char *next,
    char *owner, size_t ownerlen)
{
	dmarc_found_t found;
	lint_findings_t f;
	char *out = NULL, *copy, *tag, *save = NULL;
	size_t n = 0;
	bool p = false;
	FILE *fp;

	lint_findings_init(&f);
	memset(&found, 0, sizeof(found));
	if (dmarc_discover(r, domain, NULL, &found, &f) != 1 ||
	    (copy = strdup(found.record)) == NULL ||
	    (fp = open_memstream(&out, &n)) == NULL) {
		free(found.record);
		lint_findings_clear(&f);
		return NULL;
	}
	snprintf(owner, ownerlen, "_dmarc.%s", found.domain);
	/* v=DMARC1 first, p= second, the other tags as they are */
	for (tag = strtok_r(copy, ";", &save); tag;
	    tag = strtok_r(NULL, ";", &save)) {
		while (*tag == ' ' || *tag == '\t')
			tag++;
		for (char *e = tag + strlen(tag); e > tag && (e[-1] == ' ' ||
		    e[-1] == '\t'); )
			*--e = '\0';
		if (*tag == '\0')
			continue;
		if ((tag[0] == 'p' || tag[0] == 'P') && (tag[1] == '=' ||
		    tag[1] == ' ' || tag[1] == '\t')) {
			p = true;
			fprintf(fp, "; p=%s", next);
		} else if (strncasecmp(tag, "v=", 2) == 0)
			fputs(tag, fp);
		else
			fprintf(fp, "; %s", tag);
	}
	fclose(fp);
	free(copy);
	free(found.record);
	lint_findings_clear(&f);
	if (out && !p) {	/* no p= (assumed none): it goes second */
		char *v = NULL;

		if (asprintf(&v, "v=DMARC1; p=%s%s", next, strchr(out, ';') ?
		    strchr(out, ';') : "") >= 0) {
			free(out);
			out = v;
		}
	}
	return out;
}

/* ip's name under in-addr.arpa or ip6.arpa; false when it is no address */
static bool
reverse(const char *ip, char *out, size_t len)
{
	uint8_t a[16];

	int family = inet_pton(AF_INET, ip, a) == 1 ? AF_INET :
	    inet_pton(AF_INET6, ip, a) == 1 ? AF_INET6 : 0;

	if (family)
		util_name_reverse(family, a, out, len);
	return family != 0;
}

void
rep_ptr_ask(dns_resolver_t *r, const char *ip)
{
	char name[80];

	if (reverse(ip, name, sizeof(name)))
		dns_resolver_submit(r, name, LDNS_RR_TYPE_PTR);
}

char *
rep_ptr_name(dns_resolver_t *r, const char *ip)
{
	char name[80], host[256], *s;
	const dns_answer_t *a;
	bool ok;

	if (!reverse(ip, name, sizeof(name)))
		return NULL;
	a = dns_resolver_get(r, name, LDNS_RR_TYPE_PTR);
	if (a->result != DNS_OK || ldns_rr_list_rr_count(a->rrs) == 0 ||
	    (s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs, 0), 0))) ==
	    NULL)
		return NULL;
	ok = util_name_normalize(s, host, sizeof(host)) == 0;
	free(s);
	return ok ? strdup(host) : NULL;
}

int
rep_check_row(rep_check_t *c, dns_resolver_t *r, const char *domain,
    const rep_row_t *row)
{
	memset(c, 0, sizeof(*c));
	check_spf(c, r, domain, row);
	check_dkim(c, r, domain, row);
	return c->spf_domain ? 0 : -1;
}
