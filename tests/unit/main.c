#include <stdarg.h>
#include <stdio.h>

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
	printf("1..%u\n", n_run);
	return n_failed ? 1 : 0;
}
