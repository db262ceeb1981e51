/*
 * mail-audit's engine: every check of lint/ over one domain, one report
 * per area, a verdict per area and for the domain.  A run asks the
 * resolver for everything each area needs, so that under the batch
 * driver (cli/batch.h) all areas of all domains in the window share each
 * round trip.
 */
#ifndef AUTHZONE_LINT_AUDIT_H
#define AUTHZONE_LINT_AUDIT_H

#include "lint/domain_check.h"
#include "lint/spf_walk.h"

enum audit_area {
	AUDIT_MX, AUDIT_SPF, AUDIT_DMARC, AUDIT_DKIM, AUDIT_BIMI,
	AUDIT_MTASTS, AUDIT_TLSRPT, AUDIT_TLS, AUDIT_PARKED, AUDIT_NAREAS,
};

typedef enum audit_verdict {
	AUDIT_PASS, AUDIT_ABSENT, AUDIT_SKIPPED, AUDIT_WARN, AUDIT_FAIL,
	AUDIT_DNS_ERROR, AUDIT_NVERDICTS,
} audit_verdict_t;

#define AUDIT_MAX_SELECTORS 16

typedef struct audit_opts {
	const char *selectors[AUDIT_MAX_SELECTORS];	/* DKIM */
	size_t nselectors;
	const char *bimi_selector;
	bool parked, rfc7489;
	bool no_connect;		/* no SMTP connection: tls skipped */
	const https_options_t *https;
	spf_store_t *memo;		/* the SPF records of every run */
} audit_opts_t;

/* What the tls area saw at one MX address (filled by the command line,
 * which runs the probes of tls/mx.h for all domains of a round at once) */
#define AUDIT_TLS_ADDRS	8

typedef struct audit_tls_addr {
	char host[256], addr[64];
	char version[16];	/* "" without TLS */
	bool starttls, cert, cert_valid, names_ok;
	long days_left;
	const char *dane;	/* "matched", "mismatch", "unusable",
				 * "insecure", "none" */
} audit_tls_addr_t;

typedef struct audit_result {
	char domain[256];
	lint_report_t area[AUDIT_NAREAS];	/* DKIM: the first selector */
	audit_verdict_t verdict[AUDIT_NAREAS], overall;
	audit_verdict_t dkim_verdict[AUDIT_MAX_SELECTORS];
	size_t ndkim;
	unsigned lookups, voids;
	char policy[32];	/* the DMARC p= that applies, or "" */
	char mode[16];		/* the MTA-STS mode, or "" */
	char sts_policy[65];	/* the SHA-256 of its policy file, or "" */
	bool null_mx;
	audit_tls_addr_t tls[AUDIT_TLS_ADDRS];
	size_t ntls;
	lint_report_t dkim[];	/* one a selector asked for (a batch holds
				 * a result per domain in its window) */
} audit_result_t;

/* The names of areas and verdicts as JSON and the text table show them */
extern const char *const audit_area_names[AUDIT_NAREAS];
extern const char *const audit_verdict_names[AUDIT_NVERDICTS];

/* What a domain's audit keeps across its runs (a batch runs it again
 * until it asks for nothing new): the MTA-STS fetch, and the SPF walk,
 * which resumes where it stopped instead of walking again.  Zeroed at
 * first; cleared with audit_state_clear. */
typedef struct audit_state {
	mtasts_source_t src;
	spf_walk_t walk;
	bool walking, walked;
} audit_state_t;

void audit_state_clear(audit_state_t *st);

/** Runs every check over domain, on from st.  Returns a result freed
 * with audit_result_free, or NULL. */
audit_result_t *audit_domain_run(const audit_opts_t *ao, dns_resolver_t *r,
    const char *domain, audit_state_t *st);
void audit_result_free(audit_result_t *res);

/** The verdicts of res's areas and of the domain, from their reports:
 * again after the tls area's report was filled in. */
void audit_result_settle(audit_result_t *res, const audit_opts_t *ao);

/** The first DNS failure of any area ("NAME TYPE: timeout (...)"), or
 * NULL when every lookup was answered. */
const char *audit_result_error(const audit_result_t *res);

#endif
