#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the temporary file a write has open, for the signal handler */
static char pending_tmp[4096];
static volatile sig_atomic_t pending;

char *
util_file_read(const char *path, size_t max, size_t *len,
    struct stat *stp, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    S_ISDIR(st.st_mode) ? "it is a directory" :
		    "not a regular file");
		goto out;
	}
	if ((uintmax_t)st.st_size > max) {
		snprintf(err, errlen, "cannot read %s: over %zu bytes", path,
		    max);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "cannot read %s: out of memory", path);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "cannot read %s: %s", path,
			    n < 0 ? strerror(errno) : "it shrank while read");
			free(buf);
			buf = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	if (stp)
		*stp = st;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static void
on_signal(int sig)
{
	int saved = errno;

	if (pending)
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved;
}

void
util_file_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* mkstemp with the name published to the handler before the file exists
 * and withdrawn after it is gone, with the signals held meanwhile */
static int
tmp_create(const char *path, char *tmp, size_t len)
{
	sigset_t all, old;
	int fd;

	if (snprintf(tmp, len, "%s.tmp.XXXXXX", path) >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((fd = mkstemp(tmp)) >= 0) {
		memcpy(pending_tmp, tmp, strlen(tmp) + 1);
		pending = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return fd;
}

static void
tmp_done(void)
{
	pending = 0;
}

int
util_file_write(const char *path, const void *data, size_t len, mode_t mode,
    bool overwrite, char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	const char *p = data;
	int fd, dfd, rc;

	if (!overwrite && access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s exists (--force replaces it)", path);
		return -1;
	}
	if ((fd = tmp_create(path, tmp, sizeof(tmp))) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, mode) != 0)
		goto fail;
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	rc = overwrite ? rename(tmp, path) :
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
	if (rc != 0)
		goto fail;
	tmp_done();
	snprintf(dir, sizeof(dir), "%s", path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	snprintf(err, errlen, errno == EEXIST ? "%s exists (--force replaces "
	    "it)" : "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	tmp_done();
	return -1;
}
