#include "lint/uri.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

/* A hostname of LDH labels with an alphabetic top label */
#define HOST "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}\\.?"
/* RFC 5322 dot-atom local parts, as mail really uses them */
#define LOCAL "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"

static const char *const patterns[] = {
	"^mailto:" LOCAL "@" HOST "$",
	"^mailto:" LOCAL "@" HOST "(?:![0-9]+[kmgt]?)?$",
	"^https://" HOST "(?::[0-9]{1,5})?(?:/[^\\s,;!]*)?$",
};

static pcre2_code *
compiled(size_t i)
{
	static pcre2_code *code[3];

	if (code[i] == NULL) {
		int err;
		PCRE2_SIZE off;

		code[i] = pcre2_compile((PCRE2_SPTR)patterns[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &off, NULL);
	}
	return code[i];
}

static bool
matches(size_t i, const char *s)
{
	pcre2_code *re = compiled(i);
	pcre2_match_data *md;
	int rc;

	if (re == NULL || (md = pcre2_match_data_create_from_pattern(re,
	    NULL)) == NULL)
		return false;
	rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc > 0;
}

bool
lint_uri_report_ok(const char *uri, bool allow_size)
{
	return matches(allow_size ? 1 : 0, uri) || matches(2, uri);
}
