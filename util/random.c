#include "util/random.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

static _Thread_local uint8_t pool[512];
static _Thread_local size_t left;

uint16_t
util_random16(void)
{
	uint16_t v;

	while (left < sizeof(v)) {
		ssize_t n = getrandom(pool, sizeof(pool), 0);

		if (n > 0)
			left = (size_t)n;
		else if (errno != EINTR)
			break;	/* not on Linux 3.17 and later: never */
	}
	left = left >= sizeof(v) ? left - sizeof(v) : 0;
	memcpy(&v, pool + left, sizeof(v));
	memset(pool + left, 0, sizeof(v));	/* used once */
	return v;
}
