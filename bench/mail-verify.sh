#!/usr/bin/env bash
# mail-verify --batch against dkimpy verifying the same N messages
# (default 1,000), each signed by dkim-sign with a 2048-bit RSA key (and
# every tenth with Ed25519), the keys from a zone file: mail-verify
# --offline --zone over the directory in one process, dkimpy (python3-dkim)
# in one Python process, its keys from the same zone file (tests/
# dkim_peer.py's reader): each at its best, no process a message.  Both
# must find every signature valid.  Usage: BIN=bin bench/mail-verify.sh [N]
set -u
BIN=$(cd "${BIN:-bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-1000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
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
[ "$pass" = "$N" ] && [ "$dk" = "$N" ]
