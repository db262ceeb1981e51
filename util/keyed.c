#include "util/keyed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int
util_keyed_init(util_keyed_t *k, size_t size)
{
	memset(k, 0, sizeof(*k));
	k->size = size;
	return (k->index = util_table_new()) ? 0 : -1;
}

void
util_keyed_free(util_keyed_t *k)
{
	util_table_free(k->index, NULL);
	free(k->v);
	memset(k, 0, sizeof(*k));
}

void *
util_keyed_find(const util_keyed_t *k, const char *key)
{
	uintptr_t at = (uintptr_t)util_table_get(k->index, key);

	return at ? (char *)k->v + (at - 1) * k->size : NULL;
}

void *
util_keyed_get(util_keyed_t *k, const char *key, bool *made)
{
	char *e = util_keyed_find(k, key);

	*made = false;
	if (e)
		return e;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 16;
		void *v = realloc(k->v, cap * k->size);

		if (v == NULL)
			return NULL;
		k->v = v;
		k->cap = cap;
	}
	if (util_table_put(k->index, key, (void *)(uintptr_t)(k->n + 1)) != 0)
		return NULL;
	*made = true;
	e = (char *)k->v + k->n++ * k->size;
	memset(e, 0, k->size);
	return e;
}

void
util_keyed_sort(util_keyed_t *k, int (*cmp)(const void *, const void *),
    const char *(*key)(const void *, char *, size_t))
{
	if (k->n == 0)
		return;
	qsort(k->v, k->n, k->size, cmp);
	util_table_free(k->index, NULL);
	k->index = util_table_new();
	for (size_t i = 0; k->index && i < k->n; i++) {
		char buf[1200];

		util_table_put(k->index, key((char *)k->v + i * k->size, buf,
		    sizeof(buf)), (void *)(uintptr_t)(i + 1));
	}
}
