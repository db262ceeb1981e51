#!/bin/sh
# Copy to /etc/cron.hourly/ and edit: flattens each domain's readable
# source record (kept at _spf-source.DOMAIN) into zone-file records that
# NSD includes, and reloads NSD only when something changed.  Any failure
# leaves the published records as they were; a DNS failure twice in a row
# is mailed.
DOMAINS="example.com"
ZONEDIR=/etc/nsd/spf
STATE=/var/lib/authzone
MAILTO=hostmaster@example.com
mkdir -p "$ZONEDIR" "$STATE"
changed=0
for d in $DOMAINS; do
	out=$(spf-flatten --source "_spf-source.$d" --output "$ZONEDIR/$d.zone" \
	    --state "$STATE/$d.json" "$d" 2>&1)
	case $? in
	0) [ -n "$out" ] && changed=1; rm -f "$STATE/$d.dnsfail" ;;
	3) [ -e "$STATE/$d.dnsfail" ] &&
		printf '%s\n' "$out" | mail -s "spf-flatten: DNS failed for $d" "$MAILTO"
	   touch "$STATE/$d.dnsfail" ;;
	*) printf '%s\n' "$out" | mail -s "spf-flatten refused $d" "$MAILTO" ;;
	esac
done
# the zone files $INCLUDE the snippets; bump the serials your own way
[ $changed = 1 ] && nsd-control reload
exit 0
