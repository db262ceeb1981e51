#include "cli/mail_verify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/pem.h>

#include "msg/verify.h"
#include "util/file.h"
#include "util/time.h"

#define MAX_MESSAGE	(64u << 20)

static bool
message_read(const cmd_opts_t *o, const char *path, msg_t *m)
{
	char err[600], *text;
	size_t len;

	if ((text = util_file_read(path, MAX_MESSAGE, &len, NULL, err,
	    sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		return false;
	}
	if (msg_parse(m, text, len, err, sizeof(err)) != 0) {
		cmd_error(o, "%s: %s", path, err);
		free(text);
		return false;
	}
	free(text);
	return true;
}

static void
text_print(const mv_result_t *res)
{
	for (size_t i = 0; i < res->ndkim; i++) {
		const dkim_verdict_t *v = &res->dkim[i];

		printf("dkim=%s d=%s s=%s a=%s%s%s: %s\n",
		    dkim_result_names[v->result], v->d, v->s, v->a,
		    v->weak ? " (weak)" : "", v->testing ? " (testing key)" :
		    "", v->reason);
	}
	if (res->ndkim == 0)
		printf("dkim=none: no DKIM-Signature\n");
	if (res->spf_checked)
		printf("spf=%s smtp.mailfrom=%s (client %s, helo %s): %s\n",
		    spf_result_str(res->spf), res->spf_domain, res->ip,
		    res->helo[0] ? res->helo : "-", res->spf_reason);
	else
		printf("spf=none: %s\n", res->spf_reason);
	printf("dmarc=%s header.from=%s", res->dmarc, res->from_domain[0] ?
	    res->from_domain : "-");
	if (res->policy[0])
		printf(" p=%s (at _dmarc.%s), disposition %s", res->policy,
		    res->policy_domain, res->disposition);
	printf(": %s\n", res->dmarc_reason);
	printf("arc=%s%s%s\n", res->arc, res->arc_reason[0] ? ": " : "",
	    res->arc_reason);
}

/* RFC 8601: one Authentication-Results field */
static void
header_print(const mail_verify_job_t *j, const mv_result_t *res)
{
	printf("Authentication-Results: %s", j->authserv ? j->authserv :
	    "authzone");
	for (size_t i = 0; i < res->ndkim; i++)
		printf(";\r\n\tdkim=%s header.d=%s header.s=%s header.a=%s",
		    dkim_result_names[res->dkim[i].result], res->dkim[i].d,
		    res->dkim[i].s, res->dkim[i].a);
	if (res->ndkim == 0)
		printf(";\r\n\tdkim=none");
	printf(";\r\n\tspf=%s", res->spf_checked ?
	    spf_result_str(res->spf) : "none");
	if (res->spf_checked)
		printf(" smtp.mailfrom=%s", res->spf_domain);
	printf(";\r\n\tdmarc=%s", res->dmarc);
	if (res->from_domain[0])
		printf(" header.from=%s", res->from_domain);
	if (res->arc_sets)
		printf(";\r\n\tarc=%s", res->arc);
	printf("\r\n");
}

static json_t *
json_doc(const mv_result_t *res)
{
	json_t *dkim = json_array();

	for (size_t i = 0; i < res->ndkim; i++) {
		const dkim_verdict_t *v = &res->dkim[i];

		json_array_append_new(dkim, json_pack("{s:o, s:o, s:o, s:s, "
		    "s:o, s:b, s:b, s:b}", "d", lint_json_text(v->d), "s",
		    lint_json_text(v->s), "a", lint_json_text(v->a), "result",
		    dkim_result_names[v->result], "reason",
		    lint_json_text(v->reason),
		    "weak", v->weak, "testing", v->testing, "aligned",
		    res->dkim_aligned[i]));
	}
	return json_pack("{s:o, s:{s:s, s:o, s:o, s:o, s:o, s:b}, "
	    "s:{s:s, s:o, s:s, s:s, s:o, s:b}, s:{s:s, s:i, s:o}}",
	    "dkim", dkim,
	    "spf", "result", res->spf_checked ? spf_result_str(res->spf) :
	    "none", "domain", lint_json_text(res->spf_domain), "ip",
	    lint_json_text(res->ip), "helo", lint_json_text(res->helo),
	    "reason", lint_json_text(res->spf_reason), "aligned",
	    res->spf_aligned,
	    "dmarc", "result", res->dmarc, "policy", res->policy[0] ?
	    json_string(res->policy) : json_null(), "disposition",
	    res->disposition, "from_domain", res->from_domain, "reason",
	    lint_json_text(res->dmarc_reason), "aligned",
	    strcmp(res->dmarc, "pass") == 0, "arc", "result", res->arc, "sets",
	    (int)res->arc_sets, "reason", lint_json_text(res->arc_reason));
}

int
cmd_mail_verify(const cmd_opts_t *o, const mail_verify_job_t *j,
    const char *path)
{
	mv_request_t req = { .ip = j->ip, .helo = j->helo, .sender = j->sender,
	    .received_by = j->received_by };
	mv_result_t *res = malloc(sizeof(*res));
	msg_t m;
	int status;

	if (res == NULL || !message_read(o, path, &m)) {
		free(res);
		return EXIT_USAGE;
	}
	dns_resolver_t *r = cmd_resolver(o);

	mv_evaluate(&m, r, &req, res);
	if (o->json) {
		json_t *doc = json_doc(res);

		json_object_set_new(doc, "dns", cmd_dns_json(r));
		cmd_json_print(doc);
		json_decref(doc);
	} else if (j->header)
		header_print(j, res);
	else
		text_print(res);
	status = res->dns_failed ? EXIT_DNS : EXIT_CLEAN;
	free(res);
	msg_clear(&m);
	dns_resolver_free(r);
	return status;
}

struct batch {
	const cmd_opts_t *o;
	const mail_verify_job_t *j;
	dns_resolver_t *r;
	mv_result_t res;
	size_t n, refused, dns;
	size_t dkim[6], dmarc_pass, dmarc_fail;
};

/* One message of the batch: its JSON line, or its refusal on stderr */
static void
batch_one(struct batch *b, const char *name, const char *text, size_t len)
{
	mv_request_t req = { .ip = b->j->ip, .helo = b->j->helo,
	    .sender = b->j->sender, .received_by = b->j->received_by };
	char err[300];
	json_t *doc;
	msg_t m;

	if (msg_parse(&m, text, len, err, sizeof(err)) != 0) {
		cmd_error(b->o, "%s: %s", name, err);
		b->refused++;
		return;
	}
	mv_evaluate(&m, b->r, &req, &b->res);
	msg_clear(&m);
	b->n++;
	b->dns += b->res.dns_failed;
	for (size_t i = 0; i < b->res.ndkim; i++)
		b->dkim[b->res.dkim[i].result]++;
	b->dmarc_pass += strcmp(b->res.dmarc, "pass") == 0;
	b->dmarc_fail += strcmp(b->res.dmarc, "fail") == 0;
	if ((doc = json_doc(&b->res)) != NULL) {
		json_object_set_new(doc, "message", json_string(name));
		cmd_json_line(doc);
	}
}

static void
batch_file(struct batch *b, const char *path)
{
	char err[600], *text;
	size_t len;

	if ((text = util_file_read(path, MAX_MESSAGE, &len, NULL, err,
	    sizeof(err))) == NULL) {
		cmd_error(b->o, "%s", err);
		b->refused++;
		return;
	}
	batch_one(b, path, text, len);
	free(text);
}

/* A directory in name order, dot files skipped; a Maildir's cur/ and
 * new/ as directories of it */
static void
batch_dir(struct batch *b, const char *path, int depth)
{
	size_t n;
	char **names = util_dir_list(path, &n);

	if (names == NULL) {
		batch_file(b, path);	/* a file, or why it is none */
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (depth == 0 && strcmp(strrchr(names[i], '/') + 1, "tmp") == 0)
			continue;
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode) && depth < 1)
			batch_dir(b, names[i], depth + 1);
		else if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			batch_file(b, names[i]);
	}
	util_dir_free(names, n);
}

/* An mbox: a message after each "From " line that starts the file or
 * follows a line end */
static void
batch_mbox(struct batch *b, const char *path)
{
	char err[600], name[700], *text;
	size_t len, at = 0, k = 0;

	if ((text = util_file_read(path, 4 * MAX_MESSAGE, &len, NULL, err,
	    sizeof(err))) == NULL) {
		cmd_error(b->o, "%s", err);
		b->refused++;
		return;
	}
	while (at < len) {
		char *start, *next;

		if (strncmp(text + at, "From ", 5) != 0) {
			cmd_error(b->o, "%s: not an mbox (no \"From \" line)",
			    path);
			b->refused++;
			break;
		}
		start = memchr(text + at, '\n', len - at);
		start = start ? start + 1 : text + len;
		next = memmem(start, (size_t)(text + len - start), "\nFrom ", 6);
		next = next ? next + 1 : text + len;
		snprintf(name, sizeof(name), "%s:%zu", path, ++k);
		batch_one(b, name, start, (size_t)(next - start));
		at = (size_t)(next - text);
	}
	free(text);
}

int
cmd_mail_verify_batch(const cmd_opts_t *o, const mail_verify_job_t *j)
{
	struct batch *b = calloc(1, sizeof(*b));
	uint64_t t0 = util_now_ms();
	double secs;
	int status;

	if (b == NULL)
		return EXIT_USAGE;
	b->o = o;
	b->j = j;
	b->r = cmd_resolver(o);
	if (j->mbox)
		batch_mbox(b, j->mbox);
	else
		batch_dir(b, j->batch, 0);
	secs = (double)(util_now_ms() - t0) / 1000;
	fprintf(stderr, "mail-verify: %zu messages in %.2f s (%.0f/s); dkim "
	    "pass %zu, fail %zu, other %zu; dmarc pass %zu, fail %zu; %zu "
	    "refused\n", b->n, secs, secs > 0 ? (double)b->n / secs : 0.0,
	    b->dkim[DKIM_RES_PASS], b->dkim[DKIM_RES_FAIL],
	    b->dkim[DKIM_RES_NEUTRAL] + b->dkim[DKIM_RES_POLICY] +
	    b->dkim[DKIM_RES_TEMPERROR] + b->dkim[DKIM_RES_PERMERROR],
	    b->dmarc_pass, b->dmarc_fail, b->refused);
	status = b->dns ? EXIT_DNS : b->refused || b->n == 0 ? EXIT_USAGE :
	    EXIT_CLEAN;
	dns_resolver_free(b->r);
	free(b);
	return status;
}

/* The default list (the issue's): From, To, Subject, Date, Message-ID
 * and the MIME fields, each signed as often as it occurs and once more
 * (over-signed: none can be added) */
static size_t
default_headers(const msg_t *m, const char **h, size_t max)
{
	static const char *const names[] = { "from", "to", "cc", "subject",
	    "date", "message-id", "reply-to", "mime-version", "content-type",
	    "content-transfer-encoding" };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t c = 0;

		for (size_t k = 0; k < m->nf; k++)
			c += msg_field_is(&m->f[k], names[i]);
		if (c == 0 && strcmp(names[i], "from") != 0 &&
		    strcmp(names[i], "to") != 0 && strcmp(names[i],
		    "subject") != 0)
			continue;	/* over-sign what matters most */
		for (size_t k = 0; k <= c && n < max; k++)
			h[n++] = names[i];
	}
	return n;
}

int
cmd_dkim_sign(const cmd_opts_t *o, const dkim_sign_job_t *j, const char *path)
{
	const char *h[DKIM_MAX_H];
	char err[600], *keytext, *sig, *list = NULL;
	size_t len, nh = 0;
	EVP_PKEY *key = NULL;
	BIO *b;
	msg_t m;
	dkim_sign_options_t so = { .d = j->d, .s = j->s, .t = time(NULL) };

	if ((keytext = util_file_read(j->key, 1 << 20, &len, NULL, err,
	    sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		return EXIT_USAGE;
	}
	if ((b = BIO_new_mem_buf(keytext, (int)len)) != NULL)
		key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	free(keytext);
	if (key == NULL) {
		cmd_error(o, "%s holds no private key (PEM)", j->key);
		return EXIT_USAGE;
	}
	if (j->canon) {
		so.simple_header = strncmp(j->canon, "simple", 6) == 0;
		so.simple_body = strstr(j->canon, "/simple") != NULL ||
		    strcmp(j->canon, "simple") == 0;
	}
	if (!message_read(o, path, &m)) {
		EVP_PKEY_free(key);
		return EXIT_USAGE;
	}
	if (j->headers && (list = strdup(j->headers)) != NULL)
		for (char *p = strtok(list, ":"); p && nh < DKIM_MAX_H;
		    p = strtok(NULL, ":"))
			h[nh++] = p;
	else
		nh = default_headers(&m, h, DKIM_MAX_H);
	so.h = h;
	so.nh = nh;
	if ((sig = dkim_sign(&m, key, &so, err, sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		free(list);
		msg_clear(&m);
		EVP_PKEY_free(key);
		return EXIT_USAGE;
	}
	if (o->json) {
		char *all = malloc(strlen(sig) + m.len + 1);
		json_t *doc = NULL;

		if (all) {
			memcpy(all, sig, strlen(sig));
			memcpy(all + strlen(sig), m.text, m.len + 1);
			doc = json_pack("{s:s, s:s, s:s, s:s#}", "d", j->d, "s",
			    j->s, "signature", sig, "message", all,
			    (int)(strlen(sig) + m.len));
		}
		if (doc)
			cmd_json_print(doc);
		json_decref(doc);
		free(all);
	} else {
		fwrite(sig, 1, strlen(sig), stdout);
		fwrite(m.text, 1, m.len, stdout);
	}
	free(sig);
	free(list);
	msg_clear(&m);
	EVP_PKEY_free(key);
	return EXIT_CLEAN;
}
