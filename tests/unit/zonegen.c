/* TXT splitting and escaping, the SPF builder, report URIs. */
#include <stdlib.h>
#include <string.h>

#include "lint/uri.h"
#include "tests/unit/tap.h"
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

void
test_zonegen(void)
{
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
