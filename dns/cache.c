#include "dns/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/table.h"

#define SHARED_HITS	4	/* asked for this often: a provider's */
#define GONE_SLOTS	65536	/* recently dropped answers remembered */

struct dns_cache {
	util_table_t *t;
	unsigned long epoch, since;	/* since: during a trim */
	unsigned shared_kept;	/* during a trim */
	unsigned shared_cap;
	/* the hashes of answers dropped lately, one a slot (a newer one
	 * takes the slot of an older): an answer asked for again after it
	 * was dropped is counted in reasked */
	uint64_t gone[GONE_SLOTS];
	unsigned long reasked;
};

/* FNV-1a of a name and type */
static uint64_t
gone_hash(const char *name, ldns_rr_type type)
{
	uint64_t h = 1469598103934665603ULL ^ type;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ULL;
	return h | 1;	/* 0 is an empty slot */
}

dns_cache_t *
dns_cache_new(void)
{
	dns_cache_t *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->t = util_table_new()) == NULL) {
		free(c);
		return NULL;
	}
	c->epoch = 1;
	return c;
}

static void
entry_free(void *p)
{
	struct entry *e = p;

	ldns_rr_list_deep_free(e->ans.rrs);
	free(e->canonical);
	free(e->name);
	free(e);
}

void
dns_cache_free(dns_cache_t *c)
{
	if (c == NULL)
		return;
	util_table_free(c->t, entry_free);
	free(c);
}

/* "name/type": asked for every answer a check reads, so no printf */
static void
key_of(char *key, size_t len, const char *name, ldns_rr_type type)
{
	size_t n = strnlen(name, len - 8);
	char num[8], *p = num + sizeof(num);
	unsigned t = type;

	memcpy(key, name, n);
	key[n++] = '/';
	*--p = '\0';
	do
		*--p = (char)('0' + t % 10);
	while ((t /= 10) && p > num);
	memcpy(key + n, p, (size_t)(num + sizeof(num) - p));
}

struct entry *
dns_cache_get(dns_cache_t *c, const char *name, ldns_rr_type type)
{
	char key[300];
	struct entry *e;

	key_of(key, sizeof(key), name, type);
	if ((e = util_table_get(c->t, key)) != NULL) {
		e->touched = c->epoch;
		e->hits++;
	}
	return e;
}

struct entry *
dns_cache_put(dns_cache_t *c, const char *name, ldns_rr_type type)
{
	char key[300];
	struct entry *e = calloc(1, sizeof(*e));

	if (e == NULL || (e->name = strdup(name)) == NULL) {
		free(e);
		return NULL;
	}
	uint64_t h = gone_hash(name, type);

	if (c->gone[h % GONE_SLOTS] == h) {
		c->gone[h % GONE_SLOTS] = 0;
		c->reasked++;
	}
	key_of(key, sizeof(key), name, type);
	if (util_table_put(c->t, key, e) != 0) {
		free(e->name);
		free(e);
		return NULL;
	}
	e->type = type;
	e->touched = c->epoch;
	return e;
}

unsigned long
dns_cache_epoch(dns_cache_t *c)
{
	return ++c->epoch;
}

static int
keep(void *value, void *arg)
{
	struct entry *e = value;
	dns_cache_t *c = arg;

	if (e->state != E_DONE || e->touched + 1 >= c->epoch ||
	    e->touched >= c->since)
		return 1;	/* asked for, or of a domain still open */
	if (e->hits >= SHARED_HITS && c->shared_kept < c->shared_cap) {
		c->shared_kept++;
		return 1;	/* shared: kept within the cap */
	}
	uint64_t h = gone_hash(e->name, e->type);

	c->gone[h % GONE_SLOTS] = h;
	return 0;
}

unsigned long
dns_cache_trim(dns_cache_t *c, unsigned long since, unsigned shared_cap)
{
	c->since = since;
	c->shared_kept = 0;
	c->shared_cap = shared_cap;
	return util_table_prune(c->t, keep, c, entry_free);
}

unsigned long
dns_cache_reasked(const dns_cache_t *c)
{
	return c->reasked;
}

size_t
dns_cache_count(const dns_cache_t *c)
{
	return util_table_count(c->t);
}
