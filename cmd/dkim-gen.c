/* dkim-gen: a DKIM key pair and its TXT record, or the record of an
 * existing key, or a revocation. */
#include <string.h>

#include "cli/args.h"
#include "cli/dkim_gen.h"

/* tag-value of RFC 6376 3.2: visible ASCII but ';', no spaces at the ends */
static bool
tag_value_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == ';')
			return false;
	return *s != '\0';
}

#define SEL	"a name's labels"
#define TAG	"visible ASCII but ';'"

static const cmd_arg_t rows[] = {
	CMD_TEXT("selector", dkim_gen_t, selector, "NAME", cmd_is_selector,
	    SEL, "default: s and this year and month, e.g. s202611"),
	CMD_CHOICE("type", dkim_gen_t, type, "TYPE", "rsa|ed25519",
	    "rsa (default) or ed25519 (RFC 8463)"),
	CMD_UINT("bits", dkim_gen_t, bits, "N", 1024, 4096, "1024 to 4096",
	    "RSA size, 1024 to 4096 (default 2048)"),
	CMD_TEXT("key-out", dkim_gen_t, key_out, "FILE", NULL, NULL, "the "
	    "private key, PEM, mode 0600; never replaced\nwithout --force"),
	CMD_TEXT("from-key", dkim_gen_t, from, "FILE", NULL, NULL,
	    "the record of this existing private key"),
	CMD_TEXT("revoke", dkim_gen_t, revoke, "SELECTOR", cmd_is_selector,
	    SEL, "the revocation record (p= empty)"),
	CMD_TEXT("h", dkim_gen_t, h, "ALGS", tag_value_ok, TAG,
	    "h=: hash algorithms, e.g. sha256"),
	CMD_TEXT("s", dkim_gen_t, s, "TYPES", tag_value_ok, TAG,
	    "s=: service types, email or *"),
	CMD_CHOICE("t", dkim_gen_t, t, "FLAGS", "y|s|y:s|s:y",
	    "t=: y (testing), s (strict) or y:s"),
	CMD_TEXT("n", dkim_gen_t, n, "TEXT", tag_value_ok, TAG, "n=: a note"),
};

static const cmd_tool_t tool = {
	"dkim-gen", "dkim-gen [options] --key-out FILE DOMAIN\n"
	"dkim-gen [options] --from-key FILE DOMAIN\n"
	"dkim-gen [options] --revoke SELECTOR DOMAIN", "Generate a DKIM key "
	"pair, write the private key, and print the TXT record\nat "
	"SELECTOR._domainkey.DOMAIN.", "Exit status: 0 printed, 2 usage, bad "
	"value or a key not written.", CMD_JSON | CMD_STRICT, CMD_GEN_FORCE,
	rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	dkim_gen_t d = { .selector = NULL };
	char domain[256];
	cmd_opts_t o;
	gen_opts_t g;
	int i = cmd_args_parse(&tool, &d, &o, &g, argc, argv), status;

	if (argc - i != 1 || (!!d.key_out + !!d.from + !!d.revoke) != 1) {
		if (argc - i == 1)
			cmd_error(&o, "give one of --key-out, --from-key and "
			    "--revoke");
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	}
	if (d.selector && d.revoke) {
		cmd_error(&o, "--revoke names the selector; --selector is not "
		    "needed");
		return EXIT_USAGE;
	}
	cmd_domain_arg(&o, argv[i], domain);
	status = cmd_dkim_gen(&o, &g, domain, &d);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
