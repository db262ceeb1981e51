/* Fuzz target: the tag-list parser and the DMARC, DKIM, TLS-RPT, MTA-STS
 * and BIMI record checks (DKIM decodes and parses keys with libcrypto),
 * the DMARC report URI parser, the media type compare, and the MTA-STS
 * policy parser with its coverage check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/https.h"
#include "lint/mtasts_policy.h"
#include "lint/dmarc.h"
#include "lint/tagrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	lint_findings_t f;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	lint_findings_init(&f);
	dmarc_record_check(text, "x", size % 2, &f);
	dkim_record_check(text, "x", &f);
	tlsrpt_record_check(text, "x", &f);
	mtasts_record_check(text, "x", &f);
	bimi_record_check(text, "x", &f);

	mtasts_policy_t p;
	const char *hosts[] = { "mx.example.com", "a.b.example.com" };

	/* the DMARC URI parser on the raw bytes, the media type compare */
	dmarc_uri_t u;

	if (dmarc_uri_parse((const char *)data, size, &u) == 0 &&
	    (u.host == NULL || u.uri == NULL))
		abort();
	dmarc_uri_clear(&u);
	https_media_type_is(text, "text/plain");
	dmarc_is_record(text);
	mtasts_policy_check((const char *)data, size, "x", &p, &f);
	mtasts_policy_cover(&p, hosts, 2, "x", &f);
	mtasts_policy_clear(&p);
	lint_findings_clear(&f);
	free(text);
	return 0;
}
