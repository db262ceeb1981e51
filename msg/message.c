#include "msg/message.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The copy in wire form: every bare LF made CRLF */
static char *
wire_copy(const char *data, size_t len, size_t *out)
{
	size_t lfs = 0, k = 0;
	char *t;

	for (size_t i = 0; i < len; i++)
		lfs += data[i] == '\n' && (i == 0 || data[i - 1] != '\r');
	if ((t = malloc(len + lfs + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
			t[k++] = '\r';
		t[k++] = data[i];
	}
	t[k] = '\0';
	*out = k;
	return t;
}

int
msg_parse(msg_t *m, const char *data, size_t len, char *err, size_t errlen)
{
	size_t at = 0;

	memset(m, 0, sizeof(*m));
	if ((m->text = wire_copy(data, len, &m->len)) == NULL ||
	    (m->f = calloc(MSG_MAX_FIELDS, sizeof(*m->f))) == NULL) {
		snprintf(err, errlen, "out of memory");
		msg_clear(m);
		return -1;
	}
	while (at < m->len) {
		const char *s = m->text + at, *colon, *end = s;
		msg_field_t *f;

		if (m->len - at >= 2 && s[0] == '\r' && s[1] == '\n') {
			m->body = s + 2;
			m->blen = m->len - at - 2;
			return 0;
		}
		/* a field: its first line, and the lines that continue it */
		do {
			const char *nl = memchr(end, '\n', m->len - (size_t)(end -
			    m->text));

			end = nl ? nl + 1 : m->text + m->len;
		} while (end < m->text + m->len && (*end == ' ' || *end == '\t'));
		if ((size_t)(end - s) > MSG_MAX_FIELD) {
			snprintf(err, errlen, "header field %zu is over %d bytes",
			    m->nf + 1, MSG_MAX_FIELD);
			goto bad;
		}
		colon = memchr(s, ':', (size_t)(end - s));
		for (const char *p = s; colon && p < colon; p++)
			if (*p <= ' ' || *p > '~')
				colon = NULL;
		if (colon == NULL || colon == s) {
			snprintf(err, errlen, "header field %zu is not "
			    "\"name: value\"", m->nf + 1);
			goto bad;
		}
		if (m->nf == MSG_MAX_FIELDS) {
			snprintf(err, errlen, "over %d header fields",
			    MSG_MAX_FIELDS);
			goto bad;
		}
		f = &m->f[m->nf++];
		f->name = s;
		f->nlen = (size_t)(colon - s);
		f->raw = s;
		f->rawlen = (size_t)(end - s);
		f->value = colon + 1;
		f->vlen = (size_t)(end - colon - 1);
		if (f->vlen >= 2 && end[-2] == '\r' && end[-1] == '\n')
			f->vlen -= 2;
		at = (size_t)(end - m->text);
	}
	/* no empty line: a message of header fields alone, no body */
	if (m->nf > 0) {
		m->body = m->text + m->len;
		m->blen = 0;
		return 0;
	}
	snprintf(err, errlen, "no header fields");
bad:
	msg_clear(m);
	return -1;
}

void
msg_clear(msg_t *m)
{
	free(m->text);
	free(m->f);
	memset(m, 0, sizeof(*m));
}

bool
msg_field_is(const msg_field_t *f, const char *name)
{
	return strlen(name) == f->nlen && strncasecmp(f->name, name,
	    f->nlen) == 0;
}

char *
msg_field_value(const msg_t *m, const char *name, size_t *count)
{
	const msg_field_t *hit = NULL;
	char *v;
	size_t k = 0;

	*count = 0;
	for (size_t i = 0; i < m->nf; i++)
		if (msg_field_is(&m->f[i], name) && (*count)++ == 0)
			hit = &m->f[i];
	if (hit == NULL || (v = malloc(hit->vlen + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < hit->vlen; i++)
		if (hit->value[i] != '\r' && hit->value[i] != '\n')
			v[k++] = hit->value[i];
	v[k] = '\0';
	while (k > 0 && isspace((unsigned char)v[k - 1]))
		v[--k] = '\0';
	k = strspn(v, " \t");
	memmove(v, v + k, strlen(v + k) + 1);
	return v;
}
