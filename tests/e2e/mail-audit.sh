#!/usr/bin/env bash
# mail-audit against NSD: each area on hand-made domains, the parked set,
# JSON, and a batch of 1,000 generated domains whose verdicts the
# generator knows, with some behind a forwarder that drops their queries.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$1" "$1" "$1"; }
{
	soa ma.test
	cat <<'Z'
@ MX 10 mx1
@ MX 20 mx2
mx1 A 85.1.2.25
mx2 CNAME mx1
@ TXT "v=spf1 mx ip4:85.1.2.0/24 -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@ma.test"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@ma.test"
sel1._domainkey TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
default._bimi TXT "v=BIMI1; l=https://ma.test/logo.svg"
_mta-sts TXT "v=STSv1; id=20261124"
parked MX 0 .
parked TXT "v=spf1 -all"
_dmarc.parked TXT "v=DMARC1; p=reject; sp=reject; np=reject"
*._domainkey.parked TXT "v=DKIM1; p="
half MX 0 .
half MX 10 mx1
half TXT "v=spf1 a -all"
nomail A 85.1.2.99
noaddr MX 10 nowhere
txtonly TXT "v=spf1 -all"
pref MX 5 .
ipmx MX 10 192.0.2.25.
Z
} >zones/ma.test.zone
python3 "$T_LIB/../bench/gen-internet.py" gen --domains 1000 --dead 12 ||
    { t_not_ok "the generator runs"; t_done; exit; }
cp gen/zones/*.zone zones/
nsd_start ma.test prov.test cust.test dead.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

run "$BIN/mail-audit" --no-connect $S --selector sel1 --selector gone ma.test
expect "a full audit in one screen" 1 '^ma.test: fail' \
    '^  mx +warn +2 MX hosts: mx1.ma.test, mx2.ma.test' \
    '^  spf +pass +1/10 lookups, 0/2 void' '^  dmarc +pass +p=reject at _dmarc.ma.test' \
    '^  dkim +fail +2 selectors' '^  bimi +pass' '^  tls-rpt +pass' \
    'mx-host-alias' 'MX host mx2.ma.test is an alias \(CNAME\) of mx1.ma.test' \
    'dkim-no-record at gone._domainkey.ma.test' 'dkim-key at sel1._domainkey.ma.test'
expect_not "no parked area unless asked" '^  parked'
# the MTA-STS record exists, so the policy was fetched: no server answers
if printf '%s\n' "$OUT" | grep -Eq '^  mta-sts +fail'; then
	t_ok "the MTA-STS policy is fetched when the record exists, and its failure fails the area"
else
	t_not_ok "the MTA-STS area fails without a policy server" "$OUT"
fi

run "$BIN/mail-audit" --no-connect $S --json --selector sel1 ma.test
expect "--json for one domain" 1
expect_json "the document has every area" "sorted(j['areas'])" "['bimi', 'dkim', 'dmarc', 'mta-sts', 'mx', 'spf', 'tls', 'tls-rpt']"
expect_json "the SPF area counts lookups" "(j['areas']['spf']['lookups'], j['areas']['spf']['void_lookups'])" "(1, 0)"
expect_json "the DMARC policy" "j['areas']['dmarc']['policy']" "reject"
expect_json "the DNS counters" "j['dns']['queries'] > 10" "True"
expect_json "the areas' queries share round trips" "j['dns']['rounds'] <= 6" "True"

run "$BIN/mail-audit" --no-connect $S --parked ma.test.
expect "a mail domain is no parked domain" 1 '^  parked +fail +3 of the nomail set missing' \
    'parked-mx' 'parked-spf' 'parked-dkim'
expect_not "its DMARC policy is the nomail one" 'parked-dmarc' 
run "$BIN/mail-audit" --no-connect $S --parked parked.ma.test
expect "the nomail set passes" 0 '^parked.ma.test: warn' \
    '^  parked +pass +null MX, null SPF, p=reject, DKIM revoked' '^  mx +pass .*null MX' \
    '^  spf +pass +0/10 lookups'
run "$BIN/mail-audit" --no-connect $S --parked half.ma.test
expect "a half-parked domain" 1 'mx-null-mixed' 'the null MX is published with 1 other MX records' \
    'parked-mx' 'parked-spf' 'should publish "v=spf1 -all", not "v=spf1 a -all"' \
    'parked-dkim'
expect_not "the policy found above it (p=reject) applies" 'parked-dmarc'
run "$BIN/mail-audit" --no-connect $S nomail.ma.test noaddr.ma.test
expect "several domains, each its report" 1 '^nomail.ma.test: fail' '^noaddr.ma.test: fail' \
    'mx-none at nomail.ma.test' 'mx-host-no-address' 'MX host nowhere.ma.test has no A or AAAA record'
if printf '%s\n' "$ERR" | grep -q 'mail-audit: 2 domains in'; then
	t_ok "several domains end with a summary"
else
	t_not_ok "summary on stderr" "$ERR"
fi
run "$BIN/mail-audit" --no-connect $S --json txtonly.ma.test pref.ma.test ipmx.ma.test
expect "--json for several domains" 1
expect_json "neither MX nor address" "[f['code'] for f in j['domains'][0]['areas']['mx']['findings']]" "['mx-none-no-address']"
expect_json "a null MX of preference 5" "[f['code'] for f in j['domains'][1]['areas']['mx']['findings']]" "['mx-null-preference', 'mx-null']"
expect_json "an MX host that is an address" "[f['code'] for f in j['domains'][2]['areas']['mx']['findings']]" "['mx-host-address', 'mx-hosts']"
expect_json "the null MX recognized" "j['domains'][1]['areas']['mx']['null_mx']" "True"
run "$BIN/mail-audit" --no-connect $S --record "v=spf1 -all" ma.test
expect "--record does not apply" 2
run "$BIN/mail-audit" --no-connect $S
expect "a domain or --batch is needed" 2
run "$BIN/mail-audit" --no-connect $S --batch nowhere.txt
expect "an unreadable batch file" 2

# the batch: 1,000 domains, 12 of them behind a forwarder that drops them
proxy_start -x dead.test
# a second a try: the rest of the batch asks NSD as shipped, whose rate
# limit drops answers (under make asan, 300 ms ran out for a few)
P="--server 127.0.0.1@$PROXY_PORT --timeout 1000 --retries 0"
printf 'not..a.domain\n' >>gen/domains
start=$(date +%s%N)
run "$BIN/mail-audit" --no-connect $P --batch gen/domains
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "a batch of 1,000 domains (and a bad line)" 3
lines=$(printf '%s\n' "$OUT" | wc -l)
if [ "$lines" = 1001 ]; then t_ok "one line per domain"; else t_not_ok "one line per domain" "$lines lines"; fi
printf '%s\n' "$OUT" >batch.out
python3 - gen/expected batch.out <<'PY' && t_ok "every verdict as the generator expects, in input order ($ms ms)" || t_not_ok "verdicts"
import json, sys
exp = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
bad = 0
for e, g in zip(exp, got):
    if e["domain"] != g["domain"]:
        print("# order: %s then %s" % (e["domain"], g["domain"])); bad += 1; continue
    if e.get("dns"):
        if "error" not in g or g["verdict"] != "dns-error":
            print("# %s: no DNS error: %s" % (g["domain"], g.get("verdict"))); bad += 1
        continue
    for area, v in e["areas"].items():
        if g["areas"][area]["verdict"] != v:
            print("# %s (%s): %s is %s, want %s" % (g["domain"], e["kind"], area,
                  g["areas"][area]["verdict"], v)); bad += 1
if got[-1] != {"domain": "not..a.domain", "verdict": "error", "error": "line 1001: not a domain name"}:
    print("# last line: %r" % got[-1]); bad += 1
sys.exit(1 if bad else 0)
PY
if printf '%s\n' "$ERR" | grep -Eq '^mail-audit: 1001 domains in .*, ([0-9]+) queries, ([0-9]+) round trips'; then
	q=$(printf '%s\n' "$ERR" | sed -nE 's/.*, ([0-9]+) queries, ([0-9]+) round trips/\1 \2/p')
	set -- $q
	# each domain asks about 8 names; the providers' 60-odd names once
	if [ "$1" -lt 9000 ] && [ "$2" -lt 40 ]; then
		t_ok "one cache and lockstep rounds: $1 queries, $2 round trips"
	else
		t_not_ok "queries and rounds" "$ERR"
	fi
else
	t_not_ok "the batch summary" "$ERR"
fi
row=$(python3 - gen/expected <<'PY'
import json, sys
n = {"pass": 0, "absent": 0, "skipped": 0, "warn": 0, "fail": 0, "dns-error": 0}
for l in open(sys.argv[1]):
    e = json.loads(l)
    n["dns-error" if e.get("dns") else e["areas"]["spf"]] += 1
print(" ".join(str(v) for v in n.values()))
PY
)
if printf '%s\n' "$ERR" | tr -s ' ' | grep -qx " spf $row"; then
	t_ok "the summary counts each area's verdicts"
else
	t_not_ok "summary table" "$ERR"
fi
expect_not "no progress line when stderr is not a terminal" 'domains, [0-9]+/s'
# spf-lint --batch: the same walks as one domain at a time
run "$BIN/spf-lint" $P -v --batch gen/domains
expect "spf-lint -v --batch over the 1,000 domains" 3
printf '%s\n' "$OUT" >spf.out
agree=0
for i in 0 3 5 6 17 499 987; do
	d=$(sed -n "$((i + 1))p" gen/domains)
	"$BIN/spf-lint" $S --json "$d" >one.json 2>/dev/null
	if python3 - "$i" spf.out one.json <<'PY'; then agree=$((agree + 1)); fi
import json, sys
b = [json.loads(l) for l in open(sys.argv[2])][int(sys.argv[1])]
o = json.load(open(sys.argv[3]))
key = lambda j: (j["domain"], j["record"], j["lookups"], j["void_lookups"],
                 [f["code"] for f in j["findings"]], j["tree"])
sys.exit(0 if key(b) == key(o) else 1)
PY
done
if [ $agree = 7 ]; then t_ok "a batch line is what spf-lint --json says of the domain alone"; else t_not_ok "batch and single agree" "$agree of 7"; fi
# without -v the batch takes its summaries of the providers' trees: every
# line as with -v, the tree aside
run "$BIN/spf-lint" $P --batch gen/domains
expect "spf-lint --batch over the 1,000 domains" 3
printf '%s\n' "$OUT" >lean.out
if python3 - spf.out lean.out <<'PY'; then t_ok "the summarized batch says what the walked one does, line by line"; else t_not_ok "summarized batch" "$(tail -1 lean.diff 2>/dev/null)"; fi
import json, sys
def lines(p):
    out = []
    for l in open(p):
        j = json.loads(l)
        j.pop("tree", None)
        j.pop("dns", None)
        out.append(j)
    return out
a, b = lines(sys.argv[1]), lines(sys.argv[2])
bad = [x["domain"] for x, y in zip(a, b) if x != y]
print("%d lines, %d differ %s" % (len(a), len(bad), bad[:3]), file=sys.stderr)
sys.exit(0 if len(a) == len(b) > 1000 and not bad else 1)
PY
nfail=$(grep -c '"spf": "fail"' gen/expected)
if printf '%s\n' "$ERR" | grep -Eq "^spf-lint: 1001 domains in .*: [0-9]+ clean, $nfail with errors, 12 DNS failures, 1 not domain names"; then
	t_ok "spf-lint's batch summary"
else
	t_not_ok "spf-lint's batch summary" "$ERR"
fi
# --deadline bounds a domain: 400 ms a round trip, a deadline of 600 ms
proxy_start -d 400
start=$(date +%s%N)
run "$BIN/mail-audit" --no-connect --server "127.0.0.1@$PROXY_PORT" --deadline 600 ma.test
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "a domain past its deadline is a DNS failure" 3 '^ma.test: dns-error'
if [ "$ms" -lt 900 ]; then
	t_ok "no wait outlasts the deadline: $ms ms for --deadline 600"
else
	t_not_ok "the deadline holds" "$ms ms"
fi
run sh -c "head -1 gen/domains | '$BIN/spf-lint' $S --batch -"
expect "spf-lint --batch - reads stdin" 0
expect_json "without -v, no tree in a batch line" "'tree' in j" "False"
run sh -c "head -3 gen/domains | '$BIN/mail-audit' --no-connect $S --batch -"
expect "--batch - reads stdin" 0
t_done
