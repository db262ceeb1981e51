/* TLSA records: the presentation form parsed, and every code of the
 * record check, one row per record with the codes it must give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/tlsa.h"
#include "tests/unit/tap.h"

#define D32 "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"
#define D64 D32 D32

static const struct {
	const char *owner, *record, *codes;
} rows[] = {
	{ "_25._tcp.mx.example.com", "3 1 1 " D32, "" },
	{ "_25._tcp.mx.example.com", "2 1 1 " D32, "" },
	{ "_25._tcp.mx.example.com", "3 0 2 " D64, "" },
	{ "_25._tcp.mx.example.com", "  3 1 1 8cb0fc6c 527506a0\t53f4f14c"
	    "8464bebbd6dede2738d11468dd953d7d6a3021f1", "" },
	{ "_25._tcp.mx.example.com", "3 1 1 8CB0FC6C527506A053F4F14C8464BEBBD6"
	    "DEDE2738D11468DD953D7D6A3021F1", "" },
	{ "_443._tcp.www.example.com", "1 1 1 " D32, "" },
	{ "_443._tcp.www.example.com", "0 0 1 " D32, "" },
	{ "_25._tcp.mx.example.com", "1 1 1 " D32, "tlsa-pkix-usage" },
	{ "_25._tcp.mx.example.com", "0 1 1 " D32, "tlsa-pkix-usage" },
	{ "_25._tcp.mx.example.com", "4 1 1 " D32, "tlsa-bad-usage" },
	{ "_25._tcp.mx.example.com", "255 1 1 " D32, "tlsa-bad-usage" },
	{ "_25._tcp.mx.example.com", "3 2 1 " D32, "tlsa-bad-selector" },
	{ "_25._tcp.mx.example.com", "3 1 3 " D32, "tlsa-bad-mtype" },
	{ "_25._tcp.mx.example.com", "3 1 1 " D64, "tlsa-digest-length" },
	{ "_25._tcp.mx.example.com", "3 1 2 " D32, "tlsa-digest-length" },
	{ "_25._tcp.mx.example.com", "3 1 1 8cb0", "tlsa-digest-length" },
	{ "_25._tcp.mx.example.com", "3 1 0 3059301306072a8648ce3d0201",
	    "tlsa-full-data" },
	{ "mx.example.com", "3 1 1 " D32, "tlsa-owner" },
	{ "_25.mx.example.com", "3 1 1 " D32, "tlsa-owner" },
	{ "_x._tcp.mx.example.com", "3 1 1 " D32, "tlsa-owner" },
	{ "_99999._tcp.mx.example.com", "3 1 1 " D32, "tlsa-owner" },
	{ "_25._tcp.", "3 1 1 " D32, "tlsa-owner" },
	{ "_25._tcp.mx.example.com", "", "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 1 1", "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 1 1 ", "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 1 1 8cb", "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 1 1 zz", "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 1 1 0x" D32, "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 1 256 " D32, "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3 01 1 " D32, "" },
	{ "_25._tcp.mx.example.com", "3 0001 1 " D32, "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "-3 1 1 " D32, "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "3,1,1 " D32, "tlsa-syntax" },
	{ "_25._tcp.mx.example.com", "DANE-EE SPKI SHA2-256 " D32,
	    "tlsa-syntax" },
	{ "mx.example.com", "1 2 3 zz", "tlsa-owner tlsa-syntax" },
};

void
test_tlsa(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lint_findings_t f;
		char got[512];

		lint_findings_init(&f);
		tlsa_record_check(rows[i].record, rows[i].owner, &f);
		tap_codes(&f, got, sizeof(got));
		if (!tap_check(strcmp(got, rows[i].codes) == 0, "tlsa %s \"%.40s\"",
		    rows[i].owner, rows[i].record))
			tap_diag("got \"%s\", want \"%s\"", got, rows[i].codes);
		lint_findings_clear(&f);
	}

	tlsa_record_t r;
	char proto[16];

	tap_check(tlsa_record_parse("2 0 1 " D32, &r) == 0 && r.usage == 2 &&
	    r.selector == 0 && r.mtype == 1 && r.len == 32 &&
	    r.data[0] == 0x8c && r.data[31] == 0xf1,
	    "tlsa: the fields and the data's bytes");
	tap_check(tlsa_owner_port("_465._tcp.mail.example.com", proto) == 465 &&
	    strcmp(proto, "tcp") == 0, "tlsa: _465._tcp: port and protocol");
	tap_check(tlsa_owner_port("_25._sctp.mx", proto) == 25 &&
	    strcmp(proto, "sctp") == 0, "tlsa: another protocol");
	tap_check(strcmp(tlsa_usage_name(3), "DANE-EE") == 0 &&
	    strcmp(tlsa_usage_name(0), "PKIX-TA") == 0 &&
	    strcmp(tlsa_usage_name(9), "unassigned") == 0,
	    "tlsa: RFC 7218's names of the usages");
}
