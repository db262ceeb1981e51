/* Fuzz target: the BIMI logo check (libxml2 over hostile SVG) and the
 * mark certificate check (libcrypto over hostile PEM), both on every
 * input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint/bimi_files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lint_findings_t f;

	lint_findings_init(&f);
	bimi_svg_check((const char *)data, size, "logo", &f);
	bimi_cert_check((const char *)data, size, "brand.test", 1800000000,
	    "cert", &f);
	lint_findings_clear(&f);
	return 0;
}
