/* dkim-gen's work: the key (made, loaded or none), its record, printed. */
#ifndef AUTHZONE_CLI_DKIM_GEN_H
#define AUTHZONE_CLI_DKIM_GEN_H

#include "cli/gen.h"

typedef struct dkim_gen {
	const char *selector;	/* NULL: s and this year and month */
	const char *type;	/* rsa (NULL) or ed25519 */
	const char *bits;	/* RSA, checked: 1024 to 4096 (NULL: 2048) */
	const char *key_out;	/* one of key_out, from and revoke */
	const char *from;
	const char *revoke;	/* the selector to revoke */
	const char *h, *s, *t, *n;	/* tags, checked */
} dkim_gen_t;

/** Makes, loads or revokes as d says and prints the record at
 * SELECTOR._domainkey.domain; a new private key is written whole or not
 * at all, never over a file without --force.  The exit status. */
int cmd_dkim_gen(const cmd_opts_t *o, const gen_opts_t *g,
    const char *domain, const dkim_gen_t *d);

#endif
