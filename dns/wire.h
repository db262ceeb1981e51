/*
 * A check of a DNS message in wire format, before libldns parses it.
 *
 * ldns builds an rdf a string and grows arrays one element at a time, so a
 * hostile answer (a 65 KB TXT record of 32,000 one-byte strings) costs
 * quadratic time and gigabytes inside the parser.  No tool here has any use
 * for such an answer, so it is refused here, in one linear pass that reads
 * every name and record header without building anything.
 *
 * The data of the types the tools read (A, AAAA, NS, CNAME, PTR, MX, SOA,
 * TXT, SPF) must have its type's shape exactly: ldns takes an A record of
 * no bytes or an MX of two as a record with fewer fields than its type has,
 * which no reader expects.  A TXT record of no strings at all (RDLENGTH 0)
 * is well formed, if odd, and is taken (RFC 7208's test suite has one).
 */
#ifndef AUTHZONE_DNS_WIRE_H
#define AUTHZONE_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* What a message may hold before it is refused. */
#define DNS_WIRE_MAX_RRS	512	/* records in all sections together */
#define DNS_WIRE_MAX_STRINGS	128	/* character-strings of one TXT record */
#define DNS_WIRE_MAX_RDATA	16384	/* bytes of one record's data */

typedef enum dns_wire_status {
	DNS_WIRE_OK,
	DNS_WIRE_SHORT,		/* ends inside the header, a name or a record */
	DNS_WIRE_BADNAME,	/* a label type, pointer or length not allowed */
	DNS_WIRE_QUESTION,	/* not exactly one question */
	DNS_WIRE_TOO_MANY_RRS,
	DNS_WIRE_TOO_MANY_STRINGS,
	DNS_WIRE_RDATA_TOO_LONG,
	DNS_WIRE_BADTXT,	/* TXT strings that do not fill the record */
	DNS_WIRE_BADRDATA,	/* data of a read type that does not fit it */
	DNS_WIRE_STATUS_LAST = DNS_WIRE_BADRDATA,
} dns_wire_status_t;

/** DNS_WIRE_OK when the message in buf[0..len) is whole and within the
 * limits above; otherwise what is wrong (dns_wire_status_str says it). */
dns_wire_status_t dns_wire_check(const uint8_t *buf, size_t len);
/** dns_wire_check, and where the answer section ends (*answers: the
 * offset after its last record): what a reader of answers parses. */
dns_wire_status_t dns_wire_check_answers(const uint8_t *buf, size_t len,
    size_t *answers);

/** A short phrase for a status: "a TXT record of over 128 strings". */
const char *dns_wire_status_str(dns_wire_status_t st);

#endif
