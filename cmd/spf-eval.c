/* spf-eval: evaluate SPF for an address, a sender and a HELO name as a
 * receiver does (RFC 7208 check_host). */
#include "cli/args.h"
#include "cli/spf_eval.h"

struct args {
	spf_request_t q;
	bool no_prefetch;
};

static const cmd_arg_t rows[] = {
	CMD_TEXT("ip", struct args, q.ip, "ADDR", NULL, NULL,
	    "the client's IPv4 or IPv6 address"),
	CMD_TEXT("sender", struct args, q.sender, "ADDR", NULL, NULL,
	    "the MAIL FROM address (empty: the HELO identity)"),
	CMD_TEXT("helo", struct args, q.helo, "NAME", NULL, NULL,
	    "the HELO/EHLO name"),
	CMD_TEXT("receiver", struct args, q.receiver, "NAME", NULL, NULL,
	    "this host's name, for %{r} and the header"),
	CMD_FLAG("no-prefetch", struct args, no_prefetch,
	    "ask one query at a time, in the order of evaluation"),
};

static const cmd_tool_t tool = {
	"spf-eval", "spf-eval [options] --ip ADDR --sender ADDRESS [--helo "
	"NAME]\nspf-eval [options] --ip ADDR --helo NAME", "Evaluate SPF as a "
	"receiver does (RFC 7208 check_host) and print the result,\nthe term "
	"that decided, the explanation of a fail and a Received-SPF header.",
	"Exit status: 0 a result was reached (whatever it is), 2 usage error.",
	CMD_RECORD | CMD_ZONE | CMD_DNS | CMD_JSON, 0, rows, CMD_NARGS(rows),
	NULL,
};

int
main(int argc, char **argv)
{
	struct args a = { .no_prefetch = false };
	spf_outcome_t out;
	cmd_opts_t o;
	dns_resolver_t *r;
	int i = cmd_args_parse(&tool, &a, &o, NULL, argc, argv);

	if (i != argc || a.q.ip == NULL || ((a.q.sender == NULL ||
	    *a.q.sender == '\0') && a.q.helo == NULL))
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	a.q.record = o.record;
	a.q.ahead = !a.no_prefetch;
	r = cmd_resolver(&o);
	if (spf_eval_run(&out, r, &a.q) != 0) {
		cmd_error(&o, "'%s' is not an IPv4 or IPv6 address", a.q.ip);
		dns_resolver_free(r);
		return EXIT_USAGE;
	}
	cmd_spf_eval_print(&o, r, &out, &a.q);
	spf_outcome_clear(&out);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, EXIT_CLEAN);
}
