#!/usr/bin/env bash
# Through the recursive resolvers users run, as Debian ships them: Unbound,
# BIND's named and Knot Resolver (each tests/KIND.conf.in says what differs
# and why), each cold, recursing to NSD as shipped (its rate limiting on)
# through a forwarder that adds 20 ms.  Each batch must give every domain
# the line it gives asking NSD directly, with no DNS failure: spf-lint's,
# and mail-audit's, whose NXDOMAIN answers all fall in one rate-limit
# class of NSD, so that a resolver, its server backed off, answers
# SERVFAIL or nothing for a while (the scheduler takes that as
# congestion: a smaller window, each question asked again after the
# resolver's hold).  No run has a deadline: the batch's time grows with
# its input.  A single domain the resolver fails (delegated to a server
# that is not there) is a DNS failure within a sequential client's time.
. "$(dirname "$0")/../lib.sh"
cd "$T_TMP" || exit 1
mkdir -p zones
printf '$ORIGIN test.\n$TTL 300\n@ SOA ns.test. host.test. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\nlame NS ns.lame\nns.lame A 127.0.0.9\n' \
    >zones/test.zone
world_start 500
proxy_start -d 20

run "$BIN/spf-lint" --server "127.0.0.1@$NSD_PORT" --batch gen/domains
ref_spf_rc=$RC
printf '%s\n' "$OUT" | batch_strip >ref.spf
run "$BIN/mail-audit" --no-connect --no-progress --server "127.0.0.1@$NSD_PORT" --batch gen/domains
ref_audit_rc=$RC
printf '%s\n' "$OUT" | batch_strip >ref.audit
[ "$(grep -c '"verdict":"dns-error"' ref.audit)" = 0 ] &&
    t_ok "mail-audit straight to NSD: no dns-error" ||
    t_not_ok "mail-audit straight to NSD: no dns-error"

for kind in unbound named kresd; do
	resolver_start "$kind" "$PROXY_PORT" || { t_not_ok "$kind starts"; continue; }
	run_timed "$BIN/spf-lint" --server "127.0.0.1@$RESOLVER_PORT" --batch gen/domains
	printf '%s\n' "$OUT" | batch_strip >got.spf
	if batch_same "$ref_spf_rc" ref.spf got.spf; then
		t_ok "spf-lint --batch of 500 domains through a cold $kind: every line as from NSD ($MS ms)"
	else
		t_not_ok "spf-lint --batch through a cold $kind" "$WHY"
	fi
	printf '%s\n' "$ERR" | grep -q 'answers evicted (0 asked again)' &&
	    t_ok "$kind: no answer a domain still needed was dropped and asked again" ||
	    t_not_ok "$kind: no answer asked again after it was dropped" "$(printf '%s\n' "$ERR" | tail -1)"
	if [ "$kind" = unbound ]; then
		D=$(cat gen/deep)
		run "$BIN/spf-eval" --json --server "127.0.0.1@$RESOLVER_PORT" --ip 192.0.2.1 --sender "postmaster@$D"
		expect "spf-eval of the deep domain through Unbound" 0
		expect_json "the verdict, as NSD gives it" "(j['result'], j['lookups'])" "('fail', 9)"
	fi
	# one domain asks a few questions at once, no load: the resolver's
	# SERVFAIL (named) or silence (Unbound, still trying the missing
	# server) is its answer, within 3 tries of 2 s (named's SERVFAIL
	# was held as congestion for 16 s, then asked when idle: 21 s)
	if [ "$kind" != kresd ]; then
		run_timed "$BIN/spf-lint" --server "127.0.0.1@$RESOLVER_PORT" lame.test
		expect "$kind fails lame.test: a DNS failure" 3 'lame.test TXT failed \((servfail|timeout)'
		[ "$MS" -lt 7500 ] && t_ok "within a sequential client's time ($MS ms)" ||
		    t_not_ok "$kind fails lame.test: within a sequential client's time" "$MS ms"
	fi
	kill "$RESOLVER_PID" 2>/dev/null

	# mail-audit: a cold resolver of its own
	resolver_start "$kind" "$PROXY_PORT" || { t_not_ok "a second $kind starts"; continue; }
	run_timed "$BIN/mail-audit" --no-connect --no-progress --server "127.0.0.1@$RESOLVER_PORT" --batch gen/domains
	printf '%s\n' "$OUT" | batch_strip >got.audit
	n=$(grep -c '"verdict":"dns-error"' got.audit)
	if [ "$n" = 0 ] && [ "$RC" = "$ref_audit_rc" ] && cmp -s ref.audit got.audit; then
		t_ok "mail-audit --batch of 500 domains through a cold $kind: every line as from NSD, 0 dns-error ($MS ms)"
	else
		t_not_ok "mail-audit --batch through a cold $kind" "exit $RC (want $ref_audit_rc), $n dns-error ($MS ms)" \
		    "$(diff ref.audit got.audit | head -4 | cut -c1-300)" "$(printf '%s\n' "$ERR" | tail -1)"
	fi
	kill "$RESOLVER_PID" 2>/dev/null
done
t_done
