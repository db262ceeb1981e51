#!/usr/bin/env bash
# The cron job as a user sets it up (examples/spf-flatten-cron.sh): a zone
# file that $INCLUDEs the snippet, served by NSD as Debian ships it (rate
# limiting on) with a secondary NSD that transfers from it, and the same
# with Knot DNS.  The job runs across provider changes; what counts is
# what the servers answer afterwards.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
CRON=$T_LIB/../examples/spf-flatten-cron.sh
q() { /usr/bin/python3 "$T_LIB/dnsq.py" "$@"; }

# the provider's include and our source record, in their own zones
provider() {	# SERIAL RANGES...
	serial=$1
	shift
	{
		printf '$ORIGIN mailer.test.\n$TTL 300\n@ SOA ns host %s 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$serial"
		# one string of at most 255 bytes a range
		printf '_spf TXT ( "v=spf1"'
		for r in "$@"; do printf ' " ip4:%s"' "$r"; done
		printf ' " ~all" )\n'
	} >zones/mailer.test.zone
}
mkdir -p zones spf state
provider 1 85.10.0.0/24 85.10.1.0/24 85.20.0.0/16
cat >zones/db.example.test <<Z
\$ORIGIN example.test.
\$TTL 3600
@	SOA ns hostmaster (
		2026010100 ; serial, YYYYMMDDnn
		3600 600 86400 300 )
@	NS ns
ns	A 127.0.0.1
@	300 TXT "google-site-verification=abc123"
_spf-source TXT "v=spf1 ip4:85.1.2.0/24 include:_spf.mailer.test -all"
\$INCLUDE $T_TMP/spf/example.test.zone
Z
: >spf/example.test.zone	# the first run fills it

start() {	# DIR PORT ZONE: nsd from DIR/nsd.conf, until ZONE answers
	nsd -d -c "$1/nsd.conf" >"$1/stdout" 2>&1 &
	T_PIDS="$T_PIDS $!"
	for _ in $(seq 1 100); do
		/usr/bin/python3 "$T_LIB/dnsprobe.py" "$2" "$3" && return 0
		sleep 0.05
	done
	cat "$1/nsd.log" "$1/stdout" >&2
	return 1
}

PRI=$(free_port)
SEC=$(free_port)
# as shipped (rate limiting on), control over a unix socket
nsd_conf "$T_TMP/pri" "$PRI" "remote-control:" "  control-enable: yes" \
    "  control-interface: $T_TMP/pri/nsd.ctl" \
    "zone:" "  name: example.test" "  zonefile: db.example.test" \
    "  notify: 127.0.0.1@$SEC NOKEY" "  provide-xfr: 127.0.0.1 NOKEY" \
    "zone:" "  name: mailer.test" "  zonefile: mailer.test.zone"
nsd_conf "$T_TMP/sec" "$SEC" \
    "zone:" "  name: example.test" "  request-xfr: 127.0.0.1@$PRI NOKEY" \
    "  allow-notify: 127.0.0.1 NOKEY"
start "$T_TMP/pri" "$PRI" example.test || { t_not_ok "primary NSD starts"; t_done; exit; }
start "$T_TMP/sec" "$SEC" example.test || { t_not_ok "secondary NSD starts"; t_done; exit; }
CTL="nsd-control -c $T_TMP/pri/nsd.conf"

export SPF_DOMAINS=example.test SPF_SNIPPET="$T_TMP/spf/%d.zone" \
    SPF_ZONEFILE="$T_TMP/zones/db.%d" SPF_STATE="$T_TMP/state/%d.json" \
    SPF_RELOAD="touch $T_TMP/reloaded; $CTL reload %d" \
    SPF_VERIFY="127.0.0.1@$PRI" SPF_FLATTEN="$BIN/spf-flatten" \
    SPF_OPTIONS="--server 127.0.0.1@$PRI --timeout 500 --deadline 10000"
unset MAILTO

# cron RUN-NAME: the job, as cron runs it
cron() { rm -f reloaded; run sh "$CRON"; }
serial() { q "${2:-$PRI}" example.test SOA; }
served() { q "${2:-$PRI}" "$1" TXT | grep '^v=spf1'; }
# eventually SECONDS CMD...: CMD succeeds within SECONDS
eventually() {
	limit=$1
	shift
	for _ in $(seq 1 $((limit * 10))); do "$@" && return 0; sleep 0.1; done
	return 1
}

s0=$(serial)
cron
expect "the first run publishes" 0 '^spf-flatten: example.test: 1 record, 66304 IPv4 and 0 IPv6 addresses, 0/10 lookups, written to .*, serial 2026010100 -> '
s1=$(serial)
[ "$s1" -gt "$s0" ] && t_ok "NSD serves a higher serial ($s0 -> $s1)" || t_not_ok "NSD serves a higher serial" "$s0 -> $s1"
[ "$s1" -ge "$(date -u +%Y%m%d)00" ] && t_ok "the serial keeps its YYYYMMDDnn form" || t_not_ok "the serial keeps its YYYYMMDDnn form" "$s1"
[ "$(served example.test)" = "v=spf1 ip4:85.1.2.0/24 ip4:85.10.0.0/23 ip4:85.20.0.0/16 -all" ] &&
    t_ok "NSD serves the flattened record" || t_not_ok "NSD serves the flattened record" "$(served example.test)"
grep -q 'v=spf1' spf/example.test.zone && [ -e reloaded ] && t_ok "the snippet is written and the reload ran" || t_not_ok "the snippet is written and the reload ran"
grep -q '^example.test. 300 IN TXT' spf/example.test.zone && t_ok "the snippet's TTL follows the TXT it joins (300)" || t_not_ok "the snippet's TTL follows the TXT it joins" "$(cat spf/example.test.zone)"
out=$(nsd-checkzone example.test zones/db.example.test 2>&1)
printf '%s' "$out" | grep -qi 'ttl' && t_not_ok "nsd-checkzone: no mixed TTL warning" "$out" || t_ok "nsd-checkzone: no mixed TTL warning"
grep -q '2026010100 ; serial, YYYYMMDDnn' zones/db.example.test && t_not_ok "the serial is raised in the file" || t_ok "the serial is raised in the file"
grep -q '; serial, YYYYMMDDnn' zones/db.example.test && t_ok "the file keeps its comments and layout" || t_not_ok "the file keeps its comments and layout" "$(cat zones/db.example.test)"
sec_has() { [ "$(serial "" "$SEC")" = "$1" ]; }
eventually 10 sec_has "$s1" && t_ok "the secondary transfers the new serial" || t_not_ok "the secondary transfers the new serial" "$(serial "" "$SEC")"
[ "$(served example.test "$SEC")" = "$(served example.test)" ] && t_ok "the secondary serves the new record" || t_not_ok "the secondary serves the new record"

cp zones/db.example.test zone.before
cron
expect "unchanged: exit 0" 0
[ -z "$OUT$ERR" ] && t_ok "unchanged: silent" || t_not_ok "unchanged: silent" "$OUT$ERR"
cmp -s zones/db.example.test zone.before && [ "$(serial)" = "$s1" ] && t_ok "unchanged: no serial raised" || t_not_ok "unchanged: no serial raised"
[ ! -e reloaded ] && t_ok "unchanged: no reload" || t_not_ok "unchanged: no reload"

# the provider adds a range: the next run publishes it everywhere
provider 2 85.10.0.0/24 85.10.1.0/24 85.20.0.0/16 85.30.0.0/24
$CTL reload mailer.test >/dev/null
eventually 5 sh -c "q() { /usr/bin/python3 $T_LIB/dnsq.py \"\$@\"; }; q $PRI _spf.mailer.test TXT | grep -q 85.30"
cron
expect "a provider change is published" 0 'written to'
s2=$(serial)
[ "$s2" -gt "$s1" ] && t_ok "a higher serial again ($s2)" || t_not_ok "a higher serial again" "$s1 -> $s2"
served example.test | grep -q 'ip4:85.30.0.0/24' && t_ok "NSD serves the provider's new range" || t_not_ok "NSD serves the provider's new range" "$(served example.test)"
eventually 10 sh -c "/usr/bin/python3 $T_LIB/dnsq.py $SEC example.test TXT | grep -q 85.30" && t_ok "the secondary serves it too" || t_not_ok "the secondary serves it too"

# a reload that fails: exit 5, remembered, tried again next run
provider 3 85.10.0.0/24 85.20.0.0/16 85.30.0.0/24 85.40.0.0/24
$CTL reload mailer.test >/dev/null
eventually 5 sh -c "/usr/bin/python3 $T_LIB/dnsq.py $PRI _spf.mailer.test TXT | grep -q 85.40"
SPF_RELOAD=false run sh "$CRON"
expect "a failed reload: exit 5" 5
printf '%s' "$OUT" | grep -q "'false' failed (exit 1); the next run tries the reload again" && t_ok "and says so" || t_not_ok "and says so" "$OUT"
grep -q '"pending": "reload"' state/example.test.json && t_ok "the state remembers the reload" || t_not_ok "the state remembers the reload" "$(cat state/example.test.json)"
served example.test | grep -q 85.40 && t_not_ok "NSD still serves the old record" || t_ok "NSD still serves the old record"
cron
expect "the next run reloads although the records did not change" 0
[ -e reloaded ] && served example.test | grep -q 'ip4:85.40.0.0/24' && t_ok "and NSD serves them now" || t_not_ok "and NSD serves them now" "$(served example.test)"
grep -q '"pending": null' state/example.test.json && t_ok "nothing pending after it" || t_not_ok "nothing pending after it"

# a reload that loads nothing: --verify notices
provider 4 85.10.0.0/24 85.20.0.0/16 85.50.0.0/24
$CTL reload mailer.test >/dev/null
eventually 5 sh -c "/usr/bin/python3 $T_LIB/dnsq.py $PRI _spf.mailer.test TXT | grep -q 85.50"
SPF_RELOAD=true SPF_OPTIONS="$SPF_OPTIONS --deadline 1500" run sh "$CRON"
expect "--verify: a reload that loaded nothing is exit 6" 6
printf '%s' "$OUT" | grep -q "does not serve the new records before the deadline: example.test SOA\|does not serve the new records before the deadline: example.test serves serial" && t_ok "and says what the server answered" || t_not_ok "and says what the server answered" "$OUT"
cron
expect "the next run reloads and checks again" 0
served example.test | grep -q 'ip4:85.50.0.0/24' && t_ok "then NSD serves the change" || t_not_ok "then NSD serves the change"

# the zone as it is about to be loaded lints clean, flattened parts too
provider 5 85.20.0.0/16 $(for i in $(seq 0 2 90); do printf '85.60.%d.0/24 ' "$i"; done)
$CTL reload mailer.test >/dev/null
eventually 5 sh -c "/usr/bin/python3 $T_LIB/dnsq.py $PRI _spf.mailer.test TXT | grep -q 85.60.90"
cron
expect "a long result is split over chained records" 0 '[0-9] records'
run "$BIN/spf-lint" --server "127.0.0.1@$PRI" --zone zones/db.example.test
expect "spf-lint --zone follows the \$INCLUDE: every record lints clean" 0 '^== _spf1.example.test'
expect_not "no finding on any generated record" '^(warning|error) +[a-z-]+ at (example\.test|_spf[0-9]+\.example\.test)'

# Knot DNS as the primary: knotc zone-reload
KNOT=$(free_port)
mkdir -p knot/db
cp zones/db.example.test knot/db.example.test
cat >knot/knot.conf <<K
server:
    listen: 127.0.0.1@$KNOT
    rundir: "$T_TMP/knot"
control:
    listen: "$T_TMP/knot/knot.sock"
database:
    storage: "$T_TMP/knot/db"
template:
  - id: default
    storage: "$T_TMP/knot"
    file: "db.%s"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: example.test
log:
  - target: stderr
    any: warning
K
knotd -c knot/knot.conf >knot/log 2>&1 &
T_PIDS="$T_PIDS $!"
eventually 5 /usr/bin/python3 "$T_LIB/dnsprobe.py" "$KNOT" example.test || cat knot/log
knot_cron() {
	SPF_ZONEFILE="$T_TMP/knot/db.%d" SPF_STATE="$T_TMP/state/knot-%d.json" \
	    SPF_RELOAD="knotc -c $T_TMP/knot/knot.conf zone-reload %d" \
	    SPF_VERIFY="127.0.0.1@$KNOT" run sh "$CRON"
}
k0=$(serial "" "$KNOT")
provider 6 85.70.0.0/24
$CTL reload mailer.test >/dev/null
eventually 5 sh -c "/usr/bin/python3 $T_LIB/dnsq.py $PRI _spf.mailer.test TXT | grep -q 85.70"
knot_cron
expect "Knot: the job publishes" 0 'written to'
k1=$(serial "" "$KNOT")
[ "$k1" -gt "$k0" ] && served example.test "$KNOT" | grep -q 'ip4:85.70.0.0/24' && t_ok "Knot serves the new records and a higher serial ($k0 -> $k1)" || t_not_ok "Knot serves the new records" "$k0 -> $k1 $(served example.test "$KNOT")"
provider 7 85.80.0.0/24
$CTL reload mailer.test >/dev/null
eventually 5 sh -c "/usr/bin/python3 $T_LIB/dnsq.py $PRI _spf.mailer.test TXT | grep -q 85.80"
knot_cron
expect "Knot: the second run publishes the change" 0 'written to'
served example.test "$KNOT" | grep -q 'ip4:85.80.0.0/24' && t_ok "Knot serves it" || t_not_ok "Knot serves it" "$(served example.test "$KNOT")"

# the cron script: a failure is its exit status, and it needs no mail(1)
SPF_OPTIONS="--server 127.0.0.1@1 --timeout 200 --retries 0" MAILTO=root PATH=/usr/bin:/bin run sh "$CRON"
expect "the script exits with spf-flatten's status when DNS fails" 3
printf '%s' "$ERR" | grep -q 'DNS failed for example.test' && t_ok "and reports on stderr without mail(1)" || t_not_ok "and reports on stderr without mail(1)" "$ERR"

# the systemd units beside the script
units_verify authzone-spf-flatten "$CRON"
t_done
