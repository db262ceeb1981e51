/* mtasts-lint: check both halves of MTA-STS (RFC 8461), the _mta-sts
 * record and the policy served over HTTPS, and that the policy covers
 * every MX host. */
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/mx_tls.h"
#include "cli/reclint.h"
#include "util/file.h"

struct args {
	const char *policy;
	bool no_connect;
	const char *smtp_port;
};

static const cmd_arg_t rows[] = {
	CMD_TEXT("policy", struct args, policy, "FILE", NULL, NULL,
	    "read the policy from FILE instead"),
	CMD_FLAG("no-connect", struct args, no_connect, "do not connect to "
	    "the MX hosts the policy covers to\ncheck their certificates"),
	CMD_UINT("smtp-port", struct args, smtp_port, "N", 1, 65535,
	    "1 to 65535", "their SMTP port (default 25)"),
};

static cmd_https_t https;

static const cmd_tool_t tool = {
	"mtasts-lint", "mtasts-lint [options] DOMAIN", "Check the _mta-sts "
	"record of DOMAIN, the policy at https://mta-sts.DOMAIN/\n.well-known/"
	"mta-sts.txt (the certificate verified, no redirect followed,\n"
	"text/plain), that its mx patterns cover every MX host, and that "
	"each MX\nhost they cover offers STARTTLS with a certificate that "
	"chains and names it.",
	"Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage,"
	"\n3 DNS or network failure.", CMD_LINTER, 0, rows, CMD_NARGS(rows),
	&https,
};

int
main(int argc, char **argv)
{
	struct args a = { .policy = NULL };
	mtasts_source_t src = { 0 };
	char domain[256], *policy = NULL;
	const char *text;
	size_t plen;
	mtasts_policy_t pol;
	lint_report_t rp;
	cmd_opts_t o;
	int i = cmd_args_parse(&tool, &a, &o, NULL, argc, argv), status;

	cmd_args_domain(&tool, &o, i, argc, argv, domain);
	if (a.policy) {
		char err[600];

		if ((policy = util_file_read(a.policy, 65536, &src.len, NULL,
		    err, sizeof(err))) == NULL) {
			cmd_error(&o, "%s", err);
			return EXIT_USAGE;
		}
		src.text = policy;
	}
	dns_resolver_t *r = cmd_resolver(&o);

	src.https = cmd_https_options(&o, &https, r);
	lint_report_init(&rp);
	memset(&pol, 0, sizeof(pol));
	mtasts_domain_check(r, domain, o.record, &src, true, &rp, &pol);
	text = mtasts_source_policy(&src, &plen);
	/* what senders that honour the policy meet at the hosts it covers */
	if (text && !a.no_connect && !o.offline && pol.nmx &&
	    (strcmp(pol.mode, "enforce") == 0 || strcmp(pol.mode, "testing") ==
	    0) && cmd_sts_certs(&o, r, domain, (const char *const *)pol.mx,
	    pol.nmx, strcmp(pol.mode, "enforce") == 0, https.ho.ca_pem,
	    https.ho.ca_len, a.smtp_port ? (unsigned)atoi(a.smtp_port) : 25,
	    &rp.f) != 0)
		return EXIT_USAGE;
	cmd_record_report(&o, r, domain, &rp, json_pack("{s:s, s:o, s:o}",
	    "policy_url", src.url, "policy", text ? json_stringn(text, plen) :
	    json_null(), "mode", pol.mode[0] ? json_string(pol.mode) :
	    json_null()));
	if (!o.json && text)
		printf("\n%s\n  %s%s\n", src.url, pol.mode[0] ? "mode: " : "",
		    pol.mode);
	status = cmd_report_status(&o, &rp);
	mtasts_policy_clear(&pol);
	mtasts_source_clear(&src);
	free(policy);
	lint_report_clear(&rp);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
