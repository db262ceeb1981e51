/*
 * What the resolver and the RFC 2136 updater share of the network: server
 * addresses as users write them, and one DNS exchange over TCP that keeps
 * to a deadline whatever the server does (a drip-fed or endless answer
 * included).
 */
#ifndef AUTHZONE_DNS_TRANSPORT_H
#define AUTHZONE_DNS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct dns_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char text[72];		/* "192.0.2.1#53", "::1#5353" */
} dns_addr_t;

/** Parses "ADDR", "ADDR@PORT", "ADDR#PORT", "[V6]:PORT", "[V6]@PORT" or
 * "V4:PORT" (port 53 by default); -1 when it is none of those. */
int dns_addr_parse(dns_addr_t *a, const char *text);

/** Sends the message q (qlen bytes, unframed) to a over TCP and reads one
 * answer, all before deadline (a util_now_ms value).  The answer must be a
 * well-formed message (dns/wire.h) whose ID is q's.  0 with *ans (the
 * caller frees it) and *alen; -1 with a message in err. */
int dns_tcp_exchange(const dns_addr_t *a, const uint8_t *q, size_t qlen,
    uint8_t **ans, size_t *alen, uint64_t deadline, char *err,
    size_t errlen);

#endif
