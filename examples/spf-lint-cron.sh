#!/bin/sh
# Copy to /etc/cron.daily/ and edit DOMAINS and MAILTO: lints each domain's
# published SPF and mails the report when a domain has errors, or when DNS
# failed twice in a row (a single failure may be the network's).
DOMAINS="example.com example.org"
MAILTO=postmaster@example.com
STATE=/var/lib/authzone
mkdir -p "$STATE"
for d in $DOMAINS; do
	report=$(spf-lint --timeout 3000 "$d" 2>&1)
	case $? in
	0) rm -f "$STATE/$d.dnsfail" ;;
	1) printf '%s\n' "$report" | mail -s "SPF errors for $d" "$MAILTO" ;;
	3) if [ -e "$STATE/$d.dnsfail" ]; then
		printf '%s\n' "$report" | mail -s "SPF check for $d failed" "$MAILTO"
	   fi
	   touch "$STATE/$d.dnsfail" ;;
	*) printf '%s\n' "$report" | mail -s "spf-lint misuse for $d" "$MAILTO" ;;
	esac
done
