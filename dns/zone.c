#include "dns/zone.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/name.h"
#include "util/table.h"
#include "util/file.h"

struct dns_zone {
	char *path;
	char *origin;
	util_table_t *names;	/* normalized owner -> ldns_rr_list (maybe empty) */
};

static void
free_list(void *p)
{
	ldns_rr_list_deep_free(p);
}

void
dns_zone_free(dns_zone_t *z)
{
	if (z == NULL)
		return;
	util_table_free(z->names, free_list);
	free(z->path);
	free(z->origin);
	free(z);
}

const char *
dns_zone_origin(const dns_zone_t *z)
{
	return z->origin;
}

const char *
dns_zone_path(const dns_zone_t *z)
{
	return z->path;
}

static int
owner_str(const ldns_rr *rr, char *out, size_t len)
{
	char *s = ldns_rdf2str(ldns_rr_owner(rr));
	int rc;

	if (s == NULL)
		return -1;
	rc = util_name_normalize(s, out, len);
	free(s);
	return rc;
}

/* A node for name, created empty when absent, with every ancestor up to
 * the origin created too (empty non-terminals exist, RFC 4592 2.2.2). */
static ldns_rr_list *
node_get(dns_zone_t *z, const char *name)
{
	ldns_rr_list *l = util_table_get(z->names, name);
	const char *dot;

	if (l)
		return l;
	if ((l = ldns_rr_list_new()) == NULL ||
	    util_table_put(z->names, name, l) != 0) {
		ldns_rr_list_free(l);
		return NULL;
	}
	if (strcmp(name, z->origin) != 0 && (dot = strchr(name, '.')) &&
	    dns_zone_covers(z, dot + 1) >= 0 && node_get(z, dot + 1) == NULL)
		return NULL;
	return l;
}

/* A file name like db.example.com or example.com.zone gives the origin for
 * relative names until $ORIGIN says otherwise. */
static ldns_rdf *
origin_guess(const char *path)
{
	const char *base = strrchr(path, '/');
	char buf[256];
	size_t n;

	base = base ? base + 1 : path;
	if (strncmp(base, "db.", 3) == 0)
		base += 3;
	n = strlen(base);
	if (n >= sizeof(buf) - 1)
		return NULL;
	memcpy(buf, base, n + 1);
	if (n > 5 && strcmp(buf + n - 5, ".zone") == 0)
		buf[n - 5] = '\0';
	if (strchr(buf, '.') == NULL)
		return NULL;
	strcat(buf, ".");
	return ldns_dname_new_frm_str(buf);
}

/*
 * Reading a zone file.  ldns parses the records one at a time (so that on
 * an error nothing is left half-owned), but it cannot follow $INCLUDE: it
 * reports the directive and drops its line.  So the file is read whole and
 * scanned here first, by logical line (quotes, comments and parentheses
 * understood), and cut at each $INCLUDE: ldns reads the text between, and
 * the included file is read in turn with the origin the directive gives,
 * relative names taken from the including file's directory (RFC 1035 5.1).
 * The origin and the last owner come back to what they were afterwards.
 * A file is read only when it is a regular file; a directory, a device or
 * a FIFO is refused at once, as is a NUL byte.
 */
#define MAX_INCLUDE_DEPTH	8
#define MAX_FILE_BYTES		(256u << 20)
#define MAX_ENTRY_BYTES		65535u	/* of one record's text */

struct reading {
	ldns_rr_list *rrs;
	ldns_rr *soa;		/* the first SOA */
	uint32_t ttl;
	ldns_rdf *origin, *prev;
	/* the files being read, outermost first, for loops and messages */
	struct { const char *path; dev_t dev; ino_t ino; } chain[MAX_INCLUDE_DEPTH + 1];
	int depth;
	char *err;
	size_t errlen;
};

static int read_file(struct reading *rd, const char *path);

/* "a -> b -> c": the chain of files that led to the one being read */
static void
chain_text(const struct reading *rd, const char *last, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < rd->depth && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s -> ",
		    rd->chain[i].path);
	if (n < len)
		snprintf(out + n, len - n, "%s", last);
}

/* Feeds text[0..len) to ldns record by record; line is the number of the
 * line before it. */
static int
read_text(struct reading *rd, const char *path, const char *text, size_t len,
    int line)
{
	FILE *fp;

	if (len == 0)
		return 0;
	if ((fp = fmemopen((void *)text, len, "r")) == NULL) {
		snprintf(rd->err, rd->errlen, "%s: out of memory", path);
		return -1;
	}
	while (!feof(fp)) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, fp, &rd->ttl,
		    &rd->origin, &rd->prev, &line);

		if (st == LDNS_STATUS_OK) {
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && !rd->soa)
				rd->soa = rr;
			else if (!ldns_rr_list_push_rr(rd->rrs, rr)) {
				ldns_rr_free(rr);
				snprintf(rd->err, rd->errlen, "%s: out of memory",
				    path);
				break;
			}
			continue;
		}
		ldns_rr_free(rr);
		if (st == LDNS_STATUS_SYNTAX_EMPTY ||
		    st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		snprintf(rd->err, rd->errlen, "%s:%d: %s", path, line,
		    ldns_get_errorstr_by_id(st));
		break;
	}
	fclose(fp);
	return rd->err[0] ? -1 : 0;
}

/* The next word of a directive's line at *p (quoted or not) into out;
 * false at the end of the line or a comment. */
static bool
directive_word(const char **p, char *out, size_t len)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '\n' || *s == ';' || *s == '\r')
		return false;
	if (*s == '"') {
		for (s++; *s && *s != '"' && *s != '\n'; s++)
			if (n + 1 < len)
				out[n++] = *s;
		if (*s == '"')
			s++;
	} else
		for (; *s && !strchr(" \t\r\n;", *s); s++)
			if (n + 1 < len)
				out[n++] = *s;
	out[n] = '\0';
	*p = s;
	return true;
}

/* $INCLUDE FILE [ORIGIN] at line, in the file at path */
static int
include(struct reading *rd, const char *path, const char *args, int line)
{
	char file[4096], name[1100], full[8300];
	ldns_rdf *saved_origin = rd->origin, *saved_prev = rd->prev;
	int rc;

	if (!directive_word(&args, file, sizeof(file))) {
		snprintf(rd->err, rd->errlen, "%s:%d: $INCLUDE without a file "
		    "name", path, line);
		return -1;
	}
	if (file[0] == '/')
		snprintf(full, sizeof(full), "%s", file);
	else {
		const char *slash = strrchr(path, '/');

		snprintf(full, sizeof(full), "%.*s%s", slash ?
		    (int)(slash - path + 1) : 0, path, file);
	}
	rd->origin = rd->origin ? ldns_rdf_clone(rd->origin) : NULL;
	rd->prev = rd->prev ? ldns_rdf_clone(rd->prev) : NULL;
	if (directive_word(&args, name, sizeof(name))) {
		ldns_rdf *o = ldns_dname_new_frm_str(name);

		if (o && !ldns_dname_str_absolute(name) && rd->origin &&
		    ldns_dname_cat(o, rd->origin) != LDNS_STATUS_OK) {
			ldns_rdf_deep_free(o);
			o = NULL;
		}
		if (o == NULL) {
			snprintf(rd->err, rd->errlen, "%s:%d: $INCLUDE: bad "
			    "origin '%s'", path, line, name);
			rc = -1;
			goto out;
		}
		ldns_rdf_deep_free(rd->origin);
		rd->origin = o;
	}
	rd->chain[rd->depth - 1].path = path;
	rc = read_file(rd, full);
out:
	ldns_rdf_deep_free(rd->origin);
	ldns_rdf_deep_free(rd->prev);
	rd->origin = saved_origin;
	rd->prev = saved_prev;
	return rc;
}

/* Scans text by physical line for $INCLUDE at depth 0 of parentheses and
 * outside quotes; reads what lies between with ldns. */
static int
read_lines(struct reading *rd, const char *path, const char *text, size_t len)
{
	size_t seg = 0, at = 0, entry = 0;
	int line = 0, seg_line = 0, paren = 0, entry_line = 0;
	bool quoted = false;

	while (at < len) {
		const char *l = text + at, *nl = memchr(l, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - l) + 1 : len - at;

		if (paren == 0 && !quoted) {
			entry = at;		/* a record starts here */
			entry_line = line;
		}
		if (paren == 0 && !quoted && ll >= 8 &&
		    strncasecmp(l, "$INCLUDE", 8) == 0 &&
		    (ll == 8 || strchr(" \t\r\n", l[8]) != NULL)) {
			char args[8400];

			snprintf(args, sizeof(args), "%.*s", (int)(ll - 8),
			    l + 8);
			if (read_text(rd, path, text + seg, at - seg, seg_line) ||
			    include(rd, path, args, line + 1))
				return -1;
			seg = at + ll;
			seg_line = line + 1;
		} else
			for (size_t i = 0; i < ll; i++) {
				char c = l[i];

				if (c == '\\' && i + 1 < ll)
					i++;
				else if (c == '"')
					quoted = !quoted;
				else if (quoted)
					continue;
				else if (c == ';')
					break;
				else if (c == '(')
					paren++;
				else if (c == ')' && paren > 0)
					paren--;
			}
		/* ldns cuts a record's text past 64 KiB without a word */
		if (paren == 0 && !quoted && at + ll - entry > MAX_ENTRY_BYTES) {
			snprintf(rd->err, rd->errlen, "%s:%d: a record of %zu "
			    "bytes of text, over the %u a record can hold", path,
			    entry_line + 1, at + ll - entry, MAX_ENTRY_BYTES);
			return -1;
		}
		at += ll;
		line++;
	}
	if (at - entry > MAX_ENTRY_BYTES) {
		snprintf(rd->err, rd->errlen, "%s:%d: a record of %zu bytes of "
		    "text, over the %u a record can hold", path, entry_line + 1,
		    at - entry, MAX_ENTRY_BYTES);
		return -1;
	}
	return read_text(rd, path, text + seg, len - seg, seg_line);
}

static int
read_file(struct reading *rd, const char *path)
{
	struct stat st;
	char *text, chain[2048];
	const char *nul;
	size_t len;
	int rc;

	if ((text = util_file_read(path, MAX_FILE_BYTES, &len, &st, rd->err,
	    rd->errlen)) == NULL)
		return -1;
	for (int i = 0; i < rd->depth; i++)
		if (rd->chain[i].dev == st.st_dev &&
		    rd->chain[i].ino == st.st_ino) {
			chain_text(rd, path, chain, sizeof(chain));
			snprintf(rd->err, rd->errlen, "$INCLUDE loop: %s", chain);
			free(text);
			return -1;
		}
	if (rd->depth == MAX_INCLUDE_DEPTH) {
		chain_text(rd, path, chain, sizeof(chain));
		snprintf(rd->err, rd->errlen, "$INCLUDE nested over %d deep: %s",
		    MAX_INCLUDE_DEPTH, chain);
		free(text);
		return -1;
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		int line = 1;

		for (const char *c = text; c < nul; c++)
			line += *c == '\n';
		snprintf(rd->err, rd->errlen, "%s:%d: a NUL byte", path, line);
		free(text);
		return -1;
	}
	rd->chain[rd->depth].path = path;
	rd->chain[rd->depth].dev = st.st_dev;
	rd->chain[rd->depth].ino = st.st_ino;
	rd->depth++;
	rc = read_lines(rd, path, text, len);
	rd->depth--;
	free(text);
	return rc;
}

/* Every RR of the file and the files it includes; *soa is the first SOA. */
static ldns_rr_list *
read_rrs(const char *path, ldns_rr **soa, char *err, size_t errlen)
{
	struct reading rd = { .rrs = ldns_rr_list_new(), .ttl = 3600,
	    .origin = origin_guess(path), .err = err, .errlen = errlen };

	err[0] = '\0';
	*soa = NULL;
	if (rd.rrs == NULL || read_file(&rd, path) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: out of memory", path);
		ldns_rr_free(rd.soa);
		ldns_rr_list_deep_free(rd.rrs);
		rd.rrs = NULL;
	} else
		*soa = rd.soa;
	ldns_rdf_deep_free(rd.origin);
	ldns_rdf_deep_free(rd.prev);
	return rd.rrs;
}

dns_zone_t *
dns_zone_load(const char *path, char *err, size_t errlen)
{
	ldns_rr_list *all, *rrs;
	ldns_rr *soa;
	dns_zone_t *z = NULL;
	char name[256];

	all = read_rrs(path, &soa, err, errlen);
	if (all == NULL)
		return NULL;
	if (soa == NULL) {
		snprintf(err, errlen, "%s: no SOA record, so no zone origin",
		    path);
		ldns_rr_list_deep_free(all);
		return NULL;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->names = util_table_new()) == NULL ||
	    (z->path = strdup(path)) == NULL)
		goto nomem;
	if (owner_str(soa, name, sizeof(name)) != 0 ||
	    (z->origin = strdup(name)) == NULL)
		goto nomem;
	if ((rrs = node_get(z, z->origin)) == NULL ||
	    !ldns_rr_list_push_rr(rrs, soa))
		goto nomem;
	soa = NULL;
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);

		if (owner_str(rr, name, sizeof(name)) != 0 ||
		    dns_zone_covers(z, name) < 0) {
			snprintf(err, errlen, "%s: %s is outside the zone %s",
			    path, name, z->origin);
			ldns_rr_list_deep_free(all);
			dns_zone_free(z);
			return NULL;
		}
		if ((rrs = node_get(z, name)) == NULL ||
		    !ldns_rr_list_push_rr(rrs, ldns_rr_clone(rr)))
			goto nomem;
	}
	ldns_rr_list_deep_free(all);
	return z;
nomem:
	snprintf(err, errlen, "%s: out of memory", path);
	ldns_rr_free(soa);
	ldns_rr_list_deep_free(all);
	dns_zone_free(z);
	return NULL;
}

int
dns_zone_covers(const dns_zone_t *z, const char *name)
{
	size_t n = strlen(name), o = strlen(z->origin);
	int labels = 1;

	if (n < o || strcmp(name + n - o, z->origin) != 0)
		return -1;
	if (n == o)
		return 1;
	if (name[n - o - 1] != '.')
		return -1;
	for (size_t i = 0; i < n - o; i++)
		labels += name[i] == '.';
	return labels;
}

static dns_zone_result_t
answer_at(const ldns_rr_list *node, const char *qname, ldns_rr_type type,
    ldns_rr_list **rrs, char **target)
{
	ldns_rr_list *out = ldns_rr_list_new();
	const ldns_rr *cname = NULL;

	for (size_t i = 0; i < ldns_rr_list_rr_count(node); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(node, i);

		if (ldns_rr_get_type(rr) == type) {
			ldns_rr *c = ldns_rr_clone(rr);
			char buf[260];

			/* a wildcard's records take the asked name */
			snprintf(buf, sizeof(buf), "%s.", qname);
			ldns_rdf_deep_free(ldns_rr_owner(c));
			ldns_rr_set_owner(c, ldns_dname_new_frm_str(buf));
			ldns_rr_list_push_rr(out, c);
		} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME)
			cname = rr;
	}
	if (ldns_rr_list_rr_count(out) > 0) {
		*rrs = out;
		return DNS_ZONE_ANSWER;
	}
	ldns_rr_list_free(out);
	if (cname) {
		char *s = ldns_rdf2str(ldns_rr_rdf(cname, 0));
		char buf[256];

		if (s && util_name_normalize(s, buf, sizeof(buf)) == 0) {
			free(s);
			*target = strdup(buf);
			return DNS_ZONE_CNAME;
		}
		free(s);
	}
	return DNS_ZONE_NODATA;
}

dns_zone_result_t
dns_zone_lookup(const dns_zone_t *z, const char *name, ldns_rr_type type,
    ldns_rr_list **rrs, char **target)
{
	const ldns_rr_list *node = util_table_get(z->names, name);
	const char *encloser = name;
	char wild[258];

	*rrs = NULL;
	*target = NULL;
	if (node)
		return answer_at(node, name, type, rrs, target);
	/* RFC 4592: the closest encloser's "*" child answers for it */
	while ((encloser = strchr(encloser, '.')) != NULL) {
		encloser++;
		if (dns_zone_covers(z, encloser) < 0)
			break;
		if (util_table_get(z->names, encloser) == NULL)
			continue;
		snprintf(wild, sizeof(wild), "*.%s", encloser);
		node = util_table_get(z->names, wild);
		if (node)
			return answer_at(node, name, type, rrs, target);
		break;
	}
	return DNS_ZONE_NXDOMAIN;
}

struct names {
	const char **v;
	size_t n, cap;
};

static void
collect(const char *name, void *value, void *arg)
{
	struct names *ns = arg;

	if (ldns_rr_list_rr_count(value) == 0)
		return;		/* empty non-terminal */
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		const char **v = realloc(ns->v, cap * sizeof(*v));

		if (v == NULL)
			return;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n++] = name;
}

/* RFC 4034 6.1: compare labels from the right, each as lowercase bytes */
static int
canonical_cmp(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	const char *ae = a + strlen(a), *be = b + strlen(b);

	for (;;) {
		const char *al = ae, *bl = be;
		size_t an, bn;
		int c;

		while (al > a && al[-1] != '.')
			al--;
		while (bl > b && bl[-1] != '.')
			bl--;
		an = (size_t)(ae - al);
		bn = (size_t)(be - bl);
		c = memcmp(al, bl, an < bn ? an : bn);
		if (c || an != bn)
			return c ? c : an < bn ? -1 : 1;
		if (al == a && bl == b)
			return 0;
		if (al == a || bl == b)
			return al == a ? -1 : 1;	/* the ancestor first */
		ae = al - 1;
		be = bl - 1;
	}
}

void
dns_zone_each(const dns_zone_t *z,
    void (*fn)(const char *name, const ldns_rr_list *rrs, void *arg),
    void *arg)
{
	struct names ns = { 0 };

	util_table_each(z->names, collect, &ns);
	qsort(ns.v, ns.n, sizeof(*ns.v), canonical_cmp);
	for (size_t i = 0; i < ns.n; i++)
		fn(ns.v[i], util_table_get(z->names, ns.v[i]), arg);
	free(ns.v);
}
