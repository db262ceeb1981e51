#include "dns/transport.h"

#include <arpa/inet.h>
#include <ctype.h>
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

size_t
dns_query_wire(uint8_t *buf, const char *name, uint16_t type, uint16_t id)
{
	static const uint8_t opt[] = { 0, 0, 41, DNS_EDNS_SIZE >> 8,
	    DNS_EDNS_SIZE & 0xff, 0, 0, 0, 0, 0, 0 };
	size_t n = 12;

	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01;			/* RD */
	buf[3] = 0x20;			/* AD: tell us if you validated it
					 * (RFC 6840 5.7) */
	memcpy(buf + 4, "\0\1\0\0\0\0\0\1", 8);	/* 1 question, 1 OPT */
	/* labels from the presentation form, \DDD and \X unescaped */
	while (*name) {
		size_t at = n++, l = 0;

		while (*name && *name != '.') {
			uint8_t c = (uint8_t)*name++;

			if (c == '\\' && isdigit((unsigned char)name[0]) &&
			    isdigit((unsigned char)name[1]) &&
			    isdigit((unsigned char)name[2])) {
				c = (uint8_t)((name[0] - '0') * 100 +
				    (name[1] - '0') * 10 + (name[2] - '0'));
				name += 3;
			} else if (c == '\\' && *name)
				c = (uint8_t)*name++;
			if (++l > 63 || n >= 268)
				return 0;
			buf[n++] = c;
		}
		if (l == 0)
			return 0;
		buf[at] = (uint8_t)l;
		if (*name == '.')
			name++;
	}
	buf[n++] = 0;
	buf[n++] = (uint8_t)(type >> 8);
	buf[n++] = (uint8_t)type;
	buf[n++] = 0;
	buf[n++] = 1;			/* IN */
	memcpy(buf + n, opt, sizeof(opt));
	return n + sizeof(opt);
}

int
dns_udp_open(const dns_addr_t *a)
{
	int fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);

	if (fd >= 0 && connect(fd, (const struct sockaddr *)&a->ss,
	    a->len) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int
dns_tcp_start(dns_tcp_t *t, const dns_addr_t *a, const uint8_t *q,
    size_t qlen)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (qlen > 65535 || (t->buf = malloc(qlen + 2)) == NULL)
		return -1;
	t->buf[0] = (uint8_t)(qlen >> 8);
	t->buf[1] = (uint8_t)qlen;
	memcpy(t->buf + 2, q, qlen);
	t->len = qlen + 2;
	t->fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (t->fd < 0 || (connect(t->fd, (const struct sockaddr *)&a->ss,
	    a->len) != 0 && errno != EINPROGRESS)) {
		dns_tcp_close(t);
		return -1;
	}
	return 0;
}

int
dns_tcp_io(dns_tcp_t *t, const uint8_t **ans, size_t *alen, const char **why)
{
	ssize_t n;

	*why = NULL;
	while (!t->reading) {
		n = send(t->fd, t->buf + t->done, t->len - t->done,
		    MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINPROGRESS ||
			    errno == EINTR ? 0 : -1;
		if ((t->done += (size_t)n) == t->len) {
			t->reading = true;
			t->done = 0;
			t->len = 2;	/* the length first */
		}
	}
	for (;;) {
		if (t->done == t->len && t->len == 2) {
			size_t mlen = (size_t)t->buf[0] << 8 | t->buf[1];
			uint8_t *nb;

			if (mlen < 12) {
				*why = "a TCP answer shorter than a header";
				return -1;
			}
			if ((nb = realloc(t->buf, mlen + 2)) == NULL)
				return -1;
			t->buf = nb;
			t->len = mlen + 2;
		}
		if (t->done == t->len) {
			*ans = t->buf + 2;
			*alen = t->len - 2;
			return 1;
		}
		n = recv(t->fd, t->buf + t->done, t->len - t->done, 0);
		if (n == 0) {
			*why = "the server closed the connection";
			return -1;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		t->done += (size_t)n;
	}
}

void
dns_tcp_close(dns_tcp_t *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->buf);
	t->fd = -1;
	t->buf = NULL;
}

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
