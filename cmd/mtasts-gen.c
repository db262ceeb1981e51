/* mtasts-gen: both halves of MTA-STS (RFC 8461): the policy file and the
 * _mta-sts record whose id follows the policy's content. */
#include <stdlib.h>
#include <string.h>

#include "cli/gen.h"
#include "lint/mtasts_policy.h"
#include "lint/tagrec.h"
#include "lint/uri.h"
#include "util/file.h"
#include "zonegen/records.h"

enum { OPT_MODE = OPT_TOOL_BASE, OPT_MX, OPT_MAX_AGE, OPT_POLICY_OUT,
    OPT_RUA };

#define MAX_MX 32

/* the common options it implements */
#define ACCEPTS (CMD_ZONE | CMD_DNS | CMD_JSON)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: mtasts-gen [options] [--mx PATTERN]... "
	    "[--policy-out FILE] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCompose the MTA-STS policy of DOMAIN and its _mta-sts "
		    "record, whose id is\nderived from the policy, so it "
		    "changes exactly when the policy does.\n\n"
		    "      --mode MODE      enforce, testing (default) or none\n"
		    "      --mx PATTERN     a mail host or *.domain (repeatable; "
		    "default: the\n"
		    "                       domain's MX records, from DNS or "
		    "--zone)\n"
		    "      --max-age SECONDS  default 604800, at most 31557600\n"
		    "      --policy-out FILE  write the policy there (CRLF), "
		    "whole or not at all\n"
		    "      --rua URI        also the TLS-RPT record, reports to "
		    "URI\n", fp);
		cmd_gen_help(fp, false);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 2 usage, bad value or a file "
		    "not written,\n3 the MX records could not be looked up.\n",
		    fp);
	}
	exit(status);
}

/* a pattern as the policy check accepts it, and written in lower case */
static bool
pattern_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return false;
	return mtasts_pattern_ok(s);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "mx", required_argument, NULL, OPT_MX },
		{ "max-age", required_argument, NULL, OPT_MAX_AGE },
		{ "policy-out", required_argument, NULL, OPT_POLICY_OUT },
		{ "rua", required_argument, NULL, OPT_RUA },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	const char *mode = "testing", *out = NULL, *rua = NULL;
	char mx[MAX_MX][256];
	size_t nmx = 0;
	unsigned max_age = 604800;
	char domain[256], owner[300], err[512];
	cmd_opts_t o;
	gen_opts_t g;
	int c;

	cmd_opts_init(&o, "mtasts-gen", ACCEPTS);
	cmd_gen_init(&g, false);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_MODE:
			if (strcmp(optarg, "enforce") && strcmp(optarg,
			    "testing") && strcmp(optarg, "none")) {
				cmd_error(&o, "bad value '%s' for --mode: want "
				    "enforce, testing or none", optarg);
				return EXIT_USAGE;
			}
			mode = optarg;
			break;
		case OPT_MX:
			if (!pattern_ok(optarg) || nmx == MAX_MX) {
				cmd_error(&o, "bad value '%s' for --mx: want a "
				    "lowercase host name or *.domain", optarg);
				return EXIT_USAGE;
			}
			snprintf(mx[nmx++], sizeof(mx[0]), "%s", optarg);
			break;
		case OPT_MAX_AGE:
			if (cmd_parse_uint(optarg, 0, 31557600, &max_age) != 0) {
				cmd_error(&o, "bad value '%s' for --max-age: want "
				    "seconds, at most 31557600", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_POLICY_OUT:
			out = optarg;
			break;
		case OPT_RUA:
			if (!lint_uri_report_ok(optarg, false)) {
				cmd_error(&o, "bad value '%s' for --rua", optarg);
				return EXIT_USAGE;
			}
			rua = optarg;
			break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);	/* --zone files checked */

	if (nmx == 0) {
		/* the domain's own MX hosts */
		const dns_answer_t *a = dns_resolver_get(r, domain,
		    LDNS_RR_TYPE_MX);

		if (dns_result_is_failure(a->result)) {
			cmd_error(&o, "looking up %s MX failed (%s)", domain,
			    dns_result_str(a->result));
			dns_resolver_free(r);
			return EXIT_DNS;
		}
		for (size_t i = 0; a->result == DNS_OK && nmx < MAX_MX &&
		    i < ldns_rr_list_rr_count(a->rrs); i++) {
			char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(a->rrs,
			    i), 1)), norm[256];

			if (s && util_name_normalize(s, norm, sizeof(norm)) == 0 &&
			    strcmp(norm, ".") != 0 && strchr(norm, '.'))
				snprintf(mx[nmx++], sizeof(mx[0]), "%s", norm);
			free(s);
		}
		if (nmx == 0) {
			cmd_error(&o, "%s has no MX record: give --mx", domain);
			dns_resolver_free(r);
			return EXIT_USAGE;
		}
	}
	/* the policy, CRLF line ends (RFC 8461 3.2), and its id */
	size_t plen = 0;
	char *policy = zg_mtasts_policy(mode, (const char (*)[256])mx, nmx,
	    max_age, &plen), *rec = NULL, id[21];

	if (policy == NULL || zg_mtasts_id(policy, plen, id) != 0 ||
	    (rec = zg_mtasts_record(id)) == NULL) {
		cmd_error(&o, "out of memory");
		return EXIT_USAGE;
	}
	if (out && util_file_write(out, policy, plen, 0644, true, err,
	    sizeof(err)) != 0) {
		cmd_error(&o, "%s", err);
		free(policy);
		free(rec);
		dns_resolver_free(r);
		return EXIT_USAGE;
	}
	zg_set_t set;
	char note[600];

	snprintf(note, sizeof(note), "serve the policy%s%s at "
	    "https://mta-sts.%s/.well-known/mta-sts.txt", out ? " in " : "",
	    out ? out : "", domain);
	snprintf(owner, sizeof(owner), "_mta-sts.%s", domain);
	zg_set_init(&set);
	zg_set_add(&set, owner, g.ttl, "TXT", rec, note);
	if (rua) {
		char *tls;

		snprintf(owner, sizeof(owner), "_smtp._tls.%s", domain);
		if ((tls = zg_tlsrpt_record(&rua, 1)) != NULL)
			zg_set_add(&set, owner, g.ttl, "TXT", tls, "TLS "
			    "reports (RFC 8460)");
		free(tls);
	}
	lint_findings_t f;

	lint_findings_init(&f);
	mtasts_record_check(rec, set.v[0].owner, &f);
	if (set.n > 1)
		tlsrpt_record_check(set.v[1].value, set.v[1].owner, &f);
	int status = cmd_gen_findings(&o, &g, &f, NULL, rec);

	if (status != EXIT_CLEAN && !g.force) {
		lint_findings_clear(&f);
		zg_set_clear(&set);
		free(policy);
		free(rec);
		dns_resolver_free(r);
		return cmd_finish(&o, status);
	}
	lint_findings_clear(&f);
	if (!out && g.format == GEN_ZONE)
		printf("; the policy, for https://mta-sts.%s/.well-known/"
		    "mta-sts.txt (CRLF line ends;\n; --policy-out writes it):\n",
		    domain);
	if (!out && g.format == GEN_ZONE)
		for (char *l = policy; *l; l = strchr(l, '\n') + 1)
			printf(";   %.*s\n", (int)strcspn(l, "\r"), l);
	cmd_gen_print(&g, &set, json_pack("{s:s, s:s, s:s, s:s}", "domain",
	    domain, "record", rec, "id", id, "policy", policy));
	zg_set_clear(&set);
	free(policy);
	free(rec);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
