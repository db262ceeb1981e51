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
} >zones/ext.test.zone
{ soa wild.test; echo '* TXT "v=spf1 -all"'; } >zones/wild.test.zone
{ soa none.test; echo 'www A 85.3.0.80'; } >zones/none.test.zone
nsd_start dm.test ext.test wild.test none.test || { t_not_ok "nsd starts"; t_done; exit; }
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
run "$BIN/dmarc-lint" --server 127.0.0.1@1 --timeout 200 --retries 0 dm.test
expect "a DNS failure is exit 3" 3
t_done
