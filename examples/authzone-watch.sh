#!/bin/sh
# authzone-watch.sh: the nightly "tell me when something broke" job.  It
# audits the domains against the last audit (mail-audit --baseline) and
# reads the DMARC reports that arrived since the last run (dmarc-report
# --state --check), and mails what changed, only when something did: an
# unchanged night sends nothing.
#
# Copy it to /usr/local/sbin/authzone-watch (the systemd units beside it
# start it daily; or a cron line, below) and set what differs from the
# defaults in the environment, or in /etc/default/authzone-watch, which it
# reads when present.
#
#   WATCH_DOMAINS    a file of domains, one per line [/etc/authzone/domains.txt]
#   WATCH_SELECTORS  DKIM selectors to check, "s1 s2"            [none]
#   WATCH_MAILDIR    the Maildir DMARC reports arrive in; empty: none  []
#   WATCH_STATE      where the baseline and the report state live
#                                                  [/var/lib/authzone]
#   WATCH_OPTIONS    more options for both tools (--server, ...)   []
#   WATCH_AUDIT_OPTIONS  more for mail-audit (--no-connect: no SMTP
#                    connection to the MX hosts, the tls area skipped) []
#   MAILTO           where the changes go, by mail(1); empty or no
#                    mail(1): on stdout (cron mails it, the journal keeps it)
#
# As a cron line instead of the units (cron mails output only when there
# is some):
#   MAILTO=postmaster@example.com
#   15 6 * * * mail-audit --baseline /var/lib/authzone/audit.jsonl --batch /etc/authzone/domains.txt
#
# Exit status: 0 when it ran (whatever changed), 2 when a tool could not
# run (a baseline refused, another run holding the lock, ...).
[ -r /etc/default/authzone-watch ] && . /etc/default/authzone-watch

: "${WATCH_DOMAINS=/etc/authzone/domains.txt}"
: "${WATCH_SELECTORS=}"
: "${WATCH_MAILDIR=}"
: "${WATCH_STATE=/var/lib/authzone}"
: "${WATCH_OPTIONS=}"
: "${WATCH_AUDIT_OPTIONS=}"
: "${MAILTO=}"

mkdir -p "$WATCH_STATE" || exit 2
sel=
for s in $WATCH_SELECTORS; do sel="$sel --selector $s"; done
status=0
# 0 nothing worse, 1 worse, 3 DNS failed for a domain (its state kept):
# each is a run that went through
# shellcheck disable=SC2086
changes=$(mail-audit --no-progress $WATCH_OPTIONS $WATCH_AUDIT_OPTIONS $sel \
    --baseline "$WATCH_STATE/audit.jsonl" --batch "$WATCH_DOMAINS" 2>&1)
case $? in 0|1|3) ;; *) status=2 ;; esac
if [ -n "$WATCH_MAILDIR" ]; then
	# shellcheck disable=SC2086
	reports=$(dmarc-report $WATCH_OPTIONS --check \
	    --state "$WATCH_STATE/dmarc-report.json" "$WATCH_MAILDIR" 2>&1)
	case $? in 0|1) ;; *) status=2 ;; esac
	[ -n "$reports" ] && changes="${changes:+$changes

}$reports"
fi
[ -z "$changes" ] && exit "$status"
if [ -n "$MAILTO" ] && command -v mail >/dev/null 2>&1; then
	printf '%s\n' "$changes" |
	    mail -s "authzone: changes on $(hostname)" "$MAILTO"
else
	printf '%s\n' "$changes"
fi
exit "$status"
