/* The BIMI logo and certificate checks: a table of SVG documents with
 * the codes each must give, and certificates made here with libcrypto
 * for every validity and naming case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "lint/bimi_files.h"
#include "tests/unit/tap.h"

#define HEAD "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" " \
	"baseProfile=\"tiny-ps\">"
#define GOOD HEAD "<title>Brand</title><path d=\"M0 0h10v10z\"/></svg>"

static const struct {
	const char *svg;
	const char *codes;	/* space-separated, in order */
} svgs[] = {
	{ GOOD, "" },
	{ "<?xml version=\"1.0\"?>\n" GOOD, "" },
	{ HEAD "<title>B</title><defs><linearGradient id=\"g\"/></defs>"
	  "<rect fill=\"url(#g)\" width=\"1\" height=\"1\"/>"
	  "<use href=\"#g\"/></svg>", "" },
	{ "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\">"
	  "<title>B</title></svg>", "bimi-svg-version bimi-svg-profile" },
	{ "<svg xmlns=\"http://www.w3.org/2000/svg\" baseProfile=\"tiny\" "
	  "version=\"1.2\"><title>B</title></svg>", "bimi-svg-profile" },
	{ HEAD "<path d=\"M0 0\"/></svg>", "bimi-svg-no-title" },
	{ HEAD "<title>  </title></svg>", "bimi-svg-no-title" },
	{ HEAD "<g><title>B</title></g></svg>", "bimi-svg-no-title" },
	{ HEAD "<title>B</title><script>alert(1)</script></svg>",
	  "bimi-svg-script" },
	{ HEAD "<title>B</title><rect onclick=\"x()\"/></svg>",
	  "bimi-svg-script" },
	{ HEAD "<title>B</title><rect><animate attributeName=\"x\"/></rect>"
	  "</svg>", "bimi-svg-animation" },
	{ HEAD "<title>B</title><set attributeName=\"x\" to=\"1\"/></svg>",
	  "bimi-svg-animation" },
	{ HEAD "<title>B</title><image href=\"data:image/png;base64,AA==\"/>"
	  "</svg>", "bimi-svg-raster bimi-svg-external" },
	{ HEAD "<title>B</title><foreignObject/></svg>", "bimi-svg-raster" },
	{ "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	  "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.2\" "
	  "baseProfile=\"tiny-ps\"><title>B</title>"
	  "<use xlink:href=\"https://evil.example/x.svg#a\"/></svg>",
	  "bimi-svg-external" },
	{ HEAD "<title>B</title><rect style=\"fill:url(https://x.example/p)\"/>"
	  "</svg>", "bimi-svg-external" },
	{ "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	  "baseProfile=\"tiny-ps\" x=\"0\" y=\"0\"><title>B</title></svg>",
	  "bimi-svg-xy bimi-svg-xy" },
	{ "<!DOCTYPE svg [<!ENTITY e \"x\">]>" GOOD, "bimi-svg-doctype" },
	{ "<svg version=\"1.2\" baseProfile=\"tiny-ps\"><title>B</title></svg>",
	  "bimi-svg-not-svg" },
	{ "<html xmlns=\"http://www.w3.org/2000/svg\"/>", "bimi-svg-not-svg" },
	{ "<svg", "bimi-svg-not-xml" },
	{ "", "bimi-svg-not-xml" },
	{ "\x89PNG\r\n\x1a\n", "bimi-svg-not-xml" },
	{ HEAD "<title>B</title></svg><svg/>", "bimi-svg-not-xml" },
};

static void
codes_of(const lint_findings_t *f, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, "%s%s", l ? " " : "", f->v[i].code->code);
	}
}

/* A self-signed certificate for the SAN names, valid from now+from to
 * now+until (seconds), with the logotype extension or without */
static char *
cert_make(const char *san, long from, long until, bool logotype)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	BIO *b = BIO_new(BIO_s_mem());
	char *pem = NULL, *p;
	long n;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), until);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	    (const unsigned char *)"Brand", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, k);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if (san) {
		e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	if (logotype) {
		ASN1_OBJECT *o = OBJ_txt2obj("1.3.6.1.5.5.7.1.12", 1);
		ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();

		ASN1_OCTET_STRING_set(v, (const unsigned char *)"\x30\x00", 2);
		e = X509_EXTENSION_create_by_OBJ(NULL, o, 0, v);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
		ASN1_OCTET_STRING_free(v);
		ASN1_OBJECT_free(o);
	}
	X509_sign(x, k, EVP_sha256());
	PEM_write_bio_X509(b, x);
	n = BIO_get_mem_data(b, &p);
	if (n > 0 && (pem = malloc((size_t)n + 1)) != NULL) {
		memcpy(pem, p, (size_t)n);
		pem[n] = '\0';
	}
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(k);
	return pem;
}

static void
cert_case(const char *what, const char *san, long from, long until,
    bool logotype, const char *want)
{
	char *pem = cert_make(san, from, until, logotype), got[512];
	lint_findings_t f;

	lint_findings_init(&f);
	bimi_cert_check(pem ? pem : "", pem ? strlen(pem) : 0, "brand.test", 0,
	    "https://brand.test/vmc.pem", &f);
	codes_of(&f, got, sizeof(got));
	if (!tap_check(strcmp(got, want) == 0, "certificate: %s", what))
		tap_diag("got \"%s\", want \"%s\"", got, want);
	lint_findings_clear(&f);
	free(pem);
}

void
test_bimi_files(void)
{
	char got[512], big[BIMI_SVG_MAX + 200];
	lint_findings_t f;

	for (size_t i = 0; i < sizeof(svgs) / sizeof(svgs[0]); i++) {
		lint_findings_init(&f);
		bimi_svg_check(svgs[i].svg, strlen(svgs[i].svg), "logo", &f);
		codes_of(&f, got, sizeof(got));
		if (!tap_check(strcmp(got, svgs[i].codes) == 0, "svg %zu: %s", i,
		    svgs[i].codes[0] ? svgs[i].codes : "clean"))
			tap_diag("got \"%s\" for %.80s", got, svgs[i].svg);
		lint_findings_clear(&f);
	}
	/* a valid logo padded past 32 KiB with a comment */
	snprintf(big, sizeof(big), "%s<!--", HEAD "<title>B</title>");
	memset(big + strlen(big), 'x', sizeof(big) - 12 - strlen(big));
	strcpy(big + sizeof(big) - 12, "--></svg>");
	lint_findings_init(&f);
	bimi_svg_check(big, strlen(big), "logo", &f);
	codes_of(&f, got, sizeof(got));
	tap_check(strcmp(got, "bimi-svg-too-big") == 0, "svg over 32 KiB: %s",
	    got);
	lint_findings_clear(&f);

	const long day = 86400;

	cert_case("valid, names the domain, logotype", "DNS:brand.test",
	    -day, 365 * day, true, "bimi-cert");
	cert_case("one name among several", "DNS:a.test,DNS:brand.test",
	    -day, 365 * day, true, "bimi-cert");
	cert_case("expired", "DNS:brand.test", -30 * day, -day, true,
	    "bimi-cert bimi-cert-expired");
	cert_case("not valid yet", "DNS:brand.test", day, 30 * day, true,
	    "bimi-cert bimi-cert-not-yet-valid");
	cert_case("expires in 5 days", "DNS:brand.test", -day, 5 * day + 60,
	    true, "bimi-cert bimi-cert-expiring");
	cert_case("expires in 20 days: no warning", "DNS:brand.test", -day,
	    20 * day, true, "bimi-cert");
	cert_case("another name", "DNS:other.test", -day, 365 * day, true,
	    "bimi-cert bimi-cert-name");
	cert_case("no SAN at all (the CN is not enough)", NULL, -day,
	    365 * day, true, "bimi-cert bimi-cert-name");
	cert_case("no logotype", "DNS:brand.test", -day, 365 * day, false,
	    "bimi-cert bimi-cert-no-logotype");
	lint_findings_init(&f);
	bimi_cert_check("-----BEGIN CERTIFICATE-----\nAAAA\n-----END "
	    "CERTIFICATE-----\n", 60, "brand.test", 0, "c", &f);
	codes_of(&f, got, sizeof(got));
	tap_check(strcmp(got, "bimi-cert-bad") == 0, "a broken PEM: %s", got);
	lint_findings_clear(&f);
	lint_findings_init(&f);
	bimi_cert_check("<html>not found</html>", 22, "brand.test", 0, "c", &f);
	codes_of(&f, got, sizeof(got));
	tap_check(strcmp(got, "bimi-cert-bad") == 0, "an HTML page: %s", got);
	lint_findings_clear(&f);
}
