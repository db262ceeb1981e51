#include "cmd/batch.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/time.h"

#define MAX_PASSES	64

struct slot {
	void *state, *result;
	unsigned passes;
	uint64_t start;
	bool done;
	int status;
	char name[256];
	const char *why;	/* not a domain name */
};

/* worst first: DNS failure, findings, usage, clean */
static int
worse(int a, int b)
{
	static const int rank[] = { [EXIT_CLEAN] = 0, [EXIT_USAGE] = 1,
	    [EXIT_FINDINGS] = 2, [EXIT_DNS] = 3 };

	if (a < 0 || a > EXIT_DNS)
		return a;
	if (b < 0 || b > EXIT_DNS)
		return b;
	return rank[a] >= rank[b] ? a : b;
}

static void
progress(const cmd_batch_t *b, size_t done, size_t n, uint64_t t0, bool last)
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
	fprintf(stderr, "\r%s: %zu/%zu domains, %.0f/s\033[K", b->progress,
	    done, n, t > t0 ? done * 1000.0 / (double)(t - t0) : 0.0);
}

int
cmd_batch_run(const cmd_batch_t *b, dns_resolver_t *r, char *const *domains,
    size_t n, double *seconds)
{
	size_t w = b->window ? b->window : 1000, head = 0, next = 0;
	unsigned deadline = b->deadline_ms ? b->deadline_ms : 30000;
	struct slot *s = calloc(w, sizeof(*s));
	uint64_t t0 = util_now_ms();
	int status = EXIT_CLEAN;

	if (s == NULL)
		return EXIT_USAGE;
	dns_resolver_defer(r, true);
	while (head < n) {
		bool waiting = false;

		for (; next < n && next < head + w; next++) {
			struct slot *x = &s[next % w];

			memset(x, 0, sizeof(*x));
			x->start = util_now_ms();
			if (dns_name_normalize(domains[next], x->name,
			    sizeof(x->name)) != 0 || strchr(x->name, '.') == NULL) {
				x->why = "not a domain name";
				x->done = true;
			}
		}
		uint64_t first_due = UINT64_MAX;

		for (size_t i = head; i < next; i++) {
			struct slot *x = &s[i % w];
			unsigned long before = dns_resolver_misses(r);

			if (x->done)
				continue;
			x->result = b->run(b->arg, r, x->name, &x->state);
			x->passes++;
			if (dns_resolver_misses(r) == before ||
			    x->passes == MAX_PASSES ||
			    util_now_ms() - x->start >= deadline) {
				x->done = true;
				if (b->state_free)
					b->state_free(x->state);
				x->state = NULL;
			} else {
				b->discard(b->arg, x->result);
				x->result = NULL;
				waiting = true;
				if (x->start + deadline < first_due)
					first_due = x->start + deadline;
			}
		}
		for (; head < next && s[head % w].done; head++) {
			struct slot *x = &s[head % w];

			x->status = x->why ? b->fail(b->arg, domains[head],
			    x->why) : b->emit(b->arg, x->name, x->result);
			status = worse(status, x->status);
		}
		progress(b, head, n, t0, false);
		if (waiting) {
			/* no wait outlasts the deadline of a domain in it */
			uint64_t now = util_now_ms();

			dns_resolver_deadline_set(r, first_due > now ?
			    (unsigned)(first_due - now) : 1);
			dns_resolver_wait(r);
		}
	}
	progress(b, head, n, t0, true);
	dns_resolver_defer(r, false);
	free(s);
	*seconds = (double)(util_now_ms() - t0) / 1000;
	return status;
}

char **
cmd_batch_read(const cmd_opts_t *o, const char *path, size_t *n)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, **v = NULL;
	size_t cap = 0, vcap = 0;
	ssize_t len;

	*n = 0;
	if (fp == NULL) {
		cmd_error(o, "cannot read %s: %s", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		char *p = line + strspn(line, " \t");

		p[strcspn(p, " \t\r\n")] = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		if (*n == vcap) {
			char **nv;

			vcap = vcap ? vcap * 2 : 256;
			if ((nv = realloc(v, vcap * sizeof(*v))) == NULL) {
				cmd_error(o, "out of memory");
				exit(EXIT_USAGE);
			}
			v = nv;
		}
		if ((v[(*n)++] = strdup(p)) == NULL) {
			cmd_error(o, "out of memory");
			exit(EXIT_USAGE);
		}
	}
	if (ferror(fp)) {
		cmd_error(o, "cannot read %s: %s", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return v;
}

void
cmd_batch_free(char **domains, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(domains[i]);
	free(domains);
}
