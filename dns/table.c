#include "dns/table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char *key;
	void *value;
};

struct dns_table {
	struct slot *slots;
	size_t cap;	/* a power of two */
	size_t used;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

dns_table_t *
dns_table_new(void)
{
	dns_table_t *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->cap = 64;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (t->slots == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
dns_table_free(dns_table_t *t, void (*free_value)(void *))
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i].key == NULL)
			continue;
		free(t->slots[i].key);
		if (free_value)
			free_value(t->slots[i].value);
	}
	free(t->slots);
	free(t);
}

static struct slot *
find(const dns_table_t *t, const char *key)
{
	size_t i = hash(key) & (t->cap - 1);

	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

void *
dns_table_get(const dns_table_t *t, const char *key)
{
	struct slot *s = find(t, key);

	return s->key ? s->value : NULL;
}

static int
grow(dns_table_t *t)
{
	dns_table_t bigger = { calloc(t->cap * 2, sizeof(struct slot)),
	    t->cap * 2, t->used };

	if (bigger.slots == NULL)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key)
			*find(&bigger, t->slots[i].key) = t->slots[i];
	free(t->slots);
	*t = bigger;
	return 0;
}

int
dns_table_put(dns_table_t *t, const char *key, void *value)
{
	struct slot *s;

	if ((t->used + 1) * 4 > t->cap * 3 && grow(t) != 0)
		return -1;
	s = find(t, key);
	if (s->key == NULL) {
		if ((s->key = strdup(key)) == NULL)
			return -1;
		t->used++;
	}
	s->value = value;
	return 0;
}

size_t
dns_table_count(const dns_table_t *t)
{
	return t->used;
}

void
dns_table_each(const dns_table_t *t,
    void (*fn)(const char *key, void *value, void *arg), void *arg)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key)
			fn(t->slots[i].key, t->slots[i].value, arg);
}
