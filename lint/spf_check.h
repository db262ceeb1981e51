/* Checks of one parsed SPF record that need no DNS: policy, ranges, size. */
#ifndef AUTHZONE_LINT_SPF_CHECK_H
#define AUTHZONE_LINT_SPF_CHECK_H

#include <stdbool.h>

#include "lint/finding.h"
#include "lint/spf_record.h"

/** Adds to f what is wrong with rec as published at domain.  top is true
 * for the domain's own record and its redirect targets, whose "all"
 * decides the result; false for included records. */
void spf_record_check(const spf_record_t *rec, const char *domain, bool top,
    lint_findings_t *f);

#endif
