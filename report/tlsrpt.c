#include "report/tlsrpt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/keyed.h"
#include "util/table.h"

#define MAX_POLICIES	1000
#define MAX_DETAILS	10000

struct tls_summary {
	util_table_t *seen;
	size_t reports, duplicates;
	util_keyed_t policies, failures;	/* of tls_line_t */
};

tls_summary_t *
tls_summary_new(void)
{
	tls_summary_t *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->seen = util_table_new()) == NULL ||
	    util_keyed_init(&s->policies, sizeof(tls_line_t)) != 0 ||
	    util_keyed_init(&s->failures, sizeof(tls_line_t)) != 0) {
		tls_summary_free(s);
		return NULL;
	}
	return s;
}

static void
lines_free(util_keyed_t *l)
{
	for (size_t i = 0; i < l->n; i++) {
		tls_line_t *x = (tls_line_t *)l->v + i;

		free(x->domain);
		free(x->a);
		free(x->b);
	}
	util_keyed_free(l);
}

void
tls_summary_free(tls_summary_t *s)
{
	if (s == NULL)
		return;
	lines_free(&s->policies);
	lines_free(&s->failures);
	util_table_free(s->seen, NULL);
	free(s);
}

/* a string of a line, "" where no memory was left for it */
static const char *
nz(const char *s)
{
	return s ? s : "";
}

static const char *
line_key(const void *e, char *key, size_t len)
{
	const tls_line_t *x = e;

	snprintf(key, len, "%s\n%s\n%s", nz(x->domain), nz(x->a), nz(x->b));
	return key;
}

/* The line of domain, a and b, made when new; NULL on no memory */
static tls_line_t *
line(util_keyed_t *l, const char *domain, const char *a, const char *b)
{
	tls_line_t probe = { (char *)domain, (char *)a, (char *)b, 0, 0 }, *x;
	char key[1200];
	bool made;

	if ((x = util_keyed_get(l, line_key(&probe, key, sizeof(key)),
	    &made)) == NULL || !made)
		return x;
	if ((x->domain = strdup(domain)) == NULL ||
	    (x->a = strdup(a)) == NULL || (x->b = strdup(b)) == NULL)
		return NULL;	/* freed with the rest */
	return x;
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static uint64_t
count(json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));

	return v > 0 ? (uint64_t)v : 0;
}

/* The MX hosts of a policy, joined by ',' */
static void
hosts(json_t *policy, char *out, size_t len)
{
	json_t *h = json_object_get(policy, "mx-host");
	size_t i;
	json_t *v;

	out[0] = '\0';
	json_array_foreach(h, i, v)
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
		    i ? "," : "", json_string_value(v) ? json_string_value(v) :
		    "");
}

static int
add_policy(tls_summary_t *s, json_t *p)
{
	json_t *pol = json_object_get(p, "policy"), *sum = json_object_get(p,
	    "summary"), *details = json_object_get(p, "failure-details"), *d;
	const char *domain = str(pol, "policy-domain");
	char mx[600];
	tls_line_t *l;
	size_t i;

	hosts(pol, mx, sizeof(mx));
	if ((l = line(&s->policies, domain, str(pol, "policy-type"), mx)) ==
	    NULL)
		return -1;
	l->ok += count(sum, "total-successful-session-count");
	l->failed += count(sum, "total-failure-session-count");
	if (json_array_size(details) > MAX_DETAILS)
		return -2;
	json_array_foreach(details, i, d) {
		if ((l = line(&s->failures, domain, str(d, "result-type"),
		    str(d, "receiving-mx-hostname"))) == NULL)
			return -1;
		l->failed += count(d, "failed-session-count");
	}
	return 0;
}

int
tls_summary_add(tls_summary_t *s, const char *json, size_t len, char *why,
    size_t whylen)
{
	json_error_t err;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
	json_t *policies, *p;
	char key[600];
	size_t i;
	int rc = 1;

	if (doc == NULL) {
		snprintf(why, whylen, "not JSON: %s (line %d)", err.text,
		    err.line);
		return -1;
	}
	policies = json_object_get(doc, "policies");
	if (!json_is_object(doc) || !json_is_string(json_object_get(doc,
	    "organization-name")) || !json_is_string(json_object_get(doc,
	    "report-id")) || !json_is_array(policies)) {
		snprintf(why, whylen, "not a TLS-RPT report: no "
		    "organization-name, report-id or policies");
		json_decref(doc);
		return -1;
	}
	if (json_array_size(policies) > MAX_POLICIES) {
		snprintf(why, whylen, "more than 1,000 policies");
		json_decref(doc);
		return -1;
	}
	snprintf(key, sizeof(key), "%s\n%s", str(doc, "organization-name"),
	    str(doc, "report-id"));
	if (util_table_get(s->seen, key)) {
		s->duplicates++;
		rc = 0;
	} else if (util_table_put(s->seen, key, s) != 0)
		rc = -1;
	json_array_foreach(policies, i, p) {
		int r;

		if (rc != 1)
			break;
		if ((r = add_policy(s, p)) != 0) {
			snprintf(why, whylen, r == -2 ? "more than 10,000 failure "
			    "details in a policy" : "out of memory");
			rc = -1;
		}
	}
	if (rc == 1)
		s->reports++;
	json_decref(doc);
	return rc;
}

size_t
tls_summary_reports(const tls_summary_t *s)
{
	return s->reports;
}

size_t
tls_summary_duplicates(const tls_summary_t *s)
{
	return s->duplicates;
}

static int
by_line(const void *x, const void *y)
{
	const tls_line_t *a = x, *b = y;
	int d = strcmp(nz(a->domain), nz(b->domain));

	if (d == 0)
		d = strcmp(nz(a->a), nz(b->a));
	return d ? d : strcmp(nz(a->b), nz(b->b));
}

static const tls_line_t *
sorted(util_keyed_t *l, size_t *n)
{
	util_keyed_sort(l, by_line, line_key);
	*n = l->n;
	return l->v;
}

const tls_line_t *
tls_summary_policies(tls_summary_t *s, size_t *n)
{
	return sorted(&s->policies, n);
}

const tls_line_t *
tls_summary_failures(tls_summary_t *s, size_t *n)
{
	return sorted(&s->failures, n);
}
