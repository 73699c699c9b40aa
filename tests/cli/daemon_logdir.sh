#!/bin/sh
# The daemon writes its alerts into -l DIR, not into the config's log-directory: an 'input
# file' of the demo trace, the example network, then SIGTERM once the 6 alerts are there.
# Runs in its own network namespace when it can (root), else on ports of its own.
#   SS7WATCH=... daemon_logdir.sh SRCDIR
set -u
if [ -z "${SW_IN_NETNS:-}" ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	SW_IN_NETNS=1 exec unshare -n sh -c 'ip link set lo up 2>/dev/null; exec sh "$0" "$@"' "$0" "$@"
fi
SRCDIR=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sw_logdir.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
port=$((20000 + $$ % 20000))
mkdir "$WORK/alerts"
{
	sed -e 's#^ log-directory .*# log-directory /nonexistent#' "$SRCDIR/doc/examples/ss7watch.cfg"
	printf 'input file demo\n path %s\n' "$SRCDIR/traces/demo.pcap"
	printf 'line vty\n bind 127.0.0.1 %u\nctrl\n bind 127.0.0.1\ndaemon\n ctrl-port %u\n' $port $((port + 1))
} > "$WORK/d.cfg"
"$SS7WATCH" -c "$WORK/d.cfg" -l "$WORK/alerts" 2>"$WORK/log" &
pid=$!
for i in $(seq 100); do
	[ "$(cat "$WORK/alerts/eve.json" 2>/dev/null | grep -c '"event_type":"alert"')" -ge 6 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
n=$(cat "$WORK/alerts/eve.json" 2>/dev/null | grep -c '"event_type":"alert"')
echo "daemon exit $rc, $n alert lines in -l DIR"
[ $rc = 0 ] && [ "$n" = 6 ] || { cat "$WORK/log"; exit 1; }
