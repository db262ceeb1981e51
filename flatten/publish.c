#include "flatten/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"
#include "dns/zone.h"
#include "lint/spf_record.h"
#include "lint/spf_walk.h"
#include "util/time.h"

#define VERIFY_MS	200	/* between questions to a server */

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
child(const char *cmd, const char *const *env)
{
	setpgid(0, 0);
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	for (size_t i = 0; env && env[i]; i++)
		putenv((char *)env[i]);
	signal(SIGPIPE, SIG_DFL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

int
fl_reload_run(const char *cmd, const char *const *env, unsigned timeout_ms,
    char *err, size_t errlen)
{
	uint64_t until = util_now_ms() + timeout_ms;
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "cannot run '%s': %s", cmd,
		    strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(cmd, env);
	setpgid(pid, pid);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "'%s': %s", cmd, strerror(errno));
			return -1;
		}
		if (util_now_ms() >= until) {
			kill(-pid, SIGTERM);
			sleep_ms(500);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(err, errlen, "'%s' did not finish within %u ms; "
			    "killed", cmd, timeout_ms);
			return -1;
		}
		sleep_ms(10);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "'%s' failed (exit %d)", cmd,
		    WEXITSTATUS(status));
	else
		snprintf(err, errlen, "'%s' was killed by signal %d", cmd,
		    WTERMSIG(status));
	return -1;
}

/* True for a TXT record whose strings, joined, are an SPF record */
static bool
rr_is_spf(const ldns_rr *rr)
{
	char text[1024];
	size_t n = 0;

	for (size_t i = 0; i < ldns_rr_rd_count(rr) && n < sizeof(text); i++) {
		const ldns_rdf *rd = ldns_rr_rdf(rr, i);
		size_t k = ldns_rdf_size(rd) - 1;

		if (k > sizeof(text) - n)
			k = sizeof(text) - n;
		memcpy(text + n, ldns_rdf_data(rd) + 1, k);
		n += k;
	}
	/* "v=spf1" and what follows it decide; 1 KB is more than enough */
	return spf_record_is_spf(text, n);
}

/* One round of questions to the server: 0 when it answers everything as
 * expected, else -1 with what differed in err. */
static int
verify_once(const fl_expect_t *e, char *err, size_t errlen)
{
	const char *servers[] = { e->server };
	dns_options_t opt = { .servers = servers, .nservers = 1,
	    .timeout_ms = e->timeout_ms, .retries = 0,
	    .deadline_ms = util_ms_left(e->deadline) + 1 };
	char why[256];
	dns_resolver_t *r = dns_resolver_new(&opt, why, sizeof(why));
	const dns_answer_t *a;
	int rc = 0;

	if (r == NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (e->zone)
		dns_resolver_submit(r, e->zone, LDNS_RR_TYPE_SOA);
	for (size_t i = 0; i < e->n; i++)
		dns_resolver_submit(r, e->owners[i], LDNS_RR_TYPE_TXT);
	dns_resolver_wait(r);
	if (e->zone) {
		uint32_t got;

		a = dns_resolver_get(r, e->zone, LDNS_RR_TYPE_SOA);
		if (a->result != DNS_OK) {
			snprintf(err, errlen, "%s SOA: %s", e->zone,
			    dns_result_str(a->result));
			rc = -1;
		} else if (got = ldns_rdf2native_int32(ldns_rr_rdf(
		    ldns_rr_list_rr(a->rrs, 0), 2)), got != e->serial &&
		    (uint32_t)(got - e->serial) >= 0x80000000u) {
			snprintf(err, errlen, "%s serves serial %u, not %u yet",
			    e->zone, got, e->serial);
			rc = -1;
		}
	}
	for (size_t i = 0; rc == 0 && i < e->n; i++) {
		size_t count, len;
		char *now;

		a = dns_resolver_get(r, e->owners[i], LDNS_RR_TYPE_TXT);
		now = a->result == DNS_OK ? spf_txt_select(a->rrs, &count,
		    &len) : NULL;
		if (now == NULL || strcmp(now, e->records[i]) != 0) {
			snprintf(err, errlen, "%s TXT: %s", e->owners[i],
			    dns_result_is_failure(a->result) ?
			    dns_result_str(a->result) : now ?
			    "still the old record" : "no SPF record");
			rc = -1;
		}
		free(now);
	}
	dns_resolver_free(r);
	return rc;
}

int
fl_verify(const fl_expect_t *e, char *err, size_t errlen)
{
	char why[512] = "no answer";

	for (;;) {
		uint64_t start = util_now_ms();

		if (verify_once(e, why, sizeof(why)) == 0)
			return 0;
		if (util_ms_left(e->deadline) <= VERIFY_MS) {
			snprintf(err, errlen, "%s does not serve the new records "
			    "before the deadline: %s", e->server, why);
			return -1;
		}
		if (util_now_ms() - start < VERIFY_MS)
			sleep_ms(VERIFY_MS - (unsigned)(util_now_ms() - start));
	}
}

int
fl_zone_txt_ttl(const char *path, const char *owner, uint32_t *ttl,
    char *err, size_t errlen)
{
	dns_zone_t *z = dns_zone_load(path, err, errlen);
	ldns_rr_list *rrs = NULL;
	char *target = NULL;
	int found = 0;

	if (z == NULL)
		return -1;
	if (dns_zone_lookup(z, owner, LDNS_RR_TYPE_TXT, &rrs, &target) ==
	    DNS_ZONE_ANSWER)
		for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

			if (rr_is_spf(rr))
				continue;
			if (!found || ldns_rr_ttl(rr) < *ttl)
				*ttl = ldns_rr_ttl(rr);
			found = 1;
		}
	ldns_rr_list_deep_free(rrs);
	free(target);
	dns_zone_free(z);
	return found;
}

/* A TXT record of text at owner, in strings of at most 255 bytes */
static ldns_rr *
txt_rr(const char *owner, uint32_t ttl, const char *text)
{
	ldns_rr *rr = ldns_rr_new();
	char abs[300];
	size_t len = strlen(text);

	snprintf(abs, sizeof(abs), "%s.", owner);
	if (rr == NULL)
		return NULL;
	ldns_rr_set_owner(rr, ldns_dname_new_frm_str(abs));
	ldns_rr_set_type(rr, LDNS_RR_TYPE_TXT);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	for (size_t at = 0; at < len || at == 0; at += 255) {
		uint8_t buf[256];
		size_t n = len - at < 255 ? len - at : 255;

		buf[0] = (uint8_t)n;
		memcpy(buf + 1, text + at, n);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR,
		    n + 1, buf));
		if (len == 0)
			break;
	}
	return rr;
}

/* a copy of rr for a deletion: class NONE deletes that record, class ANY
 * (without rdata) the whole RRset (RFC 2136 2.5) */
static ldns_rr *
deletion(const ldns_rr *rr, bool whole_set)
{
	ldns_rr *d = whole_set ? ldns_rr_new() : ldns_rr_clone(rr);

	if (d == NULL)
		return NULL;
	if (whole_set) {
		ldns_rr_set_owner(d, ldns_rdf_clone(ldns_rr_owner(rr)));
		ldns_rr_set_type(d, LDNS_RR_TYPE_TXT);
	}
	ldns_rr_set_class(d, whole_set ? LDNS_RR_CLASS_ANY : LDNS_RR_CLASS_NONE);
	ldns_rr_set_ttl(d, 0);
	return d;
}

/* The zone that holds domain at the primary: the nearest name up the
 * tree with an SOA of its own. */
static fl_update_status_t
update_zone(dns_resolver_t *r, const fl_update_t *u, char *zone, char *msg,
    size_t msglen)
{
	snprintf(zone, 256, "%s", u->domain);
	for (;;) {
		const dns_answer_t *a = dns_resolver_get(r, zone,
		    LDNS_RR_TYPE_SOA);
		const char *dot;

		if (dns_result_is_failure(a->result)) {
			snprintf(msg, msglen, "the primary %s: %s SOA: %s",
			    u->server, zone, dns_result_str(a->result));
			return FL_UPDATE_DNS;
		}
		if (a->result == DNS_OK && a->canonical == NULL)
			return FL_UPDATE_SENT;
		if ((dot = strchr(zone, '.')) == NULL) {
			snprintf(msg, msglen, "%s serves no zone above %s",
			    u->server, u->domain);
			return FL_UPDATE_BAD;
		}
		memmove(zone, dot + 1, strlen(dot + 1) + 1);
	}
}

#define STALE_NAMES	20	/* <prefix>N names asked past the last */

/* What the primary publishes now against res: the deletions that clear
 * the flattener's records, *ttl from the TXT records they join, and
 * whether anything differs. */
static fl_update_status_t
update_diff(dns_resolver_t *r, const fl_update_t *u, const fl_result_t *res,
    ldns_rr_list *del, uint32_t *ttl, bool *changed, char *msg,
    size_t msglen)
{
	size_t total = res->nrecords + STALE_NAMES;
	char name[300];

	for (size_t i = 0; i < total; i++) {
		if (i >= res->nrecords)
			snprintf(name, sizeof(name), "%s%zu.%s", u->prefix, i,
			    u->domain);
		dns_resolver_submit(r, i < res->nrecords ? res->owners[i] :
		    name, LDNS_RR_TYPE_TXT);
	}
	dns_resolver_wait(r);
	for (size_t i = 0; i < total; i++) {
		const char *owner = i < res->nrecords ? res->owners[i] : name;
		size_t count = 0, len;

		if (i >= res->nrecords)
			snprintf(name, sizeof(name), "%s%zu.%s", u->prefix, i,
			    u->domain);
		const dns_answer_t *a = dns_resolver_get(r, owner,
		    LDNS_RR_TYPE_TXT);

		if (dns_result_is_failure(a->result)) {
			snprintf(msg, msglen, "the primary %s: %s TXT: %s",
			    u->server, owner, dns_result_str(a->result));
			return FL_UPDATE_DNS;
		}
		char *now = a->result == DNS_OK ? spf_txt_select(a->rrs,
		    &count, &len) : NULL;

		if (i < res->nrecords)
			*changed |= now == NULL || strcmp(now, res->records[i]);
		free(now);
		for (size_t k = 0; a->rrs && k < ldns_rr_list_rr_count(a->rrs);
		    k++) {
			const ldns_rr *rr = ldns_rr_list_rr(a->rrs, k);

			if (i == 0 && !rr_is_spf(rr)) {
				/* not ours: a TXT the records join */
				if (!u->ttl_given)
					*ttl = ldns_rr_ttl(rr);
				continue;
			}
			if (i == 0 || k == 0)
				ldns_rr_list_push_rr(del, deletion(rr, i > 0));
		}
		if (i >= res->nrecords && a->result == DNS_OK)
			*changed = true;	/* a stale record of ours */
		if (i == 0 && count > 1)
			*changed = true;	/* several SPF records to mend */
	}
	return FL_UPDATE_SENT;
}

fl_update_status_t
fl_update_push(const fl_update_t *u, const fl_result_t *res, char *zone,
    char *msg, size_t msglen)
{
	const char *servers[] = { u->server };
	dns_options_t dopt = { .servers = servers, .nservers = 1,
	    .timeout_ms = u->timeout_ms, .retries = u->retries,
	    .deadline_ms = util_ms_left(u->deadline) + 1 };
	dns_resolver_t *r = dns_resolver_new(&dopt, msg, msglen);
	ldns_rr_list *del = ldns_rr_list_new(), *add = ldns_rr_list_new();
	fl_update_status_t st;
	uint32_t ttl = u->ttl;
	bool changed = false;

	if (r == NULL || del == NULL || add == NULL) {
		st = r ? FL_UPDATE_DNS : FL_UPDATE_BAD;
		goto out;
	}
	if ((st = update_zone(r, u, zone, msg, msglen)) != FL_UPDATE_SENT ||
	    (st = update_diff(r, u, res, del, &ttl, &changed, msg, msglen)) !=
	    FL_UPDATE_SENT)
		goto out;
	if (!changed) {
		snprintf(msg, msglen, "%s publishes the records already",
		    u->server);
		st = FL_UPDATE_SAME;
		goto out;
	}
	for (size_t i = 0; i < res->nrecords; i++)
		ldns_rr_list_push_rr(add, txt_rr(res->owners[i], ttl,
		    res->records[i]));
	if (dns_update_send(u->server, zone, del, add, u->tsig, u->deadline,
	    msg, msglen) != 0) {
		st = FL_UPDATE_DNS;
		goto out;
	}
	snprintf(msg, msglen, "%zu record%s sent to %s as an update of %s",
	    res->nrecords, res->nrecords == 1 ? "" : "s", u->server, zone);
out:
	ldns_rr_list_deep_free(del);
	ldns_rr_list_deep_free(add);
	dns_resolver_free(r);
	return st;
}
