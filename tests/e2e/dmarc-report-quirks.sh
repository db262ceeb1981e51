#!/usr/bin/env bash
# Reports as reporters really send them: each in the shape one reporter
# sends (Google, Microsoft, Yahoo, Mimecast, a small ISP), two with the
# quirks real ones have (an empty <org_name>; a Latin-1 reporter name in a
# document that does not declare Latin-1).  Every report is read and
# counted; the odd ones carry a note in text, JSON and CSV.  Hostile ones
# (entities, bombs, nesting) stay refused: tests/e2e/dmarc-report.sh.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir in

row() {	# IP COUNT DKIM SPF: one <record> for example.com
	cat <<R
  <record>
    <row><source_ip>$1</source_ip><count>$2</count>
      <policy_evaluated><disposition>none</disposition><dkim>$3</dkim><spf>$4</spf></policy_evaluated></row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results><dkim><domain>example.com</domain><selector>s1</selector><result>$3</result></dkim>
      <spf><domain>example.com</domain><result>$4</result></spf></auth_results>
  </record>
R
}

# Google: a gzip file, extra_contact_info, np=
{ printf '<?xml version="1.0" encoding="UTF-8" ?>\n<feedback>\n'
  printf '  <report_metadata>\n    <org_name>google.com</org_name>\n    <email>noreply-dmarc-support@google.com</email>\n'
  printf '    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>\n'
  printf '    <report_id>12183498736400188452</report_id>\n    <date_range><begin>1764633600</begin><end>1764719999</end></date_range>\n  </report_metadata>\n'
  printf '  <policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct><np>none</np></policy_published>\n'
  row 209.85.220.41 11 pass pass; printf '</feedback>\n'; } | gzip >in/google.com!example.com!1764633600!1764719999.xml.gz
# Microsoft: namespaces, <version>, envelope_to
{ printf '<?xml version="1.0"?>\n<feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
  printf '  <version>1.0</version>\n  <report_metadata>\n    <org_name>Outlook.com</org_name>\n    <email>dmarcreport@microsoft.com</email>\n'
  printf '    <report_id>a4d1c1b0e2f34c5aa1d0c3b2e1f0a9b8</report_id>\n    <date_range><begin>1764633600</begin><end>1764720000</end></date_range>\n  </report_metadata>\n'
  printf '  <policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct><fo>0</fo></policy_published>\n'
  row 40.107.22.61 5 fail pass; printf '</feedback>\n'; } >in/enterprise.protection.outlook.com!example.com!1764633600!1764720000.xml
# Yahoo
{ printf '<?xml version="1.0"?>\n<feedback>\n  <report_metadata>\n    <org_name>Yahoo</org_name>\n    <email>dmarchelp@yahooinc.com</email>\n'
  printf '    <report_id>1764720000.598145</report_id>\n    <date_range><begin>1764633600</begin><end>1764719999</end></date_range>\n  </report_metadata>\n'
  printf '  <policy_published><domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><pct>100</pct></policy_published>\n'
  row 203.0.113.77 3 fail fail; printf '</feedback>\n'; } >in/yahoo.xml
# Mimecast: an empty <org_name/> and a contact URL
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<feedback>\n  <report_metadata>\n    <org_name/>\n    <email></email>\n'
  printf '    <extra_contact_info>https://www.mimecast.com/dmarc</extra_contact_info>\n'
  printf '    <report_id>mc-8843d1f2</report_id>\n    <date_range><begin>1764633600</begin><end>1764719999</end></date_range>\n  </report_metadata>\n'
  printf '  <policy_published><domain>example.com</domain><p>none</p></policy_published>\n'
  row 198.51.100.12 7 pass fail; printf '</feedback>\n'; } >in/mimecast.xml
# a small ISP: <org_name></org_name>, the domain from <email>
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<feedback>\n  <report_metadata>\n    <org_name></org_name>\n    <email>dmarc-noreply@mail.smallisp.example</email>\n'
  printf '    <report_id>smallisp-20261202</report_id>\n    <date_range><begin>1764633600</begin><end>1764719999</end></date_range>\n  </report_metadata>\n'
  printf '  <policy_published><domain>example.com</domain><p>none</p></policy_published>\n'
  row 192.0.2.33 2 pass pass; printf '</feedback>\n'; } >in/smallisp.xml
# a university: its name in Latin-1 (0xe4, 0xfc) under no declared encoding
{ printf '<?xml version="1.0"?>\n<feedback>\n  <report_metadata>\n    <org_name>Universit\344t Beispielst\374dt</org_name>\n    <email>postmaster@uni.example</email>\n'
  printf '    <report_id>uni-42</report_id>\n    <date_range><begin>1764633600</begin><end>1764719999</end></date_range>\n  </report_metadata>\n'
  printf '  <policy_published><domain>example.com</domain><p>none</p></policy_published>\n'
  row 192.0.2.44 4 pass pass; printf '</feedback>\n'; } >in/uni.xml
# the same bytes declared ISO-8859-1: converted, nothing to note
sed 's/<?xml version="1.0"?>/<?xml version="1.0" encoding="ISO-8859-1"?>/; s/uni-42/uni-43/' in/uni.xml >in/uni-declared.xml

run "$BIN/dmarc-report" --json in
expect "all seven reports read: exit 0" 0
expect_json "every message counted (11+5+3+7+2+4+4)" 'j["domains"][0]["messages"]' 36
expect_json "seven reports" 'len(j["reports"])' 7
expect_json "nothing refused" 'len(j["errors"])' 0
expect_json "the empty <org_name/>: named from <extra_contact_info>'s host, with a note" \
    '[(r["org_name"], "org_name" in r["note"]) for r in j["reports"] if r["report_id"] == "mc-8843d1f2"]' \
    "[('www.mimecast.com', True)]"
expect_json "the empty <org_name></org_name>: named from <email>'s domain" \
    '[r["org_name"] for r in j["reports"] if r["report_id"] == "smallisp-20261202"]' "['mail.smallisp.example']"
expect_json "Latin-1 bytes under no declared encoding: U+FFFD, with a note" \
    'ascii([(r["org_name"], r["note"]) for r in j["reports"] if r["report_id"] == "uni-42"])' \
    "[('Universit\\ufffdt Beispielst\\ufffddt', '2 bytes were not UTF-8, read as U+FFFD')]"
expect_json "declared ISO-8859-1: converted, no note" \
    '[(r["org_name"], r["note"]) for r in j["reports"] if r["report_id"] == "uni-43"]' \
    "[('Universität Beispielstüdt', None)]"
expect_json "the reporters' own reports carry no note" \
    'sorted(r["org_name"] for r in j["reports"] if r["note"] is None)' \
    "['Outlook.com', 'Universität Beispielstüdt', 'Yahoo', 'google.com']"
expect_json "the reporters bucket: the derived names count" \
    'ascii(sorted(b["org_name"] for b in j["domains"][0]["reporters"]))' \
    "['Outlook.com', 'Universit\\xe4t Beispielst\\xfcdt', 'Universit\\ufffdt Beispielst\\ufffddt', 'Yahoo', 'google.com', 'mail.smallisp.example', 'www.mimecast.com']"

run "$BIN/dmarc-report" in
expect "text: read and noted" 0 '^example.com: 36 messages in 7 reports' '^notes \(read, and counted\):' \
    'mimecast.xml: www.mimecast.com mc-8843d1f2: <org_name> is empty' \
    'uni.xml: Universit.+ uni-42: 2 bytes were not UTF-8'
run "$BIN/dmarc-report" --csv in
expect "CSV: a notes column" 0 ',spf_results,notes$' ',"<org_name> is empty: the reporter is named mail.smallisp.example, from <email>.s domain"$'
n=$(printf '%s\n' "$OUT" | grep -c '^')
[ "$n" = 8 ] && t_ok "CSV: a header and a row a report" || t_not_ok "CSV rows" "$n lines"

# a report that cannot name anything: still read, as "unknown"
sed 's|<email>dmarc-noreply@mail.smallisp.example</email>|<email/>|; s/smallisp-20261202/anon-1/' in/smallisp.xml >anon.xml
run "$BIN/dmarc-report" --json anon.xml
expect_json "no name anywhere: read, the reporter \"unknown\"" '(j["reports"][0]["org_name"], j["domains"][0]["messages"])' "('unknown', 2)"
t_done
