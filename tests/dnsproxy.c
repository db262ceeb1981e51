/*
 * dnsproxy: a UDP DNS forwarder for tests and benchmarks.  It relays
 * queries to an upstream server on loopback and can delay each answer,
 * drop queries (a server that never answers) or answer SERVFAIL for names
 * under given suffixes.
 *
 *   dnsproxy -l PORT -u PORT [-d MS] [-x SUFFIX]... [-s SUFFIX]...
 *
 * It prints "ready" on stdout once it listens, and runs until killed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SUFFIX	16
#define MAX_PENDING	4096

struct pending {
	struct sockaddr_in client;
	uint16_t client_id, up_id;
	uint64_t due;		/* when the answer goes out; 0: waiting */
	uint64_t born;		/* unanswered upstream after 10 s: dropped */
	int empty_drop;		/* -t: drop the answer if it has no records */
	uint8_t buf[4096];
	size_t len;
	int used;
};

static struct pending pend[MAX_PENDING];

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* the question name in dotted lowercase; -1 if malformed */
static int
qname(const uint8_t *m, size_t len, char *out, size_t outlen)
{
	size_t i = 12, o = 0;

	while (i < len && m[i]) {
		size_t l = m[i++];

		if (l > 63 || i + l > len || o + l + 2 > outlen)
			return -1;
		for (size_t j = 0; j < l; j++)
			out[o++] = (char)tolower(m[i + j]);
		out[o++] = '.';
		i += l;
	}
	if (i >= len)
		return -1;
	out[o ? o - 1 : 0] = '\0';
	return (int)(i + 1 + 4);	/* end of the question */
}

static int
under(const char *name, char **suf, int n)
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

int
main(int argc, char **argv)
{
	char *drop[MAX_SUFFIX], *fail[MAX_SUFFIX], *quiet[256];
	int ndrop = 0, nfail = 0, nquiet = 0, c, lport = 0, uport = 0, delay = 0;
	int lfd, ufd;
	struct sockaddr_in sin = { .sin_family = AF_INET }, up;
	uint16_t next_id = 1;

	while ((c = getopt(argc, argv, "l:u:d:x:s:t:")) != -1) {
		switch (c) {
		case 'l': lport = atoi(optarg); break;
		case 'u': uport = atoi(optarg); break;
		case 'd': delay = atoi(optarg); break;
		case 'x': if (ndrop < MAX_SUFFIX) drop[ndrop++] = optarg; break;
		case 's': if (nfail < MAX_SUFFIX) fail[nfail++] = optarg; break;
		case 't': if (nquiet < 256) quiet[nquiet++] = optarg; break;
		default:
			fprintf(stderr, "usage: dnsproxy -l PORT -u PORT [-d MS] "
			    "[-x SUFFIX]... [-s SUFFIX]...\n");
			return 2;
		}
	}
	if (lport <= 0 || uport <= 0) {
		fprintf(stderr, "dnsproxy: -l and -u are required\n");
		return 2;
	}
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	up = sin;
	sin.sin_port = htons((uint16_t)lport);
	up.sin_port = htons((uint16_t)uport);
	lfd = socket(AF_INET, SOCK_DGRAM, 0);
	ufd = socket(AF_INET, SOCK_DGRAM, 0);
	if (lfd < 0 || ufd < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    connect(ufd, (struct sockaddr *)&up, sizeof(up)) != 0) {
		fprintf(stderr, "dnsproxy: cannot listen on %d: %s\n", lport,
		    strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd pfd[2] = { { lfd, POLLIN, 0 }, { ufd, POLLIN, 0 } };
		uint64_t now = now_ms(), wake = now + 1000;
		uint8_t m[4096];
		char name[512];
		ssize_t n;

		for (int i = 0; i < MAX_PENDING; i++)
			if (pend[i].used && pend[i].due && pend[i].due < wake)
				wake = pend[i].due;
		poll(pfd, 2, wake > now ? (int)(wake - now) : 0);
		now = now_ms();
		if (pfd[0].revents & POLLIN) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);

			n = recvfrom(lfd, m, sizeof(m), 0,
			    (struct sockaddr *)&from, &fl);
			if (n >= 12 && qname(m, (size_t)n, name,
			    sizeof(name)) > 0 && !under(name, drop, ndrop)) {
				int slot = -1;

				for (int i = 0; i < MAX_PENDING; i++)
					if (!pend[i].used) {
						slot = i;
						break;
					}
				if (slot >= 0) {
					struct pending *p = &pend[slot];

					p->used = 1;
					p->client = from;
					p->client_id = (uint16_t)(m[0] << 8 | m[1]);
					p->due = 0;
					p->born = now;
					p->empty_drop = 0;
					for (int q = 0; q < nquiet; q++)
						if (strcasecmp(name, quiet[q]) == 0)
							p->empty_drop = 1;
					if (under(name, fail, nfail)) {
						/* SERVFAIL: question kept, no data */
						int qend = qname(m, (size_t)n, name,
						    sizeof(name));
						memcpy(p->buf, m, (size_t)qend);
						p->buf[2] = (uint8_t)(0x80 |
						    (m[2] & 0x01));
						p->buf[3] = 0x82;
						memset(p->buf + 6, 0, 6);
						p->len = (size_t)qend;
						p->due = now + (uint64_t)delay;
					} else {
						p->up_id = next_id++;
						m[0] = (uint8_t)(p->up_id >> 8);
						m[1] = (uint8_t)p->up_id;
						send(ufd, m, (size_t)n, 0);
					}
				}
			}
		}
		if (pfd[1].revents & POLLIN) {
			n = recv(ufd, m, sizeof(m), 0);
			for (int i = 0; n >= 12 && i < MAX_PENDING; i++) {
				struct pending *p = &pend[i];

				if (!p->used || p->due ||
				    p->up_id != (uint16_t)(m[0] << 8 | m[1]))
					continue;
				if (p->empty_drop && (m[6] | m[7]) == 0) {
					p->used = 0;	/* silence: a timeout */
					break;
				}
				memcpy(p->buf, m, (size_t)n);
				p->buf[0] = (uint8_t)(p->client_id >> 8);
				p->buf[1] = (uint8_t)p->client_id;
				p->len = (size_t)n;
				p->due = now + (uint64_t)delay;
				break;
			}
		}
		for (int i = 0; i < MAX_PENDING; i++) {
			struct pending *p = &pend[i];

			if (p->used && !p->due && now - p->born > 10000)
				p->used = 0;
			if (!p->used || !p->due || p->due > now)
				continue;
			if (p->len)
				sendto(lfd, p->buf, p->len, 0,
				    (struct sockaddr *)&p->client,
				    sizeof(p->client));
			p->used = 0;
			p->len = 0;
		}
	}
}
