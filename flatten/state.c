#include "flatten/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <time.h>

#include <jansson.h>

#include "util/digest.h"
#include "util/file.h"

#define FORMAT		"authzone-spf-flatten-state 1"
#define MAX_STATE	65536

static const char *const pending_names[] = {
	[FL_PENDING_NONE] = NULL, [FL_PENDING_PUBLISH] = "publish",
	[FL_PENDING_RELOAD] = "reload", [FL_PENDING_VERIFY] = "verify",
};

const char *
fl_pending_str(fl_pending_t p)
{
	return pending_names[p];
}

long double
fl_count_value(const char *decimal)
{
	return strtold(decimal, NULL);
}

static bool
all_digits(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || (n > 1 && s[0] == '0'))
		return false;
	return strspn(s, "0123456789") == n;
}

/* a count of the earlier format: a non-negative number, kept in decimal */
static bool
legacy_count(const json_t *v, char *out, size_t len)
{
	double d = json_number_value(v);

	if (!json_is_number(v) || d < 0 || d > 3.5e38)
		return false;
	snprintf(out, len, "%.0f", d);
	return true;
}

static fl_state_status_t
bad(char *err, size_t errlen, const char *path, const char *why)
{
	bool named = strncmp(why, "cannot read ", 12) == 0;

	snprintf(err, errlen, "%s%s%s; remove it to start over (the next run "
	    "then takes its result as the new baseline)", named ? "" : path,
	    named ? "" : ": ", why);
	return FL_STATE_BAD;
}

static fl_state_status_t
state_fields(json_t *j, const char *path, const char *domain, fl_state_t *st,
    char *err, size_t errlen)
{
	const char *fmt = json_string_value(json_object_get(j, "format"));
	const char *dom = json_string_value(json_object_get(j, "domain"));
	const json_t *n4 = json_object_get(j, "ip4_addresses"),
	    *n6 = json_object_get(j, "ip6_addresses"),
	    *recs = json_object_get(j, "records"),
	    *sha = json_object_get(j, "sha256"),
	    *serial = json_object_get(j, "serial"),
	    *pending = json_object_get(j, "pending");
	char why[512];

	if (dom == NULL || recs == NULL || !json_is_integer(recs) ||
	    json_integer_value(recs) < 1 || json_integer_value(recs) > 1000)
		return bad(err, errlen, path, "not a spf-flatten state file "
		    "(no \"domain\" or \"records\")");
	if (strcasecmp(dom, domain) != 0) {
		snprintf(why, sizeof(why), "it is the state of %.255s, not of "
		    "%s", dom, domain);
		return bad(err, errlen, path, why);
	}
	snprintf(st->domain, sizeof(st->domain), "%s", domain);
	st->records = (unsigned)json_integer_value(recs);
	if (fmt == NULL) {	/* the earlier format */
		if (!legacy_count(n4, st->ip4, sizeof(st->ip4)) ||
		    !legacy_count(n6, st->ip6, sizeof(st->ip6)))
			return bad(err, errlen, path, "not a spf-flatten state "
			    "file (bad address counts)");
		return FL_STATE_OK;
	}
	if (strcmp(fmt, FORMAT) != 0)
		return bad(err, errlen, path, "a state format this version "
		    "does not know");
	if (!json_is_integer(n4) || json_integer_value(n4) < 0 ||
	    json_integer_value(n4) > 4294967296LL || !json_is_string(n6) ||
	    !all_digits(json_string_value(n6), 39))
		return bad(err, errlen, path, "bad address counts");
	snprintf(st->ip4, sizeof(st->ip4), "%lld",
	    (long long)json_integer_value(n4));
	snprintf(st->ip6, sizeof(st->ip6), "%s", json_string_value(n6));
	if (!json_is_string(sha) || strlen(json_string_value(sha)) != 64 ||
	    strspn(json_string_value(sha), "0123456789abcdef") != 64)
		return bad(err, errlen, path, "bad \"sha256\"");
	memcpy(st->sha256, json_string_value(sha), 65);
	if (serial && !json_is_null(serial)) {
		if (!json_is_integer(serial) || json_integer_value(serial) < 0 ||
		    json_integer_value(serial) > 4294967295LL)
			return bad(err, errlen, path, "bad \"serial\"");
		st->serial = (uint32_t)json_integer_value(serial);
		st->has_serial = true;
	}
	if (pending && !json_is_null(pending)) {
		const char *p = json_string_value(pending);
		int k = FL_PENDING_PUBLISH;

		while (k <= FL_PENDING_VERIFY && (p == NULL ||
		    strcmp(p, pending_names[k]) != 0))
			k++;
		if (k > FL_PENDING_VERIFY)
			return bad(err, errlen, path, "bad \"pending\"");
		st->pending = (fl_pending_t)k;
	}
	return FL_STATE_OK;
}

fl_state_status_t
fl_state_load(const char *path, const char *domain, fl_state_t *st,
    char *err, size_t errlen)
{
	char *text, why[512];
	size_t len;
	json_error_t je;
	json_t *j;
	fl_state_status_t rc;

	memset(st, 0, sizeof(*st));
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return FL_STATE_ABSENT;
	if ((text = util_file_read_regular(path, MAX_STATE, &len, NULL, why,
	    sizeof(why))) == NULL)
		return bad(err, errlen, path, why);
	if (len == 0) {
		free(text);
		return bad(err, errlen, path, "empty");
	}
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (j == NULL) {
		snprintf(why, sizeof(why), "not JSON (line %d, column %d: %s)",
		    je.line, je.column, je.text);
		return bad(err, errlen, path, why);
	}
	rc = json_is_object(j) ? state_fields(j, path, domain, st, err,
	    errlen) : bad(err, errlen, path, "not a spf-flatten state file");
	json_decref(j);
	return rc;
}

int
fl_state_save(const char *path, const fl_state_t *st, char *err,
    size_t errlen)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *j;
	char *text;
	int rc = -1;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	j = json_pack("{s:s, s:s, s:I, s:s, s:i, s:s, s:o, s:o, s:s}",
	    "format", FORMAT, "domain", st->domain,
	    "ip4_addresses", (json_int_t)strtoll(st->ip4, NULL, 10),
	    "ip6_addresses", st->ip6, "records", (int)st->records,
	    "sha256", st->sha256,
	    "serial", st->has_serial ? json_integer(st->serial) : json_null(),
	    "pending", st->pending ? json_string(fl_pending_str(st->pending)) :
	    json_null(), "written", when);
	if (j == NULL || (text = json_dumps(j, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		json_decref(j);
		return -1;
	}
	size_t n = strlen(text);

	text[n] = '\n';	/* in place of the final NUL */
	rc = util_file_write(path, text, n + 1, 0644, true, err, errlen);
	json_decref(j);
	free(text);
	return rc;
}
