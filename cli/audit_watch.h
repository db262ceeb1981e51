/*
 * mail-audit --baseline: each domain's audit compared with the one the
 * baseline file holds, only the changes printed (text, or a JSON line a
 * change), the file replaced whole after a complete run.
 */
#ifndef AUTHZONE_CLI_AUDIT_WATCH_H
#define AUTHZONE_CLI_AUDIT_WATCH_H

#include "cli/common.h"
#include "lint/audit.h"

typedef struct audit_watch audit_watch_t;

/** Opens the baseline at path (read only with dry_run): EXIT_CLEAN with
 * *wp, or the status of why not, said on stderr. */
int audit_watch_open(const cmd_opts_t *o, const char *path, bool dry_run,
    audit_watch_t **wp);
/** Prints what changed for res's domain and notes its new state: 1 when
 * something got worse, 3 when its DNS failed (its old state is kept). */
int audit_watch_emit(audit_watch_t *w, const audit_result_t *res);
/** The domains no longer audited, then the new file put in place (not
 * with dry_run); frees w; the status of the step that failed, or 0. */
int audit_watch_close(audit_watch_t *w);

#endif
