#include <stddef.h>
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

		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o, s:o, "
		    "s:o, s:o}",
		    "code", c->code,
		    "severity", lint_severity_str(c->severity),
		    "message", lint_json_text(x->message),
		    "domain", lint_json_text(x->domain),
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

/* The resolver's counters: the key in --json's "dns" (in this order) and
 * the words of the summary line (in the order of text) */
#define U(f)	offsetof(dns_stats_t, f), sizeof(((dns_stats_t *)0)->f)
static const struct counter {
	const char *key, *text;
	size_t off, size;
	int rank;		/* in the summary line; 0: not there */
} counters[] = {
	{ "queries", "%lu queries", U(queries), 1 },
	{ "zone_answers", NULL, U(answered_from_zone), 0 },
	{ "rounds", ", %lu round trips", U(rounds), 2 },
	{ "max_in_flight", ", most in flight %lu", U(max_in_flight), 11 },
	{ "retries", ", %lu retries", U(retries), 3 },
	{ "timeouts", ", %lu timeouts", U(timeouts), 4 },
	{ "late", " (%lu answered late)", U(late), 5 },
	{ "truncated", ", %lu truncated", U(truncated), 6 },
	{ "tcp", ", %lu over TCP", U(tcp), 7 },
	{ "backoffs", ", %lu window cuts", U(backoffs), 8 },
	{ "servfails", ", %lu SERVFAIL from a recursive server", U(servfails),
	    13 },
	{ "idle_retries", " (%lu asked again once it was idle)",
	    U(idle_retries), 14 },
	{ "refused_answers", ", %lu answers refused", U(refused), 9 },
	{ "window", ", window %lu at the end", U(window), 10 },
	{ "evicted", ", %lu answers evicted", U(evicted), 12 },
	{ "reasked", " (%lu asked again)", U(reasked), 12 },
};
#undef U
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static unsigned long
counter(const dns_stats_t *st, const struct counter *c)
{
	const char *p = (const char *)st + c->off;
	unsigned u;
	unsigned long l;

	if (c->size == sizeof(u)) {
		memcpy(&u, p, sizeof(u));
		return u;
	}
	memcpy(&l, p, sizeof(l));
	return l;
}

json_t *
cmd_dns_json(const dns_resolver_t *r)
{
	json_t *doc = json_object();
	dns_stats_t st;

	dns_resolver_stats(r, &st);
	for (size_t i = 0; doc && i < NCOUNTERS; i++)
		json_object_set_new(doc, counters[i].key,
		    json_integer((json_int_t)counter(&st, &counters[i])));
	return doc;
}

void
cmd_dns_summary(const char *tool, const dns_resolver_t *r)
{
	dns_stats_t st;

	dns_resolver_stats(r, &st);
	fprintf(stderr, "%s: dns: ", tool);
	for (int rank = 1; rank <= (int)NCOUNTERS; rank++)
		for (size_t i = 0; i < NCOUNTERS; i++)
			if (counters[i].rank == rank)
				fprintf(stderr, counters[i].text,
				    counter(&st, &counters[i]));
	fputc('\n', stderr);
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
