#include "cli/mtasts_gen.h"

#include <stdlib.h>
#include <string.h>

#include "lint/tagrec.h"
#include "util/file.h"
#include "util/name.h"
#include "zonegen/records.h"

/* The domain's own MX hosts into mx: their count, or -1 (said why) */
static int
mx_hosts(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    char (*mx)[256])
{
	const dns_answer_t *a = dns_resolver_get(r, domain, LDNS_RR_TYPE_MX);
	size_t n = 0;

	if (dns_result_is_failure(a->result)) {
		cmd_error(o, "looking up %s MX failed (%s)", domain,
		    dns_result_str(a->result));
		return -EXIT_DNS;
	}
	for (size_t i = 0; a->result == DNS_OK && n < 32 &&
	    i < ldns_rr_list_rr_count(a->rrs); i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs, i),
		    1)), norm[256];

		if (s && util_name_normalize(s, norm, sizeof(norm)) == 0 &&
		    strcmp(norm, ".") != 0 && strchr(norm, '.'))
			snprintf(mx[n++], 256, "%s", norm);
		free(s);
	}
	if (n == 0) {
		cmd_error(o, "%s has no MX record: give --mx", domain);
		return -EXIT_USAGE;
	}
	return (int)n;
}

/* The records: _mta-sts, and _smtp._tls with a rua */
static void
records(const gen_opts_t *g, zg_set_t *set, const char *domain,
    const mtasts_gen_t *m, const char *rec)
{
	char note[600], owner[300], *tls;

	snprintf(note, sizeof(note), "serve the policy%s%s at "
	    "https://mta-sts.%s/.well-known/mta-sts.txt", m->out ? " in " :
	    "", m->out ? m->out : "", domain);
	snprintf(owner, sizeof(owner), "_mta-sts.%s", domain);
	zg_set_add(set, owner, g->ttl, "TXT", rec, note);
	if (m->rua == NULL)
		return;
	snprintf(owner, sizeof(owner), "_smtp._tls.%s", domain);
	if ((tls = zg_tlsrpt_record(&m->rua, 1)) != NULL)
		zg_set_add(set, owner, g->ttl, "TXT", tls, "TLS reports "
		    "(RFC 8460)");
	free(tls);
}

/* The policy as comments of the zone snippet, when no file takes it */
static void
policy_comment(const char *domain, const char *policy)
{
	printf("; the policy, for https://mta-sts.%s/.well-known/"
	    "mta-sts.txt (CRLF line ends;\n; --policy-out writes it):\n",
	    domain);
	for (const char *l = policy; *l; l = strchr(l, '\n') + 1)
		printf(";   %.*s\n", (int)strcspn(l, "\r"), l);
}

int
cmd_mtasts_gen(const cmd_opts_t *o, const gen_opts_t *g, const char *domain,
    const mtasts_gen_t *m)
{
	dns_resolver_t *r = cmd_resolver(o);	/* --zone files checked */
	char mx[32][256], err[512], *policy = NULL, *rec = NULL, id[21];
	unsigned max_age = 604800;
	int n = (int)m->nmx, status = EXIT_USAGE;
	size_t plen = 0;
	lint_findings_t f;
	zg_set_t set;

	lint_findings_init(&f);
	zg_set_init(&set);
	for (size_t i = 0; i < m->nmx; i++)
		snprintf(mx[i], sizeof(mx[i]), "%s", m->mx[i]);
	if (m->max_age)
		cmd_parse_uint(m->max_age, 0, 31557600, &max_age);
	if (n == 0 && (n = mx_hosts(o, r, domain, mx)) < 0) {
		status = -n;
		goto out;
	}
	/* the policy, CRLF line ends (RFC 8461 3.2), and its id */
	if ((policy = zg_mtasts_policy(m->mode, (const char (*)[256])mx,
	    (size_t)n, max_age, &plen)) == NULL || zg_mtasts_id(policy, plen,
	    id) != 0 || (rec = zg_mtasts_record(id)) == NULL) {
		cmd_error(o, "out of memory");
		goto out;
	}
	if (m->out && util_file_write(m->out, policy, plen, 0644, true, err,
	    sizeof(err)) != 0) {
		cmd_error(o, "%s", err);
		goto out;
	}
	records(g, &set, domain, m, rec);
	mtasts_record_check(rec, set.v[0].owner, &f);
	if (set.n > 1)
		tlsrpt_record_check(set.v[1].value, set.v[1].owner, &f);
	if ((status = cmd_gen_findings(o, g, &f, NULL, rec)) != EXIT_CLEAN &&
	    !g->force)
		goto out;
	if (!m->out && g->format == GEN_ZONE)
		policy_comment(domain, policy);
	cmd_gen_print(g, &set, json_pack("{s:s, s:s, s:s, s:s}", "domain",
	    domain, "record", rec, "id", id, "policy", policy));
out:
	lint_findings_clear(&f);
	zg_set_clear(&set);
	free(policy);
	free(rec);
	dns_resolver_free(r);
	return status;
}
