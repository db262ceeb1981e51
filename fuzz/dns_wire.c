/* Fuzz target: the wire check that stands before libldns, then libldns on
 * what it lets through (a DNS answer as a hostile server sends it). */
#include <stdint.h>
#include <stdlib.h>

#include <ldns/ldns.h>

#include "dns/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ldns_pkt *p = NULL;

	if (dns_wire_check(data, size) != DNS_WIRE_OK)
		return 0;
	if (ldns_wire2pkt(&p, data, size) == LDNS_STATUS_OK)
		ldns_pkt_free(p);
	return 0;
}
