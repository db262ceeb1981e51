#include "tls/smtp.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "util/time.h"

const char *const smtp_step_names[SMTP_NSTEPS] = {
	[SMTP_CONNECT] = "connect", [SMTP_BANNER] = "banner",
	[SMTP_EHLO] = "ehlo", [SMTP_STARTTLS] = "starttls",
	[SMTP_TLS] = "tls",
};

/* What a server sent, safe to print: control bytes as '?' */
static void
printable(char *out, size_t outlen, const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < outlen; i++)
		out[k++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	out[k] = '\0';
}

int
smtp_reply_feed(smtp_reply_t *r, const char *buf, size_t len, size_t *used,
    char *err, size_t errlen)
{
	size_t at = 0;

	*used = 0;
	while (at < len && !r->done) {
		const char *line = buf + at, *nl = memchr(line, '\n', len - at);
		size_t n;
		int code;
		char shown[48];

		if (nl == NULL) {
			if (len - at > SMTP_LINE_MAX)
				goto toolong;
			break;
		}
		n = (size_t)(nl - line);
		r->bytes += n + 1;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > SMTP_LINE_MAX)
			goto toolong;
		if (r->bytes > SMTP_REPLY_MAX || ++r->lines > SMTP_LINES_MAX) {
			snprintf(err, errlen, "a reply of over %s",
			    r->bytes > SMTP_REPLY_MAX ? "65536 bytes" :
			    "100 lines");
			return -1;
		}
		if (n < 3 || !isdigit((unsigned char)line[0]) ||
		    line[0] < '2' || line[0] > '5' ||
		    !isdigit((unsigned char)line[1]) ||
		    !isdigit((unsigned char)line[2]) ||
		    (n > 3 && line[3] != ' ' && line[3] != '-')) {
			printable(shown, sizeof(shown), line, n < 40 ? n : 40);
			snprintf(err, errlen, "not an SMTP reply: \"%s\"", shown);
			return -1;
		}
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		    (line[2] - '0');
		if (r->code && code != r->code) {
			snprintf(err, errlen, "a reply with codes %d and %d",
			    r->code, code);
			return -1;
		}
		r->code = code;
		if (r->lines == 1)
			printable(r->first, sizeof(r->first), line, n);
		if (n >= 12 && strncasecmp(line + 4, "STARTTLS", 8) == 0 &&
		    (n == 12 || line[12] == ' '))
			r->starttls = true;
		at = (size_t)(nl - buf) + 1;
		if (n == 3 || line[3] == ' ')
			r->done = true;
	}
	*used = at;
	return r->done ? 1 : 0;
toolong:
	snprintf(err, errlen, "a reply line of over %d bytes", SMTP_LINE_MAX);
	return -1;
}

void
smtp_probe_clear(smtp_probe_t *p)
{
	if (p->chain)
		sk_X509_pop_free(p->chain, X509_free);
	p->chain = NULL;
}

/* ---- the client ---- */

struct run {
	SSL_CTX *ctx;
	const smtp_options_t *o;
	unsigned timeout;
	char helo[300];
};

static void
probe_close(smtp_probe_t *p)
{
	if (p->ssl) {
		SSL_free(p->ssl);
		p->ssl = NULL;
	}
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static void
probe_fail(smtp_probe_t *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->failed = p->step;
	p->step = SMTP_DONE;
	probe_close(p);
}

/* The step done, the next begun */
static void
probe_next(struct run *u, smtp_probe_t *p, smtp_step_t s, uint64_t now)
{
	p->ms[p->step] = (unsigned)(now - p->began);
	p->step = s;
	p->began = now;
	p->due = now + u->timeout;
	memset(&p->reply, 0, sizeof(p->reply));
}

static void
probe_say(smtp_probe_t *p, const char *cmd)
{
	p->out = cmd;
	p->nout = strlen(cmd);
}

static void
probe_start(struct run *u, smtp_probe_t *p, uint64_t now)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	p->fd = -1;
	p->step = SMTP_CONNECT;
	p->failed = SMTP_DONE;
	p->began = now;
	p->due = now + u->timeout;
	if (inet_pton(AF_INET, p->addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)p->port);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, p->addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)p->port);
		len = sizeof(*s6);
	} else {
		probe_fail(p, "'%s' is not an address", p->addr);
		return;
	}
	if ((p->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		probe_fail(p, "socket: %s", strerror(errno));
	else if (connect(p->fd, (struct sockaddr *)&ss, len) != 0 &&
	    errno != EINPROGRESS)
		probe_fail(p, "%s", strerror(errno));
}

/* Sends what is left of the command; false when it failed */
static bool
probe_send(smtp_probe_t *p)
{
	ssize_t w = send(p->fd, p->out, p->nout, MSG_NOSIGNAL);

	if (w < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (w <= 0) {
		probe_fail(p, "sending: %s", w < 0 ? strerror(errno) :
		    "nothing sent");
		return false;
	}
	p->out += w;
	p->nout -= (size_t)w;
	return true;
}

static void
tls_begin(struct run *u, smtp_probe_t *p, uint64_t now)
{
	probe_next(u, p, SMTP_TLS, now);
	if ((p->ssl = SSL_new(u->ctx)) == NULL ||
	    SSL_set_fd(p->ssl, p->fd) != 1) {
		probe_fail(p, "out of memory");
		return;
	}
	SSL_set_tlsext_host_name(p->ssl, p->host);
	SSL_set_connect_state(p->ssl);
}

/* One step of the handshake; done, it keeps what was agreed and says
 * QUIT without waiting for the answer */
static void
tls_step(struct run *u, smtp_probe_t *p, uint64_t now)
{
	STACK_OF(X509) *chain;
	unsigned long e;
	int rc;

	ERR_clear_error();
	if ((rc = SSL_connect(p->ssl)) != 1) {
		int why = SSL_get_error(p->ssl, rc);

		if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE)
			return;
		e = ERR_peek_last_error();
		/* the peer gone is said one way, however OpenSSL saw it */
		if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING ||
		    (e == 0 && (why == SSL_ERROR_SYSCALL ||
		    why == SSL_ERROR_ZERO_RETURN)))
			probe_fail(p, "the TLS handshake failed: the server "
			    "closed the connection");
		else
			probe_fail(p, "the TLS handshake failed: %s", e ?
			    ERR_reason_error_string(e) : "no reason given");
		return;
	}
	snprintf(p->tls_version, sizeof(p->tls_version), "%s",
	    SSL_get_version(p->ssl));
	snprintf(p->cipher, sizeof(p->cipher), "%s",
	    SSL_CIPHER_get_name(SSL_get_current_cipher(p->ssl)));
	if ((chain = SSL_get_peer_cert_chain(p->ssl)) != NULL &&
	    (p->chain = sk_X509_new_null()) != NULL)
		for (int i = 0; i < sk_X509_num(chain); i++) {
			X509 *c = sk_X509_value(chain, i);

			if (X509_up_ref(c) == 1 && !sk_X509_push(p->chain, c))
				X509_free(c);
		}
	probe_next(u, p, SMTP_DONE, now);
	SSL_write(p->ssl, "QUIT\r\n", 6);
	SSL_shutdown(p->ssl);
	probe_close(p);
}

/* A reply complete: what it means for the step */
static void
on_reply(struct run *u, smtp_probe_t *p, uint64_t now)
{
	const smtp_reply_t *r = &p->reply;

	switch (p->step) {
	case SMTP_BANNER:
		if (r->code != 220) {
			probe_fail(p, "greeted with %s", r->first);
			return;
		}
		snprintf(p->banner, sizeof(p->banner), "%s", r->first);
		probe_next(u, p, SMTP_EHLO, now);
		probe_say(p, u->helo);
		return;
	case SMTP_EHLO:
		if (r->code != 250) {
			probe_fail(p, "EHLO answered %s", r->first);
			return;
		}
		p->starttls = r->starttls;
		probe_next(u, p, SMTP_STARTTLS, now);
		if (!p->starttls) {
			send(p->fd, "QUIT\r\n", 6, MSG_NOSIGNAL);
			probe_fail(p, "no STARTTLS in the EHLO reply");
			return;
		}
		probe_say(p, "STARTTLS\r\n");
		return;
	case SMTP_STARTTLS:
		if (r->code != 220) {
			probe_fail(p, "STARTTLS answered %s", r->first);
			return;
		}
		if (p->nin > 0) {	/* RFC 3207 5: nothing may come between */
			probe_fail(p, "%zu bytes after the 220 to STARTTLS, "
			    "before TLS", p->nin);
			return;
		}
		tls_begin(u, p, now);
		if (p->ssl)
			tls_step(u, p, now);
		return;
	default:
		return;
	}
}

static void
on_readable(struct run *u, smtp_probe_t *p, uint64_t now)
{
	ssize_t n = recv(p->fd, p->in + p->nin, sizeof(p->in) - p->nin, 0);
	char err[200];
	size_t used;
	int rc;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		probe_fail(p, "%s", n < 0 ? strerror(errno) :
		    "the server closed the connection");
		return;
	}
	p->nin += (size_t)n;
	rc = smtp_reply_feed(&p->reply, p->in, p->nin, &used, err, sizeof(err));
	memmove(p->in, p->in + used, p->nin - used);
	p->nin -= used;
	if (rc < 0)
		probe_fail(p, "%s", err);
	else if (rc == 1 && p->nout == 0)
		on_reply(u, p, now);
	else if (rc == 1)
		probe_fail(p, "answered before the command was sent");
}

static void
on_event(struct run *u, smtp_probe_t *p, short revents, uint64_t now)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (p->step == SMTP_CONNECT) {
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
			soerr = errno;
		if (soerr)
			probe_fail(p, "%s", strerror(soerr));
		else
			probe_next(u, p, SMTP_BANNER, now);
		return;
	}
	if (p->step == SMTP_TLS) {
		tls_step(u, p, now);
		return;
	}
	if ((revents & POLLOUT) && p->nout > 0 && !probe_send(p))
		return;
	if (revents & (POLLIN | POLLHUP | POLLERR))
		on_readable(u, p, now);
}

static short
wanted(const smtp_probe_t *p)
{
	if (p->step == SMTP_CONNECT || p->nout > 0)
		return POLLOUT;
	if (p->step == SMTP_TLS)
		return SSL_want_write(p->ssl) ? POLLOUT : POLLIN;
	return POLLIN;
}

static SSL_CTX *
ctx_new(void)
{
	SSL_CTX *c = SSL_CTX_new(TLS_client_method());

	if (c == NULL)
		return NULL;
	/* every version and cipher a server may still offer, to say which
	 * it did; the chain is judged after, not in the handshake */
	SSL_CTX_set_min_proto_version(c, TLS1_VERSION);
	SSL_CTX_set_security_level(c, 0);
	SSL_CTX_set_cipher_list(c, "ALL:@SECLEVEL=0");
	SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
	return c;
}

int
smtp_probe_run(smtp_probe_t *const *v, size_t n, const smtp_options_t *o)
{
	struct run u = { .o = o, .timeout = o->timeout_ms ? o->timeout_ms :
	    10000 };
	size_t max = o->max_open ? o->max_open : 64, started = 0, nact = 0;
	size_t *act = calloc(max, sizeof(*act));
	struct pollfd *pf = calloc(max, sizeof(*pf));
	uint64_t end = o->deadline_ms ? util_now_ms() + o->deadline_ms : 0;

	if (act == NULL || pf == NULL || (u.ctx = ctx_new()) == NULL) {
		free(act);
		free(pf);
		return -1;
	}
	snprintf(u.helo, sizeof(u.helo), "EHLO %s\r\n", o->helo ? o->helo :
	    "authzone.invalid");
	while (started < n || nact > 0) {
		uint64_t now = util_now_ms(), first = UINT64_MAX;
		int wait;

		while (nact < max && started < n && (!end || now < end)) {
			probe_start(&u, v[started], now);
			if (v[started]->step != SMTP_DONE)
				act[nact++] = started;
			started++;
		}
		for (; end && now >= end && started < n; started++) {
			v[started]->fd = -1;
			v[started]->step = SMTP_CONNECT;
			probe_fail(v[started], "not tried: the run's deadline "
			    "passed");
		}
		for (size_t i = 0; i < nact; i++) {
			pf[i] = (struct pollfd){ v[act[i]]->fd, wanted(v[act[i]]),
			    0 };
			if (v[act[i]]->due < first)
				first = v[act[i]]->due;
		}
		if (end && end < first)
			first = end;
		wait = nact == 0 ? 0 : first <= now ? 0 :
		    (int)(first - now > 1000 ? 1000 : first - now);
		if (nact && poll(pf, nact, wait) < 0 && errno != EINTR)
			break;
		now = util_now_ms();
		for (size_t i = 0; i < nact; i++) {
			smtp_probe_t *p = v[act[i]];

			if (pf[i].revents)
				on_event(&u, p, pf[i].revents, now);
			if (p->step != SMTP_DONE && end && now >= end)
				probe_fail(p, "the run's deadline passed");
			else if (p->step != SMTP_DONE && now >= p->due)
				probe_fail(p, "no answer within %u ms",
				    u.timeout);
		}
		size_t k = 0;

		for (size_t i = 0; i < nact; i++)
			if (v[act[i]]->step != SMTP_DONE)
				act[k++] = act[i];
		nact = k;
	}
	SSL_CTX_free(u.ctx);
	free(act);
	free(pf);
	return 0;
}
