/* Fuzz target: flattening over a hostile zone, from example.com's record,
 * with and without resolving a and mx.  The self-check inside fl_flatten
 * must hold for whatever it accepts. */
#include <stdlib.h>

#include "flatten/flatten.h"
#include "fuzz/zone_input.h"
#include "lint/spf_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keep[] = { "^keep\\." };
	dns_resolver_t *r = fuzz_zone_resolver(data, size);
	const dns_answer_t *a;
	size_t count, len;
	char *src;

	if (r == NULL)
		return 0;
	a = dns_resolver_get(r, "example.com", LDNS_RR_TYPE_TXT);
	src = a->result == DNS_OK ? spf_txt_select(a->rrs, &count, &len) : NULL;
	for (int k = 0; src && k < 2; k++) {
		fl_options_t opt = { .resolve_a_mx = k, .keep = keep,
		    .nkeep = 1, .max_record_bytes = 120 + 300 * k,
		    .max_lookups = 10, .prefix = "_spf" };
		fl_result_t res;

		fl_flatten(&res, r, "example.com", NULL, src, &opt);
		fl_result_clear(&res);
	}
	free(src);
	dns_resolver_free(r);
	return 0;
}
