/* DMARC records by RFC 9989's grammar (RFC 7489's under rfc7489). */
#include "lint/dmarc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns.h"
#include "lint/taglist.h"

const lint_code_t dmarc_codes[DMARC_ROWS] = {
	[DMARC_SYNTAX] = { "dmarc-syntax", LINT_ERROR,
	    "the tag list breaks at byte %zu", "RFC 9989 4.7", NULL },
	[DMARC_VERSION] = { "dmarc-version", LINT_ERROR,
	    "the record must start with v=%s", "RFC 9989 4.7", NULL },
	[DMARC_DUPLICATE] = { "dmarc-duplicate-tag", LINT_ERROR,
	    "tag %s appears more than once", "RFC 9989 4.7", NULL },
	[DMARC_BAD_VALUE] = { "dmarc-bad-value", LINT_ERROR,
	    "%s=%s is not a valid value%s", "RFC 9989 4.7", NULL },
	[DMARC_BAD_URI] = { "dmarc-bad-uri", LINT_ERROR,
	    "\"%s\" is not a mailto: or https: URI", "RFC 9989 4.7", NULL },
	[DMARC_EMPTY_RUA] = { "dmarc-empty-rua", LINT_ERROR,
	    "%s= is empty", "RFC 9989 4.7", "remove it or give a URI" },
	[DMARC_NO_P] = { "dmarc-no-policy", LINT_WARNING,
	    "no p= tag: receivers treat the policy as none", "RFC 9989 4.7",
	    NULL },
	[DMARC_P_NOT_SECOND] = { "dmarc-p-not-second", LINT_WARNING,
	    "p= should come right after v=DMARC1 (RFC 7489 receivers ask it)",
	    "RFC 7489 6.4", NULL },
	[DMARC_REMOVED_TAG] = { "dmarc-removed-tag", LINT_WARNING,
	    "%s= was removed by RFC 9989 and is ignored", "RFC 9989 A.6",
	    NULL },
	[DMARC_UNKNOWN_TAG] = { "dmarc-unknown-tag", LINT_WARNING,
	    "unknown tag %s= is ignored", "RFC 9989 4.7", NULL },
	[DMARC_POLICY_NONE] = { "dmarc-policy-none", LINT_WARNING,
	    "%s=none asks receivers to act on nothing", "RFC 9989 4.7",
	    "move on to quarantine, then reject, when the reports allow" },
	[DMARC_TESTING] = { "dmarc-testing", LINT_WARNING,
	    "t=y: the policy is in testing mode", "RFC 9989 4.7", NULL },
	[DMARC_NO_RUA] = { "dmarc-no-rua", LINT_WARNING,
	    "no rua=: no aggregate reports will tell how mail fares",
	    "RFC 9989 4.7", NULL },
	[DMARC_NO_RECORD] = { "dmarc-no-record", LINT_ERROR,
	    "no DMARC record for %s nor any name above it", "RFC 9989 4.10",
	    "publish a record at _dmarc.<domain>" },
	[DMARC_MULTIPLE] = { "dmarc-multiple-records", LINT_ERROR,
	    "%zu DMARC records at %s: receivers discard them all",
	    "RFC 9989 4.10", "keep one" },
	[DMARC_LEADING_SPACE] = { "dmarc-leading-space", LINT_ERROR,
	    "a record at %s starts with whitespace before v=DMARC1: it is "
	    "not a DMARC record", "RFC 9989 4.7", "remove the whitespace" },
	[DMARC_SPF_RECORD] = { "dmarc-spf-record", LINT_ERROR,
	    "an SPF record answers at %s (a wildcard TXT?)", "RFC 9989 4.10",
	    "publish an explicit DMARC record at _dmarc" },
	[DMARC_UNAUTHORIZED] = { "dmarc-external-unauthorized", LINT_WARNING,
	    "%s has not authorized reports for %s: no v=DMARC1 record at %s",
	    "RFC 9989 4.6", "ask the destination to publish it" },
	[DMARC_RUA_NO_MX] = { "dmarc-rua-no-mx", LINT_WARNING,
	    "the report domain %s has no MX record", "RFC 9989 4.7", NULL },
	[DMARC_RUA_NULL_MX] = { "dmarc-rua-null-mx", LINT_ERROR,
	    "the report domain %s accepts no mail (null MX)", "RFC 7505",
	    NULL },
	[DMARC_FOUND_AT] = { "dmarc-found-at", LINT_INFO,
	    "the policy of %s is the record at %s", "RFC 9989 4.10", NULL },
	[DMARC_EFFECTIVE] = { "dmarc-effective-policy", LINT_INFO,
	    "the domain: %s; its subdomains: %s; non-existent subdomains: %s",
	    "RFC 9989 4.7", NULL },
	[DMARC_DISCARDED] = { "dmarc-discarded", LINT_ERROR,
	    "receivers discard this record: %s; it sets no policy",
	    "RFC 9989 4.7", NULL },
	[DMARC_URI_SIZE] = { "dmarc-uri-size", LINT_WARNING,
	    "\"%s\" ends with a size limit, which RFC 9989 removed: its "
	    "receivers ignore it", "RFC 9989 A.6", "remove the !size suffix" },
	[DMARC_PCT] = { "dmarc-pct", LINT_WARNING,
	    "%s", "RFC 7489 6.3", NULL },
};

/* ---- report URIs (RFC 3986, RFC 6068) ---- */

static bool
unreserved(int c)
{
	return isalnum(c) || strchr("-._~", c);
}

static bool
sub_delim(int c)
{
	return c && strchr("!$&'()*+,;=", c);
}

/* URI characters from s to e: unreserved, sub-delims but comma and "!"
 * (which DMARC wants encoded), ":@/?" and %HH; false otherwise */
static bool
uri_chars(const char *s, const char *e, const char *more)
{
	for (; s < e; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%') {
			if (e - s < 3 || !isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]))
				return false;
			s += 2;
		} else if (!unreserved(c) && !(sub_delim(c) && c != ',' &&
		    c != '!') && !strchr(more, c))
			return false;
	}
	return true;
}

/* A host name of LDH labels (a trailing dot allowed), normalized into out */
static bool
host_ok(const char *s, size_t n, char *out, size_t len)
{
	char buf[256];
	size_t label = 0;

	if (n == 0 || n >= sizeof(buf))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum(c) || (c == '-' && label > 0) || c == '_')
			label++;
		else
			return false;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return strchr(buf, '.') != NULL &&
	    util_name_normalize(buf, out, len) == 0;
}

/* mailto:local@domain[?hfields]: one address (DMARC encodes commas) */
static bool
mailto_ok(const char *s, const char *e, char *host, size_t len)
{
	const char *q = memchr(s, '?', (size_t)(e - s)), *end = q ? q : e;
	const char *at = NULL;

	for (const char *p = s; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL || at == s || !uri_chars(s, at, "") ||
	    !host_ok(at + 1, (size_t)(end - at - 1), host, len))
		return false;
	if (q == NULL)
		return true;
	/* hfields = "?" hfield *( "&" hfield ), hfield = hfname "=" hfvalue */
	for (const char *f = q + 1; f <= e; ) {
		const char *amp = memchr(f, '&', (size_t)(e - f)),
		    *fe = amp ? amp : e, *eq = memchr(f, '=', (size_t)(fe - f));

		if (eq == NULL || eq == f || !uri_chars(f, eq, ":@/?") ||
		    !uri_chars(eq + 1, fe, ":@/?="))
			return false;
		f = fe + 1;
	}
	return true;
}

/* https://host[:port][/path][?query][#fragment] */
static bool
https_ok(const char *s, const char *e, char *host, size_t len)
{
	const char *h = s + 8, *he = h, *pe;

	while (he < e && !strchr(":/?#", *he))
		he++;
	if (!host_ok(h, (size_t)(he - h), host, len))
		return false;
	pe = he;
	if (pe < e && *pe == ':') {
		const char *d = ++pe;

		while (pe < e && isdigit((unsigned char)*pe))
			pe++;
		if (pe == d || pe - d > 5 || atoi(d) > 65535)
			return false;
	}
	return pe == e || ((*pe == '/' || *pe == '?' || *pe == '#') &&
	    uri_chars(pe, e, ":@/?#"));
}

int
dmarc_uri_parse(const char *text, size_t len, dmarc_uri_t *u)
{
	const char *e = text + len, *bang = memchr(text, '!', len);
	char host[256];
	bool ok;

	memset(u, 0, sizeof(*u));
	/* the obsolete size limit: "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] */
	if (bang) {
		const char *d = bang + 1;

		while (d < e && isdigit((unsigned char)*d))
			d++;
		if (d == bang + 1 || (d < e && !strchr("kmgtKMGT", *d)) ||
		    (d < e && d + 1 != e))
			return -1;
		u->size = true;
		e = bang;
	}
	/* scheme ":" */
	const char *colon = memchr(text, ':', (size_t)(e - text));

	if (colon == NULL || colon == text || !isalpha((unsigned char)*text))
		return -1;
	for (const char *p = text; p < colon; p++)
		if (!isalnum((unsigned char)*p) && !strchr("+-.", *p))
			return -1;
	if ((size_t)(colon - text) == 6 && strncasecmp(text, "mailto", 6) == 0) {
		ok = mailto_ok(colon + 1, e, host, sizeof(host));
		u->mailto = true;
	} else if ((size_t)(colon - text) == 5 &&
	    strncasecmp(text, "https", 5) == 0 && e - text > 8 &&
	    strncmp(colon, "://", 3) == 0)
		ok = https_ok(text, e, host, sizeof(host));
	else
		return -1;	/* a URI, but no scheme reports go to */
	if (!ok)
		return -1;
	u->uri = strndup(text, len);
	u->host = strdup(host);
	if (u->uri == NULL || u->host == NULL) {
		dmarc_uri_clear(u);
		return -1;
	}
	return 0;
}

void
dmarc_uri_clear(dmarc_uri_t *u)
{
	free(u->uri);
	free(u->host);
	memset(u, 0, sizeof(*u));
}

/* ---- the record ---- */

bool
dmarc_is_record(const char *t)
{
	if (*t != 'v' && *t != 'V')
		return false;
	t++;
	t += strspn(t, " \t");
	if (*t++ != '=')
		return false;
	t += strspn(t, " \t");
	return strncmp(t, "DMARC1", 6) == 0 && (t[6] == '\0' || t[6] == ';' ||
	    t[6] == ' ' || t[6] == '\t');
}

static int
value_in(const char *v, const char *const *set)
{
	for (int i = 0; set[i]; i++)
		if (strcasecmp(v, set[i]) == 0)
			return i;
	return -1;
}

static const char *const policies[] = { "none", "quarantine", "reject",
    NULL };

/* A list Item *(*WSP ":" *WSP Item), where item says how long the item
 * at v is (0: none) */
static bool
colon_list_ok(const char *v, size_t (*item)(const char *))
{
	for (;;) {
		size_t n = item(v);

		if (n == 0)
			return false;
		v += n;
		v += strspn(v, " \t");
		if (*v == '\0')
			return true;
		if (*v++ != ':')
			return false;
		v += strspn(v, " \t");
	}
}

/* fo: one of 0, 1, d, s */
static size_t
fo_item(const char *v)
{
	return *v != '\0' && strchr("01dsDS", *v) ? 1 : 0;
}

bool
dmarc_fo_ok(const char *v)
{
	return colon_list_ok(v, fo_item);
}

bool
dmarc_uri_ok(const char *uri)
{
	dmarc_uri_t u;
	int rc = dmarc_uri_parse(uri, strlen(uri), &u);

	dmarc_uri_clear(&u);
	return rc == 0;
}

/* rf: a Keyword, of the registered formats only: afrf (RFC 7489 6.3,
 * the IANA registry) */
static size_t
rf_item(const char *v)
{
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

	return n == 4 && strncasecmp(v, "afrf", 4) == 0 ? n : 0;
}

static bool
rf_ok(const char *v)
{
	return colon_list_ok(v, rf_item);
}

static bool
number_ok(const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*v))
		return false;
	errno = 0;
	*out = strtoul(v, &end, 10);
	return *end == '\0' && errno == 0 && *out <= max;
}

/* rua= / ruf=: URIs separated by commas, with whitespace around */
static void
uri_list(const lint_tag_t *g, const char *where, bool rfc7489,
    dmarc_uri_t **list, size_t *n, lint_findings_t *f)
{
	const char *s = g->value;

	if (*s == '\0') {
		lint_findings_add(f, &dmarc_codes[DMARC_EMPTY_RUA], where,
		    (long)g->offset, g->name);
		return;
	}
	for (;;) {
		size_t k = strcspn(s, ","), len = k;
		dmarc_uri_t u, *grown;

		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (dmarc_uri_parse(s, len, &u) != 0) {
			char bad[300];

			snprintf(bad, sizeof(bad), "%.*s", (int)len, s);
			lint_findings_add(f, &dmarc_codes[DMARC_BAD_URI], where,
			    (long)(g->value_offset + (size_t)(s - g->value)),
			    bad);
		} else if ((grown = realloc(*list, (*n + 1) *
		    sizeof(*grown))) == NULL)
			dmarc_uri_clear(&u);
		else {
			if (u.size && !rfc7489)
				lint_findings_add(f, &dmarc_codes[DMARC_URI_SIZE],
				    where, (long)(g->value_offset +
				    (size_t)(s - g->value)), u.uri);
			*list = grown;
			(*list)[(*n)++] = u;
		}
		if (s[k] == '\0')
			break;
		s += k + 1;
		s += strspn(s, " \t");
	}
}

/* One tag's value: its meaning into r; false when it is not valid */
static bool
tag_value(const lint_tag_t *g, const char *where, bool rfc7489,
    dmarc_record_t *r, lint_findings_t *f, bool *p_seen)
{
	const char *n = g->name, *v = g->value;
	unsigned long num;
	int k;

	if (!strcasecmp(n, "p") || !strcasecmp(n, "sp") || !strcasecmp(n, "np")) {
		if ((k = value_in(v, policies)) < 0)
			return false;
		if (!strcasecmp(n, "p")) {
			r->p = (dmarc_policy_t)k;
			*p_seen = true;
		} else
			*(!strcasecmp(n, "sp") ? &r->sp : &r->np) =
			    (dmarc_policy_t)k;
		return true;
	}
	if (!strcasecmp(n, "psd")) {
		if ((k = value_in(v, (const char *const[]){ "y", "n", "u",
		    NULL })) < 0)
			return false;
		r->psd = "ynu"[k];
	} else if (!strcasecmp(n, "t")) {
		if ((k = value_in(v, (const char *const[]){ "y", "n",
		    NULL })) < 0)
			return false;
		r->testing = k == 0;
	} else if (!strcasecmp(n, "adkim") || !strcasecmp(n, "aspf")) {
		if ((k = value_in(v, (const char *const[]){ "r", "s",
		    NULL })) < 0)
			return false;
		*(!strcasecmp(n, "adkim") ? &r->adkim : &r->aspf) = "rs"[k];
	} else if (!strcasecmp(n, "fo"))
		return dmarc_fo_ok(v);
	else if (!strcasecmp(n, "rua") || !strcasecmp(n, "ruf"))
		uri_list(g, where, rfc7489, !strcasecmp(n, "rua") ? &r->rua :
		    &r->ruf, !strcasecmp(n, "rua") ? &r->nrua : &r->nruf, f);
	else if (!rfc7489) {
		/* pct, rf, ri: removed; pct still read, for what RFC 7489
		 * receivers make of it */
		if (!strcasecmp(n, "pct") && number_ok(v, 100, &num))
			r->pct = (int)num;
	} else if (!strcasecmp(n, "pct")) {
		if (!number_ok(v, 100, &num))
			return false;
		r->pct = (int)num;
	} else if (!strcasecmp(n, "rf"))
		return rf_ok(v);
	else if (!strcasecmp(n, "ri"))
		return number_ok(v, 4294967295ul, &num);
	return true;
}

static bool
is_known(const char *n, bool *removed)
{
	static const char *const known[] = { "v", "p", "sp", "np", "psd", "t",
	    "adkim", "aspf", "rua", "ruf", "fo", NULL };
	static const char *const gone[] = { "pct", "rf", "ri", NULL };

	*removed = value_in(n, gone) >= 0;
	return *removed || value_in(n, known) >= 0;
}

/* the first tag must be v=DMARC1, at the very start */
static bool
version_first(const lint_taglist_t *t)
{
	return t->n > 0 && t->v[0].offset == 0 &&
	    strcasecmp(t->v[0].name, "v") == 0 &&
	    strcmp(t->v[0].value, "DMARC1") == 0;
}

static const lint_tag_t *
tag_get(const lint_taglist_t *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcasecmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

/* What a receiver makes of the record as a whole */
static void
record_verdict(const lint_taglist_t *t, bool p_seen, bool rfc7489,
    dmarc_record_t *r, const lint_tag_t *sp, const lint_tag_t *np)
{
	const lint_tag_t *p = tag_get(t, "p");

	if (!version_first(t)) {
		snprintf(r->why, sizeof(r->why), "it does not start with "
		    "v=DMARC1");
		return;
	}
	/* RFC 9989 makes p= optional (a missing one is none, with or
	 * without rua=); RFC 7489 6.6.3 takes a record without a valid p=
	 * only for its rua=, and so does RFC 9989 a p= that is not a policy */
	if (!p_seen && r->nrua == 0 && (p != NULL || rfc7489)) {
		snprintf(r->why, sizeof(r->why), "%s and no valid rua= makes "
		    "up for it", p ? "p= is not a policy" : "there is no p=");
		return;
	}
	r->usable = true;
	r->p_assumed = !p_seen;
	/* defaults: sp from p, np from sp (RFC 9989 4.7) */
	if (sp == NULL || value_in(sp->value, policies) < 0)
		r->sp = r->p;
	if (np == NULL || value_in(np->value, policies) < 0)
		r->np = r->sp;
}

void
dmarc_record_parse(const char *text, const char *where, bool rfc7489,
    dmarc_record_t *r, lint_findings_t *f)
{
	lint_taglist_t t;
	size_t at;
	bool p_seen = false, removed;
	const lint_tag_t *d, *p;

	memset(r, 0, sizeof(*r));
	r->psd = 'u';
	r->adkim = r->aspf = 'r';
	r->pct = -1;
	if (lint_taglist_parse(text, strlen(text), &t, &at) != 0)
		lint_findings_add(f, &dmarc_codes[DMARC_SYNTAX], where, (long)at,
		    at);
	if (!version_first(&t))
		lint_findings_add(f, &dmarc_codes[DMARC_VERSION], where, 0L,
		    "DMARC1");
	if ((d = lint_taglist_duplicate(&t)) != NULL)
		lint_findings_add(f, &dmarc_codes[DMARC_DUPLICATE], where,
		    (long)d->offset, d->name);
	for (size_t i = 1; i < t.n; i++) {
		const lint_tag_t *g = &t.v[i];

		if (!is_known(g->name, &removed)) {
			lint_findings_add(f, &dmarc_codes[DMARC_UNKNOWN_TAG],
			    where, (long)g->offset, g->name);
			continue;
		}
		if (strcasecmp(g->name, "v") == 0 || tag_get(&t, g->name) != g)
			continue;	/* reported above */
		if (!tag_value(g, where, rfc7489, r, f, &p_seen))
			lint_findings_add(f, &dmarc_codes[DMARC_BAD_VALUE], where,
			    (long)g->value_offset, g->name, g->value,
			    strcasecmp(g->name, "fo") ? "" : " (want 0, 1, d or "
			    "s, separated by colons)");
		if (removed && !rfc7489)
			lint_findings_add(f, &dmarc_codes[DMARC_REMOVED_TAG],
			    where, (long)g->offset, g->name);
	}
	p = tag_get(&t, "p");
	record_verdict(&t, p_seen, rfc7489, r, tag_get(&t, "sp"),
	    tag_get(&t, "np"));
	if (p == NULL)
		lint_findings_add(f, &dmarc_codes[DMARC_NO_P], where, -1L);
	else if (rfc7489 && t.n > 1 && p != &t.v[1])
		lint_findings_add(f, &dmarc_codes[DMARC_P_NOT_SECOND], where,
		    (long)p->offset);
	if (r->usable && p_seen && r->p == DMARC_P_NONE)
		lint_findings_add(f, &dmarc_codes[DMARC_POLICY_NONE], where,
		    (long)p->offset, "p");
	if (r->usable && (d = tag_get(&t, "sp")) != NULL &&
	    value_in(d->value, policies) == DMARC_P_NONE)
		lint_findings_add(f, &dmarc_codes[DMARC_POLICY_NONE], where,
		    (long)d->offset, "sp");
	if (r->testing)
		lint_findings_add(f, &dmarc_codes[DMARC_TESTING], where,
		    (long)tag_get(&t, "t")->offset);
	if (tag_get(&t, "rua") == NULL)
		lint_findings_add(f, &dmarc_codes[DMARC_NO_RUA], where, -1L);
	if (!r->usable)
		lint_findings_add(f, &dmarc_codes[DMARC_DISCARDED], where, -1L,
		    r->why);
	lint_taglist_clear(&t);
}

void
dmarc_record_clear(dmarc_record_t *r)
{
	for (size_t i = 0; i < r->nrua; i++)
		dmarc_uri_clear(&r->rua[i]);
	for (size_t i = 0; i < r->nruf; i++)
		dmarc_uri_clear(&r->ruf[i]);
	free(r->rua);
	free(r->ruf);
	memset(r, 0, sizeof(*r));
}

void
dmarc_record_check(const char *text, const char *where, bool rfc7489,
    lint_findings_t *f)
{
	dmarc_record_t r;

	dmarc_record_parse(text, where, rfc7489, &r, f);
	dmarc_record_clear(&r);
}

dmarc_policy_t
dmarc_record_policy(const dmarc_record_t *r, bool at_name, bool nonexistent)
{
	if (nonexistent)
		return r->np;
	return at_name ? r->p : r->sp;
}

const char *
dmarc_policy_str(dmarc_policy_t p)
{
	return policies[p];
}

void
dmarc_pct_explain(const dmarc_record_t *r, dmarc_policy_t applied, char *out,
    size_t len)
{
	const char *lower = applied == DMARC_P_REJECT ? "quarantine" :
	    "none";

	if (r->pct < 0 || r->pct >= 100 || applied == DMARC_P_NONE) {
		out[0] = '\0';
		return;
	}
	snprintf(out, len, "pct=%d: receivers that follow RFC 7489 apply %s "
	    "to %d%% of failing mail and %s to the rest; those that follow "
	    "RFC 9989 ignore pct= and apply %s to all of it", r->pct,
	    dmarc_policy_str(applied), r->pct, lower,
	    dmarc_policy_str(applied));
}
