#!/bin/sh
# spf-flatten-cron.sh: the hourly job that keeps flattened SPF records
# published.  For each domain it flattens the readable source record into
# the snippet the zone file $INCLUDEs, and when the records changed it
# raises the zone's SOA serial, reloads the server and asks the server
# until it answers the new records.  Nothing is written on any failure;
# an unchanged run writes and prints nothing.
#
# Copy it to /etc/cron.hourly/ (or use the systemd timer beside it) and
# set what differs from the defaults in the environment, or in
# /etc/default/authzone-spf-flatten, which it reads when present.  In the
# values, %d stands for the domain.
#
#   SPF_DOMAINS    the domains                     [example.com]
#   SPF_SOURCE     the name of the source record   [_spf-source.%d]
#   SPF_SNIPPET    the snippet the zone includes   [/etc/nsd/spf/%d.zone]
#   SPF_ZONEFILE   the zone file including it; empty: no serial raised
#                                                  [/etc/nsd/zones/%d.zone]
#   SPF_STATE      the state file                  [/var/lib/authzone/%d.json]
#   SPF_RELOAD     the reload command; empty: none [nsd-control reload %d]
#   SPF_VERIFY     the server that must answer the change; empty: no check
#                                                  [127.0.0.1]
#   SPF_OPTIONS    more options for spf-flatten (--server, --max-shrink, ...)
#   SPF_FLATTEN    the program                     [spf-flatten]
#   MAILTO         where failures are mailed when mail(1) is installed;
#                  without it they go to stderr, which cron mails anyway
#
# For BIND:  SPF_RELOAD='rndc reload %d'
# For Knot:  SPF_RELOAD='knotc zone-reload %d'
#
# Exit status: 0 when every domain is published or unchanged, else the
# worst spf-flatten status of the run (see spf-flatten(1)).
[ -r /etc/default/authzone-spf-flatten ] && . /etc/default/authzone-spf-flatten

: "${SPF_DOMAINS=example.com}"
: "${SPF_SOURCE=_spf-source.%d}"
: "${SPF_SNIPPET=/etc/nsd/spf/%d.zone}"
: "${SPF_ZONEFILE=/etc/nsd/zones/%d.zone}"
: "${SPF_STATE=/var/lib/authzone/%d.json}"
: "${SPF_RELOAD=nsd-control reload %d}"
: "${SPF_VERIFY=127.0.0.1}"
: "${SPF_OPTIONS=}"
: "${SPF_FLATTEN=spf-flatten}"

# %d -> the domain
fill() { printf '%s\n' "$1" | sed "s/%d/$2/g"; }

report() {	# SUBJECT TEXT
	if [ -n "${MAILTO:-}" ] && command -v mail >/dev/null 2>&1; then
		printf '%s\n' "$2" | mail -s "$1" "$MAILTO"
	else
		printf '%s\n%s\n' "$1" "$2" >&2
	fi
}

worst=0
for d in $SPF_DOMAINS; do
	snippet=$(fill "$SPF_SNIPPET" "$d")
	state=$(fill "$SPF_STATE" "$d")
	mkdir -p "$(dirname "$snippet")" "$(dirname "$state")" || { worst=2; continue; }
	set -- --source "$(fill "$SPF_SOURCE" "$d")" --output "$snippet" \
	    --state "$state"
	[ -n "$SPF_ZONEFILE" ] && set -- "$@" --bump-serial "$(fill "$SPF_ZONEFILE" "$d")"
	[ -n "$SPF_RELOAD" ] && set -- "$@" --reload "$(fill "$SPF_RELOAD" "$d")"
	[ -n "$SPF_VERIFY" ] && set -- "$@" --verify "$SPF_VERIFY"
	# shellcheck disable=SC2086
	out=$("$SPF_FLATTEN" $SPF_OPTIONS "$@" "$d" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out"
	case $rc in
	0) ;;
	3) report "spf-flatten: DNS failed for $d; the published records stay" "$out" ;;
	*) report "spf-flatten: $d: exit $rc" "$out" ;;
	esac
	# the worst of the run: not served (5, 6), then DNS, refusal, the rest
	for s in 5 6 3 1 7 2 4; do
		[ "$rc" = "$s" ] && { worst=$s; break; }
		[ "$worst" = "$s" ] && break
	done
done
exit "$worst"
