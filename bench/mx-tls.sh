#!/usr/bin/env bash
# mx-tls against the sequential loop an administrator writes with OpenSSL:
# N domains (default 1,000), each with its own MX host on its own
# loopback address (127.0.X.Y), all served by one Postfix as Debian ships
# it (one smtpd service on port 2525 of every address, a certificate for
# *.bench.test from a CA made here), the names from NSD.
#
#   mx-tls --batch FILE             every MX of every domain, 64 at once
#   openssl s_client -starttls smtp one process a host, one after the other
#                                   (the addresses given: no DNS)
#
# Both must see every host speak TLS: mx-tls's JSON is checked for N
# TLSv1.3 handshakes with valid certificates, each s_client's output for
# its handshake.  Usage: BIN=bin O=build bench/mx-tls.sh [N]
BIN=$(cd "${BIN:-bin}" && pwd) O=$(cd "${O:-build}" && pwd)
export BIN O
. "$(dirname "$0")/../tests/lib.sh"
N=${1:-1000}
cd "$T_TMP" || exit 1
mkdir -p zones
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=authzone bench CA" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout mx.key -out mx.csr -subj "/CN=bench.test" \
    -addext "subjectAltName=DNS:*.bench.test" 2>/dev/null
printf 'subjectAltName=DNS:*.bench.test\n' >ext
openssl x509 -req -in mx.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext -out mx.crt 2>/dev/null
cat mx.crt ca.pem >mx.pem
addr() { echo "127.0.$(( $1 / 250 + 1 )).$(( $1 % 250 + 1 ))"; }
{
	printf '$ORIGIN bench.test.\n$TTL 3600\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	for i in $(seq 0 $((N - 1))); do
		echo "d$i MX 10 mx$i"
		echo "mx$i A $(addr "$i")"
	done
} >zones/bench.test.zone
seq 0 $((N - 1)) | sed 's/^/d/; s/$/.bench.test/' >domains
nsd_start bench.test || { echo "bench: nsd does not start" >&2; exit 1; }
# one service on port 2525 of every address: Postfix binds the wildcard
POSTFIX_MAIN="inet_interfaces = all" postfix_start \
    "2525 inet n - n - - smtpd -o smtpd_tls_chain_files=$T_TMP/mx.key,$T_TMP/mx.pem" ||
    { echo "bench: postfix does not start" >&2; exit 1; }

start=$(date +%s%N)
"$BIN/mx-tls" --server "127.0.0.1@$NSD_PORT" --port 2525 --ca-file ca.pem \
    --json --batch domains >mx.json 2>mx.err
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok=$(/usr/bin/python3 -c '
import json, sys
j = json.load(open("mx.json"))
print(sum(1 for d in j["domains"] for m in d["mx"] for a in m["addresses"]
          if a["tls_version"] == "TLSv1.3" and a["cert"] and a["cert"]["valid"]
          and a["cert"]["names_ok"]))')
printf 'mx-tls --batch: %d domains in %d ms (%.0f hosts/s), exit %d, %s of %d with TLSv1.3 and a valid certificate\n' \
    "$N" "$ms" "$(echo "$N * 1000 / $ms" | bc -l)" "$rc" "$ok" "$N"

start=$(date +%s%N)
good=0
for i in $(seq 0 $((N - 1))); do
	if openssl s_client -starttls smtp -connect "$(addr "$i"):2525" \
	    -servername "mx$i.bench.test" -CAfile ca.pem -verify_return_error \
	    -brief </dev/null 2>&1 | grep -q '^Protocol version: TLSv1.3'; then
		good=$((good + 1))
	fi
done
sms=$(( ($(date +%s%N) - start) / 1000000 ))
printf 'openssl s_client loop: %d hosts in %d ms (%.0f hosts/s), %d with TLSv1.3\n' \
    "$N" "$sms" "$(echo "$N * 1000 / $sms" | bc -l)" "$good"
printf 'mx-tls is %.1fx the loop\n' "$(echo "$sms / $ms" | bc -l)"
[ "$ok" = "$N" ] && [ "$good" = "$N" ]
