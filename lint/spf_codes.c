#include "lint/spf_codes.h"

#define E LINT_ERROR
#define W LINT_WARNING
#define I LINT_INFO

const lint_code_t spf_codes[SPF_CODE_COUNT] = {
	[SPF_NO_RECORD] = { "spf-no-record", E,
	    "no SPF record: no TXT record starts with \"v=spf1\"",
	    "RFC 7208 4.5", "publish one TXT record starting with \"v=spf1 \"" },
	[SPF_MULTIPLE_RECORDS] = { "spf-multiple-records", E,
	    "%zu TXT records start with \"v=spf1\"; receivers give permerror",
	    "RFC 7208 4.5", "merge them into one record" },
	[SPF_TYPE99_PRESENT] = { "spf-type99-present", W,
	    "an SPF (type 99) record is published; receivers ignore it",
	    "RFC 7208 3.1", "remove the type 99 record, keep the TXT record" },
	[SPF_NOT_SPF] = { "spf-not-spf", E,
	    "the record does not start with \"v=spf1\" followed by a space "
	    "or its end", "RFC 7208 4.5", "start the record with \"v=spf1 \"" },
	[SPF_BAD_CHAR] = { "spf-bad-char", E,
	    "character 0x%02x is not allowed here",
	    "RFC 7208 12", "terms are separated by single spaces and use "
	    "visible ASCII only" },
	[SPF_UNKNOWN_MECHANISM] = { "spf-unknown-mechanism", E,
	    "unknown mechanism \"%s\"", "RFC 7208 5",
	    "use all, include, a, mx, ptr, ip4, ip6 or exists" },
	[SPF_MISSING_ARGUMENT] = { "spf-missing-argument", E,
	    "\"%s\" needs %s", "RFC 7208 12", NULL },
	[SPF_UNEXPECTED_ARGUMENT] = { "spf-unexpected-argument", E,
	    "\"%s\" takes no \"%s\"", "RFC 7208 12", NULL },
	[SPF_BAD_IP4] = { "spf-bad-ip4", E,
	    "\"%s\" is not an IPv4 address in dotted-quad form",
	    "RFC 7208 5.6", "write four decimal octets without leading zeros" },
	[SPF_BAD_IP6] = { "spf-bad-ip6", E,
	    "\"%s\" is not an IPv6 address", "RFC 7208 5.6", NULL },
	[SPF_BAD_CIDR] = { "spf-bad-cidr", E,
	    "bad prefix length \"%s\": %s", "RFC 7208 5.6",
	    "IPv4 prefixes are 0 to 32, IPv6 0 to 128, without leading zeros" },
	[SPF_BAD_DOMAIN_SPEC] = { "spf-bad-domain-spec", E,
	    "bad domain \"%s\": %s", "RFC 7208 7.1", NULL },
	[SPF_BAD_MACRO] = { "spf-bad-macro", E,
	    "bad macro: %s", "RFC 7208 7.1",
	    "write %{letter[digits][r][delimiters]}, %%, %_ or %-" },
	[SPF_BAD_MODIFIER] = { "spf-bad-modifier", E,
	    "bad modifier \"%s\": %s", "RFC 7208 6", NULL },
	[SPF_DUPLICATE_MODIFIER] = { "spf-duplicate-modifier", E,
	    "\"%s\" appears more than once", "RFC 7208 6",
	    "keep one" },
	[SPF_UNKNOWN_MODIFIER] = { "spf-unknown-modifier", I,
	    "unknown modifier \"%s\" is ignored by receivers", "RFC 7208 6",
	    NULL },
	[SPF_MECHANISM_AS_MODIFIER] = { "spf-mechanism-as-modifier", W,
	    "\"%s=\" is an unknown modifier, ignored; \"%s:\" was probably "
	    "meant", "RFC 7208 6", "write the mechanism with a colon" },
	[SPF_TERMS_AFTER_ALL] = { "spf-terms-after-all", W,
	    "%zu term(s) after \"all\" are never evaluated", "RFC 7208 5.1",
	    "move them before \"all\" or remove them" },
	[SPF_REDIRECT_IGNORED] = { "spf-redirect-ignored", W,
	    "\"redirect\" is ignored because the record has \"all\"",
	    "RFC 7208 6.1", "remove one of them" },
	[SPF_TOO_MANY_LOOKUPS] = { "spf-too-many-lookups", E,
	    "%s%u DNS-querying terms, more than the limit of 10; receivers "
	    "give permerror", "RFC 7208 4.6.4",
	    "remove unused includes, replace a and mx by ip4/ip6, or flatten "
	    "(spf-flatten)" },
	[SPF_TOO_MANY_VOID_LOOKUPS] = { "spf-too-many-void-lookups", E,
	    "%s%u void lookups, more than the limit of 2; receivers give "
	    "permerror", "RFC 7208 4.6.4",
	    "remove the terms whose names do not resolve" },
	[SPF_TOO_MANY_MX] = { "spf-too-many-mx", E,
	    "%s has %zu MX names, more than the limit of 10",
	    "RFC 7208 4.6.4", "list the mail hosts with ip4/ip6 instead" },
	[SPF_PTR_DEPRECATED] = { "spf-ptr-deprecated", W,
	    "\"ptr\" is slow, unreliable and should not be used",
	    "RFC 7208 5.5", "use ip4, ip6, a or include instead" },
	[SPF_INCLUDE_NO_RECORD] = { "spf-include-no-record", E,
	    "included %s has no SPF record (%s); receivers give permerror",
	    "RFC 7208 5.2", "remove the include or fix the name" },
	[SPF_REDIRECT_NO_RECORD] = { "spf-redirect-no-record", E,
	    "redirect target %s has no SPF record (%s); receivers give "
	    "permerror", "RFC 7208 6.1", "fix the redirect target" },
	[SPF_INCLUDE_LOOP] = { "spf-include-loop", E,
	    "%s leads back to %s, a loop; receivers give permerror",
	    "RFC 7208 4.6.4", "break the loop" },
	[SPF_MACRO_TARGET] = { "spf-macro-target", I,
	    "\"%s\" depends on the sender: its lookup is counted but not "
	    "resolved", "RFC 7208 7", NULL },
	[SPF_NO_DOMAIN] = { "spf-no-domain", I,
	    "\"%s\" uses the current domain, which was not given: its lookup "
	    "is counted but not resolved", NULL,
	    "give the domain after the options" },
	[SPF_WALK_TRUNCATED] = { "spf-walk-truncated", W,
	    "the tree was cut after %u lookups; the total is higher", NULL,
	    NULL },
	[SPF_PASS_ALL] = { "spf-pass-all", E,
	    "\"%s\" lets every host on the internet pass", "RFC 7208 5.1",
	    "end the record with -all or ~all" },
	[SPF_NEUTRAL_ALL] = { "spf-neutral-all", W,
	    "\"?all\" gives neutral for every other host, which protects "
	    "nothing", "RFC 7208 8.2", "end the record with -all or ~all" },
	[SPF_NO_ALL] = { "spf-no-all", W,
	    "neither \"all\" nor \"redirect\": other hosts get neutral",
	    "RFC 7208 4.7", "end the record with -all or ~all" },
	[SPF_HOST_BITS] = { "spf-host-bits", W,
	    "\"%s\" has host bits set; it means %s", "RFC 7208 5.6",
	    "write the network address" },
	[SPF_PRIVATE_RANGE] = { "spf-private-range", W,
	    "\"%s\" is in %s, which never sends mail on the internet",
	    NULL, "remove it" },
	[SPF_BROAD_RANGE] = { "spf-broad-range", W,
	    "\"%s\" authorizes %s", NULL, "list the sending hosts narrowly" },
	[SPF_RECORD_TOO_LONG] = { "spf-record-too-long", W,
	    "the record is %zu bytes, more than 450", "RFC 7208 3.4",
	    "shorten it or move terms into an include" },
	[SPF_ANSWER_TOO_BIG] = { "spf-answer-too-big", W,
	    "the TXT answer for %s is %zu bytes, more than 512: it needs "
	    "EDNS or TCP", "RFC 7208 3.4", "remove other TXT records there, "
	    "or shorten the SPF record" },
	[SPF_STRING_TOO_LONG] = { "spf-string-too-long", I,
	    "the record is %zu bytes: publish it as several strings of at "
	    "most 255 bytes in one TXT record", "RFC 7208 3.3", NULL },
	[SPF_DNS_FAILURE] = { "spf-dns-failure", E,
	    "looking up %s %s failed (%s, %s): the result is incomplete",
	    "RFC 7208 5", "retry later, or check that name's servers" },
};

int
spf_finding(lint_findings_t *f, spf_code_t c, const char *domain,
    long offset, ...)
{
	va_list ap;
	int rc;

	va_start(ap, offset);
	rc = lint_findings_vadd(f, &spf_codes[c], domain, offset, ap);
	va_end(ap);
	return rc;
}
