/*
 * An arena: many small allocations freed at once.  A walk's tree (a
 * node and its items for every record met, for every domain of a batch)
 * is made of it, so a domain costs a few allocations, not one for each
 * record and target.
 */
#ifndef AUTHZONE_UTIL_ARENA_H
#define AUTHZONE_UTIL_ARENA_H

#include <stddef.h>

typedef struct util_arena {
	struct util_chunk *head;	/* the chunk being filled first */
} util_arena_t;

/** n zeroed bytes, aligned for any object, valid until the arena is
 * cleared; NULL on no memory.  A zeroed util_arena_t is an empty arena. */
void *util_arena_alloc(util_arena_t *a, size_t n);
/** A copy of s in the arena; NULL on no memory. */
char *util_arena_strdup(util_arena_t *a, const char *s);
/** Frees everything allocated; the arena is empty again. */
void util_arena_clear(util_arena_t *a);

#endif
