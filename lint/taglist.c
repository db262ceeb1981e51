#include "lint/taglist.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS] (";" / end); tag-value
 * is tvals (VALCHAR = %x21-3A / %x3C-7E) separated by whitespace */
static const char pattern[] =
    "\\G[ \\t\\r\\n]*([A-Za-z][A-Za-z0-9_]*)[ \\t\\r\\n]*=[ \\t\\r\\n]*"
    "((?:[!-:<-~]+(?:[ \\t\\r\\n]+[!-:<-~]+)*)?)[ \\t\\r\\n]*(;|$)";

static pcre2_code *
compiled(void)
{
	static pcre2_code *code;
	int err;
	PCRE2_SIZE off;

	if (code == NULL) {
		code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
		    PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
		/* every DKIM-Signature of a batch comes through here: matched
		 * by PCRE2's JIT where it has one (a failure leaves the
		 * interpreter, which gives the same matches) */
		if (code != NULL)
			(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	}
	return code;
}

int
lint_taglist_parse(const char *text, size_t len, lint_taglist_t *out,
    size_t *err_at)
{
	pcre2_code *re = compiled();
	pcre2_match_data *md;
	size_t at = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (re == NULL || (md = pcre2_match_data_create_from_pattern(re,
	    NULL)) == NULL) {
		*err_at = 0;
		return -1;
	}
	while (at < len) {
		PCRE2_SIZE *ov;
		lint_tag_t *v;

		/* only whitespace left after a final ";" */
		if (strspn(text + at, " \t\r\n") >= len - at)
			break;
		if (pcre2_match(re, (PCRE2_SPTR)text, len, at, 0, md, NULL) < 0) {
			/* where it breaks: skip the whitespace first */
			*err_at = at + strspn(text + at, " \t\r\n");
			rc = -1;
			break;
		}
		ov = pcre2_get_ovector_pointer(md);
		if ((v = realloc(out->v, (out->n + 1) * sizeof(*v))) == NULL) {
			rc = -1;
			*err_at = at;
			break;
		}
		out->v = v;
		v[out->n].name = strndup(text + ov[2], ov[3] - ov[2]);
		v[out->n].value = strndup(text + ov[4], ov[5] - ov[4]);
		v[out->n].offset = ov[2];
		v[out->n].value_offset = ov[4];
		out->n++;
		if (ov[1] == at) {
			/* an empty match at the end: nothing more */
			break;
		}
		at = ov[1];
	}
	pcre2_match_data_free(md);
	return rc;
}

void
lint_taglist_clear(lint_taglist_t *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].value);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

const lint_tag_t *
lint_taglist_get(const lint_taglist_t *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].name && strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

const lint_tag_t *
lint_taglist_duplicate(const lint_taglist_t *t)
{
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = i + 1; j < t->n; j++)
			if (t->v[i].name && t->v[j].name &&
			    strcmp(t->v[i].name, t->v[j].name) == 0)
				return &t->v[j];
	return NULL;
}
