#include "lint/spf_interp.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/spf_check.h"
#include "util/name.h"
#include "util/table.h"
#include "util/txt.h"

#define TYPE_SPF	((ldns_rr_type)99)
#define STORE_CAP	4096	/* records kept parsed for many runs: those
				 * shared by many come early, the rest parse
				 * again in under a microsecond */
#define AHEAD_CAP	SPF_MAX_LOOKUPS	/* records asked ahead, per run */

/* a frame's phases */
enum { PH_FETCH, PH_TERMS, PH_REDIRECT, PH_EXP, PH_LEAVE };
/* a term's stages */
enum { ST_START, ST_TARGET, ST_ASK, ST_CHILD };

/* ---- the store of parsed records ---- */

/* A query a record's terms make whatever the client: asked ahead */
struct ahead_q {
	char name[256];
	ldns_rr_type type;	/* TXT for include and redirect */
	bool a;			/* the a mechanism: AAAA too where asked */
};

struct entry {
	struct entry *next;	/* replaced (store) or held (a run) */
	char *text;
	size_t len;
	spf_record_t *rec;
	lint_findings_t f;	/* of the parser and spf_record_check */
	bool stored;		/* the store's, else the run's own */
	struct ahead_q *q;	/* made at the first use */
	size_t nq;
	bool q_made;
};

struct spf_store {
	util_table_t *t;	/* "1name" (top) or "0name" */
	struct entry *retired;
	util_table_t *picks;	/* name -> struct pick */
	util_table_t *policy;	/* spf_store_table's */
	void (*policy_free)(void *);
};

/* The SPF record picked out of a TXT answer, kept with the answer's id: a
 * provider's answer, met by every domain of a batch that includes it, is
 * joined and searched once */
struct pick {
	unsigned long id;
	char *text;		/* NULL when none or several */
	size_t len, count;
};

static void
pick_free(void *p)
{
	struct pick *k = p;

	if (k)
		free(k->text);
	free(k);
}

static void
entry_free(void *p)
{
	struct entry *e = p;

	if (e == NULL)
		return;
	free(e->text);
	spf_record_free(e->rec);
	lint_findings_clear(&e->f);
	free(e->q);
	free(e);
}

spf_store_t *
spf_store_new(void)
{
	spf_store_t *s = calloc(1, sizeof(*s));

	if (s && ((s->t = util_table_new()) == NULL ||
	    (s->picks = util_table_new()) == NULL)) {
		util_table_free(s->t, NULL);
		free(s);
		s = NULL;
	}
	return s;
}

void
spf_store_free(spf_store_t *s)
{
	if (s == NULL)
		return;
	util_table_free(s->t, entry_free);
	util_table_free(s->picks, pick_free);
	util_table_free(s->policy, s->policy_free);
	while (s->retired) {
		struct entry *e = s->retired;

		s->retired = e->next;
		entry_free(e);
	}
	free(s);
}

util_table_t *
spf_store_table(spf_store_t *s, void (*free_value)(void *))
{
	if (s->policy == NULL) {
		s->policy = util_table_new();
		s->policy_free = free_value;
	}
	return s->policy;
}

static struct entry *
entry_new(const char *name, const char *text, size_t len, bool top)
{
	struct entry *e = calloc(1, sizeof(*e));

	if (e == NULL || (e->text = malloc(len + 1)) == NULL) {
		free(e);
		return NULL;
	}
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	e->rec = spf_record_parse(e->text, len, *name ? name : NULL, &e->f);
	if (e->rec)
		spf_record_check(e->rec, *name ? name : NULL, top, &e->f);
	return e;
}

/* name's record parsed and checked: the store's when it has it (or room
 * for it), else a new one the caller holds */
static struct entry *
store_get(spf_store_t *s, const char *name, const char *text, size_t len,
    bool top)
{
	char key[260];
	struct entry *old, *e;
	size_t n = strnlen(name, sizeof(key) - 2);

	key[0] = top ? '1' : '0';	/* checked as a top record or not */
	memcpy(key + 1, name, n);
	key[n + 1] = '\0';
	old = s && *name ? util_table_get(s->t, key) : NULL;
	if (old && old->len == len && memcmp(old->text, text, len) == 0)
		return old;
	if ((e = entry_new(name, text, len, top)) == NULL)
		return NULL;
	if (s == NULL || !*name || (old == NULL &&
	    util_table_count(s->t) >= STORE_CAP) ||
	    util_table_put(s->t, key, e) != 0)
		return e;
	e->stored = true;
	if (old) {	/* runs may still hold it */
		old->next = s->retired;
		s->retired = old;
	}
	return e;
}

/* ---- the interpreter ---- */

/* A few names, searched in order: a run meets a handful of records, for
 * which a hash table costs more than it saves */
struct names {
	char **v;
	size_t n, cap;
};

static bool
names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

static int
names_add(struct names *s, const char *name)
{
	char *copy;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if ((copy = strdup(name)) == NULL)
		return -1;
	s->v[s->n++] = copy;
	return 0;
}

static void
names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

struct client {
	spf_macro_ctx_t ctx;
	char local[256], sender_domain[256], helo[256];
	char ptr_best[256];
	char valid[SPF_PTR_LIMIT][256];	/* the client's validated names */
	size_t nvalid;
	bool ptr_known;
	const char *receiver;
};

struct spf_interp {
	dns_resolver_t *r;
	spf_store_t *store;
	const spf_policy_t *pol;
	void *arg;
	spf_frame_t *frames[SPF_MAX_DEPTH];	/* made as the stack grows */
	size_t depth;
	struct entry *held;	/* records of this run outside the store */
	struct names seen;	/* names whose record was entered */
	util_table_t *over;	/* name -> text answered before DNS */
	struct names ahead;	/* names whose record was asked ahead */
	char **queue;		/* those, in order; their terms not asked yet */
	size_t nqueue;
	struct client *c;	/* spf_interp_client's, or NULL */
	char root[256];
	const char *record;	/* the candidate record, or NULL */
	size_t record_len;
	unsigned lookups, voids;
	bool done, cut, nomem;
	bool part;		/* the root is an include target */
	spf_result_t result;
	char *problem;
	char *explanation;
};

static void
problem(spf_interp_t *in, const char *fmt, ...)
{
	va_list ap;
	char buf[600];

	if (in->problem || in->c == NULL)
		return;		/* the first problem is the cause */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	in->problem = strdup(buf);
}

/* RFC 7208 4.3: raw (a name as macros or the user give it) made a name to
 * query; false for single labels, literals and malformed names */
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

spf_interp_t *
spf_interp_new(dns_resolver_t *r, spf_store_t *store, const spf_policy_t *pol,
    void *arg, const char *domain, const char *record, size_t len)
{
	spf_interp_t *in = calloc(1, sizeof(*in));

	if (in == NULL)
		return NULL;
	in->r = r;
	in->store = store;
	in->pol = pol;
	in->arg = arg;
	in->record = record;
	in->record_len = len;
	if (domain && util_name_normalize(domain, in->root,
	    sizeof(in->root)) != 0)
		snprintf(in->root, sizeof(in->root), "%s", domain);
	return in;
}

void
spf_interp_free(spf_interp_t *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; i < SPF_MAX_DEPTH && in->frames[i]; i++) {
		free(in->frames[i]->explanation);
		free(in->frames[i]);
	}
	while (in->held) {
		struct entry *e = in->held;

		in->held = e->next;
		entry_free(e);
	}
	names_free(&in->seen);
	util_table_free(in->over, free);
	names_free(&in->ahead);
	for (size_t i = 0; i < in->nqueue; i++)
		free(in->queue[i]);
	free(in->queue);
	free(in->c);
	free(in->problem);
	free(in->explanation);
	free(in);
}

void
spf_interp_part(spf_interp_t *in)
{
	in->part = true;
}

const char *
spf_interp_domain(const spf_interp_t *in)
{
	return in->root[0] ? in->root : NULL;
}

const char *
spf_interp_given(const spf_interp_t *in)
{
	return in->c ? in->c->sender_domain : in->root;
}

int
spf_interp_override(spf_interp_t *in, const char *name, const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL || (in->over == NULL &&
	    (in->over = util_table_new()) == NULL) ||
	    util_table_put(in->over, name, copy) != 0) {
		free(copy);
		return -1;
	}
	return 0;
}

/* ---- the client: its names (RFC 7208 5.5) and %{p} ---- */

static const char *ptr_macro(void *arg, const char *domain);

int
spf_interp_client(spf_interp_t *in, const spf_request_t *req)
{
	const char *sender = req->sender && *req->sender ? req->sender : NULL;
	const char *at = sender ? strrchr(sender, '@') : NULL;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	struct client *c;

	if ((c = in->c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	if (inet_pton(AF_INET, req->ip, c->ctx.ip) == 1)
		c->ctx.family = AF_INET;
	else if (inet_pton(AF_INET6, req->ip, c->ctx.ip) == 1) {
		c->ctx.family = AF_INET6;
		/* an IPv4-mapped address is the IPv4 client it maps */
		if (memcmp(c->ctx.ip, mapped, 12) == 0) {
			memmove(c->ctx.ip, c->ctx.ip + 12, 4);
			c->ctx.family = AF_INET;
		}
	} else
		return -1;
	c->ctx.upper_hex = c->ctx.family == AF_INET6 &&
	    strpbrk(req->ip, "ABCDEF") != NULL;
	snprintf(c->helo, sizeof(c->helo), "%s", req->helo ? req->helo : "");
	/* RFC 7208 4.3 and 2.4: the HELO identity is postmaster@helo */
	snprintf(c->local, sizeof(c->local), "%.*s", at ? (int)(at - sender) :
	    0, at ? sender : "");
	if (c->local[0] == '\0')
		snprintf(c->local, sizeof(c->local), "postmaster");
	snprintf(c->sender_domain, sizeof(c->sender_domain), "%s",
	    sender == NULL ? c->helo : at ? at + 1 : sender);
	c->ctx.local = c->local;
	c->ctx.sender_domain = c->sender_domain;
	c->ctx.domain = c->sender_domain;
	c->ctx.helo = c->helo;
	c->ctx.receiver = req->receiver;
	c->ctx.now = req->now ? req->now : time(NULL);
	c->ctx.ptr_name = ptr_macro;
	c->ctx.ptr_arg = c;
	if (!domain_ok(c->sender_domain, in->root, sizeof(in->root)))
		in->root[0] = '\0';
	return 0;
}

static bool
name_under(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	return strcasecmp(name, domain) == 0 || (n > d &&
	    name[n - d - 1] == '.' && strcasecmp(name + n - d, domain) == 0);
}

/* Addresses of rrs in the client's family that match under prefix */
static bool
addr_match(const struct client *c, const ldns_rr_list *rrs, int prefix)
{
	size_t bytes = c->ctx.family == AF_INET ? 4 : 16;
	int bits = prefix < 0 ? (int)bytes * 8 : prefix;
	int whole = bits / 8, rest = bits % 8;

	for (size_t i = 0; rrs && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rdf *rd = ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0);
		const uint8_t *a = ldns_rdf_data(rd);

		if (ldns_rdf_size(rd) != bytes)
			continue;
		if (memcmp(a, c->ctx.ip, (size_t)whole) == 0 && (rest == 0 ||
		    ((a[whole] ^ c->ctx.ip[whole]) &
		    (uint8_t)(0xff << (8 - rest))) == 0))
			return true;
	}
	return false;
}

static ldns_rr_type
client_type(const struct client *c)
{
	return c->ctx.family == AF_INET ? LDNS_RR_TYPE_A : LDNS_RR_TYPE_AAAA;
}

/* The client's validated names: its PTR names (the first 10) whose
 * addresses include it.  0 while answers are missing; *rev is the PTR
 * answer. */
static int
client_names(spf_interp_t *in, const dns_answer_t **rev)
{
	struct client *c = in->c;
	char name[80], host[SPF_PTR_LIMIT][256];
	size_t n = 0;
	bool missing = false;

	util_name_reverse(c->ctx.family, c->ctx.ip, name, sizeof(name));
	if ((*rev = dns_resolver_peek(in->r, name, LDNS_RR_TYPE_PTR)) == NULL)
		return 0;
	for (size_t i = 0; (*rev)->result == DNS_OK &&
	    i < ldns_rr_list_rr_count((*rev)->rrs) && n < SPF_PTR_LIMIT; i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr((*rev)->rrs,
		    i), 0));

		if (s && util_name_normalize(s, host[n], sizeof(host[n])) == 0)
			missing |= dns_resolver_peek(in->r, host[n++],
			    client_type(c)) == NULL;
		free(s);
	}
	if (missing)
		return 0;
	c->nvalid = 0;
	for (size_t i = 0; i < n; i++) {
		const dns_answer_t *b = dns_resolver_peek(in->r, host[i],
		    client_type(c));

		if (b->result == DNS_OK && addr_match(c, b->rrs, -1))
			memcpy(c->valid[c->nvalid++], host[i], 256);
	}
	return 1;
}

/* %{p}: the validated name equal to the domain, else under it, else any */
static const char *
ptr_macro(void *arg, const char *domain)
{
	struct client *c = arg;
	int best = 0;

	snprintf(c->ptr_best, sizeof(c->ptr_best), "unknown");
	for (size_t i = 0; i < c->nvalid && best < 3; i++) {
		int rank = strcasecmp(c->valid[i], domain) == 0 ? 3 :
		    name_under(c->valid[i], domain) ? 2 : 1;

		if (rank > best) {
			snprintf(c->ptr_best, sizeof(c->ptr_best), "%s",
			    c->valid[i]);
			best = rank;
		}
	}
	return c->ptr_best;
}

/* Before a macro-string with %{p} is expanded: 0 while answers are
 * missing */
static int
ptr_ready(spf_interp_t *in, const char *s)
{
	const dns_answer_t *rev;

	if (in->c->ptr_known || s == NULL || (strstr(s, "%{p") == NULL &&
	    strstr(s, "%{P") == NULL))
		return 1;
	if (client_names(in, &rev) == 0)
		return 0;
	in->c->ptr_known = true;
	return 1;
}

/* ---- asking ahead ---- */

/* The queries of a record's terms go out when the record is seen, and the
 * records it includes are read as they come: a tree costs a round trip
 * per level, however it is evaluated. */
static void ahead_record(spf_interp_t *in, struct entry *e,
    const char *name);

static void
ahead_name(spf_interp_t *in, const char *name)
{
	char *copy, **q;

	if (in->ahead.n >= AHEAD_CAP || names_has(&in->ahead, name) ||
	    (in->pol->ahead && !in->pol->ahead(in->arg, name)) ||
	    names_add(&in->ahead, name) != 0)
		return;
	if ((copy = strdup(name)) == NULL || (q = realloc(in->queue,
	    (in->nqueue + 1) * sizeof(*q))) == NULL) {
		free(copy);
		return;
	}
	in->queue = q;
	in->queue[in->nqueue++] = copy;
	(void)dns_resolver_peek(in->r, copy, LDNS_RR_TYPE_TXT);
}

/* The queries of e's terms without macros, up to its "all" */
static void
ahead_make(struct entry *e, const char *name)
{
	const spf_record_t *rec = e->rec;

	e->q_made = true;
	if (rec == NULL || (e->q = calloc(rec->nterms, sizeof(*e->q))) == NULL)
		return;
	for (size_t i = 0; i < rec->nterms; i++) {
		const spf_term_t *t = &rec->terms[i];
		struct ahead_q *q = &e->q[e->nq];

		if (rec->all >= 0 && (int)i > rec->all)
			break;
		if (t->bad || t->has_macro || t->kind == SPF_PTR ||
		    !(spf_kind_queries(t->kind) || (t->kind == SPF_REDIRECT &&
		    rec->all < 0)) || (t->domain ?
		    util_name_from_raw(t->domain, q->name, sizeof(q->name)) :
		    util_name_normalize(name, q->name, sizeof(q->name))) != 0)
			continue;
		q->type = t->kind == SPF_MX ? LDNS_RR_TYPE_MX :
		    t->kind == SPF_A || t->kind == SPF_EXISTS ? LDNS_RR_TYPE_A :
		    LDNS_RR_TYPE_TXT;
		q->a = t->kind == SPF_A;
		e->nq++;
	}
	/* a provider's record is mostly addresses: its few queries kept */
	if (e->nq == 0) {
		free(e->q);
		e->q = NULL;
	} else if (e->nq < rec->nterms) {
		struct ahead_q *q = realloc(e->q, e->nq * sizeof(*q));

		if (q)
			e->q = q;
	}
}

static void
ahead_record(spf_interp_t *in, struct entry *e, const char *name)
{
	if (!e->q_made)
		ahead_make(e, name);
	for (size_t i = 0; i < e->nq; i++) {
		const struct ahead_q *q = &e->q[i];

		bool both = (in->pol->flags & SPF_P_BOTH) || in->c == NULL;

		if (q->type == LDNS_RR_TYPE_TXT)
			ahead_name(in, q->name);
		else	/* a: the client's family, or both */
			(void)dns_resolver_peek(in->r, q->name, q->a && !both ?
			    client_type(in->c) : q->type);
		if (q->a && both)
			(void)dns_resolver_peek(in->r, q->name,
			    LDNS_RR_TYPE_AAAA);
	}
}

/* The one SPF record of name's TXT answer a (*count found, *len bytes),
 * or NULL: the store's when it picked from this very answer before, else
 * picked now and kept there, or left in *owned for the caller to free */
static const char *
txt_pick(spf_interp_t *in, const char *name, const dns_answer_t *a,
    size_t *count, size_t *len, char **owned)
{
	util_table_t *t = in->store ? in->store->picks : NULL;
	struct pick *k = t && a->id ? util_table_get(t, name) : NULL;
	char *text;

	*owned = NULL;
	if (k && k->id == a->id) {
		*count = k->count;
		*len = k->len;
		return k->text;
	}
	text = spf_txt_select(a->rrs, count, len);
	if (k == NULL && t && a->id && util_table_count(t) < STORE_CAP &&
	    (k = calloc(1, sizeof(*k))) != NULL &&
	    util_table_put(t, name, k) != 0) {
		free(k);
		k = NULL;
	}
	if (k == NULL || a->id == 0) {
		*owned = text;
		return text;
	}
	free(k->text);
	*k = (struct pick){ a->id, text, *len, *count };
	return text;
}

/* The records asked ahead that came: their own terms go out */
static void
ahead_drain(spf_interp_t *in)
{
	size_t kept = 0;

	for (size_t i = 0; i < in->nqueue; i++) {
		const dns_answer_t *a = dns_resolver_peek(in->r, in->queue[i],
		    LDNS_RR_TYPE_TXT);
		size_t count, len;
		const char *text;
		char *owned = NULL;

		if (a == NULL) {
			in->queue[kept++] = in->queue[i];
			continue;
		}
		text = a->result == DNS_OK ? txt_pick(in, in->queue[i], a,
		    &count, &len, &owned) : NULL;
		if (text) {
			struct entry *e = store_get(in->store, in->queue[i],
			    text, len, false);

			if (e) {
				ahead_record(in, e, in->queue[i]);
				if (!e->stored) {
					e->next = in->held;
					in->held = e;
				}
			}
		}
		free(owned);
		free(in->queue[i]);
	}
	in->nqueue = kept;
}

static void stop(spf_interp_t *in);

char *
spf_txt_select(const ldns_rr_list *txt, size_t *count, size_t *found_len)
{
	char **texts;
	char *found = NULL;
	size_t n = 0, *lens = NULL;

	*count = 0;
	*found_len = 0;
	if ((texts = util_txt_join_lens(txt, &n, &lens)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = lens[i];

		if (!spf_record_is_spf(texts[i], len))
			continue;
		if ((*count)++ == 0) {
			found = texts[i];
			*found_len = len;
			texts[i] = NULL;
		}
	}
	util_txt_free(texts, n);
	free(lens);
	if (*count > 1) {
		free(found);
		found = NULL;
	}
	return found;
}

/* ---- frames ---- */

/* a name into 256 bytes, cut if it is longer */
static void
copy_name(char *out, const char *name)
{
	size_t n = strnlen(name, 255);

	memcpy(out, name, n);
	out[n] = '\0';
}

static spf_frame_t *
frame_top(const spf_interp_t *in)
{
	return in->depth ? in->frames[in->depth - 1] : NULL;
}

/* Pushes a frame for name (given: as the term gave it, for %{d}) */
static spf_frame_t *
frame_push(spf_interp_t *in, const char *name, const char *given,
    const spf_term_t *via)
{
	spf_frame_t *f, *parent = frame_top(in);

	if (in->depth == SPF_MAX_DEPTH)
		return NULL;
	if (in->frames[in->depth] == NULL &&
	    (in->frames[in->depth] = malloc(sizeof(*f))) == NULL) {
		in->nomem = true;
		return NULL;
	}
	f = in->frames[in->depth++];
	memset(f, 0, sizeof(*f));
	f->parent = parent;
	f->via = via;
	copy_name(f->name, name);
	copy_name(f->given, given);
	f->top = via == NULL ? !in->part :
	    via->kind == SPF_REDIRECT && parent->top;
	return f;
}

static bool
on_stack(const spf_interp_t *in, const char *name)
{
	for (size_t i = 0; i < in->depth; i++)
		if (strcmp(in->frames[i]->name, name) == 0)
			return true;
	return false;
}

size_t
spf_interp_depth(const spf_interp_t *in)
{
	return in->depth;
}

bool
spf_interp_on_stack(const spf_interp_t *in, const char *name)
{
	return on_stack(in, name);
}

bool
spf_interp_entered(const spf_interp_t *in, const char *name)
{
	return names_has(&in->seen, name);
}

int
spf_interp_account(spf_interp_t *in, unsigned lookups, unsigned voids,
    const char *const *names, size_t nnames)
{
	in->lookups += lookups;
	in->voids += voids;
	for (size_t i = 0; i < nnames; i++)
		if (!names_has(&in->seen, names[i]) &&
		    names_add(&in->seen, names[i]) != 0)
			return -1;
	return 0;
}

static void
hold(spf_interp_t *in, struct entry *e)
{
	if (!e->stored) {
		e->next = in->held;
		in->held = e;
	}
}

/* The text of f's record: a candidate or an override, else the TXT
 * answer's one SPF record.  0 while the answer is missing. */
static int
fetch_text(spf_interp_t *in, spf_frame_t *f, const char **text, size_t *len,
    char **owned, const dns_answer_t **type99)
{
	const char *over = in->over ? util_table_get(in->over, f->name) : NULL;
	const dns_answer_t *a;

	*type99 = NULL;
	*owned = NULL;
	if (in->record && (f->parent == NULL || (in->c && *f->name &&
	    strcmp(f->name, in->root) == 0))) {
		*text = in->record;
		*len = in->record_len;
		f->count = 1;
		return 1;
	}
	if (over) {
		*text = over;
		*len = strlen(over);
		f->count = 1;
		return 1;
	}
	a = dns_resolver_peek(in->r, f->name, LDNS_RR_TYPE_TXT);
	if (f->parent == NULL && (in->pol->flags & SPF_P_TYPE99) &&
	    (*type99 = dns_resolver_peek(in->r, f->name, TYPE_SPF)) == NULL)
		return 0;
	if (a == NULL)
		return 0;
	f->answer = a;
	*text = NULL;
	if (dns_result_is_failure(a->result))
		f->fetch = SPF_FETCH_FAILED;
	else if (a->result == DNS_OK && (*text = txt_pick(in, f->name, a,
	    &f->count, len, owned)) != NULL)
		return 1;
	else
		f->fetch = f->count > 1 ? SPF_FETCH_MULTIPLE : SPF_FETCH_NONE;
	/* an include or redirect target without records is a void lookup */
	if (f->via && dns_result_is_void(a->result))
		in->voids++;
	return 1;
}

static void
fetch_problem(spf_interp_t *in, spf_frame_t *f)
{
	switch (f->fetch) {
	case SPF_FETCH_FAILED:
		problem(in, "%s TXT: %s", f->name,
		    dns_result_str(f->answer->result));
		break;
	case SPF_FETCH_MULTIPLE:
		problem(in, "%s has %zu SPF records", f->name, f->count);
		break;
	case SPF_FETCH_SYNTAX:
		problem(in, "%s: %s", f->name, f->parse_findings &&
		    f->parse_findings->n ? f->parse_findings->v[0].message :
		    "syntax error");
		break;
	default:
		break;
	}
}

static int
phase_fetch(spf_interp_t *in, spf_frame_t *f)
{
	const dns_answer_t *type99 = NULL;
	struct entry *e = NULL;
	const char *text = NULL;
	char *owned = NULL;
	size_t len = 0;
	int rc;

	if (f->parent == NULL && in->c && in->root[0] == '\0')
		f->fetch = SPF_FETCH_NOT_NAME;
	else if ((rc = fetch_text(in, f, &text, &len, &owned, &type99)) <= 0)
		return rc;
	if (text) {
		e = store_get(in->store, f->name, text, len, f->top);
		free(owned);
		if (e == NULL)
			return -1;
		hold(in, e);
		f->text = e->text;
		f->len = e->len;
		f->rec = e->rec;
		f->parse_findings = &e->f;
		if (e->rec == NULL || (e->rec->bad && in->c))
			f->fetch = SPF_FETCH_SYNTAX;
	}
	f->first = f->name[0] == '\0' || !names_has(&in->seen, f->name);
	if (f->first && f->name[0] && f->text &&
	    names_add(&in->seen, f->name) != 0)
		return -1;
	if (in->c && f->parent == NULL)
		in->c->ctx.domain = in->c->sender_domain;
	fetch_problem(in, f);
	rc = in->pol->enter ? in->pol->enter(in->arg, f, type99) :
	    SPF_ENTER_GO;
	f->answer = NULL;
	if (rc < 0)
		return -1;
	if (rc == SPF_ENTER_STOP) {
		stop(in);
		return 1;
	}
	if (rc == SPF_ENTER_SKIP && f->fetch == SPF_FETCH_OK)
		f->fetch = SPF_FETCH_SYNTAX;
	f->result = f->fetch == SPF_FETCH_OK ? SPF_RESULT_NEUTRAL :
	    f->fetch == SPF_FETCH_FAILED ? SPF_RESULT_TEMPERROR :
	    f->fetch == SPF_FETCH_NONE || f->fetch == SPF_FETCH_NOT_NAME ?
	    SPF_RESULT_NONE : SPF_RESULT_PERMERROR;
	f->phase = f->fetch == SPF_FETCH_OK ? PH_TERMS : PH_LEAVE;
	if (f->fetch == SPF_FETCH_OK && (in->pol->flags & SPF_P_AHEAD))
		ahead_record(in, e, f->name);
	return 1;
}

/* ---- terms ---- */

static spf_result_t
qualifier_result(char q)
{
	return q == '-' ? SPF_RESULT_FAIL : q == '~' ? SPF_RESULT_SOFTFAIL :
	    q == '?' ? SPF_RESULT_NEUTRAL : SPF_RESULT_PASS;
}

static bool
inside_include(const spf_interp_t *in)
{
	for (size_t i = 0; i < in->depth; i++)
		if (in->frames[i]->via &&
		    in->frames[i]->via->kind == SPF_INCLUDE)
			return true;
	return false;
}

static void
stop(spf_interp_t *in)
{
	in->cut = true;
	in->done = true;
	in->result = SPF_RESULT_PERMERROR;
	while (in->depth) {
		spf_frame_t *f = in->frames[--in->depth];

		f->result = SPF_RESULT_PERMERROR;
		if (in->pol->leave)
			in->pol->leave(in->arg, f);
	}
}

/* A term is done: the policy has its say, and the frame goes on */
static int
term_finish(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t,
    spf_step_t *s)
{
	spf_match_t m = in->pol->term ? in->pol->term(in->arg, f, t, s) :
	    s->match;

	f->stage = ST_START;
	if (m == SPF_STOP) {
		stop(in);
		return 1;
	}
	if (t->kind == SPF_REDIRECT) {
		/* the target's result is the record's (set when it was left),
		 * unless the redirect itself failed */
		if (m == SPF_TEMPERR || m == SPF_PERMERR) {
			f->result = m == SPF_TEMPERR ? SPF_RESULT_TEMPERROR :
			    SPF_RESULT_PERMERROR;
			f->decider = t;
		}
		f->phase = PH_LEAVE;
		return 1;
	}
	if (m == SPF_NOMATCH) {
		f->term++;
		return 1;
	}
	f->decider = t;
	f->result = m == SPF_TEMPERR ? SPF_RESULT_TEMPERROR :
	    m == SPF_PERMERR ? SPF_RESULT_PERMERROR :
	    qualifier_result(t->qualifier);
	f->phase = f->result == SPF_RESULT_FAIL && in->c && f->rec->exp >= 0 &&
	    !inside_include(in) ? PH_EXP : PH_LEAVE;
	return 1;
}

static void
count_void(spf_interp_t *in, spf_step_t *s, const char *name)
{
	s->void_lookup = true;
	if (++in->voids > SPF_VOID_LIMIT && in->c) {
		problem(in, "more than %d void lookups (at %s)",
		    SPF_VOID_LIMIT, name);
		s->event = SPF_EV_LIMIT;
		s->match = SPF_PERMERR;
	}
}

static bool
failed(spf_interp_t *in, spf_step_t *s, const dns_answer_t *a,
    const char *what)
{
	if (a == NULL || !dns_result_is_failure(a->result))
		return false;
	s->event = SPF_EV_DNS_FAILURE;
	s->why = dns_result_str(a->result);
	s->match = in->c ? SPF_TEMPERR : SPF_NOMATCH;
	problem(in, "%s%s: %s", s->target, what, s->why);
	return true;
}

/* The name the term queries into f->target; 0 while %{p} waits */
static int
term_target(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t,
    spf_step_t *s)
{
	char *raw;
	bool ok;

	if (in->c == NULL) {
		if (t->has_macro)
			s->event = SPF_EV_MACRO;
		else if (t->domain == NULL && f->name[0] == '\0')
			s->event = SPF_EV_NO_DOMAIN;
		else if (t->domain ? util_name_from_raw(t->domain, f->target,
		    sizeof(f->target)) != 0 : snprintf(f->target,
		    sizeof(f->target), "%s", f->name) < 0)
			s->event = SPF_EV_INVALID;
		return 1;
	}
	if (t->domain && ptr_ready(in, t->domain) == 0)
		return 0;
	raw = t->domain ? spf_macro_domain(t->domain, &in->c->ctx) :
	    strdup(f->given);
	if (raw == NULL)
		problem(in, "cannot expand \"%s\"", t->domain);
	ok = raw && domain_ok(raw, f->target, sizeof(f->target));
	free(raw);
	if (!ok)
		s->event = SPF_EV_INVALID;
	return 1;
}

/* a: the client's family, or both */
static int
ask_a(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t, spf_step_t *s)
{
	const struct client *c = in->c;
	bool both = c == NULL || (in->pol->flags & SPF_P_BOTH);
	const dns_answer_t *a = dns_resolver_peek(in->r, f->target, c && !both ?
	    client_type(c) : LDNS_RR_TYPE_A);
	const dns_answer_t *b = both ? dns_resolver_peek(in->r, f->target,
	    LDNS_RR_TYPE_AAAA) : NULL;

	if (a == NULL || (both && b == NULL))
		return 0;
	s->answer = a;
	s->answer6 = b;
	if (failed(in, s, a, "") || failed(in, s, b, ""))
		return 1;
	if (dns_result_is_void(a->result) && (b == NULL ||
	    dns_result_is_void(b->result)))
		count_void(in, s, f->target);
	if (s->match != SPF_NOMATCH)
		return 1;
	if (in->pol->addresses && (in->pol->flags & SPF_P_BOTH)) {
		in->pol->addresses(in->arg, f, t, f->target, a, 4);
		in->pol->addresses(in->arg, f, t, f->target, b, 6);
	}
	if (c) {
		const dns_answer_t *mine = c->ctx.family == AF_INET ||
		    b == NULL ? a : b;

		if (mine->result == DNS_OK && addr_match(c, mine->rrs,
		    c->ctx.family == AF_INET ? t->cidr4 : t->cidr6))
			s->match = SPF_MATCH;
	}
	return 1;
}

/* mx: the MX names, then (with a client, or SPF_P_HOSTS) their addresses */
static int
ask_mx(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t, spf_step_t *s)
{
	const struct client *c = in->c;
	bool both = in->pol->flags & SPF_P_BOTH;
	const dns_answer_t *a = dns_resolver_peek(in->r, f->target,
	    LDNS_RR_TYPE_MX);
	ldns_rr_type types[2] = { c && !both ? client_type(c) :
	    LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA };
	int ntypes = c && !both ? 1 : 2;
	bool missing = false;

	if (a == NULL)
		return 0;
	s->answer = a;
	if (failed(in, s, a, " MX"))
		return 1;
	if (dns_result_is_void(a->result))
		count_void(in, s, f->target);
	if (s->match != SPF_NOMATCH || a->result != DNS_OK)
		return 1;
	s->names = ldns_rr_list_rr_count(a->rrs);
	if (s->names > SPF_MX_LIMIT && c) {
		problem(in, "%s has more than %d MX names", f->target,
		    SPF_MX_LIMIT);
		s->event = SPF_EV_LIMIT;
		s->match = SPF_PERMERR;
		return 1;
	}
	if (c == NULL && !(in->pol->flags & SPF_P_HOSTS))
		return 1;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->names; i++) {
			char *str = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(
			    a->rrs, i), 1)), host[256];
			bool ok = str && util_name_normalize(str, host,
			    sizeof(host)) == 0;

			free(str);
			for (int k = 0; ok && k < ntypes; k++) {
				const dns_answer_t *b = dns_resolver_peek(in->r,
				    host, types[k]);

				if (b == NULL) {
					missing = true;
					continue;
				}
				if (pass == 0)
					continue;
				if (in->pol->addresses)
					in->pol->addresses(in->arg, f, t, host,
					    b, types[k] ==
					    LDNS_RR_TYPE_AAAA ? 6 : 4);
				if (c && b->result == DNS_OK && addr_match(c,
				    b->rrs, c->ctx.family == AF_INET ?
				    t->cidr4 : t->cidr6))
					s->match = SPF_MATCH;
			}
		}
		if (missing)
			return 0;
	}
	return 1;
}

/* ptr (RFC 7208 5.5): a validated name of the client under the target */
static int
ask_ptr(spf_interp_t *in, spf_frame_t *f, spf_step_t *s)
{
	const dns_answer_t *rev;

	if (in->c == NULL)
		return 1;
	if (client_names(in, &rev) == 0)
		return 0;
	s->answer = rev;
	for (size_t i = 0; i < in->c->nvalid; i++)
		if (name_under(in->c->valid[i], f->target))
			s->match = SPF_MATCH;
	/* the term's own reverse lookup: void when it finds nothing */
	if (dns_result_is_void(rev->result))
		count_void(in, s, "the client's reverse name");
	return 1;
}

static int
term_ask(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t,
    spf_step_t *s)
{
	const dns_answer_t *a;

	switch (t->kind) {
	case SPF_A:
		return ask_a(in, f, t, s);
	case SPF_MX:
		return ask_mx(in, f, t, s);
	case SPF_PTR:
		return ask_ptr(in, f, s);
	case SPF_EXISTS:
		if ((a = dns_resolver_peek(in->r, f->target,
		    LDNS_RR_TYPE_A)) == NULL)
			return 0;
		s->answer = a;
		if (failed(in, s, a, ""))
			return 1;
		if (dns_result_is_void(a->result))
			count_void(in, s, f->target);
		if (in->c && s->match == SPF_NOMATCH && a->result == DNS_OK)
			s->match = SPF_MATCH;
		return 1;
	default:
		return 1;
	}
}

/* include and redirect: the target's record goes on the stack */
static int
descend(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t,
    spf_step_t *s)
{
	if ((in->pol->flags & SPF_P_LOOPS) && on_stack(in, f->target)) {
		s->event = SPF_EV_LOOP;
		return term_finish(in, f, t, s);
	}
	if (in->depth == SPF_MAX_DEPTH) {
		s->event = SPF_EV_TOO_DEEP;
		if (in->c) {
			problem(in, "includes nested too deep at %s", f->target);
			s->match = SPF_PERMERR;
		} else
			in->cut = true;
		return term_finish(in, f, t, s);
	}
	if (in->pol->follow && !in->pol->follow(in->arg, f, t, f->target)) {
		s->event = SPF_EV_NOT_FOLLOWED;
		return term_finish(in, f, t, s);
	}
	f->stage = ST_CHILD;
	return frame_push(in, f->target, f->target, t) ? 1 : -1;
}

static bool
term_queries(const spf_term_t *t)
{
	return spf_kind_queries(t->kind) || t->kind == SPF_REDIRECT;
}

static spf_match_t
ip_match(const spf_interp_t *in, const spf_term_t *t)
{
	const struct client *c = in->c;
	int fam = t->kind == SPF_IP4 ? AF_INET : AF_INET6;
	int bits = fam == AF_INET ? (t->cidr4 < 0 ? 32 : t->cidr4) :
	    (t->cidr6 < 0 ? 128 : t->cidr6);
	int whole = bits / 8, rest = bits % 8;

	if (c == NULL || fam != c->ctx.family)
		return SPF_NOMATCH;
	return memcmp(t->addr, c->ctx.ip, (size_t)whole) == 0 && (rest == 0 ||
	    ((t->addr[whole] ^ c->ctx.ip[whole]) &
	    (uint8_t)(0xff << (8 - rest))) == 0) ? SPF_MATCH : SPF_NOMATCH;
}

/* Where a term without DNS, or a DNS term's count, ends it at once */
static bool
term_start(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t,
    spf_step_t *s)
{
	if (t->bad || in->cut) {
		s->event = SPF_EV_UNEVALUATED;
		return true;
	}
	if (!term_queries(t)) {
		s->match = t->kind == SPF_ALL ? SPF_MATCH :
		    t->kind == SPF_IP4 || t->kind == SPF_IP6 ?
		    ip_match(in, t) : SPF_NOMATCH;
		return true;
	}
	if (in->c == NULL && in->lookups == SPF_MAX_LOOKUPS) {
		in->cut = true;
		s->event = SPF_EV_UNEVALUATED;
		return true;
	}
	f->lookup = ++in->lookups;
	f->target[0] = '\0';
	if (in->c && in->lookups > SPF_LOOKUP_LIMIT) {
		problem(in, "more than %d DNS-querying terms",
		    SPF_LOOKUP_LIMIT);
		s->lookup = f->lookup;
		s->event = SPF_EV_LIMIT;
		s->match = SPF_PERMERR;
		return true;
	}
	f->stage = ST_TARGET;
	return false;
}

/* One term, from where it stood */
static int
term_run(spf_interp_t *in, spf_frame_t *f, const spf_term_t *t)
{
	spf_step_t s = { .event = SPF_EV_DONE };
	int rc;

	if (in->c)
		in->c->ctx.domain = f->given;
	if (f->stage == ST_START && term_start(in, f, t, &s))
		return term_finish(in, f, t, &s);
	s.lookup = f->lookup;
	if (f->stage == ST_TARGET) {
		if ((rc = term_target(in, f, t, &s)) <= 0)
			return rc;
		if (s.event != SPF_EV_DONE) {
			s.match = in->c && (t->kind == SPF_INCLUDE ||
			    t->kind == SPF_REDIRECT) ? SPF_PERMERR :
			    SPF_NOMATCH;
			return term_finish(in, f, t, &s);
		}
		f->stage = ST_ASK;
		if (t->kind == SPF_INCLUDE || t->kind == SPF_REDIRECT) {
			s.target = f->target;
			return descend(in, f, t, &s);
		}
	}
	s.target = f->target;
	if ((rc = term_ask(in, f, t, &s)) <= 0)
		return rc;
	return term_finish(in, f, t, &s);
}

/* ---- phases of a frame ---- */

static int
phase_terms(spf_interp_t *in, spf_frame_t *f)
{
	const spf_record_t *rec = f->rec;

	if (f->term < rec->nterms) {
		const spf_term_t *t = &rec->terms[f->term];

		if (t->kind == SPF_REDIRECT || t->kind == SPF_EXP ||
		    t->kind == SPF_MODIFIER) {
			f->term++;
			return 1;
		}
		return term_run(in, f, t);
	}
	/* no term matched: redirect=, where no "all" ended the record */
	if (rec->redirect >= 0 && rec->all < 0 &&
	    !rec->terms[rec->redirect].bad && !in->cut) {
		f->phase = PH_REDIRECT;
		return 1;
	}
	f->result = SPF_RESULT_NEUTRAL;
	f->decider = NULL;
	f->defaulted = true;
	f->phase = PH_LEAVE;
	return 1;
}

/* The explanation of a fail (RFC 7208 6.2): the exp target's one TXT
 * record, expanded */
static int
phase_exp(spf_interp_t *in, spf_frame_t *f)
{
	const spf_term_t *exp = &f->rec->terms[f->rec->exp];
	spf_macro_ctx_t *ctx = &in->c->ctx;
	const dns_answer_t *a;
	char *raw, name[256], **texts = NULL;
	size_t n = 0;
	bool ok;

	ctx->domain = f->given;
	if (ptr_ready(in, exp->domain) == 0)
		return 0;
	raw = spf_macro_domain(exp->domain, ctx);
	ok = raw && domain_ok(raw, name, sizeof(name));
	free(raw);
	if (ok && (a = dns_resolver_peek(in->r, name,
	    LDNS_RR_TYPE_TXT)) == NULL)
		return 0;
	f->phase = PH_LEAVE;
	if (!ok || a->result != DNS_OK || ldns_rr_list_rr_count(a->rrs) != 1 ||
	    (texts = util_txt_join(a->rrs, &n)) == NULL || n != 1) {
		if (ok && n)
			util_txt_free(texts, n);
		return 1;
	}
	if (ptr_ready(in, texts[0]) == 0) {
		f->phase = PH_EXP;
		util_txt_free(texts, n);
		return 0;
	}
	f->explanation = spf_macro_expand(texts[0], strlen(texts[0]), ctx,
	    true);
	util_txt_free(texts, n);
	return 1;
}

/* What the parent's include or redirect term makes of child's result */
static spf_match_t
child_match(spf_interp_t *in, spf_frame_t *parent, spf_frame_t *f)
{
	if (f->via->kind == SPF_REDIRECT) {
		parent->result = f->result;
		if (in->c && f->result == SPF_RESULT_NONE) {
			problem(in, "redirect target %s has no SPF record",
			    f->name);
			parent->result = SPF_RESULT_PERMERROR;
		}
		parent->explanation = f->explanation;
		f->explanation = NULL;
		return parent->result == SPF_RESULT_TEMPERROR ? SPF_TEMPERR :
		    parent->result == SPF_RESULT_PERMERROR ? SPF_PERMERR :
		    SPF_MATCH;
	}
	free(f->explanation);	/* an included record's is not used */
	f->explanation = NULL;
	if (in->c == NULL)
		return SPF_NOMATCH;
	if (f->result == SPF_RESULT_NONE)
		problem(in, "included %s has no SPF record", f->name);
	/* RFC 7208 5.2: what an include's result means */
	return f->result == SPF_RESULT_PASS ? SPF_MATCH :
	    f->result == SPF_RESULT_TEMPERROR ? SPF_TEMPERR :
	    f->result == SPF_RESULT_PERMERROR ||
	    f->result == SPF_RESULT_NONE ? SPF_PERMERR : SPF_NOMATCH;
}

/* The frame is left: its parent's include or redirect term is done */
static int
phase_leave(spf_interp_t *in, spf_frame_t *f)
{
	spf_frame_t *parent = f->parent;
	spf_step_t s = { .event = SPF_EV_DONE };

	if (parent == NULL) {
		if (in->pol->leave)
			in->pol->leave(in->arg, f);
		in->depth--;
		in->result = f->result;
		in->explanation = f->explanation;
		f->explanation = NULL;
		in->done = true;
		return 1;
	}
	if (in->c)
		in->c->ctx.domain = parent->given;
	s.match = child_match(in, parent, f);
	if (in->pol->child)
		s.match = in->pol->child(in->arg, parent, f->via, f, s.match);
	if (in->pol->leave)
		in->pol->leave(in->arg, f);
	in->depth--;
	s.lookup = parent->lookup;
	s.target = parent->target;
	return term_finish(in, parent, f->via, &s);
}

/* ---- running ---- */

int
spf_interp_step(spf_interp_t *in)
{
	if (in->done)
		return 1;
	if (in->depth == 0 && frame_push(in, in->root, in->c ?
	    in->c->sender_domain : in->root, NULL) == NULL)
		return -1;
	if (in->pol->flags & SPF_P_AHEAD)
		ahead_drain(in);
	while (!in->done) {
		spf_frame_t *f = frame_top(in);
		int rc;

		switch (f->phase) {
		case PH_FETCH:
			rc = phase_fetch(in, f);
			break;
		case PH_TERMS:
			rc = phase_terms(in, f);
			break;
		case PH_REDIRECT:
			rc = term_run(in, f, &f->rec->terms[f->rec->redirect]);
			break;
		case PH_EXP:
			rc = phase_exp(in, f);
			break;
		default:
			rc = phase_leave(in, f);
			break;
		}
		if (rc < 0 || in->nomem)
			return -1;
		if (rc == 0)
			return 0;
	}
	return 1;
}

int
spf_interp_run(spf_interp_t *in)
{
	int rc;

	/* deferred: the caller waits, for many runs at once, and runs again */
	if (dns_resolver_deferring(in->r))
		return spf_interp_step(in) < 0 ? -1 : 0;
	/* a wait settles every query it sends, answered or failed */
	for (unsigned waits = 0; (rc = spf_interp_step(in)) == 0; waits++) {
		if (waits == 4 * SPF_MAX_LOOKUPS) {
			problem(in, "DNS answers still missing");
			stop(in);
			return 0;
		}
		dns_resolver_wait(in->r);
	}
	return rc < 0 ? -1 : 0;
}

spf_result_t
spf_interp_result(const spf_interp_t *in)
{
	return in->result;
}

unsigned
spf_interp_lookups(const spf_interp_t *in)
{
	return in->lookups;
}

unsigned
spf_interp_voids(const spf_interp_t *in)
{
	return in->voids;
}

bool
spf_interp_capped(const spf_interp_t *in)
{
	return in->cut;
}

bool
spf_interp_cut(const spf_interp_t *in)
{
	return in->cut || !in->done;
}

const char *
spf_interp_problem(const spf_interp_t *in)
{
	return in->problem;
}

const char *
spf_interp_explanation(const spf_interp_t *in)
{
	return in->explanation;
}
