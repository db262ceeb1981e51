/* What the record generators share: --format, --ttl, --force, and writing
 * a set of records in the chosen format. */
#ifndef AUTHZONE_CLI_GEN_H
#define AUTHZONE_CLI_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/common.h"
#include "zonegen/set.h"

enum { OPT_FORMAT = OPT_TOOL_BASE + 32, OPT_TTL, OPT_FORCE };
#define CMD_GEN_LONGOPTS \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "ttl", required_argument, NULL, OPT_TTL }, \
	{ "force", no_argument, NULL, OPT_FORCE }

typedef enum { GEN_ZONE, GEN_TXT, GEN_JSON } gen_format_t;

typedef struct gen_opts {
	gen_format_t format;
	uint32_t ttl;
	bool force;
	bool force_ok;		/* the check can refuse something */
} gen_opts_t;

/** Defaults: zone format, TTL 3600.  force_ok: the tool's check can find
 * errors (or warnings, for --strict), so --force means something; else
 * --force is refused and not listed. */
void cmd_gen_init(gen_opts_t *g, bool force_ok);
/** --format's value (zone, txt, json) into f; -1 for any other. */
int cmd_gen_format(const char *arg, gen_format_t *f);
/** Handles --format, --ttl, --force (and --json as --format json); 1 when
 * handled, 0 when not, exits 2 on a bad value. */
int cmd_gen_option(const cmd_opts_t *o, gen_opts_t *g, int c,
    const char *arg);
/** The help lines of those options (--force when force_ok). */
void cmd_gen_help(FILE *fp, bool force_ok);
/** Reports what the check of a built record found: warnings and errors
 * on stderr, except findings with the code ignore.  Returns 1 when it
 * found errors (the caller then prints only with --force, and exits 1),
 * else 0. */
int cmd_gen_findings(const cmd_opts_t *o, const gen_opts_t *g,
    const lint_findings_t *f, const lint_code_t *ignore, const char *record);

/** The end of every generator: reports f (except ignore), then prints
 * set unless the check found errors and --force was not given; extra (a
 * JSON object it takes) gets "findings".  Returns the exit status. */
int cmd_gen_emit(const cmd_opts_t *o, const gen_opts_t *g,
    const zg_set_t *set, const lint_findings_t *f, const lint_code_t *ignore,
    const char *record, json_t *extra);

/** A generator of one TXT record at owner: the record checked by check
 * (its findings as cmd_gen_emit takes them), then printed with its JSON
 * {"domain", "record"}.  Returns the exit status. */
int cmd_gen_record(const cmd_opts_t *o, const gen_opts_t *g,
    const char *domain, const char *owner, const char *record,
    void (*check)(const char *, const char *, lint_findings_t *));

/** Writes set: a zone snippet, the TXT values alone one per line, or a
 * JSON object {"records": [...]} merged into extra (which it takes). */
void cmd_gen_print(const gen_opts_t *g, const zg_set_t *set, json_t *extra);

/** spf-gen's end: record walked as if published at domain (names it
 * cannot resolve leave the count incomplete, they do not stop it), its
 * lookup count with it, printed as cmd_gen_emit does (record NULL: no
 * memory was left to build it).  The exit status. */
int cmd_gen_spf(const cmd_opts_t *o, const gen_opts_t *g,
    const char *domain, const char *record);

#endif
