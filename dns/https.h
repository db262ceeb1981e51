/* HTTPS GET through libcurl, for MTA-STS policies (and BIMI files): the
 * certificate verified for the URL's host, no redirect followed, a size
 * cap and a timeout.  Part of the network layer with the resolver: the
 * URL's host is resolved by the tool's own resolver (so --server and
 * --zone apply) and handed to libcurl, which then asks no resolver of its
 * own; with offline nothing is fetched. */
#ifndef AUTHZONE_DNS_HTTPS_H
#define AUTHZONE_DNS_HTTPS_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/dns.h"

typedef struct https_options {
	const char *ca_pem;		/* trust these CAs (PEM) instead, or NULL */
	size_t ca_len;
	const char *const *connect_to;	/* curl's HOST:PORT:CHOST:CPORT */
	size_t nconnect;
	unsigned timeout_ms;
	size_t max_bytes;
	dns_resolver_t *resolver;	/* resolves the host; NULL: libcurl's */
	bool offline;			/* fetch nothing */
} https_options_t;

typedef enum https_status {
	HTTPS_OK,		/* an HTTP response arrived */
	HTTPS_TLS,		/* the certificate or the handshake failed */
	HTTPS_NOHOST,		/* the host has no address (NXDOMAIN, NODATA) */
	HTTPS_NET,		/* no connection, a timeout, too big */
	HTTPS_DNS,		/* resolving the host failed */
	HTTPS_OFFLINE,		/* not fetched: offline */
	HTTPS_PENDING,		/* the resolver defers: ask again after a wait */
} https_status_t;

typedef struct https_result {
	long code;		/* HTTP status */
	char *content_type;	/* or NULL */
	char *location;		/* a redirect's target, or NULL */
	char *body;
	size_t len;
	char error[512];
} https_result_t;

/** GETs url; fills *res (cleared by the caller with https_result_clear),
 * whose error says why when the status is not HTTPS_OK. */
https_status_t https_get(const char *url, const https_options_t *o,
    https_result_t *res);
void https_result_clear(https_result_t *res);

/** True when a Content-Type value names the media type want (RFC 9110
 * 8.3.1: type/subtype compared without case, parameters after ";"
 * aside): "text/plain; charset=utf-8" is text/plain, "text/plainx" not. */
bool https_media_type_is(const char *content_type, const char *want);

/** True for the statuses that say nothing of the site: the network or DNS
 * kept the fetch from happening (a tool's exit 3). */
bool https_status_is_failure(https_status_t st);

#endif
