/*
 * mail-audit's baseline: what the last complete audit found for each
 * domain, and what changed since, classed as worse, better or neutral.
 *
 * A snapshot is the part of an audit that is compared: per area its
 * verdict, its record (a DKIM key as its SHA-256), its findings (code,
 * severity, message) and what the area adds (SPF's lookup counts, the
 * DMARC policy, the MTA-STS mode and the SHA-256 of its policy file).
 *
 * The file is JSON Lines, written whole (temporary file, fsync, rename)
 * under FILE.lock:
 *
 *   {"format":"authzone-mail-audit-baseline 1","written":"2026-12-03T18:00:00Z"}
 *   {"domain":"example.com","verdict":"pass","areas":{...}}     one a domain
 *   {"end":2,"sha256":"<of every line above>"}
 *
 * It is read as it is needed, never whole: opening it reads it through
 * once to check the end line and to note where each domain's line starts
 * (a slot of 24 bytes a domain: its name's hash and its line's offset;
 * the name is read back from the line), and each domain's line is read
 * again when its audit is done.  A file that is not this format,
 * that is cut short or whose hash does not match is refused: a baseline
 * that cannot be trusted is never taken for an empty one.
 */
#ifndef AUTHZONE_LINT_AUDIT_BASELINE_H
#define AUTHZONE_LINT_AUDIT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lint/audit.h"

typedef enum audit_class {
	AUDIT_WORSE, AUDIT_BETTER, AUDIT_NEUTRAL,
} audit_class_t;

extern const char *const audit_class_names[3];	/* "worse", ... */

typedef struct audit_change {
	const char *area;	/* "spf", ..., or "domain" */
	const char *kind;	/* "verdict", "finding", "record", "key",
				 * "lookups", "void-lookups", "policy",
				 * "mode", "sts-policy", "domain" */
	audit_class_t class;
	char owner[256];	/* DKIM: the key's name, else "" */
	char *code;		/* a finding's code, or NULL */
	char *was, *now;	/* the values, either NULL when there is none */
	char *message;
} audit_change_t;

typedef struct audit_changes {
	audit_change_t *v;
	size_t n, cap;
} audit_changes_t;

void audit_changes_clear(audit_changes_t *c);
/** True when one of the changes is worse. */
bool audit_changes_worse(const audit_changes_t *c);

/** The snapshot of res (a new reference), or NULL on no memory. */
json_t *audit_snapshot(const audit_result_t *res);

/** Adds to out what changed from old to now (two snapshots of one
 * domain); -1 on no memory. */
int audit_snapshot_diff(const json_t *old, const json_t *now,
    audit_changes_t *out);

/** Adds the change of a domain that is new to the baseline (first) or
 * that is no longer audited; -1 on no memory. */
int audit_change_domain(audit_changes_t *out, bool first);

typedef struct audit_baseline audit_baseline_t;

typedef enum audit_base_status {
	AUDIT_BASE_OK,		/* the file was read */
	AUDIT_BASE_NEW,		/* no file: this run stores the first */
	AUDIT_BASE_BAD,		/* unreadable, foreign, cut short, corrupt */
	AUDIT_BASE_BUSY,	/* another run holds the lock */
} audit_base_status_t;

/** Opens the baseline at path; with write, takes path.lock (waiting up
 * to lock_wait ms) and starts the new file.  *bp is set unless the
 * status is BAD or BUSY, when err says why. */
audit_base_status_t audit_baseline_open(const char *path, bool write,
    unsigned lock_wait, audit_baseline_t **bp, char *err, size_t errlen);

/** The domains the file holds. */
size_t audit_baseline_count(const audit_baseline_t *b);

/** Puts now in place of domain's stored snapshot, which comes back in
 * *old (a new reference; NULL when the file has none).  A domain given
 * twice is written once (a new one is known by its name's 64-bit hash).
 * -1 with err when the stored line cannot be read again or the new one
 * not written (the commit then fails too). */
int audit_baseline_swap(audit_baseline_t *b, const char *domain,
    const json_t *now, json_t **old, char *err, size_t errlen);
/** Writes domain's stored line again, as it was (its audit failed). */
int audit_baseline_keep(audit_baseline_t *b, const char *domain);

/** Calls fn with each stored domain that was not asked for, in the
 * file's order; -1 when the file cannot be read again. */
int audit_baseline_dropped(audit_baseline_t *b,
    void (*fn)(void *arg, const char *domain), void *arg);

/** Finishes the new file and puts it in place of path: 0 with the
 * domains stored in *n, or -1 with err (path untouched). */
int audit_baseline_commit(audit_baseline_t *b, size_t *n, char *err,
    size_t errlen);

/** Frees b; a new file not committed is removed, the lock released. */
void audit_baseline_free(audit_baseline_t *b);

#endif
