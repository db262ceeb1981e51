/*
 * The SPF interpreter under its three policies: each RFC 7208 term and
 * modifier, the limits, macros and explanations, through the evaluator;
 * the walker's counts beside the evaluator's; the flattener's set.  Every
 * case runs twice: over the zone loaded into the resolver, and over UDP
 * from a server (a child process) that holds the queries it gets and
 * answers them in a shuffled order, a random part at a time, so that the
 * interpreter resumes with its answers in any order.  Both runs must give
 * the same outcome.
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

#include "flatten/flatten.h"
#include "lint/spf_eval.h"
#include "lint/spf_walk.h"
#include "tests/unit/tap.h"

static const char zone[] =
    "$ORIGIN t.test.\n$TTL 300\n"
    "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
    "all TXT \"v=spf1 -all\"\n"
    "ip TXT \"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all\"\n"
    "a TXT \"v=spf1 a/24//64 -all\"\na A 198.51.100.7\n"
    "a AAAA 2001:db8:1::1\n"
    "mx TXT \"v=spf1 mx:mail.mx.t.test -all\"\n"
    "mail.mx MX 10 m1.mx\nmail.mx MX 20 m2.mx\n"
    "m1.mx A 203.0.113.1\nm2.mx A 203.0.113.2\n"
    "ptr TXT \"v=spf1 ptr -all\"\nhost.ptr A 203.0.113.9\n"
    "ex TXT \"v=spf1 exists:%{i}._ip.ex.t.test -all\"\n"
    "203.0.113.5._ip.ex A 127.0.0.2\n"
    "red TXT \"v=spf1 redirect=ip.t.test\"\n"
    "exp TXT \"v=spf1 -all exp=why.exp.t.test\"\n"
    "why.exp TXT \"%{i} is not one of %{d}'s\"\n"
    "mod TXT \"v=spf1 foo=bar ip4:192.0.2.1 -all\"\n"
    "lim TXT \"v=spf1 a:l1.lim.t.test a:l2.lim.t.test a:l3.lim.t.test "
    "a:l4.lim.t.test a:l5.lim.t.test a:l6.lim.t.test a:l7.lim.t.test "
    "a:l8.lim.t.test a:l9.lim.t.test a:l10.lim.t.test a:l11.lim.t.test "
    "-all\"\n"
    "l1.lim A 10.9.9.9\nl2.lim A 10.9.9.9\nl3.lim A 10.9.9.9\n"
    "l4.lim A 10.9.9.9\nl5.lim A 10.9.9.9\nl6.lim A 10.9.9.9\n"
    "l7.lim A 10.9.9.9\nl8.lim A 10.9.9.9\nl9.lim A 10.9.9.9\n"
    "l10.lim A 10.9.9.9\nl11.lim A 10.9.9.9\n"
    "void TXT \"v=spf1 a:nx1.void.t.test mx:nx2.void.t.test "
    "exists:nx3.void.t.test -all\"\n"
    "mxl TXT \"v=spf1 mx -all\"\n"
    "mxl MX 1 a1.mxl\nmxl MX 2 a2.mxl\nmxl MX 3 a3.mxl\nmxl MX 4 a4.mxl\n"
    "mxl MX 5 a5.mxl\nmxl MX 6 a6.mxl\nmxl MX 7 a7.mxl\nmxl MX 8 a8.mxl\n"
    "mxl MX 9 a9.mxl\nmxl MX 10 a10.mxl\nmxl MX 11 a11.mxl\n"
    "loop TXT \"v=spf1 include:loop.t.test -all\"\n"
    "deep TXT \"v=spf1 include:d1.deep.t.test -all\"\n"
    "d1.deep TXT \"v=spf1 include:d2.deep.t.test ~all\"\n"
    "d2.deep TXT \"v=spf1 ip4:192.0.2.1 include:d3.deep.t.test ?all\"\n"
    "d3.deep TXT \"v=spf1 include:d4.deep.t.test a:d3.deep.t.test -all\"\n"
    "d4.deep TXT \"v=spf1 ip4:10.0.0.0/8 -all\"\n"
    "incnx TXT \"v=spf1 include:nx.incnx.t.test -all\"\n"
    "two TXT \"v=spf1 -all\"\ntwo TXT \"v=spf1 +all\"\n"
    "syn TXT \"v=spf1 ip4:300.1.1.1 -all\"\n"
    "macro TXT \"v=spf1 a:%{l1r-}.%{d2} -all\"\n"
    "user A 192.0.2.44\n"
    "pm TXT \"v=spf1 exists:%{p}.pm.t.test -all\"\n"
    "host.ptr.t.test.pm A 127.0.0.2\n"
    "wide TXT \"v=spf1 include:w1.wide.t.test include:w2.wide.t.test "
    "include:w3.wide.t.test -all\"\n"
    "w1.wide TXT \"v=spf1 ip4:10.1.0.0/16 -all\"\n"
    "w2.wide TXT \"v=spf1 ip4:10.2.0.0/16 a:w2.wide.t.test -all\"\n"
    "w2.wide A 10.3.0.1\n"
    "w3.wide TXT \"v=spf1 -ip4:10.1.2.0/24 ip4:10.1.0.0/16 -all\"\n";

/* Providers and customers for the walker's summaries (a batch): shared
 * trees, void lookups, a limit passed inside a summarized tree, a record
 * met twice, loops through a customer.  c5's 11th lookup and c7's third
 * void lookup are inside p1's tree, summarized by then */
static const char memo_zone[] =
    "$ORIGIN m.test.\n$TTL 300\n"
    "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
    "p1 TXT \"v=spf1 include:p1a.m.test include:p1b.m.test ~all\"\n"
    "p1a TXT \"v=spf1 a:h1.m.test mx:nxmx.m.test ip4:10.0.0.0/8 ptr -all\"\n"
    "h1 A 10.1.1.1\n"
    "p1b TXT \"v=spf1 exists:nx.m.test a:h2.m.test -all\"\nh2 A 10.1.1.2\n"
    "p2 TXT \"v=spf1 a:x1.m.test a:x2.m.test a:x3.m.test a:x4.m.test "
    "a:x5.m.test -all\"\n"
    "x1 A 10.2.0.1\nx2 A 10.2.0.2\nx3 A 10.2.0.3\nx4 A 10.2.0.4\n"
    "x5 A 10.2.0.5\n"
    "p2dup TXT \"v=spf1 include:p2.m.test -all\"\n"
    "p1x TXT \"v=spf1 include:p1a.m.test -all\"\n"
    "p3 TXT \"v=spf1 include:c3.m.test -all\"\n"
    "c1 TXT \"v=spf1 include:p1.m.test -all\"\n"
    "c2 TXT \"v=spf1 include:p1.m.test include:p2.m.test a:y.m.test "
    "-all\"\ny A 10.3.0.1\n"
    "c4 TXT \"v=spf1 include:p2.m.test include:p2dup.m.test -all\"\n"
    "c5 TXT \"v=spf1 a:y.m.test a:y.m.test a:y.m.test "
    "include:p2.m.test include:p1.m.test -all\"\n"
    "c6 TXT \"v=spf1 include:p1x.m.test include:p1.m.test -all\"\n"
    "c7 TXT \"v=spf1 exists:none.m.test include:p1.m.test -all\"\n"
    "c3 TXT \"v=spf1 include:p3.m.test -all\"\n"
    "c8 TXT \"v=spf1 include:p3.m.test -all\"\n";

static const char reverse[] =
    "$ORIGIN 113.0.203.in-addr.arpa.\n$TTL 300\n"
    "@ SOA ns.t.test. hostmaster.t.test. 1 3600 600 86400 300\n"
    "9 PTR host.ptr.t.test.\n";

struct ecase {
	const char *ip, *sender, *result, *mech;
	unsigned lookups, voids;
	const char *expl;
};

static const struct ecase ecases[] = {
	{ "192.0.2.1", "u@all.t.test", "fail", "-all", 0, 0, NULL },
	{ "192.0.2.77", "u@ip.t.test", "pass", "ip4:192.0.2.0/24", 0, 0, 0 },
	{ "2001:db8::5", "u@ip.t.test", "pass", "ip6:2001:db8::/32", 0, 0, 0 },
	{ "198.51.100.1", "u@ip.t.test", "fail", "-all", 0, 0, NULL },
	{ "198.51.100.200", "u@a.t.test", "pass", "a/24//64", 1, 0, NULL },
	{ "2001:db8:1:0:ffff::1", "u@a.t.test", "pass", "a/24//64", 1, 0, 0 },
	{ "198.51.101.1", "u@a.t.test", "fail", "-all", 1, 0, NULL },
	{ "203.0.113.2", "u@mx.t.test", "pass", "mx:mail.mx.t.test", 1, 0, 0 },
	{ "203.0.113.3", "u@mx.t.test", "fail", "-all", 1, 0, NULL },
	{ "203.0.113.9", "u@ptr.t.test", "pass", "ptr", 1, 0, NULL },
	{ "203.0.113.10", "u@ptr.t.test", "fail", "-all", 1, 1, NULL },
	{ "203.0.113.5", "u@ex.t.test", "pass",
	    "exists:%{i}._ip.ex.t.test", 1, 0, NULL },
	{ "203.0.113.6", "u@ex.t.test", "fail", "-all", 1, 1, NULL },
	{ "192.0.2.5", "u@red.t.test", "pass", "ip4:192.0.2.0/24", 1, 0, 0 },
	{ "10.1.1.1", "u@red.t.test", "fail", "-all", 1, 0, NULL },
	{ "192.0.2.1", "u@exp.t.test", "fail", "-all", 0, 0,
	    "192.0.2.1 is not one of exp.t.test's" },
	{ "192.0.2.1", "u@mod.t.test", "pass", "ip4:192.0.2.1", 0, 0, NULL },
	{ "192.0.2.99", "u@lim.t.test", "permerror", "a:l11.lim.t.test", 11,
	    0, 0 },
	{ "192.0.2.99", "u@void.t.test", "permerror",
	    "exists:nx3.void.t.test", 3, 3, NULL },
	{ "192.0.2.99", "u@mxl.t.test", "permerror", "mx", 1, 0, NULL },
	{ "192.0.2.99", "u@loop.t.test", "permerror",
	    "include:loop.t.test", 11, 0, NULL },
	{ "10.1.2.3", "u@deep.t.test", "pass", "include:d1.deep.t.test", 4,
	    0, NULL },
	{ "192.0.2.99", "u@deep.t.test", "fail", "-all", 5, 1, NULL },
	{ "192.0.2.99", "u@incnx.t.test", "permerror",
	    "include:nx.incnx.t.test", 1, 1, NULL },
	{ "192.0.2.99", "u@two.t.test", "permerror", NULL, 0, 0, NULL },
	{ "192.0.2.99", "u@syn.t.test", "permerror", NULL, 0, 0, NULL },
	{ "192.0.2.99", "u@none.t.test", "none", NULL, 0, 0, NULL },
	{ "192.0.2.44", "user@macro.t.test", "pass", "a:%{l1r-}.%{d2}", 1, 0,
	    NULL },
	{ "203.0.113.9", "u@pm.t.test", "pass", "exists:%{p}.pm.t.test", 1, 0,
	    NULL },
	{ "10.1.2.3", "u@wide.t.test", "pass", "include:w1.wide.t.test", 1, 0,
	    NULL },
	{ "10.3.0.1", "u@wide.t.test", "pass", "include:w2.wide.t.test", 3, 0,
	    NULL },
};

/* walks: lookups and voids of each domain, the worst case */
struct wcase {
	const char *domain;
	unsigned lookups, voids;
	bool complete;
};

static const struct wcase wcases[] = {
	{ "all.t.test", 0, 0, true }, { "a.t.test", 1, 0, true },
	{ "mx.t.test", 1, 0, true }, { "ex.t.test", 1, 0, true },
	{ "red.t.test", 1, 0, true }, { "lim.t.test", 11, 0, true },
	{ "void.t.test", 3, 3, true }, { "deep.t.test", 5, 1, true },
	{ "incnx.t.test", 1, 1, true }, { "wide.t.test", 4, 0, true },
	{ "loop.t.test", 1, 0, true },
};

/* ---- a server that answers out of order ---- */

static void
answer(int fd, dns_resolver_t *r, const uint8_t *q, size_t len,
    const struct sockaddr_in *from)
{
	ldns_pkt *qp = NULL, *p;
	uint8_t *wire = NULL;
	size_t wlen;
	char *name;
	const dns_answer_t *a;
	const ldns_rr *qr;

	if (ldns_wire2pkt(&qp, q, len) != LDNS_STATUS_OK ||
	    ldns_pkt_qdcount(qp) != 1) {
		ldns_pkt_free(qp);
		return;
	}
	qr = ldns_rr_list_rr(ldns_pkt_question(qp), 0);
	name = ldns_rdf2str(ldns_rr_owner(qr));
	a = dns_resolver_get(r, name, ldns_rr_get_type(qr));
	p = ldns_pkt_new();
	ldns_pkt_set_id(p, ldns_pkt_id(qp));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	ldns_pkt_set_rd(p, ldns_pkt_rd(qp));
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(qr));
	ldns_pkt_set_rcode(p, a->result == DNS_NXDOMAIN ? LDNS_RCODE_NXDOMAIN :
	    a->result == DNS_OK || a->result == DNS_NODATA ?
	    LDNS_RCODE_NOERROR : LDNS_RCODE_SERVFAIL);
	for (size_t i = 0; a->result == DNS_OK &&
	    i < ldns_rr_list_rr_count(a->rrs); i++)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER,
		    ldns_rr_clone(ldns_rr_list_rr(a->rrs, i)));
	if (ldns_pkt2wire(&wire, p, &wlen) == LDNS_STATUS_OK)
		sendto(fd, wire, wlen, 0, (const struct sockaddr *)from,
		    sizeof(*from));
	free(wire);
	free(name);
	ldns_pkt_free(p);
	ldns_pkt_free(qp);
}

struct held {
	uint8_t q[512];
	size_t len;
	struct sockaddr_in from;
};

/* Holds what comes in for 2 ms, then answers a random part of it, in a
 * random order */
static void
serve(int fd, dns_resolver_t *r, unsigned seed)
{
	struct held h[256];
	size_t n = 0;

	for (unsigned idle = 0; idle < 5000 && getppid() != 1;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 2) > 0 && n < 256) {
			socklen_t sl = sizeof(h[n].from);
			ssize_t got = recvfrom(fd, h[n].q, sizeof(h[n].q), 0,
			    (struct sockaddr *)&h[n].from, &sl);

			if (got > 0)
				h[n++].len = (size_t)got;
			idle = 0;
			continue;
		}
		idle++;
		if (n == 0)
			continue;
		size_t k = 1 + (size_t)rand_r(&seed) % n;

		for (size_t i = 0; i < k; i++) {
			size_t j = i + (size_t)rand_r(&seed) % (n - i);
			struct held t = h[i];

			h[i] = h[j];
			h[j] = t;
			answer(fd, r, h[i].q, h[i].len, &h[i].from);
		}
		memmove(h, h + k, (n - k) * sizeof(*h));
		n -= k;
	}
}

static pid_t
server_start(dns_resolver_t *zr, unsigned seed, char *addr, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	pid_t pid;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	snprintf(addr, len, "127.0.0.1@%u", ntohs(sa.sin_port));
	fflush(stdout);
	if ((pid = fork()) == 0) {
		serve(fd, zr, seed);
		_exit(0);
	}
	close(fd);
	return pid;
}

/* ---- the cases ---- */

static char *
write_zone(const char *name, const char *text)
{
	char *path = NULL;
	FILE *fp;

	if (asprintf(&path, "%s/authzone-unit-%d-%s", P_tmpdir, (int)getpid(),
	    name) < 0 || (fp = fopen(path, "w")) == NULL)
		return path;
	fputs(text, fp);
	fclose(fp);
	return path;
}

static dns_resolver_t *
zone_resolver(const char *z1, const char *z2)
{
	dns_options_t opt = { .offline = true };
	char err[256];
	dns_resolver_t *r = dns_resolver_new(&opt, err, sizeof(err));

	if (r && (dns_resolver_zone_load(r, z1, err, sizeof(err)) != 0 ||
	    dns_resolver_zone_load(r, z2, err, sizeof(err)) != 0)) {
		tap_diag("%s", err);
		dns_resolver_free(r);
		r = NULL;
	}
	return r;
}

static dns_resolver_t *
net_resolver(const char *addr)
{
	const char *servers[] = { addr };
	dns_options_t opt = { .servers = servers, .nservers = 1,
	    .timeout_ms = 1000, .retries = 2, .deadline_ms = 20000 };
	char err[256];

	return dns_resolver_new(&opt, err, sizeof(err));
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void
eval_cases(dns_resolver_t *r, const char *how)
{
	for (size_t i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		const struct ecase *c = &ecases[i];
		spf_request_t q = { .ip = c->ip, .sender = c->sender,
		    .now = 1 };
		spf_outcome_t out;

		if (spf_eval_run(&out, r, &q) != 0) {
			tap_check(false, "%s: %s from %s runs", how, c->sender,
			    c->ip);
			continue;
		}
		bool ok = strcmp(spf_result_str(out.result), c->result) == 0 &&
		    same(out.mechanism, c->mech) && out.lookups == c->lookups &&
		    out.void_lookups == c->voids &&
		    same(out.explanation, c->expl);

		if (!tap_check(ok, "%s: %s from %s: %s (%s), %u lookups, %u "
		    "void", how, c->sender, c->ip, c->result,
		    c->mech ? c->mech : "default", c->lookups, c->voids))
			tap_diag("got %s (%s), %u lookups, %u void, exp %s, "
			    "problem %s", spf_result_str(out.result),
			    out.mechanism ? out.mechanism : "default",
			    out.lookups, out.void_lookups,
			    out.explanation ? out.explanation : "-",
			    out.problem ? out.problem : "-");
		spf_outcome_clear(&out);
	}
}

static void
walk_cases(dns_resolver_t *r, const char *how)
{
	for (size_t i = 0; i < sizeof(wcases) / sizeof(wcases[0]); i++) {
		const struct wcase *c = &wcases[i];
		spf_walk_t w;

		if (spf_walk_run(&w, r, NULL, c->domain, NULL, 0, 0) != 0) {
			tap_check(false, "%s: walk of %s runs", how, c->domain);
			continue;
		}
		if (!tap_check(w.lookups == c->lookups && w.voids == c->voids &&
		    w.complete == c->complete, "%s: walk of %s: %u lookups, "
		    "%u void", how, c->domain, c->lookups, c->voids))
			tap_diag("got %u lookups, %u void, complete %d",
			    w.lookups, w.voids, w.complete);
		spf_walk_clear(&w);
	}
}

/* The evaluator and the walker count the same for a client that matches
 * nothing (issue 17) */
static void
counts_agree(dns_resolver_t *r)
{
	static const char *const domains[] = { "void.t.test", "lim.t.test",
	    "incnx.t.test", "deep.t.test", "mx.t.test", "red.t.test" };

	for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		char sender[300];
		spf_request_t q = { .ip = "192.0.2.250", .sender = sender };
		spf_outcome_t out;
		spf_walk_t w;

		snprintf(sender, sizeof(sender), "u@%s", domains[i]);
		if (spf_eval_run(&out, r, &q) != 0 ||
		    spf_walk_run(&w, r, NULL, domains[i], NULL, 0, 0) != 0)
			continue;
		tap_check(out.lookups == w.lookups &&
		    out.void_lookups == w.voids, "evaluator and walker count "
		    "alike for %s: %u/%u and %u/%u", domains[i], out.lookups,
		    out.void_lookups, w.lookups, w.voids);
		spf_outcome_clear(&out);
		spf_walk_clear(&w);
	}
}

/* Summaries taken, at the top of a tree */
static size_t
replays(const spf_walk_t *w)
{
	size_t n = 0;

	for (size_t i = 0; w->root && i < w->root->nitems; i++)
		n += w->root->items[i].memo != NULL;
	return n;
}

static bool
same_findings(const lint_findings_t *a, const lint_findings_t *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].code != b->v[i].code || a->v[i].offset !=
		    b->v[i].offset || !same(a->v[i].domain, b->v[i].domain) ||
		    strcmp(a->v[i].message, b->v[i].message) != 0)
			return false;
	return true;
}

/* A batch's walks with summaries (one store, SPF_WALK_MEMO) give what
 * walks without give, domain by domain: counts, completeness, and every
 * finding in order, the limits' places among them */
static void
memo_cases(dns_resolver_t *r, const char *how)
{
	static const char *const domains[] = { "c1", "c2", "c4", "c5", "c6",
	    "c7", "c3", "c8", "c1", "c5", "c7", "c2", "c6" };
	spf_store_t *store = spf_store_new();
	size_t agree = 0, taken = 0, n = sizeof(domains) / sizeof(domains[0]);

	for (size_t i = 0; store && i < n; i++) {
		char name[64];
		spf_walk_t a, b;

		snprintf(name, sizeof(name), "%s.m.test", domains[i]);
		if (spf_walk_run(&a, r, store, name, NULL, 0, SPF_WALK_MEMO) ||
		    spf_walk_run(&b, r, NULL, name, NULL, 0, 0))
			break;
		taken += replays(&a);
		if (a.lookups == b.lookups && a.voids == b.voids &&
		    a.complete == b.complete && a.dns_failed == b.dns_failed &&
		    same_findings(&a.findings, &b.findings))
			agree++;
		else
			tap_diag("%s: %u/%u lookups, %u/%u void, %zu/%zu "
			    "findings", name, a.lookups, b.lookups, a.voids,
			    b.voids, a.findings.n, b.findings.n);
		spf_walk_clear(&a);
		spf_walk_clear(&b);
	}
	spf_store_free(store);
	/* c2 (p1), c5 (p2, p1), c7 (p1), c1, c5, c7, c2 (p1, p2) again */
	tap_check(agree == n && taken >= 8, "%s: %zu of %zu walks with "
	    "summaries as without, %zu summaries taken", how, agree, n, taken);
}

static void
flatten_cases(dns_resolver_t *r, const char *how)
{
	static const struct {
		const char *domain, *want;
		fl_status_t st;
	} cases[] = {
		{ "deep.t.test", "v=spf1 ip4:10.0.0.0/8 ip4:192.0.2.1 -all",
		    FL_OK },
		/* w3 fails 10.1.2.0/24 before it passes 10.1.0.0/16; w1
		 * passed that all already */
		{ "wide.t.test", "v=spf1 ip4:10.1.0.0/16 ip4:10.2.0.0/16 "
		    "ip4:10.3.0.1 -all", FL_OK },
		{ "incnx.t.test", NULL, FL_DNS },
		{ "loop.t.test", NULL, FL_CANNOT },
	};
	fl_options_t opt = { .resolve_a_mx = true, .max_record_bytes = 450,
	    .max_lookups = 10, .prefix = "_spf" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fl_result_t res;
		spf_walk_t w;
		fl_status_t st;

		if (spf_walk_run(&w, r, NULL, cases[i].domain, NULL, 0, 0) != 0)
			continue;
		st = fl_flatten(&res, r, cases[i].domain, NULL,
		    w.root ? w.root->text : "v=spf1", &opt);
		if (!tap_check(st == cases[i].st && (cases[i].want == NULL ||
		    (res.nrecords == 1 && strcmp(res.records[0],
		    cases[i].want) == 0)), "%s: flattening %s: %s", how,
		    cases[i].domain, cases[i].want ? cases[i].want :
		    "refused"))
			tap_diag("status %d, %s", st, res.nrecords ?
			    res.records[0] : res.error);
		fl_result_clear(&res);
		spf_walk_clear(&w);
	}
}

void
test_spf_interp(void)
{
	char *z1 = write_zone("t.test", zone), *z2 = write_zone("rev", reverse);
	char *z3 = write_zone("m.test", memo_zone);
	dns_resolver_t *zr = zone_resolver(z1, z2);
	char err[256];

	if (!tap_check(zr != NULL && dns_resolver_zone_load(zr, z3, err,
	    sizeof(err)) == 0, "the test zones load"))
		return;
	eval_cases(zr, "zone");
	walk_cases(zr, "zone");
	counts_agree(zr);
	memo_cases(zr, "zone");
	flatten_cases(zr, "zone");
	for (unsigned seed = 1; seed <= 3; seed++) {
		char addr[64], how[64];
		pid_t pid = server_start(zr, seed, addr, sizeof(addr));
		dns_resolver_t *r = pid > 0 ? net_resolver(addr) : NULL;

		snprintf(how, sizeof(how), "shuffled answers (seed %u)", seed);
		if (tap_check(r != NULL, "%s: a server runs", how)) {
			eval_cases(r, how);
			walk_cases(r, how);
			memo_cases(r, how);
			flatten_cases(r, how);
		}
		dns_resolver_free(r);
		if (pid > 0) {
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
		}
	}
	dns_resolver_free(zr);
	unlink(z1);
	unlink(z2);
	unlink(z3);
	free(z1);
	free(z2);
	free(z3);
}
