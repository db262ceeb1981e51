#include "report/input.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <gmime/gmime.h>
#include <zlib.h>

#include "util/file.h"

#define MAX_NEST	4	/* containers within containers */
#define MAX_ENTRIES	256	/* of a zip */
#define MAX_PARTS	1000	/* of a message, all its parts */
#define MAX_MESSAGES	10000	/* of an mbox */
#define MAX_DIR_DEPTH	8

static void buffer(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops, int nest);

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static void
refuse(const rep_input_ops_t *ops, const char *name, const char *fmt,
    const char *arg)
{
	char why[300];

	snprintf(why, sizeof(why), fmt, arg);
	ops->refused(ops->arg, name, why);
}

/* ---- gzip ---- */

static void
gunzip(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops, int nest)
{
	z_stream z = { 0 };
	size_t cap = len * 4 + 4096, out = 0;
	size_t limit = len * (size_t)REP_MAX_RATIO < REP_MAX_OUT ?
	    len * (size_t)REP_MAX_RATIO : REP_MAX_OUT;
	char *dst = NULL;
	int rc = Z_OK;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		refuse(ops, name, "%s", "cannot inflate");
		return;
	}
	z.next_in = (Bytef *)(uintptr_t)buf;
	z.avail_in = (uInt)len;
	while (rc == Z_OK) {
		if (out == cap || dst == NULL) {
			char *d;

			if (out >= limit)
				break;
			cap = cap * 2 > limit ? limit : cap * 2;
			if ((d = realloc(dst, cap + 1)) == NULL)
				break;
			dst = d;
		}
		z.next_out = (Bytef *)dst + out;
		z.avail_out = (uInt)(cap - out);
		rc = inflate(&z, Z_NO_FLUSH);
		out = cap - z.avail_out;
	}
	inflateEnd(&z);
	if (rc == Z_STREAM_END) {
		dst[out] = '\0';
		buffer(name, dst, out, ops, nest + 1);
	} else if (out >= limit)
		refuse(ops, name, "inflates beyond %s: refused as a bomb",
		    len * (size_t)REP_MAX_RATIO < REP_MAX_OUT ?
		    "1,000 times its size" : "256 MiB");
	else
		refuse(ops, name, "%s", "a broken gzip stream");
	free(dst);
}

/* ---- zip ---- */

static void
unzip(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops, int nest)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t entries = 0, total = 0;
	size_t limit = len * (size_t)REP_MAX_RATIO < REP_MAX_OUT ?
	    len * (size_t)REP_MAX_RATIO : REP_MAX_OUT;
	int rc;

	if (a == NULL) {
		refuse(ops, name, "%s", "out of memory");
		return;
	}
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		refuse(ops, name, "not a zip archive: %s",
		    archive_error_string(a));
		archive_read_free(a);
		return;
	}
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		char part[600], *dst = NULL;
		size_t n = 0, cap = 0;
		la_ssize_t got = 0;
		bool cut = false;	/* it would inflate beyond the limit */

		snprintf(part, sizeof(part), "%s: %s", name,
		    archive_entry_pathname(e) ? archive_entry_pathname(e) : "?");
		if (++entries > MAX_ENTRIES) {
			refuse(ops, name, "%s", "more than 256 entries");
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		for (;;) {
			if (n == cap) {
				size_t grow = cap ? cap * 2 : 65536;
				char *d;

				if (total + grow > limit)
					grow = limit - total;
				if (grow <= cap || (d = realloc(dst,
				    grow + 1)) == NULL) {
					cut = true;
					break;
				}
				dst = d;
				cap = grow;
			}
			got = archive_read_data(a, dst + n, cap - n);
			if (got <= 0)
				break;
			n += (size_t)got;
		}
		total += n;
		if (cut || total >= limit)
			refuse(ops, part, "inflates beyond %s: refused as a bomb",
			    "1,000 times the archive or 256 MiB");
		else if (got < 0)
			refuse(ops, part, "cannot read: %s",
			    archive_error_string(a));
		else if (dst) {
			dst[n] = '\0';
			buffer(part, dst, n, ops, nest + 1);
		}
		free(dst);
		if (total >= limit)
			break;
	}
	if (rc != ARCHIVE_EOF && rc != ARCHIVE_OK && entries <= MAX_ENTRIES)
		refuse(ops, name, "a broken zip archive: %s",
		    archive_error_string(a));
	archive_read_free(a);
}

/* ---- mail ---- */

struct walk {
	const char *name;
	const rep_input_ops_t *ops;
	int nest;
	size_t parts;
	bool found;
};

/* A part that may carry a report: its type or file name says so */
static bool
report_part(GMimeObject *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	const char *file = g_mime_part_get_filename(GMIME_PART(part));
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "";
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "";

	if (file && (ends_with(file, ".xml") || ends_with(file, ".gz") ||
	    ends_with(file, ".zip") || ends_with(file, ".json")))
		return true;
	/* application/octet-stream only under a report's file name, or
	 * none */
	if (strcasecmp(type, "application") == 0)
		return strcasestr(sub, "zip") || strcasestr(sub, "xml") ||
		    strcasestr(sub, "tlsrpt") || strcasestr(sub, "json") ||
		    (strcasecmp(sub, "octet-stream") == 0 && file == NULL);
	return strcasecmp(type, "text") == 0 && strcasecmp(sub, "xml") == 0;
}

static void
each_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	struct walk *w = data;
	GMimeStream *out;
	GByteArray *bytes;
	char name[600];
	const char *file;

	(void)parent;
	if (++w->parts == MAX_PARTS + 1)
		refuse(w->ops, w->name, "%s", "more than 1,000 MIME parts: "
		    "the rest are not read");
	if (w->parts > MAX_PARTS || !GMIME_IS_PART(part) ||
	    !report_part(part))
		return;
	file = g_mime_part_get_filename(GMIME_PART(part));
	snprintf(name, sizeof(name), "%s: %s", w->name, file ? file :
	    "a MIME part");
	out = g_mime_stream_mem_new();
	if (g_mime_part_get_content(GMIME_PART(part)) == NULL ||
	    g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(
	    GMIME_PART(part)), out) < 0) {
		refuse(w->ops, name, "%s", "cannot decode the part");
		g_object_unref(out);
		return;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	w->found = true;
	g_byte_array_append(bytes, (const guint8 *)"", 1);	/* a NUL */
	buffer(name, (const char *)bytes->data, bytes->len - 1, w->ops,
	    w->nest + 1);
	g_object_unref(out);
}

static void
mail(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops, int nest, bool mbox)
{
	static bool ready;
	GMimeStream *s;
	GMimeParser *parser;
	size_t n = 0;

	if (!ready) {
		g_mime_init();
		ready = true;
	}
	s = g_mime_stream_mem_new_with_buffer(buf, len);
	parser = g_mime_parser_new_with_stream(s);
	g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX :
	    GMIME_FORMAT_MESSAGE);
	while (!g_mime_parser_eos(parser)) {
		GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
		char mname[600];
		struct walk w = { .name = mname, .ops = ops, .nest = nest };

		if (m == NULL)
			break;
		if (n == MAX_MESSAGES) {
			refuse(ops, name, "%s", "more than 10,000 messages: the "
			    "rest are not read");
			g_object_unref(m);
			break;
		}
		snprintf(mname, sizeof(mname), mbox ? "%s: message %zu" : "%s",
		    name, ++n);
		g_mime_message_foreach(m, each_part, &w);
		if (g_mime_message_get_mime_part(m) &&
		    GMIME_IS_PART(g_mime_message_get_mime_part(m)) && !w.found)
			each_part(NULL, g_mime_message_get_mime_part(m), &w);
		if (!w.found && w.parts <= MAX_PARTS)
			ops->refused(ops->arg, mname, "a message without a "
			    "report attached");
		g_object_unref(m);
	}
	if (n == 0)
		refuse(ops, name, "%s", "not a mail message");
	g_object_unref(parser);
	g_object_unref(s);
}

/* ---- what a buffer holds ---- */

static bool
looks_like_mail(const char *buf, size_t len)
{
	size_t i = 0;

	/* a header field first: a name, then ':' */
	while (i < len && i < 80 && buf[i] > ' ' && buf[i] < 127 &&
	    buf[i] != ':')
		i++;
	return i > 0 && i < len && buf[i] == ':';
}

static void
buffer(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops, int nest)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t skip = 0;

	if (nest > MAX_NEST) {
		refuse(ops, name, "%s", "containers nested over 4 deep");
		return;
	}
	if (len >= 2 && u[0] == 0x1f && u[1] == 0x8b) {
		gunzip(name, buf, len, ops, nest);
		return;
	}
	if (len >= 4 && memcmp(buf, "PK\3\4", 4) == 0) {
		unzip(name, buf, len, ops, nest);
		return;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		skip = 3;	/* a UTF-8 byte order mark */
	while (skip < len && strchr(" \t\r\n", buf[skip]))
		skip++;
	if (skip < len && buf[skip] == '<') {
		ops->document(ops->arg, name, buf, len);
		return;
	}
	if (skip < len && buf[skip] == '{') {
		ops->json(ops->arg, name, buf, len);
		return;
	}
	if (len >= 5 && memcmp(buf, "From ", 5) == 0) {
		mail(name, buf, len, ops, nest, true);
		return;
	}
	if (looks_like_mail(buf, len)) {
		mail(name, buf, len, ops, nest, false);
		return;
	}
	refuse(ops, name, "%s", "neither XML, JSON, gzip, zip nor a mail "
	    "message");
}

void
rep_input_buffer(const char *name, const char *buf, size_t len,
    const rep_input_ops_t *ops)
{
	buffer(name, buf, len, ops, 0);
}

/* ---- files and directories ---- */

static void
directory(const char *path, const rep_input_ops_t *ops, int depth)
{
	size_t n;
	char **names = util_dir_list(path, &n);

	if (names == NULL) {
		refuse(ops, path, "cannot read: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (lstat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < MAX_DIR_DEPTH)
				directory(names[i], ops, depth + 1);
			else
				refuse(ops, names[i], "%s", "directories nested "
				    "over 8 deep");
		} else if (lstat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			rep_input_path(names[i], ops);
	}
	util_dir_free(names, n);
}

void
rep_input_path(const char *path, const rep_input_ops_t *ops)
{
	struct stat st;
	char err[300], *buf;
	size_t len;

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		directory(path, ops, 0);
		return;
	}
	buf = util_file_read(path, REP_MAX_FILE, &len, NULL, err, sizeof(err));
	if (buf == NULL) {
		ops->refused(ops->arg, path, err);
		return;
	}
	buffer(strcmp(path, "-") == 0 ? "stdin" : path, buf, len, ops, 0);
	free(buf);
}
