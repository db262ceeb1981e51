#!/usr/bin/env bash
# Odd is not hostile: every file option of every tool reads a pipe, a
# process substitution, /dev/stdin and (where it takes one file from
# standard input) "-" as it reads a regular file.  Each case checks what
# the tool made of the content, so a pipe read as empty cannot pass.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1

cat >good.zone <<'Z'
$ORIGIN example.com.
$TTL 300
@ SOA ns h 1 2 3 4 5
@ NS ns
ns A 192.0.2.53
@ MX 10 mx
mx A 192.0.2.25
@ TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@example.com"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@example.com"
_mta-sts TXT "v=STSv1; id=20261203"
default._bimi TXT "v=BIMI1; l=https://example.com/logo.svg"
Z
"$BIN/dkim-gen" --key-out key.pem --selector s1 example.com >>good.zone
"$BIN/dkim-gen" --from-key key.pem --selector s1 --format txt example.com >key.txt

# via HOW CMD...: runs CMD with FILE standing for good.zone fed through HOW
# (a pipe to /dev/stdin, a process substitution, or "-")
zone_case() {	# DESC PATTERN TOOL ARGS...
	desc=$1 pat=$2
	shift 2
	for how in stdin procsub; do
		case $how in
		stdin) run "$@" --zone /dev/stdin < <(cat good.zone) ;;
		procsub) run "$@" --zone <(cat good.zone) ;;
		esac
		if [ "$RC" -gt 2 ] || ! printf '%s\n%s\n' "$OUT" "$ERR" | grep -Eq -- "$pat"; then
			t_not_ok "$desc: --zone through $how" "exit $RC" "$OUT" "$ERR"
		else
			t_ok "$desc: --zone through $how"
		fi
	done
}
zone_case "spf-lint" 'ip4:192.0.2.0/24' "$BIN/spf-lint" --offline example.com
zone_case "spf-eval" '^pass' "$BIN/spf-eval" --offline --ip 192.0.2.7 --sender a@example.com
zone_case "spf-gen" 'lookups' "$BIN/spf-gen" --offline --mx example.com
zone_case "nomail-gen" 'v=spf1 -all' "$BIN/nomail-gen" --offline example.com
zone_case "mtasts-gen" 'mx: mx.example.com' "$BIN/mtasts-gen" --offline example.com
zone_case "dkim-lint" 'rsa' "$BIN/dkim-lint" --offline --selector s1 example.com
zone_case "dmarc-lint" 'p=reject' "$BIN/dmarc-lint" --offline example.com
zone_case "tlsrpt-lint" 'tls@example.com' "$BIN/tlsrpt-lint" --offline example.com
zone_case "bimi-lint" 'logo.svg' "$BIN/bimi-lint" --offline example.com
zone_case "mtasts-lint" 'id=20261203' "$BIN/mtasts-lint" --offline example.com
zone_case "mail-audit" 'v=spf1 ip4:192.0.2.0/24' "$BIN/mail-audit" --no-connect --offline example.com
zone_case "spf-flatten" '192.0.2.0/24' "$BIN/spf-flatten" --offline --source example.com --dry-run example.net

# a zone that $INCLUDEs a FIFO's content
mkfifo inc.fifo
printf '$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\n$INCLUDE %s/inc.fifo\n' "$T_TMP" >top.zone
(printf '@ TXT "v=spf1 ip4:198.51.100.0/24 -all"\n' >inc.fifo) &
run timeout 10 "$BIN/spf-lint" --offline --zone top.zone example.com
expect "a zone's \$INCLUDE of a FIFO is read" 0 'ip4:198.51.100.0/24'

# the batches: "-", /dev/stdin, a process substitution
for tool in spf-lint mail-audit; do
	run sh -c 'printf "example.com\n" | "$0" --offline --zone good.zone --batch -' "$BIN/$tool"
	expect "$tool --batch - from a pipe" 0 '"domain":"example.com"'
	run sh -c 'printf "example.com\n" | "$0" --offline --zone good.zone --batch /dev/stdin' "$BIN/$tool"
	expect "$tool --batch /dev/stdin from a pipe" 0 '"domain":"example.com"'
	run "$BIN/$tool" --offline --zone good.zone --batch <(printf 'example.com\n')
	expect "$tool --batch <(...)" 0 '"domain":"example.com"'
done

# --record -
run sh -c 'printf "v=spf1 ip4:203.0.113.0/24 -all\n" | "$0" --offline --record - example.com' "$BIN/spf-lint"
expect "spf-lint --record - from a pipe" 0 'ip4:203.0.113.0/24'

# the other file options
run sh -c 'cat key.pem | "$0" --from-key /dev/stdin --selector s1 --format txt example.com' "$BIN/dkim-gen"
[ "$RC" = 0 ] && [ "$OUT" = "$(cat key.txt)" ] && t_ok "dkim-gen --from-key /dev/stdin: the same record" ||
    t_not_ok "dkim-gen --from-key /dev/stdin: the same record" "exit $RC" "$OUT" "$ERR"
run "$BIN/dkim-lint" --offline --zone good.zone --selector s1 --key <(cat key.pem) example.com
expect "dkim-lint --key <(...): the published key matches" 0
"$BIN/dkim-gen" --key-out other.pem --selector s9 example.com >/dev/null 2>&1
run "$BIN/dkim-lint" --offline --zone good.zone --selector s1 --key <(cat other.pem) example.com
expect "dkim-lint --key <(...) of another key: a mismatch (so the pipe was read)" 1
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n' >policy.txt
run sh -c 'cat policy.txt | "$0" --offline --zone good.zone --policy /dev/stdin example.com' "$BIN/mtasts-lint"
expect "mtasts-lint --policy /dev/stdin" 0 'mode: enforce'
run sh -c 'cat policy.txt | "$0" --offline --zone good.zone --policy - example.com' "$BIN/mtasts-lint"
expect "mtasts-lint --policy -" 0 'mode: enforce'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
    -out ca.pem -days 30 -subj /CN=pipe-test >/dev/null 2>&1
for tool in mtasts-lint bimi-lint; do
	run "$BIN/$tool" --offline --zone good.zone --ca-file <(cat ca.pem) example.com
	[ "$RC" -le 1 ] && t_ok "$tool --ca-file <(...) is read" || t_not_ok "$tool --ca-file <(...) is read" "exit $RC" "$ERR"
done

cat >jobs.json <<J
{ "domains": [ { "domain": "a.example.test", "record": "v=spf1 ip4:192.0.2.0/25 -all" } ] }
J
run sh -c 'cat jobs.json | "$0" --offline --dry-run --config /dev/stdin' "$BIN/spf-flatten"
expect "spf-flatten --config /dev/stdin" 0 '192.0.2.0/25'
printf 'key "upd" {\n\talgorithm hmac-sha256;\n\tsecret "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";\n};\n' >upd.key
run "$BIN/spf-flatten" --offline --record 'v=spf1 ip4:192.0.2.1 -all' --tsig-key <(cat upd.key) \
    --update 127.0.0.1@9 --dry-run example.test
expect "spf-flatten --tsig-key <(...) is read" 0 'ip4:192.0.2.1'
run "$BIN/spf-flatten" --offline --record 'v=spf1 ip4:192.0.2.1 -all' --tsig-key <(printf 'junk\n') \
    --update 127.0.0.1@9 --dry-run example.test
[ "$RC" = 2 ] && t_ok "and a junk key through the same pipe is refused (so it was read)" ||
    t_not_ok "a junk --tsig-key through a pipe is refused" "exit $RC" "$ERR"

cat >agg.xml <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<feedback>
  <report_metadata><org_name>pipe.example</org_name><email>r@pipe.example</email>
    <report_id>pipe-1</report_id><date_range><begin>1764720000</begin><end>1764806399</end></date_range></report_metadata>
  <policy_published><domain>example.com</domain><p>reject</p></policy_published>
  <record><row><source_ip>192.0.2.9</source_ip><count>7</count>
    <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results><spf><domain>example.com</domain><result>pass</result></spf></auth_results></record>
</feedback>
X
run sh -c 'cat agg.xml | "$0" --json -' "$BIN/dmarc-report"
expect_json "dmarc-report - from a pipe counts its messages" 'j["domains"][0]["messages"]' 7
run sh -c 'gzip -c agg.xml | "$0" --json /dev/stdin' "$BIN/dmarc-report"
expect_json "dmarc-report /dev/stdin, gzip from a pipe" 'j["domains"][0]["messages"]' 7
run "$BIN/dmarc-report" --json <(cat agg.xml)
expect_json "dmarc-report <(...)" 'j["domains"][0]["messages"]' 7
t_done
