/* The wire check that stands before libldns: one row per message, built
 * here byte by byte, with the status it must give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/wire.h"
#include "tests/unit/tap.h"

struct msg {
	uint8_t b[70000];
	size_t n;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put16(struct msg *m, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

/* header with the counts, and the question example.com TXT IN */
static void
start(struct msg *m, unsigned qd, unsigned an, unsigned ns, unsigned ar)
{
	static const uint8_t q[] = "\7example\3com\0\0\x10\0\1";

	m->n = 0;
	put16(m, 0x1234);
	put16(m, 0x8400);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
	if (qd)
		put(m, q, sizeof(q) - 1);
}

/* a record owned by the question's name (a pointer to offset 12) */
static void
record(struct msg *m, unsigned type, const void *rd, size_t len)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 300);
	put16(m, (unsigned)len);
	put(m, rd, len);
}

/* TXT data of n strings of len bytes each */
static size_t
strings(uint8_t *rd, unsigned n, unsigned len)
{
	size_t at = 0;

	for (unsigned i = 0; i < n; i++) {
		rd[at++] = (uint8_t)len;
		memset(rd + at, 'x', len);
		at += len;
	}
	return at;
}

void
test_dns_wire(void)
{
	static struct msg m;
	static uint8_t rd[66000];
	size_t len;

	start(&m, 1, 0, 0, 0);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: a question alone");
	tap_check(dns_wire_check(m.b, 11) == DNS_WIRE_SHORT,
	    "wire: 11 bytes are short of a header");
	tap_check(dns_wire_check(m.b, m.n - 1) == DNS_WIRE_SHORT,
	    "wire: a question cut in its class");
	start(&m, 0, 0, 0, 0);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_QUESTION,
	    "wire: no question");
	start(&m, 2, 0, 0, 0);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_QUESTION,
	    "wire: two questions");

	start(&m, 1, 1, 0, 0);
	len = strings(rd, 1, 11);
	record(&m, 16, rd, len);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: one TXT record");
	tap_check(dns_wire_check(m.b, m.n - 1) == DNS_WIRE_SHORT,
	    "wire: a record cut in its data");

	start(&m, 1, 1, 0, 0);
	len = strings(rd, DNS_WIRE_MAX_STRINGS, 1);
	record(&m, 16, rd, len);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: a TXT record of %d strings", DNS_WIRE_MAX_STRINGS);
	start(&m, 1, 1, 0, 0);
	len = strings(rd, DNS_WIRE_MAX_STRINGS + 1, 1);
	record(&m, 16, rd, len);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_TOO_MANY_STRINGS,
	    "wire: a TXT record of %d strings", DNS_WIRE_MAX_STRINGS + 1);
	start(&m, 1, 1, 0, 0);
	len = strings(rd, 32000, 1);
	record(&m, 99, rd, len);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_RDATA_TOO_LONG,
	    "wire: an SPF (99) record of 32,000 strings, 64,000 bytes");
	start(&m, 1, 1, 0, 0);
	len = strings(rd, 64, 255);
	record(&m, 16, rd, len);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: a TXT record of 16,384 bytes");
	start(&m, 1, 1, 0, 0);
	len = strings(rd, 65, 255);
	record(&m, 1, rd, len);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_RDATA_TOO_LONG,
	    "wire: any record over 16,384 bytes");
	start(&m, 1, 1, 0, 0);
	record(&m, 16, "\5abc", 4);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_BADTXT,
	    "wire: a TXT string longer than its record");
	start(&m, 1, 1, 0, 0);
	record(&m, 16, "", 0);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: a TXT record of no strings (RDLENGTH 0) is well formed");
	start(&m, 1, 1, 0, 0);
	record(&m, 99, "", 0);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: an SPF (99) record of no strings is well formed");

	/* the shapes of the types that are read */
	static const struct {
		unsigned type;
		const char *rd;
		size_t len;
		dns_wire_status_t want;
		const char *what;
	} shapes[] = {
		{ 1, "\300\0\2\1", 4, DNS_WIRE_OK, "an A record of 4 bytes" },
		{ 1, "", 0, DNS_WIRE_BADRDATA, "an A record of no bytes" },
		{ 1, "\300\0\2\1\1", 5, DNS_WIRE_BADRDATA, "an A record of 5 bytes" },
		{ 28, "0123456789abcdef", 16, DNS_WIRE_OK, "an AAAA of 16 bytes" },
		{ 28, "", 0, DNS_WIRE_BADRDATA, "an AAAA of no bytes" },
		{ 28, "0123", 4, DNS_WIRE_BADRDATA, "an AAAA of 4 bytes" },
		{ 15, "\0\12\300\14", 4, DNS_WIRE_OK, "an MX whose exchange is a pointer" },
		{ 15, "\0\12\2mx\0", 6, DNS_WIRE_OK, "an MX mx." },
		{ 15, "\0\12", 2, DNS_WIRE_BADRDATA, "an MX without its exchange" },
		{ 15, "", 0, DNS_WIRE_BADRDATA, "an MX of no bytes" },
		{ 15, "\0\12\2mx\0\0", 7, DNS_WIRE_BADRDATA, "an MX with a byte after its name" },
		{ 15, "\0\12\5mx", 5, DNS_WIRE_BADRDATA, "an MX whose name runs past its data" },
		{ 5, "\300\14", 2, DNS_WIRE_OK, "a CNAME that is a pointer" },
		{ 5, "", 0, DNS_WIRE_BADRDATA, "a CNAME of no bytes" },
		{ 12, "", 0, DNS_WIRE_BADRDATA, "a PTR of no bytes" },
		{ 2, "\2ns\0", 4, DNS_WIRE_OK, "an NS ns." },
		{ 6, "\0\0" "0123456789abcdefghij", 22, DNS_WIRE_OK, "an SOA of two roots and five numbers" },
		{ 6, "\0\0" "0123456789", 12, DNS_WIRE_BADRDATA, "an SOA cut in its numbers" },
		{ 6, "", 0, DNS_WIRE_BADRDATA, "an SOA of no bytes" },
		{ 52, "", 0, DNS_WIRE_OK, "a type that is not read is not looked into" },
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		start(&m, 1, 1, 0, 0);
		record(&m, shapes[i].type, shapes[i].rd, shapes[i].len);
		tap_check(dns_wire_check(m.b, m.n) == shapes[i].want,
		    "wire: %s: %s", shapes[i].what,
		    dns_wire_status_str(shapes[i].want));
	}
	start(&m, 1, 0, 1, 0);
	record(&m, 15, "\0\12", 2);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_BADRDATA,
	    "wire: a bad shape in the authority section is seen too");

	start(&m, 1, DNS_WIRE_MAX_RRS, 0, 0);
	for (unsigned i = 0; i < DNS_WIRE_MAX_RRS; i++)
		record(&m, 1, "\300\0\2\1", 4);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_OK,
	    "wire: %d records", DNS_WIRE_MAX_RRS);
	start(&m, 1, DNS_WIRE_MAX_RRS - 1, 1, 1);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_TOO_MANY_RRS,
	    "wire: %d records over three sections", DNS_WIRE_MAX_RRS + 1);

	/* names */
	start(&m, 1, 1, 0, 0);
	put16(&m, 0xc000 | (unsigned)m.n);	/* points at itself */
	put(&m, "\0\20\0\1\0\0\0\0\0\2\1x", 12);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_BADNAME,
	    "wire: a pointer to itself");
	start(&m, 1, 1, 0, 0);
	put(&m, "\300\100", 2);		/* forward, past the end */
	put(&m, "\0\20\0\1\0\0\0\0\0\2\1x", 12);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_BADNAME,
	    "wire: a pointer forward");
	start(&m, 1, 1, 0, 0);
	put(&m, "\101x\0", 3);		/* label type 01 */
	put(&m, "\0\20\0\1\0\0\0\0\0\2\1x", 12);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_BADNAME,
	    "wire: an extended label type");
	start(&m, 1, 1, 0, 0);
	for (int i = 0; i < 5; i++) {
		put(&m, "\77", 1);
		memset(m.b + m.n, 'a', 63);
		m.n += 63;
	}
	put(&m, "\0\0\20\0\1\0\0\0\0\0\2\1x", 13);
	tap_check(dns_wire_check(m.b, m.n) == DNS_WIRE_BADNAME,
	    "wire: a name of 320 bytes");
	for (int s = DNS_WIRE_OK; s <= DNS_WIRE_STATUS_LAST; s++)
		tap_check(dns_wire_status_str((dns_wire_status_t)s) != NULL,
		    "wire: status %d has a phrase", s);
}
