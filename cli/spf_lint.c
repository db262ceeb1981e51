#include "cli/spf_lint.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/batch.h"
#include "cli/spf_tree.h"
#include "lint/spf_codes.h"
#include "lint/spf_walk.h"

/* The JSON object of one walk */
static json_t *
walk_json(const char *domain, const spf_walk_t *w, bool tree)
{
	json_t *doc = json_pack("{s:o, s:o, s:b, s:i, s:i, s:i, s:i}",
	    "domain", domain ? json_string(domain) : json_null(),
	    "record", w->root ? json_string(w->root->text) : json_null(),
	    "complete", w->complete,
	    "lookups", (int)w->lookups, "lookup_limit", SPF_LOOKUP_LIMIT,
	    "void_lookups", (int)w->voids, "void_limit", SPF_VOID_LIMIT);

	json_object_set_new(doc, "findings", cmd_findings_json(&w->findings));
	if (tree)
		json_object_set_new(doc, "tree", cmd_spf_tree_json(w->root));
	return doc;
}

/* The same as one line of a batch, written as it goes */
static void
walk_line(jw_t *jw, const char *domain, const spf_walk_t *w, bool tree)
{
	jw_reset(jw);
	jw_object(jw, NULL);
	jw_string(jw, "domain", domain);
	jw_string(jw, "record", w->root ? w->root->text : NULL);
	jw_bool(jw, "complete", w->complete);
	jw_int(jw, "lookups", w->lookups);
	jw_int(jw, "lookup_limit", SPF_LOOKUP_LIMIT);
	jw_int(jw, "void_lookups", w->voids);
	jw_int(jw, "void_limit", SPF_VOID_LIMIT);
	cmd_findings_jw(jw, "findings", &w->findings);
	if (tree)
		jw_json(jw, "tree", cmd_spf_tree_json(w->root));
	jw_close(jw, '}');
}

/* Lints one domain (or record), as a part of a chain when part says;
 * prints it as text, or adds its JSON object to docs.  Returns its exit
 * status. */
int
spf_lint_one(const cmd_opts_t *o, dns_resolver_t *r, const char *domain,
    bool part, json_t *docs)
{
	spf_walk_t w;
	bool dns_failed;
	int status;

	if (spf_walk_run(&w, r, NULL, domain, o->record, o->record ?
	    strlen(o->record) : 0, SPF_WALK_TYPE99 |
	    (part ? SPF_WALK_PART : 0)) != 0) {
		cmd_error(o, "out of memory");
		exit(EXIT_USAGE);
	}
	dns_failed = w.dns_failed;
	if (docs)
		json_array_append_new(docs, walk_json(domain, &w, true));
	else {
		if (w.root)
			printf("%s\n\n", w.root->text);
		cmd_findings_print(stdout, &w.findings, o->color);
		if (w.findings.n && w.root)
			putchar('\n');
		if (w.root) {
			cmd_spf_tree_print(stdout, &w, o->verbose);
			cmd_spf_summary_print(stdout, &w);
		}
	}
	if (dns_failed)
		cmd_error(o, "%s: DNS failures kept the check from finishing",
		    domain ? domain : "the record");
	status = dns_failed ? EXIT_DNS : cmd_findings_status(o, &w.findings);
	spf_walk_clear(&w);
	return status;
}

struct zone_names {
	char **v;
	size_t n;
	char **parts;		/* names another record of the zones includes */
	size_t nparts;
};

/* the zone's names with a TXT record starting with v=spf1 */
static void
spf_name(const char *name, const ldns_rr_list *rrs, void *arg)
{
	struct zone_names *zn = arg;
	size_t count, len;
	char *text = spf_txt_select(rrs, &count, &len), **v;

	if (count == 0 || (v = realloc(zn->v, (zn->n + 1) * sizeof(*v))) == NULL) {
		free(text);
		return;
	}
	zn->v = v;
	zn->v[zn->n++] = strdup(name);
	/* the include targets it names: parts of a chain when in the zones */
	lint_findings_t f = { 0 };
	spf_record_t *rec = text ? spf_record_parse(text, len, name, &f) : NULL;

	for (size_t i = 0; rec && i < rec->nterms; i++) {
		const spf_term_t *t = &rec->terms[i];
		char target[256];

		if (t->kind != SPF_INCLUDE || t->bad || t->has_macro ||
		    t->domain == NULL)
			continue;
		if (util_name_normalize(t->domain, target, sizeof(target)) == 0 &&
		    (v = realloc(zn->parts, (zn->nparts + 1) *
		    sizeof(*v))) != NULL) {
			zn->parts = v;
			zn->parts[zn->nparts++] = strdup(target);
		}
	}
	spf_record_free(rec);
	lint_findings_clear(&f);
	free(text);
}

static bool
zone_part(const struct zone_names *zn, const char *name)
{
	for (size_t i = 0; i < zn->nparts; i++)
		if (zn->parts[i] && strcmp(zn->parts[i], name) == 0)
			return true;
	return false;
}

/* --batch: the walks of many domains in lockstep, JSON Lines */
struct batch_run {
	const cmd_opts_t *o;
	spf_store_t *memo;
	jw_t jw;		/* the line being written */
	size_t clean, errors, dns, bad;
};

/* A walk resumes where it stopped */
static int
batch_step(void *arg, dns_resolver_t *r, const char *domain, void **state)
{
	struct batch_run *b = arg;
	spf_walk_t *w = *state;

	if (w == NULL) {
		if ((w = malloc(sizeof(*w))) == NULL)
			return -1;
		/* the tree of -v is whole; the summaries leave it bare */
		if (spf_walk_start(w, r, b->memo, domain, NULL, 0,
		    b->o->verbose ? 0 : SPF_WALK_MEMO) != 0) {
			free(w);
			return -1;
		}
		*state = w;
	}
	return spf_walk_step(w);
}

static void *
batch_finish(void *arg, void *state)
{
	(void)arg;
	if (state)
		spf_walk_finish(state);
	return state;
}

static void
batch_discard(void *arg, void *result)
{
	(void)arg;
	if (result)
		spf_walk_clear(result);
	free(result);
}

static int
batch_emit(void *arg, const char *domain, void *result)
{
	struct batch_run *b = arg;
	spf_walk_t *w = result;
	int status;

	if (w == NULL) {
		cmd_error(b->o, "out of memory");
		return EXIT_USAGE;
	}
	/* the tree repeats every provider's terms: only when asked */
	walk_line(&b->jw, domain, w, b->o->verbose > 0);
	if (!jw_line(&b->jw)) {
		cmd_error(b->o, "out of memory");
		batch_discard(arg, w);
		return EXIT_USAGE;
	}
	if (w->dns_failed) {
		status = EXIT_DNS;
		b->dns++;
	} else if ((status = cmd_findings_status(b->o, &w->findings)) ==
	    EXIT_CLEAN)
		b->clean++;
	else
		b->errors++;
	batch_discard(arg, w);
	return status;
}

static int
batch_fail(void *arg, const char *domain, const char *why)
{
	struct batch_run *b = arg;

	b->bad++;
	cmd_json_line(json_pack("{s:s, s:s}", "domain", domain, "error", why));
	cmd_error(b->o, "%s: %s", domain, why);
	return EXIT_USAGE;
}

int
spf_lint_batch(const cmd_opts_t *o, const char *path)
{
	struct batch_run b = { .o = o, .memo = spf_store_new() };
	cmd_batch_t job = { .step = batch_step, .finish = batch_finish, .o = o,
	    .emit = batch_emit, .fail = batch_fail, .arg = &b,
	    /* 2,000 done domains (8 KB each with their interpreter) may
	     * wait on one whose resolver keeps failing a question: Unbound
	     * keeps a failure 5 s, and answers 400 domains a second */
	    .ahead = 2000,
	    .deadline_ms = o->deadline_given ? o->deadline_ms : 0,
	    .progress = isatty(STDERR_FILENO) ? "spf-lint" : NULL };
	dns_stats_t st;
	double secs;
	size_t n;
	cmd_batch_input_t in;
	dns_resolver_t *r;
	int status;

	cmd_batch_open(o, path, &in);
	r = cmd_resolver(o);
	status = cmd_batch_run(&job, r, &in, &n, &secs);

	dns_resolver_stats(r, &st);
	fprintf(stderr, "spf-lint: %zu domains in %.2f s (%.0f/s): %zu clean, "
	    "%zu with errors, %zu DNS failures, %zu not domain names; %lu "
	    "queries, %u round trips\n", n, secs, secs > 0 ? (double)n / secs :
	    0.0, b.clean, b.errors, b.dns, b.bad, st.queries, st.rounds);
	cmd_dns_summary("spf-lint", r);
	cmd_batch_close(&in);
	spf_store_free(b.memo);
	jw_free(&b.jw);
	dns_resolver_free(r);
	return status;
}

int
spf_lint_zones(const cmd_opts_t *o, dns_resolver_t *r, json_t *docs)
{
	struct zone_names zn = { 0 };
	int status = EXIT_CLEAN;

	/* the zone files' own records, each as its own domain */
	dns_resolver_zone_each(r, spf_name, &zn);
	if (zn.n == 0)
		cmd_warn(o, "the zone files hold no SPF record");
	for (size_t i = 0; i < zn.n; i++) {
		if (!o->json)
			printf("%s== %s\n", i ? "\n" : "", zn.v[i]);
		status = cmd_status_worse(status, spf_lint_one(o, r, zn.v[i],
		    zone_part(&zn, zn.v[i]), docs));
		free(zn.v[i]);
	}
	free(zn.v);
	for (size_t i = 0; i < zn.nparts; i++)
		free(zn.parts[i]);
	free(zn.parts);
	return status;
}

void
spf_lint_json(json_t *docs, bool zones, const dns_resolver_t *r)
{
	json_t *doc = zones ? json_pack("{s:O}", "domains", docs) :
	    json_incref(json_array_get(docs, 0));

	json_object_set_new(doc, "dns", cmd_dns_json(r));
	cmd_json_print(doc);
	json_decref(doc);
	json_decref(docs);
}
