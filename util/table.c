#include "util/table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char *key;
	void *value;
};

struct util_table {
	struct slot *slots;
	size_t cap;	/* a power of two */
	size_t used;
};

uint64_t
util_table_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

util_table_t *
util_table_new(void)
{
	util_table_t *t = calloc(1, sizeof(*t));

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
util_table_free(util_table_t *t, void (*free_value)(void *))
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
find(const util_table_t *t, const char *key)
{
	size_t i = util_table_hash(key) & (t->cap - 1);

	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

void *
util_table_get(const util_table_t *t, const char *key)
{
	struct slot *s = find(t, key);

	return s->key ? s->value : NULL;
}

static int
grow(util_table_t *t)
{
	util_table_t bigger = { calloc(t->cap * 2, sizeof(struct slot)),
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
util_table_put(util_table_t *t, const char *key, void *value)
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
util_table_prune(util_table_t *t, int (*keep)(void *value, void *arg),
    void *arg, void (*free_value)(void *))
{
	struct slot *old = t->slots;
	size_t cap = t->cap, removed = 0;
	util_table_t fresh = { calloc(cap, sizeof(struct slot)), cap, 0 };

	if (fresh.slots == NULL)
		return 0;
	/* rebuilt from the kept keys: no tombstones, probes stay short */
	for (size_t i = 0; i < cap; i++) {
		if (old[i].key == NULL)
			continue;
		if (keep(old[i].value, arg)) {
			*find(&fresh, old[i].key) = old[i];
			fresh.used++;
		} else {
			free(old[i].key);
			if (free_value)
				free_value(old[i].value);
			removed++;
		}
	}
	free(old);
	*t = fresh;
	return removed;
}

size_t
util_table_count(const util_table_t *t)
{
	return t->used;
}

void
util_table_each(const util_table_t *t,
    void (*fn)(const char *key, void *value, void *arg), void *arg)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key)
			fn(t->slots[i].key, t->slots[i].value, arg);
}
