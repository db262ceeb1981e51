/*
 * Files read and written as a tool that runs unattended must: a read
 * takes a regular file, a pipe, a socket or a device (what is not a
 * regular file is read to its end, each wait under one deadline, so a
 * writer that never closes ends there and an endless device at the size
 * cap); a directory is refused at once.  A write is whole or not at all, with no
 * temporary file left behind, not even when SIGTERM, SIGINT or SIGHUP
 * arrives in the middle (util_file_signals).
 */
#ifndef AUTHZONE_UTIL_FILE_H
#define AUTHZONE_UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

/** The whole of the file at path ("-": standard input), NUL-terminated
 * (a NUL inside is the caller's to look for), *len bytes, and its status
 * in *st unless st is NULL; NULL with a message in err when it cannot be
 * read, is a directory, holds over max bytes or, not being a regular
 * file, sends nothing more within the wait (util_file_wait_set).  The
 * caller frees the result. */
char *util_file_read(const char *path, size_t max, size_t *len,
    struct stat *st, char *err, size_t errlen);

/** util_file_read of a file the tool also writes (a state, an output, a
 * zone whose serial it raises): a regular file only, anything else
 * refused at once ("-" is a file's name here). */
char *util_file_read_regular(const char *path, size_t max, size_t *len,
    struct stat *st, char *err, size_t errlen);

/** How long util_file_read waits for more of a pipe or device, in all
 * (default 30,000 ms). */
void util_file_wait_set(unsigned ms);

/** Writes len bytes to path through a temporary file in the same
 * directory: written, fsynced, given mode, then renamed over path (or,
 * without overwrite, renamed only if path does not exist), and the
 * directory fsynced.  0, or -1 with a message in err and path untouched. */
int util_file_write(const char *path, const void *data, size_t len,
    mode_t mode, bool overwrite, char *err, size_t errlen);

/* The same written as it goes: util_file_out_open makes the temporary
 * file, util_file_out_write adds to it (an error is kept for the
 * commit), util_file_out_commit fsyncs and renames it over path (or not,
 * and removes it), util_file_out_abort removes it.  One at a time: the
 * signal handler knows one temporary file. */
typedef struct util_file_out {
	FILE *fp;
	int errnum;
	char path[4096], tmp[4096];
} util_file_out_t;

int util_file_out_open(util_file_out_t *w, const char *path, mode_t mode,
    char *err, size_t errlen);
int util_file_out_write(util_file_out_t *w, const void *data, size_t len);
int util_file_out_commit(util_file_out_t *w, bool overwrite, char *err,
    size_t errlen);
void util_file_out_abort(util_file_out_t *w);

/** Takes the lock file at path (created when absent), waiting up to
 * wait_ms for a run that holds it.  The descriptor to give to
 * util_file_unlock; -2 when it stayed held, -1 on another failure; err
 * says which. */
int util_file_lock(const char *path, unsigned wait_ms, char *err,
    size_t errlen);
void util_file_unlock(int fd);

/** The entries of the directory at path as "path/name", in name order,
 * dot files left out; *n of them, freed with util_dir_free.  NULL (errno
 * set) when it cannot be opened; an entry that cannot be kept for want of
 * memory is left out. */
char **util_dir_list(const char *path, size_t *n);
void util_dir_free(char **names, size_t n);

/** Installs handlers for SIGTERM, SIGINT and SIGHUP that remove the
 * temporary file of a util_file_write in progress, then end the process
 * by the same signal. */
void util_file_signals(void);

#endif
