/* Fuzz target: macro expansion, and check_host over a hostile zone.  The
 * input is expanded as a macro-string (as a domain-spec and as explanation
 * text), then loaded as the zone of example.com and evaluated for an IPv4,
 * an IPv6 and an IPv4-mapped client, offline. */
#include <stdlib.h>

#include "fuzz/zone_input.h"
#include "lint/spf_eval.h"
#include "lint/spf_macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	spf_macro_ctx_t ctx = { .family = 10, .ip = { 0x20, 0x01, 0x0d, 0xb8,
	    [15] = 1 }, .local = "strong-bad", .sender_domain = "example.com",
	    .domain = "example.com", .helo = "mail.example.com", .now = 1 };
	const char *ips[] = { "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.3" };
	dns_resolver_t *r;

	free(spf_macro_expand((const char *)data, size, &ctx, false));
	free(spf_macro_expand((const char *)data, size, &ctx, true));
	if ((r = fuzz_zone_resolver(data, size)) == NULL)
		return 0;
	for (size_t i = 0; i < 3; i++) {
		spf_request_t q = { .ip = ips[i], .sender = i == 2 ? "" :
		    "user@example.com", .helo = "example.com", .now = 1 };
		spf_outcome_t out;

		if (spf_eval_run(&out, r, &q) == 0)
			spf_outcome_clear(&out);
	}
	dns_resolver_free(r);
	return 0;
}
