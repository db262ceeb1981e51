/*
 * The SMTP side of a STARTTLS probe (RFC 5321, RFC 3207): the reply
 * parser, and a client that, for many servers at once, connects, reads
 * the banner, says EHLO, asks for STARTTLS, completes the TLS handshake
 * (libssl) and says QUIT, each step under its own timeout and all under
 * the run's deadline, over non-blocking sockets in one poll loop.
 *
 * What a server sends is bounded: a reply line over SMTP_LINE_MAX bytes,
 * a reply over SMTP_REPLY_MAX bytes or SMTP_LINES_MAX lines, a line that
 * is not "DDD", "DDD text" or "DDD-text", or lines of one reply with
 * different codes end the probe with the reason; a server that sends
 * slowly (a byte at a time) ends at its step's timeout.  A bare LF ends a
 * line as CRLF does (lenient: some servers send it).
 *
 * Nothing here checks the certificate: the handshake accepts any, and
 * tls/check.h judges the chain it kept.
 */
#ifndef AUTHZONE_TLS_SMTP_H
#define AUTHZONE_TLS_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#define SMTP_LINE_MAX	4096	/* RFC 5321 4.5.3.1.5 says 512 */
#define SMTP_REPLY_MAX	65536
#define SMTP_LINES_MAX	100

/* One reply as it is read */
typedef struct smtp_reply {
	int code;		/* 0 until the first line */
	size_t lines, bytes;
	char first[256];	/* the first line's text */
	bool starttls;		/* a line's text is the STARTTLS keyword
				 * (EHLO: RFC 3207 4) */
	bool done;
} smtp_reply_t;

/** Reads the complete lines of buf (len bytes) into r: the bytes used in
 * *used (a partial last line is left); 1 when the reply is complete, 0
 * when it needs more, -1 when it is malformed or over the bounds (why in
 * err). */
int smtp_reply_feed(smtp_reply_t *r, const char *buf, size_t len,
    size_t *used, char *err, size_t errlen);

/* The steps of a probe, in order */
typedef enum smtp_step {
	SMTP_CONNECT, SMTP_BANNER, SMTP_EHLO, SMTP_STARTTLS, SMTP_TLS,
	SMTP_DONE, SMTP_NSTEPS = SMTP_DONE,
} smtp_step_t;

extern const char *const smtp_step_names[SMTP_NSTEPS];

typedef struct smtp_probe {
	/* given */
	char host[256];		/* the MX name: SNI, and the name checked */
	char addr[64];		/* IPv4 or IPv6, numeric */
	unsigned port;
	/* found */
	smtp_step_t failed;	/* the step that failed, SMTP_DONE if none */
	char error[300];	/* why it failed */
	char banner[256];	/* the greeting's first line */
	bool starttls;		/* offered in the EHLO reply */
	char tls_version[16], cipher[64];
	STACK_OF(X509) *chain;	/* as the server sent it, leaf first */
	unsigned ms[SMTP_NSTEPS];	/* each step's time */
	/* the client's */
	smtp_step_t step;
	int fd;
	SSL *ssl;
	uint64_t began, due;	/* the step's start and end, ms */
	smtp_reply_t reply;
	char in[SMTP_LINE_MAX + 2];
	size_t nin;
	const char *out;	/* the command being sent */
	size_t nout;
} smtp_probe_t;

typedef struct smtp_options {
	const char *helo;	/* the EHLO name; NULL: the host's name */
	unsigned timeout_ms;	/* each step; 0: 10,000 */
	unsigned deadline_ms;	/* all of them; 0: none */
	unsigned max_open;	/* connections at once; 0: 64 */
} smtp_options_t;

/** Runs every probe *v[i] (host, addr and port set, the rest zeroed) to
 * its end; each says how far it got.  -1 when no TLS context can be
 * made (nothing run). */
int smtp_probe_run(smtp_probe_t *const *v, size_t n, const smtp_options_t *o);

/** Frees what a probe kept (its chain). */
void smtp_probe_clear(smtp_probe_t *p);

#endif
