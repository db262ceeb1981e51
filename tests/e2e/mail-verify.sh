#!/usr/bin/env bash
# dkim-sign and mail-verify against NSD, with dkimpy (python3-dkim,
# Debian) as the independent peer (tests/dkim_peer.py): what dkim-sign
# writes verifies in dkimpy, what dkimpy signs verifies here (RSA and
# Ed25519, relaxed and simple), tampered copies fail in both; SPF for the
# client given or found in Received:, DMARC alignment and disposition.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
/usr/bin/python3 -c 'import dkim' 2>/dev/null ||
    { t_skip "mail-verify against dkimpy" "python3-dkim is not installed (tests/deps.sh check)"; t_done; exit; }
mkdir -p zones
P=$T_LIB/dkim_peer.py
"$BIN/dkim-gen" --selector rs --key-out rs.pem mv.test >rs.rec
"$BIN/dkim-gen" --selector ed --type ed25519 --key-out ed.pem mv.test >ed.rec
"$BIN/dkim-gen" --selector small --bits 1024 --key-out small.pem mv.test >small.rec 2>/dev/null
openssl pkey -in ed.pem -outform DER | tail -c 32 | base64 >ed.raw
{
	printf '$ORIGIN test.\n$TTL 300\n@ SOA ns.test. host.test. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	grep -h '^[a-z]' rs.rec ed.rec small.rec
	echo 'mv TXT "v=spf1 ip4:192.0.2.0/24 -all"'
	echo '_dmarc.mv TXT "v=DMARC1; p=reject; adkim=r; aspf=r"'
	echo 'gone._domainkey.mv TXT "v=DKIM1; p="'
	echo 'sub.mv TXT "v=spf1 ip4:198.51.100.0/24 -all"'
	echo 'other TXT "v=spf1 ip4:203.0.113.0/24 -all"'
	echo 'hop.mv TXT "v=spf1 ip4:127.0.0.1 -all"'
	# Organizational Domains (RFC 9989 4.10.2): the same key under
	# several d= names
	for d in org1 y.cust.psd other.psd b y.a.b; do
		sed -n "s/^rs\._domainkey\.mv\.test\. /rs._domainkey.$d.test. /p" rs.rec
	done
	echo '_dmarc.sub.org1 TXT "v=DMARC1; p=reject"'
	echo '_dmarc.org1 TXT "v=DMARC1; p=none"'
	echo '_dmarc.psd TXT "v=DMARC1; p=reject; psd=y"'
	echo '_dmarc.a.b TXT "v=DMARC1; p=reject; psd=n"'
	echo '_dmarc.b TXT "v=DMARC1; p=none"'
} >zones/test.zone
cp zones/test.zone z.zone
nsd_start test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"
printf 'Return-Path: <bounce@sub.mv.test>\nReceived: from mail.sub.mv.test (mail.sub.mv.test [198.51.100.7])\n\tby mx.example.org (Postfix) with ESMTPS id 4F2;\n\tThu, 3 Dec 2026 18:00:00 +0000\nFrom: Alice <alice@mv.test>\nTo: bob@example.org\nSubject: the   quarterly  report\nDate: Thu, 03 Dec 2026 18:00:00 +0000\nMessage-ID: <1@mv.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHello,  Bob  \n\nThe figures.\n\n\n' >msg.eml

# dkim-sign's signatures in dkimpy, and here
for k in rs ed; do
	for c in relaxed/relaxed simple/simple relaxed/simple; do
		"$BIN/dkim-sign" --key $k.pem --domain mv.test --selector $k --canon $c msg.eml >s.eml
		got=$(/usr/bin/python3 "$P" verify z.zone s.eml)
		run "$BIN/mail-verify" $S s.eml
		if [ "$got" = pass ] && printf '%s\n' "$OUT" | grep -q "^dkim=pass d=mv.test s=$k "; then
			t_ok "dkim-sign $k $c: dkimpy and mail-verify pass it"
		else
			t_not_ok "dkim-sign $k $c" "dkimpy: $got" "$OUT"
		fi
	done
done
# dkimpy's signatures here
for c in relaxed simple; do
	/usr/bin/python3 "$P" sign rs.pem mv.test rs msg.eml $c >p.eml
	run "$BIN/mail-verify" $S p.eml
	expect "dkimpy rsa-sha256 $c/$c: pass here" 0 '^dkim=pass d=mv.test s=rs a=rsa-sha256'
done
/usr/bin/python3 "$P" sign ed.raw mv.test ed msg.eml relaxed >p.eml
run "$BIN/mail-verify" $S p.eml
expect "dkimpy ed25519-sha256: pass here" 0 '^dkim=pass d=mv.test s=ed a=ed25519-sha256'

# Signatures made elsewhere, read from dkimpy's installed test data (not
# copied here): RFC 8463 Appendix A's message with its Ed25519 and RSA
# signatures over the same text, and the Ed25519 signature of Exim's
# prototype.  The brisbane key is RFC 8463 A.2's (RFC 8032 7.1 test 1).
DK=$(/usr/bin/python3 -c 'import dkim, os; print(os.path.dirname(dkim.__file__))')/tests/data
if [ -r "$DK/rfc6376.signed.msg" ] && [ -r "$DK/test.txt" ] && [ -r "$DK/eximtest.dns" ]; then
	{
		printf '$ORIGIN example.com.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
		echo 'brisbane._domainkey.football TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="'
		printf 'test._domainkey.football TXT "%s"\n' "$(cat "$DK/test.txt")"
		echo '_dmarc.football TXT "v=DMARC1; p=reject"'
	} >rfc.zone
	{
		printf '$ORIGIN test.ex.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
		printf 'sed._domainkey TXT "%s"\n' "$(cat "$DK/eximtest.dns")"
	} >exim.zone
	printf '$ORIGIN com.\n$TTL 300\n@ SOA ns.test. host.test. 1 3600 600 86400 300\n@ NS ns.test.\n' >com.zone
	run "$BIN/mail-verify" --offline --zone rfc.zone "$DK/rfc6376.signed.msg"
	expect "RFC 8463 Appendix A: the Ed25519 and the RSA signature pass" 0 \
	    '^dkim=pass d=football.example.com s=brisbane a=ed25519-sha256' \
	    '^dkim=pass d=football.example.com s=test a=rsa-sha256 \(weak\)' \
	    '^dmarc=pass header.from=football.example.com p=reject'
	sed 's/^We lost the game\./We won the game./' "$DK/rfc6376.signed.msg" >rfc-body.eml
	sed 's/^Subject: Is dinner ready?/Subject: Is lunch ready?/' "$DK/rfc6376.signed.msg" >rfc-subj.eml
	run "$BIN/mail-verify" --offline --zone rfc.zone rfc-body.eml
	expect "RFC 8463 Appendix A, body changed: both fail on the body hash" 0 \
	    '^dkim=fail d=football.example.com s=brisbane .*: the body hash does not match' \
	    '^dkim=fail d=football.example.com s=test .*: the body hash does not match' \
	    '^dmarc=fail '
	run "$BIN/mail-verify" --offline --zone rfc.zone rfc-subj.eml
	expect "RFC 8463 Appendix A, Subject changed: both signatures fail" 0 \
	    '^dkim=fail d=football.example.com s=brisbane .*: the signature does not verify' \
	    '^dkim=fail d=football.example.com s=test .*: the signature does not verify'
	run "$BIN/mail-verify" --offline --zone exim.zone --zone com.zone "$DK/ed25519test2.msg"
	expect "Exim's Ed25519 signature (relaxed/relaxed, h= naming absent fields) passes" 0 \
	    '^dkim=pass d=test.ex s=sed a=ed25519-sha256' '^dmarc=none header.from=example.com'
else
	t_skip "RFC 8463 Appendix A and Exim's signature" "dkimpy's test data is not at $DK"
fi

# tampered copies fail in both, each for its reason
"$BIN/dkim-sign" --key rs.pem --domain mv.test --selector rs msg.eml >good.eml
sed 's/The figures\./The figures, changed./' good.eml >body.eml
sed 's/^Subject: the   quarterly  report/Subject: the annual report/' good.eml >subj.eml
sed 's/^From: Alice <alice@mv.test>/From: Alice <alice@mv.test>\nFrom: Eve <eve@other.test>/' good.eml >from.eml
sed 's/^To: bob@example.org/To: bob@example.org\nTo: carol@example.org/' good.eml >to.eml
for t in body:'the body hash does not match' subj:'the signature does not verify' \
    to:'the signature does not verify'; do
	f=${t%%:*} why=${t#*:}
	got=$(/usr/bin/python3 "$P" verify z.zone "$f.eml")
	run "$BIN/mail-verify" $S "$f.eml"
	if [ "$got" = fail ] && printf '%s\n' "$OUT" | grep -q "^dkim=fail .*: $why"; then
		t_ok "tampered ($f): both fail, here: $why"
	else
		t_not_ok "tampered ($f)" "dkimpy: $got" "$OUT"
	fi
done
got=$(/usr/bin/python3 "$P" verify z.zone from.eml)
run "$BIN/mail-verify" $S from.eml
expect "an added From: the signature fails (From is over-signed), DMARC is permerror" 0 \
    '^dkim=fail ' '^dmarc=permerror header.from=-: several From fields'
[ "$got" = fail ] && t_ok "dkimpy fails it too" || t_not_ok "dkimpy on the added From" "$got"

# SPF, DMARC alignment, disposition
run "$BIN/mail-verify" $S --ip 192.0.2.9 --sender a@mv.test msg.eml
expect "no signature, SPF pass for the From domain: DMARC pass" 0 \
    '^dkim=none' '^spf=pass smtp.mailfrom=mv.test \(client 192.0.2.9' '^dmarc=pass header.from=mv.test p=reject'
run "$BIN/mail-verify" $S --ip 203.0.113.9 --sender a@other.test msg.eml
expect "SPF pass for an unaligned domain: DMARC fail, disposition reject" 0 \
    '^spf=pass smtp.mailfrom=other.test' '^dmarc=fail header.from=mv.test p=reject .*disposition reject'
run "$BIN/mail-verify" $S --received-by mx.example.org msg.eml
expect "--received-by: the client, HELO and Return-Path of that hop; relaxed alignment of a subdomain" 0 \
    '^spf=pass smtp.mailfrom=sub.mv.test \(client 198.51.100.7, helo mail.sub.mv.test\)' '^dmarc=pass'
"$BIN/dkim-sign" --key small.pem --domain mv.test --selector small msg.eml >small.eml
run "$BIN/mail-verify" $S --json small.eml
expect_json "a 1024-bit key passes, reported weak" "(j['dkim'][0]['result'], j['dkim'][0]['weak'])" "('pass', True)"
"$BIN/dkim-sign" --key rs.pem --domain mv.test --selector gone msg.eml >gone.eml
run "$BIN/mail-verify" $S gone.eml
expect "a revoked key: permerror" 0 '^dkim=permerror .*revoked'
"$BIN/dkim-sign" --key rs.pem --domain mv.test --selector ed msg.eml >wrongkey.eml
run "$BIN/mail-verify" $S wrongkey.eml
expect "a signature whose selector holds another type of key: permerror" 0 '^dkim=permerror .*not of the signature'
"$BIN/dkim-sign" --key rs.pem --domain mv.test --selector rs --headers to:subject msg.eml >nofrom.eml
run "$BIN/mail-verify" $S nofrom.eml
expect "h= without From: permerror (RFC 6376 5.4)" 0 '^dkim=permerror .*h= does not sign From'
run "$BIN/mail-verify" $S --json --ip 192.0.2.9 --helo mail.mv.test good.eml
expect_json "--json: an SPF fail for the Return-Path's domain, DMARC passed by the aligned DKIM" \
    "(j['dkim'][0]['result'], j['dkim'][0]['aligned'], j['spf']['result'], j['spf']['domain'], j['dmarc']['result'], j['dmarc']['disposition'], j['arc']['result'])" \
    "('pass', True, 'fail', 'sub.mv.test', 'pass', 'none', 'none')"
run "$BIN/mail-verify" $S --header --authserv-id mx.example.org --ip 192.0.2.9 good.eml
expect "--header: one Authentication-Results field (RFC 8601)" 0 \
    '^Authentication-Results: mx.example.org;' 'dkim=pass header.d=mv.test header.s=rs header.a=rsa-sha256' 'dmarc=pass header.from=mv.test'
run "$BIN/mail-verify" --server 127.0.0.1@1 --timeout 200 --retries 0 --deadline 3000 good.eml
expect "DNS fails: temperror, exit 3" 3 '^dkim=temperror'
printf 'not a header\n\nbody\n' >bad.eml
run "$BIN/mail-verify" $S bad.eml
expect "a message that is no RFC 5322 header: exit 2" 2
run "$BIN/mail-verify" $S --offline --zone zones/test.zone - <good.eml
expect "- and --offline --zone: stdin, keys from the zone file" 0 '^dkim=pass'
# ARC (RFC 8617): dkimpy seals two hops; a changed field after sealing
# and a changed older seal fail here as in dkimpy
printf 'Authentication-Results: mx.mv.test; spf=pass smtp.mailfrom=mv.test\n' | cat - msg.eml >hop1.txt
/usr/bin/python3 "$P" arc-sign rs.pem mv.test rs mx.mv.test hop1.txt >hop1.eml
printf 'Authentication-Results: relay.mv.test; arc=pass\n' | cat - hop1.eml >hop2.txt
/usr/bin/python3 "$P" arc-sign rs.pem mv.test rs relay.mv.test hop2.txt >arc.eml
sed 's/^Subject: the   quarterly  report/Subject: changed/' arc.eml >arc-field.eml
sed 's/^\(ARC-Seal: i=1; cv=none\)/\1 /' arc.eml >arc-seal.eml
for t in arc:pass:'2 ARC sets, each seal verified' \
    arc-field:fail:'ARC-Message-Signature i=2: the signature does not verify' \
    arc-seal:fail:'ARC-Seal i=2 does not verify'; do
	f=${t%%:*} rest=${t#*:} want=${rest%%:*} why=${rest#*:}
	got=$(/usr/bin/python3 "$P" arc-verify z.zone "$f.eml" | cut -d' ' -f1)
	run "$BIN/mail-verify" $S "$f.eml"
	if [ "$got" = "$want" ] && printf '%s\n' "$OUT" | grep -q "^arc=$want: $why"; then
		t_ok "ARC $f: $want in dkimpy and here ($why)"
	else
		t_not_ok "ARC $f" "dkimpy: $got, want $want" "$OUT"
	fi
done
run "$BIN/mail-verify" $S --json arc.eml
expect_json "--json: arc's result and its sets" "(j['arc']['result'], j['arc']['sets'])" "('pass', 2)"

# --batch over a Maildir and --mbox: a JSON line a message, keys asked once
mkdir -p md/cur md/new md/tmp
cp good.eml md/cur/1.eml
cp body.eml md/new/2.eml
cp p.eml md/new/3.eml
cp bad.eml md/tmp/ignored 2>/dev/null || printf 'x\n' >md/tmp/ignored
run "$BIN/mail-verify" $S --batch md
expect "--batch over a Maildir: cur/ then new/, tmp/ not read" 0
python3 - "$OUT" <<'PY' && t_ok "a line each, with its file and result" || t_not_ok "--batch lines" "$OUT"
import json, sys
got = [(j["message"].split("/")[-1], j["dkim"][0]["result"]) for j in map(json.loads, sys.argv[1].splitlines())]
assert got == [("1.eml", "pass"), ("2.eml", "fail"), ("3.eml", "pass")], got
PY
printf '%s\n' "$ERR" | grep -q '^mail-verify: 3 messages in .*dkim pass 2, fail 1' &&
    t_ok "the summary on stderr" || t_not_ok "the batch summary" "$ERR"
{ echo "From a@mv.test Thu Dec  3 18:00:00 2026"; cat good.eml; echo "From b@mv.test Thu Dec  3 18:01:00 2026"; cat subj.eml; } >box.mbox
run "$BIN/mail-verify" $S --mbox box.mbox
expect "--mbox: each message its line" 0 '"message":"box.mbox:1"' '"message":"box.mbox:2"'
[ "$(printf '%s\n' "$OUT" | grep -c '"result":"fail"')" -ge 1 ] && t_ok "the tampered one fails" || t_not_ok "mbox results" "$OUT"
printf 'no mbox\n' >notmbox
run "$BIN/mail-verify" $S --mbox notmbox
expect "a file that is no mbox: exit 2" 2

# relaxed alignment by the Organizational Domain of each name, not by the
# name the policy was found at
org_case() {	# FROM D WANT
	sed "s/^From: Alice <alice@mv.test>/From: Alice <alice@$1>/" msg.eml >org.txt
	"$BIN/dkim-sign" --key rs.pem --domain "$2" --selector rs org.txt >org.eml
	run "$BIN/mail-verify" $S org.eml
}
org_case sub.org1.test org1.test
expect "From sub.org1.test (its own policy), d=org1.test: the same Organizational Domain, aligned" 0 \
    '^dkim=pass d=org1.test' '^dmarc=pass header.from=sub.org1.test p=reject \(at _dmarc.sub.org1.test\)'
org_case x.cust.psd.test y.cust.psd.test
expect "below a psd=y record: cust.psd.test is the organization, y.cust.psd.test aligned" 0 \
    '^dkim=pass d=y.cust.psd.test' '^dmarc=pass header.from=x.cust.psd.test p=reject \(at _dmarc.psd.test\)'
org_case x.cust.psd.test other.psd.test
expect "below a psd=y record: other.psd.test is another organization, not aligned" 0 \
    '^dkim=pass d=other.psd.test' '^dmarc=fail header.from=x.cust.psd.test p=reject .*disposition reject'
org_case x.a.b.test b.test
expect "a psd=n record at a.b.test: the organization is a.b.test, d=b.test not aligned" 0 \
    '^dkim=pass d=b.test' '^dmarc=fail header.from=x.a.b.test p=reject \(at _dmarc.a.b.test\)'
org_case x.a.b.test y.a.b.test
expect "a psd=n record at a.b.test: d=y.a.b.test aligned" 0 '^dmarc=pass header.from=x.a.b.test'

# A real hop: Debian's Postfix on loopback takes the signed message over
# SMTP from 127.0.0.1 (EHLO client.hop.mv.test, MAIL FROM a hop.mv.test
# address) and delivers it to a Maildir with its virtual(8) agent, which
# writes Return-Path:; the Received: is Postfix's own.  mail-verify
# --received-by reads the client, HELO and sender back from them.
if command -v postfix >/dev/null && [ "$(id -u)" = 0 ]; then
	PF_PORT=$(free_port)
	mkdir -p "$T_TMP/postfix/mail"
	chown nobody "$T_TMP/postfix/mail"
	POSTFIX_MAIN="virtual_mailbox_domains = example.org
virtual_mailbox_base = $T_TMP/postfix/mail
virtual_mailbox_maps = static:bob/
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
virtual_minimum_uid = 1" postfix_start "127.0.0.1:$PF_PORT inet n - n - - smtpd" ||
	    t_not_ok "postfix starts"
	/usr/bin/python3 - "$PF_PORT" good.eml <<'PY' || t_not_ok "the message sent to Postfix"
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="client.hop.mv.test", timeout=10)
s.sendmail("bounce@hop.mv.test", ["bob@example.org"], open(sys.argv[2], "rb").read())
s.quit()
PY
	for _ in $(seq 1 100); do
		[ -n "$(ls "$T_TMP/postfix/mail/bob/new" 2>/dev/null)" ] && break
		sleep 0.1
	done
	run "$BIN/mail-verify" $S --received-by mx.postfix.test --batch "$T_TMP/postfix/mail/bob"
	expect "through Postfix: DKIM still passes, SPF from its Received: and Return-Path:" 0 \
	    '"result":"pass","domain":"hop.mv.test","ip":"127.0.0.1","helo":"client.hop.mv.test"' \
	    '"dmarc":\{"result":"pass"'
	head -3 "$T_TMP"/postfix/mail/bob/new/* | grep -q '^Return-Path: <bounce@hop.mv.test>' &&
	    t_ok "the delivered copy begins with Postfix's Return-Path:" ||
	    t_not_ok "Postfix's delivery" "$(head -5 "$T_TMP"/postfix/mail/bob/new/* 2>&1)"
else
	t_skip "a real hop through Postfix" "postfix is not installed or not root (tests/deps.sh check)"
fi

printf 'From: a@mv.test\nDKIM-Signature: v=1; a=rsa-sha256; d=d\351.test; s=s; h=from; bh=x; b=y\n\nhi\n' >latin1.eml
run "$BIN/mail-verify" $S --json latin1.eml
expect_json "a Latin-1 byte in a signature: a permerror, and the JSON whole" "j['dkim'][0]['result']" "permerror"

run "$BIN/dkim-sign" --json --key ed.pem --domain mv.test --selector ed msg.eml
expect_json "dkim-sign --json: the field and the message" \
    "(j['d'], j['s'], j['signature'].startswith('DKIM-Signature: v=1; a=ed25519-sha256;'), j['message'].startswith(j['signature']))" \
    "('mv.test', 'ed', True, True)"
run "$BIN/dkim-sign" --key nothere.pem --domain mv.test --selector rs msg.eml
expect "dkim-sign: a key that cannot be read" 2
t_done
