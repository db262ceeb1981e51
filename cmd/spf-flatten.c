/* spf-flatten: flatten SPF includes into address lists, as zone-file
 * records, safely from cron: one run at a time per job, nothing written on
 * any failure, an unchanged result writes nothing, and a changed one is
 * published to the end: serial raised, server reloaded, answers checked. */
#include <stdlib.h>

#include "cli/spf_flatten.h"
#include "util/file.h"

/* the common options it implements */
#define ACCEPTS (CMD_RECORD | CMD_ZONE | CMD_DNS | CMD_JSON | CMD_VERBOSE)

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
		cmd_common_help(fp, ACCEPTS & ~CMD_RECORD);
		fputs("\nExit status: 0 done or unchanged, 1 cannot flatten "
		    "(or refused), 2 usage or\nfile error, 3 DNS failure "
		    "(nothing written), 4 --check found a difference,\n5 the "
		    "reload command failed, 6 --verify: not served in time, 7 "
		    "another run\nholds the lock.\n", fp);
	}
	exit(status);
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
	int c, status = EXIT_CLEAN;

	cmd_opts_init(&o, "spf-flatten", ACCEPTS);
	flatten_job_init(&one);
	util_file_signals();
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, flatten_longopts,
	    NULL)) != -1) {
		const struct option *lo = flatten_longopts;

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
			else if (flatten_job_option(&one, c, c == OPT_RECORD ?
			    o.record : optarg, err, sizeof(err)) != 0) {
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
		if (flatten_config_jobs(&o, config, &one, &root, &jobs, &njobs) != 0)
			status = EXIT_USAGE;
	} else {
		if (argc - optind != 1 ||
		    (one.source == NULL) == (one.record == NULL))
			usage(stderr, EXIT_USAGE);
		one.domain = argv[optind];
		njobs = 1;
	}
	/* one resolver, one cache: a provider's include is asked once for
	 * every domain */
	if (status == EXIT_CLEAN) {
		dns_resolver_t *r = cmd_resolver(&o);

		for (size_t i = 0; i < njobs; i++)
			status = cmd_status_worse(status, flatten_job_run(&o, r,
			    &jobs[i]));
		dns_resolver_free(r);
	}
	for (size_t i = 0; jobs != &one && i < njobs; i++)
		dns_tsig_clear(&jobs[i].tsig);
	dns_tsig_clear(&one.tsig);
	if (jobs != &one)
		free(jobs);
	json_decref(root);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
