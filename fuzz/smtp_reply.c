/* Fuzz target: the SMTP reply parser (tls/smtp.h), fed the bytes whole
 * and in pieces as a socket gives them, and its bounds checked: what it
 * used lies inside what it was given, and a complete reply has a code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
feed(const char *buf, size_t size, size_t piece)
{
	smtp_reply_t r;
	char err[256], in[SMTP_LINE_MAX + 2];
	size_t at = 0, n = 0, used;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	while (rc == 0 && at < size) {
		size_t take = size - at < piece ? size - at : piece;

		if (take > sizeof(in) - n)
			take = sizeof(in) - n;
		memcpy(in + n, buf + at, take);
		n += take;
		at += take;
		rc = smtp_reply_feed(&r, in, n, &used, err, sizeof(err));
		if (used > n || (rc == 1 && (r.code < 200 || r.code > 599)))
			abort();
		memmove(in, in + used, n - used);
		n -= used;
		if (rc == 0 && n == sizeof(in))
			abort();	/* a full buffer must be refused */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	feed((const char *)data, size, size ? size : 1);
	feed((const char *)data, size, 1);
	feed((const char *)data, size, 7);
	return 0;
}
