#include "report/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/table.h"

/* A growing array of one kind, found by key through a table of indexes */
struct set {
	util_table_t *index;	/* key -> position + 1 */
	void *v;
	size_t n, cap, size;
	bool sorted;
};

struct rep_summary {
	util_table_t *seen;	/* "org\nreport_id" */
	size_t duplicates;
	struct set domains, sources, reporters, days;
};

static int
set_init(struct set *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->size = size;
	return (s->index = util_table_new()) ? 0 : -1;
}

/* The element of key, made (zeroed) when new; NULL on no memory */
static void *
set_get(struct set *s, const char *key, bool *made)
{
	uintptr_t at = (uintptr_t)util_table_get(s->index, key);

	*made = false;
	if (at)
		return (char *)s->v + (at - 1) * s->size;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *v = realloc(s->v, cap * s->size);

		if (v == NULL)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	if (util_table_put(s->index, key, (void *)(uintptr_t)(s->n + 1)) != 0)
		return NULL;
	*made = true;
	s->sorted = false;
	memset((char *)s->v + s->n * s->size, 0, s->size);
	return (char *)s->v + s->n++ * s->size;
}

rep_summary_t *
rep_summary_new(void)
{
	rep_summary_t *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->seen = util_table_new()) == NULL ||
	    set_init(&s->domains, sizeof(rep_domain_t)) != 0 ||
	    set_init(&s->sources, sizeof(rep_source_t)) != 0 ||
	    set_init(&s->reporters, sizeof(rep_bucket_t)) != 0 ||
	    set_init(&s->days, sizeof(rep_bucket_t)) != 0) {
		rep_summary_free(s);
		return NULL;
	}
	return s;
}

static void
buckets_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		rep_bucket_t *b = (rep_bucket_t *)s->v + i;

		free(b->domain);
		free(b->key);
	}
}

void
rep_summary_free(rep_summary_t *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->domains.n; i++)
		free(((rep_domain_t *)s->domains.v)[i].domain);
	for (size_t i = 0; i < s->sources.n; i++) {
		free(((rep_source_t *)s->sources.v)[i].domain);
		free(((rep_source_t *)s->sources.v)[i].ip);
		rep_row_free(((rep_source_t *)s->sources.v)[i].failed);
	}
	buckets_free(&s->reporters);
	buckets_free(&s->days);
	struct set *sets[] = { &s->domains, &s->sources, &s->reporters,
	    &s->days };

	for (size_t i = 0; i < 4; i++) {
		util_table_free(sets[i]->index, NULL);
		free(sets[i]->v);
	}
	util_table_free(s->seen, NULL);
	free(s);
}

static void
count_row(rep_count_t *c, const rep_row_t *r)
{
	const char *d = r->disposition ? r->disposition : "none";

	c->messages += r->count;
	if (rep_row_dmarc_pass(r))
		c->pass += r->count;
	if (r->dkim && strcmp(r->dkim, "pass") == 0)
		c->dkim_pass += r->count;
	if (r->spf && strcmp(r->spf, "pass") == 0)
		c->spf_pass += r->count;
	if (strcmp(d, "reject") == 0)
		c->reject += r->count;
	else if (strcmp(d, "quarantine") == 0)
		c->quarantine += r->count;
	else
		c->none += r->count;
}

/* A bucket of domain and key, its strings made when new */
static rep_bucket_t *
bucket(struct set *s, const char *domain, const char *key)
{
	char k[600];
	bool made;
	rep_bucket_t *b;

	snprintf(k, sizeof(k), "%s\n%s", domain, key);
	if ((b = set_get(s, k, &made)) && made &&
	    ((b->domain = strdup(domain)) == NULL ||
	    (b->key = strdup(key)) == NULL))
		return NULL;
	return b;
}

static int
add_rows(rep_summary_t *s, const rep_feedback_t *fb, const char *day)
{
	rep_bucket_t *rep = bucket(&s->reporters, fb->domain, fb->org_name);
	rep_bucket_t *d = bucket(&s->days, fb->domain, day);

	if (rep == NULL || d == NULL)
		return -1;
	for (size_t i = 0; i < fb->nrows; i++) {
		const rep_row_t *r = &fb->rows[i];
		char k[600];
		bool made;
		rep_source_t *src;

		snprintf(k, sizeof(k), "%s\n%s", fb->domain, r->source_ip);
		if ((src = set_get(&s->sources, k, &made)) == NULL ||
		    (made && ((src->domain = strdup(fb->domain)) == NULL ||
		    (src->ip = strdup(r->source_ip)) == NULL)))
			return -1;
		count_row(&src->c, r);
		/* one failing row stands for the source in --check */
		if (src->failed == NULL && !rep_row_dmarc_pass(r) &&
		    (src->failed = rep_row_copy(r)) == NULL)
			return -1;
		count_row(&rep->c, r);
		count_row(&d->c, r);
	}
	return 0;
}

int
rep_summary_add(rep_summary_t *s, const rep_feedback_t *fb)
{
	char key[1200], day[16];
	time_t t = (time_t)fb->begin;
	struct tm tm;
	rep_domain_t *dom;
	bool made;

	snprintf(key, sizeof(key), "%s\n%s", fb->org_name, fb->report_id);
	if (util_table_get(s->seen, key)) {
		s->duplicates++;
		return 0;
	}
	if (util_table_put(s->seen, key, s) != 0 ||
	    (dom = set_get(&s->domains, fb->domain, &made)) == NULL ||
	    (made && (dom->domain = strdup(fb->domain)) == NULL))
		return -1;
	if (made || fb->begin < dom->begin)
		dom->begin = fb->begin;
	if (made || fb->end >= dom->end) {
		dom->end = fb->end;
		snprintf(dom->p, sizeof(dom->p), "%s", fb->p ? fb->p : "");
	}
	dom->reports++;
	for (size_t i = 0; i < fb->nrows; i++)
		count_row(&dom->c, &fb->rows[i]);
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	return add_rows(s, fb, day) == 0 ? 1 : -1;
}

const char *
rep_next_stage(const char *p)
{
	return strcmp(p, "none") == 0 ? "quarantine" :
	    strcmp(p, "quarantine") == 0 ? "reject" : NULL;
}

size_t
rep_summary_duplicates(const rep_summary_t *s)
{
	return s->duplicates;
}

static int
domain_order(const void *a, const void *b)
{
	return strcmp(((const rep_domain_t *)a)->domain,
	    ((const rep_domain_t *)b)->domain);
}

static int
source_order(const void *a, const void *b)
{
	const rep_source_t *x = a, *y = b;
	int d = strcmp(x->domain, y->domain);

	if (d)
		return d;
	if (x->c.messages != y->c.messages)
		return x->c.messages > y->c.messages ? -1 : 1;
	return strcmp(x->ip, y->ip);
}

static int
bucket_order(const void *a, const void *b)
{
	const rep_bucket_t *x = a, *y = b;
	int d = strcmp(x->domain, y->domain);

	return d ? d : strcmp(x->key, y->key);
}

/* Sorting moves elements: the index is made again */
static void
sorted(struct set *s, int (*cmp)(const void *, const void *),
    const char *(*key)(const void *, char *, size_t))
{
	if (s->sorted)
		return;
	if (s->n)
		qsort(s->v, s->n, s->size, cmp);
	util_table_free(s->index, NULL);
	s->index = util_table_new();
	for (size_t i = 0; s->index && i < s->n; i++) {
		char k[600];

		util_table_put(s->index, key((char *)s->v + i * s->size, k,
		    sizeof(k)), (void *)(uintptr_t)(i + 1));
	}
	s->sorted = true;
}

static const char *
domain_key(const void *e, char *k, size_t len)
{
	snprintf(k, len, "%s", ((const rep_domain_t *)e)->domain);
	return k;
}

static const char *
source_key(const void *e, char *k, size_t len)
{
	snprintf(k, len, "%s\n%s", ((const rep_source_t *)e)->domain,
	    ((const rep_source_t *)e)->ip);
	return k;
}

static const char *
bucket_key(const void *e, char *k, size_t len)
{
	snprintf(k, len, "%s\n%s", ((const rep_bucket_t *)e)->domain,
	    ((const rep_bucket_t *)e)->key);
	return k;
}

const rep_domain_t *
rep_summary_domains(rep_summary_t *s, size_t *n)
{
	sorted(&s->domains, domain_order, domain_key);
	*n = s->domains.n;
	return s->domains.v;
}

const rep_source_t *
rep_summary_sources(rep_summary_t *s, size_t *n)
{
	sorted(&s->sources, source_order, source_key);
	*n = s->sources.n;
	return s->sources.v;
}

const rep_bucket_t *
rep_summary_reporters(rep_summary_t *s, size_t *n)
{
	sorted(&s->reporters, bucket_order, bucket_key);
	*n = s->reporters.n;
	return s->reporters.v;
}

const rep_bucket_t *
rep_summary_days(rep_summary_t *s, size_t *n)
{
	sorted(&s->days, bucket_order, bucket_key);
	*n = s->days.n;
	return s->days.v;
}
