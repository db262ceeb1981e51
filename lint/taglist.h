/*
 * The tag-list syntax of RFC 6376 3.2, which DKIM key records, DMARC,
 * BIMI, MTA-STS and TLS-RPT records share: tag=value pairs separated by
 * semicolons, with optional whitespace.  One PCRE2 pattern, compiled once,
 * matches a tag-spec at a time and gives the offsets of its parts.
 */
#ifndef AUTHZONE_LINT_TAGLIST_H
#define AUTHZONE_LINT_TAGLIST_H

#include <stddef.h>

typedef struct lint_tag {
	char *name;		/* as written */
	char *value;		/* without the surrounding whitespace */
	size_t offset;		/* of the name in the record */
	size_t value_offset;
} lint_tag_t;

typedef struct lint_taglist {
	lint_tag_t *v;
	size_t n;
} lint_taglist_t;

/** Parses text into tags.  0, or -1 with *err_at the byte offset where
 * the syntax breaks (the tags before it are kept).  The caller clears the
 * list with lint_taglist_clear. */
int lint_taglist_parse(const char *text, size_t len, lint_taglist_t *out,
    size_t *err_at);
void lint_taglist_clear(lint_taglist_t *t);
/** The first tag named name (case-sensitive, as RFC 6376 says), or NULL. */
const lint_tag_t *lint_taglist_get(const lint_taglist_t *t, const char *name);
/** The first tag whose name appears again later, or NULL. */
const lint_tag_t *lint_taglist_duplicate(const lint_taglist_t *t);

#endif
