#!/bin/sh
# The cluster on a 3-node NATS JetStream cluster on loopback (tests/cluster.at):
#   cluster_test.sh workers N [B]   2 sensors (the campaign split by SLS), then N workers and a
#                                   collector: the collected alerts are the single-box ones
#                                   (B: the sensors' batch-events, 1 the degenerate batch)
#   cluster_test.sh kill-worker     the same with 2 workers, worker 1 SIGKILLed once the
#                                   collector has written some alerts, then restarted
#   cluster_test.sh kill-node       the same with 2 workers, one NATS node SIGKILLed while the
#                                   sensors publish and the workers detect
#   cluster_test.sh kill-worker-node  the same with 2 workers, the NATS node they and the
#                                   collector are connected to SIGKILLed while they detect:
#                                   cut off, a worker holds its events (idle is not drained)
#   cluster_test.sh kill-collector  the collector SIGKILLed mid-run and restarted
#   cluster_test.sh tls             the nodes on TLS (clients and routes, certificates verified
#                                   both ways) with a user and password: 1 worker; and the
#                                   processes without the user, with another CA, or without TLS
#                                   are refused, saying why
#   cluster_test.sh rotate          the collector's file rotated mid-run (mv, SIGHUP), then
#                                   again while it is stopped: the files hold each alert once
#   cluster_test.sh max-hold        site a silent (its sensor never starts), site b published;
#                                   idle-ms 60 s: with max-hold-ms 2000 the worker releases b's
#                                   events anyway, and its alerts are those of b alone
#   cluster_test.sh counters        1 worker: its counters and sensor a's on the VTY, CTRL and
#                                   statsd are those of their exit summaries
# Environment: SS7WATCH (the binary), TOP (the source tree). Runs in the current directory;
# stops every process it started, whatever happens.
set -e
mode=$1
T=$TOP/traces/campaign.pcap
CFG=$TOP/doc/examples/ss7watch.cfg
# shellcheck source=tests/cluster/nats_lib.sh
. "$TOP/tests/cluster/nats_lib.sh"
HERE=$TOP/tests/cluster
# ports that another run of the suite (or the examples' 1422x) does not use
base=$(( 20000 + ($$ % 900) * 10 ))
pids=""

cleanup() {
	for p in $pids; do
		kill -9 "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*"
	for f in *.log; do
		[ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }
	done
	exit 1
}

if [ "$mode" = tls ]; then
	NATS_TLS=$PWD/certs
	NATS_USER=ss7watch
	NATS_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	nats_certs "$NATS_TLS" || fail "openssl could not make the test certificates"
fi

# wait_grep PATTERN SECONDS WHAT FILE...: until a line of the files matches, or fail saying
# that WHAT did not happen
wait_grep() {
	pat=$1 secs=$2 what=$3
	shift 3
	n=0
	until grep -q -e "$pat" "$@" 2>/dev/null; do
		n=$((n + 1))
		[ $n -le $((secs * 10)) ] || fail "$what in $secs s"
		sleep 0.1
	done
}

start_node() {
	i=$1
	nats_conf "$i" "$base" "$PWD/store-$i" ss7watch-test > nats-$i.conf
	nats-server -c nats-$i.conf > nats-$i.log 2>&1 &
	eval "node$i=$!"
	pids="$pids $!"
}

# the detector config of the single-box tests with a cluster section; $1 = first server
mkcfg() {
	first=$1
	cat "$CFG"
	echo "cluster"
	for k in 0 1 2; do
		echo " server nats://127.0.0.1:$((base + (first - 1 + k) % 3 + 1))"
	done
	echo " replicas 3"
	echo " skew-ms 500"
	echo " idle-ms $IDLE"
	[ -z "$BATCH_EVENTS" ] || echo " batch-events $BATCH_EVENTS"
	if [ -n "${NATS_TLS:-}" ]; then
		echo " tls-ca $NATS_TLS/ca.pem"
		echo " tls-cert $NATS_TLS/client.pem $NATS_TLS/client.key"
		echo " user $NATS_USER $NATS_PASSWORD"
	fi
}
BATCH_EVENTS=""
[ "$mode" != workers ] || BATCH_EVENTS=${3:-}
# small batches when a worker or a node is to be killed mid-run: a sensor publishes the
# campaign's 256-event batches in milliseconds, and a worker takes them in one fetch
case $mode in kill-worker|kill-node|kill-worker-node) BATCH_EVENTS=4 ;; esac
# and a worker to be killed (or cut off) takes 2 events at a time: with 4 it sometimes
# finished first
case $mode in kill-worker|kill-worker-node|rotate) BATCH_EVENTS=2 ;; esac
# a worker releases what it holds after idle-ms without events, unless every site's sensor
# said its run ended: longer than a sensor can stall when its node dies (JetStream electing
# leaders, publishes retried), or the stalled site's events come late
IDLE=500
case $mode in kill-node|max-hold) IDLE=60000 ;; esac

lines() {
	if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi
}

# the workers draw their seed as in production (the suite fixes it for everything else):
# the first one's goes into the cluster's key-value bucket, and every worker takes it
start_worker() {
	env -u SS7WATCH_HASH_SEED $SS7WATCH -c worker.cfg --worker "$1" 2>> worker-$1.log &
	eval "worker$1=$!"
	pids="$pids $!"
}

start_collector() {
	$SS7WATCH -c worker.cfg --collect -o collected.json 2>> collector.log &
	collector=$!
	pids="$pids $!"
}

# wait until workers $* consume the events stream (they took the seed and subscribed)
wait_consuming() {
	for w in "$@"; do
		wait_grep "^ss7watch: worker-$w: consuming" 30 "worker $w did not start consuming" worker-$w.log
	done
}

# wait until file $1 has at least $2 lines, at most $3 seconds
wait_lines() {
	n=0
	while [ "$(lines "$1")" -lt "$2" ]; do
		n=$((n + 1))
		[ $n -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

stop() {
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# the single-box reference, with the seed of the cluster's workers (the scan estimate
# counts hash bits): once a worker has said which it is
reference() {
	ref_trace=${1:-$T}
	wait_grep '^ss7watch: worker-[0-9]*: hash seed ' 30 "no worker said its hash seed" worker-1.log worker-2.log
	seed=$(sed -n "s/^ss7watch: worker-[0-9]*: hash seed \(0x[0-9a-f]*\) (the cluster's, key-value bucket .*)\$/\1/p" worker-*.log | head -1)
	[ -n "$seed" ] || fail "the workers did not take the cluster's hash seed: $(grep -h 'hash seed' worker-*.log)"
	SS7WATCH_HASH_SEED=$seed $SS7WATCH -r "$ref_trace" -c "$CFG" -o single.json 2> single.log || fail "single-box run"
	want=$(grep -c '"event_type":"alert"' single.json)
	[ "$want" -ge 20 ] || fail "the single-box run raised only $want alerts"
}

# every worker hashed with the same seed, the cluster's
same_seed() {
	for f in worker-*.log; do
		grep -q "^ss7watch: worker-.: hash seed " "$f" || fail "$f: no hash seed"
	done
	sed -n 's/^ss7watch: worker-.: \(hash seed .*\)/\1/p' worker-*.log | sort -u > seeds.txt
	[ "$(wc -l < seeds.txt)" -eq 1 ] || fail "the workers hashed with different seeds: $(cat seeds.txt)"
	echo "every worker: $(cat seeds.txt)"
}

# --- the sites ---
python3 "$HERE/split_sls.py" "$T" a.pcap b.pcap > split.txt
cat split.txt
crossing=$(sed -n 's/.* crossing \([0-9]*\)$/\1/p' split.txt)
[ "${crossing:-0}" -gt 0 ] || fail "no dialogue crosses the sites: the split tests nothing"

mkcfg 1 > sensor-a.cfg
mkcfg 2 > sensor-b.cfg
# the workers wait for both sites (they may start before the sensors); small fetches when a
# worker is to be killed mid-run (it then publishes its alerts over many of them: one batch
# each)
BATCH=256
case $mode in kill-worker|kill-worker-node|rotate) BATCH=1 ;; esac
mkcfg 3 | sed "s/^cluster\$/cluster\n site a\n site b\n fetch-batch $BATCH/" > worker.cfg

for i in 1 2 3; do
	start_node $i
done
# every node ready (the sensors' stream creation waits for JetStream's leader)
for i in 1 2 3; do
	wait_grep "Server is ready" 10 "nats-server $i did not start" nats-$i.log
done

publish() {
	$SS7WATCH -c sensor-a.cfg --site a -r a.pcap 2> sensor-a.log &
	sa=$!
	$SS7WATCH -c sensor-b.cfg --site b -r b.pcap 2> sensor-b.log &
	sb=$!
	wait $sa || fail "sensor a"
	wait $sb || fail "sensor b"
	cat sensor-a.log sensor-b.log | grep '^cluster sensor'
	batched
}

# the sensors put many events in one message (one each with batch-events 1)
batched() {
	for s in a b; do
		e=$(sed -n 's/^cluster sensor .: events published \([0-9]*\),.* in batches \([0-9]*\) .*/\1 \2/p' sensor-$s.log)
		set -- $e
		[ "${1:-0}" -gt 0 ] || fail "sensor $s published no event"
		if [ "$BATCH_EVENTS" = 1 ]; then
			[ "$1" -eq "$2" ] || fail "sensor $s: $1 events in $2 batches with batch-events 1"
		else
			[ "$1" -gt "$2" ] || fail "sensor $s: $1 events in $2 batches: not batched"
		fi
		echo "sensor $s: $1 events in $2 batches"
	done
}

# every worker of $* processed every event the sensors published: a replica that is behind
# (its node lost, JetStream electing leaders for seconds) catches up, none stays stuck
all_drained() {
	total=$(sed -n 's/^cluster sensor .: events published \([0-9]*\),.*/\1/p' sensor-?.log | paste -sd+ | bc)
	for w in "$@"; do
		wait_grep "^ss7watch: worker-$w: drained: $total events processed" 90 \
			"worker $w did not process all $total events" worker-$w.log
	done
	echo "every worker processed all $total events"
}

# the collector and 2 workers consume before there is anything to consume, the sensors
# publish, and some alerts are in: both workers are mid-run
two_workers_running() {
	start_collector
	start_worker 1
	start_worker 2
	wait_consuming 1 2
	publish
	wait_lines collected.json 5 60 || fail "no alerts collected in 60 s"
}

check() {
	all_drained "$@"
	# a little longer than the workers' idle-ms: a late duplicate would show
	sleep 1.5
	stop $collector
	for w in $*; do
		eval "stop \$worker$w"
	done
	grep -h '^cluster' worker-*.log collector.log | sed 's/^/  /'
	same_seed
	python3 "$HERE/compare_alerts.py" --want-site single.json collected.json || fail "collected alerts differ"
}

case $mode in
workers)
	publish
	# a sensor run again on the same capture adds nothing: every event is already there
	$SS7WATCH -c sensor-a.cfg --site a -r a.pcap 2> sensor-a-again.log || fail "sensor a again"
	na=$(sed -n 's/^cluster sensor a: events published \([0-9]*\),.*/\1/p' sensor-a.log)
	grep "^cluster sensor a" sensor-a-again.log
	grep -q "acked $na ($na already in the stream)" sensor-a-again.log ||
		fail "sensor a run again added events to the stream"
	start_collector
	w=1
	while [ $w -le "$2" ]; do
		start_worker $w
		w=$((w + 1))
	done
	reference
	wait_lines collected.json "$want" 60 || fail "collected $(lines collected.json) of $want alerts in 60 s"
	check $(seq 1 "$2")
	;;
kill-worker)
	two_workers_running
	# worker 1 dies without a word, and comes back
	kill -9 $worker1
	wait $worker1 2>/dev/null || true
	at=$(lines collected.json)
	echo "worker 1 killed after $at alerts"
	# the reference after the kill: run while the workers detect, it would let them finish
	reference
	[ "$at" -lt "$want" ] || fail "the workers had finished before worker 1 was killed: nothing tested"
	# worker 2 alone finishes the run, the new worker 1 replays the whole stream
	start_worker 1
	wait_lines collected.json "$want" 60 || fail "collected $(lines collected.json) of $want alerts in 60 s"
	# the restarted worker published every alert again: the stream dropped them all
	n=0
	until grep -q "^cluster worker-1: alerts published" worker-1.log 2>/dev/null; do
		n=$((n + 1))
		[ $n -le 1 ] || break
		sleep 2
	done
	check 1 2
	grep -q 'alerts published .*duplicate [1-9]' worker-1.log worker-2.log ||
		fail "no worker saw a duplicate acknowledgement: nobody published twice"
	;;
kill-node)
	start_collector
	start_worker 1
	start_worker 2
	reference
	wait_consuming 1 2
	$SS7WATCH -c sensor-a.cfg --site a -r a.pcap 2> sensor-a.log &
	sa=$!
	$SS7WATCH -c sensor-b.cfg --site b -r b.pcap 2> sensor-b.log &
	sb=$!
	# nats-1 dies while the sensors publish (sensor a is connected to it) and the workers
	# detect: the R3 streams keep their quorum on the other two
	n=0
	until grep -q publishing sensor-a.log 2>/dev/null; do
		n=$((n + 1))
		[ $n -le 300 ] || fail "sensor a did not start"
		sleep 0.02
	done
	kill -9 $node1
	echo "nats-1 killed after $(lines collected.json) alerts"
	wait $sa || fail "sensor a"
	wait $sb || fail "sensor b"
	cat sensor-a.log sensor-b.log | grep '^cluster sensor'
	batched
	wait_lines collected.json "$want" 90 || fail "collected $(lines collected.json) of $want alerts in 90 s"
	check 1 2
	grep -h 'reconnected to' *.log || fail "no process lost its node: the test killed nothing in use"
	;;
kill-worker-node)
	two_workers_running
	# nats-3, the workers' and the collector's first server, dies: the streams keep their
	# quorum on the other two. Cut off for seconds, longer than idle-ms, a worker must not
	# take that for the end of the stream
	kill -9 $node3
	at=$(lines collected.json)
	echo "nats-3 killed after $at alerts"
	reference
	[ "$at" -lt "$want" ] || fail "the workers had finished before nats-3 was killed: nothing tested"
	wait_lines collected.json "$want" 90 || fail "collected $(lines collected.json) of $want alerts in 90 s"
	check 1 2
	grep -h 'reconnected to' worker-*.log || fail "no worker lost its node: the test killed nothing in use"
	# in order: no event processed after the worker had released later ones
	for w in 1 2; do
		grep -q "^cluster worker-$w: .* late 0," worker-$w.log || fail "worker $w processed events late"
	done
	;;
kill-collector)
	publish
	start_collector
	start_worker 1
	reference
	wait_lines collected.json "$want" 60 || fail "collected $(lines collected.json) of $want alerts in 60 s"
	kill -9 $collector
	wait $collector 2>/dev/null || true
	# as if it had died while writing line 21 of what it had fetched (and acked): the file is
	# what counts, the stream gives the rest again
	head -20 collected.json > cut.json
	sed -n 21p collected.json | head -c 100 >> cut.json
	mv cut.json collected.json
	echo "collector killed, its file cut to 20 lines and a half"
	start_collector
	wait_lines collected.json "$want" 60 || fail "collected $(lines collected.json) of $want alerts in 60 s"
	# and killed again with nothing left to write: a restart adds nothing
	kill -9 $collector
	wait $collector 2>/dev/null || true
	start_collector
	check 1
	grep -q 'cut 100 bytes of a last line' collector.log || fail "the collector did not cut the unfinished line"
	;;
rotate)
	publish
	start_collector
	start_worker 1
	# logrotate's way: move the file, then SIGHUP; the collector goes on in a new file
	wait_lines collected.json 5 60 || fail "no alerts collected in 60 s"
	mv collected.json rotated-1.json
	kill -HUP $collector
	wait_grep 'SIGHUP: collected.json opened again' 10 "the collector did not open its file again" collector.log
	kill -0 $collector 2>/dev/null || fail "SIGHUP stopped the collector"
	reference
	echo "rotated after $(lines rotated-1.json) alerts"
	[ "$(lines rotated-1.json)" -lt "$want" ] || fail "every alert was in before the rotation: nothing tested"
	n=0
	until [ $(( $(lines rotated-1.json) + $(lines collected.json) )) -ge "$want" ]; do
		n=$((n + 1))
		[ $n -le 600 ] || fail "collected $(( $(lines rotated-1.json) + $(lines collected.json) )) of $want alerts in 60 s"
		sleep 0.1
	done
	# rotated again while the collector is stopped: started on an empty file, it must not
	# write again what the rotated files hold
	stop $collector
	mv collected.json rotated-2.json
	start_collector
	wait_grep 'is empty but stream sequence .* was written and acknowledged' 10 \
		"the restarted collector did not go on after what it had acknowledged" collector.log
	sleep 1.5
	[ "$(lines collected.json)" = 0 ] || fail "the restarted collector wrote $(lines collected.json) alerts again"
	echo "rotated again after $(lines rotated-2.json) more; the restarted collector wrote nothing again"
	cat rotated-1.json rotated-2.json >> collected.json
	check 1
	;;
max-hold)
	echo " max-hold-ms 2000" >> worker.cfg
	start_collector
	start_worker 1
	# site a is configured and says nothing: it holds the watermark at its start, and the
	# stream is idle only after 60 s
	$SS7WATCH -c sensor-b.cfg --site b -r b.pcap 2> sensor-b.log || fail "sensor b"
	reference "$PWD/b.pcap"
	wait_lines collected.json "$want" 15 || fail "collected $(lines collected.json) of $want alerts in 15 s"
	grep -q 'drained' worker-1.log && fail "worker 1 drained: max-hold-ms was not what released the events"
	stop $worker1
	grep -q "^cluster worker-1: .*after max-hold-ms [1-9]" worker-1.log || fail "no event released after max-hold-ms"
	stop $collector
	python3 "$HERE/compare_alerts.py" --want-site single.json collected.json || fail "collected alerts differ"
	echo "site a silent, idle-ms 60 s: $want alerts of site b in time, $(sed -n 's/.*after max-hold-ms \([0-9]*\)).*/\1/p' worker-1.log) events released after max-hold-ms"
	;;
tls)
	# refused, each saying why: no login, a CA that did not sign the servers' certificates,
	# no CA (nor certificate) of ours
	refused() {
		if $SS7WATCH -c "$1.cfg" --collect -o refused.json 2> "$1.log"; then
			fail "the collector connected $2"
		fi
		grep -q "cannot connect to the NATS servers .*$3" "$1.log" ||
			fail "the collector $2 did not say '$3': $(cat "$1.log")"
		echo "refused $2: $(grep 'cannot connect' "$1.log" | sed 's/.*: //')"
	}
	grep -v '^ user ' worker.cfg > nouser.cfg
	refused nouser "without the user" "[Aa]uthorization"
	sed "s|^ tls-ca .*| tls-ca $NATS_TLS/other-ca.pem|" worker.cfg > otherca.cfg
	refused otherca "with another CA" "SSL handshake error: .*certificate"
	grep -v '^ tls-cert ' worker.cfg > nocert.cfg
	refused nocert "without tls-cert (the servers verify clients)" "give tls-cert"
	# libnats takes TLS when the server requires it, and verifies it against the system's CAs
	grep -v '^ tls-' worker.cfg > notls.cfg
	refused notls "without tls-ca" "SSL handshake error"
	publish
	start_collector
	start_worker 1
	reference
	wait_lines collected.json "$want" 60 || fail "collected $(lines collected.json) of $want alerts in 60 s"
	check 1
	;;
counters)
	# worker.cfg's VTY and CTRL ports p+1 and p+3: the collector's, worker 1's are one above
	# (p+2, p+4); sensor a's p+5 and p+6; statsd p+7. Below the ephemeral ports (32768-)
	# that connections take, and the NATS ones (20000-)
	p=$(( 10000 + ($$ % 900) * 10 ))
	python3 "$HERE/statsd_listen.py" $((p + 7)) statsd.txt &
	pids="$pids $!"
	# what is sent before it listens is lost
	n=0
	until [ -f statsd.txt ]; do
		n=$((n + 1))
		[ $n -le 100 ] || fail "the statsd listener did not start"
		sleep 0.1
	done
	osmo_sections() {
		printf 'line vty\n no login\n bind 127.0.0.1 %s\ndaemon\n ctrl-port %s\nstats interval 1\n' "$1" "$2"
		printf 'stats reporter statsd\n remote-ip 127.0.0.1\n remote-port %s\n prefix sw\n level global\n enable\n' \
			$((p + 7))
	}
	osmo_sections $((p + 5)) $((p + 6)) >> sensor-a.cfg
	osmo_sections $((p + 1)) $((p + 3)) >> worker.cfg
	publish
	grep -q "VTY on port $((p + 5)), CTRL on port $((p + 6))" sensor-a.log || fail "sensor a opened no VTY and CTRL"
	start_collector
	start_worker 1
	reference
	wait_lines collected.json "$want" 60 || fail "collected $(lines collected.json) of $want alerts in 60 s"
	wait_grep drained 30 "worker 1 did not drain the stream" worker-1.log
	python3 "$HERE/vty_cmd.py" $((p + 2)) "show stats" > vty.txt || fail "VTY show stats"
	vty=$(sed -n 's/^ *Events received from the events stream: *\([0-9]*\) .*/\1/p' vty.txt)
	ctrl=$(python3 "$TOP/tests/daemon/ctrl.py" -p $((p + 4)) GET rate_ctr.abs.cluster_worker.1.events:consumed) ||
		fail "CTRL GET rate_ctr.abs.cluster_worker.1.events:consumed"
	# a report of the stats interval (1 s) after the last event
	sleep 1.5
	check 1
	summary=$(sed -n 's/^cluster worker-1: events consumed \([0-9]*\),.*/\1/p' worker-1.log)
	# statsd gets what a counter gained since the last report
	statsd=$(sed -n 's/^sw\.cluster_worker\.1\.events.consumed:\([0-9]*\)|c$/\1/p' statsd.txt | awk '{ n += $1 } END { print n + 0 }')
	[ "${summary:-0}" -gt 0 ] || fail "worker 1 consumed nothing"
	[ "$vty" = "$summary" ] || fail "VTY show stats: events consumed '$vty', the exit summary $summary"
	[ "$ctrl" = "$summary" ] || fail "CTRL events:consumed '$ctrl', the exit summary $summary"
	[ "$statsd" = "$summary" ] || fail "statsd events:consumed sums to $statsd, the exit summary $summary"
	echo "worker-1 events consumed $summary: VTY, CTRL and statsd agree"
	published=$(sed -n 's/^cluster sensor a: events published \([0-9]*\),.*/\1/p' sensor-a.log)
	statsd=$(sed -n 's/^sw\.cluster_sensor\.0\.events.published:\([0-9]*\)|c$/\1/p' statsd.txt | awk '{ n += $1 } END { print n + 0 }')
	[ "$statsd" = "$published" ] || fail "statsd: sensor a's events:published sums to $statsd, the exit summary $published"
	echo "sensor a events published $published: statsd agrees"
	;;
*)
	echo "usage: cluster_test.sh workers N [BATCH_EVENTS]|kill-worker|kill-node|kill-worker-node|kill-collector|rotate|max-hold|tls|counters" >&2
	exit 2
	;;
esac
echo "cluster $mode: OK"
