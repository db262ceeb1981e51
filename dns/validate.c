#include "dns/validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/transport.h"
#include "util/file.h"

#define ANCHORS_MAX	(1024 * 1024)	/* a root.key is 1 KB */

struct dns_validator {
	ldns_resolver *res;	/* its DNSSEC anchors are the file's */
};

/* The DS and DNSKEY records of path into *out; -1 with err */
static int
anchors_read(ldns_rr_list **out, const char *path, char *err, size_t errlen)
{
	/* read whole as every file option is (a pipe, "-"), then parsed */
	size_t len;
	char *text = util_file_read(path, ANCHORS_MAX, &len, NULL, err,
	    errlen);
	FILE *fp = text ? fmemopen(text, len, "r") : NULL;
	ldns_rdf *origin = NULL, *prev = NULL;
	uint32_t ttl = 3600;
	int line = 1, rc = 0;

	if (fp == NULL) {
		if (text)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(text);
		return -1;
	}
	if ((*out = ldns_rr_list_new()) == NULL)
		rc = -1;
	while (rc == 0 && !feof(fp)) {
		ldns_rr *rr = NULL;
		int at = line;	/* ldns counts the line it read as well */
		ldns_status s = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin,
		    &prev, &line);

		if (s == LDNS_STATUS_SYNTAX_EMPTY || s == LDNS_STATUS_SYNTAX_TTL
		    || s == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		if (s != LDNS_STATUS_OK) {
			snprintf(err, errlen, "%s:%d: %s", path, at,
			    ldns_get_errorstr_by_id(s));
			rc = -1;
		} else if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS &&
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY) {
			snprintf(err, errlen, "%s:%d: not a DS or DNSKEY "
			    "record", path, at);
			ldns_rr_free(rr);
			rc = -1;
		} else if (!ldns_rr_list_push_rr(*out, rr)) {
			ldns_rr_free(rr);
			rc = -1;
		}
	}
	fclose(fp);
	free(text);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (rc == 0 && ldns_rr_list_rr_count(*out) == 0) {
		snprintf(err, errlen, "%s holds no DS or DNSKEY record", path);
		rc = -1;
	}
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "%s: out of memory", path);
	return rc;
}

static int
servers_set(ldns_resolver *res, const char *const *servers, size_t n,
    char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		dns_addr_t a;
		uint16_t port = 53;
		ldns_rdf *ns;

		if (dns_addr_parse(&a, servers[i]) != 0) {
			snprintf(err, errlen, "%s: not an address", servers[i]);
			return -1;
		}
		if ((ns = ldns_sockaddr_storage2rdf(&a.ss, &port)) == NULL)
			return -1;
		if (i == 0)
			ldns_resolver_set_port(res, port);
		if (ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
			ldns_rdf_deep_free(ns);
			return -1;
		}
		ldns_rdf_deep_free(ns);
	}
	return 0;
}

dns_validator_t *
dns_validator_new(const char *anchor_file, const char *const *servers,
    size_t nservers, unsigned timeout_ms, char *err, size_t errlen)
{
	dns_validator_t *v = calloc(1, sizeof(*v));
	ldns_rr_list *anchors = NULL;
	struct timeval tv;

	err[0] = '\0';
	if (v == NULL || anchors_read(&anchors, anchor_file, err, errlen) != 0)
		goto fail;
	if (nservers == 0) {
		if (ldns_resolver_new_frm_file(&v->res, NULL) != LDNS_STATUS_OK) {
			snprintf(err, errlen, "no servers in /etc/resolv.conf");
			goto fail;
		}
	} else if ((v->res = ldns_resolver_new()) == NULL ||
	    servers_set(v->res, servers, nservers, err, errlen) != 0)
		goto fail;
	tv.tv_sec = (time_t)((timeout_ms ? timeout_ms : 2000) / 1000);
	tv.tv_usec = (suseconds_t)((timeout_ms ? timeout_ms : 2000) % 1000) *
	    1000;
	ldns_resolver_set_timeout(v->res, tv);
	ldns_resolver_set_retry(v->res, 2);
	ldns_resolver_set_dnssec(v->res, true);
	ldns_resolver_set_dnssec_cd(v->res, true);
	ldns_resolver_set_recursive(v->res, true);
	ldns_resolver_set_edns_udp_size(v->res, 1232);
	ldns_resolver_set_fallback(v->res, true);
	for (size_t i = 0; i < ldns_rr_list_rr_count(anchors); i++)
		if (ldns_resolver_push_dnssec_anchor(v->res,
		    ldns_rr_list_rr(anchors, i)) != LDNS_STATUS_OK)
			goto fail;
	ldns_rr_list_deep_free(anchors);	/* the resolver holds clones */
	return v;
fail:
	ldns_rr_list_deep_free(anchors);
	if (err[0] == '\0')
		snprintf(err, errlen, "%s: cannot set up the validator",
		    anchor_file);
	dns_validator_free(v);
	return NULL;
}

void
dns_validator_free(dns_validator_t *v)
{
	if (v == NULL)
		return;
	if (v->res)
		ldns_resolver_deep_free(v->res);
	free(v);
}

/* Whether some anchor is at name or above it */
static bool
anchored(const dns_validator_t *v, const ldns_rdf *name)
{
	const ldns_rr_list *a = ldns_resolver_dnssec_anchors(v->res);

	for (size_t i = 0; i < ldns_rr_list_rr_count(a); i++) {
		const ldns_rdf *o = ldns_rr_owner(ldns_rr_list_rr(a, i));

		if (ldns_dname_compare(o, name) == 0 ||
		    ldns_dname_is_subdomain(name, o))
			return true;
	}
	return false;
}

/* The signatures of sigs over the RRset of rr (its owner and type): a
 * list that borrows them, for ldns_rr_list_free */
static ldns_rr_list *
sigs_of(const ldns_rr_list *sigs, const ldns_rr *rr)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && sigs && i < ldns_rr_list_rr_count(sigs);
	    i++) {
		ldns_rr *sig = ldns_rr_list_rr(sigs, i);

		if (ldns_dname_compare(ldns_rr_owner(sig), ldns_rr_owner(rr)) ==
		    0 && ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig)) ==
		    ldns_rr_get_type(rr))
			ldns_rr_list_push_rr(out, sig);
	}
	return out;
}

/* That name has no records of type, from the NSEC or NSEC3 records of
 * pkt's authority section (an answer with DO set): each verified up to
 * an anchor, and together a proof (RFC 4035 5.4, RFC 5155 8) */
static dns_validation_t
denial_check(dns_validator_t *v, const ldns_pkt *pkt, ldns_rdf *name,
    ldns_rr_type type, const char *owner, char *why, size_t whylen)
{
	/* clones, or NULL for none */
	ldns_rr_list *nsecs = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NSEC,
	    LDNS_SECTION_AUTHORITY);
	ldns_rr_list *sigs = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_RRSIG,
	    LDNS_SECTION_AUTHORITY);
	ldns_rr *q = NULL;
	dns_validation_t out = DNS_VALID_BOGUS;
	bool nsec3 = nsecs == NULL;
	ldns_status st = LDNS_STATUS_OK;
	const char *kind;

	if (nsecs == NULL)
		nsecs = ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NSEC3,
		    LDNS_SECTION_AUTHORITY);
	kind = nsec3 ? "NSEC3" : "NSEC";
	if (nsecs == NULL) {
		/* signed (its SOA has an RRSIG) but nothing proves it:
		 * what a validator calls bogus; else not signed at all */
		out = sigs && anchored(v, name) ? DNS_VALID_BOGUS :
		    DNS_VALID_INSECURE;
		snprintf(why, whylen, out == DNS_VALID_BOGUS ? "bogus: the "
		    "answer that %s has none is signed but carries no NSEC or "
		    "NSEC3 record" : anchored(v, name) ? "the answer that %s "
		    "has none carries no RRSIG (an unsigned zone below the "
		    "anchor, or its signatures stripped on the way)" : "the "
		    "answer that %s has none carries no RRSIG, and no anchor "
		    "of the file is above it", owner);
		goto done;
	}
	/* each NSEC or NSEC3 record, signed up to an anchor */
	for (size_t i = 0; st == LDNS_STATUS_OK &&
	    i < ldns_rr_list_rr_count(nsecs); i++) {
		ldns_rr_list *one = ldns_rr_list_new(), *its;
		ldns_rr_list *keys = ldns_rr_list_new();

		if (one == NULL || keys == NULL ||
		    !ldns_rr_list_push_rr(one, ldns_rr_list_rr(nsecs, i)) ||
		    (its = sigs_of(sigs, ldns_rr_list_rr(nsecs, i))) == NULL)
			st = LDNS_STATUS_MEM_ERR;
		else {
			st = ldns_rr_list_rr_count(its) == 0 ?
			    LDNS_STATUS_CRYPTO_NO_RRSIG :
			    ldns_verify_trusted(v->res, one, its, keys);
			ldns_rr_list_free(its);
		}
		ldns_rr_list_free(one);
		ldns_rr_list_deep_free(keys);
	}
	if (st != LDNS_STATUS_OK) {
		out = anchored(v, name) ? DNS_VALID_BOGUS : DNS_VALID_INSECURE;
		snprintf(why, whylen, "%s: an %s record of the answer that %s "
		    "has none: %s", out == DNS_VALID_BOGUS ? "bogus" :
		    "no anchor of the file is above it", kind, owner,
		    ldns_get_errorstr_by_id(st));
		goto done;
	}
	/* and what they prove: the name or its type is not there, nor a
	 * wildcard that would make it */
	if ((q = ldns_rr_new()) == NULL) {
		out = DNS_VALID_FAILED;
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	ldns_rr_set_owner(q, ldns_rdf_clone(name));
	ldns_rr_set_type(q, type);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	st = nsec3 ? ldns_dnssec_verify_denial_nsec3(q, nsecs, sigs,
	    ldns_pkt_get_rcode(pkt), type, ldns_pkt_get_rcode(pkt) ==
	    LDNS_RCODE_NOERROR) : ldns_dnssec_verify_denial(q, nsecs, sigs);
	if (st == LDNS_STATUS_OK) {
		out = DNS_VALID_SECURE;
		snprintf(why, whylen, "validated here: %s has none, as %zu "
		    "signed %s record(s) prove, their chain to the trust "
		    "anchor checked", owner, ldns_rr_list_rr_count(nsecs), kind);
	} else
		snprintf(why, whylen, "bogus: the signed %s records do not "
		    "prove that %s has none (%s)", kind, owner,
		    ldns_get_errorstr_by_id(st));
done:
	ldns_rr_free(q);
	ldns_rr_list_deep_free(nsecs);
	ldns_rr_list_deep_free(sigs);
	return out;
}

dns_validation_t
dns_validator_check(dns_validator_t *v, const char *owner, ldns_rr_type type,
    char *why, size_t whylen)
{
	ldns_rdf *name = ldns_dname_new_frm_str(owner);
	ldns_pkt *pkt = NULL;
	ldns_rr_list *rrset = NULL, *sigs = NULL, *all = NULL, *keys = NULL;
	dns_validation_t out = DNS_VALID_FAILED;
	ldns_status s;

	if (name == NULL) {
		snprintf(why, whylen, "%s is not a name", owner);
		return out;
	}
	if ((pkt = ldns_resolver_query(v->res, name, type, LDNS_RR_CLASS_IN,
	    LDNS_RD)) == NULL) {
		snprintf(why, whylen, "no answer to %s with DO set", owner);
		goto done;
	}
	if ((ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR ||
	    ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN) &&
	    (rrset = ldns_pkt_rr_list_by_name_and_type(pkt, name, type,
	    LDNS_SECTION_ANSWER)) == NULL) {
		/* none: the denial is validated instead */
		out = denial_check(v, pkt, name, type, owner, why, whylen);
		goto done;
	}
	if (rrset == NULL) {
		ldns_lookup_table *rc = ldns_lookup_by_id(ldns_rcodes,
		    (int)ldns_pkt_get_rcode(pkt));

		snprintf(why, whylen, "asked again with DO set, %s got %s",
		    owner, rc ? rc->name : "an error rcode");
		goto done;
	}
	all = ldns_pkt_rr_list_by_name_and_type(pkt, name, LDNS_RR_TYPE_RRSIG,
	    LDNS_SECTION_ANSWER);
	sigs = sigs_of(all, ldns_rr_list_rr(rrset, 0));
	if (sigs == NULL || ldns_rr_list_rr_count(sigs) == 0) {
		out = DNS_VALID_INSECURE;
		snprintf(why, whylen, anchored(v, name) ? "the answer carries "
		    "no RRSIG (an unsigned zone below the anchor, or its "
		    "signatures stripped on the way)" : "the answer carries no "
		    "RRSIG, and no anchor of the file is above %s", owner);
		goto done;
	}
	keys = ldns_rr_list_new();
	s = ldns_verify_trusted(v->res, rrset, sigs, keys);
	if (s == LDNS_STATUS_OK) {
		char *signer = ldns_rdf2str(ldns_rr_rrsig_signame(
		    ldns_rr_list_rr(sigs, 0)));

		out = DNS_VALID_SECURE;
		snprintf(why, whylen, "validated here: signed by %s (key tag "
		    "%u), its chain to the trust anchor checked", signer ?
		    signer : "?", keys && ldns_rr_list_rr_count(keys) ?
		    (unsigned)ldns_calc_keytag(ldns_rr_list_rr(keys, 0)) : 0);
		free(signer);
	} else {
		out = anchored(v, name) ? DNS_VALID_BOGUS : DNS_VALID_INSECURE;
		snprintf(why, whylen, "%s: %s", out == DNS_VALID_BOGUS ?
		    "bogus" : "no anchor of the file is above it",
		    ldns_get_errorstr_by_id(s));
	}
done:
	/* the lists by name and type hold clones; sigs only borrows */
	ldns_rr_list_free(sigs);
	ldns_rr_list_deep_free(all);
	ldns_rr_list_deep_free(rrset);
	ldns_rr_list_deep_free(keys);
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(name);
	return out;
}

const char *
dns_validation_str(dns_validation_t s)
{
	static const char *const names[] = { "secure", "insecure", "bogus",
	    "failed" };

	return s <= DNS_VALID_FAILED ? names[s] : "?";
}
