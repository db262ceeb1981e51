#!/usr/bin/env bash
# spf-gen and nomail-gen: every option, refused input (exit 2 and nothing
# on stdout), refused records (exit 1 unless --force), lookup counts from a
# real NSD, and snippets that NSD, BIND and Knot all load.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T_TMP/zones"
{
	printf '$ORIGIN prov.test.\n$TTL 300\n@ SOA ns host 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n'
	echo '_spf TXT "v=spf1 ip4:85.102.0.0/20 include:_nb.prov.test ~all"'
	echo '_nb TXT "v=spf1 ip4:85.103.0.0/16 -all"'
	echo '@ MX 10 mx1'
	echo '@ MX 20 mx2.prov.test.'
	echo 'why TXT "%{i} is not allowed"'
	echo 'parked MX 0 .'
} >"$T_TMP/zones/prov.test.zone"
nsd_start prov.test || { t_not_ok "nsd starts"; t_done; exit; }
S="--server 127.0.0.1@$NSD_PORT"

# checkzone NAME FILE-WITH-SNIPPET: every checker loads the snippet
checkzone() {
	z=$T_TMP/check.zone
	{
		printf '$ORIGIN %s.\n$TTL 3600\n@ SOA ns.%s. host.%s. 1 3600 600 86400 300\n@ NS ns.%s.\nns.%s. A 85.100.0.53\n' "$1" "$1" "$1" "$1" "$1"
		cat "$2"
	} >"$z"
	for c in "nsd-checkzone $1 $z" "named-checkzone -q $1 $z" "kzonecheck -o $1 $z"; do
		if out=$($c 2>&1); then t_ok "$3: ${c%% *} loads it"; else
			t_not_ok "$3: ${c%% *} loads it" "$out" "$(cat "$z")"; fi
	done
}

run "$BIN/spf-gen" --offline --null example.com
expect "--null is the null SPF" 0 '^example.com. 3600 IN TXT "v=spf1 -all"$' '^; lookups 0/10, void 0/2$'

run "$BIN/spf-gen" $S --ip4 85.1.2.0/24 --ip6 2a02:1::/32 --include _spf.prov.test --mx=mail.example.com --a --all '~' --ttl 600 example.com
expect "terms in order, lookups resolved through NSD" 0 \
    '^example.com. 600 IN TXT "v=spf1 ip4:85.1.2.0/24 ip6:2a02:1::/32 a mx:mail.example.com include:_spf.prov.test ~all"$' \
    '^; lookups at least 4/10, void at least 0/2 \(some names not resolved\)$'
printf '%s\n' "$OUT" >"$T_TMP/spf.snip"
checkzone example.com "$T_TMP/spf.snip" "spf-gen snippet"

run "$BIN/spf-gen" $S --exists '%{ir}._spf.prov.test' --exp why.prov.test --redirect _spf.prov.test prov.test
expect "--exists, --redirect and --exp (no all with redirect)" 0 \
    '^prov.test. 3600 IN TXT "v=spf1 exists:%\{ir\}._spf.prov.test redirect=_spf.prov.test exp=why.prov.test"$' \
    '^; lookups 3/10, void 0/2$'
run "$BIN/mtasts-gen" $S --format json prov.test
expect_json "mtasts-gen takes the MX hosts from DNS" 'j["policy"].split("\r\n")[2:4]' "['mx: mx1.prov.test', 'mx: mx2.prov.test']"
run "$BIN/spf-gen" $S --include _spf.prov.test --format txt example.com
expect "--format txt is the value alone" 0 '^v=spf1 include:_spf.prov.test -all$'
expect_not "--format txt has no zone syntax" 'IN TXT'
run "$BIN/spf-gen" $S --include _spf.prov.test --json example.com
expect "--json" 0
expect_json "json record and lookups" '(j["record"], j["lookups"], j["complete"])' "('v=spf1 include:_spf.prov.test -all', 2, True)"
expect_json "json records" 'j["records"][0]["rdata"]' '"v=spf1 include:_spf.prov.test -all"'

args=""
for i in $(seq 1 40); do args="$args --ip4 85.1.$i.0/24"; done
run "$BIN/spf-gen" --offline $args example.com
expect "a long record is split into strings of 255" 0 'IN TXT "v=spf1 ip4:85.1.1.0/24 .*" ".*"$'
printf '%s\n' "$OUT" >"$T_TMP/long.snip"
checkzone example.com "$T_TMP/long.snip" "a 700-byte record"
if printf '%s' "$ERR" | grep -q 'spf-record-too-long'; then t_ok "over 450 bytes: a warning on stderr"; else t_not_ok "over 450 bytes: a warning on stderr" "$ERR"; fi

for bad in "--ip4 85.1.2.300" "--ip4 85.1.2.0/33" "--ip6 2a02::/129" "--include foo" \
    "--a=mail..example.com" "--exists %{x}.example.com" "--all x" "--ttl -1" \
    "--format yaml" "--null --ip4 85.1.2.3"; do
	run "$BIN/spf-gen" --offline $bad example.com
	expect "refused: $bad (exit 2)" 2
	[ -z "$OUT" ] && t_ok "refused: $bad prints nothing" || t_not_ok "refused: $bad prints nothing" "$OUT"
done
run "$BIN/spf-gen" --offline example.com
expect "nothing to build: refused, exit 2" 2
printf '%s' "$ERR" | grep -q 'nothing to authorize.*--null' && t_ok "and says to give terms or --null" || t_not_ok "and says to give terms or --null" "$ERR"
run "$BIN/spf-gen" --offline --all - example.com
expect "--all - alone is the null record: refused without --null" 2
run "$BIN/spf-gen" --offline --all '~' example.com
expect "--all ~ alone says something: printed" 0 'IN TXT "v=spf1 ~all"'
run "$BIN/spf-gen" --offline --all + example.com
expect "+all is refused (exit 1)" 1
[ -z "$OUT" ] && t_ok "+all: nothing printed" || t_not_ok "+all: nothing printed" "$OUT"
run "$BIN/spf-gen" --offline --all + --force example.com
expect "--force prints it anyway, still exit 1" 1 'IN TXT "v=spf1 \+all"'

run "$BIN/nomail-gen" --offline --rua mailto:dmarc@example.net --ttl 86400 parked.example.com
expect "nomail-gen: the four records, and the authorization the report domain publishes" 0 \
    '^parked.example.com. 86400 IN TXT "v=spf1 -all"$' \
    '^parked.example.com. 86400 IN MX 0 .$' \
    '^_dmarc.parked.example.com. 86400 IN TXT "v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.net"$' \
    '^\*._domainkey.parked.example.com. 86400 IN TXT "v=DKIM1; p="$' \
    '^parked.example.com._report._dmarc.example.net. 86400 IN TXT "v=DMARC1;"$'
auth=$(printf '%s\n' "$OUT" | grep -B1 '_report._dmarc')
dg=$("$BIN/dmarc-gen" --p reject --sp reject --np reject --rua mailto:dmarc@example.net --ttl 86400 parked.example.com | grep -B1 '_report._dmarc')
[ "$auth" = "$dg" ] && t_ok "the authorization record is exactly dmarc-gen's" || t_not_ok "the authorization record is exactly dmarc-gen's" "$auth" "$dg"
printf '%s\n' "$OUT" | grep -v '_report._dmarc' >"$T_TMP/nomail.snip"
checkzone parked.example.com "$T_TMP/nomail.snip" "nomail-gen snippet"
"$BIN/spf-lint" --offline --zone "$T_TMP/check.zone" parked.example.com >/dev/null
[ $? = 0 ] && t_ok "spf-lint passes the null SPF it made" || t_not_ok "spf-lint passes the null SPF it made"
run "$BIN/nomail-gen" --offline --sp quarantine --np none parked.example.com
expect "--sp and --np" 0 'p=reject; sp=quarantine; np=none"$'
run "$BIN/nomail-gen" --offline --rua http://example.net/ parked.example.com
expect "a non-https report URI is refused" 2
run "$BIN/nomail-gen" --offline --sp maybe parked.example.com
expect "a bad policy is refused" 2

# a domain about to be declared mail-less must not take mail now
run "$BIN/nomail-gen" $S prov.test
expect "nomail-gen: a domain with live MX hosts still gets its set" 0 '^prov.test. 3600 IN MX 0 .$'
printf '%s' "$ERR" | grep -q 'warning: prov.test: parked-live-mx: prov.test has mail hosts (mx1.prov.test, mx2.prov.test): the null MX would stop the mail they take' &&
    t_ok "and a warning names the domain and its hosts" || t_not_ok "and a warning names the domain and its hosts" "$ERR"
run "$BIN/nomail-gen" $S --strict prov.test
expect "with --strict that warning stops it (exit 1, nothing printed)" 1
[ -z "$OUT" ] && t_ok "--strict: nothing printed" || t_not_ok "--strict: nothing printed" "$OUT"
run "$BIN/nomail-gen" $S parked.prov.test nothere.prov.test
expect "no warning for the null MX or no MX" 0
printf '%s' "$ERR" | grep -q 'parked-live-mx' && t_not_ok "no parked-live-mx" "$ERR" || t_ok "no parked-live-mx"
run "$BIN/nomail-gen" --server 127.0.0.1@1 --timeout 200 --retries 0 gone.test
expect "an MX lookup that fails: the set, with a warning" 0 'gone.test. 3600 IN MX 0 .'
printf '%s' "$ERR" | grep -q 'warning: gone.test: parked-mx-unchecked' && t_ok "parked-mx-unchecked names the domain" || t_not_ok "parked-mx-unchecked names the domain" "$ERR"

cat >"$T_TMP/db.site.test" <<'Z'
$ORIGIN site.test.
@ SOA ns host 1 3600 600 86400 300
@ NS ns
@ A 85.100.0.80
@ MX 10 mail
@ TXT "v=spf1 mx -all"
mail A 85.100.0.25
www A 85.100.0.80
shop AAAA 2a02:1::80
old TXT "v=spf1 -all"
old A 85.100.0.81
empty TXT "hello"
Z
run "$BIN/nomail-gen" --zone "$T_TMP/db.site.test" --format txt
expect "--zone: names with addresses but no mail records" 0 \
    '^www.site.test	TXT	v=spf1 -all$' '^shop.site.test	MX	0 .$'
expect_not "--zone: not the apex (it has MX and SPF)" '^site.test	'
expect_not "--zone: not the mail host an MX names" '^mail.site.test'
expect_not "--zone: not a name with SPF already" '^old.site.test'
expect_not "--zone: not a name without addresses" '^empty.site.test'
t_done
