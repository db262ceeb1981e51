/*
 * TLS-RPT aggregate reports (RFC 8460 4): the JSON document, read with
 * jansson, and what many of them say together per policy domain: the
 * successful and failed sessions of each policy (type and MX hosts) and
 * the failures by result type and receiving MX host.  A report sent
 * twice (the same organization-name and report-id) counts once.
 *
 * Ownership: the summary owns its strings; a report is read, added and
 * dropped.
 */
#ifndef AUTHZONE_REPORT_TLSRPT_H
#define AUTHZONE_REPORT_TLSRPT_H

#include <stddef.h>
#include <stdint.h>

typedef struct tls_line {	/* a policy, or a kind of failure */
	char *domain, *a, *b;	/* policy: type, MX hosts; failure:
				 * result type, receiving MX host */
	uint64_t ok, failed;
} tls_line_t;

typedef struct tls_summary tls_summary_t;

tls_summary_t *tls_summary_new(void);
void tls_summary_free(tls_summary_t *s);

/** Reads len bytes of JSON as a TLS-RPT report and adds it: 1 added, 0 a
 * duplicate, -1 with why when it is not a report that can be read. */
int tls_summary_add(tls_summary_t *s, const char *json, size_t len,
    char *why, size_t whylen);
size_t tls_summary_reports(const tls_summary_t *s);
size_t tls_summary_duplicates(const tls_summary_t *s);
/** The policies and the failures, sorted by domain, then by what they
 * are; owned by s, valid until the next add. */
const tls_line_t *tls_summary_policies(tls_summary_t *s, size_t *n);
const tls_line_t *tls_summary_failures(tls_summary_t *s, size_t *n);

#endif
