#!/bin/sh
# Install what ss7watch needs to build, run and test on Debian (bookworm or later).
# Idempotent: skips apt-get when everything is already there.
set -e
PKGS="build-essential autoconf automake libtool pkg-config python3 \
	libosmocore-dev libosmo-sigtran-dev libosmo-sccp-dev osmo-stp \
	libpcap-dev libjansson-dev libtalloc-dev nettle-dev \
	tshark tcpreplay iproute2 clang libclang-rt-14-dev bc time"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "install-deps: installing:$missing"
$SUDO apt-get update -qq
# tshark asks whether non-root users may capture: answer for it
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
