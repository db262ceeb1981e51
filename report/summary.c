#include "report/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/keyed.h"
#include "util/table.h"

/* a set: its elements, and whether they are sorted for the output */
struct set {
	util_keyed_t k;
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
	s->sorted = false;
	return util_keyed_init(&s->k, size);
}

static void *
set_get(struct set *s, const char *key, bool *made)
{
	void *e = util_keyed_get(&s->k, key, made);

	if (*made)
		s->sorted = false;
	return e;
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
	for (size_t i = 0; i < s->k.n; i++) {
		rep_bucket_t *b = (rep_bucket_t *)s->k.v + i;

		free(b->domain);
		free(b->key);
	}
}

void
rep_summary_free(rep_summary_t *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->domains.k.n; i++)
		free(((rep_domain_t *)s->domains.k.v)[i].domain);
	for (size_t i = 0; i < s->sources.k.n; i++) {
		free(((rep_source_t *)s->sources.k.v)[i].domain);
		free(((rep_source_t *)s->sources.k.v)[i].ip);
		rep_row_free(((rep_source_t *)s->sources.k.v)[i].failed);
	}
	buckets_free(&s->reporters);
	buckets_free(&s->days);
	struct set *sets[] = { &s->domains, &s->sources, &s->reporters,
	    &s->days };

	for (size_t i = 0; i < 4; i++)
		util_keyed_free(&sets[i]->k);
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

/* a string of an element, "" where no memory was left for it */
static const char *
nz(const char *s)
{
	return s ? s : "";
}

static int
domain_order(const void *a, const void *b)
{
	return strcmp(nz(((const rep_domain_t *)a)->domain),
	    nz(((const rep_domain_t *)b)->domain));
}

static int
source_order(const void *a, const void *b)
{
	const rep_source_t *x = a, *y = b;
	int d = strcmp(nz(x->domain), nz(y->domain));

	if (d)
		return d;
	if (x->c.messages != y->c.messages)
		return x->c.messages > y->c.messages ? -1 : 1;
	return strcmp(nz(x->ip), nz(y->ip));
}

static int
bucket_order(const void *a, const void *b)
{
	const rep_bucket_t *x = a, *y = b;
	int d = strcmp(nz(x->domain), nz(y->domain));

	return d ? d : strcmp(nz(x->key), nz(y->key));
}

/* The elements of s, sorted for the output once; *n of them */
static void *
sorted(struct set *s, int (*cmp)(const void *, const void *),
    const char *(*key)(const void *, char *, size_t), size_t *n)
{
	if (!s->sorted)
		util_keyed_sort(&s->k, cmp, key);
	s->sorted = true;
	*n = s->k.n;
	return s->k.v;
}

static const char *
domain_key(const void *e, char *k, size_t len)
{
	snprintf(k, len, "%s", nz(((const rep_domain_t *)e)->domain));
	return k;
}

static const char *
source_key(const void *e, char *k, size_t len)
{
	snprintf(k, len, "%s\n%s", nz(((const rep_source_t *)e)->domain),
	    nz(((const rep_source_t *)e)->ip));
	return k;
}

static const char *
bucket_key(const void *e, char *k, size_t len)
{
	snprintf(k, len, "%s\n%s", nz(((const rep_bucket_t *)e)->domain),
	    nz(((const rep_bucket_t *)e)->key));
	return k;
}

const rep_domain_t *
rep_summary_domains(rep_summary_t *s, size_t *n)
{
	return sorted(&s->domains, domain_order, domain_key, n);
}

const rep_source_t *
rep_summary_sources(rep_summary_t *s, size_t *n)
{
	return sorted(&s->sources, source_order, source_key, n);
}

const rep_bucket_t *
rep_summary_reporters(rep_summary_t *s, size_t *n)
{
	return sorted(&s->reporters, bucket_order, bucket_key, n);
}

const rep_bucket_t *
rep_summary_days(rep_summary_t *s, size_t *n)
{
	return sorted(&s->days, bucket_order, bucket_key, n);
}
