/*
 * check_host() of RFC 7208: evaluates SPF for a client address, a sender
 * and a HELO name as a receiver does, with every mechanism, modifier and
 * macro, the processing limits, and the seven results.  DNS goes through
 * the shared resolver, so every answer is cached for the run.
 */
#ifndef AUTHZONE_LINT_SPF_EVAL_H
#define AUTHZONE_LINT_SPF_EVAL_H

#include <stdint.h>
#include <time.h>

#include "dns/dns.h"

typedef enum spf_result {
	SPF_RESULT_NONE,
	SPF_RESULT_NEUTRAL,
	SPF_RESULT_PASS,
	SPF_RESULT_FAIL,
	SPF_RESULT_SOFTFAIL,
	SPF_RESULT_TEMPERROR,
	SPF_RESULT_PERMERROR,
} spf_result_t;

typedef struct spf_request {
	const char *ip;		/* the client address, IPv4 or IPv6 text */
	const char *sender;	/* MAIL FROM; "" or NULL: use the HELO */
	const char *helo;	/* HELO/EHLO name, may be NULL */
	const char *receiver;	/* for %{r}; NULL: "unknown" */
	const char *record;	/* the checked domain's SPF record as if it
				 * were published; NULL: ask DNS */
	time_t now;		/* for %{t}; 0: the current time */
	bool ahead;		/* ask a record's lookups as soon as the record
				 * is seen: a tree costs a round trip a level,
				 * the result is the same; false: one query at
				 * a time, in the order a receiver asks */
} spf_request_t;

typedef struct spf_outcome {
	spf_result_t result;
	const char *identity;	/* "mailfrom" or "helo" */
	char *domain;		/* the domain checked */
	char *decided_by;	/* the domain whose record decided, or NULL */
	char *mechanism;	/* the term that matched, NULL for the default */
	char *explanation;	/* for fail: the exp text, or NULL */
	char *problem;		/* for temperror and permerror: why */
	unsigned lookups, void_lookups;
} spf_outcome_t;

/** Evaluates req.  Returns 0 with *out filled (free it with
 * spf_outcome_clear), or -1 when req->ip is not an address. */
int spf_eval_run(spf_outcome_t *out, dns_resolver_t *r,
    const spf_request_t *req);
void spf_outcome_clear(spf_outcome_t *out);

/** "pass", "fail", ... */
const char *spf_result_str(spf_result_t res);

#endif
