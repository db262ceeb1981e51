/* Fuzz target: what spf-flatten reads back from files it does not write
 * alone: the state file (fl_state_load) and the serial of a zone file's
 * text (fl_serial_find). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "flatten/serial.h"
#include "flatten/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	size_t off, n;
	fl_state_t st;
	int fd = memfd_create("state", 0);

	if (fd >= 0) {
		if (size == 0 || write(fd, data, size) == (ssize_t)size) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			fl_state_load(path, "example.com", &st, err,
			    sizeof(err));
		}
		close(fd);
	}
	if (fl_serial_find((const char *)data, size, &off, &n) == 0 &&
	    (off + n > size || n == 0))
		abort();	/* the serial must lie inside the text */
	return 0;
}
