#include "util/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK	8192

struct util_chunk {
	struct util_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void *
util_arena_alloc(util_arena_t *a, size_t n)
{
	struct util_chunk *c = a->head;
	size_t need = (n + alignof(max_align_t) - 1) &
	    ~(alignof(max_align_t) - 1);
	void *p;

	if (need < n)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		size_t size = need > CHUNK / 4 ? need : CHUNK;

		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		if (size == CHUNK || a->head == NULL) {
			c->next = a->head;
			a->head = c;
		} else {	/* a big one: the current chunk stays first */
			c->next = a->head->next;
			a->head->next = c;
		}
	}
	p = c->data + c->used;
	c->used += need;
	return memset(p, 0, n);
}

char *
util_arena_strdup(util_arena_t *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = util_arena_alloc(a, n);

	return p ? memcpy(p, s, n) : NULL;
}

void
util_arena_clear(util_arena_t *a)
{
	while (a->head) {
		struct util_chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
}
