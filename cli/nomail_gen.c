#include "cli/nomail_gen.h"

#include <stdlib.h>
#include <string.h>

#include "lint/dmarc.h"
#include "lint/domain_check.h"
#include "lint/spf_check.h"
#include "lint/spf_interp.h"
#include "lint/tagrec.h"
#include "util/name.h"
#include "zonegen/dmarc.h"

struct plan {
	const char *rua, *sp, *np;
	uint32_t ttl;
	zg_set_t *set;
};

static void
add_domain(struct plan *p, const char *domain)
{
	char owner[300], dmarc[600];

	zg_set_add(p->set, domain, p->ttl, "TXT", "v=spf1 -all",
	    "sends no mail: the null SPF (RFC 7208)");
	zg_set_add(p->set, domain, p->ttl, "MX", "0 .",
	    "receives no mail: the null MX (RFC 7505)");
	snprintf(owner, sizeof(owner), "_dmarc.%s", domain);
	snprintf(dmarc, sizeof(dmarc), "v=DMARC1; p=reject; sp=%s; np=%s%s%s",
	    p->sp, p->np, p->rua ? "; rua=" : "", p->rua ? p->rua : "");
	zg_set_add(p->set, owner, p->ttl, "TXT", dmarc,
	    "reject whatever claims to come from it (DMARC)");
	if (p->rua)
		zg_dmarc_authorizations(p->set, domain, &p->rua, 1, p->ttl);
	snprintf(owner, sizeof(owner), "*._domainkey.%s", domain);
	zg_set_add(p->set, owner, p->ttl, "TXT", "v=DKIM1; p=",
	    "no DKIM key is valid: revoked (RFC 6376 3.6.1)");
}

struct scan {
	struct plan *p;
	size_t found;
	char **hosts;		/* the targets of every MX in the zones */
	size_t nhosts;
};

/* first pass: the mail hosts, which send mail as their HELO names */
static void
scan_mx(const char *name, const ldns_rr_list *rrs, void *arg)
{
	struct scan *sc = arg;

	(void)name;
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		char *t, norm[256], **v;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_MX ||
		    (t = ldns_rdf2str(ldns_rr_rdf(rr, 1))) == NULL)
			continue;
		if (util_name_normalize(t, norm, sizeof(norm)) == 0 &&
		    (v = realloc(sc->hosts, (sc->nhosts + 1) *
		    sizeof(*v))) != NULL) {
			sc->hosts = v;
			sc->hosts[sc->nhosts++] = strdup(norm);
		}
		free(t);
	}
}

/* second pass: a name with addresses but neither MX nor SPF, and that no
 * MX names, gets the set */
static void
scan_name(const char *name, const ldns_rr_list *rrs, void *arg)
{
	struct scan *sc = arg;
	bool addr = false, mail = false;
	size_t count, len;
	char *spf = spf_txt_select(rrs, &count, &len);

	free(spf);
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr_type t = ldns_rr_get_type(ldns_rr_list_rr(rrs, i));

		addr |= t == LDNS_RR_TYPE_A || t == LDNS_RR_TYPE_AAAA;
		mail |= t == LDNS_RR_TYPE_MX;
	}
	for (size_t i = 0; i < sc->nhosts && !mail; i++)
		mail = sc->hosts[i] && strcmp(sc->hosts[i], name) == 0;
	if (addr && !mail && count == 0) {
		add_domain(sc->p, name);
		sc->found++;
	}
}

/* The domains given: a domain declared mail-less must not be taking mail
 * now */
static void
given(cmd_opts_t *o, struct plan *p, char **domains, int n,
    lint_findings_t *f)
{
	dns_resolver_t *r = cmd_resolver(o);
	char norm[256];

	for (int i = 0; i < n; i++) {
		cmd_domain_arg(o, domains[i], norm);
		dns_resolver_submit(r, norm, LDNS_RR_TYPE_MX);
	}
	dns_resolver_wait(r);
	for (int i = 0; i < n; i++) {
		cmd_domain_arg(o, domains[i], norm);
		parked_mx_before(r, norm, f);
		add_domain(p, norm);
	}
	dns_resolver_free(r);
}

/* The names of the zone files that take and send no mail */
static void
scanned(cmd_opts_t *o, struct plan *p)
{
	dns_resolver_t *r;
	struct scan sc = { p, 0, NULL, 0 };

	o->offline = true;	/* the zone files are all it reads */
	r = cmd_resolver(o);
	dns_resolver_zone_each(r, scan_mx, &sc);
	dns_resolver_zone_each(r, scan_name, &sc);
	for (size_t i = 0; i < sc.nhosts; i++)
		free(sc.hosts[i]);
	free(sc.hosts);
	if (sc.found == 0)
		cmd_warn(o, "every name with addresses already has MX or SPF "
		    "records");
	dns_resolver_free(r);
}

/* Every record of the set, checked as its linter would */
static void
check(const zg_set_t *set, lint_findings_t *f)
{
	for (size_t i = 0; i < set->n; i++) {
		const zg_record_t *r = &set->v[i];
		spf_record_t *spf;

		if (strncmp(r->value, "v=spf1", 6) == 0 &&
		    (spf = spf_record_parse(r->value, strlen(r->value),
		    r->owner, f)) != NULL) {
			spf_record_check(spf, r->owner, true, f);
			spf_record_free(spf);
		} else if (strncmp(r->value, "v=DMARC1", 8) == 0 &&
		    strstr(r->owner, "._report._dmarc.") == NULL)
			dmarc_record_check(r->value, r->owner, false, f);
		else if (strncmp(r->value, "v=DKIM1", 7) == 0)
			dkim_record_check(r->value, r->owner, f);
	}
}

int
cmd_nomail_gen(cmd_opts_t *o, const gen_opts_t *g, char **domains, int n,
    const nomail_gen_t *m)
{
	lint_findings_t f;
	zg_set_t set;
	struct plan p = { m->rua, m->sp, m->np, g->ttl, &set };
	int status;

	zg_set_init(&set);
	lint_findings_init(&f);
	if (n > 0)
		given(o, &p, domains, n, &f);
	else
		scanned(o, &p);
	check(&set, &f);
	status = cmd_gen_emit(o, g, &set, &f, NULL, "the no-mail set",
	    json_object());
	lint_findings_clear(&f);
	zg_set_clear(&set);
	return status;
}
