#!/usr/bin/env bash
# dmarc-report over reports written from the RFCs' schemas, in every
# container a mailbox receives, with broken and hostile ones among them;
# every count checked against what was written (tests/report_gen.py).
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
/usr/bin/python3 "$T_LIB/report_gen.py" world 7 ||
	{ t_not_ok "the reports are written"; t_done; exit; }
checks() {
	while read -r line; do
		case $line in
		"ok "*) t_ok "${line#ok }" ;;
		*) t_not_ok "${line#not ok }" ;;
		esac
	done < <(/usr/bin/python3 "$T_LIB/report_check.py" "$1" \
	    world/expected.json "$2")
}

run "$BIN/dmarc-report" --json world/in
expect "--json over the whole mailbox: exit 2, files were refused" 2
printf '%s' "$OUT" >report.json
checks json report.json
case $ERR in
*"bomb.xml.gz: inflates beyond"*"deep.xml: nested deeper"*) t_ok "the refused files are named on stderr with the reason" ;;
*) t_not_ok "the refused files are named on stderr" "$ERR" ;;
esac

run "$BIN/dmarc-report" --csv world/in
expect "--csv: exit 2 as well" 2 '^xml_schema,org_name'
printf '%s\n' "$OUT" >report.csv
checks csv report.csv

run "$BIN/dmarc-report" world/in
expect "text: a summary per domain" 2 \
    '^example\.com: [0-9]+ messages in [0-9]+ reports' \
    'DMARC pass [0-9]+ \([0-9.]+ %\)' '1 reports received twice counted once' \
    '^  by reporter: [a-z.]+ [0-9]+ \([0-9.]+ % pass\)' \
    '^TLS-RPT: 6 reports' 'example\.com, sts policy for \*\.example\.com: [0-9]+ sessions successful'

# the page, opened by a real browser: it renders, and what it renders
# shows the counts of the input
run "$BIN/dmarc-report" --html page.html world/in
expect "--html: the page is written though some files were refused" 2
if [ -s page.html ] && ! grep -Eq '<script|src="http|href="http|@import|url\(' page.html; then
	t_ok "--html: one self-contained page, no script, nothing from the network"
else
	t_not_ok "--html: a self-contained page" "$(head -c 300 page.html)"
fi
browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
	t_skip "--html rendered by Chromium" "chromium is not installed"
else
	# root in CI: Chromium's sandbox needs an unprivileged user
	flags="--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run"
	timeout 120 "$browser" $flags --screenshot="$T_TMP/shot.png" \
	    --window-size=1200,2400 "file://$T_TMP/page.html" >/dev/null 2>&1
	if [ "$(head -c 4 shot.png 2>/dev/null | od -An -c | tr -d ' ')" = "211PNG" ] &&
	    [ "$(wc -c <shot.png)" -gt 20000 ]; then
		t_ok "--html: Chromium renders the page to a PNG ($(wc -c <shot.png) bytes)"
	else
		t_not_ok "--html: Chromium renders the page" "$(ls -la shot.png 2>&1)"
	fi
	timeout 120 "$browser" $flags --dump-dom "file://$T_TMP/page.html" \
	    >dom.html 2>/dev/null
	checks dom dom.html
fi

mkdir good
cp world/in/r* good/
cp -r world/in/Maildir good/
run "$BIN/dmarc-report" --json good
expect "only good files: exit 0, nothing refused" 0
expect_json "only good files: no errors" "len(j['errors'])" 0

f=$(ls world/in/r*.xml.gz | head -1)
run sh -c "cat '$f' | '$BIN/dmarc-report' --json -"
expect "a gzip report on stdin" 0
expect_json "a gzip report on stdin: one report" "len(j['reports'])" 1

run "$BIN/dmarc-report" --json world/in/none.xml
expect "a missing file: exit 2" 2
expect_json "a missing file: named in errors" "j['errors'][0]['file']" \
    world/in/none.xml

run "$BIN/dmarc-report" --json --csv world/in
expect "--json with --csv: usage" 2
run "$BIN/dmarc-report"
expect "no file: usage" 2
run "$BIN/dmarc-report" --help
expect "--help" 0 '--csv'
run "$BIN/dmarc-report" --version
expect "--version" 0 'dmarc-report'
run "$BIN/dmarc-report" -h
expect "-h" 0 '--json'
run "$BIN/dmarc-report" -V
expect "-V" 0 'dmarc-report'
t_done
