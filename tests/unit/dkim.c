/* DKIM canonicalization: RFC 6376 3.4.5's example, and the edges of the
 * body forms (empty, no final CRLF, trailing empty lines, l=). */
#include <stdlib.h>
#include <string.h>

#include "msg/dkim.h"
#include "tests/unit/tap.h"

static const struct body_row {
	const char *in;
	bool relaxed;
	long l;
	const char *want;
} bodies[] = {
	{ " C \r\nD \t E\r\n\r\n\r\n", true, -1, " C\r\nD E\r\n" },
	{ " C \r\nD \t E\r\n\r\n\r\n", false, -1, " C \r\nD \t E\r\n" },
	{ "", false, -1, "\r\n" },
	{ "", true, -1, "" },
	{ "\r\n\r\n", false, -1, "\r\n" },
	{ "\r\n\r\n", true, -1, "" },
	{ "no end", false, -1, "no end\r\n" },
	{ "no end  ", true, -1, "no end\r\n" },
	{ "a\r\n\r\nb\r\n", true, -1, "a\r\n\r\nb\r\n" },
	{ "abcdef\r\n", true, 3, "abc" },
	{ "a\nb\n", true, -1, "a\r\nb\r\n" },
};

static const struct field_row {
	const char *in;
	bool relaxed;
	const char *want;
} fields[] = {
	{ "A: X\r\n", true, "a:X\r\n" },
	{ "B : Y\t\r\n\tZ  \r\n", true, "b:Y Z\r\n" },
	{ "B : Y\t\r\n\tZ  \r\n", false, "B : Y\t\r\n\tZ  \r\n" },
	{ "h: a : b :\r\n c\r\n", true, "h:a : b : c\r\n" },
	{ "Subject:   \r\n", true, "subject:\r\n" },
};

void
test_dkim(void)
{
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		const struct body_row *r = &bodies[i];
		size_t n;
		char *c = dkim_canon_body(r->in, strlen(r->in), r->relaxed, r->l,
		    &n);

		tap_check(c && n == strlen(r->want) && memcmp(c, r->want, n) ==
		    0, "dkim body %s, l=%ld, row %zu", r->relaxed ? "relaxed" :
		    "simple", r->l, i);
		free(c);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field_row *r = &fields[i];
		size_t n;
		char *c = dkim_canon_field(r->in, strlen(r->in), r->relaxed, &n);

		tap_check(c && n == strlen(r->want) && memcmp(c, r->want, n) ==
		    0, "dkim field %s, row %zu", r->relaxed ? "relaxed" :
		    "simple", i);
		free(c);
	}
}
