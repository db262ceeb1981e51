#!/usr/bin/env bash
# Memory does not grow with the input: a batch of 200,000 names (a world
# of 2,000 domains, each name given many times, and one in four a name
# that does not exist) stays under 64 MiB of resident memory in spf-lint
# and in mail-audit, from zone files alone and through NSD as shipped,
# with --json and without.  mail-audit through NSD takes 40,000 (at about
# 1,300 domains a second, 200,000 would hold make check for 150 s; its
# window, not its input, sets the peak).  (The resolver trims its cache every round,
# waited for or not; before, the offline runs kept every answer.)
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
world_start 2000
/usr/bin/python3 - <<'P'
d = [l.strip() for l in open("gen/domains")]
with open("b200k", "w") as f:
    for i in range(200000):
        f.write((d[i % len(d)] if i % 4 else "n%d.cust.test" % i) + "\n")
P
LIMIT=$((64 * 1024))
Z="--zone gen/zones/prov.test.zone --zone gen/zones/cust.test.zone --zone gen/zones/dead.test.zone"
head -40000 b200k >b40k
rss() {	# DESC FILE ARGS...: the run's peak RSS under LIMIT KiB, a line a name
	desc=$1 file=$2
	shift 2
	/usr/bin/time -f '%M' -o rss.txt "$@" --batch "$file" >out.jsonl 2>err.txt
	rc=$?
	kib=$(tail -1 rss.txt)
	lines=$(wc -l <out.jsonl) want=$(wc -l <"$file")
	if [ "$rc" -gt 3 ] || [ "$lines" != "$want" ]; then
		t_not_ok "$desc: $want lines" "exit $rc, $lines lines" "$(tail -2 err.txt)"
	elif [ "$kib" -ge "$LIMIT" ]; then
		t_not_ok "$desc: under 64 MiB" "$((kib / 1024)) MiB"
	else
		t_ok "$desc: $((kib / 1024)) MiB for $want names"
	fi
}
# shellcheck disable=SC2086
rss "spf-lint --offline" b200k "$BIN/spf-lint" --offline $Z
# shellcheck disable=SC2086
rss "spf-lint --offline --json" b200k "$BIN/spf-lint" --offline --json $Z
# shellcheck disable=SC2086
rss "mail-audit --offline" b200k "$BIN/mail-audit" --offline --no-progress $Z
rss "spf-lint through NSD" b200k "$BIN/spf-lint" --server "127.0.0.1@$NSD_PORT"
rss "mail-audit --json through NSD" b40k "$BIN/mail-audit" --no-progress --json --server "127.0.0.1@$NSD_PORT"
t_done
