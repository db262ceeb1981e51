/* dmarc-report: read DMARC aggregate reports (XML, gzip, zip, mail) and
 * say who sends as the domain and what passes. */
#include "cli/args.h"
#include "cli/report_run.h"

static const cmd_arg_t rows[] = {
	CMD_FLAG("csv", report_job_t, csv, "one row per report row, with "
	    "parsedmarc's column names"),
	CMD_FLAG("check", report_job_t, check, "for each source that fails, "
	    "say why in terms of the\ndomain's records now (SPF by check_host, "
	    "DKIM keys,\nalignment) and the change that fixes it"),
	CMD_TEXT("html", report_job_t, html, "FILE", NULL, NULL, "also write "
	    "one self-contained page with the charts\n(inline SVG, nothing "
	    "from the network)"),
	CMD_TEXT("state", report_job_t, state, "FILE", NULL, NULL, "count "
	    "each report once across runs (kept in FILE)\nand print only "
	    "what is new: sources that newly fail\nDMARC, a domain that "
	    "became ready for its next stage"),
};

static const cmd_tool_t tool = {
	"dmarc-report", "dmarc-report [options] FILE|DIR|-...", "Read DMARC "
	"aggregate reports (RFC 7489, RFC 9990, the draft format) and\n"
	"TLS-RPT reports (RFC 8460) as they arrive: .xml, .json, .gz, .zip, a "
	"mail\nmessage, an mbox or a Maildir.  A report received twice counts "
	"once.\nSay, per domain, the messages by source, reporter and day, how "
	"many pass\nDMARC, and the TLS sessions by policy and failure.",
	"Exit status: 0 every file read, 2 usage, or a file refused (it is "
	"named\nwith the reason; the other files are read and reported).  "
	"With --state: 1 a\nsource newly fails, 7 another run holds "
	"FILE.lock.",
	CMD_JSON | CMD_DNS | CMD_ZONE, 0, rows, CMD_NARGS(rows), NULL,
};

int
main(int argc, char **argv)
{
	report_job_t j = { .csv = false };
	cmd_opts_t o;
	int i = cmd_args_parse(&tool, &j, &o, NULL, argc, argv), status;

	if ((o.given & (CMD_DNS | CMD_ZONE)) && !j.check) {
		cmd_error(&o, "--zone, --offline, --server, --timeout, "
		    "--retries and --deadline go with --check");
		cmd_opts_clear(&o);
		return EXIT_USAGE;
	}
	if (i == argc || (j.csv && (o.json || j.check)) ||
	    (j.state && (j.csv || j.html)))
		cmd_args_usage(&tool, stderr, EXIT_USAGE);
	status = cmd_dmarc_report(&o, argv + i, argc - i, &j);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
