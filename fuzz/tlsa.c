/* Fuzz target: the TLSA record parser and check (the bytes as the record,
 * and as its owner), and what tlsa-gen reads a certificate or key from
 * (PEM or DER through libcrypto), with the record made of what it read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lint/tlsa.h"
#include "tls/tlsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256], *t;
	lint_findings_t f;
	tls_source_t s;
	tlsa_record_t *r;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	lint_findings_init(&f);
	tlsa_record_check(text, "_25._tcp.mx.example.com", &f);
	tlsa_record_check("3 1 1 00", text, &f);
	lint_findings_clear(&f);
	if (tls_source_read(text, size, "x", &s, err, sizeof(err)) == 0) {
		X509 *c = s.ncerts ? s.certs[0] : NULL;

		if ((r = malloc(sizeof(*r))) != NULL) {
			for (unsigned sel = 0; sel < 2; sel++)
				if (tls_tlsa_make(c, s.key, 3, sel, sel,
				    r) == 0 && (t = tls_tlsa_text(r)) != NULL) {
					lint_findings_init(&f);
					tlsa_record_check(t, "_25._tcp.x", &f);
					lint_findings_clear(&f);
					free(t);
				}
			free(r);
		}
		if (c) {
			tls_cert_is_ca(c);
			tls_cert_subject(c, err, sizeof(err));
		}
		tls_source_clear(&s);
	}
	free(text);
	return 0;
}
