/* The MTA-STS policy file (RFC 8461 3.2) and its coverage of MX hosts. */
#ifndef AUTHZONE_LINT_MTASTS_POLICY_H
#define AUTHZONE_LINT_MTASTS_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "lint/finding.h"

typedef struct mtasts_policy {
	char mode[16];		/* "enforce", "testing", "none" or "" */
	long max_age;		/* -1 when absent or bad */
	char **mx;		/* the patterns */
	size_t nmx;
} mtasts_policy_t;

/* The rows of mtasts_policy_codes */
enum mtasts_policy_row {
	MP_SYNTAX, MP_VERSION, MP_MODE, MP_MAX_AGE, MP_MAX_AGE_SHORT, MP_NO_MX,
	MP_BAD_MX, MP_DUPLICATE, MP_NOT_COVERED, MP_NOT_COVERED_TESTING,
	MP_FETCH, MP_TLS, MP_REDIRECT, MP_HTTP, MP_CONTENT_TYPE, MP_NO_TLSRPT,
	MP_NUL, MP_LONG_LINE, MP_ROWS
};

extern const lint_code_t mtasts_policy_codes[MP_ROWS];

/** Parses and checks a policy of len bytes; fills p (cleared by the caller
 * with mtasts_policy_clear) and adds findings located at where. */
void mtasts_policy_check(const char *text, size_t len, const char *where,
    mtasts_policy_t *p, lint_findings_t *f);
void mtasts_policy_clear(mtasts_policy_t *p);
/** RFC 8461 3.2: a host name, or "*." and one; never an address. */
bool mtasts_pattern_ok(const char *pattern);
/** RFC 8461 4.1: host matches pattern ("*." matches exactly one label). */
bool mtasts_mx_match(const char *pattern, const char *host);
/** Adds a finding for every host no pattern covers: an error in enforce
 * mode, a warning otherwise. */
void mtasts_policy_cover(const mtasts_policy_t *p, const char *const *hosts,
    size_t n, const char *where, lint_findings_t *f);

#endif
