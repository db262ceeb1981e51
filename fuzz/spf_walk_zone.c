/* Fuzz target: a hostile zone file, loaded and walked from example.com.
 * Covers the zone loader, CNAME and wildcard answers, TXT selection and
 * the walker's loops and limits, offline. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dns/dns.h"
#include "lint/spf_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "$ORIGIN example.com.\n$TTL 60\n"
	    "@ SOA ns h 1 2 3 4 5\n";
	dns_options_t opt = { .offline = true };
	char err[256], path[64];
	dns_resolver_t *r;
	spf_walk_t w;
	int fd = memfd_create("zone", 0);

	if (fd < 0)
		return 0;
	if (write(fd, head, sizeof(head) - 1) < 0 ||
	    (size && write(fd, data, size) < 0)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = dns_resolver_new(&opt, err, sizeof(err));
	if (r && dns_resolver_zone_load(r, path, err, sizeof(err)) == 0 &&
	    spf_walk_run(&w, r, "example.com", NULL, 0) == 0)
		spf_walk_clear(&w);
	dns_resolver_free(r);
	close(fd);
	return 0;
}
