/* For the fuzz targets: an offline resolver whose one zone, example.com,
 * is the input after a fixed SOA. */
#ifndef AUTHZONE_FUZZ_ZONE_INPUT_H
#define AUTHZONE_FUZZ_ZONE_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dns/dns.h"

/** The resolver, or NULL when the zone does not load; the caller frees it
 * with dns_resolver_free. */
static inline dns_resolver_t *
fuzz_zone_resolver(const uint8_t *data, size_t size)
{
	static const char head[] = "$ORIGIN example.com.\n$TTL 60\n"
	    "@ SOA ns h 1 2 3 4 5\n";
	dns_options_t opt = { .offline = true };
	char err[256], path[64];
	dns_resolver_t *r = NULL;
	int fd = memfd_create("zone", 0);

	if (fd < 0)
		return NULL;
	if (write(fd, head, sizeof(head) - 1) == (ssize_t)(sizeof(head) - 1) &&
	    (size == 0 || write(fd, data, size) == (ssize_t)size)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = dns_resolver_new(&opt, err, sizeof(err));
		if (r && dns_resolver_zone_load(r, path, err, sizeof(err)) != 0) {
			dns_resolver_free(r);
			r = NULL;
		}
	}
	close(fd);
	return r;
}

#endif
