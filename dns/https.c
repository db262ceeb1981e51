/*
 * libcurl is loaded when the first GET is made, not when a tool starts:
 * linked in, it brings some thirty libraries whose loading costs every
 * run several milliseconds, and most runs fetch nothing.
 */
#include "dns/https.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

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

https_status_t
https_get(const char *url, const https_options_t *o, https_result_t *res)
{
	CURL *c;
	struct curl_slist *to = NULL;
	struct sink s = { res, o->max_bytes ? o->max_bytes : 65536, false };
	https_status_t st = HTTPS_NET;
	CURLcode rc;
	char *ct = NULL, *loc = NULL;

	memset(res, 0, sizeof(*res));
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
	if (o->ca_file)
		curl.setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (to)
		curl.setopt(c, CURLOPT_CONNECT_TO, to);
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
	curl.cleanup(c);
	return st;
}
