/* mtasts-gen's work: the policy from the MX hosts, its id, the records. */
#ifndef AUTHZONE_CLI_MTASTS_GEN_H
#define AUTHZONE_CLI_MTASTS_GEN_H

#include "cli/gen.h"

typedef struct mtasts_gen {
	const char *mode;	/* enforce, testing, none */
	const char *mx[32];	/* patterns; none: the domain's MX hosts */
	size_t nmx;
	const char *max_age;	/* seconds, checked */
	const char *out;	/* --policy-out, or NULL */
	const char *rua;	/* a TLS-RPT record too, or NULL */
} mtasts_gen_t;

/** Builds and prints domain's policy and records as m says; the policy
 * goes to m->out whole or not at all.  Returns the exit status: 3 when
 * the MX records could not be looked up, 2 when there are none or the
 * file could not be written. */
int cmd_mtasts_gen(const cmd_opts_t *o, const gen_opts_t *g,
    const char *domain, const mtasts_gen_t *m);

#endif
