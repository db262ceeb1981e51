/*
 * The scheduler against a server of the test's own (a child process on
 * loopback): every question is answered through loss, the ceiling holds
 * however large the window grows, and a server that never answers fails
 * every question at the deadline, not later.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns/sched.h"
#include "dns/transport.h"
#include "tests/unit/tap.h"
#include "util/time.h"

enum mode { DROP, HOLD, MUTE, PORTS, FAILING };

struct held {
	uint8_t q[512];
	size_t len;
	struct sockaddr_in from;
};

static void
reply_rcode(int fd, struct held *h, ldns_pkt_rcode rcode);

static void
reply(int fd, struct held *h)
{
	reply_rcode(fd, h, LDNS_RCODE_NXDOMAIN);
}

static void
reply_rcode(int fd, struct held *h, ldns_pkt_rcode rcode)
{
	ldns_pkt *qp = NULL;
	uint8_t *wire = NULL;
	size_t wlen;

	if (ldns_wire2pkt(&qp, h->q, h->len) != LDNS_STATUS_OK)
		return;
	ldns_pkt_set_qr(qp, true);
	ldns_pkt_set_aa(qp, true);
	ldns_pkt_set_rcode(qp, rcode);
	if (ldns_pkt2wire(&wire, qp, &wlen) == LDNS_STATUS_OK)
		sendto(fd, wire, wlen, 0, (struct sockaddr *)&h->from,
		    sizeof(h->from));
	free(wire);
	ldns_pkt_free(qp);
}

/* DROP: answers at once but drops every seventh query; HOLD: holds what
 * comes until 20 ms pass without a query, then answers all, and reports
 * the most it held at once on its pipe; MUTE: never answers; PORTS:
 * answers at once, and after 20 ms without a query reports how many
 * source ports asked and the most queries one of them asked; FAILING:
 * SERVFAIL for 3 s from the first query (a recursive server keeping its
 * failure), then answers */
static void
serve(int fd, enum mode mode, int report)
{
	static struct held h[1024];
	static unsigned port_uses[65536];
	size_t n = 0, most = 0, ports = 0;
	unsigned long count = 0;

	for (unsigned idle = 0; idle < 3000 && getppid() != 1;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 1) > 0) {
			socklen_t sl = sizeof(h[n].from);
			ssize_t got = recvfrom(fd, h[n].q, sizeof(h[n].q), 0,
			    (struct sockaddr *)&h[n].from, &sl);

			idle = 0;
			if (got <= 0 || mode == MUTE)
				continue;
			h[n].len = (size_t)got;
			if (mode == DROP) {
				if (++count % 7)
					reply(fd, &h[n]);
				continue;
			}
			if (mode == FAILING) {
				static uint64_t first;

				if (first == 0)
					first = util_now_ms();
				reply_rcode(fd, &h[n], util_now_ms() - first < 3000 ?
				    LDNS_RCODE_SERVFAIL : LDNS_RCODE_NXDOMAIN);
				continue;
			}
			if (mode == PORTS) {
				unsigned *u = &port_uses[ntohs(h[n].from.sin_port)];

				ports += *u == 0;
				most = ++*u > most ? *u : most;
				reply(fd, &h[n]);
				continue;
			}
			if (++n > most)
				most = n;
			if (n == 1024)
				n--;
			continue;
		}
		if (++idle == 20 && mode == PORTS && ports) {
			size_t r[2] = { ports, most };

			if (write(report, r, sizeof(r)) < 0)
				break;
		}
		if (idle >= 20 && n) {
			for (size_t i = 0; i < n; i++)
				reply(fd, &h[i]);
			n = 0;
			if (write(report, &most, sizeof(most)) < 0)
				break;
		}
	}
}

static pid_t
server(enum mode mode, dns_addr_t *addr, int *report)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), pfd[2];
	char text[64];
	pid_t pid;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0 || pipe(pfd))
		return -1;
	snprintf(text, sizeof(text), "127.0.0.1@%u", ntohs(sa.sin_port));
	if (dns_addr_parse(addr, text) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(pfd[0]);
		serve(fd, mode, pfd[1]);
		_exit(0);
	}
	close(fd);
	close(pfd[1]);
	*report = pfd[0];
	return pid;
}

struct tally {
	unsigned answered, failed, timeouts;
};

static bool
on_answer(void *arg, void *job, ldns_pkt *p, const char *srv, unsigned extra)
{
	bool final = ldns_pkt_get_rcode(p) != LDNS_RCODE_SERVFAIL;

	(void)job;
	(void)srv;
	(void)extra;
	((struct tally *)arg)->answered += final;	/* as the resolver */
	ldns_pkt_free(p);
	return final;
}

static void
on_fail(void *arg, void *job, dns_result_t res, const char *srv,
    const char *why, unsigned extra)
{
	struct tally *t = arg;

	(void)job;
	(void)srv;
	(void)why;
	(void)extra;
	t->failed++;
	t->timeouts += res == DNS_TIMEOUT;
}

static void
ask(dns_sched_t *s, unsigned n, const char *tag)
{
	char name[64];

	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "q%u.%s.test", i, tag);
		dns_sched_add(s, name, LDNS_RR_TYPE_TXT, NULL);
	}
}

static void
stop(pid_t pid, int report)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(report);
}

void
test_dns_sched(void)
{
	struct tally t = { 0 };
	dns_sched_handler_t h = { on_answer, on_fail, &t };
	dns_sched_options_t o = { .nservers = 1, .timeout_ms = 1000,
	    .retries = 2, .ceiling = 256 };
	dns_addr_t addr;
	dns_stats_t st = { 0 };
	dns_sched_t *s;
	int report;
	pid_t pid;
	size_t most = 0, m;
	uint64_t t0;

	/* loss: every seventh query dropped, all answered in the end */
	if ((pid = server(DROP, &addr, &report)) < 0)
		return;
	o.servers = &addr;
	s = dns_sched_new(&o);
	ask(s, 300, "drop");
	dns_sched_run(s, util_now_ms() + 20000, &h, 0);
	dns_sched_stats(s, &st);
	tap_check(t.answered == 300 && t.failed == 0, "scheduler: 300 of 300 "
	    "answered though every seventh query is dropped (%u, %u failed)",
	    t.answered, t.failed);
	tap_check(st.retries >= 300 / 7 && st.timeouts >= 300 / 7 &&
	    st.backoffs >= 1, "scheduler: the losses are retried and cut the "
	    "window (%lu retries, %lu timeouts, %lu cuts)", st.retries,
	    st.timeouts, st.backoffs);
	dns_sched_free(s);
	stop(pid, report);

	/* the ceiling: never more in flight than it allows */
	if ((pid = server(HOLD, &addr, &report)) < 0)
		return;
	o.ceiling = 5;
	memset(&t, 0, sizeof(t));
	s = dns_sched_new(&o);
	ask(s, 40, "hold");
	dns_sched_run(s, util_now_ms() + 20000, &h, 0);
	dns_sched_free(s);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	while (read(report, &m, sizeof(m)) == sizeof(m))
		most = m > most ? m : most;
	close(report);
	tap_check(t.answered == 40 && most >= 1 && most <= 5, "scheduler: "
	    "--concurrency 5 holds: at most %zu queries in flight, %u of 40 "
	    "answered", most, t.answered);

	/* sockets asked again: a few hundred queries, a socket asks 16 at
	 * most, one after the other (the unit has no view of that: the server
	 * counts the source ports) */
	if ((pid = server(PORTS, &addr, &report)) < 0)
		return;
	o.ceiling = 32;
	memset(&t, 0, sizeof(t));
	s = dns_sched_new(&o);
	ask(s, 400, "ports");
	dns_sched_run(s, util_now_ms() + 20000, &h, 0);
	size_t r[2] = { 0, 0 };
	bool got = false;
	for (int tries = 0; tries < 200 && !got; tries++) {
		struct pollfd pf = { .fd = report, .events = POLLIN };

		got = poll(&pf, 1, 10) > 0 &&
		    read(report, r, sizeof(r)) == sizeof(r);
	}
	dns_sched_free(s);
	stop(pid, report);
	tap_check(t.answered == 400 && got && r[1] <= 16 && r[1] > 1 &&
	    r[0] >= 400 / 16 && r[0] < 400, "scheduler: 400 queries from %zu "
	    "source ports, at most %zu from one (16 allowed)", r[0], r[1]);

	/* a server that answers SERVFAIL for 3 s: the last try comes just
	 * before the budget (1 s x 4 tries) ends, and is answered */
	if ((pid = server(FAILING, &addr, &report)) < 0)
		return;
	o.timeout_ms = 1000;
	o.retries = 3;
	memset(&t, 0, sizeof(t));
	s = dns_sched_new(&o);
	ask(s, 1, "failing");
	t0 = util_now_ms();
	dns_sched_run(s, t0 + 20000, &h, 0);
	t0 = util_now_ms() - t0;
	dns_sched_free(s);
	stop(pid, report);
	tap_check(t.answered == 1 && t0 >= 3000 && t0 < 4000, "scheduler: "
	    "SERVFAIL for 3 s, answered by the last try within the 4 s a "
	    "sequential client waits (after %lu ms)", (unsigned long)t0);

	/* a mute server: every question fails by the deadline */
	if ((pid = server(MUTE, &addr, &report)) < 0)
		return;
	o.ceiling = 256;
	o.timeout_ms = 200;
	memset(&t, 0, sizeof(t));
	s = dns_sched_new(&o);
	ask(s, 50, "mute");
	t0 = util_now_ms();
	dns_sched_run(s, t0 + 700, &h, 0);
	t0 = util_now_ms() - t0;
	dns_sched_free(s);
	stop(pid, report);
	tap_check(t.failed == 50 && t.timeouts == 50 && t0 < 900,
	    "scheduler: a mute server: 50 of 50 time out, after %lu ms "
	    "(deadline 700)", (unsigned long)t0);
}
