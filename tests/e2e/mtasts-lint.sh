#!/usr/bin/env bash
# mtasts-lint against NSD and a real HTTPS server on loopback, with a test
# CA made here: a clean domain, coverage, redirects, content types, a
# missing policy, a bad certificate.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones www
names="ok cover redir type missing testing dns plainx charset nul"
san=$(for n in $names; do printf 'DNS:mta-sts.%s.mt.test,' "$n"; done)
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=authzone test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj "/CN=mta-sts.ok.mt.test" 2>/dev/null
printf 'subjectAltName=%s\n' "${san%,}" >ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 \
    -extfile ext 2>/dev/null
policy() {	# policy HOST MODE MX...
	d=www/mta-sts.$1.mt.test/.well-known
	mkdir -p "$d"
	{ printf 'version: STSv1\r\nmode: %s\r\n' "$2"; shift 2
	  for m in "$@"; do printf 'mx: %s\r\n' "$m"; done
	  printf 'max_age: 604800\r\n'; } >"$d/mta-sts.txt"
}
policy ok enforce mx1.ok.mt.test '*.mail.ok.mt.test'
policy cover enforce mx1.cover.mt.test
policy testing testing mx1.testing.mt.test
policy redir enforce mx1.redir.mt.test
echo "https://elsewhere.mt.test/policy" >www/mta-sts.redir.mt.test/redirect
policy type enforce mx1.type.mt.test
echo "text/html" >www/mta-sts.type.mt.test/type
mkdir -p www/mta-sts.missing.mt.test
policy dns enforce mx1.dns.mt.test
policy plainx enforce mx1.plainx.mt.test
echo "text/plainx" >www/mta-sts.plainx.mt.test/type
policy charset enforce mx1.charset.mt.test
echo "Text/Plain ; charset=utf-8" >www/mta-sts.charset.mt.test/type
policy nul enforce mx1.nul.mt.test
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.nul.mt.test\r\nmax_age: 604800\r\nmx: x\0y.nul.mt.test\r\n' >www/mta-sts.nul.mt.test/.well-known/mta-sts.txt
{
	printf '$ORIGIN mt.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	for n in $names badcert; do
		echo "_mta-sts.$n TXT \"v=STSv1; id=20261124;\""
		echo "$n MX 10 mx1.$n"
		echo "_smtp._tls.$n TXT \"v=TLSRPTv1; rua=mailto:tls@mt.test\""
	done
	echo 'ok MX 20 a.mail.ok'
	echo 'cover MX 20 mx2.cover'
	echo 'testing MX 20 mx2.testing'
	echo 'notls MX 10 mx1.notls'
	echo '_mta-sts.notls TXT "v=STSv1; id=1;"'
	echo '_mta-sts.two TXT "v=STSv1; id=1;"'
	echo '_mta-sts.two TXT "v=STSv1; id=2;"'
	echo 'none MX 10 mx1.none'
	# the policy host in DNS, as senders find it
	echo 'mta-sts.dns A 127.0.0.1'
	echo '_mta-sts.nohost TXT "v=STSv1; id=1;"'
	echo 'nohost MX 10 mx1.nohost'
	echo '_mta-sts.sf TXT "v=STSv1; id=1;"'
	echo 'sf MX 10 mx1.sf'
} >zones/mt.test.zone
nsd_start mt.test || { t_not_ok "nsd starts"; t_done; exit; }
https_start srv.pem srv.key www
L="--server 127.0.0.1@$NSD_PORT --ca-file ca.pem --connect-to ::127.0.0.1:$HTTPS_PORT"

run "$BIN/mtasts-lint" $L ok.mt.test
expect "a clean domain: the record, the policy over HTTPS, full coverage" 0 '^  mode: enforce$'
expect_not "no findings" '^(error|warning|info)'
run "$BIN/mtasts-lint" $L cover.mt.test
expect "an MX host no pattern covers, in enforce: an error" 1 'mtasts-mx-not-covered' 'mx2.cover.mt.test'
run "$BIN/mtasts-lint" $L testing.mt.test
expect "the same in testing: a warning" 0 'mtasts-mx-not-covered-testing'
run "$BIN/mtasts-lint" $L redir.mt.test
expect "a redirect is not followed" 1 'mtasts-policy-redirect' 'redirects \(301\) to https://elsewhere.mt.test/policy'
run "$BIN/mtasts-lint" $L type.mt.test
expect "a policy served as text/html" 1 'mtasts-policy-content-type' 'text/html'
run "$BIN/mtasts-lint" $L missing.mt.test
expect "no policy file: HTTP 404" 1 'mtasts-policy-http' 'HTTP 404'
run "$BIN/mtasts-lint" $L badcert.mt.test
expect "a certificate that does not name the host" 1 'mtasts-policy-tls'
run "$BIN/mtasts-lint" --server 127.0.0.1@$NSD_PORT --connect-to ::127.0.0.1:$HTTPS_PORT ok.mt.test
expect "a certificate from an unknown CA" 1 'mtasts-policy-tls'
run "$BIN/mtasts-lint" $L notls.mt.test
expect "no TLS-RPT record is info" 1 'mtasts-no-tlsrpt'
run "$BIN/mtasts-lint" $L two.mt.test
expect "two records" 1 'mtasts-multiple-records'
run "$BIN/mtasts-lint" $L none.mt.test
expect "no record" 1 'mtasts-no-record'
printf 'version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmx: mx.*.mt.test\nmax_age: 99999999\nmode: testing\ngarbage\n' >bad.txt
run "$BIN/mtasts-lint" $L --policy bad.txt ok.mt.test
expect "--policy: every problem of a policy file" 1 'mtasts-policy-bad-mx' 'mtasts-policy-max-age' \
    'mtasts-policy-duplicate' 'mtasts-policy-syntax' 'line 7 is not'
printf 'mode: enforce\nmx: mx1.ok.mt.test\nmx: *.mail.ok.mt.test\nmax_age: 3600\n' >short.txt
run "$BIN/mtasts-lint" $L --policy short.txt ok.mt.test
expect "no version, a short max_age" 1 'mtasts-policy-version' 'mtasts-policy-max-age-short'
printf 'version: STSv1\nmode: none\nmax_age: 86400\n' >nonemode.txt
run "$BIN/mtasts-lint" $L --policy nonemode.txt ok.mt.test
expect "mode none needs no mx" 0
expect_not "mode none: no coverage check" 'not-covered|no-mx'
printf 'version: STSv1\nmode: enforce\nmax_age: 86400\n' >nomx.txt
run "$BIN/mtasts-lint" $L --policy nomx.txt ok.mt.test
expect "enforce without mx" 1 'mtasts-policy-no-mx'
printf 'version: STSv1\nmode: strict\nmx: a.b.c\nmax_age: 86400\n' >mode.txt
run "$BIN/mtasts-lint" $L --policy mode.txt ok.mt.test
expect "an unknown mode" 1 'mtasts-policy-mode'
run "$BIN/mtasts-lint" $L --json ok.mt.test
expect_json "json" '(j["mode"], j["policy"].startswith("version: STSv1\r\n"), j["findings"])' "('enforce', True, [])"
# the policy host resolved by the tool's own resolver (--server), only the
# port mapped to the test server's
run "$BIN/mtasts-lint" --server 127.0.0.1@$NSD_PORT --ca-file ca.pem --connect-to ":443::$HTTPS_PORT" dns.mt.test
expect "the policy host's address comes from --server, not the system resolver" 0 '^  mode: enforce$'
run "$BIN/mtasts-lint" --server 127.0.0.1@$NSD_PORT --ca-file ca.pem --connect-to ":443::$HTTPS_PORT" nohost.mt.test
expect "a policy host with no address in DNS: the domain's error" 1 'mtasts-policy-fetch' 'mta-sts.nohost.mt.test has no address'
proxy_start -s mta-sts.sf.mt.test
run "$BIN/mtasts-lint" --server 127.0.0.1@$PROXY_PORT --ca-file ca.pem --connect-to ":443::$HTTPS_PORT" --timeout 300 --retries 0 sf.mt.test
expect "the policy host's lookup fails: exit 3" 3
printf '%s' "$ERR" | grep -q 'mta-sts.sf.mt.test A: servfail' && t_ok "and says which lookup" || t_not_ok "and says which lookup" "$ERR"
printf '$ORIGIN mt.test.\n@ SOA ns host 1 3600 600 86400 300\n_mta-sts.ok TXT "v=STSv1; id=1;"\nok MX 10 mx1.ok\n' >offline.zone
run "$BIN/mtasts-lint" --offline --zone offline.zone ok.mt.test
expect "--offline: the record checked, the policy not fetched: skipped, not failed" 0 '^not checked: the policy was not fetched \(--offline\)$'
run "$BIN/mail-audit" --no-connect --offline --zone offline.zone --json ok.mt.test
expect_json "mail-audit --offline: MTA-STS skipped" '(j["areas"]["mta-sts"]["verdict"], j["areas"]["mta-sts"]["skipped"])' "('skipped', 'the policy was not fetched (--offline)')"
run "$BIN/mtasts-lint" $L plainx.mt.test
expect "a policy served as text/plainx is not text/plain" 1 'mtasts-policy-content-type' 'text/plainx'
run "$BIN/mtasts-lint" $L charset.mt.test
expect "Text/Plain ; charset=utf-8 is text/plain" 0
run "$BIN/mtasts-lint" $L nul.mt.test
expect "a NUL inside the policy is an error with its line" 1 'mtasts-policy-nul' 'line 5 holds a NUL byte'
printf 'version: STSv1\nmode: enforce\nmx: mx1.ok.mt.test\nmax_age: 604800\nmx: %s\n' "$(head -c 1200 /dev/zero | tr '\0' a)" >long.txt
run "$BIN/mtasts-lint" $L --policy long.txt ok.mt.test
expect "an over-long line is an error with its line" 1 'mtasts-policy-long-line' 'line 5 is 1204 bytes'
run "$BIN/mtasts-lint" $L --policy www ok.mt.test
expect "--policy DIRECTORY: exit 2 at once" 2
printf '%s' "$ERR" | grep -q 'cannot read www: it is a directory' && t_ok "and says so" || t_not_ok "and says so" "$ERR"
run "$BIN/mtasts-lint" --server 127.0.0.1@$NSD_PORT --ca-file ca.pem --connect-to ::127.0.0.1:1 --timeout 300 --retries 0 ok.mt.test
expect "the policy host unreachable: a network failure, exit 3" 3
t_done
