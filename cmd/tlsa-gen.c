/* tlsa-gen: the TLSA records of a certificate or key, for DANE. */
#include <ctype.h>

#include "cli/args.h"
#include "cli/tlsa_gen.h"

/* a protocol label: letters, digits and '-', 15 at most */
static bool
proto_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-')
			return false;
	return n > 0 && n <= 15;
}

static const cmd_arg_t rows[] = {
	CMD_TEXT("cert", tlsa_gen_t, cert, "FILE", NULL, NULL, "the server's "
	    "certificate or chain (leaf first),\nits public or private key: "
	    "PEM or DER (- reads stdin)"),
	CMD_TEXT("next-key", tlsa_gen_t, next, "FILE", NULL, NULL, "a second "
	    "record, for the next key of a rollover"),
	CMD_CHOICE("usage", tlsa_gen_t, usage, "U",
	    "3|2|1|0|dane-ee|dane-ta|pkix-ee|pkix-ta", "3 DANE-EE (default; "
	    "the first certificate), 2 DANE-TA\n(the last one: the issuer), "
	    "1 PKIX-EE, 0 PKIX-TA"),
	CMD_CHOICE("selector", tlsa_gen_t, selector, "S", "1|0|spki|cert",
	    "1 the public key (default), 0 the whole certificate"),
	CMD_CHOICE("mtype", tlsa_gen_t, mtype, "M",
	    "1|2|0|sha256|sha512|full", "1 SHA-256 (default), 2 SHA-512, "
	    "0 the data itself"),
	CMD_UINT("port", tlsa_gen_t, port, "N", 1, 65535, "1 to 65535",
	    "the service's port (default 25)"),
	CMD_TEXT("proto", tlsa_gen_t, proto, "NAME", proto_ok, "a label of "
	    "letters, digits and '-'", "its protocol (default tcp)"),
};

static const cmd_tool_t tool = {
	"tlsa-gen", "tlsa-gen [options] --cert FILE HOST", "Print the TLSA "
	"records (RFC 6698, DANE for SMTP: RFC 7672) of a certificate\nor key "
	"at _PORT._PROTO.HOST, checked.", "Exit status: 0 printed, 1 the "
	"check found errors (nothing printed without\n--force), 2 usage or a "
	"file that holds no certificate or key.", CMD_JSON | CMD_STRICT,
	CMD_GEN_FORCE, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	tlsa_gen_t t = { .cert = NULL };
	char host[256];
	cmd_opts_t o;
	gen_opts_t g;
	int i = cmd_args_parse(&tool, &t, &o, &g, argc, argv), status;

	if (t.cert == NULL) {
		if (argc - i == 1)
			cmd_error(&o, "give --cert FILE");
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	}
	cmd_args_domain(&tool, &o, i, argc, argv, host);
	status = cmd_tlsa_gen(&o, &g, host, &t);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
