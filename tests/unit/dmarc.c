/* DMARC by the letter: records built here from the grammar of RFC 9989
 * (and RFC 7489 with rfc7489), at least 30 for each class of defect that
 * other implementations' vectors found: case, fo=, URIs, the tree walk,
 * the RFC 7489 tags, and records a receiver discards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/dns.h"
#include "lint/dmarc.h"
#include "lint/dmarc_discover.h"
#include "tests/unit/tap.h"

#define RUA "rua=mailto:d@example.com"

/* Parses rec; the findings' codes, sorted by nothing, in *codes */
static bool
parse(const char *rec, bool rfc7489, dmarc_record_t *r, char *codes,
    size_t len)
{
	lint_findings_t f;

	lint_findings_init(&f);
	dmarc_record_parse(rec, "x", rfc7489, r, &f);
	codes[0] = '\0';
	for (size_t i = 0; i < f.n; i++)
		snprintf(codes + strlen(codes), len - strlen(codes), "%s%s",
		    i ? " " : "", f.v[i].code->code);
	lint_findings_clear(&f);
	return r->usable;
}

static bool
has(const char *codes, const char *code)
{
	const char *p = strstr(codes, code);

	return p && (p[strlen(code)] == '\0' || p[strlen(code)] == ' ');
}

/* Values of every quoted string in any case: valid, same meaning */
static void
test_case(void)
{
	static const struct {
		const char *tag, *value;
	} rows[] = {
		{ "p", "ReJect" }, { "p", "NONE" }, { "p", "Quarantine" },
		{ "p", "rEJECT" }, { "p", "QUARANTINE" }, { "p", "None" },
		{ "sp", "NoNe" }, { "sp", "REJECT" }, { "sp", "qUARANTINE" },
		{ "np", "REJECT" }, { "np", "Quarantine" }, { "np", "nONE" },
		{ "adkim", "R" }, { "adkim", "S" }, { "aspf", "R" },
		{ "aspf", "S" }, { "fo", "D" }, { "fo", "S" }, { "fo", "D:S" },
		{ "fo", "0:D" }, { "psd", "Y" }, { "psd", "N" }, { "psd", "U" },
		{ "t", "N" }, { "t", "Y" }, { "P", "reject" }, { "SP", "none" },
		{ "Np", "reject" }, { "ADKIM", "s" }, { "Aspf", "r" },
		{ "FO", "1" }, { "PSD", "n" }, { "T", "n" },
	};
	char rec[256], codes[512];
	dmarc_record_t r;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool is_p = strcmp(rows[i].tag, "p") == 0 ||
		    strcmp(rows[i].tag, "P") == 0;

		snprintf(rec, sizeof(rec), "v=DMARC1; %s%s=%s; " RUA,
		    is_p ? "" : "p=reject; ", rows[i].tag, rows[i].value);
		parse(rec, false, &r, codes, sizeof(codes));
		if (!tap_check(r.usable && !has(codes, "dmarc-bad-value") &&
		    !has(codes, "dmarc-unknown-tag"),
		    "dmarc case: %s=%s is valid", rows[i].tag, rows[i].value))
			tap_diag("%s", codes);
		dmarc_record_clear(&r);
	}
	parse("v=DMARC1; p=ReJect; sp=QuaRantine; np=NONE; " RUA, false, &r,
	    codes, sizeof(codes));
	tap_check(r.p == DMARC_P_REJECT && r.sp == DMARC_P_QUARANTINE &&
	    r.np == DMARC_P_NONE, "dmarc case: the values mean what they say");
	dmarc_record_clear(&r);
	tap_check(parse("V=DMARC1; p=reject; " RUA, false, &r, codes,
	    sizeof(codes)), "dmarc case: V=DMARC1 is a version tag");
	dmarc_record_clear(&r);
	tap_check(!parse("v=dmarc1; p=reject; " RUA, false, &r, codes,
	    sizeof(codes)) && has(codes, "dmarc-version"),
	    "dmarc case: DMARC1 itself is case-sensitive (%%x44 %%x4d ...)");
	dmarc_record_clear(&r);
	tap_check(dmarc_is_record("v = DMARC1; p=none") &&
	    dmarc_is_record("V=DMARC1") && !dmarc_is_record("v=DMARC10") &&
	    !dmarc_is_record("v=Dmarc1") && !dmarc_is_record(" v=DMARC1"),
	    "dmarc case: what the tree walk takes for a record");
}

/* fo = ("0" / "1" / "d" / "s") *(*WSP ":" *WSP ("0" / "1" / "d" / "s")) */
static void
test_fo(void)
{
	static const char *const good[] = {
		"0", "1", "d", "s", "0:1", "0:d", "0:s", "1:0", "1:d", "1:s",
		"d:0", "d:1", "d:s", "s:0", "s:1", "s:d", "0:1:d:s", "s:d:1:0",
		"0 : 1", "d :s", "1: d", "0:0", "D:s", "1:d:s",
	};
	static const char *const bad[] = {
		"00", "11", "dd", "0:", ":", "d::s", ":0", "2", "x", "0:2",
		"0 1", "ds", "0,1", "0;", "d:s:", "::", "01", "sd", "0:1:",
		"e", "0:x", "-1", "1.0", "d: :s", "0:1::d",
	};
	char rec[256], codes[512];
	dmarc_record_t r;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(rec, sizeof(rec), "v=DMARC1; p=reject; fo=%s; " RUA,
		    good[i]);
		parse(rec, false, &r, codes, sizeof(codes));
		if (!tap_check(!has(codes, "dmarc-bad-value"),
		    "dmarc fo: fo=%s is valid", good[i]))
			tap_diag("%s", codes);
		dmarc_record_clear(&r);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(rec, sizeof(rec), "v=DMARC1; p=reject; fo=%s; " RUA,
		    bad[i]);
		parse(rec, false, &r, codes, sizeof(codes));
		if (!tap_check(has(codes, "dmarc-bad-value") ||
		    has(codes, "dmarc-syntax"), "dmarc fo: fo=%s is refused",
		    bad[i]))
			tap_diag("%s", codes);
		dmarc_record_clear(&r);
	}
}

/* rua= and ruf=: RFC 3986 URIs, mailto: as RFC 6068 writes it */
static void
test_uris(void)
{
	static const struct {
		const char *uri, *host;	/* host NULL: refused */
		bool size;
	} rows[] = {
		{ "mailto:d@example.com", "example.com", false },
		{ "MAILTO:d@Example.COM", "example.com", false },
		{ "mailto:d@example.com?subject=x", "example.com", false },
		{ "mailto:d@example.com?subject=DMARC%20report&body=x",
		    "example.com", false },
		{ "mailto:d%2Bx@example.com", "example.com", false },
		{ "mailto:first.last@mail.example.org", "mail.example.org",
		    false },
		{ "mailto:d@example.com!10m", "example.com", true },
		{ "mailto:d@example.com!5", "example.com", true },
		{ "mailto:d@example.com!1g", "example.com", true },
		{ "mailto:re+ports@example.com", "example.com", false },
		{ "mailto:d@example.com.", "example.com", false },
		{ "https://r.example.com/dmarc", "r.example.com", false },
		{ "https://r.example.com", "r.example.com", false },
		{ "https://r.example.com:8443/x?d=example.com",
		    "r.example.com", false },
		{ "https://r.example.com/dmarc!50k", "r.example.com", true },
		{ "HTTPS://R.example.com/a/b", "r.example.com", false },
		{ "mailto:dmarc_rua@_report.example.com", "_report.example.com",
		    false },
		{ "d@example.com", NULL, false },
		{ "mailto:", NULL, false },
		{ "mailto:d", NULL, false },
		{ "mailto:d@", NULL, false },
		{ "mailto:@example.com", NULL, false },
		{ "mailto:d@example..com", NULL, false },
		{ "mailto:d@-example.com", NULL, false },
		{ "mailto:d@example", NULL, false },
		{ "mailto:d e@example.com", NULL, false },
		{ "mailto:d@example.com!", NULL, false },
		{ "mailto:d@example.com!10q", NULL, false },
		{ "mailto:d@example.com!10mm", NULL, false },
		{ "mailto:d!x@example.com", NULL, false },
		{ "mailto:d@example.com?subject", NULL, false },
		{ "mailto:d@example.com?=x", NULL, false },
		{ "mailto:d@exa mple.com", NULL, false },
		{ "mailto:d@example.com%", NULL, false },
		{ "http://r.example.com/dmarc", NULL, false },
		{ "ftp://r.example.com/", NULL, false },
		{ "https://", NULL, false },
		{ "https:///dmarc", NULL, false },
		{ "https://r.example.com:99999/", NULL, false },
		{ "https://r.example.com/<x>", NULL, false },
		{ "://example.com", NULL, false },
		{ "1mailto:d@example.com", NULL, false },
	};
	char codes[512];
	dmarc_record_t r;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		dmarc_uri_t u;
		int rc = dmarc_uri_parse(rows[i].uri, strlen(rows[i].uri), &u);

		if (rows[i].host == NULL)
			tap_check(rc == -1, "dmarc uri: \"%s\" is refused",
			    rows[i].uri);
		else if (!tap_check(rc == 0 && strcmp(u.host, rows[i].host) ==
		    0 && u.size == rows[i].size, "dmarc uri: \"%s\" is valid, "
		    "its domain %s%s", rows[i].uri, rows[i].host,
		    rows[i].size ? ", its size suffix seen" : ""))
			tap_diag("rc %d host %s", rc, rc ? "-" : u.host);
		dmarc_uri_clear(&u);
	}
	parse("v=DMARC1; p=reject; rua=mailto:a@example.com , "
	    "mailto:b@example.net,https://r.example.org/x", false, &r, codes,
	    sizeof(codes));
	tap_check(r.nrua == 3 && strcmp(r.rua[1].host, "example.net") == 0 &&
	    codes[0] == '\0', "dmarc uri: a list with whitespace around commas");
	dmarc_record_clear(&r);
	parse("v=DMARC1; p=reject; rua=https://r.example.com/x!10m", false,
	    &r, codes, sizeof(codes));
	tap_check(has(codes, "dmarc-uri-size") && !has(codes, "dmarc-bad-uri"),
	    "dmarc uri: an https URI with !size: a warning, not an error");
	dmarc_record_clear(&r);
	parse("v=DMARC1; p=reject; rua=mailto:d@example.com!10m", true, &r,
	    codes, sizeof(codes));
	tap_check(codes[0] == '\0', "dmarc uri: !size is valid under RFC 7489");
	dmarc_record_clear(&r);
}

/* The RFC 7489 tags: checked under rfc7489, a warning otherwise */
static void
test_rfc7489(void)
{
	static const struct {
		const char *tag;
		bool ok;
	} rows[] = {
		{ "pct=0", true }, { "pct=1", true }, { "pct=50", true },
		{ "pct=100", true }, { "pct=099", true }, { "pct=-1", false },
		{ "pct=101", false }, { "pct=a", false }, { "pct=1.5", false },
		{ "pct=50%", false }, { "pct=1000", false },
		{ "ri=86400", true }, { "ri=3600", true }, { "ri=0", true },
		{ "ri=4294967295", true }, { "ri=-1", false }, { "ri=a", false },
		{ "ri=4294967296", false }, { "ri=1d", false },
		{ "ri=86400.0", false }, { "ri=+5", false },
		{ "rf=afrf", true }, { "rf=AFRF", true }, { "rf=afrf:afrf", true },
		{ "rf=bob", false }, { "rf=iodef2", false }, { "rf=afrf:", false },
		{ "rf=:afrf", false }, { "rf=afr", false }, { "rf=afrf;", true },
		{ "rf=afrf bob", false },
	};
	char rec[256], codes[512];
	dmarc_record_t r;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(rec, sizeof(rec), "v=DMARC1; p=reject; %s; " RUA,
		    rows[i].tag);
		parse(rec, true, &r, codes, sizeof(codes));
		if (!tap_check(has(codes, "dmarc-bad-value") == !rows[i].ok &&
		    !has(codes, "dmarc-removed-tag"), "dmarc rfc7489: %s is %s",
		    rows[i].tag, rows[i].ok ? "valid" : "refused"))
			tap_diag("%s", codes);
		dmarc_record_clear(&r);
		parse(rec, false, &r, codes, sizeof(codes));
		tap_check(has(codes, "dmarc-removed-tag") &&
		    !has(codes, "dmarc-bad-value"), "dmarc rfc9989: %s is "
		    "removed, not checked", rows[i].tag);
		dmarc_record_clear(&r);
	}
	parse("v=DMARC1; p=quarantine; pct=25; " RUA, false, &r, codes,
	    sizeof(codes));
	char text[400];

	dmarc_pct_explain(&r, r.p, text, sizeof(text));
	tap_check(strstr(text, "RFC 7489 apply quarantine to 25% of failing "
	    "mail and none to the rest") && strstr(text, "RFC 9989 ignore"),
	    "dmarc pct: each kind of receiver explained: %s", text);
	dmarc_record_clear(&r);
}

/* Records a receiver discards, and those it applies */
static void
test_discarded(void)
{
	static const struct {
		const char *rec;
		int p;		/* -1: discarded */
		bool assumed;
	} rows[] = {
		{ "v=DMARC1; p=reject; " RUA, DMARC_P_REJECT, false },
		{ "v=DMARC1; p=rejct; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; p=rejct", -1, false },
		{ "v=DMARC1", DMARC_P_NONE, true },
		{ "v=DMARC1; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; rua=d@example.com", DMARC_P_NONE, true },
		{ "v=DMARC1; psd=y", DMARC_P_NONE, true },
		{ "v=DMARC1; psd=y; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; psd=n", DMARC_P_NONE, true },
		{ "v=DMARC1; sp=reject", DMARC_P_NONE, true },
		{ "v=DMARC1; np=reject", DMARC_P_NONE, true },
		{ "v=DMARC1; t=y", DMARC_P_NONE, true },
		{ "v=DMARC1; adkim=s; aspf=s", DMARC_P_NONE, true },
		{ "v=DMARC1; p=; " RUA, DMARC_P_NONE, true },
		{ "p=reject; v=DMARC1; " RUA, -1, false },
		{ "p=reject; " RUA, -1, false },
		{ " v=DMARC1; p=reject", -1, false },
		{ "v=DMARC2; p=reject; " RUA, -1, false },
		{ "v=dmarc1; p=reject; " RUA, -1, false },
		{ "v=DMARC1 ; p=reject", DMARC_P_REJECT, false },
		{ "v = DMARC1; p = quarantine", DMARC_P_QUARANTINE, false },
		{ "v=DMARC1; p=none", DMARC_P_NONE, false },
		{ "v=DMARC1; p=reject; sp=bogus", DMARC_P_REJECT, false },
		{ "v=DMARC1; p=quarantine; np=bogus", DMARC_P_QUARANTINE,
		    false },
		{ "v=DMARC1; sp=reject; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; p=reject quarantine", -1, false },
		{ "v=DMARC1; p=reject,none; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; P=REJECT", DMARC_P_REJECT, false },
		{ "v=DMARC1; p=reject;", DMARC_P_REJECT, false },
		{ "v=DMARC1;p=reject;;", DMARC_P_REJECT, false },
		{ "", -1, false },
		{ "v=spf1 -all", -1, false },
		{ "v=DMARC1; p=1; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; p=quarantine; t=y", DMARC_P_QUARANTINE, false },
		{ "v=DMARC1; psd=y; p=reject", DMARC_P_REJECT, false },
		{ "v=DMARC1; p=\"reject\"; " RUA, DMARC_P_NONE, true },
		{ "v=DMARC1; p=reject; rua=mailto:d@example.com!10m",
		    DMARC_P_REJECT, false },
		{ "v=DMARC1; p=none; rua=ftp://x", DMARC_P_NONE, false },
		{ "v=DMARC1; p=bad; rua=ftp://x", -1, false },
	};
	char codes[512];
	dmarc_record_t r;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool usable = parse(rows[i].rec, false, &r, codes,
		    sizeof(codes));

		if (rows[i].p < 0) {
			if (!tap_check(!usable && r.why[0] &&
			    has(codes, "dmarc-discarded"), "dmarc discarded: "
			    "\"%s\": %s", rows[i].rec, r.why))
				tap_diag("%s", codes);
		} else if (!tap_check(usable && (int)r.p == rows[i].p &&
		    r.p_assumed == rows[i].assumed &&
		    !has(codes, "dmarc-discarded"), "dmarc applied: \"%s\" is "
		    "p=%s%s", rows[i].rec, dmarc_policy_str(rows[i].p),
		    rows[i].assumed ? " (for its rua=)" : ""))
			tap_diag("%s; p %d", codes, r.p);
		dmarc_record_clear(&r);
	}
	/* RFC 7489 6.6.3: without a valid p=, only a valid rua= keeps it */
	static const char *const discarded7489[] = { "v=DMARC1",
	    "v=DMARC1; psd=y", "v=DMARC1; sp=reject", "v=DMARC1; p=rejct",
	    "v=DMARC1; rua=d@example.com" };
	for (size_t i = 0; i < sizeof(discarded7489) /
	    sizeof(discarded7489[0]); i++) {
		tap_check(!parse(discarded7489[i], true, &r, codes,
		    sizeof(codes)) && has(codes, "dmarc-discarded"),
		    "dmarc --rfc7489 discarded: \"%s\"", discarded7489[i]);
		dmarc_record_clear(&r);
	}
	tap_check(parse("v=DMARC1; " RUA, true, &r, codes, sizeof(codes)) &&
	    r.p == DMARC_P_NONE && r.p_assumed, "dmarc --rfc7489: no p= but "
	    "a rua= is p=none");
	dmarc_record_clear(&r);

	/* RFC 9989 4.7: each optional tag left out takes its default */
	static const struct {
		const char *rec;
		dmarc_policy_t p, sp, np;
		char adkim, aspf, psd;
		bool testing;
	} defaults[] = {
		{ "v=DMARC1", DMARC_P_NONE, DMARC_P_NONE, DMARC_P_NONE,
		    'r', 'r', 'u', false },
		{ "v=DMARC1; psd=y", DMARC_P_NONE, DMARC_P_NONE, DMARC_P_NONE,
		    'r', 'r', 'y', false },
		{ "v=DMARC1; sp=reject", DMARC_P_NONE, DMARC_P_REJECT,
		    DMARC_P_REJECT, 'r', 'r', 'u', false },
		{ "v=DMARC1; np=quarantine", DMARC_P_NONE, DMARC_P_NONE,
		    DMARC_P_QUARANTINE, 'r', 'r', 'u', false },
		{ "v=DMARC1; p=reject", DMARC_P_REJECT, DMARC_P_REJECT,
		    DMARC_P_REJECT, 'r', 'r', 'u', false },
		{ "v=DMARC1; p=reject; sp=none", DMARC_P_REJECT, DMARC_P_NONE,
		    DMARC_P_NONE, 'r', 'r', 'u', false },
		{ "v=DMARC1; p=quarantine; adkim=s", DMARC_P_QUARANTINE,
		    DMARC_P_QUARANTINE, DMARC_P_QUARANTINE, 's', 'r', 'u',
		    false },
		{ "v=DMARC1; p=quarantine; aspf=s; t=y", DMARC_P_QUARANTINE,
		    DMARC_P_QUARANTINE, DMARC_P_QUARANTINE, 'r', 's', 'u',
		    true },
		{ "v=DMARC1; psd=n; p=reject; np=none", DMARC_P_REJECT,
		    DMARC_P_REJECT, DMARC_P_NONE, 'r', 'r', 'n', false },
	};
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		bool ok = parse(defaults[i].rec, false, &r, codes,
		    sizeof(codes));

		if (!tap_check(ok && r.p == defaults[i].p &&
		    r.sp == defaults[i].sp && r.np == defaults[i].np &&
		    r.adkim == defaults[i].adkim &&
		    r.aspf == defaults[i].aspf && r.psd == defaults[i].psd &&
		    r.testing == defaults[i].testing && r.nrua == 0 &&
		    !has(codes, "dmarc-discarded"), "dmarc defaults: \"%s\"",
		    defaults[i].rec))
			tap_diag("%s; p %d sp %d np %d", codes, r.p, r.sp, r.np);
		dmarc_record_clear(&r);
	}

	parse("v=DMARC1; p=reject; sp=quarantine", false, &r, codes,
	    sizeof(codes));
	tap_check(dmarc_record_policy(&r, true, false) == DMARC_P_REJECT &&
	    dmarc_record_policy(&r, false, false) == DMARC_P_QUARANTINE &&
	    dmarc_record_policy(&r, false, true) == DMARC_P_QUARANTINE,
	    "dmarc policy: p at the domain, sp below, np from sp");
	dmarc_record_clear(&r);
}

/* The tree walk of RFC 9989 4.10, against a zone of records at many
 * levels, down to the top-level label */
static void
test_walk(void)
{
	static const char zone[] =
	    "$ORIGIN bank.\n@ 300 SOA ns h 1 2 3 4 5\n"
	    "_dmarc 300 TXT \"v=DMARC1; psd=y; p=reject\"\n"
	    "_dmarc.org1 300 TXT \"v=DMARC1; p=quarantine\"\n"
	    "_dmarc.two.org1 300 TXT \"v=DMARC1; p=none\"\n"
	    "_dmarc.two.org1 300 TXT \"v=DMARC1; p=reject\"\n"
	    "_dmarc.sp.org1 300 TXT \" v=DMARC1; p=none\"\n"
	    "_dmarc.low.d.c.b.a.org2 300 TXT \"v=DMARC1; p=none\"\n"
	    "_dmarc.g.f.e.d.c.b.a.org2 300 TXT \"v=DMARC1; p=none\"\n"
	    "_dmarc.spf.org2 300 TXT \"v=spf1 -all\"\n"
	    "_dmarc.vsp.org2 300 TXT \"v = DMARC1; p=reject\"\n";
	static const struct {
		const char *name, *found;	/* found NULL: none */
		unsigned queries;
	} rows[] = {
		{ "bank", "bank", 1 },
		{ "giant.bank", "bank", 2 },
		{ "www.giant.bank", "bank", 3 },
		{ "a.b.c.giant.bank", "bank", 5 },
		{ "org1.bank", "org1.bank", 1 },
		{ "www.org1.bank", "org1.bank", 2 },
		{ "a.www.org1.bank", "org1.bank", 3 },
		{ "two.org1.bank", "org1.bank", 2 },
		{ "x.two.org1.bank", "org1.bank", 3 },
		{ "sp.org1.bank", "org1.bank", 2 },
		{ "org2.bank", "bank", 2 },
		{ "a.org2.bank", "bank", 3 },
		{ "low.d.c.b.a.org2.bank", "low.d.c.b.a.org2.bank", 1 },
		{ "x.low.d.c.b.a.org2.bank", "low.d.c.b.a.org2.bank", 2 },
		{ "y.x.low.d.c.b.a.org2.bank", "low.d.c.b.a.org2.bank", 2 },
		{ "g.f.e.d.c.b.a.org2.bank", "g.f.e.d.c.b.a.org2.bank", 1 },
		{ "h.g.f.e.d.c.b.a.org2.bank", "bank", 8 },
		{ "i.h.g.f.e.d.c.b.a.org2.bank", "bank", 8 },
		{ "f.e.d.c.b.a.org2.bank", "bank", 8 },
		{ "e.d.c.b.a.org2.bank", "bank", 7 },
		{ "d.c.b.a.org2.bank", "bank", 6 },
		{ "q.d.c.b.a.org2.bank", "bank", 7 },
		{ "spf.org2.bank", "bank", 3 },
		{ "x.spf.org2.bank", "bank", 4 },
		{ "vsp.org2.bank", "vsp.org2.bank", 1 },
		{ "w.vsp.org2.bank", "vsp.org2.bank", 2 },
		{ "b.a.org2.bank", "bank", 4 },
		{ "c.b.a.org2.bank", "bank", 5 },
		{ "z.org1.bank", "org1.bank", 2 },
		{ "elsewhere.example", NULL, 0 },
		{ "a.elsewhere.example", NULL, 0 },
	};
	char path[] = "/tmp/authzone-dmarc.XXXXXX", err[256];
	int fd = mkstemp(path);
	dns_options_t opt = { .offline = true };
	dns_resolver_t *r = dns_resolver_new(&opt, err, sizeof(err));

	if (fd < 0 || write(fd, zone, sizeof(zone) - 1) < 0 || r == NULL ||
	    dns_resolver_zone_load(r, path, err, sizeof(err)) != 0) {
		tap_check(false, "dmarc walk: the zone loads: %s", err);
		return;
	}
	close(fd);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		dmarc_found_t d;
		lint_findings_t f;
		int rc;

		lint_findings_init(&f);
		rc = dmarc_discover(r, rows[i].name, NULL, &d, &f);
		if (rows[i].found == NULL)
			tap_check(rc != 1, "dmarc walk: nothing for %s (outside "
			    "the zone: %s)", rows[i].name, rc < 0 ? "unavailable" :
			    "none");
		else if (!tap_check(rc == 1 && strcmp(d.domain, rows[i].found) ==
		    0 && d.queries == rows[i].queries, "dmarc walk: %s finds "
		    "_dmarc.%s in %u queries", rows[i].name, rows[i].found,
		    rows[i].queries))
			tap_diag("rc %d at %s in %u", rc, d.domain, d.queries);
		free(d.record);
		lint_findings_clear(&f);
	}
	dns_resolver_free(r);
	unlink(path);
}

void
test_dmarc(void)
{
	test_case();
	test_fo();
	test_uris();
	test_rfc7489();
	test_discarded();
	test_walk();
}
