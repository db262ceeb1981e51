/* dmarc-report --state: what a run over new reports changed, as text
 * (nothing when nothing is news) or as one JSON document. */
#ifndef AUTHZONE_CLI_REPORT_WATCH_H
#define AUTHZONE_CLI_REPORT_WATCH_H

#include "cli/common.h"
#include "report/state.h"

typedef struct report_watch_counts {
	size_t added;		/* reports counted by this run */
	size_t before;		/* counted by an earlier run */
	size_t old;		/* older than the state keeps */
	size_t twice;		/* given twice in this run */
} report_watch_counts_t;

/** Prints the news of each domain; with a resolver (--check), why each
 * new failing source fails and the fix, and the next stage's record.
 * 1 when a source newly fails, else 0. */
int report_watch_print(const cmd_opts_t *o, const rep_state_news_t *news,
    size_t n, dns_resolver_t *r, const report_watch_counts_t *c);

#endif
