#include "lint/spf_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/spf_codes.h"

void
spf_walk_clear(spf_walk_t *w)
{
	lint_findings_clear(&w->findings);
	spf_interp_free(w->interp);
	util_arena_clear(&w->arena);
	free(w->rec);
	memset(w, 0, sizeof(*w));
}

/* ---- summaries of included trees (a batch) ----
 *
 * A batch meets the same providers' trees for domain after domain.  The
 * first walk that enters an included record, and every record below it,
 * for the first time records what the subtree came to: its lookups and
 * void lookups, the records entered, the findings, and where each lookup
 * and void lookup is.  A later walk that meets the include where the same
 * subtree would be walked alike (none of its records entered before or on
 * the stack, room under the depth and lookup caps) takes the summary
 * instead: the same counts and findings, in the same order.  Nothing that
 * depends on the walk around a subtree is recorded: a recording with a
 * DNS failure, a loop, a cut or a record met before is dropped. */

struct memo_loc {
	size_t name;		/* in names */
	long offset;
};

struct spf_walk_memo {
	unsigned lookups, voids;
	size_t depth;		/* records on the stack at its deepest */
	char **names;		/* the records entered, in order */
	size_t nnames;
	lint_findings_t findings;
	struct memo_loc *loc, *vloc;	/* lookups, void lookups: in order */
};

struct spf_walk_rec {
	const spf_frame_t *parent;	/* the include is its term via */
	const spf_term_t *via;
	spf_item_t *item;
	char name[256];
	size_t base, deepest;	/* stack depths */
	unsigned lookups, voids;	/* when it began */
	size_t findings;
	bool bad;
};

static void
memo_free(void *p)
{
	spf_walk_memo_t *m = p;

	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nnames; i++)
		free(m->names[i]);
	free(m->names);
	lint_findings_clear(&m->findings);
	free(m->loc);
	free(m->vloc);
	free(m);
}

static bool
rec_begin(spf_walk_t *w, const spf_frame_t *f, spf_item_t *it)
{
	struct spf_walk_rec *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return false;
	r->parent = f->parent;
	r->via = f->via;
	r->item = it;
	snprintf(r->name, sizeof(r->name), "%s", f->name);
	r->base = r->deepest = spf_interp_depth(w->interp);
	r->lookups = spf_interp_lookups(w->interp);
	r->voids = spf_interp_voids(w->interp);
	r->findings = w->findings.n;
	w->rec = r;
	return true;
}

/* The names and the places of the lookups of the tree under n, in the
 * order of evaluation; false when they do not add up */
static bool
memo_places(spf_walk_memo_t *m, const spf_node_t *n, unsigned *nl,
    unsigned *nv)
{
	size_t name = m->nnames;

	if (n->domain == NULL || m->nnames > m->lookups ||
	    (m->names[m->nnames++] = strdup(n->domain)) == NULL)
		return false;
	for (size_t i = 0; i < n->nitems; i++) {
		const spf_item_t *it = &n->items[i];

		if (it->lookup > 0 && *nl < m->lookups)
			m->loc[(*nl)++] = (struct memo_loc){ name,
			    (long)it->term->offset };
		else if (it->lookup > 0)
			return false;
		if (it->void_lookup && *nv < m->voids)
			m->vloc[(*nv)++] = (struct memo_loc){ name,
			    (long)it->term->offset };
		else if (it->void_lookup)
			return false;
		if (it->memo || (it->child && !memo_places(m, it->child, nl,
		    nv)))
			return false;
	}
	return true;
}

/* The include's subtree is done: its summary goes to the store */
static void
rec_end(spf_walk_t *w)
{
	struct spf_walk_rec *r = w->rec;
	spf_walk_memo_t *m = calloc(1, sizeof(*m));
	lint_findings_t part;
	unsigned nl = 0, nv = 0;

	w->rec = NULL;
	if (m == NULL || r->bad || spf_interp_capped(w->interp) ||
	    r->item->child == NULL || util_table_get(w->memos, r->name))
		goto drop;
	m->lookups = spf_interp_lookups(w->interp) - r->lookups;
	m->voids = spf_interp_voids(w->interp) - r->voids;
	m->depth = r->deepest - r->base + 1;
	/* a node a record, each below the first reached by a lookup */
	if ((m->names = calloc(m->lookups + 1, sizeof(*m->names))) == NULL ||
	    (m->loc = calloc(m->lookups + 1, sizeof(*m->loc))) == NULL ||
	    (m->vloc = calloc(m->voids + 1, sizeof(*m->vloc))) == NULL ||
	    !memo_places(m, r->item->child, &nl, &nv) || nl != m->lookups ||
	    nv != m->voids)
		goto drop;
	part.n = part.cap = w->findings.n - r->findings;
	part.v = part.n ? w->findings.v + r->findings : NULL;
	if (lint_findings_append(&m->findings, &part) != 0 ||
	    util_table_put(w->memos, r->name, m) != 0)
		goto drop;
	free(r);
	return;
drop:
	memo_free(m);
	free(r);
}

/* An include of target: its summary instead, when one is kept and holds
 * here */
static bool
walk_follow(void *arg, spf_frame_t *f, const spf_term_t *t,
    const char *target)
{
	spf_walk_t *w = arg;
	const spf_walk_memo_t *m;

	(void)f;
	if (w->memos == NULL || w->rec || t->kind != SPF_INCLUDE ||
	    (m = util_table_get(w->memos, target)) == NULL ||
	    spf_interp_lookups(w->interp) + m->lookups >= SPF_MAX_LOOKUPS ||
	    spf_interp_depth(w->interp) + m->depth >= SPF_MAX_DEPTH)
		return true;
	for (size_t i = 0; i < m->nnames; i++)
		if (spf_interp_entered(w->interp, m->names[i]) ||
		    spf_interp_on_stack(w->interp, m->names[i]))
			return true;
	w->replay = m;
	return false;
}

/* A summarized record is not asked ahead: it will not be entered */
static bool
walk_ahead(void *arg, const char *name)
{
	spf_walk_t *w = arg;

	return w->memos == NULL || util_table_get(w->memos, name) == NULL;
}

static const char *
type_str(ldns_rr_type t)
{
	return t == LDNS_RR_TYPE_TXT ? "TXT" : t == LDNS_RR_TYPE_A ? "A" :
	    t == LDNS_RR_TYPE_AAAA ? "AAAA" : t == LDNS_RR_TYPE_MX ? "MX" :
	    "SPF";
}

static void
dns_failure(spf_walk_t *w, const char *name, ldns_rr_type type,
    const dns_answer_t *a)
{
	if (a == NULL || !dns_result_is_failure(a->result))
		return;
	w->complete = false;
	w->dns_failed = true;
	if (w->rec)
		w->rec->bad = true;
	spf_finding(&w->findings, SPF_DNS_FAILURE, name, -1L, name,
	    type_str(type), dns_result_str(a->result), a->source);
}

/* The item of term t in node n, appended when it is not there (a
 * redirect) */
static spf_item_t *
node_item(spf_node_t *n, const spf_term_t *t)
{
	/* the terms come in order: look from where the last one was */
	for (size_t k = 0; k < n->nitems; k++) {
		size_t i = (n->cursor + k) % n->nitems;

		if (n->items[i].term == t) {
			n->cursor = i;
			return &n->items[i];
		}
	}
	n->items[n->nitems].term = t;	/* room for it was made */
	return &n->items[n->nitems++];
}

/* ---- a record is entered ---- */

/* The checks of a candidate record, before it is parsed: false when it
 * cannot be walked */
static bool
candidate_checks(spf_walk_t *w, const spf_frame_t *f)
{
	const char *domain = f->name[0] ? f->name : NULL;
	size_t len = w->record_len, wire;

	if (strnlen(w->record, len) != len) {
		spf_finding(&w->findings, SPF_BAD_CHAR, domain,
		    (long)strnlen(w->record, len), 0);
		return false;
	}
	if (!spf_record_is_spf(w->record, len)) {
		spf_finding(&w->findings, SPF_NOT_SPF, domain, 0L);
		return false;
	}
	if (len > 255)
		spf_finding(&w->findings, SPF_STRING_TOO_LONG, domain, -1L,
		    len);
	/* as published in strings of 255: one length byte each */
	wire = 12 + (domain ? strlen(domain) + 2 : 1) + 4 + 2 + 10 + len +
	    (len + 254) / 255;
	if (wire > 512)
		spf_finding(&w->findings, SPF_ANSWER_TOO_BIG, domain, -1L,
		    domain ? domain : "the record", wire);
	return true;
}

/* The domain's own record: found, or why not */
static bool
root_checks(spf_walk_t *w, const spf_frame_t *f, const dns_answer_t *type99)
{
	if (w->record)
		return candidate_checks(w, f);
	dns_failure(w, f->name, LDNS_RR_TYPE_TXT, f->answer);
	dns_failure(w, f->name, (ldns_rr_type)99, type99);
	if (type99 && type99->result == DNS_OK)
		spf_finding(&w->findings, SPF_TYPE99_PRESENT, f->name, -1L);
	if (f->fetch == SPF_FETCH_FAILED)
		return false;
	if (f->fetch == SPF_FETCH_NONE) {
		spf_finding(&w->findings, SPF_NO_RECORD, f->name, -1L);
		return false;
	}
	if (f->fetch == SPF_FETCH_MULTIPLE) {
		spf_finding(&w->findings, SPF_MULTIPLE_RECORDS, f->name, -1L,
		    f->count);
		return false;
	}
	if (f->answer && f->answer->wire_size > 512)
		spf_finding(&w->findings, SPF_ANSWER_TOO_BIG, f->name, -1L,
		    f->name, f->answer->wire_size);
	return true;
}

/* An include or redirect target: found, or a note on the term */
static bool
target_checks(spf_walk_t *w, const spf_frame_t *f, spf_item_t *it)
{
	const spf_node_t *parent = f->parent->user;
	const dns_answer_t *a = f->answer;

	if (a && dns_result_is_void(a->result))
		it->void_lookup = true;
	switch (f->fetch) {
	case SPF_FETCH_FAILED:
		dns_failure(w, f->name, LDNS_RR_TYPE_TXT, a);
		it->failed = true;
		it->note = dns_result_str(a->result);
		return false;
	case SPF_FETCH_NONE:
		it->note = "no SPF record";
		spf_finding(&w->findings, f->via->kind == SPF_INCLUDE ?
		    SPF_INCLUDE_NO_RECORD : SPF_REDIRECT_NO_RECORD,
		    parent->domain, (long)f->via->offset, f->name,
		    a->result == DNS_NXDOMAIN ? "the name does not exist" :
		    a->result == DNS_OK ? "TXT records, none starting with "
		    "v=spf1" : "no TXT record");
		return false;
	case SPF_FETCH_MULTIPLE:
		it->note = "several SPF records";
		spf_finding(&w->findings, SPF_MULTIPLE_RECORDS, f->name, -1L,
		    f->count);
		return false;
	default:
		return true;
	}
}

static int
walk_enter(void *arg, spf_frame_t *f, const dns_answer_t *type99)
{
	spf_walk_t *w = arg;
	spf_item_t *it = f->parent && f->parent->user ?
	    node_item(f->parent->user, f->via) : NULL;
	spf_node_t *n;

	if (w->rec) {	/* a record in the subtree being summarized */
		size_t d = spf_interp_depth(w->interp);

		w->rec->deepest = d > w->rec->deepest ? d : w->rec->deepest;
		w->rec->bad |= f->text && !f->first;
	}
	if (f->parent ? !target_checks(w, f, it) : !root_checks(w, f, type99))
		return SPF_ENTER_SKIP;
	if (w->memos && w->rec == NULL && it && f->via->kind == SPF_INCLUDE &&
	    f->first && f->rec && !util_table_get(w->memos, f->name) &&
	    !rec_begin(w, f, it))
		return -1;
	if ((n = util_arena_alloc(&w->arena, sizeof(*n))) == NULL ||
	    (f->name[0] && (n->domain = util_arena_strdup(&w->arena,
	    f->name)) == NULL) ||
	    (f->rec && (n->items = util_arena_alloc(&w->arena,
	    (f->rec->nterms + 1) * sizeof(*n->items))) == NULL))
		return -1;
	n->text = f->text;
	n->rec = f->rec;
	f->user = n;
	if (it)
		it->child = n;
	else
		w->root = n;
	/* a record's own findings are reported once however often it is
	 * met; the lookups it costs count every time */
	if (f->first && f->parse_findings)
		lint_findings_append(&w->findings, f->parse_findings);
	for (size_t i = 0; f->rec && i < f->rec->nterms; i++) {
		const spf_term_t *t = &f->rec->terms[i];

		if (t->kind != SPF_REDIRECT && t->kind != SPF_EXP &&
		    t->kind != SPF_MODIFIER)
			n->items[n->nitems++].term = t;
	}
	return 0;
}

/* ---- a term is done ---- */

static void
term_notes(spf_walk_t *w, const spf_frame_t *f, const spf_node_t *n,
    spf_item_t *it, const spf_step_t *s)
{
	const spf_term_t *t = it->term;

	switch (s->event) {
	case SPF_EV_MACRO:
		it->note = "depends on the sender";
		spf_finding(&w->findings, SPF_MACRO_TARGET, n->domain,
		    (long)t->offset, t->domain);
		break;
	case SPF_EV_NO_DOMAIN:
		it->note = "no domain given";
		spf_finding(&w->findings, SPF_NO_DOMAIN, NULL,
		    (long)t->offset, spf_kind_str(t->kind));
		break;
	case SPF_EV_DNS_FAILURE:
		it->failed = true;
		it->note = "DNS failure";
		dns_failure(w, s->target, t->kind == SPF_MX ? LDNS_RR_TYPE_MX :
		    LDNS_RR_TYPE_A, s->answer);
		dns_failure(w, s->target, LDNS_RR_TYPE_AAAA, s->answer6);
		break;
	case SPF_EV_LOOP:
		if (w->rec)	/* onto the stack above it, maybe */
			w->rec->bad = true;
		it->note = "loop";
		spf_finding(&w->findings, SPF_INCLUDE_LOOP, n->domain,
		    (long)t->offset, n->domain, s->target);
		break;
	case SPF_EV_TOO_DEEP:
		if (w->rec)
			w->rec->bad = true;
		it->note = "too deep";
		break;
	default:
		if (t->kind == SPF_PTR)
			it->note = "depends on the client's address";
		it->mx_names = s->names;
		if (s->names > SPF_MX_LIMIT)
			spf_finding(&w->findings, SPF_TOO_MANY_MX, n->domain,
			    (long)t->offset, s->target, s->names);
		break;
	}
	(void)f;
}

static spf_match_t
walk_term(void *arg, spf_frame_t *f, const spf_term_t *t, const spf_step_t *s)
{
	spf_walk_t *w = arg;
	spf_node_t *n = f->user;
	spf_item_t *it;

	if (n == NULL)
		return s->match;
	it = node_item(n, t);
	it->evaluated = s->event != SPF_EV_UNEVALUATED;
	if (!it->evaluated)
		return s->match;
	it->lookup = s->lookup;
	it->void_lookup |= s->void_lookup;
	if (t->kind == SPF_PTR && f->first)
		spf_finding(&w->findings, SPF_PTR_DEPRECATED, n->domain,
		    (long)t->offset);
	if (s->target && *s->target && it->target == NULL)
		it->target = util_arena_strdup(&w->arena, s->target);
	if (s->event == SPF_EV_NOT_FOLLOWED && w->replay) {
		/* the summary of the include's tree stands for it */
		const spf_walk_memo_t *m = w->replay;

		w->replay = NULL;
		it->memo = m;
		if (lint_findings_share(&w->findings, &m->findings) != 0 ||
		    spf_interp_account(w->interp, m->lookups, m->voids,
		    (const char *const *)m->names, m->nnames) != 0)
			return SPF_STOP;
		return s->match;
	}
	term_notes(w, f, n, it, s);
	if (w->rec && f == w->rec->parent && t == w->rec->via)
		rec_end(w);
	return s->match;
}

static const spf_policy_t walker = {
	.flags = SPF_P_AHEAD | SPF_P_LOOPS,
	.enter = walk_enter,
	.term = walk_term,
	.follow = walk_follow,
	.ahead = walk_ahead,
};

static const spf_policy_t walker99 = {
	.flags = SPF_P_AHEAD | SPF_P_LOOPS | SPF_P_TYPE99,
	.enter = walk_enter,
	.term = walk_term,
	.follow = walk_follow,
	.ahead = walk_ahead,
};

/* ---- the walk ---- */

int
spf_walk_start(spf_walk_t *w, dns_resolver_t *r, spf_store_t *store,
    const char *domain, const char *record, size_t len, unsigned flags)
{
	memset(w, 0, sizeof(*w));
	w->complete = true;
	w->record = record;
	w->record_len = len;
	if ((flags & SPF_WALK_MEMO) && store &&
	    (w->memos = spf_store_table(store, memo_free)) == NULL)
		return -1;
	w->interp = spf_interp_new(r, store, flags & SPF_WALK_TYPE99 ?
	    &walker99 : &walker, w, domain, record, len);
	if (w->interp && (flags & SPF_WALK_PART))
		spf_interp_part(w->interp);
	return w->interp ? 0 : -1;
}

int
spf_walk_step(spf_walk_t *w)
{
	return spf_interp_step(w->interp);
}

/* Where the n-th lookup (or void lookup) of the tree is, for the finding */
struct where {
	const char *domain;
	long offset;
};

static bool
find_nth(const spf_node_t *n, unsigned nth, bool voids, unsigned *seen,
    struct where *at)
{
	for (size_t i = 0; n && i < n->nitems; i++) {
		const spf_item_t *it = &n->items[i];
		const spf_walk_memo_t *m = it->memo;

		if ((voids ? it->void_lookup : it->lookup > 0) &&
		    ++*seen == nth) {
			*at = (struct where){ n->domain, (long)it->term->offset };
			return true;
		}
		if (m && nth - *seen <= (voids ? m->voids : m->lookups)) {
			const struct memo_loc *l = (voids ? m->vloc : m->loc) +
			    (nth - *seen - 1);

			*at = (struct where){ m->names[l->name], l->offset };
			return true;
		}
		if (m)
			*seen += voids ? m->voids : m->lookups;
		if (find_nth(it->child, nth, voids, seen, at))
			return true;
	}
	return false;
}

static void
limit_finding(spf_walk_t *w, spf_code_t code, unsigned count, bool voids)
{
	struct where at = { w->root->domain, -1L };
	unsigned seen = 0;
	unsigned nth = (voids ? SPF_VOID_LIMIT : SPF_LOOKUP_LIMIT) + 1;

	find_nth(w->root, nth, voids, &seen, &at);
	spf_finding(&w->findings, code, at.domain, at.offset,
	    w->complete ? "" : "at least ", count);
}

void
spf_walk_finish(spf_walk_t *w)
{
	w->lookups = spf_interp_lookups(w->interp);
	w->voids = spf_interp_voids(w->interp);
	if (spf_interp_cut(w->interp)) {
		w->complete = false;
		spf_finding(&w->findings, SPF_WALK_TRUNCATED,
		    spf_interp_domain(w->interp), -1L, w->lookups);
	}
	if (w->root && w->lookups > SPF_LOOKUP_LIMIT)
		limit_finding(w, SPF_TOO_MANY_LOOKUPS, w->lookups, false);
	if (w->root && w->voids > SPF_VOID_LIMIT)
		limit_finding(w, SPF_TOO_MANY_VOID_LOOKUPS, w->voids, true);
}

int
spf_walk_run(spf_walk_t *w, dns_resolver_t *r, spf_store_t *store,
    const char *domain, const char *record, size_t len, unsigned flags)
{
	if (spf_walk_start(w, r, store, domain, record, len, flags) != 0 ||
	    spf_interp_run(w->interp) != 0)
		return -1;
	spf_walk_finish(w);
	return 0;
}
