#include "report/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util/file.h"

#define FORMAT		"authzone-dmarc-report-state 1"
#define MAX_STATE	(64u << 20)
#define DAY		86400

/* The document itself is the state: "reports" is kept in memory as an
 * object keyed by "org\nid" (written as a list), the rest as in the
 * file */
struct rep_state {
	json_t *reports;	/* "org\nid" -> end */
	json_t *domains;
	int64_t newest;		/* the latest report end seen */
};

static rep_state_status_t
bad(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "%s: %s; remove it (or give another file) to "
	    "start counting again", path, why);
	return REP_STATE_BAD;
}

static rep_state_t *
state_new(void)
{
	rep_state_t *s = calloc(1, sizeof(*s));

	if (s && ((s->reports = json_object()) == NULL ||
	    (s->domains = json_object()) == NULL)) {
		rep_state_free(s);
		return NULL;
	}
	return s;
}

void
rep_state_free(rep_state_t *s)
{
	if (s == NULL)
		return;
	json_decref(s->reports);
	json_decref(s->domains);
	free(s);
}

static bool
day_ok(const char *k)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(k, "%Y-%m-%d", &tm);
	return end && *end == '\0' && strlen(k) == 10;
}

/* Each domain as the format says: days of [messages, pass], failing of
 * days, p a string, ready a boolean */
static const char *
domains_check(json_t *domains)
{
	const char *name, *k;
	json_t *d, *v;

	if (!json_is_object(domains))
		return "\"domains\" is not an object";
	json_object_foreach(domains, name, d) {
		json_t *days = json_object_get(d, "days"),
		    *failing = json_object_get(d, "failing");

		if (!json_is_object(d) || !json_is_object(days) ||
		    !json_is_object(failing) ||
		    !json_is_string(json_object_get(d, "p")) ||
		    !json_is_boolean(json_object_get(d, "ready")))
			return "a domain without days, failing, p or ready";
		json_object_foreach(days, k, v)
			if (!day_ok(k) || !json_is_array(v) ||
			    json_array_size(v) != 2 ||
			    !json_is_integer(json_array_get(v, 0)) ||
			    !json_is_integer(json_array_get(v, 1)) ||
			    json_integer_value(json_array_get(v, 1)) >
			    json_integer_value(json_array_get(v, 0)) ||
			    json_integer_value(json_array_get(v, 1)) < 0)
				return "a day that is not [messages, pass]";
		json_object_foreach(failing, k, v)
			if (!json_is_string(v) || !day_ok(json_string_value(v)))
				return "a failing source without its day";
	}
	return NULL;
}

static const char *
reports_read(rep_state_t *s, const json_t *list)
{
	size_t i;
	json_t *r;

	if (!json_is_array(list))
		return "\"reports\" is not a list";
	json_array_foreach(list, i, r) {
		const char *org = json_string_value(json_array_get(r, 0)),
		    *id = json_string_value(json_array_get(r, 1));
		json_t *end = json_array_get(r, 2);
		char *key;

		if (!json_is_array(r) || json_array_size(r) != 3 || !org ||
		    !id || !json_is_integer(end))
			return "a report that is not [org, id, end]";
		if (asprintf(&key, "%s\n%s", org, id) < 0)
			return "out of memory";
		json_object_set(s->reports, key, end);
		free(key);
		if (json_integer_value(end) > s->newest)
			s->newest = json_integer_value(end);
	}
	return NULL;
}

rep_state_status_t
rep_state_load(const char *path, rep_state_t **sp, char *err, size_t errlen)
{
	char *text, why[512];
	const char *what;
	json_error_t je;
	size_t len;
	json_t *j;

	*sp = NULL;
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return (*sp = state_new()) ? REP_STATE_NEW :
		    bad(err, errlen, path, "out of memory");
	if ((text = util_file_read_regular(path, MAX_STATE, &len, NULL, why,
	    sizeof(why))) == NULL)
		return bad(err, errlen, path, why);
	j = len ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &je) : NULL;
	free(text);
	if (j == NULL) {
		if (len)
			snprintf(why, sizeof(why), "not JSON (line %d, column "
			    "%d: %s)", je.line, je.column, je.text);
		return bad(err, errlen, path, len ? why : "empty");
	}
	if (!json_is_object(j) || !json_is_string(json_object_get(j,
	    "format")) || strcmp(json_string_value(json_object_get(j,
	    "format")), FORMAT) != 0) {
		json_decref(j);
		return bad(err, errlen, path, "not a dmarc-report state file");
	}
	if ((*sp = state_new()) == NULL) {
		json_decref(j);
		return bad(err, errlen, path, "out of memory");
	}
	if ((what = reports_read(*sp, json_object_get(j, "reports"))) == NULL &&
	    (what = domains_check(json_object_get(j, "domains"))) == NULL) {
		json_decref((*sp)->domains);
		(*sp)->domains = json_incref(json_object_get(j, "domains"));
	}
	json_decref(j);
	if (what) {
		rep_state_free(*sp);
		*sp = NULL;
		return bad(err, errlen, path, what);
	}
	return REP_STATE_OK;
}

bool
rep_state_counted(const rep_state_t *s, const char *org, const char *id,
    int64_t end, bool *old)
{
	char *key;
	bool seen;

	*old = s->newest && end < s->newest - (int64_t)REP_STATE_KEEP * DAY;
	if (*old)
		return true;
	if (asprintf(&key, "%s\n%s", org ? org : "", id ? id : "") < 0)
		return false;
	seen = json_object_get(s->reports, key) != NULL;
	free(key);
	return seen;
}

int
rep_state_count(rep_state_t *s, const char *org, const char *id,
    int64_t end)
{
	char *key;
	int rc;

	if (asprintf(&key, "%s\n%s", org ? org : "", id ? id : "") < 0)
		return -1;
	rc = json_object_set_new(s->reports, key, json_integer(end));
	free(key);
	if (end > s->newest)
		s->newest = end;
	return rc;
}

static void
day_of(int64_t t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static json_t *
domain_get(rep_state_t *s, const char *name)
{
	json_t *d = json_object_get(s->domains, name);

	if (d == NULL && (d = json_pack("{s:o, s:o, s:s, s:b}", "days",
	    json_object(), "failing", json_object(), "p", "", "ready", 0)) &&
	    json_object_set_new(s->domains, name, d) != 0)
		return NULL;
	return d;
}

/* Drops what is older than the window before the newest report */
static void
prune(rep_state_t *s)
{
	char oldest[16];
	const char *k, *name;
	json_t *v, *d;
	void *tmp;

	day_of(s->newest - (int64_t)(REP_STATE_WINDOW - 1) * DAY, oldest);
	json_object_foreach_safe(s->reports, tmp, k, v)
		if (json_integer_value(v) < s->newest -
		    (int64_t)REP_STATE_KEEP * DAY)
			json_object_del(s->reports, k);
	json_object_foreach(s->domains, name, d) {
		json_t *days = json_object_get(d, "days"),
		    *failing = json_object_get(d, "failing");

		json_object_foreach_safe(days, tmp, k, v)
			if (strcmp(k, oldest) < 0)
				json_object_del(days, k);
		json_object_foreach_safe(failing, tmp, k, v)
			if (strcmp(json_string_value(v), oldest) < 0)
				json_object_del(failing, k);
	}
}

static json_int_t
at(const json_t *pair, size_t i)
{
	return json_integer_value(json_array_get(pair, i));
}

/* The run's days of domain added to its days */
static int
days_add(json_t *days, const rep_bucket_t *b, size_t nb, const char *name)
{
	for (size_t i = 0; i < nb; i++) {
		json_t *v;

		if (strcmp(b[i].domain, name) != 0)
			continue;
		v = json_object_get(days, b[i].key);
		if (json_object_set_new(days, b[i].key, json_pack("[I, I]",
		    (json_int_t)b[i].c.messages + (v ? at(v, 0) : 0),
		    (json_int_t)b[i].c.pass + (v ? at(v, 1) : 0))) != 0)
			return -1;
	}
	return 0;
}

static int
news_fill(rep_state_t *s, rep_summary_t *run, const rep_domain_t *dom,
    rep_state_news_t *n)
{
	size_t ns, nb;
	const rep_source_t *src = rep_summary_sources(run, &ns);
	const rep_bucket_t *b = rep_summary_days(run, &nb);
	json_t *d = domain_get(s, dom->domain), *failing, *days;
	char today[16];

	if (d == NULL)
		return -1;
	failing = json_object_get(d, "failing");
	days = json_object_get(d, "days");
	memset(n, 0, sizeof(*n));
	n->domain = dom->domain;
	n->reports = dom->reports;
	if ((n->fresh = calloc(ns + 1, sizeof(*n->fresh))) == NULL)
		return -1;
	day_of(dom->end, today);
	for (size_t i = 0; i < ns; i++) {
		if (strcmp(src[i].domain, dom->domain) != 0 ||
		    src[i].c.messages == src[i].c.pass)
			continue;
		if (json_object_get(failing, src[i].ip) == NULL)
			n->fresh[n->nfresh++] = &src[i];
		if (json_object_set_new(failing, src[i].ip,
		    json_string(today)) != 0)
			return -1;
	}
	if (days_add(days, b, nb, dom->domain) != 0)
		return -1;
	if (dom->p[0])
		json_object_set_new(d, "p", json_string(dom->p));
	return 0;
}

/* The rule over the domain's days, after the run */
static void
readiness(rep_state_t *s, rep_state_news_t *n)
{
	json_t *d = json_object_get(s->domains, n->domain),
	    *days = json_object_get(d, "days"), *v;
	const char *k;
	bool was = json_is_true(json_object_get(d, "ready"));

	json_object_foreach(days, k, v) {
		n->days++;
		n->messages += (uint64_t)at(v, 0);
		n->pass += (uint64_t)at(v, 1);
	}
	snprintf(n->p, sizeof(n->p), "%s", json_string_value(json_object_get(d,
	    "p")));
	n->next = n->p[0] ? rep_next_stage(n->p) : NULL;
	n->ready = n->next && n->days >= REP_READY_DAYS && n->messages > 0 &&
	    n->pass * 1000 >= (uint64_t)REP_READY_PERMILLE * n->messages &&
	    n->nfresh == 0;
	n->became_ready = n->ready && !was;
	json_object_set_new(d, "ready", json_boolean(n->ready));
}

int
rep_state_update(rep_state_t *s, rep_summary_t *run, rep_state_news_t **news,
    size_t *n)
{
	size_t nd;
	const rep_domain_t *dom = rep_summary_domains(run, &nd);

	*n = 0;
	if ((*news = calloc(nd + 1, sizeof(**news))) == NULL)
		return -1;
	for (size_t i = 0; i < nd; i++, ++*n)
		if (news_fill(s, run, &dom[i], &(*news)[i]) != 0)
			return -1;
	prune(s);
	for (size_t i = 0; i < nd; i++)
		readiness(s, &(*news)[i]);
	return 0;
}

void
rep_state_news_free(rep_state_news_t *news, size_t n)
{
	for (size_t i = 0; news && i < n; i++)
		free(news[i].fresh);
	free(news);
}

char *
rep_state_text(const rep_state_t *s)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *list = json_array(), *j, *v;
	const char *k;
	char *text;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_foreach(s->reports, k, v) {
		const char *nl = strchr(k, '\n');

		json_array_append_new(list, json_pack("[s#, s, O]", k,
		    (int)(nl - k), nl + 1, v));
	}
	j = json_pack("{s:s, s:s, s:o, s:O}", "format", FORMAT, "written",
	    when, "reports", list, "domains", s->domains);
	text = j ? json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	return text;
}
