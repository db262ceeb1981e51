# Shared by the shell tests: TAP output, assertions, and starting and
# stopping NSD and the DNS proxy on free loopback ports.
#
# A test script sources this, calls the assertions, and ends with t_done.
# Each assertion prints one TAP line; a status above 128 (a signal) always
# fails, so a crash never passes for an expected error.

T_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${BIN:?BIN must point at the tools}"
: "${O:?O must point at the build directory}"
T_N=0
T_FAIL=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/authzone-test.XXXXXX")
T_PIDS=""
trap 't_cleanup' EXIT

t_cleanup() {
	for p in $T_PIDS; do kill "$p" 2>/dev/null; done
	for p in $T_PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T_TMP"
}

t_ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
t_not_ok() {
	T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_N - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
}
t_skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
t_done() { echo "1..$T_N"; [ "$T_FAIL" -eq 0 ]; }

# run TOOL ARGS...: sets OUT, ERR and RC
run() {
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# run_timed TOOL ARGS...: run, and the milliseconds it took in MS
run_timed() {
	_start=$(date +%s%N)
	run "$@"
	MS=$(( ($(date +%s%N) - _start) / 1000000 ))
}

# expect DESC STATUS [PATTERN...]: the last run exited STATUS and its
# stdout matched every extended regular expression given
expect() {
	desc=$1 want=$2
	shift 2
	if [ "$RC" -gt 128 ]; then
		t_not_ok "$desc" "killed by signal $((RC - 128))" "$ERR"
		return
	fi
	if [ "$RC" != "$want" ]; then
		t_not_ok "$desc" "exit $RC, want $want" "stdout: $OUT" "stderr: $ERR"
		return
	fi
	for pat in "$@"; do
		if ! printf '%s\n' "$OUT" | grep -Eq -- "$pat"; then
			t_not_ok "$desc" "stdout lacks /$pat/" "stdout: $OUT"
			return
		fi
	done
	t_ok "$desc"
}

# expect_not DESC PATTERN: the last run's stdout does not match
expect_not() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$2"; then
		t_not_ok "$1" "stdout matches /$2/" "stdout: $OUT"
	else
		t_ok "$1"
	fi
}

# json_get EXPR: evaluates a Python expression over the last stdout, j
json_get() {
	printf '%s' "$OUT" | /usr/bin/python3 -c "
import json, sys
j = json.load(sys.stdin)
print($1)"
}

# expect_json DESC EXPR VALUE
expect_json() {
	got=$(json_get "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		t_ok "$1"
	else
		t_not_ok "$1" "$2 = $got, want $3"
	fi
}

free_port() {
	# a port free for UDP may be held by TCP (a client connection in
	# TIME_WAIT, after a batch's TCP retries): try again until both bind
	/usr/bin/python3 -c '
import socket
for _ in range(100):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", s.getsockname()[1]))
    except OSError:
        continue
    print(s.getsockname()[1])
    break'
}

# nsd_conf DIR PORT LINE...: an NSD configuration in DIR/nsd.conf serving
# on 127.0.0.1@PORT from $T_TMP/zones, as Debian ships it but for paths;
# each LINE is added after the server section (zones, remote-control)
nsd_conf() {
	_dir=$1 _port=$2
	shift 2
	mkdir -p "$_dir"
	{
		echo "server:"
		echo "  ip-address: 127.0.0.1@$_port"
		echo "  port: $_port"
		echo "  username: \"\""
		echo "  chroot: \"\""
		echo "  zonesdir: \"$T_TMP/zones\""
		echo "  pidfile: \"$_dir/nsd.pid\""
		echo "  database: \"\""
		echo "  zonelistfile: \"$_dir/zone.list\""
		echo "  xfrdfile: \"$_dir/xfrd.state\""
		echo "  xfrdir: \"$_dir\""
		echo "  logfile: \"$_dir/nsd.log\""
		echo "  server-count: 1"
		echo "  do-ip6: no"
		echo "  verbosity: 1"
		for l in "$@"; do echo "$l"; done
	} >"$_dir/nsd.conf"
}

# nsd_start ZONE... : serves each ZONE from $T_TMP/zones/ZONE.zone; sets
# NSD_PORT.  Waits until every zone answers.
nsd_start() {
	dir=$T_TMP/nsd
	# the top-level zone of the test names, as the real DNS has one for
	# every name: the DMARC tree walk asks _dmarc.test (RFC 9989 4.10)
	tld=
	for z in "$@"; do
		case $z in test) tld=served ;; *.test) [ -z "$tld" ] && tld=need ;; esac
	done
	if [ "$tld" = need ]; then
		[ -e "$T_TMP/zones/test.zone" ] ||
		    printf '$ORIGIN test.\n$TTL 300\n@ SOA ns.test. host.test. 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n' \
		    >"$T_TMP/zones/test.zone"
		set -- "$@" test
	fi
	for try in 1 2 3 4 5; do
		NSD_PORT=$(free_port)
		zl=()
		for z in "$@"; do zl+=("zone:" "  name: $z" "  zonefile: $z.zone"); done
		nsd_conf "$dir" "$NSD_PORT" "remote-control:" \
		    "  control-enable: no" "${zl[@]}"
		nsd -d -c "$dir/nsd.conf" >"$dir/stdout" 2>&1 &
		NSD_PID=$!
		T_PIDS="$T_PIDS $NSD_PID"
		for _ in $(seq 1 100); do
			/usr/bin/python3 "$T_LIB/dnsprobe.py" \
			    "$NSD_PORT" "$@" && return 0
			kill -0 "$NSD_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$NSD_PID" 2>/dev/null
		wait "$NSD_PID" 2>/dev/null
	done
	echo "# nsd did not start:" >&2
	cat "$dir/nsd.log" "$dir/stdout" >&2 2>/dev/null
	return 1
}

nsd_stop() {
	kill "$NSD_PID" 2>/dev/null
	wait "$NSD_PID" 2>/dev/null
}

# proxy_start ARGS... : a dnsproxy in front of NSD; sets PROXY_PORT
proxy_start() {
	_fifo=$T_TMP/proxy.ready.$RANDOM$RANDOM
	mkfifo "$_fifo"
	# the proxy picks its port: one picked here may be taken meanwhile
	"$O/tests/dnsproxy" -l 0 -u "$NSD_PORT" "$@" >"$_fifo" &
	PROXY_PID=$!
	T_PIDS="$T_PIDS $PROXY_PID"
	read -r _ PROXY_PORT <"$_fifo"
}

# knot_start ZONE KEYSECRET: Knot DNS serving $T_TMP/zones/ZONE.zone on a
# free port, accepting updates signed with the TSIG key "upd"
# (hmac-sha256, KEYSECRET); sets KNOT_PORT
knot_start() {
	dir=$T_TMP/knot
	mkdir -p "$dir/db"
	cp "$T_TMP/zones/$1.zone" "$dir/$1.zone"
	KNOT_PORT=$(free_port)
	cat >"$dir/knot.conf" <<K
server:
    listen: 127.0.0.1@$KNOT_PORT
    rundir: "$dir"
database:
    storage: "$dir/db"
key:
  - id: upd
    algorithm: hmac-sha256
    secret: $2
acl:
  - id: upd_acl
    key: upd
    action: update
template:
  - id: default
    storage: "$dir"
    file: "%s.zone"
    zonefile-sync: -1
zone:
  - domain: $1
    acl: upd_acl
log:
  - target: stderr
    any: warning
K
	knotd -c "$dir/knot.conf" >"$dir/log" 2>&1 &
	KNOT_PID=$!
	T_PIDS="$T_PIDS $KNOT_PID"
	for _ in $(seq 1 100); do
		/usr/bin/python3 "$T_LIB/dnsprobe.py" "$KNOT_PORT" "$1" && return 0
		sleep 0.05
	done
	cat "$dir/log" >&2
	return 1
}

# resolver_start KIND UPSTREAM_PORT: a recursive resolver as Debian ships
# it (KIND unbound, named or kresd), cold, recursing to the test zones on
# 127.0.0.1@UPSTREAM_PORT; sets RESOLVER_PORT and RESOLVER_PID.  Each
# tests/KIND.conf.in, shared with the benchmarks, says what differs from
# the shipped configuration, and why.
resolver_start() {
	kind=$1 dir=$T_TMP/$1.$RANDOM
	mkdir -p "$dir"
	cp /usr/share/dns/root.key "$dir/root.key"
	for try in 1 2 3 4 5; do
		RESOLVER_PORT=$(free_port)
		sed "s|@INTERFACE@|127.0.0.1@$RESOLVER_PORT|; s|@PORT@|$RESOLVER_PORT|; s|@ADDR@|127.0.0.1|; s|@DIR@|$dir|g; s|@UPSTREAM@|127.0.0.1@$2|; s|@UPSTREAM_ADDR@|127.0.0.1|; s|@UPSTREAM_PORT@|$2|" \
		    "$T_LIB/$kind.conf.in" >"$dir/$kind.conf"
		# what a test adds (a trust anchor), after the rest
		[ -n "${RESOLVER_EXTRA:-}" ] &&
		    printf '%s\n' "$RESOLVER_EXTRA" >>"$dir/$kind.conf"
		# the subshell becomes the server: RESOLVER_PID is its own
		(
			cd "$dir" || exit 1
			case $kind in
			unbound) exec unbound -d -c "$dir/$kind.conf" ;;
			named) exec named -g -c "$dir/$kind.conf" ;;
			kresd) exec kresd -n -q -c "$dir/$kind.conf" "$dir" ;;
			esac
		) >"$dir/stdout" 2>&1 &
		RESOLVER_PID=$!
		T_PIDS="$T_PIDS $RESOLVER_PID"
		# a name each answers itself: nothing is cached by the probe
		for _ in $(seq 1 200); do
			DNSPROBE_ANY=1 /usr/bin/python3 "$T_LIB/dnsprobe.py" \
			    "$RESOLVER_PORT" invalid && return 0
			kill -0 "$RESOLVER_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$RESOLVER_PID" 2>/dev/null
	done
	cat "$dir"/*.log "$dir/stdout" >&2
	return 1
}

# world_start N: in $T_TMP, a generated internet of N domains
# (bench/gen-internet.py: providers, customers, dead names) served by NSD
# as shipped; sets NSD_PORT.  Ends the test when it cannot.
world_start() {
	mkdir -p "$T_TMP/zones"
	(cd "$T_TMP" && python3 "$T_LIB/../bench/gen-internet.py" gen \
	    --domains "$1") || { t_not_ok "the generator runs"; t_done; exit; }
	cp "$T_TMP"/gen/zones/*.zone "$T_TMP/zones/"
	nsd_start prov.test cust.test dead.test ||
	    { t_not_ok "nsd starts"; t_done; exit; }
}

# https_start CERT KEY DIR: tests/https_server.py serving DIR over HTTPS
# on a free port, with CERT and KEY; sets HTTPS_PORT once it listens
https_start() {
	HTTPS_PORT=$(free_port)
	_fifo=$T_TMP/https.ready.$RANDOM$RANDOM
	mkfifo "$_fifo"
	/usr/bin/python3 "$T_LIB/https_server.py" "$HTTPS_PORT" "$1" "$2" \
	    "$3" >"$_fifo" 2>/dev/null &
	T_PIDS="$T_PIDS $!"
	read -r _ <"$_fifo"
}

# units_verify NAME SCRIPT: examples/systemd/NAME.service and .timer pass
# systemd-analyze verify with ExecStart pointed at SCRIPT (a skip where
# the machine has no systemd-analyze)
units_verify() {
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		t_skip "systemd-analyze verify: $1" "no systemd-analyze on this machine"
		return
	fi
	mkdir -p "$T_TMP/units"
	cp "$T_LIB"/../examples/systemd/"$1".* "$T_TMP/units/"
	sed -i "s|^ExecStart=.*|ExecStart=$2|" "$T_TMP/units/$1.service"
	_out=$(cd "$T_TMP/units" && systemd-analyze verify --man=no \
	    "./$1.timer" "./$1.service" 2>&1)
	if [ $? = 0 ] && [ -z "$_out" ]; then
		t_ok "systemd-analyze verify: $1.service and its timer"
	else
		t_not_ok "systemd-analyze verify: $1.service and its timer" "$_out"
	fi
}

# postfix_start SERVICE...: Postfix as Debian ships it but for paths and
# what each SERVICE says: an smtpd line of master.cf ("ADDR:PORT inet n -
# n - - smtpd -o ..."), in the foreground (start-fg), stopped with the
# test; waits until every service answers (a bare PORT: on 127.0.0.1,
# [V6]:PORT on that IPv6 address).
# POSTFIX_MAIN holds more lines of main.cf (inet_protocols = all), each
# replacing the setting it names.  The
# postfix user must go through $T_TMP to its queue, so $T_TMP is made
# 0755.
postfix_start() {
	_pf=$T_TMP/postfix
	mkdir -p "$_pf/conf" "$_pf/queue" "$_pf/data"
	chmod 755 "$T_TMP" "$_pf"
	chown postfix "$_pf/data"
	cat >"$_pf/conf/main.cf" <<-MAIN
	compatibility_level = 3.6
	queue_directory = $_pf/queue
	data_directory = $_pf/data
	inet_interfaces = loopback-only
	inet_protocols = ipv4
	myhostname = mx.postfix.test
	mydestination =
	maillog_file_prefixes = $_pf
	maillog_file = $_pf/maillog
	smtpd_tls_security_level = may
	MAIN
	# each line set as postconf -e does: one that names a setting above
	# replaces it
	printf '%s\n' "${POSTFIX_MAIN:-}" | while IFS= read -r _l; do
		[ -n "$_l" ] && postconf -c "$_pf/conf" -e "$_l"
	done
	{
		for s in "$@"; do echo "$s"; done
		for s in pickup:n:60:1:pickup cleanup:n:-:0:cleanup \
		    qmgr:n:300:1:qmgr tlsmgr:-:1000?:1:tlsmgr \
		    rewrite:-:-:-:trivial-rewrite bounce:-:-:0:bounce \
		    defer:-:-:0:bounce trace:-:-:0:bounce verify:-:-:1:verify \
		    flush:n:1000?:0:flush proxymap:-:-:-:proxymap \
		    smtp:-:-:-:smtp showq:n:-:-:showq error:-:-:-:error \
		    anvil:-:-:1:anvil scache:-:-:1:scache; do
			IFS=: read -r _n _p _w _l _c <<-S
			$s
			S
			echo "$_n unix $_p - n $_w $_l $_c"
		done
		echo "postlog unix-dgram n - n - 1 postlogd"
		# delivers as the user virtual_uid_maps names (main.cf)
		echo "virtual unix - n n - - virtual"
	} >"$_pf/conf/master.cf"
	postfix -c "$_pf/conf" start-fg >"$_pf/stdout" 2>&1 &
	T_PIDS="$T_PIDS $!"
	for _ in $(seq 1 200); do
		if [ -s "$_pf/queue/pid/master.pid" ]; then
			_m=$(tr -d ' ' <"$_pf/queue/pid/master.pid")
			/usr/bin/python3 - "$@" <<-'P' && { T_PIDS="$T_PIDS $_m"; return 0; }
			import socket, sys
			for s in sys.argv[1:]:
			    a, _, p = s.split()[0].rpartition(":")
			    a = a.strip("[]") or "127.0.0.1"
			    socket.create_connection((a, int(p)), 1).close()
			P
		fi
		sleep 0.05
	done
	cat "$_pf/stdout" "$_pf/maillog" >&2 2>/dev/null
	return 1
}

# batch_strip: a batch's JSON lines without what depends on the run (the
# DNS counters), to compare two runs
batch_strip() { sed -E 's/,"dns":\{[^}]*\}//'; }

# batch_same REF_RC REF GOT: the last run exited REF_RC, its stripped lines
# (GOT) are those of REF, and it counted no DNS failure; else false, with
# why in WHY (on one line)
batch_same() {
	if [ "$RC" = "$1" ] && cmp -s "$2" "$3" &&
	    printf '%s\n' "$ERR" | grep -q ' 0 DNS failures'; then
		return 0
	fi
	WHY="exit $RC; $(diff "$2" "$3" | head -4 | cut -c1-400 | tr '\n' ' ')"
	WHY="$WHY; $(printf '%s\n' "$ERR" | tail -2 | tr '\n' ' ')"
	return 1
}
