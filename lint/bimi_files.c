/*
 * libxml2 is loaded when the first logo is checked: linked in, it brings
 * ICU and the C++ runtime, whose loading costs bimi-lint's every run two
 * milliseconds, and most runs check no logo.
 */
#include "lint/bimi_files.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lint/taglist.h"

#define E LINT_ERROR
#define W LINT_WARNING
#define I LINT_INFO
#define SVG_PS "the BIMI SVG profile (SVG Tiny PS)"

const lint_code_t bimi_file_codes[BF_ROWS] = {
	[BF_FETCH] = { "bimi-fetch-failed", E, "cannot fetch %s: %s", NULL,
	    NULL },
	[BF_HTTP] = { "bimi-fetch-http", E, "%s answered HTTP %ld%s%s", NULL,
	    "serve the file itself, with 200, at that URL: no redirect" },
	[BF_SVG_SIZE] = { "bimi-svg-too-big", E,
	    "the logo is %zu bytes, more than 32 KiB", SVG_PS, NULL },
	[BF_SVG_XML] = { "bimi-svg-not-xml", E,
	    "the logo is not well-formed XML: %s (line %d)", SVG_PS, NULL },
	[BF_SVG_ROOT] = { "bimi-svg-not-svg", E,
	    "the root element is <%s>, not <svg> in the SVG namespace",
	    SVG_PS, NULL },
	[BF_SVG_VERSION] = { "bimi-svg-version", E,
	    "the <svg> element has version=\"%s\", not \"1.2\"", SVG_PS,
	    "set version=\"1.2\"" },
	[BF_SVG_PROFILE] = { "bimi-svg-profile", E,
	    "the <svg> element has baseProfile=\"%s\", not \"tiny-ps\"",
	    SVG_PS, "set baseProfile=\"tiny-ps\"" },
	[BF_SVG_TITLE] = { "bimi-svg-no-title", E,
	    "the <svg> element has no <title> with the brand's name", SVG_PS,
	    NULL },
	[BF_SVG_SCRIPT] = { "bimi-svg-script", E,
	    "the logo holds a script (%s)", SVG_PS, NULL },
	[BF_SVG_ANIMATION] = { "bimi-svg-animation", E,
	    "the logo is animated (<%s>)", SVG_PS, NULL },
	[BF_SVG_EXTERNAL] = { "bimi-svg-external", E,
	    "the logo refers to something outside it: %s", SVG_PS, NULL },
	[BF_SVG_RASTER] = { "bimi-svg-raster", E,
	    "the logo embeds an image (<%s>): it must be vector only", SVG_PS,
	    NULL },
	[BF_SVG_XY] = { "bimi-svg-xy", W,
	    "the <svg> element has %s=: the profile leaves it out", SVG_PS,
	    NULL },
	[BF_SVG_DOCTYPE] = { "bimi-svg-doctype", W,
	    "the logo has a DOCTYPE; its entities are not expanded", SVG_PS,
	    "remove the DOCTYPE" },
	[BF_CERT_PARSE] = { "bimi-cert-bad", E,
	    "the certificate file holds no PEM certificate", NULL, NULL },
	[BF_CERT_EXPIRED] = { "bimi-cert-expired", E,
	    "the certificate expired on %s", NULL, "renew it" },
	[BF_CERT_NOT_YET] = { "bimi-cert-not-yet-valid", E,
	    "the certificate is valid only from %s", NULL, NULL },
	[BF_CERT_EXPIRING] = { "bimi-cert-expiring", W,
	    "the certificate expires in %d day%s, on %s", NULL, "renew it" },
	[BF_CERT_NAME] = { "bimi-cert-name", E,
	    "the certificate's subject alternative names do not name %s",
	    NULL, NULL },
	[BF_CERT_LOGOTYPE] = { "bimi-cert-no-logotype", E,
	    "the certificate has no logotype extension (1.3.6.1.5.5.7.1.12): "
	    "it is no mark certificate", "RFC 3709", NULL },
	[BF_CERT] = { "bimi-cert", I, "certificate for %s, issued by %s, "
	    "valid until %s", NULL, NULL },
};

/* ---- the logo ---- */

static struct {
	bool tried, ok;
	xmlDocPtr (*read_memory)(const char *, int, const char *,
	    const char *, int);
	const xmlError *(*last_error)(void);
	void (*reset_last_error)(void);
	xmlNodePtr (*root_element)(const xmlDoc *);
	xmlChar *(*get_prop)(const xmlNode *, const xmlChar *);
	xmlAttrPtr (*has_prop)(const xmlNode *, const xmlChar *);
	xmlChar *(*node_content)(const xmlNode *);
	void (*free_doc)(xmlDocPtr);
	xmlFreeFunc *free;	/* libxml2's xmlFree is a variable */
} xml;

static bool
xml_load(void)
{
	void *h;

	if (xml.tried)
		return xml.ok;
	xml.tried = true;
	if ((h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return false;
	/* POSIX: a function pointer converts through void * */
#define SYM(field, name) \
	(*(void **)&xml.field = dlsym(h, name)) != NULL
	xml.ok = SYM(read_memory, "xmlReadMemory") &&
	    SYM(last_error, "xmlGetLastError") &&
	    SYM(reset_last_error, "xmlResetLastError") &&
	    SYM(root_element, "xmlDocGetRootElement") &&
	    SYM(get_prop, "xmlGetProp") && SYM(has_prop, "xmlHasProp") &&
	    SYM(node_content, "xmlNodeGetContent") &&
	    SYM(free_doc, "xmlFreeDoc") && SYM(free, "xmlFree");
#undef SYM
	return xml.ok;
}

static bool
is(const xmlChar *name, const char *s)
{
	return name && strcmp((const char *)name, s) == 0;
}

static const char *
attr_value(const xmlAttr *a)
{
	const xmlNode *t = a->children;

	return t && t->content ? (const char *)t->content : "";
}

/* The elements and attributes the profile leaves out, everywhere */
static void
svg_walk(const xmlNode *n, const char *where, lint_findings_t *f)
{
	static const char *const animation[] = { "animate",
	    "animateMotion", "animateColor", "animateTransform", "set",
	    "discard", NULL };

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is(n->name, "script"))
			lint_findings_add(f, &bimi_file_codes[BF_SVG_SCRIPT], where,
			    -1L, "<script>");
		for (size_t i = 0; animation[i]; i++)
			if (is(n->name, animation[i]))
				lint_findings_add(f,
				    &bimi_file_codes[BF_SVG_ANIMATION], where, -1L,
				    animation[i]);
		if (is(n->name, "image") || is(n->name, "foreignObject"))
			lint_findings_add(f, &bimi_file_codes[BF_SVG_RASTER],
			    where, -1L, (const char *)n->name);
		for (const xmlAttr *a = n->properties; a; a = a->next) {
			const char *v = attr_value(a);

			if (strncasecmp((const char *)a->name, "on", 2) == 0) {
				char what[80];

				snprintf(what, sizeof(what), "the %s attribute",
				    (const char *)a->name);
				lint_findings_add(f, &bimi_file_codes[BF_SVG_SCRIPT],
				    where, -1L, what);
			}
			if (is(a->name, "href") && v[0] != '#')
				lint_findings_add(f,
				    &bimi_file_codes[BF_SVG_EXTERNAL], where, -1L,
				    v);
			if (strstr(v, "url(") && !strstr(v, "url(#"))
				lint_findings_add(f,
				    &bimi_file_codes[BF_SVG_EXTERNAL], where, -1L,
				    v);
		}
		svg_walk(n->children, where, f);
	}
}

void
bimi_svg_check(const char *svg, size_t len, const char *where,
    lint_findings_t *f)
{
	xmlDocPtr doc;
	const xmlNode *root;
	bool title = false;

	if (len > BIMI_SVG_MAX)
		lint_findings_add(f, &bimi_file_codes[BF_SVG_SIZE], where, -1L,
		    len);
	if (len > 4 * BIMI_SVG_MAX)
		return;		/* not worth parsing */
	if (!xml_load()) {
		lint_findings_add(f, &bimi_file_codes[BF_SVG_XML], where, -1L,
		    "libxml2 could not be loaded to read it", 0);
		return;
	}
	/* no network, no entity expansion, no messages on stderr */
	doc = xml.read_memory(svg, (int)len, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc == NULL) {
		const xmlError *e = xml.last_error();
		char msg[200];

		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message :
		    "unreadable");
		msg[strcspn(msg, "\n")] = '\0';
		lint_findings_add(f, &bimi_file_codes[BF_SVG_XML], where, -1L,
		    msg, e ? e->line : 0);
		xml.reset_last_error();
		return;
	}
	if (doc->intSubset)
		lint_findings_add(f, &bimi_file_codes[BF_SVG_DOCTYPE], where, -1L);
	root = xml.root_element(doc);
	if (root == NULL || !is(root->name, "svg") || root->ns == NULL ||
	    !is(root->ns->href, "http://www.w3.org/2000/svg")) {
		lint_findings_add(f, &bimi_file_codes[BF_SVG_ROOT], where, -1L,
		    root ? (const char *)root->name : "(none)");
		xml.free_doc(doc);
		return;
	}
	xmlChar *version = xml.get_prop(root, (const xmlChar *)"version");
	xmlChar *profile = xml.get_prop(root, (const xmlChar *)"baseProfile");

	if (!is(version, "1.2"))
		lint_findings_add(f, &bimi_file_codes[BF_SVG_VERSION], where, -1L,
		    version ? (const char *)version : "(none)");
	if (!is(profile, "tiny-ps"))
		lint_findings_add(f, &bimi_file_codes[BF_SVG_PROFILE], where, -1L,
		    profile ? (const char *)profile : "(none)");
	(*xml.free)(version);
	(*xml.free)(profile);
	for (const char *xy = "x"; xy; xy = *xy == 'x' ? "y" : NULL)
		if (xml.has_prop(root, (const xmlChar *)xy))
			lint_findings_add(f, &bimi_file_codes[BF_SVG_XY], where,
			    -1L, xy);
	for (const xmlNode *c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && is(c->name, "title")) {
			xmlChar *t = xml.node_content(c);

			title = t && t[strspn((const char *)t, " \t\r\n")];
			(*xml.free)(t);
		}
	if (!title)
		lint_findings_add(f, &bimi_file_codes[BF_SVG_TITLE], where, -1L);
	svg_walk(root, where, f);
	xml.free_doc(doc);
}

/* ---- the certificate ---- */

static void
time_text(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(buf, len, "%Y-%m-%d", &tm);
	else
		snprintf(buf, len, "?");
}

void
bimi_cert_check(const char *pem, size_t len, const char *domain, time_t now,
    const char *where, lint_findings_t *f)
{
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	char from[32], until[32], subject[256] = "?", issuer[256] = "?";
	ASN1_OBJECT *logotype;
	int day, sec;

	BIO_free(b);
	if (x == NULL) {
		lint_findings_add(f, &bimi_file_codes[BF_CERT_PARSE], where, -1L);
		return;
	}
	if (now == 0)
		now = time(NULL);
	time_text(X509_get0_notBefore(x), from, sizeof(from));
	time_text(X509_get0_notAfter(x), until, sizeof(until));
	X509_NAME_oneline(X509_get_subject_name(x), subject, sizeof(subject));
	X509_NAME_oneline(X509_get_issuer_name(x), issuer, sizeof(issuer));
	lint_findings_add(f, &bimi_file_codes[BF_CERT], where, -1L, subject,
	    issuer, until);
	ASN1_TIME *at = ASN1_TIME_set(NULL, now);

	if (X509_cmp_time(X509_get0_notBefore(x), &now) > 0)
		lint_findings_add(f, &bimi_file_codes[BF_CERT_NOT_YET], where,
		    -1L, from);
	else if (X509_cmp_time(X509_get0_notAfter(x), &now) < 0)
		lint_findings_add(f, &bimi_file_codes[BF_CERT_EXPIRED], where,
		    -1L, until);
	else if (at && ASN1_TIME_diff(&day, &sec, at,
	    X509_get0_notAfter(x)) == 1 && day < BIMI_CERT_SOON)
		lint_findings_add(f, &bimi_file_codes[BF_CERT_EXPIRING], where,
		    -1L, day, day == 1 ? "" : "s", until);
	ASN1_TIME_free(at);
	if (X509_check_host(x, domain, strlen(domain),
	    X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL) != 1)
		lint_findings_add(f, &bimi_file_codes[BF_CERT_NAME], where, -1L,
		    domain);
	logotype = OBJ_txt2obj("1.3.6.1.5.5.7.1.12", 1);
	if (logotype == NULL || X509_get_ext_by_OBJ(x, logotype, -1) < 0)
		lint_findings_add(f, &bimi_file_codes[BF_CERT_LOGOTYPE], where,
		    -1L);
	ASN1_OBJECT_free(logotype);
	X509_free(x);
}

/* ---- fetching them ---- */

static void
fetch(const char *url, const https_options_t *ho, https_result_t *h,
    bool *ok, lint_report_t *rp)
{
	https_options_t o = *ho;
	https_status_t st;

	o.max_bytes = 4 * BIMI_SVG_MAX;
	*ok = false;
	st = https_get(url, &o, h);
	if (https_status_is_failure(st)) {
		if (!rp->dns_failed)
			snprintf(rp->error, sizeof(rp->error), "fetching %.150s: %.230s",
			    url, h->error);
		rp->dns_failed = true;
	} else if (st == HTTPS_OFFLINE || st == HTTPS_PENDING) {
		rp->skipped = true;
		snprintf(rp->skipped_why, sizeof(rp->skipped_why), "the logo "
		    "and certificate were not fetched (--offline)");
	} else if (st != HTTPS_OK)
		lint_findings_add(&rp->f, &bimi_file_codes[BF_FETCH], url, -1L,
		    url, h->error);
	else if (h->code != 200)
		lint_findings_add(&rp->f, &bimi_file_codes[BF_HTTP], url, -1L,
		    url, h->code, h->location ? " to " : "", h->location ?
		    h->location : "");
	else
		*ok = true;
}

void
bimi_files_fetch_check(const char *record, const char *domain,
    const https_options_t *ho, lint_report_t *rp)
{
	lint_taglist_t t;
	const lint_tag_t *l, *a;
	https_result_t h;
	size_t at;
	bool ok;

	lint_taglist_parse(record, strlen(record), &t, &at);
	l = lint_taglist_get(&t, "l");
	a = lint_taglist_get(&t, "a");
	if (l && strncasecmp(l->value, "https://", 8) == 0) {
		fetch(l->value, ho, &h, &ok, rp);
		if (ok)
			bimi_svg_check(h.body ? h.body : "", h.len, l->value,
			    &rp->f);
		https_result_clear(&h);
	}
	if (a && strncasecmp(a->value, "https://", 8) == 0) {
		fetch(a->value, ho, &h, &ok, rp);
		if (ok)
			bimi_cert_check(h.body ? h.body : "", h.len, domain, 0,
			    a->value, &rp->f);
		https_result_clear(&h);
	}
	lint_taglist_clear(&t);
}
