/*
 * The SPF walker: evaluates a domain's SPF as a receiver would for an IP
 * that matches nothing, so every term up to "all" is evaluated, through
 * includes and redirects to any depth.  It counts the DNS-querying terms
 * and the void lookups in evaluation order, and builds a tree showing
 * where each lookup comes from.
 *
 * It works in passes.  A pass evaluates the whole tree with the answers in
 * hand and submits every query it is missing; then the walker waits once
 * for all of them and starts the next pass.  Each level of the tree thus
 * costs one round trip however wide it is, and the last pass, which misses
 * nothing, is the result.  The evaluation logic exists once.
 */
#ifndef AUTHZONE_LINT_SPF_WALK_H
#define AUTHZONE_LINT_SPF_WALK_H

#include <stdbool.h>

#include "dns/dns.h"
#include "lint/finding.h"
#include "lint/spf_record.h"

#define SPF_LOOKUP_LIMIT	10
#define SPF_VOID_LIMIT		2
#define SPF_MX_LIMIT		10
#define SPF_WALK_MAX_LOOKUPS	200	/* the tree is cut beyond this */

typedef struct spf_node spf_node_t;

typedef struct spf_item {
	const spf_term_t *term;	/* in the node's record */
	unsigned lookup;	/* its number in evaluation order, or 0 */
	bool evaluated;		/* false after "all", or when cut */
	bool void_lookup;
	bool failed;		/* its query failed: DNS, not a verdict */
	const char *note;	/* "loop", "macro", "no SPF record", ... */
	char *target;		/* the name it queries, when known */
	size_t mx_names;
	spf_node_t *child;	/* include and redirect */
} spf_item_t;

struct spf_node {
	char *domain;		/* NULL for a candidate record without one */
	char *text;		/* the SPF record, NULL when none was found */
	spf_record_t *rec;
	bool shared;		/* text and rec belong to a memo */
	spf_item_t *items;	/* in evaluation order */
	size_t nitems;
};

typedef struct spf_walk {
	spf_node_t *root;
	unsigned lookups, voids;
	bool complete;		/* no DNS failure and not cut short */
	unsigned passes;
	lint_findings_t findings;
} spf_walk_t;

/** Walks domain's SPF, or record (len bytes) as if published at domain
 * (which may then be NULL).  In the resolver's deferred mode it makes one
 * pass only: the caller sees whether it missed answers with
 * dns_resolver_misses, waits, and walks again.  Fills w, which the caller clears with
 * spf_walk_clear.  -1 only on no memory. */
int spf_walk_run(spf_walk_t *w, dns_resolver_t *r, const char *domain,
    const char *record, size_t len);
void spf_walk_clear(spf_walk_t *w);

/* What spf_walk_run_flags does besides spf_walk_run */
#define SPF_WALK_PART	1u	/* domain's record is a part of a chain, an
				 * include target: what only a domain's own
				 * policy needs ("all" at the end, "?all")
				 * is not asked of it */
#define SPF_WALK_TYPE99	2u	/* ask the domain's type SPF (99) records
				 * too, to warn that they are ignored */

/** spf_walk_run with flags.  Type SPF (99) is asked only with
 * SPF_WALK_TYPE99: check_host never reads it (RFC 7208 3.1), so it is
 * worth a query only where a person reads the findings of one domain;
 * it goes out with the TXT query and costs no round trip. */
int spf_walk_run_flags(spf_walk_t *w, dns_resolver_t *r, const char *domain,
    const char *record, size_t len, unsigned flags);

/* A memo of parsed and checked records, for many walks over one resolver
 * (a batch, or the passes of a lockstep run): a provider's records are
 * parsed and checked once, not once per domain and pass.  It must outlive
 * the walks that use it, and holds nothing of the resolver. */
typedef struct spf_walk_memo spf_walk_memo_t;

spf_walk_memo_t *spf_walk_memo_new(void);
void spf_walk_memo_free(spf_walk_memo_t *m);
/** spf_walk_run with a memo (NULL: none). */
int spf_walk_run_memo(spf_walk_t *w, dns_resolver_t *r, spf_walk_memo_t *m,
    const char *domain, const char *record, size_t len);

/** The one SPF record among a TXT answer's records, strings joined, *len
 * bytes (a NUL byte in it is kept, for the parser to refuse); NULL and
 * *count = 0 when none, *count > 1 when several.  Caller frees. */
char *spf_txt_select(const ldns_rr_list *txt, size_t *count, size_t *len);

#endif
