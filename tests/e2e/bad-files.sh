#!/usr/bin/env bash
# Every file a tool reads, given as a directory, an endless device, a FIFO
# whose writer never writes, or holding a NUL byte or an over-long record:
# exit 2 at once (the FIFO at --deadline), with the path and the reason;
# never a hang, never a silent truncation.  (A pipe that does send is read:
# tests/e2e/pipes.sh.)
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir dir
mkfifo fifo
printf '$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\n@ TXT "v=spf1 -all"\n' >good.zone

# refused DESC PATTERN CMD...: exit 2 within 3 s (9 s under make asan,
# where reading /dev/zero to the 256 MiB zone cap alone takes 3 s), stderr
# matching PATTERN
limit=3000
[ -n "${SANITIZED:-}" ] && limit=9000
refused() {
	desc=$1 pat=$2
	shift 2
	start=$(date +%s%N)
	timeout 10 "$@" >out 2>err </dev/null
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	if [ "$rc" != 2 ]; then
		t_not_ok "$desc: exit 2" "exit $rc" "$(cat err)"
	elif [ "$ms" -gt "$limit" ]; then
		t_not_ok "$desc: at once" "$ms ms"
	elif ! grep -Eq -- "$pat" err; then
		t_not_ok "$desc: says why" "$(cat err)"
	else
		t_ok "$desc ($ms ms)"
	fi
}

# every tool that takes --zone
for t in "spf-lint example.com" "spf-eval --ip 192.0.2.1 --sender a@example.com" \
    "spf-gen --null example.com" "nomail-gen example.com" \
    "mtasts-gen --mx mx.example.com example.com" "dkim-lint --selector s example.com" \
    "dmarc-lint example.com" "tlsrpt-lint example.com" "bimi-lint example.com" \
    "mtasts-lint example.com" "mail-audit example.com" \
    "spf-flatten --record v=spf1+-all example.com"; do
	tool=${t%% *} args=${t#* }
	# shellcheck disable=SC2086
	refused "$tool --zone DIRECTORY" "cannot read dir: it is a directory" \
	    "$BIN/$tool" --offline --zone dir $args
	# shellcheck disable=SC2086
	refused "$tool --zone /dev/zero: ends at the size cap" "cannot read /dev/zero: over [0-9]+ bytes" \
	    "$BIN/$tool" --offline --zone /dev/zero $args
	# shellcheck disable=SC2086
	refused "$tool --zone FIFO that sends nothing: ends at --deadline" "cannot read fifo: nothing more came within 300 ms" \
	    "$BIN/$tool" --offline --deadline 300 --zone fifo $args
done

# the other files
refused "spf-flatten --config DIRECTORY" "cannot read dir: it is a directory" \
    "$BIN/spf-flatten" --config dir
refused "spf-flatten --config FIFO" "cannot read fifo: nothing more came within 300 ms" \
    "$BIN/spf-flatten" --deadline 300 --config fifo
refused "spf-flatten --tsig-key FIFO" "cannot read fifo: nothing more came within 300 ms" \
    "$BIN/spf-flatten" --deadline 300 --record 'v=spf1 -all' --tsig-key fifo example.com
refused "spf-flatten --output DIRECTORY" "cannot read dir: it is a directory" \
    "$BIN/spf-flatten" --offline --record 'v=spf1 ip4:192.0.2.1 -all' --output dir example.com
refused "dkim-gen --from-key /dev/zero" "cannot read /dev/zero: over [0-9]+ bytes" \
    "$BIN/dkim-gen" --from-key /dev/zero example.com
refused "mtasts-lint --policy FIFO" "cannot read fifo: nothing more came within 300 ms" \
    "$BIN/mtasts-lint" --offline --deadline 300 --policy fifo example.com
refused "mtasts-lint --ca-file DIRECTORY" "cannot read dir: it is a directory" \
    "$BIN/mtasts-lint" --offline --ca-file dir example.com
refused "mtasts-lint --policy /dev/zero" "cannot read /dev/zero: over 65536 bytes" \
    "$BIN/mtasts-lint" --offline --policy /dev/zero example.com
refused "dmarc-report /dev/zero" "over [0-9]+ bytes" "$BIN/dmarc-report" /dev/zero
refused "spf-lint --batch DIRECTORY" "cannot read dir: it is a directory" \
    "$BIN/spf-lint" --offline --batch dir

# NUL bytes and over-long input: errors with their line, nothing cut
printf 'v=spf1\0 -all' >nul.rec
refused "--record - with a NUL byte" "holds a NUL byte" \
    sh -c "\"$BIN/spf-lint\" --offline --record - example.com <nul.rec"
(sleep 5 | "$BIN/spf-lint" --offline --deadline 500 --record - example.com >out 2>err)
[ $? = 2 ] && grep -q 'within 500 ms' err && t_ok "--record - keeps to --deadline" || t_not_ok "--record - keeps to --deadline" "$(cat err)"
printf 'example.com\nb.exa\0mple.com\n' >nul.batch
run "$BIN/spf-lint" --zone good.zone --offline --batch nul.batch
expect "a batch line with a NUL byte is its own error line" 2 '"error":"line 2: a NUL byte"'
expect_not "and is not linted as b.exa" '"domain":"b.exa"'
printf 'example.com\n%s\n' "$(head -c 3000 /dev/zero | tr '\0' a).com" >long.batch
run "$BIN/spf-lint" --zone good.zone --offline --batch long.batch
expect "an over-long batch line is its own error line" 2 '"error":"line 2: over 1024 bytes"'
/usr/bin/python3 - <<'P' >big.zone
strings = " ".join('"%s"' % ("a" * 250) for _ in range(270))
print('$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\n@ TXT ( "v=spf1 " %s " -all" )' % strings)
P
refused "a TXT record over 64 KiB in a zone file" "big.zone:3: a record of [0-9]+ bytes of text, over the 65535" \
    "$BIN/spf-lint" --offline --zone big.zone example.com
printf '$ORIGIN example.com.\n@ SOA ns h 1 2 3 4 5\n@ TXT "v=spf1 -all"\nx TXT "a\0b"\n' >nulzone.zone
refused "a NUL byte in a zone file" "nulzone.zone:4: a NUL byte" \
    "$BIN/spf-lint" --offline --zone nulzone.zone example.com
t_done
