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

#endif
