#include "lint/spf_macro.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *s;
	size_t n, cap;
	bool bad;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->bad)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (p == NULL) {
			b->bad = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
puts_b(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* The value of a macro letter, before transformers */
static void
letter_value(const spf_macro_ctx_t *c, char letter, struct buf *v)
{
	char tmp[INET6_ADDRSTRLEN + 8];

	switch (tolower((unsigned char)letter)) {
	case 's':
		puts_b(v, c->local);
		puts_b(v, "@");
		puts_b(v, c->sender_domain);
		break;
	case 'l':
		puts_b(v, c->local);
		break;
	case 'o':
		puts_b(v, c->sender_domain);
		break;
	case 'd':
		puts_b(v, c->domain);
		break;
	case 'h':
		puts_b(v, c->helo);
		break;
	case 'i':
		if (c->family == AF_INET) {
			inet_ntop(AF_INET, c->ip, tmp, sizeof(tmp));
			puts_b(v, tmp);
		} else
			for (int i = 0; i < 32; i++) {
				unsigned nib = (c->ip[i / 2] >> (i % 2 ? 0 : 4)) & 15;

				snprintf(tmp, sizeof(tmp), c->upper_hex ? "%s%X" :
				    "%s%x", i ? "." : "", nib);
				puts_b(v, tmp);
			}
		break;
	case 'c':
		inet_ntop(c->family, c->ip, tmp, sizeof(tmp));
		puts_b(v, tmp);
		break;
	case 'v':
		puts_b(v, c->family == AF_INET ? "in-addr" : "ip6");
		break;
	case 'r':
		puts_b(v, c->receiver && *c->receiver ? c->receiver : "unknown");
		break;
	case 't':
		snprintf(tmp, sizeof(tmp), "%lld", (long long)c->now);
		puts_b(v, tmp);
		break;
	case 'p':
		puts_b(v, c->ptr_name ? c->ptr_name(c->ptr_arg, c->domain) :
		    "unknown");
		break;
	}
}

/* Split on delims, maybe reverse, keep the rightmost keep parts, join
 * with dots (RFC 7208 7.3) */
static void
transform(const char *val, const char *delims, bool reverse, unsigned keep,
    struct buf *out)
{
	const char *parts[256];
	size_t lens[256], n = 0;
	const char *p = val;

	for (;;) {
		size_t l = strcspn(p, delims);

		if (n < 256) {
			parts[n] = p;
			lens[n++] = l;
		}
		if (p[l] == '\0')
			break;
		p += l + 1;
	}
	if (reverse)
		for (size_t i = 0; i < n / 2; i++) {
			const char *tp = parts[i];
			size_t tl = lens[i];

			parts[i] = parts[n - 1 - i];
			lens[i] = lens[n - 1 - i];
			parts[n - 1 - i] = tp;
			lens[n - 1 - i] = tl;
		}
	size_t first = keep && keep < n ? n - keep : 0;
	for (size_t i = first; i < n; i++) {
		if (i > first)
			put(out, ".", 1);
		put(out, parts[i], lens[i]);
	}
}

static void
url_escape(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		char hex[4];

		if (isalnum(ch) || strchr("-._~", ch))
			put(out, (const char *)&s[i], 1);
		else {
			snprintf(hex, sizeof(hex), "%%%02X", ch);
			put(out, hex, 3);
		}
	}
}

/* The macro %{...} whose letter is at text[*i], expanded into out; *i
 * moves past its '}'.  -1 when it is malformed. */
static int
macro_expr(const char *text, size_t len, size_t *at,
    const spf_macro_ctx_t *ctx, bool exp_text, struct buf *out)
{
	struct buf val = { 0 }, tr = { 0 };
	size_t i = *at, nd = 0;
	unsigned keep = 0;
	bool reverse = false;
	char letter, delims[8] = "";

	if (i >= len || !strchr("slodiphcrtvSLODIPHCRTV", text[i]) ||
	    text[i] == '\0' || (!exp_text && strchr("crtCRT", text[i])))
		return -1;
	letter = text[i++];
	/* any nonzero number (RFC 7208 7.3): past the number of parts, all
	 * of them */
	while (i < len && isdigit((unsigned char)text[i])) {
		keep = keep * 10 + (unsigned)(text[i++] - '0');
		if (keep > 1000)
			keep = 1000;
	}
	if (i > 0 && isdigit((unsigned char)text[i - 1]) && keep == 0)
		return -1;
	if (i < len && (text[i] == 'r' || text[i] == 'R')) {
		reverse = true;
		i++;
	}
	while (i < len && text[i] && strchr(".-+,/_=", text[i])) {
		if (nd < sizeof(delims) - 1 && !strchr(delims, text[i]))
			delims[nd++] = text[i];
		delims[nd] = '\0';
		i++;
	}
	if (i >= len || text[i] != '}')
		return -1;
	*at = i + 1;
	put(&val, "", 0);
	put(&tr, "", 0);
	letter_value(ctx, letter, &val);
	transform(val.s ? val.s : "", nd ? delims : ".", reverse, keep, &tr);
	if (isupper((unsigned char)letter))
		url_escape(tr.s ? tr.s : "", tr.n, out);
	else
		put(out, tr.s ? tr.s : "", tr.n);
	out->bad |= val.bad || tr.bad;
	free(val.s);
	free(tr.s);
	return 0;
}

char *
spf_macro_expand(const char *text, size_t len, const spf_macro_ctx_t *ctx,
    bool exp_text)
{
	struct buf out = { 0 };
	size_t i = 0;

	put(&out, "", 0);
	while (i < len && !out.bad) {
		unsigned char ch = (unsigned char)text[i];
		const char *lit;

		if (ch != '%') {
			if ((ch < 0x21 && !(exp_text && ch == ' ')) || ch > 0x7e)
				goto bad;
			put(&out, &text[i++], 1);
			continue;
		}
		if (i + 1 >= len)
			goto bad;
		lit = text[i + 1] == '%' ? "%" : text[i + 1] == '_' ? " " :
		    text[i + 1] == '-' ? "%20" : NULL;
		i += 2;
		if (lit)
			put(&out, lit, strlen(lit));
		else if (text[i - 1] != '{' || macro_expr(text, len, &i, ctx,
		    exp_text, &out) != 0)
			goto bad;
	}
	if (out.bad)
		goto bad;
	return out.s;
bad:
	free(out.s);
	return NULL;
}

char *
spf_macro_domain(const char *spec, const spf_macro_ctx_t *ctx)
{
	char *s = spf_macro_expand(spec, strlen(spec), ctx, false);
	size_t n;
	char *p;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	/* RFC 7208 7.3: drop labels from the left until 253 bytes fit */
	p = s;
	while (strlen(p) > 253) {
		char *dot = strchr(p, '.');

		if (dot == NULL)
			break;
		p = dot + 1;
	}
	if (p != s)
		memmove(s, p, strlen(p) + 1);
	return s;
}
