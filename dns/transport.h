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

#include <stdbool.h>

#define DNS_EDNS_SIZE	1232	/* what a query says it takes over UDP */

/** A query for name (normalized, without the final dot) and type, class
 * IN, RD set, with an EDNS OPT record of DNS_EDNS_SIZE, written into buf
 * (at least 300 bytes) with the given ID; its length, 0 when the name
 * does not encode. */
size_t dns_query_wire(uint8_t *buf, const char *name, uint16_t type,
    uint16_t id);

/** A connected non-blocking UDP socket to a, with a source port of the
 * kernel's choosing; -1 on failure. */
int dns_udp_open(const dns_addr_t *a);

/* One exchange over TCP moved along by a poll loop: connect, the framed
 * query out, the framed answer in.  No step blocks. */
typedef struct dns_tcp {
	int fd;
	uint8_t *buf;		/* the framed query, then the framed answer */
	size_t len, done;	/* bytes of buf to move, and moved */
	bool reading;
} dns_tcp_t;

/** Starts the exchange of the message q (qlen bytes) with a; -1 when it
 * cannot even start (t is then closed). */
int dns_tcp_start(dns_tcp_t *t, const dns_addr_t *a, const uint8_t *q,
    size_t qlen);
/** Moves what the socket allows.  1 when the answer is whole (*ans, *alen
 * point into t's buffer), 0 to wait (t->reading tells for what: POLLIN,
 * else POLLOUT), -1 on failure with *why. */
int dns_tcp_io(dns_tcp_t *t, const uint8_t **ans, size_t *alen,
    const char **why);
void dns_tcp_close(dns_tcp_t *t);

/** Sends the message q (qlen bytes, unframed) to a over TCP and reads one
 * answer, all before deadline (a util_now_ms value).  The answer must be a
 * well-formed message (dns/wire.h) whose ID is q's.  0 with *ans (the
 * caller frees it) and *alen; -1 with a message in err. */
int dns_tcp_exchange(const dns_addr_t *a, const uint8_t *q, size_t qlen,
    uint8_t **ans, size_t *alen, uint64_t deadline, char *err,
    size_t errlen);

#endif
