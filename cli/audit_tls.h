/*
 * mail-audit's tls area: each domain's MX lookups go out in the batch's
 * lockstep with its other areas; once a domain has its answers it waits
 * for the round's probes, which run for every waiting domain at once
 * (tls/mx.h), and its tls report is filled from what they saw.
 */
#ifndef AUTHZONE_CLI_AUDIT_TLS_H
#define AUTHZONE_CLI_AUDIT_TLS_H

#include "cli/common.h"
#include "lint/audit.h"
#include "tls/mx.h"

typedef struct audit_tls audit_tls_t;

/** The probes' settings: the trust store of the PEM CAs given (NULL:
 * the system's; --ca-file, read once for HTTPS and SMTP), the SMTP port
 * and the trust-anchor file TLSA records are validated from (NULL: the
 * AD bit); NULL with a message when the store or the anchors cannot be
 * loaded. */
audit_tls_t *audit_tls_new(const cmd_opts_t *o, const char *ca_pem,
    size_t ca_len, unsigned port, const char *trust_anchor);
void audit_tls_free(audit_tls_t *t);

/** One step of domain's tls area over m (zeroed with its domain set at
 * first) into res: 1 when res holds it, 0 when it waits for answers or
 * for the round's probes, -1 on no memory. */
int audit_tls_step(audit_tls_t *t, dns_resolver_t *r, tls_mx_t *m,
    audit_result_t *res);

/** The round's probes, for every domain that asked. */
void audit_tls_round(audit_tls_t *t);
/** Frees what m holds, out of the round's queue if it is there (its
 * domain ended before its probe: the run's deadline). */
void audit_tls_forget(audit_tls_t *t, tls_mx_t *m);

#endif
