#include "dns/sched.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns/wire.h"
#include "util/time.h"

#define MAX_SERVERS	8
#define RTO_FLOOR_US	50000		/* 50 ms */
#define RTO_FIRST_US	1000000		/* before the first sample: 1 s */
#define WINDOW_FIRST	16.0		/* queries a server gets at first */
#define WINDOW_MIN	2.0		/* and at least */
#define MAX_TRIES	16
#define TCP_MAX		16		/* TCP exchanges a server at once */

struct server {
	dns_addr_t addr;
	double srtt, rttvar;	/* microseconds; srtt 0: no sample yet */
	uint64_t rto;		/* microseconds */
	double cwnd, ssthresh;
	unsigned inflight;
	uint64_t next_send;	/* pacing: not before this (us) */
	uint64_t last_cut;	/* the last halving of cwnd (us) */
	unsigned tcp;		/* TCP exchanges open */
	bool limiting;		/* it truncated an answer: its rate limit
				 * drops too, and a lost try goes over TCP */
};

/* a question, waiting or in flight */
struct flight {
	void *job;
	char name[256];
	ldns_rr_type type;
	size_t server;
	unsigned tries;		/* sent so far */
	unsigned extra;		/* round trips spent before this try */
	uint64_t first;		/* when it was first sent (us) */
	uint64_t sent;		/* when this try was sent (us) */
	uint64_t expires;	/* when this try times out (us) */
	uint16_t id;
	int fd;			/* UDP; -1 when not in flight */
	bool tcp;		/* this try is over TCP */
	bool want_tcp;		/* the next try goes over TCP */
	dns_tcp_t conn;
	uint8_t wire[300];
	size_t wlen;
	const char *why;	/* why the last try was refused */
	dns_result_t last;	/* what the last answer said (SERVFAIL) */
};

struct dns_sched {
	struct server servers[MAX_SERVERS];
	size_t nservers, next_server;
	unsigned timeout_ms, retries, ceiling;
	struct flight *wait;	/* added, not sent yet: a FIFO */
	size_t nwait, wait_head, wait_cap;
	struct flight *fly;	/* in flight */
	size_t nfly, fly_cap;
	struct pollfd *pfd;
	dns_stats_t st;
};

dns_sched_t *
dns_sched_new(const dns_sched_options_t *o)
{
	dns_sched_t *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->nservers = o->nservers < MAX_SERVERS ? o->nservers : MAX_SERVERS;
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
	}
	return s;
}

void
dns_sched_free(dns_sched_t *s)
{
	if (s == NULL)
		return;
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
	f->conn.fd = -1;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->server = s->next_server++ % s->nservers;
	return 0;
}

/* ---- the congestion state of a server ---- */

static void
rtt_sample(dns_sched_t *s, struct server *v, uint64_t rtt)
{
	double r = (double)rtt, var;

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
	/* an answer: the window grows (slow start, then by 1/cwnd) */
	v->cwnd += v->cwnd < v->ssthresh ? 1.0 : 1.0 / v->cwnd;
	if (v->cwnd > s->ceiling)
		v->cwnd = s->ceiling;
}

static void
loss(dns_sched_t *s, struct server *v, uint64_t sent, uint64_t now)
{
	/* one cut a window: a try sent before the last cut was lost in the
	 * same event (its timeout is only noticed later) */
	if (sent > v->last_cut) {
		v->ssthresh = v->cwnd / 2 > WINDOW_MIN ? v->cwnd / 2 :
		    WINDOW_MIN;
		v->cwnd = v->ssthresh;
		v->last_cut = now;
		s->st.backoffs++;
	}
	s->st.timeouts++;
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

/* ---- one question ---- */

static bool matches(const struct flight *f, const uint8_t *buf, size_t len);

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

/* Sends the next try of f over UDP; false when it could not be sent */
static bool
flight_send(dns_sched_t *s, struct flight *f, uint64_t now)
{
	struct server *v = &s->servers[f->server];

	getrandom(&f->id, sizeof(f->id), 0);
	if ((f->wlen = dns_query_wire(f->wire, f->name, f->type, f->id)) == 0)
		return false;
	if ((f->fd = dns_udp_open(&v->addr)) < 0)
		return false;
	if (send(f->fd, f->wire, f->wlen, 0) != (ssize_t)f->wlen) {
		close(f->fd);
		f->fd = -1;
		return false;
	}
	v->inflight++;
	if (f->tries++ == 0)
		f->first = now;
	else
		s->st.retries++;
	f->sent = now;
	f->expires = now + try_timeout(s, v, f->tries);
	/* pace: a window's sends spread over one round trip */
	v->next_send = now + (v->srtt > 0 ? (uint64_t)(v->srtt / v->cwnd) :
	    0);
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
		getrandom(&f->id, sizeof(f->id), 0);
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
	f->sent = now;
	f->expires = now + (uint64_t)s->timeout_ms * 1000;
	return true;
}

/* This try is over without a final answer: true when f goes back to the
 * queue for the next server, false when its tries are spent and the job
 * failed with res */
static bool
flight_next(dns_sched_t *s, struct flight *f, uint64_t now, dns_result_t res,
    const dns_sched_handler_t *h)
{
	uint64_t budget = (uint64_t)s->timeout_ms * 1000 * (s->retries + 1);

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
	h->fail(h->arg, f->job, res, s->servers[f->server].addr.text,
	    f->why ? f->why : res == DNS_TIMEOUT ? "no answer in time" : NULL,
	    f->extra);
	return false;
}

/* An answer arrived for f (buf, len bytes, ID checked): true when f
 * goes back to the queue, false when it is done or moved to TCP (*tcp) */
static bool
flight_answer(dns_sched_t *s, struct flight *f, const uint8_t *buf,
    size_t len, uint64_t now, bool *tcp, const dns_sched_handler_t *h)
{
	struct server *v = &s->servers[f->server];
	dns_wire_status_t st = dns_wire_check(buf, len);
	ldns_pkt *p = NULL;

	*tcp = false;
	if (!f->tcp)
		rtt_sample(s, v, now - f->sent);
	if (st == DNS_WIRE_OK && !matches(f, buf, len)) {
		f->why = "an answer to another question";
		s->st.refused++;
		return flight_next(s, f, now, DNS_NETERROR, h);
	}
	if (st != DNS_WIRE_OK || ldns_wire2pkt(&p, buf, len) !=
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
		flight_close(s, f);
		f->extra++;
		s->st.truncated++;
		v->limiting = true;
		f->want_tcp = true;
		if (v->tcp >= TCP_MAX)
			return true;
		if (!tcp_begin(s, f, now)) {
			f->why = "no TCP connection";
			return flight_next(s, f, now, DNS_NETERROR, h);
		}
		*tcp = true;
		return false;
	}
	f->why = NULL;
	flight_close(s, f);
	if (h->answer(h->arg, f->job, p, v->addr.text, f->extra))
		return false;
	/* SERVFAIL or REFUSED: the next server while tries remain */
	f->why = "SERVFAIL or REFUSED";
	if (f->tries <= s->retries) {
		f->server = (f->server + 1) % s->nservers;
		f->extra++;
		return true;
	}
	h->fail(h->arg, f->job, DNS_SERVFAIL, v->addr.text,
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
		*back = flight_answer(s, f, buf, alen, now, &tcp, h);
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
	*back = flight_answer(s, f, buf, (size_t)n, now, &tcp, h);
	return !tcp;	/* over TCP it stays in flight */
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
	if (wait_reserve(s, true) != 0) {
		h->fail(h->arg, f->job, DNS_NETERROR,
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
	if (v->inflight < (unsigned)v->cwnd && now >= v->next_send)
		return true;
	/* a server that limits its rate answers TCP in full: what its UDP
	 * window has no room for goes there while a slot is free */
	if (v->limiting && v->tcp < TCP_MAX)
		return f->want_tcp = true;
	return false;
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
			struct pollfd *np = realloc(s->pfd, cap * sizeof(*np));

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

		s->pfd[i] = (struct pollfd){ .fd = f->tcp ? f->conn.fd : f->fd,
		    .events = f->tcp && !f->conn.reading ? POLLOUT : POLLIN };
		if (f->expires < wake)
			wake = f->expires;
	}
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
	return ppoll(s->pfd, s->nfly, &ts, NULL);
}

void
dns_sched_run(dns_sched_t *s, uint64_t deadline, const dns_sched_handler_t *h)
{
	uint64_t deadline_us = deadline * 1000;

	while (s->wait_head < s->nwait || s->nfly > 0) {
		uint64_t now = util_now_us();

		if (now >= deadline_us) {
			for (size_t i = 0; i < s->nfly; i++) {
				flight_close(s, &s->fly[i]);
				h->fail(h->arg, s->fly[i].job, DNS_TIMEOUT,
				    s->servers[s->fly[i].server].addr.text,
				    "run deadline", s->fly[i].extra);
			}
			for (size_t i = s->wait_head; i < s->nwait; i++)
				h->fail(h->arg, s->wait[i].job, DNS_TIMEOUT,
				    s->servers[s->wait[i].server].addr.text,
				    "run deadline", s->wait[i].extra);
			s->nfly = 0;
			s->nwait = s->wait_head = 0;
			break;
		}
		launch(s, now, h);
		if (poll_wait(s, util_now_us(), deadline_us) < 0 &&
		    errno != EINTR)
			break;
		now = util_now_us();
		for (size_t i = 0; i < s->nfly; i++) {
			struct flight *f = &s->fly[i];
			bool left = false, back = false;

			if (s->pfd[i].revents)
				left = flight_read(s, f, now, &back, h);
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
				s->pfd[i] = s->pfd[s->nfly];
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
	st->refused += s->st.refused;
	if (s->st.max_in_flight > st->max_in_flight)
		st->max_in_flight = s->st.max_in_flight;
	st->window = 0;
	for (size_t i = 0; i < s->nservers; i++)
		st->window += (unsigned)s->servers[i].cwnd;
	st->rto_ms = s->nservers ? (unsigned)(s->servers[0].rto / 1000) : 0;
}
