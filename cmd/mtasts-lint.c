/* mtasts-lint: check both halves of MTA-STS (RFC 8461), the _mta-sts
 * record and the policy served over HTTPS, and that the policy covers
 * every MX host. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/reclint.h"
#include "dns/https.h"
#include "lint/mtasts_policy.h"
#include "lint/tagrec.h"

enum { OPT_POLICY = OPT_TOOL_BASE, OPT_CA_FILE, OPT_CONNECT_TO };

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: mtasts-lint [options] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the _mta-sts record of DOMAIN, the policy at "
		    "https://mta-sts.DOMAIN/\n.well-known/mta-sts.txt (the "
		    "certificate verified, no redirect followed,\ntext/plain), "
		    "and that its mx patterns cover every MX host.\n\n"
		    "      --policy FILE    read the policy from FILE instead\n"
		    "      --ca-file FILE   trust these CA certificates instead "
		    "of the system's\n"
		    "      --connect-to HOST:PORT:CHOST:CPORT  connect there "
		    "instead (repeatable)\n", fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS or network failure.\n", fp);
	}
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "ca-file", required_argument, NULL, OPT_CA_FILE },
		{ "connect-to", required_argument, NULL, OPT_CONNECT_TO },
		CMD_COMMON_LONGOPTS
	};
	const char *policy_file = NULL, *connect[8];
	https_options_t ho = { .connect_to = connect };
	char domain[256], owner[300], url[400], tls[300], **texts;
	const char *rec = NULL;
	char *policy = NULL;
	size_t n, found = 0, plen = 0;
	mtasts_policy_t pol;
	lint_findings_t f;
	cmd_opts_t o;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "mtasts-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_POLICY: policy_file = optarg; break;
		case OPT_CA_FILE: ho.ca_file = optarg; break;
		case OPT_CONNECT_TO:
			if (ho.nconnect == 8)
				usage(stderr, EXIT_USAGE);
			connect[ho.nconnect++] = optarg;
			break;
		default:
			if (!cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	ho.timeout_ms = o.timeout_ms * (o.retries + 1);
	snprintf(owner, sizeof(owner), "_mta-sts.%s", domain);
	snprintf(url, sizeof(url), "https://mta-sts.%s/.well-known/mta-sts.txt",
	    domain);
	dns_resolver_t *r = cmd_resolver(&o);

	if ((status = cmd_txt_fetch(&o, r, owner, &texts, &n)) != EXIT_CLEAN) {
		dns_resolver_free(r);
		return status;
	}
	lint_findings_init(&f);
	memset(&pol, 0, sizeof(pol));
	for (size_t i = 0; i < n; i++)
		if ((o.record || strncmp(texts[i], "v=STSv1", 7) == 0) &&
		    found++ == 0)
			rec = texts[i];
	if (found == 0)
		lint_findings_add(&f, &mtasts_codes[TR_NO_RECORD], owner, -1L,
		    owner);
	else if (found > 1)
		lint_findings_add(&f, &mtasts_codes[TR_MULTIPLE], owner, -1L,
		    found, owner);
	if (rec)
		mtasts_record_check(rec, owner, &f);
	/* the policy */
	if (policy_file) {
		FILE *fp = fopen(policy_file, "r");

		if (fp == NULL) {
			cmd_error(&o, "cannot read %s: %s", policy_file,
			    strerror(errno));
			status = EXIT_USAGE;
			goto out;
		}
		policy = malloc(65537);
		plen = policy ? fread(policy, 1, 65536, fp) : 0;
		fclose(fp);
	} else {
		https_result_t h;

		switch (https_get(url, &ho, &h)) {
		case HTTPS_OK:
			if (h.code >= 300 && h.code < 400)
				lint_findings_add(&f,
				    &mtasts_policy_codes[MP_REDIRECT], url, -1L,
				    h.code, h.location ? h.location : "?");
			else if (h.code != 200)
				lint_findings_add(&f, &mtasts_policy_codes[MP_HTTP],
				    url, -1L, h.code);
			else {
				if (h.content_type == NULL ||
				    strncasecmp(h.content_type, "text/plain", 10))
					lint_findings_add(&f,
					    &mtasts_policy_codes[MP_CONTENT_TYPE],
					    url, -1L, h.content_type ?
					    h.content_type : "(none)");
				policy = h.body;
				plen = h.len;
				h.body = NULL;
			}
			break;
		case HTTPS_TLS:
			lint_findings_add(&f, &mtasts_policy_codes[MP_TLS], url,
			    -1L, h.error);
			break;
		case HTTPS_NET:
			lint_findings_add(&f, &mtasts_policy_codes[MP_FETCH], url,
			    -1L, url, h.error);
			break;
		}
		https_result_clear(&h);
	}
	if (policy) {
		const dns_answer_t *a;
		const char *hosts[32];
		char names[32][256];
		size_t nh = 0;

		mtasts_policy_check(policy, plen, url, &pol, &f);
		a = dns_resolver_get(r, domain, LDNS_RR_TYPE_MX);
		if (dns_result_is_failure(a->result)) {
			fprintf(stderr, "mtasts-lint: %s MX: %s\n", domain,
			    dns_result_str(a->result));
			status = EXIT_DNS;
		}
		for (size_t i = 0; a->result == DNS_OK && nh < 32 &&
		    i < ldns_rr_list_rr_count(a->rrs); i++) {
			char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs,
			    i), 1));

			if (s && dns_name_normalize(s, names[nh],
			    sizeof(names[nh])) == 0 && strchr(names[nh], '.')) {
				hosts[nh] = names[nh];
				nh++;
			}
			free(s);
		}
		mtasts_policy_cover(&pol, hosts, nh, url, &f);
	}
	snprintf(tls, sizeof(tls), "_smtp._tls.%s", domain);
	const dns_answer_t *t = dns_resolver_get(r, tls, LDNS_RR_TYPE_TXT);

	if (dns_result_is_void(t->result))
		lint_findings_add(&f, &mtasts_policy_codes[MP_NO_TLSRPT], tls,
		    -1L, tls);
	cmd_record_report(&o, r, domain, owner, rec, &f, json_pack("{s:s, s:o, "
	    "s:o}", "policy_url", url, "policy", policy ?
	    json_stringn(policy, plen) : json_null(), "mode", pol.mode[0] ?
	    json_string(pol.mode) : json_null()));
	if (!o.json) {
		if (policy)
			printf("\n%s\n  %s%s\n", url, pol.mode[0] ? "mode: " : "",
			    pol.mode);
	}
	if (status == EXIT_CLEAN)
		status = cmd_findings_status(&o, &f);
out:
	mtasts_policy_clear(&pol);
	free(policy);
	lint_findings_clear(&f);
	cmd_texts_free(texts, n);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
