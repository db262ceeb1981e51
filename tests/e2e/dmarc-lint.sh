#!/usr/bin/env bash
# dmarc-lint against NSD: the tree walk, the record, report destinations.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$1" "$1" "$1"; }
{
	soa dm.test
	cat <<'Z'
_dmarc TXT "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:agg@dm.test,mailto:x@reports.ext.test,mailto:y@other.ext.test; ruf=mailto:f@nomx.dm.test"
@ MX 10 mx
mx A 85.1.2.25
nomx A 85.1.2.26
_dmarc.sp TXT " v=DMARC1; p=reject"
_dmarc.two TXT "v=DMARC1; p=reject; rua=mailto:agg@dm.test"
_dmarc.two TXT "v=DMARC1; p=none; rua=mailto:agg@dm.test"
_dmarc.nul TXT "v=DMARC1; p=reject; rua=mailto:d@null.dm.test"
null MX 0 .
Z
} >zones/dm.test.zone
{
	soa ext.test
	echo 'reports MX 10 mx.reports'
	echo 'mx.reports A 85.2.0.25'
	echo 'other MX 10 mx.reports'
	echo 'dm.test._report._dmarc.reports TXT "v=DMARC1;"'
	echo 'ext.cases.test._report._dmarc.reports TXT "v=DMARC1;"'
} >zones/ext.test.zone
{ soa wild.test; echo '* TXT "v=spf1 -all"'; } >zones/wild.test.zone
# a top-level domain that publishes a public-suffix policy
{ soa bank; echo '_dmarc TXT "v=DMARC1; psd=y; p=reject; rua=mailto:agg@dm.test"'; } >zones/bank.zone
{
	soa cases.test
	echo '_dmarc TXT "v=DMARC1; p=ReJect; sp=NONE; np=Quarantine; adkim=S; fo=D:S; psd=N; t=N; rua=mailto:agg@dm.test?subject=DMARC%20report"'
	echo '_dmarc.bad TXT "v=DMARC1; p=rejct"'
	echo '_dmarc.fo TXT "v=DMARC1; p=reject; fo=d::s; rua=mailto:agg@dm.test"'
	echo '_dmarc.pct TXT "v=DMARC1; p=quarantine; pct=30; rua=mailto:agg@dm.test"'
	echo '_dmarc.ext TXT "v=DMARC1; p=reject; rua=mailto:x@reports.ext.test?subject=x"'
} >zones/cases.test.zone
{ soa none.test; echo 'www A 85.3.0.80'; } >zones/none.test.zone
nsd_start dm.test ext.test wild.test none.test bank cases.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

run "$BIN/dmarc-lint" $S dm.test
expect "the domain's own record" 0 'dmarc-found-at' 'the policy of dm.test is the record at _dmarc.dm.test' \
    'the domain: reject; its subdomains: quarantine; non-existent subdomains: reject' \
    'dmarc-external-unauthorized' 'other.ext.test has not authorized reports for dm.test' \
    'dmarc-rua-no-mx' 'nomx.dm.test has no MX'
expect_not "an authorized destination is not flagged" 'reports.ext.test has not'
run "$BIN/dmarc-lint" $S --json a.b.c.d.e.f.g.h.dm.test
expect "the tree walk from a name of 10 labels" 0
expect_json "found at dm.test in 7 queries (10 labels, then 7 down to 2)" '(j["policy_domain"], j["queries"])' "('dm.test', 7)"
expect_json "a subdomain gets sp" '[f["message"] for f in j["findings"] if f["code"] == "dmarc-effective-policy"]' \
    "['the domain: quarantine; its subdomains: quarantine; non-existent subdomains: reject']"
run "$BIN/dmarc-lint" $S sp.dm.test
expect "whitespace before v=: an error, and the walk goes on" 1 'dmarc-leading-space' 'the policy of sp.dm.test is the record at _dmarc.dm.test'
run "$BIN/dmarc-lint" $S two.dm.test
expect "two records" 1 'dmarc-multiple-records' '2 DMARC records at _dmarc.two.dm.test'
run "$BIN/dmarc-lint" $S nul.dm.test
expect "a report domain with the null MX" 1 'dmarc-rua-null-mx'
run "$BIN/dmarc-lint" $S wild.test
expect "an SPF record from a wildcard at _dmarc" 1 'dmarc-spf-record' 'dmarc-no-record'
run "$BIN/dmarc-lint" $S www.none.test
expect "no record anywhere" 1 'dmarc-no-record'
run "$BIN/dmarc-lint" $S --offline --record 'v=DMARC1; p=none; pct=50' dm.test
expect "--record: removed tags and p=none" 0 'dmarc-removed-tag' 'dmarc-policy-none' 'dmarc-no-rua'
run "$BIN/dmarc-lint" $S --rfc7489 --offline --record 'v=DMARC1; p=reject; pct=50; rua=mailto:a@dm.test' dm.test
expect_not "--rfc7489 allows pct" 'dmarc-removed-tag'
run "$BIN/dmarc-lint" $S --json giant.bank
expect "the walk goes down to the top-level label" 0
expect_json "_dmarc.bank (psd=y) found for giant.bank in 2 queries" '(j["policy_domain"], j["queries"])' "('bank', 2)"
run "$BIN/dmarc-lint" $S cases.test
expect "values in any case are valid, and mean what they say" 0 \
    'the domain: reject; its subdomains: none; non-existent subdomains: quarantine'
expect_not "no bad value for ReJect, NONE, S, D:S, N" 'dmarc-bad-value'
expect_not "a mailto: with ?subject= is a valid URI" 'dmarc-bad-uri'
printf '%s' "$OUT" | grep -v '^  v=DMARC1' | grep -q 'dm.test?subject' && t_not_ok "the report domain stops at the ?" "$OUT" || t_ok "the report domain stops at the ?"
run "$BIN/dmarc-lint" $S ext.cases.test
expect "the destination of a mailto: with ?subject= is its domain" 0 'reports.ext.test'
expect_not "and it is authorized (the query did not carry the ?)" 'dmarc-external-unauthorized'
run "$BIN/dmarc-lint" $S bad.cases.test
expect "p=rejct and no rua=: receivers discard the record" 1 'dmarc-discarded' 'there is no p=|p= is not a policy'
expect_not "a discarded record has no effective policy" 'dmarc-effective-policy'
# RFC 9989 makes p= optional: a PSD record without it is valid
run "$BIN/dmarc-lint" --offline --record 'v=DMARC1; psd=y' example.com
expect "psd=y without p=: a valid PSD record (exit 0)" 0 'the domain: none'
expect_not "and it is not discarded" 'dmarc-discarded'
run "$BIN/dmarc-lint" --offline --record 'v=DMARC1; sp=reject' example.com
expect "no p= but sp=reject: p is none, subdomains reject" 0 'the domain: none; its subdomains: reject'
run "$BIN/dmarc-lint" --offline --rfc7489 --record 'v=DMARC1; psd=y' example.com
expect "--rfc7489: without p= and rua= the record is discarded (RFC 7489 6.6.3)" 1 'dmarc-discarded'
run "$BIN/dmarc-lint" $S fo.cases.test
expect "fo=d::s is refused by the grammar" 1 'dmarc-bad-value' 'fo=d::s is not a valid value'
run "$BIN/dmarc-lint" $S pct.cases.test
expect "pct=30: what each kind of receiver does" 0 'dmarc-pct' 'RFC 7489 apply quarantine to 30% of failing mail and none to the rest'
run "$BIN/dmarc-lint" $S --rfc7489 --record 'v=DMARC1; rua=mailto:agg@dm.test; p=reject; ri=-1; rf=bob' dm.test
expect "--rfc7489: ri= and rf= checked, p= wanted second" 1 'ri=-1 is not a valid value' 'rf=bob is not a valid value' 'dmarc-p-not-second'
run "$BIN/dmarc-lint" --server 127.0.0.1@1 --timeout 200 --retries 0 dm.test
expect "a DNS failure is exit 3" 3
t_done
