/*
 * Findings are data.  Each record type keeps one table of lint_code_t, one
 * row per stable code; a finding points at its row and carries the message
 * built from the row's template, where it is, and nothing else.  Nothing
 * here prints: cli/ decides how findings look.
 */
#ifndef AUTHZONE_LINT_FINDING_H
#define AUTHZONE_LINT_FINDING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum lint_severity {
	LINT_INFO,
	LINT_WARNING,
	LINT_ERROR,
} lint_severity_t;

typedef struct lint_code {
	const char *code;	/* stable: "spf-too-many-lookups" */
	lint_severity_t severity;
	const char *format;	/* printf template of the message */
	const char *rfc;	/* "RFC 7208 4.6.4", or NULL */
	const char *fix;	/* what to do about it, or NULL */
} lint_code_t;

typedef struct lint_finding {
	const lint_code_t *code;
	char *message;
	char *domain;		/* where: the domain, or NULL */
	long offset;		/* byte offset in that domain's record, or -1 */
	bool borrowed;		/* message and domain are another list's */
} lint_finding_t;

typedef struct lint_findings {
	lint_finding_t *v;
	size_t n, cap;
} lint_findings_t;

/** Empties a list the caller owns. */
void lint_findings_init(lint_findings_t *f);
/** Frees what the list holds; it can be used again after. */
void lint_findings_clear(lint_findings_t *f);
/** Adds a finding with the code's message template filled from the
 * arguments; -1 on no memory. */
int lint_findings_add(lint_findings_t *f, const lint_code_t *code,
    const char *domain, long offset, ...);
int lint_findings_vadd(lint_findings_t *f, const lint_code_t *code,
    const char *domain, long offset, va_list ap);
/** Appends copies of src's findings to dst; -1 on no memory. */
int lint_findings_append(lint_findings_t *dst, const lint_findings_t *src);
/** Appends src's findings to dst without copying their text: src must
 * outlive dst (a walker's summary, kept by the batch); -1 on no memory. */
int lint_findings_share(lint_findings_t *dst, const lint_findings_t *src);
/** How many findings have exactly this severity. */
size_t lint_findings_count(const lint_findings_t *f, lint_severity_t sev);
/** True when a finding with this code is in the list. */
int lint_findings_has(const lint_findings_t *f, const char *code);
/** s as a JSON string (a json_t *, a new reference), whatever its bytes:
 * a byte that is no UTF-8 is the Latin-1 character it is; JSON null for
 * NULL.  Records from DNS and messages quoting them may hold such bytes,
 * which jansson would refuse. */
void *lint_json_text(const char *s);
/** "error", "warning" or "info". */
const char *lint_severity_str(lint_severity_t sev);

#endif
