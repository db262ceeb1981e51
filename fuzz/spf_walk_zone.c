/* Fuzz target: a hostile zone file, loaded and walked from example.com.
 * Covers the zone loader, CNAME and wildcard answers, TXT selection and
 * the walker's loops and limits, offline. */
#include "fuzz/zone_input.h"
#include "lint/spf_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dns_resolver_t *r = fuzz_zone_resolver(data, size);
	spf_walk_t w;

	if (r && spf_walk_run(&w, r, NULL, "example.com", NULL, 0, 0) == 0)
		spf_walk_clear(&w);
	dns_resolver_free(r);
	return 0;
}
