/*
 * libcurl is loaded when the first GET is made, not when a tool starts:
 * linked in, it brings some thirty libraries whose loading costs every
 * run several milliseconds, and most runs fetch nothing.
 */
#include "dns/https.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct {
	bool tried, ok;
	CURL *(*init)(void);
	CURLcode (*setopt)(CURL *, CURLoption, ...);
	CURLcode (*perform)(CURL *);
	CURLcode (*getinfo)(CURL *, CURLINFO, ...);
	const char *(*strerror)(CURLcode);
	void (*cleanup)(CURL *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} curl;

/* libcurl's functions, once; false with a message when it cannot load */
static bool
curl_load(char *err, size_t errlen)
{
	void *h;

	if (curl.tried) {
		if (!curl.ok)
			snprintf(err, errlen, "libcurl could not be loaded");
		return curl.ok;
	}
	curl.tried = true;
	if ((h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(err, errlen, "cannot load libcurl: %s", dlerror());
		return false;
	}
	/* POSIX: a function pointer converts through void * */
#define SYM(field, name) \
	(*(void **)&curl.field = dlsym(h, name)) != NULL
	curl.ok = SYM(init, "curl_easy_init") &&
	    SYM(setopt, "curl_easy_setopt") &&
	    SYM(perform, "curl_easy_perform") &&
	    SYM(getinfo, "curl_easy_getinfo") &&
	    SYM(strerror, "curl_easy_strerror") &&
	    SYM(cleanup, "curl_easy_cleanup") &&
	    SYM(slist_append, "curl_slist_append") &&
	    SYM(slist_free_all, "curl_slist_free_all");
#undef SYM
	if (!curl.ok)
		snprintf(err, errlen, "libcurl lacks a function authzone uses");
	return curl.ok;
}

struct sink {
	https_result_t *res;
	size_t max;
	bool too_big;
};

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;
	char *p;

	if (s->res->len + add > s->max) {
		s->too_big = true;
		return 0;
	}
	if ((p = realloc(s->res->body, s->res->len + add + 1)) == NULL)
		return 0;
	memcpy(p + s->res->len, data, add);
	s->res->body = p;
	s->res->len += add;
	p[s->res->len] = '\0';
	return add;
}

void
https_result_clear(https_result_t *res)
{
	free(res->content_type);
	free(res->location);
	free(res->body);
	memset(res, 0, sizeof(*res));
}

bool
https_media_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	if (ct == NULL)
		return false;
	ct += strspn(ct, " \t");
	if (strncasecmp(ct, want, n) != 0)
		return false;
	ct += n;
	ct += strspn(ct, " \t");
	return *ct == '\0' || *ct == ';';
}

bool
https_status_is_failure(https_status_t st)
{
	return st == HTTPS_NET || st == HTTPS_DNS;
}

/* The host and port of an https:// URL; -1 when it has none */
static int
url_host(const char *url, char *host, size_t len, unsigned *port)
{
	const char *h, *e;

	if (strncasecmp(url, "https://", 8) != 0)
		return -1;
	h = url + 8;
	if ((e = strpbrk(h, "/?#")) == NULL)
		e = h + strlen(h);
	const char *at = memchr(h, '@', (size_t)(e - h));

	if (at)
		h = at + 1;	/* userinfo */
	*port = 443;
	if (*h == '[') {	/* an IPv6 literal: nothing to resolve */
		host[0] = '\0';
		return 0;
	}
	const char *colon = memchr(h, ':', (size_t)(e - h));

	if (colon) {
		*port = (unsigned)atoi(colon + 1);
		e = colon;
	}
	if (e == h || (size_t)(e - h) >= len)
		return -1;
	memcpy(host, h, (size_t)(e - h));
	host[e - h] = '\0';
	return 0;
}

/* The "HOST:PORT:ADDR,ADDR" entry that hands libcurl the tool's own
 * answers for the URL's host, into out ("" when there is nothing to
 * resolve); the status when resolving kept it from being made. */
static https_status_t
resolve_entry(const char *url, const https_options_t *o, char *out,
    size_t len, char *err, size_t errlen)
{
	char host[256];
	unsigned port;
	size_t n = 0, found = 0;
	uint8_t buf[16];
	const ldns_rr_type types[2] = { LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA };
	const dns_answer_t *a[2];

	out[0] = '\0';
	if (o->resolver == NULL || url_host(url, host, sizeof(host), &port) ||
	    host[0] == '\0' || inet_pton(AF_INET, host, buf) == 1)
		return HTTPS_OK;
	/* --connect-to HOST:PORT:CHOST:CPORT (an empty HOST or PORT
	 * matches any): told where to connect, nothing to resolve; with an
	 * empty CHOST the host is still resolved, for port CPORT */
	for (size_t i = 0; i < o->nconnect; i++) {
		char f[4][256] = { "", "", "", "" };
		const char *c = o->connect_to[i];

		for (int k = 0; k < 4 && c; k++) {
			const char *e = k < 3 ? strchr(c, ':') : NULL;
			size_t flen = e ? (size_t)(e - c) : strlen(c);

			snprintf(f[k], sizeof(f[k]), "%.*s", (int)flen, c);
			c = e ? e + 1 : NULL;
		}
		if ((f[0][0] && strcasecmp(f[0], host) != 0) ||
		    (f[1][0] && (unsigned)atoi(f[1]) != port))
			continue;
		if (f[2][0])
			return HTTPS_OK;
		if (f[3][0])
			port = (unsigned)atoi(f[3]);
		break;
	}
	for (int k = 0; k < 2; k++)
		dns_resolver_submit(o->resolver, host, types[k]);
	for (int k = 0; k < 2; k++)
		a[k] = dns_resolver_get(o->resolver, host, types[k]);
	n = (size_t)snprintf(out, len, "%s:%u:", host, port);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; a[k]->result == DNS_OK &&
		    i < ldns_rr_list_rr_count(a[k]->rrs); i++) {
			char *t = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(
			    a[k]->rrs, i), 0));

			if (t && n + strlen(t) + 4 < len)
				n += (size_t)snprintf(out + n, len - n, "%s%s%s%s",
				    found++ ? "," : "", k ? "[" : "", t,
				    k ? "]" : "");
			free(t);
		}
	if (a[0]->result == DNS_PENDING || a[1]->result == DNS_PENDING)
		return HTTPS_PENDING;
	if (found)
		return HTTPS_OK;
	for (int k = 0; k < 2; k++)
		if (dns_result_is_failure(a[k]->result)) {
			snprintf(err, errlen, "%.200s %s: %s (%.100s)", host,
			    k ? "AAAA" : "A", dns_result_str(a[k]->result),
			    a[k]->source);
			return HTTPS_DNS;
		}
	snprintf(err, errlen, "%.200s has no address (%s)", host,
	    dns_result_str(a[0]->result));
	return HTTPS_NOHOST;
}

https_status_t
https_get(const char *url, const https_options_t *o, https_result_t *res)
{
	struct curl_slist *resolve = NULL;
	char entry[1200];
	CURL *c;
	struct curl_slist *to = NULL;
	struct sink s = { res, o->max_bytes ? o->max_bytes : 65536, false };
	https_status_t st = HTTPS_NET;
	CURLcode rc;
	char *ct = NULL, *loc = NULL;

	memset(res, 0, sizeof(*res));
	if (o->offline) {
		snprintf(res->error, sizeof(res->error), "not fetched: --offline");
		return HTTPS_OFFLINE;
	}
	if ((st = resolve_entry(url, o, entry, sizeof(entry), res->error,
	    sizeof(res->error))) != HTTPS_OK)
		return st;
	st = HTTPS_NET;
	if (!curl_load(res->error, sizeof(res->error)))
		return HTTPS_NET;
	if ((c = curl.init()) == NULL) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return HTTPS_NET;
	}
	for (size_t i = 0; i < o->nconnect; i++)
		to = curl.slist_append(to, o->connect_to[i]);
	curl.setopt(c, CURLOPT_URL, url);
	curl.setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl.setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl.setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl.setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl.setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->timeout_ms ?
	    o->timeout_ms : 10000));
	curl.setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl.setopt(c, CURLOPT_WRITEDATA, &s);
	curl.setopt(c, CURLOPT_USERAGENT, "authzone");
	if (o->ca_pem) {	/* copied by libcurl: a pipe is read once */
		struct curl_blob ca = { (void *)o->ca_pem, o->ca_len,
		    CURL_BLOB_COPY };

		curl.setopt(c, CURLOPT_CAINFO_BLOB, &ca);
	}
	if (to)
		curl.setopt(c, CURLOPT_CONNECT_TO, to);
	if (entry[0] && (resolve = curl.slist_append(NULL, entry)) != NULL)
		curl.setopt(c, CURLOPT_RESOLVE, resolve);
	rc = curl.perform(c);
	if (rc == CURLE_OK) {
		curl.getinfo(c, CURLINFO_RESPONSE_CODE, &res->code);
		curl.getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		curl.getinfo(c, CURLINFO_REDIRECT_URL, &loc);
		res->content_type = ct ? strdup(ct) : NULL;
		res->location = loc ? strdup(loc) : NULL;
		st = HTTPS_OK;
	} else {
		snprintf(res->error, sizeof(res->error), "%s", s.too_big ?
		    "the file is too big" : curl.strerror(rc));
		st = rc == CURLE_PEER_FAILED_VERIFICATION ||
		    rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CACERT_BADFILE ||
		    rc == CURLE_SSL_CERTPROBLEM ? HTTPS_TLS : HTTPS_NET;
	}
	curl.slist_free_all(to);
	curl.slist_free_all(resolve);
	curl.cleanup(c);
	return st;
}
