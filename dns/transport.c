#include "dns/transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/wire.h"
#include "util/time.h"

int
dns_addr_parse(dns_addr_t *a, const char *text)
{
	char host[64];
	const char *port = NULL, *end;
	size_t n;
	long p = 53;
	struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->ss;

	if (text[0] == '[') {		/* [V6], [V6]:PORT, [V6]@PORT */
		if ((end = strchr(text, ']')) == NULL)
			return -1;
		n = (size_t)(end - text - 1);
		text++;
		if (end[1] != '\0') {
			if (!strchr(":@#", end[1]))
				return -1;
			port = end + 2;
		}
	} else if ((port = strpbrk(text, "@#")) != NULL)
		n = (size_t)(port++ - text);
	else if ((end = strchr(text, ':')) != NULL && strchr(end + 1, ':') ==
	    NULL) {			/* V4:PORT; two colons are an IPv6 */
		n = (size_t)(end - text);
		port = end + 1;
	} else
		n = strlen(text);
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, text, n);
	host[n] = '\0';
	if (port) {
		char *e;

		errno = 0;
		p = strtol(port, &e, 10);
		if (*port == '\0' || *e || errno || p < 1 || p > 65535)
			return -1;
	}
	memset(&a->ss, 0, sizeof(a->ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		a->len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		a->len = sizeof(*sin6);
	} else
		return -1;
	snprintf(a->text, sizeof(a->text), "%s#%ld", host, p);
	return 0;
}

/* Waits for events on fd until deadline; 1 when ready, 0 past the
 * deadline, -1 on error. */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		unsigned left = util_ms_left(deadline);
		int rc;

		if (left == 0)
			return 0;
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		return rc;
	}
}

/* Moves len bytes out of or into buf before deadline; -1 with err. */
static int
move(int fd, uint8_t *buf, size_t len, bool out, uint64_t deadline,
    const char *what, char *err, size_t errlen)
{
	size_t done = 0;

	while (done < len) {
		int rc = wait_fd(fd, out ? POLLOUT : POLLIN, deadline);
		ssize_t n;

		if (rc <= 0) {
			snprintf(err, errlen, "%s: %s", what, rc < 0 ?
			    strerror(errno) : out ? "could not send before "
			    "the deadline" : "no whole answer before the "
			    "deadline");
			return -1;
		}
		n = out ? send(fd, buf + done, len - done, MSG_NOSIGNAL) :
		    recv(fd, buf + done, len - done, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", what, n == 0 ?
			    "the server closed the connection" :
			    strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int
dns_tcp_exchange(const dns_addr_t *a, const uint8_t *q, size_t qlen,
    uint8_t **ans, size_t *alen, uint64_t deadline, char *err, size_t errlen)
{
	uint8_t *framed = malloc(qlen + 2), len2[2], *buf = NULL;
	size_t mlen;
	int fd = -1, rc = -1, soerr = 0;
	socklen_t sl = sizeof(soerr);
	dns_wire_status_t st;

	*ans = NULL;
	if (framed == NULL || qlen > 65535) {
		snprintf(err, errlen, "%s: cannot frame the message", a->text);
		goto out;
	}
	framed[0] = (uint8_t)(qlen >> 8);
	framed[1] = (uint8_t)qlen;
	memcpy(framed + 2, q, qlen);
	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0 || (connect(fd, (const struct sockaddr *)&a->ss, a->len) !=
	    0 && errno != EINPROGRESS)) {
		snprintf(err, errlen, "%s: %s", a->text, strerror(errno));
		goto out;
	}
	if (wait_fd(fd, POLLOUT, deadline) <= 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr) {
		snprintf(err, errlen, "%s: %s", a->text, soerr ?
		    strerror(soerr) : "no connection before the deadline");
		goto out;
	}
	if (move(fd, framed, qlen + 2, true, deadline, a->text, err,
	    errlen) != 0 ||
	    move(fd, len2, 2, false, deadline, a->text, err, errlen) != 0)
		goto out;
	mlen = (size_t)len2[0] << 8 | len2[1];
	if (mlen < 12 || (buf = malloc(mlen)) == NULL) {
		snprintf(err, errlen, "%s: an answer of %zu bytes", a->text,
		    mlen);
		goto out;
	}
	if (move(fd, buf, mlen, false, deadline, a->text, err, errlen) != 0)
		goto out;
	if ((st = dns_wire_check(buf, mlen)) != DNS_WIRE_OK ||
	    memcmp(buf, q, 2) != 0) {
		snprintf(err, errlen, "%s: %s", a->text, st != DNS_WIRE_OK ?
		    dns_wire_status_str(st) : "an answer to another message");
		goto out;
	}
	*ans = buf;
	*alen = mlen;
	buf = NULL;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(framed);
	free(buf);
	return rc;
}
