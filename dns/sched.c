#include "dns/sched.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns/wire.h"
#include "util/random.h"
#include "util/time.h"

#define RTO_FLOOR_US	50000		/* 50 ms */
#define RTO_FIRST_US	1000000		/* before the first sample: 1 s */
#define WINDOW_FIRST	16.0		/* queries a server gets at first */
#define WINDOW_MIN	2.0		/* and at least */
#define MAX_TRIES	16
#define TCP_MAX		16		/* TCP exchanges a server at once */
#define SERVFAIL_PAUSE_US 100000	/* before asking again, doubled */
#define SERVFAIL_HOLD_US 1000000	/* the same for a recursive server: the
					 * least time it keeps a failure
					 * (RFC 9520 3.2) */
#define SERVFAIL_RECURSIVE_US 16000000	/* how long its SERVFAIL is asked
					 * again: holds of 1, 2, 4, 8 s (a
					 * 16 s hold more kept no failure less
					 * through Knot Resolver, and would
					 * outlast a single run's 30 s
					 * deadline) */
#define CACHE_SLACK_US	5000		/* an answer from a server's cache takes
					 * twice its fastest round trip and
					 * this at most: the loop here may read
					 * it late */
#define KEPT_MAX_US	5000000		/* the longest a resolver keeps a
					 * failure, as far as asked when idle */
#define LAST_TRY_US	500000		/* the last try's lead on the budget's
					 * end, a try's timeout at most */
#define PACE_MIN_US	20		/* the finest spacing of sends */
#define BASE_WINDOW_US	10000000	/* a recursive server's unloaded
					 * latency: its fastest answer of 10 s */
#define RECENT		16		/* its latency now: the fastest of its
					 * last answers */
#define QUEUE_HOLD_US	100000		/* that far over the unloaded, more
					 * than most cache misses cost: the
					 * window stops growing */
#define RANDOM_BACKLOG	3.0		/* a loss with fewer of the window's
					 * questions queued than this is random
					 * (TCP Veno's beta) */
#define RANDOM_KEEP	0.8		/* of the window, after a random loss */
#define LATE_WEIGHT	0.125		/* of a timed-out try's outcome in the
					 * share answered late */
#define LATE_SLOW	0.5		/* a recursive server that answers this
					 * share of them late is slow, not
					 * losing: no cut */
#define SOCKET_USES	16		/* queries a UDP socket asks, one after
					 * the other, before it is closed */

struct server {
	dns_addr_t addr;
	double srtt, rttvar;	/* microseconds; srtt 0: no sample yet */
	uint64_t rto;		/* microseconds */
	double cwnd, ssthresh;
	unsigned inflight;
	uint64_t next_send;	/* pacing: not before this (us) */
	uint64_t last_cut;	/* the last halving of cwnd (us) */
	double prior_cwnd, prior_ssthresh;	/* before it */
	unsigned tcp;		/* TCP exchanges open */
	bool limiting;		/* it truncated an answer that fits in a
				 * datagram: a rate limit, which drops too;
				 * a lost try goes over TCP */
	bool recursive;		/* it offers recursion (RA): a queue in
				 * front of other servers, whose SERVFAIL
				 * is congestion first */
	bool kind_given;	/* --recursive, --authoritative: RA is not
				 * looked at */
	bool loaded;		/* it has had a first window of this run's
				 * questions at once: its failures may be
				 * this load's.  Before, they are its
				 * answer (a single domain asks 2 to 6 at
				 * once), as for a client asking one at a
				 * time */
	double base;		/* the least round trip since base_at (us) */
	uint64_t base_at;
	double recent[RECENT];	/* the last round trips, a ring (us) */
	unsigned nrecent;
	double fastest;		/* the least round trip sampled (us): an
				 * answer from its cache */
	double answered_late;	/* of its tries that timed out, the share
				 * answered after all (a moving average) */
	uint64_t first_answer;	/* when it first answered (us), or 0 */
	/* UDP sockets connected to it, free: a socket whose query was
	 * answered asks the next one (a fresh random ID each time), up to
	 * SOCKET_USES, which spares a socket, connect and close a query;
	 * its source port stays the kernel's random one (RFC 5452 9.2),
	 * and one socket has one query in flight at a time */
	struct idle { int fd; unsigned uses; } *idle;
	size_t nidle, idle_cap;
};

/* a question, waiting or in flight */
struct flight {
	void *job;
	char name[256];
	ldns_rr_type type;
	size_t server;
	unsigned tries;		/* sent so far */
	unsigned servfails;	/* a recursive server's SERVFAILs so far */
	unsigned extra;		/* round trips spent before this try */
	uint64_t first;		/* when it was first sent (us) */
	uint64_t sent;		/* when this try was sent (us) */
	uint64_t expires;	/* when this try times out (us) */
	uint64_t not_before;	/* held until then (us) */
	uint16_t id;
	int fd;			/* UDP; -1 when not in flight */
	unsigned fd_uses;	/* queries fd asked, this one included */
	int late_fd;		/* the try before, timed out but open: its
				 * answer is taken if it comes late; -1 */
	uint16_t late_id;
	uint64_t late_sent;
	size_t late_server;	/* which server it went to */
	bool tcp;		/* this try is over TCP */
	bool want_tcp;		/* the next try goes over TCP */
	bool truncated;		/* the last UDP answer was */
	dns_tcp_t conn;
	uint8_t wire[300];
	size_t wlen;
	const char *why;	/* why the last try was refused */
	bool idle_try;		/* held until its server idled, and asked
				 * once more then, as a sequential client
				 * would have asked it */
	bool idle_wait;		/* held so still */
};

struct dns_sched {
	struct server servers[DNS_MAX_SERVERS];
	size_t nservers, next_server;
	unsigned timeout_ms, retries, ceiling;
	struct flight *wait;	/* added, not sent yet: a FIFO */
	size_t nwait, wait_head, wait_cap;
	struct flight *fly;	/* in flight */
	size_t nfly, fly_cap;
	struct pollfd *pfd;
	struct flight *hold;	/* to be asked again later (SERVFAIL) */
	size_t nhold, hold_cap;
	unsigned long done;	/* questions answered or failed, ever */
	dns_stats_t st;
};

static void late_close(struct flight *f);
static void flight_close(dns_sched_t *s, struct flight *f);

dns_sched_t *
dns_sched_new(const dns_sched_options_t *o)
{
	dns_sched_t *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->nservers = o->nservers < DNS_MAX_SERVERS ? o->nservers :
	    DNS_MAX_SERVERS;
	s->timeout_ms = o->timeout_ms ? o->timeout_ms : 2000;
	s->retries = o->retries;
	s->ceiling = o->ceiling ? o->ceiling : 64;
	for (size_t i = 0; i < s->nservers; i++) {
		struct server *v = &s->servers[i];

		v->addr = o->servers[i];
		v->rto = (uint64_t)s->timeout_ms * 1000 < RTO_FIRST_US ?
		    (uint64_t)s->timeout_ms * 1000 : RTO_FIRST_US;
		v->cwnd = WINDOW_FIRST < s->ceiling ? WINDOW_FIRST :
		    s->ceiling;
		v->ssthresh = s->ceiling;
		v->kind_given = o->kind != DNS_SERVER_DETECT;
		v->recursive = o->kind == DNS_SERVER_RECURSIVE;
		/* slow, not losing, until a try that timed out and was
		 * never answered says otherwise */
		v->answered_late = LATE_SLOW;
	}
	return s;
}

void
dns_sched_free(dns_sched_t *s)
{
	if (s == NULL)
		return;
	for (size_t i = s->wait_head; i < s->nwait; i++)
		late_close(&s->wait[i]);
	for (size_t i = 0; i < s->nhold; i++)
		late_close(&s->hold[i]);
	for (size_t i = 0; i < s->nfly; i++) {
		flight_close(s, &s->fly[i]);
		late_close(&s->fly[i]);
	}
	for (size_t i = 0; i < s->nservers; i++) {
		struct server *v = &s->servers[i];

		for (size_t k = 0; k < v->nidle; k++)
			close(v->idle[k].fd);
		free(v->idle);
	}
	free(s->hold);
	free(s->wait);
	free(s->fly);
	free(s->pfd);
	free(s);
}

static int wait_reserve(dns_sched_t *s, bool front);

int
dns_sched_add(dns_sched_t *s, const char *name, ldns_rr_type type, void *job)
{
	struct flight *f;

	if (s->nservers == 0 || wait_reserve(s, false) != 0)
		return -1;
	f = &s->wait[s->nwait++];
	memset(f, 0, sizeof(*f));
	f->job = job;
	f->type = type;
	f->fd = -1;
	f->late_fd = -1;
	f->conn.fd = -1;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->server = s->next_server++ % s->nservers;
	return 0;
}

/* ---- the congestion state of a server ---- */

/* Whether v's SERVFAIL and silence may be congestion: it is a queue in
 * front of slower servers, and this run has loaded it */
static bool
congested(const struct server *v)
{
	return v->recursive && v->loaded;
}

/* A try went to v: a first window of them in flight at once loads it */
static void
load_note(struct server *v)
{
	if (v->inflight + v->tcp >= WINDOW_FIRST)
		v->loaded = true;
}

/* The fastest of a server's last RECENT round trips (us) */
static double
recent_min(const struct server *v)
{
	unsigned n = v->nrecent < RECENT ? v->nrecent : RECENT;
	double m = n ? v->recent[0] : 0;

	for (unsigned i = 1; i < n; i++)
		if (v->recent[i] < m)
			m = v->recent[i];
	return m;
}

/* A recursive server is a queue in front of slower ones: its answers
 * come late before it fails (its request list fills), so its window
 * grows only while its latency shows no queue, as in TCP Vegas.  Its
 * queue is read from its fastest recent answers, which a queue of its
 * own slows as much as the slowest, against its fastest of the last
 * BASE_WINDOW_US: its cache misses wait on its upstream, not on it (a
 * smoothed round trip, 160 to 280 ms through Unbound while NSD's rate
 * limit dropped its queries, and its cache hits 0.1 ms, held a window at
 * 30 for 20 s), and the base follows the run's phase.  Shrinking on
 * latency as well cost half the rate through Unbound and no failure
 * less: its losses and SERVFAILs cut the window.  False when the window
 * may not grow. */
static bool
queue_check(struct server *v, double rtt, uint64_t now)
{
	v->recent[v->nrecent++ % RECENT] = rtt;
	if (v->base == 0 || rtt < v->base ||
	    now - v->base_at > BASE_WINDOW_US) {
		v->base = now - v->base_at > BASE_WINDOW_US ? recent_min(v) :
		    rtt;
		v->base_at = now;
	}
	return recent_min(v) <= v->base + QUEUE_HOLD_US;
}

static void
rtt_sample(dns_sched_t *s, struct server *v, uint64_t rtt, uint64_t now)
{
	double r = (double)rtt, var;

	if (v->fastest == 0 || r < v->fastest)
		v->fastest = r;
	if (v->srtt == 0) {
		v->srtt = r;
		v->rttvar = r / 2;
	} else {	/* RFC 6298 2.3: alpha 1/8, beta 1/4 */
		v->rttvar = 0.75 * v->rttvar + 0.25 * (v->srtt > r ?
		    v->srtt - r : r - v->srtt);
		v->srtt = 0.875 * v->srtt + 0.125 * r;
	}
	var = 4 * v->rttvar > 1000 ? 4 * v->rttvar : 1000;
	v->rto = (uint64_t)(v->srtt + var);
	if (v->rto < RTO_FLOOR_US)
		v->rto = RTO_FLOOR_US;
	if (v->rto > (uint64_t)s->timeout_ms * 1000)
		v->rto = (uint64_t)s->timeout_ms * 1000;
	if (v->recursive && !queue_check(v, r, now))
		return;
	/* an answer: the window grows (slow start, then by 1/cwnd) */
	v->cwnd += v->cwnd < v->ssthresh ? 1.0 : 1.0 / v->cwnd;
	if (v->cwnd > s->ceiling)
		v->cwnd = s->ceiling;
}

/* The window halves (a loss, or a recursive server's SERVFAIL): once a
 * window, as a try sent before the last cut was lost in the same event
 * (its timeout is only noticed later) */
static void
cut(dns_sched_t *s, struct server *v, uint64_t sent, uint64_t now,
    double keep)
{
	if (sent > v->last_cut) {
		v->prior_cwnd = v->cwnd;
		v->prior_ssthresh = v->ssthresh;
		v->ssthresh = v->cwnd * keep > WINDOW_MIN ? v->cwnd * keep :
		    WINDOW_MIN;
		v->cwnd = v->ssthresh;
		v->last_cut = now;
		s->st.backoffs++;
	}
}

/* A lost try.  A recursive server whose latency shows no queue lost it
 * to its own upstream (a cache miss that took long, a drop by an
 * authoritative server's rate limit), not to this client's load: its
 * window loses a fifth, not half, as in TCP Veno, where the backlog is
 * the window times the share of the round trip spent queued (here of
 * its fastest recent one, which its own queue alone slows).  Halving
 * on each of these (1 to 3 a quarter of a second through BIND, while
 * every other answer took 20.5 ms) held its window at 12 to 40.  A loss
 * in slow start halves it still: the window doubled in the last round
 * trip, faster than the latency can show a queue (through Unbound, 113
 * losses in the first half second looked random, and its round trip then
 * rose from 60 to 250 ms). */
static void
loss(dns_sched_t *s, struct server *v, uint64_t sent, uint64_t now)
{
	s->st.timeouts++;
	/* a recursive server that answers most of its timed-out tries
	 * after all is waiting on its upstream, not dropping questions:
	 * fewer at once would not make it faster (through Unbound, while
	 * NSD's rate limit dropped its queries, a window cut from 256 to
	 * 40 left its latency at 200 ms and the batch at a third of its
	 * pace), and a late answer undoes a cut only once.  Questions it
	 * drops are never answered, and bring the cuts back.  Nor is a try
	 * to any server lost before a round trip was measured: the first
	 * timeout is a guess, and a cold resolver's first answers wait for
	 * its own start (Unbound's took 1.3 s, before its RA bit was seen,
	 * and the cut left a batch at 80 a second). */
	if (v->srtt == 0 || (v->recursive && v->answered_late >= LATE_SLOW))
		return;
	double fast = recent_min(v);
	bool random = v->recursive && v->cwnd >= v->ssthresh && fast > 0 &&
	    v->cwnd * (fast - v->base) / fast < RANDOM_BACKLOG;

	cut(s, v, sent, now, random ? RANDOM_KEEP : 0.5);
}

/* How long try number tries (1, 2, ...) waits: the server's RTO, backed
 * off by half again for each try before it, --timeout at most.  The
 * window, not this, keeps a losing server from more load: a random loss
 * is best met by asking again soon. */
static uint64_t
try_timeout(const dns_sched_t *s, const struct server *v, unsigned tries)
{
	uint64_t t = v->rto, cap = (uint64_t)s->timeout_ms * 1000;

	for (unsigned i = 1; i < tries && t < cap; i++)
		t += t / 2;
	return t < cap ? t : cap;
}

/* Whether an answer that took took_us came from the server's cache */
static bool
from_cache(const struct server *v, uint64_t took_us)
{
	return v->fastest > 0 && took_us <= 2 * v->fastest + CACHE_SLACK_US;
}

/* What became of a try that timed out, sent at sent: answered after all,
 * it was late, not lost, and the cut it caused is undone (as TCP's Eifel
 * response does); the server's share of them answered late follows, but
 * for tries sent before its first answer (a cold Unbound left its first
 * questions unanswered while it started, and answered their second tries
 * 1.4 s later) */
static void
late_outcome(dns_sched_t *s, struct server *v, bool answered, uint64_t sent)
{
	if (v->first_answer > 0 && sent >= v->first_answer)
		v->answered_late += LATE_WEIGHT * (answered -
		    v->answered_late);
	if (!answered)
		return;
	if (v->cwnd < v->prior_cwnd) {
		v->cwnd = v->prior_cwnd;
		v->ssthresh = v->prior_ssthresh;
	}
	s->st.late++;
}

/* ---- one question ---- */

/* job's tries are over: the owner hears why */
static void
job_fail(dns_sched_t *s, const dns_sched_handler_t *h, void *job,
    dns_result_t res, const char *server, const char *why, unsigned extra)
{
	s->done++;
	h->fail(h->arg, job, res, server, why, extra);
}

static bool matches(const struct flight *f, const uint8_t *buf, size_t len);

static void
late_close(struct flight *f)
{
	if (f->late_fd >= 0)
		close(f->late_fd);
	f->late_fd = -1;
}

/* Whether the n bytes read on f's late socket answer its late try */
static bool
late_match(const struct flight *f, const uint8_t *buf, ssize_t n)
{
	return n >= 2 && n <= DNS_EDNS_SIZE &&
	    (buf[0] << 8 | buf[1]) == f->late_id;
}

/* f's late try is given up (f was answered by a later try, or failed):
 * its server hears whether it was answered, then or never.  An
 * answer already waiting counts: a resolver answers every try of a
 * question it merged at once, and this one's may be read only now. */
static void
late_end(dns_sched_t *s, struct flight *f)
{
	uint8_t buf[DNS_EDNS_SIZE + 1];
	ssize_t n;

	if (f->late_fd < 0)
		return;
	n = recv(f->late_fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	late_outcome(s, &s->servers[f->late_server], late_match(f, buf, n),
	    f->late_sent);
	late_close(f);
}

static void
flight_close(dns_sched_t *s, struct flight *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
		s->servers[f->server].inflight--;
	}
	if (f->tcp) {
		dns_tcp_close(&f->conn);
		f->tcp = false;
		s->servers[f->server].tcp--;
	}
}

/* f's query was answered: its UDP socket asks another, while it has
 * uses left and there is room to keep it */
static void
flight_release(dns_sched_t *s, struct flight *f)
{
	struct server *v = &s->servers[f->server];

	if (f->fd >= 0 && f->fd_uses < SOCKET_USES) {
		if (v->nidle == v->idle_cap) {
			size_t cap = v->idle_cap ? v->idle_cap * 2 : 16;
			struct idle *n = realloc(v->idle, cap * sizeof(*n));

			if (n != NULL) {
				v->idle = n;
				v->idle_cap = cap;
			}
		}
		if (v->nidle < v->idle_cap) {
			v->idle[v->nidle++] = (struct idle){ f->fd,
			    f->fd_uses };
			f->fd = -1;
			v->inflight--;
		}
	}
	flight_close(s, f);
}

/* Sends the next try of f over UDP; false when it could not be sent */
static bool
flight_send(dns_sched_t *s, struct flight *f, uint64_t now)
{
	struct server *v = &s->servers[f->server];

	f->id = util_random16();
	if ((f->wlen = dns_query_wire(f->wire, f->name, f->type, f->id)) == 0)
		return false;
	if (v->nidle > 0) {
		v->nidle--;
		f->fd = v->idle[v->nidle].fd;
		f->fd_uses = v->idle[v->nidle].uses + 1;
	} else if ((f->fd = dns_udp_open(&v->addr)) < 0)
		return false;
	else
		f->fd_uses = 1;
	if (send(f->fd, f->wire, f->wlen, 0) != (ssize_t)f->wlen) {
		close(f->fd);
		f->fd = -1;
		return false;
	}
	v->inflight++;
	load_note(v);
	if (f->tries++ == 0)
		f->first = now;
	else
		s->st.retries++;
	f->sent = now;
	f->expires = now + try_timeout(s, v, f->tries);
	/* pace: a window's sends spread over one round trip; sends closer
	 * than PACE_MIN_US go back to back, as no timer wakes that finely
	 * (a poll's slack is 50 us) and waiting would only add a system call */
	uint64_t pace = v->srtt > 0 ? (uint64_t)(v->srtt / v->cwnd) : 0;

	v->next_send = pace >= PACE_MIN_US ? now + pace : 0;
	s->st.queries++;
	return true;
}

/* Starts a try of f over TCP, for a truncated answer or a lost one from a
 * server that limits its rate; false when no connection could start */
static bool
tcp_begin(dns_sched_t *s, struct flight *f, uint64_t now)
{
	struct server *v = &s->servers[f->server];

	f->want_tcp = false;
	if (f->wlen == 0) {	/* never sent over UDP: the query first */
		f->id = util_random16();
		if ((f->wlen = dns_query_wire(f->wire, f->name, f->type,
		    f->id)) == 0)
			return false;
	}
	if (dns_tcp_start(&f->conn, &v->addr, f->wire, f->wlen) != 0)
		return false;
	s->st.tcp++;
	s->st.queries++;
	if (f->tries++ > 0)
		s->st.retries++;
	else
		f->first = now;
	f->tcp = true;
	v->tcp++;
	load_note(v);
	f->sent = now;
	f->expires = now + (uint64_t)s->timeout_ms * 1000;
	return true;
}

/* How long a question may be asked: as long as a sequential client
 * waits, --timeout for each of its tries (us); held: a recursive server
 * is congested (its SERVFAIL or its silence), and the question is asked
 * for as long as a few of its holds take, at least */
static uint64_t
budget_us(const dns_sched_t *s, bool held)
{
	uint64_t b = (uint64_t)s->timeout_ms * 1000 * (s->retries + 1);

	return held && b < SERVFAIL_RECURSIVE_US ? SERVFAIL_RECURSIVE_US : b;
}

/* A recursive server kept failing f (SERVFAIL or silence) for longer
 * than its holds: the batch's load on it, or on the servers behind it
 * (an authoritative server's rate limit, which the resolver's own
 * retries feed), may be why.  Before the job fails, f waits until
 * nothing else is asked of the scheduler and is then asked once more, as
 * a client asking one question at a time would have asked it: with
 * --timeout for each of its tries again.  Not before the least time a
 * resolver keeps a failure (RFC 9520 3.2), or it answers from that.
 * True when f is held so. */
static bool
idle_hold(dns_sched_t *s, struct flight *f, uint64_t now)
{
	if (f->idle_try || !congested(&s->servers[f->server]))
		return false;
	late_end(s, f);
	f->idle_try = f->idle_wait = true;
	f->not_before = now + SERVFAIL_HOLD_US;
	f->server = (f->server + 1) % s->nservers;
	f->extra++;
	return true;
}

/* This try is over without a final answer: true when f goes back to the
 * queue for the next server, false when its tries are spent and the job
 * failed with res */
static bool
flight_next(dns_sched_t *s, struct flight *f, uint64_t now, dns_result_t res,
    const dns_sched_handler_t *h)
{
	/* a recursive server's silence is its queue, as its SERVFAIL is */
	uint64_t budget = budget_us(s, res == DNS_TIMEOUT &&
	    congested(&s->servers[f->server]) && !f->idle_try);

	/* kept open: a slow server's answer still counts.  Of a recursive
	 * server the first try that timed out is kept, not the last: one
	 * that asks upstream for each try answers the first first, one that
	 * merges them answers all at once.  Of another the last: it answers
	 * each try as it comes, and an earlier one is likelier lost (to its
	 * rate limit) than slow */
	bool keep = res == DNS_TIMEOUT && f->fd >= 0 && (f->late_fd < 0 ||
	    !s->servers[f->server].recursive);

	if (keep) {
		late_end(s, f);
		f->late_fd = f->fd;
		f->late_id = f->id;
		f->late_sent = f->sent;
		f->late_server = f->server;
		f->fd = -1;
		s->servers[f->server].inflight--;
	}
	flight_close(s, f);
	/* a timeout may be tried again until a sequential client would have
	 * given up; an error or a bad answer only retries times */
	if (f->tries < MAX_TRIES && (f->tries <= s->retries ||
	    (res == DNS_TIMEOUT && now - f->first < budget))) {
		f->server = (f->server + 1) % s->nservers;
		f->extra++;
		/* lost by a server that limits its rate: TCP is not limited */
		f->want_tcp = res == DNS_TIMEOUT &&
		    s->servers[f->server].limiting;
		return true;
	}
	if (res == DNS_TIMEOUT && idle_hold(s, f, now))
		return true;
	late_end(s, f);
	job_fail(s, h, f->job, res, s->servers[f->server].addr.text,
	    f->why ? f->why : res == DNS_TIMEOUT ? "no answer in time" : NULL,
	    f->extra);
	return false;
}

/* An answer arrived for f (buf, len bytes, ID checked): true when f
 * goes back to the queue, false when it is done or moved to TCP (*tcp) */
static bool
flight_answer(dns_sched_t *s, struct flight *f, const uint8_t *buf,
    size_t len, uint64_t now, bool timed, bool *tcp,
    const dns_sched_handler_t *h)
{
	struct server *v = &s->servers[f->server];
	size_t alen = 0;
	dns_wire_status_t st = dns_wire_check_answers(buf, len, &alen);
	uint8_t head[65536];
	ldns_pkt *p = NULL;

	*tcp = false;
	/* a recursive server's SERVFAIL comes when its own upstream gave up
	 * (Knot Resolver: after a 2 s timeout): it times that server, not
	 * the path or the queue here, and would pace every question after
	 * it at seconds apart */
	if (timed && !f->tcp && !(v->recursive && len >= 4 && (buf[3] &
	    0x0f) == LDNS_RCODE_SERVFAIL))
		rtt_sample(s, v, now - f->sent, now);
	if (st == DNS_WIRE_OK && !matches(f, buf, len)) {
		f->why = "an answer to another question";
		s->st.refused++;
		return flight_next(s, f, now, DNS_NETERROR, h);
	}
	/* the header, the question and the answers: nothing here reads the
	 * authority and additional sections, and libldns would build every
	 * record of them */
	if (st == DNS_WIRE_OK) {
		memcpy(head, buf, alen);
		memset(head + 8, 0, 4);		/* NSCOUNT, ARCOUNT */
	}
	if (st != DNS_WIRE_OK || ldns_wire2pkt(&p, head, alen) !=
	    LDNS_STATUS_OK) {
		f->why = st != DNS_WIRE_OK ? dns_wire_status_str(st) :
		    "an answer libldns cannot parse";
		s->st.refused++;
		return flight_next(s, f, now, DNS_NETERROR, h);
	}
	if (!f->tcp && ldns_pkt_tc(p)) {
		/* truncated: the same server over TCP at once, or as soon as
		 * one of its TCP slots is free */
		ldns_pkt_free(p);
		flight_release(s, f);
		f->extra++;
		s->st.truncated++;
		f->truncated = f->want_tcp = true;
		if (v->tcp >= TCP_MAX)
			return true;
		if (!tcp_begin(s, f, now)) {
			f->why = "no TCP connection";
			return flight_next(s, f, now, DNS_NETERROR, h);
		}
		*tcp = true;
		return false;
	}
	/* the whole answer would have fit: the truncation was the server's
	 * rate limit (NSD's and BIND's RRL "slip"), not the answer's size */
	if (f->tcp && f->truncated && len <= DNS_EDNS_SIZE)
		v->limiting = true;
	f->why = NULL;
	flight_release(s, f);
	late_end(s, f);
	if (v->first_answer == 0)
		v->first_answer = now;
	if (ldns_pkt_ra(p) && !v->kind_given)
		v->recursive = true;
	bool servfail = ldns_pkt_get_rcode(p) == LDNS_RCODE_SERVFAIL;

	if (h->answer(h->arg, f->job, p, v->addr.text, f->extra)) {
		s->done++;
		return false;
	}
	/* a recursive server that answers SERVFAIL under the batch's load
	 * is overloaded, or its own upstream backed off (an authoritative
	 * server's rate limit): fewer questions at once, as for a loss.  Its
	 * REFUSED is its policy, not its load, and a SERVFAIL before this
	 * run loaded it is its answer: those go on as from an
	 * authoritative server. */
	bool held = servfail && congested(v);
	/* a failure it answered from its cache (RFC 9520 3.2: kept a
	 * second at least, Unbound five) tells of an earlier load, not of
	 * this one: no cut, and it is asked again after the least hold, as
	 * the failure may end at any second; the holds double only with the
	 * SERVFAILs it worked for */
	bool kept = held && timed && from_cache(v, now - f->sent);

	if (held) {
		if (!kept)
			cut(s, v, f->sent, now, 0.5);
		s->st.servfails++;
	}
	/* the try when nothing else was asked: a SERVFAIL it worked for is
	 * the answer; one from its cache, a failure it still keeps, is
	 * asked again as above while it may keep one (Unbound 5 s, BIND 1 s
	 * by default) */
	if (held && f->idle_try && (!kept || now - f->first >= KEPT_MAX_US)) {
		job_fail(s, h, f->job, DNS_SERVFAIL, v->addr.text,
		    "every try answered SERVFAIL, the last when nothing else "
		    "was asked", f->extra);
		return false;
	}
	/* SERVFAIL or REFUSED: the next server while tries remain.  A
	 * recursive server's SERVFAIL is often its own timeout, under the
	 * load of the batch: the question waits, longer each time, and is
	 * asked again while a sequential client would still be waiting.
	 * Such a server keeps its failure a while (RFC 9520 3.2: at least a
	 * second, Unbound some seconds) and answers the same to a try soon
	 * after: where the next pause would overrun the budget, one last try
	 * goes just before it ends. */
	uint64_t budget = budget_us(s, held);
	uint64_t try_us = (uint64_t)s->timeout_ms * 1000;
	uint64_t first = held ? SERVFAIL_HOLD_US : SERVFAIL_PAUSE_US;
	/* the holds double with the server's SERVFAILs, not with the tries
	 * its silence took before (its own timeout is longer than ours, and
	 * it answers all of them at once) */
	unsigned n = kept ? 1 : held ? ++f->servfails : f->tries;
	uint64_t pause = first << (n < 8 ? n - 1 : 7);

	uint64_t last = f->first + budget - (try_us < LAST_TRY_US ? try_us :
	    LAST_TRY_US);
	bool now_again = f->tries <= s->retries && !held;

	f->why = "SERVFAIL or REFUSED";
	if (f->tries < MAX_TRIES && (now_again || now + pause - f->first <
	    budget || now + SERVFAIL_PAUSE_US < last)) {
		f->server = (f->server + 1) % s->nservers;
		f->extra++;
		f->not_before = now_again ? 0 : now + pause - f->first < budget ?
		    now + pause : last;
		return true;
	}
	if (held && idle_hold(s, f, now))
		return true;
	job_fail(s, h, f->job, DNS_SERVFAIL, v->addr.text,
	    "every try answered SERVFAIL or REFUSED", f->extra);
	return false;
}

/* The answer's question is f's: one question, the same name (in any
 * case), type and class; the ID was checked before */
static bool
matches(const struct flight *f, const uint8_t *buf, size_t len)
{
	/* f's question: from byte 12 to the OPT record (11 bytes) */
	size_t qlen = f->wlen - 12 - 11;

	if (len < 12 + qlen || !(buf[2] & 0x80) || buf[4] != 0 || buf[5] != 1)
		return false;
	for (size_t i = 0; i < qlen - 4; i++)	/* the name: any case */
		if (tolower(buf[12 + i]) != tolower(f->wire[12 + i]))
			return false;
	return memcmp(buf + 12 + qlen - 4, f->wire + 12 + qlen - 4, 4) == 0;
}

/* Reads what came for f.  *back: f goes back to the queue; the result
 * says whether f left the flight (answered, failed or back) */
static bool
flight_read(dns_sched_t *s, struct flight *f, uint64_t now, bool *back,
    const dns_sched_handler_t *h)
{
	uint8_t buf[65536];
	const uint8_t *ans;
	size_t alen;
	ssize_t n;
	bool tcp;
	int rc;

	*back = false;
	if (f->tcp) {
		if ((rc = dns_tcp_io(&f->conn, &ans, &alen, &f->why)) == 0)
			return false;
		if (rc < 0) {
			*back = flight_next(s, f, now, DNS_NETERROR, h);
			return true;
		}
		if (ans[0] != f->wire[0] || ans[1] != f->wire[1]) {
			f->why = "an answer to another question";
			*back = flight_next(s, f, now, DNS_NETERROR, h);
			return true;
		}
		memcpy(buf, ans, alen);
		*back = flight_answer(s, f, buf, alen, now, false, &tcp, h);
		return true;
	}
	if ((n = recv(f->fd, buf, sizeof(buf), MSG_TRUNC)) < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return false;
		f->why = strerror(errno);	/* ICMP: this server is out */
		*back = flight_next(s, f, now, DNS_NETERROR, h);
		return true;
	}
	if (n < 2 || buf[0] != f->wire[0] || buf[1] != f->wire[1])
		return false;	/* not ours: keep waiting */
	if (n > DNS_EDNS_SIZE) {
		f->why = "a UDP answer over the 1232 bytes advertised";
		s->st.refused++;
		*back = flight_next(s, f, now, DNS_NETERROR, h);
		return true;
	}
	*back = flight_answer(s, f, buf, (size_t)n, now, true, &tcp, h);
	return !tcp;	/* over TCP it stays in flight */
}

/* Reads what came on f's late socket: an answer to the try before the
 * current one is taken as if the current one had got it */
static bool
late_read(dns_sched_t *s, struct flight *f, uint64_t now, bool *back,
    const dns_sched_handler_t *h)
{
	uint8_t buf[DNS_EDNS_SIZE + 1];
	ssize_t n = recv(f->late_fd, buf, sizeof(buf), MSG_TRUNC);
	bool tcp;

	*back = false;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (!late_match(f, buf, n)) {
		if (n < 0 || n > DNS_EDNS_SIZE)
			late_close(f);	/* of no use: the current try goes on */
		return false;
	}
	/* the late answer replaces the current try */
	flight_close(s, f);
	f->fd = f->late_fd;
	f->fd_uses = SOCKET_USES;	/* not asked again */
	f->late_fd = -1;
	f->id = f->late_id;
	f->wire[0] = buf[0];
	f->wire[1] = buf[1];
	f->sent = f->late_sent;
	f->server = f->late_server;	/* its answer is that server's */
	s->servers[f->server].inflight++;
	late_outcome(s, &s->servers[f->server], true, f->late_sent);
	/* no RTT sample (Karn, RFC 6298 3): the try may have waited in the
	 * queue or a hold since it was sent, its answer read only now */
	*back = flight_answer(s, f, buf, (size_t)n, now, false, &tcp, h);
	return !tcp;
}

/* ---- the run ---- */

/* Room in the FIFO for one more, at the back or (front) before the head */
static int
wait_reserve(dns_sched_t *s, bool front)
{
	if (front && s->wait_head > 0)
		return 0;
	if (!front && s->nwait == s->wait_cap && s->wait_head > 0) {
		/* what was sent leaves room at the front: move down */
		memmove(s->wait, s->wait + s->wait_head, (s->nwait -
		    s->wait_head) * sizeof(*s->wait));
		s->nwait -= s->wait_head;
		s->wait_head = 0;
	}
	if (s->nwait == s->wait_cap) {
		size_t cap = s->wait_cap ? s->wait_cap * 2 : 64;
		struct flight *w = realloc(s->wait, cap * sizeof(*w));

		if (w == NULL)
			return -1;
		s->wait = w;
		s->wait_cap = cap;
	}
	if (front) {	/* shift the queue by one to free the front */
		memmove(s->wait + 1, s->wait, s->nwait * sizeof(*s->wait));
		s->nwait++;
		s->wait_head = 1;
	}
	return 0;
}

/* Back to the queue's front: a retry goes before what never went */
static void
requeue(dns_sched_t *s, const struct flight *f, const dns_sched_handler_t *h)
{
	if (f->not_before > 0) {	/* held: asked again later */
		if (s->nhold == s->hold_cap) {
			size_t cap = s->hold_cap ? s->hold_cap * 2 : 16;
			struct flight *n = realloc(s->hold, cap * sizeof(*n));

			if (n == NULL) {
				job_fail(s, h, f->job, DNS_NETERROR,
				    s->servers[f->server].addr.text,
				    "out of memory", f->extra);
				return;
			}
			s->hold = n;
			s->hold_cap = cap;
		}
		s->hold[s->nhold++] = *f;
		return;
	}
	if (wait_reserve(s, true) != 0) {
		job_fail(s, h, f->job, DNS_NETERROR,
		    s->servers[f->server].addr.text, "out of memory", f->extra);
		return;
	}
	s->wait[--s->wait_head] = *f;
}

/* Whether f may go to its server now: a TCP slot free, or room in the
 * window and the pace's time come */
static bool
may_send(const struct server *v, struct flight *f, uint64_t now)
{
	if (f->want_tcp)
		return v->tcp < TCP_MAX;
	if (v->inflight >= (unsigned)v->cwnd) {
		/* a server that limits its rate answers TCP in full: what its
		 * UDP window has no room for goes there while a slot is free */
		if (v->limiting && v->tcp < TCP_MAX)
			return f->want_tcp = true;
		return false;
	}
	return now >= v->next_send;
}

/* Nothing is waiting or in flight */
static bool
sched_idle(const dns_sched_t *s)
{
	return s->wait_head == s->nwait && s->nfly == 0;
}

/* The held questions whose time has come go to the queue's front; those
 * held until nothing else is asked go when that is so too, each with a
 * sequential client's time and tries from now */
static void
release(dns_sched_t *s, uint64_t now, const dns_sched_handler_t *h)
{
	bool idle = sched_idle(s);

	for (size_t i = 0; i < s->nhold; i++)
		if (s->hold[i].not_before <= now &&
		    (idle || !s->hold[i].idle_wait)) {
			struct flight f = s->hold[i];

			s->hold[i--] = s->hold[--s->nhold];
			if (f.idle_wait) {
				f.idle_wait = false;
				f.first = now;
				f.tries = 0;
				s->st.idle_retries++;
			}
			f.not_before = 0;
			requeue(s, &f, h);
		}
}

/* Moves queued questions into flight while windows and the ceiling let */
static void
launch(dns_sched_t *s, uint64_t now, const dns_sched_handler_t *h)
{
	while (s->wait_head < s->nwait && s->nfly < s->ceiling) {
		struct flight *head = &s->wait[s->wait_head];
		struct server *v = &s->servers[head->server];

		if (now < v->next_send)
			now = util_now_us();
		if (!may_send(v, head, now))
			break;	/* in order: the head waits for its server */
		struct flight f = *head;

		if (s->nfly == s->fly_cap) {
			size_t cap = s->fly_cap ? s->fly_cap * 2 : 64;
			struct flight *nf = realloc(s->fly, cap * sizeof(*nf));

			if (nf == NULL)
				return;
			s->fly = nf;
			struct pollfd *np = realloc(s->pfd, 2 * cap *
			    sizeof(*np));

			if (np == NULL)
				return;
			s->pfd = np;
			s->fly_cap = cap;
		}
		s->wait_head++;
		if (f.want_tcp ? !tcp_begin(s, &f, now) :
		    !flight_send(s, &f, now)) {
			f.why = strerror(errno);
			f.tries++;
			if (flight_next(s, &f, now, DNS_NETERROR, h))
				requeue(s, &f, h);
			continue;
		}
		s->fly[s->nfly++] = f;
		if (s->nfly > s->st.max_in_flight)
			s->st.max_in_flight = (unsigned)s->nfly;
	}
}

static int
poll_wait(dns_sched_t *s, uint64_t now, uint64_t deadline_us)
{
	uint64_t wake = deadline_us, wait;
	struct timespec ts;

	for (size_t i = 0; i < s->nfly; i++) {
		struct flight *f = &s->fly[i];

		s->pfd[2 * i] = (struct pollfd){ .fd = f->tcp ? f->conn.fd :
		    f->fd, .events = f->tcp && !f->conn.reading ? POLLOUT :
		    POLLIN };
		s->pfd[2 * i + 1] = (struct pollfd){ .fd = f->late_fd,
		    .events = POLLIN };
		if (f->expires < wake)
			wake = f->expires;
	}
	bool idle = sched_idle(s);

	for (size_t i = 0; i < s->nhold; i++)
		if (s->hold[i].not_before < wake &&
		    (idle || !s->hold[i].idle_wait))
			wake = s->hold[i].not_before;
	if (s->wait_head < s->nwait && s->nfly < s->ceiling) {
		struct flight *f = &s->wait[s->wait_head];
		const struct server *v = &s->servers[f->server];

		if (may_send(v, f, now))
			wake = now;
		else if (!f->want_tcp && v->inflight < (unsigned)v->cwnd &&
		    v->next_send < wake)
			wake = v->next_send;	/* the pace */
	}
	wait = wake > now ? wake - now : 0;
	ts.tv_sec = (time_t)(wait / 1000000);
	ts.tv_nsec = (long)(wait % 1000000) * 1000;
	return ppoll(s->pfd, 2 * s->nfly, &ts, NULL);
}

size_t
dns_sched_pending(const dns_sched_t *s)
{
	return s->nwait - s->wait_head + s->nfly + s->nhold;
}

/* At the run's deadline the held questions join the queue, to fail
 * with the rest */
static void
unhold(dns_sched_t *s, const dns_sched_handler_t *h)
{
	size_t n = s->nhold;

	s->nhold = 0;
	for (size_t i = 0; i < n; i++) {
		struct flight f = s->hold[i];

		f.not_before = 0;
		f.idle_wait = false;
		requeue(s, &f, h);
	}
}

void
dns_sched_run(dns_sched_t *s, uint64_t deadline, const dns_sched_handler_t *h,
    unsigned long enough)
{
	uint64_t deadline_us = deadline * 1000;
	unsigned long start = s->done;

	while (dns_sched_pending(s) > 0) {
		uint64_t now = util_now_us();

		if (enough > 0 && s->done - start >= enough)
			break;
		if (now >= deadline_us) {
			unhold(s, h);
			for (size_t i = 0; i < s->nfly; i++) {
				flight_close(s, &s->fly[i]);
				late_close(&s->fly[i]);
				job_fail(s, h, s->fly[i].job, DNS_TIMEOUT,
				    s->servers[s->fly[i].server].addr.text,
				    "run deadline", s->fly[i].extra);
			}
			for (size_t i = s->wait_head; i < s->nwait; i++)
				late_close(&s->wait[i]);
			for (size_t i = s->wait_head; i < s->nwait; i++)
				job_fail(s, h, s->wait[i].job, DNS_TIMEOUT,
				    s->servers[s->wait[i].server].addr.text,
				    "run deadline", s->wait[i].extra);
			s->nfly = 0;
			s->nwait = s->wait_head = 0;
			break;
		}
		release(s, now, h);
		launch(s, now, h);
		if (poll_wait(s, util_now_us(), deadline_us) < 0 &&
		    errno != EINTR)
			break;
		now = util_now_us();
		for (size_t i = 0; i < s->nfly; i++) {
			struct flight *f = &s->fly[i];
			bool left = false, back = false;

			if (s->pfd[2 * i].revents)
				left = flight_read(s, f, now, &back, h);
			if (!left && f->late_fd >= 0 && s->pfd[2 * i + 1].revents)
				left = late_read(s, f, now, &back, h);
			if (!left && now >= f->expires) {
				/* this try timed out */
				if (!f->tcp)
					loss(s, &s->servers[f->server], f->sent, now);
				f->why = NULL;
				back = flight_next(s, f, now, DNS_TIMEOUT, h);
				left = true;
			}
			if (left) {
				if (back)
					requeue(s, f, h);
				s->fly[i] = s->fly[--s->nfly];
				s->pfd[2 * i] = s->pfd[2 * s->nfly];
				s->pfd[2 * i + 1] = s->pfd[2 * s->nfly + 1];
				i--;
			}
		}
	}
	if (s->wait_head == s->nwait)
		s->nwait = s->wait_head = 0;
}

void
dns_sched_stats(const dns_sched_t *s, dns_stats_t *st)
{
	st->queries += s->st.queries;
	st->retries += s->st.retries;
	st->timeouts += s->st.timeouts;
	st->truncated += s->st.truncated;
	st->tcp += s->st.tcp;
	st->backoffs += s->st.backoffs;
	st->late += s->st.late;
	st->servfails += s->st.servfails;
	st->idle_retries += s->st.idle_retries;
	st->refused += s->st.refused;
	if (s->st.max_in_flight > st->max_in_flight)
		st->max_in_flight = s->st.max_in_flight;
	st->window = 0;
	for (size_t i = 0; i < s->nservers; i++)
		st->window += (unsigned)s->servers[i].cwnd;
	st->rto_ms = s->nservers ? (unsigned)(s->servers[0].rto / 1000) : 0;
}
