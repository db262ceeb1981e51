#include "cli/tlsa_gen.h"

#include <stdlib.h>
#include <string.h>

#include "tls/tlsa.h"
#include "util/file.h"

/* A field given as a digit or by its RFC 7218 name; def when not given */
static unsigned
field_value(const char *v, const char *const *names, unsigned n,
    unsigned def)
{
	if (v == NULL)
		return def;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return (unsigned)(v[0] - '0');
}

/* What path holds, read; false when it cannot be (said) */
static bool
source_load(const cmd_opts_t *o, const char *path, tls_source_t *s)
{
	char err[600], *buf;
	size_t len;
	int rc;

	if ((buf = util_file_read(path, 1u << 20, &len, NULL, err,
	    sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		return false;
	}
	rc = tls_source_read(buf, len, path, s, err, sizeof(err));
	explicit_bzero(buf, len);	/* it may be a private key */
	free(buf);
	if (rc != 0)
		cmd_error(o, "%s", err);
	return rc == 0;
}

/* The record of s for usage/selector/mtype into set, its findings into
 * f; false when it cannot be made (said) */
static bool
source_record(const cmd_opts_t *o, const gen_opts_t *g, const char *owner,
    const char *path, const tls_source_t *s, const unsigned v[3],
    const char *role, zg_set_t *set, lint_findings_t *f, char **first)
{
	/* a trust anchor is the top of the chain given, an end entity its
	 * first certificate, as servers send them */
	X509 *c = s->ncerts == 0 ? NULL : v[0] == 0 || v[0] == 2 ?
	    s->certs[s->ncerts - 1] : s->certs[0];
	tlsa_record_t *r = malloc(sizeof(*r));
	char subject[256] = "", note[400], *text = NULL;

	if (r == NULL || tls_tlsa_make(c, s->key, v[0], v[1], v[2], r) != 0 ||
	    (text = tls_tlsa_text(r)) == NULL) {
		if (r && c == NULL && v[1] == 0)
			cmd_error(o, "%s holds a key, no certificate: selector 0 "
			    "takes a certificate (use selector 1)", path);
		else
			cmd_error(o, "%s: cannot make the record", path);
		free(r);
		return false;
	}
	free(r);
	if (c)
		tls_cert_subject(c, subject, sizeof(subject));
	tlsa_record_check(text, owner, f);
	if (c && v[0] == 2 && !tls_cert_is_ca(c))
		lint_findings_add(f, &tlsa_codes[TLSA_TA_NOT_CA], owner, -1L,
		    subject);
	else if (c && v[0] == 3 && tls_cert_is_ca(c))
		lint_findings_add(f, &tlsa_codes[TLSA_EE_IS_CA], owner, -1L,
		    subject);
	snprintf(note, sizeof(note), "%s: %s of %s", role,
	    tlsa_usage_name(v[0]), c ? subject : "a key alone");
	zg_set_add(set, owner, g->ttl, "TLSA", text, note);
	if (*first == NULL)
		*first = text;
	else
		free(text);
	return true;
}

int
cmd_tlsa_gen(const cmd_opts_t *o, const gen_opts_t *g, const char *host,
    const tlsa_gen_t *t)
{
	static const char *const usages[] = { "pkix-ta", "pkix-ee", "dane-ta",
	    "dane-ee" }, *const selectors[] = { "cert", "spki" },
	    *const mtypes[] = { "full", "sha256", "sha512" };
	const unsigned v[3] = { field_value(t->usage, usages, 4, 3),
	    field_value(t->selector, selectors, 2, 1),
	    field_value(t->mtype, mtypes, 3, 1) };
	const char *proto = t->proto ? t->proto : "tcp";
	unsigned port = 25;
	char owner[600], *first = NULL;
	tls_source_t cur, next = { .ncerts = 0 };
	lint_findings_t f;
	zg_set_t set;
	int status = EXIT_USAGE;

	if (t->port)
		cmd_parse_uint(t->port, 1, 65535, &port);
	snprintf(owner, sizeof(owner), "_%u._%s.%s", port, proto, host);
	if (!source_load(o, t->cert, &cur))
		return EXIT_USAGE;
	if (t->next && !source_load(o, t->next, &next)) {
		tls_source_clear(&cur);
		return EXIT_USAGE;
	}
	zg_set_init(&set);
	lint_findings_init(&f);
	if (source_record(o, g, owner, t->cert, &cur, v, "current", &set, &f,
	    &first) && (t->next == NULL || source_record(o, g, owner, t->next,
	    &next, v, "next, for the rollover", &set, &f, &first)))
		status = cmd_gen_emit(o, g, &set, &f, NULL, first,
		    json_pack("{s:s, s:I, s:s, s:s, s:s}", "host", host, "port",
		    (json_int_t)port, "proto", proto, "owner", owner,
		    "record", first));
	free(first);
	lint_findings_clear(&f);
	zg_set_clear(&set);
	tls_source_clear(&cur);
	tls_source_clear(&next);
	return status;
}
