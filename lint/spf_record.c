#include "lint/spf_record.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/spf_codes.h"

static const char *const kind_names[] = {
	[SPF_ALL] = "all", [SPF_INCLUDE] = "include", [SPF_A] = "a",
	[SPF_MX] = "mx", [SPF_PTR] = "ptr", [SPF_IP4] = "ip4",
	[SPF_IP6] = "ip6", [SPF_EXISTS] = "exists",
	[SPF_REDIRECT] = "redirect", [SPF_EXP] = "exp",
	[SPF_MODIFIER] = "modifier", [SPF_UNKNOWN] = "unknown",
};

const char *
spf_kind_str(spf_kind_t k)
{
	return kind_names[k];
}

bool
spf_kind_queries(spf_kind_t k)
{
	return k == SPF_INCLUDE || k == SPF_A || k == SPF_MX ||
	    k == SPF_PTR || k == SPF_EXISTS || k == SPF_REDIRECT;
}

bool
spf_record_is_spf(const char *text, size_t len)
{
	return len >= 6 && strncasecmp(text, "v=spf1", 6) == 0 &&
	    (len == 6 || text[6] == ' ');
}

static bool
is_delim(int c)
{
	return c && strchr(".-+,/_=", c) != NULL;
}

/* Scans a macro-string; *macro_end is where its last macro-expand ends */
static int
macro_scan(const char *s, size_t len, bool exp_text, bool *has_macro,
    size_t *macro_end, size_t *at, const char **why)
{
	size_t i = 0;

	*has_macro = false;
	*macro_end = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c != '%') {
			if (c < 0x21 || c > 0x7e) {
				*at = i;
				*why = "character not allowed";
				return -1;
			}
			i++;
			continue;
		}
		*at = i;
		if (i + 1 >= len) {
			*why = "\"%\" at the end";
			return -1;
		}
		if (strchr("%_-", s[i + 1])) {
			i += 2;
			*macro_end = i;
			continue;
		}
		if (s[i + 1] != '{') {
			*why = "\"%\" must be followed by {, %, _ or -";
			return -1;
		}
		i += 2;
		if (i >= len || !strchr("slodiphcrtvSLODIPHCRTV", s[i]) ||
		    s[i] == '\0') {
			*why = "unknown macro letter";
			return -1;
		}
		if (!exp_text && strchr("crtCRT", s[i])) {
			*why = "macro letters c, r and t are allowed only in "
			    "explanation text";
			return -1;
		}
		i++;
		if (i < len && isdigit((unsigned char)s[i])) {
			unsigned long v = 0;

			/* RFC 7208 7.3: any nonzero number; past the
			 * number of parts it keeps them all */
			while (i < len && isdigit((unsigned char)s[i])) {
				v = v * 10 + (unsigned long)(s[i++] - '0');
				if (v > 1000)
					v = 1000;
			}
			if (v == 0) {
				*why = "the digit transformer must not be 0";
				return -1;
			}
		}
		if (i < len && (s[i] == 'r' || s[i] == 'R'))
			i++;
		while (i < len && is_delim(s[i]))
			i++;
		if (i >= len || s[i] != '}') {
			*why = "macro not closed by \"}\"";
			return -1;
		}
		i++;
		*has_macro = true;
		*macro_end = i;
	}
	return 0;
}

int
spf_macro_string_check(const char *s, size_t len, bool exp_text,
    bool *has_macro, size_t *at, const char **why)
{
	size_t end;

	return macro_scan(s, len, exp_text, has_macro, &end, at, why);
}

static bool
toplabel_ok(const char *s, size_t n)
{
	bool alpha = false, hyphen = false;

	if (n == 0 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			hyphen = true;
		else if (isalpha((unsigned char)s[i]))
			alpha = true;
		else if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return alpha || hyphen;
}

int
spf_domain_spec_check(const char *s, size_t len, bool *has_macro,
    size_t *at, const char **why)
{
	size_t end = len, dot, label = 0, mend;

	*at = 0;
	if (len == 0) {
		*why = "empty";
		return -1;
	}
	if (macro_scan(s, len, false, has_macro, &mend, at, why) != 0)
		return -2;
	/* domain-end: a macro-expand, or "." toplabel ["."] */
	if (mend == len)
		goto lengths;
	if (s[end - 1] == '.')
		end--;
	for (dot = end; dot > 0 && s[dot - 1] != '.'; dot--)
		;
	if (dot == 0) {
		*at = 0;
		*why = "a domain needs at least two labels (or to end in a "
		    "macro)";
		return -1;
	}
	if (!toplabel_ok(s + dot, end - dot)) {
		*at = dot;
		*why = "the last label must be letters, digits and inner "
		    "hyphens, not all digits";
		return -1;
	}
lengths:
	if (*has_macro)
		return 0;	/* lengths are checked after expansion */
	for (size_t i = 0; i < end; i++) {
		if (s[i] != '.') {
			if (++label > 63) {
				*at = i;
				*why = "a label is longer than 63 bytes";
				return -1;
			}
			continue;
		}
		if (label == 0) {
			*at = i;
			*why = "empty label";
			return -1;
		}
		label = 0;
	}
	if (end > 253) {
		*at = 253;
		*why = "longer than 253 bytes";
		return -1;
	}
	return 0;
}

static int
cidr_value(const char *s, size_t n, int max)
{
	int v = 0;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > max ? -1 : v;
}

static bool
ip4_parse(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int octet = 0; octet < 4; octet++) {
		size_t start = i;
		int v = 0;

		if (octet > 0) {
			if (i >= n || s[i] != '.')
				return false;
			start = ++i;
		}
		while (i < n && isdigit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return false;
		out[octet] = (uint8_t)v;
	}
	return i == n;
}

struct parser {
	spf_record_t *r;
	const char *domain;
	lint_findings_t *f;
	spf_term_t *t;
};

static void
term_error(struct parser *p, spf_code_t c, size_t off, ...)
{
	va_list ap;

	p->t->bad = true;
	p->r->bad = true;
	va_start(ap, off);
	lint_findings_vadd(p->f, &spf_codes[c], p->domain, (long)off, ap);
	va_end(ap);
}

/* The n bytes at off of the record as a string: in r->strings, a copy
 * of the text where the byte after each string becomes its NUL (a space,
 * "=", "/" or the end: never a byte of another string) */
static char *
term_string(struct parser *p, size_t off, size_t n)
{
	char *d = p->r->strings + off;

	d[n] = '\0';
	return d;
}

/* The first bytes of s (at most max), NUL-terminated, in out: what a
 * message shows of the text in question */
static void
clip(char *out, size_t outlen, const char *s, size_t n, size_t max)
{
	if (n > max)
		n = max;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* A domain-spec at off (record offset) of n bytes */
static void
parse_domain(struct parser *p, size_t off, size_t n)
{
	const char *s = p->r->text + off;
	const char *why;
	size_t at;

	p->t->domain = term_string(p, off, n);
	int rc = spf_domain_spec_check(s, n, &p->t->has_macro, &at, &why);
	char shown[128];

	if (rc == -2)
		term_error(p, SPF_BAD_MACRO, off + at, why);
	else if (rc != 0) {
		clip(shown, sizeof(shown), s, n, 100);
		term_error(p, SPF_BAD_DOMAIN_SPEC, off + at, shown, why);
	}
}

/* The optional "/n" and "//n" at the end of a, mx: the domain's length */
static size_t
parse_dual_cidr(struct parser *p, size_t off, size_t n)
{
	const char *s = p->r->text + off;
	size_t end = n, i;

	for (int pass = 0; pass < 2; pass++) {
		i = end;
		while (i > 0 && isdigit((unsigned char)s[i - 1]))
			i--;
		if (i == 0 || s[i - 1] != '/' || i == end)
			break;
		bool six = i >= 2 && s[i - 2] == '/';

		if (six && pass == 1)
			break;	/* "//n" only comes last */
		int v = cidr_value(s + i, end - i, six ? 128 : 32);
		char text[8];

		if (v < 0) {
			clip(text, sizeof(text), s + i, end - i, 4);
			term_error(p, SPF_BAD_CIDR, off + i, text,
			    six ? "IPv6 prefixes are 0 to 128" :
			    "IPv4 prefixes are 0 to 32");
		}
		if (six) {
			p->t->cidr6 = v;
			end = i - 2;
		} else {
			p->t->cidr4 = v;
			end = i - 1;
			break;
		}
	}
	return end;
}

static void
parse_ip(struct parser *p, size_t off, size_t n, bool six)
{
	const char *s = p->r->text + off;
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	char buf[64];

	clip(buf, sizeof(buf), s, alen, 60);
	if (six ? (alen >= sizeof(buf) || inet_pton(AF_INET6, buf,
	    p->t->addr) != 1) : !ip4_parse(s, alen, p->t->addr)) {
		term_error(p, six ? SPF_BAD_IP6 : SPF_BAD_IP4, off, buf);
		return;
	}
	if (slash) {
		size_t clen = n - alen - 1;
		int v = cidr_value(slash + 1, clen, six ? 128 : 32);

		if (v < 0) {
			clip(buf, sizeof(buf), slash + 1, clen, 8);
			term_error(p, SPF_BAD_CIDR, off + alen + 1, buf, six ?
			    "IPv6 prefixes are 0 to 128" :
			    "IPv4 prefixes are 0 to 32");
		} else if (six)
			p->t->cidr6 = v;
		else
			p->t->cidr4 = v;
	}
}

static const struct {
	const char *name;
	size_t len;
	spf_kind_t kind;
} mechanisms[] = {
	{ "ip4", 3, SPF_IP4 }, { "ip6", 3, SPF_IP6 },
	{ "include", 7, SPF_INCLUDE }, { "a", 1, SPF_A }, { "mx", 2, SPF_MX },
	{ "all", 3, SPF_ALL }, { "ptr", 3, SPF_PTR },
	{ "exists", 6, SPF_EXISTS },
};

static void
parse_modifier(struct parser *p, size_t off, size_t nlen, size_t n)
{
	spf_term_t *t = p->t;
	const char *s = p->r->text + off;
	size_t voff = off + nlen + 1, vlen = n - nlen - 1;

	t->name = term_string(p, off, nlen);
	for (char *c = t->name; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (t->name && strcmp(t->name, "redirect") == 0) {
		t->kind = SPF_REDIRECT;
		parse_domain(p, voff, vlen);
	} else if (t->name && strcmp(t->name, "exp") == 0) {
		t->kind = SPF_EXP;
		parse_domain(p, voff, vlen);
	} else {
		const char *why;
		size_t at;

		t->kind = SPF_MODIFIER;
		t->value = term_string(p, voff, vlen);
		if (spf_macro_string_check(s + nlen + 1, vlen, true,
		    &t->has_macro, &at, &why) != 0) {
			term_error(p, SPF_BAD_MODIFIER, voff + at, t->name, why);
			return;
		}
		for (size_t i = 0; i < sizeof(mechanisms) /
		    sizeof(mechanisms[0]); i++)
			if (t->name && strcmp(t->name, mechanisms[i].name) == 0) {
				spf_finding(p->f, SPF_MECHANISM_AS_MODIFIER,
				    p->domain, (long)off, t->name, t->name);
				return;
			}
		spf_finding(p->f, SPF_UNKNOWN_MODIFIER, p->domain, (long)off,
		    t->name);
	}
}

/* s (n bytes) is word, whose letters are lowercase, in any case */
static bool
same_word(const char *s, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != word[i])
			return false;
	return true;
}

static void
parse_mechanism(struct parser *p, size_t off, size_t n)
{
	spf_term_t *t = p->t;
	const char *s = p->r->text + off;
	size_t nlen = 0, i;
	char name[32];

	while (nlen < n && isalnum((unsigned char)s[nlen]))
		nlen++;
	clip(name, sizeof(name), s, nlen, 31);
	t->kind = SPF_UNKNOWN;
	for (i = 0; i < sizeof(mechanisms) / sizeof(mechanisms[0]); i++)
		if (nlen == mechanisms[i].len &&
		    same_word(s, mechanisms[i].name, nlen)) {
			t->kind = mechanisms[i].kind;
			memcpy(name, mechanisms[i].name, nlen);
			break;
		}
	if (t->kind == SPF_UNKNOWN || (nlen < n && s[nlen] != ':' &&
	    s[nlen] != '/')) {
		char shown[64];

		clip(shown, sizeof(shown), s, n, 60);
		t->kind = SPF_UNKNOWN;
		term_error(p, SPF_UNKNOWN_MECHANISM, off, shown);
		return;
	}
	size_t aoff = off + nlen, alen = n - nlen;	/* from ':' or '/' */

	switch (t->kind) {
	case SPF_ALL:
		if (alen)
			term_error(p, SPF_UNEXPECTED_ARGUMENT, aoff, "all",
			    s[nlen] == ':' ? ":" : "/");
		break;
	case SPF_INCLUDE:
	case SPF_EXISTS:
		if (alen == 0 || s[nlen] != ':' || alen == 1)
			term_error(p, SPF_MISSING_ARGUMENT, aoff, name,
			    "\":\" and a domain");
		else
			parse_domain(p, aoff + 1, alen - 1);
		break;
	case SPF_PTR:
		if (alen && s[nlen] == '/')
			term_error(p, SPF_UNEXPECTED_ARGUMENT, aoff, "ptr", "/");
		else if (alen == 1)
			term_error(p, SPF_MISSING_ARGUMENT, aoff, name,
			    "a domain after \":\"");
		else if (alen)
			parse_domain(p, aoff + 1, alen - 1);
		break;
	case SPF_A:
	case SPF_MX: {
		size_t dlen = parse_dual_cidr(p, aoff, alen);

		if (dlen == 0)
			break;
		if (s[nlen] != ':')
			term_error(p, SPF_UNEXPECTED_ARGUMENT, aoff, name,
			    "this argument");
		else if (dlen == 1)
			term_error(p, SPF_MISSING_ARGUMENT, aoff, name,
			    "a domain after \":\"");
		else
			parse_domain(p, aoff + 1, dlen - 1);
		break;
	}
	case SPF_IP4:
	case SPF_IP6:
		if (alen < 2 || s[nlen] != ':')
			term_error(p, SPF_MISSING_ARGUMENT, aoff, name,
			    "\":\" and an address");
		else
			parse_ip(p, aoff + 1, alen - 1, t->kind == SPF_IP6);
		break;
	default:
		break;
	}
}

static void
parse_term(struct parser *p, size_t off, size_t n)
{
	spf_term_t *t = p->t;
	const char *s = p->r->text + off;
	size_t nlen = 0;

	t->offset = off;
	t->length = n;
	t->qualifier = '+';
	t->cidr4 = t->cidr6 = -1;
	/* a modifier: name "=" ..., where name = ALPHA *(ALPHA/DIGIT/-/_/.) */
	if (isalpha((unsigned char)s[0]))
		while (nlen < n && (isalnum((unsigned char)s[nlen]) ||
		    s[nlen] == '-' || s[nlen] == '_' || s[nlen] == '.'))
			nlen++;
	if (nlen > 0 && nlen < n && s[nlen] == '=') {
		parse_modifier(p, off, nlen, n);
		return;
	}
	if (s[0] == '+' || s[0] == '-' || s[0] == '~' || s[0] == '?') {
		t->qualifier = s[0];
		off++;
		n--;
		if (n == 0) {
			t->kind = SPF_UNKNOWN;
			term_error(p, SPF_UNKNOWN_MECHANISM, off, "");
			return;
		}
	}
	parse_mechanism(p, off, n);
}

/* A record has room for this many terms in its own block */
#define INLINE_TERMS	8

static spf_term_t *
inline_terms(spf_record_t *r)
{
	return (spf_term_t *)(r + 1);
}

/* Room for twice the terms: the first move leaves the inline block */
static int
grow(spf_record_t *r, size_t *cap)
{
	spf_term_t *v, *old = r->terms;

	*cap *= 2;
	v = old == inline_terms(r) ? malloc(*cap * sizeof(*v)) :
	    realloc(old, *cap * sizeof(*v));
	if (v == NULL)
		return -1;
	if (old == inline_terms(r))
		memcpy(v, old, r->nterms * sizeof(*v));
	r->terms = v;
	return 0;
}

/* Where "all", redirect= and exp= are; a modifier given twice is an error
 * (RFC 7208 6) */
static void
places(struct parser *p)
{
	spf_record_t *r = p->r;

	for (size_t i = 0; i < r->nterms; i++) {
		spf_term_t *t = &r->terms[i];
		int *slot = t->kind == SPF_REDIRECT ? &r->redirect :
		    t->kind == SPF_EXP ? &r->exp : NULL;

		if (t->kind == SPF_ALL && r->all < 0 && !t->bad)
			r->all = (int)i;
		if (slot == NULL)
			continue;
		if (*slot >= 0) {
			p->t = t;
			term_error(p, SPF_DUPLICATE_MODIFIER, t->offset,
			    spf_kind_str(t->kind));
		} else
			*slot = (int)i;
	}
}

spf_record_t *
spf_record_parse(const char *text, size_t len, const char *domain,
    lint_findings_t *f)
{
	spf_record_t *r;
	struct parser p = { .domain = domain, .f = f };
	size_t i, cap = 0;

	if (!spf_record_is_spf(text, len)) {
		spf_finding(f, SPF_NOT_SPF, domain, 0);
		return NULL;
	}
	/* the record, room for its first terms, its text and its strings
	 * in one block */
	if ((r = malloc(sizeof(*r) + INLINE_TERMS * sizeof(spf_term_t) +
	    2 * (len + 1))) == NULL)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->terms = (spf_term_t *)(r + 1);
	cap = INLINE_TERMS;
	r->text = (char *)(r->terms + INLINE_TERMS);
	r->strings = r->text + len + 1;
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	memcpy(r->strings, r->text, len + 1);
	r->len = len;
	r->redirect = r->exp = r->all = -1;
	p.r = r;
	for (i = 6; i < len;) {
		size_t start, bad = 0;

		if (text[i] == ' ') {
			i++;
			continue;
		}
		/* to the next space; bytes outside visible ASCII fail the
		 * term at once.  r->text ends in a NUL, which stops the scan
		 * like any byte that is not visible. */
		for (start = i; i < len; i++) {
			unsigned char c = (unsigned char)r->text[i];

			while ((unsigned char)(c - 0x21) <= 0x7e - 0x21)
				c = (unsigned char)r->text[++i];
			if (i >= len || c == ' ')
				break;
			if (bad == 0)
				bad = i + 1;
		}
		if (r->nterms == cap && grow(r, &cap) != 0) {
			spf_record_free(r);
			return NULL;
		}
		p.t = &r->terms[r->nterms++];
		memset(p.t, 0, sizeof(*p.t));
		if (bad) {
			p.t->offset = start;
			p.t->length = i - start;
			p.t->kind = SPF_UNKNOWN;
			p.t->cidr4 = p.t->cidr6 = -1;
			term_error(&p, SPF_BAD_CHAR, bad - 1,
			    (unsigned char)text[bad - 1]);
		} else
			parse_term(&p, start, i - start);
	}
	places(&p);
	return r;
}

void
spf_record_free(spf_record_t *r)
{
	if (r == NULL)
		return;
	if (r->terms != inline_terms(r))
		free(r->terms);
	free(r);
}

int
spf_term_check(const char *name, const char *value, bool modifier,
    char *why, size_t len)
{
	lint_findings_t f;
	char rec[1100];
	spf_record_t *r;
	int n = snprintf(rec, sizeof(rec), "v=spf1 %s%s%s", name, value ?
	    modifier ? "=" : ":" : "", value ? value : "");
	bool ok;

	if (n < 0 || (size_t)n >= sizeof(rec) - 100) {
		snprintf(why, len, "too long");
		return -1;
	}
	lint_findings_init(&f);
	r = spf_record_parse(rec, (size_t)n, NULL, &f);
	ok = r && !r->bad;
	if (!ok)
		snprintf(why, len, "%s", f.n ? f.v[0].message : "not a term");
	spf_record_free(r);
	lint_findings_clear(&f);
	return ok ? 0 : -1;
}
