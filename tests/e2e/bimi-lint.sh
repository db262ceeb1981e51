#!/usr/bin/env bash
# bimi-lint against NSD: the record, the fallback, the DMARC prerequisite;
# with --fetch, the logo and the mark certificate from a real HTTPS server
# on loopback with a test CA made here.
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
{
	soa f.test
	echo '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@f.test"'
	echo 'default._bimi TXT "v=BIMI1; l=https://img.f.test/logo.svg; a=https://img.f.test/vmc.pem"'
	echo 'bad._bimi TXT "v=BIMI1; l=https://img.f.test/bad.svg; a=https://img.f.test/missing.pem"'
	echo 'moved._bimi TXT "v=BIMI1; l=https://moved.f.test/logo.svg"'
	echo 'tls._bimi TXT "v=BIMI1; l=https://other.f.test/logo.svg"'
	echo 'wrong._bimi TXT "v=BIMI1; l=https://img.f.test/logo.svg; a=https://img.f.test/web.pem"'
} >zones/f.test.zone
nsd_start bm.test weak.test tst.test pct.test nodm.test nobimi.test f.test || { t_not_ok "nsd starts"; t_done; exit; }
mkdir -p www/img.f.test www/moved.f.test
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=authzone test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj "/CN=img.f.test" 2>/dev/null
printf 'subjectAltName=DNS:img.f.test,DNS:moved.f.test\n' >ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 \
    -extfile ext 2>/dev/null
# the mark certificate: the domain in its SAN and the logotype extension
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout vmc.key -out vmc.csr \
    -subj "/CN=F Brand" 2>/dev/null
printf 'subjectAltName=DNS:f.test\n1.3.6.1.5.5.7.1.12=DER:3000\n' >vmcext
openssl x509 -req -in vmc.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out www/img.f.test/vmc.pem \
    -days 300 -extfile vmcext 2>/dev/null
cp srv.pem www/img.f.test/web.pem
printf '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps"><title>F</title><path d="M0 0h9v9z"/></svg>\n' \
    >www/img.f.test/logo.svg
printf '<svg xmlns="http://www.w3.org/2000/svg" version="1.1"><script>x()</script><animate/></svg>\n' \
    >www/img.f.test/bad.svg
echo "https://img.f.test/logo.svg" >www/moved.f.test/redirect
https_start srv.pem srv.key www
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
expect "DMARC p=none" 1 'bimi-dmarc-not-enforcing' 'does not enforce: p=none'
run "$BIN/bimi-lint" $S tst.test
expect "DMARC in testing" 1 'reject in testing \(t=y\)'
run "$BIN/bimi-lint" $S pct.test
expect "DMARC at pct=50: what each kind of receiver does, and no advice to move to quarantine" 1 'does not enforce: pct=50: receivers that follow RFC 7489 apply quarantine to 50% of failing mail and none to the rest; those that follow RFC 9989 ignore pct= and apply quarantine to all of it'
run "$BIN/bimi-lint" $S nodm.test
expect "no DMARC at all" 1 'does not enforce: absent'
run "$BIN/bimi-lint" $S nobimi.test
expect "no record" 1 'bimi-no-record'
run "$BIN/bimi-lint" $S --json bm.test
expect_json "json" '(j["owner"], j["dmarc"].startswith("v=DMARC1; p=reject"), j["findings"])' "('default._bimi.bm.test', True, [])"
F="--fetch --ca-file ca.pem --connect-to ::127.0.0.1:$HTTPS_PORT"
run "$BIN/bimi-lint" $S $F f.test
expect "--fetch: an SVG Tiny PS logo and a mark certificate for the domain" 0 \
    'bimi-cert at https://img.f.test/vmc.pem' 'certificate for /CN=F Brand, issued by /CN=authzone test CA'
expect_not "no error or warning" '^(error|warning)'
run "$BIN/bimi-lint" $S $F --selector bad f.test
expect "a logo outside the profile, a missing certificate" 1 'bimi-svg-version' 'bimi-svg-profile' \
    'bimi-svg-no-title' 'bimi-svg-script' 'bimi-svg-animation' \
    'bimi-fetch-http at https://img.f.test/missing.pem' 'answered HTTP 404'
run "$BIN/bimi-lint" $S $F --selector moved f.test
expect "a redirect is not followed" 1 'bimi-fetch-http' 'answered HTTP 301 to https://img.f.test/logo.svg'
run "$BIN/bimi-lint" $S $F --selector tls f.test
expect "a server whose certificate does not name the host" 1 'bimi-fetch-failed' 'cannot fetch https://other.f.test/logo.svg'
run "$BIN/bimi-lint" $S $F --selector wrong f.test
expect "a web server certificate is no mark certificate" 1 'bimi-cert-name' 'do not name f.test' \
    'bimi-cert-no-logotype'
run "$BIN/bimi-lint" $S f.test
expect_not "without --fetch nothing is fetched" 'bimi-cert|bimi-svg'
run "$BIN/bimi-lint" $S --fetch --ca-file ca.pem --connect-to ::127.0.0.1:1 --timeout 300 --retries 0 f.test
expect "--fetch to a server that refuses the connection: a network failure, exit 3" 3
printf '%s' "$ERR" | grep -q 'fetching https://img.f.test/logo.svg' && t_ok "and says which fetch" || t_not_ok "and says which fetch" "$ERR"
printf '$ORIGIN f.test.\n@ SOA ns h 1 2 3 4 5\ndefault._bimi TXT "v=BIMI1; l=https://img.f.test/logo.svg; a=https://img.f.test/vmc.pem"\n_dmarc TXT "v=DMARC1; p=reject"\n' >offline.zone
run "$BIN/bimi-lint" --offline --zone offline.zone --fetch f.test
expect "--fetch --offline: nothing fetched, reported as not checked" 0 'not checked: the logo and certificate were not fetched \(--offline\)'
run "$BIN/bimi-lint" --server 127.0.0.1@1 --timeout 200 --retries 0 bm.test
expect "a DNS failure is exit 3" 3
t_done
