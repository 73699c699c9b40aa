#!/bin/sh
# Install what ss7watch needs to build, run, test and package on Debian (bookworm or later).
# Idempotent: skips apt-get when everything is already there.
#
# A need written "a|b" takes whichever is installed, else the first one the distribution
# has: metapackages that follow the distribution's default compiler first (libclang-rt-dev
# goes with clang: 14 on bookworm, 19 on trixie), versioned names after them.
set -e
NEEDS="build-essential autoconf automake libtool pkg-config python3 \
	libosmocore-dev libosmo-sigtran-dev osmo-stp \
	libpcap-dev libjansson-dev libtalloc-dev nettle-dev \
	libnats-dev nats-server openssl \
	tshark tcpreplay iproute2 bc time \
	python3-matplotlib python3-jinja2 chromium \
	clang libclang-rt-dev|libclang-rt-19-dev|libclang-rt-14-dev \
	debhelper dpkg-dev lintian systemd-dev|systemd"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# the first of the alternatives apt can install (after apt-get update)
available() {
	for p in $(echo "$1" | tr '|' ' '); do
		if apt-cache policy "$p" 2>/dev/null | grep -q '^  Candidate: [^(]'; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

missing=""
for need in $NEEDS; do
	ok=""
	for p in $(echo "$need" | tr '|' ' '); do
		installed "$p" && ok=1 && break
	done
	[ -n "$ok" ] || missing="$missing $need"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
pkgs=""
for need in $missing; do
	p=$(available "$need") || {
		echo "install-deps: the distribution has none of: $need" >&2
		exit 1
	}
	pkgs="$pkgs $p"
done
echo "install-deps: installing:$pkgs"
# tshark asks whether non-root users may capture: answer for it
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
