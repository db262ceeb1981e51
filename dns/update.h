/* RFC 2136 dynamic updates, signed with TSIG (RFC 8945), through ldns. */
#ifndef AUTHZONE_DNS_UPDATE_H
#define AUTHZONE_DNS_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

typedef struct dns_tsig {
	char name[256];
	char alg[64];		/* "hmac-sha256." and the like */
	char secret[512];	/* base64 */
} dns_tsig_t;

/** Parses "NAME:ALG:SECRET"; -1 with a message in err. */
int dns_tsig_parse(const char *text, dns_tsig_t *t, char *err, size_t len);
/** Reads the first key of a BIND key file (key "name" { algorithm ...;
 * secret "..."; };); -1 with a message in err. */
int dns_tsig_load(const char *path, dns_tsig_t *t, char *err, size_t len);

/** Wipes the key (its secret above all) once it is no longer needed. */
void dns_tsig_clear(dns_tsig_t *t);

/** Sends one update for zone to server (ADDR[@PORT]) over TCP: deletes
 * every RR of del (class NONE: that record; class ANY: the RRset), then
 * adds every RR of add; signed with tsig when not NULL, and then the
 * answer must be signed with it too.  All before deadline (a util_now_ms
 * value), whatever the server does.  0 on NOERROR, else -1 with a message
 * in err.  The lists stay the caller's. */
int dns_update_send(const char *server, const char *zone,
    const ldns_rr_list *del, const ldns_rr_list *add, const dns_tsig_t *tsig,
    uint64_t deadline, char *err, size_t len);

#endif
