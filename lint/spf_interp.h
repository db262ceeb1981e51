/*
 * The SPF interpreter: check_host() of RFC 7208 as a resumable state
 * machine.  It holds the stack of records being evaluated (the checked
 * domain's, then includes and redirects) and where it stands in each; a
 * step runs until it needs an answer the resolver does not have yet, and
 * the next step resumes at that very term.  The RFC 7208 limits (10
 * DNS-querying terms, 2 void lookups, 10 MX and PTR names), the term
 * order, include and redirect, macros and explanations are here and
 * nowhere else.
 *
 * What the interpreter is run for is a policy:
 * - the evaluator (spf_eval.c) has a client: terms match, the first match
 *   decides, a limit is a permerror;
 * - the walker (spf_walk.c) has none: no term matches but "all", so every
 *   term is evaluated, to count and show every lookup a receiver may make;
 * - the flattener (flatten.c) has none either and gathers the addresses
 *   each record passes.
 * A policy sees each record as it is entered and left, each term with its
 * answers, and may stop the run.
 *
 * Ownership: the interpreter owns its frames and the records it parsed;
 * answers passed to a hook are the resolver's and valid during the call.
 */
#ifndef AUTHZONE_LINT_SPF_INTERP_H
#define AUTHZONE_LINT_SPF_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dns/dns.h"
#include "lint/finding.h"
#include "lint/spf_eval.h"
#include "lint/spf_macro.h"
#include "lint/spf_record.h"
#include "util/table.h"

#define SPF_LOOKUP_LIMIT	10
#define SPF_VOID_LIMIT		2
#define SPF_MX_LIMIT		10	/* MX names of one mx term */
#define SPF_PTR_LIMIT		10	/* PTR names tried */
#define SPF_MAX_DEPTH		24	/* records on the stack */
#define SPF_MAX_LOOKUPS		200	/* without a client, a run stops here */

/* What became of a term, or of a frame's record */
typedef enum spf_event {
	SPF_EV_DONE,		/* evaluated, answers in hand */
	SPF_EV_UNEVALUATED,	/* after "all", a syntax error, or a cut */
	SPF_EV_MACRO,		/* its target depends on the sender (no client) */
	SPF_EV_NO_DOMAIN,	/* no target: a candidate record without one */
	SPF_EV_DNS_FAILURE,	/* a query of it failed */
	SPF_EV_LOOP,		/* include or redirect back onto the chain */
	SPF_EV_TOO_DEEP,	/* SPF_MAX_DEPTH records on the stack */
	SPF_EV_INVALID,		/* its target is no name to query */
	SPF_EV_LIMIT,		/* over a limit: permerror (with a client) */
	SPF_EV_NOT_FOLLOWED,	/* an include the policy does not follow */
} spf_event_t;

/* What a frame's record is */
typedef enum spf_fetch {
	SPF_FETCH_OK,
	SPF_FETCH_NONE,		/* no SPF record (NXDOMAIN, NODATA, none) */
	SPF_FETCH_MULTIPLE,	/* several: permerror */
	SPF_FETCH_FAILED,	/* the TXT query failed: temperror */
	SPF_FETCH_SYNTAX,	/* a syntax error: permerror */
	SPF_FETCH_NOT_NAME,	/* the target is no domain name: none */
} spf_fetch_t;

/* A term's verdict; a policy may change it (STOP ends the run) */
typedef enum spf_match {
	SPF_NOMATCH,
	SPF_MATCH,
	SPF_TEMPERR,
	SPF_PERMERR,
	SPF_STOP,
} spf_match_t;

typedef struct spf_frame spf_frame_t;

/* One record on the stack */
struct spf_frame {
	spf_frame_t *parent;
	const spf_term_t *via;	/* the parent's include or redirect, or NULL */
	char name[256];		/* normalized; "" for a candidate without one */
	char given[256];	/* the name as given: %{d} keeps its case */
	spf_fetch_t fetch;
	const dns_answer_t *answer;	/* TXT: valid in the enter hook */
	const char *text;	/* the record, NUL-terminated (NULL: none) */
	size_t len, count;	/* its length; SPF records found */
	const spf_record_t *rec;
	const lint_findings_t *parse_findings;	/* of the parser and checks */
	bool first;		/* the first time this name's record is met */
	bool top;		/* the domain's own or a redirect target of it */
	/* where it stands, the interpreter's own: */
	unsigned phase;		/* fetch, terms, redirect, explanation */
	size_t term;		/* the next term */
	unsigned stage;		/* within the term */
	unsigned lookup;	/* the term's number among the lookups */
	char target[256];	/* the name the term queries */
	spf_result_t result;	/* when it is left */
	char *explanation;	/* of a fail, when asked (owned) */
	const spf_term_t *decider;	/* the term that decided, or NULL */
	bool defaulted;		/* no term matched, no redirect: neutral */
	void *user;		/* the policy's */
};

/* The facts of one term, for the policy */
typedef struct spf_step {
	spf_event_t event;
	unsigned lookup;	/* its number among the lookups, or 0 */
	bool void_lookup;
	const char *target;	/* the name it queries, when known */
	const char *why;	/* the failed query's result, the limit */
	const dns_answer_t *answer;	/* the first query's */
	const dns_answer_t *answer6;	/* a: AAAA when both are asked */
	size_t names;		/* mx: MX names */
	spf_match_t match;	/* the interpreter's verdict */
} spf_step_t;

typedef struct spf_policy {
	unsigned flags;		/* terms match when spf_interp_client gave
				 * a client, else only "all" matches */
#define SPF_P_BOTH	2u	/* a and mx hosts: A and AAAA, not the
				 * client's family */
#define SPF_P_HOSTS	4u	/* ask the addresses of MX names */
#define SPF_P_AHEAD	8u	/* ask a record's lookups when it is seen,
				 * includes' records as they come */
#define SPF_P_LOOPS	16u	/* do not follow a name already on the stack */
#define SPF_P_TYPE99	32u	/* ask the root's type SPF (99) too */
	/* The frame's record is known (f->fetch): SPF_ENTER_GO, SKIP (do
	 * not evaluate it: a permerror), STOP (end the run); -1: no memory */
#define SPF_ENTER_GO	0
#define SPF_ENTER_SKIP	1
#define SPF_ENTER_STOP	2
	int (*enter)(void *arg, spf_frame_t *f, const dns_answer_t *type99);
	/* A term is done: returns the verdict the run goes on with */
	spf_match_t (*term)(void *arg, spf_frame_t *f, const spf_term_t *t,
	    const spf_step_t *s);
	/* An address answer of an a or mx term (asked with SPF_P_BOTH or
	 * SPF_P_HOSTS); family 4 or 6 */
	void (*addresses)(void *arg, spf_frame_t *f, const spf_term_t *t,
	    const char *name, const dns_answer_t *a, int family);
	/* Whether to follow an include or redirect to target (NULL: yes) */
	bool (*follow)(void *arg, spf_frame_t *f, const spf_term_t *t,
	    const char *target);
	/* An include or redirect's frame is left (before its leave hook):
	 * returns the verdict of the parent's term */
	spf_match_t (*child)(void *arg, spf_frame_t *f, const spf_term_t *t,
	    spf_frame_t *child, spf_match_t m);
	/* The frame is left with f->result */
	void (*leave)(void *arg, spf_frame_t *f);
	/* Whether to ask name's record ahead (NULL: yes); a policy that
	 * will not enter it says no */
	bool (*ahead)(void *arg, const char *name);
} spf_policy_t;

/* Records parsed and checked once, for many runs over one resolver (a
 * batch): a provider's record is parsed once, not once per domain.  It
 * must outlive the runs that use it. */
typedef struct spf_store spf_store_t;

spf_store_t *spf_store_new(void);
void spf_store_free(spf_store_t *s);
/** A table of the store for a policy's own use across runs (the walker's
 * summaries of included trees), made at the first call; its values are
 * freed with free_value when the store is.  NULL on no memory. */
util_table_t *spf_store_table(spf_store_t *s, void (*free_value)(void *));

typedef struct spf_interp spf_interp_t;

/** An interpreter for domain's SPF (record: len bytes given as if it were
 * published there, or NULL to ask DNS); domain may be NULL with a record.
 * store may be NULL (the interpreter keeps its own).  NULL on no memory. */
spf_interp_t *spf_interp_new(dns_resolver_t *r, spf_store_t *store,
    const spf_policy_t *pol, void *arg, const char *domain,
    const char *record, size_t len);
void spf_interp_free(spf_interp_t *in);

/** The root is an include target: its record is checked as one. */
void spf_interp_part(spf_interp_t *in);
/** The checked domain, normalized, or NULL. */
const char *spf_interp_domain(const spf_interp_t *in);
/** The checked domain as given (a client's: the sender's domain). */
const char *spf_interp_given(const spf_interp_t *in);

/** The client of an evaluation: terms match against it.  -1 when req->ip is no
 * address.  The sender's domain becomes the checked domain. */
int spf_interp_client(spf_interp_t *in, const spf_request_t *req);

/** Answers name's TXT query with text instead of DNS (the flattener's
 * self-check of the records it produced).  -1 on no memory. */
int spf_interp_override(spf_interp_t *in, const char *name, const char *text);

/** Runs until done (1) or an answer is missing (0: it was submitted; step
 * again after the resolver waited).  -1 on no memory. */
int spf_interp_step(spf_interp_t *in);
/** Steps and waits until done: 0, or -1 on no memory. */
int spf_interp_run(spf_interp_t *in);

/** The result of the checked domain, once done */
spf_result_t spf_interp_result(const spf_interp_t *in);
unsigned spf_interp_lookups(const spf_interp_t *in);
unsigned spf_interp_voids(const spf_interp_t *in);
/** Records on the stack now. */
size_t spf_interp_depth(const spf_interp_t *in);
/** Whether name's record is on the stack, or was entered in this run. */
bool spf_interp_on_stack(const spf_interp_t *in, const char *name);
bool spf_interp_entered(const spf_interp_t *in, const char *name);
/** What a policy's summary of a subtree it did not follow stands for:
 * its lookups and void lookups count, and its records were entered.
 * -1 on no memory. */
int spf_interp_account(spf_interp_t *in, unsigned lookups, unsigned voids,
    const char *const *names, size_t nnames);
/** True once a cap (SPF_MAX_LOOKUPS, the depth) cut the run, done or not. */
bool spf_interp_capped(const spf_interp_t *in);
/** True when the run was cut short (SPF_MAX_LOOKUPS, or a policy STOP). */
bool spf_interp_cut(const spf_interp_t *in);
/** Why a temperror or permerror, or NULL. */
const char *spf_interp_problem(const spf_interp_t *in);
/** The explanation of a fail (owned by in), or NULL. */
const char *spf_interp_explanation(const spf_interp_t *in);

/** The one SPF record among a TXT answer's records, strings joined, *len
 * bytes (a NUL byte in it is kept, for the parser to refuse); NULL and
 * *count = 0 when none, *count > 1 when several.  Caller frees. */
char *spf_txt_select(const ldns_rr_list *txt, size_t *count, size_t *len);

#endif
