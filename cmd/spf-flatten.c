/* spf-flatten: flatten SPF includes into address lists, as zone-file
 * records, safely from cron: nothing is written on any failure, and an
 * unchanged result writes nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/gen.h"
#include "flatten/flatten.h"
#include "lint/spf_walk.h"
#include "zonegen/file.h"

enum { OPT_SOURCE = OPT_TOOL_BASE, OPT_RESOLVE, OPT_KEEP, OPT_MAXBYTES,
    OPT_MAXLOOKUPS, OPT_PREFIX, OPT_OUTPUT, OPT_STATE, OPT_SHRINK,
    OPT_CHECK, OPT_DRY };

enum { EXIT_DIFFERS = 4 };

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: spf-flatten [options] (--source NAME | --record "
	    "TEXT) DOMAIN\n");
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
		    "      --dry-run        print what would be written\n", fp);
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

int
main(int argc, char **argv)
{
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
		CMD_GEN_LONGOPTS,
		CMD_COMMON_LONGOPTS
	};
	const char *keep[64], *source = NULL, *output = NULL, *state = NULL;
	fl_options_t opt = { .keep = keep, .max_record_bytes = 450,
	    .max_lookups = 10, .prefix = "_spf" };
	unsigned v, shrink = 50;
	bool check = false, dry = false;
	char domain[256], err[512];
	cmd_opts_t o;
	gen_opts_t g;
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "spf-flatten");
	cmd_gen_init(&g);
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (c) {
		case OPT_SOURCE: source = optarg; break;
		case OPT_RESOLVE: opt.resolve_a_mx = true; break;
		case OPT_KEEP:
			if (opt.nkeep == 64)
				usage(stderr, EXIT_USAGE);
			keep[opt.nkeep++] = optarg;
			break;
		case OPT_MAXBYTES:
			if (cmd_parse_uint(optarg, 100, 65535, &v) != 0) {
				cmd_error(&o, "bad value '%s' for "
				    "--max-record-bytes: want 100 to 65535", optarg);
				return EXIT_USAGE;
			}
			opt.max_record_bytes = v;
			break;
		case OPT_MAXLOOKUPS:
			if (cmd_parse_uint(optarg, 1, 10, &opt.max_lookups) != 0) {
				cmd_error(&o, "bad value '%s' for --max-lookups: "
				    "want 1 to 10", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_PREFIX: {
			char test[300], norm[256];

			snprintf(test, sizeof(test), "%s1.example", optarg);
			if (dns_name_normalize(test, norm, sizeof(norm)) != 0 ||
			    strchr(optarg, '.') || strpbrk(optarg, "\\ ")) {
				cmd_error(&o, "bad value '%s' for --prefix", optarg);
				return EXIT_USAGE;
			}
			opt.prefix = optarg;
			break;
		}
		case OPT_OUTPUT: output = optarg; break;
		case OPT_STATE: state = optarg; break;
		case OPT_SHRINK:
			if (cmd_parse_uint(optarg, 0, 100, &shrink) != 0) {
				cmd_error(&o, "bad value '%s' for --max-shrink: "
				    "want 0 to 100", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_CHECK: check = true; break;
		case OPT_DRY: dry = true; break;
		default:
			if (!cmd_gen_option(&o, &g, c, optarg) &&
			    !cmd_option(&o, c, optarg, usage))
				usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 1 || (source == NULL) == (o.record == NULL) ||
	    g.format == GEN_TXT)
		usage(stderr, EXIT_USAGE);
	cmd_domain_arg(&o, argv[optind], domain);
	dns_resolver_t *r = cmd_resolver(&o);
	char *text = o.record ? strdup(o.record) : NULL;

	if (source) {
		char name[256];
		size_t count, len;

		cmd_domain_arg(&o, source, name);
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
	fl_result_t res;
	fl_status_t st = fl_flatten(&res, r, domain, text, &opt);

	if (o.verbose)
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
		zg_set_add(&set, res.owners[i], g.ttl, "TXT", res.records[i],
		    NULL);
	char *snippet = zg_set_zone(&set);

	/* a provider's transient empty answer must not wipe a domain's
	 * authorization */
	if (state && !g.force) {
		char *old = slurp(state);
		json_t *j = old ? json_loads(old, 0, NULL) : NULL;
		double o4 = json_number_value(json_object_get(j, "ip4_addresses"));
		double o6 = json_number_value(json_object_get(j, "ip6_addresses"));

		free(old);
		json_decref(j);
		for (int k = 0; k < 2; k++) {
			double was = k ? o6 : o4, now = k ? n6 : n4;

			if (was > 0 && (was - now) * 100 > was * shrink) {
				fprintf(stderr, "spf-flatten: %s: the IPv%c "
				    "addresses would shrink by %.0f%%, more than "
				    "--max-shrink %u%%; nothing written (--force "
				    "writes it)\n", domain, k ? '6' : '4',
				    (was - now) * 100 / was, shrink);
				status = EXIT_FINDINGS;
				goto done;
			}
		}
	}
	if (check) {
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
	if (output && !dry) {
		char *old = slurp(output);

		if (old && strcmp(old, snippet) == 0) {
			free(old);
			goto done;	/* unchanged: quiet, nothing written */
		}
		free(old);
		if (zg_file_write(output, snippet, strlen(snippet), 0644, true,
		    err, sizeof(err)) != 0) {
			cmd_error(&o, "%s", err);
			status = EXIT_USAGE;
			goto done;
		}
		if (state) {
			json_t *j = json_pack("{s:s, s:f, s:f, s:i}", "domain",
			    domain, "ip4_addresses", n4, "ip6_addresses", n6,
			    "records", (int)res.nrecords);
			char *js = json_dumps(j, JSON_INDENT(2) |
			    JSON_PRESERVE_ORDER);

			if (js == NULL || zg_file_write(state, js, strlen(js),
			    0644, true, err, sizeof(err)) != 0) {
				cmd_error(&o, "%s", js ? err : "out of memory");
				status = EXIT_USAGE;
			}
			free(js);
			json_decref(j);
		}
		printf("spf-flatten: %s: %zu record%s, %.0f IPv4 and %.0f IPv6 "
		    "addresses, %u/%u lookups, written to %s\n", domain,
		    res.nrecords, res.nrecords == 1 ? "" : "s", n4, n6,
		    res.lookups, opt.max_lookups, output);
		goto done;
	}
	if (dry && output)
		fprintf(stderr, "spf-flatten: would write %s:\n", output);
	if (g.format == GEN_JSON) {
		json_t *kept = json_array(), *notes = json_array();

		for (size_t i = 0; i < res.nkept; i++)
			json_array_append_new(kept, json_string(res.kept[i]));
		for (size_t i = 0; i < res.nnotes; i++)
			json_array_append_new(notes, json_string(res.notes[i]));
		cmd_gen_print(&g, &set, json_pack("{s:s, s:s, s:f, s:f, s:i, "
		    "s:o, s:o}", "domain", domain, "source", text,
		    "ip4_addresses", n4, "ip6_addresses", n6, "lookups",
		    (int)res.lookups, "kept", kept, "notes", notes));
	} else
		fputs(snippet, stdout);
done:
	free(snippet);
	zg_set_clear(&set);
out:
	fl_result_clear(&res);
	free(text);
	dns_resolver_free(r);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
