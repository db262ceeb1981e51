#!/usr/bin/env bash
# spf-flatten --update: RFC 2136 updates signed with TSIG, applied by a
# real Knot DNS on loopback and read back with queries.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
command -v knotd >/dev/null || { t_skip "knotd" "Knot DNS is not installed"; t_done; exit; }
mkdir -p zones
SECRET=$(head -c 32 /dev/urandom | base64)
cat >zones/example.test.zone <<'Z'
$ORIGIN example.test.
$TTL 300
@ SOA ns host 1 3600 600 86400 300
@ NS ns
ns A 127.0.0.1
@ TXT "v=spf1 -all"
@ TXT "site-verification=abc"
Z
printf 'key "upd" {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$SECRET" >upd.key
knot_start example.test "$SECRET" || { t_not_ok "knotd starts"; t_done; exit; }
K="--server 127.0.0.1@$KNOT_PORT"
long="v=spf1 $(for i in $(seq 0 2 60); do printf 'ip4:85.21.%d.0/24 ' "$i"; done)-all"
serial() { "$BIN/spf-eval" $K --ip 127.0.0.1 --sender x@example.test >/dev/null; drill -Q -p "$KNOT_PORT" @127.0.0.1 SOA example.test | awk '{print $3}'; }
txt() { drill -Q -p "$KNOT_PORT" @127.0.0.1 TXT "$1" | sort; }

run "$BIN/spf-flatten" --offline --record "$long" --update "127.0.0.1@$KNOT_PORT" --tsig-key upd.key example.test
expect "the first update is sent" 0 '^spf-flatten: example.test: 3 records sent to 127.0.0.1@[0-9]+ as an update of example.test$'
run "$BIN/spf-lint" $K example.test
expect "read back: the published tree lints clean" 0 '^lookups 2/10, void 0/2$' \
    '^\|-- 1 include:_spf1.example.test \(24 ip4/ip6\)$' '^`-- 2 include:_spf2.example.test \(7 ip4/ip6\)$'
txt example.test | grep -q '"site-verification=abc"' && t_ok "the domain's other TXT record is left alone" ||
    t_not_ok "the domain's other TXT record is left alone" "$(txt example.test)"
[ "$(txt example.test | grep -c 'v=spf1')" = 1 ] && t_ok "one SPF record at the domain" || t_not_ok "one SPF record at the domain" "$(txt example.test)"
s1=$(serial)
run "$BIN/spf-flatten" --offline --record "$long" --update "127.0.0.1@$KNOT_PORT" --tsig "upd:hmac-sha256:$SECRET" example.test
expect "unchanged: exit 0" 0
[ -z "$OUT" ] && [ "$(serial)" = "$s1" ] && t_ok "unchanged: nothing sent (serial $s1 stays)" ||
    t_not_ok "unchanged: nothing sent" "$OUT" "serial $(serial) was $s1"
run "$BIN/spf-flatten" --offline --record "v=spf1 ip4:85.1.2.0/24 ~all" --update "127.0.0.1@$KNOT_PORT" --tsig "upd:hmac-sha256:$SECRET" example.test
expect "a smaller result is sent" 0 '1 record sent'
[ "$(txt example.test | grep 'v=spf1')" = '"v=spf1 ip4:85.1.2.0/24 ~all"' ] &&
    t_ok "read back: the new record" || t_not_ok "read back: the new record" "$(txt example.test)"
[ -z "$(txt _spf1.example.test)$(txt _spf2.example.test)" ] && t_ok "the records it owned and no longer needs are gone" ||
    t_not_ok "the records it owned and no longer needs are gone" "$(txt _spf1.example.test)"
s2=$(serial)
run "$BIN/spf-flatten" --offline --record "$long" --update "127.0.0.1@$KNOT_PORT" --tsig "upd:hmac-sha256:$(head -c 32 /dev/urandom | base64)" example.test
expect "a wrong key: exit 3" 3
[ "$(serial)" = "$s2" ] && t_ok "a refused update changes nothing" || t_not_ok "a refused update changes nothing"
printf '%s' "$ERR" | grep -q 'TSIG' && t_ok "and says why" || t_not_ok "and says why" "$ERR"
run "$BIN/spf-flatten" --offline --record "$long" --update "127.0.0.1@$KNOT_PORT" example.test
expect "unsigned: refused by the server, exit 3" 3
run "$BIN/spf-flatten" --offline --record "$long" --timeout 300 --retries 0 --update 127.0.0.1@1 --tsig-key upd.key example.test
expect "no primary: exit 3" 3
run "$BIN/spf-flatten" --offline --record "$long" --tsig-key nothere.key --update 127.0.0.1@1 example.test
expect "a missing key file: exit 2" 2
run "$BIN/spf-flatten" --offline --record "$long" --tsig upd:md6:abc --update 127.0.0.1@1 example.test
expect "an unknown algorithm: exit 2" 2
t_done
