/* The findings about SPF records: one row each in spf_codes[]. */
#ifndef AUTHZONE_LINT_SPF_CODES_H
#define AUTHZONE_LINT_SPF_CODES_H

#include "lint/finding.h"

typedef enum spf_code {
	/* record selection, RFC 7208 4.5 */
	SPF_NO_RECORD,
	SPF_MULTIPLE_RECORDS,
	SPF_TYPE99_PRESENT,
	SPF_NOT_SPF,
	/* syntax, RFC 7208 12 */
	SPF_BAD_CHAR,
	SPF_UNKNOWN_MECHANISM,
	SPF_MISSING_ARGUMENT,
	SPF_UNEXPECTED_ARGUMENT,
	SPF_BAD_IP4,
	SPF_BAD_IP6,
	SPF_BAD_CIDR,
	SPF_BAD_DOMAIN_SPEC,
	SPF_BAD_MACRO,
	SPF_BAD_MODIFIER,
	SPF_DUPLICATE_MODIFIER,
	SPF_UNKNOWN_MODIFIER,
	SPF_MECHANISM_AS_MODIFIER,
	SPF_TERMS_AFTER_ALL,
	SPF_REDIRECT_IGNORED,
	/* limits, RFC 7208 4.6.4 */
	SPF_TOO_MANY_LOOKUPS,
	SPF_TOO_MANY_VOID_LOOKUPS,
	SPF_TOO_MANY_MX,
	SPF_PTR_DEPRECATED,
	SPF_INCLUDE_NO_RECORD,
	SPF_REDIRECT_NO_RECORD,
	SPF_INCLUDE_LOOP,
	SPF_MACRO_TARGET,
	SPF_NO_DOMAIN,
	SPF_WALK_TRUNCATED,
	/* policy and size */
	SPF_PASS_ALL,
	SPF_NEUTRAL_ALL,
	SPF_NO_ALL,
	SPF_HOST_BITS,
	SPF_PRIVATE_RANGE,
	SPF_BROAD_RANGE,
	SPF_RECORD_TOO_LONG,
	SPF_ANSWER_TOO_BIG,
	SPF_STRING_TOO_LONG,
	/* DNS */
	SPF_DNS_FAILURE,
	SPF_CODE_COUNT
} spf_code_t;

/** The table of SPF findings, indexed by spf_code_t. */
extern const lint_code_t spf_codes[SPF_CODE_COUNT];

/** Adds a finding of code c; the arguments fill its template. */
int spf_finding(lint_findings_t *f, spf_code_t c, const char *domain,
    long offset, ...);

#endif
