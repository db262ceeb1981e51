/* spf-eval's output: the verdict as text or JSON, and the Received-SPF
 * header of RFC 7208 9.1. */
#ifndef AUTHZONE_CLI_SPF_EVAL_H
#define AUTHZONE_CLI_SPF_EVAL_H

#include <stdio.h>

#include "cli/common.h"
#include "lint/spf_eval.h"

/** Writes "Received-SPF: result (comment) key=value; ..." and a newline. */
void cmd_spf_header(FILE *fp, const spf_outcome_t *out,
    const spf_request_t *q);
/** Prints out: the verdict, what decided, the counts and the header, or
 * with --json one document with the DNS counters of r. */
void cmd_spf_eval_print(const cmd_opts_t *o, dns_resolver_t *r,
    const spf_outcome_t *out, const spf_request_t *q);

#endif
