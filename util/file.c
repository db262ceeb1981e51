#include "util/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/time.h"

/* the temporary file a write has open, for the signal handler */
static char pending_tmp[4096];
static volatile sig_atomic_t pending;

/* How long a read waits for a pipe or a device to send its next bytes */
static unsigned wait_ms = 30000;

void
util_file_wait_set(unsigned ms)
{
	wait_ms = ms;
}

/* The rest of a stream (a pipe, a socket, a device) up to max bytes, each
 * wait for more under one deadline: an endless device ends at the cap, a
 * writer that never closes at the deadline */
static char *
read_stream(int fd, const char *path, size_t max, size_t *len, char *err,
    size_t errlen)
{
	uint64_t until = util_now_ms() + wait_ms;
	size_t cap = 4096, got = 0;
	char *buf = malloc(cap + 1);

	if (buf == NULL) {
		snprintf(err, errlen, "cannot read %s: out of memory", path);
		return NULL;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		unsigned left = util_ms_left(until);
		ssize_t n;
		int ready;

		if (got == cap) {
			char *more;

			cap = cap > max / 2 ? max + 1 : cap * 2;
			if ((more = realloc(buf, cap + 1)) == NULL) {
				snprintf(err, errlen, "cannot read %s: out of "
				    "memory", path);
				break;
			}
			buf = more;
		}
		if ((ready = poll(&p, 1, (int)left)) < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			if (ready < 0)
				snprintf(err, errlen, "cannot read %s: %s",
				    path, strerror(errno));
			else
				snprintf(err, errlen, "cannot read %s: nothing "
				    "more came within %u ms", path, wait_ms);
			break;
		}
		if ((n = read(fd, buf + got, cap - got)) < 0 &&
		    (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path,
			    strerror(errno));
			break;
		}
		if (n == 0) {
			buf[got] = '\0';
			*len = got;
			return buf;
		}
		if ((got += (size_t)n) > max) {
			snprintf(err, errlen, "cannot read %s: over %zu bytes",
			    path, max);
			break;
		}
	}
	free(buf);
	return NULL;
}

/* The whole of a regular file whose size fstat gave */
static char *
read_regular(int fd, const char *path, const struct stat *st, size_t max,
    size_t *len, char *err, size_t errlen)
{
	size_t got = 0;
	char *buf;

	if ((uintmax_t)st->st_size > max) {
		snprintf(err, errlen, "cannot read %s: over %zu bytes", path,
		    max);
		return NULL;
	}
	if ((buf = malloc((size_t)st->st_size + 1)) == NULL) {
		snprintf(err, errlen, "cannot read %s: out of memory", path);
		return NULL;
	}
	while (got < (size_t)st->st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st->st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "cannot read %s: %s", path,
			    n < 0 ? strerror(errno) : "it shrank while read");
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

static char *
file_read(const char *path, size_t max, size_t *len, struct stat *stp,
    bool regular, char *err, size_t errlen)
{
	bool std = !regular && strcmp(path, "-") == 0;
	/* no wait in open() for a FIFO without a writer */
	int fd = std ? STDIN_FILENO :
	    open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	const char *name = std ? "standard input" : path;
	struct stat st;
	char *buf = NULL;

	if (fd < 0 || fstat(fd, &st) != 0)
		snprintf(err, errlen, "cannot read %s: %s", name,
		    strerror(errno));
	else if (S_ISDIR(st.st_mode))
		snprintf(err, errlen, "cannot read %s: it is a directory",
		    name);
	else if (S_ISREG(st.st_mode))
		buf = read_regular(fd, name, &st, max, len, err, errlen);
	else if (regular)
		snprintf(err, errlen, "cannot read %s: not a regular file (it "
		    "is replaced when written)", name);
	else	/* a pipe, a socket or a device: read to its end */
		buf = read_stream(fd, name, max, len, err, errlen);
	if (buf && stp)
		*stp = st;
	if (fd >= 0 && !std)
		close(fd);
	return buf;
}

char *
util_file_read(const char *path, size_t max, size_t *len,
    struct stat *stp, char *err, size_t errlen)
{
	return file_read(path, max, len, stp, false, err, errlen);
}

char *
util_file_read_regular(const char *path, size_t max, size_t *len,
    struct stat *stp, char *err, size_t errlen)
{
	return file_read(path, max, len, stp, true, err, errlen);
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
util_file_out_open(util_file_out_t *w, const char *path, mode_t mode,
    char *err, size_t errlen)
{
	int fd;

	memset(w, 0, sizeof(*w));
	snprintf(w->path, sizeof(w->path), "%s", path);
	if ((fd = tmp_create(path, w->tmp, sizeof(w->tmp))) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, mode) != 0 || (w->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		close(fd);
		unlink(w->tmp);
		tmp_done();
		return -1;
	}
	return 0;
}

int
util_file_out_write(util_file_out_t *w, const void *data, size_t len)
{
	if (w->fp == NULL || w->errnum)
		return -1;
	if (len > 0 && fwrite(data, 1, len, w->fp) != len) {
		w->errnum = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

void
util_file_out_abort(util_file_out_t *w)
{
	if (w->fp == NULL)
		return;
	fclose(w->fp);
	w->fp = NULL;
	unlink(w->tmp);
	tmp_done();
}

int
util_file_out_commit(util_file_out_t *w, bool overwrite, char *err,
    size_t errlen)
{
	char dir[4096];
	int dfd, rc;

	if (w->fp == NULL) {
		snprintf(err, errlen, "cannot write %s: not open", w->path);
		return -1;
	}
	errno = w->errnum;
	if (w->errnum || fflush(w->fp) != 0 || fsync(fileno(w->fp)) != 0)
		goto fail;
	rc = fclose(w->fp);
	w->fp = NULL;
	if (rc != 0)
		goto fail;
	rc = overwrite ? rename(w->tmp, w->path) :
	    renameat2(AT_FDCWD, w->tmp, AT_FDCWD, w->path, RENAME_NOREPLACE);
	if (rc != 0)
		goto fail;
	tmp_done();
	snprintf(dir, sizeof(dir), "%s", w->path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	snprintf(err, errlen, errno == EEXIST ? "%s exists (--force replaces "
	    "it)" : "cannot write %s: %s", w->path, strerror(errno));
	if (w->fp)
		fclose(w->fp);
	w->fp = NULL;
	unlink(w->tmp);
	tmp_done();
	return -1;
}

int
util_file_write(const char *path, const void *data, size_t len, mode_t mode,
    bool overwrite, char *err, size_t errlen)
{
	util_file_out_t w;

	if (!overwrite && access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s exists (--force replaces it)", path);
		return -1;
	}
	if (util_file_out_open(&w, path, mode, err, errlen) != 0)
		return -1;
	util_file_out_write(&w, data, len);
	return util_file_out_commit(&w, overwrite, err, errlen);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
util_file_lock(const char *path, unsigned wait_ms_, char *err, size_t errlen)
{
	uint64_t until = util_now_ms() + wait_ms_;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open the lock %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		if (util_now_ms() >= until) {
			snprintf(err, errlen, "another run holds %s (waited %u "
			    "ms)", path, wait_ms_);
			close(fd);
			return -2;
		}
		sleep_ms(50);
	}
	return fd;
}

void
util_file_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* the lock goes with the descriptor */
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
util_dir_list(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		char **v;

		if (de->d_name[0] == '.' || (v = realloc(names,
		    (*n + 1) * sizeof(*v))) == NULL)
			continue;
		names = v;
		if ((names[*n] = malloc(strlen(path) + strlen(de->d_name) + 2)))
			sprintf(names[(*n)++], "%s/%s", path, de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), by_name);
	else if (names == NULL)
		names = calloc(1, sizeof(*names));	/* empty, not failed */
	return names;
}

void
util_dir_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}
