/* Fuzz target: the trust-anchor file reader of dns/validate.h (DS and
 * DNSKEY records in zone-file syntax, through libldns): whatever the
 * file holds, a validator or a message, never a crash or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dns/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const servers[] = { "127.0.0.1@53" };
	char path[] = "/tmp/authzone-fuzz-anchor.XXXXXX", err[300];
	int fd = mkstemp(path);
	dns_validator_t *v;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	v = dns_validator_new(path, servers, 1, 100, err, sizeof(err));
	if (v == NULL && err[0] == '\0')
		abort();	/* a refusal always says why */
	dns_validator_free(v);
	unlink(path);
	return 0;
}
