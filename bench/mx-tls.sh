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
# its handshake.  Usage: BIN=bin O=build [MX_KEY=rsa|ec] bench/mx-tls.sh [N]
BIN=$(cd "${BIN:-bin}" && pwd) O=$(cd "${O:-build}" && pwd)
export BIN O
. "$(dirname "$0")/../tests/lib.sh"
N=${1:-1000}
cd "$T_TMP" || exit 1
mkdir -p zones
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=authzone bench CA" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
# the server's key: RSA 2048 (MX_KEY=rsa, the default) or ECDSA P-256
# (MX_KEY=ec); the handshake's cost on both sides follows it
case ${MX_KEY:-rsa} in
ec) openssl ecparam -name prime256v1 -genkey -noout -out mx.key 2>/dev/null ;;
*) openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out mx.key 2>/dev/null ;;
esac
openssl req -new -key mx.key -out mx.csr -subj "/CN=bench.test" \
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

# mx-tls: the names through NSD as shipped (its rate limit sees 4 lookups
# a domain), and from the zone file (the probes alone, as the loop)
# what the whole machine spent: busy CPU ticks of /proc/stat (every core),
# and those of Postfix's processes (its smtpd instances do the server side
# of every handshake on the same two cores)
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
pfticks() {
	t=0
	for p in $(pgrep -u postfix); do
		set -- $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null)
		t=$((t + ${12:-0} + ${13:-0}))
	done
	echo $t
}
hz=$(getconf CLK_TCK)
cores=$(nproc)
cpu_line() {	# WALL_MS BUSY0 PF0
	b=$(( ($(busy) - $2) * 1000 / hz )) f=$(( ($(pfticks) - $3) * 1000 / hz ))
	printf '    machine CPU busy %d ms of %d cores x %d ms (%.0f %%); Postfix %d ms of it\n' \
	    "$b" "$cores" "$1" "$(echo "$b * 100 / ($cores * $1)" | bc -l)" "$f"
}

probe() {	# DESC ARGS...
	desc=$1
	shift
	b0=$(busy) f0=$(pfticks)
	start=$(date +%s%N)
	/usr/bin/time -f "%U %S" -o mx.time "$BIN/mx-tls" "$@" --port 2525 --ca-file ca.pem --json --batch domains \
	    ${MXTLS_OPTS:-} >mx.json 2>mx.err
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	ok=$(/usr/bin/python3 -c '
import json
j = json.load(open("mx.json"))
print(sum(1 for d in j["domains"] for m in d["mx"] for a in m["addresses"]
          if a["tls_version"] == "TLSv1.3" and a["cert"] and a["cert"]["valid"]
          and a["cert"]["names_ok"]), j["dns"]["queries"], j["dns"]["timeouts"])')
	set -- $ok
	printf 'mx-tls --batch, %s: %d domains in %d ms (%.0f hosts/s, CPU user+sys %s s), exit %d, %s of %d with TLSv1.3 and a valid certificate; %s queries, %s timeouts\n' \
	    "$desc" "$N" "$ms" "$(echo "$N * 1000 / $ms" | bc -l)" "$(tr ' ' + <mx.time)" "$rc" "$1" "$N" "$2" "$3"
	cpu_line "$ms" "$b0" "$f0"
	[ "$1" = "$N" ] || bad=1
}
bad=0
probe "names through NSD" --server "127.0.0.1@$NSD_PORT"
nsd_ms=$ms
probe "names from the zone file" --offline --zone zones/bench.test.zone
zone_ms=$ms

# mail-audit's tls area over the same batch, every area asked (the
# names through NSD), the probes of each round at once; the areas warn,
# as the certificate made here expires in 2 days
b0=$(busy) f0=$(pfticks)
start=$(date +%s%N)
"$BIN/mail-audit" --server "127.0.0.1@$NSD_PORT" --smtp-port 2525 --ca-file ca.pem \
    --no-progress --batch domains >audit.jsonl 2>audit.err
arc=$?
ams=$(( ($(date +%s%N) - start) / 1000000 ))
set -- $(/usr/bin/python3 -c '
import collections, json
t = [json.loads(l)["areas"]["tls"] for l in open("audit.jsonl")]
v = collections.Counter(a["verdict"] for a in t)
c = collections.Counter(f["code"] for a in t for f in a["findings"] if f["severity"] != "info")
print(v["pass"] + v["warn"], " ".join("%s:%d" % kv for kv in sorted(v.items())),
      "(" + " ".join("%s:%d" % kv for kv in sorted(c.items())) + ")")')
tlspass=$1
shift
printf 'mail-audit --batch, every area, names through NSD: %d domains in %d ms (%.0f/s), exit %d, tls verdicts %s\n' \
    "$N" "$ams" "$(echo "$N * 1000 / $ams" | bc -l)" "$arc" "$*"
cpu_line "$ams" "$b0" "$f0"
[ "$tlspass" = "$N" ] || bad=1

b0=$(busy) f0=$(pfticks)
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
cpu_line "$sms" "$b0" "$f0"
printf '%s key: mx-tls is %.1fx the loop through NSD, %.1fx from the zone file\n' "${MX_KEY:-rsa}" \
    "$(echo "$sms / $nsd_ms" | bc -l)" "$(echo "$sms / $zone_ms" | bc -l)"
[ "$bad" = 0 ] && [ "$good" = "$N" ]
