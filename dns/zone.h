/*
 * Answers from a zone file, as its authoritative server would give them:
 * records at a name, NODATA for a name that exists (or is an empty
 * non-terminal) without the type, NXDOMAIN for a name under the origin that
 * does not exist, CNAME to follow, and RFC 4592 wildcards.
 */
#ifndef AUTHZONE_DNS_ZONE_H
#define AUTHZONE_DNS_ZONE_H

#include <stdbool.h>
#include <ldns/ldns.h>

typedef struct dns_zone dns_zone_t;

typedef enum dns_zone_result {
	DNS_ZONE_ANSWER,
	DNS_ZONE_NODATA,
	DNS_ZONE_NXDOMAIN,
	DNS_ZONE_CNAME,
} dns_zone_result_t;

/** Parses a zone file with ldns; NULL with a message in err.  The origin is
 * the owner of its SOA record.  Free with dns_zone_free. */
dns_zone_t *dns_zone_load(const char *path, char *err, size_t errlen);
void dns_zone_free(dns_zone_t *z);

/** The zone's origin, normalized (lowercase, no final dot). */
const char *dns_zone_origin(const dns_zone_t *z);
/** The path it was read from. */
const char *dns_zone_path(const dns_zone_t *z);

/** How many labels of name lie at or under the origin: -1 when outside. */
int dns_zone_covers(const dns_zone_t *z, const char *name);

/** Looks name (normalized) up.  On DNS_ZONE_ANSWER *rrs is a copy the
 * caller frees with ldns_rr_list_deep_free; on DNS_ZONE_CNAME *target is
 * the normalized target, which the caller frees. */
dns_zone_result_t dns_zone_lookup(const dns_zone_t *z, const char *name,
    ldns_rr_type type, ldns_rr_list **rrs, char **target);

/** Calls fn for every name of the zone that owns records, in DNS canonical
 * order (RFC 4034 6.1), with its records. */
void dns_zone_each(const dns_zone_t *z,
    void (*fn)(const char *name, const ldns_rr_list *rrs, void *arg),
    void *arg);

#endif
