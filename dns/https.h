/* HTTPS GET through libcurl, for MTA-STS policies (and BIMI files): the
 * certificate verified for the URL's host, no redirect followed, a size
 * cap and a timeout.  Part of the network layer with the resolver. */
#ifndef AUTHZONE_DNS_HTTPS_H
#define AUTHZONE_DNS_HTTPS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct https_options {
	const char *ca_file;		/* trust these CAs instead, or NULL */
	const char *const *connect_to;	/* curl's HOST:PORT:CHOST:CPORT */
	size_t nconnect;
	unsigned timeout_ms;
	size_t max_bytes;
} https_options_t;

typedef enum https_status {
	HTTPS_OK,		/* an HTTP response arrived */
	HTTPS_TLS,		/* the certificate or the handshake failed */
	HTTPS_NET,		/* no connection, a timeout, too big */
} https_status_t;

typedef struct https_result {
	long code;		/* HTTP status */
	char *content_type;	/* or NULL */
	char *location;		/* a redirect's target, or NULL */
	char *body;
	size_t len;
	char error[256];
} https_result_t;

/** GETs url; fills *res (cleared by the caller with https_result_clear). */
https_status_t https_get(const char *url, const https_options_t *o,
    https_result_t *res);
void https_result_clear(https_result_t *res);

#endif
