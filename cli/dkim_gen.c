#include "cli/dkim_gen.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lint/tagrec.h"
#include "util/file.h"
#include "zonegen/dkim.h"

/* The key of d: made and written (key_out), loaded (from) or none
 * (revoke); false when that failed (said) */
static bool
key_get(const cmd_opts_t *o, const gen_opts_t *g, const dkim_gen_t *d,
    EVP_PKEY **key)
{
	unsigned bits = 2048;
	char err[512], *pem;
	size_t len = 0;
	int rc;

	*key = NULL;
	if (d->from && (*key = zg_dkim_key_load(d->from, err,
	    sizeof(err))) == NULL) {
		cmd_error(o, "%s", err);
		return false;
	}
	if (d->key_out == NULL)
		return true;
	if (d->bits)
		cmd_parse_uint(d->bits, 1024, 4096, &bits);
	if ((*key = zg_dkim_key_new(d->type && strcmp(d->type, "ed25519") ==
	    0 ? 0 : bits)) == NULL || (pem = zg_dkim_key_pem(*key, &len)) ==
	    NULL) {
		cmd_error(o, "cannot generate the key");
		EVP_PKEY_free(*key);
		return false;
	}
	rc = util_file_write(d->key_out, pem, len, 0600, g->force, err,
	    sizeof(err));
	OPENSSL_cleanse(pem, len);
	free(pem);
	if (rc != 0) {
		cmd_error(o, "%s", err);
		EVP_PKEY_free(*key);
	}
	return rc == 0;
}

/* "v=DKIM1; k=...; h=...; s=...; t=...; n=...; p=..." */
static void
record(char *rec, size_t len, const dkim_gen_t *d, EVP_PKEY *key,
    const char *p)
{
	const char *tags[] = { "k", key ? zg_dkim_key_type(key) : NULL, "h",
	    d->h, "s", d->s, "t", d->t, "n", d->n };
	size_t n = (size_t)snprintf(rec, len, "v=DKIM1;");

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i += 2)
		if (tags[i + 1] && n < len)
			n += (size_t)snprintf(rec + n, len - n, " %s=%s;",
			    tags[i], tags[i + 1]);
	if (n < len)
		snprintf(rec + n, len - n, " p=%s", p ? p : "");
}

int
cmd_dkim_gen(const cmd_opts_t *o, const gen_opts_t *g, const char *domain,
    const dkim_gen_t *d)
{
	char owner[600], sel[32], rec[2048], why[700] = "", *p = NULL;
	const char *selector = d->selector ? d->selector : d->revoke;
	EVP_PKEY *key;
	lint_findings_t f;
	zg_set_t set;
	int status;

	if (selector == NULL) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(sel, sizeof(sel), "s%Y%m", &tm);
		selector = sel;
	}
	if (!key_get(o, g, d, &key))
		return EXIT_USAGE;
	if (key && (p = zg_dkim_public_b64(key)) == NULL) {
		cmd_error(o, "cannot encode the public key");
		EVP_PKEY_free(key);
		return EXIT_USAGE;
	}
	record(rec, sizeof(rec), d, key, p);
	if (key)
		snprintf(why, sizeof(why), "%s %d-bit key%s%s",
		    zg_dkim_key_type(key), EVP_PKEY_get_bits(key), d->key_out ?
		    ", private key in " : "", d->key_out ? d->key_out : "");
	snprintf(owner, sizeof(owner), "%s._domainkey.%s", selector, domain);
	zg_set_init(&set);
	zg_set_add(&set, owner, g->ttl, "TXT", rec, d->revoke ? "revoked: "
	    "signatures with this selector no longer verify" : why);
	lint_findings_init(&f);
	dkim_record_check(rec, owner, &f);
	status = cmd_gen_emit(o, g, &set, &f, NULL, rec,
	    json_pack("{s:s, s:s, s:s, s:o, s:o}", "domain", domain,
	    "selector", selector, "record", rec, "key_type", key ?
	    json_string(zg_dkim_key_type(key)) : json_null(), "key_bits", key ?
	    json_integer(EVP_PKEY_get_bits(key)) : json_null()));
	lint_findings_clear(&f);
	zg_set_clear(&set);
	free(p);
	EVP_PKEY_free(key);
	return status;
}
