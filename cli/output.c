#include <string.h>

#include "cli/common.h"

static const char *const sev_color[] = {
	[LINT_INFO] = "\033[36m", [LINT_WARNING] = "\033[33m",
	[LINT_ERROR] = "\033[31m",
};

void
cmd_findings_print(FILE *fp, const lint_findings_t *f, bool color)
{
	for (size_t i = 0; i < f->n; i++) {
		const lint_finding_t *x = &f->v[i];
		const lint_code_t *c = x->code;

		fprintf(fp, "%s%-7s%s %s", color ? sev_color[c->severity] : "",
		    lint_severity_str(c->severity), color ? "\033[0m" : "",
		    c->code);
		if (x->domain && x->offset >= 0)
			fprintf(fp, " at %s offset %ld", x->domain, x->offset);
		else if (x->domain)
			fprintf(fp, " at %s", x->domain);
		else if (x->offset >= 0)
			fprintf(fp, " at offset %ld", x->offset);
		fprintf(fp, "\n        %s", x->message);
		if (c->rfc)
			fprintf(fp, " [%s]", c->rfc);
		fputc('\n', fp);
		if (c->fix)
			fprintf(fp, "        fix: %s\n", c->fix);
	}
}

json_t *
cmd_findings_json(const lint_findings_t *f)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->n; i++) {
		const lint_finding_t *x = &f->v[i];
		const lint_code_t *c = x->code;

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:o, "
		    "s:o, s:o}",
		    "code", c->code,
		    "severity", lint_severity_str(c->severity),
		    "message", x->message,
		    "domain", x->domain ? json_string(x->domain) : json_null(),
		    "offset", x->offset >= 0 ? json_integer(x->offset) :
		    json_null(),
		    "rfc", c->rfc ? json_string(c->rfc) : json_null(),
		    "fix", c->fix ? json_string(c->fix) : json_null()));
	}
	return a;
}

void
cmd_findings_jw(jw_t *w, const char *key, const lint_findings_t *f)
{
	jw_array(w, key);
	for (size_t i = 0; i < f->n; i++) {
		const lint_finding_t *x = &f->v[i];
		const lint_code_t *c = x->code;

		jw_object(w, NULL);
		jw_string(w, "code", c->code);
		jw_string(w, "severity", lint_severity_str(c->severity));
		jw_string(w, "message", x->message);
		jw_string(w, "domain", x->domain);
		if (x->offset >= 0)
			jw_int(w, "offset", x->offset);
		else
			jw_null(w, "offset");
		jw_string(w, "rfc", c->rfc);
		jw_string(w, "fix", c->fix);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

json_t *
cmd_dns_json(const dns_resolver_t *r)
{
	dns_stats_t st;

	dns_resolver_stats(r, &st);
	return json_pack("{s:I, s:I, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:i, s:I}",
	    "queries", (json_int_t)st.queries,
	    "zone_answers", (json_int_t)st.answered_from_zone,
	    "rounds", (int)st.rounds,
	    "max_in_flight", (int)st.max_in_flight,
	    "retries", (json_int_t)st.retries,
	    "timeouts", (json_int_t)st.timeouts,
	    "late", (json_int_t)st.late,
	    "truncated", (json_int_t)st.truncated,
	    "tcp", (json_int_t)st.tcp,
	    "backoffs", (json_int_t)st.backoffs,
	    "refused_answers", (json_int_t)st.refused,
	    "window", (int)st.window,
	    "evicted", (json_int_t)st.evicted);
}

void
cmd_dns_summary(const char *tool, const dns_resolver_t *r)
{
	dns_stats_t st;

	dns_resolver_stats(r, &st);
	fprintf(stderr, "%s: dns: %lu queries, %u round trips, %lu retries, "
	    "%lu timeouts (%lu answered late), %lu truncated, %lu over TCP, "
	    "%lu window cuts, %lu answers refused, window %u at the end, most "
	    "in flight %u, %lu answers evicted\n", tool, st.queries, st.rounds,
	    st.retries, st.timeouts, st.late, st.truncated, st.tcp,
	    st.backoffs, st.refused, st.window, st.max_in_flight, st.evicted);
}

void
cmd_json_print(json_t *doc)
{
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

void
cmd_json_line(json_t *doc)
{
	static char *buf;
	static size_t cap;
	size_t n = json_dumpb(doc, buf, cap, JSON_COMPACT |
	    JSON_PRESERVE_ORDER);

	/* into one buffer, then one write: a batch prints a line a domain */
	if (n > cap) {
		char *b = realloc(buf, n * 2);

		if (b) {
			buf = b;
			cap = n * 2;
			n = json_dumpb(doc, buf, cap, JSON_COMPACT |
			    JSON_PRESERVE_ORDER);
		}
	}
	if (n <= cap)
		fwrite(buf, 1, n, stdout);
	fputc('\n', stdout);
	json_decref(doc);
}
