/*
 * The scheduler: asks the servers the queries of a run, as many at once
 * as each server takes, and retries what is lost, the way TCP keeps a
 * connection from overrunning a network.
 *
 * Per server it keeps a congestion window of queries in flight (slow
 * start, then additive increase; halved at most once a round trip on
 * loss: AIMD), a retransmission timeout computed from the measured round
 * trips (RFC 6298: SRTT + 4 RTTVAR, 1 s before the first sample, a
 * floor of 50 ms, the --timeout as ceiling; each try of a question waits
 * half again as long as the one before; a sample only from the answer to
 * the try in flight, never from a late answer to an earlier try, which
 * may have sat in the queue or a hold since (Karn, RFC 6298 3), nor from
 * a recursive server's SERVFAIL, which times its upstream), and a pace
 * that spreads a window's sends over a round trip, so that a burst never overruns a server's request list or
 * its response rate limit.  A truncated answer is asked again over TCP at
 * once.  A query that times out is asked again (of the next server) until
 * as much time has passed as a sequential client would have waited,
 * --timeout times the tries: a batch then reports no failure that such a
 * client would not see.  --concurrency is a ceiling on the queries in
 * flight over all servers, not a burst.  Each UDP query has a fresh random
 * ID and a socket of its own while in flight, on a port the kernel picked
 * at random (RFC 5452 9.2); a socket whose answer came asks up to 16
 * queries, one after the other, before it is closed.
 *
 * A recursive server (RA in its answers, or told so) is a queue in front
 * of slower servers: its window also follows its latency (it stops growing
 * while the fastest of its last 16 round trips is 100 ms over its fastest
 * of the last 10 s).  Once the run has had a first window (16) in flight
 * at it at once, its failures may be this load's (before, as a single
 * domain's few questions, they are its answer, taken as an authoritative
 * server's), and its SERVFAIL is congestion: the window halves, the
 * question is held 1, 2, 4, 8 s and asked again, for 16 s at least.  A
 * SERVFAIL it answers as fast as from its cache is a failure it keeps from
 * before (RFC 9520 3.2), not its load: no cut, and the question is asked
 * again every second.  Its silence is asked again at once, for 16 s at
 * least; whether it cuts the window depends on what became of such tries
 * before (the first that timed out stays open for its answer): a resolver
 * that answers most of them late is waiting on its upstream, and is not
 * cut; one that never answers them is losing them, and is (by a fifth
 * after slow start while its latency shows no queue, TCP Veno's backlog
 * under 3; by half else).  A timeout before any round trip was measured
 * cuts nothing.  A question it fails through all the holds waits until
 * nothing else is asked, and a second at least, and is asked once more
 * then, with a sequential client's time and tries (a SERVFAIL from its
 * cache polled for 5 s), before its owner hears it failed.
 *
 * The scheduler knows nothing of what an answer means: it hands each
 * well-formed answer to its question's owner, which says whether it is
 * final or to be asked of the next server (SERVFAIL, REFUSED).
 */
#ifndef AUTHZONE_DNS_SCHED_H
#define AUTHZONE_DNS_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "dns/dns.h"
#include "dns/transport.h"

typedef struct dns_sched dns_sched_t;

typedef struct dns_sched_options {
	const dns_addr_t *servers;
	size_t nservers;
	unsigned timeout_ms;	/* the longest wait of a try: the RTO's cap */
	unsigned retries;	/* tries after the first, at least */
	unsigned ceiling;	/* queries in flight, all servers together */
	dns_server_kind_t kind;	/* of the servers: given, or told by RA */
} dns_sched_options_t;

/* What the owner of the questions does with their outcome */
typedef struct dns_sched_handler {
	/* A well-formed answer to job's question from server; extra is the
	 * round trips spent before it (retries, a TCP retry).  Takes p.
	 * Returns true when it is final, false to ask the next server. */
	bool (*answer)(void *arg, void *job, ldns_pkt *p, const char *server,
	    unsigned extra);
	/* job's tries are spent: res (DNS_TIMEOUT, DNS_NETERROR, or what
	 * the last answer was) and why. */
	void (*fail)(void *arg, void *job, dns_result_t res,
	    const char *server, const char *why, unsigned extra);
	void *arg;
} dns_sched_handler_t;

/** A scheduler for these servers, their state kept across runs; NULL on
 * no memory.  Free with dns_sched_free. */
dns_sched_t *dns_sched_new(const dns_sched_options_t *o);
void dns_sched_free(dns_sched_t *s);

/** Adds a question to ask: name normalized, job the owner's.  May be
 * called from the handler during a run. */
int dns_sched_add(dns_sched_t *s, const char *name, ldns_rr_type type,
    void *job);

/** Asks every question added, and those the handler adds, until each is
 * answered or failed, or (enough > 0) until enough of them are: the rest
 * stay on their way for the next run.  What is left at deadline (a
 * util_now_ms value) fails as DNS_TIMEOUT. */
void dns_sched_run(dns_sched_t *s, uint64_t deadline,
    const dns_sched_handler_t *h, unsigned long enough);
/** Questions not answered or failed yet. */
size_t dns_sched_pending(const dns_sched_t *s);

/** Adds the scheduler's counters to st. */
void dns_sched_stats(const dns_sched_t *s, dns_stats_t *st);

#endif
