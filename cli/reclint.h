/* What the TXT-record linters share: printing the report of one check of
 * lint/domain_check.h, and its exit status. */
#ifndef AUTHZONE_CLI_RECLINT_H
#define AUTHZONE_CLI_RECLINT_H

#include <openssl/evp.h>

#include "cli/common.h"
#include "lint/domain_check.h"

/** The text report of one record: the owner, the record and findings. */
void cmd_record_print(const cmd_opts_t *o, const char *owner,
    const char *record, const lint_findings_t *f);
/** The same as a JSON object {owner, record, findings} (new reference). */
json_t *cmd_record_json(const char *owner, const char *record,
    const lint_findings_t *f);

/** Prints a linter's report of one check: text, or (with --json) the
 * object of cmd_record_json with "domain", the keys of extra (taken) and
 * "dns". */
void cmd_record_report(const cmd_opts_t *o, dns_resolver_t *r,
    const char *domain, const lint_report_t *rp, json_t *extra);

/** The exit status of a check: EXIT_DNS after saying on stderr which
 * lookup failed, else that of its findings. */
int cmd_report_status(const cmd_opts_t *o, const lint_report_t *rp);

/** dkim-lint's work: the key record of each selector of domain (compared
 * with key, read from keyfile, when it is given), printed as text or as
 * one JSON document; the worst exit status. */
int cmd_dkim_selectors(const cmd_opts_t *o, dns_resolver_t *r,
    const char *domain, const char *const *sel, size_t n, EVP_PKEY *key,
    const char *keyfile);

#endif
