#include "cli/batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/time.h"

#define MAX_PASSES	256	/* steps of one domain; its deadline first */
#define MAX_LINE	1024	/* bytes of an input line */

struct slot {
	void *state, *result;
	unsigned passes;
	unsigned long epoch;	/* the resolver's round it started in */
	bool done;
	int status;
	char name[256];
	char raw[300];		/* the line as given, for a bad one */
	char why[120];		/* why it is not checked, or "" */
};

static void
progress(const cmd_batch_t *b, size_t done, uint64_t t0, bool last)
{
	static uint64_t shown;
	uint64_t t = util_now_ms();

	if (b->progress == NULL || (!last && t - shown < 200))
		return;
	shown = t;
	if (last) {
		fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "\r%s: %zu domains, %.0f/s\033[K", b->progress,
	    done, t > t0 ? done * 1000.0 / (double)(t - t0) : 0.0);
}

/* The next line into slot x: false at the end of the input */
static bool
slot_fill(const cmd_opts_t *o, struct slot *x, cmd_batch_input_t *in,
    int *status)
{
	const char *text;
	int rc;

	memset(x, 0, sizeof(*x));
	if ((rc = cmd_batch_next(in, &text, x->why, sizeof(x->why))) == 0)
		return false;
	if (rc < 0) {
		cmd_error(o, "%s", x->why);
		*status = EXIT_USAGE;
		return false;
	}
	snprintf(x->raw, sizeof(x->raw), "%s", text);
	if (x->why[0] == '\0' && (util_name_normalize(text, x->name,
	    sizeof(x->name)) != 0 || strchr(x->name, '.') == NULL))
		snprintf(x->why, sizeof(x->why), "line %lu: not a domain name",
		    in->line);
	x->done = x->why[0] != '\0';
	return true;
}

int
cmd_batch_run(const cmd_batch_t *b, dns_resolver_t *r, cmd_batch_input_t *in,
    size_t *n, double *seconds)
{
	/* w domains in flight; behind the oldest not printed yet (one a
	 * resolver keeps failing, held for seconds), up to cap started in
	 * all, so that the rest go on meanwhile (a window of the domains
	 * between the two held a batch through Unbound 3.5 s still) */
	size_t w = b->window ? b->window : 1000, cap = w + b->ahead;
	size_t head = 0, next = 0, open = 0;
	struct slot *s = calloc(cap, sizeof(*s));
	uint64_t t0 = util_now_ms();
	/* a batch's time grows with its input: only a --deadline given
	 * ends it, never a default (each query keeps its own budget) */
	uint64_t end = b->deadline_ms ? t0 + b->deadline_ms : UINT64_MAX;
	int status = EXIT_CLEAN;
	bool more = true;
	unsigned long epoch = dns_resolver_epoch(r);

	*n = 0;
	if (s == NULL)
		return EXIT_USAGE;
	dns_resolver_defer(r, true);
	while (more || head < next) {
		bool waiting = false;

		for (; more && next < head + cap && open < w; next++) {
			if (!(more = slot_fill(b->o, &s[next % cap], in,
			    &status)))
				break;
			s[next % cap].epoch = epoch;
			open += !s[next % cap].done;
		}
		unsigned long oldest = epoch;

		for (size_t i = head; i < next; i++) {
			struct slot *x = &s[i % cap];
			int rc;

			if (x->done)
				continue;
			rc = b->step(b->arg, r, x->name, &x->state);
			x->passes++;
			if (rc != 0 || x->passes == MAX_PASSES ||
			    util_now_ms() >= end) {
				x->done = true;
				open--;
				x->result = b->finish(b->arg, x->state);
				x->state = NULL;
			} else {
				waiting = true;
				if (x->epoch < oldest)
					oldest = x->epoch;
			}
		}
		for (; head < next && s[head % cap].done; head++) {
			struct slot *x = &s[head % cap];

			x->status = x->why[0] ? b->fail(b->arg, x->raw, x->why) :
			    b->emit(b->arg, x->name, x->result);
			status = cmd_status_worse(status, x->status);
			(*n)++;
		}
		progress(b, head, t0, false);
		if (b->round && waiting)
			b->round(b->arg);
		/* every round, waited for or answered from zone files alone:
		 * what no domain still open may have asked for goes */
		dns_resolver_trim(r, oldest);
		if (waiting) {
			/* no wait outlasts the run's --deadline */
			uint64_t now = util_now_ms();

			dns_resolver_deadline_set(r, end == UINT64_MAX ? 0 :
			    end > now ? (unsigned)(end - now) : 1);
			dns_resolver_wait_some(r);
		}
		epoch = dns_resolver_epoch(r);
	}
	progress(b, head, t0, true);
	dns_resolver_defer(r, false);
	free(s);
	*seconds = (double)(util_now_ms() - t0) / 1000;
	return status;
}

void
cmd_batch_open(const cmd_opts_t *o, const char *path, cmd_batch_input_t *in)
{
	struct stat st;
	int fd;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);
	else	/* no wait in open() for a FIFO without a writer */
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		cmd_error(o, "cannot read %s: %s", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
	    !S_ISSOCK(st.st_mode)) {
		cmd_error(o, "cannot read %s: %s", path, S_ISDIR(st.st_mode) ?
		    "it is a directory" : "not a file or a pipe");
		exit(EXIT_USAGE);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if ((in->fp = fdopen(fd, "r")) == NULL) {
		cmd_error(o, "cannot read %s: %s", path, strerror(errno));
		exit(EXIT_USAGE);
	}
}

void
cmd_batch_array(char *const *v, size_t n, cmd_batch_input_t *in)
{
	memset(in, 0, sizeof(*in));
	in->v = v;
	in->n = n;
}

void
cmd_batch_close(cmd_batch_input_t *in)
{
	if (in->fp)
		fclose(in->fp);
	free(in->buf);
	memset(in, 0, sizeof(*in));
}

int
cmd_batch_next(cmd_batch_input_t *in, const char **text, char *why,
    size_t whylen)
{
	ssize_t len;

	why[0] = '\0';
	if (in->fp == NULL) {
		if (in->next == in->n)
			return 0;
		in->line = ++in->next;
		*text = in->v[in->next - 1];
		return 1;
	}
	while ((len = getline(&in->buf, &in->cap, in->fp)) != -1) {
		char *p = in->buf;

		in->line++;
		if (memchr(p, '\0', (size_t)len) != NULL) {
			for (ssize_t i = 0; i < len; i++)	/* shown as "?" */
				if (p[i] == '\0')
					p[i] = '?';
			p[strcspn(p, "\r\n")] = '\0';
			*text = p;
			snprintf(why, whylen, "line %lu: a NUL byte", in->line);
			return 1;
		}
		if (len > MAX_LINE) {
			p[64] = '\0';
			*text = p;
			snprintf(why, whylen, "line %lu: over %d bytes", in->line,
			    MAX_LINE);
			return 1;
		}
		p += strspn(p, " \t");
		p[strcspn(p, " \t\r\n")] = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		*text = p;
		return 1;
	}
	if (ferror(in->fp)) {
		snprintf(why, whylen, "cannot read line %lu: %s", in->line + 1,
		    strerror(errno));
		return -1;
	}
	return 0;
}
