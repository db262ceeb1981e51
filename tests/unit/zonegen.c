/* TXT splitting and escaping, the SPF builder, report URIs. */
#include <stdlib.h>
#include <string.h>

#include "lint/uri.h"
#include "tests/unit/tap.h"
#include "zonegen/records.h"
#include "zonegen/set.h"
#include "zonegen/spf.h"

static void
rdata_is(const char *text, size_t len, const char *want, const char *what)
{
	char *got = zg_txt_rdata(text, len);

	if (!tap_check(got && strcmp(got, want) == 0, "TXT rdata: %s", what))
		tap_diag("got %s", got ? got : "(null)");
	free(got);
}

static void
check_str(char *got, const char *want, const char *what)
{
	if (!tap_check(got && strcmp(got, want) == 0, "zonegen: %s: %s", what,
	    want))
		tap_diag("got %s", got ? got : "(null)");
	free(got);
}

/* The record builders of DMARC, TLS-RPT, MTA-STS and BIMI */
static void
records(void)
{
	const char *rua[] = { "mailto:a@example.com", "mailto:b@example.net" };
	const char *ruf[] = { "mailto:f@example.com" };
	zg_dmarc_t d = { .p = "reject", .sp = "quarantine", .adkim = "s",
	    .fo = "1:d", .rua = rua, .nrua = 2, .ruf = ruf, .nruf = 1 };
	const char *note = NULL;
	const char mx[2][256] = { "mx1.example.com", "*.example.net" };
	size_t len = 0;
	char id[21], *policy;

	check_str(zg_dmarc_record(&d), "v=DMARC1; p=reject; sp=quarantine; "
	    "adkim=s; rua=mailto:a@example.com,mailto:b@example.net; "
	    "ruf=mailto:f@example.com; fo=1:d", "DMARC, v and p first");
	tap_check(zg_dmarc_stage("monitor", &note) &&
	    strcmp(zg_dmarc_stage("monitor", &note), "none") == 0 && note &&
	    strstr(note, "stage 1 of 3") && zg_dmarc_stage("later", &note) ==
	    NULL, "zonegen: DMARC stages: monitor is p=none, 1 of 3");
	check_str(zg_tlsrpt_record(rua, 2), "v=TLSRPTv1; "
	    "rua=mailto:a@example.com,mailto:b@example.net", "TLS-RPT");
	policy = zg_mtasts_policy("enforce", mx, 2, 86400, &len);
	tap_check(policy && len == strlen(policy) && strcmp(policy,
	    "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\n"
	    "mx: *.example.net\r\nmax_age: 86400\r\n") == 0,
	    "zonegen: MTA-STS policy, CRLF lines");
	tap_check(policy && zg_mtasts_id(policy, len, id) == 0 &&
	    strlen(id) == 20 && strspn(id, "0123456789abcdef") == 20,
	    "zonegen: MTA-STS id, 20 hex digits of the policy's SHA-256");
	check_str(zg_mtasts_record("0123456789abcdef0123"),
	    "v=STSv1; id=0123456789abcdef0123;", "MTA-STS record");
	free(policy);
	check_str(zg_bimi_record("https://e.com/l.svg", NULL, NULL, "brand",
	    false), "v=BIMI1; l=https://e.com/l.svg; a=; avp=brand;", "BIMI");
	check_str(zg_bimi_record(NULL, NULL, NULL, NULL, true),
	    "v=BIMI1; l=; a=;", "BIMI declining");
}

void
test_zonegen(void)
{
	records();
	char big[600], want[700];

	rdata_is("v=spf1 -all", 11, "\"v=spf1 -all\"", "plain");
	rdata_is("", 0, "\"\"", "empty");
	rdata_is("a\"b\\c", 5, "\"a\\\"b\\\\c\"", "quote and backslash");
	rdata_is("\x01\xc3\xa9", 3, "\"\\001\\195\\169\"", "bytes escaped");
	memset(big, 'x', 600);
	snprintf(want, sizeof(want), "\"%.255s\" \"%.255s\" \"%.90s\"", big,
	    big, big);
	rdata_is(big, 600, want, "600 bytes: strings of 255, 255 and 90");
	snprintf(want, sizeof(want), "\"%.255s\"", big);
	rdata_is(big, 255, want, "255 bytes: one string");
	big[254] = '"';
	char *r = zg_txt_rdata(big, 256);
	tap_check(r && strstr(r, "\\\"\" \"x\"") != NULL,
	    "the limit counts bytes, not escapes");
	free(r);

	zg_spf_term_t t[] = {
		{ SPF_INCLUDE, "_spf.example.net" }, { SPF_MX, NULL },
		{ SPF_IP4, "85.1.2.0/24" }, { SPF_INCLUDE, "_spf.example.net" },
		{ SPF_A, "mail.example.com" }, { SPF_IP6, "2a02::/32" },
		{ SPF_MX, NULL }, { SPF_EXISTS, "%{i}.x.example.com" },
	};
	char *rec = zg_spf_build(t, 8, '~', NULL, "why.example.com");
	tap_check(rec && strcmp(rec, "v=spf1 ip4:85.1.2.0/24 ip6:2a02::/32 "
	    "a:mail.example.com mx include:_spf.example.net "
	    "exists:%{i}.x.example.com ~all exp=why.example.com") == 0,
	    "SPF terms ordered cheapest first, duplicates dropped: %s", rec);
	free(rec);
	rec = zg_spf_build(NULL, 0, 0, "_spf.example.net", NULL);
	tap_check(rec && strcmp(rec, "v=spf1 redirect=_spf.example.net") == 0,
	    "redirect alone");
	free(rec);

	static const struct { const char *uri; bool size, ok; } uris[] = {
		{ "mailto:dmarc@example.com", false, true },
		{ "mailto:dmarc+rua@reports.example.co.uk", false, true },
		{ "mailto:dmarc@example.com!10m", true, true },
		{ "mailto:dmarc@example.com!10m", false, false },
		{ "mailto:dmarc@example", false, false },
		{ "mailto:@example.com", false, false },
		{ "mailto:a b@example.com", false, false },
		{ "MAILTO:Dmarc@Example.COM", false, true },
		{ "https://reports.example.com/tlsrpt", false, true },
		{ "https://reports.example.com:8443/", false, true },
		{ "http://reports.example.com/", false, false },
		{ "dmarc@example.com", false, false },
		{ "https://-bad.example.com/", false, false },
		{ "", false, false },
	};
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++)
		tap_check(lint_uri_report_ok(uris[i].uri, uris[i].size) ==
		    uris[i].ok, "report URI \"%s\"%s is %s", uris[i].uri,
		    uris[i].size ? " (size allowed)" : "",
		    uris[i].ok ? "good" : "refused");
}
