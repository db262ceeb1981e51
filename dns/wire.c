#include "dns/wire.h"

#define HEADER		12
#define MAX_POINTERS	64	/* hops of compression in one name */

struct reader {
	const uint8_t *buf;
	size_t len, pos;
};

static int
u16(struct reader *r, unsigned *v)
{
	if (r->len - r->pos < 2)
		return -1;
	*v = (unsigned)r->buf[r->pos] << 8 | r->buf[r->pos + 1];
	r->pos += 2;
	return 0;
}

/* Steps over a name at r->pos, following compression pointers (each must
 * point before the label it stands in) to check the name's whole length. */
static dns_wire_status_t
name_skip(struct reader *r)
{
	size_t at = r->pos, total = 0, end = 0;
	unsigned hops = 0;

	for (;;) {
		uint8_t c;

		if (at >= r->len)
			return DNS_WIRE_SHORT;
		c = r->buf[at];
		if ((c & 0xc0) == 0xc0) {
			size_t to;

			if (at + 1 >= r->len)
				return DNS_WIRE_SHORT;
			to = (size_t)(c & 0x3f) << 8 | r->buf[at + 1];
			if (to >= at || ++hops > MAX_POINTERS)
				return DNS_WIRE_BADNAME;
			if (end == 0)
				end = at + 2;
			at = to;
			continue;
		}
		if (c & 0xc0)
			return DNS_WIRE_BADNAME;	/* 0x40, 0x80: obsolete */
		if ((total += (size_t)c + 1) > 255)
			return DNS_WIRE_BADNAME;
		if (c == 0) {
			r->pos = end ? end : at + 1;
			return DNS_WIRE_OK;
		}
		if (r->len - at - 1 < c)
			return DNS_WIRE_SHORT;
		at += (size_t)c + 1;
	}
}

/* The character-strings of a TXT record's data must fill it exactly (none
 * at all is well formed) */
static dns_wire_status_t
txt_check(const uint8_t *rd, size_t len)
{
	size_t at = 0, strings = 0;

	while (at < len) {
		if (++strings > DNS_WIRE_MAX_STRINGS)
			return DNS_WIRE_TOO_MANY_STRINGS;
		at += (size_t)rd[at] + 1;
	}
	return at == len ? DNS_WIRE_OK : DNS_WIRE_BADTXT;
}

/* The data at r->pos of a type that is read, rdlen bytes, has the type's
 * shape: a fixed size, or names (compressed or not) and fixed fields that
 * fill it exactly.  Other types are not looked into. */
static dns_wire_status_t
rdata_check(const struct reader *msg, unsigned type, unsigned rdlen)
{
	struct reader r = *msg;
	size_t end = r.pos + rdlen;
	unsigned names = 1, fixed = 0;

	switch (type) {
	case 16: case 99:	/* TXT and SPF share the layout */
		return txt_check(r.buf + r.pos, rdlen);
	case 1:
		return rdlen == 4 ? DNS_WIRE_OK : DNS_WIRE_BADRDATA;
	case 28:
		return rdlen == 16 ? DNS_WIRE_OK : DNS_WIRE_BADRDATA;
	case 2: case 5: case 12:	/* NS, CNAME, PTR */
		break;
	case 15:		/* MX: a preference, then the exchange */
		if (rdlen < 3)
			return DNS_WIRE_BADRDATA;
		r.pos += 2;
		break;
	case 6:			/* SOA: two names and five numbers */
		names = 2;
		fixed = 20;
		break;
	default:
		return DNS_WIRE_OK;
	}
	r.len = end;	/* a name's labels stay inside the data */
	while (names-- > 0)
		if (name_skip(&r) != DNS_WIRE_OK)
			return DNS_WIRE_BADRDATA;
	return r.pos + fixed == end ? DNS_WIRE_OK : DNS_WIRE_BADRDATA;
}

dns_wire_status_t
dns_wire_check(const uint8_t *buf, size_t len)
{
	size_t answers;

	return dns_wire_check_answers(buf, len, &answers);
}

dns_wire_status_t
dns_wire_check_answers(const uint8_t *buf, size_t len, size_t *answers)
{
	struct reader r = { buf, len, HEADER };
	unsigned qd, an, ns, ar, type, class, rdlen, ttl_hi, ttl_lo;
	dns_wire_status_t st;

	if (len < HEADER)
		return DNS_WIRE_SHORT;
	qd = (unsigned)buf[4] << 8 | buf[5];
	an = (unsigned)buf[6] << 8 | buf[7];
	ns = (unsigned)buf[8] << 8 | buf[9];
	ar = (unsigned)buf[10] << 8 | buf[11];
	if (qd != 1)
		return DNS_WIRE_QUESTION;
	if (an + ns + ar > DNS_WIRE_MAX_RRS)
		return DNS_WIRE_TOO_MANY_RRS;
	if ((st = name_skip(&r)) != DNS_WIRE_OK)
		return st;
	if (u16(&r, &type) || u16(&r, &class))
		return DNS_WIRE_SHORT;
	for (unsigned i = 0; i < an + ns + ar; i++) {
		if (i == an)
			*answers = r.pos;
		if ((st = name_skip(&r)) != DNS_WIRE_OK)
			return st;
		if (u16(&r, &type) || u16(&r, &class) || u16(&r, &ttl_hi) ||
		    u16(&r, &ttl_lo) || u16(&r, &rdlen))
			return DNS_WIRE_SHORT;
		if (rdlen > DNS_WIRE_MAX_RDATA)
			return DNS_WIRE_RDATA_TOO_LONG;
		if (r.len - r.pos < rdlen)
			return DNS_WIRE_SHORT;
		if ((st = rdata_check(&r, type, rdlen)) != DNS_WIRE_OK)
			return st;
		r.pos += rdlen;
	}
	if (ns + ar == 0)
		*answers = r.pos;
	return DNS_WIRE_OK;	/* bytes after the records are ignored */
}

const char *
dns_wire_status_str(dns_wire_status_t st)
{
	static const char *const text[DNS_WIRE_STATUS_LAST + 1] = {
		[DNS_WIRE_OK] = "well formed",
		[DNS_WIRE_SHORT] = "a message cut short",
		[DNS_WIRE_BADNAME] = "a malformed name",
		[DNS_WIRE_QUESTION] = "not exactly one question",
		[DNS_WIRE_TOO_MANY_RRS] = "over 512 records",
		[DNS_WIRE_TOO_MANY_STRINGS] = "a TXT record of over 128 strings",
		[DNS_WIRE_RDATA_TOO_LONG] = "a record of over 16384 bytes",
		[DNS_WIRE_BADTXT] = "a TXT record whose strings do not fill it",
		[DNS_WIRE_BADRDATA] = "a record whose data does not fit its type",
	};
	return text[st];
}
