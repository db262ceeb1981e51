/* dmarc-report: read DMARC aggregate reports (XML, gzip, zip, mail) and
 * say who sends as the domain and what passes. */
#include <stdlib.h>
#include <string.h>

#include "cli/dmarc_report.h"
#include "cli/report_html.h"
#include "util/file.h"
#include "report/input.h"

enum { OPT_CSV = OPT_TOOL_BASE, OPT_CHECK, OPT_HTML };

#define ACCEPTS (CMD_JSON | CMD_DNS | CMD_ZONE)

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dmarc-report [options] FILE|DIR|-...\n");
	if (fp == stdout) {
		fputs("\nRead DMARC aggregate reports (RFC 7489, RFC 9990, the "
		    "draft format) and\nTLS-RPT reports (RFC 8460) as they "
		    "arrive: .xml, .json, .gz, .zip, a mail\nmessage, an mbox "
		    "or a Maildir.  A report received twice counts once.\n"
		    "Say, per domain, the messages by source, reporter and "
		    "day, how many pass\nDMARC, and the TLS sessions by "
		    "policy and failure.\n\n"
		    "      --csv            one row per report row, with "
		    "parsedmarc's column names\n"
		    "      --check          for each source that fails, say "
		    "why in terms of the\n"
		    "                       domain's records now (SPF by "
		    "check_host, DKIM keys,\n"
		    "                       alignment) and the change that "
		    "fixes it\n"
		    "      --html FILE      also write one self-contained page "
		    "with the charts\n"
		    "                       (inline SVG, nothing from the "
		    "network)\n", fp);
		cmd_common_help(fp, ACCEPTS);
		fputs("\nExit status: 0 every file read, 2 usage, or a file "
		    "refused (it is named\nwith the reason; the other files "
		    "are read and reported).\n", fp);
	}
	exit(status);
}

struct run {
	const cmd_opts_t *o;
	rep_printer_t pr;
	rep_summary_t *sum;
	tls_summary_t *tls;	/* TLS-RPT reports */
	char **refused, **why;
	size_t nrefused;
	bool nomem;
};

static void
refused(void *arg, const char *name, const char *why)
{
	struct run *u = arg;
	char **a = realloc(u->refused, (u->nrefused + 1) * sizeof(*a));
	char **b = a ? realloc(u->why, (u->nrefused + 1) * sizeof(*b)) : NULL;

	cmd_error(u->o, "%s: %s", name, why);
	if (a)
		u->refused = a;
	if (b == NULL || (a[u->nrefused] = strdup(name)) == NULL)
		return;
	u->why = b;
	if ((b[u->nrefused] = strdup(why)) == NULL) {
		free(a[u->nrefused]);
		return;
	}
	u->nrefused++;
}

static void
document(void *arg, const char *name, const char *xml, size_t len)
{
	struct run *u = arg;
	rep_feedback_t fb;
	char why[300];
	int rc;

	if (u->nomem)
		return;		/* nothing more is counted */
	if (rep_feedback_parse(&fb, xml, len, why, sizeof(why)) != 0) {
		refused(u, name, why);
		return;
	}
	if ((rc = rep_summary_add(u->sum, &fb)) > 0)
		rep_print_report(&u->pr, &fb);
	u->nomem |= rc < 0;
	rep_feedback_clear(&fb);
}

/* The page, written whole or not at all */
static int
write_html(const cmd_opts_t *o, struct run *u, const char *path)
{
	size_t len;
	char err[300], *page = rep_html(u->sum, &len);

	if (page == NULL || util_file_write(path, page, len, 0644, true, err,
	    sizeof(err)) != 0) {
		cmd_error(o, "%s", page ? err : "out of memory");
		free(page);
		return -1;
	}
	free(page);
	return 0;
}

static void
tlsrpt(void *arg, const char *name, const char *text, size_t len)
{
	struct run *u = arg;
	char why[300];

	if (!u->nomem && tls_summary_add(u->tls, text, len, why,
	    sizeof(why)) < 0)
		refused(u, name, why);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "html", required_argument, NULL, OPT_HTML },
		CMD_COMMON_LONGOPTS
	};
	struct run u = { .sum = rep_summary_new(), .tls = tls_summary_new() };
	rep_input_ops_t ops = { document, tlsrpt, refused, &u };
	bool csv = false, check = false, dns = false;
	const char *html = NULL;
	dns_resolver_t *r = NULL;
	cmd_opts_t o;
	int c;

	cmd_opts_init(&o, "dmarc-report", ACCEPTS);
	u.o = &o;
	while ((c = getopt_long(argc, argv, CMD_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1)
		if (c == OPT_CSV)
			csv = true;
		else if (c == OPT_CHECK)
			check = true;
		else if (c == OPT_HTML)
			html = optarg;
		else if (!cmd_option(&o, c, optarg, usage))
			usage(stderr, EXIT_USAGE);
		else	/* the DNS options are --check's */
			dns |= c >= OPT_OFFLINE && c <= OPT_DEADLINE &&
			    c != OPT_RECORD;
	if (dns && !check) {
		cmd_error(&o, "--zone, --offline, --server, --timeout, --retries "
		    "and --deadline go with --check");
		rep_summary_free(u.sum);
		tls_summary_free(u.tls);
		cmd_opts_clear(&o);
		return EXIT_USAGE;
	}
	if (optind == argc || (csv && (o.json || check)) || u.sum == NULL ||
	    u.tls == NULL)
		usage(stderr, EXIT_USAGE);
	u.pr.out = o.json ? REP_OUT_JSON : csv ? REP_OUT_CSV : REP_OUT_TEXT;
	rep_print_begin(&u.pr);
	for (int i = optind; i < argc; i++)
		rep_input_path(argv[i], &ops);
	if (check && !csv)
		r = cmd_resolver(&o);
	/* an incomplete summary is not printed as if it were whole */
	if (!u.nomem)
		rep_print_end(&u.pr, u.sum, u.tls, r, u.refused, u.why,
		    u.nrefused);
	if (!u.nomem && html && write_html(&o, &u, html) != 0)
		u.nomem = true;
	size_t reports = u.pr.reports + tls_summary_reports(u.tls);

	dns_resolver_free(r);
	if (u.nomem)
		cmd_error(&o, "out of memory: no summary");
	int status = u.nrefused || u.nomem || reports == 0 ? EXIT_USAGE :
	    EXIT_CLEAN;

	if (reports == 0 && u.nrefused == 0)
		cmd_error(&o, "no report found");
	for (size_t i = 0; i < u.nrefused; i++) {
		free(u.refused[i]);
		free(u.why[i]);
	}
	free(u.refused);
	free(u.why);
	rep_summary_free(u.sum);
	tls_summary_free(u.tls);
	cmd_opts_clear(&o);
	return cmd_finish(&o, status);
}
