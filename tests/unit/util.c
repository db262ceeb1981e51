/* util/: names, the arena, message IDs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "util/arena.h"
#include "util/name.h"
#include "util/random.h"

/* The fast path of plain names and the slow one (ldns) agree: each case
 * once as given and once with a byte that is not plain (the slow path) */
static void
names(void)
{
	static const struct {
		const char *in, *out;	/* out NULL: refused */
	} cases[] = {
		{ "Mail.Example.COM", "mail.example.com" },
		{ "mail.example.com.", "mail.example.com" },
		{ "_spf.Example-1.com", "_spf.example-1.com" },
		{ "*.example.com", "*.example.com" },
		{ "com", "com" },
		{ "", NULL }, { ".", NULL }, { "..", NULL }, { "a..b", NULL },
		{ ".a", NULL }, { "a.b..", NULL },
	};
	char out[256], label[80], longname[300];
	size_t ok = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = util_name_normalize(cases[i].in, out, sizeof(out));

		if (cases[i].out ? rc == 0 && strcmp(out, cases[i].out) == 0 :
		    rc != 0)
			ok++;
		else
			tap_diag("%s: rc %d, %s", cases[i].in, rc, out);
	}
	tap_check(ok == sizeof(cases) / sizeof(cases[0]),
	    "names: %zu of %zu cases", ok, sizeof(cases) / sizeof(cases[0]));

	memset(label, 'x', 63);
	strcpy(label + 63, ".com");
	tap_check(util_name_normalize(label, out, sizeof(out)) == 0,
	    "a 63-byte label is a name");
	memset(label, 'x', 64);
	strcpy(label + 64, ".com");
	tap_check(util_name_normalize(label, out, sizeof(out)) != 0,
	    "a 64-byte label is not");
	/* 253 bytes: 63 + 1 + 63 + 1 + 63 + 1 + 61 */
	memset(longname, 'a', 253);
	longname[63] = longname[127] = longname[191] = '.';
	longname[253] = '\0';
	tap_check(util_name_normalize(longname, out, sizeof(out)) == 0 &&
	    strlen(out) == 253, "a 253-byte name is a name");
	strcpy(longname + 253, ".");
	tap_check(util_name_normalize(longname, out, sizeof(out)) == 0 &&
	    strlen(out) == 253, "and with its trailing dot");
	strcpy(longname + 253, "a");
	tap_check(util_name_normalize(longname, out, sizeof(out)) != 0,
	    "a 254-byte name is not");
	tap_check(util_name_normalize("mail.example.com", out, 10) != 0,
	    "a name longer than the buffer is refused");
	tap_check(util_name_normalize("A\\046b.Example.com", out,
	    sizeof(out)) == 0 && strcmp(out, "a\\.b.example.com") == 0,
	    "an escaped dot takes the slow path: %s", out);
}

static void
arena(void)
{
	util_arena_t a = { 0 };
	size_t zero = 0, aligned = 0, n = 5000;
	char *big, *s;

	for (size_t i = 0; i < n; i++) {
		unsigned char *p = util_arena_alloc(&a, 1 + i % 97);
		size_t nz = 0;

		for (size_t k = 0; p && k < 1 + i % 97; k++)
			nz += p[k] != 0;
		zero += p && nz == 0;
		aligned += p && (uintptr_t)p % _Alignof(max_align_t) == 0;
		if (p)
			memset(p, 0xff, 1 + i % 97);	/* next ones stay apart */
	}
	tap_check(zero == n && aligned == n,
	    "arena: %zu allocations zeroed, %zu aligned, of %zu", zero,
	    aligned, n);
	big = util_arena_alloc(&a, 100000);
	s = util_arena_strdup(&a, "after the big one");
	tap_check(big && big[99999] == 0 && s &&
	    strcmp(s, "after the big one") == 0,
	    "a block over the chunk size, and small ones after it");
	util_arena_clear(&a);
	tap_check(a.head == NULL, "cleared, the arena is empty");
}

static void
ids(void)
{
	static uint8_t seen[65536];
	size_t distinct = 0, n = 2000;

	for (size_t i = 0; i < n; i++) {
		uint16_t v = util_random16();

		distinct += !seen[v];
		seen[v] = 1;
	}
	/* 2,000 draws of 65,536: about 30 repeats expected; 100 is not
	 * chance */
	tap_check(distinct > n - 100, "IDs: %zu distinct of %zu", distinct, n);
}

void
test_util(void)
{
	names();
	arena();
	ids();
}
