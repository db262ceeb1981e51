/*
 * A tool's own options as data.  Each row names an option, what it takes,
 * where its value goes and which values it allows; the parser and the
 * help are both made from the rows, so --help lists what the parser
 * takes and a bad value gets one kind of message.  A main declares its
 * rows and a struct for their values, calls cmd_args_parse, checks what
 * only the whole command line can tell, and runs.
 */
#ifndef AUTHZONE_CLI_ARGS_H
#define AUTHZONE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/common.h"
#include "cli/gen.h"

typedef enum cmd_arg_kind {
	CMD_ARG_FLAG,		/* bool: set when given */
	CMD_ARG_TEXT,		/* const char *: ok() must accept it */
	CMD_ARG_CHOICE,		/* const char *: one of choices ("a|b|c") */
	CMD_ARG_UINT,		/* const char *: a decimal from min to max */
	CMD_ARG_LIST,		/* const char *[max] and a size_t count:
				 * repeatable, each ok() */
	CMD_ARG_CALL,		/* the tool's call(opts, name, value) takes it:
				 * NULL, or what is wrong (exit 2) */
} cmd_arg_kind_t;

typedef struct cmd_arg {
	const char *name;	/* --name */
	cmd_arg_kind_t kind;
	size_t off;		/* offsetof the value in the tool's struct */
	const char *meta;	/* what the help shows it takes, or NULL */
	const char *help;	/* its help; "\n" starts an indented line;
				 * NULL: not listed (told of by another) */
	const char *choices;	/* CHOICE */
	bool (*ok)(const char *);	/* TEXT, LIST; NULL takes any */
	unsigned min, max;	/* UINT; LIST: how many at most (max) */
	size_t count;		/* LIST: offsetof its size_t count */
	const char *want;	/* what a bad value is told: "want ..." */
	bool optional;		/* --name[=META]: the value may be left out */
	const char *(*call)(void *opts, const char *name, const char *v);
} cmd_arg_t;

/* The rows, written briefly: T is the tool's struct, f its member */
#define CMD_FLAG(n, T, f, h) \
	{ .name = n, .kind = CMD_ARG_FLAG, .off = offsetof(T, f), .help = h }
#define CMD_TEXT(n, T, f, m, ok_, w, h) \
	{ .name = n, .kind = CMD_ARG_TEXT, .off = offsetof(T, f), .meta = m, \
	  .ok = ok_, .want = w, .help = h }
#define CMD_CHOICE(n, T, f, m, c, h) \
	{ .name = n, .kind = CMD_ARG_CHOICE, .off = offsetof(T, f), \
	  .meta = m, .choices = c, .help = h }
#define CMD_UINT(n, T, f, m, lo, hi, w, h) \
	{ .name = n, .kind = CMD_ARG_UINT, .off = offsetof(T, f), .meta = m, \
	  .min = lo, .max = hi, .want = w, .help = h }
#define CMD_CALL(n, m, fn, h) \
	{ .name = n, .kind = CMD_ARG_CALL, .meta = m, .call = fn, .help = h }
#define CMD_CALL_OPT(n, m, fn, h) \
	{ .name = n, .kind = CMD_ARG_CALL, .meta = m, .call = fn, .help = h, \
	  .optional = true }
#define CMD_LIST(n, T, f, cnt, m, ok_, w, h) \
	{ .name = n, .kind = CMD_ARG_LIST, .off = offsetof(T, f), .meta = m, \
	  .ok = ok_, .max = sizeof(((T *)0)->f) / sizeof(((T *)0)->f[0]), \
	  .count = offsetof(T, cnt), .want = w, .help = h }

/* What a tool is, for its help and its parser */
typedef struct cmd_tool {
	const char *name;
	const char *synopsis;	/* its usage lines, "\n"-separated, each
				 * printed after "usage: " or its width */
	const char *about;	/* what it does: a paragraph or two */
	const char *status;	/* "Exit status: ..." */
	unsigned accepts;	/* the groups of common options */
	int gen;		/* 0; CMD_GEN: --format, --ttl; CMD_GEN_FORCE:
				 * and --force */
	const cmd_arg_t *args;
	size_t nargs;
	cmd_https_t *https;	/* --ca-file and --connect-to go here, or
				 * NULL: the tool fetches nothing */
} cmd_tool_t;

#define CMD_GEN		1
#define CMD_GEN_FORCE	2
#define CMD_NARGS(a)	(sizeof(a) / sizeof((a)[0]))

/** Parses argv: the tool's options into opts, the common ones into o
 * (initialized here), the generators' into g (initialized here; NULL
 * unless t->gen).  Exits 0 after --help or --version and 2, with a
 * message, on a bad value or an option it does not take.  Returns the
 * index of the first operand. */
int cmd_args_parse(const cmd_tool_t *t, void *opts, cmd_opts_t *o,
    gen_opts_t *g, int argc, char **argv);
/** The one operand of a tool of one DOMAIN, after cmd_args_parse
 * returned i: normalized into domain (256 bytes); the usage and exit 2
 * when there is not exactly one, or it is no domain name. */
void cmd_args_domain(const cmd_tool_t *t, const cmd_opts_t *o, int i,
    int argc, char **argv, char *domain);
/** The help on stdout (status 0) or the usage lines on stderr; exits. */
void cmd_args_usage(const cmd_tool_t *t, FILE *fp, int status)
    __attribute__((noreturn));

#endif
