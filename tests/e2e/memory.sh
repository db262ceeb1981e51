#!/usr/bin/env bash
# Memory does not grow with the input: a batch of 200,000 names (a world
# of 2,000 domains, each name given many times, and one in four a name
# that does not exist) stays under 64 MiB of resident memory in spf-lint
# and in mail-audit, from zone files alone and through NSD as shipped,
# with --json and without.  mail-audit through NSD takes 40,000 (at about
# 1,300 domains a second, 200,000 would hold make check for 150 s; its
# window, not its input, sets the peak).  (The resolver trims its cache every round,
# waited for or not; before, the offline runs kept every answer.)
# MEMORY_NAMES=N sets the size (the bound is the same at 1,000,000), and
# MEMORY_ALL=1 runs every tool online and offline, with --json and
# without, each on all N names.  Under make asan (SANITIZED) each run
# must be clean and whole; its peak, the sanitizer's, is not bounded.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
world_start 2000
N=${MEMORY_NAMES:-200000}
N=$N /usr/bin/python3 - <<'P'
import os
d = [l.strip() for l in open("gen/domains")]
with open("names", "w") as f:
    for i in range(int(os.environ["N"])):
        f.write((d[i % len(d)] if i % 4 else "n%d.cust.test" % i) + "\n")
P
LIMIT=$((64 * 1024))
Z="--zone gen/zones/prov.test.zone --zone gen/zones/cust.test.zone --zone gen/zones/dead.test.zone"
head -$((N / 5)) names >names.fifth
rss() {	# DESC FILE ARGS...: the run's peak RSS under LIMIT KiB, a line a name
	desc=$1 file=$2
	shift 2
	/usr/bin/time -f '%M' -o rss.txt "$@" --batch "$file" >out.jsonl 2>err.txt
	rc=$?
	kib=$(tail -1 rss.txt)
	lines=$(wc -l <out.jsonl) want=$(wc -l <"$file")
	if [ "$rc" -gt 3 ] || [ "$lines" != "$want" ]; then
		t_not_ok "$desc: $want lines" "exit $rc, $lines lines" "$(tail -2 err.txt)"
	elif [ -n "${SANITIZED:-}" ]; then
		# make asan: the run must be clean; its peak is the sanitizer's
		# (shadow memory, quarantine), not the tool's
		t_ok "$desc: $want lines, clean under the sanitizers"
		t_skip "$desc: under 64 MiB" "$((kib / 1024)) MiB under ASan, whose shadow memory and quarantine it counts"
	elif [ "$kib" -ge "$LIMIT" ]; then
		t_not_ok "$desc: under 64 MiB" "$((kib / 1024)) MiB"
	else
		t_ok "$desc: $((kib / 1024)) MiB for $want names"
	fi
}
S="--server 127.0.0.1@$NSD_PORT"
if [ "${MEMORY_ALL:-0}" = 1 ]; then
	for tool in spf-lint "mail-audit --no-connect --no-progress"; do
		for json in "" --json; do
			# shellcheck disable=SC2086
			rss "$tool --offline $json" names "$BIN"/$tool --offline $json $Z
			# shellcheck disable=SC2086
			rss "$tool $json through NSD" names "$BIN"/$tool $json $S
		done
	done
	t_done
	exit
fi
# shellcheck disable=SC2086
rss "spf-lint --offline" names "$BIN/spf-lint" --offline $Z
# shellcheck disable=SC2086
rss "spf-lint --offline --json" names "$BIN/spf-lint" --offline --json $Z
# shellcheck disable=SC2086
rss "mail-audit --offline" names "$BIN/mail-audit" --no-connect --offline --no-progress $Z
# shellcheck disable=SC2086
rss "spf-lint through NSD" names "$BIN/spf-lint" $S
# shellcheck disable=SC2086
rss "mail-audit --json through NSD" names.fifth "$BIN/mail-audit" --no-connect --no-progress --json $S

# a baseline of 100,000 domains (MEMORY_BASELINE=N), stored then compared:
# each domain's line read again as its audit is done, never the file whole
B=${MEMORY_BASELINE:-100000}
B=$B /usr/bin/python3 - <<'P'
import os
d = [l.strip() for l in open("gen/domains")]
with open("unique", "w") as f:
    for x in d:
        f.write(x + "\n")
    for i in range(int(os.environ["B"]) - len(d)):
        f.write("u%d.cust.test\n" % i)
P
cp zones/test.zone . 2>/dev/null || printf '$ORIGIN test.\n$TTL 300\n@ SOA ns.test. host.test. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' >test.zone
for pass in store compare; do
	# shellcheck disable=SC2086
	/usr/bin/time -f '%M' -o rss.txt "$BIN/mail-audit" --no-connect --offline --no-progress $Z \
	    --zone test.zone --baseline base.jsonl --batch unique >out.txt 2>err.txt
	rc=$? kib=$(tail -1 rss.txt)
	stored=$(($(wc -l <base.jsonl) - 2))
	if [ "$rc" != 0 ] || [ "$stored" != "$B" ] || [ -s out.txt ]; then
		t_not_ok "--baseline of $B domains, $pass: exit 0, $B stored, no change" \
		    "exit $rc, $stored stored, $(wc -l <out.txt) changes" "$(tail -2 err.txt)"
	elif [ -n "${SANITIZED:-}" ]; then
		t_ok "--baseline of $B domains, $pass: whole and clean under the sanitizers"
	elif [ "$kib" -ge "$LIMIT" ]; then
		t_not_ok "--baseline of $B domains, $pass: under 64 MiB" "$((kib / 1024)) MiB"
	else
		t_ok "--baseline of $B domains ($(($(stat -c %s base.jsonl) >> 20)) MiB on disk), $pass: $((kib / 1024)) MiB"
	fi
done
t_done
