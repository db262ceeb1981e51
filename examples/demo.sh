#!/bin/sh
# The main job on the bundled examples: lint the SPF of three domains from
# the example zones, offline, as an administrator would before loading
# them.  example.com is clean, parked.example.com has the null SPF, and
# news.example.com has crossed the 10-lookup limit, which spf-lint must
# catch (exit 1).  Then every mail record of example.com and of the parked
# name in one screen each (mail-audit), and what the zone's names that send
# no mail should publish.
set -u
bin=${1:-bin}
cd "$(dirname "$0")/.." || exit 2
zones="--offline --zone examples/zones/db.example.com --zone examples/zones/db.example.net --zone examples/zones/db.example.org"
fail=0
for case in "example.com 0" "parked.example.com 0" "news.example.com 1"; do
	set -- $case
	echo "\$ spf-lint $zones $1"
	# shellcheck disable=SC2086
	"$bin/spf-lint" $zones "$1"
	rc=$?
	echo "(exit $rc)"
	echo
	[ "$rc" = "$2" ] || { echo "demo: $1 exited $rc, expected $2" >&2; fail=1; }
done
echo "\$ mail-audit $zones example.com"
# shellcheck disable=SC2086
"$bin/mail-audit" $zones example.com
rc=$?
echo "(exit $rc)"
echo
[ "$rc" = 0 ] || { echo "demo: mail-audit example.com exited $rc, expected 0" >&2; fail=1; }
echo "\$ mail-audit --parked $zones parked.example.com"
# shellcheck disable=SC2086
"$bin/mail-audit" --parked $zones parked.example.com
rc=$?
echo "(exit $rc)"
echo
[ "$rc" = 0 ] || { echo "demo: mail-audit parked.example.com exited $rc, expected 0" >&2; fail=1; }
echo "\$ nomail-gen --zone examples/zones/db.example.com"
"$bin/nomail-gen" --zone examples/zones/db.example.com || fail=1
echo
[ $fail = 0 ] && echo "demo: all verdicts as expected"
exit $fail
