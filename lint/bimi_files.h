/*
 * The two files a BIMI record points to: the logo, which must be SVG Tiny
 * Portable/Secure (parsed with libxml2, never touching the network), and
 * the PEM mark certificate (parsed with libcrypto).  Each check takes the
 * bytes as fetched and adds findings located at the URL.
 */
#ifndef AUTHZONE_LINT_BIMI_FILES_H
#define AUTHZONE_LINT_BIMI_FILES_H

#include <stddef.h>
#include <time.h>

#include "dns/https.h"
#include "lint/domain_check.h"
#include "lint/finding.h"

#define BIMI_SVG_MAX	32768	/* bytes */
#define BIMI_CERT_SOON	14	/* days: warn when it expires sooner */

/* The rows of bimi_file_codes */
enum bimi_file_row {
	BF_FETCH, BF_HTTP, BF_SVG_SIZE, BF_SVG_XML, BF_SVG_ROOT,
	BF_SVG_VERSION, BF_SVG_PROFILE, BF_SVG_TITLE, BF_SVG_SCRIPT,
	BF_SVG_ANIMATION, BF_SVG_EXTERNAL, BF_SVG_RASTER, BF_SVG_XY,
	BF_SVG_DOCTYPE, BF_CERT_PARSE, BF_CERT_EXPIRED, BF_CERT_NOT_YET,
	BF_CERT_EXPIRING, BF_CERT_NAME, BF_CERT_LOGOTYPE, BF_CERT, BF_ROWS
};

extern const lint_code_t bimi_file_codes[BF_ROWS];

/** Checks len bytes of an SVG logo (where: its URL). */
void bimi_svg_check(const char *svg, size_t len, const char *where,
    lint_findings_t *f);

/** Checks a PEM certificate (its first certificate when a chain) for
 * domain at time now (0: the current time). */
void bimi_cert_check(const char *pem, size_t len, const char *domain,
    time_t now, const char *where, lint_findings_t *f);

/** Fetches the record's l= and a= files over HTTPS and checks them; the
 * certificate must name domain.  Findings go to rp; a fetch that the
 * network or DNS kept from happening marks rp failed, one not made
 * (offline) marks it skipped. */
void bimi_files_fetch_check(const char *record, const char *domain,
    const https_options_t *ho, lint_report_t *rp);

#endif
