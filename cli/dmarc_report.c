#include "cli/dmarc_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* parsedmarc's names for the columns it shares with this tool */
static const char csv_head[] = "xml_schema,org_name,org_email,report_id,"
    "begin_date,end_date,domain,adkim,aspf,p,sp,pct,fo,source_ip_address,"
    "count,spf_aligned,dkim_aligned,dmarc_aligned,disposition,"
    "policy_override_reasons,policy_override_comments,envelope_from,"
    "header_from,envelope_to,dkim_domains,dkim_selectors,dkim_results,"
    "spf_domains,spf_scopes,spf_results,notes";

static void
csv_field(const char *s, bool last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else if (s)
		fputs(s, stdout);
	putchar(last ? '\n' : ',');
}

/* The strings of n results joined by ',' (one field of a CSV row) */
static void
csv_join(const rep_auth_t *a, size_t n, size_t which, bool last)
{
	char buf[2048] = "";

	for (size_t i = 0; i < n; i++) {
		const char *v = which == 0 ? a[i].domain : which == 1 ?
		    a[i].selector : which == 2 ? a[i].scope : a[i].result;

		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    i ? "," : "", v ? v : "");
	}
	csv_field(buf, last);
}

static void
date(int64_t t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
csv_row(const rep_feedback_t *fb, const rep_row_t *r)
{
	char b[32], e[32], n[32], reasons[512] = "", comments[1024] = "";

	date(fb->begin, b, sizeof(b));
	date(fb->end, e, sizeof(e));
	snprintf(n, sizeof(n), "%llu", (unsigned long long)r->count);
	for (size_t i = 0; i < r->nreasons; i++) {
		snprintf(reasons + strlen(reasons), sizeof(reasons) -
		    strlen(reasons), "%s%s", i ? "," : "",
		    r->reason[i] ? r->reason[i] : "");
		snprintf(comments + strlen(comments), sizeof(comments) -
		    strlen(comments), "%s%s", i ? "," : "",
		    r->comment[i] ? r->comment[i] : "");
	}
	const char *v[] = { rep_schema_str(fb->schema), fb->org_name,
	    fb->email, fb->report_id, b, e, fb->domain, fb->adkim, fb->aspf,
	    fb->p, fb->sp, fb->pct, fb->fo, r->source_ip, n,
	    r->spf && strcmp(r->spf, "pass") == 0 ? "True" : "False",
	    r->dkim && strcmp(r->dkim, "pass") == 0 ? "True" : "False",
	    rep_row_dmarc_pass(r) ? "True" : "False",
	    r->disposition, reasons, comments, r->envelope_from,
	    r->header_from, r->envelope_to };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		csv_field(v[i], false);
	csv_join(r->dkim_auth, r->ndkim, 0, false);
	csv_join(r->dkim_auth, r->ndkim, 1, false);
	csv_join(r->dkim_auth, r->ndkim, 3, false);
	csv_join(r->spf_auth, r->nspf, 0, false);
	csv_join(r->spf_auth, r->nspf, 2, false);
	csv_join(r->spf_auth, r->nspf, 3, false);
	csv_field(fb->note, true);
}

static void
json_auth(jw_t *w, const char *key, const rep_auth_t *a, size_t n, bool dkim)
{
	jw_array(w, key);
	for (size_t i = 0; i < n; i++) {
		jw_object(w, NULL);
		jw_string(w, "domain", a[i].domain);
		jw_string(w, dkim ? "selector" : "scope", dkim ? a[i].selector :
		    a[i].scope);
		jw_string(w, "result", a[i].result);
		jw_string(w, "human_result", a[i].human);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void
json_row(jw_t *w, const rep_row_t *r)
{
	jw_object(w, NULL);
	jw_string(w, "source_ip", r->source_ip);
	jw_int(w, "count", (long long)r->count);
	jw_string(w, "disposition", r->disposition);
	jw_string(w, "dkim", r->dkim);
	jw_string(w, "spf", r->spf);
	jw_string(w, "dmarc", rep_row_dmarc_pass(r) ? "pass" : "fail");
	jw_array(w, "reasons");
	for (size_t i = 0; i < r->nreasons; i++) {
		jw_object(w, NULL);
		jw_string(w, "type", r->reason[i]);
		jw_string(w, "comment", r->comment[i]);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_string(w, "header_from", r->header_from);
	jw_string(w, "envelope_from", r->envelope_from);
	jw_string(w, "envelope_to", r->envelope_to);
	json_auth(w, "dkim_results", r->dkim_auth, r->ndkim, true);
	json_auth(w, "spf_results", r->spf_auth, r->nspf, false);
	jw_close(w, '}');
}

static void
json_report(jw_t *w, const rep_feedback_t *fb)
{
	jw_object(w, NULL);
	jw_string(w, "org_name", fb->org_name);
	jw_string(w, "email", fb->email);
	jw_string(w, "report_id", fb->report_id);
	jw_string(w, "note", fb->note[0] ? fb->note : NULL);
	jw_string(w, "schema", rep_schema_str(fb->schema));
	jw_string(w, "domain", fb->domain);
	jw_int(w, "begin", fb->begin);
	jw_int(w, "end", fb->end);
	jw_object(w, "policy");
	jw_string(w, "p", fb->p);
	jw_string(w, "sp", fb->sp);
	jw_string(w, "np", fb->np);
	jw_string(w, "adkim", fb->adkim);
	jw_string(w, "aspf", fb->aspf);
	jw_string(w, "pct", fb->pct);
	jw_string(w, "fo", fb->fo);
	jw_string(w, "testing", fb->testing);
	jw_string(w, "discovery_method", fb->discovery);
	jw_close(w, '}');
	jw_int(w, "messages", (long long)fb->messages);
	jw_array(w, "rows");
	for (size_t i = 0; i < fb->nrows; i++)
		json_row(w, &fb->rows[i]);
	jw_close(w, ']');
	jw_close(w, '}');
}

void
rep_print_begin(rep_printer_t *p)
{
	jw_init(&p->jw);
	if (p->out == REP_OUT_CSV)
		puts(csv_head);
	else if (p->out == REP_OUT_JSON) {
		jw_object(&p->jw, NULL);
		jw_array(&p->jw, "reports");
	}
}

void
rep_print_report(rep_printer_t *p, const char *name,
    const rep_feedback_t *fb)
{
	char **v, *line;

	p->reports++;
	if (p->out == REP_OUT_TEXT && fb->note[0] && (v = realloc(p->notes,
	    (p->nnotes + 1) * sizeof(*v))) != NULL) {
		p->notes = v;
		if (asprintf(&line, "%s: %s %s: %s", name, fb->org_name,
		    fb->report_id, fb->note) >= 0)
			p->notes[p->nnotes++] = line;
	}
	if (p->out == REP_OUT_CSV)
		for (size_t i = 0; i < fb->nrows; i++)
			csv_row(fb, &fb->rows[i]);
	else if (p->out == REP_OUT_JSON) {
		json_report(&p->jw, fb);
		jw_flush(&p->jw);
	}
}

static void
json_count(jw_t *w, const rep_count_t *c)
{
	jw_int(w, "messages", (long long)c->messages);
	jw_int(w, "dmarc_pass", (long long)c->pass);
	jw_int(w, "dmarc_fail", (long long)(c->messages - c->pass));
	jw_int(w, "dkim_aligned", (long long)c->dkim_pass);
	jw_int(w, "spf_aligned", (long long)c->spf_pass);
	jw_object(w, "dispositions");
	jw_int(w, "none", (long long)c->none);
	jw_int(w, "quarantine", (long long)c->quarantine);
	jw_int(w, "reject", (long long)c->reject);
	jw_close(w, '}');
}

static void
json_buckets(jw_t *w, const char *key, const char *name,
    const rep_bucket_t *b, size_t n, const char *domain)
{
	jw_array(w, key);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(b[i].domain, domain) != 0)
			continue;
		jw_object(w, NULL);
		jw_string(w, name, b[i].key);
		json_count(w, &b[i].c);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The failing messages of domain's sources, and how many sources */
static uint64_t
failing(const rep_source_t *src, size_t ns, const char *domain, size_t *k)
{
	uint64_t n = 0;

	*k = 0;
	for (size_t i = 0; i < ns; i++)
		if (strcmp(src[i].domain, domain) == 0 &&
		    src[i].c.messages > src[i].c.pass) {
			n += src[i].c.messages - src[i].c.pass;
			++*k;
		}
	return n;
}

/* The sources' PTR records, asked together (with --check) */
static void
ptr_ask(dns_resolver_t *r, const rep_source_t *src, size_t ns)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < ns; i++)
		rep_ptr_ask(r, src[i].ip);
	dns_resolver_wait(r);
}

static void
json_readiness(jw_t *w, const rep_domain_t *d, const rep_source_t *src,
    size_t ns, dns_resolver_t *r)
{
	size_t k;
	uint64_t fail = failing(src, ns, d->domain, &k);
	char owner[300] = "", *rec = r && rep_next_stage(d->p) ?
	    rep_next_record(r, d->domain, rep_next_stage(d->p), owner,
	    sizeof(owner)) : NULL;

	jw_object(w, "readiness");
	jw_string(w, "p", d->p[0] ? d->p : NULL);
	jw_string(w, "next", rep_next_stage(d->p));
	jw_int(w, "pass_permille", d->c.messages ? (long long)(1000 *
	    d->c.pass / d->c.messages) : 0);
	jw_int(w, "would_fail", (long long)fail);
	jw_int(w, "failing_sources", (long long)k);
	jw_string(w, "next_owner", rec ? owner : NULL);
	jw_string(w, "next_record", rec);
	free(rec);
	jw_close(w, '}');
}

static void
json_check(jw_t *w, const rep_check_t *c)
{
	jw_object(w, "check");
	jw_string(w, "spf_domain", c->spf_domain);
	jw_string(w, "spf_result", c->spf_result);
	jw_string(w, "spf_mechanism", c->spf_mechanism);
	jw_bool(w, "spf_aligned", c->spf_aligned);
	jw_string(w, "dkim_domain", c->dkim_domain);
	jw_string(w, "dkim_selector", c->dkim_selector);
	jw_string(w, "dkim_key", c->dkim_selector ? rep_key_str(c->dkim_key) :
	    NULL);
	jw_bool(w, "dkim_aligned", c->dkim_aligned);
	jw_array(w, "why");
	for (size_t i = 0; i < c->nwhy; i++)
		jw_string(w, NULL, c->why[i]);
	jw_close(w, ']');
	jw_array(w, "fix");
	for (size_t i = 0; i < c->nfix; i++)
		jw_string(w, NULL, c->fix[i]);
	jw_close(w, ']');
	jw_close(w, '}');
}

static void
json_tls(jw_t *w, tls_summary_t *t)
{
	size_t np, nf;
	const tls_line_t *pol = tls_summary_policies(t, &np);
	const tls_line_t *f = tls_summary_failures(t, &nf);

	jw_object(w, "tlsrpt");
	jw_int(w, "reports", (long long)tls_summary_reports(t));
	jw_int(w, "duplicates", (long long)tls_summary_duplicates(t));
	jw_array(w, "policies");
	for (size_t i = 0; i < np; i++) {
		jw_object(w, NULL);
		jw_string(w, "domain", pol[i].domain);
		jw_string(w, "type", pol[i].a);
		jw_string(w, "mx_host", pol[i].b);
		jw_int(w, "successful", (long long)pol[i].ok);
		jw_int(w, "failed", (long long)pol[i].failed);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_array(w, "failures");
	for (size_t i = 0; i < nf; i++) {
		jw_object(w, NULL);
		jw_string(w, "domain", f[i].domain);
		jw_string(w, "result_type", f[i].a);
		jw_string(w, "receiving_mx", f[i].b);
		jw_int(w, "sessions", (long long)f[i].failed);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void
text_tls(tls_summary_t *t)
{
	size_t np, nf;
	const tls_line_t *pol = tls_summary_policies(t, &np);
	const tls_line_t *f = tls_summary_failures(t, &nf);

	if (tls_summary_reports(t) == 0)
		return;
	printf("\nTLS-RPT: %zu reports\n", tls_summary_reports(t));
	for (size_t i = 0; i < np; i++)
		printf("  %s, %s policy%s%s: %llu sessions successful, %llu "
		    "failed\n", pol[i].domain, pol[i].a, pol[i].b[0] ?
		    " for " : "", pol[i].b, (unsigned long long)pol[i].ok,
		    (unsigned long long)pol[i].failed);
	for (size_t i = 0; i < nf; i++)
		printf("    %s: %s at %s: %llu sessions\n", f[i].domain, f[i].a,
		    f[i].b[0] ? f[i].b : "?", (unsigned long long)f[i].failed);
}

static void
json_end(rep_printer_t *p, rep_summary_t *s, tls_summary_t *t,
    dns_resolver_t *r, char *const *refused, char *const *why, size_t nref)
{
	jw_t *w = &p->jw;
	size_t nd, ns, nr, ny;
	const rep_domain_t *d = rep_summary_domains(s, &nd);
	const rep_source_t *src = rep_summary_sources(s, &ns);
	const rep_bucket_t *rep = rep_summary_reporters(s, &nr);
	const rep_bucket_t *day = rep_summary_days(s, &ny);

	jw_close(w, ']');
	jw_int(w, "duplicates", (long long)rep_summary_duplicates(s));
	jw_array(w, "domains");
	for (size_t i = 0; i < nd; i++) {
		jw_object(w, NULL);
		jw_string(w, "domain", d[i].domain);
		jw_int(w, "reports", (long long)d[i].reports);
		jw_int(w, "begin", d[i].begin);
		jw_int(w, "end", d[i].end);
		json_count(w, &d[i].c);
		json_buckets(w, "reporters", "org_name", rep, nr, d[i].domain);
		json_buckets(w, "days", "day", day, ny, d[i].domain);
		json_readiness(w, &d[i], src, ns, r);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	ptr_ask(r, src, ns);
	jw_array(w, "sources");
	for (size_t i = 0; i < ns; i++) {
		char *ptr = r ? rep_ptr_name(r, src[i].ip) : NULL;

		jw_object(w, NULL);
		jw_string(w, "domain", src[i].domain);
		jw_string(w, "source_ip", src[i].ip);
		jw_string(w, "ptr", ptr);
		free(ptr);
		json_count(w, &src[i].c);
		if (r && src[i].failed) {
			rep_check_t c;

			if (rep_check_row(&c, r, src[i].domain,
			    src[i].failed) == 0)
				json_check(w, &c);
			rep_check_clear(&c);
		}
		jw_close(w, '}');
	}
	jw_close(w, ']');
	json_tls(w, t);
	jw_array(w, "errors");
	for (size_t i = 0; i < nref; i++) {
		jw_object(w, NULL);
		jw_string(w, "file", refused[i]);
		jw_string(w, "reason", why[i]);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
	jw_line(w);
}

static double
share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void
text_readiness(const rep_domain_t *d, const rep_source_t *src, size_t ns,
    dns_resolver_t *r)
{
	size_t k;
	uint64_t fail = failing(src, ns, d->domain, &k);
	const char *next = rep_next_stage(d->p);

	if (next == NULL) {
		printf("  at p=%s, the last stage: %llu messages from %zu "
		    "sources are rejected\n", d->p[0] ? d->p : "?",
		    (unsigned long long)fail, k);
		return;
	}
	printf("  next stage, p=%s: %llu messages (%.1f %%) from %zu sources "
	    "would be %s\n", next, (unsigned long long)fail,
	    share(fail, d->c.messages), k, strcmp(next, "reject") == 0 ?
	    "rejected" : "quarantined");
	char owner[300], *rec = r ? rep_next_record(r, d->domain, next, owner,
	    sizeof(owner)) : NULL;

	if (rec)
		printf("  %s: %s TXT \"%s\"\n", fail ? "when they are fixed" :
		    "ready", owner, rec);
	else
		printf("  %s: dmarc-gen --stage %s %s (keep the rua= of the "
		    "current record)\n", fail ? "when they are fixed" : "ready",
		    next, d->domain);
	free(rec);
}

static void
text_checks(dns_resolver_t *r, const rep_domain_t *d, const rep_source_t *src,
    size_t ns)
{
	for (size_t k = 0; k < ns; k++) {
		rep_check_t c;

		if (strcmp(src[k].domain, d->domain) != 0 || !src[k].failed ||
		    rep_check_row(&c, r, d->domain, src[k].failed) != 0)
			continue;
		printf("  %s fails DMARC for %llu messages:\n", src[k].ip,
		    (unsigned long long)(src[k].c.messages - src[k].c.pass));
		for (size_t i = 0; i < c.nwhy; i++)
			printf("    %s\n", c.why[i]);
		for (size_t i = 0; i < c.nfix; i++)
			printf("    fix: %s\n", c.fix[i]);
		rep_check_clear(&c);
	}
}

/* "by reporter: google.com 900 (95.0 % pass), ..." */
static void
text_reporters(const rep_bucket_t *rep, size_t nr, const char *domain)
{
	bool first = true;

	for (size_t i = 0; i < nr; i++) {
		if (strcmp(rep[i].domain, domain) != 0)
			continue;
		printf("%s%s %llu (%.1f %% pass)", first ? "  by reporter: " :
		    ", ", rep[i].key, (unsigned long long)rep[i].c.messages,
		    share(rep[i].c.pass, rep[i].c.messages));
		first = false;
	}
	if (!first)
		putchar('\n');
}

static void
text_end(rep_summary_t *s, dns_resolver_t *r)
{
	size_t nd, ns, nr;
	const rep_domain_t *d = rep_summary_domains(s, &nd);
	const rep_source_t *src = rep_summary_sources(s, &ns);
	const rep_bucket_t *rep = rep_summary_reporters(s, &nr);

	ptr_ask(r, src, ns);
	for (size_t i = 0; i < nd; i++) {
		char b[32], e[32];
		size_t shown = 0;

		date(d[i].begin, b, sizeof(b));
		date(d[i].end, e, sizeof(e));
		printf("%s%s: %llu messages in %zu reports, %.10s to %.10s\n",
		    i ? "\n" : "", d[i].domain,
		    (unsigned long long)d[i].c.messages, d[i].reports, b, e);
		printf("  DMARC pass %llu (%.1f %%), fail %llu; quarantined "
		    "%llu, rejected %llu\n", (unsigned long long)d[i].c.pass,
		    share(d[i].c.pass, d[i].c.messages),
		    (unsigned long long)(d[i].c.messages - d[i].c.pass),
		    (unsigned long long)d[i].c.quarantine,
		    (unsigned long long)d[i].c.reject);
		text_reporters(rep, nr, d[i].domain);
		printf("  %-39s %9s %9s %9s\n", "source", "messages", "pass",
		    "fail");
		for (size_t k = 0; k < ns && shown < 20; k++) {
			if (strcmp(src[k].domain, d[i].domain) != 0)
				continue;
			char *ptr = r ? rep_ptr_name(r, src[k].ip) : NULL, ip[300];

			snprintf(ip, sizeof(ip), "%s%s%s%s", src[k].ip,
			    ptr ? " (" : "", ptr ? ptr : "", ptr ? ")" : "");
			free(ptr);
			printf("  %-39s %9llu %9llu %9llu\n", ip,
			    (unsigned long long)src[k].c.messages,
			    (unsigned long long)src[k].c.pass,
			    (unsigned long long)(src[k].c.messages -
			    src[k].c.pass));
			shown++;
		}
		text_readiness(&d[i], src, ns, r);
		if (r)
			text_checks(r, &d[i], src, ns);
	}
	if (rep_summary_duplicates(s))
		printf("\n%zu reports received twice counted once\n",
		    rep_summary_duplicates(s));
}

void
rep_print_end(rep_printer_t *p, rep_summary_t *s, tls_summary_t *t,
    dns_resolver_t *r, char *const *refused, char *const *why, size_t n)
{
	if (p->out == REP_OUT_JSON)
		json_end(p, s, t, r, refused, why, n);
	else if (p->out == REP_OUT_TEXT) {
		text_end(s, r);
		text_tls(t);
		for (size_t i = 0; i < p->nnotes; i++)
			printf("%s%s\n", i ? "  " : "\nnotes (read, and "
			    "counted):\n  ", p->notes[i]);
	}
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	jw_free(&p->jw);
}
