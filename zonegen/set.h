/*
 * A set of records to publish, and its two written forms: a zone-file
 * snippet with absolute owner names (TXT values split into strings of at
 * most 255 bytes, quotes, backslashes and other bytes escaped) and JSON.
 * Nothing here prints; the writers return text or JSON to cli/.
 */
#ifndef AUTHZONE_ZONEGEN_SET_H
#define AUTHZONE_ZONEGEN_SET_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct zg_record {
	char *owner;		/* absolute, without the final dot */
	uint32_t ttl;
	char *type;		/* "TXT", "MX" */
	char *value;		/* TXT: the text itself; others: rdata */
	char *note;		/* a comment for the reader, or NULL */
} zg_record_t;

typedef struct zg_set {
	zg_record_t *v;
	size_t n, cap;
} zg_set_t;

void zg_set_init(zg_set_t *s);
void zg_set_clear(zg_set_t *s);
/** Adds a record (copies every string); -1 on no memory. */
int zg_set_add(zg_set_t *s, const char *owner, uint32_t ttl,
    const char *type, const char *value, const char *note);

/** The TXT rdata for text: quoted strings of at most 255 bytes each,
 * escaped for zone files.  The caller frees it. */
char *zg_txt_rdata(const char *text, size_t len);

/** The set as a zone-file snippet; the caller frees it. */
char *zg_set_zone(const zg_set_t *s);
/** The set as a JSON array of {owner, ttl, type, value, rdata, note}. */
json_t *zg_set_json(const zg_set_t *s);

#endif
