#include "lint/mtasts_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns.h"

const lint_code_t mtasts_policy_codes[MP_ROWS] = {
	[MP_SYNTAX] = { "mtasts-policy-syntax", LINT_ERROR,
	    "line %zu is not \"key: value\"", "RFC 8461 3.2", NULL },
	[MP_VERSION] = { "mtasts-policy-version", LINT_ERROR,
	    "the policy must say \"version: STSv1\"", "RFC 8461 3.2", NULL },
	[MP_MODE] = { "mtasts-policy-mode", LINT_ERROR,
	    "mode \"%s\": want enforce, testing or none", "RFC 8461 3.2",
	    NULL },
	[MP_MAX_AGE] = { "mtasts-policy-max-age", LINT_ERROR,
	    "max_age \"%s\": want seconds, at most 31557600", "RFC 8461 3.2",
	    NULL },
	[MP_MAX_AGE_SHORT] = { "mtasts-policy-max-age-short", LINT_WARNING,
	    "max_age %ld is under a day: senders forget the policy quickly",
	    "RFC 8461 3.2", "use a week or more once the policy is stable" },
	[MP_NO_MX] = { "mtasts-policy-no-mx", LINT_ERROR,
	    "no mx: line", "RFC 8461 3.2", NULL },
	[MP_BAD_MX] = { "mtasts-policy-bad-mx", LINT_ERROR,
	    "mx pattern \"%s\": want a host name, or \"*.\" and one",
	    "RFC 8461 3.2", NULL },
	[MP_DUPLICATE] = { "mtasts-policy-duplicate", LINT_ERROR,
	    "\"%s\" appears more than once", "RFC 8461 3.2", NULL },
	[MP_NOT_COVERED] = { "mtasts-mx-not-covered", LINT_ERROR,
	    "the MX host %s matches no mx pattern: senders will not deliver "
	    "to it (enforce)", "RFC 8461 4.1", "add a pattern for it" },
	[MP_NOT_COVERED_TESTING] = { "mtasts-mx-not-covered-testing",
	    LINT_WARNING, "the MX host %s matches no mx pattern (testing: "
	    "reported, not enforced)", "RFC 8461 4.1", "add a pattern for it" },
	[MP_FETCH] = { "mtasts-policy-fetch", LINT_ERROR,
	    "the policy at %s cannot be fetched: %s", "RFC 8461 3.3", NULL },
	[MP_TLS] = { "mtasts-policy-tls", LINT_ERROR,
	    "the policy host's certificate fails: %s", "RFC 8461 3.3",
	    "serve a certificate valid for the mta-sts host" },
	[MP_REDIRECT] = { "mtasts-policy-redirect", LINT_ERROR,
	    "the policy URL redirects (%ld) to %s: senders do not follow",
	    "RFC 8461 3.3", "serve the policy at the URL itself" },
	[MP_HTTP] = { "mtasts-policy-http", LINT_ERROR,
	    "the policy URL answers HTTP %ld", "RFC 8461 3.3", NULL },
	[MP_CONTENT_TYPE] = { "mtasts-policy-content-type", LINT_ERROR,
	    "the policy is served as \"%s\", not text/plain", "RFC 8461 3.2",
	    NULL },
	[MP_NO_TLSRPT] = { "mtasts-no-tlsrpt", LINT_INFO,
	    "no TLS-RPT record at %s: failures to deliver over TLS go "
	    "unreported", "RFC 8460", "publish one (tlsrpt-gen)" },
	[MP_NUL] = { "mtasts-policy-nul", LINT_ERROR,
	    "line %zu holds a NUL byte", "RFC 8461 3.2",
	    "serve the policy as plain text" },
	[MP_LONG_LINE] = { "mtasts-policy-long-line", LINT_ERROR,
	    "line %zu is %zu bytes, over the %d a policy line can use",
	    "RFC 8461 3.2", NULL },
};

#define MAX_POLICY_LINE	1000

void
mtasts_policy_clear(mtasts_policy_t *p)
{
	for (size_t i = 0; i < p->nmx; i++)
		free(p->mx[i]);
	free(p->mx);
	memset(p, 0, sizeof(*p));
}

bool
mtasts_pattern_ok(const char *s)
{
	char norm[256];
	const char *h = strncmp(s, "*.", 2) == 0 ? s + 2 : s;
	const char *last = strrchr(h, '.');

	return util_name_normalize(h, norm, sizeof(norm)) == 0 &&
	    !strchr(h, '*') && last &&
	    strspn(last + 1, "0123456789") != strlen(last + 1);
}

bool
mtasts_mx_match(const char *pattern, const char *host)
{
	if (strncmp(pattern, "*.", 2) != 0)
		return strcasecmp(pattern, host) == 0;
	const char *dot = strchr(host, '.');

	return dot && dot != host && strcasecmp(dot + 1, pattern + 2) == 0;
}

/* What a policy's lines said so far */
struct seen {
	bool version, mode, age;
};

/* One key: value pair; at is the line's offset, v the value's in it */
static void
pair(struct seen *sn, const char *key, const char *val, size_t at,
    size_t v, const char *where, mtasts_policy_t *p, lint_findings_t *f)
{
	const lint_code_t *c = mtasts_policy_codes;
	char *e, **m;
	long age;

	if (strcmp(key, "version") == 0)
		sn->version = strcmp(val, "STSv1") == 0;
	else if (strcmp(key, "mode") == 0) {
		if (sn->mode)
			lint_findings_add(f, &c[MP_DUPLICATE], where, (long)at,
			    "mode");
		sn->mode = true;
		snprintf(p->mode, sizeof(p->mode), "%.15s", val);
		if (strcmp(val, "enforce") && strcmp(val, "testing") &&
		    strcmp(val, "none"))
			lint_findings_add(f, &c[MP_MODE], where, (long)(at + v),
			    val);
	} else if (strcmp(key, "max_age") == 0) {
		if (sn->age)
			lint_findings_add(f, &c[MP_DUPLICATE], where, (long)at,
			    "max_age");
		sn->age = true;
		age = strtol(val, &e, 10);
		if (!*val || *e || age < 0 || age > 31557600 ||
		    strspn(val, "0123456789") != strlen(val))
			lint_findings_add(f, &c[MP_MAX_AGE], where,
			    (long)(at + v), val);
		else if ((p->max_age = age) < 86400)
			lint_findings_add(f, &c[MP_MAX_AGE_SHORT], where,
			    (long)(at + v), age);
	} else if (strcmp(key, "mx") == 0) {
		if (!mtasts_pattern_ok(val))
			lint_findings_add(f, &c[MP_BAD_MX], where,
			    (long)(at + v), val);
		if ((m = realloc(p->mx, (p->nmx + 1) * sizeof(*m))) != NULL) {
			p->mx = m;
			p->mx[p->nmx++] = strdup(val);
		}
	}
	/* other keys are extensions (RFC 8461 3.2) */
}

/* Line number line, n bytes at text + at (its line end cut off) */
static void
policy_line(struct seen *sn, const char *text, size_t at, size_t n,
    size_t line, const char *where, mtasts_policy_t *p, lint_findings_t *f)
{
	const char *s = text + at, *colon = memchr(s, ':', n);
	char key[64], val[512];
	size_t kl, vs;

	if (memchr(s, '\0', n) != NULL) {
		lint_findings_add(f, &mtasts_policy_codes[MP_NUL], where,
		    (long)at, line);
		return;
	}
	if (n > MAX_POLICY_LINE) {
		lint_findings_add(f, &mtasts_policy_codes[MP_LONG_LINE], where,
		    (long)at, line, n, MAX_POLICY_LINE);
		return;
	}
	if (n == 0)
		return;
	if (colon == NULL || colon == s) {
		lint_findings_add(f, &mtasts_policy_codes[MP_SYNTAX], where,
		    (long)at, line);
		return;
	}
	kl = (size_t)(colon - s);
	for (vs = kl + 1; vs < n && (s[vs] == ' ' || s[vs] == '\t'); vs++)
		;
	snprintf(key, sizeof(key), "%.*s", (int)(kl > 63 ? 63 : kl), s);
	snprintf(val, sizeof(val), "%.*s", (int)(n - vs > 511 ? 511 : n - vs),
	    s + vs);
	for (size_t k = strlen(val); k > 0 && (val[k - 1] == ' ' ||
	    val[k - 1] == '\t'); k--)
		val[k - 1] = '\0';
	pair(sn, key, val, at, vs, where, p, f);
}

void
mtasts_policy_check(const char *text, size_t len, const char *where,
    mtasts_policy_t *p, lint_findings_t *f)
{
	struct seen sn = { false, false, false };
	size_t line = 0, i = 0;

	memset(p, 0, sizeof(*p));
	p->max_age = -1;
	while (i < len) {
		size_t end = i, n;

		while (end < len && text[end] != '\n')
			end++;
		n = end - i;
		if (n > 0 && text[i + n - 1] == '\r')
			n--;
		policy_line(&sn, text, i, n, ++line, where, p, f);
		i = end + 1;
	}
	if (!sn.version)
		lint_findings_add(f, &mtasts_policy_codes[MP_VERSION], where, 0L);
	if (!sn.mode)
		lint_findings_add(f, &mtasts_policy_codes[MP_MODE], where, -1L,
		    "");
	if (!sn.age)
		lint_findings_add(f, &mtasts_policy_codes[MP_MAX_AGE], where, -1L,
		    "");
	if (p->nmx == 0 && strcmp(p->mode, "none") != 0)
		lint_findings_add(f, &mtasts_policy_codes[MP_NO_MX], where, -1L);
}

void
mtasts_policy_cover(const mtasts_policy_t *p, const char *const *hosts,
    size_t n, const char *where, lint_findings_t *f)
{
	if (strcmp(p->mode, "none") == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		bool ok = false;

		for (size_t k = 0; k < p->nmx && !ok; k++)
			ok = mtasts_mx_match(p->mx[k], hosts[i]);
		if (!ok)
			lint_findings_add(f, &mtasts_policy_codes[strcmp(p->mode,
			    "enforce") == 0 ? MP_NOT_COVERED :
			    MP_NOT_COVERED_TESTING], where, -1L, hosts[i]);
	}
}
