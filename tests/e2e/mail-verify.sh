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
