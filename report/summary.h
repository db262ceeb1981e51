/*
 * What many aggregate reports say together: a report sent twice (the
 * same org_name and report_id) counts once; for each policy domain, the
 * messages by source IP, by reporter and by day, and how many passed
 * DMARC (aligned DKIM or SPF, as the reporters evaluated them), with the
 * dispositions applied.  Memory follows the distinct sources, reporters
 * and days, not the reports: a report is added and can be dropped.
 *
 * Ownership: the summary owns everything in it; free it with
 * rep_summary_free.
 */
#ifndef AUTHZONE_REPORT_SUMMARY_H
#define AUTHZONE_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/feedback.h"

typedef struct rep_count {
	uint64_t messages, pass;	/* pass: DMARC */
	uint64_t dkim_pass, spf_pass;	/* aligned, per the reporters */
	uint64_t none, quarantine, reject;	/* dispositions */
} rep_count_t;

typedef struct rep_source {
	char *domain, *ip;
	rep_count_t c;
	rep_row_t *failed;	/* a row of it that failed DMARC, or NULL */
} rep_source_t;

typedef struct rep_bucket {	/* a reporter, or a day (YYYY-MM-DD) */
	char *domain, *key;
	rep_count_t c;
} rep_bucket_t;

typedef struct rep_domain {
	char *domain;
	rep_count_t c;
	size_t reports;
	int64_t begin, end;	/* the period the reports cover */
	char p[16];		/* the policy of the latest report */
} rep_domain_t;

typedef struct rep_summary rep_summary_t;

rep_summary_t *rep_summary_new(void);
void rep_summary_free(rep_summary_t *s);

/** Adds a report: 1 when added, 0 when it was seen before (a duplicate),
 * -1 on no memory. */
int rep_summary_add(rep_summary_t *s, const rep_feedback_t *fb);
size_t rep_summary_duplicates(const rep_summary_t *s);

/** The stage after policy p (none, quarantine), or NULL after reject. */
const char *rep_next_stage(const char *p);

/** The domains, sources (most messages first), reporters and days (in
 * order), as arrays owned by s, valid until the next add. */
const rep_domain_t *rep_summary_domains(rep_summary_t *s, size_t *n);
const rep_source_t *rep_summary_sources(rep_summary_t *s, size_t *n);
const rep_bucket_t *rep_summary_reporters(rep_summary_t *s, size_t *n);
const rep_bucket_t *rep_summary_days(rep_summary_t *s, size_t *n);

#endif
