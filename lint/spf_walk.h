/*
 * The SPF walker: the interpreter (spf_interp.h) without a client, so that
 * no term matches but "all" and every term up to it is evaluated, through
 * includes and redirects.  It counts the DNS-querying terms and the void
 * lookups in evaluation order, as the evaluator does for the same records
 * and answers, and builds a tree showing where each lookup comes from.
 * It asks ahead: a tree costs a round trip per level.
 *
 * A walk is resumable: spf_walk_step runs it until an answer is missing,
 * and the next step resumes at that term (a batch steps many walks over
 * one resolver); spf_walk_run steps and waits until it is done.
 */
#ifndef AUTHZONE_LINT_SPF_WALK_H
#define AUTHZONE_LINT_SPF_WALK_H

#include <stdbool.h>

#include "dns/dns.h"
#include "lint/finding.h"
#include "lint/spf_interp.h"
#include "lint/spf_record.h"
#include "util/arena.h"

typedef struct spf_node spf_node_t;
/* A summary of an included tree, taken instead of walking it (a batch) */
typedef struct spf_walk_memo spf_walk_memo_t;

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
	const spf_walk_memo_t *memo;	/* an include summarized, no child */
} spf_item_t;

struct spf_node {
	char *domain;		/* NULL for a candidate record without one */
	const char *text;	/* the SPF record (the walk's interpreter's) */
	const spf_record_t *rec;
	spf_item_t *items;	/* in evaluation order */
	size_t nitems;
	size_t cursor;		/* the item of the last term evaluated */
};

typedef struct spf_walk {
	spf_node_t *root;	/* NULL when no record was walked */
	const char *record;	/* the candidate, or NULL */
	size_t record_len;
	unsigned lookups, voids;
	bool complete;		/* no DNS failure and not cut short */
	bool dns_failed;	/* a query failed */
	lint_findings_t findings;
	spf_interp_t *interp;	/* the walk's own */
	util_arena_t arena;	/* the tree's nodes, items and names */
	util_table_t *memos;	/* the store's summaries (SPF_WALK_MEMO) */
	struct spf_walk_rec *rec;	/* a subtree being summarized */
	const spf_walk_memo_t *replay;	/* the summary a follow chose */
} spf_walk_t;

/* What spf_walk_start does besides walking */
#define SPF_WALK_PART	1u	/* domain's record is a part of a chain, an
				 * include target: what only a domain's own
				 * policy needs ("all" at the end, "?all")
				 * is not asked of it */
#define SPF_WALK_TYPE99	2u	/* ask the domain's type SPF (99) records
				 * too, to warn that they are ignored: worth
				 * it only where a person reads the findings
				 * of one domain (check_host never reads
				 * them, RFC 7208 3.1); it goes out with the
				 * TXT query and costs no round trip */
#define SPF_WALK_MEMO	4u	/* a batch: an included tree walked once
				 * is summarized in the store, and later
				 * walks take the summary where it holds
				 * (the tree then has no node below it) */

/** Starts a walk of domain's SPF, or of record (len bytes) as if published
 * at domain (which may then be NULL).  store (may be NULL) keeps parsed
 * records across walks.  -1 on no memory. */
int spf_walk_start(spf_walk_t *w, dns_resolver_t *r, spf_store_t *store,
    const char *domain, const char *record, size_t len, unsigned flags);
/** Runs the walk until it is done (1) or an answer is missing (0: asked;
 * step again after the resolver waited).  -1 on no memory. */
int spf_walk_step(spf_walk_t *w);
/** Ends a walk, done or not (a deadline): the counts and the findings on
 * them.  Called once, after the last step. */
void spf_walk_finish(spf_walk_t *w);
/** start, steps and waits, finish.  -1 only on no memory. */
int spf_walk_run(spf_walk_t *w, dns_resolver_t *r, spf_store_t *store,
    const char *domain, const char *record, size_t len, unsigned flags);
void spf_walk_clear(spf_walk_t *w);

#endif
