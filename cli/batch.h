/*
 * Many domains in lockstep, over one resolver and its one cache.  Each
 * domain's check runs with the resolver deferred until it needs an answer
 * not known yet.  When every domain in the window has stepped, one wait
 * answers their queries together (half of them: the slowest do not hold
 * the others), and the checks step on from where they stood.  A domain is
 * done when its check says so (or its time ran out); results come out in
 * input order, and a domain that waits long (a question its resolver
 * keeps failing) holds back only its own line: the domains after it go
 * on, as many as the tool's results allow to be held.  A provider's
 * include asked by thousands of domains is thus asked once, and a window
 * of domains costs the round trips of its deepest domain, not the sum of
 * them.
 */
#ifndef AUTHZONE_CLI_BATCH_H
#define AUTHZONE_CLI_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/common.h"

typedef struct cmd_batch {
	/* Runs the check of domain (normalized) on from where it stood: 1
	 * when it is done, 0 when it waits for answers it asked for, -1 on
	 * no memory.  *state is the domain's own, NULL at first. */
	int (*step)(void *arg, dns_resolver_t *r, const char *domain,
	    void **state);
	/* The result from a check's state, done or not (its deadline
	 * passed): takes the state over; the result goes to emit. */
	void *(*finish)(void *arg, void *state);
	/* Prints a final result, frees it, and returns the exit status. */
	int (*emit)(void *arg, const char *domain, void *result);
	/* Prints the line of a domain that cannot be checked; its status. */
	int (*fail)(void *arg, const char *domain, const char *why);
	/* Once a round, after every domain stepped and before the wait:
	 * work that is not DNS, asked for by the steps and done for all of
	 * them at once (mail-audit's SMTP probes); NULL for none.  The
	 * domains that asked step again after it. */
	void (*round)(void *arg);
	void *arg;
	const cmd_opts_t *o;	/* the tool's, for its messages */
	size_t window;		/* domains in flight at once; 0: 1000 */
	size_t ahead;		/* domains done and held for their turn in
				 * input order, beyond the window, while the
				 * oldest one not printed waits */
	unsigned deadline_ms;	/* the whole run's (--deadline); 0: none,
				 * each query bounded by the scheduler's
				 * budget, what a sequential client waits */
	const char *progress;	/* the name for a progress line on stderr, or
				 * NULL for none */
} cmd_batch_t;

/* Where the domains come from: a file read as the batch goes (never
 * whole, so memory follows the window, not the input), or an array. */
typedef struct cmd_batch_input {
	FILE *fp;		/* NULL: the array */
	char *const *v;
	size_t n, next;
	unsigned long line;
	char *buf;
	size_t cap;
} cmd_batch_input_t;

/** Opens FILE ("-": stdin) for reading domains one per line: blank lines
 * and lines starting with '#' are skipped, and so is what follows the
 * first blank or tab on a line.  A directory or a device is refused; a
 * pipe is read.  Exits 2 with a message when it cannot be read. */
void cmd_batch_open(const cmd_opts_t *o, const char *path,
    cmd_batch_input_t *in);
/** The same over n names already in memory. */
void cmd_batch_array(char *const *v, size_t n, cmd_batch_input_t *in);
void cmd_batch_close(cmd_batch_input_t *in);

/** The next domain: 1 with *text (valid until the next call) and why
 * empty, or with why saying what is wrong with the line ("line 3: a NUL
 * byte"); 0 at the end; -1 when the input cannot be read (why says). */
int cmd_batch_next(cmd_batch_input_t *in, const char **text, char *why,
    size_t whylen);

/** Checks the domains of in as they are read; returns the worst exit
 * status (DNS failure over findings over clean; usage for a bad line only
 * when nothing worse), how many lines it checked in *n and the time it
 * took in *seconds. */
int cmd_batch_run(const cmd_batch_t *b, dns_resolver_t *r,
    cmd_batch_input_t *in, size_t *n, double *seconds);

#endif
