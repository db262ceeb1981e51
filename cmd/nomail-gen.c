/* nomail-gen: the records of a domain that sends and receives no mail:
 * the null SPF, a DMARC reject policy, the null MX of RFC 7505 and a
 * revoked wildcard DKIM key (M3AAWG's advice for parked domains). */
#include <stdlib.h>
#include <string.h>

#include "cli/gen.h"
#include "lint/spf_check.h"
#include "lint/spf_walk.h"
#include "lint/dmarc.h"
#include "lint/tagrec.h"
#include "lint/domain_check.h"
#include "zonegen/dmarc.h"

enum { OPT_RUA = OPT_TOOL_BASE, OPT_SP, OPT_NP };

/* the common options it implements */
#define ACCEPTS (CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: nomail-gen [options] DOMAIN...\n"
	    "       nomail-gen [options] --zone FILE...\n");
	if (fp == stdout) {
		fputs("\nPrint what a domain that sends and receives no mail "
		    "publishes: v=spf1 -all,\n_dmarc with p=reject, the null "
		    "MX (MX 0 .) and a revoked *._domainkey key.\nWith --zone "
		    "and no DOMAIN: the set for every name of the zone that "
		    "has\naddresses but neither MX nor SPF and is no MX's target.\n\n"
		    "      --rua URI        DMARC aggregate reports to this "
		    "mailto: or https: URI\n"
		    "      --sp POLICY      subdomain policy: none, quarantine "
		    "or reject (default)\n"
		    "      --np POLICY      non-existent subdomain policy "
		    "(default reject)\n", fp);
		cmd_gen_help(fp, true);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 2 usage or bad value.\n", fp);
	}
	exit(status);
}

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

static const char *
policy(const cmd_opts_t *o, const char *opt, const char *arg)
{
	if (strcmp(arg, "none") && strcmp(arg, "quarantine") &&
	    strcmp(arg, "reject")) {
		cmd_error(o, "bad value '%s' for --%s: want none, quarantine "
		    "or reject", arg, opt);
		exit(EXIT_USAGE);
	}
	return arg;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rua", required_argument, NULL, OPT_RUA },
		{ "sp", required_argument, NULL, OPT_SP },
		{ "np", required_argument, NULL, OPT_NP },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	struct plan p = { .sp = "reject", .np = "reject" };
	dmarc_uri_t u;
	lint_findings_t f;
	zg_set_t set;
	cmd_opts_t o;
	gen_opts_t g;
	int c;

	cmd_opts_init(&o, "nomail-gen", ACCEPTS);
	cmd_gen_init(&g, true);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_RUA:
			if (dmarc_uri_parse(optarg, strlen(optarg), &u) != 0) {
				cmd_error(&o, "bad value '%s' for --rua: want "
				    "mailto:address or https://host/path", optarg);
				return EXIT_USAGE;
			}
			dmarc_uri_clear(&u);
			p.rua = optarg;
			break;
		case OPT_SP:
			p.sp = policy(&o, "sp", optarg);
			break;
		case OPT_NP:
			p.np = policy(&o, "np", optarg);
			break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (optind == argc && o.nzones == 0)
		usage(stderr, EXIT_USAGE);
	zg_set_init(&set);
	lint_findings_init(&f);
	p.set = &set;
	p.ttl = g.ttl;
	if (optind < argc) {
		/* a domain declared mail-less must not be taking mail now */
		dns_resolver_t *r = cmd_resolver(&o);

		for (int i = optind; i < argc; i++) {
			char norm[256];

			cmd_domain_arg(&o, argv[i], norm);
			dns_resolver_submit(r, norm, LDNS_RR_TYPE_MX);
		}
		dns_resolver_wait(r);
		for (int i = optind; i < argc; i++) {
			char norm[256];

			cmd_domain_arg(&o, argv[i], norm);
			parked_mx_before(r, norm, &f);
			add_domain(&p, norm);
		}
		dns_resolver_free(r);
	}
	if (optind == argc) {
		o.offline = true;	/* the zone files are all it reads */
		dns_resolver_t *r = cmd_resolver(&o);
		struct scan sc = { &p, 0, NULL, 0 };

		dns_resolver_zone_each(r, scan_mx, &sc);
		dns_resolver_zone_each(r, scan_name, &sc);
		for (size_t i = 0; i < sc.nhosts; i++)
			free(sc.hosts[i]);
		free(sc.hosts);
		if (sc.found == 0)
			cmd_warn(&o, "every name with addresses already has "
			    "MX or SPF records");
		dns_resolver_free(r);
	}
	/* every record it makes, checked as its linter would */
	for (size_t i = 0; i < set.n; i++) {
		const zg_record_t *r = &set.v[i];
		spf_record_t *spf;

		if (strncmp(r->value, "v=spf1", 6) == 0 &&
		    (spf = spf_record_parse(r->value, strlen(r->value), r->owner,
		    &f)) != NULL) {
			spf_record_check(spf, r->owner, true, &f);
			spf_record_free(spf);
		} else if (strncmp(r->value, "v=DMARC1", 8) == 0 &&
		    strstr(r->owner, "._report._dmarc.") == NULL)
			dmarc_record_check(r->value, r->owner, false, &f);
		else if (strncmp(r->value, "v=DKIM1", 7) == 0)
			dkim_record_check(r->value, r->owner, &f);
	}
	int status = cmd_gen_emit(&o, &g, &set, &f, NULL, "the no-mail set",
	    json_object());

	lint_findings_clear(&f);
	zg_set_clear(&set);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
