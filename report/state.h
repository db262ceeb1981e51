/*
 * dmarc-report --state: what earlier runs over a mailbox that keeps
 * receiving reports have counted, so that each run says only what is new.
 * It keeps
 *   - every report counted (reporter and report id, and the end of the
 *     period it covers), so a report is counted once across runs, however
 *     often it is delivered or read;
 *   - per policy domain, the messages and DMARC passes of each day (the
 *     UTC day a report's period begins) of the last REP_STATE_WINDOW days,
 *     the policy of its latest report, the sources seen failing in that
 *     window (IP and day), and whether it was ready for the next stage.
 * Days, failing sources and report ids older than the window (ids: older
 * than REP_STATE_KEEP days) before the newest report seen are pruned; a
 * report older than that is not counted again.
 *
 * The readiness rule: a domain at p=none or p=quarantine is ready for the
 * next stage when its last REP_STATE_WINDOW days hold reports on at least
 * REP_READY_DAYS days, at least REP_READY_PERMILLE thousandths of those
 * days' messages pass DMARC, and no source newly fails in this run.
 *
 * The file is JSON, written whole (util_file_write) under FILE.lock by the
 * command line:
 *   { "format": "authzone-dmarc-report-state 1", "written": "...",
 *     "reports": [ ["org", "id", end], ... ],
 *     "domains": { "example.com": { "p": "none", "ready": false,
 *       "days": { "2026-12-01": [messages, pass], ... },
 *       "failing": { "192.0.2.1": "2026-12-01", ... } } } }
 * A file that cannot be read or is not this format is refused, never
 * taken for a first run.
 *
 * Ownership: rep_state_t owns everything in it; rep_state_free.
 */
#ifndef AUTHZONE_REPORT_STATE_H
#define AUTHZONE_REPORT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/summary.h"

#define REP_STATE_WINDOW	30	/* days the readiness looks back */
#define REP_STATE_KEEP		90	/* days a report id is kept */
#define REP_READY_DAYS		14
#define REP_READY_PERMILLE	980

typedef struct rep_state rep_state_t;

typedef enum rep_state_status {
	REP_STATE_OK,
	REP_STATE_NEW,		/* no file: the first run */
	REP_STATE_BAD,		/* unreadable, not the format */
} rep_state_status_t;

/** Reads the state at path into *sp (a new one with REP_STATE_NEW); on
 * REP_STATE_BAD, *sp is NULL and err says why. */
rep_state_status_t rep_state_load(const char *path, rep_state_t **sp,
    char *err, size_t errlen);
void rep_state_free(rep_state_t *s);

/** True when an earlier run counted the report (org, id), or when it
 * ends before what the state keeps (*old then). */
bool rep_state_counted(const rep_state_t *s, const char *org,
    const char *id, int64_t end, bool *old);
/** Notes the report as counted; -1 on no memory. */
int rep_state_count(rep_state_t *s, const char *org, const char *id,
    int64_t end);

/* What a run changed for one policy domain */
typedef struct rep_state_news {
	const char *domain;		/* the summary's */
	size_t reports;			/* of this run */
	const rep_source_t **fresh;	/* sources failing, not seen failing
					 * in the window before (the
					 * summary's), most messages first */
	size_t nfresh;
	unsigned days;			/* with reports, in the window */
	uint64_t messages, pass;	/* of those days */
	char p[16];			/* of the latest report */
	const char *next;		/* the next stage, or NULL */
	bool ready, became_ready;	/* by the rule, now / since the
					 * last run */
} rep_state_news_t;

/** Adds what the run's summary (of the reports not counted before)
 * holds to s, and fills news[i] for each of its *n domains (freed with
 * rep_state_news_free).  -1 on no memory. */
int rep_state_update(rep_state_t *s, rep_summary_t *run,
    rep_state_news_t **news, size_t *n);
void rep_state_news_free(rep_state_news_t *news, size_t n);

/** The state as the file's text (the caller frees it); NULL on no
 * memory. */
char *rep_state_text(const rep_state_t *s);

#endif
