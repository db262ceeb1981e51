/* dmarc-report's output: each report as it is read (JSON or CSV), then
 * the summary (JSON, or the readable text). */
#ifndef AUTHZONE_CLI_DMARC_REPORT_H
#define AUTHZONE_CLI_DMARC_REPORT_H

#include "cli/common.h"
#include "report/check.h"
#include "report/summary.h"
#include "report/tlsrpt.h"

typedef enum { REP_OUT_TEXT, REP_OUT_JSON, REP_OUT_CSV } rep_out_t;

typedef struct rep_printer {
	rep_out_t out;
	jw_t jw;
	size_t reports;
	char **notes;		/* "FILE: REPORTER REPORT_ID: note", for text */
	size_t nnotes;
} rep_printer_t;

void rep_print_begin(rep_printer_t *p);
/** One report read from name, as it is read (JSON: into "reports", with
 * its "note"; CSV: its rows, the note in the last column; text: its note
 * kept for the end). */
void rep_print_report(rep_printer_t *p, const char *name,
    const rep_feedback_t *fb);
/** The summary, and the files refused (name and why, n of them); with a
 * resolver (--check), why each failing source fails. */
void rep_print_end(rep_printer_t *p, rep_summary_t *s, tls_summary_t *t,
    dns_resolver_t *r, char *const *refused, char *const *why, size_t n);

#endif
