#include "util/name.h"

#include <ctype.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

/* Names of plain hostname bytes are handled here; anything else goes
 * through ldns's parser and printer, so that every path (the user, zone
 * files, answers, macro expansions) ends with the same text. */
static bool
plain_name(const char *name)
{
	for (; *name; name++) {
		unsigned char c = (unsigned char)*name | 0x20;

		if (!(c >= 'a' && c <= 'z') && !(*name >= '0' && *name <= '9') &&
		    *name != '-' && *name != '_' && *name != '*' && *name != '.')
			return false;
	}
	return true;
}

/* A plain byte of a name, lowercased; 0 for any other */
static const unsigned char plain[256] = {
	['-'] = '-', ['_'] = '_', ['*'] = '*',
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define L(c) [c] = c, [c - 32] = c
	L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'),
	L('i'), L('j'), L('k'), L('l'), L('m'), L('n'), L('o'), L('p'),
	L('q'), L('r'), L('s'), L('t'), L('u'), L('v'), L('w'), L('x'),
	L('y'), L('z'),
#undef L
};

/* The common case in one pass: plain bytes, labels of 1 to 63, 253 at
 * most, one trailing dot allowed.  1 done, 0 not that case (the slow
 * path decides), -1 bad. */
static int
plain_normalize(const char *name, char *out, size_t outlen)
{
	size_t n = strnlen(name, 256), start = 0;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || n + 1 > outlen)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (i == n || c == '.') {
			if (i == start || i - start > 63)
				return -1;
			start = i + 1;
			out[i] = '.';
		} else if ((out[i] = (char)plain[c]) == 0)
			return 0;
	}
	out[n] = '\0';
	return 1;
}

int
util_name_normalize(const char *name, char *out, size_t outlen)
{
	size_t n, label = 0;
	char abs[1100], *printed = NULL;
	int rc = plain_normalize(name, out, outlen);

	if (rc != 0)
		return rc > 0 ? 0 : -1;
	if (!plain_name(name)) {
		ldns_rdf *rdf;

		n = strlen(name);
		if (n == 0 || n + 2 > sizeof(abs))
			return -1;
		snprintf(abs, sizeof(abs), "%s%s", name,
		    name[n - 1] == '.' && (n < 2 || name[n - 2] != '\\') ?
		    "" : ".");
		if ((rdf = ldns_dname_new_frm_str(abs)) == NULL)
			return -1;
		if (ldns_rdf_size(rdf) <= 1 ||
		    (printed = ldns_rdf2str(rdf)) == NULL) {
			ldns_rdf_deep_free(rdf);
			return -1;
		}
		ldns_rdf_deep_free(rdf);
		name = printed;
	}
	n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n + 1 > outlen || (!printed && n > 253))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '.' && !printed) {
			if (label == 0)
				goto bad;
			label = 0;
		} else if (++label > 63 && !printed)
			goto bad;
		out[i] = (char)tolower((unsigned char)name[i]);
	}
	if (label == 0 && !printed)
		goto bad;
	out[n] = '\0';
	free(printed);
	return 0;
bad:
	free(printed);
	return -1;
}

int
util_name_from_raw(const char *raw, char *out, size_t outlen)
{
	char esc[1100];
	size_t o = 0;

	for (; *raw && o + 5 < sizeof(esc); raw++) {
		unsigned char c = (unsigned char)*raw;

		if (isalnum(c) || strchr("-_*.", c))
			esc[o++] = (char)c;
		else
			o += (size_t)snprintf(esc + o, 5, "\\%03u", c);
	}
	if (*raw)
		return -1;
	esc[o] = '\0';
	return util_name_normalize(esc, out, outlen);
}

bool
util_name_related(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la < lb)
		return util_name_related(b, a);
	return strcasecmp(a + la - lb, b) == 0 && (la == lb ||
	    a[la - lb - 1] == '.');
}

void
util_name_reverse(int family, const uint8_t *ip, char *out, size_t outlen)
{
	size_t o = 0;

	if (family == AF_INET) {
		snprintf(out, outlen, "%u.%u.%u.%u.in-addr.arpa", ip[3], ip[2],
		    ip[1], ip[0]);
		return;
	}
	for (int i = 15; i >= 0 && o + 5 <= outlen; i--, o += 4)
		snprintf(out + o, 5, "%x.%x.", ip[i] & 15, ip[i] >> 4);
	snprintf(out + o, outlen - o, "ip6.arpa");
}
