/*
 * The resolver every tool shares.
 *
 * Answers come from three places, in this order: the per-run cache, the
 * zone files given with --zone (authoritative for every name under their
 * origins, NXDOMAIN and NODATA included), and live DNS through libldns
 * wire code over our own sockets.  Live queries are asynchronous: callers
 * submit every query they already know they need, then wait once, and the
 * engine keeps several in flight at a time.  This is what lets the SPF
 * walker fetch a whole level of a tree in one round trip.
 *
 * The resolver counts queries sent and the sequential round trips on the
 * critical path ("rounds"): a query submitted before a wait is one round
 * deeper than the deepest answer already waited for; a CNAME chase, a retry
 * after a timeout and a TCP retry after truncation each add one.
 *
 * An answer is read only when its ID, question name, type and class match
 * the query.  Before libldns parses it, dns/wire.c refuses what no tool
 * can use: a UDP answer over the 1,232 bytes advertised, over 512 records,
 * a record over 16,384 bytes or a TXT record of over 128 strings, a
 * malformed name.  Such an answer, a CNAME loop or a chain of over 8
 * names is a failure of the try (the next server is asked while tries
 * remain), never "no records"; the answer's source says what was wrong.
 *
 * Names are given as text, absolute, with or without the final dot; they
 * are compared case-insensitively.
 */
#ifndef AUTHZONE_DNS_H
#define AUTHZONE_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "util/name.h"
#include "util/txt.h"

#define DNS_MAX_SERVERS	8	/* servers a resolver asks */

typedef enum dns_result {
	DNS_OK,			/* NOERROR with records of the type */
	DNS_NODATA,		/* NOERROR, the name has no such records */
	DNS_NXDOMAIN,		/* the name does not exist */
	DNS_SERVFAIL,		/* SERVFAIL from every server tried */
	DNS_REFUSED,		/* REFUSED or another error rcode */
	DNS_TIMEOUT,		/* no answer in time, or the deadline passed */
	DNS_BADNAME,		/* not a valid DNS name; never sent */
	DNS_NETERROR,		/* socket error or malformed answer */
	DNS_UNAVAILABLE,	/* --offline and no zone file covers the name */
	DNS_PENDING,		/* deferred mode: asked, not answered yet */
} dns_result_t;

typedef struct dns_answer {
	dns_result_t result;
	/* Records of the asked type at the end of any CNAME chain, owned by
	 * the resolver; NULL unless result is DNS_OK. */
	ldns_rr_list *rrs;
	/* The name the records are at when a CNAME was followed, else NULL. */
	const char *canonical;
	/* Where the answer came from: "zone db.example.com", "127.0.0.1#53". */
	const char *source;
	/* Size in bytes of a plain DNS response carrying these records (no
	 * EDNS, no authority or additional data). */
	size_t wire_size;
	/* The server set AD: a validating resolver proved the records
	 * (RFC 4035 3.2.3, asked for as RFC 6840 5.7 says); never from a
	 * zone file, and only as good as the path to that resolver */
	bool secure;
	/* Tells this answer from any other of the process, even one made
	 * later at the same address: 0 for the resolver's fixed answers */
	unsigned long id;
} dns_answer_t;

/* What the servers asked are: told by their answers (RA), or given */
typedef enum dns_server_kind {
	DNS_SERVER_DETECT = 0,		/* recursive once an answer has RA */
	DNS_SERVER_RECURSIVE,		/* --recursive */
	DNS_SERVER_AUTHORITATIVE,	/* --authoritative */
} dns_server_kind_t;

typedef struct dns_options {
	const char *const *servers;	/* "ADDR[@PORT]"; none: resolv.conf */
	size_t nservers;
	unsigned timeout_ms;		/* per try; 0: 2000 */
	unsigned retries;		/* extra tries after the first */
	unsigned deadline_ms;		/* the whole run; 0: 30000 */
	bool offline;			/* zone files only */
	unsigned max_in_flight;		/* ceiling of queries out; 0: 256 */
	dns_server_kind_t kind;		/* of every server asked */
} dns_options_t;

typedef struct dns_stats {
	unsigned long queries;		/* sent to servers, retries included */
	unsigned long answered_from_zone;
	unsigned rounds;		/* sequential round trips, critical path */
	unsigned max_in_flight;
	unsigned long retries;		/* tries after a question's first */
	unsigned long timeouts;		/* tries that got no answer in time */
	unsigned long truncated;	/* UDP answers with TC set */
	unsigned long tcp;		/* questions asked again over TCP */
	unsigned long backoffs;		/* windows halved on loss */
	unsigned long servfails;	/* a recursive server's SERVFAILs */
	unsigned long idle_retries;	/* questions it kept failing, asked
					 * once more when nothing else was */
	unsigned long late;		/* timed-out tries answered after all */
	unsigned long refused;		/* answers refused by the wire check */
	unsigned window;		/* the servers' windows at the end */
	unsigned rto_ms;		/* the first server's timeout at the end */
	unsigned long evicted;		/* answers dropped from the cache */
	unsigned long reasked;		/* of them, asked for again */
} dns_stats_t;

typedef struct dns_resolver dns_resolver_t;

/** A resolver, or NULL with a message in err.  Free with dns_resolver_free. */
dns_resolver_t *dns_resolver_new(const dns_options_t *opt, char *err,
    size_t errlen);
void dns_resolver_free(dns_resolver_t *r);

/** Loads a zone file whose answers take precedence; -1 with err on failure. */
int dns_resolver_zone_load(dns_resolver_t *r, const char *path, char *err,
    size_t errlen);

/** Queues a query unless its answer is cached or already on its way. */
void dns_resolver_submit(dns_resolver_t *r, const char *name,
    ldns_rr_type type);

/** Resolves everything submitted, concurrently, within the deadline. */
void dns_resolver_wait(dns_resolver_t *r);
/** The same, but returns once half of what is on its way is answered:
 * the rest stays on its way.  A batch moves on with the domains whose
 * answers came instead of waiting for the slowest. */
void dns_resolver_wait_some(dns_resolver_t *r);

/** The answer for name/type, resolving it now if needed; owned by r. */
const dns_answer_t *dns_resolver_get(dns_resolver_t *r, const char *name,
    ldns_rr_type type);

/** The answer if it is already known, else NULL after submitting the
 * query (answered by the next dns_resolver_wait). */
const dns_answer_t *dns_resolver_peek(dns_resolver_t *r, const char *name,
    ldns_rr_type type);

/** Deferred mode, for callers that run many checks in lockstep: while it
 * is on, dns_resolver_get never waits; an answer not known yet is
 * submitted and comes back as DNS_PENDING (a failure).  The caller reruns
 * the check after dns_resolver_wait, until it asked for nothing unknown. */
void dns_resolver_defer(dns_resolver_t *r, bool on);
bool dns_resolver_deferring(const dns_resolver_t *r);
/** How many answers were asked for before they were known (a peek that
 * returned NULL, a deferred get), ever: compare before and after a check
 * to know whether it saw everything it needed. */
unsigned long dns_resolver_misses(const dns_resolver_t *r);
/** Moves the deadline to ms milliseconds from now (a batch gives each
 * wait its own). */
void dns_resolver_deadline_set(dns_resolver_t *r, unsigned ms);

/** Calls fn for every owner name of every zone file loaded, zone by zone
 * in load order, names in DNS canonical order, with the name's records. */
void dns_resolver_zone_each(const dns_resolver_t *r,
    void (*fn)(const char *name, const ldns_rr_list *rrs, void *arg),
    void *arg);

/** Copies the counters of queries, cache hits and rounds into st. */
void dns_resolver_stats(const dns_resolver_t *r, dns_stats_t *st);

/* Memory for a batch: each round of the driver is an epoch, and between
 * two rounds the driver trims.  Answers that no check asked for since
 * epoch `since` (the round the oldest domain still open started in) nor
 * in this epoch or the one before are dropped, except those asked for
 * often (a provider's include), up to a cap; what is queued or on its way
 * stays.  Answers returned before a trim must not be used after it. */
/** Starts a new epoch; returns its number (the first is 1). */
unsigned long dns_resolver_epoch(dns_resolver_t *r);
void dns_resolver_trim(dns_resolver_t *r, unsigned long since);
/** The answers held, for tests. */
size_t dns_resolver_cached(const dns_resolver_t *r);

/** A short lowercase word for a result: "nxdomain", "timeout", ... */
const char *dns_result_str(dns_result_t res);
/** True for NXDOMAIN and NODATA: a "void lookup" in RFC 7208's words. */
bool dns_result_is_void(dns_result_t res);
/** True when no verdict can be drawn from the answer (timeout, SERVFAIL..). */
bool dns_result_is_failure(dns_result_t res);

#endif
