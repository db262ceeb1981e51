#include "dns/update.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%.253s%s", buf,
	    buf[strlen(buf) - 1] == '.' ? "" : ".");
	snprintf(t->secret, sizeof(t->secret), "%.511s", s);
	return set_alg(t, a, err, len);
}

int
dns_tsig_load(const char *path, dns_tsig_t *t, char *err, size_t len)
{
	FILE *fp = fopen(path, "r");
	char text[4096], name[256] = "", alg[64] = "", secret[512] = "";
	size_t n;
	const char *p;

	if (fp == NULL) {
		snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	if ((p = strstr(text, "key")) == NULL ||
	    sscanf(p, "key \"%255[^\"]\"", name) != 1 ||
	    (p = strstr(text, "algorithm")) == NULL ||
	    sscanf(p, "algorithm %63[^; \t\n]", alg) != 1 ||
	    (p = strstr(text, "secret")) == NULL ||
	    sscanf(p, "secret \"%511[^\"]\"", secret) != 1) {
		snprintf(err, len, "%s: not a BIND key file (key \"name\" { "
		    "algorithm ...; secret \"...\"; };)", path);
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%.253s%s", name,
	    name[strlen(name) - 1] == '.' ? "" : ".");
	snprintf(t->secret, sizeof(t->secret), "%.511s", secret);
	return set_alg(t, alg, err, len);
}

int
dns_update_send(const char *server, const char *zone,
    const ldns_rr_list *del, const ldns_rr_list *add, const dns_tsig_t *tsig,
    unsigned timeout_ms, char *err, size_t len)
{
	ldns_resolver *res = ldns_resolver_new();
	ldns_rr_list *up = ldns_rr_list_new();
	ldns_pkt *pkt = NULL, *ans = NULL;
	ldns_rdf *addr = NULL, *zrdf = NULL;
	char host[64], zabs[300];
	const char *port = strpbrk(server, "@#");
	int rc = -1;

	snprintf(host, sizeof(host), "%.*s", (int)(port ? (size_t)(port -
	    server) : strlen(server)), server);
	snprintf(zabs, sizeof(zabs), "%s.", zone);
	if (res == NULL || up == NULL ||
	    ((addr = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, host)) == NULL &&
	    (addr = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, host)) == NULL)) {
		snprintf(err, len, "bad update server '%s'", server);
		goto out;
	}
	ldns_resolver_push_nameserver(res, addr);	/* it keeps a copy */
	ldns_resolver_set_port(res, port ? (uint16_t)atoi(port + 1) : 53);
	ldns_resolver_set_timeout(res, (struct timeval){ timeout_ms / 1000,
	    (timeout_ms % 1000) * 1000 });
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_usevc(res, true);	/* updates go over TCP */
	if (tsig) {
		ldns_resolver_set_tsig_keyname(res, tsig->name);
		ldns_resolver_set_tsig_algorithm(res, tsig->alg);
		ldns_resolver_set_tsig_keydata(res, tsig->secret);
	}
	for (size_t i = 0; del && i < ldns_rr_list_rr_count(del); i++)
		ldns_rr_list_push_rr(up, ldns_rr_clone(ldns_rr_list_rr(del, i)));
	for (size_t i = 0; add && i < ldns_rr_list_rr_count(add); i++)
		ldns_rr_list_push_rr(up, ldns_rr_clone(ldns_rr_list_rr(add, i)));
	if ((zrdf = ldns_dname_new_frm_str(zabs)) == NULL ||
	    (pkt = ldns_update_pkt_new(zrdf, LDNS_RR_CLASS_IN, NULL, up,
	    NULL)) == NULL) {
		snprintf(err, len, "cannot build the update for %s", zone);
		goto out;
	}
	zrdf = NULL;	/* the packet owns it, and copies of up's records */
	ldns_rr_list_deep_free(up);
	up = NULL;
	if (tsig && ldns_update_pkt_tsig_add(pkt, res) != LDNS_STATUS_OK) {
		snprintf(err, len, "cannot sign the update with TSIG key %s",
		    tsig->name);
		goto out;
	}
	ldns_status st = ldns_resolver_send_pkt(&ans, res, pkt);

	if (st != LDNS_STATUS_OK || ans == NULL) {
		snprintf(err, len, "update of %s at %s: %s", zone, server,
		    ldns_get_errorstr_by_id(st));
		goto out;
	}
	if (ldns_pkt_get_rcode(ans) != LDNS_RCODE_NOERROR) {
		char *rcode = ldns_pkt_rcode2str(ldns_pkt_get_rcode(ans));

		snprintf(err, len, "update of %s at %s: %s", zone, server,
		    rcode ? rcode : "refused");
		free(rcode);
		goto out;
	}
	rc = 0;
out:
	ldns_pkt_free(ans);
	ldns_pkt_free(pkt);
	ldns_rr_list_deep_free(up);
	ldns_rdf_deep_free(zrdf);
	ldns_rdf_deep_free(addr);
	ldns_resolver_deep_free(res);
	return rc;
}
