/* Fuzz target: the TSIG key parsers, NAME:ALG:SECRET and BIND key files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dns/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256], path[64];
	dns_tsig_t t;
	int fd;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dns_tsig_parse(text, &t, err, sizeof(err));
	if ((fd = memfd_create("key", 0)) >= 0) {
		if (size == 0 || write(fd, data, size) == (ssize_t)size) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			dns_tsig_load(path, &t, err, sizeof(err));
		}
		close(fd);
	}
	free(text);
	return 0;
}
