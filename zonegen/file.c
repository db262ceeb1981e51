#include "zonegen/file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
zg_file_write(const char *path, const void *data, size_t len, mode_t mode,
    bool overwrite, char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	const char *p = data;
	int fd, dfd;

	if (!overwrite && access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s exists (--force replaces it)", path);
		return -1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    (int)sizeof(tmp) || (fd = mkstemp(tmp)) < 0) {
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
	if (overwrite ? rename(tmp, path) != 0 :
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0)
		goto fail;
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
	return -1;
}
