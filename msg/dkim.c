#include "msg/dkim.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/rsa.h>

#include "lint/tagrec.h"
#include "lint/taglist.h"
#include "util/digest.h"
#include "util/name.h"
#include "util/txt.h"

const char *const dkim_result_names[] = {
	[DKIM_RES_PASS] = "pass", [DKIM_RES_FAIL] = "fail",
	[DKIM_RES_NEUTRAL] = "neutral", [DKIM_RES_POLICY] = "policy",
	[DKIM_RES_TEMPERROR] = "temperror", [DKIM_RES_PERMERROR] = "permerror",
};

/* ---- a growing buffer ---- */

struct buf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static bool
wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* A name of h= without the blanks folding left in it */
static void
strip_wsp(char *s)
{
	char *out = s;

	for (; *s; s++)
		if (!wsp(*s))
			*out++ = *s;
	*out = '\0';
}

/* ---- canonicalization (RFC 6376 3.4) ---- */

char *
dkim_canon_field(const char *raw, size_t rawlen, bool relaxed, size_t *outlen)
{
	struct buf b = { 0 };
	const char *colon = memchr(raw, ':', rawlen), *end = raw + rawlen;
	bool space = false, started = false;

	if (!relaxed || colon == NULL) {
		put(&b, raw, rawlen);
		*outlen = b.n;
		return b.oom ? (free(b.p), NULL) : b.p;
	}
	/* the name lowercased, without the blanks before the colon */
	for (const char *p = raw; p < colon; p++) {
		char c = (char)tolower((unsigned char)*p);

		if (!wsp(c))
			put(&b, &c, 1);
	}
	put(&b, ":", 1);
	if (end - raw >= 2 && end[-2] == '\r' && end[-1] == '\n')
		end -= 2;
	/* the value unfolded, each run of blanks one space, none at the
	 * ends */
	for (const char *p = colon + 1; p < end; p++) {
		if (*p == '\r' || *p == '\n')
			continue;
		if (wsp(*p)) {
			space = true;
			continue;
		}
		if (space && started)
			put(&b, " ", 1);
		space = false;
		started = true;
		put(&b, p, 1);
	}
	put(&b, "\r\n", 2);
	*outlen = b.n;
	return b.oom ? (free(b.p), NULL) : b.p;
}

char *
dkim_canon_body(const char *body, size_t len, bool relaxed, long l,
    size_t *outlen)
{
	struct buf b = { 0 };
	size_t at = 0, empties = 0;

	put(&b, "", 0);
	while (at < len) {
		const char *line = body + at, *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;
		size_t k = n;

		at += n + (nl != NULL);
		if (k > 0 && line[k - 1] == '\r')
			k--;
		if (relaxed)	/* no blanks at the end of a line */
			while (k > 0 && wsp(line[k - 1]))
				k--;
		if (k == 0) {	/* an empty line: kept only if more follows */
			empties++;
			continue;
		}
		for (; empties > 0; empties--)
			put(&b, "\r\n", 2);
		if (!relaxed)
			put(&b, line, k);
		else
			for (size_t i = 0; i < k; i++) {
				if (wsp(line[i])) {
					if (i == 0 || !wsp(line[i - 1]))
						put(&b, " ", 1);
					continue;
				}
				put(&b, line + i, 1);
			}
		put(&b, "\r\n", 2);
	}
	if (!relaxed && b.n == 0)
		put(&b, "\r\n", 2);	/* simple: an empty body is one CRLF */
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	if (l >= 0 && (size_t)l < b.n)
		b.n = (size_t)l;
	*outlen = b.n;
	return b.p;
}

/* ---- the signature's tags ---- */

struct sig {
	lint_taglist_t t;
	const char *a, *b, *bh, *d, *s, *h, *i, *c;
	long l;
	long long tt, x;
	bool relaxed_h, relaxed_b;
	const EVP_MD *md;
	bool ed25519;
};

static const char *
tag(const struct sig *g, const char *name)
{
	const lint_tag_t *t = lint_taglist_get(&g->t, name);

	return t ? t->value : NULL;
}

static long long
number(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v >= 0 ? v : -1;
}

/* What a field of tags is: a DKIM-Signature, an ARC-Message-Signature
 * (the same tags, i= the instance, no v=) or an ARC-Seal (no h=, no bh=) */
enum sig_kind { SIG_DKIM, SIG_AMS, SIG_AS };

/* The signature's tags; NULL, or why it is no signature we can use */
static const char *
sig_read(const msg_field_t *f, struct sig *g, enum sig_kind kind)
{
	char *v = malloc(f->vlen + 1);
	size_t k = 0, at;
	const char *c;

	memset(g, 0, sizeof(*g));
	if (v == NULL)
		return "out of memory";
	for (size_t i = 0; i < f->vlen; i++)	/* unfolded */
		if (f->value[i] != '\r' && f->value[i] != '\n')
			v[k++] = f->value[i];
	v[k] = '\0';
	if (lint_taglist_parse(v, k, &g->t, &at) != 0) {
		free(v);
		return "the tag list is malformed";
	}
	free(v);
	if (lint_taglist_duplicate(&g->t))
		return "a tag appears twice";
	if (kind == SIG_DKIM && (!tag(g, "v") || strcmp(tag(g, "v"), "1") != 0))
		return "v= is not 1";
	g->a = tag(g, "a");
	g->b = tag(g, "b");
	g->bh = tag(g, "bh");
	g->d = tag(g, "d");
	g->s = tag(g, "s");
	g->h = tag(g, "h");
	g->i = tag(g, "i");
	if (kind == SIG_AS && (!g->a || !g->b || !g->d || !g->s || !g->i ||
	    !tag(g, "cv")))
		return "a required tag (a, b, cv, d, i, s) is missing";
	if (kind != SIG_AS && (!g->a || !g->b || !g->bh || !g->d || !g->s ||
	    !g->h))
		return "a required tag (a, b, bh, d, h, s) is missing";
	if (strcmp(g->a, "rsa-sha256") == 0)
		g->md = EVP_sha256();
	else if (strcmp(g->a, "rsa-sha1") == 0)
		g->md = EVP_sha1();
	else if (strcmp(g->a, "ed25519-sha256") == 0) {
		g->md = EVP_sha256();
		g->ed25519 = true;
	} else
		return "the algorithm (a=) is unknown";
	c = tag(g, "c") ? tag(g, "c") : "simple/simple";
	if (strncmp(c, "simple", 6) == 0)
		c += 6;
	else if (strncmp(c, "relaxed", 7) == 0) {
		g->relaxed_h = true;
		c += 7;
	} else
		return "the canonicalization (c=) is unknown";
	if (*c == '/')
		c++;
	if (strcmp(c, "relaxed") == 0)
		g->relaxed_b = true;
	else if (*c && strcmp(c, "simple") != 0)
		return "the canonicalization (c=) is unknown";
	g->l = tag(g, "l") ? (long)number(tag(g, "l")) : -1;
	if (tag(g, "l") && g->l < 0)
		return "l= is not a number";
	g->tt = tag(g, "t") ? number(tag(g, "t")) : -1;
	g->x = tag(g, "x") ? number(tag(g, "x")) : -1;
	return NULL;
}

/* Whether the h= list names From (RFC 6376 5.4) */
static bool
h_has_from(const char *h)
{
	char name[128];

	for (const char *p = h; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		strip_wsp(name);
		if (strcasecmp(name, "from") == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* The header data that is hashed: the fields h= names (each the last
 * one not used yet, from the bottom), then the signature's own field with
 * b= empty and no CRLF at its end */
static bool
header_data(const msg_t *m, const char *h, const char *self, size_t selflen,
    bool relaxed, struct buf *out)
{
	bool used[MSG_MAX_FIELDS] = { false };
	char name[256];
	char *c;
	size_t n;

	for (const char *p = h; *p;) {
		size_t k = strcspn(p, ":");

		snprintf(name, sizeof(name), "%.*s", (int)k, p);
		strip_wsp(name);
		for (size_t i = m->nf; i-- > 0;)
			if (!used[i] && msg_field_is(&m->f[i], name)) {
				used[i] = true;
				if ((c = dkim_canon_field(m->f[i].raw,
				    m->f[i].rawlen, relaxed, &n)) == NULL)
					return false;
				put(out, c, n);
				free(c);
				break;
			}
		p += k + (p[k] == ':');
	}
	if ((c = dkim_canon_field(self, selflen, relaxed, &n)) == NULL)
		return false;
	if (n >= 2 && c[n - 2] == '\r' && c[n - 1] == '\n')
		n -= 2;
	put(out, c, n);
	free(c);
	return !out->oom;
}

/* The signature's field with the value of b= (and the blanks around it)
 * taken out, as it was hashed */
static char *
without_b(const msg_field_t *f, size_t *len)
{
	const char *v = f->value, *end = f->value + f->vlen;
	struct buf b = { 0 };

	for (const char *p = v; p < end;) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *q = p;
		const char *stop = semi ? semi : end;

		while (q < stop && (wsp(*q) || *q == '\r' || *q == '\n'))
			q++;
		if (q < stop && *q == 'b') {
			const char *r = q + 1;

			while (r < stop && (wsp(*r) || *r == '\r' || *r == '\n'))
				r++;
			if (r < stop && *r == '=') {
				put(&b, f->raw, (size_t)(r + 1 - f->raw));
				put(&b, stop, (size_t)(f->raw + f->rawlen - stop));
				*len = b.n;
				return b.oom ? (free(b.p), NULL) : b.p;
			}
		}
		p = semi ? semi + 1 : end;
	}
	free(b.p);
	return NULL;
}

/* ---- verifying ---- */

static void
verdict(dkim_verdict_t *v, dkim_result_t r, const char *fmt, const char *arg)
{
	v->result = r;
	snprintf(v->reason, sizeof(v->reason), fmt, arg ? arg : "");
}

/* Key records, by the answer they came in (an answer's id is the
 * process's alone, so an entry can never stand for another record),
 * parsed and decoded once: a batch of messages signed with one key reads
 * its record once, not once a message (OpenSSL 3's decoders cost more
 * than the verification).  A few slots, replaced in turn; each holds a
 * reference of its own to the key. */
#define KEY_SLOTS	16

enum key_type { KEY_RSA, KEY_ED25519, KEY_OTHER };

struct key_rec {
	bool revoked;		/* p= empty */
	enum key_type type;	/* k=, rsa when absent */
	bool h, h_sha1, h_sha256;	/* h= given, and what it allows */
	bool testing, strict;	/* t=y, t=s */
	EVP_PKEY *key;		/* NULL: none usable */
};

static struct key_slot {
	unsigned long answer;
	size_t record;
	struct key_rec rec;
} key_slots[KEY_SLOTS];
static size_t key_next;

static void
key_rec_read(const char *text, struct key_rec *kr)
{
	lint_taglist_t t;
	const lint_tag_t *p, *k, *h, *fl;
	size_t at;

	lint_taglist_parse(text, strlen(text), &t, &at);
	p = lint_taglist_get(&t, "p");
	k = lint_taglist_get(&t, "k");
	h = lint_taglist_get(&t, "h");
	fl = lint_taglist_get(&t, "t");
	memset(kr, 0, sizeof(*kr));
	kr->revoked = p && p->value[0] == '\0';
	kr->type = !k || strcmp(k->value, "rsa") == 0 ? KEY_RSA :
	    strcmp(k->value, "ed25519") == 0 ? KEY_ED25519 : KEY_OTHER;
	kr->h = h != NULL;
	kr->h_sha1 = h && strstr(h->value, "sha1");
	kr->h_sha256 = h && strstr(h->value, "sha256");
	kr->testing = fl && strchr(fl->value, 'y');
	kr->strict = fl && strchr(fl->value, 's');
	if (!kr->revoked && kr->type != KEY_OTHER)
		kr->key = dkim_tags_public_key(&t);
	lint_taglist_clear(&t);
}

/* Record i of answer a as *kr, the key a reference of the caller's */
static void
key_rec_get(const dns_answer_t *a, size_t i, const char *text,
    struct key_rec *kr)
{
	struct key_slot *s;

	for (size_t k = 0; a->id && k < KEY_SLOTS; k++)
		if (key_slots[k].answer == a->id && key_slots[k].record == i) {
			*kr = key_slots[k].rec;
			if (kr->key && EVP_PKEY_up_ref(kr->key) != 1)
				kr->key = NULL;
			return;
		}
	key_rec_read(text, kr);
	if (a->id == 0)
		return;
	s = &key_slots[key_next++ % KEY_SLOTS];
	EVP_PKEY_free(s->rec.key);
	s->answer = a->id;
	s->record = i;
	s->rec = *kr;
	if (kr->key && EVP_PKEY_up_ref(kr->key) != 1)
		s->rec.key = NULL;
}

/* The key record of g: its public key, or NULL with the verdict set */
static EVP_PKEY *
key_fetch(dns_resolver_t *r, const struct sig *g, dkim_verdict_t *v)
{
	char owner[600];
	const dns_answer_t *a;
	EVP_PKEY *key = NULL;
	char **texts = NULL;
	size_t nt = 0;

	snprintf(owner, sizeof(owner), "%s._domainkey.%s", g->s, g->d);
	a = dns_resolver_get(r, owner, LDNS_RR_TYPE_TXT);
	if (dns_result_is_failure(a->result)) {
		verdict(v, DKIM_RES_TEMPERROR, "the key at %s could not be "
		    "asked", owner);
		return NULL;
	}
	if (a->result == DNS_OK)
		texts = util_txt_join(a->rrs, &nt);
	for (size_t i = 0; key == NULL && i < nt; i++) {
		struct key_rec kr;

		if (texts[i] == NULL)
			continue;
		key_rec_get(a, i, texts[i], &kr);
		if (kr.revoked)
			verdict(v, DKIM_RES_PERMERROR, "the key at %s is revoked "
			    "(p= is empty)", owner);
		else if (kr.type != (g->ed25519 ? KEY_ED25519 : KEY_RSA))
			verdict(v, DKIM_RES_PERMERROR, "the key at %s is not of "
			    "the signature's algorithm", owner);
		else if (kr.h && !(g->md == EVP_sha1() ? kr.h_sha1 :
		    kr.h_sha256))
			verdict(v, DKIM_RES_PERMERROR, "the key at %s does not "
			    "allow the signature's hash (h=)", owner);
		else if ((key = kr.key) == NULL)
			verdict(v, DKIM_RES_PERMERROR, "the record at %s holds no "
			    "usable key", owner);
		if (key != kr.key)
			EVP_PKEY_free(kr.key);
		if (kr.testing)
			v->testing = true;
		if (key && kr.strict && g->i && strrchr(g->i, '@') &&
		    strcasecmp(strrchr(g->i, '@') + 1, g->d) != 0) {
			verdict(v, DKIM_RES_PERMERROR, "the key at %s is for d= "
			    "itself (t=s), i= is a subdomain", owner);
			EVP_PKEY_free(key);
			key = NULL;
		}
	}
	util_txt_free(texts, nt);
	if (key == NULL && v->reason[0] == '\0')
		verdict(v, DKIM_RES_PERMERROR, "no key record at %s", owner);
	return key;
}

/* The signature over the header data, checked with key */
static bool
sig_ok(const struct sig *g, EVP_PKEY *key, const struct buf *hd)
{
	unsigned char *sigb, hash[32];
	size_t slen;
	unsigned hlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = false;

	if (ctx == NULL || (sigb = util_b64_decode(g->b, &slen)) == NULL) {
		EVP_MD_CTX_free(ctx);
		return false;
	}
	if (g->ed25519)	/* RFC 8463 3: Ed25519 signs the SHA-256 hash */
		ok = EVP_Digest(hd->p, hd->n, hash, &hlen, EVP_sha256(),
		    NULL) == 1 && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL,
		    key) == 1 && EVP_DigestVerify(ctx, sigb, slen, hash,
		    hlen) == 1;
	else
		ok = EVP_DigestVerifyInit(ctx, NULL, g->md, NULL, key) == 1 &&
		    EVP_DigestVerify(ctx, sigb, slen, (const unsigned char *)
		    hd->p, hd->n) == 1;
	EVP_MD_CTX_free(ctx);
	free(sigb);
	return ok;
}

static bool
i_within_d(const char *i, const char *d)
{
	const char *at = i ? strrchr(i, '@') : NULL;
	size_t n, dn = strlen(d);

	if (i == NULL)
		return true;
	if (at == NULL)
		return false;
	n = strlen(at + 1);
	return (n == dn && strcasecmp(at + 1, d) == 0) || (n > dn &&
	    at[n - dn] == '.' && strcasecmp(at + 1 + n - dn, d) == 0);
}

void
dkim_verify(const msg_t *m, size_t sig, dns_resolver_t *r, time_t now,
    dkim_verdict_t *v)
{
	const msg_field_t *f = &m->f[sig];
	struct sig g;
	struct buf hd = { 0 };
	const char *why = sig_read(f, &g, msg_field_is(f, "arc-message-signature") ?
	    SIG_AMS : SIG_DKIM);
	unsigned char *bh = NULL, mine[64];
	unsigned mlen = 0;
	size_t bhlen = 0, blen, slen;
	char *body = NULL, *self = NULL;
	EVP_PKEY *key = NULL;

	memset(v, 0, sizeof(*v));
	snprintf(v->d, sizeof(v->d), "%s", g.d ? g.d : "");
	snprintf(v->s, sizeof(v->s), "%s", g.s ? g.s : "");
	snprintf(v->a, sizeof(v->a), "%s", g.a ? g.a : "");
	snprintf(v->i, sizeof(v->i), "%s", g.i ? g.i : "");
	if (why)
		verdict(v, DKIM_RES_PERMERROR, "%s", why);
	else if (!h_has_from(g.h))
		verdict(v, DKIM_RES_PERMERROR, "h= does not sign From", NULL);
	else if (!msg_field_is(f, "arc-message-signature") &&
	    !i_within_d(g.i, g.d))
		verdict(v, DKIM_RES_PERMERROR, "i= is not within d=", NULL);
	else if (g.x >= 0 && g.tt >= 0 && g.x < g.tt)
		verdict(v, DKIM_RES_PERMERROR, "x= is before t=", NULL);
	else if (g.x >= 0 && (long long)now > g.x)
		verdict(v, DKIM_RES_FAIL, "the signature expired (x=)", NULL);
	else if ((key = key_fetch(r, &g, v)) == NULL)
		;	/* the verdict is set */
	else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
	    (v->bits = (unsigned)EVP_PKEY_get_bits(key)) < 1024)
		verdict(v, DKIM_RES_PERMERROR, "the RSA key is under 1024 "
		    "bits (RFC 8301)", NULL);
	else if ((bh = util_b64_decode(g.bh, &bhlen)) == NULL ||
	    (body = dkim_canon_body(m->body, m->blen, g.relaxed_b, g.l,
	    &blen)) == NULL || EVP_Digest(body, blen, mine, &mlen, g.md,
	    NULL) != 1)
		verdict(v, DKIM_RES_PERMERROR, "bh= is not base64", NULL);
	else if (mlen != bhlen || memcmp(mine, bh, mlen) != 0)
		verdict(v, DKIM_RES_FAIL, "the body hash does not match "
		    "(the body changed)", NULL);
	else if ((self = without_b(f, &slen)) == NULL ||
	    !header_data(m, g.h, self, slen, g.relaxed_h, &hd))
		verdict(v, DKIM_RES_PERMERROR, "b= is missing", NULL);
	else if (!sig_ok(&g, key, &hd))
		verdict(v, DKIM_RES_FAIL, "the signature does not verify (a "
		    "signed header field changed)", NULL);
	else
		v->result = DKIM_RES_PASS;
	if (key && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA)
		v->bits = (unsigned)EVP_PKEY_get_bits(key);
	v->weak = g.md == EVP_sha1() || (v->bits && v->bits < 2048);
	if (v->result == DKIM_RES_PASS) {
		int n = v->bits ? snprintf(v->reason, sizeof(v->reason),
		    "verified with a %u-bit RSA key", v->bits) :
		    snprintf(v->reason, sizeof(v->reason), "verified with an "
		    "Ed25519 key");

		if (n > 0 && (size_t)n < sizeof(v->reason) && v->weak)
			n += snprintf(v->reason + n, sizeof(v->reason) - (size_t)n,
			    g.md == EVP_sha1() ? ", but SHA-1 is weak (RFC 8301)" :
			    ", weak: under 2048 bits (RFC 8301)");
		if (n > 0 && (size_t)n < sizeof(v->reason) && g.l >= 0 &&
		    (size_t)g.l < m->blen)
			snprintf(v->reason + n, sizeof(v->reason) - (size_t)n,
			    "; l= covers %ld of the body's %zu bytes", g.l,
			    m->blen);
	}
	EVP_PKEY_free(key);
	free(bh);
	free(body);
	free(self);
	free(hd.p);
	lint_taglist_clear(&g.t);
}

/* ---- ARC (RFC 8617) ---- */

/* The field of instance i named name, or -1 (-2 when there are several) */
static long
arc_field(const msg_t *m, const char *name, long inst)
{
	long hit = -1;

	for (size_t k = 0; k < m->nf; k++) {
		struct sig g;
		const char *i;

		if (!msg_field_is(&m->f[k], name))
			continue;
		i = NULL;
		if (sig_read(&m->f[k], &g, SIG_AS) == NULL ||
		    strcmp(name, "arc-seal") != 0)
			i = tag(&g, "i");
		if (strcmp(name, "arc-authentication-results") == 0) {
			/* "i=N; authserv-id; ...": not a tag list after i= */
			char v[32];

			snprintf(v, sizeof(v), "%.*s", (int)(m->f[k].vlen < 31 ?
			    m->f[k].vlen : 31), m->f[k].value);
			i = strstr(v, "i=") ? strstr(v, "i=") + 2 : NULL;
			if (i && atol(i) == inst)
				hit = hit == -1 ? (long)k : -2;
			lint_taglist_clear(&g.t);
			continue;
		}
		if (i && number(i) == inst)
			hit = hit == -1 ? (long)k : -2;
		lint_taglist_clear(&g.t);
	}
	return hit;
}

/* The seal of instance n over the sets 1..n */
static bool
arc_seal_ok(const msg_t *m, const long (*set)[3], long n, dns_resolver_t *r,
    char *why, size_t whylen)
{
	const msg_field_t *as = &m->f[set[n - 1][2]];
	struct buf hd = { 0 };
	struct sig g;
	dkim_verdict_t v;
	EVP_PKEY *key = NULL;
	char *self = NULL, *c;
	size_t slen, clen;
	bool ok = false;

	memset(&v, 0, sizeof(v));
	if (sig_read(as, &g, SIG_AS) != NULL) {
		snprintf(why, whylen, "ARC-Seal i=%ld is malformed", n);
		lint_taglist_clear(&g.t);
		return false;
	}
	for (long i = 0; i < n; i++)
		for (int k = 0; k < 3; k++) {
			const msg_field_t *f = &m->f[set[i][k]];

			if (i == n - 1 && k == 2)
				break;
			if ((c = dkim_canon_field(f->raw, f->rawlen, true,
			    &clen)) != NULL)
				put(&hd, c, clen);
			free(c);
		}
	if ((self = without_b(as, &slen)) != NULL &&
	    (c = dkim_canon_field(self, slen, true, &clen)) != NULL) {
		put(&hd, c, clen >= 2 ? clen - 2 : clen);
		free(c);
		if ((key = key_fetch(r, &g, &v)) != NULL)
			ok = sig_ok(&g, key, &hd);
	}
	if (!ok)
		snprintf(why, whylen, "ARC-Seal i=%ld does not verify%s%s", n,
		    v.reason[0] ? ": " : "", v.reason);
	EVP_PKEY_free(key);
	free(self);
	free(hd.p);
	lint_taglist_clear(&g.t);
	return ok;
}

const char *
arc_verify(const msg_t *m, dns_resolver_t *r, time_t now, size_t *sets,
    char *why, size_t whylen)
{
	long set[50][3], n = 0;
	dkim_verdict_t v;

	why[0] = '\0';
	for (size_t k = 0; k < m->nf; k++)
		n += msg_field_is(&m->f[k], "arc-seal");
	*sets = (size_t)n;
	if (n == 0)
		return "none";
	if (n > 50) {
		snprintf(why, whylen, "over 50 ARC sets");
		return "fail";
	}
	/* every instance 1..n exactly once in each of the three fields */
	for (long i = 1; i <= n; i++) {
		set[i - 1][0] = arc_field(m, "arc-authentication-results", i);
		set[i - 1][1] = arc_field(m, "arc-message-signature", i);
		set[i - 1][2] = arc_field(m, "arc-seal", i);
		for (int k = 0; k < 3; k++)
			if (set[i - 1][k] < 0) {
				snprintf(why, whylen, "ARC set i=%ld is not whole "
				    "(or holds a field twice)", i);
				return "fail";
			}
	}
	for (long i = 1; i <= n; i++) {
		struct sig g;
		const char *cv;
		bool bad;

		sig_read(&m->f[set[i - 1][2]], &g, SIG_AS);
		cv = tag(&g, "cv");
		bad = cv == NULL || strcmp(cv, i == 1 ? "none" : "pass") != 0;
		if (bad)
			snprintf(why, whylen, "ARC-Seal i=%ld says cv=%s", i,
			    cv ? cv : "(none)");
		lint_taglist_clear(&g.t);
		if (bad)
			return "fail";
	}
	/* the newest message signature, then every seal, newest first */
	dkim_verify(m, (size_t)set[n - 1][1], r, now, &v);
	if (v.result != DKIM_RES_PASS) {
		snprintf(why, whylen, "ARC-Message-Signature i=%ld: %s", n,
		    v.reason);
		return v.result == DKIM_RES_TEMPERROR ? "temperror" : "fail";
	}
	for (long i = n; i >= 1; i--)
		if (!arc_seal_ok(m, (const long (*)[3])set, i, r, why, whylen))
			return "fail";
	snprintf(why, whylen, "%ld ARC set%s, each seal verified", n,
	    n == 1 ? "" : "s");
	return "pass";
}

/* ---- signing ---- */

char *
dkim_sign(const msg_t *m, EVP_PKEY *key, const dkim_sign_options_t *o,
    char *err, size_t errlen)
{
	bool ed = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519;
	struct buf f = { 0 }, hd = { 0 };
	char *body, *bh, *b64 = NULL, stamp[32];
	unsigned char mine[32], hash[32], *sigb = NULL;
	unsigned mlen = 0, hlen = 0;
	size_t blen, slen = 0;
	EVP_MD_CTX *ctx = NULL;

	if (!ed && EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		snprintf(err, errlen, "the key is neither RSA nor Ed25519");
		return NULL;
	}
	if ((body = dkim_canon_body(m->body, m->blen, !o->simple_body, -1,
	    &blen)) == NULL || EVP_Digest(body, blen, mine, &mlen,
	    EVP_sha256(), NULL) != 1 || (bh = util_b64_encode(mine,
	    mlen)) == NULL) {
		free(body);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	free(body);
	puts_(&f, "DKIM-Signature: v=1; a=");
	puts_(&f, ed ? "ed25519-sha256" : "rsa-sha256");
	puts_(&f, "; c=");
	puts_(&f, o->simple_header ? "simple/" : "relaxed/");
	puts_(&f, o->simple_body ? "simple" : "relaxed");
	puts_(&f, "; d=");
	puts_(&f, o->d);
	puts_(&f, "; s=");
	puts_(&f, o->s);
	if (o->t) {
		snprintf(stamp, sizeof(stamp), "; t=%lld", (long long)o->t);
		puts_(&f, stamp);
	}
	puts_(&f, ";\r\n\th=");
	for (size_t i = 0; i < o->nh; i++) {
		puts_(&f, i ? ":" : "");
		puts_(&f, o->h[i]);
	}
	puts_(&f, ";\r\n\tbh=");
	puts_(&f, bh);
	puts_(&f, ";\r\n\tb=");
	free(bh);
	{
		/* the header data over the field with b= empty */
		char *h = malloc(16 * o->nh + 2 + 64 * o->nh);
		size_t at = 0;

		if (h == NULL)
			goto oom;
		h[0] = '\0';
		for (size_t i = 0; i < o->nh; i++)
			at += (size_t)sprintf(h + at, "%s%s", i ? ":" : "",
			    o->h[i]);
		put(&f, "\r\n", 2);
		if (!header_data(m, h, f.p, f.n, !o->simple_header, &hd)) {
			free(h);
			goto oom;
		}
		free(h);
		f.n -= 2;	/* the CRLF goes after the value */
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto oom;
	if (ed ? EVP_Digest(hd.p, hd.n, hash, &hlen, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &slen, hash, hlen) != 1 ||
	    (sigb = malloc(slen)) == NULL ||
	    EVP_DigestSign(ctx, sigb, &slen, hash, hlen) != 1 :
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &slen, (unsigned char *)hd.p,
	    hd.n) != 1 || (sigb = malloc(slen)) == NULL ||
	    EVP_DigestSign(ctx, sigb, &slen, (unsigned char *)hd.p,
	    hd.n) != 1) {
		snprintf(err, errlen, "the key cannot sign");
		goto fail;
	}
	if ((b64 = util_b64_encode(sigb, slen)) == NULL)
		goto oom;
	/* b= folded at 72 characters: the blanks are not part of it */
	for (size_t i = 0, n = strlen(b64); i < n; i += 72) {
		if (i)
			puts_(&f, "\r\n\t ");
		put(&f, b64 + i, n - i < 72 ? n - i : 72);
	}
	put(&f, "\r\n", 2);
	if (f.oom)
		goto oom;
	free(b64);
	free(sigb);
	free(hd.p);
	EVP_MD_CTX_free(ctx);
	return f.p;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	free(b64);
	free(sigb);
	free(hd.p);
	free(f.p);
	EVP_MD_CTX_free(ctx);
	return NULL;
}
