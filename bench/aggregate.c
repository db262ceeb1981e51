/* bench/aggregate: aggregating 100,000 random ranges (issue: under 100 ms).
 * Prints the median of 5 runs of: add every range, merge, and write the
 * shortest CIDR list. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "flatten/ipset.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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
	int n = argc > 1 ? atoi(argv[1]) : 100000;
	double t[5];
	size_t terms = 0;

	srand(7);
	for (int run = 0; run < 5; run++) {
		fl_set_t s;
		double start = now();

		fl_set_init(&s);
		for (int i = 0; i < n; i++) {
			uint8_t a[16];
			bool six = rand() % 4 == 0;

			for (int k = 0; k < 16; k++)
				a[k] = (uint8_t)rand();
			fl_set_add(&s, six, a, six ? 32 + rand() % 97 :
			    16 + rand() % 17);
		}
		char **out = fl_set_terms(&s, &terms);

		t[run] = (now() - start) * 1000;
		fl_terms_free(out, terms);
		fl_set_clear(&s);
	}
	qsort(t, 5, sizeof(t[0]), cmp);
	printf("aggregate %d random ranges (IPv4 /16-/32, IPv6 /32-/128): "
	    "median %.1f ms of 5 runs, %zu CIDR terms out; target < 100 ms\n",
	    n, t[2], terms);
	return 0;
}
