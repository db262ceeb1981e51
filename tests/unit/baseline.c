/* mail-audit's baseline: the class of each change, one row a change kind
 * and direction (old area, new area -> the changes as "class kind"), and
 * the file written as it goes (util_file_out) read back whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint/audit_baseline.h"
#include "tests/unit/tap.h"
#include "util/file.h"

static const struct row {
	const char *area, *old, *now, *want;
} rows[] = {
	{ "spf", "{\"lookups\":8}", "{\"lookups\":9}", "worse lookups" },
	{ "spf", "{\"lookups\":9}", "{\"lookups\":8}", "better lookups" },
	{ "spf", "{\"lookups\":10}", "{\"lookups\":11}", "worse lookups" },
	{ "spf", "{\"lookups\":3}", "{\"lookups\":4}", "neutral lookups" },
	{ "spf", "{\"lookups\":9}", "{\"lookups\":10}", "neutral lookups" },
	{ "spf", "{\"void_lookups\":2}", "{\"void_lookups\":3}",
	    "worse void-lookups" },
	{ "spf", "{\"void_lookups\":3}", "{\"void_lookups\":1}",
	    "better void-lookups" },
	{ "dmarc", "{\"policy\":\"reject\"}", "{\"policy\":\"none\"}",
	    "worse policy" },
	{ "dmarc", "{\"policy\":\"none\"}", "{\"policy\":\"quarantine\"}",
	    "better policy" },
	{ "dmarc", "{\"policy\":\"quarantine\"}", "{\"policy\":\"\"}",
	    "worse policy" },
	{ "mta-sts", "{\"mode\":\"enforce\"}", "{\"mode\":\"testing\"}",
	    "worse mode" },
	{ "mta-sts", "{\"mode\":\"none\"}", "{\"mode\":\"enforce\"}",
	    "better mode" },
	{ "mta-sts", "{\"record\":\"v=STSv1; id=1\",\"policy\":\"a\"}",
	    "{\"record\":\"v=STSv1; id=1\",\"policy\":\"b\"}",
	    "worse sts-policy" },
	{ "mta-sts", "{\"record\":\"v=STSv1; id=1\",\"policy\":\"a\"}",
	    "{\"record\":\"v=STSv1; id=2\",\"policy\":\"b\"}",
	    "neutral record, neutral sts-policy" },
	{ "tls-rpt", "{\"record\":\"v=TLSRPTv1\"}", "{\"record\":null}",
	    "worse record" },
	{ "tls-rpt", "{\"record\":null}", "{\"record\":\"v=TLSRPTv1\"}",
	    "better record" },
	{ "spf", "{\"record\":\"v=spf1 -all\"}", "{\"record\":\"v=spf1 ~all\"}",
	    "neutral record" },
	{ "spf", "{\"verdict\":\"pass\"}", "{\"verdict\":\"fail\"}",
	    "worse verdict" },
	{ "spf", "{\"verdict\":\"warn\"}", "{\"verdict\":\"pass\"}",
	    "better verdict" },
	{ "bimi", "{\"verdict\":\"pass\"}", "{\"verdict\":\"absent\"}",
	    "worse verdict" },
	{ "spf", "{\"verdict\":\"pass\"}", "{\"verdict\":\"skipped\"}",
	    "neutral verdict" },
	{ "spf", "{\"verdict\":\"pass\"}", "{\"verdict\":\"dns-error\"}", "" },
	{ "spf", "{\"findings\":[]}",
	    "{\"findings\":[[\"spf-x\",\"error\",\"m\"],[\"spf-x\",\"error\",\"n\"]]}",
	    "worse finding" },
	{ "spf", "{\"findings\":[[\"spf-x\",\"warning\",\"m\"]]}",
	    "{\"findings\":[]}", "better finding" },
	{ "spf", "{\"findings\":[]}", "{\"findings\":[[\"spf-i\",\"info\",\"m\"]]}",
	    "neutral finding" },
	{ "tls-rpt", "{\"record\":\"v=TLSRPTv1\",\"findings\":[]}",
	    "{\"record\":null,\"findings\":[[\"tlsrpt-no-record\",\"error\",\"m\"]]}",
	    "worse record" },
	{ "dkim", "{\"selectors\":{\"s._domainkey.x\":{\"record\":\"k1\"}}}",
	    "{\"selectors\":{\"s._domainkey.x\":{\"record\":\"k2\"}}}",
	    "neutral key" },
	{ "dkim", "{\"selectors\":{\"s._domainkey.x\":{\"record\":\"k1\"}}}",
	    "{\"selectors\":{\"s._domainkey.x\":{\"record\":null}}}",
	    "worse key" },
	{ "dkim", "{\"selectors\":{\"a._domainkey.x\":{\"record\":\"k1\"}}}",
	    "{\"selectors\":{\"b._domainkey.x\":{\"record\":null}}}", "" },
	{ "bimi", "{\"owner\":\"a._bimi.x\",\"record\":\"v=BIMI1\"}",
	    "{\"owner\":\"b._bimi.x\",\"record\":null}", "" },
	{ "spf", "{\"lookups\":\"many\",\"findings\":{},\"record\":7}",
	    "{\"lookups\":[],\"findings\":[1,[null]],\"record\":{}}", "" },
};

static void
changes(const audit_changes_t *ch, char *out, size_t len)
{
	size_t at = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ch->n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s %s", i ? ", " :
		    "", audit_class_names[ch->v[i].class], ch->v[i].kind);
}

static void
classes(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char text[512], got[512];
		json_t *old, *now;
		audit_changes_t ch = { 0 };

		snprintf(text, sizeof(text), "{\"domain\":\"x\",\"areas\":"
		    "{\"%s\":%s}}", r->area, r->old);
		old = json_loads(text, 0, NULL);
		snprintf(text, sizeof(text), "{\"domain\":\"x\",\"areas\":"
		    "{\"%s\":%s}}", r->area, r->now);
		now = json_loads(text, 0, NULL);
		audit_snapshot_diff(old, now, &ch);
		changes(&ch, got, sizeof(got));
		if (!tap_check(old && now && strcmp(got, r->want) == 0,
		    "baseline: %s %s -> %s: %s", r->area, r->old, r->now,
		    r->want[0] ? r->want : "no change"))
			tap_diag("got \"%s\"", got);
		audit_changes_clear(&ch);
		json_decref(old);
		json_decref(now);
	}
}

static void
stream(void)
{
	char dir[] = "/tmp/authzone-out.XXXXXX", path[64], err[256], *back;
	util_file_out_t w;
	size_t len;
	bool ok;

	if (!tap_check(mkdtemp(dir) != NULL, "file out: a directory"))
		return;
	snprintf(path, sizeof(path), "%s/f", dir);
	ok = util_file_out_open(&w, path, 0600, err, sizeof(err)) == 0 &&
	    access(path, F_OK) != 0;
	for (int i = 0; ok && i < 1000; i++)
		ok = util_file_out_write(&w, "0123456789", 10) == 0;
	tap_check(ok && access(path, F_OK) != 0,
	    "file out: nothing at the path before the commit");
	tap_check(util_file_out_commit(&w, true, err, sizeof(err)) == 0,
	    "file out: committed");
	back = util_file_read(path, 1 << 20, &len, NULL, err, sizeof(err));
	tap_check(back && len == 10000 && memcmp(back, "0123456789", 10) == 0,
	    "file out: read back whole");
	free(back);
	ok = util_file_out_open(&w, path, 0600, err, sizeof(err)) == 0 &&
	    util_file_out_write(&w, "x", 1) == 0;
	util_file_out_abort(&w);
	back = util_file_read(path, 1 << 20, &len, NULL, err, sizeof(err));
	tap_check(ok && back && len == 10000, "file out: an abort leaves the "
	    "old file");
	free(back);
	unlink(path);
	rmdir(dir);
}

void
test_baseline(void)
{
	classes();
	stream();
}
