/*
 * The SPF record parser: RFC 7208 section 12's ABNF, term by term, with the
 * byte offset of every problem.  It never touches the network.  A term with
 * a syntax error is kept with bad set, so that one pass reports every error
 * and the walker knows not to follow it.
 */
#ifndef AUTHZONE_LINT_SPF_RECORD_H
#define AUTHZONE_LINT_SPF_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lint/finding.h"

typedef enum spf_kind {
	SPF_ALL,
	SPF_INCLUDE,
	SPF_A,
	SPF_MX,
	SPF_PTR,
	SPF_IP4,
	SPF_IP6,
	SPF_EXISTS,
	SPF_REDIRECT,
	SPF_EXP,
	SPF_MODIFIER,		/* unknown modifier */
	SPF_UNKNOWN,		/* unknown mechanism */
} spf_kind_t;

typedef struct spf_term {
	spf_kind_t kind;
	char qualifier;		/* '+', '-', '~' or '?' */
	bool bad;		/* a syntax error was found in it */
	bool has_macro;		/* its domain-spec holds a macro-expand */
	size_t offset, length;	/* the whole term in the record */
	/* Strings owned by the record, NUL-terminated (a NUL byte of the
	 * record's text shows as the end): */
	char *domain;		/* domain-spec, or NULL when absent */
	char *name, *value;	/* unknown modifier: its name and value */
	uint8_t addr[16];	/* ip4 (first 4 bytes) and ip6 */
	int cidr4, cidr6;	/* prefix lengths; -1 when not given */
} spf_term_t;

typedef struct spf_record {
	char *text;
	size_t len;
	spf_term_t *terms;
	size_t nterms;
	int redirect;		/* index of the redirect term, or -1 */
	int exp;		/* index of the exp term, or -1 */
	int all;		/* index of the first all, or -1 */
	bool bad;		/* any syntax error: receivers give permerror */
	char *strings;		/* the terms' strings point here */
} spf_record_t;

/** True when text is an SPF record: "v=spf1" (any case), then a space or
 * its end (RFC 7208 4.5). */
bool spf_record_is_spf(const char *text, size_t len);

/** Parses text, adding syntax findings (located at domain) to f.  NULL only
 * on no memory or when text is not an SPF record (spf-not-spf is added).
 * The caller frees the result with spf_record_free. */
spf_record_t *spf_record_parse(const char *text, size_t len,
    const char *domain, lint_findings_t *f);
void spf_record_free(spf_record_t *r);

/** The mechanism or modifier name of a kind: "include", "redirect". */
const char *spf_kind_str(spf_kind_t k);
/** True for the terms that cost a DNS lookup (RFC 7208 4.6.4). */
bool spf_kind_queries(spf_kind_t k);

/** Checks a domain-spec.  0 when valid; else -1 (bad domain) or -2 (bad
 * macro) with *at the byte offset of the problem and *why a message. */
int spf_domain_spec_check(const char *s, size_t len, bool *has_macro,
    size_t *at, const char **why);
/** Checks a macro-string: 0, or -1 with *at and *why as above. */
int spf_macro_string_check(const char *s, size_t len, bool exp_text,
    bool *has_macro, size_t *at, const char **why);

/** Whether NAME[:VALUE] (or NAME=VALUE, a modifier; NAME alone when
 * value is NULL) is one valid term: 0, or -1 with the parser's message in
 * why (len bytes). */
int spf_term_check(const char *name, const char *value, bool modifier,
    char *why, size_t len);

#endif
