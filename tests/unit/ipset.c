/* Address sets: aggregation into the shortest exact CIDR list, union,
 * difference, equality. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flatten/ipset.h"
#include "tests/unit/tap.h"

static void
add(fl_set_t *s, const char *cidr)
{
	char buf[64];
	uint8_t a[16];
	char *slash;
	bool six = strchr(cidr, ':') != NULL;

	snprintf(buf, sizeof(buf), "%s", cidr);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	inet_pton(six ? AF_INET6 : AF_INET, buf, a);
	fl_set_add(s, six, a, slash ? atoi(slash) : six ? 128 : 32);
}

static void
terms_are(fl_set_t *s, const char *want, const char *what)
{
	size_t n;
	char **t = fl_set_terms(s, &n), got[2048] = "";

	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(got, " ");
		strncat(got, t[i], sizeof(got) - strlen(got) - 1);
	}
	if (!tap_check(strcmp(got, want) == 0, "ipset: %s", what))
		tap_diag("got \"%s\"", got);
	fl_terms_free(t, n);
}

void
test_ipset(void)
{
	fl_set_t s, t;

	fl_set_init(&s);
	add(&s, "192.0.2.0/25");
	add(&s, "192.0.2.128/25");
	terms_are(&s, "ip4:192.0.2.0/24", "adjacent halves merge");
	add(&s, "192.0.2.77");
	add(&s, "192.0.2.0/26");
	terms_are(&s, "ip4:192.0.2.0/24", "contained ranges vanish");
	add(&s, "192.0.3.0/24");
	terms_are(&s, "ip4:192.0.2.0/23", "two /24 make a /23");
	add(&s, "192.0.4.0/24");
	terms_are(&s, "ip4:192.0.2.0/23 ip4:192.0.4.0/24",
	    "an unaligned run stays exact");
	add(&s, "10.0.0.5");
	add(&s, "10.0.0.6");
	add(&s, "10.0.0.7");
	terms_are(&s, "ip4:10.0.0.5 ip4:10.0.0.6/31 ip4:192.0.2.0/23 "
	    "ip4:192.0.4.0/24", "sorted numerically, single addresses bare");
	add(&s, "2001:db8::/33");
	add(&s, "2001:db8:8000::/33");
	add(&s, "2001:db8::1");
	terms_are(&s, "ip4:10.0.0.5 ip4:10.0.0.6/31 ip4:192.0.2.0/23 "
	    "ip4:192.0.4.0/24 ip6:2001:db8::/32", "IPv6 after IPv4, merged");
	fl_set_init(&t);
	add(&t, "192.0.2.0/24");
	add(&t, "2001:db8::/48");
	fl_set_subtract(&s, &t);
	terms_are(&s, "ip4:10.0.0.5 ip4:10.0.0.6/31 ip4:192.0.3.0/24 "
	    "ip4:192.0.4.0/24 ip6:2001:db8:1::/48 ip6:2001:db8:2::/47 "
	    "ip6:2001:db8:4::/46 ip6:2001:db8:8::/45 ip6:2001:db8:10::/44 "
	    "ip6:2001:db8:20::/43 ip6:2001:db8:40::/42 ip6:2001:db8:80::/41 "
	    "ip6:2001:db8:100::/40 ip6:2001:db8:200::/39 ip6:2001:db8:400::/38 "
	    "ip6:2001:db8:800::/37 ip6:2001:db8:1000::/36 "
	    "ip6:2001:db8:2000::/35 ip6:2001:db8:4000::/34 "
	    "ip6:2001:db8:8000::/33", "difference, exact to the bit");
	fl_set_clear(&t);
	fl_set_init(&t);
	add(&t, "0.0.0.0/0");
	add(&t, "::/0");
	terms_are(&t, "ip4:0.0.0.0/0 ip6:::/0", "the whole space");
	fl_set_clear(&s);
	fl_set_init(&s);
	add(&s, "::/1");
	add(&s, "8000::/1");
	add(&s, "0.0.0.0/1");
	add(&s, "128.0.0.0/1");
	tap_check(fl_set_equal(&s, &t), "halves equal the whole");
	tap_check(fl_set_size(&s, false) == 4294967296.0, "IPv4 size");
	{
		char c4[48], c6[48];
		fl_set_t u;

		fl_set_count(&s, false, c4, sizeof(c4));
		fl_set_count(&s, true, c6, sizeof(c6));
		tap_check(strcmp(c4, "4294967296") == 0 && strcmp(c6,
		    "340282366920938463463374607431768211456") == 0,
		    "exact counts of the whole spaces: %s, %s", c4, c6);
		fl_set_init(&u);
		add(&u, "2001:db8::/33");
		add(&u, "2001:db8::1");
		add(&u, "2001:db9::5");
		fl_set_count(&u, true, c6, sizeof(c6));
		tap_check(strcmp(c6, "39614081257132168796771975169") == 0,
		    "an exact IPv6 count past 2^53: %s", c6);
		fl_set_clear(&u);
	}
	add(&s, "255.255.255.255");
	terms_are(&s, "ip4:0.0.0.0/0 ip6:::/0", "the last address merges");
	fl_set_clear(&s);
	fl_set_clear(&t);
	/* reordering the input changes nothing */
	fl_set_init(&s);
	fl_set_init(&t);
	const char *list[] = { "85.1.2.0/24", "85.1.3.0/24", "2a00::/16",
	    "85.1.2.5", "85.0.0.0/16", "2a00:1::/32" };
	for (int i = 0; i < 6; i++) {
		add(&s, list[i]);
		add(&t, list[5 - i]);
	}
	tap_check(fl_set_equal(&s, &t), "the order of the input does not "
	    "matter");
	fl_set_clear(&s);
	fl_set_clear(&t);
}
