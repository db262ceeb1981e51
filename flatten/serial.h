/*
 * Raising the SOA serial of a zone file, so that its server reloads the
 * zone (NSD re-reads a zone whose main file changed) and its secondaries
 * transfer it.  The file is edited in place as text: only the digits of
 * the serial change, comments and layout stay.  The serial is found by
 * scanning the file's records (quotes, comments, parentheses understood)
 * and must equal the serial libldns reads from the same file, or nothing
 * is written.
 */
#ifndef AUTHZONE_FLATTEN_SERIAL_H
#define AUTHZONE_FLATTEN_SERIAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/** The serial after old on the day now (UTC): a serial in YYYYMMDDnn form
 * stays in it (today's date and 00, or old + 1 when that is not more),
 * any other is old + 1 in RFC 1982 arithmetic. */
uint32_t fl_serial_next(uint32_t old, time_t now);

/** True when a follows b in RFC 1982 serial number arithmetic. */
int fl_serial_after(uint32_t a, uint32_t b);

/** Where the serial of the file's first SOA record lies in text: its byte
 * offset and length; -1 when the text has no SOA record of its own. */
int fl_serial_find(const char *text, size_t len, size_t *off, size_t *n);

/** Raises the serial of the zone file at path, writing it whole or not at
 * all.  *old and *new are the serials, origin (256 bytes) the zone's; -1
 * with a message in err. */
int fl_serial_bump(const char *path, time_t now, uint32_t *old,
    uint32_t *new, char *origin, char *err, size_t errlen);

/** Reads the serial and origin of the zone file at path, as a bump would,
 * and writes nothing; -1 with a message in err. */
int fl_serial_read(const char *path, uint32_t *serial, char *origin,
    char *err, size_t errlen);

#endif
