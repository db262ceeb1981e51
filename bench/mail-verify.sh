#!/usr/bin/env bash
# mail-verify --batch against dkimpy verifying the same N messages
# (default 1,000), each signed by dkim-sign with a 2048-bit RSA key (and
# every tenth with Ed25519), the keys from a zone file: mail-verify
# --offline --zone over the directory in one process, dkimpy (python3-dkim)
# in one Python process, its keys from the same zone file (tests/
# dkim_peer.py's reader): each at its best, no process a message; then
# the floor (openssl speed for the same signatures) and opendkim-testmsg,
# a process a message with its keys by DNS (below).  Every tool must find
# every signature valid.  Usage: BIN=bin bench/mail-verify.sh [N]
# (KEEP=1 keeps the messages and prints where)
set -u
BIN=$(cd "${BIN:-bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000}
T=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "kept $T" >&2 || trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
"$BIN/dkim-gen" --selector rs --key-out rs.pem bench.test >rs.rec
"$BIN/dkim-gen" --selector ed --type ed25519 --key-out ed.pem bench.test >ed.rec
{
	printf '$ORIGIN test.\n$TTL 300\n@ SOA ns.test. host.test. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	grep -h '^[a-z]' rs.rec ed.rec
	echo '_dmarc.bench TXT "v=DMARC1; p=reject"'
} >z.zone
mkdir -p mail/cur
for i in $(seq 1 "$N"); do
	k=rs
	[ $((i % 10)) = 0 ] && k=ed
	printf 'From: a%d@bench.test\nTo: b@example.org\nSubject: message %d\nDate: Thu, 03 Dec 2026 18:00:00 +0000\nMessage-ID: <%d@bench.test>\n\nThe body of message %d,\nwith a few lines.\n\n' \
	    "$i" "$i" "$i" "$i" >m.txt
	"$BIN/dkim-sign" --key $k.pem --domain bench.test --selector $k m.txt >"mail/cur/$i.eml"
done
start=$(date +%s%N)
"$BIN/mail-verify" --offline --zone z.zone --batch mail >ours.jsonl 2>ours.err
ms=$(( ($(date +%s%N) - start) / 1000000 ))
pass=$(grep -c '"result":"pass"' ours.jsonl)
printf 'mail-verify --batch: %d messages in %d ms (%.0f/s), %d signatures pass\n' \
    "$N" "$ms" "$(echo "$N * 1000 / $ms" | bc -l)" "$pass"
start=$(date +%s%N)
dk=$(ROOT=$ROOT /usr/bin/python3 - <<'P'
import glob, os, sys
sys.argv = ["x"]
here = os.environ.get("PEER")
import dkim
src = open(os.path.join(os.environ["ROOT"], "tests/dkim_peer.py")).read().split("def main")[0]
exec(src)
recs = zone_txt("z.zone")
ok = 0
for f in sorted(glob.glob("mail/cur/*.eml")):
    msg = open(f, "rb").read()
    try:
        ok += dkim.DKIM(msg).verify(dnsfunc=lambda n, timeout=5: recs.get(n.decode().lower().rstrip(".")))
    except dkim.DKIMException:
        pass
print(ok)
P
)
pms=$(( ($(date +%s%N) - start) / 1000000 ))
printf 'dkimpy, one process: %d messages in %d ms (%.0f/s), %s signatures pass\n' \
    "$N" "$pms" "$(echo "$N * 1000 / $pms" | bc -l)" "$dk"
printf 'mail-verify is %.1fx dkimpy\n' "$(echo "$pms / $ms" | bc -l)"
# the floor: the signature arithmetic alone, as OpenSSL's own loop does it
# on this machine, for this mix (9 RSA 2048 to 1 Ed25519)
sp=$(openssl speed -seconds 1 rsa2048 ed25519 2>/dev/null)
rv=$(printf '%s\n' "$sp" | awk '/^rsa 2048 bits/ { print $NF }')
ev=$(printf '%s\n' "$sp" | awk '/EdDSA \(Ed25519\)/ { print $NF }')
if [ -n "$rv" ] && [ -n "$ev" ]; then
	ne=$((N / 10))
	printf 'openssl speed: RSA 2048 %s verify/s, Ed25519 %s verify/s: %.1f ms for these %d signatures alone; 20x dkimpy is %.1f ms\n' \
	    "$rv" "$ev" "$(echo "(($N - $ne) / $rv + $ne / $ev) * 1000" | bc -l)" "$N" "$(echo "$pms / 20" | bc -l)"
fi
ok=0
[ "$pass" = "$N" ] && [ "$dk" = "$N" ] || ok=1

# opendkim-testmsg (opendkim-tools, Debian) verifies one message a process,
# from standard input, with its keys from the DNS through the system's
# resolver: run in a network and mount namespace of its own, where
# /etc/resolv.conf names an NSD serving the same zone on 127.0.0.1:53.
# It prints nothing for a valid signature.  mail-verify is timed there too,
# through the same NSD and one process a message, for the like comparison.
if command -v opendkim-testmsg >/dev/null && command -v nsd >/dev/null &&
    [ "$(id -u)" = 0 ] && unshare -m -n true 2>/dev/null; then
	mkdir -p nsd
	cat >nsd/nsd.conf <<EOF
server:
  ip-address: 127.0.0.1
  port: 53
  username: ""
  chroot: ""
  zonesdir: "$T"
  pidfile: "$T/nsd/nsd.pid"
  database: ""
  zonelistfile: "$T/nsd/zone.list"
  xfrdfile: "$T/nsd/xfrd.state"
  xfrdir: "$T/nsd"
  logfile: "$T/nsd/nsd.log"
  server-count: 1
  do-ip6: no
zone:
  name: test
  zonefile: z.zone
EOF
	echo 'nameserver 127.0.0.1' >resolv.conf
	BIN=$BIN N=$N unshare -m -n /bin/bash -c '
		ip link set lo up
		mount --bind resolv.conf /etc/resolv.conf
		nsd -c nsd/nsd.conf || exit 1
		for _ in $(seq 50); do
			[ -s nsd/nsd.pid ] && drill -Q @127.0.0.1 rs._domainkey.bench.test TXT >/dev/null 2>&1 && break
			sleep 0.1
		done
		start=$(date +%s%N) bad=0
		for f in mail/cur/*.eml; do
			out=$(opendkim-testmsg <"$f" 2>&1) && [ -z "$out" ] || bad=$((bad + 1))
		done
		oms=$(( ($(date +%s%N) - start) / 1000000 ))
		start=$(date +%s%N) mbad=0
		for f in mail/cur/*.eml; do
			"$BIN/mail-verify" "$f" >/dev/null 2>&1 || mbad=$((mbad + 1))
		done
		mpms=$(( ($(date +%s%N) - start) / 1000000 ))
		start=$(date +%s%N)
		"$BIN/mail-verify" --batch mail >through.jsonl 2>/dev/null
		mbms=$(( ($(date +%s%N) - start) / 1000000 ))
		kill "$(cat nsd/nsd.pid)"
		printf "opendkim-testmsg, a process a message, keys by DNS from NSD: %d messages in %d ms (%.0f/s), %d not verified\n" \
		    "$N" "$oms" "$(echo "$N * 1000 / $oms" | bc -l)" "$bad"
		printf "mail-verify, a process a message, the same NSD: %d ms (%.0f/s), %d failed; --batch through it: %d ms\n" \
		    "$mpms" "$(echo "$N * 1000 / $mpms" | bc -l)" "$mbad" "$mbms"
		printf "mail-verify --batch is %.1fx opendkim-testmsg; a process a message, %.1fx\n" \
		    "$(echo "$oms / $mbms" | bc -l)" "$(echo "$oms / $mpms" | bc -l)"
		[ "$bad" = 0 ] && [ "$mbad" = 0 ] &&
		    [ "$(grep -c "\"result\":\"pass\"" through.jsonl)" = "$N" ]
	' || ok=1
else
	echo 'opendkim-testmsg: not compared (needs opendkim-tools, nsd, root and unshare)'
fi
exit $ok
