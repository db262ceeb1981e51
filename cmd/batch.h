/*
 * Many domains in lockstep, over one resolver and its one cache.  Each
 * domain's check runs with the resolver deferred: it asks for what it
 * needs and gets DNS_PENDING for what is not known yet.  When every domain
 * in the window has run, one dns_resolver_wait answers all their queries
 * together, and the checks that missed answers run again.  A domain is
 * done when a run missed nothing (or its passes or time ran out); results
 * come out in input order.  A provider's include asked by thousands of
 * domains is thus asked once, and a window of domains costs the round
 * trips of its deepest domain, not the sum of them.
 */
#ifndef AUTHZONE_CMD_BATCH_H
#define AUTHZONE_CMD_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "cmd/common.h"

typedef struct cmd_batch {
	/* One run of the check of domain (normalized); *state is the
	 * domain's own, NULL at first, kept across its runs.  Returns the
	 * result, owned by the caller of run. */
	void *(*run)(void *arg, dns_resolver_t *r, const char *domain,
	    void **state);
	/* Frees the result of a run that missed answers. */
	void (*discard)(void *arg, void *result);
	/* Prints a final result, frees it, and returns the exit status. */
	int (*emit)(void *arg, const char *domain, void *result);
	/* Prints the line of a domain that cannot be checked; its status. */
	int (*fail)(void *arg, const char *domain, const char *why);
	void (*state_free)(void *state);
	void *arg;
	size_t window;		/* domains in flight at once; 0: 1000 */
	unsigned deadline_ms;	/* each domain's; 0: 30000 */
	const char *progress;	/* the name for a progress line on stderr, or
				 * NULL for none */
} cmd_batch_t;

/** Checks the n domains; returns the worst exit status (DNS failure over
 * findings over clean; usage for a bad name only when nothing worse), and
 * the time it took in *seconds. */
int cmd_batch_run(const cmd_batch_t *b, dns_resolver_t *r,
    char *const *domains, size_t n, double *seconds);

/** Reads the domains of FILE ("-": stdin), one per line; blank lines and
 * lines starting with '#' are skipped, and so is what follows the first
 * blank or tab.  Exits 2 with a message when it cannot be read. */
char **cmd_batch_read(const cmd_opts_t *o, const char *path, size_t *n);
void cmd_batch_free(char **domains, size_t n);

#endif
