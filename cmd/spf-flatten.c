/* spf-flatten: flatten SPF includes into address lists, as zone-file
 * records, safely from cron: nothing is written on any failure, and an
 * unchanged result writes nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/gen.h"
#include "cmd/spf_tree.h"
#include "dns/update.h"
#include "flatten/flatten.h"
#include "lint/spf_walk.h"
#include "zonegen/file.h"

enum { OPT_SOURCE = OPT_TOOL_BASE, OPT_RESOLVE, OPT_KEEP, OPT_MAXBYTES,
    OPT_MAXLOOKUPS, OPT_PREFIX, OPT_OUTPUT, OPT_STATE, OPT_SHRINK,
    OPT_CHECK, OPT_DRY, OPT_UPDATE, OPT_TSIG_KEY, OPT_TSIG, OPT_CONFIG };

enum { EXIT_DIFFERS = 4 };

static void
usage(FILE *fp, int status)
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
		    "      --output FILE    write the records there, whole or "
		    "not at all; nothing\n"
		    "                       is written when they did not change\n"
		    "      --state FILE     the last good result, for "
		    "--max-shrink\n"
		    "      --max-shrink PCT refuse a result with PCT%% fewer "
		    "addresses (default 50)\n"
		    "      --check          compare with what DNS publishes; "
		    "exit 4 when it differs\n"
		    "      --dry-run        print what would be written\n"
		    "      --update SERVER  send the change to this primary as an "
		    "RFC 2136 update,\n"
		    "                       replacing only the records it owns, "
		    "only when they differ\n"
		    "      --tsig-key FILE  sign it with this BIND key file's key\n"
		    "      --tsig NAME:ALG:SECRET  or with this key\n"
		    "      --config FILE    the domains and their options, in JSON "
		    "(see the manual)\n", fp);
		cmd_gen_help(fp);
		cmd_common_help(fp);
		fputs("\nExit status: 0 done or unchanged, 1 cannot flatten "
		    "(or refused), 2 usage or\nfile error, 3 DNS failure "
		    "(nothing written), 4 --check found a difference.\n", fp);
	}
	exit(status);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (fp == NULL)
		return NULL;
	FILE *mem = open_memstream(&buf, &len);
	int ch;

	while (mem && (ch = fgetc(fp)) != EOF)
		fputc(ch, mem);
	if (mem)
		fclose(mem);
	fclose(fp);
	return buf;
}

/* The last good result, for --max-shrink next time */
static int
write_state(const cmd_opts_t *o, const char *path, const char *domain,
    double n4, double n6, size_t nrecords)
{
	json_t *j = json_pack("{s:s, s:f, s:f, s:i}", "domain", domain,
	    "ip4_addresses", n4, "ip6_addresses", n6, "records", (int)nrecords);
	char *js = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER), err[512];
	int rc = EXIT_CLEAN;

	if (js == NULL || zg_file_write(path, js, strlen(js), 0644, true, err,
	    sizeof(err)) != 0) {
		cmd_error(o, "%s", js ? err : "out of memory");
		rc = EXIT_USAGE;
	}
	free(js);
	json_decref(j);
	return rc;
}

/* a copy of rr for a deletion: class NONE deletes that record, class ANY
 * (without rdata) the whole RRset (RFC 2136 2.5) */
static ldns_rr *
deletion(const ldns_rr *rr, bool whole_set)
{
	ldns_rr *d = whole_set ? ldns_rr_new() : ldns_rr_clone(rr);

	if (d == NULL)
		return NULL;
	if (whole_set) {
		ldns_rr_set_owner(d, ldns_rdf_clone(ldns_rr_owner(rr)));
		ldns_rr_set_type(d, LDNS_RR_TYPE_TXT);
	}
	ldns_rr_set_class(d, whole_set ? LDNS_RR_CLASS_ANY : LDNS_RR_CLASS_NONE);
	ldns_rr_set_ttl(d, 0);
	return d;
}

/* Sends the result to the primary as one update, when what it publishes
 * differs: the SPF TXT of the domain (its other TXT records stay) and the
 * TXT RRsets of <prefix>N.<domain>, stale ones included. */
static int
push_update(const cmd_opts_t *o, const char *server, const dns_tsig_t *tsig,
    const char *domain, const fl_result_t *res, uint32_t ttl,
    const char *prefix)
{
	const char *servers[] = { server };
	dns_options_t dopt = { .servers = servers, .nservers = 1,
	    .timeout_ms = o->timeout_ms, .retries = o->retries,
	    .deadline_ms = o->deadline_ms };
	char err[512], zone[256], name[300];
	dns_resolver_t *r = dns_resolver_new(&dopt, err, sizeof(err));
	ldns_rr_list *del = ldns_rr_list_new(), *add = ldns_rr_list_new();
	const dns_answer_t *a;
	bool changed = false;
	int status = EXIT_DNS;

	if (r == NULL) {
		cmd_error(o, "--update: %s", err);
		ldns_rr_list_free(del);
		ldns_rr_list_free(add);
		return EXIT_USAGE;
	}
	/* the zone: the nearest name up the tree with an SOA of its own */
	snprintf(zone, sizeof(zone), "%s", domain);
	for (;;) {
		a = dns_resolver_get(r, zone, LDNS_RR_TYPE_SOA);
		if (dns_result_is_failure(a->result)) {
			fprintf(stderr, "spf-flatten: %s: the primary %s: %s SOA: "
			    "%s; nothing sent\n", domain, server, zone,
			    dns_result_str(a->result));
			goto out;
		}
		if (a->result == DNS_OK && a->canonical == NULL)
			break;
		const char *dot = strchr(zone, '.');

		if (dot == NULL) {
			fprintf(stderr, "spf-flatten: %s: %s serves no zone above "
			    "it; nothing sent\n", domain, server);
			goto out;
		}
		memmove(zone, dot + 1, strlen(dot + 1) + 1);
	}
	/* what the primary publishes now, stale <prefix>N names included:
	 * asked together, one round trip */
	for (size_t i = 0; i < res->nrecords + 20; i++) {
		if (i >= res->nrecords)
			snprintf(name, sizeof(name), "%s%zu.%s", prefix, i, domain);
		dns_resolver_submit(r, i < res->nrecords ? res->owners[i] : name,
		    LDNS_RR_TYPE_TXT);
	}
	dns_resolver_wait(r);
	for (size_t i = 0; i < res->nrecords + 20; i++) {
		const char *owner = i < res->nrecords ? res->owners[i] : name;

		if (i >= res->nrecords)
			snprintf(name, sizeof(name), "%s%zu.%s", prefix, i, domain);
		a = dns_resolver_get(r, owner, LDNS_RR_TYPE_TXT);
		if (dns_result_is_failure(a->result)) {
			fprintf(stderr, "spf-flatten: %s: the primary %s: %s TXT: "
			    "%s; nothing sent\n", domain, server, owner,
			    dns_result_str(a->result));
			goto out;
		}
		size_t count = 0, len, n;
		char *now = a->result == DNS_OK ? spf_txt_select(a->rrs, &count,
		    &len) : NULL;
		char **texts = dns_txt_join(a, &n);	/* in the order of a->rrs */

		if (i < res->nrecords)
			changed |= now == NULL || strcmp(now, res->records[i]) != 0;
		free(now);
		for (size_t k = 0; k < n; k++) {
			if (i == 0 && !spf_record_is_spf(texts[k],
			    strlen(texts[k])))
				continue;	/* not ours: another TXT */
			if (i == 0 || k == 0)
				ldns_rr_list_push_rr(del,
				    deletion(ldns_rr_list_rr(a->rrs, k), i > 0));
		}
		dns_txt_free(texts, n);
		if (i >= res->nrecords && a->result == DNS_OK)
			changed = true;		/* a stale record of ours */
		if (i == 0 && count > 1)
			changed = true;	/* several SPF records: ours to mend */
	}
	if (!changed) {
		status = EXIT_CLEAN;	/* published as it would be: quiet */
		goto out;
	}
	for (size_t i = 0; i < res->nrecords; i++) {
		char *rdata = zg_txt_rdata(res->records[i],
		    strlen(res->records[i]));
		char *line = NULL;
		ldns_rr *rr = NULL;

		if (rdata && asprintf(&line, "%s. %u IN TXT %s", res->owners[i],
		    ttl, rdata) > 0 && ldns_rr_new_frm_str(&rr, line, 0, NULL,
		    NULL) == LDNS_STATUS_OK)
			ldns_rr_list_push_rr(add, rr);
		free(line);
		free(rdata);
	}
	if (dns_update_send(server, zone, del, add, tsig, o->timeout_ms, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "spf-flatten: %s: %s\n", domain, err);
		goto out;
	}
	printf("spf-flatten: %s: %zu record%s sent to %s as an update of %s\n",
	    domain, res->nrecords, res->nrecords == 1 ? "" : "s", server, zone);
	status = EXIT_CLEAN;
out:
	ldns_rr_list_deep_free(del);
	ldns_rr_list_deep_free(add);
	dns_resolver_free(r);
	return status;
}

struct job {
	const char *domain, *source, *record, *output, *state, *update;
	const char *keep[64];
	fl_options_t opt;
	dns_tsig_t tsig;
	bool signed_update, check, dry, force;
	unsigned shrink;
	uint32_t ttl;
	gen_format_t format;
};

static void
job_init(struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->opt = (fl_options_t){ .keep = j->keep, .max_record_bytes = 450,
	    .max_lookups = 10, .prefix = "_spf" };
	j->shrink = 50;
	j->ttl = 3600;
	j->format = GEN_ZONE;
}

/* One setting, from the command line or the config file; -1 with err */
static int
job_option(struct job *j, int c, const char *arg, char *err, size_t len)
{
	unsigned v;
	char test[300], norm[256];

	switch (c) {
	case OPT_SOURCE: j->source = arg; return 0;
	case OPT_RECORD: j->record = arg; return 0;
	case OPT_RESOLVE: j->opt.resolve_a_mx = true; return 0;
	case OPT_KEEP:
		if (j->opt.nkeep == 64)
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
		snprintf(test, sizeof(test), "%s1.example", arg);
		if (dns_name_normalize(test, norm, sizeof(norm)) != 0 ||
		    strchr(arg, '.') || strpbrk(arg, "\\ "))
			break;
		j->opt.prefix = arg;
		return 0;
	case OPT_OUTPUT: j->output = arg; return 0;
	case OPT_STATE: j->state = arg; return 0;
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
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "zone") && strcmp(arg, "json"))
			break;
		j->format = strcmp(arg, "json") ? GEN_ZONE : GEN_JSON;
		return 0;
	}
	snprintf(err, len, "bad value '%s'", arg);
	return -1;
}

static const struct option longopts[] = {
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "resolve-a-mx", no_argument, NULL, OPT_RESOLVE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "max-record-bytes", required_argument, NULL, OPT_MAXBYTES },
	{ "max-lookups", required_argument, NULL, OPT_MAXLOOKUPS },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "state", required_argument, NULL, OPT_STATE },
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

/* Flattens one domain as its job says; its exit status */
static int
flatten_one(const cmd_opts_t *o, dns_resolver_t *r, struct job *j)
{
	char domain[256], err[512];
	int status = EXIT_CLEAN;
	gen_opts_t gen = { .format = j->format, .ttl = j->ttl,
	    .force = j->force };

	(void)err;
	if (dns_name_normalize(j->domain, domain, sizeof(domain)) != 0) {
		cmd_error(o, "'%s' is not a domain name", j->domain);
		return EXIT_USAGE;
	}
	char *text = j->record ? strdup(j->record) : NULL, name[256];

	if (j->source) {
		size_t count, len;

		cmd_domain_arg(o, j->source, name);
		const dns_answer_t *a = dns_resolver_get(r, name,
		    LDNS_RR_TYPE_TXT);

		if (dns_result_is_failure(a->result)) {
			fprintf(stderr, "spf-flatten: %s: the source %s TXT: %s; "
			    "nothing written\n", domain, name,
			    dns_result_str(a->result));
			return EXIT_DNS;
		}
		text = a->result == DNS_OK ? spf_txt_select(a->rrs, &count,
		    &len) : NULL;
		if (text == NULL) {
			fprintf(stderr, "spf-flatten: %s: the source %s has no "
			    "single SPF record; nothing written\n", domain, name);
			return EXIT_DNS;
		}
	}
	if (o->verbose && text) {
		/* the source's tree, as spf-lint shows it */
		spf_walk_t w;

		if (spf_walk_run(&w, r, j->source ? name : domain, text,
		    strlen(text)) == 0) {
			cmd_spf_tree_print(stderr, &w, 0);
			cmd_spf_summary_print(stderr, &w);
			spf_walk_clear(&w);
		}
	}
	fl_result_t res;
	fl_status_t st = fl_flatten(&res, r, domain, j->source ? name : NULL, text,
	    &j->opt);

	if (o->verbose)
		for (size_t i = 0; i < res.nnotes; i++)
			fprintf(stderr, "spf-flatten: %s\n", res.notes[i]);
	if (st != FL_OK) {
		fprintf(stderr, "spf-flatten: %s: %s; nothing written\n", domain,
		    res.error[0] ? res.error : "out of memory");
		status = st == FL_DNS ? EXIT_DNS : EXIT_FINDINGS;
		goto out;
	}
	zg_set_t set;
	double n4 = fl_set_size(&res.set, false), n6 = fl_set_size(&res.set,
	    true);

	zg_set_init(&set);
	for (size_t i = 0; i < res.nrecords; i++)
		zg_set_add(&set, res.owners[i], j->ttl, "TXT", res.records[i],
		    NULL);
	char *snippet = zg_set_zone(&set);

	/* a provider's transient empty answer must not wipe a domain's
	 * authorization */
	if (j->state && !j->force) {
		char *old = slurp(j->state);
		json_t *prev = old ? json_loads(old, 0, NULL) : NULL;
		double o4 = json_number_value(json_object_get(prev,
		    "ip4_addresses"));
		double o6 = json_number_value(json_object_get(prev,
		    "ip6_addresses"));

		free(old);
		json_decref(prev);
		for (int k = 0; k < 2; k++) {
			double was = k ? o6 : o4, now = k ? n6 : n4;

			if (was > 0 && (was - now) * 100 > was * j->shrink) {
				fprintf(stderr, "spf-flatten: %s: the IPv%c "
				    "addresses would shrink by %.0f%%, more than "
				    "--max-shrink %u%%; nothing written (--force "
				    "writes it)\n", domain, k ? '6' : '4',
				    (was - now) * 100 / was, j->shrink);
				status = EXIT_FINDINGS;
				goto done;
			}
		}
	}
	if (j->update && !j->dry) {
		status = push_update(o, j->update, j->signed_update ? &j->tsig : NULL,
		    domain, &res, j->ttl, j->opt.prefix);
		if (status == EXIT_CLEAN && j->state)
			status = write_state(o, j->state, domain, n4, n6,
			    res.nrecords);
		goto done;
	}
	if (j->check) {
		/* what DNS publishes now against what would be published */
		for (size_t i = 0; i < res.nrecords; i++) {
			const dns_answer_t *a = dns_resolver_get(r,
			    res.owners[i], LDNS_RR_TYPE_TXT);
			size_t count, len;
			char *now = a->result == DNS_OK ?
			    spf_txt_select(a->rrs, &count, &len) : NULL;

			if (dns_result_is_failure(a->result)) {
				fprintf(stderr, "spf-flatten: %s TXT: %s\n",
				    res.owners[i], dns_result_str(a->result));
				status = EXIT_DNS;
			} else if (now == NULL || strcmp(now, res.records[i])) {
				printf("%s\n  published: %s\n  would be:  %s\n",
				    res.owners[i], now ? now : "(none)",
				    res.records[i]);
				if (status == EXIT_CLEAN)
					status = EXIT_DIFFERS;
			}
			free(now);
		}
		goto done;
	}
	if (j->output && !j->dry) {
		char *old = slurp(j->output);

		if (old && strcmp(old, snippet) == 0) {
			free(old);
			goto done;	/* unchanged: quiet, nothing written */
		}
		free(old);
		if (zg_file_write(j->output, snippet, strlen(snippet), 0644, true,
		    err, sizeof(err)) != 0) {
			cmd_error(o, "%s", err);
			status = EXIT_USAGE;
			goto done;
		}
		if (j->state)
			status = write_state(o, j->state, domain, n4, n6,
			    res.nrecords);
		printf("spf-flatten: %s: %zu record%s, %.0f IPv4 and %.0f IPv6 "
		    "addresses, %u/%u lookups, written to %s\n", domain,
		    res.nrecords, res.nrecords == 1 ? "" : "s", n4, n6,
		    res.lookups, j->opt.max_lookups, j->output);
		goto done;
	}
	if (j->dry && j->output)
		fprintf(stderr, "spf-flatten: would write %s:\n", j->output);
	if (j->format == GEN_JSON) {
		json_t *kept = json_array(), *notes = json_array();

		for (size_t i = 0; i < res.nkept; i++)
			json_array_append_new(kept, json_string(res.kept[i]));
		for (size_t i = 0; i < res.nnotes; i++)
			json_array_append_new(notes, json_string(res.notes[i]));
		cmd_gen_print(&gen, &set, json_pack("{s:s, s:s, s:f, s:f, s:i, "
		    "s:o, s:o, s:o}", "domain", domain, "source", text,
		    "ip4_addresses", n4, "ip6_addresses", n6, "lookups",
		    (int)res.lookups, "kept", kept, "notes", notes, "dns",
		    cmd_dns_json(r)));
	} else
		fputs(snippet, stdout);
done:
	free(snippet);
	zg_set_clear(&set);
out:
	fl_result_clear(&res);
	free(text);
	return status;
}

/* The jobs of a config file: {"domains": [{"domain": ..., "source": ...,
 * and any long option as a key}, ...]}; -1 with a message */
static int
config_jobs(const cmd_opts_t *o, const char *path, json_t **root,
    struct job **jobs, size_t *njobs)
{
	json_error_t je;
	json_t *list, *d;
	size_t i;
	char err[512];

	if ((*root = json_load_file(path, 0, &je)) == NULL) {
		cmd_error(o, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return -1;
	}
	list = json_object_get(*root, "domains");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		cmd_error(o, "%s: want {\"domains\": [{\"domain\": ..., "
		    "\"source\": ...}, ...]}", path);
		return -1;
	}
	*jobs = calloc(json_array_size(list), sizeof(**jobs));
	json_array_foreach(list, i, d) {
		struct job *j = &(*jobs)[(*njobs)++];
		const char *key;
		json_t *v;

		job_init(j);
		j->opt.keep = j->keep;
		if (!json_is_object(d) || !json_is_string(json_object_get(d,
		    "domain"))) {
			cmd_error(o, "%s: domains[%zu] has no \"domain\"", path,
			    i);
			return -1;
		}
		j->domain = json_string_value(json_object_get(d, "domain"));
		json_object_foreach(d, key, v) {
			const struct option *lo = longopts;
			char num[32];
			const char *arg = json_string_value(v);

			if (strcmp(key, "domain") == 0)
				continue;
			while (lo->name && (strcmp(lo->name, key) ||
			    lo->val == OPT_CONFIG || (lo->val < OPT_TOOL_BASE &&
			    lo->val != OPT_RECORD)))
				lo++;
			if (lo->name == NULL) {
				cmd_error(o, "%s: domains[%zu]: unknown key \"%s\"",
				    path, i, key);
				return -1;
			}
			if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(v));
				arg = num;
			}
			if (lo->has_arg == no_argument) {
				if (!json_is_boolean(v)) {
					cmd_error(o, "%s: domains[%zu]: \"%s\" wants "
					    "true or false", path, i, key);
					return -1;
				}
				if (json_is_false(v))
					continue;
			}
			/* "keep" may be a list of patterns */
			size_t n = json_is_array(v) ? json_array_size(v) : 1;

			for (size_t k = 0; k < n; k++) {
				if (json_is_array(v))
					arg = json_string_value(json_array_get(v, k));
				if ((lo->has_arg != no_argument && arg == NULL) ||
				    job_option(j, lo->val, arg, err,
				    sizeof(err)) != 0) {
					cmd_error(o, "%s: domains[%zu]: \"%s\": %s",
					    path, i, key, arg ? err : "want a string "
					    "or a number");
					return -1;
				}
			}
		}
		if ((j->source == NULL) == (j->record == NULL)) {
			cmd_error(o, "%s: domains[%zu]: give \"source\" or "
			    "\"record\"", path, i);
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct job one, *jobs = &one;
	size_t njobs = 0;
	const char *config = NULL;
	json_t *root = NULL;
	char err[512];
	cmd_opts_t o;
	gen_opts_t g;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "spf-flatten");
	cmd_gen_init(&g);
	job_init(&one);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		const struct option *lo = longopts;

		while (lo->name && lo->val != c)
			lo++;
		if (c == OPT_CONFIG)
			config = optarg;
		else if (c == OPT_RECORD || c == OPT_JSON ||
		    (c >= OPT_TOOL_BASE && lo->name)) {
			if (c == OPT_RECORD || c == OPT_JSON)
				cmd_option(&o, c, optarg, usage);
			if (c == OPT_JSON)
				one.format = GEN_JSON;
			else if (job_option(&one, c == OPT_RECORD ? OPT_RECORD :
			    c, c == OPT_RECORD ? o.record : optarg, err,
			    sizeof(err)) != 0) {
				cmd_error(&o, "--%s: %s", c == OPT_RECORD ?
				    "record" : lo->name, err);
				cmd_opts_clear(&o);
				return EXIT_USAGE;
			}
		} else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
	}
	if (config) {
		if (optind != argc)
			usage(stderr, EXIT_USAGE);
		if (config_jobs(&o, config, &root, &jobs, &njobs) != 0) {
			if (jobs != &one)
				free(jobs);
			json_decref(root);
			cmd_opts_clear(&o);
			return EXIT_USAGE;
		}
	} else {
		if (argc - optind != 1 ||
		    (one.source == NULL) == (one.record == NULL))
			usage(stderr, EXIT_USAGE);
		one.domain = argv[optind];
		njobs = 1;
	}
	/* one resolver, one cache: a provider's include is asked once for
	 * every domain */
	dns_resolver_t *r = cmd_resolver(&o);

	for (size_t i = 0; i < njobs; i++) {
		int s = flatten_one(&o, r, &jobs[i]);

		/* the worst: DNS, then refusal, then usage, then a difference */
		static const int rank[] = { 0, 3, 2, 4, 1 };
		if (rank[s] > rank[status])
			status = s;
	}
	dns_resolver_free(r);
	if (jobs != &one)
		free(jobs);
	json_decref(root);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
