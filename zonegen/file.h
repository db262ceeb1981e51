/* Files written whole or not at all. */
#ifndef AUTHZONE_ZONEGEN_FILE_H
#define AUTHZONE_ZONEGEN_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** Writes len bytes to path through a temporary file in the same
 * directory: written, fsynced, given mode, then renamed over path (or,
 * without overwrite, renamed only if path does not exist), and the
 * directory fsynced.  0, or -1 with a message in err and path untouched. */
int zg_file_write(const char *path, const void *data, size_t len,
    mode_t mode, bool overwrite, char *err, size_t errlen);

#endif
