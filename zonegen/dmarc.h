/* DMARC records that the generators share. */
#ifndef AUTHZONE_ZONEGEN_DMARC_H
#define AUTHZONE_ZONEGEN_DMARC_H

#include <stddef.h>
#include <stdint.h>

#include "zonegen/records.h"
#include "zonegen/set.h"

/** Adds to set, once per host, the record that each report destination
 * outside domain's tree publishes to accept domain's reports (RFC 9989
 * 4.6; RFC 7489 7.1): <domain>._report._dmarc.<host> TXT "v=DMARC1;".
 * uris are rua= and ruf= URIs; those that are not mailto: add nothing. */
void zg_dmarc_authorizations(zg_set_t *set, const char *domain,
    const char *const *uris, size_t n, uint32_t ttl);

/** Adds to set the _dmarc record of domain made from d (*record: its
 * text, which the caller frees), with note, and the authorizations of its
 * rua and ruf destinations.  -1 on no memory. */
int zg_dmarc_set(zg_set_t *set, const char *domain, const zg_dmarc_t *d,
    uint32_t ttl, const char *note, char **record);

#endif
