#include "lint/tagrec.h"

#include <string.h>

/* codes[0] syntax, codes[1] version, codes[2] duplicate */
int
lint_tagrec_open(const char *text, const char *where, const char *version,
    bool optional, const lint_code_t *codes, lint_taglist_t *t,
    lint_findings_t *f)
{
	size_t at;
	int rc = lint_taglist_parse(text, strlen(text), t, &at);

	if (rc != 0)
		lint_findings_add(f, &codes[0], where, (long)at, at);
	if (t->n == 0 && rc != 0)
		return -1;
	if (optional && lint_taglist_get(t, "v") == NULL)
		;
	else if (t->n == 0 || strcmp(t->v[0].name, "v") != 0 ||
	    strcmp(t->v[0].value, version) != 0 || t->v[0].offset != 0)
		lint_findings_add(f, &codes[1], where, 0L, version);
	const lint_tag_t *d = lint_taglist_duplicate(t);

	if (d)
		lint_findings_add(f, &codes[2], where, (long)d->offset, d->name);
	return 0;
}
