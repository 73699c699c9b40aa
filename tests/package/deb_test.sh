#!/bin/sh
# The Debian package as an operator gets it: build it from a clean copy of the tree
# (dpkg-buildpackage -us -uc -b, no sanitizers), lintian (no error), install it with apt,
# check what it installed (ss7watch -T on the installed config, --list-rules, the system
# user, the unit, docs, examples, man pages, the installed binary on the installed demo),
# then purge it and check that nothing is left but the system user (Debian keeps those).
#   [SS7WATCH=build/src/ss7watch] deb_test.sh SRCDIR   (SS7WATCH: compare its --list-rules)
# Exits 77 (skip) when it cannot run here: not root, no dpkg-buildpackage, missing build
# dependencies (contrib/install-deps.sh installs them), not a git checkout, or an ss7watch
# package already installed (the test would replace and purge it).
set -u
SRCDIR=$(cd "${1:?usage: deb_test.sh SRCDIR}" && pwd)

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

[ "$(id -u)" = 0 ] || skip "the package test installs the package: it needs root"
command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage is missing (apt-get install dpkg-dev debhelper)"
command -v apt-get >/dev/null || skip "apt-get is missing: not a Debian system"
git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1 || skip "$SRCDIR is not a git checkout: no clean copy to build from"
(cd "$SRCDIR" && dpkg-checkbuilddeps) >/dev/null 2>&1 ||
	skip "build dependencies missing: $(cd "$SRCDIR" && dpkg-checkbuilddeps 2>&1 | sed 's/.*: //')"

# one package test at a time on this machine: they install and purge the same package
exec 9>/var/lock/ss7watch-deb-test.lock
command -v flock >/dev/null && flock -w 1800 9

if dpkg-query -W -f='${Status}' ss7watch 2>/dev/null | grep -q "ok installed"; then
	skip "an ss7watch package is installed here; the test would replace and purge it"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sw_deb.XXXXXX")
installed=""
APT="apt-get -y -qq -o DPkg::Lock::Timeout=300"

cleanup() {
	[ -n "$installed" ] && DEBIAN_FRONTEND=noninteractive $APT purge ss7watch >/dev/null 2>&1
	[ -n "${SW_KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	exit 1
}

# every file git knows (committed or not, untracked ones that are not ignored), no build output
mkdir "$WORK/ss7watch"
(cd "$SRCDIR" && git ls-files -z --cached --others --exclude-standard) |
	(cd "$SRCDIR" && xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
	(cd "$SRCDIR" && tar --null -T - -cf -) | tar -xf - -C "$WORK/ss7watch" || fail "cannot copy the tree"

t0=$(date +%s)
(cd "$WORK/ss7watch" && DEB_BUILD_OPTIONS="nocheck noddebs parallel=2" dpkg-buildpackage -us -uc -b) \
	>"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; fail "dpkg-buildpackage failed"; }
deb=$(ls "$WORK"/ss7watch_*.deb 2>/dev/null | head -n 1)
[ -f "$deb" ] || fail "no .deb built"
echo "built $(basename "$deb") in $(( $(date +%s) - t0 ))s"

if command -v lintian >/dev/null; then
	lintian --fail-on error "$deb" >"$WORK/lintian.out" 2>/dev/null
	lrc=$?
	cat "$WORK/lintian.out"
	echo "lintian: $(grep -c '^E:' "$WORK/lintian.out") errors, $(grep -c '^W:' "$WORK/lintian.out") warnings"
	[ $lrc = 0 ] || fail "lintian reports errors"
else
	echo "lintian: not installed, not run"
fi

DEBIAN_FRONTEND=noninteractive $APT install "$deb" >"$WORK/install.log" 2>&1 ||
	{ cat "$WORK/install.log"; fail "apt-get install $deb failed"; }
installed=1

# the installed configuration checks, as the daemon would start with it
ss7watch -T -c /etc/ss7watch/ss7watch.cfg >"$WORK/T.out" 2>&1 || { cat "$WORK/T.out"; fail "ss7watch -T on the installed config"; }
grep -q '^ss7watch: /etc/ss7watch/ss7watch.cfg: configuration OK (daemon: ' "$WORK/T.out" || fail "-T said: $(cat "$WORK/T.out")"
cat "$WORK/T.out"
ss7watch --list-rules >"$WORK/rules.out" || fail "--list-rules failed"
if [ -n "${SS7WATCH:-}" ]; then
	"$SS7WATCH" --list-rules | cmp -s - "$WORK/rules.out" || fail "--list-rules differs from the built tree's"
fi
echo "--list-rules: $(( $(wc -l < "$WORK/rules.out") - 1 )) rules"

# the system user and its alert directory
getent passwd ss7watch | grep -q ':/usr/sbin/nologin$' || fail "no ss7watch system user: $(getent passwd ss7watch)"
getent group ss7watch >/dev/null || fail "no ss7watch group"
[ "$(stat -c %U:%G /var/log/ss7watch 2>/dev/null)" = ss7watch:ss7watch ] || fail "/var/log/ss7watch is not the user's"

unit=""
for d in /usr/lib/systemd/system /lib/systemd/system; do
	[ -f "$d/ss7watch.service" ] && unit=$d/ss7watch.service
done
[ -n "$unit" ] || fail "no ss7watch.service"
grep -q '^ExecStart=/usr/bin/ss7watch -c /etc/ss7watch/ss7watch.cfg$' "$unit" || fail "$unit: $(grep ExecStart= "$unit")"

doc=/usr/share/doc/ss7watch
for f in /usr/bin/ss7watch /usr/bin/ss7replay /usr/bin/ss7watch-report \
	 /usr/share/man/man1/ss7watch-report.1.gz /etc/ss7watch/ss7watch.cfg /etc/logrotate.d/ss7watch \
	 /usr/lib/sysusers.d/ss7watch.conf /usr/lib/tmpfiles.d/ss7watch.conf \
	 /usr/share/man/man8/ss7watch.8.gz /usr/share/man/man1/ss7replay.1.gz \
	 $doc/copyright $doc/README.md.gz $doc/rules.md.gz $doc/alert-schema.md.gz \
	 $doc/examples/ss7watch.cfg $doc/examples/ss7watch-mirror.cfg $doc/examples/ss7watch-ipa.cfg \
	 $doc/examples/ss7watch-m3ua-asp.cfg $doc/examples/ss7watch-sg.cfg $doc/examples/demo.pcap \
	 $doc/cluster.md.gz $doc/examples/cluster/nats-1.conf $doc/examples/cluster/worker.cfg; do
	[ -f "$f" ] || fail "$f is missing"
done
# the package is built with libnats: the cluster modes are in, and check their example
ss7watch -T -c $doc/examples/cluster/worker.cfg --worker 1 >/dev/null || fail "the cluster example config fails -T"

dpkg-query -W -f='${Conffiles}\n' ss7watch | grep -q ' /etc/ss7watch/ss7watch.cfg ' || fail "the config is not a conffile"
# the installed program on the installed example: the demo's 6 alerts (and its incident lines)
n=$(cd "$WORK" && ss7watch -c $doc/examples/ss7watch.cfg -o - -r $doc/examples/demo.pcap | grep -c '"event_type":"alert"')
[ "$n" = 6 ] || fail "the installed demo raised $n alerts, not 6"
# the installed report on the installed demo: the HTML, and no bytecode left in the package's tree
(cd "$WORK" && ss7watch -c $doc/examples/ss7watch.cfg -o demo.json -r $doc/examples/demo.pcap &&
	ss7watch-report --config $doc/examples/ss7watch.cfg -o demo.html demo.json) >"$WORK/report.out" 2>&1 ||
	{ cat "$WORK/report.out"; fail "ss7watch-report on the installed demo"; }
grep -q '<table id="t-origins">' "$WORK/demo.html" || fail "the installed report has no origins table"
[ -z "$(find /usr/share/ss7watch -name __pycache__)" ] || fail "ss7watch-report left __pycache__ in /usr/share/ss7watch"
echo "installed: $unit, user ss7watch, docs, examples, man pages; the demo raises 6 alerts; ss7watch-report runs"

DEBIAN_FRONTEND=noninteractive $APT purge ss7watch >"$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log"; fail "purge failed"; }
installed=""
for f in /usr/bin/ss7watch /usr/bin/ss7watch-report /usr/share/ss7watch /etc/ss7watch /etc/logrotate.d/ss7watch "$unit" $doc /var/log/ss7watch \
	 /usr/share/man/man8/ss7watch.8.gz /usr/lib/sysusers.d/ss7watch.conf; do
	[ ! -e "$f" ] || fail "$f is still there after the purge"
done
dpkg-query -W -f='${Status}' ss7watch 2>/dev/null | grep -q "ok installed" && fail "still installed"
echo "purged: nothing left but the ss7watch user"
