/* dmarc-report --html: the summary as one self-contained HTML page. */
#ifndef AUTHZONE_CLI_REPORT_HTML_H
#define AUTHZONE_CLI_REPORT_HTML_H

#include <stddef.h>

#include "report/summary.h"

/** The page, *len bytes (the caller frees it), or NULL on no memory. */
char *rep_html(rep_summary_t *s, size_t *len);

#endif
