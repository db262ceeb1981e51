#include "flatten/flatten.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/spf_record.h"
#include "lint/spf_interp.h"
#include "lint/spf_walk.h"

/* A flattening run: the interpreter without a client, gathering what each
 * record passes */
struct ctx {
	dns_resolver_t *r;
	const char *published;	/* the domain the records go to */
	const fl_options_t *opt;
	fl_result_t *out;
	pcre2_code **keep;
	int status;		/* C_OK, or why the run stopped */
};

/* the outcome of a record, and of a term */
enum { C_OK, C_UNFLAT, C_DNS, C_CANNOT };

/* What one record on the interpreter's stack gathers */
struct fl_frame {
	fl_set_t pass;		/* what it passes */
	fl_set_t deny;		/* what its earlier non-pass terms caught */
	fl_set_t got;		/* what the current term names */
	int rc;			/* C_UNFLAT: a term deeper cannot be flattened */
	int term_rc;		/* of the current term's answers */
};

static void
fail(struct ctx *c, int status, const char *fmt, ...)
{
	va_list ap;

	if (c->out->error[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(c->out->error, sizeof(c->out->error), fmt, ap);
		va_end(ap);
	}
	if (c->status == C_OK)
		c->status = status;
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

static void
append_mod(struct ctx *c, const char *text, const spf_term_t *t)
{
	char *m;

	if (c->out->mods == NULL) {
		c->out->mods = strndup(text + t->offset, t->length);
		return;
	}
	if ((m = malloc(strlen(c->out->mods) + t->length + 2)) != NULL)
		sprintf(m, "%s %.*s", c->out->mods, (int)t->length,
		    text + t->offset);
	free(c->out->mods);
	c->out->mods = m;
}

static int
fl_enter(void *arg, spf_frame_t *f, const dns_answer_t *type99)
{
	struct ctx *c = arg;
	struct fl_frame *fr;

	(void)type99;
	switch (f->fetch) {
	case SPF_FETCH_FAILED:
		fail(c, C_DNS, "%s TXT: %s (%s)", f->name,
		    dns_result_str(f->answer->result), f->answer->source);
		return SPF_ENTER_STOP;
	case SPF_FETCH_NONE:
	case SPF_FETCH_MULTIPLE:
	case SPF_FETCH_NOT_NAME:
		/* a vanished include: keep what is published */
		fail(c, C_DNS, "%s has %s", f->name, f->fetch ==
		    SPF_FETCH_MULTIPLE ? "several SPF records" :
		    "no SPF record");
		return SPF_ENTER_STOP;
	default:
		break;
	}
	if (f->rec == NULL || f->rec->bad) {
		fail(c, C_CANNOT, "%s: %s", f->name, f->parse_findings &&
		    f->parse_findings->n ? f->parse_findings->v[0].message :
		    "not SPF");
		return SPF_ENTER_STOP;
	}
	if ((fr = calloc(1, sizeof(*fr))) == NULL)
		return -1;
	fl_set_init(&fr->pass);
	fl_set_init(&fr->deny);
	fl_set_init(&fr->got);
	f->user = fr;
	/* exp= and unknown modifiers of the published record stay in it */
	for (size_t i = 0; f->top && i < f->rec->nterms; i++) {
		const spf_term_t *t = &f->rec->terms[i];

		if ((int)i > f->rec->all && f->rec->all >= 0)
			break;
		if (t->kind == SPF_EXP || t->kind == SPF_MODIFIER)
			append_mod(c, f->text, t);
	}
	return SPF_ENTER_GO;
}

static bool
fl_follow(void *arg, spf_frame_t *f, const spf_term_t *t, const char *target)
{
	(void)f;
	return t->kind != SPF_INCLUDE || !kept_by_pattern(arg, target);
}

static void
fl_addresses(void *arg, spf_frame_t *f, const spf_term_t *t, const char *name,
    const dns_answer_t *a, int family)
{
	struct ctx *c = arg;
	struct fl_frame *fr = f->user;

	if (a == NULL || fr->term_rc != C_OK)
		return;
	if (dns_result_is_failure(a->result)) {
		fail(c, C_DNS, "%s %s: %s", name, family == 6 ? "AAAA" : "A",
		    dns_result_str(a->result));
		fr->term_rc = C_DNS;
		return;
	}
	for (size_t i = 0; a->result == DNS_OK &&
	    i < ldns_rr_list_rr_count(a->rrs); i++) {
		const ldns_rdf *rd = ldns_rr_rdf(ldns_rr_list_rr(a->rrs, i), 0);

		if (ldns_rdf_size(rd) == (family == 6 ? 16u : 4u))
			fl_set_add(&fr->got, family == 6, ldns_rdf_data(rd),
			    family == 6 ? (t->cidr6 < 0 ? 128 : t->cidr6) :
			    (t->cidr4 < 0 ? 32 : t->cidr4));
	}
}

static spf_match_t
fl_child(void *arg, spf_frame_t *f, const spf_term_t *t, spf_frame_t *child,
    spf_match_t m)
{
	struct fl_frame *fr = f->user, *ch = child->user;

	(void)arg;
	(void)t;
	if (ch) {
		fl_set_union(&fr->got, &ch->pass);
		fr->term_rc = ch->rc;
	}
	return m;
}

static void
fl_leave(void *arg, spf_frame_t *f)
{
	struct ctx *c = arg;
	struct fl_frame *fr = f->user;

	if (fr == NULL)
		return;
	if (f->parent == NULL && c->status == C_OK)
		fl_set_union(&c->out->set, &fr->pass);
	fl_set_clear(&fr->pass);
	fl_set_clear(&fr->deny);
	fl_set_clear(&fr->got);
	free(fr);
	f->user = NULL;
}

/* What a term names: C_OK with fr->got filled, or why not */
static int
term_rc(struct ctx *c, spf_frame_t *f, const spf_term_t *t,
    const spf_step_t *s)
{
	struct fl_frame *fr = f->user;

	switch (s->event) {
	case SPF_EV_DONE:
		break;
	case SPF_EV_DNS_FAILURE:
		if (!c->opt->resolve_a_mx || (t->kind != SPF_A &&
		    t->kind != SPF_MX))
			return C_UNFLAT;
		fail(c, C_DNS, "%s%s: %s", s->target, t->kind == SPF_MX ?
		    " MX" : t->kind == SPF_A && s->answer6 &&
		    dns_result_is_failure(s->answer6->result) ? " AAAA" :
		    t->kind == SPF_A ? " A" : "", s->why);
		return C_DNS;
	case SPF_EV_LOOP:
		fail(c, C_CANNOT, "%s leads back to itself", s->target);
		return C_CANNOT;
	case SPF_EV_TOO_DEEP:
		fail(c, C_CANNOT, "includes nested deeper than %d",
		    SPF_MAX_DEPTH);
		return C_CANNOT;
	case SPF_EV_UNEVALUATED:
		fail(c, C_CANNOT, "%s: more than %d lookups to follow", f->name,
		    SPF_MAX_LOOKUPS);
		return C_CANNOT;
	default:		/* macros, a kept include */
		return C_UNFLAT;
	}
	switch (t->kind) {
	case SPF_IP4:
	case SPF_IP6:
		return fl_set_add(&fr->got, t->kind == SPF_IP6, t->addr,
		    t->kind == SPF_IP6 ? (t->cidr6 < 0 ? 128 : t->cidr6) :
		    (t->cidr4 < 0 ? 32 : t->cidr4)) ? C_CANNOT : C_OK;
	case SPF_A:
	case SPF_MX:
		return c->opt->resolve_a_mx ? fr->term_rc : C_UNFLAT;
	case SPF_INCLUDE:
	case SPF_REDIRECT:
		return fr->term_rc;
	default:
		return C_UNFLAT;	/* exists, ptr */
	}
}

/* A term that cannot be flattened at the top is kept as it is */
static void
keep_term(struct ctx *c, const spf_frame_t *f, const spf_term_t *t)
{
	char tt[1100], note[1200];
	const char *slash;

	snprintf(tt, sizeof(tt), "%.*s", (int)t->length, f->text + t->offset);
	slash = strchr(tt, '/');
	/* a, mx and ptr without a domain mean the source's */
	if (t->domain == NULL && (t->kind == SPF_A || t->kind == SPF_MX ||
	    t->kind == SPF_PTR) && strcmp(f->name, c->published) != 0) {
		char fixed[1100];

		snprintf(fixed, sizeof(fixed), "%.*s:%s%s", (int)(slash ?
		    (size_t)(slash - tt) : strlen(tt)), tt, f->name,
		    slash ? slash : "");
		snprintf(tt, sizeof(tt), "%s", fixed);
	}
	push_str(&c->out->kept, &c->out->nkept, tt);
	snprintf(note, sizeof(note), "kept \"%s\" (in %s) as it is", tt,
	    f->name);
	push_str(&c->out->notes, &c->out->nnotes, note);
}

static spf_match_t
fl_term(void *arg, spf_frame_t *f, const spf_term_t *t, const spf_step_t *s)
{
	struct ctx *c = arg;
	struct fl_frame *fr = f->user;
	int rc;

	if (t->kind == SPF_ALL) {
		if (t->qualifier == '+') {
			fail(c, C_CANNOT, "%s has \"%.*s\": it passes every "
			    "address", f->name, (int)t->length,
			    f->text + t->offset);
			return SPF_STOP;
		}
		if (f->top)
			c->out->all = t->qualifier;
		return SPF_MATCH;	/* all ends the record */
	}
	if (f->top && t->qualifier != '+' && t->kind != SPF_REDIRECT) {
		fail(c, C_CANNOT, "\"%.*s\" in %s: only pass terms (and all) "
		    "can be flattened at the top", (int)t->length,
		    f->text + t->offset, f->name);
		return SPF_STOP;
	}
	rc = term_rc(c, f, t, s);
	if (rc == C_UNFLAT && f->top && f->parent) {
		/* a redirect target's term would change meaning in the
		 * published record */
		fail(c, C_CANNOT, "\"%.*s\" in the redirect target %s cannot be "
		    "flattened or kept", (int)t->length, f->text + t->offset,
		    f->name);
		rc = C_CANNOT;
	} else if (rc == C_UNFLAT && f->top) {
		keep_term(c, f, t);
		rc = C_OK;
	} else if (rc == C_OK) {
		/* what earlier terms of this record caught stays out */
		fl_set_subtract(&fr->got, &fr->deny);
		fl_set_union(t->qualifier == '+' || t->kind == SPF_REDIRECT ?
		    &fr->pass : &fr->deny, &fr->got);
		fl_set_normalize(&fr->pass);
		fl_set_normalize(&fr->deny);
	}
	fl_set_clear(&fr->got);
	fl_set_init(&fr->got);
	fr->term_rc = C_OK;
	if (rc == C_UNFLAT) {
		fr->rc = C_UNFLAT;	/* the include above is kept */
		return SPF_MATCH;
	}
	return rc == C_OK ? SPF_NOMATCH : SPF_STOP;
}

static const spf_policy_t flattener = {
	.flags = SPF_P_AHEAD | SPF_P_LOOPS,
	.enter = fl_enter, .follow = fl_follow, .term = fl_term,
	.child = fl_child, .leave = fl_leave,
};

static const spf_policy_t flattener_a_mx = {
	.flags = SPF_P_AHEAD | SPF_P_LOOPS | SPF_P_BOTH | SPF_P_HOSTS,
	.enter = fl_enter, .follow = fl_follow, .term = fl_term,
	.addresses = fl_addresses, .child = fl_child, .leave = fl_leave,
};

/* The addresses text (published at domain) passes, into c->out->set;
 * over: produced records answered before DNS */
static int
collect(struct ctx *c, const char *domain, const char *text,
    char *const *over_names, char *const *over_texts, size_t nover)
{
	spf_interp_t *in = spf_interp_new(c->r, NULL, c->opt->resolve_a_mx ?
	    &flattener_a_mx : &flattener, c, domain, text, strlen(text));
	int rc = 0;

	c->status = C_OK;
	for (size_t i = 0; in && i < nover && rc == 0; i++)
		rc = spf_interp_override(in, over_names[i], over_texts[i]);
	if (in == NULL || rc != 0 || spf_interp_run(in) != 0) {
		fail(c, C_CANNOT, "out of memory");
		c->status = C_CANNOT;
	}
	spf_interp_free(in);
	return c->status;
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

	if (spf_walk_run(&w, c->r, NULL, domain, text, strlen(text), 0) != 0)
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
/* The addresses in records of max bytes at most, at PREFIX1.domain,
 * PREFIX2.domain, ...: -1 when one does not fit in a record (said) */
static int
split(struct ctx *c, const char *domain, char **ips, size_t nips,
    char ***recs, size_t *nrecs, char ***names, size_t *nnames)
{
	size_t max = c->opt->max_record_bytes, i = 0;
	char owner[300];

	while (i < nips) {
		size_t len = strlen("v=spf1"), first = i;
		char **r;

		while (i < nips && len + 1 + strlen(ips[i]) <= max)
			len += 1 + strlen(ips[i++]);
		if (i == first || (r = realloc(*recs, (*nrecs + 1) *
		    sizeof(*r))) == NULL) {
			if (i == first)
				fail(c, C_CANNOT, "--max-record-bytes %zu is too "
				    "small for %s", max, ips[i]);
			else
				fail(c, C_CANNOT, "out of memory");
			fl_terms_free(*recs, *nrecs);
			fl_terms_free(*names, *nnames);
			return -1;
		}
		*recs = r;
		r[(*nrecs)++] = join(ips + first, i - first, "v=spf1", "");
		snprintf(owner, sizeof(owner), "%s%zu.%s", c->opt->prefix,
		    *nrecs, domain);
		push_str(names, nnames, owner);
	}
	return 0;
}

static fl_status_t
pack(struct ctx *c, const char *domain, char **ips, size_t nips)
{
	fl_result_t *o = c->out;
	size_t max = c->opt->max_record_bytes;
	char tail[1200] = "", all[8] = "";
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
	size_t nrecs = 0, nnames = 0;

	if (split(c, domain, ips, nips, &recs, &nrecs, &names, &nnames) != 0)
		return FL_CANNOT;
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
		fail(c, C_CANNOT, "the published record needs %zu bytes for its kept "
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
	int rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < opt->nkeep && i < 64; i++) {
		int err;
		PCRE2_SIZE off;

		keep[i] = pcre2_compile((PCRE2_SPTR)opt->keep[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &off, NULL);
		if (keep[i] == NULL) {
			fail(&c, C_CANNOT, "bad --keep pattern \"%s\" at %zu", opt->keep[i],
			    (size_t)off);
			for (size_t k = 0; k < i; k++)
				pcre2_code_free(keep[k]);
			return FL_CANNOT;
		}
	}
	c.keep = keep;
	rc = collect(&c, home, source, NULL, NULL, 0);
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
		fail(&c, C_CANNOT, "the result needs %u lookups, more than --max-lookups "
		    "%u", out->lookups, opt->max_lookups);
		st = FL_CANNOT;
		goto done;
	}
	/* the self-check: the produced records pass exactly the same set */
	fl_result_t again;
	struct ctx c2 = c;

	memset(&again, 0, sizeof(again));
	c2.out = &again;
	rc = collect(&c2, domain, out->records[0], out->owners + 1,
	    out->records + 1, out->nrecords - 1);
	bool same = rc == C_OK && fl_set_equal(&again.set, &out->set) &&
	    again.nkept == out->nkept && again.all == out->all;

	for (size_t i = 0; same && i < out->nkept; i++)
		same = strcmp(again.kept[i], out->kept[i]) == 0;
	fl_result_clear(&again);
	if (!same) {
		fail(&c, C_CANNOT, "self-check failed: the produced records would not "
		    "pass the same addresses as the source");
		st = FL_CANNOT;
	}
done:
	for (size_t i = 0; i < opt->nkeep && i < 64; i++)
		pcre2_code_free(keep[i]);
	return st;
}
