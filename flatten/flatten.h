/*
 * SPF flattening.  The source record is evaluated for the exact set of
 * addresses it passes: ip4/ip6 terms, includes followed to any depth (an
 * include passes what its record passes, minus what earlier non-pass terms
 * of that record caught), redirects, and a/mx when asked to resolve them.
 * What cannot be flattened (exists, ptr, macros, a/mx by default, includes
 * matching a --keep pattern, and includes whose records hold such terms)
 * is kept as it is.  The set is written as the shortest exact CIDR list,
 * split over the published record and <prefix>N.<domain> records that it
 * includes.  Before anything leaves this module, the produced records are
 * evaluated the same way and must pass exactly the same set.
 */
#ifndef AUTHZONE_FLATTEN_FLATTEN_H
#define AUTHZONE_FLATTEN_FLATTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/dns.h"
#include "flatten/ipset.h"

typedef struct fl_options {
	bool resolve_a_mx;
	const char *const *keep;	/* PCRE2 patterns of includes to keep */
	size_t nkeep;
	size_t max_record_bytes;	/* 450 */
	unsigned max_lookups;		/* 10 */
	const char *prefix;		/* "_spf" */
} fl_options_t;

typedef enum fl_status {
	FL_OK,
	FL_DNS,		/* a DNS failure or a missing include: nothing to write */
	FL_CANNOT,	/* the source cannot be flattened as asked */
	FL_NOMEM,
} fl_status_t;

typedef struct fl_result {
	fl_set_t set;		/* the addresses the source passes */
	char **kept;		/* terms kept as they are, in source order */
	size_t nkept;
	char all;		/* the qualifier of the final all, or 0 */
	char *mods;		/* exp= and unknown modifiers, or NULL */
	char **owners, **records;	/* records[0] is at the domain */
	size_t nrecords;
	unsigned lookups;	/* of the produced records, worst case */
	char **notes;		/* what was kept and why */
	size_t nnotes;
	char error[512];	/* why, when not FL_OK */
} fl_result_t;

/** Flattens source (the record text, published at source_domain, or at
 * domain when that is NULL) into records for domain.  Fills *out, which
 * the caller clears with fl_result_clear, whatever the status. */
fl_status_t fl_flatten(fl_result_t *out, dns_resolver_t *r,
    const char *domain, const char *source_domain, const char *source,
    const fl_options_t *opt);
void fl_result_clear(fl_result_t *out);

#endif
