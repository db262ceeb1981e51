/*
 * The resolver: a cache of entries keyed by "name/type", filled from zone
 * files or by the live engine below.
 *
 * The engine sends each query from its own connected UDP socket (so the
 * kernel picks a random source port and drops answers from elsewhere),
 * keeps up to max_in_flight queries out at once, and polls them together.
 * An answer is accepted only when its ID and question match.  A truncated
 * answer is asked again over TCP; a timeout, SERVFAIL or REFUSED moves to
 * the next server until the retries are spent.  A CNAME whose target's
 * records did not come along turns the entry into an alias of the target's
 * entry, which is queried in turn.
 */
#include "dns/dns.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/table.h"
#include "dns/transport.h"
#include "dns/wire.h"
#include "dns/zone.h"
#include "util/time.h"

#define MAX_IN_FLIGHT	64	/* by default */
#define MAX_ZONES	64
#define MAX_SERVERS	8
#define MAX_CNAME_HOPS	8
#define EDNS_SIZE	1232

enum entry_state { E_QUEUED, E_SENT, E_DONE, E_ALIAS };

struct entry {
	dns_answer_t ans;
	enum entry_state state;
	bool ready;		/* ans is final */
	char *name;
	ldns_rr_type type;
	struct entry *alias;	/* E_ALIAS: the CNAME target's entry */
	unsigned round;		/* the round its answer came in */
	unsigned hops;		/* CNAME hops that led here */
	char *canonical;	/* where a CNAME in the answer led */
	char source[96];
	struct entry *next;	/* in the queue */
};

struct query {
	struct entry *e;
	int fd;
	uint16_t id;
	unsigned tries;
	size_t server;
	uint64_t expires;
	/* after a truncated answer: the same question over TCP, in the
	 * same poll loop as the rest */
	bool tcp;
	uint8_t *buf;		/* the framed query, then the framed answer */
	size_t len, done;	/* bytes of buf to move, and moved */
	bool reading;
	const char *why;	/* what was wrong with the last answer refused */
};

struct dns_resolver {
	util_table_t *cache;
	dns_zone_t *zones[MAX_ZONES];
	size_t nzones;
	dns_addr_t servers[MAX_SERVERS];
	size_t nservers;
	unsigned timeout_ms, retries;
	uint64_t deadline;
	bool offline, defer;
	unsigned max_in_flight;
	unsigned long misses;
	struct entry *queue, **queue_tail;
	struct entry **aliases;	/* entries to settle after a wait */
	size_t naliases, aliases_cap;
	dns_stats_t stats;
};

const char *
dns_result_str(dns_result_t res)
{
	static const char *const names[] = {
		[DNS_OK] = "ok", [DNS_NODATA] = "nodata",
		[DNS_NXDOMAIN] = "nxdomain", [DNS_SERVFAIL] = "servfail",
		[DNS_REFUSED] = "refused", [DNS_TIMEOUT] = "timeout",
		[DNS_BADNAME] = "bad name", [DNS_NETERROR] = "network error",
		[DNS_UNAVAILABLE] = "no zone file has it",
		[DNS_PENDING] = "not answered yet",
	};
	return names[res];
}

bool
dns_result_is_void(dns_result_t res)
{
	return res == DNS_NODATA || res == DNS_NXDOMAIN;
}

bool
dns_result_is_failure(dns_result_t res)
{
	return res != DNS_OK && !dns_result_is_void(res) &&
	    res != DNS_BADNAME;
}

static void
resolv_conf(dns_resolver_t *r)
{
	FILE *fp = fopen("/etc/resolv.conf", "r");
	char line[256], addr[64];

	while (fp && r->nservers < MAX_SERVERS &&
	    fgets(line, sizeof(line), fp))
		if (sscanf(line, " nameserver %63s", addr) == 1 &&
		    dns_addr_parse(&r->servers[r->nservers], addr) == 0)
			r->nservers++;
	if (fp)
		fclose(fp);
	if (r->nservers == 0)
		dns_addr_parse(&r->servers[r->nservers++], "127.0.0.1");
}

dns_resolver_t *
dns_resolver_new(const dns_options_t *opt, char *err, size_t errlen)
{
	dns_resolver_t *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->cache = util_table_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	r->queue_tail = &r->queue;
	r->timeout_ms = opt->timeout_ms ? opt->timeout_ms : 2000;
	r->retries = opt->retries;
	r->deadline = util_now_ms() +
	    (opt->deadline_ms ? opt->deadline_ms : 30000);
	r->offline = opt->offline;
	r->max_in_flight = opt->max_in_flight ? opt->max_in_flight :
	    MAX_IN_FLIGHT;
	for (size_t i = 0; i < opt->nservers; i++) {
		if (r->nservers == MAX_SERVERS) {
			snprintf(err, errlen, "more than %d servers",
			    MAX_SERVERS);
			dns_resolver_free(r);
			return NULL;
		}
		if (dns_addr_parse(&r->servers[r->nservers++],
		    opt->servers[i]) != 0) {
			snprintf(err, errlen, "bad server address '%s' "
			    "(want ADDR, ADDR@PORT or [ADDR]:PORT)",
			    opt->servers[i]);
			dns_resolver_free(r);
			return NULL;
		}
	}
	if (r->nservers == 0 && !r->offline)
		resolv_conf(r);
	return r;
}

static void
entry_free(void *p)
{
	struct entry *e = p;

	if (e->state != E_ALIAS)
		ldns_rr_list_deep_free(e->ans.rrs);
	free(e->canonical);
	free(e->name);
	free(e);
}

void
dns_resolver_free(dns_resolver_t *r)
{
	if (r == NULL)
		return;
	util_table_free(r->cache, entry_free);
	for (size_t i = 0; i < r->nzones; i++)
		dns_zone_free(r->zones[i]);
	free(r->aliases);
	free(r);
}

int
dns_resolver_zone_load(dns_resolver_t *r, const char *path, char *err,
    size_t errlen)
{
	dns_zone_t *z;

	if (r->nzones == MAX_ZONES) {
		snprintf(err, errlen, "more than %d zone files", MAX_ZONES);
		return -1;
	}
	if ((z = dns_zone_load(path, err, errlen)) == NULL)
		return -1;
	r->zones[r->nzones++] = z;
	return 0;
}

void
dns_resolver_zone_each(const dns_resolver_t *r,
    void (*fn)(const char *name, const ldns_rr_list *rrs, void *arg),
    void *arg)
{
	for (size_t i = 0; i < r->nzones; i++)
		dns_zone_each(r->zones[i], fn, arg);
}

void
dns_resolver_stats(const dns_resolver_t *r, dns_stats_t *st)
{
	*st = r->stats;
}

/* wire size of a response to name/type carrying rrs (owner compressed) */
static size_t
wire_size(const char *name, const ldns_rr_list *rrs)
{
	size_t n = 12 + strlen(name) + 2 + 4;

	for (size_t i = 0; rrs && i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		n += ldns_rr_uncompressed_size(rr) -
		    ldns_rdf_size(ldns_rr_owner(rr)) + 2;
	}
	return n;
}

static void
entry_finish(struct entry *e, dns_result_t res, ldns_rr_list *rrs)
{
	e->state = E_DONE;
	e->ready = true;
	e->ans.result = res;
	e->ans.rrs = rrs;
	e->ans.source = e->source;
	e->ans.wire_size = wire_size(e->name, rrs);
}

static struct entry *entry_submit(dns_resolver_t *r, const char *name,
    ldns_rr_type type, unsigned round, unsigned hops);

static void
entry_alias(dns_resolver_t *r, struct entry *e, const char *target)
{
	if (e->hops >= MAX_CNAME_HOPS) {
		snprintf(e->source + strlen(e->source),
		    sizeof(e->source) - strlen(e->source), ", CNAME loop");
		entry_finish(e, DNS_SERVFAIL, NULL);
		return;
	}
	if (r->naliases == r->aliases_cap) {
		size_t cap = r->aliases_cap ? r->aliases_cap * 2 : 16;
		struct entry **a = realloc(r->aliases, cap * sizeof(*a));

		if (a == NULL) {
			entry_finish(e, DNS_NETERROR, NULL);
			return;
		}
		r->aliases = a;
		r->aliases_cap = cap;
	}
	e->state = E_ALIAS;
	e->alias = entry_submit(r, target, e->type, e->round + 1, e->hops + 1);
	if (e->alias == NULL) {
		e->state = E_DONE;
		entry_finish(e, DNS_NETERROR, NULL);
		return;
	}
	r->aliases[r->naliases++] = e;
}

/* Answers from the zone files when one covers the name; false if none does */
static bool
entry_from_zone(dns_resolver_t *r, struct entry *e)
{
	dns_zone_t *best = NULL;
	int depth = -1;
	ldns_rr_list *rrs;
	char *target;

	for (size_t i = 0; i < r->nzones; i++) {
		int d = dns_zone_covers(r->zones[i], e->name);
		int o = best ? dns_zone_covers(best, dns_zone_origin(best)) : 0;

		/* the zone with the longest origin wins */
		if (d >= 0 && (best == NULL || d - o < depth || depth < 0)) {
			best = r->zones[i];
			depth = d;
		}
	}
	if (best == NULL)
		return false;
	r->stats.answered_from_zone++;
	snprintf(e->source, sizeof(e->source), "zone %s",
	    dns_zone_path(best));
	switch (dns_zone_lookup(best, e->name, e->type, &rrs, &target)) {
	case DNS_ZONE_ANSWER:
		entry_finish(e, DNS_OK, rrs);
		break;
	case DNS_ZONE_NODATA:
		entry_finish(e, DNS_NODATA, NULL);
		break;
	case DNS_ZONE_NXDOMAIN:
		entry_finish(e, DNS_NXDOMAIN, NULL);
		break;
	case DNS_ZONE_CNAME:
		e->round = r->stats.rounds;
		entry_alias(r, e, target);
		free(target);
		break;
	}
	return true;
}

static struct entry *
entry_submit(dns_resolver_t *r, const char *name, ldns_rr_type type,
    unsigned round, unsigned hops)
{
	char norm[256], key[272];
	struct entry *e;

	if (util_name_normalize(name, norm, sizeof(norm)) != 0)
		snprintf(norm, sizeof(norm), "%.250s", name);
	snprintf(key, sizeof(key), "%s/%u", norm, (unsigned)type);
	if ((e = util_table_get(r->cache, key)) != NULL)
		return e;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->name = strdup(norm)) == NULL ||
	    util_table_put(r->cache, key, e) != 0) {
		if (e)
			free(e->name);
		free(e);
		return NULL;
	}
	e->type = type;
	e->hops = hops;
	e->round = round;
	if (util_name_normalize(name, norm, sizeof(norm)) != 0) {
		snprintf(e->source, sizeof(e->source), "not sent");
		entry_finish(e, DNS_BADNAME, NULL);
	} else if (entry_from_zone(r, e))
		;
	else if (r->offline) {
		snprintf(e->source, sizeof(e->source), "--offline");
		entry_finish(e, DNS_UNAVAILABLE, NULL);
	} else {
		e->state = E_QUEUED;
		*r->queue_tail = e;
		r->queue_tail = &e->next;
	}
	return e;
}

void
dns_resolver_submit(dns_resolver_t *r, const char *name, ldns_rr_type type)
{
	entry_submit(r, name, type, r->stats.rounds + 1, 0);
}

/* ---- the live engine ---- */

static int
query_send(dns_resolver_t *r, struct query *q)
{
	const dns_addr_t *s = &r->servers[q->server];
	ldns_pkt *pkt = NULL;
	ldns_rdf *qname;
	uint8_t *wire = NULL;
	size_t len;
	char abs[260];
	int ok = -1;

	snprintf(abs, sizeof(abs), "%s.", q->e->name);
	if ((qname = ldns_dname_new_frm_str(abs)) == NULL)
		return -1;
	pkt = ldns_pkt_query_new(qname, q->e->type, LDNS_RR_CLASS_IN, LDNS_RD);
	if (pkt == NULL)
		return -1;
	getrandom(&q->id, sizeof(q->id), 0);
	ldns_pkt_set_id(pkt, q->id);
	ldns_pkt_set_edns_udp_size(pkt, EDNS_SIZE);
	if (ldns_pkt2wire(&wire, pkt, &len) == LDNS_STATUS_OK) {
		q->fd = socket(s->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (q->fd >= 0 &&
		    connect(q->fd, (const struct sockaddr *)&s->ss, s->len) == 0 &&
		    send(q->fd, wire, len, 0) == (ssize_t)len)
			ok = 0;
	}
	free(wire);
	ldns_pkt_free(pkt);
	if (ok == 0) {
		r->stats.queries++;
		q->expires = util_now_ms() + r->timeout_ms;
	}
	return ok;
}

static void
query_close(struct query *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	free(q->buf);
	q->buf = NULL;
	q->tcp = false;
}

/* Starts the TCP exchange after a truncated answer: a non-blocking
 * connect to the same server, the question framed with its length.
 * -1 when it cannot even start. */
static int
query_tcp_start(dns_resolver_t *r, struct query *q)
{
	const dns_addr_t *s = &r->servers[q->server];
	ldns_pkt *pkt;
	ldns_rdf *qname;
	uint8_t *wire = NULL;
	size_t len;
	char abs[260];
	int rc = -1;

	query_close(q);
	snprintf(abs, sizeof(abs), "%s.", q->e->name);
	if ((qname = ldns_dname_new_frm_str(abs)) == NULL ||
	    (pkt = ldns_pkt_query_new(qname, q->e->type, LDNS_RR_CLASS_IN,
	    LDNS_RD)) == NULL)
		return -1;
	ldns_pkt_set_id(pkt, q->id);
	if (ldns_pkt2wire(&wire, pkt, &len) == LDNS_STATUS_OK &&
	    (q->buf = malloc(len + 2)) != NULL) {
		q->buf[0] = (uint8_t)(len >> 8);
		q->buf[1] = (uint8_t)len;
		memcpy(q->buf + 2, wire, len);
		q->len = len + 2;
		q->done = 0;
		q->reading = false;
		q->tcp = true;
		q->fd = socket(s->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (q->fd >= 0 && (connect(q->fd, (const struct sockaddr *)&s->ss,
		    s->len) == 0 || errno == EINPROGRESS)) {
			r->stats.queries++;
			q->expires = util_now_ms() + r->timeout_ms;
			rc = 0;
		}
	}
	free(wire);
	ldns_pkt_free(pkt);
	return rc;
}

static bool question_matches(const ldns_pkt *p, const struct query *q);

/* Parses an answer whose ID is ours, after the checks that keep a hostile
 * one away from the wire parser; -1 with q->why when it is refused. */
static int
answer_parse(struct query *q, const uint8_t *buf, size_t len, ldns_pkt **p)
{
	dns_wire_status_t st = dns_wire_check(buf, len);

	if (st != DNS_WIRE_OK) {
		q->why = dns_wire_status_str(st);
		return -1;
	}
	if (ldns_wire2pkt(p, buf, len) != LDNS_STATUS_OK) {
		q->why = "an answer libldns cannot parse";
		return -1;
	}
	if (!question_matches(*p, q)) {
		q->why = "an answer to another question";
		ldns_pkt_free(*p);
		*p = NULL;
		return -1;
	}
	return 1;
}

/* Moves what the TCP socket allows: the query out, then the answer in.
 * Returns 1 with *p when the answer is whole, 0 to wait, -1 on failure. */
static int
query_tcp_io(struct query *q, ldns_pkt **p)
{
	ssize_t n;

	*p = NULL;
	while (!q->reading) {
		n = send(q->fd, q->buf + q->done, q->len - q->done, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINPROGRESS ||
			    errno == EINTR ? 0 : -1;
		if ((q->done += (size_t)n) == q->len) {
			q->reading = true;
			q->done = 0;
			q->len = 2;	/* the length first */
		}
	}
	for (;;) {
		if (q->done == q->len && q->len == 2) {
			size_t mlen = (size_t)(q->buf[0] << 8 | q->buf[1]);
			uint8_t *nb;

			if (mlen < 12) {
				q->why = "a TCP answer shorter than a header";
				return -1;
			}
			if ((nb = realloc(q->buf, mlen + 2)) == NULL)
				return -1;
			q->buf = nb;
			q->len = mlen + 2;
		}
		if (q->done == q->len)
			return answer_parse(q, q->buf + 2, q->len - 2, p);
		n = recv(q->fd, q->buf + q->done, q->len - q->done, 0);
		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		q->done += (size_t)n;
	}
}

static bool
question_matches(const ldns_pkt *p, const struct query *q)
{
	const ldns_rr *qr;
	char *s;
	char name[256];
	bool ok = false;

	if (ldns_pkt_id(p) != q->id || !ldns_pkt_qr(p) ||
	    ldns_pkt_qdcount(p) != 1)
		return false;
	qr = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	if (ldns_rr_get_type(qr) != q->e->type ||
	    ldns_rr_get_class(qr) != LDNS_RR_CLASS_IN)
		return false;
	if ((s = ldns_rdf2str(ldns_rr_owner(qr))) == NULL)
		return false;
	ok = util_name_normalize(s, name, sizeof(name)) == 0 &&
	    strcmp(name, q->e->name) == 0;
	free(s);
	return ok;
}

/* Records of the asked type at the end of the CNAME chain in the answer
 * section; *end is the chain's last name when it differs from qname.
 * *loop says why when the chain comes back to a name it passed or is
 * longer than MAX_CNAME_HOPS: a DNS failure, never "no records". */
static ldns_rr_list *
answer_chain(const ldns_pkt *p, const char *qname, ldns_rr_type type,
    char *end, size_t endlen, const char **loop)
{
	const ldns_rr_list *an = ldns_pkt_answer(p);
	ldns_rr_list *out = ldns_rr_list_new();
	char cur[256], owner[256], seen[MAX_CNAME_HOPS + 1][256];

	*loop = NULL;
	snprintf(cur, sizeof(cur), "%s", qname);
	for (unsigned hop = 0; out != NULL; hop++) {
		const ldns_rr *cname = NULL;

		for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(an, i);
			char *s = ldns_rdf2str(ldns_rr_owner(rr));
			int bad = !s ||
			    util_name_normalize(s, owner, sizeof(owner)) != 0;

			free(s);
			if (bad || strcmp(owner, cur) != 0 ||
			    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
				continue;
			if (ldns_rr_get_type(rr) == type)
				ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
			else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME)
				cname = rr;
		}
		if (ldns_rr_list_rr_count(out) > 0 || cname == NULL)
			break;
		if (hop == MAX_CNAME_HOPS) {
			*loop = "a CNAME chain of over 8 names";
			break;
		}
		memcpy(seen[hop], cur, sizeof(cur));
		char *t = ldns_rdf2str(ldns_rr_rdf(cname, 0));
		int bad = !t || util_name_normalize(t, cur, sizeof(cur)) != 0;

		free(t);
		if (bad)
			break;
		for (unsigned k = 0; k <= hop && !*loop; k++)
			if (strcmp(seen[k], cur) == 0)
				*loop = "a CNAME loop";
		if (*loop)
			break;
	}
	snprintf(end, endlen, "%s", strcmp(cur, qname) ? cur : "");
	if (*loop || ldns_rr_list_rr_count(out) == 0) {
		ldns_rr_list_deep_free(out);
		return NULL;
	}
	return out;
}

/* Decides what an answer means for the query; false to try again. */
static bool
query_answer(dns_resolver_t *r, struct query *q, ldns_pkt *p)
{
	struct entry *e = q->e;
	ldns_rr_list *rrs;
	char end[256];
	const char *loop;

	switch (ldns_pkt_get_rcode(p)) {
	case LDNS_RCODE_NOERROR:
	case LDNS_RCODE_NXDOMAIN:
		break;
	case LDNS_RCODE_SERVFAIL:
		if (q->tries <= r->retries)
			return false;
		entry_finish(e, DNS_SERVFAIL, NULL);
		return true;
	default:
		if (q->tries <= r->retries)
			return false;
		entry_finish(e, DNS_REFUSED, NULL);
		return true;
	}
	rrs = answer_chain(p, e->name, e->type, end, sizeof(end), &loop);
	if (loop) {
		q->why = loop;
		entry_finish(e, DNS_SERVFAIL, NULL);
	} else if (rrs) {
		entry_finish(e, DNS_OK, rrs);
		if (*end && (e->canonical = strdup(end)) != NULL)
			e->ans.canonical = e->canonical;
	} else if (ldns_pkt_get_rcode(p) == LDNS_RCODE_NXDOMAIN)
		entry_finish(e, DNS_NXDOMAIN, NULL);
	else if (*end)
		entry_alias(r, e, end);
	else
		entry_finish(e, DNS_NODATA, NULL);
	return true;
}

static void
query_start(dns_resolver_t *r, struct query *q)
{
	while (q->tries++ <= r->retries) {
		if (query_send(r, q) == 0)
			return;
		query_close(q);
		q->server = (q->server + 1) % r->nservers;
	}
	entry_finish(q->e, DNS_NETERROR, NULL);
}

/* This try failed (a timeout, a refused or unusable answer, an ICMP
 * error): the next server if tries remain, else the entry ends with res. */
static void
query_next(dns_resolver_t *r, struct query *q, dns_result_t res)
{
	query_close(q);
	q->e->round++;
	if (q->tries <= r->retries) {
		q->server = (q->server + 1) % r->nservers;
		query_start(r, q);
	} else
		entry_finish(q->e, res, NULL);
}

/* The answer p (taken) for q: settled, or asked again of the next server
 * after a SERVFAIL or a refusal */
static bool
query_settle(dns_resolver_t *r, struct query *q, ldns_pkt *p)
{
	bool done;

	q->why = NULL;
	done = query_answer(r, q, p);
	ldns_pkt_free(p);
	query_close(q);
	if (!done) {
		q->server = (q->server + 1) % r->nservers;
		q->e->round++;
		query_start(r, q);
	}
	return true;
}

/* Reads what came (a datagram, or TCP bytes); true when the query is
 * settled or restarted. */
static bool
query_read(dns_resolver_t *r, struct query *q)
{
	uint8_t buf[65536];
	ldns_pkt *p = NULL;
	ssize_t n;

	if (q->tcp) {
		int rc = query_tcp_io(q, &p);

		if (rc == 0)
			return false;
		if (rc < 0) {
			query_next(r, q, DNS_NETERROR);
			return true;
		}
		return query_settle(r, q, p);
	}
	if ((n = recv(q->fd, buf, sizeof(buf), MSG_TRUNC)) < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return false;
		/* ICMP unreachable: this server is out, try the next */
		q->why = strerror(errno);
		query_next(r, q, DNS_NETERROR);
		return true;
	}
	if (n < 2 || (buf[0] << 8 | buf[1]) != q->id)
		return false;		/* not ours: keep waiting */
	if (n > EDNS_SIZE) {
		/* more than we said we take: refused unread */
		q->why = "a UDP answer over the 1232 bytes advertised";
		query_next(r, q, DNS_NETERROR);
		return true;
	}
	if (answer_parse(q, buf, (size_t)n, &p) < 0) {
		query_next(r, q, DNS_NETERROR);
		return true;
	}
	if (ldns_pkt_tc(p)) {
		/* truncated: the same server over TCP, one round deeper,
		 * while the other queries go on */
		ldns_pkt_free(p);
		q->e->round++;
		if (query_tcp_start(r, q) != 0) {
			query_close(q);
			entry_finish(q->e, DNS_NETERROR, NULL);
			return true;
		}
		return false;
	}
	return query_settle(r, q, p);
}

static void
rounds_note(dns_resolver_t *r, const struct entry *e)
{
	if (e->round > r->stats.rounds)
		r->stats.rounds = e->round;
}

void
dns_resolver_wait(dns_resolver_t *r)
{
	struct query *q;
	struct pollfd *pfd;
	size_t n = 0;
	unsigned base = r->stats.rounds;

	q = calloc(r->max_in_flight, sizeof(*q));
	pfd = calloc(r->max_in_flight, sizeof(*pfd));
	if (q == NULL || pfd == NULL) {
		for (struct entry *e = r->queue; e; e = e->next)
			entry_finish(e, DNS_NETERROR, NULL);
		r->queue = NULL;
		r->queue_tail = &r->queue;
	}
	while (r->queue || n > 0) {
		uint64_t now = util_now_ms(), wake = r->deadline;

		while (n < r->max_in_flight && r->queue) {
			struct entry *e = r->queue;

			if ((r->queue = e->next) == NULL)
				r->queue_tail = &r->queue;
			e->next = NULL;
			if (e->round <= base)
				e->round = base + 1;
			e->state = E_SENT;
			snprintf(e->source, sizeof(e->source), "%s",
			    r->servers[0].text);
			q[n] = (struct query){ .e = e, .fd = -1 };
			query_start(r, &q[n]);
			if (e->state == E_SENT)
				n++;
			else
				rounds_note(r, e);
		}
		if (n > r->stats.max_in_flight)
			r->stats.max_in_flight = (unsigned)n;
		if (now >= r->deadline) {
			for (size_t i = 0; i < n; i++) {
				query_close(&q[i]);
				snprintf(q[i].e->source, sizeof(q[i].e->source),
				    "%s, run deadline",
				    r->servers[q[i].server].text);
				entry_finish(q[i].e, DNS_TIMEOUT, NULL);
			}
			for (struct entry *e = r->queue; e; e = e->next)
				entry_finish(e, DNS_TIMEOUT, NULL);
			r->queue = NULL;
			r->queue_tail = &r->queue;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			pfd[i] = (struct pollfd){ .fd = q[i].fd,
			    .events = q[i].tcp && !q[i].reading ? POLLOUT :
			    POLLIN };
			if (q[i].expires < wake)
				wake = q[i].expires;
		}
		if (poll(pfd, n, wake > now ? (int)(wake - now) : 0) < 0 &&
		    errno != EINTR)
			break;
		now = util_now_ms();
		for (size_t i = 0; i < n; i++) {
			bool settled = false;

			if (pfd[i].revents)
				settled = query_read(r, &q[i]);
			if (!settled && now >= q[i].expires) {
				/* this try timed out: next server, or give up */
				q[i].why = NULL;
				query_next(r, &q[i], DNS_TIMEOUT);
			}
			if (q[i].e->state != E_SENT) {
				snprintf(q[i].e->source, sizeof(q[i].e->source),
				    "%s%s%s", r->servers[q[i].server].text,
				    q[i].why ? ", " : "", q[i].why ? q[i].why : "");
				query_close(&q[i]);
				rounds_note(r, q[i].e);
				n--;
				q[i] = q[n];
				pfd[i] = pfd[n];
				i--;
			}
		}
	}
	free(q);
	free(pfd);
	/* settle the aliases: an entry takes its CNAME target's answer */
	for (size_t i = 0; i < r->naliases; i++) {
		struct entry *e = r->aliases[i], *t = e->alias;
		unsigned hops = 0;

		while (t && t->state == E_ALIAS && hops++ < MAX_CNAME_HOPS)
			t = t->alias;
		if (t == NULL || t->state != E_DONE) {
			/* a CNAME loop, or a target never answered */
			snprintf(e->source, sizeof(e->source), "CNAME chain "
			    "from %s does not end", e->name);
			e->ans = (dns_answer_t){ .result = DNS_SERVFAIL,
			    .source = e->source };
			e->ready = true;
			continue;
		}
		e->ans = t->ans;
		e->ready = true;
		e->ans.canonical = t->canonical ? t->canonical : t->name;
		rounds_note(r, t);
	}
	r->naliases = 0;
}

const dns_answer_t *
dns_resolver_peek(dns_resolver_t *r, const char *name, ldns_rr_type type)
{
	struct entry *e = entry_submit(r, name, type, r->stats.rounds + 1, 0);
	static const dns_answer_t nomem = { .result = DNS_NETERROR,
	    .source = "out of memory" };

	if (e == NULL)
		return &nomem;
	if (!e->ready)
		r->misses++;
	return e->ready ? &e->ans : NULL;
}

void
dns_resolver_defer(dns_resolver_t *r, bool on)
{
	r->defer = on;
}

bool
dns_resolver_deferring(const dns_resolver_t *r)
{
	return r->defer;
}

unsigned long
dns_resolver_misses(const dns_resolver_t *r)
{
	return r->misses;
}

void
dns_resolver_deadline_set(dns_resolver_t *r, unsigned ms)
{
	r->deadline = util_now_ms() + ms;
}

const dns_answer_t *
dns_resolver_get(dns_resolver_t *r, const char *name, ldns_rr_type type)
{
	const dns_answer_t *a = dns_resolver_peek(r, name, type);
	static const dns_answer_t unsettled = { .result = DNS_TIMEOUT,
	    .source = "unanswered" }, pending = { .result = DNS_PENDING,
	    .source = "deferred" };

	if (a == NULL && r->defer)
		return &pending;
	if (a == NULL) {
		dns_resolver_wait(r);	/* settles every entry it sends */
		a = dns_resolver_peek(r, name, type);
	}
	return a ? a : &unsettled;
}

