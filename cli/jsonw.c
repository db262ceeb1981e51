#include "cli/jsonw.h"

#include "util/txt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
jw_init(jw_t *w)
{
	memset(w, 0, sizeof(*w));
}

void
jw_free(jw_t *w)
{
	free(w->buf);
	jw_init(w);
}

void
jw_reset(jw_t *w)
{
	w->len = 0;
	w->depth = 0;
	w->more[0] = false;
	w->oom = false;
}

static void
put(jw_t *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap) {
		size_t cap = (w->len + n + 1) * 2;
		char *b = realloc(w->buf, cap);

		if (b == NULL) {
			w->oom = true;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* The bytes that go out as they are: printable ASCII but '"' and '\\' */
static const bool plain[256] = {
#define R8(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1, \
	[c + 5] = 1, [c + 6] = 1, [c + 7] = 1
	[0x20] = 1, [0x21] = 1, [0x23] = 1, [0x24] = 1, [0x25] = 1,
	[0x26] = 1, [0x27] = 1,				/* not '"' */
	R8(0x28), R8(0x30), R8(0x38), R8(0x40), R8(0x48), R8(0x50),
	[0x58] = 1, [0x59] = 1, [0x5a] = 1, [0x5b] = 1,	/* not '\\' */
	[0x5d] = 1, [0x5e] = 1, [0x5f] = 1,
	R8(0x60), R8(0x68), R8(0x70), R8(0x78),
#undef R8
};

static void
quoted(jw_t *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;

	put(w, "\"", 1);
	while (*s) {
		char esc[8];
		size_t n;

		while (plain[*s])
			s++;
		if (*s == '\0')
			break;
		if (*s >= 0x80 && (n = util_utf8_len(s)) > 0) {
			s += n;
			continue;
		}
		put(w, (const char *)run, (size_t)(s - run));
		switch (*s) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", *s);
			put(w, esc, 6);
			break;
		}
		run = ++s;
	}
	put(w, (const char *)run, (size_t)(s - run));
	put(w, "\"", 1);
}

/* A comma before all but the first value of an object or array, then the
 * key */
static void
member(jw_t *w, const char *key)
{
	if (w->more[w->depth])
		put(w, ",", 1);
	w->more[w->depth] = true;
	if (key) {
		quoted(w, key);
		put(w, ":", 1);
	}
}

static void
open_value(jw_t *w, const char *key, const char *bracket)
{
	member(w, key);
	put(w, bracket, 1);
	if (w->depth + 1 < JW_DEPTH)
		w->more[++w->depth] = false;
	else
		w->oom = true;
}

void
jw_object(jw_t *w, const char *key)
{
	open_value(w, key, "{");
}

void
jw_array(jw_t *w, const char *key)
{
	open_value(w, key, "[");
}

void
jw_close(jw_t *w, char bracket)
{
	put(w, &bracket, 1);
	if (w->depth > 0)
		w->depth--;
}

void
jw_string(jw_t *w, const char *key, const char *s)
{
	member(w, key);
	if (s)
		quoted(w, s);
	else
		put(w, "null", 4);
}

void
jw_int(jw_t *w, const char *key, long long v)
{
	char num[24], *p = num + sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	member(w, key);
	put(w, p, (size_t)(num + sizeof(num) - p));
}

void
jw_bool(jw_t *w, const char *key, bool v)
{
	member(w, key);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void
jw_null(jw_t *w, const char *key)
{
	member(w, key);
	put(w, "null", 4);
}

void
jw_json(jw_t *w, const char *key, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) :
	    NULL;

	member(w, key);
	if (s)
		put(w, s, strlen(s));
	else
		put(w, "null", 4);
	free(s);
	json_decref(v);
}

bool
jw_flush(jw_t *w)
{
	if (w->oom)
		return false;
	fwrite(w->buf, 1, w->len, stdout);
	w->len = 0;
	return true;
}

bool
jw_line(jw_t *w)
{
	put(w, "\n", 1);
	if (w->oom)
		return false;
	fwrite(w->buf, 1, w->len, stdout);
	return true;
}
