#include "zonegen/set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
zg_set_init(zg_set_t *s)
{
	memset(s, 0, sizeof(*s));
}

void
zg_set_clear(zg_set_t *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].owner);
		free(s->v[i].type);
		free(s->v[i].value);
		free(s->v[i].note);
	}
	free(s->v);
	zg_set_init(s);
}

int
zg_set_add(zg_set_t *s, const char *owner, uint32_t ttl, const char *type,
    const char *value, const char *note)
{
	zg_record_t *r;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		zg_record_t *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	r = &s->v[s->n];
	r->owner = strdup(owner);
	r->ttl = ttl;
	r->type = strdup(type);
	r->value = strdup(value);
	r->note = note ? strdup(note) : NULL;
	if (!r->owner || !r->type || !r->value || (note && !r->note)) {
		free(r->owner);
		free(r->type);
		free(r->value);
		free(r->note);
		return -1;
	}
	s->n++;
	return 0;
}

char *
zg_txt_rdata(const char *text, size_t len)
{
	/* each byte becomes at most 4; each string adds 3 ("" and a space) */
	size_t cap = len * 4 + (len / 255 + 1) * 3 + 1, o = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	for (size_t start = 0; start < len || start == 0; start += 255) {
		size_t end = start + 255 < len ? start + 255 : len;

		if (start)
			out[o++] = ' ';
		out[o++] = '"';
		for (size_t i = start; i < end; i++) {
			unsigned char c = (unsigned char)text[i];

			if (c == '"' || c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c < 0x20 || c > 0x7e)
				o += (size_t)snprintf(out + o, cap - o, "\\%03u", c);
			else
				out[o++] = (char)c;
		}
		out[o++] = '"';
		if (len == 0)
			break;
	}
	out[o] = '\0';
	return out;
}

static char *
rdata_of(const zg_record_t *r)
{
	return strcmp(r->type, "TXT") == 0 ?
	    zg_txt_rdata(r->value, strlen(r->value)) : strdup(r->value);
}

char *
zg_set_zone(const zg_set_t *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const zg_record_t *r = &s->v[i];
		char *rdata = rdata_of(r);

		if (r->note)
			fprintf(fp, "; %s\n", r->note);
		fprintf(fp, "%s. %u IN %s %s\n", r->owner, r->ttl, r->type,
		    rdata ? rdata : "");
		free(rdata);
	}
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

json_t *
zg_set_json(const zg_set_t *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->n; i++) {
		const zg_record_t *r = &s->v[i];
		char *rdata = rdata_of(r);

		json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:s, s:s, "
		    "s:o}", "owner", r->owner, "ttl", (json_int_t)r->ttl,
		    "type", r->type, "value", r->value, "rdata",
		    rdata ? rdata : "", "note", r->note ? json_string(r->note) :
		    json_null()));
		free(rdata);
	}
	return a;
}
