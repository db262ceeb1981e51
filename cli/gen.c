#include "cli/gen.h"

#include "lint/spf_codes.h"
#include "lint/spf_walk.h"

#include <stdlib.h>
#include <string.h>

void
cmd_gen_init(gen_opts_t *g, bool force_ok)
{
	g->format = GEN_ZONE;
	g->ttl = 3600;
	g->force = false;
	g->force_ok = force_ok;
}

int
cmd_gen_format(const char *arg, gen_format_t *f)
{
	static const char *const names[] = { [GEN_ZONE] = "zone",
	    [GEN_TXT] = "txt", [GEN_JSON] = "json" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(arg, names[i]) == 0) {
			*f = (gen_format_t)i;
			return 0;
		}
	return -1;
}

int
cmd_gen_option(const cmd_opts_t *o, gen_opts_t *g, int c, const char *arg)
{
	unsigned v;

	switch (c) {
	case OPT_FORMAT:
		if (cmd_gen_format(arg, &g->format) != 0)
			cmd_bad_value(o, "format", arg, "zone, txt or json");
		return 1;
	case OPT_JSON:
		g->format = GEN_JSON;
		return 1;
	case OPT_TTL:
		/* RFC 2181 8: 0 to 2^31 - 1 */
		if (cmd_parse_uint(arg, 0, 2147483647u, &v) != 0)
			cmd_bad_value(o, "ttl", arg, "seconds, 0 to 2147483647");
		g->ttl = v;
		return 1;
	case OPT_FORCE:
		if (!g->force_ok) {
			cmd_error(o, "--force is not an option of %s: its check "
			    "refuses nothing (see %s --help)", o->prog, o->prog);
			exit(EXIT_USAGE);
		}
		g->force = true;
		return 1;
	}
	return 0;
}

void
cmd_gen_help(FILE *fp, bool force_ok)
{
	fputs(
"Records:\n"
"      --format FMT     zone (a zone-file snippet, the default), txt (the\n"
"                       value alone; with several records: owner, type\n"
"                       and value, tab-separated) or json\n"
"      --ttl SECONDS    the TTL of the records (default 3600)\n", fp);
	if (force_ok)
		fputs(
"      --force          print a record even when its check finds errors\n"
"                       (or warnings, with --strict)\n", fp);
}

int
cmd_gen_findings(const cmd_opts_t *o, const gen_opts_t *g,
    const lint_findings_t *f, const lint_code_t *ignore, const char *record)
{
	bool errors = false;

	for (size_t i = 0; i < f->n; i++) {
		const lint_finding_t *x = &f->v[i];

		if (x->code == ignore || x->code->severity < LINT_WARNING)
			continue;
		/* with --strict a warning stops the record as an error does */
		errors |= x->code->severity == LINT_ERROR || o->strict;
		fprintf(stderr, "%s: %s: %s%s%s: %s\n", o->prog,
		    lint_severity_str(x->code->severity), x->domain ?
		    x->domain : "", x->domain ? ": " : "", x->code->code,
		    x->message);
	}
	if (errors && !g->force)
		cmd_error(o, "the record has %s; not printed (--force prints "
		    "it): %s", o->strict ? "errors or warnings (--strict)" :
		    "errors", record);
	return errors ? EXIT_FINDINGS : EXIT_CLEAN;
}

int
cmd_gen_emit(const cmd_opts_t *o, const gen_opts_t *g, const zg_set_t *set,
    const lint_findings_t *f, const lint_code_t *ignore, const char *record,
    json_t *extra)
{
	int status = cmd_gen_findings(o, g, f, ignore, record);

	if (status != EXIT_CLEAN && !g->force) {
		json_decref(extra);
		return status;
	}
	json_object_set_new(extra, "findings", cmd_findings_json(f));
	cmd_gen_print(g, set, extra);
	return status;
}

int
cmd_gen_record(const cmd_opts_t *o, const gen_opts_t *g, const char *domain,
    const char *owner, const char *record,
    void (*check)(const char *, const char *, lint_findings_t *))
{
	lint_findings_t f;
	zg_set_t set;
	int status;

	zg_set_init(&set);
	zg_set_add(&set, owner, g->ttl, "TXT", record, NULL);
	lint_findings_init(&f);
	check(record, owner, &f);
	status = cmd_gen_emit(o, g, &set, &f, NULL, record, json_pack(
	    "{s:s, s:s}", "domain", domain, "record", record));
	lint_findings_clear(&f);
	zg_set_clear(&set);
	return status;
}

void
cmd_gen_print(const gen_opts_t *g, const zg_set_t *set, json_t *extra)
{
	char *text;

	switch (g->format) {
	case GEN_ZONE:
		if ((text = zg_set_zone(set)) != NULL)
			fputs(text, stdout);
		free(text);
		break;
	case GEN_TXT:
		/* one record: its value alone; several: which is which */
		for (size_t i = 0; i < set->n; i++)
			if (set->n == 1)
				puts(set->v[i].value);
			else
				printf("%s\t%s\t%s\n", set->v[i].owner,
				    set->v[i].type, set->v[i].value);
		break;
	case GEN_JSON:
		json_object_set_new(extra, "records", zg_set_json(set));
		cmd_json_print(extra);
		break;
	}
	json_decref(extra);
}

int
cmd_gen_spf(const cmd_opts_t *o, const gen_opts_t *g, const char *domain,
    const char *record)
{
	dns_resolver_t *r = cmd_resolver(o);
	char count[160];
	zg_set_t set;
	spf_walk_t w;
	int status;

	if (record == NULL || spf_walk_run(&w, r, NULL, domain, record,
	    strlen(record), 0)) {
		cmd_error(o, "out of memory");
		dns_resolver_free(r);
		return EXIT_USAGE;
	}
	snprintf(count, sizeof(count), "lookups %s%u/%d, void %s%u/%d%s",
	    w.complete ? "" : "at least ", w.lookups, SPF_LOOKUP_LIMIT,
	    w.complete ? "" : "at least ", w.voids, SPF_VOID_LIMIT,
	    w.dns_failed ? " (some names not resolved)" : "");
	zg_set_init(&set);
	zg_set_add(&set, domain, g->ttl, "TXT", record, g->format == GEN_ZONE ?
	    count : NULL);
	if (g->format == GEN_TXT)
		fprintf(stderr, "%s: %s\n", o->prog, count);
	status = cmd_gen_emit(o, g, &set, &w.findings,
	    &spf_codes[SPF_DNS_FAILURE], record, json_pack("{s:s, s:s, s:b, "
	    "s:i, s:i}", "domain", domain, "record", record, "complete",
	    w.complete, "lookups", (int)w.lookups, "void_lookups",
	    (int)w.voids));
	zg_set_clear(&set);
	spf_walk_clear(&w);
	dns_resolver_free(r);
	return status;
}
