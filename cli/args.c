#include "cli/args.h"

#include <stdlib.h>
#include <string.h>

#define HELP_COLUMN	23	/* where the help of an option starts */
#define MAX_ROWS	32	/* a tool's own options (cli/gen.h starts at
				 * OPT_TOOL_BASE + 32) */

static const cmd_tool_t *running;	/* for cmd_option's usage callback */

/* "      --name META    help", the help's further lines under it */
static void
row_help(FILE *fp, const cmd_arg_t *a)
{
	char opt[128];
	const char *h = a->help, *nl;
	int n;

	n = snprintf(opt, sizeof(opt), "      --%s%s%s%s", a->name,
	    a->meta ? a->optional ? "[=" : " " : "", a->meta ? a->meta : "",
	    a->meta && a->optional ? "]" : "");
	if (n <= HELP_COLUMN - 2)
		fprintf(fp, "%-*s", HELP_COLUMN, opt);
	else	/* too long for the column: two spaces after it */
		fprintf(fp, "%s  ", opt);
	while ((nl = strchr(h, '\n')) != NULL) {
		fprintf(fp, "%.*s\n%*s", (int)(nl - h), h, HELP_COLUMN, "");
		h = nl + 1;
	}
	fprintf(fp, "%s\n", h);
}

void
cmd_args_usage(const cmd_tool_t *t, FILE *fp, int status)
{
	const char *s = t->synopsis, *nl;
	bool first = true;

	do {	/* usage: NAME ..., later lines under the first */
		nl = strchr(s, '\n');
		fprintf(fp, "%s%.*s\n", first ? "usage: " : "       ",
		    nl ? (int)(nl - s) : (int)strlen(s), s);
		first = false;
		if (nl)
			s = nl + 1;
	} while (nl);
	if (fp == stdout) {
		fprintf(fp, "\n%s\n\n", t->about);
		for (size_t i = 0; i < t->nargs; i++)
			if (t->args[i].help)
				row_help(fp, &t->args[i]);
		if (t->https)
			cmd_https_help(fp);
		if (t->gen)
			cmd_gen_help(fp, t->gen == CMD_GEN_FORCE);
		cmd_common_help(fp, t->accepts);
		fprintf(fp, "\n%s\n", t->status);
	}
	exit(status);
}

static void
usage_running(FILE *fp, int status)
{
	cmd_args_usage(running, fp, status);
}

static bool
choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *c = choices; c; c = strchr(c, '|')) {
		c += *c == '|';
		if (strncmp(c, v, n) == 0 && (c[n] == '|' || c[n] == '\0') &&
		    n > 0)
			return true;
	}
	return false;
}

/* A bad value: the message, and exit 2 */
static void __attribute__((noreturn))
bad(const cmd_opts_t *o, const cmd_arg_t *a, const char *v)
{
	char choices[128] = "";

	if (a->kind == CMD_ARG_CHOICE) {	/* "want a, b or c" */
		const char *last = strrchr(a->choices, '|');
		size_t k = 0;

		for (const char *c = a->choices; *c && k + 8 < sizeof(choices);
		    c++) {
			if (*c != '|')
				choices[k++] = *c;
			else if (c == last)
				k += (size_t)snprintf(choices + k,
				    sizeof(choices) - k, " or ");
			else
				k += (size_t)snprintf(choices + k,
				    sizeof(choices) - k, ", ");
		}
		choices[k] = '\0';
	}
	cmd_bad_value(o, a->name, v, a->want ? a->want : *choices ? choices :
	    NULL);
}

/* The value of row a into opts */
static void
take(const cmd_opts_t *o, const cmd_arg_t *a, void *opts, const char *v)
{
	char *at = (char *)opts + a->off;
	unsigned u;

	switch (a->kind) {
	case CMD_ARG_FLAG:
		*(bool *)at = true;
		return;
	case CMD_ARG_CHOICE:
		if (!choice_ok(a->choices, v))
			bad(o, a, v);
		break;
	case CMD_ARG_UINT:
		if (cmd_parse_uint(v, a->min, a->max, &u) != 0)
			bad(o, a, v);
		break;
	case CMD_ARG_LIST: {
		size_t *n = (size_t *)((char *)opts + a->count);

		if (*n == a->max || (a->ok && !a->ok(v)))
			bad(o, a, v);
		((const char **)at)[(*n)++] = v;
		return;
	}
	case CMD_ARG_TEXT:
		if (a->ok && !a->ok(v))
			bad(o, a, v);
		break;
	case CMD_ARG_CALL: {
		const char *why = a->call(opts, a->name, v);

		if (why) {
			cmd_error(o, "%s", why);
			exit(EXIT_USAGE);
		}
		return;
	}
	}
	*(const char **)at = v;
}

int
cmd_args_parse(const cmd_tool_t *t, void *opts, cmd_opts_t *o,
    gen_opts_t *g, int argc, char **argv)
{
	static const struct option gen[] = { CMD_GEN_LONGOPTS },
	    https[] = { CMD_HTTPS_LONGOPTS },
	    common[] = { CMD_COMMON_LONGOPTS };
	struct option longopts[MAX_ROWS + CMD_NARGS(gen) + CMD_NARGS(https) +
	    CMD_NARGS(common)];
	size_t n = 0;
	int c;

	running = t;
	cmd_opts_init(o, t->name, t->accepts);
	if (t->gen)
		cmd_gen_init(g, t->gen == CMD_GEN_FORCE);
	for (size_t i = 0; i < t->nargs && i < MAX_ROWS; i++)
		longopts[n++] = (struct option){ t->args[i].name,
		    t->args[i].kind == CMD_ARG_FLAG ? no_argument :
		    t->args[i].optional ? optional_argument :
		    required_argument, NULL, OPT_TOOL_BASE + (int)i };
	for (size_t i = 0; t->gen && i < CMD_NARGS(gen); i++)
		longopts[n++] = gen[i];
	for (size_t i = 0; t->https && i < CMD_NARGS(https); i++)
		longopts[n++] = https[i];
	memcpy(longopts + n, common, sizeof(common));
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c >= OPT_TOOL_BASE && c < OPT_TOOL_BASE + (int)t->nargs)
			take(o, &t->args[c - OPT_TOOL_BASE], opts, optarg);
		else if (!(t->gen && cmd_gen_option(o, g, c, optarg)) &&
		    !(t->https && cmd_https_option(o, t->https, c, optarg)) &&
		    !cmd_option(o, c, optarg, usage_running))
			cmd_args_usage(t, stderr, EXIT_USAGE);
	}
	return optind;
}

void
cmd_args_domain(const cmd_tool_t *t, const cmd_opts_t *o, int i, int argc,
    char **argv, char *domain)
{
	if (argc - i != 1)
		cmd_args_usage(t, stderr, EXIT_USAGE);
	cmd_domain_arg(o, argv[i], domain);
}
