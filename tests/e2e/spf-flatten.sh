#!/usr/bin/env bash
# spf-flatten against NSD: provider trees, splitting, zone checkers, an
# independent check by spf-eval, and failures that must leave the output
# and the state byte-identical.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$1" "$1" "$1"; }
provider() {	# the zone of a provider, with the record of _spf given
	{ soa "$1"; shift; printf '%s\n' "$@"; } >"zones/$zone.zone"
}
zone=mailer.test provider mailer.test \
    '_spf TXT "v=spf1 include:_nb1.mailer.test include:_nb2.mailer.test include:_nb3.mailer.test ~all"' \
    '_nb1 TXT "v=spf1 ip4:85.10.0.0/24 ip4:85.10.1.0/24 ip4:85.10.2.0/23 ip6:2a01:10::/33 ~all"' \
    '_nb2 TXT "v=spf1 ip4:85.11.0.0/16 ip4:85.10.4.0/22 -ip4:85.12.0.0/24 ip4:85.12.0.0/23 ip6:2a01:10:8000::/33 ~all"' \
    '_nb3 TXT "v=spf1 ip4:85.13.0.1 ip4:85.13.0.2 ip4:85.13.0.3 ip4:85.13.0.4 ip6:2a01:11::1 ?all"'
# 40 ranges that do not touch, over several strings of one record
more=$(for i in $(seq 0 2 78); do printf 'ip4:85.21.%d.0/24 ' "$i"; done)
more=$(printf 'v=spf1 %s-all' "$more" | fold -w 200 | sed 's/.*/"&"/' | tr '\n' ' ')
zone=crm.test provider crm.test \
    '_spf TXT "v=spf1 ip4:85.10.8.0/21 ip4:85.20.0.0/20 include:_more.crm.test -all"' \
    "_more TXT $more"
zone=bulk.test provider bulk.test \
    '_spf TXT "v=spf1 include:_a.bulk.test ip6:2a01:50::/48 -all"' \
    '_a TXT "v=spf1 include:_b.bulk.test ip4:85.50.0.0/24"' \
    '_b TXT "v=spf1 include:_c.bulk.test ip4:85.50.1.0/24 ip4:85.50.3.0/24"' \
    '_c TXT "v=spf1 ip4:85.50.2.0/24 ip4:85.51.0.0/16"'
zone=news.test provider news.test \
    '_spf TXT "v=spf1 ip4:85.30.0.0/24 ip4:85.30.2.0/24 ip4:85.30.4.0/24 ip4:85.30.6.0/24 ip4:85.30.8.0/24 ip4:85.30.10.0/24 ip4:85.30.12.0/24 ip4:85.30.14.0/24 ip6:2a01:30::/32 exists:%{i}._ex.news.test ~all"' \
    'sub TXT "v=spf1 include:_spf.news.test"'
zone=slow.test provider slow.test '_spf TXT "v=spf1 ip4:85.40.0.0/24 -all"'
zone=fail.test provider fail.test '_spf TXT "v=spf1 ip4:85.41.0.0/24 -all"'
zone=example.test provider example.test \
    '_src TXT "v=spf1 ip4:85.1.2.0/24 include:_spf.mailer.test include:_spf.crm.test include:_nb1.mailer.test include:_spf.bulk.test -all"' \
    '_src2 TXT "v=spf1 include:_spf.mailer.test include:sub.news.test mx:example.test a -all"' \
    '_src2 A 85.1.4.1' \
    '_src3 TXT "v=spf1 ip4:85.1.2.0/24 include:_spf.mailer.test include:_spf.crm.test -all"' \
    '_slow TXT "v=spf1 include:_spf.mailer.test include:_spf.slow.test -all"' \
    '_fail TXT "v=spf1 include:_spf.mailer.test include:_spf.fail.test -all"' \
    '@ MX 10 mx1' 'mx1 A 85.1.3.25'
nsd_start mailer.test crm.test bulk.test news.test slow.test fail.test example.test || { t_not_ok "nsd starts"; t_done; exit; }
proxy_start -x slow.test -s fail.test
S="--server 127.0.0.1@$NSD_PORT"
P="--server 127.0.0.1@$PROXY_PORT --timeout 200 --retries 0"

run "$BIN/spf-lint" $S _src.example.test
expect "the source needs 11 lookups" 1 '^lookups 11/10'
run "$BIN/spf-flatten" $S --source _src.example.test example.test
expect "flattened into the published record and three it includes" 0 \
    '^example.test. 3600 IN TXT "v=spf1 include:_spf1.example.test include:_spf2.example.test include:_spf3.example.test -all"$' \
    '^_spf1.example.test. 3600 IN TXT "v=spf1 ip4:85.1.2.0/24 ip4:85.10.0.0/20 ip4:85.11.0.0/16 ' \
    '^_spf3.example.test. 3600 IN TXT ' 'ip4:85.50.0.0/22[ "]' 'ip4:85.51.0.0/16 '
printf '%s\n' "$OUT" >flat.snip
expect_not "a denied range stays out: 85.12.0.0/24 is never listed" 'ip4:85\.12\.0\.0/2[34]'
printf '%s\n' "$OUT" | grep -q 'ip4:85.12.1.0/24' && t_ok "the rest of the /23 after the -ip4 stays in" || t_not_ok "the rest of the /23 after the -ip4 stays in"
printf '%s\n' "$OUT" | grep -q 'ip4:85.13.0.1 ip4:85.13.0.2/31 ip4:85.13.0.4' && t_ok "single addresses aggregate exactly" || t_not_ok "single addresses aggregate exactly" "$OUT"
printf '%s\n' "$OUT" | grep -q 'ip6:2a01:10::/32' && t_ok "adjacent IPv6 halves merge" || t_not_ok "adjacent IPv6 halves merge"
{
	printf '$ORIGIN example.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	cat flat.snip
} >check.zone
for c in "nsd-checkzone example.test check.zone" "named-checkzone -q example.test check.zone"; do
	if out=$($c 2>&1); then t_ok "${c%% *} loads the snippet"; else t_not_ok "${c%% *} loads the snippet" "$out"; fi
done
run "$BIN/spf-lint" $S --zone check.zone example.test
expect "the result lints clean within the limit" 0 '^lookups 3/10, void 0/2$'

# spf-eval judges both, a source within the limit and its result, for
# addresses at the edges of every range (beyond the limit a receiver gives
# permerror for what the source puts after it, so those are no measure)
judge() {	# judge SOURCE-NAME ADDRESS...
	src=$1
	shift
	"$BIN/spf-flatten" $S --source "$src" example.test >judged.snip || return 1
	{
		printf '$ORIGIN example.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n'
		cat judged.snip
	} >judged.zone
	agree=0 differ=0
	for ip in "$@"; do
		a=$("$BIN/spf-eval" $S --ip "$ip" --sender "x@$src" | head -1)
		b=$("$BIN/spf-eval" $S --zone judged.zone --ip "$ip" --sender "x@example.test" | head -1)
		if [ "$a" = "$b" ]; then agree=$((agree + 1)); else differ=$((differ + 1)); echo "# $ip: source $a, flattened $b"; fi
	done
	[ $differ = 0 ] && t_ok "spf-eval gives the same result for $agree addresses ($src)" ||
	    t_not_ok "spf-eval gives the same result ($src)" "$differ differ"
}
judge _src3.example.test 85.1.2.0 85.1.2.255 85.1.1.255 85.1.3.0 85.10.0.0 85.10.15.255 \
    85.10.16.0 85.11.0.0 85.11.255.255 85.12.0.0 85.12.0.255 85.12.1.0 85.12.1.255 \
    85.12.2.0 85.13.0.0 85.13.0.1 85.13.0.4 85.13.0.5 85.20.0.0 85.20.15.255 85.20.16.0 \
    85.21.0.5 85.21.1.5 85.21.22.255 85.21.23.0 85.21.78.255 85.21.79.0 2a01:10::1 \
    2a01:10:ffff::1 2a01:11::1 2a01:11::2 2a01:12::1 192.0.2.1
judge _spf.bulk.test 85.50.0.0 85.50.3.255 85.50.4.0 85.49.255.255 85.51.0.0 \
    85.51.255.255 85.52.0.0 2a01:50::1 2a01:50:1::1 2a01:4f::1

run "$BIN/spf-flatten" $S --source _src2.example.test -v example.test
expect "exists, mx and a are kept; the include holding exists is kept whole" 0 \
    '^example.test. 3600 IN TXT "v=spf1 include:sub.news.test mx:example.test a:_src2.example.test ip4:85.10.0.0/21 '
printf '%s' "$ERR" | grep -q 'kept "include:sub.news.test"' && t_ok "-v says what was kept" || t_not_ok "-v says what was kept" "$ERR"
printf '%s' "$ERR" | grep -q '^|-- 1 include:_spf.mailer.test' && t_ok "-v shows the source's tree" || t_not_ok "-v shows the source's tree" "$ERR"
run "$BIN/spf-flatten" $S --source _src2.example.test --resolve-a-mx example.test
expect "--resolve-a-mx turns mx and a (of the source's own name) into addresses" 0 'ip4:85.1.3.25 ip4:85.1.4.1 '
run "$BIN/spf-flatten" $S --source _src.example.test --keep '^_spf\.crm\.test$' example.test
expect "--keep keeps a matching include" 0 '^example.test. 3600 IN TXT "v=spf1 include:_spf.crm.test '
run "$BIN/spf-flatten" $S --source _src.example.test --max-lookups 1 example.test
expect "a result over --max-lookups is refused" 1
printf '%s' "$ERR" | grep -q 'more than --max-lookups 1' && t_ok "and says so" || t_not_ok "and says so" "$ERR"
run "$BIN/spf-flatten" $S --source _src.example.test --format json example.test
expect_json "json: the IPv6 count exact, in a string" '(j["lookups"], int(j["ip6_addresses"]) > 2**90, isinstance(j["ip6_addresses"], str), len(j["records"]))' "(3, True, True, 4)"
# one after another they would take a round each; how many are in flight
# at once is not asked: the pace spreads a round's sends over the measured
# round trip, which on a slow build (ASan) lets the first answers come
# before the last send (1 run in 7 there)
expect_json "independent includes are fetched together: 6 rounds (source, 4 levels, the produced includes) for 14 queries" '(j["dns"]["rounds"], j["dns"]["queries"])' "(6, 14)"

# cron: write, then nothing when nothing changed
run "$BIN/spf-flatten" $S --source _src.example.test --output out.zone --state state.json example.test
expect "the first run writes and says so in one line" 0 '^spf-flatten: example.test: 4 records, [0-9]+ IPv4 and [0-9]+ IPv6 addresses, 3/10 lookups, written to out.zone$'
cmp -s out.zone flat.snip && t_ok "the file holds the snippet" || t_not_ok "the file holds the snippet"
[ -s state.json ] && t_ok "the state is written" || t_not_ok "the state is written"
cp out.zone out.before; cp state.json state.before
touch -d '2000-01-01' out.zone
run "$BIN/spf-flatten" $S --source _src.example.test --output out.zone --state state.json example.test
expect "unchanged: exit 0" 0
[ -z "$OUT" ] && t_ok "unchanged: nothing on stdout" || t_not_ok "unchanged: nothing on stdout" "$OUT"
[ "$(stat -c %Y out.zone)" = "$(date -d 2000-01-01 +%s)" ] && t_ok "unchanged: the file is not touched" || t_not_ok "unchanged: the file is not touched"

# failures leave everything as it was
same() { cmp -s out.zone out.before && cmp -s state.json state.before; }
run "$BIN/spf-flatten" $P --source _slow.example.test --output out.zone --state state.json example.test
expect "a provider timing out: exit 3" 3
same && t_ok "a timeout leaves output and state byte-identical" || t_not_ok "a timeout leaves output and state byte-identical"
printf '%s' "$ERR" | grep -q '_spf.slow.test TXT: timeout.*nothing written' && t_ok "one clear line on stderr" || t_not_ok "one clear line on stderr" "$ERR"
run "$BIN/spf-flatten" $P --source _fail.example.test --output out.zone --state state.json example.test
expect "SERVFAIL: exit 3" 3
same && t_ok "SERVFAIL leaves output and state byte-identical" || t_not_ok "SERVFAIL leaves output and state byte-identical"
run "$BIN/spf-flatten" --server 127.0.0.1@1 --timeout 200 --retries 0 --source _src.example.test --output out.zone --state state.json example.test
expect "no server at all: exit 3" 3
same && t_ok "a dead server leaves output and state byte-identical" || t_not_ok "a dead server leaves output and state byte-identical"
# a provider answering an empty record: the set shrinks past --max-shrink
run "$BIN/spf-flatten" $S --record 'v=spf1 ip4:85.1.2.0/24 -all' --output out.zone --state state.json example.test
expect "a shrink past --max-shrink is refused" 1
same && t_ok "the refused shrink writes nothing" || t_not_ok "the refused shrink writes nothing"
printf '%s' "$ERR" | grep -q 'would shrink by 100%' && t_ok "and says by how much" || t_not_ok "and says by how much" "$ERR"
run "$BIN/spf-flatten" $S --record 'v=spf1 ip4:85.1.2.0/24 -all' --dry-run --output out.zone --state state.json --force example.test
expect "--dry-run prints" 0 '^example.test. 3600 IN TXT "v=spf1 ip4:85.1.2.0/24 -all"$'
same && t_ok "--dry-run writes nothing" || t_not_ok "--dry-run writes nothing"

# --check against what DNS publishes
cat >pub.zone <<'Z'
$ORIGIN example.test.
@ SOA ns host 1 3600 600 86400 300
Z
sed 's/ 3600 IN / 300 IN /' flat.snip >>pub.zone
SRC=$("$BIN/spf-lint" $S --json _src.example.test | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["record"])')
run "$BIN/spf-flatten" $S --zone pub.zone --record "$SRC" --check example.test
expect "--check: published as it would be: exit 0" 0
run "$BIN/spf-flatten" $S --source _src.example.test --check example.test
expect "--check: not published: exit 4" 4 '^example.test$' '  published: \(none\)'
# one cron line for several domains
cat >flat.json <<J
{ "domains": [
  { "domain": "example.test", "source": "_src3.example.test", "output": "c1.zone",
    "state": "c1.json", "ttl": 600, "max-record-bytes": 300 },
  { "domain": "b.example.test", "source": "_slow.example.test", "output": "c2.zone" },
  { "domain": "c.example.test", "record": "v=spf1 include:_spf.bulk.test ~all",
    "keep": ["^_spf[.]bulk[.]test$"], "output": "c3.zone" }
] }
J
echo "old" >c2.zone
run "$BIN/spf-flatten" $P --config flat.json
expect "--config: the failing domain sets exit 3" 3 '^spf-flatten: example.test: [0-9]+ records?, .* written to c1.zone$'
grep -q '^example.test. 600 IN TXT' c1.zone && t_ok "--config: the first domain written with its ttl" || t_not_ok "--config: the first domain written" "$(cat c1.zone)"
[ "$(cat c2.zone)" = old ] && t_ok "--config: the failing domain's file untouched" || t_not_ok "--config: the failing domain's file untouched"
grep -q 'include:_spf.bulk.test ~all' c3.zone && t_ok "--config: keep as a list" || t_not_ok "--config: keep as a list" "$(cat c3.zone)"
printf '{ "domains": [ { "domain": "x.test", "source": "a.test", "max_lookups": 5 } ] }' >bad.json
run "$BIN/spf-flatten" --config bad.json
expect "--config: an unknown key is exit 2" 2
printf '%s' "$ERR" | grep -q 'unknown key "max_lookups"' && t_ok "and names it" || t_not_ok "and names it" "$ERR"
printf '{ "domains": [ { "domain": "x.test", ' >broken.json
run "$BIN/spf-flatten" --config broken.json
expect "--config: broken JSON is exit 2" 2
printf '%s' "$ERR" | grep -q 'broken.json:1:' && t_ok "and says where" || t_not_ok "and says where" "$ERR"

run "$BIN/spf-flatten" $S --record 'v=spf1 +all' example.test
expect "+all cannot be flattened" 1
run "$BIN/spf-flatten" $S example.test
expect "no source: usage" 2
t_done
