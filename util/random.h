/* Unpredictable numbers for DNS message IDs (RFC 5452 9.2). */
#ifndef AUTHZONE_UTIL_RANDOM_H
#define AUTHZONE_UTIL_RANDOM_H

#include <stdint.h>

/** 16 bits from the kernel's generator, read 512 bytes at a time (one
 * system call per 256 IDs, not one per query). */
uint16_t util_random16(void);

#endif
