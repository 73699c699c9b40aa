#!/bin/sh
# The live cluster sensor (ss7watch -c CFG --site NAME without -r: the daemon's inputs,
# published instead of detected; doc/cluster.md), on a 3-node NATS JetStream cluster:
#   live_sensor_test.sh mirror    two mirror ports (veth pairs in a network namespace): one
#                                 tcpreplay sends the campaign's frames of each site (split by
#                                 SLS) out of its own pair, sensor a (its config's `role sensor
#                                 a`) and sensor b (--site b) capture them, a worker (its
#                                 config's `role worker 1`) and the collector: the collected
#                                 alerts are those of the single-box offline run of the trace
#   live_sensor_test.sh batch-ms  a sensor (batch-events 4096, batch-ms 200) whose input has a
#                                 few frames, then nothing more: while it still runs, the
#                                 worker's CTRL says it consumed every event (the timer ended
#                                 the batch, not a next event); its cluster_sensor counters on
#                                 the daemon's VTY, CTRL and statsd, `show alerts` says no detector
#   live_sensor_test.sh restart   a sensor run twice over the same frames (an input file), each
#                                 run stopped by SIGTERM: the stream drops none of the second
#                                 run's events as duplicates, the worker processes both runs
# Environment: SS7WATCH (the binary), TOP (the source tree). As root, runs in its own network
# namespace (lib.sh); "mirror" needs it, root and tcpreplay, and exits 77 (skip) without them.
set -u
# shellcheck source=tests/live/lib.sh
. "$TOP/tests/live/lib.sh"
enter_netns "$@"
# shellcheck source=tests/cluster/nats_lib.sh
. "$TOP/tests/cluster/nats_lib.sh"

MODE=${1:?usage: live_sensor_test.sh mirror|batch-ms|restart}
HERE=$TOP/tests/cluster
T=$TOP/traces/campaign.pcap
CFG=$TOP/doc/examples/ss7watch.cfg
live_init sw_live_sensor
# as in the suite (atlocal): the scan rule counts distinct subscribers approximately, by a
# seeded hash: the single box and the worker must count alike
SS7WATCH_HASH_SEED=${SS7WATCH_HASH_SEED:-0}
export SS7WATCH_HASH_SEED
cd "$WORK" || fail "cd $WORK"
# NATS ports as in cluster_test.sh; the VTY and CTRL ports below them (p+1 ..)
base=$(( 20000 + ($$ % 900) * 10 ))
p=$(( 10000 + ($$ % 900) * 10 ))

command -v nats-server >/dev/null || skip "nats-server is not installed"

ctrl() {
	python3 "$TOP/tests/daemon/ctrl.py" -p "$1" GET "$2" 2>/dev/null
}

# ctrl_is PORT VAR VALUE (for wait_for)
ctrl_is() {
	[ "$(ctrl "$1" "$2")" = "$3" ]
}

# ctrl_sum_is PORT1 VAR1 PORT2 VAR2 N: the two add up to N
ctrl_sum_is() {
	_a=$(ctrl "$1" "$2") && _b=$(ctrl "$3" "$4") && [ $((_a + _b)) = "$5" ]
}

start_nodes() {
	for i in 1 2 3; do
		nats_conf "$i" "$base" "$WORK/store-$i" ss7watch-live > nats-$i.conf
		nats-server -c nats-$i.conf > nats-$i.log 2>&1 &
		PIDS="$PIDS $!"
	done
	for i in 1 2 3; do
		wait_for 10 "nats-server $i" grep -q "Server is ready" nats-$i.log
	done
}

# mkcfg FIRST VTY CTRL: the single-box detector config with a cluster section (servers from
# node FIRST on), a VTY and a CTRL port (0: none)
mkcfg() {
	cat "$CFG"
	echo "cluster"
	for k in 0 1 2; do
		echo " server nats://127.0.0.1:$((base + ($1 - 1 + k) % 3 + 1))"
	done
	printf ' replicas 3\n skew-ms 500\n idle-ms 500\n'
	[ "$2" = 0 ] || printf 'line vty\n no login\n bind 127.0.0.1 %s\n' "$2"
	[ "$3" = 0 ] || printf 'daemon\n ctrl-port %s\n' "$3"
}

# add_cluster FILE LINE...: lines into FILE's cluster section
add_cluster() {
	_f=$1
	shift
	for _l in "$@"; do
		sed -i "s|^cluster\$|&\n $_l|" "$_f"
	done
}

# sensor_summary LOG: the numbers of its `cluster sensor` line: published acked duplicates
sensor_summary() {
	sed -n 's/^cluster sensor .*: events published \([0-9]*\), acked \([0-9]*\) (\([0-9]*\) already.*/\1 \2 \3/p' "$1"
}

# stop_sensor PID LOG: SIGTERM; its exit status must be 0 and its line say it was acked
stop_sensor() {
	stop_ok 70 "sensor $1" "$1"
	grep -q '^cluster sensor ' "$2" || fail "$2: no cluster sensor summary"
	grep -q 'stopped: cluster sensor ' "$2" || fail "$2: no daemon summary"
}

# all_acked PORT: the sensor's CTRL says every event it published was acknowledged
all_acked() {
	_a=$(ctrl "$1" rate_ctr.abs.cluster_sensor.0.events:acked) &&
		_b=$(ctrl "$1" rate_ctr.abs.cluster_sensor.0.events:published) && [ "$_a" -gt 0 ] && [ "$_a" = "$_b" ]
}

worker_started() {
	grep -q consuming "$1"
}

do_mirror() {
	[ "$(id -u)" = 0 ] || skip "the mirror port test needs root (network namespace, veth pairs)"
	[ -n "${SW_IN_NETNS:-}" ] || skip "cannot make a network namespace (unshare -n)"
	command -v tcpreplay >/dev/null && command -v tcpprep >/dev/null || skip "tcpreplay is not installed"
	command -v tshark >/dev/null || skip "tshark is not installed (split_sls.py reads the SLS with it)"
	for s in a b; do
		ip link add swl${s}0 type veth peer name swl${s}1 || skip "cannot create a veth pair"
		for i in swl${s}0 swl${s}1; do
			sysctl -qw net.ipv6.conf.$i.disable_ipv6=1 2>/dev/null
			ip link set $i up || fail "ip link set $i up"
		done
	done
	# the whole trace, each frame's source MAC its site's, gaps of 2..20 ms: the reference
	# is the single-box run of exactly what the mirror ports will see
	python3 "$HERE/split_sls.py" --mirror "$T" mirror.pcap > split.txt || fail "split_sls.py"
	cat split.txt
	crossing=$(sed -n 's/.* crossing \([0-9]*\)$/\1/p' split.txt)
	[ "${crossing:-0}" -gt 0 ] || fail "no dialogue crosses the sites: the split tests nothing"
	"$SS7WATCH" -r mirror.pcap -c "$CFG" -o single.json 2> single.err || fail "single-box run"
	want=$(grep -c '"event_type":"alert"' single.json)
	[ "$want" -ge 20 ] || fail "the single-box run raised only $want alerts"
	frames=$(capinfos -c -M mirror.pcap 2>/dev/null | awk '/Number of packets/ { print $NF }')
	[ -n "$frames" ] || fail "capinfos mirror.pcap"
	# one tcpreplay, one timeline: site a's frames out of one pair, site b's out of the other
	tcpprep --mac=02:00:00:00:00:0a -i mirror.pcap -o mirror.cache > tcpprep.log 2>&1 || fail "tcpprep"

	start_nodes
	for s in a b; do
		n=$([ $s = a ] && echo 1 || echo 2)
		mkcfg $n $((p + n)) $((p + 10 + n)) > sensor-$s.cfg
		cat >> sensor-$s.cfg <<EOF
input pcap mirror-$s
 interface swl${s}1
 filter sctp
 snaplen 65535
 buffer-size 8
EOF
	done
	# one unit file for any role: sensor a and the worker take theirs from the config
	add_cluster sensor-a.cfg "role sensor a"
	mkcfg 3 $((p + 3)) $((p + 13)) > worker.cfg
	add_cluster worker.cfg "site a" "site b" "role worker 1"
	"$SS7WATCH" -c sensor-a.cfg > sensor-a.out 2> sensor-a.err &
	sa=$!
	"$SS7WATCH" -c sensor-b.cfg --site b > sensor-b.out 2> sensor-b.err &
	sb=$!
	PIDS="$PIDS $sa $sb"
	# the collector listens on the file's ports, worker 1 one above
	"$SS7WATCH" -c worker.cfg --collect -o collected.json 2> collector.log &
	PIDS="$PIDS $!"
	"$SS7WATCH" -c worker.cfg 2> worker.log &
	wk=$!
	PIDS="$PIDS $wk"
	for s in a b; do
		n=$([ $s = a ] && echo 1 || echo 2)
		wait_for 30 "sensor $s's capture" ctrl_is $((p + 10 + n)) input.mirror-$s.state running
		grep -q "sensor $s: publishing to ss7.events.$s, live" sensor-$s.err || fail "sensor $s does not publish"
	done
	wait_for 30 "the worker to start" worker_started worker.log
	grep -q 'worker-1' worker.log || fail "the config's role did not make a worker"
	# as the transformed trace says (speed 1): the rules compare capture times
	tcpreplay -q -c mirror.cache -i swla0 -I swlb0 mirror.pcap > tcpreplay.log 2>&1 || fail "tcpreplay"
	wait_for 20 "$frames frames at the sensors" ctrl_sum_is $((p + 11)) input.mirror-a.messages \
		$((p + 12)) input.mirror-b.messages "$frames"
	wait_for 60 "$want alerts collected" count_ge . collected.json "$want"
	# a late duplicate would show meanwhile
	sleep 1.5
	for s in a b; do
		n=$([ $s = a ] && echo 1 || echo 2)
		drops=$(ctrl $((p + 10 + n)) input.mirror-$s.drops)
		[ "${drops:-0}" = 0 ] || fail "sensor $s: the kernel dropped $drops frames"
	done
	stop_sensor $sa sensor-a.err
	stop_sensor $sb sensor-b.err
	grep -h '^cluster sensor' sensor-a.err sensor-b.err
	for s in a b; do
		set -- $(sensor_summary sensor-$s.err)
		[ "${1:-0}" -gt 0 ] && [ "$1" = "$2" ] && [ "$3" = 0 ] ||
			fail "sensor $s: published ${1:-?}, acked ${2:-?}, ${3:-?} already in the stream"
	done
	python3 "$HERE/compare_alerts.py" --want-site single.json collected.json > compare.txt
	_rc=$?
	cat compare.txt
	[ $_rc = 0 ] || fail "the collected alerts differ from the single-box run's"
	echo "mirror ports: $frames frames, crossing $crossing, $want alerts: the live sensors' alerts are the single-box run's"
}

do_batch_ms() {
	# the first frames of the campaign, then nothing: the batch of 4096 never fills
	editcap -r "$T" few.pcap 1-40 2>/dev/null || python3 - "$T" few.pcap <<'EOF' || fail "few.pcap"
import struct, sys
d = open(sys.argv[1], "rb").read()
off, n = 24, 0
while n < 40 and off + 16 <= len(d):
    off += 16 + struct.unpack("<I", d[off + 8:off + 12])[0]
    n += 1
open(sys.argv[2], "wb").write(d[:off])
EOF
	events=$("$SS7WATCH" --stats -r few.pcap 2>/dev/null | awk '$1 == "sccp.messages" { print $2 }')
	[ "${events:-0}" -gt 0 ] || fail "no SCCP message in few.pcap"
	start_nodes
	# the sensor's counters on its VTY, CTRL and statsd (the daemon's, with its own group)
	python3 "$HERE/statsd_listen.py" $((p + 7)) statsd.txt &
	PIDS="$PIDS $!"
	wait_for 10 "the statsd listener" test -f statsd.txt
	mkcfg 1 $((p + 1)) $((p + 11)) > sensor.cfg
	printf 'stats interval 1\nstats reporter statsd\n remote-ip 127.0.0.1\n remote-port %s\n prefix sw\n level global\n enable\n' \
		$((p + 7)) >> sensor.cfg
	add_cluster sensor.cfg "batch-ms 200" "batch-events 4096"
	printf 'input file few\n path %s/few.pcap\n' "$WORK" >> sensor.cfg
	mkcfg 2 0 $((p + 12)) > worker.cfg
	add_cluster worker.cfg "site s"
	"$SS7WATCH" -c worker.cfg --worker 1 2> worker.log &
	PIDS="$PIDS $!"
	wait_for 30 "the worker to start" worker_started worker.log
	"$SS7WATCH" -c sensor.cfg --site s > sensor.out 2> sensor.err &
	s=$!
	PIDS="$PIDS $s"
	wait_for 30 "the sensor to publish" grep -q 'publishing to' sensor.err
	# worker 1 listens one port above the file's
	wait_for 5 "worker 1 to consume the $events events (batch-ms 200)" \
		ctrl_is $((p + 13)) rate_ctr.abs.cluster_worker.1.events:consumed "$events"
	kill -0 $s 2>/dev/null || fail "the sensor stopped: nothing tested"
	published=$(ctrl $((p + 11)) rate_ctr.abs.cluster_sensor.0.batches:published)
	python3 "$HERE/vty_cmd.py" $((p + 1)) "show stats" > vty.txt || fail "VTY show stats"
	vty=$(sed -n 's/^ *Events published (in batches): *\([0-9]*\) .*/\1/p' vty.txt)
	[ "$vty" = "$events" ] || fail "VTY show stats: events published '$vty', not $events"
	python3 "$HERE/vty_cmd.py" $((p + 1)) "show alerts" > alerts.txt
	grep -q "cluster sensor s: no detector here" alerts.txt || fail "VTY show alerts of a sensor: $(cat alerts.txt)"
	stop_sensor $s sensor.err
	grep '^cluster sensor' sensor.err
	# statsd gets what a counter gained since the last report, and a last report at the stop
	statsd=$(sed -n 's/^sw\.cluster_sensor\.0\.events.published:\([0-9]*\)|c$/\1/p' statsd.txt | awk '{ n += $1 } END { print n + 0 }')
	[ "$statsd" = "$events" ] || fail "statsd: events:published sums to $statsd, not $events"
	echo "batch-ms: $events events in $published batch(es) consumed while the sensor was running"
	echo "live sensor counters: VTY, CTRL and statsd say $events events published"
}

do_restart() {
	python3 "$HERE/split_sls.py" "$T" a.pcap b.pcap > split.txt 2>/dev/null ||
		cp "$T" a.pcap
	start_nodes
	mkcfg 1 0 $((p + 11)) > sensor.cfg
	printf 'input file a\n path %s/a.pcap\n' "$WORK" >> sensor.cfg
	# no alert filters: the second run raises the first run's alerts again, on the same frames
	mkcfg 2 0 $((p + 12)) | sed '/^ \(alert-threshold\|rate-filter\|suppress\) /d' > worker.cfg
	add_cluster worker.cfg "site a"
	n=""
	for run in 1 2; do
		"$SS7WATCH" -c sensor.cfg --site a > sensor-$run.out 2> sensor-$run.err &
		s=$!
		PIDS="$PIDS $s"
		wait_for 30 "run $run to publish" grep -q 'publishing to' sensor-$run.err
		wait_for 30 "run $run's file read" grep -q 'read to its end' sensor-$run.err
		# what it published is acknowledged (the counters follow every 50 ms)
		wait_for 10 "run $run's events acknowledged" all_acked $((p + 11))
		stop_sensor $s sensor-$run.err
		grep '^cluster sensor' sensor-$run.err
		set -- $(sensor_summary sensor-$run.err)
		[ "${1:-0}" -gt 0 ] || fail "run $run published nothing"
		[ -z "$n" ] || [ "$1" = "$n" ] || fail "run $run published $1 events, run 1 $n"
		n=$1
		# the run is part of the ids: nothing of the second run is taken for the first's
		[ "$2" = "$1" ] && [ "$3" = 0 ] ||
			fail "run $run: $1 events published, $2 acked, $3 already in the stream (dropped as duplicates)"
	done
	"$SS7WATCH" -c worker.cfg --worker 1 2> worker.log &
	w=$!
	PIDS="$PIDS $w"
	wait_for 30 "the worker to drain the stream" grep -q 'drained' worker.log
	grep 'drained' worker.log
	grep -q "drained: $((2 * n)) events processed" worker.log ||
		fail "the worker did not process both runs ($((2 * n)) events)"
	stop_ok 30 "the worker" $w
	grep '^cluster worker-1: alerts' worker.log
	# the second run's alerts on the same frames name their run: none taken for the first's
	alerts=$(sed -n 's/^cluster worker-1: alerts published \([0-9]*\), acked \1, duplicate 0,.*/\1/p' worker.log)
	[ "${alerts:-0}" -gt 0 ] || fail "the worker's alerts were not all acknowledged as new"
	echo "restart: 2 runs of $n events each, none already in the stream, $((2 * n)) processed by the worker," \
		"$alerts alerts, none a duplicate"
}

case $MODE in
mirror) do_mirror ;;
batch-ms) do_batch_ms ;;
restart) do_restart ;;
*) fail "unknown mode $MODE" ;;
esac
