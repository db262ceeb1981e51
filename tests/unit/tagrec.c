/* The tag-list parser and the record checks of DMARC, DKIM, TLS-RPT,
 * MTA-STS and BIMI: one row per record with every code it must give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/mtasts_policy.h"
#include "lint/dmarc.h"
#include "lint/tagrec.h"
#include "tests/unit/tap.h"

/* keys made with openssl for these tests: a 1024-bit and a 512-bit RSA
 * SubjectPublicKeyInfo, the 512-bit one as PKCS#1, an Ed25519 key raw and
 * as SubjectPublicKeyInfo, and a 4200-bit RSA key */
#define RSA1024 "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1UU7bMUg68a2Ijbb8PX0Jy6lRD7MC1OmspAYkyULhUBdePVJg4BR5zFD+DRvA+acbA11lfVV6XWnS7dNNNvwfupbPJ+Ylebueyqusw0egRlkn7oaDn0+4xSwUhAiBFFUzexg6pb0YbH3ItuuCh08gyDlce8/d7pZR1u3h+1uJjwIDAQAB"
#define RSA512 "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAPXtDaAwZjbkV1VO6rWDxb2hfAODZ1fDFgmUdmxFI8RPfPfxJ0toO1i2VuHJYVoMdHntitY/AGW3fqoHU5+Yh70CAwEAAQ=="
#define ED "T9nB0qQ4qCRxnvmr/shSSNAu1YFiRbUoEliHGkTet+8="
#define EDSPKI "MCowBQYDK2VwAyEA3NryImuXDthR+pBBF1WbUlbwUD1gfIuIW+G8aG9xO5c="
#define RSA4200 "MIICLzANBgkqhkiG9w0BAQEFAAOCAhwAMIICFwKCAg4A3PuKtpEO3VCx/Ou6FjCRVvJxKQ0pfhlEBo+QPmkPJk8qEABTIpjaQjeYZdqp3m0Jk46H1zgF3R6S87CHutcPqwUxs16Y9A4wC7haqTIR3uoBgFCjdNbmFZUmLBfAXoEtCe6+zUnoSmMkDlMA3cnYFaLKy+3rAw7UgqfbnHENzUStX0wEv8UwgyqkEEWZm7AU+ud5AsfRdcnb321Lb+QbbPebvJ9y0Qh/Y9ERu3e3Is9/NVWOKmUC6xppwpWG3nEdo+OGRyPDA33Mn3T5m35sXsdoWNXYpDvz8jUUL1WlR2xGBFXZtZSq/PfmMHspzveCpDIeziScAJp7eTpDE82cG/FxKKD68GUfr9JiE4sjhuyt5qbg392AbSm9rdpVlYJiiqGfto6stZM1QWAdxZi4NPvKlnGf4VdRl1uX3LFxXEw3t7FcBMv3DFIL4wBbQl85l8jPilNwzr9DgcGNnJ4x8WQL6yrOeoNibfYzQEERPi20shuBMYfq/q6xNeAeBa0tadCU2Jp/DuYD9MyreI+SERC+1j7rpXi0mF4PUQ+gZ+Chl4GKb5qc1Qg+1Hgad+eUQp3xMT1KzmLjUNzRHxAMTDMW0O0qcLnwQfyzTb07Hy4UWWAzUFB9TEpe/0B0eWmHhPdn6vk45NSZlPZv57J1HxkdKbPdzIvPSoDzuNM7srxtG14XkEVcUY9gIvhfAgMBAAE="
#define PKCS1 "MEgCQQD17Q2gMGY25FdVTuq1g8W9oXwDg2dXwxYJlHZsRSPET3z38SdLaDtYtlbhyWFaDHR57YrWPwBlt36qB1OfmIe9AgMBAAE="

static const struct {
	char type;		/* d DMARC, k DKIM, t TLS-RPT, m MTA-STS, b BIMI */
	const char *record;
	const char *codes;
} rows[] = {
	{ 'd', "v=DMARC1; p=reject; rua=mailto:d@example.com", "" },
	{ 'd', "v=DMARC1;p=quarantine;sp=reject;np=reject;adkim=s;aspf=r;"
	    "rua=mailto:d@example.com,mailto:e@example.net!10m;fo=1:d;",
	    "dmarc-uri-size" },
	{ 'd', "v=DMARC1; p=none; rua=mailto:d@example.com",
	    "dmarc-policy-none" },
	{ 'd', "v=DMARC1; p=reject", "dmarc-no-rua" },
	{ 'd', "v=DMARC1", "dmarc-no-policy dmarc-no-rua" },
	{ 'd', "p=reject; v=DMARC1; rua=mailto:d@example.com",
	    "dmarc-discarded dmarc-version" },
	{ 'd', " v=DMARC1; p=reject; rua=mailto:d@example.com",
	    "dmarc-discarded dmarc-version" },
	{ 'd', "v=DMARC2; p=reject; rua=mailto:d@example.com",
	    "dmarc-discarded dmarc-version" },
	{ 'd', "v=DMARC1; p=maybe; rua=mailto:d@example.com",
	    "dmarc-bad-value" },
	{ 'd', "v=DMARC1; p=reject; p=none; rua=mailto:d@example.com",
	    "dmarc-duplicate-tag" },
	{ 'd', "v=DMARC1; p=reject; rua=d@example.com", "dmarc-bad-uri" },
	{ 'd', "v=DMARC1; p=reject; rua=", "dmarc-empty-rua" },
	{ 'd', "v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com",
	    "dmarc-removed-tag" },
	{ 'd', "v=DMARC1; p=reject; pct=500; rua=mailto:d@example.com",
	    "dmarc-removed-tag" },
	{ 'd', "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com",
	    "dmarc-testing" },
	{ 'd', "v=DMARC1; p=reject; foo=bar; rua=mailto:d@example.com",
	    "dmarc-unknown-tag" },
	{ 'd', "v=DMARC1; p=reject; adkim=x; fo=2; psd=q; "
	    "rua=mailto:d@example.com",
	    "dmarc-bad-value dmarc-bad-value dmarc-bad-value" },
	{ 'd', "v=DMARC1; p=reject rua=mailto:d@example.com",
	    "dmarc-bad-value dmarc-discarded dmarc-no-rua" },
	{ 'd', "v=DMARC1; p=reject; =x", "dmarc-no-rua dmarc-syntax" },
	{ 'd', "", "dmarc-discarded dmarc-no-policy dmarc-no-rua "
	    "dmarc-version" },
	{ 'k', "v=DKIM1; k=rsa; p=" RSA1024, "dkim-key dkim-rsa-weak" },
	{ 'k', "k=rsa; p=" RSA1024, "dkim-key dkim-rsa-weak" },
	{ 'k', "v=DKIM1; k=ed25519; p=" ED, "dkim-key" },
	{ 'k', "v=DKIM1; p=", "dkim-revoked" },
	{ 'k', "v=DKIM1; k=rsa", "dkim-no-key" },
	{ 'k', "v=DKIM2; p=", "dkim-revoked dkim-version" },
	{ 'k', "k=rsa; v=DKIM1; p=", "dkim-revoked dkim-version" },
	{ 'k', "v=DKIM1; p=abc!", "dkim-bad-base64" },
	{ 'k', "v=DKIM1; p=aGVsbG8gd29ybGQ=", "dkim-bad-key" },
	{ 'k', "v=DKIM1; p=" RSA512, "dkim-key dkim-rsa-too-small" },
	{ 'k', "v=DKIM1; p=" PKCS1,
	    "dkim-key dkim-pkcs1-key dkim-rsa-too-small" },
	{ 'k', "v=DKIM1; k=ed25519; p=aGVsbG8=", "dkim-ed25519-length" },
	{ 'k', "v=DKIM1; k=rsa; p=" EDSPKI, "dkim-key-type-mismatch" },
	{ 'k', "v=DKIM1; p=" RSA4200, "dkim-key dkim-rsa-large" },
	{ 'k', "v=DKIM1; k=dsa; p=", "dkim-revoked dkim-unknown-key-type" },
	{ 'k', "v=DKIM1; t=y; p=", "dkim-revoked dkim-testing" },
	{ 'k', "v=DKIM1; h=sha1:sha256; p=", "dkim-revoked dkim-sha1" },
	{ 'k', "v=DKIM1; s=other; p=", "dkim-revoked dkim-service" },
	{ 'k', "v=DKIM1; s=*; p=", "dkim-revoked" },
	{ 'k', "v=DKIM1; p=; p=", "dkim-duplicate-tag dkim-revoked" },
	{ 'k', "v=DKIM1; p=MIGfMA0GCS qGSIb3DQEB", "dkim-bad-key" },
	{ 'k', "v=DKIM1; ; p=", "dkim-no-key dkim-syntax" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com", "" },
	{ 't', "v=TLSRPTv1;rua=mailto:t@example.com,https://r.example.net/x",
	    "" },
	{ 't', "v=TLSRPTv1", "tlsrpt-no-rua" },
	{ 't', "v=TLSRPTv1; rua=http://r.example.net/", "tlsrpt-bad-uri" },
	{ 't', "v=TLSRPTv2; rua=mailto:t@example.com", "tlsrpt-version" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com; rua=mailto:u@example.com",
	    "tlsrpt-duplicate-field" },
	{ 't', "v=TLSRPTv1; rua mailto:t@example.com",
	    "tlsrpt-no-rua tlsrpt-syntax" },
	{ 'm', "v=STSv1; id=20261124T1;", "" },
	{ 'm', "v=STSv1; id=abc; ext=1", "" },
	{ 'm', "v=STSv1;", "mtasts-no-id" },
	{ 'm', "v=STSv1; id=2026-11-24", "mtasts-bad-id" },
	{ 'm', "v=STSv1; id=123456789012345678901234567890123",
	    "mtasts-bad-id" },
	{ 'm', "v=STSv2; id=1", "mtasts-version" },
	{ 'm', "v=STSv1; id=1; id=2", "mtasts-duplicate-field" },
	{ 'm', "v=STSv1; id=1 2", "mtasts-bad-id" },
	{ 'm', "v=STSv1 id=1", "mtasts-no-id mtasts-version" },
	{ 'm', "v=STSv1; id=1; =", "mtasts-syntax" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; a=https://example.com/a.pem",
	    "" },
	{ 'b', "v=BIMI1; l=; a=;", "bimi-declined" },
	{ 'b', "v=BIMI1; a=https://example.com/a.pem", "bimi-no-logo" },
	{ 'b', "v=BIMI1; l=http://example.com/l.svg", "bimi-bad-value" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; avp=logo",
	    "bimi-bad-value" },
	{ 'b', "v=BIMI2; l=https://example.com/l.svg", "bimi-version" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; l=", "bimi-duplicate-tag" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; ;", "bimi-syntax" },
	/* more of each type, from the RFCs' examples and the grammars */
	{ 'd', "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com",
	    "" },
	{ 'd', "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com",
	    "dmarc-policy-none" },
	{ 'd', "v=DMARC1; p=reject; np=quarantine; rua=mailto:d@example.com",
	    "" },
	{ 'd', "v=DMARC1; p=reject; aspf=s; adkim=r; rua=mailto:d@example.com",
	    "" },
	{ 'd', "v=DMARC1; p=reject; psd=n; rua=https://r.example.com/dmarc",
	    "" },
	{ 'd', "v=DMARC1; p=reject; rua=mailto:d@example.com; ruf=ftp://x",
	    "dmarc-bad-uri" },
	{ 'd', "V=DMARC1; p=reject; rua=mailto:d@example.com", "" },
	{ 'k', "v=DKIM1; k=rsa; h=sha256; p=" RSA1024, "dkim-key dkim-rsa-weak" },
	{ 'k', "v=DKIM1; k=rsa; s=email; p=" RSA1024, "dkim-key dkim-rsa-weak" },
	{ 'k', "v=DKIM1; k=rsa; t=s; p=" RSA1024, "dkim-key dkim-rsa-weak" },
	{ 'k', "v=DKIM1; n=a note; p=", "dkim-revoked" },
	{ 't', "v=TLSRPTv1; rua=https://reports.example.com/v1/tlsrpt", "" },
	{ 't', "v=TLSRPTv1 ;rua=mailto:t@example.com", "" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com; ext=1", "" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com,", "tlsrpt-bad-uri" },
	{ 't', "v=TLSRPTv1; rua=", "tlsrpt-bad-uri" },
	{ 't', " v=TLSRPTv1; rua=mailto:t@example.com", "tlsrpt-version" },
	{ 't', "rua=mailto:t@example.com; v=TLSRPTv1", "tlsrpt-version" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com!10m", "tlsrpt-bad-uri" },
	{ 't', "v=TLSRPTv1; rua=ftp://r.example.com/", "tlsrpt-bad-uri" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example", "tlsrpt-bad-uri" },
	{ 't', "v=TLSRPTv1; rua=https://r.example.com/a,https://r2.example.com/b",
	    "" },
	{ 't', "v=TLSRPTv1;;", "tlsrpt-no-rua tlsrpt-syntax" },
	{ 't', "v=TLSRPTv1; RUA=mailto:t@example.com", "tlsrpt-no-rua" },
	{ 't', "v=TLSRPTv1; rua=mailto:a@example.com, mailto:b@example.com", "" },
	{ 't', "", "tlsrpt-no-rua tlsrpt-version" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com;", "" },
	{ 't', "v=tlsrptv1; rua=mailto:t@example.com", "tlsrpt-version" },
	{ 't', "v=TLSRPTv1; rua=mailto:t@example.com; v=TLSRPTv1",
	    "tlsrpt-duplicate-field" },
	{ 'm', "v=STSv1; id=20160831085700Z;", "" },
	{ 'm', "v=STSv1;id=a", "" },
	{ 'm', "v=STSv1; id=ABCdef123", "" },
	{ 'm', "v=STSv1; id=12345678901234567890123456789012", "" },
	{ 'm', "v=STSv1; id=", "mtasts-bad-id" },
	{ 'm', "v=STSv1; id=a_b", "mtasts-bad-id" },
	{ 'm', "id=1; v=STSv1", "mtasts-version" },
	{ 'm', "v=STSv1 ; id=1", "" },
	{ 'm', " v=STSv1; id=1", "mtasts-version" },
	{ 'm', "v=stsv1; id=1", "mtasts-version" },
	{ 'm', "", "mtasts-no-id mtasts-version" },
	{ 'm', "v=STSv1; ID=1", "mtasts-no-id" },
	{ 'm', "v=STSv1; id=1; ext=a b", "" },
	{ 'm', "v=STSv1; id=1;;", "mtasts-syntax" },
	{ 'm', "v=STSv1; id=\x01", "mtasts-no-id mtasts-syntax" },
	{ 'm', "v=STSv1; id=1; v=STSv1", "mtasts-duplicate-field" },
	{ 'b', "v=BIMI1; l=https://example.com/bimi/logo.svg;", "" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; a=;", "" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; avp=brand", "" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; avp=personal", "" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; lps=sales", "" },
	{ 'b', "v=BIMI1; l=; a=https://example.com/a.pem", "" },
	{ 'b', "v=BIMI1; l=ftp://example.com/l.svg", "bimi-bad-value" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; a=http://example.com/a.pem",
	    "bimi-bad-value" },
	{ 'b', "v=BIMI1;", "bimi-no-logo" },
	{ 'b', "", "bimi-no-logo bimi-version" },
	{ 'b', "l=https://example.com/l.svg; v=BIMI1", "bimi-version" },
	{ 'b', "v=bimi1; l=https://example.com/l.svg", "bimi-version" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; a=https://example.com/a.pem; a=",
	    "bimi-duplicate-tag" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg;;", "bimi-syntax" },
	{ 'b', "v=BIMI1; l=https://ex ample.com/l.svg", "bimi-bad-value" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; avp=", "bimi-bad-value" },
	{ 'b', "v=BIMI1; l=; a=", "bimi-declined" },
	{ 'b', "v=BIMI1; l=https://example.com/l.svg; x=y", "" },
};

void
test_tagrec(void)
{
	size_t per[128] = { 0 };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		per[(unsigned char)rows[i].type]++;
	tap_check(per['d'] >= 25 && per['k'] >= 25 && per['t'] >= 25 &&
	    per['m'] >= 25 && per['b'] >= 25, "at least 25 records of each type "
	    "(DMARC %zu, DKIM %zu, TLS-RPT %zu, MTA-STS %zu, BIMI %zu)",
	    per['d'], per['k'], per['t'], per['m'], per['b']);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lint_findings_t f;
		char got[1024];

		lint_findings_init(&f);
		switch (rows[i].type) {
		case 'd': dmarc_record_check(rows[i].record, "x", false, &f); break;
		case 'k': dkim_record_check(rows[i].record, "x", &f); break;
		case 't': tlsrpt_record_check(rows[i].record, "x", &f); break;
		case 'm': mtasts_record_check(rows[i].record, "x", &f); break;
		case 'b': bimi_record_check(rows[i].record, "x", &f); break;
		}
		tap_codes(&f, got, sizeof(got));
		if (!tap_check(strcmp(got, rows[i].codes) == 0, "%c \"%.60s\"",
		    rows[i].type, rows[i].record))
			tap_diag("got \"%s\", want \"%s\"", got, rows[i].codes);
		lint_findings_clear(&f);
	}

	/* RFC 8461 4.1: "*" stands for exactly one leftmost label */
	static const struct { const char *p, *h; bool m; } mx[] = {
		{ "mx.example.com", "mx.example.com", true },
		{ "mx.example.com", "MX.Example.COM", true },
		{ "*.example.com", "mx.example.com", true },
		{ "*.example.com", "example.com", false },
		{ "*.example.com", "a.b.example.com", false },
		{ "*.example.com", "mxexample.com", false },
		{ "mx.example.com", "mx2.example.com", false },
	};
	for (size_t i = 0; i < sizeof(mx) / sizeof(mx[0]); i++)
		tap_check(mtasts_mx_match(mx[i].p, mx[i].h) == mx[i].m,
		    "mx pattern %s %s %s", mx[i].p, mx[i].m ? "matches" :
		    "does not match", mx[i].h);

	lint_taglist_t t;
	size_t at;
	tap_check(lint_taglist_parse(" a = 1 2 ;b=;\tc=x", 17, &t, &at) == 0 &&
	    t.n == 3 && strcmp(t.v[0].value, "1 2") == 0 &&
	    strcmp(t.v[1].value, "") == 0 && t.v[2].value_offset == 16,
	    "tag-list: whitespace, empty values, offsets");
	lint_taglist_clear(&t);
	tap_check(lint_taglist_parse("a=1; b", 6, &t, &at) != 0 && at == 5 &&
	    t.n == 1, "tag-list: where the syntax breaks (%zu)", at);
	lint_taglist_clear(&t);
}
