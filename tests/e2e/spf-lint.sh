#!/usr/bin/env bash
# spf-lint against a real NSD on loopback, serving zones made here.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T_TMP/zones"
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$1" "$1" "$1"; }
long() { printf 'x%.0s' $(seq 1 "$1"); }

{
	soa lint.test
	cat <<'Z'
clean      TXT "v=spf1 ip4:85.100.0.0/24 include:_spf.prov.test mx -all"
clean      MX 10 mx1
mx1        A 85.100.0.25
; exactly 10 and 11 lookups: 2 includes of 4 "a" each, plus 2 or 3
lim10      TXT "v=spf1 include:l4a include:l4b -all"
lim11      TXT "v=spf1 include:l4a include:l4b a -all"
lim10      A 85.100.0.1
lim11      A 85.100.0.1
l4a        TXT "v=spf1 a a a a -all"
l4a        A 85.100.0.2
l4b        TXT "v=spf1 a a a a ~all"
l4b        AAAA 2001:67c:10::1
; 2 and 3 void lookups
void2      TXT "v=spf1 a:nx1.lint.test mx:empty.lint.test -all"
void3      TXT "v=spf1 a:nx1.lint.test mx:empty.lint.test exists:nx3.lint.test -all"
empty      TXT "not spf"
; 10 and 11 MX names
mx10       TXT "v=spf1 mx -all"
mx11       TXT "v=spf1 mx -all"
Z
	for i in $(seq 1 10); do echo "mx10 MX $i m$i"; echo "mx11 MX $i m$i"; echo "m$i A 85.100.1.$i"; done
	echo "mx11 MX 11 m11"
	echo "m11 A 85.100.1.11"
	cat <<'Z'
; loops
loopa      TXT "v=spf1 include:loopb.lint.test -all"
loopb      TXT "v=spf1 ip4:85.100.2.0/24 include:loopa.lint.test -all"
selfredir  TXT "v=spf1 ip4:85.100.3.0/24 redirect=selfredir.lint.test"
; includes of names without SPF
noinc      TXT "v=spf1 include:empty.lint.test -all"
nxinc      TXT "v=spf1 include:nothere.lint.test -all"
badredir   TXT "v=spf1 redirect=empty.lint.test"
; several SPF records
multi      TXT "v=spf1 ip4:85.100.4.0/24 -all"
multi      TXT "v=spf1 ip4:85.100.5.0/24 -all"
multi      TXT "google-site-verification=abc"
; one record over several strings
split      TXT "v=spf1 ip4:85.100.6.0/24 " "include:_spf.prov.test" " -all"
; a type 99 record beside the TXT
both       TXT "v=spf1 ip4:85.100.7.0/24 -all"
both       SPF "v=spf1 ip4:85.100.7.0/24 -all"
; failures through the proxy
slowinc    TXT "v=spf1 include:_spf.slow.test ip4:85.100.8.0/24 -all"
failinc    TXT "v=spf1 include:_spf.fail.test -all"
; a CNAME on the way
cnameinc   TXT "v=spf1 include:alias.lint.test -all"
alias      CNAME _spf.prov.test.
; redirect as the whole policy
redir      TXT "v=spf1 redirect=_spf.prov.test"
; policy findings
passall    TXT "v=spf1 a +all"
passall    A 85.100.9.1
noall      TXT "v=spf1 ip4:85.100.9.0/24"
private    TXT "v=spf1 ip4:10.1.2.3 ip4:85.100.9.1/24 ip6:2001:db8::/32 ip4:8.0.0.0/6 -all"
; wide: eight includes of one more level each: three round trips
wide       TXT "v=spf1 include:w1 include:w2 include:w3 include:w4 include:w5 include:w6 include:w7 include:w8 -all"
Z
	for i in 1 2 3 4 5 6 7 8; do
		echo "w$i TXT \"v=spf1 include:d$i.lint.test -all\""
		echo "d$i TXT \"v=spf1 ip4:85.101.$i.0/24 -all\""
	done
	# answers too big for 1232 bytes of UDP: TCP, and the 512-byte warning
	echo "big TXT \"v=spf1 ip4:85.100.10.0/24 -all\""
	for i in 1 2 3 4 5 6; do echo "big TXT \"$(long 240)$i\""; done
	# three big ones included side by side: their TCP retries overlap
	echo "bigs TXT \"v=spf1 include:big.lint.test include:big2.lint.test include:big3.lint.test -all\""
	for b in big2 big3; do
		echo "$b TXT \"v=spf1 ip4:85.100.11.0/24 -all\""
		for i in 1 2 3 4 5 6; do echo "$b TXT \"$(long 240)$i\""; done
	done
} >"$T_TMP/zones/lint.test.zone"
sed -i 's/include:l4a /include:l4a.lint.test /; s/include:l4b /include:l4b.lint.test /; s/include:w\([0-9]\) /include:w\1.lint.test /g' "$T_TMP/zones/lint.test.zone"
{
	soa prov.test
	cat <<'Z'
_spf       TXT "v=spf1 ip4:85.102.0.0/20 ip6:2a00:1450::/32 include:_nb.prov.test ~all"
_nb        TXT "v=spf1 ip4:85.103.0.0/16 -all"
Z
} >"$T_TMP/zones/prov.test.zone"
{ soa slow.test; echo '_spf TXT "v=spf1 -all"'; } >"$T_TMP/zones/slow.test.zone"
{ soa fail.test; echo '_spf TXT "v=spf1 -all"'; } >"$T_TMP/zones/fail.test.zone"

nsd_start lint.test prov.test slow.test fail.test || { t_not_ok "nsd starts"; t_done; exit; }
proxy_start -x slow.test -s fail.test
S="--server 127.0.0.1@$NSD_PORT"
P="--server 127.0.0.1@$PROXY_PORT"

run "$BIN/spf-lint" $S clean.lint.test
expect "clean domain: exit 0 and 3 lookups" 0 '^lookups 3/10, void 0/2$' \
    '^\|-- 1 include:_spf.prov.test \(2 ip4/ip6, ~all\)$' \
    '^\|   `-- 2 include:_nb.prov.test \(1 ip4/ip6, -all\)$' \
    '^`-- 3 mx \(1 MX name\)$'

run "$BIN/spf-lint" $S lim10.lint.test
expect "exactly 10 lookups pass" 0 '^lookups 10/10, void 0/2$'
expect_not "no lookup error at 10" 'spf-too-many-lookups'
run "$BIN/spf-lint" $S lim11.lint.test
expect "11 lookups are an error" 1 '^lookups 11/10' \
    '^error   spf-too-many-lookups at lim11.lint.test offset 51$'

run "$BIN/spf-lint" $S void2.lint.test
expect "2 void lookups pass" 0 '^lookups 2/10, void 2/2$' '1 a:nx1.lint.test \[void\]'
run "$BIN/spf-lint" $S void3.lint.test
expect "3 void lookups are an error" 1 'spf-too-many-void-lookups at void3.lint.test offset 42' \
    'void 3/2'

run "$BIN/spf-lint" $S mx10.lint.test
expect "10 MX names pass" 0 '1 mx \(10 MX names\)'
run "$BIN/spf-lint" $S mx11.lint.test
expect "11 MX names are an error" 1 'spf-too-many-mx' 'mx11.lint.test has 11 MX names'

run timeout 10 "$BIN/spf-lint" $S loopa.lint.test
expect "include loop is found and ends" 1 'spf-include-loop' \
    'loopb.lint.test leads back to loopa.lint.test' '\[loop\]'
run timeout 10 "$BIN/spf-lint" $S selfredir.lint.test
expect "redirect to itself is a loop" 1 'spf-include-loop'

run "$BIN/spf-lint" $S noinc.lint.test
expect "include of a name without SPF" 1 'spf-include-no-record' \
    'included empty.lint.test has no SPF record \(TXT records, none starting with v=spf1\)'
run "$BIN/spf-lint" $S nxinc.lint.test
expect "include of a name that does not exist" 1 'spf-include-no-record' \
    'the name does not exist' '\[void\]' 'void 1/2'
run "$BIN/spf-lint" $S badredir.lint.test
expect "redirect to a name without SPF" 1 'spf-redirect-no-record'

run "$BIN/spf-lint" $S multi.lint.test
expect "several SPF records are an error" 1 \
    'spf-multiple-records' '2 TXT records start with "v=spf1"'

run "$BIN/spf-lint" $S split.lint.test
expect "a record split over strings is joined" 0 \
    '^v=spf1 ip4:85.100.6.0/24 include:_spf.prov.test -all$' '^lookups 2/10'

run "$BIN/spf-lint" $S both.lint.test
expect "a type 99 record is a warning" 0 'spf-type99-present'
run "$BIN/spf-lint" --strict $S both.lint.test
expect "--strict turns warnings into exit 1" 1 'spf-type99-present'

start=$(date +%s%N)
run "$BIN/spf-lint" $P --timeout 300 --retries 1 slowinc.lint.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "a timeout is exit 3 and no verdict" 3 'spf-dns-failure' \
    '_spf.slow.test TXT failed \(timeout' 'incomplete'
expect_not "a timeout never prints a complete count" '^lookups [0-9]+/10'
if [ "$ms" -lt 2500 ]; then t_ok "timeout honoured ($ms ms for 2 tries of 300)"; else
	t_not_ok "timeout honoured" "took $ms ms"; fi
start=$(date +%s%N)
run "$BIN/spf-lint" $P --timeout 5000 --deadline 700 slowinc.lint.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "the run deadline ends a slow run" 3 'run deadline'
if [ "$ms" -lt 1500 ]; then t_ok "deadline honoured ($ms ms for 700)"; else
	t_not_ok "deadline honoured" "took $ms ms"; fi
run_timed "$BIN/spf-lint" $P failinc.lint.test
expect "SERVFAIL is exit 3" 3 '_spf.fail.test TXT failed \(servfail'
# the proxy's SERVFAIL has RA, as a resolver's: a single domain does not
# load it, so it is the answer, asked again only within a sequential
# client's 3 tries of 2 s (it was held 16 s, then asked when idle: 21 s)
[ "$MS" -lt 7000 ] && t_ok "within a sequential client's time ($MS ms)" ||
    t_not_ok "within a sequential client's time" "$MS ms"
run "$BIN/spf-lint" --server 127.0.0.1@$PROXY_PORT --server 127.0.0.1@$NSD_PORT \
    --timeout 300 --retries 1 slowinc.lint.test
expect "a dead server is retried on the next" 0 '^lookups 1/10'

run "$BIN/spf-lint" $S cnameinc.lint.test
expect "an include through a CNAME" 0 '1 include:alias.lint.test \(2 ip4/ip6, ~all\)' \
    '^lookups 2/10'
run "$BIN/spf-lint" $S redir.lint.test
expect "redirect counts and decides the policy" 0 '1 redirect=_spf.prov.test' \
    '^lookups 2/10'
run "$BIN/spf-lint" $S passall.lint.test
expect "+all is an error" 1 'spf-pass-all'
run "$BIN/spf-lint" $S noall.lint.test
expect "no all is a warning" 0 'spf-no-all'
run "$BIN/spf-lint" $S private.lint.test
expect "private, host-bit and broad ranges" 0 'spf-private-range at private.lint.test offset 7' \
    'spf-host-bits at private.lint.test offset 20' \
    '2001:db8::/32 \(documentation' 'spf-broad-range' 'authorizes a /6'

run "$BIN/spf-lint" $S big.lint.test
expect "a truncated answer is retried over TCP" 0 '^lookups 0/10' 'spf-answer-too-big'

proxy_start -d 150
start=$(date +%s%N)
run "$BIN/spf-lint" --server "127.0.0.1@$PROXY_PORT" --json bigs.lint.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "three truncated answers at 150 ms a round trip" 0
expect_json "the TCP retries count a round each, side by side" '(j["lookups"], j["dns"]["rounds"])' "(3, 3)"
# sequential TCP retries would take 5 round trips: 750 ms and more
if [ "$ms" -lt 700 ]; then
	t_ok "the TCP retries overlap: $ms ms for 3 rounds of 150 ms"
else
	t_not_ok "the TCP retries overlap" "$ms ms"
fi

run "$BIN/spf-lint" $S --json wide.lint.test
expect "wide tree in --json" 1
expect_json "16 lookups counted" 'j["lookups"]' 16
expect_json "independent queries go out together: 3 rounds" 'j["dns"]["rounds"]' 3
expect_json "18 queries for 17 records and the SPF type" 'j["dns"]["queries"]' 18
expect_json "more than one query in flight" 'j["dns"]["max_in_flight"] >= 8' True
expect_json "the tree nests" 'j["tree"]["terms"][0]["tree"]["terms"][0]["tree"]["domain"]' d1.lint.test
expect_json "findings carry code and severity" \
    '[(f["code"], f["severity"]) for f in j["findings"]]' "[('spf-too-many-lookups', 'error')]"

run "$BIN/spf-lint" $S --record 'v=spf1 include:_spf.prov.test a:mx1.lint.test -all' clean.lint.test
expect "a candidate record resolves its terms" 0 '^lookups 3/10'

run "$BIN/spf-lint" $S --json --record 'v=spf1 include:_spf.prov.test include:_spf.prov.test -all' clean.lint.test
expect "a duplicate include" 0
expect_json "every occurrence counts" 'j["lookups"]' 4
expect_json "but no name is asked twice: 2 queries" 'j["dns"]["queries"]' 2

cat >"$T_TMP/db.lint.test" <<'Z'
$ORIGIN lint.test.
@ SOA ns host 2 3600 600 86400 300
clean TXT "v=spf1 include:_spf.prov.test include:l4a.lint.test -all"
l4a TXT "v=spf1 a -all"
l4a A 85.100.0.2
Z
run "$BIN/spf-lint" $S --zone "$T_TMP/db.lint.test" clean.lint.test
expect "--zone answers before DNS, the rest from DNS" 0 '^lookups 4/10' \
    '^\|-- 1 include:_spf.prov.test'
run "$BIN/spf-lint" --offline --zone "$T_TMP/db.lint.test" clean.lint.test
expect "--offline never asks the network" 3 '_spf.prov.test TXT failed \(no zone file has it'
run "$BIN/spf-lint" --offline --zone "$T_TMP/db.lint.test" lim10.lint.test
expect "a name the zone lacks is NXDOMAIN" 1 'spf-no-record'

t_done
