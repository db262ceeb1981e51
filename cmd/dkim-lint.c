/* dkim-lint: check the DKIM key records of a domain's selectors. */
#include <stdlib.h>
#include <string.h>

#include "cli/reclint.h"
#include "lint/tagrec.h"
#include "zonegen/dkim.h"

enum { OPT_SELECTOR = OPT_TOOL_BASE, OPT_KEY };

/* the common options it implements */
#define ACCEPTS (CMD_LINTER)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dkim-lint [options] --selector S... DOMAIN\n");
	if (fp == stdout) {
		fputs("\nCheck the DKIM key record at S._domainkey.DOMAIN for "
		    "every selector S: its\nsyntax, its key (type, size, "
		    "encoding) and its flags.\n\n"
		    "      --selector S     a selector (repeatable, at least "
		    "one)\n"
		    "      --key FILE       check that the record is the public "
		    "half of this private\n"
		    "                       key (PEM, RSA or Ed25519; one "
		    "selector)\n", fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 clean, 1 errors (or warnings with "
		    "--strict), 2 usage,\n3 DNS failure.\n", fp);
	}
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "key", required_argument, NULL, OPT_KEY },
		CMD_COMMON_LONGOPTS
	};
	const char *sel[32];
	size_t nsel = 0;
	char domain[256], err[600];
	const char *keyfile = NULL;
	EVP_PKEY *key = NULL;
	cmd_opts_t o;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "dkim-lint", ACCEPTS);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == OPT_SELECTOR) {
			if (nsel == 32) {
				cmd_error(&o, "more than 32 selectors");
				return EXIT_USAGE;
			}
			if (!cmd_selector_ok(&o, optarg))
				return EXIT_USAGE;
			sel[nsel++] = optarg;
		} else if (c == OPT_KEY)
			keyfile = optarg;
		else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (argc - optind != 1 || nsel == 0 || (o.record && nsel > 1) ||
	    (keyfile && nsel > 1))
		usage(stderr, EXIT_USAGE);
	if (keyfile && (key = zg_dkim_key_load(keyfile, err,
	    sizeof(err))) == NULL) {
		cmd_error(&o, "--key: %s", err);
		return EXIT_USAGE;
	}
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);

	status = cmd_dkim_selectors(&o, r, domain, sel, nsel, key, keyfile);
	EVP_PKEY_free(key);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
