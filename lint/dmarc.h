/*
 * DMARC policy records, read as RFC 9989 writes them (and as RFC 7489 did,
 * when asked): the record parsed by its grammar into what a receiver
 * applies, the findings of the check, and the one place that says which
 * policy applies to a name and what pct= means.
 *
 * The grammar's quoted strings are case-insensitive (RFC 5234 2.3): tag
 * names and values ("p=ReJect", "V=DMARC1") match in any case; only the
 * version's "DMARC1" is written as bytes (%x44 %x4d ...) and must be upper
 * case.  A receiver discards a record whose first tag is not v=DMARC1, and
 * one whose p= is missing or not a policy unless a valid rua= is there, in
 * which case it applies p=none (RFC 9989 4.7, 4.10): such a record has no
 * effective policy to report, only the reason it is discarded.
 */
#ifndef AUTHZONE_LINT_DMARC_H
#define AUTHZONE_LINT_DMARC_H

#include <stdbool.h>
#include <stddef.h>

#include "lint/finding.h"

/* The findings of DMARC, one row each in dmarc_codes */
enum dmarc_row {
	DMARC_SYNTAX, DMARC_VERSION, DMARC_DUPLICATE, DMARC_BAD_VALUE,
	DMARC_BAD_URI, DMARC_EMPTY_RUA, DMARC_NO_P, DMARC_P_NOT_SECOND,
	DMARC_REMOVED_TAG, DMARC_UNKNOWN_TAG, DMARC_POLICY_NONE, DMARC_TESTING,
	DMARC_NO_RUA, DMARC_NO_RECORD, DMARC_MULTIPLE, DMARC_LEADING_SPACE,
	DMARC_SPF_RECORD, DMARC_UNAUTHORIZED, DMARC_RUA_NO_MX,
	DMARC_RUA_NULL_MX, DMARC_FOUND_AT, DMARC_EFFECTIVE, DMARC_DISCARDED,
	DMARC_URI_SIZE, DMARC_PCT, DMARC_ROWS
};
extern const lint_code_t dmarc_codes[DMARC_ROWS];

typedef enum dmarc_policy {
	DMARC_P_NONE,
	DMARC_P_QUARANTINE,
	DMARC_P_REJECT,
} dmarc_policy_t;

typedef struct dmarc_uri {
	char *uri;		/* as written, the size suffix included */
	char *host;		/* a mailto: address's domain, an https: host,
				 * lowercase; NULL for other schemes */
	bool mailto;
	bool size;		/* ends with the obsolete "!size" */
} dmarc_uri_t;

typedef struct dmarc_record {
	bool usable;		/* a receiver applies it */
	char why[200];		/* when not: why a receiver discards it */
	dmarc_policy_t p, sp, np;	/* as applied, defaults filled in */
	bool p_assumed;		/* p= missing or bad: none, for the rua= */
	char psd;		/* 'y', 'n' or 'u' */
	bool testing;		/* t=y */
	char adkim, aspf;	/* 'r' or 's' */
	int pct;		/* 0-100, RFC 7489 receivers only; -1 absent */
	dmarc_uri_t *rua, *ruf;	/* the valid URIs */
	size_t nrua, nruf;
} dmarc_record_t;

/** Parses text as RFC 9989 does (RFC 7489 when rfc7489), fills *r (the
 * caller clears it with dmarc_record_clear) and adds every finding to f
 * at where. */
void dmarc_record_parse(const char *text, const char *where, bool rfc7489,
    dmarc_record_t *r, lint_findings_t *f);
void dmarc_record_clear(dmarc_record_t *r);

/** The checks alone, for callers that need no more than the findings. */
void dmarc_record_check(const char *text, const char *where, bool rfc7489,
    lint_findings_t *f);

/** True when text starts with a DMARC version tag ("v" *WSP "=" *WSP
 * "DMARC1", then the end, whitespace or ";"): a record the tree walk
 * stops at. */
bool dmarc_is_record(const char *text);

/** The policy a usable record applies to a name: the name itself when the
 * record was found at it (at_name), else one of its subdomains; a name
 * that does not exist gets np. */
dmarc_policy_t dmarc_record_policy(const dmarc_record_t *r, bool at_name,
    bool nonexistent);
/** "none", "quarantine", "reject". */
const char *dmarc_policy_str(dmarc_policy_t p);

/** What pct= below 100 means for a policy, in one sentence, written into
 * out: what receivers that still follow RFC 7489 do, and those that
 * follow RFC 9989.  Shared by dmarc-lint, bimi-lint and mail-audit. */
void dmarc_pct_explain(const dmarc_record_t *r, dmarc_policy_t applied,
    char *out, size_t len);

/** True for a valid fo= value: ("0" / "1" / "d" / "s") *(*WSP ":" *WSP
 * ("0" / "1" / "d" / "s")), any case. */
bool dmarc_fo_ok(const char *v);
/** True for one report URI that dmarc_uri_parse takes. */
bool dmarc_uri_ok(const char *uri);

/** Parses one report URI of a rua= or ruf= list (RFC 3986, RFC 6068 for
 * mailto:, an optional "!size" suffix).  0 with *u filled (the caller
 * frees with dmarc_uri_clear), -1 when it is not a URI. */
int dmarc_uri_parse(const char *text, size_t len, dmarc_uri_t *u);
void dmarc_uri_clear(dmarc_uri_t *u);

#endif
