/* A small TAP harness: one line per check, one summary at the end. */
#ifndef AUTHZONE_TESTS_TAP_H
#define AUTHZONE_TESTS_TAP_H

#include <stdbool.h>
#include <stddef.h>

#include "lint/finding.h"

/** Records one check; prints "ok N - what" or "not ok N - what". */
bool tap_check(bool ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Prints a diagnostic line under the last check. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** The codes of f, sorted, space-separated, into out (len bytes). */
void tap_codes(const lint_findings_t *f, char *out, size_t len);

void test_spf_record(void);
void test_dns_zone(void);
void test_findings(void);
void test_zonegen(void);
void test_tagrec(void);
void test_ipset(void);
void test_bimi_files(void);
void test_dns_wire(void);
void test_flatten_state(void);
void test_dmarc(void);
void test_spf_interp(void);
void test_dns_sched(void);
void test_dns_cache(void);
void test_jsonw(void);
void test_util(void);
void test_tlsa(void);
void test_baseline(void);
void test_dkim(void);
void test_batch(void);

#endif
