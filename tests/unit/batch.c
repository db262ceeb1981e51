/*
 * The batch driver (cli/batch.c) with checks of the test's own over an
 * offline resolver: lines come out in input order, and a domain that
 * waits long holds back only its own line, not the domains after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/batch.h"
#include "tests/unit/tap.h"

#define SLOW_PASSES	40	/* the first domain's steps before it is done */

struct run {
	unsigned long started;	/* domains stepped once */
	unsigned long done;	/* domains whose check is done */
	unsigned long done_before_slow;	/* of them, before the first */
	char order[64][16];	/* the lines, as emitted */
	size_t nemitted;
};

struct check {
	unsigned passes;
};

static int
step(void *arg, dns_resolver_t *r, const char *domain, void **state)
{
	struct run *run = arg;
	struct check *c = *state;

	(void)r;
	if (c == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return -1;
		*state = c;
		run->started++;
	}
	c->passes++;
	/* slow.test waits, as for a question its resolver keeps failing */
	if (strcmp(domain, "slow.test") == 0 && c->passes < SLOW_PASSES)
		return 0;
	if (strcmp(domain, "slow.test") == 0)
		run->done_before_slow = run->done;
	run->done++;
	return 1;
}

static void *
finish(void *arg, void *state)
{
	(void)arg;
	return state;
}

static int
emit(void *arg, const char *domain, void *result)
{
	struct run *run = arg;

	if (run->nemitted < 64)
		snprintf(run->order[run->nemitted++], sizeof(run->order[0]),
		    "%s", domain);
	free(result);
	return 0;
}

static int
fail(void *arg, const char *domain, const char *why)
{
	(void)arg;
	(void)domain;
	(void)why;
	return 0;
}

void
test_batch(void)
{
	char *names[40], buf[40][16], err[256];
	dns_options_t dopt = { .offline = true };
	dns_resolver_t *r = dns_resolver_new(&dopt, err, sizeof(err));
	cmd_opts_t o = { .prog = "unit" };
	struct run run = { 0 };
	cmd_batch_t b = { .step = step, .finish = finish, .emit = emit,
	    .fail = fail, .arg = &run, .o = &o, .window = 2, .ahead = 6 };
	cmd_batch_input_t in;
	size_t n = 0;
	double secs;
	bool ordered = true;

	if (!tap_check(r != NULL, "batch: an offline resolver%s%s",
	    r ? "" : ": ", r ? "" : err))
		return;
	names[0] = "slow.test";
	for (size_t i = 1; i < 40; i++) {
		snprintf(buf[i], sizeof(buf[i]), "d%02zu.test", i);
		names[i] = buf[i];
	}
	cmd_batch_array(names, 40, &in);
	cmd_batch_run(&b, r, &in, &n, &secs);
	tap_check(n == 40 && run.nemitted == 40 && run.started == 40,
	    "batch: 40 domains started, checked and printed (%zu, %zu, %lu)",
	    n, run.nemitted, run.started);
	for (size_t i = 0; i < 40 && i < run.nemitted; i++)
		ordered &= strcmp(run.order[i], names[i]) == 0;
	tap_check(ordered, "batch: the lines in input order, the slow first");
	/* a window of 2 in flight, 6 more held ahead: the 7 after the first
	 * are done while it waits, not 1 */
	tap_check(run.done_before_slow == 7, "batch: a domain that waits "
	    "holds back its line only: %lu others done meanwhile (7)",
	    run.done_before_slow);
	cmd_batch_close(&in);
	dns_resolver_free(r);
}
