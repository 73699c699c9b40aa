#!/bin/sh
# Build ss7watch and run its test suite (contrib/test.sh: ASan+UBSan, -Werror, every test,
# a short fuzz pass) in a Debian trixie chroot made with debootstrap from the Debian mirror
# this machine's apt uses. Not part of CI: run it by hand, as root, when changing the build
# or the dependencies. The chroot is kept and reused (delete it to start afresh).
#
#   contrib/check-trixie.sh            # the committed tree (a clone of HEAD)
#   SUITE=forky CHROOT=/var/tmp/forky contrib/check-trixie.sh
#
# Environment: SUITE (default trixie), CHROOT (default /var/tmp/ss7watch-$SUITE), MIRROR
# (default: the first Debian mirror in /etc/apt/sources.list{,.d}), FUZZ_SECONDS (default 10).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
SUITE=${SUITE:-trixie}
CHROOT=${CHROOT:-/var/tmp/ss7watch-$SUITE}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}

die() {
	echo "check-trixie: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
command -v git >/dev/null || die "git is missing"

# The mirror of the first Debian source apt knows: deb822 (URIs:) or one-line (deb URL suite).
find_mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { print $2; exit }' "$f"
	done | grep -m1 '/debian/\?$' && return
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $2 !~ /^\[/ { print $2 } $1 == "deb" && $2 ~ /^\[/ { print $3 }' |
		grep -m1 '/debian/\?$'
}
MIRROR=${MIRROR:-$(find_mirror || true)}
[ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt/sources.list or /etc/apt/sources.list.d: set MIRROR=URL"

mounted=""
cleanup() {
	for m in $mounted; do
		umount -l "$CHROOT$m" 2>/dev/null || true
	done
}
trap cleanup EXIT INT TERM

if [ ! -f "$CHROOT/.ss7watch-ready" ]; then
	echo "check-trixie: debootstrap $SUITE from $MIRROR into $CHROOT"
	rm -rf "$CHROOT"
	debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$CHROOT" "$MIRROR" \
		>"$CHROOT.debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $CHROOT.debootstrap.log"
	touch "$CHROOT/.ss7watch-ready"
fi

# /dev for the sanitizers and tests, /proc and /sys for the live tests' network namespaces
for m in /proc /sys /dev /dev/pts; do
	mkdir -p "$CHROOT$m"
	mount --bind "$m" "$CHROOT$m"
	mounted="$m $mounted"
done
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true

# a clone, not an archive: the package test builds its .deb from a clean copy of a checkout
echo "check-trixie: cloning the committed tree (HEAD of $top)"
rm -rf "$CHROOT/build/ss7watch"
mkdir -p "$CHROOT/build"
git clone -q --no-hardlinks "$top" "$CHROOT/build/ss7watch"
# the suite's sigcorr tests read ../shared when it is there, as in the host tree
[ -d "$top/../shared" ] && [ ! -e "$CHROOT/build/shared" ] && cp -a "$top/../shared" "$CHROOT/build/shared"

echo "check-trixie: installing the dependencies, building, running contrib/test.sh"
rc=0
chroot "$CHROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	FUZZ_SECONDS="$FUZZ_SECONDS" sh -c '
	set -e
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git >/dev/null
	cd /build/ss7watch
	echo "versions: $(dpkg-query -W -f="\${Package} \${Version}; " gcc libosmocore-dev \
		libosmo-sigtran-dev libpcap0.8-dev libjansson-dev clang 2>/dev/null)"
	contrib/test.sh
' >"$CHROOT.test.log" 2>&1 || rc=$?
grep -E '^versions:|^testsuite:|error:|FAILED' "$CHROOT.test.log" | head -40
if [ $rc -ne 0 ]; then
	tail -n 60 "$CHROOT.test.log"
	die "$SUITE: FAILED (exit $rc), full log in $CHROOT.test.log"
fi
echo "check-trixie: $SUITE: passed, full log in $CHROOT.test.log"
