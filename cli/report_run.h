/* dmarc-report's run: every path read, each report counted as it comes,
 * the files refused named, then the summary. */
#ifndef AUTHZONE_CLI_REPORT_RUN_H
#define AUTHZONE_CLI_REPORT_RUN_H

#include <stdbool.h>

#include "cli/common.h"

typedef struct report_job {
	bool csv;		/* each report's rows, no summary */
	bool check;		/* why each failing source fails, by DNS */
	const char *html;	/* also this page, or NULL */
	const char *state;	/* --state: count each report once across
				 * runs, print only the news */
} report_job_t;

/** Reads the n paths (files, directories, "-") and prints as j says.
 * Returns the exit status: 2 when a file was refused, nothing was read
 * or memory ran out (no summary then), else 0. */
int cmd_dmarc_report(const cmd_opts_t *o, char **paths, int n,
    const report_job_t *j);

#endif
