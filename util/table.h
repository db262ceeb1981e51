/*
 * A string-keyed hash table with open addressing.  Keys are copied and
 * owned by the table; values are the caller's, freed by the callback given
 * to util_table_free (or not at all when it is NULL).
 */
#ifndef AUTHZONE_UTIL_TABLE_H
#define AUTHZONE_UTIL_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct util_table util_table_t;

/** A new empty table; NULL on allocation failure.  Free with util_table_free. */
util_table_t *util_table_new(void);
/** Frees the table and its keys, and each value with free_value if given. */
void util_table_free(util_table_t *t, void (*free_value)(void *));
/** The value stored under key, or NULL. */
void *util_table_get(const util_table_t *t, const char *key);
/** Stores value under key, replacing any earlier value; -1 on no memory. */
int util_table_put(util_table_t *t, const char *key, void *value);
/** Removes every key for which keep returns false, freeing its value
 * with free_value (when not NULL); the number removed. */
size_t util_table_prune(util_table_t *t, int (*keep)(void *value, void *arg),
    void *arg, void (*free_value)(void *));
/** The 64-bit hash the table places keys by (FNV-1a). */
uint64_t util_table_hash(const char *key);
/** Number of keys stored. */
size_t util_table_count(const util_table_t *t);
/** Calls fn for every key and value, in no particular order. */
void util_table_each(const util_table_t *t,
    void (*fn)(const char *key, void *value, void *arg), void *arg);

#endif
