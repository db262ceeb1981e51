#include "cli/audit_watch.h"

#include <stdlib.h>
#include <string.h>

#include "lint/audit_baseline.h"
#include "util/file.h"

struct audit_watch {
	const cmd_opts_t *o;
	const char *path;
	audit_baseline_t *b;
	bool dry_run, first, broken;
	size_t changes, worse, kept;
};

int
audit_watch_open(const cmd_opts_t *o, const char *path, bool dry_run,
    audit_watch_t **wp)
{
	audit_watch_t *w = calloc(1, sizeof(*w));
	char err[4400];
	audit_base_status_t st;

	*wp = NULL;
	if (w == NULL) {
		cmd_error(o, "out of memory");
		return EXIT_USAGE;
	}
	st = audit_baseline_open(path, !dry_run, 0, &w->b, err, sizeof(err));
	if (st == AUDIT_BASE_BAD || st == AUDIT_BASE_BUSY) {
		cmd_error(o, "%s; nothing written", err);
		free(w);
		return st == AUDIT_BASE_BUSY ? EXIT_BUSY : EXIT_USAGE;
	}
	if (!dry_run)	/* a signal removes the half-written file */
		util_file_signals();
	w->o = o;
	w->path = path;
	w->dry_run = dry_run;
	w->first = st == AUDIT_BASE_NEW;
	*wp = w;
	return EXIT_CLEAN;
}

static void
change_print(audit_watch_t *w, const char *domain, const audit_change_t *c)
{
	w->changes++;
	w->worse += c->class == AUDIT_WORSE;
	if (w->o->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "domain", domain,
		    "area", c->area, "class", audit_class_names[c->class],
		    "kind", c->kind);

		if (c->owner[0])
			json_object_set_new(j, "owner", json_string(c->owner));
		if (c->code)
			json_object_set_new(j, "code", json_string(c->code));
		json_object_set_new(j, "was", c->was ? json_string(c->was) :
		    json_null());
		json_object_set_new(j, "now", c->now ? json_string(c->now) :
		    json_null());
		json_object_set_new(j, "message", json_string(c->message));
		cmd_json_line(j);
		return;
	}
	printf("%-7s %s %s%s%s: %s\n", audit_class_names[c->class], domain,
	    c->area, c->owner[0] ? " " : "", c->owner, c->message);
}

static void
changes_print(audit_watch_t *w, const char *domain, audit_changes_t *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		change_print(w, domain, &ch->v[i]);
	fflush(stdout);
	audit_changes_clear(ch);
}

int
audit_watch_emit(audit_watch_t *w, const audit_result_t *res)
{
	const char *domain = res->domain, *dns = audit_result_error(res);
	audit_changes_t ch = { 0 };
	json_t *old, *now;
	char err[512];
	int rc;

	if (dns) {
		/* a failure is no state: the one stored stands */
		if (audit_baseline_keep(w->b, domain) != 0)
			w->broken = true;
		w->kept++;
		cmd_error(w->o, "%s: %s; its baseline is kept", domain, dns);
		return EXIT_DNS;
	}
	if ((now = audit_snapshot(res)) == NULL) {
		cmd_error(w->o, "%s: out of memory", domain);
		w->broken = true;
		return EXIT_USAGE;
	}
	if (audit_baseline_swap(w->b, domain, now, &old, err,
	    sizeof(err)) != 0) {
		cmd_error(w->o, "%s: %s", w->path, err);
		w->broken = true;
		json_decref(now);
		return EXIT_USAGE;
	}
	if ((old ? audit_snapshot_diff(old, now, &ch) : w->first ? 0 :
	    audit_change_domain(&ch, true)) != 0)
		w->broken = true;
	rc = audit_changes_worse(&ch) ? EXIT_FINDINGS : EXIT_CLEAN;
	changes_print(w, domain, &ch);
	json_decref(old);
	json_decref(now);
	return rc;
}

static void
dropped(void *arg, const char *domain)
{
	audit_watch_t *w = arg;
	audit_changes_t ch = { 0 };

	audit_change_domain(&ch, false);
	changes_print(w, domain ? domain : "?", &ch);
}

int
audit_watch_close(audit_watch_t *w)
{
	char err[4400];
	size_t n = 0;
	int status = EXIT_CLEAN;

	if (audit_baseline_dropped(w->b, dropped, w) != 0)
		w->broken = true;
	if (w->broken) {
		cmd_error(w->o, "%s: the new baseline could not be made whole; "
		    "nothing written", w->path);
		status = EXIT_USAGE;
	} else if (!w->dry_run && audit_baseline_commit(w->b, &n, err,
	    sizeof(err)) != 0) {
		cmd_error(w->o, "%s; nothing written", err);
		status = EXIT_USAGE;
	} else if (w->first)
		cmd_note(w->o, "%s: %s baseline of %zu domain%s", w->path,
		    w->dry_run ? "no baseline yet; --dry-run stores no" :
		    "a new", n, n == 1 ? "" : "s");
	else if (w->o->verbose)
		cmd_note(w->o, "%s: %zu change%s, %zu worse; %zu domain%s kept "
		    "as they were (DNS failed)%s", w->path, w->changes,
		    w->changes == 1 ? "" : "s", w->worse, w->kept,
		    w->kept == 1 ? "" : "s", w->dry_run ? "; --dry-run: nothing "
		    "written" : "");
	audit_baseline_free(w->b);
	free(w);
	return status;
}
