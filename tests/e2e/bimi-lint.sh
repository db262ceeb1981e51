#!/usr/bin/env bash
# bimi-lint against NSD: the record, the fallback, the DMARC prerequisite.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$1" "$1" "$1"; }
logo='"v=BIMI1; l=https://bm.test/logo.svg; a=https://bm.test/vmc.pem"'
{
	soa bm.test
	echo '_dmarc TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@bm.test"'
	echo "default._bimi TXT $logo"
	echo 'brand._bimi TXT "v=BIMI1; l=; a=;"'
	echo 'http._bimi TXT "v=BIMI1; l=http://bm.test/logo.svg"'
	echo "two._bimi TXT $logo"
	echo 'two._bimi TXT "v=BIMI1; l=https://bm.test/other.svg"'
	echo 'sub A 85.1.2.3'
} >zones/bm.test.zone
for z in weak tst pct nodm nobimi; do
	{
		soa $z.test
		case $z in
		weak) echo '_dmarc TXT "v=DMARC1; p=none"' ;;
		tst) echo '_dmarc TXT "v=DMARC1; p=reject; t=y"' ;;
		pct) echo '_dmarc TXT "v=DMARC1; p=quarantine; pct=50"' ;;
		nobimi) echo '_dmarc TXT "v=DMARC1; p=reject"' ;;
		esac
		[ $z = nobimi ] || echo "default._bimi TXT $logo"
	} >zones/$z.test.zone
done
nsd_start bm.test weak.test tst.test pct.test nodm.test nobimi.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

run "$BIN/bimi-lint" $S bm.test
expect "a clean record, DMARC at reject" 0 '^default._bimi.bm.test$' '^  v=BIMI1; l=https://bm.test/logo.svg'
expect_not "no findings" '^(error|warning|info)'
run "$BIN/bimi-lint" $S sub.bm.test
expect "a subdomain falls back to the organizational domain" 0 'bimi-fallback' \
    'no record at default._bimi.sub.bm.test: the organizational domain.s, at default._bimi.bm.test, applies'
run "$BIN/bimi-lint" $S --selector brand bm.test
expect "the declination" 0 'bimi-declined'
run "$BIN/bimi-lint" $S --selector http bm.test
expect "an http logo" 1 'bimi-bad-value'
run "$BIN/bimi-lint" $S --selector two bm.test
expect "two records" 1 'bimi-multiple-records'
run "$BIN/bimi-lint" $S weak.test
expect "DMARC p=none" 1 'bimi-dmarc-not-enforcing' 'is p=none'
run "$BIN/bimi-lint" $S tst.test
expect "DMARC in testing" 1 'reject in testing \(t=y\)'
run "$BIN/bimi-lint" $S pct.test
expect "DMARC at pct=50" 1 'quarantine at pct=50'
run "$BIN/bimi-lint" $S nodm.test
expect "no DMARC at all" 1 'is absent'
run "$BIN/bimi-lint" $S nobimi.test
expect "no record" 1 'bimi-no-record'
run "$BIN/bimi-lint" $S --json bm.test
expect_json "json" '(j["owner"], j["dmarc"].startswith("v=DMARC1; p=reject"), j["findings"])' "('default._bimi.bm.test', True, [])"
run "$BIN/bimi-lint" --server 127.0.0.1@1 --timeout 200 --retries 0 bm.test
expect "a DNS failure is exit 3" 3
t_done
