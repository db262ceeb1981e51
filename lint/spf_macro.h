/* SPF macro expansion (RFC 7208 7): the letters, transformers, delimiters,
 * URL escaping of upper-case letters, and the 253-byte truncation. */
#ifndef AUTHZONE_LINT_SPF_MACRO_H
#define AUTHZONE_LINT_SPF_MACRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct spf_macro_ctx {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t ip[16];
	const char *local;	/* %{l} */
	const char *sender_domain;	/* %{o} */
	const char *domain;	/* %{d}: the current domain */
	const char *helo;	/* %{h} */
	const char *receiver;	/* %{r} */
	time_t now;		/* %{t} */
	bool upper_hex;		/* %{i} nibbles in upper case, as given */
	/* %{p}: the validated name, asked for only when used */
	const char *(*ptr_name)(void *arg, const char *domain);
	void *ptr_arg;
} spf_macro_ctx_t;

/** Expands len bytes of text.  exp_text allows the letters c, r, t and
 * spaces (an explain-string).  Returns the expansion, which the caller
 * frees, or NULL on a syntax error or no memory. */
char *spf_macro_expand(const char *text, size_t len,
    const spf_macro_ctx_t *ctx, bool exp_text);

/** Expands a domain-spec and makes it a name to query: at most 253 bytes
 * (labels dropped from the left), no final dot.  NULL on error. */
char *spf_macro_domain(const char *spec, const spf_macro_ctx_t *ctx);

#endif
