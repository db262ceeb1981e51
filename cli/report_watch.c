#include "cli/report_watch.h"

#include <stdlib.h>
#include <string.h>

#include "cli/jsonw.h"
#include "report/check.h"

static double
percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The failing row's diagnosis, asked only with a resolver */
static bool
diagnose(dns_resolver_t *r, const rep_state_news_t *d, const rep_source_t *s,
    rep_check_t *c)
{
	return r && s->failed && rep_check_row(c, r, d->domain, s->failed) == 0;
}

static void
text_domain(const cmd_opts_t *o, const rep_state_news_t *d,
    dns_resolver_t *r)
{
	for (size_t i = 0; i < d->nfresh; i++) {
		const rep_source_t *s = d->fresh[i];
		char *ptr = r ? rep_ptr_name(r, s->ip) : NULL;
		rep_check_t c;

		printf("%s: %s%s%s%s newly fails DMARC: %llu of %llu messages\n",
		    d->domain, s->ip, ptr ? " (" : "", ptr ? ptr : "",
		    ptr ? ")" : "", (unsigned long long)(s->c.messages -
		    s->c.pass), (unsigned long long)s->c.messages);
		free(ptr);
		if (!diagnose(r, d, s, &c))
			continue;
		for (size_t k = 0; k < c.nwhy; k++)
			printf("    %s\n", c.why[k]);
		for (size_t k = 0; k < c.nfix; k++)
			printf("    fix: %s\n", c.fix[k]);
		rep_check_clear(&c);
	}
	if (d->became_ready || (o->verbose && d->next)) {
		char owner[300], *rec = r && d->ready ? rep_next_record(r,
		    d->domain, d->next, owner, sizeof(owner)) : NULL;

		printf("%s: %s p=%s: reports on %u of the last %d days (%d "
		    "needed), %.1f %% of %llu messages pass DMARC (%.1f %% "
		    "needed)\n", d->domain, d->ready ? "ready for" :
		    "not yet ready for", d->next, d->days, REP_STATE_WINDOW,
		    REP_READY_DAYS, percent(d->pass, d->messages),
		    (unsigned long long)d->messages, REP_READY_PERMILLE / 10.0);
		if (rec)
			printf("    %s TXT \"%s\"\n", owner, rec);
		else if (d->ready)
			printf("    dmarc-gen --stage %s %s (keep the rua= of the "
			    "current record)\n", d->next, d->domain);
		free(rec);
	}
}

static void
json_domain(jw_t *w, const rep_state_news_t *d, dns_resolver_t *r)
{
	jw_object(w, NULL);
	jw_string(w, "domain", d->domain);
	jw_int(w, "new_reports", (long long)d->reports);
	jw_string(w, "p", d->p[0] ? d->p : NULL);
	jw_string(w, "next", d->next);
	jw_int(w, "days", d->days);
	jw_int(w, "messages", (long long)d->messages);
	jw_int(w, "pass_permille", d->messages ? (long long)(d->pass * 1000 /
	    d->messages) : 0);
	jw_bool(w, "ready", d->ready);
	jw_bool(w, "became_ready", d->became_ready);
	jw_array(w, "new_failing");
	for (size_t i = 0; i < d->nfresh; i++) {
		const rep_source_t *s = d->fresh[i];
		char *ptr = r ? rep_ptr_name(r, s->ip) : NULL;
		rep_check_t c;

		jw_object(w, NULL);
		jw_string(w, "ip", s->ip);
		jw_string(w, "ptr", ptr);
		jw_int(w, "messages", (long long)s->c.messages);
		jw_int(w, "dmarc_fail", (long long)(s->c.messages - s->c.pass));
		if (diagnose(r, d, s, &c)) {
			jw_array(w, "why");
			for (size_t k = 0; k < c.nwhy; k++)
				jw_string(w, NULL, c.why[k]);
			jw_close(w, ']');
			jw_array(w, "fix");
			for (size_t k = 0; k < c.nfix; k++)
				jw_string(w, NULL, c.fix[k]);
			jw_close(w, ']');
			rep_check_clear(&c);
		}
		free(ptr);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

int
report_watch_print(const cmd_opts_t *o, const rep_state_news_t *news,
    size_t n, dns_resolver_t *r, const report_watch_counts_t *c)
{
	bool fresh = false;

	for (size_t i = 0; i < n; i++) {
		fresh |= news[i].nfresh > 0;
		for (size_t k = 0; r && k < news[i].nfresh; k++)
			rep_ptr_ask(r, news[i].fresh[k]->ip);
	}
	if (r)
		dns_resolver_wait(r);
	if (o->json) {
		jw_t w;

		jw_init(&w);
		jw_object(&w, NULL);
		jw_object(&w, "reports");
		jw_int(&w, "new", (long long)c->added);
		jw_int(&w, "counted_before", (long long)c->before);
		jw_int(&w, "too_old", (long long)c->old);
		jw_int(&w, "duplicates", (long long)c->twice);
		jw_close(&w, '}');
		jw_array(&w, "domains");
		for (size_t i = 0; i < n; i++)
			json_domain(&w, &news[i], r);
		jw_close(&w, ']');
		jw_close(&w, '}');
		jw_line(&w);
		jw_free(&w);
	} else
		for (size_t i = 0; i < n; i++)
			text_domain(o, &news[i], r);
	if (o->verbose)
		cmd_note(o, "%zu new reports counted, %zu counted by an earlier "
		    "run, %zu older than the state keeps, %zu given twice",
		    c->added, c->before, c->old, c->twice);
	return fresh ? EXIT_FINDINGS : EXIT_CLEAN;
}
