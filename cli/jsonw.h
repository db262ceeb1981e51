/*
 * A JSON text writer for the lines a batch prints, one a domain: the same
 * bytes as jansson's compact dump of the same document, without building
 * the document first (a batch's hot path: building and dumping with
 * jansson took half of a domain's instructions).  Invalid UTF-8 in a
 * string is written as \u00XX escapes, one a byte, where jansson would
 * refuse the whole document.
 */
#ifndef AUTHZONE_CLI_JSONW_H
#define AUTHZONE_CLI_JSONW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define JW_DEPTH 16

typedef struct jw {
	char *buf;
	size_t len, cap;
	int depth;
	bool more[JW_DEPTH];	/* a value was written at this depth */
	bool oom;
} jw_t;

void jw_init(jw_t *w);
void jw_free(jw_t *w);
/** Empties the buffer for the next document. */
void jw_reset(jw_t *w);

/* key is NULL for a value in an array (or the top) */
void jw_object(jw_t *w, const char *key);
void jw_array(jw_t *w, const char *key);
void jw_close(jw_t *w, char bracket);	/* '}' or ']' */
void jw_string(jw_t *w, const char *key, const char *s);	/* NULL: null */
void jw_int(jw_t *w, const char *key, long long v);
void jw_bool(jw_t *w, const char *key, bool v);
void jw_null(jw_t *w, const char *key);
/** A jansson value, dumped compact (and its reference taken). */
void jw_json(jw_t *w, const char *key, json_t *v);

/** Writes the document and a newline to stdout; false on no memory. */
bool jw_line(jw_t *w);
/** Writes what is written so far to stdout and empties the buffer; the
 * document goes on (a long one is written as it is made). */
bool jw_flush(jw_t *w);

#endif
