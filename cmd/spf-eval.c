/* spf-eval: evaluate SPF for an address, a sender and a HELO name as a
 * receiver does (RFC 7208 check_host). */
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "lint/spf_eval.h"
#include "lint/spf_interp.h"

enum {
	OPT_IP = OPT_TOOL_BASE, OPT_SENDER, OPT_HELO, OPT_RECEIVER,
	OPT_NO_PREFETCH,
};

/* the common options it implements */
#define ACCEPTS (CMD_RECORD | CMD_ZONE | CMD_DNS | CMD_JSON)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: spf-eval [options] --ip ADDR --sender ADDRESS "
	    "[--helo NAME]\n"
	    "       spf-eval [options] --ip ADDR --helo NAME\n");
	if (fp == stdout) {
		fputs("\nEvaluate SPF as a receiver does (RFC 7208 check_host) "
		    "and print the result,\nthe term that decided, the "
		    "explanation of a fail and a Received-SPF header.\n\n"
		    "      --ip ADDR        the client's IPv4 or IPv6 address\n"
		    "      --sender ADDR    the MAIL FROM address (empty: the "
		    "HELO identity)\n"
		    "      --helo NAME      the HELO/EHLO name\n"
		    "      --receiver NAME  this host's name, for %{r} and the "
		    "header\n"
		    "      --no-prefetch    ask one query at a time, in the order "
		    "of evaluation\n", fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 a result was reached (whatever it is), "
		    "2 usage error.\n", fp);
	}
	exit(status);
}

/* RFC 7208 9.1: Received-SPF: result (comment) key=value; ... */
static void
header(FILE *fp, const spf_outcome_t *o, const spf_request_t *q)
{
	const char *who = q->sender && *q->sender ? q->sender : q->helo;
	const char *rcv = q->receiver ? q->receiver : "unknown";

	fprintf(fp, "Received-SPF: %s (%s: ", spf_result_str(o->result), rcv);
	switch (o->result) {
	case SPF_RESULT_PASS:
		fprintf(fp, "domain of %s designates %s as permitted sender)",
		    who, q->ip);
		break;
	case SPF_RESULT_FAIL:
	case SPF_RESULT_SOFTFAIL:
		fprintf(fp, "domain of %s does not designate %s as permitted "
		    "sender)", who, q->ip);
		break;
	case SPF_RESULT_NEUTRAL:
		fprintf(fp, "%s is neither permitted nor denied by domain of "
		    "%s)", q->ip, who);
		break;
	case SPF_RESULT_NONE:
		fprintf(fp, "domain of %s does not publish SPF)", who);
		break;
	default:
		fprintf(fp, "error in processing during lookup of %s)", who);
		break;
	}
	fprintf(fp, " client-ip=%s;", q->ip);
	if (q->sender && *q->sender)
		fprintf(fp, " envelope-from=\"%s\";", q->sender);
	if (q->helo)
		fprintf(fp, " helo=%s;", q->helo);
	fprintf(fp, " receiver=%s; identity=%s;", rcv, o->identity);
	if (o->mechanism)
		fprintf(fp, " mechanism=\"%s\";", o->mechanism);
	if (o->problem)
		fprintf(fp, " problem=\"%s\";", o->problem);
	fputc('\n', fp);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ip", required_argument, NULL, OPT_IP },
		{ "sender", required_argument, NULL, OPT_SENDER },
		{ "helo", required_argument, NULL, OPT_HELO },
		{ "receiver", required_argument, NULL, OPT_RECEIVER },
		{ "no-prefetch", no_argument, NULL, OPT_NO_PREFETCH },
		CMD_COMMON_LONGOPTS
	};
	spf_request_t q = { 0 };
	bool prefetch = true;
	spf_outcome_t out;
	cmd_opts_t o;
	dns_resolver_t *r;
	int c;

	cmd_opts_init(&o, "spf-eval", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_IP: q.ip = optarg; break;
		case OPT_SENDER: q.sender = optarg; break;
		case OPT_HELO: q.helo = optarg; break;
		case OPT_RECEIVER: q.receiver = optarg; break;
		case OPT_NO_PREFETCH: prefetch = false; break;
		default:
			if (!cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (optind != argc || q.ip == NULL ||
	    ((q.sender == NULL || *q.sender == '\0') && q.helo == NULL))
		usage(stderr, EXIT_USAGE);
	q.record = o.record;
	r = cmd_resolver(&o);
	q.ahead = prefetch;
	if (spf_eval_run(&out, r, &q) != 0) {
		cmd_error(&o, "'%s' is not an IPv4 or IPv6 address", q.ip);
		dns_resolver_free(r);
		return EXIT_USAGE;
	}
	if (o.json) {
		char *hdr = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&hdr, &len);

		if (mem) {
			header(mem, &out, &q);
			fclose(mem);
		}
		if (len && hdr[len - 1] == '\n')
			hdr[len - 1] = '\0';
		json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, "
		    "s:i, s:i, s:o}",
		    "result", spf_result_str(out.result),
		    "identity", out.identity,
		    "domain", json_string(out.domain),
		    "mechanism", out.mechanism ? json_string(out.mechanism) :
		    json_null(),
		    "decided_by", out.decided_by ? json_string(out.decided_by) :
		    json_null(),
		    "explanation", out.explanation ?
		    json_string(out.explanation) : json_null(),
		    "problem", out.problem ? json_string(out.problem) :
		    json_null(),
		    "lookups", (int)out.lookups,
		    "void_lookups", (int)out.void_lookups,
		    "header", hdr ? json_string(hdr) : json_null());

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
		free(hdr);
	} else {
		printf("%s\n", spf_result_str(out.result));
		if (out.mechanism)
			printf("  decided by \"%s\" in %s\n", out.mechanism,
			    out.decided_by);
		else if (out.decided_by)
			printf("  no term matched in %s: the default\n",
			    out.decided_by);
		if (out.explanation)
			printf("  explanation: %s\n", out.explanation);
		if (out.problem)
			printf("  problem: %s\n", out.problem);
		printf("  lookups %u/%d, void %u/%d\n", out.lookups,
		    SPF_LOOKUP_LIMIT, out.void_lookups, SPF_VOID_LIMIT);
		header(stdout, &out, &q);
	}
	spf_outcome_clear(&out);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, EXIT_CLEAN);
}
