#include "cli/spf_eval.h"

#include <stdlib.h>

#include "lint/spf_interp.h"

/* RFC 7208 9.1: Received-SPF: result (comment) key=value; ... */
void
cmd_spf_header(FILE *fp, const spf_outcome_t *o, const spf_request_t *q)
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

void
cmd_spf_eval_print(const cmd_opts_t *o, dns_resolver_t *r,
    const spf_outcome_t *out, const spf_request_t *q)
{
	if (o->json) {
		char *hdr = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&hdr, &len);

		if (mem) {
			cmd_spf_header(mem, out, q);
			fclose(mem);
		}
		if (len && hdr[len - 1] == '\n')
			hdr[len - 1] = '\0';
		json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, "
		    "s:i, s:i, s:o}",
		    "result", spf_result_str(out->result),
		    "identity", out->identity,
		    "domain", json_string(out->domain),
		    "mechanism", out->mechanism ? json_string(out->mechanism) :
		    json_null(),
		    "decided_by", out->decided_by ?
		    json_string(out->decided_by) : json_null(),
		    "explanation", out->explanation ?
		    json_string(out->explanation) : json_null(),
		    "problem", out->problem ? json_string(out->problem) :
		    json_null(),
		    "lookups", (int)out->lookups,
		    "void_lookups", (int)out->void_lookups,
		    "header", hdr ? json_string(hdr) : json_null());

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
		free(hdr);
	} else {
		printf("%s\n", spf_result_str(out->result));
		if (out->mechanism)
			printf("  decided by \"%s\" in %s\n", out->mechanism,
			    out->decided_by);
		else if (out->decided_by)
			printf("  no term matched in %s: the default\n",
			    out->decided_by);
		if (out->explanation)
			printf("  explanation: %s\n", out->explanation);
		if (out->problem)
			printf("  problem: %s\n", out->problem);
		printf("  lookups %u/%d, void %u/%d\n", out->lookups,
		    SPF_LOOKUP_LIMIT, out->void_lookups, SPF_VOID_LIMIT);
		cmd_spf_header(stdout, out, q);
	}
}
