/* tlsrpt-lint: check a domain's SMTP TLS reporting record (RFC 8460). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/reclint.h"
#include "lint/tagrec.h"
#include "lint/taglist.h"

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: tlsrpt-lint [options] DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the _smtp._tls record of DOMAIN: one record, "
		    "v=TLSRPTv1 first, the\nrua URIs, and that mailto: report "
		    "domains accept mail.\n\n", fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS failure.\n", fp);
	}
	exit(status);
}

/* every mailto: domain of rua must accept mail: MX, and not the null MX */
static int
report_domains(const cmd_opts_t *o, dns_resolver_t *r, const char *text,
    const char *owner, lint_findings_t *f)
{
	lint_taglist_t t;
	const lint_tag_t *rua;
	size_t at;
	int status = EXIT_CLEAN;

	lint_taglist_parse(text, strlen(text), &t, &at);
	if ((rua = lint_taglist_get(&t, "rua")) != NULL) {
		char list[1024], *save = NULL, norm[256];

		snprintf(list, sizeof(list), "%s", rua->value);
		for (char *u = strtok_r(list, ",", &save); u;
		    u = strtok_r(NULL, ",", &save)) {
			const char *at_sign = strchr(u, '@');

			if (strncasecmp(u, "mailto:", 7) || at_sign == NULL ||
			    dns_name_normalize(at_sign + 1, norm,
			    sizeof(norm)) != 0)
				continue;
			if (cmd_report_domain_check(o, r, norm,
			    &tlsrpt_codes[TR_RUA_NO_MX],
			    &tlsrpt_codes[TR_RUA_NULL_MX], owner,
			    (long)rua->value_offset, f) != EXIT_CLEAN)
				status = EXIT_DNS;
		}
	}
	lint_taglist_clear(&t);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = { CMD_COMMON_LONGOPTS };
	char domain[256], owner[300], **texts;
	const char *rec = NULL;
	size_t n, found = 0;
	lint_findings_t f;
	cmd_opts_t o;
	int c, status;

	cmd_opts_init(&o, "tlsrpt-lint");
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1)
		if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	if (argc - optind != 1)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	snprintf(owner, sizeof(owner), "_smtp._tls.%s", domain);
	dns_resolver_t *r = cmd_resolver(&o);

	if ((status = cmd_txt_fetch(&o, r, owner, &texts, &n)) != EXIT_CLEAN) {
		dns_resolver_free(r);
		return status;
	}
	lint_findings_init(&f);
	/* RFC 8460 3: records that do not start with v=TLSRPTv1 are not
	 * TLS-RPT records (a --record is checked whatever it starts with) */
	for (size_t i = 0; i < n; i++)
		if (o.record || strncmp(texts[i], "v=TLSRPTv1", 10) == 0) {
			if (found++ == 0)
				rec = texts[i];
		}
	if (found == 0)
		lint_findings_add(&f, &tlsrpt_codes[TR_NO_RECORD], owner, -1L,
		    owner);
	else if (found > 1)
		lint_findings_add(&f, &tlsrpt_codes[TR_MULTIPLE], owner, -1L,
		    found, owner);
	if (rec) {
		tlsrpt_record_check(rec, owner, &f);
		status = report_domains(&o, r, rec, owner, &f);
	}
	cmd_record_report(&o, r, domain, owner, rec, &f, NULL);
	if (status == EXIT_CLEAN)
		status = cmd_findings_status(&o, &f);
	lint_findings_clear(&f);
	cmd_texts_free(texts, n);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
