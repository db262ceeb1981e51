/*
 * DMARC aggregate reports (RFC 7489 appendix C, RFC 9990, and the draft
 * format some reporters still send): the model, and a streaming parser
 * over libxml2's reader.  The parser matches elements by their local
 * names, so the three formats read alike; RFC 9990's additions (np,
 * testing, discovery_method, envelope_from, human_result) are kept.  A
 * document type declaration is refused (no entity is ever expanded, no
 * DTD loaded, nothing fetched), and so is a document deeper than
 * REP_MAX_DEPTH or with more than REP_MAX_ROWS records.
 *
 * Ownership: a rep_feedback_t owns its strings and rows; free it with
 * rep_feedback_clear.
 */
#ifndef AUTHZONE_REPORT_FEEDBACK_H
#define AUTHZONE_REPORT_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REP_MAX_DEPTH	16
#define REP_MAX_ROWS	100000
#define REP_MAX_AUTH	16	/* dkim or spf results kept of a row */
#define REP_MAX_REASONS	8

typedef struct rep_auth {
	char *domain, *selector, *scope, *result, *human;
} rep_auth_t;

typedef struct rep_row {
	char *source_ip;
	uint64_t count;
	char *disposition;	/* none, quarantine, reject */
	char *dkim, *spf;	/* policy_evaluated: pass or fail */
	char *reason[REP_MAX_REASONS], *comment[REP_MAX_REASONS];
	size_t nreasons;
	char *header_from, *envelope_from, *envelope_to;
	rep_auth_t dkim_auth[REP_MAX_AUTH], spf_auth[REP_MAX_AUTH];
	size_t ndkim, nspf;
} rep_row_t;

typedef enum rep_schema {
	REP_DRAFT,		/* no version, or "identities" */
	REP_RFC7489,
	REP_RFC9990,		/* the dmarc-2.0 namespace */
} rep_schema_t;

typedef struct rep_feedback {
	rep_schema_t schema;
	char *org_name, *email, *report_id, *extra_contact;
	char note[300];		/* what was odd and how it was read, or "" */
	int64_t begin, end;
	/* policy_published */
	char *domain, *adkim, *aspf, *p, *sp, *np, *pct, *fo, *testing,
	    *discovery;
	rep_row_t *rows;
	size_t nrows;
	uint64_t messages;	/* the rows' counts added */
} rep_feedback_t;

/** Parses len bytes of XML into fb.  0, or -1 with why (a sentence) when
 * the document is not a report that can be read; fb is cleared then. */
int rep_feedback_parse(rep_feedback_t *fb, const char *xml, size_t len,
    char *why, size_t whylen);
void rep_feedback_clear(rep_feedback_t *fb);

/** A copy of the row's strings (its DMARC, identifiers and first DKIM and
 * SPF results); NULL on no memory.  Free with rep_row_free. */
rep_row_t *rep_row_copy(const rep_row_t *r);
void rep_row_free(rep_row_t *r);

/** True when the row passes DMARC: aligned DKIM or aligned SPF, as the
 * reporter evaluated them. */
bool rep_row_dmarc_pass(const rep_row_t *r);

const char *rep_schema_str(rep_schema_t s);

#endif
