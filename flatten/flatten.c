#include "flatten/flatten.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/spf_record.h"
#include "lint/spf_walk.h"

#define MAX_DEPTH 20

struct ctx {
	dns_resolver_t *r;
	const char *published;	/* the domain the records go to */
	const fl_options_t *opt;
	fl_result_t *out;
	pcre2_code **keep;
	/* the produced records, answered before DNS during the self-check */
	char **over_names, **over_texts;
	size_t nover;
	const char *path[MAX_DEPTH];
	size_t depth;
};

/* the outcome of collecting one record */
enum { C_OK, C_UNFLAT, C_DNS, C_CANNOT };

static void
fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->out->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->out->error, sizeof(c->out->error), fmt, ap);
	va_end(ap);
}

static void
push_str(char ***v, size_t *n, const char *s)
{
	char **p = realloc(*v, (*n + 1) * sizeof(*p));

	if (p) {
		*v = p;
		(*v)[(*n)++] = strdup(s);
	}
}

static bool
kept_by_pattern(struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->opt->nkeep; i++) {
		pcre2_match_data *md =
		    pcre2_match_data_create_from_pattern(c->keep[i], NULL);
		int rc = md ? pcre2_match(c->keep[i], (PCRE2_SPTR)name,
		    strlen(name), 0, 0, md, NULL) : -1;

		pcre2_match_data_free(md);
		if (rc > 0)
			return true;
	}
	return false;
}

/* The SPF record of name: a produced one during the self-check, else DNS */
static int
record_of(struct ctx *c, const char *name, char **text)
{
	const dns_answer_t *a;
	size_t count, len;

	for (size_t i = 0; i < c->nover; i++)
		if (strcmp(c->over_names[i], name) == 0) {
			*text = strdup(c->over_texts[i]);
			return C_OK;
		}
	a = dns_resolver_get(c->r, name, LDNS_RR_TYPE_TXT);
	if (dns_result_is_failure(a->result)) {
		fail(c, "%s TXT: %s (%s)", name, dns_result_str(a->result),
		    a->source);
		return C_DNS;
	}
	*text = a->result == DNS_OK ? spf_txt_select(a->rrs, &count, &len) :
	    NULL;
	if (*text == NULL) {
		fail(c, "%s has %s", name, a->result == DNS_OK && count > 1 ?
		    "several SPF records" : "no SPF record");
		return C_DNS;	/* a vanished include: keep what is published */
	}
	return C_OK;
}

/* The addresses of name (A and AAAA), with the term's prefixes */
static int
addresses(struct ctx *c, const char *name, int cidr4, int cidr6,
    fl_set_t *set)
{
	static const ldns_rr_type types[] = { LDNS_RR_TYPE_A,
	    LDNS_RR_TYPE_AAAA };

	for (int k = 0; k < 2; k++) {
		const dns_answer_t *a = dns_resolver_get(c->r, name, types[k]);

		if (dns_result_is_failure(a->result)) {
			fail(c, "%s %s: %s", name, k ? "AAAA" : "A",
			    dns_result_str(a->result));
			return C_DNS;
		}
		for (size_t i = 0; a->result == DNS_OK &&
		    i < ldns_rr_list_rr_count(a->rrs); i++) {
			const ldns_rdf *rd = ldns_rr_rdf(ldns_rr_list_rr(a->rrs,
			    i), 0);

			fl_set_add(set, k, ldns_rdf_data(rd), k ? (cidr6 < 0 ?
			    128 : cidr6) : (cidr4 < 0 ? 32 : cidr4));
		}
	}
	return C_OK;
}

static int collect(struct ctx *c, const char *domain, const char *text,
    bool top, fl_set_t *pass);

/* One term that names addresses or records; adds what it passes to got */
static int
term_set(struct ctx *c, const char *domain, const spf_term_t *t,
    fl_set_t *got, bool top)
{
	char name[256];
	int rc;

	if (t->kind == SPF_IP4 || t->kind == SPF_IP6)
		return fl_set_add(got, t->kind == SPF_IP6, t->addr,
		    t->kind == SPF_IP6 ? (t->cidr6 < 0 ? 128 : t->cidr6) :
		    (t->cidr4 < 0 ? 32 : t->cidr4)) ? C_CANNOT : C_OK;
	if (t->has_macro || (t->domain ? util_name_from_raw(t->domain, name,
	    sizeof(name)) : util_name_normalize(domain, name, sizeof(name))))
		return C_UNFLAT;
	switch (t->kind) {
	case SPF_A:
	case SPF_MX:
		if (!c->opt->resolve_a_mx)
			return C_UNFLAT;
		if (t->kind == SPF_A)
			return addresses(c, name, t->cidr4, t->cidr6, got);
		const dns_answer_t *a = dns_resolver_get(c->r, name,
		    LDNS_RR_TYPE_MX);

		if (dns_result_is_failure(a->result)) {
			fail(c, "%s MX: %s", name, dns_result_str(a->result));
			return C_DNS;
		}
		for (size_t i = 0; a->result == DNS_OK &&
		    i < ldns_rr_list_rr_count(a->rrs); i++) {
			char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs,
			    i), 1)), host[256];

			rc = s && util_name_normalize(s, host, sizeof(host)) == 0 ?
			    addresses(c, host, t->cidr4, t->cidr6, got) : C_OK;
			free(s);
			if (rc != C_OK)
				return rc;
		}
		return C_OK;
	case SPF_INCLUDE:
	case SPF_REDIRECT: {
		char *text;

		if (t->kind == SPF_INCLUDE && kept_by_pattern(c, name))
			return C_UNFLAT;
		for (size_t i = 0; i < c->depth; i++)
			if (strcmp(c->path[i], name) == 0) {
				fail(c, "%s leads back to itself", name);
				return C_CANNOT;
			}
		if (c->depth == MAX_DEPTH) {
			fail(c, "includes nested deeper than %d", MAX_DEPTH);
			return C_CANNOT;
		}
		if ((rc = record_of(c, name, &text)) != C_OK)
			return rc;
		c->path[c->depth++] = name;
		rc = collect(c, name, text, top && t->kind == SPF_REDIRECT, got);
		c->depth--;
		free(text);
		return rc;
	}
	default:
		return C_UNFLAT;	/* exists, ptr */
	}
}

/* The addresses record text passes, into pass.  At the top (the source and
 * its redirect targets) unflattenable terms are kept; deeper they make the
 * caller keep its include. */
static int
collect(struct ctx *c, const char *domain, const char *text, bool top,
    fl_set_t *pass)
{
	lint_findings_t f;
	spf_record_t *rec;
	fl_set_t deny;
	int rc = C_OK;

	lint_findings_init(&f);
	rec = spf_record_parse(text, strlen(text), domain, &f);
	if (rec == NULL || rec->bad) {
		fail(c, "%s: %s", domain, f.n ? f.v[0].message : "not SPF");
		lint_findings_clear(&f);
		spf_record_free(rec);
		return C_CANNOT;
	}
	lint_findings_clear(&f);
	fl_set_init(&deny);
	for (size_t i = 0; i < rec->nterms && rc == C_OK; i++) {
		const spf_term_t *t = &rec->terms[i];
		char tt[1100];
		fl_set_t got;
		int trc;

		snprintf(tt, sizeof(tt), "%.*s", (int)t->length,
		    rec->text + t->offset);
		if (t->kind == SPF_REDIRECT || t->kind == SPF_EXP ||
		    t->kind == SPF_MODIFIER) {
			if (top && t->kind != SPF_REDIRECT && c->out->mods == NULL)
				c->out->mods = strdup(tt);
			else if (top && t->kind != SPF_REDIRECT) {
				char *m = malloc(strlen(c->out->mods) +
				    strlen(tt) + 2);

				if (m)
					sprintf(m, "%s %s", c->out->mods, tt);
				free(c->out->mods);
				c->out->mods = m;
			}
			continue;
		}
		if (t->kind == SPF_ALL) {
			if (t->qualifier == '+') {
				fail(c, "%s has \"%s\": it passes every address",
				    domain, tt);
				rc = C_CANNOT;
			} else if (top)
				c->out->all = t->qualifier;
			break;	/* all ends the record */
		}
		if (top && t->qualifier != '+') {
			fail(c, "\"%s\" in %s: only pass terms (and all) can be "
			    "flattened at the top", tt, domain);
			rc = C_CANNOT;
			break;
		}
		fl_set_init(&got);
		trc = term_set(c, domain, t, &got, false);
		if (trc == C_UNFLAT && top && c->depth > 0) {
			/* a redirect target's term would change meaning in
			 * the published record */
			fail(c, "\"%s\" in the redirect target %s cannot be "
			    "flattened or kept", tt, domain);
			trc = C_CANNOT;
		} else if (trc == C_UNFLAT && top) {
			/* a, mx and ptr without a domain mean the source's */
			if (t->domain == NULL && (t->kind == SPF_A ||
			    t->kind == SPF_MX || t->kind == SPF_PTR) &&
			    strcmp(domain, c->published) != 0) {
				const char *slash = strchr(tt, '/');
				char fixed[1100];

				snprintf(fixed, sizeof(fixed), "%.*s:%s%s",
				    (int)(slash ? (size_t)(slash - tt) :
				    strlen(tt)), tt, domain, slash ? slash : "");
				snprintf(tt, sizeof(tt), "%s", fixed);
			}
			push_str(&c->out->kept, &c->out->nkept, tt);
			char note[1200];

			snprintf(note, sizeof(note), "kept \"%s\" (in %s) as it "
			    "is", tt, domain);
			push_str(&c->out->notes, &c->out->nnotes, note);
			trc = C_OK;
		} else if (trc == C_OK) {
			/* what earlier terms of this record caught stays out */
			fl_set_subtract(&got, &deny);
			fl_set_union(t->qualifier == '+' ? pass : &deny, &got);
			fl_set_normalize(pass);
			fl_set_normalize(&deny);
		}
		fl_set_clear(&got);
		rc = trc;
	}
	if (rc == C_OK && rec->redirect >= 0 && rec->all < 0) {
		fl_set_t got;

		fl_set_init(&got);
		rc = term_set(c, domain, &rec->terms[rec->redirect], &got, top);
		fl_set_subtract(&got, &deny);
		fl_set_union(pass, &got);
		fl_set_normalize(pass);
		fl_set_clear(&got);
	}
	fl_set_clear(&deny);
	spf_record_free(rec);
	return rc;
}

void
fl_result_clear(fl_result_t *out)
{
	fl_set_clear(&out->set);
	fl_terms_free(out->kept, out->nkept);
	fl_terms_free(out->owners, out->nrecords);
	fl_terms_free(out->records, out->nrecords);
	fl_terms_free(out->notes, out->nnotes);
	free(out->mods);
	memset(out, 0, sizeof(*out));
}

/* A record's lookups in the worst case, by the walker */
static unsigned
lookups_of(struct ctx *c, const char *domain, const char *text)
{
	spf_walk_t w;
	unsigned n;

	if (spf_walk_run(&w, c->r, domain, text, strlen(text)) != 0)
		return ~0u;
	n = w.lookups;
	spf_walk_clear(&w);
	return n;
}

static char *
join(char **terms, size_t n, const char *head, const char *tail)
{
	size_t len = strlen(head) + strlen(tail) + 1;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(terms[i]) + 1;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	strcpy(s, head);
	for (size_t i = 0; i < n; i++) {
		strcat(s, " ");
		strcat(s, terms[i]);
	}
	if (*tail) {
		strcat(s, " ");
		strcat(s, tail);
	}
	return s;
}

/* Packs the terms: all in the published record when they fit, else the
 * address terms in <prefix>N records that the published record includes */
static fl_status_t
pack(struct ctx *c, const char *domain, char **ips, size_t nips)
{
	fl_result_t *o = c->out;
	size_t max = c->opt->max_record_bytes;
	char tail[1200] = "", all[8] = "", owner[300];
	char **head = NULL;
	size_t nhead = 0;

	if (o->all)
		snprintf(all, sizeof(all), "%call", o->all);
	snprintf(tail, sizeof(tail), "%s%s%s", all, o->mods && *all ? " " : "",
	    o->mods ? o->mods : "");
	for (size_t i = 0; i < o->nkept; i++)
		push_str(&head, &nhead, o->kept[i]);
	for (size_t i = 0; i < nips; i++)
		push_str(&head, &nhead, ips[i]);
	char *one = join(head, nhead, "v=spf1", tail);

	fl_terms_free(head, nhead);
	if (one && strlen(one) <= max) {
		push_str(&o->owners, &o->nrecords, domain);
		o->records = malloc(sizeof(char *));
		o->records[0] = one;
		return FL_OK;
	}
	free(one);
	/* address records first, so the published one can name them */
	char **recs = NULL, **names = NULL;
	size_t nrecs = 0, nnames = 0, i = 0;

	while (i < nips) {
		size_t len = strlen("v=spf1"), first = i;

		while (i < nips && len + 1 + strlen(ips[i]) <= max)
			len += 1 + strlen(ips[i++]);
		if (i == first) {
			fail(c, "--max-record-bytes %zu is too small for %s", max,
			    ips[i]);
			return FL_CANNOT;
		}
		char *r = join(ips + first, i - first, "v=spf1", "");

		snprintf(owner, sizeof(owner), "%s%zu.%s", c->opt->prefix,
		    nrecs + 1, domain);
		push_str(&names, &nnames, owner);
		recs = realloc(recs, (nrecs + 1) * sizeof(*recs));
		recs[nrecs++] = r;
	}
	head = NULL;
	nhead = 0;
	for (size_t k = 0; k < o->nkept; k++)
		push_str(&head, &nhead, o->kept[k]);
	for (size_t k = 0; k < nnames; k++) {
		char inc[320];

		snprintf(inc, sizeof(inc), "include:%s", names[k]);
		push_str(&head, &nhead, inc);
	}
	one = join(head, nhead, "v=spf1", tail);
	fl_terms_free(head, nhead);
	if (one == NULL || strlen(one) > max) {
		fail(c, "the published record needs %zu bytes for its kept "
		    "terms and includes, more than %zu", one ? strlen(one) : 0,
		    max);
		free(one);
		fl_terms_free(recs, nrecs);
		fl_terms_free(names, nnames);
		return FL_CANNOT;
	}
	push_str(&o->owners, &o->nrecords, domain);
	o->records = malloc((nrecs + 1) * sizeof(char *));
	o->records[0] = one;
	for (size_t k = 0; k < nrecs; k++) {
		push_str(&o->owners, &(size_t){ k + 1 }, names[k]);
		o->records[k + 1] = recs[k];
	}
	o->nrecords = nrecs + 1;
	free(recs);
	fl_terms_free(names, nnames);
	return FL_OK;
}

fl_status_t
fl_flatten(fl_result_t *out, dns_resolver_t *r, const char *domain,
    const char *source_domain, const char *source, const fl_options_t *opt)
{
	const char *home = source_domain ? source_domain : domain;
	struct ctx c = { .r = r, .opt = opt, .out = out, .published = domain };
	pcre2_code *keep[64];
	fl_status_t st = FL_OK;
	spf_walk_t w;
	int rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < opt->nkeep && i < 64; i++) {
		int err;
		PCRE2_SIZE off;

		keep[i] = pcre2_compile((PCRE2_SPTR)opt->keep[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &off, NULL);
		if (keep[i] == NULL) {
			fail(&c, "bad --keep pattern \"%s\" at %zu", opt->keep[i],
			    (size_t)off);
			for (size_t k = 0; k < i; k++)
				pcre2_code_free(keep[k]);
			return FL_CANNOT;
		}
	}
	c.keep = keep;
	/* the walker fetches the whole tree first, a level per round trip;
	 * what follows reads the cache */
	if (spf_walk_run(&w, r, home, source, strlen(source)) == 0)
		spf_walk_clear(&w);
	rc = collect(&c, home, source, true, &out->set);
	if (rc != C_OK) {
		st = rc == C_DNS ? FL_DNS : FL_CANNOT;
		goto done;
	}
	size_t nips;
	char **ips = fl_set_terms(&out->set, &nips);

	if (ips == NULL && nips) {
		st = FL_NOMEM;
		goto done;
	}
	st = pack(&c, domain, ips, nips);
	fl_terms_free(ips, nips);
	if (st != FL_OK)
		goto done;
	/* lookups: the published record's, its <prefix>N includes counted */
	out->lookups = lookups_of(&c, domain, out->records[0]);
	if (out->lookups > opt->max_lookups) {
		fail(&c, "the result needs %u lookups, more than --max-lookups "
		    "%u", out->lookups, opt->max_lookups);
		st = FL_CANNOT;
		goto done;
	}
	/* the self-check: the produced records pass exactly the same set */
	fl_result_t again;
	struct ctx c2 = c;

	memset(&again, 0, sizeof(again));
	c2.out = &again;
	c2.over_names = out->owners + 1;
	c2.over_texts = out->records + 1;
	c2.nover = out->nrecords - 1;
	rc = collect(&c2, domain, out->records[0], true, &again.set);
	bool same = rc == C_OK && fl_set_equal(&again.set, &out->set) &&
	    again.nkept == out->nkept && again.all == out->all;

	for (size_t i = 0; same && i < out->nkept; i++)
		same = strcmp(again.kept[i], out->kept[i]) == 0;
	fl_result_clear(&again);
	if (!same) {
		fail(&c, "self-check failed: the produced records would not "
		    "pass the same addresses as the source");
		st = FL_CANNOT;
	}
done:
	for (size_t i = 0; i < opt->nkeep && i < 64; i++)
		pcre2_code_free(keep[i]);
	return st;
}
