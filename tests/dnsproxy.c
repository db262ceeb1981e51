/*
 * dnsproxy: a DNS forwarder for tests and benchmarks, over UDP and TCP.
 * It relays queries to an upstream server on loopback and can delay each
 * answer (an added round-trip time), drop queries (a server that never
 * answers) or answer SERVFAIL for names under given suffixes, drop the
 * empty answers of given names, and drop a share of all UDP answers at
 * random (-p PERCENT; a lossy path, the same with -S SEED).  With -n COUNT
 * the SERVFAIL is only for the first COUNT queries of each question (name
 * and type: a resolver failing it for a while), then it is relayed.  With
 * -j PERCENT:MS the UDP answers of PERCENT % of the names (by a hash of
 * the name) wait MS more: a resolver's cache misses behind a slow
 * upstream, answered late but answered.  With -F MS a SERVFAIL waits MS
 * more: a resolver that worked for it, not one answering from its cache
 * of failures.
 *
 *   dnsproxy -l PORT -u PORT [-a ADDR] [-L ADDR] [-d MS] [-x SUFFIX]...
 *            [-s SUFFIX]... [-n COUNT] [-t NAME]... [-p PERCENT] [-S SEED]
 *            [-j PERCENT:MS] [-F MS]
 *
 * It listens on 127.0.0.1 (-L: another address), on -l PORT or, with -l 0,
 * a port it picks, and relays to 127.0.0.1 (-a: another IPv4 address).
 *
 * A UDP query goes upstream over UDP, a TCP query over its own TCP
 * connection; both answers wait out the delay in one queue, in the
 * order they are due.  It prints "ready PORT"
 * on stdout once it listens, and runs until killed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SUFFIX	16
#define MAX_QUIET	256
#define MAX_TCP		256
#define MAX_MSG		65535

struct rules {
	char *drop[MAX_SUFFIX], *fail[MAX_SUFFIX], *quiet[MAX_QUIET];
	int ndrop, nfail, nquiet;
	unsigned fail_count;	/* -n: SERVFAILs a name gets; 0: all */
	int fail_delay;		/* -F: what a SERVFAIL waits more (ms) */
};

/* a UDP query on its way upstream, by the ID it was sent with */
struct upstream {
	struct sockaddr_in client;
	uint16_t client_id;
	uint64_t born;
	char used, empty_drop, slow;
};

/* an answer waiting out the delay */
struct answer {
	struct answer *next;
	uint64_t due;
	int tcp_fd;		/* -1: UDP to client */
	struct sockaddr_in client;
	size_t len;
	uint8_t buf[];
};

static struct upstream up_tab[65536];
static volatile sig_atomic_t stop;
static struct answer *queue, **queue_tail = &queue, *queue_last;
static int tcp_fds[MAX_TCP];
static int ntcp;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* the question name in dotted lowercase; the end of the question, or -1 */
static int
qname(const uint8_t *m, size_t len, char *out, size_t outlen)
{
	size_t i = 12, o = 0;

	if (len < 12)
		return -1;
	while (i < len && m[i]) {
		size_t l = m[i++];

		if (l > 63 || i + l > len || o + l + 2 > outlen)
			return -1;
		for (size_t j = 0; j < l; j++)
			out[o++] = (char)tolower(m[i + j]);
		out[o++] = '.';
		i += l;
	}
	if (i + 5 > len)
		return -1;
	out[o ? o - 1 : 0] = '\0';
	return (int)(i + 1 + 4);
}

static int
under(const char *name, char *const *suf, int n)
{
	size_t nl = strlen(name);

	for (int i = 0; i < n; i++) {
		size_t sl = strlen(suf[i]);

		if (nl >= sl && strcasecmp(name + nl - sl, suf[i]) == 0 &&
		    (nl == sl || name[nl - sl - 1] == '.'))
			return 1;
	}
	return 0;
}

/* Whether the question (name, of the type before qend in m) is answered
 * SERVFAIL this time (-s, -n) */
static int
failing(const struct rules *r, const char *name, const uint8_t *m, int qend)
{
	static struct { char name[256]; unsigned type, n; } seen[MAX_QUIET];
	static int nseen;
	unsigned type = (unsigned)(m[qend - 4] << 8 | m[qend - 3]);
	int i;

	if (!under(name, r->fail, r->nfail))
		return 0;
	if (r->fail_count == 0)
		return 1;
	for (i = 0; i < nseen && (seen[i].type != type ||
	    strcasecmp(seen[i].name, name) != 0); i++)
		;
	if (i == nseen) {
		if (nseen == MAX_QUIET)
			return 1;
		seen[nseen].type = type;
		snprintf(seen[nseen++].name, sizeof(seen[0].name), "%s", name);
	}
	return seen[i].n++ < r->fail_count;
}

static int
quiet(const struct rules *r, const char *name)
{
	for (int q = 0; q < r->nquiet; q++)
		if (strcasecmp(name, r->quiet[q]) == 0)
			return 1;
	return 0;
}

static void
enqueue(const uint8_t *m, size_t len, int tcp_fd,
    const struct sockaddr_in *client, uint64_t due)
{
	struct answer *a = malloc(sizeof(*a) + len);

	if (a == NULL)
		return;
	a->next = NULL;
	a->due = due;
	a->tcp_fd = tcp_fd;
	if (client)
		a->client = *client;
	a->len = len;
	memcpy(a->buf, m, len);
	if (queue_last == NULL || queue_last->due <= due) {
		*queue_tail = a;	/* the usual case: due last */
		queue_tail = &a->next;
		queue_last = a;
		return;
	}
	struct answer **p = &queue;

	while ((*p)->due <= due)
		p = &(*p)->next;
	a->next = *p;
	*p = a;
}

/* Whether name is one of the slow share (-j): by its FNV-1a hash */
static int
slow(const char *name, int percent)
{
	uint32_t h = 2166136261u;

	for (const char *c = name; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	return percent > 0 && (int)(h % 100) < percent;
}

/* SERVFAIL for the query m: its header and question, no records */
static size_t
servfail(uint8_t *m, int qend)
{
	m[2] = (uint8_t)(0x80 | (m[2] & 0x01));
	m[3] = 0x82;
	memset(m + 6, 0, 6);
	return (size_t)qend;
}

static int
read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/* One query over TCP to the upstream server; the answer's length or -1 */
static ssize_t
tcp_relay(const struct sockaddr_in *up, const uint8_t *q, size_t qlen,
    uint8_t *ans)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint8_t hdr[2] = { (uint8_t)(qlen >> 8), (uint8_t)qlen };
	ssize_t len = -1;

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)up, sizeof(*up)) == 0 &&
	    write(fd, hdr, 2) == 2 && write(fd, q, qlen) == (ssize_t)qlen &&
	    read_full(fd, hdr, 2) == 0) {
		len = hdr[0] << 8 | hdr[1];
		if (read_full(fd, ans, (size_t)len) != 0)
			len = -1;
	}
	close(fd);
	return len;
}

/* A query from a TCP client: relayed, failed or dropped */
static int
tcp_query(int fd, const struct rules *r, const struct sockaddr_in *up,
    int delay)
{
	static uint8_t m[MAX_MSG], ans[MAX_MSG + 2];
	uint8_t hdr[2];
	char name[512];
	size_t len;
	ssize_t alen;
	int qend;

	if (read_full(fd, hdr, 2) != 0)
		return -1;
	len = (size_t)(hdr[0] << 8 | hdr[1]);
	if (read_full(fd, m, len) != 0)
		return -1;
	if ((qend = qname(m, len, name, sizeof(name))) < 0 ||
	    under(name, r->drop, r->ndrop))
		return 0;	/* never answered */
	if (failing(r, name, m, qend)) {
		alen = (ssize_t)servfail(m, qend);
		memcpy(ans + 2, m, (size_t)alen);
		delay += r->fail_delay;
	} else if ((alen = tcp_relay(up, m, len, ans + 2)) < 12)
		return 0;
	if (quiet(r, name) && (ans[2 + 6] | ans[2 + 7]) == 0)
		return 0;
	ans[0] = (uint8_t)(alen >> 8);
	ans[1] = (uint8_t)alen;
	enqueue(ans, (size_t)alen + 2, fd, NULL, now_ms() + (uint64_t)delay);
	return 0;
}

static void
tcp_close(int i)
{
	/* answers still queued for it are dropped when sent */
	for (struct answer *a = queue; a; a = a->next)
		if (a->tcp_fd == tcp_fds[i])
			a->tcp_fd = -2;
	close(tcp_fds[i]);
	tcp_fds[i] = tcp_fds[--ntcp];
}

int
main(int argc, char **argv)
{
	struct rules r = { .ndrop = 0 };
	int c, lport = 0, uport = 0, delay = 0, one = 1, loss = 0;
	int slow_pct = 0, slow_ms = 0;
	unsigned seed = 1;
	unsigned long answers = 0, dropped = 0;
	const char *uaddr = "127.0.0.1", *laddr = "127.0.0.1";
	int lfd, ufd, tfd;
	struct sockaddr_in sin = { .sin_family = AF_INET }, up;
	uint16_t next_id = 1;

	while ((c = getopt(argc, argv, "l:u:a:L:d:x:s:n:t:p:S:j:F:")) != -1) {
		switch (c) {
		case 'a': uaddr = optarg; break;
		case 'L': laddr = optarg; break;
		case 'l': lport = atoi(optarg); break;
		case 'u': uport = atoi(optarg); break;
		case 'd': delay = atoi(optarg); break;
		case 'x': if (r.ndrop < MAX_SUFFIX) r.drop[r.ndrop++] = optarg; break;
		case 's': if (r.nfail < MAX_SUFFIX) r.fail[r.nfail++] = optarg; break;
		case 'n': r.fail_count = (unsigned)atoi(optarg); break;
		case 'F': r.fail_delay = atoi(optarg); break;
		case 't': if (r.nquiet < MAX_QUIET) r.quiet[r.nquiet++] = optarg; break;
		case 'p': loss = atoi(optarg); break;
		case 'S': seed = (unsigned)atoi(optarg); break;
		case 'j':
			if (sscanf(optarg, "%d:%d", &slow_pct, &slow_ms) != 2) {
				fprintf(stderr, "dnsproxy: -j PERCENT:MS\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: dnsproxy -l PORT -u PORT [-a ADDR] "
			    "[-L ADDR] [-d MS] [-x SUFFIX]...\n"
			    "                [-s SUFFIX]... [-n COUNT] [-t NAME]... "
			    "[-p PERCENT] [-S SEED]\n"
			    "                [-j PERCENT:MS] [-F MS]\n");
			return 2;
		}
	}
	if (lport < 0 || uport <= 0) {
		fprintf(stderr, "dnsproxy: -l and -u are required\n");
		return 2;
	}
	up = sin;
	if (inet_pton(AF_INET, laddr, &sin.sin_addr) != 1 ||
	    inet_pton(AF_INET, uaddr, &up.sin_addr) != 1) {
		fprintf(stderr, "dnsproxy: bad address\n");
		return 2;
	}
	up.sin_port = htons((uint16_t)uport);
	ufd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	/* -l 0: a port of the kernel's choosing, free for UDP and TCP alike
	 * (a port picked beforehand may be taken before it is bound) */
	for (int try = 0; try < 100; try++) {
		socklen_t sl = sizeof(sin);

		sin.sin_port = htons((uint16_t)lport);
		lfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		tfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (lfd < 0 || tfd < 0)
			break;
		setsockopt(tfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
		    getsockname(lfd, (struct sockaddr *)&sin, &sl) == 0 &&
		    bind(tfd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			break;
		close(lfd);
		close(tfd);
		lfd = tfd = -1;
		if (lport != 0)
			break;
	}
	if (lfd >= 0 && ufd >= 0) {
		int big = 4 << 20;

		setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		setsockopt(ufd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	}
	if (lfd < 0 || ufd < 0 || tfd < 0 || listen(tfd, 64) != 0 ||
	    connect(ufd, (struct sockaddr *)&up, sizeof(up)) != 0) {
		fprintf(stderr, "dnsproxy: cannot listen on %d: %s\n", lport,
		    strerror(errno));
		return 1;
	}
	srand(seed);
	printf("ready %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	signal(SIGTERM, on_term);
	while (!stop) {
		struct pollfd pfd[3 + MAX_TCP];
		uint64_t now = now_ms(), wake = now + 1000;
		static uint8_t m[MAX_MSG];
		char name[512];
		ssize_t n;
		int np = 3;

		pfd[0] = (struct pollfd){ lfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ ufd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ tfd, POLLIN, 0 };
		for (int i = 0; i < ntcp; i++)
			pfd[np++] = (struct pollfd){ tcp_fds[i], POLLIN, 0 };
		if (queue && queue->due < wake)
			wake = queue->due;
		poll(pfd, (nfds_t)np, wake > now ? (int)(wake - now) : 0);
		now = now_ms();
		/* queries from clients, as many as are there */
		while ((pfd[0].revents & POLLIN)) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			int qend;

			n = recvfrom(lfd, m, sizeof(m), 0,
			    (struct sockaddr *)&from, &fl);
			if (n < 0)
				break;
			if ((qend = qname(m, (size_t)n, name, sizeof(name))) < 0 ||
			    under(name, r.drop, r.ndrop))
				continue;
			if (failing(&r, name, m, qend)) {
				enqueue(m, servfail(m, qend), -1, &from,
				    now + (uint64_t)(delay + r.fail_delay));
				continue;
			}
			while (up_tab[next_id].used &&
			    now - up_tab[next_id].born < 10000)
				next_id++;
			struct upstream *u = &up_tab[next_id];

			u->used = 1;
			u->client = from;
			u->client_id = (uint16_t)(m[0] << 8 | m[1]);
			u->born = now;
			u->empty_drop = (char)quiet(&r, name);
			u->slow = (char)slow(name, slow_pct);
			m[0] = (uint8_t)(next_id >> 8);
			m[1] = (uint8_t)next_id;
			next_id++;
			send(ufd, m, (size_t)n, 0);
		}
		/* answers from upstream */
		while ((pfd[1].revents & POLLIN) &&
		    (n = recv(ufd, m, sizeof(m), 0)) >= 0) {
			struct upstream *u;

			if (n < 12)
				continue;
			u = &up_tab[m[0] << 8 | m[1]];
			if (!u->used)
				continue;
			u->used = 0;
			if (u->empty_drop && (m[6] | m[7]) == 0)
				continue;	/* silence: a timeout */
			answers++;
			if (loss > 0 && rand() % 100 < loss) {
				dropped++;	/* lost on the way */
				continue;
			}
			m[0] = (uint8_t)(u->client_id >> 8);
			m[1] = (uint8_t)u->client_id;
			enqueue(m, (size_t)n, -1, &u->client,
			    now + (uint64_t)delay + (u->slow ? (uint64_t)slow_ms :
			    0));
		}
		if ((pfd[2].revents & POLLIN)) {
			int fd = accept(tfd, NULL, NULL);

			if (fd >= 0 && ntcp < MAX_TCP)
				tcp_fds[ntcp++] = fd;
			else if (fd >= 0)
				close(fd);
		}
		for (int i = 3; i < np; i++) {
			int k;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			for (k = 0; k < ntcp && tcp_fds[k] != pfd[i].fd; k++)
				;
			if (k < ntcp && tcp_query(pfd[i].fd, &r, &up, delay) != 0)
				tcp_close(k);
		}
		/* answers whose time has come */
		now = now_ms();
		while (queue && queue->due <= now) {
			struct answer *a = queue;

			if ((queue = a->next) == NULL) {
				queue_tail = &queue;
				queue_last = NULL;
			}
			if (a->tcp_fd == -1)
				sendto(lfd, a->buf, a->len, 0,
				    (struct sockaddr *)&a->client,
				    sizeof(a->client));
			else if (a->tcp_fd >= 0 &&
			    write(a->tcp_fd, a->buf, a->len) != (ssize_t)a->len)
				shutdown(a->tcp_fd, SHUT_RDWR);	/* gone */
			free(a);
		}
	}
	if (loss > 0)	/* what a test of a lossy path checks */
		fprintf(stderr, "dnsproxy: %lu of %lu UDP answers dropped\n",
		    dropped, answers);
	return 0;
}
