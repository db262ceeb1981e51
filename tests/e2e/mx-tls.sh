#!/usr/bin/env bash
# mx-tls against Postfix (Debian's, one smtpd a loopback address, each
# with its certificate from a CA made here: valid, expired, wrong name,
# wildcard, self-signed, expiring soon, no STARTTLS), against peers that
# misbehave (tests/smtp_peer.py: drip-feed, a 1 MB banner, 1,000 lines, a
# stall, bytes after STARTTLS, no SMTP, TLS 1.0 only), and DANE: TLSA
# records right, wrong, unusable and for the CA, in a zone signed with
# ldns-signzone and served through Unbound with the test's trust anchor
# (so AD is set), and in an unsigned zone.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
command -v postfix >/dev/null || { t_skip "mx-tls against Postfix" "postfix is not installed (tests/deps.sh check)"; t_done; exit; }
mkdir -p zones ca
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
    -subj "/CN=authzone test CA" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
printf '[ca]\ndefault_ca = t\n[t]\ndir = ca\ndatabase = ca/index\nnew_certs_dir = ca\nserial = ca/serial\ndefault_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n[any]\ncommonName = supplied\n' >ca.cnf
: >ca/index
echo 01 >ca/serial
# leaf NAME START END [SAN]: NAME.pem (leaf, then the CA) and NAME.key
leaf() {
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
	    -subj "/CN=$1" -addext "subjectAltName=DNS:${4:-$1}" 2>/dev/null
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" \
	    -out "$1.crt" -startdate "$2" -enddate "$3" -notext 2>/dev/null
	cat "$1.crt" ca.pem >"$1.pem"
}
now=$(date -u +%Y%m%d%H%M%SZ)
later=$(date -u -d '+60 days' +%Y%m%d%H%M%SZ)
soon=$(date -u -d '+5 days' +%Y%m%d%H%M%SZ)
leaf mx1.pf.test "$now" "$later"
leaf mx2.pf.test 20200101000000Z 20200201000000Z
leaf other.pf.test "$now" "$later"
leaf wild.pf.test "$now" "$later" '*.wild.pf.test'
leaf mx7.pf.test "$now" "$soon"
leaf mx.ta.dane.test "$now" "$later"
leaf v12.h.pf.test "$now" "$later"
openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 30 \
    -subj "/CN=mx5.pf.test" -addext "subjectAltName=DNS:mx5.pf.test" 2>/dev/null
openssl genpkey -algorithm ed25519 -out next.key 2>/dev/null
svc() { echo "127.0.0.$1:2525 inet n - n - - smtpd -o smtpd_tls_chain_files=$T_TMP/$2.key,$T_TMP/$2.pem"; }
# mx8.pf.test: an A and an AAAA record, Postfix on both (::1 where the
# machine has it)
leaf mx8.pf.test "$now" "$later"
V6= PROTO=ipv4
if /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	V6="[::1]:2525 inet n - n - - smtpd -o smtpd_tls_chain_files=$T_TMP/mx8.pf.test.key,$T_TMP/mx8.pf.test.pem"
	PROTO=all
fi
POSTFIX_MAIN="inet_protocols = $PROTO" postfix_start ${V6:+"$V6"} "$(svc 30 mx8.pf.test)" "$(svc 21 mx1.pf.test)" "$(svc 22 mx2.pf.test)" "$(svc 23 other.pf.test)" \
    "$(svc 24 wild.pf.test)" "127.0.0.25:2525 inet n - n - - smtpd -o smtpd_tls_chain_files=$T_TMP/self.key,$T_TMP/self.pem" \
    "127.0.0.26:2525 inet n - n - - smtpd -o smtpd_tls_security_level=none" \
    "$(svc 27 mx7.pf.test)" "$(svc 28 mx.ta.dane.test)" \
    "$(svc 29 v12.h.pf.test) -o smtpd_tls_protocols=!SSLv2,!SSLv3,!TLSv1,!TLSv1.1,!TLSv1.3" ||
    { t_not_ok "postfix starts"; t_done; exit; }
n=31
for mode in drip big many stall garbage badreply tls10 tlsclose; do
	mkfifo "peer.$mode"
	/usr/bin/python3 "$T_LIB/smtp_peer.py" "127.0.0.$n" 2525 "$mode" mx1.pf.test.pem mx1.pf.test.key >"peer.$mode" 2>/dev/null &
	T_PIDS="$T_PIDS $!"
	read -r _ <"peer.$mode"
	n=$((n + 1))
done

spki() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64; }
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns.%s.\nns A 127.0.0.1\n' "$1" "$1" "$1" "$1"; }
{
	soa pf.test
	for i in 1 2 3 5 6 7; do echo "mx$i A 127.0.0.2$i"; done
	echo 'v12.h A 127.0.0.29'
	echo 'mx6 A 127.0.0.26'
	echo 'a.wild A 127.0.0.24'
	cat <<-Z
	good MX 10 mx1
	v12 MX 10 v12.h
	_2525._tcp.mx1 TLSA 3 1 1 $(spki mx1.pf.test.crt)
	exp MX 10 mx2
	name MX 10 mx3
	wild MX 10 a.wild
	self MX 10 mx5
	plain MX 10 mx6
	soon MX 10 mx7
	multi MX 10 mx1
	multi MX 20 mx6
	null MX 0 .
	sts MX 10 mx1
	sts MX 20 mx2
	_mta-sts.sts TXT "v=STSv1; id=1;"
	stt MX 10 mx6
	_mta-sts.stt TXT "v=STSv1; id=1;"
	nomx A 127.0.0.21
	noaddr MX 10 nowhere
	dual MX 10 mx8
	mx8 A 127.0.0.30
	mx8 AAAA ::1
	Z
	n=31
	for mode in drip big many stall garbage badreply tls10 tlsclose; do
		echo "$mode MX 10 h.$mode"
		echo "h.$mode A 127.0.0.$n"
		n=$((n + 1))
	done
} >zones/pf.test.zone
{
	soa dane.test
	cat <<-Z
	ok MX 10 mx.ok
	mx.ok A 127.0.0.21
	_2525._tcp.mx.ok TLSA 3 1 1 $(spki mx1.pf.test.crt)
	wrong MX 10 mx.wrong
	mx.wrong A 127.0.0.21
	_2525._tcp.mx.wrong TLSA 3 1 1 $(spki other.pf.test.crt)
	pkix MX 10 mx.pkix
	mx.pkix A 127.0.0.21
	_2525._tcp.mx.pkix TLSA 1 1 1 $(spki mx1.pf.test.crt)
	ta MX 10 mx.ta
	mx.ta A 127.0.0.28
	_2525._tcp.mx.ta TLSA 2 1 1 $(spki ca.pem)
	bad MX 10 mx.bad
	mx.bad A 127.0.0.21
	_2525._tcp.mx.bad TLSA 3 1 1 $(spki mx1.pf.test.crt)
	none MX 10 mx.none
	mx.none A 127.0.0.21
	nodata MX 10 mx.nodata
	mx.nodata A 127.0.0.21
	_2525._tcp.mx.nodata TXT "no TLSA here"
	broken MX 10 mx.broken
	mx.broken A 127.0.0.21
	_2525._tcp.mx.broken TXT "its NSEC record changed after signing"
	Z
} >zones/dane.test.zone.in
key=$(cd zones && ldns-keygen -a ECDSAP256SHA256 -k dane.test)
(cd zones && ldns-signzone -f dane.test.zone.signed -o dane.test dane.test.zone.in "$key") ||
    { t_not_ok "ldns-signzone signs the zone"; t_done; exit; }
# bad.dane.test: its TLSA record changed after signing, its RRSIG kept;
# broken.dane.test: the NSEC record that says its TLSA owner has only a
# TXT record, changed after signing (one type more), its RRSIG kept
sed -E -e "/^_2525\._tcp\.mx\.bad\.dane\.test\.[[:space:]].*TLSA/ s/3 1 1 [0-9A-Fa-f]+/3 1 1 $(spki other.pf.test.crt)/" \
    -e "/^_2525\._tcp\.mx\.broken\.dane\.test\.[[:space:]].*[[:space:]]NSEC[[:space:]]/ s/ TXT / TXT SPF /" \
    zones/dane.test.zone.signed >zones/dane.test.zone
[ "$(diff zones/dane.test.zone.signed zones/dane.test.zone | grep -c '^>')" = 2 ] ||
    t_not_ok "the TLSA record of bad.dane.test and an NSEC record of broken.dane.test were changed after signing"
# dane3.test: signed with NSEC3 (RFC 5155), a host without TLSA
{
	soa dane3.test
	cat <<-Z
	none MX 10 mx.none
	mx.none A 127.0.0.21
	Z
} >zones/dane3.test.zone.in
key3=$(cd zones && ldns-keygen -a ECDSAP256SHA256 -k dane3.test)
(cd zones && ldns-signzone -n -f dane3.test.zone -o dane3.test dane3.test.zone.in "$key3") ||
    { t_not_ok "ldns-signzone -n signs the zone"; t_done; exit; }
cat "zones/$key.ds" "zones/$key3.ds" >anchors
other=$(cd zones && ldns-keygen -a ECDSAP256SHA256 -k dane.test)
nsd_start pf.test dane.test dane3.test || { t_not_ok "nsd starts"; t_done; exit; }
RESOLVER_EXTRA="server:
  trust-anchor-file: \"$T_TMP/zones/$key.ds\"" resolver_start unbound "$NSD_PORT" ||
    { t_not_ok "unbound starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT --port 2525 --ca-file ca.pem"
U="--server 127.0.0.1@$RESOLVER_PORT --port 2525 --ca-file ca.pem"

run "$BIN/mx-tls" $S good.pf.test
expect "a valid certificate from the CA: the table, exit 0" 0 \
    '^good\.pf\.test: 1 MX host, 1 address$' '^  10 mx1\.pf\.test$' \
    '^     127\.0\.0\.21 port 2525  TLSv1\.3 TLS_[A-Z0-9_]+, certificate valid, expires ' \
    'mxtls-dane-insecure at mx1\.pf\.test'
expect_not "no error" '^error'
run "$BIN/mx-tls" $S --json good.pf.test
expect "--json" 0
A="j['mx'][0]['addresses'][0]"
expect_json "starttls, the version and the certificate's verdicts" \
    "($A['starttls'], $A['tls_version'], $A['cert']['valid'], $A['cert']['names_ok'])" \
    "(True, 'TLSv1.3', True, True)"
expect_json "its issuer and expiry" "($A['cert']['issuer'], $A['cert']['days_left'] >= 59)" \
    "('/CN=authzone test CA', True)"
expect_json "DANE straight from NSD: present, matched, not validated" \
    "($A['dane']['present'], $A['dane']['matched'], $A['dane']['dnssec'])" "(True, True, False)"
expect_json "each step timed" "sorted($A['ms'])" "['banner', 'connect', 'ehlo', 'starttls', 'tls']"

run "$BIN/mx-tls" $S exp.pf.test
expect "an expired certificate is an error" 1 'mxtls-cert-expired' 'the certificate expired on 2020-02-01'
run "$BIN/mx-tls" $S name.pf.test
expect "a certificate for another name" 1 'mxtls-cert-name' \
    'does not cover mx3\.pf\.test \(it names other\.pf\.test\)'
run "$BIN/mx-tls" $S wild.pf.test
expect "a wildcard covers its first label" 0
expect_not "no name finding for a.wild.pf.test" 'mxtls-cert-name'
run "$BIN/mx-tls" $S self.pf.test
expect "a self-signed certificate does not chain" 1 'mxtls-cert-untrusted' 'self-signed'
run "$BIN/mx-tls" $S plain.pf.test
expect "no STARTTLS" 1 'no STARTTLS' 'mxtls-no-starttls at mx6\.pf\.test'
run "$BIN/mx-tls" $S soon.pf.test
expect "expiring in 5 days: a warning, exit 0" 0 'mxtls-cert-expiring' 'expires in [45] day'
run "$BIN/mx-tls" $S --strict soon.pf.test
expect "--strict: the warning fails" 1
run "$BIN/mx-tls" $S --expiry-warn 3 soon.pf.test
expect "--expiry-warn 3: no warning at 5 days" 0
expect_not "none" 'mxtls-cert-expiring'
run "$BIN/mx-tls" $S multi.pf.test
expect "two MX hosts in preference order, each judged" 1 \
    '^  10 mx1\.pf\.test$' '^  20 mx6\.pf\.test$' 'mxtls-no-starttls at mx6' \
    'mxtls-dane-none at mx6\.pf\.test'
run "$BIN/mx-tls" $S null.pf.test
expect "a null MX takes no mail: nothing to probe" 0 'null MX, takes no mail'
run "$BIN/mx-tls" $S nomx.pf.test
expect "no MX: the domain itself (RFC 5321 5.1), its name checked" 1 \
    'no MX: the domain itself' '^  0 nomx\.pf\.test$' 'does not cover nomx\.pf\.test'
run "$BIN/mx-tls" $S noaddr.pf.test
expect "an MX host without address" 1 'mx-host-no-address'
run "$BIN/mx-tls" $S --host mx1.pf.test good.pf.test
expect "--host: that host only" 0 '^  0 mx1\.pf\.test$'
run "$BIN/mx-tls" $S good.pf.test exp.pf.test
expect "several domains: each its table, the worst status" 1 '^good\.pf\.test: ' '^exp\.pf\.test: '
printf 'good.pf.test\nwild.pf.test\n' >batch
run "$BIN/mx-tls" $S --json --batch batch
expect "--batch" 0
expect_json "the domains in input order" "[d['domain'] for d in j['domains']]" "['good.pf.test', 'wild.pf.test']"

# peers that misbehave: each ends with its reason, within the timeouts
run "$BIN/mx-tls" $S v12.pf.test
expect "TLS 1.2 only: a note" 0 'mxtls-tls12' 'TLSv1\.2'
run_timed "$BIN/mx-tls" $S --smtp-timeout 2000 --json drip.pf.test big.pf.test \
    many.pf.test stall.pf.test garbage.pf.test badreply.pf.test tls10.pf.test \
    tlsclose.pf.test
expect "eight hostile peers at once: exit 1" 1
err() { printf "[d['mx'][0]['addresses'][0]['error'] for d in j['domains'] if d['domain'] == '%s.pf.test'][0]" "$1"; }
expect_json "a drip-fed banner ends at the step's timeout" "($(err drip))['step'] + ': ' + ($(err drip))['message']" \
    "banner: no answer within 2000 ms"
expect_json "a 1 MB banner line is refused" "($(err big))['message']" "a reply line of over 4096 bytes"
expect_json "a reply of 1,000 lines is refused" "($(err many))['message']" "a reply of over 100 lines"
expect_json "a server that says nothing" "($(err stall))['message']" "no answer within 2000 ms"
expect_json "bytes in clear after the 220 to STARTTLS" "($(err garbage))['message']" \
    "14 bytes after the 220 to STARTTLS, before TLS"
expect_json "a greeting that is no SMTP" "($(err badreply))['message']" 'not an SMTP reply: "hello there"'
expect_json "TLS 1.0 only: negotiated, and an error" \
    "[d['mx'][0]['addresses'][0]['tls_version'] for d in j['domains'] if d['domain'] == 'tls10.pf.test'][0]" "TLSv1"
expect_json "a server that closes after the 220 to STARTTLS" "($(err tlsclose))['step'] + ': ' + ($(err tlsclose))['message']" \
    "tls: the TLS handshake failed: the server closed the connection"
expect_json "each with its finding" \
    "sorted(set(f['code'] for d in j['domains'] for f in d['findings'] if f['severity'] == 'error'))" \
    "['mxtls-banner', 'mxtls-cert-name', 'mxtls-ehlo', 'mxtls-handshake', 'mxtls-old-tls', 'mxtls-starttls']"
[ "$MS" -lt 6000 ] && t_ok "the eight together within their timeouts ($MS ms)" || t_not_ok "too slow" "$MS ms"

# DANE through a validating Unbound
run "$BIN/mx-tls" $U --json ok.dane.test
expect "DANE-EE matched and validated: exit 0" 0
expect_json "dnssec, usable, matched" "($A['dane']['dnssec'], $A['dane']['usable'], $A['dane']['matched'])" "(True, True, True)"
expect_json "the name mismatch is only a note under DANE-EE" \
    "sorted(f['code'] for f in j['findings'])" "['mxtls-dane-match', 'mxtls-pkix-ignored']"
run "$BIN/mx-tls" $U wrong.dane.test
expect "a TLSA record for another key: an error" 1 'mxtls-dane-mismatch'
run "$BIN/mx-tls" $U pkix.dane.test
expect "usage 1 only: no usable record" 1 'mxtls-dane-unusable'
run "$BIN/mx-tls" $U ta.dane.test
expect "DANE-TA: the CA in the chain matches" 0 'mxtls-dane-match' 'TLSA 2 1 1 '
run "$BIN/mx-tls" $U good.pf.test
expect "a TLSA record in an unsigned zone, through the validating resolver" 0 'mxtls-dane-insecure'
run "$BIN/mx-tls" $U --next-key next.key ok.dane.test
expect "--next-key without its record: a warning" 0 'mxtls-dane-next-key'
# IPv6: every address of an MX host probed, A and AAAA
if [ -n "$V6" ]; then
	run "$BIN/mx-tls" $S --json dual.pf.test
	expect "an MX host with an A and an AAAA record: both probed" 0
	expect_json "each address: STARTTLS, TLS 1.3, a valid certificate for its name" \
	    "sorted((a['address'], a['starttls'], a['tls_version'], a['cert']['valid'], a['cert']['names_ok']) for a in j['mx'][0]['addresses'])" \
	    "[('127.0.0.30', True, 'TLSv1.3', True, True), ('::1', True, 'TLSv1.3', True, True)]"
else
	t_skip "an MX host's AAAA address" "no ::1 on this machine"
fi

# DANE validated here (--trust-anchor), straight from NSD: no AD bit
run "$BIN/mx-tls" $S --trust-anchor "zones/$key.ds" --json ok.dane.test
expect "--trust-anchor (the zone's DS): validated here from NSD, matched, exit 0" 0
expect_json "dnssec, validated_by, validation, matched" \
    "($A['dane']['dnssec'], $A['dane']['validated_by'], $A['dane']['validation'], $A['dane']['matched'])" \
    "(True, 'trust-anchor', 'secure', True)"
expect_json "the findings: validated, matched, PKIX a note" \
    "sorted(f['code'] for f in j['findings'])" "['mxtls-dane-match', 'mxtls-dane-validated', 'mxtls-pkix-ignored']"
run "$BIN/mx-tls" $S --trust-anchor "zones/$key.key" ok.dane.test
expect "--trust-anchor with the DNSKEY itself" 0 'mxtls-dane-validated at mx\.ok\.dane\.test' \
    'validated here: signed by dane\.test\. \(key tag [0-9]+\)'
run "$BIN/mx-tls" $S --trust-anchor - ok.dane.test <"zones/$key.ds"
expect "--trust-anchor - : the anchors read from standard input" 0 'mxtls-dane-validated at mx\.ok\.dane\.test'
run "$BIN/mx-tls" $S --trust-anchor <(cat "zones/$key.ds") ok.dane.test
expect "--trust-anchor from a pipe (process substitution)" 0 'mxtls-dane-validated at mx\.ok\.dane\.test'
run "$BIN/mx-tls" $S --trust-anchor "zones/$key.ds" bad.dane.test
expect "a TLSA record changed after signing: bogus, an error" 1 \
    'mxtls-dane-bogus at mx\.bad\.dane\.test' '\(DNSSEC bogus\)'
expect_not "bogus is not matched as if it were good" 'mxtls-dane-match'
# no TLSA records: DNSSEC proves there are none (NSEC, the name absent or
# only its TLSA type; NSEC3), or the proof is bogus
D="sorted(f['code'] for f in j['findings'] if f['code'].startswith('mxtls-dane'))"
V="($A['dane']['present'], $A['dane']['dnssec'], $A['dane']['validation'])"
for host in none nodata; do
	run "$BIN/mx-tls" $S --trust-anchor anchors --json $host.dane.test
	expect_json "no TLSA at mx.$host.dane.test: DNSSEC proves it (NSEC)" "$D, $V" \
	    "['mxtls-dane-none-proven'] (False, True, 'secure')"
done
run "$BIN/mx-tls" $S --trust-anchor anchors none.dane.test
expect "which the text says, with the fix: publish a record" 1 \
    'no DANE \(DNSSEC proves it\)' 'mxtls-dane-none-proven at mx\.none\.dane\.test' \
    'validated here: _2525\._tcp\.mx\.none\.dane\.test has none, as [0-9]+ signed NSEC record' \
    'publish the record tlsa-gen prints'
run "$BIN/mx-tls" $S --trust-anchor anchors --json none.dane3.test
expect_json "no TLSA in a zone signed with NSEC3: proven too" "$D, $V" \
    "['mxtls-dane-none-proven'] (False, True, 'secure')"
expect "the NSEC3 proof named" 1 'signed NSEC3 record'
run "$BIN/mx-tls" $S --trust-anchor anchors --json broken.dane.test
expect_json "an NSEC record changed after signing: the denial is bogus, an error" "$D, $V" \
    "['mxtls-dane-denial-bogus'] (False, False, 'bogus')"
expect "and says why" 1 'bogus: an NSEC record of the answer that _2525\._tcp\.mx\.broken\.dane\.test has none'
run "$BIN/mx-tls" $S --trust-anchor "zones/$key3.ds" --json none.dane.test
expect_json "an anchor of another zone only: no proof either way, as before" "$D, $V" \
    "['mxtls-dane-none'] (False, False, None)"
run "$BIN/mx-tls" $S --json none.dane.test
expect_json "without --trust-anchor: no TLSA, as before" "$D" "['mxtls-dane-none']"
run "$BIN/mx-tls" $S --trust-anchor "zones/$other.ds" ok.dane.test
expect "an anchor of another key: bogus" 1 'mxtls-dane-bogus'
run "$BIN/mx-tls" $S --trust-anchor "zones/$key.ds" good.pf.test
expect "an unsigned zone no anchor is above: insecure, said why" 0 \
    'mxtls-dane-insecure at mx1\.pf\.test' 'no RRSIG, and no anchor of the file is above'
printf 'dane.test. 300 IN A 192.0.2.1\n' >notanchor
run "$BIN/mx-tls" $S --trust-anchor notanchor ok.dane.test
OUT=$ERR expect "an anchor file of no DS or DNSKEY: exit 2" 2 'notanchor:1: not a DS or DNSKEY record'
run "$BIN/mx-tls" $S --trust-anchor nothere ok.dane.test
OUT=$ERR expect "an anchor file that cannot be read: exit 2" 2 'nothere: No such file'

run "$BIN/mx-tls" --offline --zone zones/pf.test.zone --port 2525 --ca-file ca.pem \
    --concurrency 1 --helo client.pf.test --deadline 20000 good.pf.test wild.pf.test
expect "--offline --zone: the names from the zone file, the probes made; --concurrency 1" 0 \
    '^good\.pf\.test: 1 MX host' '^wild\.pf\.test: 1 MX host' 'TLSv1\.3'

# mtasts-lint: the MX hosts a policy covers must have certificates that
# senders accept (one HTTPS server, a certificate for both policy hosts)
mkdir -p www/mta-sts.sts.pf.test/.well-known www/mta-sts.stt.pf.test/.well-known
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.pf.test\r\nmx: mx2.pf.test\r\nmax_age: 604800\r\n' \
    >www/mta-sts.sts.pf.test/.well-known/mta-sts.txt
printf 'version: STSv1\r\nmode: testing\r\nmx: *.pf.test\r\nmax_age: 604800\r\n' \
    >www/mta-sts.stt.pf.test/.well-known/mta-sts.txt
openssl req -newkey rsa:2048 -nodes -keyout web.key -out web.csr -subj "/CN=mta-sts.sts.pf.test" \
    -addext "subjectAltName=DNS:mta-sts.sts.pf.test,DNS:mta-sts.stt.pf.test" 2>/dev/null
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in web.csr -out web.pem \
    -startdate "$now" -enddate "$later" -notext 2>/dev/null
https_start web.pem web.key www
L="--server 127.0.0.1@$NSD_PORT --ca-file ca.pem --connect-to ::127.0.0.1:$HTTPS_PORT --smtp-port 2525"
run "$BIN/mtasts-lint" $L sts.pf.test
expect "mtasts-lint: an enforced MX host whose certificate expired is an error" 1 \
    'mtasts-mx-cert at mx2\.pf\.test' 'mx2\.pf\.test \(127\.0\.0\.22\) is an MX host of the enforced policy, but its certificate expired'
expect_not "the host with a good certificate passes" 'mtasts-mx-cert at mx1'
run "$BIN/mtasts-lint" $L stt.pf.test
expect "mode testing: a host without STARTTLS is a warning" 0 \
    'mtasts-mx-cert-testing at mx6\.pf\.test' 'it offers no STARTTLS'
run "$BIN/mtasts-lint" $L --no-connect sts.pf.test
expect "--no-connect: no connection, no such finding" 0
expect_not "none" 'mtasts-mx-cert'

# mail-audit's tls area: the same probes, all domains of a round at once
M="--server 127.0.0.1@$NSD_PORT --smtp-port 2525 --ca-file ca.pem"
run "$BIN/mail-audit" $M good.pf.test
expect "mail-audit: the tls area" 1 \
    '^  tls +warn +1 of 1 addresses with TLS, 1 certificate valid, 0 DANE matches$' \
    'mxtls-dane-insecure at mx1\.pf\.test'
run "$BIN/mail-audit" $M --json plain.pf.test
expect_json "no STARTTLS fails the area" "(j['areas']['tls']['verdict'], j['areas']['tls']['addresses'][0]['starttls'])" "('fail', False)"
printf 'good.pf.test\nplain.pf.test\nexp.pf.test\nnull.pf.test\nwild.pf.test\n' >audit.batch
run_timed "$BIN/mail-audit" $M --no-progress --batch audit.batch
expect "a batch: each domain's tls verdict" 1
python3 - "$OUT" <<'P' && t_ok "the verdicts of the batch's tls areas ($MS ms)" || t_not_ok "the batch's tls areas" "$OUT"
import json, sys
got = {j["domain"]: j["areas"]["tls"]["verdict"] for j in map(json.loads, sys.argv[1].splitlines())}
assert got == {"good.pf.test": "warn", "plain.pf.test": "fail", "exp.pf.test": "fail",
               "null.pf.test": "skipped", "wild.pf.test": "pass"}, got
P
run "$BIN/mail-audit" $M --trust-anchor "zones/$key.ds" --json ok.dane.test
expect_json "mail-audit --trust-anchor: the tls area's DANE validated here, matched" \
    "(j['areas']['tls']['verdict'], j['areas']['tls']['addresses'][0]['dane'], sorted(set(f['code'] for f in j['areas']['tls']['findings'])))" \
    "('pass', 'matched', ['mxtls-dane-match', 'mxtls-dane-validated', 'mxtls-pkix-ignored'])"
run "$BIN/mail-audit" $M --trust-anchor "zones/$key.ds" --json bad.dane.test
expect_json "mail-audit --trust-anchor: a bogus TLSA RRset fails the area" \
    "(j['areas']['tls']['verdict'], 'mxtls-dane-bogus' in [f['code'] for f in j['areas']['tls']['findings']])" "('fail', True)"
run "$BIN/mail-audit" $M --trust-anchor anchors --json broken.dane.test
expect_json "mail-audit --trust-anchor: a bogus proof of no TLSA fails the area" \
    "(j['areas']['tls']['verdict'], j['areas']['tls']['addresses'][0]['dane'], 'mxtls-dane-denial-bogus' in [f['code'] for f in j['areas']['tls']['findings']])" "('fail', 'bogus', True)"
run "$BIN/mail-audit" $M --trust-anchor anchors --json none.dane3.test
expect_json "and a proven one is none, with the note" \
    "(j['areas']['tls']['addresses'][0]['dane'], 'mxtls-dane-none-proven' in [f['code'] for f in j['areas']['tls']['findings']])" "('none', True)"
run "$BIN/mail-audit" $M --no-connect --json good.pf.test
expect_json "--no-connect: skipped, and said why" "(j['areas']['tls']['verdict'], j['areas']['tls']['skipped'])" \
    "('skipped', 'no SMTP connection (--no-connect, --offline)')"
run "$BIN/mail-audit" $M --no-connect --baseline base.jsonl soon.pf.test
run "$BIN/mail-audit" $M --baseline base.jsonl soon.pf.test
expect "--baseline: a certificate near expiry is a change for the worse" 1 \
    '^worse   soon\.pf\.test tls: new warning mxtls-cert-expiring: mx7\.pf\.test \(127\.0\.0\.27\): the certificate expires in [45] day'

run "$BIN/mx-tls" $S --port 2599 good.pf.test
expect "nothing listens: the connect fails, named" 1 'mxtls-connect' 'Connection refused'
run "$BIN/mx-tls" --server 127.0.0.1@1 --timeout 200 --retries 0 --port 2525 good.pf.test
expect "DNS fails: exit 3" 3
t_done
