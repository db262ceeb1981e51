#include "lint/spf_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/table.h"
#include "lint/spf_check.h"
#include "lint/spf_codes.h"

#define MAX_DEPTH	32
#define MAX_PASSES	40
#define TYPE_SPF	((ldns_rr_type)99)

struct pass {
	spf_walk_t *w;
	dns_resolver_t *r;
	spf_walk_memo_t *memo;
	unsigned pending;	/* answers this pass lacked */
	util_table_t *checked;	/* domains whose record was checked */
	const char *path[MAX_DEPTH];	/* include/redirect chain */
	size_t depth;
	bool cut;
	bool part;		/* the root is an include target */
	bool type99;		/* ask the root's type SPF (99) records */
};

char *
spf_txt_select(const ldns_rr_list *txt, size_t *count, size_t *found_len)
{
	char *found = NULL;

	*count = 0;
	*found_len = 0;
	for (size_t i = 0; txt && i < ldns_rr_list_rr_count(txt); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(txt, i);
		size_t len = 0;
		char *s;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT)
			continue;
		for (size_t j = 0; j < ldns_rr_rd_count(rr); j++)
			len += ldns_rdf_size(ldns_rr_rdf(rr, j)) - 1;
		if ((s = malloc(len + 1)) == NULL)
			continue;
		len = 0;
		/* RFC 7208 3.3: the strings are joined without spaces */
		for (size_t j = 0; j < ldns_rr_rd_count(rr); j++) {
			const ldns_rdf *rd = ldns_rr_rdf(rr, j);

			memcpy(s + len, ldns_rdf_data(rd) + 1,
			    ldns_rdf_size(rd) - 1);
			len += ldns_rdf_size(rd) - 1;
		}
		s[len] = '\0';
		if (!spf_record_is_spf(s, len)) {
			free(s);
			continue;
		}
		if ((*count)++ == 0) {
			found = s;
			*found_len = len;
		} else
			free(s);
	}
	if (*count > 1) {
		free(found);
		found = NULL;
	}
	return found;
}

static void
node_free(spf_node_t *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nitems; i++) {
		node_free(n->items[i].child);
		free(n->items[i].target);
	}
	free(n->items);
	if (!n->shared) {
		spf_record_free(n->rec);
		free(n->text);
	}
	free(n->domain);
	free(n);
}

void
spf_walk_clear(spf_walk_t *w)
{
	node_free(w->root);
	lint_findings_clear(&w->findings);
	memset(w, 0, sizeof(*w));
}

static const char *
type_str(ldns_rr_type t)
{
	return t == LDNS_RR_TYPE_TXT ? "TXT" : t == LDNS_RR_TYPE_A ? "A" :
	    t == LDNS_RR_TYPE_AAAA ? "AAAA" : t == LDNS_RR_TYPE_MX ? "MX" :
	    "SPF";
}

/* The answer for name/type, or NULL when this pass must wait for it.  A
 * failure is reported once and marks the walk incomplete. */
static const dns_answer_t *
ask(struct pass *p, const char *name, ldns_rr_type type)
{
	const dns_answer_t *a = dns_resolver_peek(p->r, name, type);

	if (a == NULL) {
		p->pending++;
		return NULL;
	}
	if (dns_result_is_failure(a->result)) {
		p->w->complete = false;
		spf_finding(&p->w->findings, SPF_DNS_FAILURE, name, -1L, name,
		    type_str(type), dns_result_str(a->result), a->source);
	}
	return a;
}

static spf_node_t *walk_node(struct pass *p, const char *domain,
    const char *text, size_t len, bool top);

static bool
on_path(const struct pass *p, const char *name)
{
	for (size_t i = 0; i < p->depth; i++)
		if (strcmp(p->path[i], name) == 0)
			return true;
	return false;
}

/* include and redirect: fetch the target's record and walk it */
static void
walk_target(struct pass *p, spf_node_t *n, spf_item_t *it, bool top)
{
	const bool inc = it->term->kind == SPF_INCLUDE;
	const dns_answer_t *a = ask(p, it->target, LDNS_RR_TYPE_TXT);
	size_t count, len;
	char *text;

	if (a == NULL)
		return;
	if (dns_result_is_failure(a->result)) {
		it->failed = true;
		it->note = dns_result_str(a->result);
		return;
	}
	if (dns_result_is_void(a->result)) {
		it->void_lookup = true;
		p->w->voids++;
	}
	text = a->result == DNS_OK ? spf_txt_select(a->rrs, &count, &len) :
	    NULL;
	if (text == NULL && (a->result != DNS_OK || count == 0)) {
		it->note = "no SPF record";
		spf_finding(&p->w->findings, inc ? SPF_INCLUDE_NO_RECORD :
		    SPF_REDIRECT_NO_RECORD, n->domain, (long)it->term->offset,
		    it->target, a->result == DNS_NXDOMAIN ? "the name does "
		    "not exist" : a->result == DNS_OK ? "TXT records, none "
		    "starting with v=spf1" : "no TXT record");
		return;
	}
	if (text == NULL) {
		it->note = "several SPF records";
		spf_finding(&p->w->findings, SPF_MULTIPLE_RECORDS, it->target,
		    -1L, count);
		return;
	}
	if (on_path(p, it->target)) {
		it->note = "loop";
		spf_finding(&p->w->findings, SPF_INCLUDE_LOOP, n->domain,
		    (long)it->term->offset, n->domain, it->target);
		free(text);
		return;
	}
	if (p->depth == MAX_DEPTH) {
		it->note = "too deep";
		p->cut = true;
		free(text);
		return;
	}
	it->child = walk_node(p, it->target, text, len, inc ? false : top);
	free(text);
}

static void
walk_term(struct pass *p, spf_node_t *n, spf_item_t *it, bool top)
{
	const spf_term_t *t = it->term;
	const dns_answer_t *a, *b;
	char norm[256];

	if (t->has_macro) {
		it->note = "depends on the sender";
		spf_finding(&p->w->findings, SPF_MACRO_TARGET, n->domain,
		    (long)t->offset, t->domain);
		return;
	}
	if (t->domain == NULL && n->domain == NULL) {
		it->note = "no domain given";
		spf_finding(&p->w->findings, SPF_NO_DOMAIN, NULL,
		    (long)t->offset, spf_kind_str(t->kind));
		return;
	}
	if ((t->domain ? util_name_from_raw(t->domain, norm, sizeof(norm)) :
	    util_name_normalize(n->domain, norm, sizeof(norm))) != 0)
		return;		/* the parser reported it */
	it->target = strdup(norm);
	if (it->target == NULL)
		return;
	switch (t->kind) {
	case SPF_INCLUDE:
	case SPF_REDIRECT:
		walk_target(p, n, it, top);
		break;
	case SPF_A:
		a = ask(p, norm, LDNS_RR_TYPE_A);
		b = ask(p, norm, LDNS_RR_TYPE_AAAA);
		if (a == NULL || b == NULL)
			break;
		it->failed = dns_result_is_failure(a->result) ||
		    dns_result_is_failure(b->result);
		/* void when the name has no address of either family */
		if (!it->failed && dns_result_is_void(a->result) &&
		    dns_result_is_void(b->result)) {
			it->void_lookup = true;
			p->w->voids++;
		}
		break;
	case SPF_MX:
	case SPF_EXISTS:
		a = ask(p, norm, t->kind == SPF_MX ? LDNS_RR_TYPE_MX :
		    LDNS_RR_TYPE_A);
		if (a == NULL)
			break;
		it->failed = dns_result_is_failure(a->result);
		if (dns_result_is_void(a->result)) {
			it->void_lookup = true;
			p->w->voids++;
		}
		if (t->kind == SPF_MX && a->result == DNS_OK) {
			it->mx_names = ldns_rr_list_rr_count(a->rrs);
			if (it->mx_names > SPF_MX_LIMIT)
				spf_finding(&p->w->findings, SPF_TOO_MANY_MX,
				    n->domain, (long)t->offset, norm,
				    it->mx_names);
		}
		break;
	case SPF_PTR:
		it->note = "depends on the client's address";
		break;
	default:
		break;
	}
	if (it->failed)
		it->note = "DNS failure";
}

/* ---- the memo ---- */

#define MEMO_CAP	20000	/* included records kept parsed */

struct memo_entry {
	struct memo_entry *retired;	/* replaced, kept until the end */
	char *text;
	size_t len;
	spf_record_t *rec;
	lint_findings_t f;	/* of the parse and the checks */
};

struct spf_walk_memo {
	util_table_t *t;		/* "1domain" (top) or "0domain" */
	struct memo_entry *retired;
};

static void
memo_entry_free(void *p)
{
	struct memo_entry *e = p;

	if (e == NULL)
		return;
	free(e->text);
	spf_record_free(e->rec);
	lint_findings_clear(&e->f);
	free(e);
}

spf_walk_memo_t *
spf_walk_memo_new(void)
{
	spf_walk_memo_t *m = calloc(1, sizeof(*m));

	if (m && (m->t = util_table_new()) == NULL) {
		free(m);
		m = NULL;
	}
	return m;
}

void
spf_walk_memo_free(spf_walk_memo_t *m)
{
	if (m == NULL)
		return;
	util_table_free(m->t, memo_entry_free);
	while (m->retired) {
		struct memo_entry *e = m->retired;

		m->retired = e->retired;
		memo_entry_free(e);
	}
	free(m);
}

/* The record of domain, parsed and checked once for its text; NULL on no
 * memory.  An entry whose text changed is made again; the old one stays
 * until the memo goes, for the walks that may still hold it. */
static const struct memo_entry *
memo_get(spf_walk_memo_t *m, const char *domain, const char *text,
    size_t len, bool top)
{
	char key[260];
	struct memo_entry *e;

	snprintf(key, sizeof(key), "%d%s", top, domain);
	struct memo_entry *old = util_table_get(m->t, key);

	if (old && old->len == len && memcmp(old->text, text, len) == 0)
		return old;
	if (old == NULL && util_table_count(m->t) >= MEMO_CAP)
		return NULL;	/* parsed by the walk itself */
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->text = malloc(len + 1)) == NULL) {
		free(e);
		return NULL;
	}
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	e->rec = spf_record_parse(text, len, domain, &e->f);
	if (e->rec)
		spf_record_check(e->rec, domain, top, &e->f);
	if (util_table_put(m->t, key, e) != 0) {
		memo_entry_free(e);
		return NULL;
	}
	if (old) {
		old->retired = m->retired;
		m->retired = old;
	}
	return e;
}

static spf_node_t *
walk_node(struct pass *p, const char *domain, const char *text, size_t len,
    bool top)
{
	spf_walk_t *w = p->w;
	spf_node_t *n = calloc(1, sizeof(*n));
	lint_findings_t scratch;
	bool first;
	size_t i;

	if (n == NULL || (domain && (n->domain = strdup(domain)) == NULL)) {
		node_free(n);
		return NULL;
	}
	/* a record's own findings are reported once however often it is
	 * included; the lookups it costs count every time */
	first = domain == NULL || util_table_get(p->checked, domain) == NULL;
	if (first && domain)
		util_table_put(p->checked, domain, p);
	lint_findings_init(&scratch);
	/* a batch meets a domain's own record once: only what is included
	 * is worth keeping, and no more of it than MEMO_CAP records */
	const struct memo_entry *e = p->memo && domain && !top ?
	    memo_get(p->memo, domain, text, len, top) : NULL;

	if (e) {
		n->shared = true;
		n->text = e->text;
		n->rec = e->rec;
		if (first)
			lint_findings_append(&w->findings, &e->f);
	} else {
		if ((n->text = malloc(len + 1)) == NULL) {
			node_free(n);
			return NULL;
		}
		memcpy(n->text, text, len);
		n->text[len] = '\0';
		n->rec = spf_record_parse(text, len, domain,
		    first ? &w->findings : &scratch);
		if (n->rec && first)
			spf_record_check(n->rec, domain, top, &w->findings);
	}
	lint_findings_clear(&scratch);
	if (n->rec == NULL)
		return n;
	n->items = calloc(n->rec->nterms, sizeof(*n->items));
	if (n->items == NULL && n->rec->nterms)
		return n;
	if (domain)
		p->path[p->depth++] = n->domain;
	for (i = 0; i < n->rec->nterms; i++) {
		const spf_term_t *t = &n->rec->terms[i];
		spf_item_t *it;

		if (t->kind == SPF_REDIRECT || t->kind == SPF_EXP ||
		    t->kind == SPF_MODIFIER)
			continue;
		it = &n->items[n->nitems++];
		it->term = t;
		if ((n->rec->all >= 0 && (int)i > n->rec->all) || t->bad ||
		    p->cut)
			continue;
		it->evaluated = true;
		if (spf_kind_queries(t->kind)) {
			if (w->lookups == SPF_WALK_MAX_LOOKUPS) {
				p->cut = true;
				it->evaluated = false;
				continue;
			}
			it->lookup = ++w->lookups;
		}
		if (t->kind == SPF_PTR)
			spf_finding(first ? &w->findings : &scratch,
			    SPF_PTR_DEPRECATED, domain, (long)t->offset);
		if (it->lookup)
			walk_term(p, n, it, top);
	}
	lint_findings_clear(&scratch);
	/* redirect is followed only when no "all" ended the record */
	if (n->rec->redirect >= 0 && n->rec->all < 0 && !p->cut &&
	    !n->rec->terms[n->rec->redirect].bad) {
		spf_item_t *it = &n->items[n->nitems++];

		it->term = &n->rec->terms[n->rec->redirect];
		it->evaluated = true;
		if (w->lookups == SPF_WALK_MAX_LOOKUPS)
			p->cut = true;
		else {
			it->lookup = ++w->lookups;
			walk_term(p, n, it, top);
		}
	}
	if (domain)
		p->depth--;
	return n;
}

/* Where the n-th lookup (or void lookup) of the tree is, for the finding */
static const spf_node_t *
find_nth(const spf_node_t *n, unsigned nth, bool voids, unsigned *seen,
    const spf_item_t **at)
{
	for (size_t i = 0; n && i < n->nitems; i++) {
		const spf_item_t *it = &n->items[i];
		const spf_node_t *found;

		if ((voids ? it->void_lookup : it->lookup > 0) &&
		    ++*seen == nth) {
			*at = it;
			return n;
		}
		if ((found = find_nth(it->child, nth, voids, seen, at)))
			return found;
	}
	return NULL;
}

static void
limit_finding(spf_walk_t *w, spf_code_t code, unsigned count, bool voids)
{
	const spf_item_t *it = NULL;
	unsigned seen = 0;
	unsigned nth = (voids ? SPF_VOID_LIMIT : SPF_LOOKUP_LIMIT) + 1;
	const spf_node_t *n = find_nth(w->root, nth, voids, &seen, &it);

	spf_finding(&w->findings, code, n ? n->domain : w->root->domain,
	    n ? (long)it->term->offset : -1L, w->complete ? "" : "at least ",
	    count);
}

static int
walk_root(struct pass *p, const char *domain, const char *record,
    size_t len)
{
	spf_walk_t *w = p->w;
	const dns_answer_t *a = NULL;
	char *text = NULL;
	size_t count = 0, tlen = len;

	if (record == NULL) {
		a = ask(p, domain, LDNS_RR_TYPE_TXT);
		const dns_answer_t *s99 = p->type99 ?
		    ask(p, domain, TYPE_SPF) : NULL;

		if (a == NULL || (p->type99 && s99 == NULL))
			return 0;
		if (s99 && s99->result == DNS_OK)
			spf_finding(&w->findings, SPF_TYPE99_PRESENT, domain,
			    -1L);
		if (dns_result_is_failure(a->result))
			return 0;
		if (a->result == DNS_OK)
			text = spf_txt_select(a->rrs, &count, &tlen);
		if (count == 0) {
			spf_finding(&w->findings, SPF_NO_RECORD, domain, -1L);
			return 0;
		}
		if (count > 1) {
			spf_finding(&w->findings, SPF_MULTIPLE_RECORDS, domain,
			    -1L, count);
			return 0;
		}
		if (a->wire_size > 512)
			spf_finding(&w->findings, SPF_ANSWER_TOO_BIG, domain,
			    -1L, domain, a->wire_size);
	} else {
		if ((text = malloc(len + 1)) == NULL)
			return -1;
		memcpy(text, record, len);
		text[len] = '\0';
		if (strlen(text) != len) {
			spf_finding(&w->findings, SPF_BAD_CHAR, domain,
			    (long)strlen(text), 0);
			free(text);
			return 0;
		}
		if (!spf_record_is_spf(text, len)) {
			spf_finding(&w->findings, SPF_NOT_SPF, domain, 0L);
			free(text);
			return 0;
		}
		if (len > 255)
			spf_finding(&w->findings, SPF_STRING_TOO_LONG, domain,
			    -1L, len);
		/* as published in strings of 255: one length byte each */
		size_t wire = 12 + (domain ? strlen(domain) + 2 : 1) + 4 +
		    2 + 10 + len + (len + 254) / 255;
		if (wire > 512)
			spf_finding(&w->findings, SPF_ANSWER_TOO_BIG, domain,
			    -1L, domain ? domain : "the record", wire);
	}
	w->root = walk_node(p, domain, text, tlen, !p->part);
	free(text);
	return w->root ? 0 : -1;
}

int
spf_walk_run(spf_walk_t *w, dns_resolver_t *r, const char *domain,
    const char *record, size_t len)
{
	return spf_walk_run_memo(w, r, NULL, domain, record, len);
}

static int
walk_run(spf_walk_t *w, dns_resolver_t *r, spf_walk_memo_t *memo,
    const char *domain, const char *record, size_t len, unsigned flags)
{
	struct pass p;
	char norm[256];

	memset(w, 0, sizeof(*w));
	if (domain && util_name_normalize(domain, norm, sizeof(norm)) == 0)
		domain = norm;
	for (;;) {
		memset(&p, 0, sizeof(p));
		p.w = w;
		p.r = r;
		p.memo = memo;
		p.part = flags & SPF_WALK_PART;
		p.type99 = flags & SPF_WALK_TYPE99;
		if ((p.checked = util_table_new()) == NULL)
			return -1;
		node_free(w->root);
		lint_findings_clear(&w->findings);
		w->root = NULL;
		w->lookups = w->voids = 0;
		w->complete = true;
		w->passes++;
		int rc = walk_root(&p, domain, record, len);

		util_table_free(p.checked, NULL);
		if (rc != 0)
			return -1;
		/* deferred: the caller waits, for many walks at once */
		if (p.pending == 0 || w->passes == MAX_PASSES ||
		    dns_resolver_deferring(r))
			break;
		dns_resolver_wait(r);
	}
	if (p.cut || p.pending) {
		w->complete = false;
		spf_finding(&w->findings, SPF_WALK_TRUNCATED, domain, -1L,
		    w->lookups);
	}
	if (w->lookups > SPF_LOOKUP_LIMIT)
		limit_finding(w, SPF_TOO_MANY_LOOKUPS, w->lookups, false);
	if (w->voids > SPF_VOID_LIMIT)
		limit_finding(w, SPF_TOO_MANY_VOID_LOOKUPS, w->voids, true);
	return 0;
}

int
spf_walk_run_memo(spf_walk_t *w, dns_resolver_t *r, spf_walk_memo_t *memo,
    const char *domain, const char *record, size_t len)
{
	return walk_run(w, r, memo, domain, record, len, 0);
}

int
spf_walk_run_flags(spf_walk_t *w, dns_resolver_t *r, const char *domain,
    const char *record, size_t len, unsigned flags)
{
	return walk_run(w, r, NULL, domain, record, len, flags);
}
