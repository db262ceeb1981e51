/*
 * The resolver's answers, one entry a name and type, kept while they are
 * of use: an entry that no check has asked for since the batch moved on
 * is dropped, unless many checks asked for it (a provider's include) and
 * the shared ones are within their cap.  Internal to dns/.
 */
#ifndef AUTHZONE_DNS_CACHE_H
#define AUTHZONE_DNS_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "dns/dns.h"

enum entry_state { E_QUEUED, E_SENT, E_DONE, E_ALIAS };

struct entry {
	dns_answer_t ans;
	enum entry_state state;
	bool ready;		/* ans is final */
	char *name;
	ldns_rr_type type;
	struct entry *alias;	/* E_ALIAS, until the run settles it */
	unsigned round;		/* the round its answer came in */
	unsigned hops;		/* CNAME hops that led here */
	char *canonical;	/* where a CNAME in the answer led */
	char source[200];
	dns_result_t last;	/* SERVFAIL or REFUSED from the last try */
	struct entry *next;	/* in the queue */
	unsigned long touched;	/* the epoch it was last asked for in */
	unsigned hits;		/* how often it was asked for */
};

typedef struct dns_cache dns_cache_t;

/** An empty cache; NULL on no memory. */
dns_cache_t *dns_cache_new(void);
void dns_cache_free(dns_cache_t *c);

/** The entry of name (normalized) and type, or NULL; touched when found. */
struct entry *dns_cache_get(dns_cache_t *c, const char *name,
    ldns_rr_type type);
/** A new entry for name and type, owned by the cache; NULL on no memory. */
struct entry *dns_cache_put(dns_cache_t *c, const char *name,
    ldns_rr_type type);

/** Marks the start of a new epoch (a batch round): what is asked for from
 * now on is in use.  Returns the new epoch's number. */
unsigned long dns_cache_epoch(dns_cache_t *c);
/** Drops the answered entries asked for neither since epoch since nor in
 * this epoch or the one before, keeping up to shared_cap of those asked
 * for often; how many were dropped. */
unsigned long dns_cache_trim(dns_cache_t *c, unsigned long since,
    unsigned shared_cap);
/** Answers asked for again after a trim dropped them (of the last 65,536
 * dropped, less the few whose slot a later one took). */
unsigned long dns_cache_reasked(const dns_cache_t *c);
/** Entries held. */
size_t dns_cache_count(const dns_cache_t *c);

#endif
