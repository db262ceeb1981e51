/* dmarc-report --html: one self-contained page, the charts as inline SVG
 * (no script, no font or image from the network).  Each bar carries its
 * counts in data- attributes and in a text label, so that what a browser
 * renders can be checked against the input. */
#include "cli/report_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOP	15	/* sources in the charts of a domain */

static void
esc(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
}

static const char head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>DMARC aggregate reports</title>\n<style>\n"
    "body{font:14px/1.4 sans-serif;margin:2em;color:#222}\n"
    "h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em}\n"
    "svg text{font:11px sans-serif}.pass{fill:#2e7d32}.fail{fill:#c62828}"
    ".bar{fill:#1565c0}\ntable{border-collapse:collapse}"
    "td,th{padding:2px 8px;text-align:right}th{text-align:left}\n"
    "</style></head><body>\n<h1>DMARC aggregate reports</h1>\n";

/* Messages per day, pass and fail stacked */
static void
days_chart(FILE *fp, const rep_bucket_t *day, size_t ny, const char *domain)
{
	uint64_t most = 1;
	size_t n = 0, x = 0;

	for (size_t i = 0; i < ny; i++)
		if (strcmp(day[i].domain, domain) == 0) {
			n++;
			if (day[i].c.messages > most)
				most = day[i].c.messages;
		}
	fprintf(fp, "<h3>Messages per day</h3>\n<p><span style=\"color:"
	    "#2e7d32\">&#9632; pass</span> &nbsp; <span style=\"color:"
	    "#c62828\">&#9632; fail</span> (DMARC, as the reporters "
	    "evaluated it)</p>\n<svg class=\"days\" "
	    "width=\"%zu\" height=\"240\" role=\"img\">\n", 60 + n * 70);
	for (size_t i = 0; i < ny; i++) {
		const rep_count_t *c = &day[i].c;
		unsigned hp = (unsigned)(180 * c->pass / most);
		unsigned hf = (unsigned)(180 * (c->messages - c->pass) / most);

		if (strcmp(day[i].domain, domain) != 0)
			continue;
		fprintf(fp, "<g class=\"day\" data-day=\"%s\" data-pass=\"%llu\" "
		    "data-fail=\"%llu\"><title>%s: %llu pass, %llu fail"
		    "</title>\n<rect class=\"pass\" x=\"%zu\" y=\"%u\" width=\"50\" "
		    "height=\"%u\"/><rect class=\"fail\" x=\"%zu\" y=\"%u\" "
		    "width=\"50\" height=\"%u\"/>\n<text x=\"%zu\" y=\"%u\">%llu"
		    "</text><text x=\"%zu\" y=\"235\">%.5s</text></g>\n",
		    day[i].key, (unsigned long long)c->pass,
		    (unsigned long long)(c->messages - c->pass), day[i].key,
		    (unsigned long long)c->pass,
		    (unsigned long long)(c->messages - c->pass), 40 + x * 70,
		    200 - hp, hp, 40 + x * 70, 200 - hp - hf, hf, 40 + x * 70,
		    195 - hp - hf, (unsigned long long)c->messages, 40 + x * 70,
		    day[i].key + 5);
		x++;
	}
	fputs("</svg>\n", fp);
}

/* The top sources: messages, and the share that passes */
static void
sources_charts(FILE *fp, const rep_source_t *src, size_t ns,
    const char *domain)
{
	uint64_t most = 1;
	size_t n = 0, y = 0;

	for (size_t i = 0; i < ns; i++)
		if (strcmp(src[i].domain, domain) == 0 && n++ < TOP &&
		    src[i].c.messages > most)
			most = src[i].c.messages;
	n = n > TOP ? TOP : n;
	fprintf(fp, "<h3>Top sources: messages, and the share passing DMARC"
	    "</h3>\n<svg class=\"sources\" width=\"960\" height=\"%zu\" "
	    "role=\"img\">\n", 10 + n * 24);
	for (size_t i = 0; i < ns && y < n; i++) {
		const rep_count_t *c = &src[i].c;
		unsigned w = (unsigned)(400 * c->messages / most);
		unsigned rate = (unsigned)(c->messages ? 1000 * c->pass /
		    c->messages : 0);

		if (strcmp(src[i].domain, domain) != 0)
			continue;
		fputs("<g class=\"source\" data-ip=\"", fp);
		esc(fp, src[i].ip);
		fprintf(fp, "\" data-messages=\"%llu\" data-pass=\"%llu\">"
		    "<text x=\"0\" y=\"%zu\">", (unsigned long long)c->messages,
		    (unsigned long long)c->pass, 22 + y * 24);
		esc(fp, src[i].ip);
		fprintf(fp, "</text><rect class=\"bar\" x=\"260\" y=\"%zu\" "
		    "width=\"%u\" height=\"16\"/><text x=\"%u\" y=\"%zu\">%llu"
		    "</text><rect class=\"pass\" x=\"760\" y=\"%zu\" width=\"%u\" "
		    "height=\"16\"/><rect class=\"fail\" x=\"%u\" y=\"%zu\" "
		    "width=\"%u\" height=\"16\"/><text x=\"870\" y=\"%zu\">"
		    "%u.%u %%</text></g>\n", 10 + y * 24, w, 265 + w, 22 + y * 24,
		    (unsigned long long)c->messages, 10 + y * 24, rate / 10,
		    760 + rate / 10, 10 + y * 24, 100 - rate / 10, 22 + y * 24,
		    rate / 10, rate % 10);
		y++;
	}
	fputs("</svg>\n", fp);
}

static void
domain_section(FILE *fp, const rep_domain_t *d, const rep_source_t *src,
    size_t ns, const rep_bucket_t *day, size_t ny)
{
	fputs("<section class=\"domain\" data-domain=\"", fp);
	esc(fp, d->domain);
	fprintf(fp, "\" data-messages=\"%llu\" data-pass=\"%llu\">\n<h2>",
	    (unsigned long long)d->c.messages, (unsigned long long)d->c.pass);
	esc(fp, d->domain);
	fprintf(fp, "</h2>\n<p>%llu messages in %zu reports; DMARC pass "
	    "%llu, fail %llu; quarantined %llu, rejected %llu.</p>\n",
	    (unsigned long long)d->c.messages, d->reports,
	    (unsigned long long)d->c.pass,
	    (unsigned long long)(d->c.messages - d->c.pass),
	    (unsigned long long)d->c.quarantine,
	    (unsigned long long)d->c.reject);
	days_chart(fp, day, ny, d->domain);
	sources_charts(fp, src, ns, d->domain);
	fputs("</section>\n", fp);
}

char *
rep_html(rep_summary_t *s, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	size_t nd, ns, ny;
	const rep_domain_t *d;
	const rep_source_t *src;
	const rep_bucket_t *day;

	if (fp == NULL)
		return NULL;
	d = rep_summary_domains(s, &nd);
	src = rep_summary_sources(s, &ns);
	day = rep_summary_days(s, &ny);
	fputs(head, fp);
	for (size_t i = 0; i < nd; i++)
		domain_section(fp, &d[i], src, ns, day, ny);
	if (nd == 0)
		fputs("<p>No report.</p>\n", fp);
	fputs("</body></html>\n", fp);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
