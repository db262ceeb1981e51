#include "cli/mail_verify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/pem.h>

#include "msg/verify.h"
#include "util/file.h"

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
	printf("arc=%s\n", res->arc_sets ? "present (not verified)" : "none");
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
	printf("\r\n");
}

static json_t *
json_doc(const mv_result_t *res)
{
	json_t *dkim = json_array();

	for (size_t i = 0; i < res->ndkim; i++) {
		const dkim_verdict_t *v = &res->dkim[i];

		json_array_append_new(dkim, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:b, s:b, s:b}", "d", v->d, "s", v->s, "a", v->a,
		    "result", dkim_result_names[v->result], "reason", v->reason,
		    "weak", v->weak, "testing", v->testing, "aligned",
		    res->dkim_aligned[i]));
	}
	return json_pack("{s:o, s:{s:s, s:s, s:s, s:s, s:s, s:b}, "
	    "s:{s:s, s:o, s:s, s:s, s:s, s:b}, s:{s:s, s:i}}",
	    "dkim", dkim,
	    "spf", "result", res->spf_checked ? spf_result_str(res->spf) :
	    "none", "domain", res->spf_domain, "ip", res->ip, "helo",
	    res->helo, "reason", res->spf_reason, "aligned", res->spf_aligned,
	    "dmarc", "result", res->dmarc, "policy", res->policy[0] ?
	    json_string(res->policy) : json_null(), "disposition",
	    res->disposition, "from_domain", res->from_domain, "reason",
	    res->dmarc_reason, "aligned", strcmp(res->dmarc, "pass") == 0,
	    "arc", "result", res->arc_sets ? "present" : "none", "sets",
	    (int)res->arc_sets);
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
