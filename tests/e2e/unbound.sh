#!/usr/bin/env bash
# Through a recursive resolver as users run the tools: Unbound as Debian
# ships it (tests/unbound.conf.in says what differs and why), cold, recursing to NSD
# as shipped through a forwarder that adds 20 ms.  The batch must give
# every domain the line it gives asking NSD directly, with no DNS failure.
# (mail-audit's batch is not asked the same yet: its NXDOMAIN answers all
# fall in one rate-limit class of NSD, and Unbound, its server backed off,
# answers SERVFAIL for about 1 % of them.)
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
D=$(cat gen/deep)
run "$BIN/spf-eval" --json --server "127.0.0.1@$UNBOUND_PORT" --ip 192.0.2.1 --sender "postmaster@$D"
expect "spf-eval of the deep domain through Unbound" 0
expect_json "the verdict, as NSD gives it" "(j['result'], j['lookups'])" "('fail', 9)"
t_done
