/*
 * An RFC 5322 message as DKIM sees it: the header fields, each with its
 * name and its raw bytes (folded, with the CRLF that ends it), and the
 * body.  The text is taken as a file holds it: a bare LF ends a line as
 * CRLF does (the wire form is CRLF, RFC 5322 2.1), and the copy kept is
 * in that wire form.  Bounded: MSG_MAX_FIELDS fields, a field of at most
 * MSG_MAX_FIELD bytes; a field that is no "name:" or a header without
 * its empty line is refused with the reason.
 *
 * Ownership: msg_t owns its copy; msg_clear frees it.
 */
#ifndef AUTHZONE_MSG_MESSAGE_H
#define AUTHZONE_MSG_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#define MSG_MAX_FIELDS	1000
#define MSG_MAX_FIELD	65536

typedef struct msg_field {
	const char *name;	/* into the copy */
	size_t nlen;
	const char *raw;	/* the whole field, its final CRLF included */
	size_t rawlen;
	const char *value;	/* after the colon, up to the final CRLF */
	size_t vlen;
} msg_field_t;

typedef struct msg {
	char *text;		/* the message with CRLF line ends */
	size_t len;
	msg_field_t *f;
	size_t nf;
	const char *body;	/* after the empty line */
	size_t blen;
} msg_t;

/** Parses len bytes into m; 0, or -1 with why in err. */
int msg_parse(msg_t *m, const char *data, size_t len, char *err,
    size_t errlen);
void msg_clear(msg_t *m);

/** True when field f is named name (case-insensitive). */
bool msg_field_is(const msg_field_t *f, const char *name);

/** The value of the one field named name, unfolded and trimmed, into out
 * (the caller frees it); NULL when there is none; *count how many there
 * are. */
char *msg_field_value(const msg_t *m, const char *name, size_t *count);

#endif
