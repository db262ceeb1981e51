/* bench/parse: the SPF parser alone (issue: at least 2 million records a
 * second).  Reads records, one per line, from FILE, parses the whole set
 * again and again for about a second, five times, and prints the median
 * rate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lint/spf_record.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	FILE *fp = argc > 1 ? fopen(argv[1], "r") : NULL;
	char **rec = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0, bytes = 0, terms = 0;
	ssize_t len;
	double rate[5];

	if (fp == NULL) {
		fprintf(stderr, "usage: parse FILE (one SPF record a line)\n");
		return 2;
	}
	while ((len = getline(&line, &lcap, fp)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (n == cap && (rec = realloc(rec, (cap = cap ? 2 * cap : 1024) *
		    sizeof(*rec))) == NULL)
			return 1;
		rec[n++] = strdup(line);
		bytes += strlen(line);
	}
	fclose(fp);
	free(line);
	if (n == 0)
		return 2;
	for (int run = 0; run < 5; run++) {
		double start = now(), t;
		size_t done = 0;

		do {
			for (size_t i = 0; i < n; i++) {
				lint_findings_t f;
				spf_record_t *r;

				lint_findings_init(&f);
				r = spf_record_parse(rec[i], strlen(rec[i]), NULL,
				    &f);
				lint_findings_clear(&f);

				if (r && run == 0 && done == 0)
					terms += r->nterms;
				spf_record_free(r);
			}
			done += n;
		} while ((t = now() - start) < 1.0);
		rate[run] = (double)done / t;
	}
	qsort(rate, 5, sizeof(rate[0]), cmp);
	printf("parse %zu records (%zu bytes, %zu terms): median %.2f million "
	    "records/s of 5 runs; target >= 2\n", n, bytes, terms,
	    rate[2] / 1e6);
	for (size_t i = 0; i < n; i++)
		free(rec[i]);
	free(rec);
	return 0;
}
