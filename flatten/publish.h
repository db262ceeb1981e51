/*
 * Publishing a flattened result so that it is served, not only written:
 * the lock that keeps two runs of one job apart, the reload command run
 * after the zone changed, the check that a server answers the new serial
 * and records, and the RFC 2136 update that replaces only the records the
 * flattener owns.  Nothing here prints: each step returns a status and a
 * message for the command line to show.
 */
#ifndef AUTHZONE_FLATTEN_PUBLISH_H
#define AUTHZONE_FLATTEN_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/update.h"
#include "flatten/flatten.h"

/** Runs cmd through /bin/sh -c, its output sent to stderr, with env
 * ("NAME=value" strings, NULL-terminated) added to the environment;
 * killed past timeout_ms.  0 when it exits 0, else -1 with what happened
 * in err. */
int fl_reload_run(const char *cmd, const char *const *env,
    unsigned timeout_ms, char *err, size_t errlen);

typedef struct fl_expect {
	const char *server;		/* ADDR[@PORT] */
	const char *zone;		/* its SOA is asked; NULL: not */
	uint32_t serial;		/* at least this one */
	char **owners, **records;	/* TXT SPF records to see */
	size_t n;
	unsigned timeout_ms;		/* per query */
	uint64_t deadline;		/* util_now_ms value */
} fl_expect_t;

/** Asks e->server until it answers the serial (or a later one) and every
 * record, or the deadline passes.  0 when it did; -1 with what it last
 * answered in err. */
int fl_verify(const fl_expect_t *e, char *err, size_t errlen);

/** The TTL of the TXT records at owner in the zone file at path that are
 * not SPF records (those the published records join): 1 with *ttl, 0 when
 * there are none, -1 with err when the zone does not load. */
int fl_zone_txt_ttl(const char *path, const char *owner, uint32_t *ttl,
    char *err, size_t errlen);

typedef struct fl_update {
	const char *server;		/* the primary, ADDR[@PORT] */
	const dns_tsig_t *tsig;		/* NULL: unsigned */
	const char *domain, *prefix;
	uint32_t ttl;
	bool ttl_given;			/* else the TTL of the TXT joined */
	unsigned timeout_ms, retries;
	uint64_t deadline;
} fl_update_t;

typedef enum fl_update_status {
	FL_UPDATE_SENT,		/* the primary took the change */
	FL_UPDATE_SAME,		/* it publishes the records already */
	FL_UPDATE_DNS,		/* asking or updating it failed */
	FL_UPDATE_BAD,		/* the server address or the zone is wrong */
} fl_update_status_t;

/** Sends res to the primary as one update when what it publishes differs:
 * the SPF TXT record of the domain (its other TXT records stay) and the
 * TXT RRsets of <prefix>N.<domain>, stale ones included.  msg says what
 * was done or what failed; zone (256 bytes) the zone updated. */
fl_update_status_t fl_update_push(const fl_update_t *u,
    const fl_result_t *res, char *zone, char *msg, size_t msglen);

#endif
