#include "lint/spf_check.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lint/spf_codes.h"

struct range {
	uint8_t addr[16];
	int prefix;
	const char *what;
};

/* Ranges that never send mail on the internet (RFC 6890 and friends) */
static const struct range special4[] = {
	{ { 0 }, 8, "0.0.0.0/8 (this network)" },
	{ { 10 }, 8, "10.0.0.0/8 (private, RFC 1918)" },
	{ { 100, 64 }, 10, "100.64.0.0/10 (shared address space, RFC 6598)" },
	{ { 127 }, 8, "127.0.0.0/8 (loopback)" },
	{ { 169, 254 }, 16, "169.254.0.0/16 (link-local)" },
	{ { 172, 16 }, 12, "172.16.0.0/12 (private, RFC 1918)" },
	{ { 192, 0, 2 }, 24, "192.0.2.0/24 (documentation, RFC 5737)" },
	{ { 192, 168 }, 16, "192.168.0.0/16 (private, RFC 1918)" },
	{ { 198, 18 }, 15, "198.18.0.0/15 (benchmarking, RFC 2544)" },
	{ { 198, 51, 100 }, 24, "198.51.100.0/24 (documentation, RFC 5737)" },
	{ { 203, 0, 113 }, 24, "203.0.113.0/24 (documentation, RFC 5737)" },
	{ { 224 }, 3, "224.0.0.0/3 (multicast and reserved)" },
};

static const struct range special6[] = {
	{ { 0 }, 127, "::/127 (unspecified and loopback)" },
	{ { 0xfc }, 7, "fc00::/7 (unique local, RFC 4193)" },
	{ { 0xfe, 0x80 }, 10, "fe80::/10 (link-local)" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, "2001:db8::/32 (documentation, "
	    "RFC 3849)" },
	{ { 0xff }, 8, "ff00::/8 (multicast)" },
};

/* True when the first bits of a and b agree */
static bool
prefix_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)whole) != 0)
		return false;
	return rest == 0 ||
	    ((a[whole] ^ b[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static void
check_ip(const spf_term_t *t, const char *rtext, const char *domain,
    lint_findings_t *f)
{
	bool six = t->kind == SPF_IP6;
	int bits = six ? 128 : 32;
	int prefix = six ? (t->cidr6 < 0 ? 128 : t->cidr6) :
	    (t->cidr4 < 0 ? 32 : t->cidr4);
	const struct range *sp = six ? special6 : special4;
	size_t nsp = six ? sizeof(special6) / sizeof(*special6) :
	    sizeof(special4) / sizeof(*special4);
	char term[128], net[INET6_ADDRSTRLEN + 16], buf[INET6_ADDRSTRLEN];
	uint8_t masked[16];

	snprintf(term, sizeof(term), "%.*s", (int)(t->length > 120 ? 120 :
	    t->length), rtext + t->offset);
	memcpy(masked, t->addr, 16);
	for (int i = prefix; i < bits; i++)
		masked[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	if (memcmp(masked, t->addr, (size_t)(bits / 8)) != 0) {
		inet_ntop(six ? AF_INET6 : AF_INET, masked, buf, sizeof(buf));
		snprintf(net, sizeof(net), "%s/%d", buf, prefix);
		spf_finding(f, SPF_HOST_BITS, domain, (long)t->offset, term, net);
	}
	if (prefix < (six ? 16 : 8)) {
		char what[64];

		if (six)
			snprintf(what, sizeof(what), "a /%d: 2^%d addresses",
			    prefix, 128 - prefix);
		else
			snprintf(what, sizeof(what), "a /%d: %.0f addresses",
			    prefix, (double)(1ULL << (32 - prefix)));
		spf_finding(f, SPF_BROAD_RANGE, domain, (long)t->offset, term,
		    what);
	}
	for (size_t i = 0; i < nsp; i++)
		if (prefix >= sp[i].prefix &&
		    prefix_eq(masked, sp[i].addr, sp[i].prefix)) {
			spf_finding(f, SPF_PRIVATE_RANGE, domain,
			    (long)t->offset, term, sp[i].what);
			break;
		}
}

void
spf_record_check(const spf_record_t *rec, const char *domain, bool top,
    lint_findings_t *f)
{
	size_t after = 0;

	for (size_t i = 0; i < rec->nterms; i++) {
		const spf_term_t *t = &rec->terms[i];

		if (t->bad)
			continue;
		if (t->kind == SPF_IP4 || t->kind == SPF_IP6)
			check_ip(t, rec->text, domain, f);
		if (t->kind == SPF_ALL && (int)i == rec->all) {
			if (t->qualifier == '+')
				spf_finding(f, SPF_PASS_ALL, domain,
				    (long)t->offset, t->offset < rec->len &&
				    rec->text[t->offset] == '+' ? "+all" : "all");
			else if (t->qualifier == '?' && top)
				spf_finding(f, SPF_NEUTRAL_ALL, domain,
				    (long)t->offset);
		}
		if (rec->all >= 0 && (int)i > rec->all &&
		    t->kind != SPF_REDIRECT && t->kind != SPF_EXP &&
		    t->kind != SPF_MODIFIER)
			after++;
	}
	if (after)
		spf_finding(f, SPF_TERMS_AFTER_ALL, domain,
		    (long)rec->terms[rec->all].offset, after);
	if (rec->all >= 0 && rec->redirect >= 0)
		spf_finding(f, SPF_REDIRECT_IGNORED, domain,
		    (long)rec->terms[rec->redirect].offset);
	if (top && rec->all < 0 && rec->redirect < 0 && !rec->bad)
		spf_finding(f, SPF_NO_ALL, domain, (long)rec->len);
	if (rec->len > 450)
		spf_finding(f, SPF_RECORD_TOO_LONG, domain, 450L, rec->len);
}
