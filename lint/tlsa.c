#include "lint/tlsa.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const lint_code_t tlsa_codes[TLSA_ROWS] = {
	[TLSA_SYNTAX] = { "tlsa-syntax", LINT_ERROR,
	    "not \"usage selector matching-type data\": %s", "RFC 6698 2.2",
	    NULL },
	[TLSA_BAD_USAGE] = { "tlsa-bad-usage", LINT_ERROR,
	    "usage %u is none of 0 to 3: clients ignore the record",
	    "RFC 7218 2.1", "use 3 (DANE-EE) or 2 (DANE-TA)" },
	[TLSA_BAD_SELECTOR] = { "tlsa-bad-selector", LINT_ERROR,
	    "selector %u is neither 0 (certificate) nor 1 (public key)",
	    "RFC 7218 2.2", "use 1 (SPKI)" },
	[TLSA_BAD_MTYPE] = { "tlsa-bad-mtype", LINT_ERROR,
	    "matching type %u is none of 0 (full), 1 (SHA-256), 2 (SHA-512)",
	    "RFC 7218 2.3", "use 1 (SHA2-256)" },
	[TLSA_DIGEST_LENGTH] = { "tlsa-digest-length", LINT_ERROR,
	    "a %s digest is %u bytes, this data %zu: it matches nothing",
	    "RFC 6698 2.1.3", "publish the digest that tlsa-gen prints" },
	[TLSA_OWNER] = { "tlsa-owner", LINT_ERROR,
	    "%s is not _PORT._PROTO.HOST: no client looks there",
	    "RFC 6698 3", "publish it at _25._tcp.MX for SMTP" },
	[TLSA_PKIX_USAGE] = { "tlsa-pkix-usage", LINT_WARNING,
	    "usage %u (%s) is not for SMTP: DANE senders treat it as "
	    "unusable", "RFC 7672 3.1.3", "use 3 1 1 (DANE-EE) or 2 1 1 "
	    "(DANE-TA)" },
	[TLSA_FULL_DATA] = { "tlsa-full-data", LINT_WARNING,
	    "matching type 0 publishes the whole %s (%zu bytes): a digest "
	    "keeps the answer small", "RFC 6698 2.1.3",
	    "use matching type 1 (SHA2-256)" },
	[TLSA_TA_NOT_CA] = { "tlsa-ta-not-ca", LINT_ERROR,
	    "usage 2 (DANE-TA) names %s, which is not a CA: no chain the "
	    "server sends is signed by it", "RFC 7671 5.2",
	    "give the issuing CA's certificate, or use usage 3 (DANE-EE)" },
	[TLSA_EE_IS_CA] = { "tlsa-ee-is-ca", LINT_WARNING,
	    "usage 3 (DANE-EE) names %s, a CA certificate: the server's own "
	    "certificate or key is wanted", "RFC 7671 5.1",
	    "give the server's certificate, or use usage 2 (DANE-TA)" },
};

const char *
tlsa_usage_name(unsigned usage)
{
	static const char *const names[] = { "PKIX-TA", "PKIX-EE", "DANE-TA",
	    "DANE-EE" };

	return usage < 4 ? names[usage] : "unassigned";
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* a decimal field of at most 3 digits, 0 to 255, then white space */
static int
field(const char **p, unsigned *v)
{
	const char *s = *p;
	unsigned n = 0, digits = 0;

	while (isdigit((unsigned char)*s) && digits < 4) {
		n = n * 10 + (unsigned)(*s++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 3 || n > 255 ||
	    !isspace((unsigned char)*s))
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	*v = n;
	*p = s;
	return 0;
}

int
tlsa_record_parse(const char *text, tlsa_record_t *r)
{
	const char *p = text;
	int hi = -1;

	r->len = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (field(&p, &r->usage) != 0 || field(&p, &r->selector) != 0 ||
	    field(&p, &r->mtype) != 0)
		return -1;
	for (; *p; p++) {
		int v;

		if (isspace((unsigned char)*p))
			continue;
		if ((v = hexval((unsigned char)*p)) < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (r->len == TLSA_DATA_MAX)
			return -1;
		r->data[r->len++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 && r->len > 0 ? 0 : -1;
}

int
tlsa_owner_port(const char *owner, char *proto)
{
	const char *p = owner, *dot;
	unsigned port = 0, digits = 0;

	if (*p++ != '_')
		return -1;
	while (isdigit((unsigned char)*p) && digits < 6) {
		port = port * 10 + (unsigned)(*p++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 5 || port > 65535 || *p++ != '.' ||
	    *p++ != '_' || (dot = strchr(p, '.')) == NULL || dot == p ||
	    dot - p > 15 || dot[1] == '\0')
		return -1;
	for (const char *q = p; q < dot; q++)
		if (!isalnum((unsigned char)*q) && *q != '-')
			return -1;
	if (proto) {
		memcpy(proto, p, (size_t)(dot - p));
		proto[dot - p] = '\0';
	}
	return (int)port;
}

void
tlsa_record_check(const char *text, const char *owner, lint_findings_t *f)
{
	static const struct { const char *name; unsigned len; } digests[] = {
		[1] = { "SHA-256", 32 }, [2] = { "SHA-512", 64 },
	};
	tlsa_record_t *r = malloc(sizeof(*r));
	int port = tlsa_owner_port(owner, NULL);

	if (r == NULL)
		return;
	if (port < 0)
		lint_findings_add(f, &tlsa_codes[TLSA_OWNER], owner, -1L, owner);
	if (tlsa_record_parse(text, r) != 0) {
		lint_findings_add(f, &tlsa_codes[TLSA_SYNTAX], owner, 0L, text);
		free(r);
		return;
	}
	if (r->usage > 3)
		lint_findings_add(f, &tlsa_codes[TLSA_BAD_USAGE], owner, 0L,
		    r->usage);
	else if (r->usage < 2 && port == 25)
		lint_findings_add(f, &tlsa_codes[TLSA_PKIX_USAGE], owner, 0L,
		    r->usage, tlsa_usage_name(r->usage));
	if (r->selector > 1)
		lint_findings_add(f, &tlsa_codes[TLSA_BAD_SELECTOR], owner, -1L,
		    r->selector);
	if (r->mtype > 2)
		lint_findings_add(f, &tlsa_codes[TLSA_BAD_MTYPE], owner, -1L,
		    r->mtype);
	else if (r->mtype == 0)
		lint_findings_add(f, &tlsa_codes[TLSA_FULL_DATA], owner, -1L,
		    r->selector == 0 ? "certificate" : "public key", r->len);
	else if (r->len != digests[r->mtype].len)
		lint_findings_add(f, &tlsa_codes[TLSA_DIGEST_LENGTH], owner, -1L,
		    digests[r->mtype].name, digests[r->mtype].len, r->len);
	free(r);
}
