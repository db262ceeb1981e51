/* mx-tls's work: each domain's MX hosts probed for STARTTLS, their
 * certificates and DANE records judged, printed as a table per MX and
 * address or as JSON. */
#ifndef AUTHZONE_CLI_MX_TLS_H
#define AUTHZONE_CLI_MX_TLS_H

#include "cli/common.h"

typedef struct mx_tls_job {
	const char *host;	/* --host: this host, not the MX set */
	const char *port;	/* --port, checked; NULL: 25 */
	const char *helo;	/* --helo NAME */
	const char *ca_file;	/* --ca-file: the trust store */
	const char *expiry;	/* --expiry-warn DAYS, checked; NULL: 14 */
	const char *next_key;	/* --next-key FILE */
	const char *trust_anchor;	/* --trust-anchor FILE */
	const char *smtp_timeout;	/* --smtp-timeout MS; NULL: 10,000 */
	const char *concurrency;	/* --concurrency N; NULL: 64 */
	const char *batch;	/* --batch FILE */
} mx_tls_job_t;

/** Runs the job over the n domains given (or the batch file's); the exit
 * status: 3 when a lookup failed, 1 for findings at error severity (or
 * warning with --strict), 2 for bad input. */
int cmd_mx_tls(const cmd_opts_t *o, const mx_tls_job_t *j, char **domains,
    int n);

/** mtasts-lint's part: each MX host the policy's patterns cover is
 * probed on port (the trust store: the PEM CAs given, or the system's),
 * and what a sender that honours the policy would refuse is added to f
 * (tls/mx.h, tls_mx_sts_check).  -1 with a message when the trust store
 * cannot be loaded. */
int cmd_sts_certs(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    const char *const *patterns, size_t npatterns, bool enforce,
    const char *ca_pem, size_t ca_len, unsigned port, lint_findings_t *f);

#endif
