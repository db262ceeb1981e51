#include "cli/spf_flatten.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/spf_tree.h"
#include "dns/transport.h"
#include "dns/update.h"
#include "flatten/flatten.h"
#include "flatten/publish.h"
#include "flatten/serial.h"
#include "flatten/state.h"
#include "lint/spf_walk.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/time.h"


void
flatten_job_init(struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->opt = (fl_options_t){ .keep = j->keep, .max_record_bytes = 450,
	    .max_lookups = 10, .prefix = "_spf" };
	j->shrink = 50;
	j->lock_wait = 60000;
	j->ttl = 3600;
	j->format = GEN_ZONE;
}

/* One setting, from the command line or the config file; -1 with err */
/* --prefix: a label that makes names (PREFIX1.DOMAIN) */
static bool
prefix_ok(const char *arg)
{
	char test[300], norm[256];

	snprintf(test, sizeof(test), "%s1.example", arg);
	return util_name_normalize(test, norm, sizeof(norm)) == 0 &&
	    !strchr(arg, '.') && !strpbrk(arg, "\\ ");
}

int
flatten_job_option(struct job *j, int c, const char *arg, char *err, size_t len)
{
	unsigned v;

	if (c >= OPT_JSON && (size_t)(c - OPT_JSON) < sizeof(j->set))
		j->set[c - OPT_JSON] = true;
	switch (c) {
	case OPT_SOURCE: j->source = arg; return 0;
	case OPT_RECORD: j->record = arg; return 0;
	case OPT_RESOLVE: j->opt.resolve_a_mx = true; return 0;
	case OPT_KEEP:
		if (j->opt.nkeep == MAX_KEEP)
			break;
		j->keep[j->opt.nkeep++] = arg;
		return 0;
	case OPT_MAXBYTES:
		if (cmd_parse_uint(arg, 100, 65535, &v) != 0)
			break;
		j->opt.max_record_bytes = v;
		return 0;
	case OPT_MAXLOOKUPS:
		return cmd_parse_uint(arg, 1, 10, &j->opt.max_lookups) ?
		    (snprintf(err, len, "want 1 to 10"), -1) : 0;
	case OPT_PREFIX:
		if (!prefix_ok(arg))
			break;
		j->opt.prefix = arg;
		return 0;
	case OPT_OUTPUT: j->output = arg; return 0;
	case OPT_STATE: j->state = arg; return 0;
	case OPT_BUMP: j->bump = arg; return 0;
	case OPT_RELOAD: j->reload = arg; return 0;
	case OPT_VERIFY: {
		dns_addr_t a;

		if (dns_addr_parse(&a, arg) != 0)
			break;
		j->verify = arg;
		return 0;
	}
	case OPT_LOCK_WAIT:
		return cmd_parse_uint(arg, 0, 3600000, &j->lock_wait) ?
		    (snprintf(err, len, "want milliseconds, 0 to 3600000"),
		    -1) : 0;
	case OPT_SHRINK:
		return cmd_parse_uint(arg, 0, 100, &j->shrink) ?
		    (snprintf(err, len, "want 0 to 100"), -1) : 0;
	case OPT_CHECK: j->check = true; return 0;
	case OPT_DRY: j->dry = true; return 0;
	case OPT_FORCE: j->force = true; return 0;
	case OPT_UPDATE: j->update = arg; return 0;
	case OPT_TSIG_KEY:
	case OPT_TSIG:
		if ((c == OPT_TSIG ? dns_tsig_parse(arg, &j->tsig, err, len) :
		    dns_tsig_load(arg, &j->tsig, err, len)) != 0)
			return -1;
		j->signed_update = true;
		return 0;
	case OPT_TTL:
		if (cmd_parse_uint(arg, 0, 2147483647u, &v) != 0)
			break;
		j->ttl = v;
		j->ttl_given = true;
		return 0;
	case OPT_FORMAT:
		if (cmd_gen_format(arg, &j->format) != 0)
			break;
		return 0;
	}
	snprintf(err, len, "bad value '%s'", arg);
	return -1;
}

const struct option flatten_longopts[] = {
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "resolve-a-mx", no_argument, NULL, OPT_RESOLVE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "max-record-bytes", required_argument, NULL, OPT_MAXBYTES },
	{ "max-lookups", required_argument, NULL, OPT_MAXLOOKUPS },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "bump-serial", required_argument, NULL, OPT_BUMP },
	{ "reload", required_argument, NULL, OPT_RELOAD },
	{ "verify", required_argument, NULL, OPT_VERIFY },
	{ "lock-wait", required_argument, NULL, OPT_LOCK_WAIT },
	{ "max-shrink", required_argument, NULL, OPT_SHRINK },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "update", required_argument, NULL, OPT_UPDATE },
	{ "tsig-key", required_argument, NULL, OPT_TSIG_KEY },
	{ "tsig", required_argument, NULL, OPT_TSIG },
	{ "config", required_argument, NULL, OPT_CONFIG },
	CMD_GEN_LONGOPTS,
	CMD_COMMON_LONGOPTS
};

/* "spf-flatten: error: DOMAIN: ..." */
static void
job_error(const cmd_opts_t *o, const char *domain, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
job_error(const cmd_opts_t *o, const char *domain, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: %s: ", o->prog, domain);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The source record's text (the caller frees it); NULL with the exit
 * status in *status */
static char *
job_source(const cmd_opts_t *o, dns_resolver_t *r, const struct job *j,
    const char *domain, char *name, int *status)
{
	const dns_answer_t *a;
	size_t count, len;
	char *text;

	if (j->source == NULL)
		return strdup(j->record);
	if (util_name_normalize(j->source, name, 256) != 0) {
		job_error(o, domain, "'%s' is not a domain name", j->source);
		*status = EXIT_USAGE;
		return NULL;
	}
	a = dns_resolver_get(r, name, LDNS_RR_TYPE_TXT);
	if (dns_result_is_failure(a->result)) {
		job_error(o, domain, "the source %s TXT: %s; nothing written",
		    name, dns_result_str(a->result));
		*status = EXIT_DNS;
		return NULL;
	}
	text = a->result == DNS_OK ? spf_txt_select(a->rrs, &count, &len) :
	    NULL;
	if (text == NULL) {
		job_error(o, domain, "the source %s has no single SPF record; "
		    "nothing written", name);
		*status = EXIT_DNS;
	}
	return text;
}

/* What one run of a job works with */
struct run {
	const cmd_opts_t *o;
	dns_resolver_t *r;
	struct job *j;
	char domain[256], source[256];
	char *text;		/* the source record */
	fl_result_t res;
	char *snippet, sha[65];
	fl_state_t st, old;
	fl_state_status_t had;	/* of old */
	uint32_t ttl;
};

/* The guard of a cron job: a provider's transient empty answer must not
 * wipe a domain's authorization */
static int
run_shrink_guard(struct run *u)
{
	const char *was[2] = { u->old.ip4, u->old.ip6 },
	    *now[2] = { u->st.ip4, u->st.ip6 };

	if (u->had != FL_STATE_OK || u->j->force)
		return EXIT_CLEAN;
	for (int k = 0; k < 2; k++) {
		long double w = fl_count_value(was[k]),
		    n = fl_count_value(now[k]);

		if (w > 0 && (w - n) * 100 > w * u->j->shrink) {
			job_error(u->o, u->domain, "the IPv%c addresses would "
			    "shrink by %.0Lf%%, more than --max-shrink %u%%; "
			    "nothing written (--force writes it)", k ? '6' :
			    '4', (w - n) * 100 / w, u->j->shrink);
			return EXIT_FINDINGS;
		}
	}
	return EXIT_CLEAN;
}

static int
run_state_save(struct run *u)
{
	char err[1024];

	if (u->j->state == NULL)
		return EXIT_CLEAN;
	if (fl_state_save(u->j->state, &u->st, err, sizeof(err)) != 0) {
		job_error(u->o, u->domain, "%s", err);
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}

/* The reload and the check that follow a publication; the state says
 * which of them is still to do */
static int
run_serve(struct run *u)
{
	struct job *j = u->j;
	char err[1024], serial[16], origin[256] = "";
	int status = EXIT_CLEAN;

	snprintf(serial, sizeof(serial), "%u", u->st.serial);
	if (u->st.pending == FL_PENDING_RELOAD && j->reload) {
		char e1[300], e2[300], e3[320], e4[300];
		const char *env[] = { e1, e2, e3, e4, NULL };

		snprintf(e1, sizeof(e1), "AUTHZONE_DOMAIN=%s", u->domain);
		snprintf(e2, sizeof(e2), "AUTHZONE_OUTPUT=%s", j->output ?
		    j->output : "");
		snprintf(e3, sizeof(e3), "AUTHZONE_ZONEFILE=%s", j->bump ?
		    j->bump : "");
		snprintf(e4, sizeof(e4), "AUTHZONE_SERIAL=%s",
		    u->st.has_serial ? serial : "");
		if (fl_reload_run(j->reload, env, u->o->deadline_ms, err,
		    sizeof(err)) != 0) {
			job_error(u->o, u->domain, "%s; the next run tries "
			    "the reload again", err);
			return run_state_save(u) ? EXIT_USAGE : EXIT_RELOAD;
		}
	}
	if (u->st.pending >= FL_PENDING_RELOAD)
		u->st.pending = FL_PENDING_VERIFY;
	if (u->st.pending == FL_PENDING_VERIFY && j->verify) {
		fl_expect_t e = { .server = j->verify, .owners = u->res.owners,
		    .records = u->res.records, .n = u->res.nrecords,
		    .timeout_ms = u->o->timeout_ms,
		    .deadline = util_now_ms() + u->o->deadline_ms };
		uint32_t now;

		if (j->bump && fl_serial_read(j->bump, &now, origin, err,
		    sizeof(err)) == 0) {
			e.zone = origin;
			e.serial = u->st.has_serial ? u->st.serial : now;
		}
		if (fl_verify(&e, err, sizeof(err)) != 0) {
			job_error(u->o, u->domain, "%s; the next run %s again",
			    err, j->reload ? "reloads and checks" : "checks");
			u->st.pending = j->reload ? FL_PENDING_RELOAD :
			    FL_PENDING_VERIFY;
			return run_state_save(u) ? EXIT_USAGE : EXIT_VERIFY;
		}
		if (u->o->verbose)
			fprintf(stderr, "%s: %s: %s serves the new records\n",
			    u->o->prog, u->domain, j->verify);
	}
	u->st.pending = FL_PENDING_NONE;
	return status;
}

/* Writes the records, raises the serial: the publication proper */
static int
run_publish(struct run *u, bool write_output)
{
	struct job *j = u->j;
	char err[1024], origin[256];
	uint32_t old, new;

	if (j->bump && fl_serial_read(j->bump, &old, origin, err,
	    sizeof(err)) != 0) {
		job_error(u->o, u->domain, "--bump-serial: %s; nothing written",
		    err);
		return EXIT_USAGE;
	}
	u->st.pending = FL_PENDING_PUBLISH;
	if (run_state_save(u) != EXIT_CLEAN)
		return EXIT_USAGE;
	if (write_output && util_file_write(j->output, u->snippet,
	    strlen(u->snippet), 0644, true, err, sizeof(err)) != 0) {
		job_error(u->o, u->domain, "%s", err);
		return EXIT_USAGE;
	}
	if (j->bump) {
		if (fl_serial_bump(j->bump, time(NULL), &old, &new, origin, err,
		    sizeof(err)) != 0) {
			job_error(u->o, u->domain, "--bump-serial: %s; the "
			    "next run tries again", err);
			return EXIT_USAGE;
		}
		u->st.serial = new;
		u->st.has_serial = true;
	}
	u->st.pending = FL_PENDING_RELOAD;
	char serial[64] = "";

	if (j->bump)
		snprintf(serial, sizeof(serial), ", serial %u -> %u", old, new);
	printf("%s: %s: %zu record%s, %s IPv4 and %s IPv6 addresses, %u/%u "
	    "lookups, %s %s%s\n", u->o->prog, u->domain, u->res.nrecords,
	    u->res.nrecords == 1 ? "" : "s", u->st.ip4, u->st.ip6,
	    u->res.lookups, j->opt.max_lookups, write_output ? "written to" :
	    "publication finished for", j->output, serial);
	return EXIT_CLEAN;
}

/* The state is written when it is missing or stale, records changed or
 * not */
static bool
run_state_stale(const struct run *u)
{
	return u->had != FL_STATE_OK || u->old.sha256[0] == '\0' ||
	    strcmp(u->old.sha256, u->st.sha256) != 0 ||
	    strcmp(u->old.ip4, u->st.ip4) != 0 ||
	    strcmp(u->old.ip6, u->st.ip6) != 0 ||
	    u->old.records != u->st.records ||
	    u->old.pending != u->st.pending ||
	    u->old.has_serial != u->st.has_serial ||
	    u->old.serial != u->st.serial;
}

/* --output: from the records to the server, finishing what an earlier
 * run left undone */
static int
run_output(struct run *u)
{
	struct job *j = u->j;
	char err[1024];
	size_t len = 0;
	char *have = util_file_read_regular(j->output, MAX_OUTPUT, &len, NULL, err,
	    sizeof(err));
	bool changed, finish;
	int status;

	if (have == NULL && access(j->output, F_OK) == 0) {
		job_error(u->o, u->domain, "%s; nothing written", err);
		return EXIT_USAGE;
	}
	changed = have == NULL || strcmp(have, u->snippet) != 0;
	free(have);
	/* an earlier run wrote the records but stopped before the state
	 * said it was done, or left a step pending */
	finish = u->had == FL_STATE_OK && (u->old.pending != FL_PENDING_NONE ||
	    (u->old.sha256[0] && strcmp(u->old.sha256, u->sha) != 0));
	u->st.serial = u->old.serial;
	u->st.has_serial = u->old.has_serial;
	if (changed || (finish && u->old.pending <= FL_PENDING_PUBLISH)) {
		if ((status = run_publish(u, changed)) != EXIT_CLEAN)
			return status;
	} else if (finish)
		u->st.pending = u->old.pending;
	if ((status = run_serve(u)) != EXIT_CLEAN)
		return status;
	return run_state_stale(u) ? run_state_save(u) : EXIT_CLEAN;
}

/* --update: the change as one RFC 2136 update */
static int
run_update(struct run *u)
{
	struct job *j = u->j;
	fl_update_t up = { .server = j->update, .tsig = j->signed_update ?
	    &j->tsig : NULL, .domain = u->domain, .prefix = j->opt.prefix,
	    .ttl = j->ttl, .ttl_given = j->ttl_given,
	    .timeout_ms = u->o->timeout_ms, .retries = u->o->retries,
	    .deadline = util_now_ms() + u->o->deadline_ms };
	char zone[256], msg[1024];
	fl_update_status_t st = fl_update_push(&up, &u->res, zone, msg,
	    sizeof(msg));

	if (st == FL_UPDATE_DNS || st == FL_UPDATE_BAD) {
		job_error(u->o, u->domain, "%s; nothing sent", msg);
		return st == FL_UPDATE_DNS ? EXIT_DNS : EXIT_USAGE;
	}
	if (st == FL_UPDATE_SENT)
		printf("%s: %s: %s\n", u->o->prog, u->domain, msg);
	u->st.pending = st == FL_UPDATE_SENT ? FL_PENDING_VERIFY :
	    FL_PENDING_NONE;
	if (u->had == FL_STATE_OK && u->old.pending == FL_PENDING_VERIFY)
		u->st.pending = FL_PENDING_VERIFY;
	int status = run_serve(u);

	if (status != EXIT_CLEAN)
		return status;
	return run_state_stale(u) ? run_state_save(u) : EXIT_CLEAN;
}

/* --check: what DNS publishes now against what would be published */
static int
run_check(struct run *u)
{
	int status = EXIT_CLEAN;

	for (size_t i = 0; i < u->res.nrecords; i++) {
		const dns_answer_t *a = dns_resolver_get(u->r,
		    u->res.owners[i], LDNS_RR_TYPE_TXT);
		size_t count, len;
		char *now = a->result == DNS_OK ? spf_txt_select(a->rrs,
		    &count, &len) : NULL;

		if (dns_result_is_failure(a->result)) {
			job_error(u->o, u->domain, "%s TXT: %s",
			    u->res.owners[i], dns_result_str(a->result));
			status = EXIT_DNS;
		} else if (now == NULL || strcmp(now, u->res.records[i])) {
			printf("%s\n  published: %s\n  would be:  %s\n",
			    u->res.owners[i], now ? now : "(none)",
			    u->res.records[i]);
			if (status == EXIT_CLEAN)
				status = EXIT_DIFFERS;
		}
		free(now);
	}
	return status;
}

/* No file: the records on stdout, as a snippet or JSON */
static void
run_print(struct run *u, zg_set_t *set)
{
	struct job *j = u->j;
	gen_opts_t gen = { .format = j->format, .ttl = u->ttl,
	    .force = j->force };

	if (j->dry && j->output)
		fprintf(stderr, "%s: would write %s:\n", u->o->prog, j->output);
	if (j->format == GEN_ZONE) {
		fputs(u->snippet, stdout);
		return;
	}
	if (j->format == GEN_TXT) {	/* for a web form: the values */
		cmd_gen_print(&gen, set, NULL);
		return;
	}
	json_t *kept = json_array(), *notes = json_array();

	for (size_t i = 0; i < u->res.nkept; i++)
		json_array_append_new(kept, json_string(u->res.kept[i]));
	for (size_t i = 0; i < u->res.nnotes; i++)
		json_array_append_new(notes, json_string(u->res.notes[i]));
	cmd_gen_print(&gen, set, json_pack("{s:s, s:s, s:I, s:s, s:i, s:o, "
	    "s:o, s:o}", "domain", u->domain, "source", u->text,
	    "ip4_addresses", (json_int_t)strtoll(u->st.ip4, NULL, 10),
	    "ip6_addresses", u->st.ip6, "lookups",
	    (int)u->res.lookups, "kept", kept, "notes", notes, "dns",
	    cmd_dns_json(u->r)));
}

/* The snippet and the new state of a flattened result; its TTL follows
 * the TXT records the published one joins, unless --ttl says */
static int
run_snippet(struct run *u, zg_set_t *set)
{
	struct job *j = u->j;
	char err[1024];
	uint32_t ttl;

	u->ttl = j->ttl;
	if (j->bump && !j->ttl_given) {
		int rc = fl_zone_txt_ttl(j->bump, u->domain, &ttl, err,
		    sizeof(err));

		if (rc < 0) {
			job_error(u->o, u->domain, "--bump-serial: %s; nothing "
			    "written", err);
			return EXIT_USAGE;
		}
		if (rc > 0)
			u->ttl = ttl;
	}
	for (size_t i = 0; i < u->res.nrecords; i++)
		zg_set_add(set, u->res.owners[i], u->ttl, "TXT",
		    u->res.records[i], NULL);
	if ((u->snippet = zg_set_zone(set)) == NULL ||
	    fl_set_count(&u->res.set, false, u->st.ip4, sizeof(u->st.ip4)) ||
	    fl_set_count(&u->res.set, true, u->st.ip6, sizeof(u->st.ip6))) {
		job_error(u->o, u->domain, "out of memory");
		return EXIT_USAGE;
	}
	util_sha256_hex(u->snippet, strlen(u->snippet), u->sha);
	snprintf(u->st.domain, sizeof(u->st.domain), "%s", u->domain);
	memcpy(u->st.sha256, u->sha, sizeof(u->sha));
	u->st.records = (unsigned)u->res.nrecords;
	return EXIT_CLEAN;
}

/* Flattens, then prints, checks or publishes as the job says */
static int
run_job(struct run *u)
{
	struct job *j = u->j;
	bool writes = !j->dry && !j->check && (j->output || j->update);
	zg_set_t set;
	int status;
	fl_status_t fs;

	if (u->o->verbose && u->text) {	/* the source's tree */
		spf_walk_t w;

		if (spf_walk_run(&w, u->r, NULL, j->source ? u->source :
		    u->domain, u->text, strlen(u->text), 0) == 0) {
			cmd_spf_tree_print(stderr, &w, 0);
			cmd_spf_summary_print(stderr, &w);
			spf_walk_clear(&w);
		}
	}
	fs = fl_flatten(&u->res, u->r, u->domain, j->source ? u->source : NULL,
	    u->text, &j->opt);
	if (u->o->verbose)
		for (size_t i = 0; i < u->res.nnotes; i++)
			fprintf(stderr, "%s: %s\n", u->o->prog, u->res.notes[i]);
	if (fs != FL_OK) {
		job_error(u->o, u->domain, "%s; nothing written",
		    u->res.error[0] ? u->res.error : "out of memory");
		return fs == FL_DNS ? EXIT_DNS : EXIT_FINDINGS;
	}
	zg_set_init(&set);
	if ((status = run_snippet(u, &set)) != EXIT_CLEAN ||
	    (status = run_shrink_guard(u)) != EXIT_CLEAN)
		goto out;
	if (j->check)
		status = run_check(u);
	else if (writes && j->update)
		status = run_update(u);
	else if (writes)
		status = run_output(u);
	else
		run_print(u, &set);
out:
	zg_set_clear(&set);
	return status;
}

/* One domain of the run: lock, state, flatten, publish */
int
flatten_job_run(const cmd_opts_t *o, dns_resolver_t *r, struct job *j)
{
	struct run u = { .o = o, .r = r, .j = j };
	bool writes = !j->dry && !j->check && (j->output || j->update);
	char err[1024], lock[4200];
	int status = EXIT_CLEAN, fd = -1;

	if (util_name_normalize(j->domain, u.domain, sizeof(u.domain)) != 0) {
		cmd_error(o, "'%s' is not a domain name", j->domain);
		return EXIT_USAGE;
	}
	/* one run at a time per output (or state): held to the end */
	if (writes && (j->output || j->state)) {
		snprintf(lock, sizeof(lock), "%s.lock", j->output ? j->output :
		    j->state);
		if ((fd = util_file_lock(lock, j->lock_wait, err,
		    sizeof(err))) < 0) {
			job_error(o, u.domain, "%s; nothing written", err);
			return fd == -2 ? EXIT_BUSY : EXIT_USAGE;
		}
	}
	u.had = j->state ? fl_state_load(j->state, u.domain, &u.old, err,
	    sizeof(err)) : FL_STATE_ABSENT;
	if (u.had == FL_STATE_BAD) {
		job_error(o, u.domain, "%s; nothing written", err);
		status = EXIT_USAGE;
	} else if ((u.text = job_source(o, r, j, u.domain, u.source,
	    &status)) != NULL)
		status = run_job(&u);
	fl_result_clear(&u.res);
	free(u.text);
	free(u.snippet);
	util_file_unlock(fd);
	return status;
}

/* One config key as an option of j; -1 with a message */
static int
config_key(const cmd_opts_t *o, const char *path, size_t i, struct job *j,
    const char *key, json_t *v)
{
	const struct option *lo = flatten_longopts;
	const char *arg = json_string_value(v);
	char num[32], err[512];
	size_t n;

	while (lo->name && (strcmp(lo->name, key) || lo->val == OPT_CONFIG ||
	    (lo->val < OPT_TOOL_BASE && lo->val != OPT_RECORD)))
		lo++;
	if (lo->name == NULL) {
		cmd_error(o, "%s: domains[%zu]: unknown key \"%s\"", path, i,
		    key);
		return -1;
	}
	/* the command line wins: its options apply to every domain */
	if ((size_t)(lo->val - OPT_JSON) < sizeof(j->set) &&
	    j->set[lo->val - OPT_JSON])
		return 0;
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(v));
		arg = num;
	}
	if (lo->has_arg == no_argument) {
		if (!json_is_boolean(v)) {
			cmd_error(o, "%s: domains[%zu]: \"%s\" wants true or "
			    "false", path, i, key);
			return -1;
		}
		if (json_is_false(v))
			return 0;
	}
	n = json_is_array(v) ? json_array_size(v) : 1;	/* "keep": a list */
	for (size_t k = 0; k < n; k++) {
		if (json_is_array(v))
			arg = json_string_value(json_array_get(v, k));
		if ((lo->has_arg != no_argument && arg == NULL) ||
		    flatten_job_option(j, lo->val, arg, err,
		    sizeof(err)) != 0) {
			cmd_error(o, "%s: domains[%zu]: \"%s\": %s", path, i,
			    key, arg ? err : "want a string or a number");
			return -1;
		}
	}
	return 0;
}

/* The jobs of a config file: {"domains": [{"domain": ..., "source": ...,
 * and any long option as a key}, ...]}, each starting from the command
 * line's job base; -1 with a message */
int
flatten_config_jobs(const cmd_opts_t *o, const char *path,
    const struct job *base, json_t **root, struct job **jobs, size_t *njobs)
{
	json_error_t je;
	json_t *list, *d, *v;
	const char *key;
	size_t i;

	char err[600], *text;
	size_t len;

	if ((text = util_file_read(path, 1u << 20, &len, NULL, err,
	    sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		return -1;
	}
	*root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (*root == NULL) {
		cmd_error(o, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return -1;
	}
	list = json_object_get(*root, "domains");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		cmd_error(o, "%s: want {\"domains\": [{\"domain\": ..., "
		    "\"source\": ...}, ...]}", path);
		return -1;
	}
	if ((*jobs = calloc(json_array_size(list), sizeof(**jobs))) == NULL) {
		cmd_error(o, "out of memory");
		return -1;
	}
	json_array_foreach(list, i, d) {
		struct job *j = &(*jobs)[(*njobs)++];

		*j = *base;
		j->opt.keep = j->keep;
		if (!json_is_object(d) || !json_is_string(json_object_get(d,
		    "domain"))) {
			cmd_error(o, "%s: domains[%zu] has no \"domain\"", path,
			    i);
			return -1;
		}
		j->domain = json_string_value(json_object_get(d, "domain"));
		json_object_foreach(d, key, v)
			if (strcmp(key, "domain") != 0 &&
			    config_key(o, path, i, j, key, v) != 0)
				return -1;
		if ((j->source == NULL) == (j->record == NULL)) {
			cmd_error(o, "%s: domains[%zu]: give \"source\" or "
			    "\"record\"", path, i);
			return -1;
		}
	}
	return 0;
}

void
flatten_usage(FILE *fp, int status)
{
	fprintf(fp, "usage: spf-flatten [options] (--source NAME | --record "
	    "TEXT) DOMAIN\n"
	    "       spf-flatten [options] --config FILE\n");
	if (fp == stdout) {
		fputs("\nFlatten the includes of a source SPF record into "
		    "address lists published at\nDOMAIN (and _spf1.DOMAIN, "
		    "... when one record is not enough).\n\n"
		    "      --source NAME    the source record is NAME's SPF "
		    "record\n"
		    "      --record TEXT    the source record itself\n"
		    "      --resolve-a-mx   turn a and mx terms into addresses "
		    "too\n"
		    "      --keep PATTERN   keep includes whose name matches "
		    "(PCRE2, repeatable)\n"
		    "      --max-record-bytes N  per record (default 450)\n"
		    "      --max-lookups N  for the result (default 10)\n"
		    "      --prefix P       names of the extra records (default "
		    "_spf)\n"
		    "Publishing:\n"
		    "      --output FILE    write the records there, whole or "
		    "not at all; nothing\n"
		    "                       is written when they did not change\n"
		    "      --bump-serial ZONEFILE  raise the SOA serial of the "
		    "zone that includes\n"
		    "                       FILE when the records changed\n"
		    "      --reload CMD     then run CMD (/bin/sh -c), e.g. "
		    "'nsd-control reload'\n"
		    "      --verify ADDR[@PORT]  then ask that server until it "
		    "serves the new\n"
		    "                       serial and records (within "
		    "--deadline)\n"
		    "      --state FILE     the last publication, for "
		    "--max-shrink and to finish\n"
		    "                       a publication a run left half done\n"
		    "      --max-shrink PCT refuse a result with PCT% fewer "
		    "addresses (default 50)\n"
		    "      --force          write a result that --max-shrink "
		    "refuses\n"
		    "      --lock-wait MS   wait this long for another run of "
		    "the job (default 60000)\n"
		    "      --check          compare with what DNS publishes; "
		    "exit 4 when it differs\n"
		    "      --dry-run        print what would be written; write "
		    "nothing\n"
		    "      --update SERVER  send the change to this primary as an "
		    "RFC 2136 update,\n"
		    "                       replacing only the records it owns, "
		    "only when they differ\n"
		    "      --tsig-key FILE  sign it with this BIND key file's key\n"
		    "      --tsig NAME:ALG:SECRET  or with this key\n"
		    "      --config FILE    the domains and their options, in JSON "
		    "(see the manual);\n"
		    "                       options on the command line apply to "
		    "every domain\n", fp);
		cmd_gen_help(fp, false);
		cmd_common_help(fp, FLATTEN_ACCEPTS & ~CMD_RECORD);
		fputs("\nExit status: 0 done or unchanged, 1 cannot flatten "
		    "(or refused), 2 usage or\nfile error, 3 DNS failure "
		    "(nothing written), 4 --check found a difference,\n5 the "
		    "reload command failed, 6 --verify: not served in time, 7 "
		    "another run\nholds the lock.\n", fp);
	}
	exit(status);
}

int
flatten_jobs_run(const cmd_opts_t *o, struct job *jobs, size_t n)
{
	/* one resolver, one cache: a provider's include is asked once for
	 * every domain */
	dns_resolver_t *r = cmd_resolver(o);
	int status = EXIT_CLEAN;

	for (size_t i = 0; i < n; i++)
		status = cmd_status_worse(status, flatten_job_run(o, r,
		    &jobs[i]));
	dns_resolver_free(r);
	return status;
}
