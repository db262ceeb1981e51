/* Fuzz target: what mail-verify reads from a message: the header parser,
 * each DKIM-Signature's tag list and canonicalizations (verified against
 * an empty offline resolver: the key lookup fails, everything before it
 * runs), the From and Received parsing of the verdicts, and the body's
 * canonical forms, whose lengths are checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static dns_resolver_t *r;
	dns_options_t o = { .offline = true };
	mv_request_t req = { .received_by = "mx.example.org", .now = 1 };
	mv_result_t *res = malloc(sizeof(*res));
	char err[256];
	msg_t m;

	if (r == NULL)
		r = dns_resolver_new(&o, err, sizeof(err));
	if (res == NULL || r == NULL)
		goto out;
	if (msg_parse(&m, (const char *)data, size, err, sizeof(err)) == 0) {
		for (int relaxed = 0; relaxed < 2; relaxed++) {
			size_t n;
			char *c = dkim_canon_body(m.body, m.blen, relaxed, -1, &n);

			if (c && n > 2 * m.blen + 2)
				abort();	/* canonical forms never grow so */
			free(c);
			for (size_t i = 0; i < m.nf; i++) {
				c = dkim_canon_field(m.f[i].raw, m.f[i].rawlen,
				    relaxed, &n);
				if (c && n > m.f[i].rawlen + 2)
					abort();
				free(c);
			}
		}
		mv_evaluate(&m, r, &req, res);
		msg_clear(&m);
	}
out:
	free(res);
	return 0;
}
