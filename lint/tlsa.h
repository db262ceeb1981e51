/*
 * TLSA records (RFC 6698 2, with the names of RFC 7218 and the DANE rules
 * of RFC 7671 and, for SMTP, RFC 7672): the presentation form parsed and
 * checked, the owner _PORT._PROTO.HOST told apart.  Parses text only;
 * what a record is computed from is tls/tlsa.h's.
 */
#ifndef AUTHZONE_LINT_TLSA_H
#define AUTHZONE_LINT_TLSA_H

#include <stddef.h>
#include <stdint.h>

#include "lint/finding.h"

enum {
	TLSA_SYNTAX, TLSA_BAD_USAGE, TLSA_BAD_SELECTOR, TLSA_BAD_MTYPE,
	TLSA_DIGEST_LENGTH, TLSA_OWNER, TLSA_PKIX_USAGE, TLSA_FULL_DATA,
	TLSA_TA_NOT_CA, TLSA_EE_IS_CA, TLSA_ROWS
};
extern const lint_code_t tlsa_codes[TLSA_ROWS];

#define TLSA_DATA_MAX	4096	/* association data, bytes: a certificate */

typedef struct tlsa_record {
	unsigned usage, selector, mtype;
	uint8_t data[TLSA_DATA_MAX];
	size_t len;
} tlsa_record_t;

/** "USAGE SELECTOR MTYPE HEX" (the hex may be split by white space, as
 * zone files write it) into r; 0, or -1 when it is not that form. */
int tlsa_record_parse(const char *text, tlsa_record_t *r);

/** The port of an owner _PORT._PROTO.HOST, or -1 when it is not one;
 * proto, when not NULL, gets the protocol label (16 bytes). */
int tlsa_owner_port(const char *owner, char *proto);

/** Checks the record text published at owner: the form, the values each
 * field may take, the digest's length, the owner, and what DANE for SMTP
 * (port 25) does not use. */
void tlsa_record_check(const char *text, const char *owner,
    lint_findings_t *f);

/** RFC 7218's name of a usage ("DANE-EE"), or "unassigned". */
const char *tlsa_usage_name(unsigned usage);

#endif
