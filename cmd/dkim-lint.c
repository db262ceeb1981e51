/* dkim-lint: check the DKIM key records of a domain's selectors. */
#include "cli/args.h"
#include "cli/reclint.h"
#include "zonegen/dkim.h"

struct args {
	const char *sel[32], *key;
	size_t nsel;
};

static const cmd_arg_t rows[] = {
	CMD_LIST("selector", struct args, sel, nsel, "S", cmd_is_name,
	    "a name's labels (at most 32)",
	    "a selector (repeatable, at least one)"),
	CMD_TEXT("key", struct args, key, "FILE", NULL, NULL, "check that the "
	    "record is the public half of this private\nkey (PEM, RSA or "
	    "Ed25519; one selector)"),
};

static const cmd_tool_t tool = {
	"dkim-lint", "dkim-lint [options] --selector S... DOMAIN", "Check the "
	"DKIM key record at S._domainkey.DOMAIN for every selector S: its\n"
	"syntax, its key (type, size, encoding) and its flags.", "Exit status: "
	"0 clean, 1 errors (or warnings with --strict), 2 usage,\n3 DNS "
	"failure.", CMD_LINTER, 0, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	struct args a = { .nsel = 0 };
	char domain[256], err[600];
	EVP_PKEY *key = NULL;
	cmd_opts_t o;
	dns_resolver_t *r;
	int i = cmd_args_parse(&tool, &a, &o, NULL, argc, argv), status;

	if (a.nsel == 0 || (a.nsel > 1 && (o.record || a.key)))
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	cmd_args_domain(&tool, &o, i, argc, argv, domain);
	if (a.key && (key = zg_dkim_key_load(a.key, err, sizeof(err))) ==
	    NULL) {
		cmd_error(&o, "--key: %s", err);
		return EXIT_USAGE;
	}
	r = cmd_resolver(&o);
	status = cmd_dkim_selectors(&o, r, domain, a.sel, a.nsel, key, a.key);
	EVP_PKEY_free(key);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
