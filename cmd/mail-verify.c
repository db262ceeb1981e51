/* mail-verify: what a receiver makes of a message: DKIM, SPF, DMARC. */
#include "cli/args.h"
#include "cli/mail_verify.h"

static const cmd_arg_t rows[] = {
	CMD_TEXT("ip", mail_verify_job_t, ip, "ADDR", NULL, NULL, "the SMTP "
	    "client's address (for SPF)"),
	CMD_TEXT("helo", mail_verify_job_t, helo, "NAME", NULL, NULL, "its "
	    "HELO name"),
	CMD_TEXT("sender", mail_verify_job_t, sender, "ADDR", NULL, NULL,
	    "the MAIL FROM address (default: Return-Path:)"),
	CMD_TEXT("received-by", mail_verify_job_t, received_by, "HOST", NULL,
	    NULL, "take the client and HELO from the Received:\nfield HOST "
	    "wrote"),
	CMD_FLAG("header", mail_verify_job_t, header, "print one "
	    "Authentication-Results field (RFC 8601)"),
	CMD_TEXT("authserv-id", mail_verify_job_t, authserv, "NAME", NULL, NULL,
	    "its authserv-id (default authzone)"),
	CMD_TEXT("batch", mail_verify_job_t, batch, "DIR", NULL, NULL, "every "
	    "message of a Maildir (cur/, new/) or a\ndirectory, a JSON line "
	    "each, keys asked once"),
	CMD_TEXT("mbox", mail_verify_job_t, mbox, "FILE", NULL, NULL, "every "
	    "message of an mbox, the same way"),
};

static const cmd_tool_t tool = {
	"mail-verify", "mail-verify [options] MESSAGE|-\nmail-verify [options] "
	"--batch DIR | --mbox FILE", "Say what a "
	"receiver makes of MESSAGE: each DKIM signature verified (RFC 6376,\n"
	"RFC 8463), SPF for the client given or found in Received: (RFC "
	"7208), and\nDMARC (RFC 9989): the From domain's policy, alignment, "
	"the disposition.",
	"Exit status: 0 evaluated (whatever the results), 2 usage or a "
	"message\nthat cannot be read, 3 a DNS failure.", CMD_DNS | CMD_ZONE |
	CMD_JSON, 0, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	mail_verify_job_t j = { .ip = NULL };
	cmd_opts_t o;
	int i = cmd_args_parse(&tool, &j, &o, NULL, argc, argv), status;

	if ((j.batch || j.mbox) ? argc != i || (j.batch && j.mbox) :
	    argc - i != 1)
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	status = j.batch || j.mbox ? cmd_mail_verify_batch(&o, &j) :
	    cmd_mail_verify(&o, &j, argv[i]);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
