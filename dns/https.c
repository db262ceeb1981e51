#include "dns/https.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

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
	CURL *c = curl_easy_init();
	struct curl_slist *to = NULL;
	struct sink s = { res, o->max_bytes ? o->max_bytes : 65536, false };
	https_status_t st = HTTPS_NET;
	CURLcode rc;
	char *ct = NULL, *loc = NULL;

	memset(res, 0, sizeof(*res));
	if (c == NULL) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return HTTPS_NET;
	}
	for (size_t i = 0; i < o->nconnect; i++)
		to = curl_slist_append(to, o->connect_to[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->timeout_ms ?
	    o->timeout_ms : 10000));
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "authzone");
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (to)
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, to);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->code);
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
		res->content_type = ct ? strdup(ct) : NULL;
		res->location = loc ? strdup(loc) : NULL;
		st = HTTPS_OK;
	} else {
		snprintf(res->error, sizeof(res->error), "%s", s.too_big ?
		    "the file is too big" : curl_easy_strerror(rc));
		st = rc == CURLE_PEER_FAILED_VERIFICATION ||
		    rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CACERT_BADFILE ||
		    rc == CURLE_SSL_CERTPROBLEM ? HTTPS_TLS : HTTPS_NET;
	}
	curl_slist_free_all(to);
	curl_easy_cleanup(c);
	return st;
}
