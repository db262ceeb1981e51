/* dkim-gen: a DKIM key pair and its TXT record, or the record of an
 * existing key, or a revocation. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/gen.h"
#include "lint/tagrec.h"
#include "zonegen/dkim.h"
#include "util/file.h"

enum { OPT_SELECTOR = OPT_TOOL_BASE, OPT_TYPE, OPT_BITS, OPT_KEY_OUT,
    OPT_FROM_KEY, OPT_REVOKE, OPT_H, OPT_S, OPT_T, OPT_N };

/* the common options it implements */
#define ACCEPTS (CMD_JSON | CMD_STRICT)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dkim-gen [options] --key-out FILE DOMAIN\n"
	    "       dkim-gen [options] --from-key FILE DOMAIN\n"
	    "       dkim-gen [options] --revoke SELECTOR DOMAIN\n");
	if (fp == stdout) {
		fputs("\nGenerate a DKIM key pair, write the private key, and "
		    "print the TXT record\nat SELECTOR._domainkey.DOMAIN.\n\n"
		    "      --selector NAME  default: s and this year and month, "
		    "e.g. s202611\n"
		    "      --type TYPE      rsa (default) or ed25519 (RFC "
		    "8463)\n"
		    "      --bits N         RSA size, 1024 to 4096 (default "
		    "2048)\n"
		    "      --key-out FILE   the private key, PEM, mode 0600; "
		    "never replaced\n"
		    "                       without --force\n"
		    "      --from-key FILE  the record of this existing private "
		    "key\n"
		    "      --revoke SELECTOR  the revocation record (p= "
		    "empty)\n"
		    "      --h ALGS         h=: hash algorithms, e.g. sha256\n"
		    "      --s TYPES        s=: service types, email or *\n"
		    "      --t FLAGS        t=: y (testing), s (strict) or y:s\n"
		    "      --n TEXT         n=: a note\n", fp);
		cmd_gen_help(fp, true);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 printed, 2 usage, bad value or a key "
		    "not written.\n", fp);
	}
	exit(status);
}

static bool
tag_value_ok(const char *s)
{
	/* tag-value of RFC 6376 3.2: visible ASCII but ';', no spaces at
	 * the ends */
	for (const char *p = s; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == ';')
			return false;
	return *s != '\0';
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "selector", required_argument, NULL, OPT_SELECTOR },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "bits", required_argument, NULL, OPT_BITS },
		{ "key-out", required_argument, NULL, OPT_KEY_OUT },
		{ "from-key", required_argument, NULL, OPT_FROM_KEY },
		{ "revoke", required_argument, NULL, OPT_REVOKE },
		{ "h", required_argument, NULL, OPT_H },
		{ "s", required_argument, NULL, OPT_S },
		{ "t", required_argument, NULL, OPT_T },
		{ "n", required_argument, NULL, OPT_N },
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	const char *selector = NULL, *key_out = NULL, *from = NULL,
	    *revoke = NULL, *h = NULL, *s = NULL, *t = NULL, *note = NULL;
	unsigned bits = 2048;
	bool ed25519 = false;
	char domain[256], owner[600], err[512], sel[32];
	cmd_opts_t o;
	gen_opts_t g;
	int c;

	cmd_opts_init(&o, "dkim-gen", ACCEPTS);
	cmd_gen_init(&g, true);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_SELECTOR:
		case OPT_REVOKE:
			if (!cmd_selector_ok(&o, optarg))
				return EXIT_USAGE;
			if (strpbrk(optarg, "\\ *")) {
				cmd_error(&o, "bad selector '%s'", optarg);
				return EXIT_USAGE;
			}
			*(c == OPT_REVOKE ? &revoke : &selector) = optarg;
			break;
		case OPT_TYPE:
			if (strcmp(optarg, "rsa") && strcmp(optarg, "ed25519")) {
				cmd_error(&o, "bad value '%s' for --type: want rsa "
				    "or ed25519", optarg);
				return EXIT_USAGE;
			}
			ed25519 = strcmp(optarg, "ed25519") == 0;
			break;
		case OPT_BITS:
			if (cmd_parse_uint(optarg, 1024, 4096, &bits) != 0) {
				cmd_error(&o, "bad value '%s' for --bits: want "
				    "1024 to 4096", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_KEY_OUT: key_out = optarg; break;
		case OPT_FROM_KEY: from = optarg; break;
		case OPT_H:
		case OPT_S:
		case OPT_N:
			if (!tag_value_ok(optarg)) {
				cmd_error(&o, "bad tag value '%s'", optarg);
				return EXIT_USAGE;
			}
			*(c == OPT_H ? &h : c == OPT_S ? &s : &note) = optarg;
			break;
		case OPT_T:
			if (strcmp(optarg, "y") && strcmp(optarg, "s") &&
			    strcmp(optarg, "y:s") && strcmp(optarg, "s:y")) {
				cmd_error(&o, "bad value '%s' for --t: want y, s "
				    "or y:s", optarg);
				return EXIT_USAGE;
			}
			t = optarg;
			break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1 || (!!key_out + !!from + !!revoke) != 1) {
		if (argc - optind == 1)
			cmd_error(&o, "give one of --key-out, --from-key and "
			    "--revoke");
		usage(stderr, EXIT_USAGE);
	}
	cmd_domain_arg(&o, argv[optind], domain);
	if (selector == NULL) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(sel, sizeof(sel), "s%Y%m", &tm);
		selector = revoke ? revoke : sel;
	} else if (revoke) {
		cmd_error(&o, "--revoke names the selector; --selector is not "
		    "needed");
		return EXIT_USAGE;
	}
	EVP_PKEY *key = NULL;
	char *p = NULL, rec[2048];

	if (from && (key = zg_dkim_key_load(from, err, sizeof(err))) == NULL) {
		cmd_error(&o, "%s", err);
		return EXIT_USAGE;
	}
	if (key_out) {
		char *pem;
		size_t len = 0;

		if ((key = zg_dkim_key_new(ed25519 ? 0 : bits)) == NULL ||
		    (pem = zg_dkim_key_pem(key, &len)) == NULL) {
			cmd_error(&o, "cannot generate the key");
			return EXIT_USAGE;
		}
		int rc = util_file_write(key_out, pem, len, 0600, g.force, err,
		    sizeof(err));

		OPENSSL_cleanse(pem, len);
		free(pem);
		if (rc != 0) {
			cmd_error(&o, "%s", err);
			EVP_PKEY_free(key);
			return EXIT_USAGE;
		}
	}
	if (key && (p = zg_dkim_public_b64(key)) == NULL) {
		cmd_error(&o, "cannot encode the public key");
		return EXIT_USAGE;
	}
	int n = snprintf(rec, sizeof(rec), "v=DKIM1;");
	if (key)
		n += snprintf(rec + n, sizeof(rec) - (size_t)n, " k=%s;",
		    zg_dkim_key_type(key));
	if (h)
		n += snprintf(rec + n, sizeof(rec) - (size_t)n, " h=%s;", h);
	if (s)
		n += snprintf(rec + n, sizeof(rec) - (size_t)n, " s=%s;", s);
	if (t)
		n += snprintf(rec + n, sizeof(rec) - (size_t)n, " t=%s;", t);
	if (note)
		n += snprintf(rec + n, sizeof(rec) - (size_t)n, " n=%s;", note);
	snprintf(rec + n, sizeof(rec) - (size_t)n, " p=%s", p ? p : "");
	char why[700] = "";

	if (key)
		snprintf(why, sizeof(why), "%s %d-bit key%s%s", zg_dkim_key_type(
		    key), EVP_PKEY_get_bits(key), key_out ? ", private key in " :
		    "", key_out ? key_out : "");
	snprintf(owner, sizeof(owner), "%s._domainkey.%s", selector, domain);
	zg_set_t set;

	zg_set_init(&set);
	zg_set_add(&set, owner, g.ttl, "TXT", rec, revoke ? "revoked: "
	    "signatures with this selector no longer verify" : why);
	lint_findings_t f;

	lint_findings_init(&f);
	dkim_record_check(rec, owner, &f);
	int status = cmd_gen_emit(&o, &g, &set, &f, NULL, rec,
	    json_pack("{s:s, s:s, s:s, s:o, s:o}", "domain", domain,
	    "selector", selector, "record", rec, "key_type", key ?
	    json_string(zg_dkim_key_type(key)) : json_null(), "key_bits", key ?
	    json_integer(EVP_PKEY_get_bits(key)) : json_null()));

	lint_findings_clear(&f);
	zg_set_clear(&set);
	free(p);
	EVP_PKEY_free(key);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
