#!/usr/bin/env bash
# A lossy path: 1,000 generated domains through a forwarder that drops 5 %
# and then 30 % of the UDP answers at random, against NSD as shipped (its
# rate limiting on).  Every batch must complete with every answer as
# without loss: no DNS failure, the same JSON line for every domain.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
world_start 1000


run "$BIN/spf-lint" --server "127.0.0.1@$NSD_PORT" --batch gen/domains
ref_rc=$RC
printf '%s\n' "$OUT" | batch_strip >ref.spf
lines=$(wc -l <ref.spf)
if [ "$lines" = 1000 ] && printf '%s\n' "$ERR" | grep -q ' 0 DNS failures'; then
	t_ok "the batch without loss: 1000 lines, no DNS failure (exit $RC)"
else
	t_not_ok "the batch without loss" "$lines lines; $ERR"
fi
run "$BIN/mail-audit" --no-connect --server "127.0.0.1@$NSD_PORT" --batch gen/domains
ref_ma=$RC
printf '%s\n' "$OUT" | batch_strip >ref.ma

for loss in 5 30; do
	proxy_start -p "$loss" -S "$loss" 2>"proxy.$loss"
	S="--server 127.0.0.1@$PROXY_PORT"
	run_timed "$BIN/spf-lint" $S --batch gen/domains
	printf '%s\n' "$OUT" | batch_strip >got.spf
	if batch_same "$ref_rc" ref.spf got.spf; then
		t_ok "spf-lint --batch, $loss % of answers lost: every line as without loss ($MS ms)"
	else
		t_not_ok "spf-lint --batch, $loss % lost" "$WHY"
	fi
	if printf '%s\n' "$ERR" | grep -Eq 'dns: .* [1-9][0-9]* retries, [1-9][0-9]* timeouts'; then
		t_ok "the summary counts the retries and timeouts of the loss"
	else
		t_not_ok "retries and timeouts counted" "$ERR"
	fi
	run "$BIN/mail-audit" --no-connect $S --batch gen/domains
	printf '%s\n' "$OUT" | batch_strip >got.ma
	if [ "$RC" = "$ref_ma" ] && cmp -s ref.ma got.ma &&
	    ! grep -q dns-error got.ma; then
		t_ok "mail-audit --batch, $loss % lost: every verdict as without loss"
	else
		t_not_ok "mail-audit --batch, $loss % lost" "exit $RC; $(diff ref.ma got.ma | head -4)"
	fi
	kill "$PROXY_PID"
	wait "$PROXY_PID" 2>/dev/null
	# the loss happened, at about the share asked for
	read -r _ dropped _ answers _ <"proxy.$loss" || true
	if [ -n "$answers" ] && [ "$answers" -gt 1000 ] &&
	    [ $((dropped * 100 / answers)) -ge $((loss / 2)) ] &&
	    [ $((dropped * 100 / answers)) -le $((loss * 2)) ]; then
		t_ok "the forwarder dropped $dropped of $answers answers"
	else
		t_not_ok "the forwarder dropped about $loss %" "$(cat "proxy.$loss")"
	fi
done

# A slow path is not a lossy one.  Through a resolver (--recursive) whose
# upstream answers a fifth of the names 600 ms late, the tries that time
# out are answered after all, and the window is not cut for them: a
# resolver waiting on its upstream is not overloaded, and fewer questions
# at once would not make it faster.  The lossy path's answers never come,
# and cut the window still.
proxy_start -d 20 -j 20:600
run_timed "$BIN/spf-lint" --recursive --server "127.0.0.1@$PROXY_PORT" --batch gen/domains
printf '%s\n' "$OUT" | batch_strip >got.spf
if batch_same "$ref_rc" ref.spf got.spf; then
	t_ok "spf-lint --recursive --batch, a fifth of the names 600 ms late: every line as straight from NSD ($MS ms)"
else
	t_not_ok "spf-lint --recursive --batch, a fifth of the names late" "$WHY"
fi
dns=$(printf '%s\n' "$ERR" | grep 'dns:')
late=$(printf '%s\n' "$dns" | sed -nE 's/.* \(([0-9]+) answered late\).*/\1/p')
cuts=$(printf '%s\n' "$dns" | sed -nE 's/.* ([0-9]+) window cuts.*/\1/p')
# the first cuts come before the resolver has shown that it answers late
# (the scheduler before this counted 512 cuts and took 98 s)
if [ "${late:-0}" -ge 100 ] && [ "${cuts:-99}" -le 10 ]; then
	t_ok "$late tries answered late, ${cuts} window cuts"
else
	t_not_ok "timeouts answered late cut no window" "$dns"
fi
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null
proxy_start -d 20 -p 30 -S 3
head -300 gen/domains >some
run_timed "$BIN/spf-lint" --recursive --server "127.0.0.1@$PROXY_PORT" --batch some
cuts=$(printf '%s\n' "$ERR" | sed -nE 's/.* ([0-9]+) window cuts.*/\1/p')
if [ "${cuts:-0}" -ge 10 ]; then
	t_ok "answers lost for good (30 %) cut the window still ($cuts cuts, $MS ms)"
else
	t_not_ok "answers lost for good cut the window" "$(printf '%s\n' "$ERR" | grep 'dns:')"
fi
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null
t_done
