/* The SPF findings table is complete and consistent. */
#include <string.h>

#include "lint/spf_codes.h"
#include "tests/unit/tap.h"

void
test_findings(void)
{
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
