#!/usr/bin/env bash
# dmarc-report --check against NSD: a domain whose SPF misses one sender,
# whose DKIM selector is revoked, and whose mail is forwarded.  Each
# failing source must be explained by the domain's records as served,
# and the suggested spf-gen line must make the sender pass.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones in
key=$("$BIN/dkim-gen" --selector s1 --key-out s1.pem --format txt rollout.test)
txt() { printf '%s' "$1" | fold -w 200 | sed 's/"/\\"/g; s/.*/"&"/' | tr '\n' ' '; }
{
	printf '$ORIGIN rollout.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	echo '@ TXT "v=spf1 ip4:192.0.2.0/28 include:_spf.esp.rollout.test -all"'
	echo '_spf.esp TXT "v=spf1 ip4:192.0.2.128/25 -all"'
	echo "s1._domainkey TXT $(txt "$key")"
	echo 'old._domainkey TXT "v=DKIM1; p="'
	echo '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@rollout.test"'
	# the bounce domain of a sender that writes From: shop.rollout.test
	echo 'bounce TXT "v=spf1 ip4:192.0.2.0/28 -all"'
} >zones/rollout.test.zone
# the top of the tree, which the DMARC tree walk reaches (RFC 9989 4.10)
printf '$ORIGIN test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' >zones/test.zone
# a list server that forwards the domain's mail from its own envelope
printf '$ORIGIN fwd.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n@ TXT "v=spf1 ip4:198.51.100.0/24 -all"\n' >zones/fwd.test.zone
printf '$ORIGIN 113.0.203.in-addr.arpa.\n$TTL 300\n@ SOA ns.fwd.test. host.fwd.test. 1 3600 600 86400 300\n@ NS ns.fwd.test.\n7 PTR mail.newsletter.example.\n' >zones/113.0.203.in-addr.arpa.zone
nsd_start rollout.test fwd.test test 113.0.203.in-addr.arpa || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

row() {	# ip count dkim spf dkim_domain selector dkim_result spf_domain spf_result
	cat <<ROW
<record><row><source_ip>$1</source_ip><count>$2</count><policy_evaluated>
<disposition>none</disposition><dkim>$3</dkim><spf>$4</spf>
</policy_evaluated></row><identifiers><header_from>rollout.test</header_from>
</identifiers><auth_results><dkim><domain>$5</domain><selector>$6</selector>
<result>$7</result></dkim><spf><domain>$8</domain><result>$9</result></spf>
</auth_results></record>
ROW
}
{
	cat <<HEAD
<?xml version="1.0"?><feedback><report_metadata><org_name>google.com</org_name>
<email>noreply@google.com</email><report_id>42</report_id><date_range>
<begin>1790000000</begin><end>1790086399</end></date_range></report_metadata>
<policy_published><domain>rollout.test</domain><p>none</p></policy_published>
HEAD
	row 192.0.2.5 900 pass pass rollout.test s1 pass rollout.test pass
	row 192.0.2.200 50 pass pass rollout.test s1 pass rollout.test pass
	row 203.0.113.7 40 fail fail rollout.test old fail rollout.test fail
	row 198.51.100.9 10 fail fail rollout.test s1 fail fwd.test pass
	echo '</feedback>'
} | gzip >in/google.xml.gz

run "$BIN/dmarc-report" $S --check --json in
expect "--check --json: exit 0" 0
src() { printf '[s for s in j["sources"] if s["source_ip"] == "%s"][0]' "$1"; }
expect_json "a source's PTR name" "($(src 203.0.113.7))['ptr']" \
    mail.newsletter.example
expect_json "no PTR name: null" "($(src 192.0.2.5))['ptr']" None
expect_json "a passing source is not checked" "'check' in $(src 192.0.2.5)" False
expect_json "the missing sender: SPF fails now, by -all" \
    "($(src 203.0.113.7))['check']['spf_result'] + ' ' + ($(src 203.0.113.7))['check']['spf_mechanism']" \
    "fail -all"
expect_json "the missing sender: its selector is revoked" \
    "($(src 203.0.113.7))['check']['dkim_key']" revoked
expect_json "the forwarded mail: SPF passes, not aligned" \
    "($(src 198.51.100.9))['check']['spf_result'], ($(src 198.51.100.9))['check']['spf_aligned']" \
    "pass False"
expect_json "the forwarded mail: its DKIM key is published" \
    "($(src 198.51.100.9))['check']['dkim_key']" published
expect_json "readiness: 50 of 1,000 messages would be quarantined" \
    "[(d['readiness']['next'], d['readiness']['would_fail'], d['readiness']['failing_sources']) for d in j['domains']][0]" \
    "('quarantine', 50, 2)"
expect_json "readiness: the next record, the current one at p=quarantine" \
    "[(d['readiness']['next_owner'], d['readiness']['next_record']) for d in j['domains']][0]" \
    "('_dmarc.rollout.test', 'v=DMARC1; p=quarantine; rua=mailto:dmarc@rollout.test')"
fix=$(json_get "[f for f in ($(src 203.0.113.7))['check']['fix'] if f.startswith('spf-gen')][0]")
case $fix in
"spf-gen --ip4 192.0.2.0/28 --include _spf.esp.rollout.test --ip4 203.0.113.7 rollout.test")
	t_ok "the fix is an spf-gen line with the current terms and the sender" ;;
*) t_not_ok "the spf-gen line" "$fix" ;;
esac
dk=$(json_get "[f for f in ($(src 203.0.113.7))['check']['fix'] if f.startswith('dkim-gen')][0]")
case $dk in
"dkim-gen --selector old rollout.test"*) t_ok "the fix for the revoked key is a dkim-gen line" ;;
*) t_not_ok "the dkim-gen line" "$dk" ;;
esac
# the suggested record makes the sender pass
rec=$("$BIN"/$fix $S --format txt 2>/dev/null)
run "$BIN/spf-eval" $S --record "$rec" --ip 203.0.113.7 --sender x@rollout.test
expect "the suggested record passes the sender" 0 '^pass'

run "$BIN/dmarc-report" $S --check in
expect "--check, text: the reasons and the fixes" 0 \
    '203\.0\.113\.7 fails DMARC for 40 messages' \
    '203\.0\.113\.7 \(mail\.newsletter\.example\) +40' \
    'not in the SPF of rollout\.test: check_host gives fail by "-all"' \
    'DKIM selector old of rollout\.test is revoked' \
    'SPF passes for fwd\.test, which is not aligned' \
    'fix: spf-gen ' 'next stage, p=quarantine: 50 messages' \
    'when they are fixed: _dmarc\.rollout\.test TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@rollout\.test"'
run "$BIN/dmarc-report" --offline --zone zones/rollout.test.zone \
    --zone zones/fwd.test.zone --check --json in
expect "--check from zone files, --offline" 0
expect_json "--offline: the same reasons" \
    "($(src 203.0.113.7))['check']['spf_mechanism'], ($(src 203.0.113.7))['check']['dkim_key']" \
    "-all revoked"
run "$BIN/dmarc-report" $S --timeout 500 --retries 1 --deadline 5000 --check --json in
expect "--check with --timeout, --retries and --deadline" 0
expect_json "the same with the DNS options" \
    "($(src 198.51.100.9))['check']['spf_result']" pass
for kind in --recursive --authoritative; do
	run "$BIN/dmarc-report" $S $kind --check --json in
	expect "--check with $kind" 0
	expect_json "$kind: the same reasons" \
	    "($(src 198.51.100.9))['check']['spf_result'], ($(src 203.0.113.7))['check']['spf_mechanism']" \
	    "pass -all"
done
# relaxed alignment is the Organizational Domain's (RFC 9989 4.4): a
# sender whose From is shop.rollout.test and whose bounces and signature
# are of siblings under rollout.test is aligned (neither name is under the
# other); fwd.test stays another Organizational Domain
mkdir -p in2
cat >in2/sib.xml <<SIB
<?xml version="1.0"?><feedback><report_metadata><org_name>example.net</org_name>
<email>r@example.net</email><report_id>sib-1</report_id><date_range>
<begin>1790000000</begin><end>1790086399</end></date_range></report_metadata>
<policy_published><domain>rollout.test</domain><p>none</p></policy_published>
<record><row><source_ip>192.0.2.9</source_ip><count>7</count><policy_evaluated>
<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf>
</policy_evaluated></row><identifiers><header_from>shop.rollout.test</header_from>
</identifiers><auth_results><dkim><domain>mail.rollout.test</domain><selector>s1</selector>
<result>fail</result></dkim><spf><domain>bounce.rollout.test</domain><result>pass</result></spf>
</auth_results></record></feedback>
SIB
run "$BIN/dmarc-report" $S --check --json in2
expect "--check: a sender of siblings under one Organizational Domain" 0
expect_json "its SPF and DKIM domains are aligned with shop.rollout.test" \
    "($(src 192.0.2.9))['check']['spf_result'], ($(src 192.0.2.9))['check']['spf_aligned'], ($(src 192.0.2.9))['check']['dkim_aligned']" \
    "pass True True"
run "$BIN/dmarc-report" $S --check in2
if printf '%s\n' "$OUT" | grep -q 'not aligned'; then
	t_not_ok "and no line calls them not aligned" "$OUT"
else
	t_ok "and no line calls them not aligned"
fi
run "$BIN/dmarc-report" $S --json in
expect "--server without --check: usage, nothing asks DNS" 2
run "$BIN/dmarc-report" --check --csv in
expect "--check with --csv: usage" 2
t_done
