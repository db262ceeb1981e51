/* The SPF parser and the record checks: one row per record, with every
 * finding code it must give (sorted, space-separated; "" for none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/spf_check.h"
#include "lint/spf_codes.h"
#include "lint/spf_record.h"
#include "tests/unit/tap.h"

static const struct {
	const char *record;
	const char *codes;
} rows[] = {
	/* valid records */
	{ "v=spf1 -all", "" },
	{ "v=spf1", "spf-no-all" },
	{ "v=spf1 ", "spf-no-all" },
	{ "V=SPF1 -ALL", "" },
	{ "v=spf1  ip4:85.1.2.3  -all  ", "" },
	{ "v=spf1 ip4:85.1.2.3 ~all", "" },
	{ "v=spf1 ip4:85.1.2.0/24 -all", "" },
	{ "v=spf1 ip4:85.1.2.3/32 -all", "" },
	{ "v=spf1 ip4:85.0.0.0/8 -all", "" },
	{ "v=spf1 ip6:2a00:1450::/32 -all", "" },
	{ "v=spf1 ip6:2a00:1450:4000::1 -all", "" },
	{ "v=spf1 ip6:2a00:1450::/128 -all", "" },
	{ "v=spf1 ip6:::ffff:85.1.2.3 -all", "" },
	{ "v=spf1 IP4:85.1.2.3 -all", "" },
	{ "v=spf1 a -all", "" },
	{ "v=spf1 a/24 -all", "" },
	{ "v=spf1 a//64 -all", "" },
	{ "v=spf1 a/24//64 -all", "" },
	{ "v=spf1 a:mail.example.com -all", "" },
	{ "v=spf1 a:mail.example.com/28 -all", "" },
	{ "v=spf1 a:mail.example.com//48 -all", "" },
	{ "v=spf1 a:mail.example.com/28//48 -all", "" },
	{ "v=spf1 a:mail.example.com. -all", "" },
	{ "v=spf1 mx -all", "" },
	{ "v=spf1 mx:example.com -all", "" },
	{ "v=spf1 mx/30 -all", "" },
	{ "v=spf1 mx:example.com/0//0 -all", "" },
	{ "v=spf1 include:_spf.example.com -all", "" },
	{ "v=spf1 +include:_spf.example.com -all", "" },
	{ "v=spf1 ?include:_spf.example.com -all", "" },
	{ "v=spf1 ~include:_spf.example.com -all", "" },
	{ "v=spf1 -include:_spf.example.com -all", "" },
	{ "v=spf1 exists:%{i}.spf.example.com -all", "" },
	{ "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all", "" },
	{ "v=spf1 exists:%{i}._spf.%{d2} -all", "" },
	{ "v=spf1 include:%{d} -all", "" },
	{ "v=spf1 a:%{d}.example.com -all", "" },
	{ "v=spf1 a:%{h}.example.com -all", "" },
	{ "v=spf1 a:%{o}.example.com -all", "" },
	{ "v=spf1 a:%{v}.example.com -all", "" },
	{ "v=spf1 a:%{s}.example.com -all", "" },
	{ "v=spf1 a:%{S}.example.com -all", "" },
	{ "v=spf1 a:%{l}.example.com -all", "" },
	{ "v=spf1 a:%{L2r.-}.example.com -all", "" },
	{ "v=spf1 a:%{d128}.example.com -all", "" },
	{ "v=spf1 a:%{p}.example.com -all", "" },
	{ "v=spf1 a:%%.example.com -all", "" },
	{ "v=spf1 a:foo%_bar.example.com -all", "" },
	{ "v=spf1 a:foo%-bar.example.com -all", "" },
	{ "v=spf1 a:%{d}", "spf-no-all" },
	{ "v=spf1 ptr -all", "" },
	{ "v=spf1 ptr:example.com -all", "" },
	{ "v=spf1 redirect=_spf.example.com", "" },
	{ "v=spf1 ip4:85.1.2.3 redirect=_spf.example.com", "" },
	{ "v=spf1 redirect=%{d}.example.com", "" },
	{ "v=spf1 -all exp=explain._spf.%{d}", "" },
	{ "v=spf1 exp=explain.example.com -all", "" },
	{ "v=spf1 -all foo=bar", "spf-unknown-modifier" },
	{ "v=spf1 -all moo.cow-far_out=man:dog/cat", "spf-unknown-modifier" },
	{ "v=spf1 -all x-y=%{c}%{r}%{t}", "spf-unknown-modifier" },
	{ "v=spf1 -all foo=", "spf-unknown-modifier" },
	{ "v=spf1 a:example.xn--p1ai -all", "" },
	{ "v=spf1 a:example.c0m -all", "" },
	{ "v=spf1 a:example.1-2 -all", "" },
	{ "v=spf1 a:example.a-1 -all", "" },
	{ "v=spf1 include:a.b.c.d.e.f.example.com -all", "" },
	{ "v=spf1 ip4:85.1.2.3 ip4:85.1.2.4 ip6:2a00::1 a mx -all", "" },
	{ "v=spf1 mx a ip4:85.1.2.3 include:a.example.com include:b.example.com ~all", "" },
	/* selection: not SPF at all */
	{ "v=spf10 -all", "spf-not-spf" },
	{ "v=spf1-all", "spf-not-spf" },
	{ " v=spf1 -all", "spf-not-spf" },
	{ "spf2.0/pra -all", "spf-not-spf" },
	{ "v=DMARC1; p=none", "spf-not-spf" },
	{ "", "spf-not-spf" },
	{ "v=spf", "spf-not-spf" },
	/* characters */
	{ "v=spf1\t-all", "spf-not-spf" },
	{ "v=spf1 -all\t", "spf-bad-char" },
	{ "v=spf1 ip4:85.1.2.3\t-all", "spf-bad-char" },
	{ "v=spf1 a:ex\xc3\xa9.com -all", "spf-bad-char" },
	{ "v=spf1 a:exa\x01mple.com -all", "spf-bad-char" },
	{ "v=spf1 -all\r\n", "spf-bad-char" },
	/* unknown mechanisms */
	{ "v=spf1 ipv4:85.1.2.3 -all", "spf-unknown-mechanism" },
	{ "v=spf1 ip:85.1.2.3 -all", "spf-unknown-mechanism" },
	{ "v=spf1 includes:example.com -all", "spf-unknown-mechanism" },
	{ "v=spf1 foo -all", "spf-unknown-mechanism" },
	{ "v=spf1 -all.", "spf-unknown-mechanism" },
	{ "v=spf1 a: -all", "spf-missing-argument" },
	{ "v=spf1 + -all", "spf-unknown-mechanism" },
	{ "v=spf1 ++all", "spf-unknown-mechanism" },
	{ "v=spf1 *all", "spf-unknown-mechanism" },
	{ "v=spf1 a.example.com -all", "spf-unknown-mechanism" },
	{ "v=spf1 mx,a -all", "spf-unknown-mechanism" },
	{ "v=spf1 ip4=85.1.2.3 -all", "spf-mechanism-as-modifier" },
	{ "v=spf1 include=_spf.example.com -all", "spf-mechanism-as-modifier" },
	{ "v=spf1 a=example.com -all", "spf-mechanism-as-modifier" },
	/* arguments */
	{ "v=spf1 include -all", "spf-missing-argument" },
	{ "v=spf1 include: -all", "spf-missing-argument" },
	{ "v=spf1 include/24 -all", "spf-missing-argument" },
	{ "v=spf1 exists -all", "spf-missing-argument" },
	{ "v=spf1 exists: -all", "spf-missing-argument" },
	{ "v=spf1 ip4 -all", "spf-missing-argument" },
	{ "v=spf1 ip4: -all", "spf-missing-argument" },
	{ "v=spf1 ip6 -all", "spf-missing-argument" },
	{ "v=spf1 ip6/64 -all", "spf-missing-argument" },
	{ "v=spf1 all:example.com", "spf-unexpected-argument" },
	{ "v=spf1 all/24", "spf-unexpected-argument" },
	{ "v=spf1 ptr/24 -all", "spf-unexpected-argument" },
	{ "v=spf1 ptr: -all", "spf-missing-argument" },
	{ "v=spf1 mx: -all", "spf-missing-argument" },
	{ "v=spf1 a:/24 -all", "spf-missing-argument" },
	/* addresses */
	{ "v=spf1 ip4:85.1.2 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:85.1.2.3.4 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:85.1.2.256 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:85.1.02.3 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:085.1.2.3 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:85.1.2.3. -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:mail.example.com -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:2a00::1 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:-1.2.3.4 -all", "spf-bad-ip4" },
	{ "v=spf1 ip4:1.2.3.4/ -all", "spf-bad-cidr" },
	{ "v=spf1 ip6:2a00::g -all", "spf-bad-ip6" },
	{ "v=spf1 ip6:85.1.2.3 -all", "spf-bad-ip6" },
	{ "v=spf1 ip6:2a00:::1 -all", "spf-bad-ip6" },
	{ "v=spf1 ip6:2a00::1%eth0 -all", "spf-bad-ip6" },
	{ "v=spf1 ip6:1:2:3:4:5:6:7:8:9 -all", "spf-bad-ip6" },
	/* prefix lengths */
	{ "v=spf1 ip4:85.1.2.0/33 -all", "spf-bad-cidr" },
	{ "v=spf1 ip4:85.1.2.0/024 -all", "spf-bad-cidr" },
	{ "v=spf1 ip4:85.1.2.0/2x -all", "spf-bad-cidr" },
	{ "v=spf1 ip4:85.1.2.0/-1 -all", "spf-bad-cidr" },
	{ "v=spf1 ip6:2a00::/129 -all", "spf-bad-cidr" },
	{ "v=spf1 ip6:2a00::/0128 -all", "spf-bad-cidr" },
	{ "v=spf1 a/33 -all", "spf-bad-cidr" },
	{ "v=spf1 a//129 -all", "spf-bad-cidr" },
	{ "v=spf1 mx/024 -all", "spf-bad-cidr" },
	{ "v=spf1 a:example.com/33//64 -all", "spf-bad-cidr" },
	{ "v=spf1 a:example.com/24//200 -all", "spf-bad-cidr" },
	{ "v=spf1 a:example.com/24/64 -all", "spf-bad-cidr spf-bad-domain-spec" },
	/* domain-spec */
	{ "v=spf1 a:foo -all", "spf-bad-domain-spec" },
	{ "v=spf1 include:localhost -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:1.2.3.4 -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:example.123 -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:example.-com -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:example.com- -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:example.c_m -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:example..com -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:.example.com -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:example.com.. -all", "spf-bad-domain-spec" },
	{ "v=spf1 include:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.example.com -all", "spf-bad-domain-spec" },
	{ "v=spf1 redirect=foo", "spf-bad-domain-spec" },
	{ "v=spf1 redirect=", "spf-bad-domain-spec" },
	{ "v=spf1 -all exp=", "spf-bad-domain-spec" },
	{ "v=spf1 a:%{d}. -all", "spf-bad-domain-spec" },
	{ "v=spf1 a:%{d}.1 -all", "spf-bad-domain-spec" },
	/* macros */
	{ "v=spf1 a:%{x}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{c}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{r}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{t}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{d0}.example.com -all", "spf-bad-macro" },
	/* RFC 7208 7.3: any nonzero number of parts */
	{ "v=spf1 a:%{d129}.example.com -all", "" },
	{ "v=spf1 a:%{d99999999999}.example.com -all", "" },
	{ "v=spf1 a:%{d.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{dx}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%{d:}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:%d.example.com -all", "spf-bad-macro" },
	{ "v=spf1 a:example.com% -all", "spf-bad-macro" },
	{ "v=spf1 a:%{d2rr}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 exp=%{c}.example.com -all", "spf-bad-macro" },
	{ "v=spf1 redirect=%{r}.example.com", "spf-bad-macro" },
	{ "v=spf1 -all foo=%", "spf-bad-modifier" },
	{ "v=spf1 -all foo=%{z}", "spf-bad-modifier" },
	{ "v=spf1 -all foo=%{d", "spf-bad-modifier" },
	/* modifiers */
	{ "v=spf1 redirect=a.example.com redirect=b.example.com",
	    "spf-duplicate-modifier" },
	{ "v=spf1 -all exp=a.example.com exp=b.example.com",
	    "spf-duplicate-modifier" },
	{ "v=spf1 -all redirect=a.example.com",
	    "spf-redirect-ignored" },
	{ "v=spf1 redirect=a.example.com -all",
	    "spf-redirect-ignored" },
	{ "v=spf1 Redirect=a.example.com", "" },
	{ "v=spf1 -all EXP=a.example.com", "" },
	{ "v=spf1 -redirect=a.example.com", "spf-unknown-mechanism" },
	{ "v=spf1 -all 1foo=bar", "spf-unknown-mechanism" },
	/* order */
	{ "v=spf1 -all ip4:85.1.2.3", "spf-terms-after-all" },
	{ "v=spf1 ~all a mx include:x.example.com", "spf-terms-after-all" },
	{ "v=spf1 -all -all", "spf-terms-after-all" },
	{ "v=spf1 -all exp=x.example.com foo=bar", "spf-unknown-modifier" },
	/* policy */
	{ "v=spf1 +all", "spf-pass-all" },
	{ "v=spf1 all", "spf-pass-all" },
	{ "v=spf1 ip4:85.1.2.3 ?all", "spf-neutral-all" },
	{ "v=spf1 ip4:85.1.2.3", "spf-no-all" },
	{ "v=spf1 ip4:85.1.2.3 mx", "spf-no-all" },
	/* ranges */
	{ "v=spf1 ip4:85.1.2.3/24 -all", "spf-host-bits" },
	{ "v=spf1 ip6:2a00:1450::1/32 -all", "spf-host-bits" },
	{ "v=spf1 ip4:10.0.0.0/8 -all", "spf-private-range" },
	{ "v=spf1 ip4:172.16.5.0/24 -all", "spf-private-range" },
	{ "v=spf1 ip4:172.32.0.0/16 -all", "" },
	{ "v=spf1 ip4:192.168.1.1 -all", "spf-private-range" },
	{ "v=spf1 ip4:127.0.0.1 -all", "spf-private-range" },
	{ "v=spf1 ip4:169.254.1.1 -all", "spf-private-range" },
	{ "v=spf1 ip4:100.64.0.1 -all", "spf-private-range" },
	{ "v=spf1 ip4:100.128.0.1 -all", "" },
	{ "v=spf1 ip4:192.0.2.10 -all", "spf-private-range" },
	{ "v=spf1 ip4:198.51.100.0/24 -all", "spf-private-range" },
	{ "v=spf1 ip4:203.0.113.5 -all", "spf-private-range" },
	{ "v=spf1 ip4:0.0.0.0 -all", "spf-private-range" },
	{ "v=spf1 ip4:240.0.0.1 -all", "spf-private-range" },
	{ "v=spf1 ip6:::1 -all", "spf-private-range" },
	{ "v=spf1 ip6:fd00::1 -all", "spf-private-range" },
	{ "v=spf1 ip6:fe80::1 -all", "spf-private-range" },
	{ "v=spf1 ip6:2001:db8::/48 -all", "spf-private-range" },
	{ "v=spf1 ip6:2001:db9::/48 -all", "" },
	{ "v=spf1 ip4:8.0.0.0/7 -all", "spf-broad-range" },
	{ "v=spf1 ip4:0.0.0.0/0 -all", "spf-broad-range" },
	{ "v=spf1 ip4:85.0.0.0/8 -all", "" },
	{ "v=spf1 ip6:2a00::/15 -all", "spf-broad-range" },
	{ "v=spf1 ip6:::/0 -all", "spf-broad-range" },
	{ "v=spf1 ip6:2a00::/16 -all", "" },
	{ "v=spf1 ip4:10.1.2.3/8 -all", "spf-host-bits spf-private-range" },
	/* several at once */
	{ "v=spf1 ip4:1.2.3 ipv6:x a:foo -all", "spf-bad-domain-spec spf-bad-ip4 spf-unknown-mechanism" },
	{ "v=spf1 +all ip4:85.1.2.3 redirect=x.example.com",
	    "spf-pass-all spf-redirect-ignored spf-terms-after-all" },
	/* size */
	{ "v=spf1 ip4:85.1.1.1 ip4:85.1.1.2 ip4:85.1.1.3 ip4:85.1.1.4 ip4:85.1.1.5 "
	  "ip4:85.1.1.6 ip4:85.1.1.7 ip4:85.1.1.8 ip4:85.1.1.9 ip4:85.1.1.10 "
	  "ip4:85.1.1.11 ip4:85.1.1.12 ip4:85.1.1.13 ip4:85.1.1.14 ip4:85.1.1.15 "
	  "ip4:85.1.1.16 ip4:85.1.1.17 ip4:85.1.1.18 ip4:85.1.1.19 ip4:85.1.1.20 "
	  "ip4:85.1.1.21 ip4:85.1.1.22 ip4:85.1.1.23 ip4:85.1.1.24 ip4:85.1.1.25 "
	  "ip4:85.1.1.26 ip4:85.1.1.27 ip4:85.1.1.28 ip4:85.1.1.29 ip4:85.1.1.30 "
	  "ip4:85.1.1.31 ip4:85.1.1.32 ip4:85.1.1.33 ip4:85.1.1.34 ip4:85.1.1.35 -all",
	    "spf-record-too-long" },
};

/* Offsets: the first finding of the record is at this byte */
static const struct {
	const char *record;
	const char *code;
	long offset;
} offsets[] = {
	{ "v=spf1 ipv4:85.1.2.3 -all", "spf-unknown-mechanism", 7 },
	{ "v=spf1 -all ip4:85.1.2.3", "spf-terms-after-all", 7 },
	{ "v=spf1 ip4:85.1.2.0/33 -all", "spf-bad-cidr", 20 },
	{ "v=spf1 a:example.com/24//200 -all", "spf-bad-cidr", 25 },
	{ "v=spf1 a:%{x}.example.com -all", "spf-bad-macro", 9 },
	{ "v=spf1 a:example.123 -all", "spf-bad-domain-spec", 17 },
	{ "v=spf1 a:example..com -all", "spf-bad-domain-spec", 17 },
	{ "v=spf1 mx ip4:85.1.2.3\t-all", "spf-bad-char", 22 },
	{ "v=spf1 ip4:85.1.2.3/24 -all", "spf-host-bits", 7 },
	{ "v=spf1 mx -all foo=%{d", "spf-bad-modifier", 19 },
	{ "v=spf1 a redirect=a.example.com redirect=b.example.com",
	    "spf-duplicate-modifier", 32 },
};

/* the record with bytes outside printable ASCII as \xNN, for TAP lines */
static const char *
shown(const char *s)
{
	static char buf[2048];
	size_t o = 0;

	for (; *s && o + 5 < sizeof(buf); s++)
		if (*s >= 0x20 && *s < 0x7f)
			buf[o++] = *s;
		else
			o += (size_t)snprintf(buf + o, 5, "\\x%02x",
			    (unsigned char)*s);
	buf[o] = '\0';
	return buf;
}

static spf_record_t *
lint(const char *text, lint_findings_t *f)
{
	spf_record_t *r = spf_record_parse(text, strlen(text), "example.com",
	    f);

	if (r)
		spf_record_check(r, "example.com", true, f);
	return r;
}

static void
test_structure(void)
{
	lint_findings_t f;
	spf_record_t *r;

	lint_findings_init(&f);
	r = lint("v=spf1 -ip4:85.1.2.0/24 a:mail.example.com/28//64 "
	    "mx ~include:_spf.example.net exp=x.example.com ?all", &f);
	tap_check(r && r->nterms == 6, "six terms parsed");
	if (r && r->nterms == 6) {
		tap_check(r->terms[0].kind == SPF_IP4 &&
		    r->terms[0].qualifier == '-' && r->terms[0].cidr4 == 24 &&
		    r->terms[0].addr[0] == 85 && r->terms[0].addr[2] == 2,
		    "ip4 term: qualifier, address and prefix");
		tap_check(r->terms[1].kind == SPF_A &&
		    strcmp(r->terms[1].domain, "mail.example.com") == 0 &&
		    r->terms[1].cidr4 == 28 && r->terms[1].cidr6 == 64,
		    "a term: domain and dual prefix");
		tap_check(r->terms[2].kind == SPF_MX &&
		    r->terms[2].domain == NULL && r->terms[2].cidr4 == -1,
		    "bare mx: no domain, no prefix");
		tap_check(r->terms[3].qualifier == '~' &&
		    r->terms[3].offset == 53 && r->terms[3].length == 25,
		    "include: qualifier, offset and length");
		tap_check(r->exp == 4 && r->all == 5 && r->redirect == -1,
		    "exp and all located");
		tap_check(spf_kind_queries(SPF_INCLUDE) &&
		    !spf_kind_queries(SPF_IP4) && !spf_kind_queries(SPF_EXP),
		    "which terms cost a lookup");
	}
	spf_record_free(r);
	lint_findings_clear(&f);
}

void
test_spf_record(void)
{
	size_t nrows = sizeof(rows) / sizeof(rows[0]);
	char got[1024];

	for (size_t i = 0; i < nrows; i++) {
		lint_findings_t f;
		spf_record_t *r;

		lint_findings_init(&f);
		r = lint(rows[i].record, &f);
		tap_codes(&f, got, sizeof(got));
		if (!tap_check(strcmp(got, rows[i].codes) == 0,
		    "parse \"%s\"", shown(rows[i].record)))
			tap_diag("got \"%s\", want \"%s\"", got, rows[i].codes);
		spf_record_free(r);
		lint_findings_clear(&f);
	}
	tap_check(nrows >= 150, "%zu records in the parser table", nrows);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		lint_findings_t f;
		spf_record_t *r;
		bool ok;

		lint_findings_init(&f);
		r = lint(offsets[i].record, &f);
		ok = f.n > 0 && strcmp(f.v[0].code->code, offsets[i].code) == 0 &&
		    f.v[0].offset == offsets[i].offset;
		if (!tap_check(ok, "%s at offset %ld in \"%s\"", offsets[i].code,
		    offsets[i].offset, shown(offsets[i].record)) && f.n)
			tap_diag("got %s at %ld", f.v[0].code->code,
			    f.v[0].offset);
		spf_record_free(r);
		lint_findings_clear(&f);
	}
	test_structure();
}
