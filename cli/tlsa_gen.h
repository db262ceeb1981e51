/* tlsa-gen's work: the TLSA records of a certificate or key, checked. */
#ifndef AUTHZONE_CLI_TLSA_GEN_H
#define AUTHZONE_CLI_TLSA_GEN_H

#include "cli/gen.h"

typedef struct tlsa_gen {
	const char *cert;	/* --cert FILE: certificates or a key */
	const char *next;	/* --next-key FILE, or NULL */
	const char *usage, *selector, *mtype;	/* as given, or NULL */
	const char *port;	/* checked; NULL: 25 */
	const char *proto;	/* NULL: tcp */
} tlsa_gen_t;

/** Builds, checks and prints the records at _PORT._PROTO.host as t
 * says.  Returns the exit status: 2 when a file cannot be read or holds
 * what the record cannot be made from, 1 when the check found errors. */
int cmd_tlsa_gen(const cmd_opts_t *o, const gen_opts_t *g, const char *host,
    const tlsa_gen_t *t);

#endif
