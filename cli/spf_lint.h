/* spf-lint's work: one domain or record, the zone files' records, and
 * the batch, printed as text or JSON. */
#ifndef AUTHZONE_CLI_SPF_LINT_H
#define AUTHZONE_CLI_SPF_LINT_H

#include <stdbool.h>

#include "cli/common.h"

/** Lints one domain (or o->record), as a part of a chain when part
 * says; prints it as text, or adds its JSON object to docs.  Returns its
 * exit status. */
int spf_lint_one(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    bool part, json_t *docs);
/** Lints every SPF record of the zone files loaded into r. */
int spf_lint_zones(const cmd_opts_t *o, dns_resolver_t *r, json_t *docs);
/** Prints the JSON document of docs (one domain's object, or
 * {"domains": [...]} for zone files) with r's counters, and frees docs. */
void spf_lint_json(json_t *docs, bool zones, const dns_resolver_t *r);
/** --batch: the domains of path, JSON Lines; the worst exit status. */
int spf_lint_batch(const cmd_opts_t *o, const char *path);

#endif
