#include "lint/finding.h"

#include <jansson.h>

#include "util/txt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lint_findings_init(lint_findings_t *f)
{
	memset(f, 0, sizeof(*f));
}

void
lint_findings_clear(lint_findings_t *f)
{
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i].borrowed)
			continue;
		free(f->v[i].message);
		free(f->v[i].domain);
	}
	free(f->v);
	lint_findings_init(f);
}

int
lint_findings_vadd(lint_findings_t *f, const lint_code_t *code,
    const char *domain, long offset, va_list ap)
{
	lint_finding_t *x;
	char buf[1024];

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		lint_finding_t *v = realloc(f->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	vsnprintf(buf, sizeof(buf), code->format, ap);
	x = &f->v[f->n];
	x->borrowed = false;
	x->code = code;
	x->offset = offset;
	x->message = strdup(buf);
	x->domain = domain ? strdup(domain) : NULL;
	if (x->message == NULL || (domain && x->domain == NULL)) {
		free(x->message);
		free(x->domain);
		return -1;
	}
	f->n++;
	return 0;
}

int
lint_findings_add(lint_findings_t *f, const lint_code_t *code,
    const char *domain, long offset, ...)
{
	va_list ap;
	int rc;

	va_start(ap, offset);
	rc = lint_findings_vadd(f, code, domain, offset, ap);
	va_end(ap);
	return rc;
}

static int
room(lint_findings_t *dst, const lint_findings_t *src)
{
	if (dst->cap < dst->n + src->n) {
		size_t cap = dst->n + src->n + 8;
		lint_finding_t *v = realloc(dst->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		dst->v = v;
		dst->cap = cap;
	}
	return 0;
}

int
lint_findings_share(lint_findings_t *dst, const lint_findings_t *src)
{
	if (room(dst, src) != 0)
		return -1;
	for (size_t i = 0; i < src->n; i++) {
		dst->v[dst->n] = src->v[i];
		dst->v[dst->n++].borrowed = true;
	}
	return 0;
}

int
lint_findings_append(lint_findings_t *dst, const lint_findings_t *src)
{
	if (room(dst, src) != 0)
		return -1;
	for (size_t i = 0; i < src->n; i++) {
		const lint_finding_t *s = &src->v[i];
		lint_finding_t *x = &dst->v[dst->n];

		*x = *s;
		x->borrowed = false;
		x->message = strdup(s->message);
		x->domain = s->domain ? strdup(s->domain) : NULL;
		if (x->message == NULL || (s->domain && x->domain == NULL)) {
			free(x->message);
			free(x->domain);
			return -1;
		}
		dst->n++;
	}
	return 0;
}

size_t
lint_findings_count(const lint_findings_t *f, lint_severity_t sev)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].code->severity == sev;
	return n;
}

int
lint_findings_has(const lint_findings_t *f, const char *code)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code->code, code) == 0)
			return 1;
	return 0;
}

const char *
lint_severity_str(lint_severity_t sev)
{
	return sev == LINT_ERROR ? "error" : sev == LINT_WARNING ? "warning" :
	    "info";
}

void *
lint_json_text(const char *s)
{
	json_t *j;
	char *clean;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	clean = util_utf8_text(s);
	j = clean ? json_string(clean) : NULL;
	free(clean);
	return j ? j : json_string("");
}
