/*
 * An array of fixed-size elements found by a string key: the elements
 * stay in one block (to sort and to hand out as an array), a table maps
 * each key to its place.  It owns the block and the keys, not what the
 * elements point to.
 */
#ifndef AUTHZONE_UTIL_KEYED_H
#define AUTHZONE_UTIL_KEYED_H

#include <stdbool.h>
#include <stddef.h>

#include "util/table.h"

typedef struct util_keyed {
	util_table_t *index;	/* key -> place + 1 */
	void *v;
	size_t n, cap, size;
} util_keyed_t;

/** -1 on no memory. */
int util_keyed_init(util_keyed_t *k, size_t size);
void util_keyed_free(util_keyed_t *k);
/** The element of key; a new one (zeroed, *made true) when there is
 * none.  NULL on no memory. */
void *util_keyed_get(util_keyed_t *k, const char *key, bool *made);
/** The element of key, or NULL when there is none. */
void *util_keyed_find(const util_keyed_t *k, const char *key);
/** Sorts the elements by cmp; key(element, buf, len) gives each one's key
 * back, to find them again. */
void util_keyed_sort(util_keyed_t *k, int (*cmp)(const void *, const void *),
    const char *(*key)(const void *, char *, size_t));

#endif
