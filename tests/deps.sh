#!/bin/sh
# Install from Debian's packages whatever the build, the demo or the tests
# need and this machine lacks.  Says what it installs; does nothing when all
# is present.  Usage: tests/deps.sh build|check|asan|bench
set -eu

need="pkg-config gcc make libldns-dev libjansson-dev libpcre2-dev libssl-dev libcurl4-openssl-dev libxml2-dev libarchive-dev libgmime-3.0-dev zlib1g-dev"
case "${1:-build}" in
check) need="$need nsd ldnsutils mandoc python3 python3-yaml bind9-utils knot knot-dnssecutils strace procps unbound bind9 knot-resolver dns-root-data chromium postfix python3-dkim python3-authres" ;;
asan) need="$need nsd ldnsutils mandoc python3 python3-yaml bind9-utils knot knot-dnssecutils strace procps unbound bind9 knot-resolver dns-root-data chromium clang postfix python3-dkim python3-authres" ;;
bench) need="$need nsd python3 iproute2 spfquery python3-spf unbound bind9 knot-resolver dns-root-data" ;;
conformance) need="$need nsd ldnsutils python3 python3-yaml spfquery python3-spf python3-dnspython" ;;
esac

missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing from Debian:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
export DEBIAN_FRONTEND=noninteractive
# Postfix for the tests' own instances: installed with no configuration of
# the machine's mail (the package then starts no server of its own)
case $missing in *postfix*)
	echo "postfix postfix/main_mailer_type select No configuration" |
	    $sudo debconf-set-selections ;;
esac
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
