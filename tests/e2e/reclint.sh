#!/usr/bin/env bash
# dkim-lint and tlsrpt-lint against NSD, with keys made by dkim-gen.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
good=$("$BIN/dkim-gen" --selector good --key-out good.pem --format txt lint.test)
weak=$("$BIN/dkim-gen" --selector weak --bits 1024 --key-out weak.pem --format txt lint.test 2>/dev/null)
ed=$("$BIN/dkim-gen" --selector ed --type ed25519 --key-out ed.pem --format txt lint.test)
txt() { printf '%s' "$1" | fold -w 200 | sed 's/"/\\"/g; s/.*/"&"/' | tr '\n' ' '; }
{
	printf '$ORIGIN lint.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	echo "good._domainkey TXT $(txt "$good")"
	echo "weak._domainkey TXT $(txt "$weak")"
	echo "ed._domainkey TXT $(txt "$ed")"
	echo 'old._domainkey TXT "v=DKIM1; p="'
	echo 'two._domainkey TXT "v=DKIM1; p="'
	echo 'two._domainkey TXT "v=DKIM1; t=y; p="'
	echo '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@lint.test,https://reports.lint.test/v1"'
	echo '@ MX 10 mx'
	echo 'mx A 85.1.2.25'
	echo '_smtp._tls.a TXT "v=TLSRPTv1; rua=mailto:tls@nomx.lint.test,mailto:tls@null.lint.test"'
	echo 'nomx A 85.1.2.3'
	echo 'null MX 0 .'
	echo '_smtp._tls.b TXT "v=TLSRPTv1; rua=mailto:a@lint.test"'
	echo '_smtp._tls.b TXT "v=TLSRPTv1; rua=mailto:b@lint.test"'
	echo '_smtp._tls.b TXT "something else"'
	echo '_smtp._tls.c TXT "v=TLSRPTv1; rua=http://reports.lint.test/"'
	echo 'd A 85.1.2.4'
} >zones/lint.test.zone
nsd_start lint.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

run "$BIN/dkim-lint" $S --selector good --selector ed lint.test
expect "dkim-lint: RSA 2048 and Ed25519 keys made by dkim-gen are clean" 0 \
    'dkim-key' 'rsa key, 2048 bits' 'ed25519 key, 256 bits'
run "$BIN/dkim-lint" $S --strict --selector weak lint.test
expect "a 1024-bit key is a warning (exit 1 with --strict)" 1 'dkim-rsa-weak'
# --key: the published record against the private key, as
# opendkim-testkey checks it
run "$BIN/dkim-lint" $S --selector good --key good.pem lint.test
expect "--key: the RSA record holds the public half of its key" 0 'dkim-key-matches' 'private key in good.pem'
run "$BIN/dkim-lint" $S --selector ed --key ed.pem lint.test
expect "--key: the Ed25519 record too" 0 'dkim-key-matches'
run "$BIN/dkim-lint" $S --selector good --key weak.pem lint.test
expect "--key: another RSA key is an error" 1 'dkim-key-mismatch' 'signatures made with it fail'
run "$BIN/dkim-lint" $S --selector ed --key good.pem lint.test
expect "--key: an RSA key against an Ed25519 record" 1 'dkim-key-mismatch'
run "$BIN/dkim-lint" $S --selector old --key good.pem lint.test
expect "--key: a revoked record matches no key" 1 'dkim-key-mismatch' 'the record has no usable key'
run "$BIN/dkim-lint" $S --selector good --selector ed --key good.pem lint.test
expect "--key with two selectors: usage" 2
printf 'not a key\n' >junk.pem
run "$BIN/dkim-lint" $S --selector good --key junk.pem lint.test
expect "--key: a file that holds no private key: exit 2" 2
printf '%s' "$ERR" | grep -q 'junk.pem: not an RSA or Ed25519 private key' && t_ok "and says so" || t_not_ok "and says so" "$ERR"
run "$BIN/dkim-lint" $S --selector old lint.test
expect "a revoked key is info" 0 'dkim-revoked'
run "$BIN/dkim-lint" $S --selector two lint.test
expect "two records at a selector" 0 'dkim-multiple-records' '2 TXT records at two._domainkey.lint.test'
run "$BIN/dkim-lint" $S --selector none lint.test
expect "no record at a selector is an error" 1 'dkim-no-record'
run "$BIN/dkim-lint" $S --json --selector good --selector none lint.test
expect "dkim-lint --json: worst status" 1
expect_json "one object per selector" '[(s["owner"], len(s["findings"])) for s in j["selectors"]]' \
    "[('good._domainkey.lint.test', 1), ('none._domainkey.lint.test', 1)]"
run "$BIN/dkim-lint" --server 127.0.0.1@1 --timeout 200 --retries 0 --selector good lint.test
expect "a DNS failure is exit 3" 3
run "$BIN/dkim-lint" lint.test
expect "no selector: usage" 2

run "$BIN/tlsrpt-lint" $S lint.test
expect "tlsrpt-lint: clean" 0 '^  v=TLSRPTv1; rua=mailto:tls@lint.test,https://reports.lint.test/v1$'
expect_not "no findings" '^(error|warning)'
run "$BIN/tlsrpt-lint" $S a.lint.test
expect "report domains without MX or with the null MX" 0 \
    'tlsrpt-rua-no-mx' 'nomx.lint.test has no MX' 'tlsrpt-rua-null-mx' 'null.lint.test accepts no mail'
run "$BIN/tlsrpt-lint" $S b.lint.test
expect "two TLS-RPT records (the third TXT is not one)" 1 'tlsrpt-multiple-records' '2 TLS-RPT records'
run "$BIN/tlsrpt-lint" $S c.lint.test
expect "an http report URI" 1 'tlsrpt-bad-uri'
run "$BIN/tlsrpt-lint" $S d.lint.test
expect "no record" 1 'tlsrpt-no-record'
run "$BIN/tlsrpt-lint" $S --json a.lint.test
expect_json "tlsrpt-lint --json" '(j["owner"], [f["code"] for f in j["findings"]])' \
    "('_smtp._tls.a.lint.test', ['tlsrpt-rua-no-mx', 'tlsrpt-rua-null-mx'])"
t_done
