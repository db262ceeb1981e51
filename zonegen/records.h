/*
 * The TXT records of DMARC, TLS-RPT, MTA-STS and BIMI, built from their
 * parts in the order their specifications give.  Each returns a string
 * the caller frees, or NULL on no memory; nothing here checks values
 * (the generators check their options, lint/ checks the result).
 */
#ifndef AUTHZONE_ZONEGEN_RECORDS_H
#define AUTHZONE_ZONEGEN_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct zg_dmarc {
	const char *p, *sp, *np, *psd, *t, *adkim, *aspf;
	const char *pct, *rf, *ri;	/* RFC 7489 only */
	const char *fo;
	const char *const *rua, *const *ruf;
	size_t nrua, nruf;
} zg_dmarc_t;

/** "v=DMARC1; p=...": v first, p second (RFC 9989), then the tags given. */
char *zg_dmarc_record(const zg_dmarc_t *d);
/** The p= of a rollout stage (monitor, quarantine, reject), and in *note
 * what the stage is and what comes next; NULL for an unknown stage. */
const char *zg_dmarc_stage(const char *stage, const char **note);

/** "v=TLSRPTv1; rua=a,b" (RFC 8460 3). */
char *zg_tlsrpt_record(const char *const *rua, size_t n);

/** The MTA-STS policy file (RFC 8461 3.2), CRLF lines, *len bytes. */
char *zg_mtasts_policy(const char *mode, const char (*mx)[256], size_t nmx,
    unsigned max_age, size_t *len);
/** The policy's id: 20 hex digits of its SHA-256; -1 on failure. */
int zg_mtasts_id(const char *policy, size_t len, char id[21]);
/** "v=STSv1; id=...;" (RFC 8461 3.1). */
char *zg_mtasts_record(const char *id);

/** "v=BIMI1; l=...; a=...;" with lps= and avp= when given; decline: the
 * record that declines to publish a logo ("l=; a=;"). */
char *zg_bimi_record(const char *logo, const char *cert, const char *lps,
    const char *avp, bool decline);

#endif
