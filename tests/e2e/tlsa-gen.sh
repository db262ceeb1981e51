#!/usr/bin/env bash
# tlsa-gen against OpenSSL's own digests: every usage, selector and
# matching type of certificates and keys the test makes (a CA, a server
# certificate it signs, an RSA and an EC and an Ed25519 key), PEM and
# DER, through a pipe; the snippet loaded by NSD, BIND and Knot, and
# served by NSD and read back; the checks (a CA as DANE-EE, a server
# certificate as DANE-TA, PKIX usages for SMTP, full data) and refused
# input.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
    -subj "/CN=Test CA" -addext "basicConstraints=critical,CA:TRUE" &&
ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout mx.key \
    -out mx.csr -subj "/CN=mx.tl.test" &&
ossl x509 -req -in mx.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out mx.pem -days 30 &&
ossl genpkey -algorithm ed25519 -out next.key &&
ossl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out rsa.key ||
    { t_not_ok "openssl makes the certificates"; t_done; exit; }
cat mx.pem ca.pem >chain.pem
ossl x509 -in mx.pem -outform DER -out mx.der

# the association data as OpenSSL computes it: CERT SELECTOR MTYPE
want() {
	case $2 in
	0) ossl x509 -in "$1" -outform DER ;;
	1) ossl x509 -in "$1" -pubkey -noout | ossl pkey -pubin -outform DER ;;
	key) ossl pkey -in "$1" -pubout -outform DER ;;
	esac | case $3 in
	0) od -An -v -tx1 | tr -d ' \n' ;;
	1) sha256sum | cut -d' ' -f1 ;;
	2) sha512sum | cut -d' ' -f1 ;;
	esac | tr a-f A-F
}
for u in 3 2 1 0; do
	for s in 1 0; do
		for m in 1 2 0; do
			cert=mx.pem file=mx.pem
			[ "$u" = 2 ] || [ "$u" = 0 ] && cert=ca.pem file=chain.pem
			run "$BIN/tlsa-gen" --cert "$file" --usage "$u" --selector "$s" --mtype "$m" --format txt --port 443 mx.tl.test
			w="$u $s $m $(want "$cert" "$s" "$m")"
			[ "$RC" = 0 ] && [ "$OUT" = "$w" ] && t_ok "$u $s $m of $file: OpenSSL's data" ||
			    t_not_ok "$u $s $m of $file: OpenSSL's data" "exit $RC" "got  $OUT" "want $w" "$ERR"
		done
	done
done
for k in mx.key next.key rsa.key; do
	run "$BIN/tlsa-gen" --cert "$k" --format txt mx.tl.test
	expect "3 1 1 of the private key $k" 0 "^3 1 1 $(want "$k" key 1)\$"
done
ossl pkey -in next.key -pubout -out next.pub
run "$BIN/tlsa-gen" --cert next.pub --mtype sha512 --usage dane-ee --selector spki --format txt mx.tl.test
expect "a PEM public key, the fields by RFC 7218's names" 0 "^3 1 2 $(want next.key key 2)\$"
ossl pkey -in next.key -pubout -outform DER -out next.der
run "$BIN/tlsa-gen" --cert next.der --format txt mx.tl.test
expect "a DER public key" 0 "^3 1 1 $(want next.key key 1)\$"
run "$BIN/tlsa-gen" --cert mx.der --format txt mx.tl.test
expect "a DER certificate" 0 "^3 1 1 $(want mx.pem 1 1)\$"
out=$("$BIN/tlsa-gen" --cert - --format txt mx.tl.test <mx.der)
[ "$out" = "3 1 1 $(want mx.pem 1 1)" ] && t_ok "--cert - reads a DER certificate from a pipe" ||
    t_not_ok "--cert - from a pipe" "$out"
run "$BIN/tlsa-gen" --cert <(cat mx.pem) --next-key <(cat next.key) --format txt mx.tl.test
expect "--cert and --next-key through process substitution" 0 \
    "^_25._tcp.mx.tl.test	TLSA	3 1 1 $(want mx.pem 1 1)\$" \
    "^_25._tcp.mx.tl.test	TLSA	3 1 1 $(want next.key key 1)\$"

# the rollover pair as a snippet that the servers load, served and read back
run "$BIN/tlsa-gen" --cert chain.pem --next-key next.key --ttl 300 tl.test
expect "the rollover pair as a zone snippet" 0 '^; current: DANE-EE of CN=mx.tl.test$' \
    '^; next, for the rollover: DANE-EE of a key alone$' "^_25._tcp.tl.test. 300 IN TLSA 3 1 1 "
{
	printf '$ORIGIN tl.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	printf '%s\n' "$OUT"
} >tl.zone
for c in "nsd-checkzone tl.test tl.zone" "named-checkzone -q tl.test tl.zone" "kzonecheck -o tl.test tl.zone"; do
	# shellcheck disable=SC2086
	if o=$($c 2>&1); then t_ok "${c%% *} loads the snippet"; else t_not_ok "${c%% *} loads the snippet" "$o"; fi
done
mkdir -p zones && cp tl.zone zones/tl.test.zone
nsd_start tl.test || { t_not_ok "nsd starts"; t_done; exit; }
got=$(ldns-read-zone -c tl.zone | awk '$4 == "TLSA" {print $5, $6, $7, $8}' | sort | tr 'a-f' 'A-F')
wantset=$(printf '3 1 1 %s\n3 1 1 %s\n' "$(want mx.pem 1 1)" "$(want next.key key 1)" | sort)
[ "$got" = "$wantset" ] && t_ok "ldns reads both records back as written" || t_not_ok "ldns reads both records back" "$got"
drill -p "$NSD_PORT" @127.0.0.1 TLSA _25._tcp.tl.test >drill.out 2>&1
served=$(awk '!/^;/ && $4 == "TLSA" {print $5, $6, $7, $8}' drill.out | sort | tr 'a-f' 'A-F')
[ "$served" = "$wantset" ] && t_ok "NSD serves both records" || t_not_ok "NSD serves both records" "$served"

# --json
run "$BIN/tlsa-gen" --cert mx.pem --port 465 --proto tcp --json mx.tl.test
expect_json "--json: the owner, the port and the record" \
    "(j['owner'], j['port'], j['proto'], j['records'][0]['type'], j['records'][0]['value'])" \
    "('_465._tcp.mx.tl.test', 465, 'tcp', 'TLSA', '3 1 1 $(want mx.pem 1 1)')"
run "$BIN/tlsa-gen" --cert mx.pem --proto udp --port 853 --format txt mx.tl.test
expect "--proto and --port" 0 "^3 1 1 "
run "$BIN/tlsa-gen" --cert mx.pem --format zone --proto sctp mx.tl.test
expect "--proto sctp in the owner" 0 "^_25._sctp.mx.tl.test. 3600 IN TLSA "

# the checks
run "$BIN/tlsa-gen" --cert mx.pem --usage 2 mx.tl.test
expect "a server certificate as DANE-TA: an error, nothing printed" 1
[ -z "$OUT" ] && printf '%s' "$ERR" | grep -q tlsa-ta-not-ca && t_ok "tlsa-ta-not-ca said, stdout empty" ||
    t_not_ok "tlsa-ta-not-ca said, stdout empty" "$OUT" "$ERR"
run "$BIN/tlsa-gen" --cert mx.pem --usage 2 --force --format txt mx.tl.test
expect "--force prints it anyway" 1 "^2 1 1 $(want mx.pem 1 1)\$"
run "$BIN/tlsa-gen" --cert ca.pem mx.tl.test
expect "a CA certificate as DANE-EE: a warning, printed" 0 "IN TLSA 3 1 1"
printf '%s' "$ERR" | grep -q tlsa-ee-is-ca && t_ok "tlsa-ee-is-ca said" || t_not_ok "tlsa-ee-is-ca said" "$ERR"
run "$BIN/tlsa-gen" --cert ca.pem --strict mx.tl.test
expect "--strict: the warning stops the record" 1
run "$BIN/tlsa-gen" --cert mx.pem --usage pkix-ee --json mx.tl.test
expect_json "PKIX-EE for SMTP: tlsa-pkix-usage" "[f['code'] for f in j['findings']]" "['tlsa-pkix-usage']"
run "$BIN/tlsa-gen" --cert mx.pem --usage 1 --port 443 --json mx.tl.test
expect_json "PKIX-EE for HTTPS: no finding" "j['findings']" "[]"
run "$BIN/tlsa-gen" --cert mx.pem --mtype full --json mx.tl.test
expect_json "full data: tlsa-full-data" "[f['code'] for f in j['findings']]" "['tlsa-full-data']"

# refused input: exit 2, nothing on stdout
for args in "--cert mx.key --selector 0 mx.tl.test" "--cert mx.csr mx.tl.test" \
    "--cert nothing.pem mx.tl.test" "--cert /dev/null mx.tl.test" "--cert . mx.tl.test" \
    "--cert mx.pem --usage 4 mx.tl.test" "--cert mx.pem --port 0 mx.tl.test" \
    "--cert mx.pem --proto t.cp mx.tl.test" "--cert mx.pem" "mx.tl.test" \
    "--cert mx.pem --next-key mx.csr mx.tl.test" "--cert mx.pem bad..name"; do
	# shellcheck disable=SC2086
	run "$BIN/tlsa-gen" $args
	[ "$RC" = 2 ] && [ -z "$OUT" ] && [ -n "$ERR" ] && t_ok "refused: $args" ||
	    t_not_ok "refused: $args" "exit $RC" "$OUT" "$ERR"
done
head -c 400 mx.pem >cut.pem
run "$BIN/tlsa-gen" --cert cut.pem mx.tl.test
expect "a half-written certificate: exit 2" 2
printf '%s' "$ERR" | grep -q "no certificate, public key or private key" && t_ok "which says what it lacks" || t_not_ok "which says what it lacks" "$ERR"
t_done
