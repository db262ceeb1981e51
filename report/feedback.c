#include "report/feedback.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#define NS_9990		"urn:ietf:params:xml:ns:dmarc-2.0"
#define MAX_TEXT	4096	/* bytes of one element's text */

struct parse {
	rep_feedback_t *fb;
	const char *path[REP_MAX_DEPTH + 1];	/* local names, interned */
	int depth;
	rep_row_t *row;		/* the record being read */
	bool identities;	/* the draft's name for identifiers */
	char *why;
	size_t whylen;
};

static const char *const schema_names[] = {
	[REP_DRAFT] = "draft", [REP_RFC7489] = "rfc7489",
	[REP_RFC9990] = "rfc9990",
};

const char *
rep_schema_str(rep_schema_t s)
{
	return schema_names[s];
}

static void
auth_clear(rep_auth_t *a)
{
	free(a->domain);
	free(a->selector);
	free(a->scope);
	free(a->result);
	free(a->human);
}

static void
row_clear(rep_row_t *r)
{
	free(r->source_ip);
	free(r->disposition);
	free(r->dkim);
	free(r->spf);
	for (size_t i = 0; i < r->nreasons; i++) {
		free(r->reason[i]);
		free(r->comment[i]);
	}
	free(r->header_from);
	free(r->envelope_from);
	free(r->envelope_to);
	for (size_t i = 0; i < r->ndkim; i++)
		auth_clear(&r->dkim_auth[i]);
	for (size_t i = 0; i < r->nspf; i++)
		auth_clear(&r->spf_auth[i]);
}

void
rep_feedback_clear(rep_feedback_t *fb)
{
	char **s[] = { &fb->org_name, &fb->email, &fb->report_id,
	    &fb->extra_contact, &fb->domain,
	    &fb->adkim, &fb->aspf, &fb->p, &fb->sp, &fb->np, &fb->pct, &fb->fo,
	    &fb->testing, &fb->discovery };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	for (size_t i = 0; i < fb->nrows; i++)
		row_clear(&fb->rows[i]);
	free(fb->rows);
	memset(fb, 0, sizeof(*fb));
}

static bool
dup(char **to, const char *s)
{
	return s == NULL || (*to = strdup(s)) != NULL;
}

rep_row_t *
rep_row_copy(const rep_row_t *r)
{
	rep_row_t *c = calloc(1, sizeof(*c));
	bool ok = c && dup(&c->source_ip, r->source_ip) &&
	    dup(&c->disposition, r->disposition) && dup(&c->dkim, r->dkim) &&
	    dup(&c->spf, r->spf) && dup(&c->header_from, r->header_from) &&
	    dup(&c->envelope_from, r->envelope_from);

	if (ok && r->ndkim) {
		c->ndkim = 1;
		ok = dup(&c->dkim_auth[0].domain, r->dkim_auth[0].domain) &&
		    dup(&c->dkim_auth[0].selector, r->dkim_auth[0].selector) &&
		    dup(&c->dkim_auth[0].result, r->dkim_auth[0].result);
	}
	if (ok && r->nspf) {
		c->nspf = 1;
		ok = dup(&c->spf_auth[0].domain, r->spf_auth[0].domain) &&
		    dup(&c->spf_auth[0].result, r->spf_auth[0].result);
	}
	if (c)
		c->count = r->count;
	if (!ok) {
		rep_row_free(c);
		c = NULL;
	}
	return c;
}

void
rep_row_free(rep_row_t *r)
{
	if (r)
		row_clear(r);
	free(r);
}

bool
rep_row_dmarc_pass(const rep_row_t *r)
{
	return (r->dkim && strcmp(r->dkim, "pass") == 0) ||
	    (r->spf && strcmp(r->spf, "pass") == 0);
}

static int
fail(struct parse *p, const char *fmt, const char *arg)
{
	if (p->why[0] == '\0')
		snprintf(p->why, p->whylen, fmt, arg);
	return -1;
}

/* The field of the text at the current path, or NULL when it is not one
 * this reader keeps */
static char **
field(struct parse *p)
{
	rep_feedback_t *fb = p->fb;
	rep_row_t *r = p->row;
	const char *leaf = p->path[p->depth], *up = p->depth > 0 ?
	    p->path[p->depth - 1] : "", *up2 = p->depth > 1 ?
	    p->path[p->depth - 2] : "";
#define IS(a, b) (strcmp((a), (b)) == 0)

	if (IS(up, "report_metadata"))
		return IS(leaf, "org_name") ? &fb->org_name : IS(leaf, "email") ?
		    &fb->email : IS(leaf, "report_id") ? &fb->report_id :
		    IS(leaf, "extra_contact_info") ? &fb->extra_contact : NULL;
	if (IS(up, "policy_published"))
		return IS(leaf, "domain") ? &fb->domain : IS(leaf, "adkim") ?
		    &fb->adkim : IS(leaf, "aspf") ? &fb->aspf : IS(leaf, "p") ?
		    &fb->p : IS(leaf, "sp") ? &fb->sp : IS(leaf, "np") ? &fb->np :
		    IS(leaf, "pct") ? &fb->pct : IS(leaf, "fo") ? &fb->fo :
		    IS(leaf, "testing") ? &fb->testing :
		    IS(leaf, "discovery_method") ? &fb->discovery : NULL;
	if (r == NULL)
		return NULL;
	if (IS(up, "row"))
		return IS(leaf, "source_ip") ? &r->source_ip : NULL;
	if (IS(up, "policy_evaluated"))
		return IS(leaf, "disposition") ? &r->disposition :
		    IS(leaf, "dkim") ? &r->dkim : IS(leaf, "spf") ? &r->spf : NULL;
	if (IS(up, "reason") && r->nreasons)
		return IS(leaf, "type") ? &r->reason[r->nreasons - 1] :
		    IS(leaf, "comment") ? &r->comment[r->nreasons - 1] : NULL;
	if (IS(up, "identifiers") || IS(up, "identities"))
		return IS(leaf, "header_from") ? &r->header_from :
		    IS(leaf, "envelope_from") ? &r->envelope_from :
		    IS(leaf, "envelope_to") ? &r->envelope_to : NULL;
	if (IS(up2, "auth_results") && ((IS(up, "dkim") && r->ndkim) ||
	    (IS(up, "spf") && r->nspf))) {
		rep_auth_t *a = IS(up, "dkim") ? &r->dkim_auth[r->ndkim - 1] :
		    &r->spf_auth[r->nspf - 1];

		return IS(leaf, "domain") ? &a->domain : IS(leaf, "selector") ?
		    &a->selector : IS(leaf, "scope") ? &a->scope :
		    IS(leaf, "result") ? &a->result :
		    IS(leaf, "human_result") ? &a->human : NULL;
	}
	return NULL;
#undef IS
}

static int
on_text(struct parse *p, const char *text)
{
	const char *leaf = p->path[p->depth];
	char **f;

	if (strlen(text) > MAX_TEXT)
		return fail(p, "an element's text is over 4096 bytes (in %s)",
		    leaf);
	if (p->row && strcmp(leaf, "count") == 0 &&
	    strcmp(p->path[p->depth - 1], "row") == 0) {
		char *end;

		errno = 0;
		p->row->count = strtoull(text, &end, 10);
		if (errno || end == text || *end || text[0] == '-')
			return fail(p, "a row's count is not a number: %s", text);
		return 0;
	}
	if (strcmp(leaf, "begin") == 0 || strcmp(leaf, "end") == 0) {
		char *end;
		long long v = strtoll(text, &end, 10);

		if (end == text || *end || v < 0)
			return fail(p, "date_range is not in seconds: %s", text);
		*(strcmp(leaf, "begin") == 0 ? &p->fb->begin : &p->fb->end) = v;
		return 0;
	}
	if ((f = field(p)) != NULL && *f == NULL &&
	    (*f = strdup(text)) == NULL)
		return fail(p, "out of memory%s", "");
	return 0;
}

/* An element opens: rows and results get their slot */
static int
on_open(struct parse *p, const char *name)
{
	rep_feedback_t *fb = p->fb;
	const char *up = p->depth > 0 ? p->path[p->depth - 1] : "";

	if (p->depth == 0 && strcmp(name, "feedback") != 0)
		return fail(p, "the root element is <%s>, not <feedback>", name);
	if (strcmp(name, "identities") == 0)
		p->identities = true;
	if (strcmp(name, "record") == 0 && p->depth == 1) {
		rep_row_t *v;

		if (fb->nrows == REP_MAX_ROWS)
			return fail(p, "more than %s records", "100000");
		if ((v = realloc(fb->rows, (fb->nrows + 1) * sizeof(*v))) ==
		    NULL)
			return fail(p, "out of memory%s", "");
		fb->rows = v;
		p->row = &fb->rows[fb->nrows++];
		memset(p->row, 0, sizeof(*p->row));
		p->row->count = 0;
	} else if (p->row && strcmp(name, "reason") == 0 &&
	    p->row->nreasons < REP_MAX_REASONS)
		p->row->nreasons++;
	else if (p->row && strcmp(up, "auth_results") == 0) {
		if (strcmp(name, "dkim") == 0 && p->row->ndkim < REP_MAX_AUTH)
			p->row->ndkim++;
		else if (strcmp(name, "spf") == 0 && p->row->nspf < REP_MAX_AUTH)
			p->row->nspf++;
	}
	return 0;
}

static int
read_nodes(struct parse *p, xmlTextReaderPtr rd)
{
	int rc;

	while ((rc = xmlTextReaderRead(rd)) == 1) {
		int type = xmlTextReaderNodeType(rd);
		int depth = xmlTextReaderDepth(rd);
		const char *name = (const char *)xmlTextReaderConstLocalName(rd);

		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE)
			return fail(p, "a document type declaration or an "
			    "entity: refused%s", "");
		if (depth > REP_MAX_DEPTH)
			return fail(p, "nested deeper than %s elements", "16");
		if (type == XML_READER_TYPE_ELEMENT) {
			p->depth = depth;
			p->path[depth] = (const char *)
			    xmlTextReaderConstString(rd, BAD_CAST name);
			if (depth == 0 && xmlTextReaderConstNamespaceUri(rd) &&
			    strcmp((const char *)xmlTextReaderConstNamespaceUri(
			    rd), NS_9990) == 0)
				p->fb->schema = REP_RFC9990;
			if (on_open(p, name) != 0)
				return -1;
			if (xmlTextReaderIsEmptyElement(rd) &&
			    strcmp(name, "record") == 0)
				p->row = NULL;
		} else if (type == XML_READER_TYPE_TEXT ||
		    type == XML_READER_TYPE_CDATA) {
			p->depth = depth - 1;
			if (on_text(p, (const char *)
			    xmlTextReaderConstValue(rd)) != 0)
				return -1;
		} else if (type == XML_READER_TYPE_END_ELEMENT && depth == 1 &&
		    strcmp(name, "record") == 0)
			p->row = NULL;
	}
	return rc == 0 ? 0 : fail(p, "%s", "not well-formed XML");
}

/* Adds a sentence to the report's note */
static void
note(rep_feedback_t *fb, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(fb->note);

	if (n && n + 2 < sizeof(fb->note))
		memcpy(fb->note + n, "; ", 3), n += 2;
	snprintf(fb->note + n, sizeof(fb->note) - n, fmt, a, b);
}

static bool
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* The reporter's name when org_name is empty or missing, as reporters
 * send it: the domain of <email>, else <extra_contact_info> (its host when
 * it is a URL), else "unknown" */
static int
reporter_name(struct parse *p)
{
	rep_feedback_t *fb = p->fb;
	const char *at = fb->email ? strrchr(fb->email, '@') : NULL, *from;
	char name[256];

	if (at && !blank(at + 1)) {
		snprintf(name, sizeof(name), "%s", at + 1);
		from = "<email>'s domain";
	} else if (!blank(fb->extra_contact)) {
		const char *h = strstr(fb->extra_contact, "://");

		h = h ? h + 3 : fb->extra_contact;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(h, "/:? "), h);
		from = "<extra_contact_info>";
	} else {
		snprintf(name, sizeof(name), "unknown");
		from = "nothing else in report_metadata";
	}
	name[strcspn(name, " \t\r\n>")] = '\0';
	free(fb->org_name);
	if ((fb->org_name = strdup(name)) == NULL)
		return fail(p, "out of memory%s", "");
	note(fb, "<org_name> is empty: the reporter is named %s, from %s",
	    name, from);
	return 0;
}

static int
check(struct parse *p)
{
	rep_feedback_t *fb = p->fb;

	if (blank(fb->org_name) && reporter_name(p) != 0)
		return -1;
	if (fb->report_id == NULL)
		return fail(p, "no %s in report_metadata", "report_id");
	if (fb->domain == NULL)
		return fail(p, "no domain in policy_published%s", "");
	for (size_t i = 0; i < fb->nrows; i++) {
		if (fb->rows[i].source_ip == NULL)
			return fail(p, "a record without source_ip%s", "");
		fb->messages += fb->rows[i].count;
	}
	if (fb->schema != REP_RFC9990)
		fb->schema = p->identities ? REP_DRAFT : REP_RFC7489;
	return 0;
}

/* libxml2's messages stay off stderr: the reason goes to why */
static void
quiet(void *arg, const char *msg, xmlParserSeverities sev,
    xmlTextReaderLocatorPtr loc)
{
	(void)arg;
	(void)msg;
	(void)sev;
	(void)loc;
}

/* nor its generic ones (an encoding error, an I/O error) */
static void
quiet_generic(void *arg, const char *msg, ...)
{
	(void)arg;
	(void)msg;
}

/* The length of the UTF-8 sequence at s (n bytes left), 0 when it is not
 * one (overlong forms, surrogates and code points past U+10FFFF are not) */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 :
	    c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;

	if (k == 0 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return k;
}

/* True when the XML declaration names an encoding other than UTF-8 (which
 * libxml2 then converts), or the document starts with a UTF-16 mark */
static bool
declares_other(const char *xml, size_t len)
{
	char head[256], *e, *q;

	if (len >= 2 && ((xml[0] == '\xfe' && xml[1] == '\xff') ||
	    (xml[0] == '\xff' && xml[1] == '\xfe')))
		return true;
	snprintf(head, sizeof(head), "%.*s", (int)(len < 255 ? len : 255), xml);
	if (strncmp(head, "<?xml", 5) != 0 || (q = strstr(head, "?>")) == NULL)
		return false;
	*q = '\0';
	if ((e = strstr(head, "encoding")) == NULL ||
	    (e = strpbrk(e, "\"'")) == NULL)
		return false;
	return strncasecmp(e + 1, "utf-8", 5) != 0 || (e[6] != '"' &&
	    e[6] != '\'');
}

/* A copy of xml (declared UTF-8, or undeclared) with each byte that is no
 * part of a UTF-8 sequence replaced by U+FFFD, as parsedmarc and browsers
 * read such a report (a reporter's Latin-1 name); NULL when xml is valid
 * or declares another encoding.  *bad: the bytes replaced. */
static char *
utf8_repair(const char *xml, size_t len, size_t *out, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)xml;
	size_t n = 0;
	char *fixed;

	*bad = 0;
	if (declares_other(xml, len))
		return NULL;
	for (size_t i = 0, k; i < len; i += k ? k : 1)
		if ((k = utf8_len(s + i, len - i)) == 0)
			(*bad)++;
	if (*bad == 0 || (fixed = malloc(len + 2 * *bad + 1)) == NULL)
		return NULL;
	for (size_t i = 0, k; i < len; i += k ? k : 1) {
		if ((k = utf8_len(s + i, len - i)) == 0) {
			memcpy(fixed + n, "\xef\xbf\xbd", 3);
			n += 3;
		} else {
			memcpy(fixed + n, s + i, k);
			n += k;
		}
	}
	fixed[n] = '\0';
	*out = n;
	return fixed;
}

int
rep_feedback_parse(rep_feedback_t *fb, const char *xml, size_t len,
    char *why, size_t whylen)
{
	struct parse p = { .fb = fb, .why = why, .whylen = whylen };
	xmlTextReaderPtr rd;
	size_t bad, flen = 0;
	char *fixed, count[32];
	int rc;

	memset(fb, 0, sizeof(*fb));
	why[0] = '\0';
	if (len > INT32_MAX / 3)
		return fail(&p, "%s", "over 700 MiB");
	if ((fixed = utf8_repair(xml, len, &flen, &bad)) != NULL) {
		xml = fixed;
		len = flen;
	} else if (bad)
		return fail(&p, "out of memory%s", "");
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	/* no entities expanded, no DTD loaded, nothing from the network */
	rd = xmlReaderForMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (rd == NULL) {
		free(fixed);
		return fail(&p, "%s", "not XML");
	}
	xmlTextReaderSetErrorHandler(rd, quiet, NULL);
	rc = read_nodes(&p, rd);
	xmlFreeTextReader(rd);
	free(fixed);
	if (rc == 0 && bad) {
		snprintf(count, sizeof(count), "%zu", bad);
		note(fb, "%s byte%s not UTF-8, read as U+FFFD", count,
		    bad == 1 ? " was" : "s were");
	}
	if (rc == 0)
		rc = check(&p);
	if (rc != 0)
		rep_feedback_clear(fb);
	return rc;
}
