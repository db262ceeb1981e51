#!/usr/bin/env bash
# dmarc-gen, tlsrpt-gen, bimi-gen, mtasts-gen and dkim-gen: every option,
# refused input (exit 2, nothing written), the files they write, keys
# checked by openssl, and snippets NSD, BIND and Knot load.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1

# checkzone DESC [ZONE [TEXT]]: the zone (example.com) with TEXT (the last
# output) loads in NSD, BIND and Knot
checkzone() {
	z=${2:-example.com}
	{
		printf '$ORIGIN %s.\n$TTL 3600\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 85.100.0.53\n' "$z"
		printf '%s\n' "${3:-$OUT}"
	} >check.zone
	for c in "nsd-checkzone $z check.zone" "named-checkzone -q $z check.zone" \
	    "kzonecheck -o $z check.zone"; do
		if out=$($c 2>&1); then t_ok "$1: ${c%% *} loads it"; else
			t_not_ok "$1: ${c%% *} loads it" "$out" "$(cat check.zone)"; fi
	done
}
refused() {
	run "$@"
	if [ "$RC" = 2 ] && [ -z "$OUT" ]; then t_ok "refused with exit 2: ${*:2}"; else
		t_not_ok "refused with exit 2: ${*:2}" "exit $RC" "$OUT"; fi
}

# dmarc-gen
run "$BIN/dmarc-gen" --p reject --sp quarantine --np reject --adkim s --aspf r \
    --rua mailto:dmarc@example.com --ruf mailto:f@example.com --fo 1:d example.com
expect "dmarc-gen: v first, p second, every tag" 0 \
    '^_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; rua=mailto:dmarc@example.com; ruf=mailto:f@example.com; fo=1:d"$'
expect_not "no authorization record for the domain's own mailbox" '_report._dmarc'
checkzone "dmarc-gen"
run "$BIN/dmarc-gen" --stage monitor --rua mailto:x@reports.example.net --rua mailto:y@reports.example.net example.com
expect "an external destination's authorization, once" 0 'p=none; rua=mailto:x@reports.example.net,mailto:y@reports.example.net"$' \
    '^example.com._report._dmarc.reports.example.net. 3600 IN TXT "v=DMARC1;"$' \
    '^; published by reports.example.net \(not by example.com\)' '^; stage 1 of 3, monitor'
[ "$(printf '%s\n' "$OUT" | grep -c '_report._dmarc')" = 1 ] && t_ok "one authorization per destination" || t_not_ok "one authorization per destination" "$OUT"
checkzone "dmarc-gen: the domain's record" example.com "$(printf '%s\n' "$OUT" | grep '^_dmarc')"
checkzone "dmarc-gen: the destination's record" reports.example.net "$(printf '%s\n' "$OUT" | grep '_report')"
run "$BIN/dmarc-gen" --rfc7489 --p quarantine --pct 25 --ri 3600 --rf afrf --format txt example.com
expect "--rfc7489 allows pct, rf, ri" 0 '^v=DMARC1; p=quarantine; pct=25; rf=afrf; ri=3600$'
run "$BIN/dmarc-gen" --p reject --psd y --t y --rua mailto:d@example.com --format txt example.com
expect "--psd and --t" 0 '^v=DMARC1; p=reject; psd=y; t=y; rua=mailto:d@example.com$'
printf '%s' "$ERR" | grep -q 'warning: _dmarc.example.com: dmarc-testing' && t_ok "t=y warns" || t_not_ok "t=y warns" "$ERR"
run "$BIN/dmarc-gen" --stage quarantine example.com
expect "--stage without --rua prints, with a warning" 0 'p=quarantine"$'
printf '%s' "$ERR" | grep -q 'warning: _dmarc.example.com: dmarc-no-rua' && t_ok "the check's warning is on stderr" || t_not_ok "the check's warning is on stderr" "$ERR"
for bad in "--p maybe" "--p none --pct 50" "--p none --stage reject" "--p none --rua dmarc@example.com" \
    "--p none --fo 2" "--p none --adkim x" "--p none --psd maybe" "--rfc7489 --p none --pct 101"; do
	refused "$BIN/dmarc-gen" $bad example.com
done

# tlsrpt-gen
run "$BIN/tlsrpt-gen" --rua mailto:tls@example.com --rua https://reports.example.net/v1 example.com
expect "tlsrpt-gen" 0 '^_smtp._tls.example.com. 3600 IN TXT "v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.net/v1"$'
checkzone "tlsrpt-gen"
refused "$BIN/tlsrpt-gen" --rua http://reports.example.net/ example.com
refused "$BIN/tlsrpt-gen" --rua mailto:tls@example.com!10m example.com
refused "$BIN/tlsrpt-gen" example.com

# bimi-gen
run "$BIN/bimi-gen" --logo https://example.com/bimi/logo.svg --cert https://example.com/bimi/vmc.pem --selector brand --avp brand example.com
expect "bimi-gen" 0 '^brand._bimi.example.com. 3600 IN TXT "v=BIMI1; l=https://example.com/bimi/logo.svg; a=https://example.com/bimi/vmc.pem; avp=brand;"$'
printf '%s' "$ERR" | grep -q 'p=quarantine or p=reject' && t_ok "bimi-gen says DMARC must enforce" || t_not_ok "bimi-gen says DMARC must enforce" "$ERR"
checkzone "bimi-gen"
run "$BIN/bimi-gen" --logo https://example.com/l.svg --lps sales,support --format txt example.com
expect "bimi-gen --lps" 0 '^v=BIMI1; l=https://example.com/l.svg; a=; lps=sales,support;$'
run "$BIN/bimi-gen" --decline --format txt example.com
expect "bimi-gen --decline" 0 '^v=BIMI1; l=; a=;$'
refused "$BIN/bimi-gen" --logo http://example.com/logo.svg example.com
refused "$BIN/bimi-gen" --logo https://example.com/logo.svg --avp maybe example.com
refused "$BIN/bimi-gen" --decline --logo https://example.com/logo.svg example.com

# mtasts-gen
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mail.example.com\r\nmax_age: 86400\r\n' >want.txt
run "$BIN/mtasts-gen" --mode enforce --mx mx1.example.com --mx '*.mail.example.com' --max-age 86400 \
    --policy-out policy.txt --rua mailto:tls@example.com example.com
expect "mtasts-gen" 0 '^_mta-sts.example.com. 3600 IN TXT "v=STSv1; id=[0-9a-f]{20};"$' \
    '^_smtp._tls.example.com. 3600 IN TXT "v=TLSRPTv1; rua=mailto:tls@example.com"$' \
    'serve the policy in policy.txt at https://mta-sts.example.com/.well-known/mta-sts.txt'
cmp -s want.txt policy.txt && t_ok "the policy file, byte for byte, CRLF" || t_not_ok "the policy file, byte for byte, CRLF" "$(od -c policy.txt | head)"
checkzone "mtasts-gen"
id1=$(printf '%s\n' "$OUT" | grep -o 'id=[0-9a-f]*')
run "$BIN/mtasts-gen" --mode enforce --mx mx1.example.com --mx '*.mail.example.com' --max-age 86400 example.com
id2=$(printf '%s\n' "$OUT" | grep -o 'id=[0-9a-f]*')
run "$BIN/mtasts-gen" --mode testing --mx mx1.example.com --mx '*.mail.example.com' --max-age 86400 example.com
id3=$(printf '%s\n' "$OUT" | grep -o 'id=[0-9a-f]*')
[ "$id1" = "$id2" ] && [ "$id1" != "$id3" ] && t_ok "the id changes exactly when the policy does ($id1, $id3)" ||
    t_not_ok "the id changes exactly when the policy does" "$id1 $id2 $id3"
printf '$ORIGIN example.org.\n@ SOA ns h 1 2 3 4 5\n@ MX 10 mx1\n@ MX 20 mx2.example.net.\n' >db.example.org
run "$BIN/mtasts-gen" --offline --zone db.example.org --format json example.org
expect_json "the MX hosts from the zone" 'j["policy"]' "$(printf 'version: STSv1\r\nmode: testing\r\nmx: mx1.example.org\r\nmx: mx2.example.net\r\nmax_age: 604800\r\n' | /usr/bin/python3 -c 'import sys; print(repr(sys.stdin.read()).strip("\x27"))' | sed 's/\\r\\n/\r\n/g')"
expect_json "json id" 'len(j["id"])' 20
refused "$BIN/mtasts-gen" --mx 192.0.2.25 example.com
refused "$BIN/mtasts-gen" --mx 'mx.*.example.com' example.com
refused "$BIN/mtasts-gen" --mx mx1.example.com --max-age 31557601 example.com
refused "$BIN/mtasts-gen" --mx mx1.example.com --mode strict example.com
mkdir ro && chmod 555 ro
if [ "$(id -u)" != 0 ]; then
	refused "$BIN/mtasts-gen" --mx mx1.example.com --policy-out ro/p.txt example.com
	[ ! -e ro/p.txt ] && t_ok "an unwritable place leaves no file" || t_not_ok "an unwritable place leaves no file"
fi
run "$BIN/mtasts-gen" --mx mx1.example.com --policy-out nodir/p.txt example.com
expect "a policy that cannot be written is exit 2" 2
[ -z "$(ls nodir 2>/dev/null)" ] && t_ok "and leaves nothing behind" || t_not_ok "and leaves nothing behind"

# dkim-gen: RSA
run "$BIN/dkim-gen" --selector sel1 --key-out rsa.pem --h sha256 --s email --t s example.com
expect "dkim-gen RSA" 0 '^sel1._domainkey.example.com. 3600 IN TXT "v=DKIM1; k=rsa; h=sha256; s=email; t=s; p=MII' \
    '^; rsa 2048-bit key, private key in rsa.pem$'
checkzone "dkim-gen RSA (two strings)"
[ "$(stat -c %a rsa.pem)" = 600 ] && t_ok "the private key is mode 0600" || t_not_ok "the private key is mode 0600" "$(stat -c %a rsa.pem)"
openssl pkey -in rsa.pem -noout -text 2>/dev/null | grep -q 'Private-Key: (2048 bit' &&
    t_ok "openssl reads a 2048-bit RSA key" || t_not_ok "openssl reads a 2048-bit RSA key"
run "$BIN/dkim-gen" --selector sel1 --from-key rsa.pem --format json example.com
p=$(json_get 'j["record"].split("p=")[1]')
echo "$p" | base64 -d >pub.der
echo "a message to sign" >msg
openssl dgst -sha256 -sign rsa.pem -out msg.sig msg &&
    openssl dgst -sha256 -verify pub.der -keyform DER -signature msg.sig msg >/dev/null 2>&1 &&
    t_ok "p= is the public half of the private key: a signature verifies" ||
    t_not_ok "p= is the public half of the private key: a signature verifies"
expect_json "--from-key: type and size" '(j["key_type"], j["key_bits"])' "('rsa', 2048)"
sum=$(sha256sum rsa.pem)
run "$BIN/dkim-gen" --key-out rsa.pem example.com
[ "$RC" = 2 ] && [ "$(sha256sum rsa.pem)" = "$sum" ] && t_ok "an existing key is never replaced without --force" ||
    t_not_ok "an existing key is never replaced without --force" "exit $RC"
run "$BIN/dkim-gen" --bits 1024 --key-out rsa.pem --force example.com
[ "$RC" = 0 ] && [ "$(sha256sum rsa.pem)" != "$sum" ] && t_ok "--force replaces it" || t_not_ok "--force replaces it"
ls rsa.pem.tmp.* >/dev/null 2>&1 && t_not_ok "no temporary file left" || t_ok "no temporary file left"
# dkim-gen: Ed25519
run "$BIN/dkim-gen" --type ed25519 --key-out ed.pem --format json example.com
expect_json "dkim-gen Ed25519" '(j["key_type"], j["selector"][:3], j["selector"][1:].isdigit())' "('ed25519', 's20', True)"
raw=$(json_get 'j["record"].split("p=")[1]')
[ "$(echo "$raw" | base64 -d | wc -c)" = 32 ] && t_ok "Ed25519 p= is the raw 32-byte key" || t_not_ok "Ed25519 p= is the raw 32-byte key"
{ printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; echo "$raw" | base64 -d; } >ed.der
openssl pkeyutl -sign -inkey ed.pem -rawin -in msg -out ed.sig 2>/dev/null &&
    openssl pkeyutl -verify -pubin -keyform DER -inkey ed.der -rawin -in msg -sigfile ed.sig >/dev/null 2>&1 &&
    t_ok "Ed25519: a signature verifies with the key from p=" || t_not_ok "Ed25519: a signature verifies with the key from p="
openssl pkey -in ed.pem -noout -text 2>/dev/null | grep -q 'ED25519 Private-Key' &&
    t_ok "openssl reads an Ed25519 key" || t_not_ok "openssl reads an Ed25519 key"
run "$BIN/dkim-gen" --from-key ed.pem --n 'rotated_2026' --selector ed1 --format txt example.com
expect "--n, and --from-key of an Ed25519 key" 0
[ "$OUT" = "v=DKIM1; k=ed25519; n=rotated_2026; p=$raw" ] && t_ok "the same key, with n=" ||
    t_not_ok "the same key, with n=" "$OUT"
run "$BIN/dkim-gen" --revoke old2024 example.com
expect "--revoke" 0 '^old2024._domainkey.example.com. 3600 IN TXT "v=DKIM1; p="$'
checkzone "dkim-gen --revoke"
refused "$BIN/dkim-gen" --bits 512 --key-out k.pem example.com
refused "$BIN/dkim-gen" --bits 8192 --key-out k.pem example.com
refused "$BIN/dkim-gen" --type dsa --key-out k.pem example.com
refused "$BIN/dkim-gen" example.com
refused "$BIN/dkim-gen" --t x --key-out k.pem example.com
[ ! -e k.pem ] && t_ok "no key file written by a refused run" || t_not_ok "no key file written by a refused run"
echo "not a key" >junk.pem
refused "$BIN/dkim-gen" --from-key junk.pem example.com
t_done
