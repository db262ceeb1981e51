/* mx-tls: what a sending MTA meets at each MX: STARTTLS, the TLS version,
 * the certificate and the DANE records. */
#include "cli/args.h"
#include "cli/mx_tls.h"

static bool
digits(const char *s)
{
	unsigned v;

	return cmd_parse_uint(s, 1, 4000000000u, &v) == 0;
}

static const cmd_arg_t rows[] = {
	CMD_TEXT("host", mx_tls_job_t, host, "HOST", NULL, NULL, "probe this "
	    "host, not the domain's MX hosts"),
	CMD_UINT("port", mx_tls_job_t, port, "N", 1, 65535, "1 to 65535",
	    "the SMTP port (default 25; TLSA at _N._tcp.HOST)"),
	CMD_TEXT("helo", mx_tls_job_t, helo, "NAME", NULL, NULL, "the name "
	    "to say EHLO with (default authzone.invalid)"),
	CMD_TEXT("ca-file", mx_tls_job_t, ca_file, "FILE", NULL, NULL, "trust "
	    "these CAs, not the system's"),
	CMD_UINT("expiry-warn", mx_tls_job_t, expiry, "DAYS", 0, 3650,
	    "0 to 3650", "warn when a certificate expires within\nDAYS "
	    "(default 14)"),
	CMD_TEXT("next-key", mx_tls_job_t, next_key, "FILE", NULL, NULL,
	    "the key of a rollover: a TLSA record must match it too"),
	CMD_TEXT("trust-anchor", mx_tls_job_t, trust_anchor, "FILE", NULL,
	    NULL, "validate TLSA records here from the DS or DNSKEY\n"
	    "records of FILE, not by the AD bit"),
	CMD_TEXT("smtp-timeout", mx_tls_job_t, smtp_timeout, "MS", digits,
	    "a number of milliseconds", "each SMTP step's timeout (default "
	    "10000)"),
	CMD_UINT("concurrency", mx_tls_job_t, concurrency, "N", 1, 1024,
	    "1 to 1024", "at most N connections at once (default 64)"),
	CMD_TEXT("batch", mx_tls_job_t, batch, "FILE", NULL, NULL, "the "
	    "domains of FILE, one per line (- for stdin)"),
};

static const cmd_tool_t tool = {
	"mx-tls", "mx-tls [options] DOMAIN...\nmx-tls [options] --batch FILE",
	"Connect to every MX host of each DOMAIN (every address), as a "
	"sending MTA\ndoes: the banner, EHLO, STARTTLS, the TLS handshake; "
	"judge the TLS version,\nthe certificate (chain, expiry, the MX "
	"name: RFC 7817, RFC 8461) and the\nDANE records at _25._tcp.MX "
	"(RFC 7672): DNSSEC-validated (the AD bit of a\nvalidating resolver "
	"given with --server, or here from --trust-anchor),\nusable, "
	"matching the chain.",
	"Exit status: 0 no error, 1 errors (or warnings, with --strict), 2 "
	"usage,\n3 a DNS lookup failed.", CMD_DNS | CMD_ZONE | CMD_JSON |
	CMD_STRICT, 0, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	mx_tls_job_t j = { .host = NULL };
	cmd_opts_t o;
	int i = cmd_args_parse(&tool, &j, &o, NULL, argc, argv), status;

	if ((i == argc) == (j.batch == NULL))
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	status = cmd_mx_tls(&o, &j, argv + i, argc - i);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
