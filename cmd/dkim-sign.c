/* dkim-sign: sign a test message with a DKIM key as dkim-gen writes it. */
#include <string.h>

#include "cli/args.h"
#include "cli/mail_verify.h"

static bool
canon_ok(const char *s)
{
	static const char *const ok[] = { "relaxed/relaxed", "relaxed/simple",
	    "simple/relaxed", "simple/simple", "relaxed", "simple" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	return false;
}

static bool
name_ok(const char *s)
{
	return cmd_is_name(s);
}

static const cmd_arg_t rows[] = {
	CMD_TEXT("key", dkim_sign_job_t, key, "FILE", NULL, NULL, "the private "
	    "key (PEM, RSA or Ed25519)"),
	CMD_TEXT("domain", dkim_sign_job_t, d, "DOMAIN", name_ok, "a domain "
	    "name", "the signing domain (d=)"),
	CMD_TEXT("selector", dkim_sign_job_t, s, "S", name_ok, "a selector",
	    "the selector (s=)"),
	CMD_TEXT("canon", dkim_sign_job_t, canon, "H/B", canon_ok,
	    "relaxed or simple, for header/body", "canonicalization (default "
	    "relaxed/relaxed)"),
	CMD_TEXT("headers", dkim_sign_job_t, headers, "LIST", NULL, NULL,
	    "the fields to sign, a:b:c (default: From, To,\nSubject, Date, "
	    "Message-ID, MIME fields, over-signed)"),
};

static const cmd_tool_t tool = {
	"dkim-sign", "dkim-sign [options] --key FILE --domain D --selector S "
	"MESSAGE|-", "Print MESSAGE with a DKIM-Signature field (RFC 6376; "
	"rsa-sha256, or\ned25519-sha256: RFC 8463) made with the key of FILE.",
	"Exit status: 0 signed, 2 usage, or a key or message that cannot be "
	"used.", CMD_JSON, 0, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	dkim_sign_job_t j = { .key = NULL };
	cmd_opts_t o;
	int i = cmd_args_parse(&tool, &j, &o, NULL, argc, argv), status;

	if (argc - i != 1 || !j.key || !j.d || !j.s)
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	status = cmd_dkim_sign(&o, &j, argv[i]);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
