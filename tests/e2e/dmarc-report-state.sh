#!/usr/bin/env bash
# dmarc-report --state --check from cron, against NSD: a Maildir that
# gains reports between runs (mail messages with gzipped reports, as
# reporters send them), a report delivered twice, a source that newly
# fails, a domain that becomes ready for its next stage, a corrupt state
# and a run while another holds the lock.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones mail/new mail/cur mail/tmp
{
	printf '$ORIGIN stage.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	echo '@ TXT "v=spf1 ip4:192.0.2.0/24 -all"'
	echo '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@stage.test"'
} >zones/stage.test.zone
nsd_start stage.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

# deliver ORG ID DAY ROW...: a report of ORG for day DAY (days after
# 2026-11-01) into the Maildir, as a mail message; ROW is IP:COUNT:RESULT
deliver() {
	/usr/bin/python3 - "$@" <<'P'
import gzip, sys, time
from email.message import EmailMessage
org, rid, day = sys.argv[1], sys.argv[2], int(sys.argv[3])
begin = 1793491200 + day * 86400          # 2026-11-01T00:00:00Z + day
rows = ""
for r in sys.argv[4:]:
    ip, count, res = r.split(":")
    rows += ("<record><row><source_ip>%s</source_ip><count>%s</count>"
             "<policy_evaluated><disposition>none</disposition><dkim>%s</dkim>"
             "<spf>%s</spf></policy_evaluated></row><identifiers>"
             "<header_from>stage.test</header_from></identifiers><auth_results>"
             "<spf><domain>stage.test</domain><result>%s</result></spf>"
             "</auth_results></record>" % (ip, count, res, res, res))
xml = ('<?xml version="1.0"?><feedback><report_metadata><org_name>%s</org_name>'
       "<email>noreply@%s</email><report_id>%s</report_id><date_range><begin>%d"
       "</begin><end>%d</end></date_range></report_metadata><policy_published>"
       "<domain>stage.test</domain><p>none</p></policy_published>%s</feedback>"
       % (org, org, rid, begin, begin + 86399, rows))
m = EmailMessage()
m["From"] = "noreply-dmarc@" + org
m["To"] = "dmarc@stage.test"
m["Subject"] = "Report Domain: stage.test Submitter: %s Report-ID: %s" % (org, rid)
m.set_content("DMARC aggregate report")
m.add_attachment(gzip.compress(xml.encode()), maintype="application",
                 subtype="gzip", filename="%s!stage.test!%d!%d.xml.gz"
                 % (org, begin, begin + 86399))
open("mail/new/%d.%s.%s" % (time.time_ns(), org, rid), "wb").write(bytes(m))
P
}
for d in $(seq 1 10); do
	rows="192.0.2.10:1000:pass"
	[ "$d" = 3 ] && rows="$rows 203.0.113.7:5:fail"
	deliver google.com "g$d" "$d" $rows
done
W() { run "$BIN/dmarc-report" $S --check --state state.json "$@" mail; }

W
expect "the first run: the source failing DMARC is news, exit 1" 1 \
    '^stage\.test: 203\.0\.113\.7 newly fails DMARC: 5 of 5 messages$' \
    'fix: '
expect_not "ten days of data: not ready, and not said" 'ready'
python3 - <<'P' && t_ok "the state holds each of the 10 reports once" || t_not_ok "the state's reports"
import json
j = json.load(open("state.json"))
assert j["format"] == "authzone-dmarc-report-state 1"
assert sorted(r[1] for r in j["reports"]) == sorted("g%d" % d for d in range(1, 11)), j["reports"]
d = j["domains"]["stage.test"]
assert len(d["days"]) == 10 and d["p"] == "none" and d["ready"] is False, d
assert list(d["failing"]) == ["203.0.113.7"], d["failing"]
P

W
expect "nothing new: no output, exit 0" 0
[ -z "$OUT" ] && t_ok "silent" || t_not_ok "silent" "$OUT"
cp mail/new/*.google.com.g4 mail/cur/again:2,S
W --json
expect "a report delivered twice counts once" 0
expect_json "every report counted before" \
    "(j['reports']['new'], j['reports']['counted_before'], j['domains'])" "(0, 11, [])"

# six more days from two reporters; the old failure again is not news
for d in $(seq 11 16); do
	rows="192.0.2.10:1000:pass"
	[ "$d" = 12 ] && rows="$rows 203.0.113.7:4:fail"
	deliver google.com "g$d" "$d" $rows
	deliver yahoo.com "y$d" "$d" "192.0.2.11:200:pass"
done
W
expect "sixteen days, 99.9 % passing: ready, with the next record, exit 0" 0 \
    '^stage\.test: ready for p=quarantine: reports on 16 of the last 30 days \(14 needed\), 99\.9 % of 17209 messages pass DMARC \(98\.0 % needed\)$' \
    '^    _dmarc\.stage\.test TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@stage\.test"$'
expect_not "a source seen failing before is not news" 'newly fails'
W
[ "$RC" = 0 ] && [ -z "$OUT" ] && t_ok "ready is said once, not every run" ||
    t_not_ok "ready said again" "exit $RC" "$OUT"

deliver google.com g17 17 192.0.2.10:1000:pass 198.51.100.9:30:fail
W --json
expect "a new failing source: exit 1" 1
expect_json "it is listed with why and the fix" \
    "[(s['ip'], s['dmarc_fail'], bool(s['why']), bool(s['fix'])) for s in j['domains'][0]['new_failing']]" \
    "[('198.51.100.9', 30, True, True)]"
expect_json "and the domain is not ready while it fails" \
    "(j['domains'][0]['ready'], j['domains'][0]['days'], j['domains'][0]['p'])" "(False, 17, 'none')"
deliver google.com g18 18 192.0.2.10:1000:pass
W
expect "fixed, the next report makes it ready again" 0 '^stage\.test: ready for p=quarantine: reports on 18 of'

cp state.json good
flock state.json.lock -c "\"$BIN/dmarc-report\" --state state.json mail >/dev/null 2>lock.err; echo \$? >lock.rc"
[ "$(cat lock.rc)" = 7 ] && grep -q 'another run holds state.json.lock' lock.err &&
    cmp -s state.json good && t_ok "another run holds the lock: exit 7, nothing written" ||
    t_not_ok "the lock" "$(cat lock.rc lock.err)"
head -c 200 good >state.json
cp state.json cut
run "$BIN/dmarc-report" --state state.json mail
if [ "$RC" = 2 ] && printf '%s\n' "$ERR" | grep -q 'state.json: not JSON' && cmp -s state.json cut; then
	t_ok "a state cut short is refused (exit 2), never taken for a first run, and left"
else
	t_not_ok "a state cut short" "exit $RC" "$ERR"
fi
echo '{"format": "authzone-spf-flatten-state 1"}' >state.json
run "$BIN/dmarc-report" --state state.json mail
expect "a foreign state file is refused" 2
printf '%s\n' "$ERR" | grep -q 'not a dmarc-report state file' && t_ok "and says so" ||
    t_not_ok "foreign state" "$ERR"
run "$BIN/dmarc-report" --state state.json --csv mail
expect "--state with --csv is a usage error" 2
t_done
