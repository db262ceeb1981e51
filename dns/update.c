#include "dns/update.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/transport.h"
#include "util/file.h"
#include "util/random.h"

static const char *const algorithms[] = {
	"hmac-md5.sig-alg.reg.int.", "hmac-sha1.", "hmac-sha224.",
	"hmac-sha256.", "hmac-sha384.", "hmac-sha512.", NULL,
};

static int
set_alg(dns_tsig_t *t, const char *alg, char *err, size_t len)
{
	char want[64];

	snprintf(want, sizeof(want), "%s%s", alg,
	    alg[0] && alg[strlen(alg) - 1] == '.' ? "" : ".");
	for (char *p = want; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strcmp(want, "hmac-md5.") == 0)
		snprintf(want, sizeof(want), "%s", algorithms[0]);
	for (size_t i = 0; algorithms[i]; i++)
		if (strcmp(want, algorithms[i]) == 0) {
			snprintf(t->alg, sizeof(t->alg), "%s", want);
			return 0;
		}
	snprintf(err, len, "unknown TSIG algorithm '%s'", alg);
	return -1;
}

int
dns_tsig_parse(const char *text, dns_tsig_t *t, char *err, size_t len)
{
	char buf[1024], *a, *s;

	snprintf(buf, sizeof(buf), "%s", text);
	if ((a = strchr(buf, ':')) == NULL || (s = strchr(a + 1, ':')) == NULL) {
		snprintf(err, len, "want NAME:ALGORITHM:SECRET");
		return -1;
	}
	*a++ = '\0';
	*s++ = '\0';
	if (!*buf || !*s || strlen(s) >= sizeof(t->secret) || strlen(buf) > 253) {
		snprintf(err, len, "want NAME:ALGORITHM:SECRET");
		explicit_bzero(buf, sizeof(buf));
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%.253s%s", buf,
	    buf[strlen(buf) - 1] == '.' ? "" : ".");
	snprintf(t->secret, sizeof(t->secret), "%.511s", s);
	int rc = set_alg(t, a, err, len);

	explicit_bzero(buf, sizeof(buf));
	return rc;
}

int
dns_tsig_load(const char *path, dns_tsig_t *t, char *err, size_t len)
{
	char *file, text[4096], name[256] = "", alg[64] = "", secret[512] = "";
	size_t n;
	const char *p;

	if ((file = util_file_read(path, sizeof(text) - 1, &n, NULL, err,
	    len)) == NULL)
		return -1;
	memcpy(text, file, n + 1);
	explicit_bzero(file, n);
	free(file);
	if ((p = strstr(text, "key")) == NULL ||
	    sscanf(p, "key \"%255[^\"]\"", name) != 1 ||
	    (p = strstr(text, "algorithm")) == NULL ||
	    sscanf(p, "algorithm %63[^; \t\n]", alg) != 1 ||
	    (p = strstr(text, "secret")) == NULL ||
	    sscanf(p, "secret \"%511[^\"]\"", secret) != 1) {
		snprintf(err, len, "%s: not a BIND key file (key \"name\" { "
		    "algorithm ...; secret \"...\"; };)", path);
		explicit_bzero(text, sizeof(text));
		explicit_bzero(secret, sizeof(secret));
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%.253s%s", name,
	    name[strlen(name) - 1] == '.' ? "" : ".");
	snprintf(t->secret, sizeof(t->secret), "%.511s", secret);
	explicit_bzero(text, sizeof(text));
	explicit_bzero(secret, sizeof(secret));
	return set_alg(t, alg, err, len);
}

void
dns_tsig_clear(dns_tsig_t *t)
{
	explicit_bzero(t, sizeof(*t));
}

/* The update message for zone: the deletions, then the additions; signed
 * when tsig is given.  NULL with err. */
static ldns_pkt *
update_pkt(const char *zone, const ldns_rr_list *del, const ldns_rr_list *add,
    const dns_tsig_t *tsig, char *err, size_t len)
{
	ldns_rr_list *up = ldns_rr_list_new();
	ldns_rdf *zrdf;
	ldns_pkt *pkt = NULL;
	char zabs[300];
	uint16_t id;

	snprintf(zabs, sizeof(zabs), "%s.", zone);
	for (size_t i = 0; up && del && i < ldns_rr_list_rr_count(del); i++)
		ldns_rr_list_push_rr(up, ldns_rr_clone(ldns_rr_list_rr(del, i)));
	for (size_t i = 0; up && add && i < ldns_rr_list_rr_count(add); i++)
		ldns_rr_list_push_rr(up, ldns_rr_clone(ldns_rr_list_rr(add, i)));
	if (up == NULL || (zrdf = ldns_dname_new_frm_str(zabs)) == NULL ||
	    (pkt = ldns_update_pkt_new(zrdf, LDNS_RR_CLASS_IN, NULL, up,
	    NULL)) == NULL) {
		snprintf(err, len, "cannot build the update for %s", zone);
		ldns_rr_list_deep_free(up);
		return NULL;
	}
	ldns_rr_list_deep_free(up);	/* the packet took copies */
	id = util_random16();
	ldns_pkt_set_id(pkt, id);
	if (tsig && ldns_pkt_tsig_sign(pkt, tsig->name, tsig->secret, 300,
	    tsig->alg, NULL) != LDNS_STATUS_OK) {
		snprintf(err, len, "cannot sign the update with TSIG key %s",
		    tsig->name);
		ldns_pkt_free(pkt);
		return NULL;
	}
	return pkt;
}

/* What the TSIG record of an error answer says (RFC 8945 5.3), or "" */
static const char *
tsig_error(const ldns_pkt *ans)
{
	const ldns_rr *t = ldns_pkt_tsig(ans);

	if (t == NULL || ldns_rr_rd_count(t) < 6)
		return "";
	switch (ldns_rdf2native_int16(ldns_rr_rdf(t, 5))) {
	case 16: return " (TSIG BADSIG: the key's secret does not match)";
	case 17: return " (TSIG BADKEY: the server does not know the key)";
	case 18: return " (TSIG BADTIME: the clocks differ by over 300 s)";
	case 22: return " (TSIG BADTRUNC)";
	default: return "";
	}
}

int
dns_update_send(const char *server, const char *zone,
    const ldns_rr_list *del, const ldns_rr_list *add, const dns_tsig_t *tsig,
    uint64_t deadline, char *err, size_t len)
{
	dns_addr_t addr;
	ldns_pkt *pkt = NULL, *ans = NULL;
	uint8_t *wire = NULL, *reply = NULL;
	size_t wlen, rlen;
	char why[300];
	int rc = -1;

	if (dns_addr_parse(&addr, server) != 0) {
		snprintf(err, len, "bad update server '%s'", server);
		return -1;
	}
	if ((pkt = update_pkt(zone, del, add, tsig, err, len)) == NULL)
		return -1;
	if (ldns_pkt2wire(&wire, pkt, &wlen) != LDNS_STATUS_OK) {
		snprintf(err, len, "cannot build the update for %s", zone);
		goto out;
	}
	/* updates go over TCP (RFC 2136 allows both; TCP takes any size) */
	if (dns_tcp_exchange(&addr, wire, wlen, &reply, &rlen, deadline, why,
	    sizeof(why)) != 0) {
		snprintf(err, len, "update of %s: %s", zone, why);
		goto out;
	}
	if (ldns_wire2pkt(&ans, reply, rlen) != LDNS_STATUS_OK) {
		snprintf(err, len, "update of %s at %s: an answer libldns "
		    "cannot parse", zone, addr.text);
		goto out;
	}
	if (ldns_pkt_get_rcode(ans) != LDNS_RCODE_NOERROR) {
		char *rcode = ldns_pkt_rcode2str(ldns_pkt_get_rcode(ans));

		snprintf(err, len, "update of %s at %s: %s%s", zone, addr.text,
		    rcode ? rcode : "refused", tsig_error(ans));
		free(rcode);
		goto out;
	}
	if (tsig && !ldns_pkt_tsig_verify(ans, reply, rlen, tsig->name,
	    tsig->secret, ldns_rr_rdf(ldns_pkt_tsig(pkt), 3))) {
		snprintf(err, len, "update of %s at %s: the answer is not "
		    "signed with key %s", zone, addr.text, tsig->name);
		goto out;
	}
	rc = 0;
out:
	free(wire);
	free(reply);
	ldns_pkt_free(ans);
	ldns_pkt_free(pkt);
	return rc;
}
