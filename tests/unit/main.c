#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"

static unsigned n_run, n_failed;

bool
tap_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	n_run++;
	n_failed += !ok;
	printf("%sok %u - ", ok ? "" : "not ", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return ok;
}

void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("#   ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
tap_codes(const lint_findings_t *f, char *out, size_t len)
{
	const char *v[64];
	size_t n = 0;

	for (size_t i = 0; i < f->n && n < 64; i++)
		v[n++] = f->v[i].code->code;
	qsort(v, n, sizeof(*v), cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, v[i], len - strlen(out) - 1);
	}
}

int
main(void)
{
	test_spf_record();
	test_dns_zone();
	test_findings();
	test_zonegen();
	test_tagrec();
	test_ipset();
	test_bimi_files();
	test_dns_wire();
	test_flatten_state();
	test_dmarc();
	test_spf_interp();
	test_dns_sched();
	test_dns_cache();
	test_jsonw();
	test_util();
	test_tlsa();
	test_baseline();
	test_dkim();
	test_batch();
	printf("1..%u\n", n_run);
	return n_failed ? 1 : 0;
}
