/* spf-gen: compose an SPF record from options, check it with spf-lint's
 * code, and print it with its lookup count. */
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "zonegen/spf.h"

struct args {
	zg_spf_term_t terms[256];
	size_t n;
	const char *redirect, *exp, *all;
	bool null;
};

/* --ip4, --ip6, --a, --mx, --include, --exists: terms in the order given;
 * --redirect, --exp.  Each value checked by parsing the term it makes. */
static const char *
term(void *opts, const char *name, const char *v)
{
	static char why[700], msg[600];
	struct args *a = opts;
	bool mod = strcmp(name, "redirect") == 0 || !strcmp(name, "exp");
	spf_kind_t k = SPF_ALL;

	if (mod)
		*(name[0] == 'e' ? &a->exp : &a->redirect) = v;
	else if (a->n == sizeof(a->terms) / sizeof(a->terms[0]))
		return "more than 256 terms";
	else {
		while (strcmp(spf_kind_str(k), name) != 0)
			k++;
		a->terms[a->n++] = (zg_spf_term_t){ k, v };
	}
	if (spf_term_check(name, v, mod, msg, sizeof(msg)) == 0)
		return NULL;
	snprintf(why, sizeof(why), "bad value for --%s: %s", name, msg);
	return why;
}

#define REP	" (repeatable)"
static const cmd_arg_t rows[] = {
	CMD_CALL("ip4", "NET", term, "an address or network" REP),
	CMD_CALL("ip6", "NET", term, "an address or network" REP),
	CMD_CALL_OPT("a", "DOMAIN", term, "DOMAIN's addresses" REP "; a "
	    "prefix may follow:\n--a=mail.example.com/28"),
	CMD_CALL_OPT("mx", "DOMAIN", term, "DOMAIN's mail hosts" REP),
	CMD_CALL("include", "DOMAIN", term, "DOMAIN's SPF record" REP),
	CMD_CALL("exists", "DOMAIN", term, "a name that has an address" REP),
	CMD_CALL("redirect", "DOMAIN", term, "DOMAIN's record applies when "
	    "no term matches"),
	CMD_CALL("exp", "DOMAIN", term, "where a fail's explanation is"),
	CMD_CHOICE("all", struct args, all, "QUALIFIER", "-|~|?|+",
	    "-, ~, ? or + (default -; none with --redirect)"),
	CMD_FLAG("null", struct args, null, "v=spf1 -all: the domain sends no "
	    "mail"),
};

static const cmd_tool_t tool = {
	"spf-gen", "spf-gen [options] [--ip4 NET] [--ip6 NET] [--a[=DOMAIN]] "
	"[--mx[=DOMAIN]]\n        [--include DOMAIN] [--exists DOMAIN] "
	"[--redirect DOMAIN]\n        [--exp DOMAIN] [--all QUALIFIER] DOMAIN\n"
	"spf-gen [options] --null DOMAIN", "Compose the SPF record of DOMAIN, "
	"check it as spf-lint does, and print it\nwith the lookups it costs.",
	"Exit status: 0 printed, 1 the record has errors (not printed "
	"without\n--force), 2 usage or bad value.",
	CMD_ZONE | CMD_DNS | CMD_JSON | CMD_STRICT, CMD_GEN_FORCE, rows,
	CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	struct args a = { .n = 0 };
	char domain[256], *record;
	cmd_opts_t o;
	gen_opts_t g;
	int i = cmd_args_parse(&tool, &a, &o, &g, argc, argv), status;

	if (argc - i != 1)
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	/* "v=spf1 -all" rejects all of the domain's mail: only by name */
	if (a.null ? a.n || a.redirect || a.exp || a.all : a.n == 0 &&
	    !a.redirect && (!a.all || a.all[0] == '-')) {
		cmd_error(&o, a.null ? "--null takes no other term: it is "
		    "v=spf1 -all" : "nothing to authorize: give terms (--ip4, "
		    "--include, ...), --redirect, or --null for a domain that "
		    "sends no mail");
		return EXIT_USAGE;
	}
	cmd_domain_arg(&o, argv[i], domain);
	record = zg_spf_build(a.terms, a.n, a.all ? a.all[0] : a.redirect ?
	    0 : '-', a.redirect, a.exp);
	status = cmd_gen_spf(&o, &g, domain, record);
	free(record);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
