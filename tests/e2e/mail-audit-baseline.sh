#!/usr/bin/env bash
# mail-audit --baseline against NSD and a real HTTPS server: the zone
# changes between runs (a provider's include that pushes a customer past
# 10 lookups, DMARC weakened, a DKIM key deleted, an MTA-STS policy
# changed without a new id) and back, --dry-run, a SERVFAIL in the middle
# of a run (the domain's stored state kept), two runs at once, and a run
# killed in the middle.  The change kinds one by one are golden cases
# (tests/cli/cases/mail-audit-baseline-*).
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones www
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=authzone test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr \
    -subj "/CN=mta-sts.a.wb.test" 2>/dev/null
printf 'subjectAltName=DNS:mta-sts.a.wb.test\n' >ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out srv.pem -days 2 -extfile ext 2>/dev/null
policy() {	# policy MODE: a.wb.test's MTA-STS policy file
	mkdir -p www/mta-sts.a.wb.test/.well-known
	printf 'version: STSv1\r\nmode: %s\r\nmx: mx.a.wb.test\r\nmax_age: 604800\r\n' \
	    "$1" >www/mta-sts.a.wb.test/.well-known/mta-sts.txt
}
zone() {	# zone STATE: the records as they are in STATE (old, new)
	{
		printf '$ORIGIN wb.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
		for i in $(seq 1 9); do echo "h$i.prov TXT \"v=spf1 ip4:192.0.2.$i -all\""; done
		n=3 p=reject
		[ "$1" = new ] && n=6 p=none
		printf '_spf.prov TXT "v=spf1'
		for i in $(seq 1 $n); do printf ' include:h%s.prov.wb.test' "$i"; done
		printf ' -all"\n'
		cat <<-Z
		a MX 10 mx.a
		mx.a A 192.0.2.25
		a TXT "v=spf1 mx -all"
		_dmarc.a TXT "v=DMARC1; p=$p; rua=mailto:d@a.wb.test"
		_mta-sts.a TXT "v=STSv1; id=1;"
		_smtp._tls.a TXT "v=TLSRPTv1; rua=mailto:tls@a.wb.test"
		cust MX 10 mx.a
		cust TXT "v=spf1 include:_spf.prov.wb.test ip4:198.51.100.0/24 a mx include:h7.prov.wb.test include:h8.prov.wb.test include:h9.prov.wb.test -all"
		_dmarc.cust TXT "v=DMARC1; p=quarantine"
		flaky MX 10 mx.a
		_dmarc.flaky TXT "v=DMARC1; p=reject"
		Z
		[ "$1" = old ] &&
		    echo 's1._domainkey.a TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="'
		[ "$1" = old ] && echo 'flaky TXT "v=spf1 mx -all"'
		[ "$1" = new ] && echo 'flaky TXT "v=spf1 mx ~all"'
	} >zones/wb.test.zone
}
serve() {	# serve STATE: NSD restarted on the zone of STATE
	zone "$1"
	nsd_stop
	nsd_start wb.test || { t_not_ok "nsd starts"; t_done; exit; }
	S="--server 127.0.0.1@$NSD_PORT"
}
policy enforce
zone old
nsd_start wb.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"
https_start srv.pem srv.key www
H="--ca-file ca.pem --connect-to ::127.0.0.1:$HTTPS_PORT --selector s1"
printf 'a.wb.test\nflaky.wb.test\ncust.wb.test\n' >domains
audit() { run "$BIN/mail-audit" --no-connect $S $H --baseline base.jsonl "$@" --batch domains; }

audit
expect "the first run stores, prints no change and exits 0" 0
[ -z "$OUT" ] && t_ok "no change on stdout" || t_not_ok "no change on stdout" "$OUT"
if printf '%s\n' "$ERR" | grep -q 'base.jsonl: a new baseline of 3 domains' &&
    head -1 base.jsonl | grep -q '^{"format":"authzone-mail-audit-baseline 1",' &&
    [ "$(wc -l <base.jsonl)" = 5 ]; then
	t_ok "and says so; the file holds its format line, 3 domains and the end line"
else
	t_not_ok "the first baseline" "$ERR" "$(cut -c1-80 base.jsonl)"
fi
grep -q '"mode":"enforce","policy":"[0-9a-f]\{64\}"' base.jsonl &&
    t_ok "the MTA-STS policy fetched over HTTPS is stored by its SHA-256" ||
    t_not_ok "the MTA-STS policy's hash" "$(grep a.wb base.jsonl | cut -c1-300)"
audit
expect "nothing changed: no output, exit 0" 0
[ -z "$OUT$ERR" ] && t_ok "not even on stderr (the summary needs -v)" ||
    t_not_ok "silent when nothing changed" "$OUT" "$ERR"

# overnight: the provider's include grows, DMARC is weakened, the DKIM key
# is deleted, the MTA-STS policy changes without a new id
serve new
policy testing
cp base.jsonl before
audit --dry-run
expect "--dry-run: what got worse, exit 1" 1 \
    '^worse   cust\.wb\.test spf: DNS lookups 9 -> 12 \(limit 10\), over the limit$' \
    '^worse   cust\.wb\.test spf: new error spf-too-many-lookups' \
    '^worse   a\.wb\.test dmarc: policy weakened: reject -> none$' \
    '^worse   a\.wb\.test dkim s1\._domainkey\.a\.wb\.test: key removed$' \
    '^worse   a\.wb\.test mta-sts: mode weakened: enforce -> testing$' \
    '^worse   a\.wb\.test mta-sts: the policy file changed but the id= of the _mta-sts record did not' \
    '^neutral flaky\.wb\.test spf: record changed: v=spf1 mx ~all$'
dry=$OUT
cmp -s base.jsonl before && t_ok "--dry-run writes nothing" || t_not_ok "--dry-run wrote"
[ ! -e base.jsonl.lock ] || [ "$(stat -c %s base.jsonl.lock)" = 0 ] &&
    t_ok "and holds no lock of its own making" || t_not_ok "dry-run lock"
audit --json
expect "--json: one change a line" 1
python3 - "$OUT" <<'P' && t_ok "each a JSON object with domain, area, class, kind, was, now, message" || t_not_ok "the JSON lines"
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
keys = {"domain", "area", "class", "kind", "was", "now", "message"}
assert lines and all(keys <= set(l) for l in lines), lines
sts = [l for l in lines if l["kind"] == "sts-policy"][0]
assert sts["class"] == "worse" and len(sts["was"]) == 64 and sts["was"] != sts["now"], sts
look = [l for l in lines if l["kind"] == "lookups" and l["domain"] == "cust.wb.test"][0]
assert (look["was"], look["now"], look["class"]) == ("9", "12", "worse"), look
P
[ "$(printf '%s\n' "$OUT" | wc -l)" = "$(printf '%s\n' "$dry" | wc -l)" ] &&
    t_ok "the same changes as the dry run's" || t_not_ok "dry run and run differ" "$dry" "$OUT"
cmp -s base.jsonl before && t_not_ok "the run stored the new state" || t_ok "the run stored the new state"
audit
expect "the next run compares with the new state: nothing changed" 0
[ -z "$OUT" ] && t_ok "no change printed" || t_not_ok "no change printed" "$OUT"

# back as it was, with flaky.wb.test failing in the middle of the run
serve old
policy enforce
grep '"domain":"flaky.wb.test"' base.jsonl >flaky.before
proxy_start -s flaky.wb.test
S="--server 127.0.0.1@$PROXY_PORT"
audit
expect "a SERVFAIL in the middle of the run: exit 3, the others compared" 3 \
    '^better  cust\.wb\.test spf: DNS lookups 12 -> 9 \(limit 10\), within the limit again$' \
    '^better  a\.wb\.test dmarc: policy strengthened: none -> reject$' \
    '^better  a\.wb\.test dkim s1\._domainkey\.a\.wb\.test: key published$'
expect_not "the failing domain is not compared" '^[a-z]+ +flaky\.wb\.test'
printf '%s\n' "$ERR" | grep -q '^mail-audit: error: flaky\.wb\.test: .*; its baseline is kept$' &&
    t_ok "the failure is said on stderr" || t_not_ok "the failure on stderr" "$ERR"
grep '"domain":"flaky.wb.test"' base.jsonl | cmp -s - flaky.before &&
    t_ok "its stored state is kept as it was" || t_not_ok "flaky's state was replaced"
S="--server 127.0.0.1@$NSD_PORT"
audit
expect "answered again, it is compared with the state it had before the failure" 0 \
    '^neutral flaky\.wb\.test spf: record changed: v=spf1 mx -all$'

# two runs at once, each slowed by 300 ms a round trip: one stores, the
# other exits 7 and writes nothing; a run killed halfway leaves nothing
proxy_start -d 300
S="--server 127.0.0.1@$PROXY_PORT"
cp base.jsonl before
"$BIN/mail-audit" --no-connect $S $H --baseline base.jsonl --batch domains >one.out 2>one.err & p1=$!
sleep 0.2
"$BIN/mail-audit" --no-connect $S $H --baseline base.jsonl --batch domains >two.out 2>two.err
rc2=$?
wait $p1
rc1=$?
if [ "$rc1" = 0 ] && [ "$rc2" = 7 ] &&
    grep -q 'another run holds base.jsonl.lock' two.err; then
	t_ok "two runs at once: the second exits 7, says why, writes nothing"
else
	t_not_ok "two runs at once" "exit $rc1 and $rc2" "$(cat one.err two.err)"
fi
audit
expect "the file the first run wrote reads back" 0
"$BIN/mail-audit" --no-connect $S $H --baseline base.jsonl --batch domains >/dev/null 2>&1 & p1=$!
sleep 0.5
cp base.jsonl before
kill -TERM $p1
wait $p1
rc=$?
if [ "$rc" = 143 ] && cmp -s base.jsonl before && ! ls base.jsonl.tmp.* >/dev/null 2>&1; then
	t_ok "a run killed halfway: the baseline as it was, no temporary file"
else
	t_not_ok "a run killed halfway" "exit $rc" "$(ls)"
fi
t_done
