/* Report URIs as DMARC and TLS-RPT use them: mailto: and https:. */
#ifndef AUTHZONE_LINT_URI_H
#define AUTHZONE_LINT_URI_H

#include <stdbool.h>

/** True for "mailto:local@domain.tld" (with an optional DMARC "!size"
 * suffix when allow_size) or "https://host[:port][/path]". */
bool lint_uri_report_ok(const char *uri, bool allow_size);

#endif
