#include "flatten/serial.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dns/zone.h"
#include "util/file.h"

#define MAX_ZONE_BYTES	(256u << 20)

uint32_t
fl_serial_next(uint32_t old, time_t now)
{
	unsigned y = old / 1000000, m = old / 10000 % 100, d = old / 100 % 100;
	struct tm tm;
	uint32_t today;

	gmtime_r(&now, &tm);
	today = ((uint32_t)(tm.tm_year + 1900) * 10000 +
	    (uint32_t)(tm.tm_mon + 1) * 100 + (uint32_t)tm.tm_mday) * 100;
	if (y >= 1970 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
	    today > old)
		return today;
	return old + 1;		/* wraps at 2^32, as RFC 1982 adds */
}

int
fl_serial_after(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(a - b) < 0x80000000u;
}

struct scan {
	const char *t;
	size_t len, at;
	int paren;
};

/* The next token of the current record: its offset and length; 0 at the
 * end of the record (a newline outside parentheses, or the text's end). */
static int
token(struct scan *s, size_t *off, size_t *n)
{
	for (;;) {
		if (s->at >= s->len)
			return 0;
		char c = s->t[s->at];

		if (c == '\n') {
			if (s->paren == 0)
				return 0;
			s->at++;
		} else if (c == ';')
			while (s->at < s->len && s->t[s->at] != '\n')
				s->at++;
		else if (c == '(' || c == ')') {
			s->paren += c == '(' ? 1 : s->paren > 0 ? -1 : 0;
			s->at++;
		} else if (isspace((unsigned char)c))
			s->at++;
		else
			break;
	}
	*off = s->at;
	if (s->t[s->at] == '"') {
		for (s->at++; s->at < s->len && s->t[s->at] != '"'; s->at++)
			if (s->t[s->at] == '\\')
				s->at++;
		s->at++;
	} else
		do	/* at least one byte: a NUL is a byte like others */
			s->at += s->t[s->at] == '\\' ? 2 : 1;
		while (s->at < s->len && !isspace((unsigned char)s->t[s->at]) &&
		    (s->t[s->at] == '\0' || !strchr(";()\"", s->t[s->at])));
	if (s->at > s->len)
		s->at = s->len;
	*n = s->at - *off;
	return 1;
}

static bool
word_is(const struct scan *s, size_t off, size_t n, const char *w)
{
	return n == strlen(w) && strncasecmp(s->t + off, w, n) == 0;
}

int
fl_serial_find(const char *text, size_t len, size_t *off, size_t *n)
{
	struct scan s = { text, len, 0, 0 };

	while (s.at < len) {
		size_t o, k, start = s.at;
		int i = 0, type = -1;

		if (text[start] == '$') {	/* a directive: its line */
			while (s.at < len && text[s.at] != '\n')
				s.at++;
			s.at++;
			continue;
		}
		bool owner = !isspace((unsigned char)text[start]) &&
		    text[start] != ';' && text[start] != '(';

		/* owner, then TTL and class in any order, then the type */
		while (token(&s, &o, &k)) {
			if (type == -1 && !(owner && i == 0) &&
			    !isdigit((unsigned char)text[o]) &&
			    !word_is(&s, o, k, "IN") && !word_is(&s, o, k, "CH") &&
			    !word_is(&s, o, k, "HS") && !word_is(&s, o, k, "CS")) {
				type = word_is(&s, o, k, "SOA") ? i : -2;
			}
			if (type >= 0 && i == type + 3) {
				for (size_t d = 0; d < k; d++)
					if (!isdigit((unsigned char)text[o + d]))
						return -1;
				if (k > 10)
					return -1;
				*off = o;
				*n = k;
				return 0;
			}
			i++;
		}
		s.at++;		/* the newline */
	}
	return -1;
}

/* The serial and origin as libldns reads the file, $INCLUDEs and all */
static int
zone_serial(const char *path, uint32_t *serial, char *origin, char *err,
    size_t errlen)
{
	dns_zone_t *z = dns_zone_load(path, err, errlen);
	ldns_rr_list *rrs = NULL;
	char *target = NULL;

	if (z == NULL)
		return -1;
	snprintf(origin, 256, "%s", dns_zone_origin(z));
	if (dns_zone_lookup(z, origin, LDNS_RR_TYPE_SOA, &rrs, &target) !=
	    DNS_ZONE_ANSWER || ldns_rr_rd_count(ldns_rr_list_rr(rrs, 0)) < 3) {
		snprintf(err, errlen, "%s: no SOA record", path);
		free(target);
		ldns_rr_list_deep_free(rrs);
		dns_zone_free(z);
		return -1;
	}
	*serial = ldns_rdf2native_int32(ldns_rr_rdf(ldns_rr_list_rr(rrs, 0),
	    2));
	ldns_rr_list_deep_free(rrs);
	dns_zone_free(z);
	return 0;
}

/* The file's text and where its serial is, checked against libldns */
static char *
serial_locate(const char *path, size_t *len, size_t *off, size_t *n,
    uint32_t *serial, char *origin, mode_t *mode, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	uint32_t parsed;

	if (zone_serial(path, serial, origin, err, errlen) != 0)
		return NULL;
	if ((text = util_file_read_regular(path, MAX_ZONE_BYTES, len, &st, err,
	    errlen)) == NULL)
		return NULL;
	*mode = st.st_mode & 07777;
	if (fl_serial_find(text, *len, off, n) != 0 ||
	    (parsed = (uint32_t)strtoul(text + *off, NULL, 10)) != *serial) {
		snprintf(err, errlen, "%s: cannot find the SOA serial %u in the "
		    "file's own text (is the SOA record in an $INCLUDEd "
		    "file?)", path, *serial);
		free(text);
		return NULL;
	}
	return text;
}

int
fl_serial_read(const char *path, uint32_t *serial, char *origin, char *err,
    size_t errlen)
{
	size_t len, off, n;
	mode_t mode;
	char *text = serial_locate(path, &len, &off, &n, serial, origin, &mode,
	    err, errlen);

	free(text);
	return text ? 0 : -1;
}

int
fl_serial_bump(const char *path, time_t now, uint32_t *old, uint32_t *new,
    char *origin, char *err, size_t errlen)
{
	size_t len, off, n, nn;
	mode_t mode;
	char *text = serial_locate(path, &len, &off, &n, old, origin, &mode,
	    err, errlen), *out, digits[16];
	int rc;

	if (text == NULL)
		return -1;
	*new = fl_serial_next(*old, now);
	nn = (size_t)snprintf(digits, sizeof(digits), "%u", *new);
	if ((out = malloc(len - n + nn + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(text);
		return -1;
	}
	memcpy(out, text, off);
	memcpy(out + off, digits, nn);
	memcpy(out + off + nn, text + off + n, len - off - n);
	rc = util_file_write(path, out, len - n + nn, mode, true, err, errlen);
	free(out);
	free(text);
	return rc;
}
