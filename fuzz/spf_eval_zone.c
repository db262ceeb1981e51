/* Fuzz target: macro expansion, and check_host over a hostile zone.  The
 * input is expanded as a macro-string (as a domain-spec and as explanation
 * text), then loaded as the zone of example.com and evaluated for an IPv4
 * and an IPv6 client, offline. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dns/dns.h"
#include "lint/spf_eval.h"
#include "lint/spf_macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "$ORIGIN example.com.\n$TTL 60\n"
	    "@ SOA ns h 1 2 3 4 5\n";
	spf_macro_ctx_t ctx = { .family = 10, .ip = { 0x20, 0x01, 0x0d, 0xb8,
	    [15] = 1 }, .local = "strong-bad", .sender_domain = "example.com",
	    .domain = "example.com", .helo = "mail.example.com", .now = 1 };
	dns_options_t opt = { .offline = true };
	const char *ips[] = { "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.3" };
	char err[256], path[64];
	dns_resolver_t *r;
	int fd;

	free(spf_macro_expand((const char *)data, size, &ctx, false));
	free(spf_macro_expand((const char *)data, size, &ctx, true));
	if ((fd = memfd_create("zone", 0)) < 0)
		return 0;
	if (write(fd, head, sizeof(head) - 1) < 0 ||
	    (size && write(fd, data, size) < 0)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = dns_resolver_new(&opt, err, sizeof(err));
	if (r && dns_resolver_zone_load(r, path, err, sizeof(err)) == 0)
		for (size_t i = 0; i < 3; i++) {
			spf_request_t q = { .ip = ips[i], .sender =
			    i == 2 ? "" : "user@example.com",
			    .helo = "example.com", .now = 1 };
			spf_outcome_t out;

			if (spf_eval_run(&out, r, &q) == 0)
				spf_outcome_clear(&out);
		}
	dns_resolver_free(r);
	close(fd);
	return 0;
}
