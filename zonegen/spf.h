/* Composing an SPF record from its terms. */
#ifndef AUTHZONE_ZONEGEN_SPF_H
#define AUTHZONE_ZONEGEN_SPF_H

#include <stddef.h>

#include "lint/spf_record.h"

typedef struct zg_spf_term {
	spf_kind_t kind;	/* SPF_IP4 ... SPF_EXISTS */
	const char *arg;	/* after the ':', or NULL (a, mx) */
} zg_spf_term_t;

/** "v=spf1" and the terms in the order that evaluates cheapest first (ip4,
 * ip6, a, mx, include, exists; duplicates dropped), then the "all" with
 * qualifier all_q (0: none), redirect and exp when given.  The caller
 * frees the result. */
char *zg_spf_build(const zg_spf_term_t *terms, size_t n, char all_q,
    const char *redirect, const char *exp);

#endif
