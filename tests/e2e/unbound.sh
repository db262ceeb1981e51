#!/usr/bin/env bash
# Through a recursive resolver as users run the tools: Unbound as Debian
# ships it (tests/unbound.conf.in says what differs and why), cold, recursing to NSD
# as shipped through a forwarder that adds 20 ms.  The batch must give
# every domain the line it gives asking NSD directly, with no DNS failure:
# spf-lint's, and mail-audit's, whose NXDOMAIN answers all fall in one
# rate-limit class of NSD, so that Unbound, its server backed off, answers
# SERVFAIL for a while (the scheduler takes that as congestion: a smaller
# window, each question asked again after the resolver's hold).  No run
# has a deadline: the batch's time grows with its input.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
world_start 500
proxy_start -d 20
unbound_start "$PROXY_PORT" || { t_not_ok "unbound starts"; t_done; exit; }


run "$BIN/spf-lint" --server "127.0.0.1@$NSD_PORT" --batch gen/domains
ref_rc=$RC
printf '%s\n' "$OUT" | batch_strip >ref.spf

start=$(date +%s%N)
run "$BIN/spf-lint" --server "127.0.0.1@$UNBOUND_PORT" --batch gen/domains
ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf '%s\n' "$OUT" | batch_strip >got.spf
if batch_same "$ref_rc" ref.spf got.spf; then
	t_ok "spf-lint --batch of 500 domains through a cold Unbound: every line as from NSD ($ms ms)"
else
	t_not_ok "spf-lint --batch through Unbound" "$WHY"
fi
printf '%s\n' "$ERR" | grep -q 'answers evicted (0 asked again)' &&
    t_ok "no answer a domain still needed was dropped and asked again" ||
    t_not_ok "no answer asked again after it was dropped" "$(printf '%s\n' "$ERR" | tail -1)"

# mail-audit: the reference straight from NSD, then a cold Unbound of its own
run "$BIN/mail-audit" --no-progress --server "127.0.0.1@$NSD_PORT" --batch gen/domains
ref_rc=$RC
printf '%s\n' "$OUT" | batch_strip >ref.audit
grep -c '"verdict":"dns-error"' ref.audit >ref.dnserr
first_unbound=$UNBOUND_PID
unbound_start "$PROXY_PORT" || { t_not_ok "a second unbound starts"; t_done; exit; }
kill "$first_unbound" 2>/dev/null
start=$(date +%s%N)
run "$BIN/mail-audit" --no-progress --server "127.0.0.1@$UNBOUND_PORT" --batch gen/domains
ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf '%s\n' "$OUT" | batch_strip >got.audit
n=$(grep -c '"verdict":"dns-error"' got.audit)
if [ "$n" = 0 ] && [ "$(cat ref.dnserr)" = 0 ] && [ "$RC" = "$ref_rc" ] && cmp -s ref.audit got.audit; then
	t_ok "mail-audit --batch of 500 domains through a cold Unbound: every line as from NSD, 0 dns-error ($ms ms)"
else
	t_not_ok "mail-audit --batch through a cold Unbound" "exit $RC (want $ref_rc), $n dns-error" \
	    "$(diff ref.audit got.audit | head -4 | cut -c1-300)" "$(printf '%s\n' "$ERR" | tail -1)"
fi
D=$(cat gen/deep)
run "$BIN/spf-eval" --json --server "127.0.0.1@$UNBOUND_PORT" --ip 192.0.2.1 --sender "postmaster@$D"
expect "spf-eval of the deep domain through Unbound" 0
expect_json "the verdict, as NSD gives it" "(j['result'], j['lookups'])" "('fail', 9)"
t_done
