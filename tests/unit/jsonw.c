/* The JSON line writer gives the bytes of jansson's compact dump */
#include <stdlib.h>
#include <string.h>

#include "cli/jsonw.h"
#include "tests/unit/tap.h"

void
test_jsonw(void)
{
	static const char *const strings[] = { "", "plain", "q\"uote",
	    "back\\slash", "/slash", "\b\f\n\r\t", "\x01\x1f\x7f", "caf\xc3\xa9",
	    "\xe2\x82\xac\xf0\x9f\x98\x80", "v=spf1 ip4:192.0.2.1 -all" };
	jw_t w;

	jw_init(&w);
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		json_t *doc = json_pack("{s:s, s:i, s:b, s:n, s:[s, i], s:{}}",
		    "s", strings[i], "i", -42, "b", 1, "n", "a", strings[i], 7,
		    "o");
		char *want = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);

		jw_reset(&w);
		jw_object(&w, NULL);
		jw_string(&w, "s", strings[i]);
		jw_int(&w, "i", -42);
		jw_bool(&w, "b", true);
		jw_null(&w, "n");
		jw_array(&w, "a");
		jw_string(&w, NULL, strings[i]);
		jw_int(&w, NULL, 7);
		jw_close(&w, ']');
		jw_object(&w, "o");
		jw_close(&w, '}');
		jw_close(&w, '}');
		tap_check(want && w.len == strlen(want) &&
		    memcmp(w.buf, want, w.len) == 0, "jsonw: string %zu as "
		    "jansson writes it: %s", i, want ? want : "(none)");
		free(want);
		json_decref(doc);
	}
	/* invalid UTF-8, which jansson refuses, is escaped a byte at a time */
	jw_reset(&w);
	jw_string(&w, NULL, "a\xff\xc3(");
	tap_check(w.len == 16 && memcmp(w.buf, "\"a\\u00FF\\u00C3(\"", 16) == 0,
	    "jsonw: invalid UTF-8 is escaped: %.*s", (int)w.len, w.buf);
	jw_free(&w);
}
