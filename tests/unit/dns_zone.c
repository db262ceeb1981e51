/* Zone-file answers through the resolver, offline: what an authoritative
 * server would say for each kind of name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/dns.h"
#include "tests/unit/tap.h"

static const char zone_text[] =
	"$ORIGIN example.com.\n"
	"$TTL 300\n"
	"@ SOA ns hostmaster 1 3600 600 86400 300\n"
	"@ NS ns\n"
	"@ TXT \"v=spf1 -all\"\n"
	"@ MX 10 mx1\n"
	"mx1 A 85.1.2.3\n"
	"mx1 AAAA 2a00::1\n"
	"a.b.c TXT \"deep\"\n"
	"alias CNAME mx1\n"
	"alias2 CNAME alias\n"
	"loop1 CNAME loop2\n"
	"loop2 CNAME loop1\n"
	"*.wild TXT \"v=spf1 ip4:85.1.2.0/24 -all\"\n"
	"Mixed.Case TXT \"case\"\n";

static const char sub_text[] =
	"$ORIGIN sub.example.com.\n"
	"@ 300 SOA ns hostmaster 1 3600 600 86400 300\n"
	"@ 300 TXT \"from the sub zone\"\n";

static char *
write_tmp(const char *name, const char *text)
{
	static char dir[64];
	char *path;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/authzone-unit.XXXXXX");
		if (mkdtemp(dir) == NULL)
			return NULL;
	}
	if ((path = malloc(strlen(dir) + strlen(name) + 2)) == NULL)
		return NULL;
	sprintf(path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
	return path;
}

static void
expect(dns_resolver_t *r, const char *name, ldns_rr_type type,
    dns_result_t want, size_t nrrs)
{
	const dns_answer_t *a = dns_resolver_get(r, name, type);
	size_t n = a->rrs ? ldns_rr_list_rr_count(a->rrs) : 0;

	if (!tap_check(a->result == want && n == nrrs, "%s/%d is %s with %zu "
	    "records", name, (int)type, dns_result_str(want), nrrs))
		tap_diag("got %s with %zu", dns_result_str(a->result), n);
}

/* $INCLUDE: relative to the including file, with an origin, nested,
 * looping, too deep; files that are not regular */
static void
test_dns_include(void)
{
	char *top = write_tmp("db.inc.example", "$ORIGIN inc.example.\n"
	    "@ 300 SOA ns h 1 2 3 4 5\n"
	    "$INCLUDE part.zone\n"
	    "$include \"sub part.zone\" sub.inc.example. ; a comment\n"
	    "after 300 TXT \"origin restored\"\n"
	    "x 300 TXT ( \"a\"\n$INCLUDE not-a-directive \"b\" )\n");
	char *part = write_tmp("part.zone", "@ 300 TXT \"v=spf1 -all\"\n"
	    "_spf1 300 TXT \"v=spf1 ip4:192.0.2.0/24\"\n");
	char *sub = write_tmp("sub part.zone", "www 300 TXT \"in sub\"\n");
	char *loop_a = write_tmp("loop_a.zone", "$ORIGIN l.example.\n"
	    "@ 300 SOA ns h 1 2 3 4 5\n$INCLUDE loop_b.zone\n");
	char *loop_b = write_tmp("loop_b.zone", "$INCLUDE loop_a.zone\n");
	char *deep[10];
	char err[512], name[32], text[64];
	dns_options_t opt = { .offline = true };
	dns_resolver_t *r = dns_resolver_new(&opt, err, sizeof(err));

	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "deep%d.zone", i);
		snprintf(text, sizeof(text), i ? "$INCLUDE deep%d.zone\n" :
		    "$ORIGIN d.example.\n@ SOA ns h 1 2 3 4 5\n"
		    "$INCLUDE deep%d.zone\n", i + 1);
		deep[i] = write_tmp(name, text);
	}
	tap_check(dns_resolver_zone_load(r, top, err, sizeof(err)) == 0,
	    "$INCLUDE: the zone loads with its includes");
	expect(r, "inc.example", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "_spf1.inc.example", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "www.sub.inc.example", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "after.inc.example", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "x.inc.example", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	dns_resolver_free(r);
	r = dns_resolver_new(&opt, err, sizeof(err));
	tap_check(dns_resolver_zone_load(r, loop_a, err, sizeof(err)) != 0 &&
	    strstr(err, "$INCLUDE loop: ") && strstr(err, "loop_a.zone -> ") &&
	    strstr(err, "loop_b.zone -> "), "$INCLUDE: a loop shows the chain: "
	    "%s", err);
	tap_check(dns_resolver_zone_load(r, deep[0], err, sizeof(err)) != 0 &&
	    strstr(err, "nested over 8 deep"), "$INCLUDE: 9 deep is refused");
	tap_check(dns_resolver_zone_load(r, "/tmp", err, sizeof(err)) != 0 &&
	    strstr(err, "directory"), "a directory is refused: %s", err);
	tap_check(dns_resolver_zone_load(r, "/dev/zero", err, sizeof(err)) !=
	    0 && strstr(err, "over "),
	    "an endless device is refused at the size cap: %s", err);
	dns_resolver_free(r);
	for (int i = 0; i < 10; i++) {
		unlink(deep[i]);
		free(deep[i]);
	}
	unlink(top); unlink(part); unlink(sub); unlink(loop_a); unlink(loop_b);
	free(top); free(part); free(sub); free(loop_a); free(loop_b);
}

void
test_dns_zone(void)
{
	char *zpath = write_tmp("db.example.com", zone_text);
	char *spath = write_tmp("sub.zone", sub_text);
	char *bad = write_tmp("bad.zone", "$ORIGIN x.\n@ SOA ns h 1 2 3 4 5\n"
	    "a A 300.1.1.1\n");
	char *rel = write_tmp("db.rel.example", "@ 300 SOA ns h 1 2 3 4 5\n"
	    "www 300 TXT \"relative\"\n");
	dns_options_t opt = { .offline = true };
	char err[256], out[256];
	dns_resolver_t *r = dns_resolver_new(&opt, err, sizeof(err));

	tap_check(r != NULL, "offline resolver made");
	tap_check(dns_resolver_zone_load(r, zpath, err, sizeof(err)) == 0,
	    "zone loads");
	tap_check(dns_resolver_zone_load(r, spath, err, sizeof(err)) == 0,
	    "sub zone loads");
	tap_check(dns_resolver_zone_load(r, rel, err, sizeof(err)) == 0,
	    "a zone without $ORIGIN takes its file name");
	tap_check(dns_resolver_zone_load(r, bad, err, sizeof(err)) != 0 &&
	    strstr(err, "bad.zone:3") != NULL, "a bad zone says where: %s",
	    err);
	tap_check(dns_resolver_zone_load(r, "/nonexistent/db.x", err,
	    sizeof(err)) != 0 && strstr(err, "No such file") != NULL,
	    "a missing zone file is an error");

	expect(r, "example.com", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "EXAMPLE.COM.", LDNS_RR_TYPE_MX, DNS_OK, 1);
	expect(r, "example.com", LDNS_RR_TYPE_A, DNS_NODATA, 0);
	expect(r, "nothere.example.com", LDNS_RR_TYPE_TXT, DNS_NXDOMAIN, 0);
	expect(r, "b.c.example.com", LDNS_RR_TYPE_TXT, DNS_NODATA, 0);
	expect(r, "c.example.com", LDNS_RR_TYPE_TXT, DNS_NODATA, 0);
	expect(r, "a.b.c.example.com", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "x.a.b.c.example.com", LDNS_RR_TYPE_TXT, DNS_NXDOMAIN, 0);
	expect(r, "alias.example.com", LDNS_RR_TYPE_A, DNS_OK, 1);
	expect(r, "alias2.example.com", LDNS_RR_TYPE_AAAA, DNS_OK, 1);
	expect(r, "alias.example.com", LDNS_RR_TYPE_CNAME, DNS_OK, 1);
	expect(r, "loop1.example.com", LDNS_RR_TYPE_A, DNS_SERVFAIL, 0);
	expect(r, "anything.wild.example.com", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "anything.wild.example.com", LDNS_RR_TYPE_A, DNS_NODATA, 0);
	expect(r, "wild.example.com", LDNS_RR_TYPE_TXT, DNS_NODATA, 0);
	expect(r, "mixed.case.example.com", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "sub.example.com", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "x.sub.example.com", LDNS_RR_TYPE_TXT, DNS_NXDOMAIN, 0);
	expect(r, "www.rel.example", LDNS_RR_TYPE_TXT, DNS_OK, 1);
	expect(r, "example.org", LDNS_RR_TYPE_TXT, DNS_UNAVAILABLE, 0);
	expect(r, "a..b", LDNS_RR_TYPE_TXT, DNS_BADNAME, 0);

	const dns_answer_t *a = dns_resolver_get(r, "alias2.example.com",
	    LDNS_RR_TYPE_A);
	tap_check(a->canonical && strcmp(a->canonical, "mx1.example.com") == 0,
	    "a CNAME chain gives the canonical name");
	a = dns_resolver_get(r, "anything.wild.example.com", LDNS_RR_TYPE_TXT);
	char *owner = a->rrs ? ldns_rdf2str(ldns_rr_owner(
	    ldns_rr_list_rr(a->rrs, 0))) : NULL;
	tap_check(owner && strcmp(owner, "anything.wild.example.com.") == 0,
	    "a wildcard answer takes the asked name");
	free(owner);
	a = dns_resolver_get(r, "example.com", LDNS_RR_TYPE_TXT);
	tap_check(a->wire_size == 12 + 13 + 4 + 2 + 10 + 12,
	    "the answer's wire size is computed (%zu)", a->wire_size);

	dns_stats_t st;
	dns_resolver_stats(r, &st);
	tap_check(st.queries == 0, "offline sends no query");
	dns_resolver_free(r);

	tap_check(util_name_normalize("Mail.Example.COM.", out, sizeof(out)) ==
	    0 && strcmp(out, "mail.example.com") == 0, "names normalize");
	tap_check(util_name_normalize("a..b", out, sizeof(out)) != 0 &&
	    util_name_normalize("", out, sizeof(out)) != 0 &&
	    util_name_normalize(".", out, sizeof(out)) != 0,
	    "empty labels are refused");
	char label[80];
	memset(label, 'x', 64);
	strcpy(label + 64, ".com");
	tap_check(util_name_normalize(label, out, sizeof(out)) != 0,
	    "a 64-byte label is refused");

	dns_options_t bad_server = { .servers = (const char *[]){ "nonsense" },
	    .nservers = 1 };
	tap_check(dns_resolver_new(&bad_server, err, sizeof(err)) == NULL &&
	    strstr(err, "nonsense"), "a bad server address is refused");
	dns_options_t v6 = { .servers = (const char *[]){ "::1@5353",
	    "127.0.0.1#53" }, .nservers = 2 };
	r = dns_resolver_new(&v6, err, sizeof(err));
	tap_check(r != NULL, "IPv6 and #port server forms accepted");
	dns_resolver_free(r);
	unlink(zpath); unlink(spath); unlink(bad); unlink(rel);
	free(zpath); free(spath); free(bad); free(rel);
	test_dns_include();
}
