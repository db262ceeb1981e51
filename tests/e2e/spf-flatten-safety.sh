#!/usr/bin/env bash
# spf-flatten fails closed: a state file it cannot trust, two runs at once,
# a signal in the middle of a write, a primary that drip-feeds its answer,
# and --config runs that must write nothing.  Sources are given with
# --record, offline, so that only the guard under test decides.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1

A='v=spf1 ip4:85.1.0.0/16 ip4:85.2.0.0/24 ip6:2a01:10::/32 -all'
B='v=spf1 ip4:85.1.0.0/17 ip4:85.3.0.0/16 ip6:2a01:10::/33 ip6:2a01:20::/33 -all'
SMALL='v=spf1 ip4:85.1.0.0/24 -all'
flat() { "$BIN/spf-flatten" --offline "$@"; }

run flat --record "$A" --output out.zone --state state.json example.test
expect "a first run writes the records and the state" 0 'written to out.zone'
expect_json_file() {	# DESC FILE EXPR VALUE
	got=$(/usr/bin/python3 -c "import json,sys; j=json.load(open('$2')); print($3)" 2>&1)
	[ "$got" = "$4" ] && t_ok "$1" || t_not_ok "$1" "$3 = $got, want $4"
}
expect_json_file "the state's counts are exact: an integer, and the IPv6 count in digits" state.json \
    '(j["ip4_addresses"], j["ip6_addresses"], type(j["ip4_addresses"]).__name__)' \
    "(65792, '79228162514264337593543950336', 'int')"
expect_json_file "the state holds the SHA-256 of the output" state.json 'j["sha256"]' \
    "$(sha256sum out.zone | cut -d' ' -f1)"
cp out.zone out.good
cp state.json state.good

# every state that cannot be trusted: exit 2, nothing written
bad_state() {	# DESC: state.json as the caller left it
	cp out.good out.zone
	touch -d 2000-01-01 out.zone
	run timeout 10 "$BIN/spf-flatten" --offline --record "$SMALL" \
	    --output out.zone --state state.json example.test
	expect "$1: exit 2" 2
	if cmp -s out.zone out.good && [ "$(stat -c %Y out.zone)" = "$(date -d 2000-01-01 +%s)" ]; then
		t_ok "$1: the output is untouched"
	else
		t_not_ok "$1: the output is untouched"
	fi
	printf '%s' "$ERR" | grep -q 'remove it to start over' && t_ok "$1: says how to start over" ||
	    t_not_ok "$1: says how to start over" "$ERR"
}
head -c 40 state.good >state.json
bad_state "a truncated state"
: >state.json
bad_state "an empty state"
head -c 300 /dev/urandom >state.json
bad_state "a garbage state"
sed 's/"example.test"/"other.test"/' state.good >state.json
bad_state "the state of another domain"
printf '%s' "$ERR" | grep -q 'the state of other.test, not of example.test' && t_ok "and names both" || t_not_ok "and names both" "$ERR"
sed 's/"ip6_addresses": "[0-9]*"/"ip6_addresses": 7.922816251426434e+28/' state.good >state.json
bad_state "an IPv6 count as a float"
sed 's/authzone-spf-flatten-state 1/authzone-spf-flatten-state 9/' state.good >state.json
bad_state "a format of a later version"
sed 's/"records": [0-9]*/"records": -1/' state.good >state.json
bad_state "a negative record count"
printf '[1, 2]\n' >state.json
bad_state "JSON that is not a state"
rm -f state.json && mkdir state.json
bad_state "a directory"
rmdir state.json && mkfifo state.json
bad_state "a FIFO (and no wait on it)"
rm -f state.json

# the earlier format is still read, and rewritten in this one
printf '{"domain": "example.test", "ip4_addresses": 65792.0, "ip6_addresses": 7.922816251426434e+28, "records": 1}\n' >state.json
cp out.good out.zone
run flat --record "$A" --output out.zone --state state.json example.test
expect "the earlier state format is read" 0
expect_json_file "and rewritten in the new one, though the records did not change" state.json \
    '(j["format"], j["ip6_addresses"])' "('authzone-spf-flatten-state 1', '79228162514264337593543950336')"

# --state added to a job whose output is already current
rm -f state.json
run flat --record "$A" --output out.zone --state state.json example.test
expect "--state added to a current output: exit 0" 0
[ -z "$OUT" ] && [ -s state.json ] && t_ok "the state is written though nothing changed" || t_not_ok "the state is written though nothing changed" "$OUT"
run flat --record "$SMALL" --output out.zone --state state.json example.test
expect "so the next shrink is caught" 1
printf '%s' "$ERR" | grep -q 'shrink by 100%' && t_ok "and said" || t_not_ok "and said" "$ERR"

# one run at a time: a held lock makes a run wait, then give up
flock out.zone.lock sleep 1.5 &
sleep 0.3
run flat --record "$B" --output out.zone --state state.json --lock-wait 500 example.test
expect "a held lock: exit 7 after --lock-wait" 7
cmp -s out.zone out.good && t_ok "and nothing written" || t_not_ok "and nothing written"
wait

# two runs at once, 60 rounds: the state always matches the output
bad=0
for i in $(seq 1 60); do
	flat --record "$A" --output race.zone --state race.json --max-shrink 100 example.test >/dev/null 2>&1 &
	p1=$!
	flat --record "$B" --output race.zone --state race.json --max-shrink 100 example.test >/dev/null 2>&1 &
	p2=$!
	wait $p1; r1=$?
	wait $p2; r2=$?
	sha=$(sha256sum race.zone | cut -d' ' -f1)
	st=$(/usr/bin/python3 -c 'import json; print(json.load(open("race.json"))["sha256"])')
	if [ "$r1$r2" != 00 ] || [ "$sha" != "$st" ]; then
		bad=$((bad + 1))
		echo "# round $i: exits $r1 $r2, output $sha, state $st"
	fi
done
[ $bad = 0 ] && t_ok "60 rounds of two runs at once: both finish, state equals output every time" ||
    t_not_ok "two runs at once: $bad of 60 rounds wrong"
ls ./*.tmp.* >/dev/null 2>&1 && t_not_ok "no temporary file left by the races" || t_ok "no temporary file left by the races"

# a signal while the new file is being synced: no temporary file, the old
# output stays (strace holds the run in fsync)
for sig in TERM INT HUP; do
	cp out.good sig.zone
	strace -f -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=4000000 \
	    "$BIN/spf-flatten" --offline --record "$B" --output sig.zone example.test &
	sp=$!
	for _ in $(seq 1 100); do ls sig.zone.tmp.* >/dev/null 2>&1 && break; sleep 0.05; done
	if ! ls sig.zone.tmp.* >/dev/null 2>&1; then
		t_not_ok "SIG$sig: the run reached its write"
		wait $sp
		continue
	fi
	sleep 0.2
	kill -"$sig" "$(pgrep -P "$sp")"	# spf-flatten, strace's child
	{ wait $sp; } 2>/dev/null
	if ls sig.zone.tmp.* >/dev/null 2>&1; then
		t_not_ok "SIG$sig during fsync: no temporary file left" "$(ls sig.zone*)"
	else
		t_ok "SIG$sig during fsync: no temporary file left"
	fi
	cmp -s sig.zone out.good && t_ok "SIG$sig during fsync: the old output stays" || t_not_ok "SIG$sig during fsync: the old output stays"
done

# --update keeps to --deadline whatever the primary does
HP=$(free_port)
mkfifo hostile.ready
/usr/bin/python3 "$T_LIB/hostile_dns.py" "$HP" >hostile.ready &
T_PIDS="$T_PIDS $!"
read -r _ <hostile.ready
start=$(date +%s%N)
run "$BIN/spf-flatten" --server "127.0.0.1@$HP" --record "$A" --update "127.0.0.1@$HP" \
    --timeout 1000 --retries 0 --deadline 3000 updzone.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "a primary that drip-feeds its answer to the update: exit 3" 3
[ "$ms" -lt 4000 ] && t_ok "within --deadline 3000 ($ms ms)" || t_not_ok "within --deadline 3000" "$ms ms"
printf '%s' "$ERR" | grep -q 'no whole answer before the deadline' && t_ok "and says so" || t_not_ok "and says so" "$ERR"

# --config: --dry-run and --check never write; command-line options
# apply to every domain, over the file's own keys
cat >jobs.json <<J
{ "domains": [
  { "domain": "a.example.test", "record": "$A", "output": "cfg-a.zone", "state": "cfg-a.json", "ttl": 300 },
  { "domain": "b.example.test", "record": "$B", "output": "cfg-b.zone", "state": "cfg-b.json" }
] }
J
run flat --config jobs.json --dry-run
expect "--config --dry-run: exit 0, the records printed" 0 '^a.example.test. 300 IN TXT' '^b.example.test. 3600 IN TXT'
ls cfg-* >/dev/null 2>&1 && t_not_ok "--config --dry-run writes nothing" "$(ls cfg-*)" || t_ok "--config --dry-run writes nothing"
printf '$ORIGIN example.test.\n@ SOA ns host 1 2 3 4 5\n' >pub.zone
run flat --zone pub.zone --config jobs.json --check
expect "--config --check: exit 4 (nothing published)" 4
ls cfg-* ./*.lock 2>/dev/null | grep -q cfg- && t_not_ok "--config --check writes nothing" || t_ok "--config --check writes nothing"
run flat --config jobs.json --ttl 600
expect "--config with --ttl on the command line" 0
grep -q '^a.example.test. 600 IN TXT' cfg-a.zone && grep -q '^b.example.test. 600 IN TXT' cfg-b.zone &&
    t_ok "--ttl applies to every domain, over the file's own ttl" || t_not_ok "--ttl applies to every domain" "$(cat cfg-a.zone cfg-b.zone)"
t_done
