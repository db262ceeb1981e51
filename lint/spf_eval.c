#include "lint/spf_eval.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/spf_macro.h"
#include "lint/spf_record.h"
#include "lint/spf_walk.h"

#define MAX_DEPTH	20

enum match { NOMATCH, MATCH, TEMPERR, PERMERR };

struct eval {
	dns_resolver_t *r;
	spf_outcome_t *out;
	spf_macro_ctx_t ctx;	/* domain changes with recursion */
	char local[256], sender_domain[256], helo[256];
	char ptr_buf[256];
	bool ptr_done;
	bool err_noted;		/* where the first error happened is kept */
	unsigned depth;
	const char *record;	/* the checked domain's, instead of DNS */
	char top[1024];		/* the checked domain, normalized */
};

static const char *const result_names[] = {
	[SPF_RESULT_NONE] = "none", [SPF_RESULT_NEUTRAL] = "neutral",
	[SPF_RESULT_PASS] = "pass", [SPF_RESULT_FAIL] = "fail",
	[SPF_RESULT_SOFTFAIL] = "softfail",
	[SPF_RESULT_TEMPERROR] = "temperror",
	[SPF_RESULT_PERMERROR] = "permerror",
};

const char *
spf_result_str(spf_result_t res)
{
	return result_names[res];
}

void
spf_outcome_clear(spf_outcome_t *out)
{
	free(out->domain);
	free(out->decided_by);
	free(out->mechanism);
	free(out->explanation);
	free(out->problem);
	memset(out, 0, sizeof(*out));
}

/* Records the term (or NULL) that decides, in domain's record */
static void
decided(struct eval *e, const char *domain, const char *term, size_t len)
{
	free(e->out->mechanism);
	free(e->out->decided_by);
	e->out->mechanism = term ? strndup(term, len) : NULL;
	e->out->decided_by = domain ? strdup(domain) : NULL;
}

static void
problem(struct eval *e, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	if (e->out->problem)
		return;		/* the first problem is the cause */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e->out->problem = strdup(buf);
}

/* RFC 7208 4.3: raw (a name as macros or the user give it) made a name to
 * query in out; false for single labels, literals and malformed names */
static bool
domain_ok(const char *raw, char *out, size_t len)
{
	size_t n = strlen(raw), label = 0;

	if (n > 0 && raw[n - 1] == '.')
		n--;
	if (n == 0 || raw[0] == '[' || memchr(raw, '.', n) == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (raw[i] != '.' && ++label > 63)
			return false;
		if (raw[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		}
	}
	return util_name_from_raw(raw, out, len) == 0;
}

/* Addresses of name in the client's family that match under prefix */
static bool
addr_match(const struct eval *e, const ldns_rr_list *rrs, int prefix)
{
	size_t bytes = e->ctx.family == AF_INET ? 4 : 16;
	int bits = prefix < 0 ? (int)bytes * 8 : prefix;

	for (size_t i = 0; rrs && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rdf *rd = ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0);
		const uint8_t *a = ldns_rdf_data(rd);
		int whole = bits / 8, rest = bits % 8;

		if (ldns_rdf_size(rd) != bytes)
			continue;
		if (memcmp(a, e->ctx.ip, (size_t)whole) == 0 && (rest == 0 ||
		    ((a[whole] ^ e->ctx.ip[whole]) &
		    (uint8_t)(0xff << (8 - rest))) == 0))
			return true;
	}
	return false;
}

static bool
count_void(struct eval *e, const dns_answer_t *a, const char *name)
{
	if (!dns_result_is_void(a->result))
		return true;
	if (++e->out->void_lookups > SPF_VOID_LIMIT) {
		problem(e, "more than %d void lookups (at %s)", SPF_VOID_LIMIT,
		    name);
		return false;
	}
	return true;
}

static ldns_rr_type
addr_type(const struct eval *e)
{
	return e->ctx.family == AF_INET ? LDNS_RR_TYPE_A : LDNS_RR_TYPE_AAAA;
}

/* The reverse name of the client */
static void
reverse_name(const struct eval *e, char *out, size_t len)
{
	const uint8_t *ip = e->ctx.ip;

	if (e->ctx.family == AF_INET) {
		snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", ip[3], ip[2],
		    ip[1], ip[0]);
		return;
	}
	out[0] = '\0';
	for (int i = 15; i >= 0; i--) {
		char nib[8];

		snprintf(nib, sizeof(nib), "%x.%x.", ip[i] & 15, ip[i] >> 4);
		strncat(out, nib, len - strlen(out) - 1);
	}
	strncat(out, "ip6.arpa", len - strlen(out) - 1);
}

static bool
name_under(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	return strcasecmp(name, domain) == 0 || (n > d &&
	    name[n - d - 1] == '.' && strcasecmp(name + n - d, domain) == 0);
}

/* RFC 7208 5.5: the client's names whose addresses include it.  Calls fn
 * for each validated name (at most 10 PTR names are tried) until it
 * returns true. */
static bool
ptr_validated(struct eval *e, bool (*fn)(const char *, void *), void *arg,
    const dns_answer_t **reverse)
{
	char rev[80], name[256];
	const dns_answer_t *a;

	reverse_name(e, rev, sizeof(rev));
	a = dns_resolver_get(e->r, rev, LDNS_RR_TYPE_PTR);
	if (reverse)
		*reverse = a;
	if (a->result != DNS_OK)
		return false;
	for (size_t i = 0; i < ldns_rr_list_rr_count(a->rrs) && i < 10; i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs, i),
		    0));
		const dns_answer_t *b;
		bool ok = s && util_name_normalize(s, name, sizeof(name)) == 0;

		free(s);
		if (!ok)
			continue;
		b = dns_resolver_get(e->r, name, addr_type(e));
		if (b->result == DNS_OK && addr_match(e, b->rrs, -1) &&
		    fn(name, arg))
			return true;
	}
	return false;
}

struct ptr_pick {
	const char *domain;
	char *best;		/* exact, else subdomain, else any */
	int rank;
};

static bool
ptr_pick_one(const char *name, void *arg)
{
	struct ptr_pick *p = arg;
	int rank = strcasecmp(name, p->domain) == 0 ? 3 :
	    name_under(name, p->domain) ? 2 : 1;

	if (rank > p->rank) {
		snprintf(p->best, 256, "%s", name);
		p->rank = rank;
	}
	return rank == 3;
}

/* %{p}: looked up once per evaluation */
static const char *
ptr_macro(void *arg, const char *domain)
{
	struct eval *e = arg;
	struct ptr_pick p = { domain, e->ptr_buf, 0 };

	if (!e->ptr_done) {
		e->ptr_done = true;
		if (!ptr_validated(e, ptr_pick_one, &p, NULL))
			if (p.rank == 0)
				snprintf(e->ptr_buf, sizeof(e->ptr_buf),
				    "unknown");
	}
	return e->ptr_buf;
}

struct ptr_target {
	const char *target;
};

static bool
ptr_is_under(const char *name, void *arg)
{
	return name_under(name, ((struct ptr_target *)arg)->target);
}

static spf_result_t check_host(struct eval *e, const char *domain,
    char **explanation);

/* The name a term queries: its domain-spec expanded, or the current one;
 * NULL with *valid false when it is no name to query */
static char *
target_of(struct eval *e, const spf_term_t *t, bool *valid)
{
	char *raw = t->domain ? spf_macro_domain(t->domain, &e->ctx) :
	    strdup(e->ctx.domain);
	char name[1024];

	*valid = false;
	if (raw == NULL) {
		problem(e, "cannot expand \"%s\"", t->domain);
		return NULL;
	}
	*valid = domain_ok(raw, name, sizeof(name));
	free(raw);
	return *valid ? strdup(name) : NULL;
}

static enum match
mechanism(struct eval *e, const spf_term_t *t)
{
	const dns_answer_t *a;
	enum match m = NOMATCH;
	char *target = NULL;

	if (t->kind == SPF_ALL)
		return MATCH;
	if (t->kind == SPF_IP4 || t->kind == SPF_IP6) {
		int fam = t->kind == SPF_IP4 ? AF_INET : AF_INET6;
		int bits = fam == AF_INET ? (t->cidr4 < 0 ? 32 : t->cidr4) :
		    (t->cidr6 < 0 ? 128 : t->cidr6);
		int whole = bits / 8, rest = bits % 8;

		if (fam != e->ctx.family)
			return NOMATCH;
		return memcmp(t->addr, e->ctx.ip, (size_t)whole) == 0 &&
		    (rest == 0 || ((t->addr[whole] ^ e->ctx.ip[whole]) &
		    (uint8_t)(0xff << (8 - rest))) == 0) ? MATCH : NOMATCH;
	}
	/* every other mechanism costs a lookup */
	if (++e->out->lookups > SPF_LOOKUP_LIMIT) {
		problem(e, "more than %d DNS-querying terms", SPF_LOOKUP_LIMIT);
		return PERMERR;
	}
	bool valid;

	if ((target = target_of(e, t, &valid)) == NULL)
		return valid || t->kind == SPF_INCLUDE ? PERMERR : NOMATCH;
	int prefix = e->ctx.family == AF_INET ? t->cidr4 : t->cidr6;

	switch (t->kind) {
	case SPF_INCLUDE: {
		char *expl = NULL;
		spf_result_t r = check_host(e, target, &expl);

		free(expl);	/* RFC 7208 6.2: an included exp is not used */
		if (!e->err_noted)
			decided(e, NULL, NULL, 0);	/* inner matches end here */
		if (r == SPF_RESULT_PASS)
			m = MATCH;
		else if (r == SPF_RESULT_TEMPERROR)
			m = TEMPERR;
		else if (r == SPF_RESULT_PERMERROR || r == SPF_RESULT_NONE) {
			if (r == SPF_RESULT_NONE)
				problem(e, "included %s has no SPF record",
				    target);
			m = PERMERR;
		}
		break;
	}
	case SPF_A:
	case SPF_EXISTS:
		a = dns_resolver_get(e->r, target, t->kind == SPF_EXISTS ?
		    LDNS_RR_TYPE_A : addr_type(e));
		if (dns_result_is_failure(a->result)) {
			problem(e, "%s: %s", target, dns_result_str(a->result));
			m = TEMPERR;
		} else if (!count_void(e, a, target))
			m = PERMERR;
		else if (a->result == DNS_OK)
			m = t->kind == SPF_EXISTS || addr_match(e, a->rrs,
			    prefix) ? MATCH : NOMATCH;
		break;
	case SPF_MX:
		a = dns_resolver_get(e->r, target, LDNS_RR_TYPE_MX);
		if (dns_result_is_failure(a->result)) {
			problem(e, "%s MX: %s", target, dns_result_str(a->result));
			m = TEMPERR;
			break;
		}
		if (!count_void(e, a, target)) {
			m = PERMERR;
			break;
		}
		if (a->result != DNS_OK)
			break;
		if (ldns_rr_list_rr_count(a->rrs) > SPF_MX_LIMIT) {
			problem(e, "%s has more than %d MX names", target,
			    SPF_MX_LIMIT);
			m = PERMERR;
			break;
		}
		for (size_t i = 0; i < ldns_rr_list_rr_count(a->rrs) &&
		    m == NOMATCH; i++) {
			const ldns_rr *mx = ldns_rr_list_rr(a->rrs, i);
			char *s = ldns_rdf2str(ldns_rr_rdf(mx, 1)), host[256];
			const dns_answer_t *b;

			if (s && util_name_normalize(s, host, sizeof(host)) == 0) {
				b = dns_resolver_get(e->r, host, addr_type(e));
				if (b->result == DNS_OK &&
				    addr_match(e, b->rrs, prefix))
					m = MATCH;
			}
			free(s);
		}
		break;
	case SPF_PTR: {
		struct ptr_target pt = { target };
		const dns_answer_t *rev;

		m = ptr_validated(e, ptr_is_under, &pt, &rev) ? MATCH : NOMATCH;
		/* the mechanism's own reverse lookup is a lookup of the term:
		 * void when it finds nothing (RFC 7208 4.6.4) */
		if (!count_void(e, rev, "the client's reverse name"))
			m = PERMERR;
		break;
	}
	default:
		break;
	}
	free(target);
	return m;
}

/* The explanation of a fail: the exp target's one TXT record, expanded */
static char *
explain(struct eval *e, const spf_term_t *exp)
{
	char *raw = spf_macro_domain(exp->domain, &e->ctx), *text, *out;
	char name[1024];
	const dns_answer_t *a;
	const ldns_rr *rr;
	size_t len = 0;
	bool ok = raw && domain_ok(raw, name, sizeof(name));

	free(raw);
	if (!ok)
		return NULL;
	a = dns_resolver_get(e->r, name, LDNS_RR_TYPE_TXT);
	if (a->result != DNS_OK || ldns_rr_list_rr_count(a->rrs) != 1)
		return NULL;
	rr = ldns_rr_list_rr(a->rrs, 0);
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++)
		len += ldns_rdf_size(ldns_rr_rdf(rr, i)) - 1;
	if ((text = malloc(len + 1)) == NULL)
		return NULL;
	len = 0;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *rd = ldns_rr_rdf(rr, i);

		memcpy(text + len, ldns_rdf_data(rd) + 1, ldns_rdf_size(rd) - 1);
		len += ldns_rdf_size(rd) - 1;
	}
	text[len] = '\0';
	out = spf_macro_expand(text, len, &e->ctx, true);
	free(text);
	return out;
}

static spf_result_t
qualifier_result(char q)
{
	return q == '-' ? SPF_RESULT_FAIL : q == '~' ? SPF_RESULT_SOFTFAIL :
	    q == '?' ? SPF_RESULT_NEUTRAL : SPF_RESULT_PASS;
}

static spf_result_t
check_host(struct eval *e, const char *domain, char **explanation)
{
	const char *saved = e->ctx.domain;
	const dns_answer_t *a;
	lint_findings_t scratch;
	spf_record_t *rec = NULL;
	spf_result_t res = SPF_RESULT_NEUTRAL;
	char *text;
	size_t count, len;
	char norm[1024];

	*explanation = NULL;
	if (!domain_ok(domain, norm, sizeof(norm)))
		return SPF_RESULT_NONE;
	if (e->depth >= MAX_DEPTH) {
		problem(e, "includes nested too deep at %s", norm);
		return SPF_RESULT_PERMERROR;
	}
	if (e->record && strcmp(norm, e->top) == 0) {
		/* the candidate record stands for the domain's own */
		if ((text = strdup(e->record)) == NULL)
			return SPF_RESULT_TEMPERROR;
		len = strlen(text);
		count = 1;
	} else {
		a = dns_resolver_get(e->r, norm, LDNS_RR_TYPE_TXT);
		if (dns_result_is_failure(a->result)) {
			problem(e, "%s TXT: %s", norm,
			    dns_result_str(a->result));
			return SPF_RESULT_TEMPERROR;
		}
		text = a->result == DNS_OK ? spf_txt_select(a->rrs, &count,
		    &len) : NULL;
		if (a->result != DNS_OK || count == 0)
			return SPF_RESULT_NONE;
	}
	if (text == NULL) {
		problem(e, "%s has %zu SPF records", norm, count);
		return SPF_RESULT_PERMERROR;
	}
	lint_findings_init(&scratch);
	rec = spf_record_parse(text, len, norm, &scratch);
	if (rec == NULL || rec->bad) {
		problem(e, "%s: %s", norm, scratch.n ? scratch.v[0].message :
		    "syntax error");
		if (!e->err_noted) {
			decided(e, norm, NULL, 0);
			e->err_noted = true;
		}
		res = SPF_RESULT_PERMERROR;
		goto done;
	}
	e->ctx.domain = domain;	/* %{d} keeps the case it was given in */
	e->depth++;
	for (size_t i = 0; i < rec->nterms; i++) {
		const spf_term_t *t = &rec->terms[i];
		enum match m;

		if (t->kind == SPF_REDIRECT || t->kind == SPF_EXP ||
		    t->kind == SPF_MODIFIER)
			continue;
		m = mechanism(e, t);
		if (m == NOMATCH)
			continue;
		if (m == TEMPERR || m == PERMERR) {
			res = m == TEMPERR ? SPF_RESULT_TEMPERROR :
			    SPF_RESULT_PERMERROR;
			if (!e->err_noted) {
				decided(e, norm, rec->text + t->offset,
				    t->length);
				e->err_noted = true;
			}
			goto out;
		}
		res = qualifier_result(t->qualifier);
		decided(e, norm, rec->text + t->offset, t->length);
		if (res == SPF_RESULT_FAIL && rec->exp >= 0)
			*explanation = explain(e, &rec->terms[rec->exp]);
		goto out;
	}
	if (rec->redirect >= 0) {
		const spf_term_t *t = &rec->terms[rec->redirect];
		char *target;

		if (++e->out->lookups > SPF_LOOKUP_LIMIT) {
			problem(e, "more than %d DNS-querying terms",
			    SPF_LOOKUP_LIMIT);
			res = SPF_RESULT_PERMERROR;
		} else if ((target = target_of(e, t, &(bool){ 0 })) == NULL)
			res = SPF_RESULT_PERMERROR;
		else {
			res = check_host(e, target, explanation);
			if (res == SPF_RESULT_NONE) {
				problem(e, "redirect target %s has no SPF "
				    "record", target);
				res = SPF_RESULT_PERMERROR;
			}
			free(target);
			if (res != SPF_RESULT_PERMERROR &&
			    res != SPF_RESULT_TEMPERROR)
				goto out;
		}
		if (!e->err_noted) {
			decided(e, norm, rec->text + t->offset, t->length);
			e->err_noted = true;
		}
		goto out;
	}
	/* no match and no redirect: neutral, the default */
	decided(e, norm, NULL, 0);
out:
	e->depth--;
	e->ctx.domain = saved;
done:
	lint_findings_clear(&scratch);
	spf_record_free(rec);
	free(text);
	return res;
}

int
spf_eval_run(spf_outcome_t *out, dns_resolver_t *r, const spf_request_t *req)
{
	struct eval e = { .r = r, .out = out };
	const char *sender = req->sender && *req->sender ? req->sender : NULL;
	const char *at;
	char *expl = NULL;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, req->ip, e.ctx.ip) == 1)
		e.ctx.family = AF_INET;
	else if (inet_pton(AF_INET6, req->ip, e.ctx.ip) == 1) {
		e.ctx.family = AF_INET6;
		/* an IPv4-mapped address is the IPv4 client it maps */
		if (memcmp(e.ctx.ip, mapped, 12) == 0) {
			memmove(e.ctx.ip, e.ctx.ip + 12, 4);
			e.ctx.family = AF_INET;
		}
	} else
		return -1;
	e.ctx.upper_hex = e.ctx.family == AF_INET6 &&
	    strpbrk(req->ip, "ABCDEF") != NULL;
	snprintf(e.helo, sizeof(e.helo), "%s", req->helo ? req->helo : "");
	out->identity = sender ? "mailfrom" : "helo";
	/* RFC 7208 4.3 and 2.4: the HELO identity is postmaster@helo */
	if (sender == NULL) {
		snprintf(e.local, sizeof(e.local), "postmaster");
		snprintf(e.sender_domain, sizeof(e.sender_domain), "%s", e.helo);
	} else if ((at = strrchr(sender, '@')) != NULL) {
		snprintf(e.local, sizeof(e.local), "%.*s", (int)(at - sender),
		    sender);
		if (e.local[0] == '\0')
			snprintf(e.local, sizeof(e.local), "postmaster");
		snprintf(e.sender_domain, sizeof(e.sender_domain), "%s", at + 1);
	} else {
		snprintf(e.local, sizeof(e.local), "postmaster");
		snprintf(e.sender_domain, sizeof(e.sender_domain), "%s", sender);
	}
	e.ctx.local = e.local;
	e.ctx.sender_domain = e.sender_domain;
	e.ctx.domain = e.sender_domain;
	e.ctx.helo = e.helo;
	e.ctx.receiver = req->receiver;
	e.ctx.now = req->now ? req->now : time(NULL);
	e.ctx.ptr_name = ptr_macro;
	e.ctx.ptr_arg = &e;
	out->domain = strdup(e.sender_domain);
	e.record = req->record;
	if (!domain_ok(e.sender_domain, e.top, sizeof(e.top)))
		e.top[0] = '\0';
	out->result = check_host(&e, e.sender_domain, &expl);
	if (out->result == SPF_RESULT_FAIL)
		out->explanation = expl;
	else
		free(expl);
	return 0;
}
