#include "flatten/ipset.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the first prefix bits of a width-bit address */
static fl_u128
mask_of(int width, int prefix)
{
	fl_u128 all = width == 128 ? ~(fl_u128)0 : (((fl_u128)1 << width) - 1);

	return prefix == 0 ? 0 : all & ~((((fl_u128)1) << (width - prefix)) -
	    1);
}

void
fl_set_init(fl_set_t *s)
{
	memset(s, 0, sizeof(*s));
}

void
fl_set_clear(fl_set_t *s)
{
	free(s->v[0]);
	free(s->v[1]);
	fl_set_init(s);
}

static int
push(fl_set_t *s, int f, fl_u128 lo, fl_u128 hi)
{
	if (s->n[f] == s->cap[f]) {
		size_t cap = s->cap[f] ? s->cap[f] * 2 : 16;
		fl_range_t *v = realloc(s->v[f], cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v[f] = v;
		s->cap[f] = cap;
	}
	s->v[f][s->n[f]++] = (fl_range_t){ lo, hi };
	s->dirty[f] = true;
	return 0;
}

int
fl_set_add(fl_set_t *s, bool six, const uint8_t *addr, int prefix)
{
	int width = six ? 128 : 32;
	fl_u128 all = mask_of(width, width), m = mask_of(width, prefix), a = 0;

	for (int i = 0; i < width / 8; i++)
		a = a << 8 | addr[i];
	return push(s, six, a & m, (a & m) | (~m & all));
}

static int
cmp_range(const void *pa, const void *pb)
{
	const fl_range_t *a = pa, *b = pb;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

void
fl_set_normalize(fl_set_t *s)
{
	for (int f = 0; f < 2; f++) {
		size_t o = 0;

		if (!s->dirty[f])
			continue;
		qsort(s->v[f], s->n[f], sizeof(fl_range_t), cmp_range);
		for (size_t i = 0; i < s->n[f]; i++) {
			fl_range_t r = s->v[f][i];

			/* overlapping or adjacent: merge (hi + 1 cannot wrap
			 * unless hi is the last address, which covers all) */
			if (o > 0 && (r.lo <= s->v[f][o - 1].hi ||
			    r.lo == s->v[f][o - 1].hi + 1)) {
				if (r.hi > s->v[f][o - 1].hi)
					s->v[f][o - 1].hi = r.hi;
			} else
				s->v[f][o++] = r;
		}
		s->n[f] = o;
		s->dirty[f] = false;
	}
}

int
fl_set_union(fl_set_t *dst, const fl_set_t *src)
{
	for (int f = 0; f < 2; f++)
		for (size_t i = 0; i < src->n[f]; i++)
			if (push(dst, f, src->v[f][i].lo, src->v[f][i].hi) != 0)
				return -1;
	return 0;
}

int
fl_set_subtract(fl_set_t *dst, const fl_set_t *sub)
{
	fl_set_t s = *sub;	/* normalized copy of the ranges only */

	s.v[0] = s.v[1] = NULL;
	s.n[0] = s.n[1] = s.cap[0] = s.cap[1] = 0;
	if (fl_set_union(&s, sub) != 0)
		return -1;
	fl_set_normalize(&s);
	fl_set_normalize(dst);
	for (int f = 0; f < 2; f++) {
		fl_set_t out;
		size_t j = 0;

		fl_set_init(&out);
		for (size_t i = 0; i < dst->n[f]; i++) {
			fl_u128 lo = dst->v[f][i].lo, hi = dst->v[f][i].hi;
			bool alive = true;

			while (j < s.n[f] && s.v[f][j].hi < lo)
				j++;
			for (size_t k = j; k < s.n[f] && s.v[f][k].lo <= hi &&
			    alive; k++) {
				if (s.v[f][k].lo > lo &&
				    push(&out, f, lo, s.v[f][k].lo - 1) != 0)
					goto nomem;
				if (s.v[f][k].hi >= hi)
					alive = false;
				else
					lo = s.v[f][k].hi + 1;
			}
			if (alive && push(&out, f, lo, hi) != 0)
				goto nomem;
		}
		free(dst->v[f]);
		dst->v[f] = out.v[f];
		dst->n[f] = out.n[f];
		dst->cap[f] = out.cap[f];
		dst->dirty[f] = false;
		continue;
nomem:
		fl_set_clear(&out);
		fl_set_clear(&s);
		return -1;
	}
	fl_set_clear(&s);
	return 0;
}

bool
fl_set_equal(fl_set_t *a, fl_set_t *b)
{
	fl_set_normalize(a);
	fl_set_normalize(b);
	for (int f = 0; f < 2; f++)
		if (a->n[f] != b->n[f] || (a->n[f] && memcmp(a->v[f], b->v[f],
		    a->n[f] * sizeof(fl_range_t)) != 0))
			return false;
	return true;
}

double
fl_set_size(fl_set_t *s, bool six)
{
	double n = 0;

	fl_set_normalize(s);
	for (size_t i = 0; i < s->n[six]; i++)
		n += (double)(s->v[six][i].hi - s->v[six][i].lo) + 1;
	return n;
}

int
fl_set_count(fl_set_t *s, bool six, char *out, size_t len)
{
	fl_u128 n = 0;
	char digits[48];
	size_t k = sizeof(digits);

	fl_set_normalize(s);
	if (six && s->n[1] == 1 && s->v[1][0].lo == 0 &&
	    s->v[1][0].hi == ~(fl_u128)0)	/* all 2^128: one past u128 */
		return snprintf(out, len, "%s",
		    "340282366920938463463374607431768211456") < (int)len ? 0 : -1;
	for (size_t i = 0; i < s->n[six]; i++)
		n += s->v[six][i].hi - s->v[six][i].lo + 1;
	digits[--k] = '\0';
	do {
		digits[--k] = (char)('0' + (int)(n % 10));
		n /= 10;
	} while (n);
	return snprintf(out, len, "%s", digits + k) < (int)len ? 0 : -1;
}

static int
ctz128(fl_u128 x, int width)
{
	int n = 0;

	if (x == 0)
		return width;
	while (!(x & 1) && n < width) {
		x >>= 1;
		n++;
	}
	return n;
}

char **
fl_set_terms(fl_set_t *s, size_t *n)
{
	char **out = NULL;
	size_t cnt = 0, cap = 0;

	fl_set_normalize(s);
	for (int f = 0; f < 2; f++) {
		int width = f ? 128 : 32;

		for (size_t i = 0; i < s->n[f]; i++) {
			fl_u128 lo = s->v[f][i].lo, hi = s->v[f][i].hi;

			for (;;) {
				/* the largest aligned block at lo within hi */
				int bits = ctz128(lo, width);

				while (bits > 0 && (bits == 128 ? hi != ~(fl_u128)0 ||
				    lo != 0 : lo + ((((fl_u128)1) << bits) - 1) > hi))
					bits--;
				uint8_t a[16];
				char txt[INET6_ADDRSTRLEN], term[64];

				for (int k = width / 8 - 1, sh = 0; k >= 0;
				    k--, sh += 8)
					a[k] = (uint8_t)(lo >> sh);
				inet_ntop(f ? AF_INET6 : AF_INET, a, txt, sizeof(txt));
				if (width - bits == width)
					snprintf(term, sizeof(term), "ip%c:%s",
					    f ? '6' : '4', txt);
				else
					snprintf(term, sizeof(term), "ip%c:%s/%d",
					    f ? '6' : '4', txt, width - bits);
				if (cnt == cap) {
					cap = cap ? cap * 2 : 16;
					char **v = realloc(out, cap * sizeof(*v));

					if (v == NULL) {
						fl_terms_free(out, cnt);
						return NULL;
					}
					out = v;
				}
				out[cnt++] = strdup(term);
				if (bits == width ||
				    lo + ((((fl_u128)1) << bits) - 1) >= hi)
					break;
				lo += ((fl_u128)1) << bits;
			}
		}
	}
	*n = cnt;
	return out;
}

void
fl_terms_free(char **terms, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(terms[i]);
	free(terms);
}
