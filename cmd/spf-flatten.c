/* spf-flatten: flatten SPF includes into address lists, as zone-file
 * records, safely from cron: one run at a time per job, nothing written on
 * any failure, an unchanged result writes nothing, and a changed one is
 * published to the end: serial raised, server reloaded, answers checked. */
#include <stdlib.h>

#include "cli/spf_flatten.h"
#include "util/file.h"

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

	cmd_opts_init(&o, "spf-flatten", FLATTEN_ACCEPTS);
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
				cmd_option(&o, c, optarg, flatten_usage);
			if (c == OPT_JSON)
				one.format = GEN_JSON;
			else if (flatten_job_option(&one, c, c == OPT_RECORD ?
			    o.record : optarg, err, sizeof(err)) != 0) {
				cmd_error(&o, "--%s: %s", c == OPT_RECORD ?
				    "record" : lo->name, err);
				cmd_opts_clear(&o);
				return EXIT_USAGE;
			}
		} else if (!cmd_option(&o, c, optarg, flatten_usage))
			flatten_usage(stderr, EXIT_USAGE);
	}
	if (config) {
		if (optind != argc)
			flatten_usage(stderr, EXIT_USAGE);
		if (flatten_config_jobs(&o, config, &one, &root, &jobs, &njobs) != 0)
			status = EXIT_USAGE;
	} else {
		if (argc - optind != 1 ||
		    (one.source == NULL) == (one.record == NULL))
			flatten_usage(stderr, EXIT_USAGE);
		one.domain = argv[optind];
		njobs = 1;
	}
	if (status == EXIT_CLEAN)
		status = flatten_jobs_run(&o, jobs, njobs);
	for (size_t i = 0; jobs != &one && i < njobs; i++)
		dns_tsig_clear(&jobs[i].tsig);
	dns_tsig_clear(&one.tsig);
	if (jobs != &one)
		free(jobs);
	json_decref(root);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
