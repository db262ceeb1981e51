/* Fuzz target: the files the cron jobs read back: a mail-audit baseline
 * (opened, each stored domain compared with a snapshot and with itself,
 * the dropped ones listed; and its lines compared with each other, as a
 * file edited to keep its hash would give them) and a dmarc-report state (loaded, a report
 * looked up, updated by an empty run, written again). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lint/audit_baseline.h"
#include "report/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
nothing(void *arg, const char *domain)
{
	(void)arg;
	(void)domain;
}

static void
baseline(const char *path)
{
	static const char *const names[] = { "example.com", "w.test",
	    "v.test", "a.wb.test" };
	audit_baseline_t *b;
	char err[4400];

	if (audit_baseline_open(path, false, 0, &b, err, sizeof(err)) !=
	    AUDIT_BASE_OK)
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		json_t *now = json_pack("{s:s, s:s, s:{}}", "domain", names[i],
		    "verdict", "pass", "areas"), *old = NULL;
		audit_changes_t ch = { 0 };

		if (audit_baseline_swap(b, names[i], now, &old, err,
		    sizeof(err)) == 0 && old) {
			audit_snapshot_diff(old, now, &ch);
			audit_snapshot_diff(now, old, &ch);
			audit_snapshot_diff(old, old, &ch);
		}
		audit_changes_clear(&ch);
		json_decref(old);
		json_decref(now);
	}
	audit_baseline_dropped(b, nothing, NULL);
	audit_baseline_free(b);
}

static void
state(const char *path)
{
	rep_state_t *s;
	rep_summary_t *run;
	rep_state_news_t *news = NULL;
	size_t n = 0;
	char err[4400];
	bool old;

	if (rep_state_load(path, &s, err, sizeof(err)) == REP_STATE_BAD)
		return;
	rep_state_counted(s, "google.com", "g1", 1793577600, &old);
	if ((run = rep_summary_new()) != NULL &&
	    rep_state_update(s, run, &news, &n) == 0)
		free(rep_state_text(s));
	rep_state_news_free(news, n);
	rep_summary_free(run);
	rep_state_free(s);
}

/* The lines as snapshots, each compared with the next and with itself:
 * the diff of a file whose hash was made to match */
static void
snapshots(const uint8_t *data, size_t size)
{
	json_t *prev = NULL;
	size_t at = 0;

	while (at < size) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
		json_t *j = json_loadb((const char *)data + at, len, 0, NULL);
		audit_changes_t ch = { 0 };

		if (j) {
			audit_snapshot_diff(j, j, &ch);
			if (prev) {
				audit_snapshot_diff(prev, j, &ch);
				audit_snapshot_diff(j, prev, &ch);
			}
			audit_changes_clear(&ch);
			json_decref(prev);
			prev = j;
		}
		at += len + 1;
	}
	json_decref(prev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("state", 0);

	snapshots(data, size);
	if (fd < 0)
		return 0;
	if (size == 0 || write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		baseline(path);
		state(path);
	}
	close(fd);
	return 0;
}
