/* The batch's cache: what a trim keeps (answers of a domain still open,
 * however long ago they came) and what it drops, and the count of
 * dropped answers asked for again. */
#include <stdio.h>

#include "dns/cache.h"
#include "tests/unit/tap.h"

static struct entry *
answered(dns_cache_t *c, const char *name)
{
	struct entry *e = dns_cache_put(c, name, LDNS_RR_TYPE_TXT);

	if (e)
		e->state = E_DONE;
	return e;
}

void
test_dns_cache(void)
{
	dns_cache_t *c = dns_cache_new();
	unsigned long open_since, gone;

	if (!tap_check(c != NULL, "cache: a new one"))
		return;
	/* epoch 1: a domain opens and gets its answer; the batch goes on
	 * for many rounds while another of its queries waits */
	open_since = dns_cache_epoch(c);
	answered(c, "a.example");
	struct entry *q = dns_cache_put(c, "slow.example", LDNS_RR_TYPE_TXT);

	tap_check(q != NULL, "cache: a question still on its way");
	for (int i = 0; i < 10; i++)
		dns_cache_epoch(c);
	answered(c, "b.example");	/* another domain's, this epoch */
	gone = dns_cache_trim(c, open_since, 16);
	tap_check(gone == 0 && dns_cache_count(c) == 3, "cache: ten rounds "
	    "on, the open domain's answer stays (%lu dropped)", gone);
	/* the domain is done: the oldest open one started later */
	dns_cache_epoch(c);
	gone = dns_cache_trim(c, dns_cache_epoch(c), 16);
	tap_check(gone == 2 && dns_cache_count(c) == 1, "cache: then its "
	    "answer goes, and b's two rounds on; the question on its way "
	    "stays (%lu dropped)", gone);
	tap_check(dns_cache_reasked(c) == 0, "cache: nothing asked again yet");
	answered(c, "a.example");
	tap_check(dns_cache_reasked(c) == 1, "cache: an answer asked for "
	    "again after it was dropped is counted");
	answered(c, "c.example");
	tap_check(dns_cache_reasked(c) == 1, "cache: a new one is not");
	/* an answer asked often is kept within the cap */
	struct entry *p = answered(c, "_spf.provider.example");

	p->hits = 10;
	for (int i = 0; i < 3; i++)
		dns_cache_epoch(c);
	gone = dns_cache_trim(c, dns_cache_epoch(c), 1);
	tap_check(dns_cache_get(c, "_spf.provider.example",
	    LDNS_RR_TYPE_TXT) != NULL && gone == 2, "cache: a shared answer "
	    "is kept within the cap, the others go (%lu dropped)", gone);
	dns_cache_free(c);
}
