/*
 * The state file of a flattening job: what was last published for one
 * domain, so that the next run can refuse a result that shrank too much
 * (--max-shrink) and finish a publication that an earlier run left half
 * done.  It is JSON:
 *
 *   { "format": "authzone-spf-flatten-state 1", "domain": "example.com",
 *     "ip4_addresses": 1024, "ip6_addresses": "79228162514264337593543950336",
 *     "records": 2, "sha256": "<of the snippet written>", "serial": 2026113001,
 *     "pending": null, "written": "2026-11-30T16:00:00Z" }
 *
 * Counts are exact: IPv4 as an integer, IPv6 as a string of digits (a
 * count up to 2^128 fits no JSON number a parser keeps exact).  "pending"
 * names the step a run did not finish: "publish" (records, serial),
 * "reload" (the reload command failed) or "verify" (the server did not
 * answer the new records); the next run does it again.
 *
 * A state file that cannot be read, is not this format or names another
 * domain is an error, never "no baseline": the guard it carries must not
 * switch itself off.  The format before this one (domain and two counts
 * as numbers) is still read.
 */
#ifndef AUTHZONE_FLATTEN_STATE_H
#define AUTHZONE_FLATTEN_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fl_pending {
	FL_PENDING_NONE,
	FL_PENDING_PUBLISH,
	FL_PENDING_RELOAD,
	FL_PENDING_VERIFY,
} fl_pending_t;

typedef struct fl_state {
	char domain[256];
	char ip4[48], ip6[48];	/* exact counts in decimal */
	unsigned records;
	char sha256[65];	/* hex; empty in the earlier format */
	uint32_t serial;
	bool has_serial;
	fl_pending_t pending;
} fl_state_t;

typedef enum fl_state_status {
	FL_STATE_OK,
	FL_STATE_ABSENT,	/* no file: the first run */
	FL_STATE_BAD,		/* unreadable, not the format, another domain */
} fl_state_status_t;

/** Reads the state at path for domain (normalized) into *st; on
 * FL_STATE_BAD, err says why and how to start over. */
fl_state_status_t fl_state_load(const char *path, const char *domain,
    fl_state_t *st, char *err, size_t errlen);

/** Writes st to path whole or not at all; -1 with a message in err. */
int fl_state_save(const char *path, const fl_state_t *st, char *err,
    size_t errlen);

/** The name of a pending step: "publish", ...; NULL for none. */
const char *fl_pending_str(fl_pending_t p);

/** A decimal count as a long double, for comparing shares. */
long double fl_count_value(const char *decimal);

#endif
