/* The pieces of publishing that need no server: the serial found in a
 * zone file's text and the next one, and the state file refused in every
 * way it can be wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flatten/serial.h"
#include "flatten/state.h"
#include "tests/unit/tap.h"

static const struct {
	const char *text, *serial;	/* NULL: no SOA of its own */
} finds[] = {
	{ "@ SOA ns host 2026010100 3600 600 86400 300\n", "2026010100" },
	{ "$ORIGIN x.\n$TTL 300\n@ IN SOA ns host ( 7 1 2 3 4 )\n", "7" },
	{ "@ 300 IN SOA ns host (\n  42 ; serial\n  1 2 3 4 )\n", "42" },
	{ "@ SOA ns host (\n ; a comment ( with parens\n 99 1 2 3 4 )\n",
	    "99" },
	{ "soa A 192.0.2.1\n@ SOA ns host 5 1 2 3 4\n", "5" },
	{ "x TXT \"SOA ns host 1 2 3 4 5\"\n@ SOA a b 8 1 2 3 4\n", "8" },
	{ "   IN SOA ns host 11 1 2 3 4\n", "11" },
	{ "@ 1h IN SOA ns host 12 1 2 3 4\n", "12" },
	{ "@ in soa ns host 13 1 2 3 4\n", "13" },
	{ "$INCLUDE soa.zone\n@ NS ns\n", NULL },
	{ "@ NS ns\n", NULL },
	{ "@ SOA ns host 12345678901 1 2 3 4\n", NULL },
	{ "@ SOA ns host 1x 1 2 3 4\n", NULL },
	{ "@ SOA ns host\n", NULL },
};

static void
test_serial(void)
{
	time_t day = 1795996800;	/* 2026-11-30 00:00 UTC */

	for (size_t i = 0; i < sizeof(finds) / sizeof(finds[0]); i++) {
		size_t off = 0, n = 0;
		int rc = fl_serial_find(finds[i].text, strlen(finds[i].text),
		    &off, &n);

		if (finds[i].serial == NULL)
			tap_check(rc == -1, "serial: none in row %zu", i);
		else
			tap_check(rc == 0 && n == strlen(finds[i].serial) &&
			    strncmp(finds[i].text + off, finds[i].serial, n) == 0,
			    "serial: %s found in row %zu", finds[i].serial, i);
	}
	tap_check(fl_serial_next(2026010100, day) == 2026113000,
	    "serial: an older date becomes today's 00");
	tap_check(fl_serial_next(2026113000, day) == 2026113001,
	    "serial: today's grows by one");
	tap_check(fl_serial_next(2026113099, day) == 2026113100,
	    "serial: today's 99 still grows");
	tap_check(fl_serial_next(2027010100, day) == 2027010101,
	    "serial: a date ahead of today grows by one");
	tap_check(fl_serial_next(7, day) == 8, "serial: a counter grows by one");
	tap_check(fl_serial_next(4294967295u, day) == 0,
	    "serial: 2^32 - 1 wraps to 0 (RFC 1982)");
	tap_check(fl_serial_after(0, 4294967295u), "serial: 0 follows 2^32-1");
	tap_check(fl_serial_after(2026113000, 2026010100) &&
	    !fl_serial_after(2026010100, 2026113000) &&
	    !fl_serial_after(5, 5), "serial: RFC 1982 order");
}

static const char good[] =
	"{\"format\": \"authzone-spf-flatten-state 1\", \"domain\": "
	"\"example.com\", \"ip4_addresses\": 256, \"ip6_addresses\": "
	"\"79228162514264337593543950336\", \"records\": 2, \"sha256\": "
	"\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
	" \"serial\": 2026113001, \"pending\": \"reload\"}";

static const struct {
	const char *text, *why;
} bad_states[] = {
	{ "", "empty" },
	{ "{\"domain\": \"example.com\", \"ip4", "not JSON" },
	{ "\x89PNG\r\n", "not JSON" },
	{ "[]", "not a spf-flatten state file" },
	{ "{\"domain\": \"other.com\", \"records\": 1}", "of other.com" },
	{ "{\"domain\": \"example.com\"}", "no \"domain\" or \"records\"" },
	{ "{\"domain\": \"example.com\", \"records\": 0}", "\"records\"" },
	{ "{\"domain\": \"example.com\", \"records\": 1, \"ip4_addresses\": "
	    "-1, \"ip6_addresses\": 0}", "bad address counts" },
	{ "{\"format\": \"authzone-spf-flatten-state 2\", \"domain\": "
	    "\"example.com\", \"records\": 1}", "does not know" },
	{ "{\"format\": \"authzone-spf-flatten-state 1\", \"domain\": "
	    "\"example.com\", \"records\": 1, \"ip4_addresses\": 1, "
	    "\"ip6_addresses\": 1e30}", "bad address counts" },
	{ "{\"format\": \"authzone-spf-flatten-state 1\", \"domain\": "
	    "\"example.com\", \"records\": 1, \"ip4_addresses\": 1, "
	    "\"ip6_addresses\": \"012\"}", "bad address counts" },
	{ "{\"format\": \"authzone-spf-flatten-state 1\", \"domain\": "
	    "\"example.com\", \"records\": 1, \"ip4_addresses\": 1, "
	    "\"ip6_addresses\": \"0\", \"sha256\": \"abc\"}", "sha256" },
	{ "{\"domain\": \"example.com\", \"domain\": \"example.com\", "
	    "\"records\": 1}", "not JSON" },
};

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static void
test_state(void)
{
	char dir[] = "/tmp/authzone-state.XXXXXX", path[64], err[1024];
	fl_state_t st;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/state.json", dir);
	tap_check(fl_state_load(path, "example.com", &st, err,
	    sizeof(err)) == FL_STATE_ABSENT, "state: a missing file is absent");
	write_file(path, good);
	tap_check(fl_state_load(path, "example.com", &st, err,
	    sizeof(err)) == FL_STATE_OK && strcmp(st.ip4, "256") == 0 &&
	    strcmp(st.ip6, "79228162514264337593543950336") == 0 &&
	    st.records == 2 && st.serial == 2026113001 && st.has_serial &&
	    st.pending == FL_PENDING_RELOAD, "state: every field read");
	tap_check(fl_state_save(path, &st, err, sizeof(err)) == 0,
	    "state: written");
	fl_state_t again;

	tap_check(fl_state_load(path, "EXAMPLE.com", &again, err,
	    sizeof(err)) == FL_STATE_OK && strcmp(st.ip4, again.ip4) == 0 &&
	    strcmp(st.ip6, again.ip6) == 0 && st.records == again.records &&
	    strcmp(st.sha256, again.sha256) == 0 &&
	    st.serial == again.serial && st.pending == again.pending,
	    "state: read back the same, the domain compared without case");
	for (size_t i = 0; i < sizeof(bad_states) / sizeof(bad_states[0]);
	    i++) {
		write_file(path, bad_states[i].text);
		fl_state_status_t rc = fl_state_load(path, "example.com", &st,
		    err, sizeof(err));

		if (!tap_check(rc == FL_STATE_BAD && strstr(err,
		    bad_states[i].why) && strstr(err, "start over"),
		    "state: refused, %s (row %zu)", bad_states[i].why, i))
			tap_diag("%s", err);
	}
	unlink(path);
	tap_check(mkdir(path, 0700) == 0 && fl_state_load(path, "example.com",
	    &st, err, sizeof(err)) == FL_STATE_BAD &&
	    strstr(err, "directory"), "state: a directory is refused");
	rmdir(path);
	rmdir(dir);
}

void
test_flatten_state(void)
{
	test_serial();
	test_state();
}
