#!/bin/bash
# Benchmark (not a test) of the daemon's live inputs:
#   - IPA listener: ss7replay sends N messages as fast as it can to the daemon acting as an
#     SG (listen ipa); messages/s received, and whether every message arrived
#   - veth capture: tcpreplay sends a trace on one end of a veth pair, the daemon captures
#     on the other; frames/s at the highest tried rate with zero kernel drops
#   - alert latency: time from a message's arrival (socket read, or kernel capture time) to
#     its alert line written, p50/p99 over each run, from the daemon's own histogram (CTRL)
#   contrib/bench_live.sh [-n MESSAGES] [-b BUILD_DIR]
# Needs root (a network namespace of its own: fixed ports, veth pair), tcpreplay, python3.
# Use a build without sanitizers for figures.
set -u
# shellcheck source=SCRIPTDIR/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
bench_args 200000 "$@"
if [ -z "${SW_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || die "needs root (network namespace, veth pair)"
	SW_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
replay="$build/src/ss7replay"
[ -x "$bin" ] && [ -x "$replay" ] || die "$bin or $replay not built"
need_tool tcpreplay

work=$(mktemp -d /tmp/sw_bench_live.XXXXXX)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
ctrl() { python3 "$top/tests/daemon/ctrl.py" GET "$@"; }

# network part of the example config (its alerts section replaced, no alert filters: every
# alert the rules raise is written, so the latency is measured on all of them)
sed '/^alerts/,/^[^ !]/{/^alerts/d;/^ /d}; /^ \(alert-threshold\|rate-filter\|suppress\) /d' \
	"$top/doc/examples/ss7watch.cfg" > "$work/net.cfg"
daemon_cfg() {
	cat "$work/net.cfg"
	printf 'alerts\n log-directory %s\n eve-file eve.json\nline vty\n no login\n bind 127.0.0.1\n' "$work"
	cat "$1"
}

start_daemon() {
	rm -f "$work/eve.json"
	"$bin" -c "$1" > /dev/null 2> "$work/daemon.err" &
	dpid=$!
	pids="$pids $dpid"
	for _ in $(seq 100); do
		ctrl alerts.total >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "daemon did not start"; cat "$work/daemon.err"; exit 1
}

stop_daemon() {
	kill "$dpid"
	wait "$dpid" 2>/dev/null
}

# wait_count VAR N TIMEOUT_S: poll until VAR >= N, or until it stops growing for 1 s (frames
# were dropped); prints the value and sets END_NS to when it last grew
wait_count() {
	local end=$(( $(date +%s) + $3 )) v last=-1 still=0
	while :; do
		v=$(ctrl "$1" 2>/dev/null || echo 0)
		[ "$v" != "$last" ] && { last=$v; still=0; date +%s%N > "$work/end_ns"; }
		[ "$v" -ge "$2" ] 2>/dev/null && break
		[ "$(date +%s)" -lt $end ] || break
		still=$((still + 1))
		[ $still -lt 25 ] || break
		sleep 0.02
	done
	echo "$v"
}

elapsed() { echo "($(cat "$work/end_ns") - $START_NS) / 1000000000" | bc -l; }

latency() { echo "p50 $(ctrl latency.p50) us, p99 $(ctrl latency.p99) us over $(ctrl latency.count) alerts"; }

echo "live inputs ($n messages per run; daemon: $bin)"

# --- IPA listener ---
python3 "$top/tests/live/gen_mtp3.py" "$work/flood.pcap" "$n" 0.00001
cat > "$work/sg.in" <<EOF
cs7 instance 0
 point-code 0.23.2
 as ss7replay ipa
  routing-key 0 0.23.3
  point-code override dpc 0.23.2
 listen ipa 14011
  local-ip 127.0.0.1
  accept-asp-connections dynamic-permitted
EOF
daemon_cfg "$work/sg.in" > "$work/sg.cfg"
start_daemon "$work/sg.cfg"
START_NS=$(date +%s%N)
"$replay" -P ipa -p 14011 -n ss7replay -s 0 -r "$work/flood.pcap" > "$work/replay.log" 2>&1 &
pids="$pids $!"
got=$(wait_count input.cs7-0.messages "$n" 120)
t=$(elapsed)
printf "IPA listener (ss7replay -s 0):  %d of %d messages in %.2f s: %.0f msg/s, %s lost; every message an alert\n" \
	"$got" "$n" "$t" "$(echo "$got / $t" | bc -l)" "$((n - got))"
echo "  alert latency at that rate: $(latency)"
stop_daemon

# moderate, steady rate: the latency an operator sees
m=$((n / 10))
python3 "$top/tests/live/gen_mtp3.py" "$work/steady.pcap" "$m" 0.0002
start_daemon "$work/sg.cfg"
"$replay" -P ipa -p 14011 -n ss7replay -s 1 -r "$work/steady.pcap" > "$work/replay.log" 2>&1
got=$(wait_count input.cs7-0.messages "$m" 30)
echo "IPA listener at 5000 msg/s (as captured): $got of $m messages; alert latency $(latency)"
stop_daemon

# --- veth capture ---
ip link add swbench0 type veth peer name swbench1 || { echo "cannot create a veth pair"; exit 1; }
for i in swbench0 swbench1; do
	sysctl -qw net.ipv6.conf.$i.disable_ipv6=1 2>/dev/null
	ip link set $i up
done
trace="$work/bench.pcap"
python3 "$top/contrib/ss7gen.py" bench -n "$n" --seed 1 -o "$trace" > /dev/null 2>&1
frames=$(capinfos -c -M "$trace" | awk '/Number of packets/ { print $NF }')
alerts_offline=$("$bin" -c "$work/net.cfg" -o - -r "$trace" 2>/dev/null | grep -c '"event_type":"alert"')
printf 'input pcap mirror\n interface swbench1\n filter sctp\n buffer-size 64\n' > "$work/mirror.in"
daemon_cfg "$work/mirror.in" > "$work/mirror.cfg"
best=""
for rate in topspeed 400000 200000 100000 50000 20000; do
	start_daemon "$work/mirror.cfg"
	if [ $rate = topspeed ]; then opt=--topspeed; else opt=--pps=$rate; fi
	START_NS=$(date +%s%N)
	tcpreplay -q -i swbench0 $opt "$trace" > "$work/tcpreplay.log" 2>&1
	got=$(wait_count input.mirror.messages "$frames" 20)
	t=$(elapsed)
	drops=$(ctrl input.mirror.drops)
	alerts=$(ctrl alerts.total)
	printf "veth capture (tcpreplay %s): %d of %d frames in %.2f s: %.0f frames/s, %s kernel drops, %s of %s alerts\n" \
		"$opt" "$got" "$frames" "$t" "$(echo "$got / $t" | bc -l)" "$drops" "$alerts" "$alerts_offline"
	echo "  alert latency: $(latency)"
	stop_daemon
	if [ "$drops" = 0 ] && [ "$got" = "$frames" ]; then
		best=$opt
		break
	fi
done
echo "highest tried rate without drops: ${best:-none}"
echo "(alerts: the offline run's count; tcpreplay --topspeed/--pps changes the capture times the"
echo " time-window rules compare, so a few alerts differ even without a drop)"
echo "target: alert latency p99 <= 1000 us"
