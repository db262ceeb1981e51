#!/usr/bin/env bash
# Hostile DNS answers: every tool that resolves names against a server that
# sends what no real server does (tests/hostile_dns.py).  Each must end
# with a DNS failure (exit 3, or spf-eval's temperror), say why, keep to
# its deadline, and stay small: no answer reaches the wire parser that could
# cost it more than the tools can use.
. "$(dirname "$0")/../lib.sh"

PORT=$(free_port)
mkfifo "$T_TMP/hostile.ready"
/usr/bin/python3 "$T_LIB/hostile_dns.py" "$PORT" >"$T_TMP/hostile.ready" &
T_PIDS="$T_PIDS $!"
read -r _ <"$T_TMP/hostile.ready"

S="--server 127.0.0.1@$PORT --timeout 1000 --retries 1"
MAX_KB=131072		# 128 MiB, ASan's shadow included

# measured CASE SECONDS ARGS...: runs ARGS under /usr/bin/time; fails the
# case when it took longer than SECONDS or grew past MAX_KB
measured() {
	desc=$1 limit=$2
	shift 2
	/usr/bin/time -f '%e %M' -o "$T_TMP/time" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
	read -r secs kb < <(tail -n 1 "$T_TMP/time")
	if [ "$RC" -gt 128 ] || grep -q 'Command terminated by signal' "$T_TMP/time"; then
		t_not_ok "$desc" "killed by a signal" "$ERR"
		RC=999
	elif awk -v s="$secs" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
		t_not_ok "$desc" "took $secs s, limit $limit"
		RC=999
	elif [ "$kb" -gt "$MAX_KB" ]; then
		t_not_ok "$desc" "grew to $kb KB, limit $MAX_KB"
		RC=999
	else
		t_ok "$desc ($secs s, $kb KB)"
	fi
}

# spf-lint against each answer: exit 3 with the reason in the finding
while read -r name why; do
	measured "spf-lint $name: within 3 s and 128 MiB" 3 \
	    "$BIN/spf-lint" $S "$name.hostile.test"
	[ "$RC" = 999 ] && continue
	expect "spf-lint $name: a DNS failure" 3 "spf-dns-failure" "$why"
done <<'CASES'
tcshort    a TCP answer shorter than a header
tczero     a TCP answer shorter than a header
bigudp     a UDP answer over the 1232 bytes advertised
strings    a TXT record of over 128 strings
strings32k a record of over 16384 bytes
manyrrs    over 512 records
bigrdata   a record of over 16384 bytes
badtxt     a TXT record whose strings do not fill it
chaos      an answer to another question
othername  an answer to another question
selfcname  a CNAME loop
cnameloop  a CNAME loop
longcname  a CNAME chain of over 8 names
ptrloop    a malformed name
garbage    (not exactly one question|cut short|malformed)
silent     timeout
drip       timeout
endless    timeout
CASES

measured "spf-lint: a sane answer from the same server" 3 \
    "$BIN/spf-lint" $S ok.hostile.test
expect "spf-lint: the sane answer lints clean" 0 "v=spf1 -all"

# the other tools meet the same answers through the same resolver
for name in tcshort strings32k selfcname drip; do
	measured "spf-eval $name" 3 "$BIN/spf-eval" $S --ip 192.0.2.1 \
	    --sender "a@$name.hostile.test"
	[ "$RC" = 999 ] || expect "spf-eval $name: temperror" 0 '^temperror'
	measured "spf-flatten $name" 3 "$BIN/spf-flatten" $S \
	    --source "$name.hostile.test" --dry-run ok.hostile.test
	[ "$RC" = 999 ] || expect "spf-flatten $name: exit 3" 3
	measured "mail-audit $name" 6 "$BIN/mail-audit" --no-connect $S "$name.hostile.test"
	[ "$RC" = 999 ] || expect "mail-audit $name: dns-error" 3 "dns-error"
	measured "dmarc-lint $name" 3 "$BIN/dmarc-lint" $S "$name.hostile.test"
	[ "$RC" = 999 ] || expect "dmarc-lint $name: exit 3" 3
	measured "dkim-lint $name" 3 "$BIN/dkim-lint" $S --selector s1 \
	    "$name.hostile.test"
	[ "$RC" = 999 ] || expect "dkim-lint $name: exit 3" 3
done

# a batch goes on past hostile domains, each its own dns-error line
printf '%s.hostile.test\n' tcshort ok strings32k selfcname ok >"$T_TMP/batch"
measured "spf-lint --batch over hostile names" 6 "$BIN/spf-lint" $S \
    --batch "$T_TMP/batch"
if [ "$RC" != 999 ]; then
	got=$(printf '%s\n' "$OUT" | /usr/bin/python3 -c '
import json, sys
print(" ".join("ok" if json.loads(l)["complete"] else "fail"
               for l in sys.stdin))')
	if [ "$got" = "fail ok fail fail ok" ]; then
		t_ok "spf-lint --batch: each hostile line failed, the others did not"
	else
		t_not_ok "spf-lint --batch: lines $got" "$OUT"
	fi
fi

t_done
