/* Monotonic time, for deadlines and measured durations. */
#ifndef AUTHZONE_UTIL_TIME_H
#define AUTHZONE_UTIL_TIME_H

#include <stdint.h>

/** Milliseconds of CLOCK_MONOTONIC. */
uint64_t util_now_ms(void);
/** Microseconds of CLOCK_MONOTONIC. */
uint64_t util_now_us(void);

/** Milliseconds left until deadline (a util_now_ms value), 0 when past. */
unsigned util_ms_left(uint64_t deadline);

#endif
