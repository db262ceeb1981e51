/* Fuzz target: what dmarc-report reads from a file: the container
 * detection, gzip, zip (libarchive), mail and mbox (GMime), and the
 * aggregate report parser over every document found, with the summary. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/input.h"
#include "report/summary.h"
#include "report/tlsrpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
document(void *arg, const char *name, const char *xml, size_t len)
{
	rep_feedback_t fb;
	char why[300];

	(void)name;
	if (rep_feedback_parse(&fb, xml, len, why, sizeof(why)) == 0) {
		rep_summary_add(((void **)arg)[0], &fb);
		rep_feedback_clear(&fb);
	}
}

static void
tlsrpt(void *arg, const char *name, const char *text, size_t len)
{
	char why[300];

	(void)name;
	tls_summary_add(((void **)arg)[1], text, len, why, sizeof(why));
}

static void
refused(void *arg, const char *name, const char *why)
{
	(void)arg;
	(void)name;
	(void)why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rep_summary_t *s = rep_summary_new();
	tls_summary_t *t = tls_summary_new();
	void *both[2] = { s, t };
	rep_input_ops_t ops = { document, tlsrpt, refused, both };
	char *buf = malloc(size + 1);
	size_t n;

	if (buf && s && t) {
		memcpy(buf, data, size);
		buf[size] = '\0';
		rep_input_buffer("fuzz", buf, size, &ops);
		(void)rep_summary_domains(s, &n);
		(void)rep_summary_sources(s, &n);
	}
	free(buf);
	rep_summary_free(s);
	tls_summary_free(t);
	return 0;
}
