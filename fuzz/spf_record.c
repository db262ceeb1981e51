/* Fuzz target: the SPF record parser and the record checks. */
#include <stddef.h>
#include <stdint.h>

#include "lint/spf_check.h"
#include "lint/spf_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lint_findings_t f;
	spf_record_t *r;

	lint_findings_init(&f);
	r = spf_record_parse((const char *)data, size, "example.com", &f);
	if (r)
		spf_record_check(r, "example.com", true, &f);
	spf_record_free(r);
	lint_findings_clear(&f);
	return 0;
}
