#include "tls/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls/tlsa.h"

#define E LINT_ERROR
#define W LINT_WARNING
#define I LINT_INFO

const lint_code_t tls_codes[TLS_ROWS] = {
	[TLS_CONNECT] = { "mxtls-connect", E,
	    "%s (%s port %u): cannot connect: %s", "RFC 5321 5.1",
	    "check that the MX host listens on the port and that no firewall "
	    "drops it" },
	[TLS_BANNER] = { "mxtls-banner", E,
	    "%s (%s): no SMTP greeting: %s", "RFC 5321 4.3.1", NULL },
	[TLS_EHLO] = { "mxtls-ehlo", E,
	    "%s (%s): EHLO failed: %s", "RFC 5321 4.1.1.1", NULL },
	[TLS_NO_STARTTLS] = { "mxtls-no-starttls", E,
	    "%s (%s) offers no STARTTLS: mail to it goes in clear, and "
	    "MTA-STS and DANE senders do not deliver", "RFC 3207",
	    "enable TLS on the server (Postfix: smtpd_tls_security_level = "
	    "may, with a certificate)" },
	[TLS_STARTTLS] = { "mxtls-starttls", E,
	    "%s (%s): STARTTLS failed: %s", "RFC 3207 4", NULL },
	[TLS_HANDSHAKE] = { "mxtls-handshake", E,
	    "%s (%s): %s", "RFC 8446", NULL },
	[TLS_OLD_VERSION] = { "mxtls-old-tls", E,
	    "%s (%s) negotiated %s, deprecated: senders that require TLS 1.2 "
	    "cannot deliver", "RFC 8996", "enable TLS 1.2 and 1.3" },
	[TLS_V12] = { "mxtls-tls12", I,
	    "%s (%s) negotiated TLSv1.2; TLS 1.3 is preferred", "RFC 8446",
	    NULL },
	[TLS_UNTRUSTED] = { "mxtls-cert-untrusted", E,
	    "%s (%s): %s: MTA-STS senders refuse it", "RFC 8461 4.2",
	    "install a certificate from a public CA, with its intermediates" },
	[TLS_EXPIRED] = { "mxtls-cert-expired", E,
	    "%s (%s): %s", "RFC 5280 4.1.2.5",
	    "renew the certificate" },
	[TLS_EXPIRING] = { "mxtls-cert-expiring", W,
	    "%s (%s): the certificate expires in %ld day(s) (%s)",
	    "RFC 5280 4.1.2.5", "renew the certificate" },
	[TLS_NAME] = { "mxtls-cert-name", E,
	    "%s (%s): %s: MTA-STS senders refuse it",
	    "RFC 8461 4.2, RFC 7817 3",
	    "add the MX name to the certificate's subjectAltName" },
	[TLS_DANE_NONE] = { "mxtls-dane-none", I,
	    "no TLSA records at %s: DANE senders use TLS without "
	    "authentication", "RFC 7672 2.2", NULL },
	[TLS_DANE_INSECURE] = { "mxtls-dane-insecure", W,
	    "TLSA records at %s, but the answer is not DNSSEC-validated (%s): "
	    "DANE senders ignore them", "RFC 7672 2.2",
	    "sign the zone and publish its DS, or ask a validating resolver "
	    "(--server) or give its trust anchor (--trust-anchor)" },
	[TLS_DANE_BOGUS] = { "mxtls-dane-bogus", E,
	    "TLSA records at %s fail DNSSEC validation (%s): DANE senders "
	    "defer the mail", "RFC 7672 2.1.1",
	    "re-sign the zone, or fix the DS at the parent" },
	[TLS_DANE_VALIDATED] = { "mxtls-dane-validated", I,
	    "TLSA records at %s: %s", "RFC 4035 5", NULL },
	[TLS_DANE_NONE_PROVEN] = { "mxtls-dane-none-proven", I,
	    "no TLSA records at %s, and DNSSEC proves it (%s): DANE senders "
	    "use TLS without authentication", "RFC 7672 2.2",
	    "the zone is signed: publish the record tlsa-gen prints (3 1 1), "
	    "and DANE senders authenticate the server" },
	[TLS_DANE_DENIAL_BOGUS] = { "mxtls-dane-denial-bogus", E,
	    "the answer that %s has no TLSA records fails DNSSEC validation "
	    "(%s): DANE senders defer the mail", "RFC 7672 2.2",
	    "re-sign the zone (its NSEC or NSEC3 records), or fix the DS at "
	    "the parent" },
	[TLS_DANE_UNUSABLE] = { "mxtls-dane-unusable", E,
	    "no usable TLSA record at %s (DANE-TA or DANE-EE, well formed): "
	    "DANE senders defer the mail", "RFC 7672 2.2",
	    "publish the record tlsa-gen prints (3 1 1)" },
	[TLS_DANE_MISMATCH] = { "mxtls-dane-mismatch", E,
	    "%s (%s): no TLSA record at %s matches the certificate chain: "
	    "DANE senders defer the mail", "RFC 7672 3",
	    "publish the record tlsa-gen prints for the certificate served "
	    "(and keep the old one until the change is cached out)" },
	[TLS_DANE_MATCH] = { "mxtls-dane-match", I,
	    "%s (%s): TLSA %s matches", "RFC 7672 3", NULL },
	[TLS_DANE_NEXT_KEY] = { "mxtls-dane-next-key", W,
	    "no TLSA record at %s matches the next key: senders defer the "
	    "mail once it is in use", "RFC 7671 8.1",
	    "publish the record tlsa-gen --next-key prints before the "
	    "rollover" },
	[TLS_PKIX_IGNORED] = { "mxtls-pkix-ignored", I,
	    "%s (%s): %s; a DANE-EE record matches, so DANE senders do not "
	    "mind", "RFC 7672 3.1.1", NULL },
	[TLS_STS_CERT] = { "mtasts-mx-cert", E,
	    "%s (%s) is an MX host of the enforced policy, but %s: senders "
	    "that honour the policy do not deliver to it", "RFC 8461 4.2",
	    "give the MX host a certificate from a public CA for its name" },
	[TLS_STS_CERT_TESTING] = { "mtasts-mx-cert-testing", W,
	    "%s (%s) is an MX host of the policy, but %s: with mode enforce, "
	    "senders would not deliver to it", "RFC 8461 4.2",
	    "give the MX host a certificate from a public CA for its name "
	    "before enforcing" },
};

X509_STORE *
tls_store_new(const char *ca_file, char *err, size_t errlen)
{
	X509_STORE *s = X509_STORE_new();

	if (s == NULL || (ca_file ? X509_STORE_load_file(s, ca_file) :
	    X509_STORE_set_default_paths(s)) != 1) {
		snprintf(err, errlen, "%s: cannot load the trust store",
		    ca_file ? ca_file : "the system's");
		X509_STORE_free(s);
		return NULL;
	}
	return s;
}

X509_STORE *
tls_store_pem(const char *pem, size_t len, char *err, size_t errlen)
{
	X509_STORE *s = X509_STORE_new();
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	STACK_OF(X509_INFO) *v = b ? PEM_X509_INFO_read_bio(b, NULL, NULL,
	    NULL) : NULL;
	int added = 0;

	for (int i = 0; s && v && i < sk_X509_INFO_num(v); i++) {
		X509_INFO *x = sk_X509_INFO_value(v, i);

		if (x->x509 && X509_STORE_add_cert(s, x->x509) == 1)
			added++;
	}
	sk_X509_INFO_pop_free(v, X509_INFO_free);
	BIO_free(b);
	if (added == 0) {
		snprintf(err, errlen, "the CA file holds no certificate");
		X509_STORE_free(s);
		return NULL;
	}
	return s;
}

static void
when(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		snprintf(out, len, "?");
		return;
	}
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The DNS names the certificate gives (subjectAltName, else CN) */
static void
cert_names(X509 *c, char *out, size_t len)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(c, NID_subject_alt_name, NULL,
	    NULL);
	size_t at = 0;

	out[0] = '\0';
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens) && at < len; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_DNS)
			at += (size_t)snprintf(out + at, len - at, "%s%.*s",
			    at ? ", " : "", ASN1_STRING_length(g->d.dNSName),
			    (const char *)ASN1_STRING_get0_data(g->d.dNSName));
	}
	GENERAL_NAMES_free(gens);
	if (at == 0)
		X509_NAME_get_text_by_NID(X509_get_subject_name(c),
		    NID_commonName, out, (int)len);
	if (out[0] == '\0')
		snprintf(out, len, "no name");
}

static void
cert_judge(const smtp_probe_t *p, const tls_check_options_t *o,
    tls_cert_verdict_t *v)
{
	X509 *leaf = sk_X509_value(p->chain, 0);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int days = 0, secs = 0;

	v->present = true;
	X509_NAME_oneline(X509_get_issuer_name(leaf), v->issuer,
	    sizeof(v->issuer));
	X509_NAME_oneline(X509_get_subject_name(leaf), v->subject,
	    sizeof(v->subject));
	when(X509_get0_notAfter(leaf), v->not_after, sizeof(v->not_after));
	if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(leaf)) == 1)
		v->days_left = days - (days > 0 && secs < 0);
	v->names_ok = X509_check_host(leaf, p->host, 0,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	if (ctx && o->store && X509_STORE_CTX_init(ctx, o->store, leaf,
	    p->chain) == 1) {
		X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
		X509_STORE_CTX_set_time(ctx, 0, o->now);
		v->valid = X509_verify_cert(ctx) == 1;
		if (!v->valid)
			snprintf(v->error, sizeof(v->error), "%s",
			    X509_verify_cert_error_string(
			    X509_STORE_CTX_get_error(ctx)));
	} else
		snprintf(v->error, sizeof(v->error), "no trust store");
	X509_STORE_CTX_free(ctx);
}

/* The record as text, "3 1 1 HEX", from its rdata */
static bool
rr_text(const ldns_rr *rr, char *out, size_t len)
{
	size_t at = 0;

	if (ldns_rr_rd_count(rr) != 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(rr, i));

		if (s == NULL)
			return false;
		at += (size_t)snprintf(out + at, at < len ? len - at : 0, "%s%s",
		    i ? " " : "", s);
		free(s);
	}
	return at < len;
}

/* Whether r matches a certificate of the chain: DANE-EE the leaf, DANE-TA
 * one above it (or the leaf itself, as RFC 7671 5.2.3 allows) */
static bool
dane_match(const tlsa_record_t *r, STACK_OF(X509) *chain)
{
	tlsa_record_t *mine = malloc(sizeof(*mine));
	bool hit = false;
	int n = r->usage == 3 ? 1 : sk_X509_num(chain);

	for (int i = 0; mine && i < n && !hit; i++)
		hit = tls_tlsa_make(sk_X509_value(chain, i), NULL, r->usage,
		    r->selector, r->mtype, mine) == 0 && mine->len == r->len &&
		    memcmp(mine->data, r->data, r->len) == 0;
	free(mine);
	return hit;
}

/* A record for the next key among the usable ones */
static bool
next_key_match(const dns_answer_t *tlsa, EVP_PKEY *key)
{
	tlsa_record_t *r = malloc(sizeof(*r)), *mine = malloc(sizeof(*mine));
	char text[TLSA_DATA_MAX * 2 + 16];
	bool hit = false;

	for (size_t i = 0; r && mine && !hit &&
	    i < ldns_rr_list_rr_count(tlsa->rrs); i++)
		hit = rr_text(ldns_rr_list_rr(tlsa->rrs, i), text,
		    sizeof(text)) && tlsa_record_parse(text, r) == 0 &&
		    r->usage == 3 && r->selector == 1 &&
		    tls_tlsa_make(NULL, key, 3, 1, r->mtype, mine) == 0 &&
		    mine->len == r->len && memcmp(mine->data, r->data,
		    r->len) == 0;
	free(r);
	free(mine);
	return hit;
}

/* How the TLSA answer at an owner (its records, or that there are none)
 * was validated: here (dnssec), else by the resolver's AD bit (ad) */
static void
dane_validation(tls_dane_verdict_t *v, const tls_dnssec_t *dnssec, bool ad)
{
	v->dnssec = dnssec ? dnssec->state == DNS_VALID_SECURE : ad;
	v->validated_by = !v->dnssec ? NULL : dnssec ? "trust-anchor" :
	    "resolver";
	v->validation = dnssec ? dns_validation_str(dnssec->state) : NULL;
	v->bogus = dnssec && dnssec->state == DNS_VALID_BOGUS;
}

static void
dane_judge(const smtp_probe_t *p, const dns_answer_t *tlsa, const char *owner,
    const tls_dnssec_t *dnssec, const tls_check_options_t *o,
    tls_dane_verdict_t *v, bool *ee, lint_findings_t *f)
{
	tlsa_record_t *r = malloc(sizeof(*r));
	char text[TLSA_DATA_MAX * 2 + 16];
	lint_findings_t scratch;

	dane_validation(v, dnssec, tlsa->secure);
	v->nrecords = ldns_rr_list_rr_count(tlsa->rrs);
	v->present = v->nrecords > 0;
	for (size_t i = 0; r && i < v->nrecords; i++) {
		if (!rr_text(ldns_rr_list_rr(tlsa->rrs, i), text, sizeof(text)))
			continue;
		/* the record's own checks, once for the host (the first of
		 * its addresses) */
		lint_findings_init(&scratch);
		tlsa_record_check(text, owner, &scratch);
		if (tlsa_record_parse(text, r) != 0 || r->usage < 2 ||
		    r->usage > 3 || r->selector > 1 || r->mtype > 2 ||
		    lint_findings_count(&scratch, LINT_ERROR)) {
			lint_findings_clear(&scratch);
			continue;
		}
		lint_findings_clear(&scratch);
		v->usable = true;
		if (!v->matched && p->chain && dane_match(r, p->chain)) {
			v->matched = true;
			/* DANE senders use it only when it was validated */
			*ee = r->usage == 3 && v->dnssec;
			snprintf(v->match, sizeof(v->match), "%.*s%s",
			    (int)sizeof(v->match) - 4, text, strlen(text) >=
			    sizeof(v->match) ? "..." : "");
		}
	}
	free(r);
	if (v->bogus) {
		lint_findings_add(f, &tls_codes[TLS_DANE_BOGUS], p->host, -1L,
		    owner, dnssec->why);
		return;
	}
	if (!v->dnssec) {
		lint_findings_add(f, &tls_codes[TLS_DANE_INSECURE], p->host, -1L,
		    owner, dnssec ? dnssec->why : "no AD bit");
		return;
	}
	if (dnssec)
		lint_findings_add(f, &tls_codes[TLS_DANE_VALIDATED], p->host,
		    -1L, owner, dnssec->why);
	if (!v->usable)
		lint_findings_add(f, &tls_codes[TLS_DANE_UNUSABLE], p->host, -1L,
		    owner);
	else if (p->chain && !v->matched)
		lint_findings_add(f, &tls_codes[TLS_DANE_MISMATCH], p->host, -1L,
		    p->host, p->addr, owner);
	else if (v->matched)
		lint_findings_add(f, &tls_codes[TLS_DANE_MATCH], p->host, -1L,
		    p->host, p->addr, v->match);
	if (o->next_key && v->usable && !next_key_match(tlsa, o->next_key))
		lint_findings_add(f, &tls_codes[TLS_DANE_NEXT_KEY], p->host, -1L,
		    owner);
}

/* A PKIX verdict: an error, or a note when a DANE-EE record matched */
static void
pkix(lint_findings_t *f, bool ee, const smtp_probe_t *p, enum tls_row row,
    const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ee)
		lint_findings_add(f, &tls_codes[TLS_PKIX_IGNORED], p->host, -1L,
		    p->host, p->addr, why);
	else
		lint_findings_add(f, &tls_codes[row], p->host, -1L, p->host,
		    p->addr, why);
}

/* No TLSA records at owner: proven so by DNSSEC (validated here), or
 * that answer bogus, or neither */
static void
dane_none(const smtp_probe_t *p, const char *owner,
    const tls_dnssec_t *dnssec, tls_dane_verdict_t *v, lint_findings_t *f)
{
	if (dnssec == NULL || dnssec->state == DNS_VALID_INSECURE ||
	    dnssec->state == DNS_VALID_FAILED) {
		lint_findings_add(f, &tls_codes[TLS_DANE_NONE], p->host, -1L,
		    owner);
		return;
	}
	dane_validation(v, dnssec, false);	/* secure or bogus */
	lint_findings_add(f, &tls_codes[v->bogus ? TLS_DANE_DENIAL_BOGUS :
	    TLS_DANE_NONE_PROVEN], p->host, -1L, owner, dnssec->why);
}

void
tls_check_probe(const smtp_probe_t *p, const dns_answer_t *tlsa,
    const char *owner, const tls_dnssec_t *dnssec,
    const tls_check_options_t *o, tls_cert_verdict_t *cert,
    tls_dane_verdict_t *dane, lint_findings_t *f)
{
	static const enum tls_row by_step[SMTP_NSTEPS] = {
		[SMTP_CONNECT] = TLS_CONNECT, [SMTP_BANNER] = TLS_BANNER,
		[SMTP_EHLO] = TLS_EHLO, [SMTP_STARTTLS] = TLS_STARTTLS,
		[SMTP_TLS] = TLS_HANDSHAKE,
	};
	char names[512];
	bool ee = false;

	memset(cert, 0, sizeof(*cert));
	memset(dane, 0, sizeof(*dane));
	if (p->failed == SMTP_CONNECT)
		lint_findings_add(f, &tls_codes[TLS_CONNECT], p->host, -1L,
		    p->host, p->addr, p->port, p->error);
	else if (p->failed == SMTP_STARTTLS && !p->starttls)
		lint_findings_add(f, &tls_codes[TLS_NO_STARTTLS], p->host, -1L,
		    p->host, p->addr);
	else if (p->failed != SMTP_DONE)
		lint_findings_add(f, &tls_codes[by_step[p->failed]], p->host,
		    -1L, p->host, p->addr, p->error);
	if (p->tls_version[0] && (strcmp(p->tls_version, "TLSv1") == 0 ||
	    strcmp(p->tls_version, "TLSv1.1") == 0 ||
	    strncmp(p->tls_version, "SSL", 3) == 0))
		lint_findings_add(f, &tls_codes[TLS_OLD_VERSION], p->host, -1L,
		    p->host, p->addr, p->tls_version);
	else if (strcmp(p->tls_version, "TLSv1.2") == 0)
		lint_findings_add(f, &tls_codes[TLS_V12], p->host, -1L, p->host,
		    p->addr);
	if (tlsa && tlsa->result == DNS_OK)
		dane_judge(p, tlsa, owner, dnssec, o, dane, &ee, f);
	else if (tlsa && tlsa->result != DNS_PENDING)
		dane_none(p, owner, dnssec, dane, f);
	if (p->chain == NULL || sk_X509_num(p->chain) == 0)
		return;
	cert_judge(p, o, cert);
	cert_names(sk_X509_value(p->chain, 0), names, sizeof(names));
	if (cert->days_left < 0)
		pkix(f, ee, p, TLS_EXPIRED, "the certificate expired on %s",
		    cert->not_after);
	else if (!cert->valid)
		pkix(f, ee, p, TLS_UNTRUSTED, "the certificate does not chain "
		    "to a trusted CA (%s)", cert->error);
	if (!cert->names_ok)
		pkix(f, ee, p, TLS_NAME, "the certificate does not cover %s "
		    "(it names %s)", p->host, names);
	if (cert->days_left >= 0 && cert->days_left < (long)o->expiry_warn)
		lint_findings_add(f, &tls_codes[TLS_EXPIRING], p->host, -1L,
		    p->host, p->addr, cert->days_left, cert->not_after);
}
