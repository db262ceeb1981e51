/*
 * A string-keyed hash table with open addressing.  Keys are copied and
 * owned by the table; values are the caller's, freed by the callback given
 * to dns_table_free (or not at all when it is NULL).
 */
#ifndef AUTHZONE_DNS_TABLE_H
#define AUTHZONE_DNS_TABLE_H

#include <stddef.h>

typedef struct dns_table dns_table_t;

/** A new empty table; NULL on allocation failure.  Free with dns_table_free. */
dns_table_t *dns_table_new(void);
/** Frees the table and its keys, and each value with free_value if given. */
void dns_table_free(dns_table_t *t, void (*free_value)(void *));
/** The value stored under key, or NULL. */
void *dns_table_get(const dns_table_t *t, const char *key);
/** Stores value under key, replacing any earlier value; -1 on no memory. */
int dns_table_put(dns_table_t *t, const char *key, void *value);
/** Number of keys stored. */
size_t dns_table_count(const dns_table_t *t);
/** Calls fn for every key and value, in no particular order. */
void dns_table_each(const dns_table_t *t,
    void (*fn)(const char *key, void *value, void *arg), void *arg);

#endif
