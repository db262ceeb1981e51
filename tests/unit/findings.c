/* The SPF findings table is complete and consistent. */
#include <string.h>

#include "lint/bimi_files.h"
#include "lint/dmarc.h"
#include "lint/domain_check.h"
#include "lint/mtasts_policy.h"
#include "lint/spf_codes.h"
#include "lint/tagrec.h"
#include "tests/unit/tap.h"

/* Every table of findings: each row, up to the sentinel of its enum, is a
 * finding with a code, a severity and a message (no empty row) */
static void
tables_full(void)
{
	static const struct {
		const char *name;
		const lint_code_t *t;
		size_t rows;
	} tables[] = {
		{ "spf", spf_codes, SPF_CODE_COUNT },
		{ "dkim", dkim_codes, DKIM_ROWS },
		{ "dmarc", dmarc_codes, DMARC_ROWS },
		{ "tlsrpt", tlsrpt_codes, TLSRPT_ROWS },
		{ "mtasts", mtasts_codes, MTASTS_ROWS },
		{ "bimi", bimi_codes, BIMI_ROWS },
		{ "bimi files", bimi_file_codes, BF_ROWS },
		{ "mx", mx_codes, MX_ROWS },
		{ "parked", parked_codes, PARKED_ROWS },
		{ "mtasts policy", mtasts_policy_codes, MP_ROWS },
	};

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		size_t empty = 0;

		for (size_t k = 0; k < tables[i].rows; k++)
			empty += tables[i].t[k].code == NULL ||
			    tables[i].t[k].format == NULL ||
			    tables[i].t[k].format[0] == '\0';
		tap_check(empty == 0, "findings: the %s table has %zu rows, "
		    "none empty (%zu empty)", tables[i].name, tables[i].rows,
		    empty);
	}
}

void
test_findings(void)
{
	tables_full();
	bool ok = true, unique = true;
	lint_findings_t f;

	for (int i = 0; i < SPF_CODE_COUNT; i++) {
		const lint_code_t *c = &spf_codes[i];

		if (c->code == NULL || strncmp(c->code, "spf-", 4) != 0 ||
		    c->format == NULL || c->format[0] == '\0')
			ok = false;
		for (int j = 0; c->code && j < i; j++)
			if (spf_codes[j].code &&
			    strcmp(spf_codes[j].code, c->code) == 0)
				unique = false;
	}
	tap_check(ok, "every SPF code has a name and a message");
	tap_check(unique, "SPF codes are unique");

	lint_findings_init(&f);
	spf_finding(&f, SPF_TOO_MANY_LOOKUPS, "example.com", 12L, "", 11u);
	spf_finding(&f, SPF_NO_ALL, "example.com", 0L);
	spf_finding(&f, SPF_UNKNOWN_MODIFIER, NULL, 3L, "foo");
	tap_check(f.n == 3 && lint_findings_count(&f, LINT_ERROR) == 1 &&
	    lint_findings_count(&f, LINT_WARNING) == 1 &&
	    lint_findings_count(&f, LINT_INFO) == 1, "findings counted by "
	    "severity");
	tap_check(strcmp(f.v[0].message, "11 DNS-querying terms, more than "
	    "the limit of 10; receivers give permerror") == 0,
	    "the message is the template filled");
	tap_check(lint_findings_has(&f, "spf-no-all") &&
	    !lint_findings_has(&f, "spf-pass-all"), "findings looked up by code");
	tap_check(f.v[2].domain == NULL && f.v[0].offset == 12,
	    "where a finding is");
	lint_findings_clear(&f);
	tap_check(f.n == 0, "cleared");
}
