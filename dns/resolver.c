/*
 * The resolver: answers by name and type from the cache (dns/cache.c),
 * filled from the zone files or by asking the servers through the
 * scheduler (dns/sched.c), which owns the sockets, the windows and the
 * retries.  This file decides what an answer means: the records at the
 * end of a CNAME chain, NODATA, NXDOMAIN, or a failure and why.  A CNAME
 * whose target's records did not come along makes the entry an alias of
 * the target's entry, asked in turn, in the same run; when the run ends
 * the alias takes a copy of the target's answer, so that either may be
 * evicted without the other.
 */
#include "dns/dns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/cache.h"
#include "dns/sched.h"
#include "dns/transport.h"
#include "dns/zone.h"
#include "util/time.h"

#define MAX_IN_FLIGHT	256	/* by default */
#define MAX_ZONES	64
#define MAX_CNAME_HOPS	8
#define SHARED_CAP	4096	/* answers kept for being asked often */

struct dns_resolver {
	dns_cache_t *cache;
	dns_sched_t *sched;
	dns_zone_t *zones[MAX_ZONES];
	size_t nzones;
	dns_addr_t servers[DNS_MAX_SERVERS];
	size_t nservers;
	uint64_t deadline;
	bool offline, defer;
	unsigned long misses;
	unsigned base;		/* rounds when the current run began */
	struct entry **aliases;	/* entries to settle after a run */
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

	while (fp && r->nservers < DNS_MAX_SERVERS &&
	    fgets(line, sizeof(line), fp))
		if (sscanf(line, " nameserver %63s", addr) == 1 &&
		    dns_addr_parse(&r->servers[r->nservers], addr) == 0)
			r->nservers++;
	if (fp)
		fclose(fp);
	if (r->nservers == 0)
		dns_addr_parse(&r->servers[r->nservers++], "127.0.0.1");
}

static int
servers_parse(dns_resolver_t *r, const dns_options_t *opt, char *err,
    size_t errlen)
{
	if (opt->nservers > DNS_MAX_SERVERS) {
		snprintf(err, errlen, "more than %d servers",
		    DNS_MAX_SERVERS);
		return -1;
	}
	for (size_t i = 0; i < opt->nservers; i++)
		if (dns_addr_parse(&r->servers[r->nservers++],
		    opt->servers[i]) != 0) {
			snprintf(err, errlen, "bad server address '%s' "
			    "(want ADDR, ADDR@PORT or [ADDR]:PORT)",
			    opt->servers[i]);
			return -1;
		}
	if (r->nservers == 0 && !opt->offline)
		resolv_conf(r);
	return 0;
}

dns_resolver_t *
dns_resolver_new(const dns_options_t *opt, char *err, size_t errlen)
{
	dns_resolver_t *r = calloc(1, sizeof(*r));
	dns_sched_options_t so = { 0 };

	if (r == NULL || (r->cache = dns_cache_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	if (servers_parse(r, opt, err, errlen) != 0) {
		dns_resolver_free(r);
		return NULL;
	}
	so.servers = r->servers;
	so.nservers = r->nservers;
	so.timeout_ms = opt->timeout_ms ? opt->timeout_ms : 2000;
	so.retries = opt->retries;
	so.ceiling = opt->max_in_flight ? opt->max_in_flight : MAX_IN_FLIGHT;
	so.kind = opt->kind;
	if ((r->sched = dns_sched_new(&so)) == NULL) {
		snprintf(err, errlen, "out of memory");
		dns_resolver_free(r);
		return NULL;
	}
	r->deadline = util_now_ms() +
	    (opt->deadline_ms ? opt->deadline_ms : 30000);
	r->offline = opt->offline;
	return r;
}

void
dns_resolver_free(dns_resolver_t *r)
{
	if (r == NULL)
		return;
	dns_cache_free(r->cache);
	dns_sched_free(r->sched);
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
	st->reasked = dns_cache_reasked(r->cache);
	dns_sched_stats(r->sched, st);
}

unsigned long
dns_resolver_epoch(dns_resolver_t *r)
{
	return dns_cache_epoch(r->cache);
}

void
dns_resolver_trim(dns_resolver_t *r, unsigned long since)
{
	r->stats.evicted += dns_cache_trim(r->cache, since, SHARED_CAP);
}

size_t
dns_resolver_cached(const dns_resolver_t *r)
{
	return dns_cache_count(r->cache);
}

/* ---- entries ---- */

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
	static unsigned long made;

	/* an RRset has no order, and a recursive server shuffles it (round
	 * robin): canonical order (RFC 4034 6.3, an MX's by preference) makes
	 * every answer read, and every report, the same */
	if (rrs && ldns_rr_list_rr_count(rrs) > 1)
		ldns_rr_list_sort(rrs);
	e->ans.id = ++made;
	e->state = E_DONE;
	e->ready = true;
	e->ans.result = res;
	e->ans.rrs = rrs;
	e->ans.source = e->source;
	e->ans.wire_size = wire_size(e->name, rrs);
}

static void
entry_source(struct entry *e, const char *server, const char *why)
{
	size_t n = strnlen(server, sizeof(e->source) - 1);

	memcpy(e->source, server, n);	/* once an answer: no printf */
	e->source[n] = '\0';
	if (why)
		snprintf(e->source + n, sizeof(e->source) - n, ", %s", why);
}

static struct entry *entry_submit(dns_resolver_t *r, const char *name,
    ldns_rr_type type, unsigned round, unsigned hops);

/* e's answer is at target: e waits for target's entry */
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
	char norm[256];
	struct entry *e;
	bool bad;

	/* a name asked before is normal already, mostly: the cache first */
	if ((e = dns_cache_get(r->cache, name, type)) != NULL)
		return e;
	if ((bad = util_name_normalize(name, norm, sizeof(norm)) != 0))
		/* cached under what it was */
		snprintf(norm, sizeof(norm), "%.250s", name);
	if (strcmp(norm, name) != 0 && (e = dns_cache_get(r->cache, norm,
	    type)) != NULL)
		return e;
	if ((e = dns_cache_put(r->cache, norm, type)) == NULL)
		return NULL;
	e->hops = hops;
	e->round = round;
	if (bad) {
		snprintf(e->source, sizeof(e->source), "not sent");
		entry_finish(e, DNS_BADNAME, NULL);
	} else if (entry_from_zone(r, e))
		;
	else if (r->offline) {
		snprintf(e->source, sizeof(e->source), "--offline");
		entry_finish(e, DNS_UNAVAILABLE, NULL);
	} else if (dns_sched_add(r->sched, e->name, type, e) != 0) {
		snprintf(e->source, sizeof(e->source), r->nservers ?
		    "out of memory" : "no server to ask");
		entry_finish(e, DNS_NETERROR, NULL);
	} else {
		e->state = E_QUEUED;
		snprintf(e->source, sizeof(e->source), "%s",
		    r->servers[0].text);
	}
	return e;
}

void
dns_resolver_submit(dns_resolver_t *r, const char *name, ldns_rr_type type)
{
	entry_submit(r, name, type, r->stats.rounds + 1, 0);
}

/* ---- what an answer means ---- */

/* The records of out move from p's answer section to out (the packet's
 * copies are not cloned and freed: the records an answer is kept for);
 * false on no memory, with out freed */
static bool
take(ldns_pkt *p, ldns_rr_list *out)
{
	ldns_rr_list *an = ldns_pkt_answer(p), *rest = ldns_rr_list_new();
	size_t k = 0, nout = ldns_rr_list_rr_count(out);

	if (rest == NULL) {
		ldns_rr_list_free(out);
		return false;
	}
	/* out's records are in the order of the section */
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr *rr = ldns_rr_list_rr(an, i);

		if (k < nout && rr == ldns_rr_list_rr(out, k))
			k++;
		else if (!ldns_rr_list_push_rr(rest, rr)) {
			ldns_rr_list_free(rest);
			ldns_rr_list_free(out);
			return false;
		}
	}
	ldns_rr_list_free(an);
	ldns_pkt_set_answer(p, rest);
	return true;
}

/* Records of the asked type at the end of the CNAME chain in the answer
 * section; *end is the chain's last name when it differs from qname.
 * *loop says why when the chain comes back to a name it passed or is
 * longer than MAX_CNAME_HOPS: a DNS failure, never "no records". */
static ldns_rr_list *
answer_chain(ldns_pkt *p, const char *qname, ldns_rr_type type,
    char *end, size_t endlen, const char **loop)
{
	ldns_rr_list *an = ldns_pkt_answer(p);
	ldns_rr_list *out = ldns_rr_list_new();
	char cur[256], seen[MAX_CNAME_HOPS + 1][256];
	ldns_rdf *want = NULL;

	*loop = NULL;
	snprintf(cur, sizeof(cur), "%s", qname);
	for (unsigned hop = 0; out != NULL; hop++) {
		const ldns_rr *cname = NULL;

		/* owners are compared as names on the wire, no text made */
		ldns_rdf_deep_free(want);
		if ((want = ldns_dname_new_frm_str(cur)) == NULL)
			break;
		for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(an, i);

			if (ldns_dname_compare(ldns_rr_owner(rr), want) != 0 ||
			    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
				continue;
			if (ldns_rr_get_type(rr) == type)
				ldns_rr_list_push_rr(out, (ldns_rr *)rr);
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
	ldns_rdf_deep_free(want);
	snprintf(end, endlen, "%s", strcmp(cur, qname) ? cur : "");
	if (*loop || ldns_rr_list_rr_count(out) == 0) {
		ldns_rr_list_free(out);		/* the packet's records */
		return NULL;
	}
	return take(p, out) ? out : NULL;
}

/* The round an answer came in: one deeper than the run's start at least,
 * and a round deeper for each try before it */
static void
entry_round(dns_resolver_t *r, struct entry *e, unsigned extra)
{
	if (e->round <= r->base)
		e->round = r->base + 1;
	e->round += extra;
	if (e->round > r->stats.rounds)
		r->stats.rounds = e->round;
}

/* The scheduler's handler: what a well-formed answer to e's question
 * means; false to ask the next server (SERVFAIL, REFUSED) */
static bool
on_answer(void *arg, void *job, ldns_pkt *p, const char *server,
    unsigned extra)
{
	dns_resolver_t *r = arg;
	struct entry *e = job;
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(p);
	ldns_rr_list *rrs;
	char end[256];
	const char *loop;

	if (rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN) {
		e->last = rc == LDNS_RCODE_SERVFAIL ? DNS_SERVFAIL :
		    DNS_REFUSED;
		ldns_pkt_free(p);
		return false;
	}
	entry_round(r, e, extra);
	e->ans.secure = ldns_pkt_ad(p);
	rrs = answer_chain(p, e->name, e->type, end, sizeof(end), &loop);
	entry_source(e, server, loop);
	if (loop)
		entry_finish(e, DNS_SERVFAIL, NULL);
	else if (rrs) {
		entry_finish(e, DNS_OK, rrs);
		if (*end && (e->canonical = strdup(end)) != NULL)
			e->ans.canonical = e->canonical;
	} else if (rc == LDNS_RCODE_NXDOMAIN)
		entry_finish(e, DNS_NXDOMAIN, NULL);
	else if (*end)
		entry_alias(r, e, end);
	else
		entry_finish(e, DNS_NODATA, NULL);
	ldns_pkt_free(p);
	return true;
}

static void
on_fail(void *arg, void *job, dns_result_t res, const char *server,
    const char *why, unsigned extra)
{
	dns_resolver_t *r = arg;
	struct entry *e = job;

	entry_round(r, e, extra);
	entry_source(e, server, why);
	entry_finish(e, res == DNS_SERVFAIL && e->last ? e->last : res, NULL);
}

/* An alias takes a copy of its target's answer, or fails when the chain
 * does not end; false while the target is still on its way */
static bool
alias_settle(dns_resolver_t *r, struct entry *e, bool all)
{
	struct entry *t = e->alias;
	unsigned hops = 0;

	while (t && t->state == E_ALIAS && hops++ < MAX_CNAME_HOPS)
		t = t->alias;
	if (!all && t && hops <= MAX_CNAME_HOPS && t->state != E_DONE)
		return false;
	e->alias = NULL;
	if (t == NULL || t->state != E_DONE) {
		snprintf(e->source, sizeof(e->source), "CNAME chain from %s "
		    "does not end", e->name);
		entry_finish(e, DNS_SERVFAIL, NULL);
		return true;
	}
	snprintf(e->source, sizeof(e->source), "%s", t->source);
	entry_finish(e, t->ans.result, t->ans.rrs ?
	    ldns_rr_list_clone(t->ans.rrs) : NULL);
	e->ans.wire_size = t->ans.wire_size;
	if ((e->canonical = strdup(t->canonical ? t->canonical : t->name)))
		e->ans.canonical = e->canonical;
	if (t->round > r->stats.rounds)
		r->stats.rounds = t->round;
	return true;
}

/* Runs the scheduler until enough questions are settled (0: all), then
 * settles the aliases whose targets are */
static void
run(dns_resolver_t *r, unsigned long enough)
{
	dns_sched_handler_t h = { .answer = on_answer, .fail = on_fail,
	    .arg = r };
	bool all;
	size_t kept = 0;

	r->base = r->stats.rounds;
	dns_sched_run(r->sched, r->deadline, &h, enough);
	all = dns_sched_pending(r->sched) == 0;
	/* last first: an alias of an alias takes a settled answer */
	for (size_t i = r->naliases; i-- > 0; )
		if (!alias_settle(r, r->aliases[i], all))
			r->aliases[kept++] = r->aliases[i];
	/* kept in reverse: put them back in order */
	for (size_t i = 0; i < kept / 2; i++) {
		struct entry *t = r->aliases[i];

		r->aliases[i] = r->aliases[kept - 1 - i];
		r->aliases[kept - 1 - i] = t;
	}
	r->naliases = kept;
}

void
dns_resolver_wait(dns_resolver_t *r)
{
	run(r, 0);
}

void
dns_resolver_wait_some(dns_resolver_t *r)
{
	size_t pending = dns_sched_pending(r->sched);

	run(r, pending > 1 ? pending / 2 : 0);
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
	/* none: a year, which the scheduler's microseconds still hold */
	r->deadline = util_now_ms() + (ms ? ms : 365ULL * 86400 * 1000);
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
