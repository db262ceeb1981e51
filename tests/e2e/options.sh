#!/usr/bin/env bash
# Every option a tool lists does what its help says: the options no other
# test exercises, each run here with an effect that could fail.
# tests/options-covered checks that every listed option is used somewhere.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
{
	printf '$ORIGIN opt.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	echo '@ MX 10 mx'
	echo 'mx A 127.0.0.1'
	echo '@ TXT "v=spf1 mx -all"'
	echo '_dmarc TXT "v=DMARC1; p=none; rua=mailto:d@opt.test"'
	echo '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@opt.test"'
	echo 'brand._bimi TXT "v=BIMI1; l=https://img.opt.test/l.svg; a=;"'
	echo '_mta-sts TXT "v=STSv1; id=1;"'
	# a domain whose audit only warns
	echo 'clean MX 10 mx'
	echo 'clean TXT "v=spf1 mx -all"'
	echo '_dmarc.clean TXT "v=DMARC1; p=none; pct=50; rua=mailto:d@opt.test"'
	echo '_smtp._tls.clean TXT "v=TLSRPTv1; rua=mailto:tls@opt.test"'
	echo 'brand._bimi.clean TXT "v=BIMI1; l=https://img.opt.test/l.svg; a=;"'
	# one question only, for the resolver failing it for a while
	echo 'idle TXT "v=spf1 -all"'
	# an include a resolver keeps failing, for a while, from its cache
	echo 'kept TXT "v=spf1 include:flaky.opt.test -all"'
	echo 'flaky TXT "v=spf1 -all"'
} >zones/opt.test.zone
nsd_start opt.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"
# a server that never answers, for --timeout, --retries, --deadline
proxy_start -x opt.test
QUIET="--server 127.0.0.1@$PROXY_PORT"
cp zones/opt.test.zone opt.zone

# -h, --help, -V, --version: every tool
for t in spf-lint spf-eval spf-gen nomail-gen dmarc-gen tlsrpt-gen bimi-gen \
    mtasts-gen dkim-gen spf-flatten dkim-lint tlsrpt-lint dmarc-lint \
    mtasts-lint bimi-lint mail-audit tlsa-gen mx-tls mail-verify dkim-sign; do
	for h in -h --help; do
		run "$BIN/$t" $h
		expect "$t $h: the usage on stdout, exit 0" 0 "^usage: $t "
	done
	for v in -V --version; do
		run "$BIN/$t" $v
		expect "$t $v" 0 "^$t \\(authzone\\) [0-9]+\\.[0-9]+\\.[0-9]+$"
	done
done

# the generators' --ttl, --json, --force and --strict
run "$BIN/bimi-gen" --logo https://img.opt.test/l.svg --ttl 120 opt.test
expect "bimi-gen --ttl" 0 '^default._bimi.opt.test. 120 IN TXT'
run "$BIN/bimi-gen" --logo https://img.opt.test/l.svg --json opt.test
expect_json "bimi-gen --json" 'j["records"][0]["owner"]' "default._bimi.opt.test"
run "$BIN/bimi-gen" --logo https://img.opt.test/l.svg --force opt.test
expect "bimi-gen refuses --force: its check refuses nothing" 2
run "$BIN/tlsrpt-gen" --rua mailto:tls@opt.test --ttl 60 --format txt opt.test
expect "tlsrpt-gen --ttl and --format txt" 0 '^v=TLSRPTv1; rua=mailto:tls@opt.test$'
run "$BIN/tlsrpt-gen" --rua mailto:tls@opt.test --ttl 60 opt.test
expect "tlsrpt-gen --ttl" 0 '^_smtp._tls.opt.test. 60 IN TXT'
run "$BIN/tlsrpt-gen" --rua mailto:tls@opt.test --json opt.test
expect_json "tlsrpt-gen --json" 'j["records"][0]["value"]' "v=TLSRPTv1; rua=mailto:tls@opt.test"
run "$BIN/tlsrpt-gen" --rua mailto:tls@opt.test --strict opt.test
expect "tlsrpt-gen refuses --strict: its check warns of nothing" 2
run "$BIN/dkim-gen" --key-out k.pem --ttl 600 --json opt.test
expect_json "dkim-gen --ttl and --json" '(j["records"][0]["ttl"], j["records"][0]["value"].startswith("v=DKIM1; k=rsa; p="))' "(600, True)"
run "$BIN/dkim-gen" --key-out weak.pem --bits 1024 --strict opt.test
expect "dkim-gen --strict: a 1024-bit key's warning stops the record" 1
[ -z "$OUT" ] && t_ok "dkim-gen --strict: nothing printed" || t_not_ok "dkim-gen --strict: nothing printed" "$OUT"
run "$BIN/dkim-gen" --from-key weak.pem --strict --force opt.test
expect "dkim-gen --strict --force prints it anyway, exit 1" 1 'IN TXT "v=DKIM1; k=rsa; p='
run "$BIN/dmarc-gen" --p none --rua mailto:d@opt.test --json opt.test
expect_json "dmarc-gen --json" 'j["record"]' "v=DMARC1; p=none; rua=mailto:d@opt.test"
run "$BIN/dmarc-gen" --p none --rua mailto:d@opt.test --strict --force opt.test
expect "dmarc-gen --strict --force: printed, exit 1" 1 'IN TXT "v=DMARC1; p=none'
run "$BIN/nomail-gen" --offline --strict --force parked.opt.test
expect "nomail-gen --strict --force: printed, exit 1" 1 '^parked.opt.test. 3600 IN MX 0 .$'
run "$BIN/mtasts-gen" --mx mx.opt.test --ttl 90 --json opt.test
expect_json "mtasts-gen --ttl and --json" '(j["records"][0]["ttl"], j["policy"].startswith("version: STSv1"))' "(90, True)"
run "$BIN/mtasts-gen" --mx mx.opt.test --force opt.test
expect "mtasts-gen refuses --force" 2
run "$BIN/spf-gen" --offline --zone opt.zone --include opt.test --strict sub.opt.test
expect "spf-gen --zone answers, --strict: no warning, printed" 0 'IN TXT "v=spf1 include:opt.test -all"' 'lookups 2/10'
run "$BIN/spf-gen" --offline --include opt.test sub.opt.test
expect "spf-gen without the zone: the include unresolved" 0 'some names not resolved'
run "$BIN/spf-gen" --offline --ip4 10.0.0.0/8 --strict example.com
expect "spf-gen --strict: a private range's warning stops the record" 1
start=$(date +%s%N)
run "$BIN/spf-gen" $QUIET --timeout 300 --retries 1 --deadline 5000 --include opt.test x.example
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "spf-gen --timeout --retries: an unanswered include leaves the count incomplete, the record printed" 0 'lookups at least'
[ "$ms" -ge 550 ] && [ "$ms" -lt 3000 ] && t_ok "spf-gen: two tries of 300 ms ($ms ms)" || t_not_ok "spf-gen: two tries of 300 ms" "$ms ms"
start=$(date +%s%N)
run "$BIN/spf-gen" $QUIET --timeout 2000 --retries 5 --deadline 700 --include opt.test x.example
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 1500 ] && t_ok "spf-gen --deadline 700 ends the run ($ms ms)" || t_not_ok "spf-gen --deadline 700 ends the run" "$ms ms"
run "$BIN/mtasts-gen" $QUIET --timeout 200 --retries 0 opt.test
expect "mtasts-gen --timeout --retries: its MX lookup times out, exit 3" 3
start=$(date +%s%N)
run "$BIN/mtasts-gen" $QUIET --timeout 2000 --retries 3 --deadline 600 opt.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$RC" = 3 ] && [ "$ms" -lt 1500 ] && t_ok "mtasts-gen --deadline ($ms ms)" || t_not_ok "mtasts-gen --deadline" "exit $RC, $ms ms"
start=$(date +%s%N)
run "$BIN/nomail-gen" $QUIET --timeout 2000 --deadline 600 opt.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 1500 ] && printf '%s' "$ERR" | grep -q parked-mx-unchecked && t_ok "nomail-gen --deadline ($ms ms)" || t_not_ok "nomail-gen --deadline" "$ms ms $ERR"

# the linters' --deadline, --zone, --record, --strict, --offline
for tool in dkim-lint dmarc-lint tlsrpt-lint bimi-lint mtasts-lint spf-eval; do
	case $tool in
	dkim-lint) extra="--selector s" ;;
	spf-eval) extra="--ip 192.0.2.1 --sender a@opt.test" ;;
	*) extra= ;;
	esac
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	run "$BIN/$tool" $QUIET --timeout 5000 --retries 3 --deadline 600 $extra opt.test
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$ms" -lt 1500 ] && t_ok "$tool --deadline 600 against a silent server ($ms ms)" || t_not_ok "$tool --deadline 600" "$ms ms, exit $RC"
done

# --recursive and --authoritative: the proxy's SERVFAIL (with RA, as a
# resolver's) in a run of one domain, which asks 2 to 6 questions at
# once, is the server's answer either way, as a client asking one at a
# time takes it: failed fast.  Under a batch's load (a first window of 16
# questions at once) it is a recursive server's queue with --recursive
# (the question is held a second, then more, so --deadline ends the run)
# and an authoritative one's failure with --authoritative, the RA bit
# overruled (asked again at once, failed fast)
proxy_start -s opt.test
SF="--server 127.0.0.1@$PROXY_PORT --timeout 300 --retries 0 --deadline 1600"
for i in $(seq 20); do echo "f$i.opt.test"; done >opt.batch
for tool in spf-lint mail-audit; do
	run_timed "$BIN/$tool" $SF --recursive --batch opt.batch
	[ "$MS" -ge 1000 ] && [ "$MS" -lt 3000 ] && [ "$RC" = 3 ] &&
	    t_ok "$tool --batch --recursive: a SERVFAIL under load held until --deadline ($MS ms)" ||
	    t_not_ok "$tool --batch --recursive: a SERVFAIL under load held until --deadline" "$MS ms, exit $RC"
	run_timed "$BIN/$tool" $SF --authoritative --batch opt.batch
	[ "$MS" -lt 1000 ] && [ "$RC" = 3 ] &&
	    t_ok "$tool --batch --authoritative: a SERVFAIL fails fast ($MS ms)" ||
	    t_not_ok "$tool --batch --authoritative: a SERVFAIL fails fast" "$MS ms, exit $RC"
done
for tool in spf-lint spf-eval spf-gen nomail-gen mtasts-gen dkim-lint \
    dmarc-lint tlsrpt-lint bimi-lint mtasts-lint mail-audit spf-flatten \
    mx-tls mail-verify; do
	case $tool in
	mail-verify) printf 'From: a@opt.test\n\nhi\n' >opt.eml; extra=opt.eml ;;
	dkim-lint) extra="--selector s opt.test" ;;
	spf-eval) extra="--ip 192.0.2.1 --sender a@opt.test" ;;
	spf-gen) extra="--include opt.test x.example" ;;
	spf-flatten) extra="--source opt.test opt.test" ;;
	*) extra=opt.test ;;
	esac
	# shellcheck disable=SC2086
	run_timed "$BIN/$tool" $SF --recursive $extra
	[ "$MS" -lt 1000 ] && t_ok "$tool --recursive: a single run's SERVFAIL is the answer, failed fast ($MS ms)" ||
	    t_not_ok "$tool --recursive: a single run's SERVFAIL failed fast" "$MS ms, exit $RC"
	# shellcheck disable=SC2086
	run_timed "$BIN/$tool" $SF --authoritative $extra
	[ "$MS" -lt 1000 ] && t_ok "$tool --authoritative: a SERVFAIL fails fast ($MS ms)" ||
	    t_not_ok "$tool --authoritative: a SERVFAIL fails fast" "$MS ms, exit $RC"
done
# a recursive server that fails a name for longer than its holds, in a
# batch that loads it: the question is asked once more when nothing else
# is asked, as a client asking one question at a time would ask it.  The
# proxy answers SERVFAIL, 30 ms late as a resolver that worked for it (not
# from its cache of failures), to the first 6 queries of idle.opt.test
# TXT (the first try, the holds of 1, 2, 4 and 8 s, the try just before
# the 16 s end): the 7th is answered (-n 6), or is the 7th SERVFAIL and
# the domain a DNS failure (-n 7).  Both at once: 16 s each.
{ echo idle.opt.test; cat opt.batch; } >idle.batch
for n in 6 7; do
	"$O/tests/dnsproxy" -l 0 -u "$NSD_PORT" -s idle.opt.test -n $n -F 30 >idle$n.ready &
	T_PIDS="$T_PIDS $!"
done
for n in 6 7; do
	for _ in $(seq 50); do [ -s idle$n.ready ] && break; sleep 0.1; done
	port=$(cut -d' ' -f2 idle$n.ready)
	( s=$(date +%s%N)
	  "$BIN/spf-lint" --server "127.0.0.1@$port" --timeout 300 --retries 0 \
	      --recursive --batch idle.batch >idle$n.out 2>idle$n.err
	  echo "$? $(( ($(date +%s%N) - s) / 1000000 ))" >idle$n.rc ) &
done
wait $(jobs -p | tail -2) 2>/dev/null
for _ in $(seq 300); do [ -s idle6.rc ] && [ -s idle7.rc ] && break; sleep 0.1; done
read -r rc ms <idle6.rc
if grep -q ' 6 SERVFAIL from a recursive server (1 asked again once it was idle)' idle6.err &&
    head -1 idle6.out | grep -q '"record": *"v=spf1 -all"' &&
    [ "$ms" -ge 15000 ] && [ "$ms" -lt 20000 ]; then
	t_ok "a name a resolver fails for 16 s: asked once more when nothing else is, and answered ($ms ms, exit $rc)"
else
	t_not_ok "a name a resolver fails for 16 s: asked again when idle" "exit $rc, $ms ms" "$(cat idle6.out idle6.err)"
fi
read -r rc ms <idle7.rc
if [ "$rc" = 3 ] &&
    grep -q ' 7 SERVFAIL from a recursive server (1 asked again once it was idle)' idle7.err &&
    head -1 idle7.out | grep -q 'the last when nothing else was asked' &&
    [ "$ms" -ge 15000 ] && [ "$ms" -lt 20000 ]; then
	t_ok "and failed by that try too: a DNS failure that says so (exit 3, $ms ms)"
else
	t_not_ok "a name failed by the idle try too: a DNS failure" "exit $rc, $ms ms" "$(cat idle7.out idle7.err)"
fi
# a SERVFAIL the resolver answers from its cache of failures (as fast as
# its fastest answer), in a batch that loads it: a failure it keeps from
# before (RFC 9520 3.2), not its load now.  No window cut, and the
# question is asked again every second, as the failure may end at any
# one, not after holds of 1, 2, 4 and 8 s.  The proxy fails the first 4
# queries of flaky.opt.test at once (-n 4): the 5th, 4 s later, is
# answered (with the doubling holds, the 5th went 15 s later).
proxy_start -s flaky.opt.test -n 4
{ echo kept.opt.test; cat opt.batch; } >kept.batch
run_timed "$BIN/spf-lint" --server "127.0.0.1@$PROXY_PORT" --timeout 300 \
    --retries 0 --recursive --batch kept.batch
printf '%s\n' "$OUT" | head -1 | grep -q '"lookups": *1' &&
    printf '%s\n' "$ERR" | grep -q '0 window cuts.* 4 SERVFAIL from a recursive server' &&
    t_ok "a resolver's kept SERVFAIL, asked again every second: answered, 4 SERVFAILs, no window cut" ||
    t_not_ok "a resolver's kept SERVFAIL, asked again every second" "$OUT" "$ERR"
[ "$MS" -ge 3500 ] && [ "$MS" -lt 7000 ] &&
    t_ok "in about 4 s ($MS ms)" || t_not_ok "in about 4 s" "$MS ms"
kill "$PROXY_PID"
run "$BIN/spf-lint" --recursive --authoritative opt.test
expect "--recursive with --authoritative: a usage error" 2
printf '%s\n' "$ERR" | grep -q "exclude each other" && t_ok "which says why" || t_not_ok "which says why" "$ERR"
run "$BIN/tlsrpt-lint" $QUIET --timeout 200 --retries 1 opt.test
expect "tlsrpt-lint --timeout --retries: exit 3" 3
run "$BIN/dkim-lint" --offline --zone opt.zone --selector s opt.test
expect "dkim-lint --zone --offline: the zone answers (no record)" 1 'dkim-no-record' 's._domainkey.opt.test'
run "$BIN/dmarc-lint" --offline --zone opt.zone opt.test
expect "dmarc-lint --zone --offline" 0 'the policy of opt.test is the record at _dmarc.opt.test'
run "$BIN/dmarc-lint" --offline --zone opt.zone --strict opt.test
expect "dmarc-lint --strict: p=none's warning is exit 1" 1 'dmarc-policy-none'
run "$BIN/tlsrpt-lint" --offline --zone opt.zone opt.test
expect "tlsrpt-lint --zone --offline" 0 'v=TLSRPTv1; rua=mailto:tls@opt.test'
run "$BIN/tlsrpt-lint" --offline --zone opt.zone --record 'v=TLSRPTv1; rua=ftp://x' opt.test
expect "tlsrpt-lint --record: the candidate is checked" 1 'tlsrpt-bad-uri'
run "$BIN/tlsrpt-lint" --offline --zone opt.zone --strict --record 'v=TLSRPTv1; rua=mailto:tls@nomx.opt.test' opt.test
expect "tlsrpt-lint --strict: a report domain without MX is exit 1" 1 'tlsrpt-rua-no-mx'
run "$BIN/bimi-lint" --offline --zone opt.zone --selector brand --record 'v=BIMI1; l=http://x/l.svg' opt.test
expect "bimi-lint --record: the candidate is checked" 1 'bimi-bad-value'
run "$BIN/bimi-lint" --offline --zone opt.zone --selector brand --strict opt.test
expect "bimi-lint --strict" 1
run "$BIN/mtasts-lint" --offline --zone opt.zone --record 'v=STSv1; id=bad id;' opt.test
expect "mtasts-lint --record: the candidate is checked" 1 'mtasts-bad-id'
printf 'version: STSv1\nmode: testing\nmx: other.opt.test\nmax_age: 604800\n' >testing.txt
run "$BIN/mtasts-lint" --offline --zone opt.zone --policy testing.txt opt.test
expect "mtasts-lint: an MX host not covered in testing is a warning, exit 0" 0 'mtasts-mx-not-covered-testing'
run "$BIN/mtasts-lint" --offline --zone opt.zone --policy testing.txt --strict opt.test
expect "mtasts-lint --strict: that warning is exit 1" 1

# mail-audit's own options
run "$BIN/mail-audit" --no-connect $S --json --bimi-selector brand clean.opt.test
expect_json "mail-audit --bimi-selector" 'j["areas"]["bimi"]["owner"]' "brand._bimi.clean.opt.test"
run "$BIN/mail-audit" --no-connect $S --json clean.opt.test
expect_json "mail-audit: pct= reported as removed by RFC 9989" '[f["code"] for f in j["areas"]["dmarc"]["findings"] if f["code"] == "dmarc-removed-tag"]' "['dmarc-removed-tag']"
run "$BIN/mail-audit" --no-connect $S --rfc7489 --json clean.opt.test
expect_json "mail-audit --rfc7489: no removed-tag warning for pct" '[f["code"] for f in j["areas"]["dmarc"]["findings"] if f["code"] == "dmarc-removed-tag"]' "[]"
run "$BIN/mail-audit" --no-connect $S --strict clean.opt.test
expect "mail-audit --strict: a warning area is exit 1" 1
run "$BIN/mail-audit" --no-connect $S clean.opt.test
expect "mail-audit without --strict: exit 0" 0
expect_not "mail-audit without -v: the absent areas' findings are not listed" '== mta-sts'
run "$BIN/mail-audit" --no-connect $S -v clean.opt.test
expect "mail-audit -v: the absent areas' findings too" 0 '== mta-sts'
run "$BIN/mail-audit" --no-connect $S --verbose clean.opt.test
expect "mail-audit --verbose" 0 '== mta-sts'
printf 'clean.opt.test\nclean.opt.test\n' >two
run "$BIN/mail-audit" --no-connect $S --batch two --concurrency 1 --no-progress
expect "mail-audit --batch --concurrency 1 --no-progress" 0 '"domain":"clean.opt.test"'
run "$BIN/mail-audit" --no-connect $S --batch two --concurrency 0
expect "mail-audit --concurrency 0 is refused" 2
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=ca 2>/dev/null
run "$BIN/mail-audit" --no-connect $S --ca-file ca.pem --connect-to ::127.0.0.1:1 --timeout 300 --retries 0 opt.test
expect "mail-audit --ca-file --connect-to: the policy fetched there (refused: exit 3)" 3
run "$BIN/spf-lint" $S --batch two --concurrency 1
expect "spf-lint --batch --concurrency 1" 0 '"domain":"clean.opt.test"'
printf '$ORIGIN o.test.\n@ SOA ns h 1 2 3 4 5\n@ TXT "v=spf1 ip4:192.0.2.0/24 include:p.o.test -all"\np TXT "v=spf1 ip4:192.0.2.9 -all"\n' >o.zone
run "$BIN/spf-lint" --offline --zone o.zone o.test
expect_not "spf-lint: the tree shows the lookups alone" '^\|-- ip4:192.0.2.0/24'
run "$BIN/spf-lint" --offline --zone o.zone --verbose o.test
expect "spf-lint --verbose: the tree shows the terms that cost no lookup" 0 '^\|-- ip4:192.0.2.0/24$' '^\|   \|-- ip4:192.0.2.9$'

# spf-flatten's record-making options
run "$BIN/spf-flatten" --offline --record "v=spf1 $(for i in $(seq 0 2 60); do printf 'ip4:10.%d.0.0/16 ' $i; done)-all" \
    --max-record-bytes 200 --prefix _p --json x.example
expect_json "spf-flatten --max-record-bytes --prefix --json" '(len(j["records"]) > 2, j["records"][1]["owner"], all(len(r["value"]) <= 200 for r in j["records"]))' "(True, '_p1.x.example', True)"
run "$BIN/spf-flatten" --offline --record 'v=spf1 ip4:192.0.2.0/24 -all' --verbose x.example
expect "spf-flatten --verbose: the source's tree on stderr" 0
printf '%s' "$ERR" | grep -q 'lookups 0/10' && t_ok "spf-flatten --verbose shows the count" || t_not_ok "spf-flatten --verbose shows the count" "$ERR"
t_done
