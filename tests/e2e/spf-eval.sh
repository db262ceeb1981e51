#!/usr/bin/env bash
# spf-eval against a real NSD on loopback: every result, the explanation,
# the HELO identity, IPv6 and IPv4-mapped clients, PTR, macros, and the
# deadline.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T_TMP/zones"
soa() { printf '$ORIGIN %s.\n$TTL 300\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' "$1" "$1" "$1"; }
{
	soa eval.test
	cat <<'Z'
@          TXT "v=spf1 ip4:85.100.0.0/24 ip6:2a02:1:2::/48 include:_spf.prov.test mx exists:%{ir}.allow.eval.test -all exp=why.eval.test"
@          MX 10 mx1
mx1        A 85.100.9.25
why        TXT "%{i} is not one of %{d}'s " "senders (%{s}, %{v})"
1.0.0.85.allow A 127.0.0.2
soft       TXT "v=spf1 ip4:85.100.0.0/24 ~all"
neutral    TXT "v=spf1 ip4:85.100.0.0/24"
broken     TXT "v=spf1 ip4:85.100.0.0/33 -all"
redir      TXT "v=spf1 redirect=eval.test"
slow       TXT "v=spf1 include:_spf.slow.test -all"
helo       TXT "v=spf1 a -all"
helo       A 85.100.7.7
macro      TXT "v=spf1 -all exp=%{l}.why.eval.test"
jack.why   TXT "no mail from %{L} at %{o}"
; RFC 7208 4.6.4: the ptr mechanism's own reverse lookup counts as void
voidptr    TXT "v=spf1 ptr a:nx1.eval.test a:nx2.eval.test -all"
; RFC 7208 7.3: a digit transformer past the parts keeps them all
d129       TXT "v=spf1 exists:%{d129}.x.eval.test -all"
d129.eval.test.x A 127.0.0.2
; %{d} keeps the case it was given in
case       TXT "v=spf1 -all exp=casewhy.eval.test"
casewhy    TXT "%{d} %{o} %{s}"
Z
} >"$T_TMP/zones/eval.test.zone"
{ soa prov.test; echo '_spf TXT "v=spf1 ip4:85.102.0.0/20 ~all"'; } >"$T_TMP/zones/prov.test.zone"
{ soa slow.test; echo '_spf TXT "v=spf1 -all"'; } >"$T_TMP/zones/slow.test.zone"
{ soa 100.85.in-addr.arpa; echo '8.8 PTR nope.example.'; echo '8.8 PTR host.ptr.eval.test.'; } \
    >"$T_TMP/zones/100.85.in-addr.arpa.zone"
{ soa 2.0.192.in-addr.arpa; } >"$T_TMP/zones/2.0.192.in-addr.arpa.zone"
{ soa ptr.eval.test; echo 'host A 85.100.8.8'; echo '@ TXT "v=spf1 ptr -all"'; } \
    >"$T_TMP/zones/ptr.eval.test.zone"

nsd_start eval.test prov.test slow.test 100.85.in-addr.arpa ptr.eval.test 2.0.192.in-addr.arpa ||
    { t_not_ok "nsd starts"; t_done; exit; }
proxy_start -x slow.test
E() { run "$BIN/spf-eval" --server "127.0.0.1@$PROXY_PORT" "$@"; }

E --ip 85.100.0.5 --sender bounce@eval.test --helo mail.eval.test
expect "ip4 in the record: pass, first word" 0 '^pass$' \
    '^  decided by "ip4:85.100.0.0/24" in eval.test$' \
    '^Received-SPF: pass \(unknown: domain of bounce@eval.test designates 85.100.0.5 as permitted sender\) client-ip=85.100.0.5; envelope-from="bounce@eval.test"; helo=mail.eval.test; receiver=unknown; identity=mailfrom; mechanism="ip4:85.100.0.0/24";$'
E --ip 85.102.3.4 --sender bounce@eval.test
expect "include of a provider: pass" 0 '^pass$' 'decided by "include:_spf.prov.test"'
E --ip 85.100.9.25 --sender bounce@eval.test
expect "mx: pass" 0 '^pass$' 'decided by "mx"'
E --ip 85.0.0.1 --sender bounce@eval.test
expect "exists with %{ir}: pass" 0 '^pass$' 'exists:%\{ir\}.allow.eval.test'
E --ip 2a02:1:2:3::9 --sender bounce@eval.test
expect "ip6: pass" 0 '^pass$' 'ip6:2a02:1:2::/48'
E --ip ::ffff:85.100.0.7 --sender bounce@eval.test
expect "an IPv4-mapped client matches ip4" 0 '^pass$' 'ip4:85.100.0.0/24'
E --ip 203.0.113.5 --sender bounce@eval.test --receiver mx.receiver.test
expect "fail with the explanation expanded" 0 '^fail$' \
    "^  explanation: 203.0.113.5 is not one of eval.test's senders \(bounce@eval.test, in-addr\)$" \
    'lookups 3/10, void 1/2' 'receiver=mx.receiver.test;'
E --ip 203.0.113.5 --sender jack@macro.eval.test
expect "exp name and text with %{l}, %{L}, %{o}" 0 '^fail$' \
    '^  explanation: no mail from jack at macro.eval.test$'
E --ip 203.0.113.5 --sender x@soft.eval.test
expect "softfail" 0 '^softfail$' 'decided by "~all"'
E --ip 203.0.113.5 --sender x@neutral.eval.test
expect "neutral by default" 0 '^neutral$' 'no term matched in neutral.eval.test'
E --ip 203.0.113.5 --sender x@nothere.eval.test
expect "none" 0 '^none$'
E --ip 203.0.113.5 --sender x@broken.eval.test
expect "permerror on a syntax error" 0 '^permerror$' 'problem: broken.eval.test: bad prefix length'
E --ip 85.102.3.4 --sender x@redir.eval.test
expect "redirect" 0 '^pass$' 'in eval.test'
E --ip 85.100.7.7 --sender "" --helo helo.eval.test
expect "empty sender: the HELO identity" 0 '^pass$' 'identity=helo;' 'helo=helo.eval.test;'
E --ip 85.100.8.8 --sender x@ptr.eval.test
expect "ptr validated by the forward lookup" 0 '^pass$' 'decided by "ptr"'
start=$(date +%s%N)
E --ip 85.100.0.5 --sender x@slow.eval.test --timeout 200 --retries 1
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "a timeout is temperror, exit 0" 0 '^temperror$' 'problem: _spf.slow.test TXT: timeout'
if [ "$ms" -lt 2000 ]; then t_ok "within the timeout ($ms ms)"; else t_not_ok "within the timeout" "$ms ms"; fi
start=$(date +%s%N)
E --ip 85.100.0.5 --sender x@slow.eval.test --timeout 5000 --deadline 500
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "the deadline ends the run: temperror" 0 '^temperror$'
if [ "$ms" -lt 1500 ]; then t_ok "within the deadline ($ms ms for 500)"; else t_not_ok "within the deadline" "$ms ms"; fi

E --json --ip 203.0.113.5 --sender bounce@eval.test
expect "json" 0
expect_json "json result" 'j["result"]' fail
expect_json "json keys" 'sorted(j)' "['decided_by', 'dns', 'domain', 'explanation', 'header', 'identity', 'lookups', 'mechanism', 'problem', 'result', 'void_lookups']"
expect_json "json header" 'j["header"].startswith("Received-SPF: fail (unknown: domain of bounce@eval.test does not designate 203.0.113.5")' True
expect_json "json lookups" '(j["lookups"], j["void_lookups"], j["mechanism"])' "(3, 1, '-all')"

# a wide tree: each level in one round trip, then the evaluation
{
	soa wide.test
	echo '@ TXT "v=spf1 include:a.wide.test include:b.wide.test include:c.wide.test include:d.wide.test -all"'
	for x in a b c d; do echo "$x TXT \"v=spf1 include:$x.x.wide.test ip4:85.$((RANDOM % 200)).0.0/24 ~all\""; \
	    echo "$x.x TXT \"v=spf1 ip4:85.210.0.0/24 ~all\""; done
} >"$T_TMP/zones/wide.test.zone"
nsd_stop
nsd_start eval.test prov.test slow.test 100.85.in-addr.arpa ptr.eval.test 2.0.192.in-addr.arpa wide.test ||
    { t_not_ok "nsd restarts"; t_done; exit; }
run "$BIN/spf-eval" --server "127.0.0.1@$NSD_PORT" --json --ip 192.0.2.1 --sender a@wide.test
expect "the wide tree, prefetched" 0
fast=$(json_get "(j['result'], j['lookups'], j['dns']['rounds'])")
run "$BIN/spf-eval" --server "127.0.0.1@$NSD_PORT" --json --no-prefetch --ip 192.0.2.1 --sender a@wide.test
expect "the wide tree, one query at a time" 0
slow=$(json_get "(j['result'], j['lookups'], j['dns']['rounds'])")
case "$fast/$slow" in
"('fail', 8, 3)/('fail', 8, 9)")
	t_ok "prefetching: the same result in 3 round trips instead of 9" ;;
*)	t_not_ok "prefetch" "with: $fast, without: $slow" ;;
esac
# three deviations found by differential testing against pyspf (issue 17)
E() { run "$BIN/spf-eval" --server "127.0.0.1@$NSD_PORT" "$@"; }
E --ip 192.0.2.1 --sender a@voidptr.eval.test
expect "ptr with no PTR record: its reverse lookup is a void lookup, 3 voids, permerror" 0 '^permerror$' 'lookups 3/10, void 3/2'
E --ip 192.0.2.1 --sender a@d129.eval.test
expect "%{d129}: all the parts, not a permerror" 0 '^pass$' 'exists:%\{d129\}'
E --ip 192.0.2.1 --sender u@Case.Eval.TEST
expect "%{d} in an explanation keeps the case given, as %{o} and %{s} do" 0 '^fail$' '^  explanation: Case.Eval.TEST Case.Eval.TEST u@Case.Eval.TEST$'
run "$BIN/spf-eval" --ip 300.1.1.1 --sender a@eval.test
expect "a bad address is exit 2" 2
run "$BIN/spf-eval" --ip 85.100.0.5
expect "neither sender nor HELO is exit 2" 2
t_done
