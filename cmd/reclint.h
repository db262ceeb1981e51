/* What the TXT-record linters share: fetching the records at a name (or
 * the --record text), and printing a report. */
#ifndef AUTHZONE_CMD_RECLINT_H
#define AUTHZONE_CMD_RECLINT_H

#include "cmd/common.h"

/** The TXT records at owner, each with its strings joined, or the
 * --record text alone.  Returns EXIT_CLEAN with *texts (the caller frees
 * them with cmd_texts_free; none when the name has no TXT), or EXIT_DNS
 * after saying why on stderr. */
int cmd_txt_fetch(const cmd_opts_t *o, dns_resolver_t *r, const char *owner,
    char ***texts, size_t *n);
void cmd_texts_free(char **texts, size_t n);

/** The text report of one record: the owner, the record and findings. */
void cmd_record_print(const cmd_opts_t *o, const char *owner,
    const char *record, const lint_findings_t *f);
/** The same as a JSON object {owner, record, findings} (new reference). */
json_t *cmd_record_json(const char *owner, const char *record,
    const lint_findings_t *f);

/** A report domain must accept mail: adds no_mx when host has no MX
 * record, null_mx when it has the null MX (RFC 7505), located at owner and
 * offset.  EXIT_DNS when the lookup failed, else EXIT_CLEAN. */
int cmd_report_domain_check(const cmd_opts_t *o, dns_resolver_t *r,
    const char *host, const lint_code_t *no_mx, const lint_code_t *null_mx,
    const char *owner, long offset, lint_findings_t *f);

/** Prints a linter's report of one record: text, or (with --json) the
 * object of cmd_record_json with "domain", the keys of extra (taken) and
 * "dns". */
void cmd_record_report(const cmd_opts_t *o, dns_resolver_t *r,
    const char *domain, const char *owner, const char *record,
    const lint_findings_t *f, json_t *extra);

#endif
