#include "cli/report_run.h"

#include <stdlib.h>
#include <string.h>

#include "cli/dmarc_report.h"
#include "cli/report_html.h"
#include "cli/report_watch.h"
#include "report/input.h"
#include "util/file.h"

struct run {
	const cmd_opts_t *o;
	rep_printer_t pr;
	rep_summary_t *sum;
	tls_summary_t *tls;	/* TLS-RPT reports */
	char **refused, **why;
	size_t nrefused;
	bool nomem;
	rep_state_t *state;	/* --state */
	report_watch_counts_t counts;
};

static void
refused(void *arg, const char *name, const char *why)
{
	struct run *u = arg;
	char **a = realloc(u->refused, (u->nrefused + 1) * sizeof(*a));
	char **b = a ? realloc(u->why, (u->nrefused + 1) * sizeof(*b)) : NULL;

	cmd_error(u->o, "%s: %s", name, why);
	if (a)
		u->refused = a;
	if (b == NULL || (a[u->nrefused] = strdup(name)) == NULL)
		return;
	u->why = b;
	if ((b[u->nrefused] = strdup(why)) == NULL) {
		free(a[u->nrefused]);
		return;
	}
	u->nrefused++;
}

static void
document(void *arg, const char *name, const char *xml, size_t len)
{
	struct run *u = arg;
	rep_feedback_t fb;
	char why[300];
	bool old;
	int rc = 1;

	if (u->nomem)
		return;		/* nothing more is counted */
	if (rep_feedback_parse(&fb, xml, len, why, sizeof(why)) != 0) {
		refused(u, name, why);
		return;
	}
	if (u->state && rep_state_counted(u->state, fb.org_name, fb.report_id,
	    fb.end, &old)) {
		/* counted by an earlier run, or older than it keeps */
		u->counts.before += !old;
		u->counts.old += old;
	} else if ((rc = rep_summary_add(u->sum, &fb)) > 0 && u->state) {
		u->counts.added++;
		u->nomem |= rep_state_count(u->state, fb.org_name,
		    fb.report_id, fb.end) != 0;
	} else if (rc > 0)
		rep_print_report(&u->pr, name, &fb);
	else
		u->counts.twice += rc == 0;
	u->nomem |= rc < 0;
	rep_feedback_clear(&fb);
}

/* The page, written whole or not at all */
static int
write_html(const cmd_opts_t *o, struct run *u, const char *path)
{
	size_t len;
	char err[300], *page = rep_html(u->sum, &len);

	if (page == NULL || util_file_write(path, page, len, 0644, true, err,
	    sizeof(err)) != 0) {
		cmd_error(o, "%s", page ? err : "out of memory");
		free(page);
		return -1;
	}
	free(page);
	return 0;
}

static void
tlsrpt(void *arg, const char *name, const char *text, size_t len)
{
	struct run *u = arg;
	char why[300];

	if (!u->nomem && tls_summary_add(u->tls, text, len, why,
	    sizeof(why)) < 0)
		refused(u, name, why);
}

static void
run_free(struct run *u)
{
	for (size_t i = 0; i < u->nrefused; i++) {
		free(u->refused[i]);
		free(u->why[i]);
	}
	free(u->refused);
	free(u->why);
	rep_summary_free(u->sum);
	tls_summary_free(u->tls);
	rep_state_free(u->state);
}

/* --state: the reports not counted before added to the state, the news
 * printed, the state written whole; the status */
static int
watch_end(const cmd_opts_t *o, struct run *u, const char *path,
    dns_resolver_t *r)
{
	rep_state_news_t *news = NULL;
	size_t n = 0;
	char err[4400], *text = NULL;
	int status;

	if (u->nomem || rep_state_update(u->state, u->sum, &news, &n) != 0 ||
	    (text = rep_state_text(u->state)) == NULL) {
		cmd_error(o, "%s: out of memory; nothing written", path);
		rep_state_news_free(news, n);
		return EXIT_USAGE;
	}
	status = report_watch_print(o, news, n, r, &u->counts);
	if (util_file_write(path, text, strlen(text), 0644, true, err,
	    sizeof(err)) != 0) {
		cmd_error(o, "%s; the reports of this run are not counted", err);
		status = EXIT_USAGE;
	}
	free(text);
	rep_state_news_free(news, n);
	return status;
}

/* --state: the lock held to the end, the state read; -1 with the status
 * in *status when it cannot be */
static int
watch_begin(const cmd_opts_t *o, struct run *u, const char *path, int *lock,
    int *status)
{
	char err[4400], name[4200];

	snprintf(name, sizeof(name), "%s.lock", path);
	if ((*lock = util_file_lock(name, 0, err, sizeof(err))) < 0) {
		cmd_error(o, "%s; nothing written", err);
		*status = *lock == -2 ? EXIT_BUSY : EXIT_USAGE;
		return -1;
	}
	if (rep_state_load(path, &u->state, err, sizeof(err)) ==
	    REP_STATE_BAD) {
		cmd_error(o, "%s; nothing written", err);
		util_file_unlock(*lock);
		*status = EXIT_USAGE;
		return -1;
	}
	util_file_signals();
	return 0;
}

int
cmd_dmarc_report(const cmd_opts_t *o, char **paths, int n,
    const report_job_t *j)
{
	struct run u = { .o = o, .sum = rep_summary_new(),
	    .tls = tls_summary_new() };
	rep_input_ops_t ops = { document, tlsrpt, refused, &u };
	dns_resolver_t *r = NULL;
	size_t reports;
	int status, lock = -1, news = EXIT_CLEAN;

	if (u.sum == NULL || u.tls == NULL) {
		cmd_error(o, "out of memory");
		run_free(&u);
		return EXIT_USAGE;
	}
	if (j->state && watch_begin(o, &u, j->state, &lock, &status) != 0) {
		run_free(&u);
		return status;
	}
	u.pr.out = o->json ? REP_OUT_JSON : j->csv ? REP_OUT_CSV :
	    REP_OUT_TEXT;
	if (!j->state)
		rep_print_begin(&u.pr);
	for (int i = 0; i < n; i++)
		rep_input_path(paths[i], &ops);
	if (j->check && !j->csv)
		r = cmd_resolver(o);
	/* an incomplete summary is not printed as if it were whole */
	if (j->state)
		news = watch_end(o, &u, j->state, r);
	else if (!u.nomem)
		rep_print_end(&u.pr, u.sum, u.tls, r, u.refused, u.why,
		    u.nrefused);
	if (!u.nomem && j->html && write_html(o, &u, j->html) != 0)
		u.nomem = true;
	reports = u.pr.reports + tls_summary_reports(u.tls) +
	    u.counts.added + u.counts.before + u.counts.old + u.counts.twice;
	dns_resolver_free(r);
	if (u.nomem && !j->state)
		cmd_error(o, "out of memory: no summary");
	status = u.nrefused || u.nomem || (reports == 0 && !j->state) ?
	    EXIT_USAGE : news;
	/* a mailbox with nothing new is what --state expects */
	if (reports == 0 && u.nrefused == 0 && !j->state)
		cmd_error(o, "no report found");
	run_free(&u);
	util_file_unlock(lock);
	return status;
}
