#!/bin/bash
# Messages per second end to end through the cluster (doc/cluster.md) on this machine: a
# 3-node NATS JetStream cluster on loopback, the benchmark trace split by SLS across 2 sensors
# publishing together, 1 then 2 workers and the collector; and the single-box run of the same
# trace (ss7watch -r) beside them, with the ratio.
#
#   contrib/bench_cluster.sh [-n MESSAGES] [-b BUILD_DIR] [-t TRACE] [-e BATCH_EVENTS]
#
# -e: the sensors' batch-events (default the config's, 256; 1 publishes one event per NATS
# message, as before batching).
# The trace: -t, else bench-data/scenario-N.pcap (contrib/bench.sh's), else the first N frames
# of bench-data/scenario-1000000.pcap, else generated with contrib/ss7gen.py. End to end is
# from the sensors' first publish to the last event a worker consumed (its last events are
# then processed when the stream has been idle for idle-ms: 2000 here, long enough that a
# sensor stalled by JetStream on a loaded machine does not look like the end of the input);
# the last event processed and the last alert published are shown beside it.
# Use a build without sanitizers (-b). Needs nats-server, tshark, python3.
set -e
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../tests/cluster/nats_lib.sh
. "$top/tests/cluster/nats_lib.sh"
n=200000
build="$top/build"
trace=""
batch_events=""
while getopts "n:b:t:e:" o; do
	case $o in
	n) n=$OPTARG ;;
	b) build=$OPTARG ;;
	t) trace=$OPTARG ;;
	e) batch_events=$OPTARG ;;
	*) echo "usage: $0 [-n MESSAGES] [-b BUILD_DIR] [-t TRACE] [-e BATCH_EVENTS]"; exit 2 ;;
	esac
done
bin="$(cd "$build" 2>/dev/null && pwd)/src/ss7watch"
die() {
	echo "$(basename "$0"): $*"
	exit 1
}
for t in nats-server tshark python3; do
	command -v $t >/dev/null || die "$t missing (contrib/install-deps.sh)"
done
[ -x "$bin" ] || die "no $bin: build first (or -b BUILD_DIR)"
"$bin" --help | grep -q -- --worker || die "$bin has no cluster modes (configure found no libnats)"

data="$top/bench-data"
if [ -z "$trace" ]; then
	mkdir -p "$data"
	trace="$data/scenario-$n.pcap"
	if [ ! -f "$trace" ]; then
		if [ -f "$data/scenario-1000000.pcap" ]; then
			editcap -F pcap -r "$data/scenario-1000000.pcap" "$trace" "1-$n"
		else
			python3 "$top/contrib/ss7gen.py" scenario -n "$n" --seed 1 -o "$trace"
		fi
	fi
fi
work=$(mktemp -d /tmp/bench-cluster.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill -9 "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
cfg="$top/doc/examples/ss7watch.cfg"
export SS7WATCH_HASH_SEED=0

# --- the single box ---
t0=$(date +%s.%N)
"$bin" -r "$trace" -c "$cfg" -o single.json --summary 2> single.log
t1=$(date +%s.%N)
msgs=$(sed -n 's/^messages \([0-9]*\),.*/\1/p' single.log)
single_alerts=$(grep -c '"event_type":"alert"' single.json || true)
# messages/s count SCCP messages (the events the sensors publish) everywhere; the single
# box's detector counts those that reach it (without SCCP management and the like)
sccp=$("$bin" --stats -r "$trace" | awk '$1 == "sccp.messages" { print $2 }')
[ -n "$sccp" ] || sccp=$msgs
single_rate=$(echo "$sccp / ($t1 - $t0)" | bc -l)
printf "trace %s: %d SCCP messages (%d to the detector), single box (ss7watch -r): %.2f s, %.0f messages/s, %d alerts\n" \
	"$(basename "$trace")" "$sccp" "$msgs" "$(echo "$t1 - $t0" | bc -l)" "$single_rate" "$single_alerts"

python3 "$top/tests/cluster/split_sls.py" "$trace" a.pcap b.pcap

base=$(( 30000 + ($$ % 500) * 10 ))
start_cluster() {
	for i in 1 2 3; do
		nats_conf "$i" "$base" "$work/run$1/store-$i" bench > nats-$i.conf
		nats-server -c nats-$i.conf > nats-$i.log 2>&1 &
		nodes[$i]=$!
		pids+=($!)
	done
	for i in 1 2 3; do
		until grep -q "Server is ready" nats-$i.log; do sleep 0.1; done
	done
}
stop_cluster() {
	for i in 1 2 3; do
		kill "${nodes[$i]}" 2>/dev/null || true
		wait "${nodes[$i]}" 2>/dev/null || true
	done
}
mkcfg() {
	cat "$cfg"
	echo "cluster"
	for k in 0 1 2; do
		echo " server nats://127.0.0.1:$((base + ($1 - 1 + k) % 3 + 1))"
	done
	printf ' site a\n site b\n replicas 3\n skew-ms 500\n idle-ms 2000\n max-pending 4096\n'
	[ -z "$batch_events" ] || echo " batch-events $batch_events"
}
mkcfg 1 > sensor-a.cfg
mkcfg 2 > sensor-b.cfg
mkcfg 3 > worker.cfg

declare -A rate
for workers in 1 2; do
	mkdir -p run$workers
	start_cluster $workers
	rm -f collected.json worker-*.log collector.log
	"$bin" -c worker.cfg --collect -o collected.json 2> collector.log &
	col=$!
	pids+=($col)
	wp=()
	for w in $(seq 1 $workers); do
		"$bin" -c worker.cfg --worker "$w" 2> worker-$w.log &
		wp+=($!)
		pids+=($!)
	done
	for w in $(seq 1 $workers); do
		until grep -q consuming worker-$w.log; do sleep 0.1; done
	done
	"$bin" -c sensor-a.cfg --site a -r a.pcap 2> sensor-a.log &
	sa=$!
	"$bin" -c sensor-b.cfg --site b -r b.pcap 2> sensor-b.log &
	sb=$!
	wait $sa || { cat sensor-a.log; die "sensor a failed"; }
	wait $sb || { cat sensor-b.log; die "sensor b failed"; }
	published=$(sed -n 's/^cluster sensor .: events published \([0-9]*\),.*/\1/p' sensor-a.log sensor-b.log |
		    paste -sd+ | bc)
	tfirst=$(sed -n 's/.*since the first publish (at \([0-9.]*\)).*/\1/p' sensor-a.log sensor-b.log | sort -n | head -1)
	for w in $(seq 1 $workers); do
		until grep -q "drained: $published events processed" worker-$w.log; do sleep 0.2; done
	done
	sleep 1
	kill -TERM $col "${wp[@]}"
	wait $col "${wp[@]}" 2>/dev/null || true
	tlast=$(sed -n 's/.*last event consumed at \([0-9.]*\),.*/\1/p' worker-*.log | sort -n | tail -1)
	tproc=$(sed -n 's/.*last event processed at \([0-9.]*\),.*/\1/p' worker-*.log | sort -n | tail -1)
	talert=$(sed -n 's/.*last alert at \([0-9.]*\) (wall clock)$/\1/p' worker-*.log | sort -n | tail -1)
	# no alert at all: say +0
	[ "${talert%%.*}" != 0 ] || talert=$tfirst
	collected=$(wc -l < collected.json)
	rate[$workers]=$(echo "$published / ($tlast - $tfirst)" | bc -l)
	printf "cluster, 2 sensors, %d worker(s): %d events, first publish to last event consumed %.2f s: %.0f messages/s (%.2fx the single box); last event processed at +%.2f s (idle-ms 2000), last alert published at +%.2f s; %d alerts collected (single box %d)\n" \
		"$workers" "$published" "$(echo "$tlast - $tfirst" | bc -l)" "${rate[$workers]}" \
		"$(echo "${rate[$workers]} / $single_rate" | bc -l)" "$(echo "$tproc - $tfirst" | bc -l)" \
		"$(echo "$talert - $tfirst" | bc -l)" "$collected" "$single_alerts"
	grep -h '^cluster sensor' sensor-a.log sensor-b.log | sed 's/^/  /'
	grep -h '^cluster worker-[0-9]*: events' worker-*.log | sed 's/^/  /'
	if [ "$workers" = 2 ]; then
		# a worker started on the full stream, the sensors done: what one worker takes when
		# nothing else runs, and how fast a restarted worker rebuilds its state
		"$bin" -c worker.cfg --worker 3 2> worker-3.log &
		w3=$!
		pids+=($w3)
		until grep -q "drained: $published events processed" worker-3.log; do sleep 0.2; done
		kill -TERM $w3
		wait $w3 2>/dev/null || true
		w3first=$(sed -n 's/.*: first event at \([0-9.]*\),.*/\1/p' worker-3.log)
		w3last=$(sed -n 's/.*last event consumed at \([0-9.]*\),.*/\1/p' worker-3.log)
		catchup=$(echo "$published / ($w3last - $w3first)" | bc -l)
		printf "a worker started on the full stream (a restart): %d events in %.2f s: %.0f messages/s (%.2fx the single box)\n" \
			"$published" "$(echo "$w3last - $w3first" | bc -l)" "$catchup" "$(echo "$catchup / $single_rate" | bc -l)"
	fi
	stop_cluster
done
printf "messages/s: single box %.0f, cluster 1 worker %.0f (%.2fx), 2 workers %.0f (%.2fx), one worker on the full stream %.0f (%.2fx)\n" \
	"$single_rate" "${rate[1]}" "$(echo "${rate[1]} / $single_rate" | bc -l)" "${rate[2]}" \
	"$(echo "${rate[2]} / $single_rate" | bc -l)" "$catchup" "$(echo "$catchup / $single_rate" | bc -l)"
