/* nomail-gen's work: the set of a domain that sends and receives no mail,
 * for the domains given or the mail-less names of zone files. */
#ifndef AUTHZONE_CLI_NOMAIL_GEN_H
#define AUTHZONE_CLI_NOMAIL_GEN_H

#include "cli/gen.h"

typedef struct nomail_gen {
	const char *rua;	/* checked, or NULL */
	const char *sp, *np;	/* policies */
} nomail_gen_t;

/** Prints the set of each of the n domains (their MX looked up first: a
 * domain that takes mail is told of), or with none, of every name of o's
 * zones with addresses but neither MX nor SPF that no MX names; each
 * record checked by its linter.  The exit status. */
int cmd_nomail_gen(cmd_opts_t *o, const gen_opts_t *g, char **domains,
    int n, const nomail_gen_t *m);

#endif
