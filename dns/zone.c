#include "dns/zone.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "dns/table.h"

struct dns_zone {
	char *path;
	char *origin;
	dns_table_t *names;	/* normalized owner -> ldns_rr_list (maybe empty) */
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
	dns_table_free(z->names, free_list);
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
	rc = dns_name_normalize(s, out, len);
	free(s);
	return rc;
}

/* A node for name, created empty when absent, with every ancestor up to
 * the origin created too (empty non-terminals exist, RFC 4592 2.2.2). */
static ldns_rr_list *
node_get(dns_zone_t *z, const char *name)
{
	ldns_rr_list *l = dns_table_get(z->names, name);
	const char *dot;

	if (l)
		return l;
	if ((l = ldns_rr_list_new()) == NULL ||
	    dns_table_put(z->names, name, l) != 0) {
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

/* Reads every RR of the file with ldns, one at a time, so that on an error
 * nothing is left half-owned.  *soa is the first SOA. */
static ldns_rr_list *
read_rrs(FILE *fp, const char *path, ldns_rr **soa, char *err, size_t errlen)
{
	ldns_rr_list *rrs = ldns_rr_list_new();
	ldns_rdf *origin = origin_guess(path), *prev = NULL;
	uint32_t ttl = 3600;
	int line = 0;

	*soa = NULL;
	while (rrs && !feof(fp)) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin,
		    &prev, &line);

		if (st == LDNS_STATUS_OK) {
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && !*soa)
				*soa = rr;
			else if (!ldns_rr_list_push_rr(rrs, rr)) {
				ldns_rr_free(rr);
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			continue;
		}
		ldns_rr_free(rr);
		if (st == LDNS_STATUS_SYNTAX_EMPTY ||
		    st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		snprintf(err, errlen, "%s:%d: %s", path, line,
		    st == LDNS_STATUS_SYNTAX_INCLUDE ?
		    "$INCLUDE is not supported" : ldns_get_errorstr_by_id(st));
		goto fail;
	}
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	return rrs;
fail:
	ldns_rr_free(*soa);
	*soa = NULL;
	ldns_rr_list_deep_free(rrs);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	return NULL;
}

dns_zone_t *
dns_zone_load(const char *path, char *err, size_t errlen)
{
	FILE *fp;
	ldns_rr_list *all, *rrs;
	ldns_rr *soa;
	dns_zone_t *z = NULL;
	char name[256];

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	all = read_rrs(fp, path, &soa, err, errlen);
	fclose(fp);
	if (all == NULL)
		return NULL;
	if (soa == NULL) {
		snprintf(err, errlen, "%s: no SOA record, so no zone origin",
		    path);
		ldns_rr_list_deep_free(all);
		return NULL;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->names = dns_table_new()) == NULL ||
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

		if (s && dns_name_normalize(s, buf, sizeof(buf)) == 0) {
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
	const ldns_rr_list *node = dns_table_get(z->names, name);
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
		if (dns_table_get(z->names, encloser) == NULL)
			continue;
		snprintf(wild, sizeof(wild), "*.%s", encloser);
		node = dns_table_get(z->names, wild);
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

	dns_table_each(z->names, collect, &ns);
	qsort(ns.v, ns.n, sizeof(*ns.v), canonical_cmp);
	for (size_t i = 0; i < ns.n; i++)
		fn(ns.v[i], dns_table_get(z->names, ns.v[i]), arg);
	free(ns.v);
}
