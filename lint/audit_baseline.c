#include "lint/audit_baseline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lint/spf_codes.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/table.h"

#define FORMAT		"authzone-mail-audit-baseline 1"
#define MAX_LINE	(1u << 20)	/* a domain's line; more is corruption */
#define NEAR_LIMIT	8		/* SPF lookups: spf-lint's warning */

const char *const audit_class_names[3] = {
	[AUDIT_WORSE] = "worse", [AUDIT_BETTER] = "better",
	[AUDIT_NEUTRAL] = "neutral",
};

/* ---- snapshots ---- */

static json_t *
findings_snapshot(const lint_findings_t *f)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < f->n; i++)
		json_array_append_new(a, json_pack("[s, s, o]",
		    f->v[i].code->code, lint_severity_str(f->v[i].code->severity),
		    lint_json_text(f->v[i].message ? f->v[i].message : "")));
	return a;
}

static json_t *
report_snapshot(const lint_report_t *rp, audit_verdict_t v, bool hash)
{
	char sha[65];
	json_t *rec = json_null();

	if (rp->record && hash) {
		util_sha256_hex(rp->record, strlen(rp->record), sha);
		rec = json_string(sha);
	} else if (rp->record)
		rec = lint_json_text(rp->record);
	return json_pack("{s:s, s:o, s:o}", "verdict", audit_verdict_names[v],
	    "record", rec, "findings", findings_snapshot(&rp->f));
}

json_t *
audit_snapshot(const audit_result_t *res)
{
	json_t *areas = json_object(), *a;

	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		if (i == AUDIT_PARKED && res->verdict[i] == AUDIT_SKIPPED)
			continue;
		if (i == AUDIT_DKIM) {
			json_t *sel = json_object();

			for (size_t k = 0; k < res->ndkim; k++)
				json_object_set_new(sel, res->dkim[k].owner,
				    report_snapshot(&res->dkim[k],
				    res->dkim_verdict[k], true));
			a = json_pack("{s:s, s:o}", "verdict",
			    audit_verdict_names[res->verdict[i]], "selectors", sel);
		} else
			a = report_snapshot(&res->area[i], res->verdict[i], false);
		if (a == NULL)
			continue;
		if (i == AUDIT_SPF)
			json_object_update_new(a, json_pack("{s:i, s:i}",
			    "lookups", (int)res->lookups, "void_lookups",
			    (int)res->voids));
		if (i == AUDIT_DMARC)
			json_object_set_new(a, "policy", json_string(res->policy));
		if (i == AUDIT_BIMI)
			json_object_set_new(a, "owner",
			    json_string(res->area[i].owner));
		if (i == AUDIT_MTASTS)
			json_object_update_new(a, json_pack("{s:s, s:s}", "mode",
			    res->mode, "policy", res->sts_policy));
		json_object_set_new(areas, audit_area_names[i], a);
	}
	return json_pack("{s:s, s:s, s:o}", "domain", res->domain, "verdict",
	    audit_verdict_names[res->overall], "areas", areas);
}

/* ---- changes ---- */

void
audit_changes_clear(audit_changes_t *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].code);
		free(c->v[i].was);
		free(c->v[i].now);
		free(c->v[i].message);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

bool
audit_changes_worse(const audit_changes_t *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].class == AUDIT_WORSE)
			return true;
	return false;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Adds a change; the message from fmt */
static int
change_add(audit_changes_t *out, const char *area, const char *selector,
    const char *kind, audit_class_t class, const char *code, const char *was,
    const char *now, const char *fmt, ...)
{
	audit_change_t *c;
	va_list ap;
	char msg[1024];

	if (out->n == out->cap) {
		size_t cap = out->cap ? 2 * out->cap : 8;
		audit_change_t *v = realloc(out->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		out->v = v;
		out->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c = &out->v[out->n];
	memset(c, 0, sizeof(*c));
	c->area = area;
	c->kind = kind;
	c->class = class;
	snprintf(c->owner, sizeof(c->owner), "%s", selector ? selector :
	    "");
	c->code = dup_or_null(code);
	c->was = dup_or_null(was);
	c->now = dup_or_null(now);
	c->message = strdup(msg);
	if ((code && !c->code) || (was && !c->was) || (now && !c->now) ||
	    !c->message) {
		out->n++;
		return -1;	/* cleared with the rest */
	}
	out->n++;
	return 0;
}

int
audit_change_domain(audit_changes_t *out, bool first)
{
	return first ? change_add(out, "domain", NULL, "domain", AUDIT_NEUTRAL,
	    NULL, NULL, NULL, "first audit of this domain, stored") :
	    change_add(out, "domain", NULL, "domain", AUDIT_NEUTRAL, NULL, NULL,
	    NULL, "no longer audited, dropped from the baseline");
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
num(const json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* How bad a verdict is; -1 when it is not compared (a DNS error) */
static int
verdict_rank(const char *v)
{
	static const char *const order[] = { "pass", "skipped", "absent",
	    "warn", "fail" };
	static const int rank[] = { 0, 0, 1, 2, 3 };

	for (size_t i = 0; v && i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(v, order[i]) == 0)
			return rank[i];
	return -1;
}

/* The strength of a DMARC policy or an MTA-STS mode: "" is none at all */
static int
strength(const char *v, const char *const *order)
{
	for (int i = 0; v && order[i]; i++)
		if (strcmp(v, order[i]) == 0)
			return i;
	return -1;
}

static audit_class_t
by_rank(int was, int now, bool higher_is_worse)
{
	if (was == now)
		return AUDIT_NEUTRAL;
	return (now > was) == higher_is_worse ? AUDIT_WORSE : AUDIT_BETTER;
}

/* The area's label in a message: "spf", "dkim s1" */
struct where {
	const char *area, *selector;
};

static int
verdict_diff(const struct where *w, const json_t *a, const json_t *b,
    audit_changes_t *out)
{
	const char *was = str(a, "verdict"), *now = str(b, "verdict");
	int ra = verdict_rank(was), rb = verdict_rank(now);

	if (same(was, now) || ra < 0 || rb < 0)
		return 0;
	return change_add(out, w->area, w->selector, "verdict", by_rank(ra, rb,
	    true), NULL, was, now, "verdict %s -> %s", was, now);
}

static const json_t *
finding_in(const json_t *list, const char *code)
{
	size_t i;
	json_t *f;

	json_array_foreach(list, i, f)
		if (same(json_string_value(json_array_get(f, 0)), code))
			return f;
	return NULL;
}

static bool
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && strcmp(s + n - m, end) == 0;
}

/* Each code that appeared or went (a code counted once: its first
 * message stands for the others); a "...-no-record" finding only when
 * the record line did not say it */
static int
findings_diff(const struct where *w, const json_t *a, const json_t *b,
    audit_changes_t *out)
{
	bool presence = (str(a, "record") == NULL) != (str(b, "record") == NULL);

	const json_t *fa = json_object_get(a, "findings"),
	    *fb = json_object_get(b, "findings");

	for (int pass = 0; pass < 2; pass++) {
		const json_t *from = pass ? fa : fb, *other = pass ? fb : fa;
		size_t i;
		json_t *f;

		json_array_foreach(from, i, f) {
			const char *code = json_string_value(json_array_get(f, 0)),
			    *sev = json_string_value(json_array_get(f, 1)),
			    *msg = json_string_value(json_array_get(f, 2));
			bool counts = same(sev, "error") || same(sev, "warning");
			audit_class_t class = !counts ? AUDIT_NEUTRAL :
			    pass ? AUDIT_BETTER : AUDIT_WORSE;

			if (code == NULL || finding_in(other, code) ||
			    finding_in(from, code) != f ||
			    (presence && ends_with(code, "-no-record")))
				continue;
			if (change_add(out, w->area, w->selector, "finding",
			    class, code, pass ? sev : NULL, pass ? NULL : sev,
			    "%s %s %s: %s", pass ? "no longer" : "new",
			    sev ? sev : "finding", code, msg ? msg : "") != 0)
				return -1;
		}
	}
	return 0;
}

static int
record_diff(const struct where *w, const char *kind, const json_t *a,
    const json_t *b, audit_changes_t *out)
{
	const char *was = str(a, "record"), *now = str(b, "record");
	bool key = strcmp(kind, "key") == 0;

	if (same(was, now))
		return 0;
	if (was == NULL)
		return change_add(out, w->area, w->selector, kind, AUDIT_BETTER,
		    NULL, NULL, now, key ? "key published" :
		    "record published: %s", now);
	if (now == NULL)
		return change_add(out, w->area, w->selector, kind, AUDIT_WORSE,
		    NULL, was, NULL, key ? "key removed" :
		    "record removed (it was: %s)", was);
	return change_add(out, w->area, w->selector, kind, AUDIT_NEUTRAL, NULL,
	    was, now, key ? "key changed" : "record changed: %s", now);
}

/* One SPF count against a limit: crossing it either way, else neutral */
static int
count_diff(const char *kind, int was, int now, int limit, int near,
    audit_changes_t *out)
{
	char a[16], b[16];
	int levels[] = { near, limit };
	audit_class_t class = AUDIT_NEUTRAL;
	const char *why = "";

	if (was == now)
		return 0;
	for (size_t i = 0; i < 2; i++)
		if (levels[i] > 0 && (was > levels[i]) != (now > levels[i])) {
			class = now > was ? AUDIT_WORSE : AUDIT_BETTER;
			why = i == 1 ? (now > was ? ", over the limit" :
			    ", within the limit again") : (now > was ?
			    ", near the limit" : ", no longer near the limit");
		}
	snprintf(a, sizeof(a), "%d", was);
	snprintf(b, sizeof(b), "%d", now);
	return change_add(out, "spf", NULL, kind, class, NULL, a, b,
	    "%s %d -> %d (limit %d)%s", strcmp(kind, "lookups") == 0 ?
	    "DNS lookups" : "void lookups", was, now, limit, why);
}

static int
strength_diff(const char *area, const char *kind, const char *what,
    const char *was, const char *now, const char *const *order,
    audit_changes_t *out)
{
	int sa = strength(was, order), sb = strength(now, order);

	if (same(was, now) || sa == sb)
		return 0;
	return change_add(out, area, NULL, kind, by_rank(sa, sb, false), NULL,
	    was && *was ? was : NULL, now && *now ? now : NULL,
	    "%s %s: %s -> %s", what, sb > sa ? "strengthened" : "weakened",
	    was && *was ? was : "(none)", now && *now ? now : "(none)");
}

static int
area_diff(const char *name, const json_t *a, const json_t *b,
    audit_changes_t *out)
{
	static const char *const policies[] = { "", "none", "quarantine",
	    "reject", NULL };
	static const char *const modes[] = { "", "none", "testing", "enforce",
	    NULL };
	struct where w = { name, NULL };

	if (verdict_diff(&w, a, b, out) != 0 ||
	    record_diff(&w, "record", a, b, out) != 0 ||
	    findings_diff(&w, a, b, out) != 0)
		return -1;
	if (strcmp(name, "spf") == 0)
		return count_diff("lookups", num(a, "lookups"), num(b, "lookups"),
		    SPF_LOOKUP_LIMIT, NEAR_LIMIT, out) != 0 ||
		    count_diff("void-lookups", num(a, "void_lookups"),
		    num(b, "void_lookups"), SPF_VOID_LIMIT, 0, out) != 0 ? -1 : 0;
	if (strcmp(name, "dmarc") == 0)
		return strength_diff(name, "policy", "policy", str(a, "policy"),
		    str(b, "policy"), policies, out);
	if (strcmp(name, "mta-sts") == 0) {
		const char *pa = str(a, "policy"), *pb = str(b, "policy");

		if (strength_diff(name, "mode", "mode", str(a, "mode"),
		    str(b, "mode"), modes, out) != 0)
			return -1;
		if (pa && pb && *pa && *pb && !same(pa, pb))
			return same(str(a, "record"), str(b, "record")) ?
			    change_add(out, name, NULL, "sts-policy", AUDIT_WORSE,
			    NULL, pa, pb, "the policy file changed but the id= "
			    "of the _mta-sts record did not: senders keep the "
			    "policy they cached until its max_age") :
			    change_add(out, name, NULL, "sts-policy",
			    AUDIT_NEUTRAL, NULL, pa, pb, "the policy file "
			    "changed, with a new id=");
	}
	return 0;
}

static int
dkim_diff(const json_t *a, const json_t *b, audit_changes_t *out)
{
	const json_t *sa = json_object_get(a, "selectors"),
	    *sb = json_object_get(b, "selectors");
	const char *sel;
	json_t *ka;

	/* only the selectors asked for both times */
	json_object_foreach((json_t *)sa, sel, ka) {
		const json_t *kb = json_object_get(sb, sel);
		struct where w = { "dkim", sel };

		if (kb == NULL)
			continue;
		if (verdict_diff(&w, ka, kb, out) != 0 ||
		    record_diff(&w, "key", ka, kb, out) != 0 ||
		    findings_diff(&w, ka, kb, out) != 0)
			return -1;
	}
	return 0;
}

int
audit_snapshot_diff(const json_t *old, const json_t *now,
    audit_changes_t *out)
{
	const json_t *aa = json_object_get(old, "areas"),
	    *ab = json_object_get(now, "areas");
	struct where w = { "domain", NULL };

	if (verdict_diff(&w, old, now, out) != 0)
		return -1;
	for (size_t i = 0; i < AUDIT_NAREAS; i++) {
		const char *name = audit_area_names[i];
		const json_t *a = json_object_get(aa, name),
		    *b = json_object_get(ab, name);

		/* an area audited only one of the times (--parked, another
		 * BIMI selector) has nothing to compare */
		if (!json_is_object(a) || !json_is_object(b) ||
		    (i == AUDIT_BIMI && !same(str(a, "owner"), str(b, "owner"))))
			continue;
		if ((i == AUDIT_DKIM ? dkim_diff(a, b, out) :
		    area_diff(name, a, b, out)) != 0)
			return -1;
	}
	return 0;
}

/* ---- the file ---- */

/* Where each domain's line is, found by a 64-bit hash of its name: the
 * name itself is not kept but read back from the line, so a domain costs
 * a slot of 24 bytes, not its name and a table entry */
#define AT_NEW	(-1)	/* a domain of this run that the file did not hold */

struct slot {
	uint64_t hash;	/* 0: empty */
	int64_t at;	/* the offset of its stored line, or AT_NEW */
	bool asked, written;
};

struct audit_baseline {
	FILE *old;		/* the stored file, NULL when there is none */
	struct slot *slots;
	size_t cap, used, nold;	/* cap: a power of two */
	bool writing;
	util_file_out_t out;
	util_sha256_t hash;
	size_t nout;
	int lock;
	char *line;		/* getline's buffer */
	size_t cap_line;
};

static uint64_t
name_hash(const char *name)
{
	uint64_t h = util_table_hash(name);

	return h ? h : 1;
}

/* The next line of the stored file, or -1 at the end or past MAX_LINE
 * (*toolong then) */
static ssize_t
line_read(audit_baseline_t *b, bool *toolong)
{
	ssize_t n = getline(&b->line, &b->cap_line, b->old);

	*toolong = n > (ssize_t)MAX_LINE;
	return *toolong ? -1 : n;
}

/* The stored line at at, parsed; NULL when it cannot be read */
static json_t *
line_at(audit_baseline_t *b, int64_t at)
{
	bool toolong;
	ssize_t n;

	if (fseeko(b->old, (off_t)at, SEEK_SET) != 0 ||
	    (n = line_read(b, &toolong)) <= 0)
		return NULL;
	return json_loadb(b->line, (size_t)n, 0, NULL);
}

static int
slots_grow(audit_baseline_t *b)
{
	size_t cap = b->cap ? 2 * b->cap : 1024;
	struct slot *v = calloc(cap, sizeof(*v));

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < b->cap; i++) {
		size_t k = b->slots[i].hash & (cap - 1);

		if (b->slots[i].hash == 0)
			continue;
		while (v[k].hash)
			k = (k + 1) & (cap - 1);
		v[k] = b->slots[i];
	}
	free(b->slots);
	b->slots = v;
	b->cap = cap;
	return 0;
}

/* The slot of domain, with its stored line parsed in *doc when doc is
 * given (NULL: a new domain); NULL when it has none.  -1 in *io when a
 * line cannot be read again. */
static struct slot *
slot_find(audit_baseline_t *b, const char *domain, json_t **doc, int *io)
{
	uint64_t h = name_hash(domain);

	if (doc)
		*doc = NULL;
	*io = 0;
	for (size_t k = h & (b->cap - 1); b->cap && b->slots[k].hash;
	    k = (k + 1) & (b->cap - 1)) {
		struct slot *s = &b->slots[k];
		json_t *line;

		if (s->hash != h)
			continue;
		if (s->at == AT_NEW)
			return s;
		if ((line = line_at(b, s->at)) == NULL) {
			*io = -1;
			return NULL;
		}
		if (same(str(line, "domain"), domain)) {
			if (doc)
				*doc = line;
			else
				json_decref(line);
			return s;
		}
		json_decref(line);	/* another name of the same hash */
	}
	return NULL;
}

static struct slot *
slot_add(audit_baseline_t *b, const char *domain, int64_t at)
{
	uint64_t h = name_hash(domain);
	size_t k;

	if (2 * (b->used + 1) > b->cap && slots_grow(b) != 0)
		return NULL;
	for (k = h & (b->cap - 1); b->slots[k].hash; k = (k + 1) & (b->cap - 1))
		;
	b->slots[k] = (struct slot){ .hash = h, .at = at };
	b->used++;
	return &b->slots[k];
}

static audit_base_status_t
bad(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "%s: %s; remove it (or give another file) to "
	    "start a new baseline", path, why);
	return AUDIT_BASE_BAD;
}

/* Notes the stored line at at of domain; "stored twice" when the name is
 * there already */
static const char *
index_add(audit_baseline_t *b, const char *domain, int64_t at)
{
	off_t here = ftello(b->old);
	struct slot *s;
	int io;

	s = slot_find(b, domain, NULL, &io);	/* may read another line */
	if (fseeko(b->old, here, SEEK_SET) != 0 || io != 0)
		return "cannot be read again";
	if (s)
		return "a domain is stored twice";
	return slot_add(b, domain, at) ? NULL : "out of memory";
}

/* Reads the stored file through: the header, each domain's place, the
 * end line and the hash of all before it */
static audit_base_status_t
index_read(audit_baseline_t *b, const char *path, char *err, size_t errlen)
{
	util_sha256_t h;
	char sha[65];
	json_t *doc, *end = NULL;
	bool toolong;
	ssize_t n;
	int64_t at = 0;
	audit_base_status_t st = AUDIT_BASE_OK;

	util_sha256_init(&h);
	for (unsigned long line = 1; (n = line_read(b, &toolong)) >= 0; line++) {
		const char *domain, *why = NULL;

		if (end || n == 0 || b->line[n - 1] != '\n' || (doc =
		    json_loadb(b->line, (size_t)n, JSON_REJECT_DUPLICATES,
		    NULL)) == NULL) {
			st = bad(err, errlen, path, end ? "lines after its end "
			    "line" : "a line is not JSON (the file is corrupt "
			    "or was cut short)");
			break;
		}
		domain = str(doc, "domain");
		if (line == 1 && !same(str(doc, "format"), FORMAT))
			why = "not a mail-audit baseline";
		else if (line > 1 && json_object_get(doc, "end"))
			end = json_incref(doc);
		else if (line > 1 && domain == NULL)
			why = "a line without a domain";
		else if (line > 1 && (why = index_add(b, domain, at)) == NULL)
			b->nold++;
		json_decref(doc);
		if (why) {
			st = bad(err, errlen, path, why);
			break;
		}
		if (!end)
			util_sha256_add(&h, b->line, (size_t)n);
		at += n;
	}
	util_sha256_end(&h, sha);
	if (st == AUDIT_BASE_OK && toolong)
		st = bad(err, errlen, path, "a line longer than 1 MiB");
	else if (st == AUDIT_BASE_OK && ferror(b->old))
		st = bad(err, errlen, path, strerror(errno));
	else if (st == AUDIT_BASE_OK && at == 0)
		st = bad(err, errlen, path, "empty, not a mail-audit baseline");
	else if (st == AUDIT_BASE_OK && end == NULL)
		st = bad(err, errlen, path, "no end line: cut short");
	else if (st == AUDIT_BASE_OK && (json_integer_value(json_object_get(end,
	    "end")) != (json_int_t)b->nold || !same(str(end, "sha256"), sha)))
		st = bad(err, errlen, path, "its end line does not match its "
		    "lines: corrupt");
	json_decref(end);
	return st;
}

static int
out_line(audit_baseline_t *b, const char *text, size_t len)
{
	util_sha256_add(&b->hash, text, len);
	if (util_file_out_write(&b->out, text, len) != 0 ||
	    util_file_out_write(&b->out, "\n", 1) != 0)
		return -1;
	util_sha256_add(&b->hash, "\n", 1);
	b->nout++;
	return 0;
}

audit_base_status_t
audit_baseline_open(const char *path, bool write, unsigned lock_wait,
    audit_baseline_t **bp, char *err, size_t errlen)
{
	audit_baseline_t *b = calloc(1, sizeof(*b));
	audit_base_status_t st = AUDIT_BASE_OK;
	char lock[4200], stamp[32], *head;
	json_t *doc;
	struct stat sb;
	time_t now = time(NULL);
	int rc, fd;

	*bp = NULL;
	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return AUDIT_BASE_BAD;
	}
	b->lock = -1;
	if (write) {
		snprintf(lock, sizeof(lock), "%s.lock", path);
		if ((rc = util_file_lock(lock, lock_wait, err, errlen)) < 0) {
			audit_baseline_free(b);
			return rc == -2 ? AUDIT_BASE_BUSY : AUDIT_BASE_BAD;
		}
		b->lock = rc;
	}
	/* no wait in open() for a FIFO: it is refused below, not read */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0 &&
	    (b->old = fdopen(fd, "r")) == NULL)
		close(fd);
	if (b->old == NULL && errno != ENOENT)
		st = bad(err, errlen, path, strerror(errno));
	else if (b->old && (fstat(fileno(b->old), &sb) != 0 ||
	    !S_ISREG(sb.st_mode)))
		st = bad(err, errlen, path, "not a regular file");
	else if (b->old)
		st = index_read(b, path, err, errlen);
	else
		st = AUDIT_BASE_NEW;
	if (st == AUDIT_BASE_BAD) {
		audit_baseline_free(b);
		return st;
	}
	if (write) {
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ",
		    gmtime(&now));
		if (util_file_out_open(&b->out, path, 0644, err, errlen) != 0) {
			audit_baseline_free(b);
			return AUDIT_BASE_BAD;
		}
		b->writing = true;
		util_sha256_init(&b->hash);
		doc = json_pack("{s:s, s:s}", "format", FORMAT, "written",
		    stamp);
		head = doc ? json_dumps(doc, JSON_COMPACT |
		    JSON_PRESERVE_ORDER) : NULL;
		rc = head ? out_line(b, head, strlen(head)) : -1;
		json_decref(doc);
		free(head);
		b->nout = 0;	/* the domains' lines */
		if (rc != 0) {
			snprintf(err, errlen, "%s: cannot write: out of memory "
			    "or disk", path);
			audit_baseline_free(b);
			return AUDIT_BASE_BAD;
		}
	}
	*bp = b;
	return st;
}

size_t
audit_baseline_count(const audit_baseline_t *b)
{
	return b->nold;
}

int
audit_baseline_swap(audit_baseline_t *b, const char *domain,
    const json_t *now, json_t **old, char *err, size_t errlen)
{
	struct slot *s;
	char *text;
	int io, rc;

	err[0] = '\0';
	s = slot_find(b, domain, old, &io);
	if (io != 0) {
		snprintf(err, errlen, "the baseline's line of %s cannot be read "
		    "again", domain);
		return -1;
	}
	if (s == NULL && (s = slot_add(b, domain, AT_NEW)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->asked = true;
	if (!b->writing || s->written)
		return 0;	/* a domain given twice is stored once */
	s->written = true;
	if ((text = json_dumps(now, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		rc = -1;
	else
		rc = out_line(b, text, strlen(text));
	free(text);
	if (rc != 0)
		snprintf(err, errlen, "cannot write the new baseline");
	return rc;
}

int
audit_baseline_keep(audit_baseline_t *b, const char *domain)
{
	struct slot *s;
	json_t *doc;
	char *text;
	int io, rc;

	s = slot_find(b, domain, &doc, &io);
	if (io != 0)
		return -1;
	if (s == NULL)
		return 0;	/* nothing stored, nothing to keep */
	s->asked = true;
	if (!b->writing || s->written || doc == NULL) {
		json_decref(doc);
		return 0;
	}
	s->written = true;
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	rc = text ? out_line(b, text, strlen(text)) : -1;
	free(text);
	json_decref(doc);
	return rc;
}

static int
by_offset(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
audit_baseline_dropped(audit_baseline_t *b,
    void (*fn)(void *arg, const char *domain), void *arg)
{
	int64_t *at;
	size_t n = 0;
	int rc = 0;

	/* in the file's order */
	if ((at = malloc((b->nold + 1) * sizeof(*at))) == NULL)
		return -1;
	for (size_t i = 0; i < b->cap; i++)
		if (b->slots[i].hash && !b->slots[i].asked &&
		    b->slots[i].at != AT_NEW)
			at[n++] = b->slots[i].at;
	qsort(at, n, sizeof(*at), by_offset);
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_t *doc = line_at(b, at[i]);

		if (doc == NULL)
			rc = -1;
		else
			fn(arg, str(doc, "domain"));
		json_decref(doc);
	}
	free(at);
	return rc;
}

int
audit_baseline_commit(audit_baseline_t *b, size_t *n, char *err,
    size_t errlen)
{
	char sha[65], end[128];
	int rc;

	util_sha256_end(&b->hash, sha);
	snprintf(end, sizeof(end), "{\"end\":%zu,\"sha256\":\"%s\"}\n", b->nout,
	    sha);
	util_file_out_write(&b->out, end, strlen(end));
	rc = util_file_out_commit(&b->out, true, err, errlen);
	b->writing = false;
	*n = b->nout;
	return rc;
}

void
audit_baseline_free(audit_baseline_t *b)
{
	if (b == NULL)
		return;
	if (b->writing) {
		char sha[65];

		util_sha256_end(&b->hash, sha);
		util_file_out_abort(&b->out);
	}
	if (b->old)
		fclose(b->old);
	free(b->slots);
	util_file_unlock(b->lock);
	free(b->line);
	free(b);
}
