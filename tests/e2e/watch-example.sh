#!/usr/bin/env bash
# The watch job as a user sets it up (examples/authzone-watch.sh and its
# systemd units): the first night stores and mails that it did, an
# unchanged night mails nothing, a weakened DMARC policy and a report
# with a new failing source are mailed together; a refused baseline is
# the script's failure.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
WATCH=$T_LIB/../examples/authzone-watch.sh
mkdir -p zones bin state mail/new mail/cur mail/tmp
zone() {
	printf '$ORIGIN watch.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	printf '@ MX 10 mx\nmx A 192.0.2.25\n@ TXT "v=spf1 mx -all"\n'
	printf '_dmarc TXT "v=DMARC1; p=%s; rua=mailto:d@watch.test"\n' "$1"
}
zone reject >zones/watch.test.zone
nsd_start watch.test || { t_not_ok "nsd starts"; t_done; exit; }
# mail(1) as the script calls it: the subject and the body, kept
printf '#!/bin/sh\n{ echo "subject: $2 to: $3"; cat; } >>"%s/mailed"\n' "$T_TMP" >bin/mail
chmod +x bin/mail
echo watch.test >domains
night() {
	rm -f mailed
	WATCH_DOMAINS=domains WATCH_STATE=state WATCH_MAILDIR=mail \
	    WATCH_OPTIONS="--server 127.0.0.1@$NSD_PORT" \
	    WATCH_AUDIT_OPTIONS=--no-connect MAILTO=root \
	    PATH="$T_TMP/bin:$BIN:/usr/bin:/bin" run sh "$WATCH"
}
night
expect "the first night: exit 0" 0
grep -q 'a new baseline of 1 domain' mailed 2>/dev/null &&
    t_ok "and it mails that it stored the baseline" || t_not_ok "the first mail" "$(cat mailed 2>&1)"
night
expect "an unchanged night: exit 0" 0
[ ! -e mailed ] && [ -z "$OUT" ] && t_ok "and nothing is mailed" || t_not_ok "a mail on an unchanged night" "$(cat mailed)"

zone none >zones/watch.test.zone
nsd_stop
nsd_start watch.test || { t_not_ok "nsd starts again"; t_done; exit; }
python3 - <<'P'
import gzip
from email.message import EmailMessage
xml = ('<?xml version="1.0"?><feedback><report_metadata><org_name>google.com</org_name>'
       '<email>n@google.com</email><report_id>1</report_id><date_range><begin>1793577600'
       '</begin><end>1793663999</end></date_range></report_metadata><policy_published>'
       '<domain>watch.test</domain><p>none</p></policy_published><record><row>'
       '<source_ip>198.51.100.9</source_ip><count>7</count><policy_evaluated>'
       '<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated>'
       '</row><identifiers><header_from>watch.test</header_from></identifiers>'
       '<auth_results><spf><domain>watch.test</domain><result>fail</result></spf>'
       '</auth_results></record></feedback>')
m = EmailMessage()
m["From"], m["To"], m["Subject"] = "n@google.com", "d@watch.test", "Report Domain: watch.test"
m.set_content("report")
m.add_attachment(gzip.compress(xml.encode()), maintype="application", subtype="gzip",
                 filename="google.com!watch.test!1793577600!1793663999.xml.gz")
open("mail/new/1.report", "wb").write(bytes(m))
P
night
expect "a night with news: exit 0" 0
if grep -q '^subject: authzone: changes on .* to: root$' mailed &&
    grep -q '^worse   watch.test dmarc: policy weakened: reject -> none$' mailed &&
    grep -q '^watch.test: 198.51.100.9 newly fails DMARC: 7 of 7 messages$' mailed; then
	t_ok "one mail with the weakened policy and the new failing source"
else
	t_not_ok "the mail of changes" "$(cat mailed 2>&1)"
fi
echo garbage >state/audit.jsonl
night
expect "a refused baseline: the script exits 2" 2
grep -q 'not JSON\|not a mail-audit baseline' mailed && t_ok "and mails why" ||
    t_not_ok "the refusal mailed" "$(cat mailed 2>&1)"

units_verify authzone-watch "$WATCH"
t_done
