/* mail-audit: every mail authentication record of a domain, or of a batch
 * of domains, in one report with a verdict per area. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/audit.h"
#include "cli/batch.h"

enum {
	OPT_SELECTOR = OPT_TOOL_BASE, OPT_BIMI_SELECTOR, OPT_PARKED,
	OPT_RFC7489, OPT_BATCH, OPT_CONCURRENCY, OPT_NO_PROGRESS,
};

/* the common options it implements */
#define ACCEPTS (CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT | CMD_VERBOSE)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: mail-audit [options] DOMAIN...\n"
	    "       mail-audit [options] --batch FILE|-\n");
	if (fp == stdout) {
		fputs("\nAudit the mail records of each DOMAIN: MX or null MX, "
		    "SPF, DMARC, DKIM\n(the selectors given), BIMI, MTA-STS and "
		    "TLS-RPT, with a verdict per area.\nWith --batch, audit the "
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
		    "      --batch FILE     audit the domains of FILE (- for "
		    "stdin), JSON Lines\n"
		    "      --concurrency N  at most N queries in flight, all "
		    "servers together\n"
		    "                       (default 256; each server's "
		    "window adapts below it)\n"
		    "      --no-progress    no progress line on a terminal\n", fp);
		cmd_https_help(fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 every domain passes (warnings allowed), "
		    "1 an area fails\n(or warns, with --strict), 2 usage, 3 DNS "
		    "failure.\n", fp);
	}
	exit(status);
}

struct audit_run {
	const cmd_opts_t *o;
	const audit_opts_t *ao;
	const https_options_t *https;
	bool lines;		/* JSON Lines (--batch) */
	size_t done, errors;
	size_t tally[AUDIT_NAREAS][AUDIT_NVERDICTS];
	size_t overall[AUDIT_NVERDICTS];
	json_t *docs;		/* --json for several domains */
};

/* A domain's audit so far: it runs again, over the answers that came,
 * until a run asks for nothing new */
struct run_state {
	audit_state_t audit;
	audit_result_t *res;	/* of the last run */
};

static int
step(void *arg, dns_resolver_t *r, const char *domain, void **state)
{
	struct audit_run *a = arg;
	struct run_state *st = *state;
	unsigned long before = dns_resolver_misses(r);

	if (st == NULL) {
		if ((st = calloc(1, sizeof(*st))) == NULL)
			return -1;
		st->audit.src.https = a->https;
		*state = st;
	}
	audit_result_free(st->res);
	st->res = audit_domain_run(a->ao, r, domain, &st->audit);
	return st->res == NULL ? -1 : dns_resolver_misses(r) == before;
}

static void *
finish(void *arg, void *state)
{
	struct run_state *st = state;
	audit_result_t *res = st ? st->res : NULL;

	(void)arg;
	if (st)
		audit_state_clear(&st->audit);
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
	if (a->lines)
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "bimi-selector", required_argument, NULL, OPT_BIMI_SELECTOR },
		{ "parked", no_argument, NULL, OPT_PARKED },
		{ "rfc7489", no_argument, NULL, OPT_RFC7489 },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "concurrency", required_argument, NULL, OPT_CONCURRENCY },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		CMD_HTTPS_LONGOPTS
		CMD_COMMON_LONGOPTS
	};
	const char *batch = NULL;
	cmd_https_t https = { 0 };
	audit_opts_t ao = { 0 };
	struct audit_run a = { .ao = &ao };
	cmd_batch_t b = { .step = step, .finish = finish, .emit = emit,
	    .fail = fail, .arg = &a };
	bool show_progress = true;
	char norm[256];
	size_t n;
	cmd_batch_input_t in;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "mail-audit", ACCEPTS);
	a.o = &o;
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_SELECTOR:
		case OPT_BIMI_SELECTOR:
			if (c == OPT_SELECTOR &&
			    ao.nselectors == AUDIT_MAX_SELECTORS) {
				cmd_error(&o, "more than %d selectors",
				    AUDIT_MAX_SELECTORS);
				return EXIT_USAGE;
			}
			if (!cmd_selector_ok(&o, optarg))
				return EXIT_USAGE;
			if (c == OPT_SELECTOR)
				ao.selectors[ao.nselectors++] = optarg;
			else
				ao.bimi_selector = optarg;
			break;
		case OPT_PARKED: ao.parked = true; break;
		case OPT_RFC7489: ao.rfc7489 = true; break;
		case OPT_BATCH: batch = optarg; break;
		case OPT_NO_PROGRESS: show_progress = false; break;
		case OPT_CONCURRENCY:
			if (cmd_parse_uint(optarg, 1, 65536, &o.concurrency) != 0) {
				cmd_error(&o, "bad --concurrency '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			if (!cmd_https_option(&o, &https, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if ((batch == NULL) == (optind == argc))
		usage(stderr, EXIT_USAGE);
	if (batch) {
		cmd_batch_open(&o, batch, &in);
		a.lines = true;
	} else {
		for (int i = optind; i < argc; i++)
			cmd_domain_arg(&o, argv[i], norm);
		cmd_batch_array(argv + optind, (size_t)(argc - optind), &in);
		if (o.json)
			a.docs = json_array();
	}
	b.deadline_ms = o.deadline_ms;
	b.o = &o;
	b.progress = batch && show_progress && isatty(STDERR_FILENO) ?
	    "mail-audit" : NULL;

	dns_resolver_t *r = cmd_resolver(&o);
	double secs;

	a.https = ao.https = cmd_https_options(&o, &https, r);
	ao.memo = spf_store_new();

	status = cmd_batch_run(&b, r, &in, &n, &secs);
	if (o.json && !batch) {
		/* one domain: its object is the whole document */
		json_t *doc = n > 1 ? json_pack("{s:O}", "domains", a.docs) :
		    json_incref(json_array_get(a.docs, 0));

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
		json_decref(a.docs);
	}
	if (batch || n > 1)
		summary(&a, r, secs);
	cmd_batch_close(&in);
	spf_store_free(ao.memo);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
