/*
 * Sets of addresses as sorted, disjoint, non-adjacent intervals, one list
 * per family.  Intervals make union, difference and equality exact and
 * cheap, and turn back into the shortest list of CIDR blocks that covers
 * exactly the set: no address added, none lost.
 */
#ifndef AUTHZONE_FLATTEN_IPSET_H
#define AUTHZONE_FLATTEN_IPSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 fl_u128;

typedef struct fl_range {
	fl_u128 lo, hi;		/* IPv4 in the low 32 bits */
} fl_range_t;

typedef struct fl_set {
	fl_range_t *v[2];	/* [0] IPv4, [1] IPv6 */
	size_t n[2], cap[2];
	bool dirty[2];		/* added to since the last normalize */
} fl_set_t;

void fl_set_init(fl_set_t *s);
void fl_set_clear(fl_set_t *s);
/** Adds addr/prefix (addr: 4 or 16 bytes as six says); -1 on no memory. */
int fl_set_add(fl_set_t *s, bool six, const uint8_t *addr, int prefix);
/** Adds every range of src to dst. */
int fl_set_union(fl_set_t *dst, const fl_set_t *src);
/** Removes from dst every address in sub. */
int fl_set_subtract(fl_set_t *dst, const fl_set_t *sub);
/** True when both hold the same addresses. */
bool fl_set_equal(fl_set_t *a, fl_set_t *b);
/** Sorts and merges overlapping and adjacent ranges. */
void fl_set_normalize(fl_set_t *s);
/** The number of addresses of a family, as a double. */
double fl_set_size(fl_set_t *s, bool six);
/** The same, exact, in decimal into out (40 bytes hold any); -1 when it
 * does not fit. */
int fl_set_count(fl_set_t *s, bool six, char *out, size_t len);
/** The set as "ip4:..." then "ip6:..." terms, numerically sorted, the
 * shortest exact CIDR list; *n terms in an array the caller frees with
 * fl_terms_free. */
char **fl_set_terms(fl_set_t *s, size_t *n);
void fl_terms_free(char **terms, size_t n);

#endif
