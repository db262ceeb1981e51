#include "zonegen/dmarc.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dns/dns.h"
#include "lint/dmarc.h"

void
zg_dmarc_authorizations(zg_set_t *set, const char *domain,
    const char *const *uris, size_t n, uint32_t ttl)
{
	for (size_t i = 0; i < n; i++) {
		char auth[600], why[900];
		dmarc_uri_t u;
		bool seen = false;

		if (dmarc_uri_parse(uris[i], strlen(uris[i]), &u) != 0)
			continue;
		if (u.mailto && !util_name_related(u.host, domain)) {
			snprintf(auth, sizeof(auth), "%s._report._dmarc.%s",
			    domain, u.host);
			for (size_t j = 0; j < set->n; j++)
				seen |= strcmp(set->v[j].owner, auth) == 0;
			snprintf(why, sizeof(why), "published by %s (not by "
			    "%s): it accepts %s's reports (RFC 9989 4.6)",
			    u.host, domain, domain);
			if (!seen)
				zg_set_add(set, auth, ttl, "TXT", "v=DMARC1;",
				    why);
		}
		dmarc_uri_clear(&u);
	}
}

int
zg_dmarc_set(zg_set_t *set, const char *domain, const zg_dmarc_t *d,
    uint32_t ttl, const char *note, char **record)
{
	char owner[300];
	const char *uris[2 * 64];
	size_t n = 0;

	if ((*record = zg_dmarc_record(d)) == NULL)
		return -1;
	snprintf(owner, sizeof(owner), "_dmarc.%s", domain);
	zg_set_add(set, owner, ttl, "TXT", *record, note);
	for (size_t i = 0; i < d->nrua && n < 64; i++)
		uris[n++] = d->rua[i];
	for (size_t i = 0; i < d->nruf && n < 128; i++)
		uris[n++] = d->ruf[i];
	zg_dmarc_authorizations(set, domain, uris, n, ttl);
	return 0;
}
