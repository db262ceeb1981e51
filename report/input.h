/*
 * Where reports come from: files and directories (a Maildir is one),
 * each a report as XML (DMARC) or JSON (TLS-RPT), gzip or zip, or a mail message or an mbox whose
 * MIME parts carry them (base64 or quoted-printable, any of the content
 * types reporters use).  zlib inflates gzip, libarchive reads zip, GMime
 * reads mail.  Every file is bounded: REP_MAX_FILE bytes read, at most
 * REP_MAX_OUT bytes and REP_MAX_RATIO times its size inflated, 256 zip
 * entries, 1,000 MIME parts, 10,000 messages in an mbox, containers 4
 * deep; a file beyond that is
 * refused with the reason and the others are read.
 */
#ifndef AUTHZONE_REPORT_INPUT_H
#define AUTHZONE_REPORT_INPUT_H

#include <stddef.h>

#define REP_MAX_FILE	(64u << 20)
#define REP_MAX_OUT	(256u << 20)
#define REP_MAX_RATIO	1000u

typedef struct rep_input_ops {
	/* An XML document found in name (a file, or "file: part" when it
	 * came out of a container); the bytes are valid during the call */
	void (*document)(void *arg, const char *name, const char *xml,
	    size_t len);
	/* A JSON document (a TLS-RPT report, RFC 8460) found in name */
	void (*json)(void *arg, const char *name, const char *text,
	    size_t len);
	/* name cannot be read, and why */
	void (*refused)(void *arg, const char *name, const char *why);
	void *arg;
} rep_input_ops_t;

/** Reads path: a file, "-" for stdin, or a directory walked in name
 * order (dot files skipped). */
void rep_input_path(const char *path, const rep_input_ops_t *ops);
/** Reads len bytes named name as a file would be read. */
void rep_input_buffer(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops);

#endif
