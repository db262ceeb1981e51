#include "cli/audit.h"

#include <unistd.h>

#include "cli/audit_tls.h"
#include "cli/audit_watch.h"
#include "cli/batch.h"

#include <stdlib.h>
#include <string.h>

#include "lint/spf_codes.h"

static json_t *
report_json(const lint_report_t *rp, audit_verdict_t v)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "verdict",
	    audit_verdict_names[v], "owner", rp->owner, "record",
	    lint_json_text(rp->record), "findings",
	    cmd_findings_json(&rp->f));

	if (rp->dns_failed)
		json_object_set_new(o, "error", json_string(rp->error));
	if (rp->skipped)
		json_object_set_new(o, "skipped", json_string(rp->skipped_why));
	return o;
}


/* The tls area's addresses: what a sender meets at each */
static json_t *
tls_json(const audit_result_t *res)
{
	json_t *v = json_array();

	for (size_t i = 0; i < res->ntls; i++) {
		const audit_tls_addr_t *t = &res->tls[i];

		json_array_append_new(v, json_pack("{s:s, s:s, s:b, s:o, s:o, "
		    "s:o, s:s}", "host", t->host, "address", t->addr, "starttls",
		    t->starttls, "tls_version", t->version[0] ?
		    json_string(t->version) : json_null(), "cert_valid",
		    t->cert ? json_boolean(t->cert_valid && t->names_ok) :
		    json_null(), "days_left", t->cert ?
		    json_integer(t->days_left) : json_null(), "dane", t->dane));
	}
	return v;
}

json_t *
audit_result_json(const audit_result_t *res)
{
	json_t *areas = json_object(), *doc;
	const char *err = audit_result_error(res);

	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		json_t *a;

		if (i == AUDIT_PARKED && res->verdict[i] == AUDIT_SKIPPED)
			continue;
		if (i == AUDIT_DKIM) {
			json_t *sel = json_array();

			for (size_t k = 0; k < res->ndkim; k++)
				json_array_append_new(sel, report_json(&res->dkim[k],
				    res->dkim_verdict[k]));
			a = json_pack("{s:s, s:o}", "verdict",
			    audit_verdict_names[res->verdict[i]], "selectors", sel);
		} else
			a = report_json(&res->area[i], res->verdict[i]);
		if (i == AUDIT_SPF)
			json_object_update_new(a, json_pack("{s:i, s:i}",
			    "lookups", (int)res->lookups, "void_lookups",
			    (int)res->voids));
		if (i == AUDIT_DMARC)
			json_object_set_new(a, "policy", res->policy[0] ?
			    json_string(res->policy) : json_null());
		if (i == AUDIT_MX)
			json_object_set_new(a, "null_mx", json_boolean(res->null_mx));
		if (i == AUDIT_MTASTS)
			json_object_set_new(a, "mode", res->mode[0] ?
			    json_string(res->mode) : json_null());
		if (i == AUDIT_TLS)
			json_object_set_new(a, "addresses", tls_json(res));
		json_object_set_new(areas, audit_area_names[i], a);
	}
	doc = json_pack("{s:s, s:s, s:o}", "domain", res->domain, "verdict",
	    audit_verdict_names[res->overall], "areas", areas);
	if (err)
		json_object_set_new(doc, "error", json_string(err));
	return doc;
}

/* The table's last column: the gist of an area */
static void
gist(const audit_result_t *res, size_t i, char *buf, size_t len)
{
	const lint_report_t *rp = &res->area[i];

	buf[0] = '\0';
	if (rp->dns_failed) {
		snprintf(buf, len, "%s", rp->error);
		return;
	}
	if (rp->skipped && res->verdict[i] == AUDIT_SKIPPED) {
		snprintf(buf, len, "%s", rp->skipped_why);
		return;
	}
	switch (i) {
	case AUDIT_MX:
		for (size_t k = 0; k < rp->f.n; k++)
			if (rp->f.v[k].code == &mx_codes[MX_HOSTS] ||
			    rp->f.v[k].code == &mx_codes[MX_NULL])
				snprintf(buf, len, "%s", rp->f.v[k].message);
		if (rp->absent)
			snprintf(buf, len, "no MX record");
		break;
	case AUDIT_SPF:
		if (rp->record)
			snprintf(buf, len, "%u/%d lookups, %u/%d void", res->lookups,
			    SPF_LOOKUP_LIMIT, res->voids, SPF_VOID_LIMIT);
		else
			snprintf(buf, len, "no SPF record");
		break;
	case AUDIT_DMARC:
		if (res->policy[0])
			snprintf(buf, len, "p=%s at %s", res->policy, rp->owner);
		else
			snprintf(buf, len, "no DMARC record");
		break;
	case AUDIT_DKIM:
		if (res->ndkim == 0)
			snprintf(buf, len, "no selector given (--selector)");
		else
			snprintf(buf, len, "%zu selector%s", res->ndkim,
			    res->ndkim == 1 ? "" : "s");
		break;
	case AUDIT_TLS: {
		size_t tls = 0, valid = 0, dane = 0;

		for (size_t k = 0; k < res->ntls; k++) {
			tls += res->tls[k].version[0] != '\0';
			valid += res->tls[k].cert_valid && res->tls[k].names_ok;
			dane += strcmp(res->tls[k].dane, "matched") == 0;
		}
		snprintf(buf, len, "%zu of %zu addresses with TLS, %zu "
		    "certificate%s valid, %zu DANE match%s", tls, res->ntls,
		    valid, valid == 1 ? "" : "s", dane, dane == 1 ? "" : "es");
		break;
	}
	case AUDIT_PARKED:
		if (rp->f.n == 0)
			snprintf(buf, len, "null MX, null SPF, p=reject, DKIM "
			    "revoked");
		else
			snprintf(buf, len, "%zu of the nomail set missing",
			    rp->f.n);
		break;
	case AUDIT_MTASTS:
		if (res->mode[0])
			snprintf(buf, len, "mode %s", res->mode);
		/* FALLTHROUGH */
	default:
		if (buf[0] == '\0')
			snprintf(buf, len, "%s", rp->record ? rp->owner :
			    "no record");
	}
}

static void
area_findings(const cmd_opts_t *o, const char *name, const lint_report_t *rp)
{
	if (rp->f.n == 0)
		return;
	printf("\n== %s: %s\n", name, rp->owner);
	if (rp->record)
		printf("   %s\n", rp->record);
	cmd_findings_print(stdout, &rp->f, o->color);
}

void
audit_result_print(const cmd_opts_t *o, const audit_result_t *res)
{
	char buf[1024];

	printf("%s: %s\n\n", res->domain, audit_verdict_names[res->overall]);
	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		if (i == AUDIT_PARKED && res->verdict[i] == AUDIT_SKIPPED)
			continue;
		gist(res, i, buf, sizeof(buf));
		printf("  %-8s %-9s %s\n", audit_area_names[i],
		    audit_verdict_names[res->verdict[i]], buf);
	}
	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		if (i == AUDIT_DKIM) {
			for (size_t k = 0; k < res->ndkim; k++)
				area_findings(o, "dkim", &res->dkim[k]);
			continue;
		}
		/* an optional record that is absent has only that to say */
		if (res->verdict[i] != AUDIT_ABSENT || o->verbose)
			area_findings(o, audit_area_names[i], &res->area[i]);
	}
}

int
audit_result_status(const cmd_opts_t *o, const audit_result_t *res)
{
	if (audit_result_error(res))
		return EXIT_DNS;
	if (res->overall == AUDIT_FAIL ||
	    (o->strict && res->overall == AUDIT_WARN))
		return EXIT_FINDINGS;
	return EXIT_CLEAN;
}

/* ---- mail-audit's run: one domain, several, or a batch ---- */

struct audit_run {
	const cmd_opts_t *o;
	const audit_opts_t *ao;
	const https_options_t *https;
	bool lines;		/* JSON Lines (--batch) */
	size_t done, errors;
	size_t tally[AUDIT_NAREAS][AUDIT_NVERDICTS];
	size_t overall[AUDIT_NVERDICTS];
	json_t *docs;		/* --json for several domains */
	audit_watch_t *watch;	/* --baseline */
	audit_tls_t *tls;	/* the tls area's probes, NULL: --no-connect */
};

/* A domain's audit so far: it runs again, over the answers that came,
 * until a run asks for nothing new */
struct run_state {
	audit_state_t audit;
	audit_result_t *res;	/* of the last run */
	tls_mx_t tls;		/* the tls area, the command line's part */
};

static int
step(void *arg, dns_resolver_t *r, const char *domain, void **state)
{
	struct audit_run *a = arg;
	struct run_state *st = *state;
	unsigned long before = dns_resolver_misses(r);
	int tls = 1;

	if (st == NULL) {
		if ((st = calloc(1, sizeof(*st))) == NULL)
			return -1;
		st->audit.src.https = a->https;
		snprintf(st->tls.domain, sizeof(st->tls.domain), "%s", domain);
		*state = st;
	}
	audit_result_free(st->res);
	st->res = audit_domain_run(a->ao, r, domain, &st->audit);
	if (st->res == NULL)
		return -1;
	if (a->tls && (tls = audit_tls_step(a->tls, r, &st->tls,
	    st->res)) == 1)
		audit_result_settle(st->res, a->ao);
	return tls < 0 ? -1 : tls == 1 && dns_resolver_misses(r) == before;
}

static void
round_probes(void *arg)
{
	struct audit_run *a = arg;

	audit_tls_round(a->tls);
}

static void *
finish(void *arg, void *state)
{
	struct run_state *st = state;
	audit_result_t *res = st ? st->res : NULL;

	if (st) {
		audit_state_clear(&st->audit);
		audit_tls_forget(((struct audit_run *)arg)->tls, &st->tls);
	}
	free(st);
	return res;
}

static int
emit(void *arg, const char *domain, void *result)
{
	struct audit_run *a = arg;
	audit_result_t *res = result;
	const char *err;
	int status;

	if (res == NULL) {
		cmd_error(a->o, "%s: out of memory", domain);
		return EXIT_USAGE;
	}
	status = audit_result_status(a->o, res);
	err = audit_result_error(res);
	for (size_t i = 0; i < AUDIT_NAREAS; i++)
		a->tally[i][res->verdict[i]]++;
	a->overall[res->overall]++;
	a->done++;
	if (a->watch) {
		/* only what changed, and it says the DNS failures */
		status = audit_watch_emit(a->watch, res);
		audit_result_free(res);
		return status;
	}
	if (a->lines)
		cmd_json_line(audit_result_json(res));
	else if (a->docs)
		json_array_append_new(a->docs, audit_result_json(res));
	else {
		if (a->done > 1)
			putchar('\n');
		audit_result_print(a->o, res);
	}
	if (err && !a->lines)
		cmd_error(a->o, "%s: %s", domain, err);
	audit_result_free(res);
	return status;
}

static int
fail(void *arg, const char *domain, const char *why)
{
	struct audit_run *a = arg;

	a->errors++;
	if (a->lines && !a->watch)
		cmd_json_line(json_pack("{s:s, s:s, s:s}", "domain", domain,
		    "verdict", "error", "error", why));
	cmd_error(a->o, "%s: %s", domain, why);
	return EXIT_USAGE;
}

/* How many domains got each verdict in each area, on stderr */
static void
summary(const struct audit_run *a, dns_resolver_t *r, double secs)
{
	dns_stats_t st;

	dns_resolver_stats(r, &st);
	fprintf(stderr, "mail-audit: %zu domains in %.2f s (%.0f/s), %lu "
	    "queries, %u round trips\n", a->done + a->errors, secs,
	    secs > 0 ? (double)(a->done + a->errors) / secs : 0.0, st.queries,
	    st.rounds);
	fprintf(stderr, "  %-8s", "area");
	for (size_t v = 0; v < AUDIT_NVERDICTS; v++)
		fprintf(stderr, " %9s", audit_verdict_names[v]);
	fputc('\n', stderr);
	for (size_t i = 0; i <= AUDIT_NAREAS; i++) {
		const size_t *row = i < AUDIT_NAREAS ? a->tally[i] : a->overall;

		if (i == AUDIT_PARKED && !a->ao->parked)
			continue;
		fprintf(stderr, "  %-8s", i < AUDIT_NAREAS ?
		    audit_area_names[i] : "domain");
		for (size_t v = 0; v < AUDIT_NVERDICTS; v++)
			fprintf(stderr, " %9zu", row[v]);
		fputc('\n', stderr);
	}
	if (a->errors)
		fprintf(stderr, "  %zu line%s not a domain name\n", a->errors,
		    a->errors == 1 ? " was" : "s were");
	cmd_dns_summary("mail-audit", r);
}


void
audit_cli_help(FILE *fp, unsigned accepts)
{
	fputs("\nAudit the mail records of each DOMAIN: MX or null MX, "
	    "SPF, DMARC, DKIM\n(the selectors given), BIMI, MTA-STS, "
	    "TLS-RPT, and each MX's STARTTLS,\ncertificate and DANE (tls), "
	    "with a verdict per area.\nWith --batch, audit the "
	    "domains of FILE (one per line) concurrently over\none DNS "
	    "cache and print one JSON object per line.\n\n"
	    "      --selector S     check the DKIM key of selector S "
	    "(repeatable)\n"
	    "      --bimi-selector S  the BIMI selector (default: "
	    "default)\n"
	    "      --parked         the domain sends and takes no mail: "
	    "check it against\n"
	    "                       the nomail set (null MX, v=spf1 -all, "
	    "p=reject)\n"
	    "      --rfc7489        allow DMARC pct, rf and ri without a "
	    "warning\n"
	    "      --batch FILE     audit FILE's domains (- for stdin), "
	    "no deadline\n"
	    "      --concurrency N  at most N queries in flight, all "
	    "servers together\n"
	    "                       (default 256; each server's "
	    "window adapts below it)\n"
	    "      --no-progress    no progress line on a terminal\n"
	    "      --baseline FILE  print only what changed since the "
	    "audit FILE holds,\n"
	    "                       each change worse, better or "
	    "neutral, then store this\n"
	    "                       one in FILE (whole, after a "
	    "complete run)\n"
	    "      --dry-run        with --baseline: compare, write "
	    "nothing\n"
	    "      --no-connect     open no SMTP connection: the tls "
	    "area is skipped\n"
	    "      --smtp-port N    the MX hosts' port for the tls "
	    "area (default 25)\n"
	    "      --trust-anchor FILE  validate the tls area's TLSA "
	    "records here from\n"
	    "                       the DS or DNSKEY records of FILE\n", fp);
	cmd_https_help(fp);
	cmd_common_help(fp, accepts);
	fputs("\nExit status: 0 every domain passes (warnings allowed), "
	    "1 an area fails\n(or warns, with --strict), 2 usage, 3 DNS "
	    "failure.  With --baseline: 0 nothing\ngot worse, 1 "
	    "something did, 2 the baseline is refused or cannot be\n"
	    "written, 3 DNS failed for a domain (its stored state is "
	    "kept), 7 another\nrun holds FILE.lock.\n", fp);
}

bool
audit_cli_selector(const cmd_opts_t *o, audit_opts_t *ao, bool bimi,
    const char *arg)
{
	if (!bimi && ao->nselectors == AUDIT_MAX_SELECTORS) {
		cmd_error(o, "more than %d selectors", AUDIT_MAX_SELECTORS);
		return false;
	}
	if (!cmd_is_name(arg)) {
		cmd_error(o, "bad selector '%s'", arg);
		return false;
	}
	if (bimi)
		ao->bimi_selector = arg;
	else
		ao->selectors[ao->nselectors++] = arg;
	return true;
}

int
audit_cli_run(const cmd_opts_t *o, audit_opts_t *ao, cmd_https_t *https,
    const audit_cli_t *c)
{
	struct audit_run a = { .ao = ao, .o = o };
	cmd_batch_t b = { .step = step, .finish = finish, .emit = emit,
	    .fail = fail, .round = round_probes, .arg = &a, .o = o,
	    .deadline_ms = o->deadline_given ? o->deadline_ms : 0 };
	cmd_batch_input_t in;
	char norm[256];
	double secs;
	size_t n;
	int status, closed;

	if (c->batch) {
		cmd_batch_open(o, c->batch, &in);
		a.lines = true;
	} else {
		for (size_t i = 0; i < c->ndomains; i++)
			cmd_domain_arg(o, c->domains[i], norm);
		cmd_batch_array(c->domains, c->ndomains, &in);
		if (o->json && !c->baseline)
			a.docs = json_array();
	}
	if (c->baseline && (status = audit_watch_open(o, c->baseline,
	    c->dry_run, &a.watch)) != EXIT_CLEAN) {
		cmd_batch_close(&in);
		return status;
	}
	ao->no_connect |= o->offline;
	if (!ao->no_connect && (a.tls = audit_tls_new(o, https->ho.ca_pem,
	    https->ho.ca_len, c->smtp_port, c->trust_anchor)) == NULL) {
		if (a.watch)
			audit_watch_close(a.watch);
		cmd_batch_close(&in);
		return EXIT_USAGE;
	}
	b.progress = c->batch && c->progress && isatty(STDERR_FILENO) ?
	    "mail-audit" : NULL;
	dns_resolver_t *r = cmd_resolver(o);

	a.https = ao->https = cmd_https_options(o, https, r);
	ao->memo = spf_store_new();
	status = cmd_batch_run(&b, r, &in, &n, &secs);
	if (a.docs) {
		/* one domain: its object is the whole document */
		json_t *doc = n > 1 ? json_pack("{s:O}", "domains", a.docs) :
		    json_incref(json_array_get(a.docs, 0));

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
		json_decref(a.docs);
	}
	/* with a baseline, the summary only when asked: a cron job's
	 * output is the changes */
	if ((c->batch || n > 1) && (!a.watch || o->verbose))
		summary(&a, r, secs);
	if (a.watch && (closed = audit_watch_close(a.watch)) != EXIT_CLEAN &&
	    status != EXIT_DNS)
		status = closed;
	cmd_batch_close(&in);
	audit_tls_free(a.tls);
	spf_store_free(ao->memo);
	dns_resolver_free(r);
	return status;
}
