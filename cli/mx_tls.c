#include "cli/mx_tls.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/batch.h"
#include "tls/mx.h"
#include "tls/tlsa.h"
#include "util/file.h"

static unsigned
number(const char *s, unsigned dflt)
{
	unsigned v;

	return s && cmd_parse_uint(s, 0, 4000000000u, &v) == 0 ? v : dflt;
}

/* --next-key: the public half of what the file holds; NULL when not
 * given, exits 2 when it cannot be read */
static EVP_PKEY *
next_key(const cmd_opts_t *o, const char *path)
{
	char err[300], *buf;
	size_t len;
	tls_source_t s;
	EVP_PKEY *k;

	if (path == NULL)
		return NULL;
	if ((buf = util_file_read(path, 1 << 20, &len, NULL, err,
	    sizeof(err))) == NULL || tls_source_read(buf, len, path, &s, err,
	    sizeof(err)) != 0) {
		cmd_error(o, "%s", err);
		free(buf);
		exit(EXIT_USAGE);
	}
	free(buf);
	k = s.ncerts ? X509_get_pubkey(s.certs[0]) : s.key;
	if (s.ncerts)
		tls_source_clear(&s);
	return k;
}

static void
addr_text(const tls_mx_addr_t *a)
{
	const smtp_probe_t *p = &a->probe;
	unsigned total = 0;

	for (size_t s = 0; s < SMTP_NSTEPS; s++)
		total += p->ms[s];
	printf("     %s port %u  ", p->addr, p->port);
	if (p->tls_version[0])
		printf("%s %s", p->tls_version, p->cipher);
	else if (p->failed == SMTP_STARTTLS && !p->starttls)
		printf("no STARTTLS");
	else
		printf("failed at %s: %s", smtp_step_names[p->failed],
		    p->error);
	if (a->cert.present)
		printf(", certificate %s%s, expires %.10s (%ld day%s)",
		    a->cert.valid ? "valid" : "not trusted",
		    a->cert.names_ok ? "" : ", wrong name", a->cert.not_after,
		    a->cert.days_left, a->cert.days_left == 1 ? "" : "s");
	if (a->dane.present)
		printf(", DANE %s%s", a->dane.matched ? "matched" :
		    a->dane.usable ? "mismatch" : "unusable",
		    a->dane.dnssec ? "" : a->dane.bogus ? " (DNSSEC bogus)" :
		    " (not DNSSEC-validated)");
	else if (a->dane.dnssec || a->dane.bogus)	/* none, validated */
		printf(", no DANE (%s)", a->dane.bogus ? "the denial is DNSSEC "
		    "bogus" : "DNSSEC proves it");
	printf(", %u ms\n", total);
}

static void
text_print(const cmd_opts_t *o, const tls_mx_t *m)
{
	size_t naddr = 0;

	for (size_t h = 0; h < m->nhosts; h++)
		naddr += m->host[h].naddr;
	printf("%s: ", m->domain);
	if (m->null_mx)
		printf("null MX, takes no mail\n");
	else
		printf("%zu MX host%s%s, %zu address%s\n", m->nhosts,
		    m->nhosts == 1 ? "" : "s", m->implicit ? " (no MX: the "
		    "domain itself)" : "", naddr, naddr == 1 ? "" : "es");
	for (size_t h = 0; h < m->nhosts; h++) {
		const tls_mx_host_t *host = &m->host[h];

		printf("  %u %s\n", host->preference, host->name);
		for (size_t a = 0; a < host->naddr; a++)
			addr_text(&host->addr[a]);
	}
	if (m->f.n) {
		putchar('\n');
		cmd_findings_print(stdout, &m->f, o->color);
	}
}

static json_t *
addr_json(const tls_mx_addr_t *a)
{
	const smtp_probe_t *p = &a->probe;
	json_t *ms = json_object(), *j;

	for (size_t s = 0; s < SMTP_NSTEPS; s++)
		json_object_set_new(ms, smtp_step_names[s], json_integer(p->ms[s]));
	j = json_pack("{s:s, s:i, s:b, s:o, s:o, s:o, s:o, s:o}", "address",
	    p->addr, "port", (int)p->port, "starttls", p->starttls,
	    "tls_version", p->tls_version[0] ? json_string(p->tls_version) :
	    json_null(), "cipher", p->cipher[0] ? json_string(p->cipher) :
	    json_null(), "banner", p->banner[0] ? json_string(p->banner) :
	    json_null(), "error", p->failed == SMTP_DONE ? json_null() :
	    json_pack("{s:s, s:s}", "step", smtp_step_names[p->failed],
	    "message", p->error), "ms", ms);
	json_object_set_new(j, "cert", !a->cert.present ? json_null() :
	    json_pack("{s:b, s:b, s:s, s:I, s:s, s:s, s:o}", "valid",
	    a->cert.valid, "names_ok", a->cert.names_ok, "not_after",
	    a->cert.not_after, "days_left", (json_int_t)a->cert.days_left,
	    "issuer", a->cert.issuer, "subject", a->cert.subject, "error",
	    a->cert.valid ? json_null() : json_string(a->cert.error)));
	json_object_set_new(j, "dane", json_pack("{s:b, s:b, s:o, s:o, s:b, "
	    "s:b, s:o}", "present", a->dane.present, "dnssec", a->dane.dnssec,
	    "validated_by", a->dane.validated_by ?
	    json_string(a->dane.validated_by) : json_null(), "validation",
	    a->dane.validation ? json_string(a->dane.validation) : json_null(),
	    "usable", a->dane.usable, "matched", a->dane.matched, "match",
	    a->dane.matched ? json_string(a->dane.match) : json_null()));
	return j;
}

static json_t *
domain_json(const tls_mx_t *m)
{
	json_t *mx = json_array();

	for (size_t h = 0; h < m->nhosts; h++) {
		const tls_mx_host_t *host = &m->host[h];
		json_t *addrs = json_array();

		for (size_t a = 0; a < host->naddr; a++)
			json_array_append_new(addrs, addr_json(&host->addr[a]));
		json_array_append_new(mx, json_pack("{s:s, s:i, s:s, s:o}",
		    "host", host->name, "preference", (int)host->preference,
		    "tlsa_owner", host->owner, "addresses", addrs));
	}
	return json_pack("{s:s, s:b, s:b, s:o, s:o, s:o}", "domain", m->domain,
	    "null_mx", m->null_mx, "implicit_mx", m->implicit, "mx", mx,
	    "findings", cmd_findings_json(&m->f), "error", m->dns_failed ?
	    json_string(m->error) : json_null());
}

/* The domains: the operands, or the batch file's lines */
static tls_mx_t **
domains_read(const cmd_opts_t *o, const mx_tls_job_t *j, char **args, int n,
    size_t *count)
{
	cmd_batch_input_t in;
	tls_mx_t **v = NULL;
	const char *text;
	char why[300];
	size_t cap = 0;
	int rc;

	*count = 0;
	if (j->batch)
		cmd_batch_open(o, j->batch, &in);
	else
		cmd_batch_array(args, (size_t)n, &in);
	while ((rc = cmd_batch_next(&in, &text, why, sizeof(why))) == 1) {
		tls_mx_t *m;

		if (why[0]) {
			cmd_error(o, "%s", why);
			continue;
		}
		if (*count == cap) {
			tls_mx_t **nv = realloc(v, (cap = cap ? 2 * cap : 16) *
			    sizeof(*v));

			if (nv == NULL)
				break;
			v = nv;
		}
		if ((m = calloc(1, sizeof(*m))) == NULL)
			break;
		cmd_domain_arg(o, text, m->domain);
		v[(*count)++] = m;
	}
	if (rc < 0)
		cmd_error(o, "%s", why);
	cmd_batch_close(&in);
	return v;
}

int
cmd_mx_tls(const cmd_opts_t *o, const mx_tls_job_t *j, char **args, int n)
{
	char err[300], host[256];
	size_t nd;
	tls_mx_t **v = domains_read(o, j, args, n, &nd);
	smtp_options_t so = { .helo = j->helo,
	    .timeout_ms = number(j->smtp_timeout, 10000),
	    .deadline_ms = o->deadline_given ? o->deadline_ms : 0,
	    .max_open = number(j->concurrency, 64) };
	tls_check_options_t co = { .expiry_warn = number(j->expiry, 14),
	    .now = time(NULL), .next_key = next_key(o, j->next_key) };
	unsigned port = number(j->port, 25);
	int status = EXIT_CLEAN;
	bool pending = true;
	json_t *docs = o->json ? json_array() : NULL;

	signal(SIGPIPE, SIG_IGN);
	if (j->host)
		cmd_domain_arg(o, j->host, host);
	if ((co.store = tls_store_new(j->ca_file, err, sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		exit(EXIT_USAGE);
	}
	if (j->trust_anchor && (co.validator = dns_validator_new(
	    j->trust_anchor, o->servers, o->nservers, o->timeout_ms, err,
	    sizeof(err))) == NULL) {
		cmd_error(o, "--trust-anchor: %s", err);
		exit(EXIT_USAGE);
	}
	dns_resolver_t *r = cmd_resolver(o);

	/* every domain's questions in lockstep, then every probe at once */
	dns_resolver_defer(r, true);
	for (unsigned round = 0; pending && round < 8; round++) {
		pending = false;
		for (size_t i = 0; i < nd; i++)
			pending |= tls_mx_resolve(v[i], r, j->host ? host : NULL,
			    port) == 0;
		if (pending)
			dns_resolver_wait(r);
	}
	dns_resolver_defer(r, false);
	if (tls_mx_probe(v, nd, &so, &co) != 0) {
		cmd_error(o, "no TLS context: out of memory");
		status = EXIT_USAGE;
	}
	for (size_t i = 0; i < nd; i++) {
		int st = v[i]->dns_failed ? EXIT_DNS :
		    cmd_findings_status(o, &v[i]->f);

		if (v[i]->dns_failed)
			cmd_error(o, "%s: %s", v[i]->domain, v[i]->error);
		if (docs)
			json_array_append_new(docs, domain_json(v[i]));
		else {
			if (i)
				putchar('\n');
			text_print(o, v[i]);
		}
		if (st > status && status != EXIT_DNS)
			status = st;
		tls_mx_clear(v[i]);
		free(v[i]);
	}
	if (docs) {
		json_t *doc = nd == 1 && !j->batch ?
		    json_incref(json_array_get(docs, 0)) :
		    json_pack("{s:O}", "domains", docs);

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
		json_decref(docs);
	}
	free(v);
	EVP_PKEY_free(co.next_key);
	dns_validator_free(co.validator);
	X509_STORE_free(co.store);
	dns_resolver_free(r);
	return nd == 0 ? EXIT_USAGE : status;
}

int
cmd_sts_certs(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    const char *const *patterns, size_t npatterns, bool enforce,
    const char *ca_pem, size_t ca_len, unsigned port, lint_findings_t *f)
{
	smtp_options_t so = { .timeout_ms = 10000 };
	tls_check_options_t co = { .expiry_warn = 14, .now = time(NULL) };
	tls_mx_t *m = calloc(1, sizeof(*m));
	char err[300];

	signal(SIGPIPE, SIG_IGN);
	if (m == NULL || (co.store = ca_pem ? tls_store_pem(ca_pem, ca_len, err,
	    sizeof(err)) : tls_store_new(NULL, err, sizeof(err))) == NULL) {
		cmd_error(o, "%s", m ? err : "out of memory");
		free(m);
		return -1;
	}
	snprintf(m->domain, sizeof(m->domain), "%s", domain);
	if (tls_mx_resolve(m, r, NULL, port) == 1 &&
	    tls_mx_probe(&m, 1, &so, &co) == 0)
		tls_mx_sts_check(m, patterns, npatterns, enforce, f);
	tls_mx_clear(m);
	free(m);
	X509_STORE_free(co.store);
	return 0;
}
