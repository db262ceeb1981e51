/*
 * mx-tls's engine (and mail-audit's tls area): a domain's MX hosts (or
 * the one host given), each one's addresses and TLSA RRset at
 * _PORT._tcp.HOST, then a STARTTLS probe of every address, all domains'
 * together, judged by tls/check.h.  Resolving works in the resolver's
 * deferred mode as in its blocking one, so many domains resolve in
 * lockstep.
 *
 * Ownership: a tls_mx_t owns its hosts, probes, the TLSA records (copied
 * out of the resolver) and findings; tls_mx_clear frees them.
 */
#ifndef AUTHZONE_TLS_MX_H
#define AUTHZONE_TLS_MX_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/dns.h"
#include "lint/finding.h"
#include "tls/check.h"
#include "tls/smtp.h"

#define TLS_MX_HOSTS	16	/* MX hosts probed, by preference */
#define TLS_MX_ADDRS	8	/* addresses of a host probed */

typedef struct tls_mx_addr {
	smtp_probe_t probe;
	tls_cert_verdict_t cert;
	tls_dane_verdict_t dane;
} tls_mx_addr_t;

typedef struct tls_mx_host {
	char name[256];
	unsigned preference;
	char owner[300];	/* _PORT._tcp.NAME */
	dns_answer_t tlsa;	/* a copy: its rrs are the host's */
	tls_dnssec_t dnssec;	/* the RRset validated here, when asked */
	tls_mx_addr_t *addr;
	size_t naddr;
} tls_mx_host_t;

typedef struct tls_mx {
	char domain[256];
	bool null_mx;		/* the domain takes no mail (RFC 7505) */
	bool implicit;		/* no MX: the domain itself (RFC 5321 5.1) */
	tls_mx_host_t host[TLS_MX_HOSTS];
	size_t nhosts;
	lint_findings_t f;
	bool dns_failed;
	char error[300];	/* the first lookup that failed */
	bool resolved;
	bool probed;		/* tls_mx_probe ran over it */
	bool queued;		/* its caller's: waiting for a probe */
} tls_mx_t;

/** Looks up what m->domain's probes need (only host, when not NULL) for
 * port: 1 when all is known, 0 when answers are pending (deferred mode:
 * call again after the resolver waited), -1 on no memory.  m is zeroed
 * with its domain set before the first call. */
int tls_mx_resolve(tls_mx_t *m, dns_resolver_t *r, const char *host,
    unsigned port);

/** Probes every address of the n domains (resolved), at most so's
 * limits at once, and judges each; -1 when no TLS context could be
 * made. */
int tls_mx_probe(tls_mx_t *const *v, size_t n, const smtp_options_t *so,
    const tls_check_options_t *co);

void tls_mx_clear(tls_mx_t *m);

/** What senders that honour MTA-STS meet (RFC 8461 4.2): each probed
 * address of an MX host that one of the policy's mx patterns covers
 * must offer STARTTLS with a certificate that chains and names it; a
 * finding for each that does not, an error under mode enforce, a
 * warning under testing. */
void tls_mx_sts_check(const tls_mx_t *m, const char *const *patterns,
    size_t npatterns, bool enforce, lint_findings_t *f);

#endif
