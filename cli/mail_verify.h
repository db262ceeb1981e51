/* mail-verify's and dkim-sign's work: a message read (a file or -),
 * evaluated or signed, printed. */
#ifndef AUTHZONE_CLI_MAIL_VERIFY_H
#define AUTHZONE_CLI_MAIL_VERIFY_H

#include "cli/common.h"

typedef struct mail_verify_job {
	const char *ip, *helo, *sender, *received_by;
	bool header;		/* --header: one Authentication-Results field */
	const char *authserv;	/* --authserv-id */
	const char *batch;	/* --batch DIR: every message of a Maildir or
				 * a directory, a JSON line each */
	const char *mbox;	/* --mbox FILE: every message of an mbox */
} mail_verify_job_t;

typedef struct dkim_sign_job {
	const char *key;	/* --key FILE */
	const char *d, *s;	/* -d, -s */
	const char *canon;	/* --canon H/B */
	const char *headers;	/* --headers a:b:c */
} dkim_sign_job_t;

/** Evaluates the message at path; 0 when evaluated, 2 when it cannot be
 * read or is refused, 3 when DNS failed. */
int cmd_mail_verify(const cmd_opts_t *o, const mail_verify_job_t *j,
    const char *path);
/** --batch and --mbox: every message evaluated over one resolver (a
 * key is asked once), a JSON line each and a summary on stderr; 2 when
 * the input cannot be read, 3 when DNS failed for one, else 0. */
int cmd_mail_verify_batch(const cmd_opts_t *o, const mail_verify_job_t *j);
/** Prints the message at path with its new DKIM-Signature first; 2 when
 * the key or the message cannot be used. */
int cmd_dkim_sign(const cmd_opts_t *o, const dkim_sign_job_t *j,
    const char *path);

#endif
