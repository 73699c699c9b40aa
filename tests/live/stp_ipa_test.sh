#!/bin/sh
# Live tests against a real osmo-stp on loopback, over IPA (SCCPlite over TCP), or M3UA over
# SCTP with PROTO=m3ua (compare only; exits 77 when the kernel has no SCTP).
#
#   stp_ipa_test.sh compare TRACE...   replay traces through osmo-stp; the receiver decodes
#                                      what the offline decoder decodes
#   stp_ipa_test.sh reconnect          kill and restart osmo-stp mid-replay: the receiver
#                                      reconnects by itself and gets the later messages
#   stp_ipa_test.sh badpeer            garbage and half messages on the receiver's sockets
#                                      (as ASP and as SG) do not stop it
#
# Needs SS7WATCH, SS7REPLAY and RX_TEST (the receiver) in the environment; SW_KEEP_WORK=1 keeps
# the logs. As root, runs in its own network namespace.
set -u

# shellcheck source=SCRIPTDIR/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
enter_netns "$@"

MODE=${1:?usage: stp_ipa_test.sh compare TRACE... | reconnect | badpeer}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
PROTO=${PROTO:-ipa}
PORT_M3UA=14005		# the STP's M3UA server
PORT_M3UA_RX=14006	# fixed local ports: osmo-stp knows its static M3UA ASPs by them
PORT_M3UA_REPLAY=14007
live_init sw_live

# the same over M3UA: static ASPs known by their ports; the receiver gets only MSUs for its
# own point code (libosmo-sigtran 1.6), so ss7replay sends everything to DPC 0.23.2
write_stp_cfg_m3ua() {
	{
		stp_cfg_head
		cat <<EOF
 asp ss7watch $PORT_M3UA_RX $PORT_M3UA m3ua
 asp ss7replay $PORT_M3UA_REPLAY $PORT_M3UA m3ua
 as ss7watch m3ua
  asp ss7watch
  routing-key 12 0.23.2
  traffic-mode broadcast
 as ss7replay m3ua
  asp ss7replay
  routing-key 13 0.23.3
 route-table system
  update route 0.23.2 7.255.7 linkset ss7watch
 listen m3ua $PORT_M3UA
  local-ip 127.0.0.1
EOF
	} > "$WORK/stp.cfg"
}

write_rx_cfg_m3ua() {
	{
		log_cfg
		cat <<EOF
cs7 instance 0
 point-code 0.23.2
 asp ss7watch $PORT_M3UA $PORT_M3UA_RX m3ua
  remote-ip 127.0.0.1
  local-ip 127.0.0.1
  sctp-role client
  role asp
 as ss7watch m3ua
  asp ss7watch
  routing-key 12 0.23.2
EOF
	} > "$WORK/rx.cfg"
}

# the receiver as an ASP of the STP
write_rx_cfg() {
	{ log_cfg; cs7_asp_cfg; } > "$WORK/rx.cfg"
}

# the receiver as an SG that ss7replay connects to directly
write_sg_cfg() {
	{ log_cfg; cs7_sg_cfg; } > "$WORK/sg.cfg"
}

# start_rx NAME CFG: the receiver, dump lines in NAME.out, log in NAME.err
start_rx() {
	"$RX_TEST" -c "$2" > "$WORK/$1.out" 2> "$WORK/$1.err" &
	RX_PID=$!
	PIDS="$PIDS $RX_PID"
}

rx_up_count() {
	count_ge 'input cs7-0: ASP .* up' "$WORK/rx.err" "$1"
}

# rx_at_stp [PORT]: osmo-stp (listening on PORT) and the receiver on the configs written, until
# the receiver is active at the STP
rx_at_stp() {
	start_stp "$@"
	start_rx rx "$WORK/rx.cfg"
	wait_for 15 "the receiver to be active at the STP" rx_up_count 1
}

# the --dump objects that must survive the trip: no frame numbers, times, IPs or M3UA label,
# and nothing that never reached SCCP (lower-layer errors, SUA)
normalize() {
	python3 -c '
import json, sys
LOWER = {"link", "ip", "sctp", "m3ua", "m2pa", "m2ua", "mtp2", "mtp3", "sua"}
for line in sys.stdin:
    o = json.loads(line)
    if o.get("decode_error", {}).get("layer") in LOWER:
        continue
    if o.get("sccp", {}).get("type", "").startswith("sua_"):
        continue
    for k in ("pcap_cnt", "timestamp", "src_ip", "dest_ip", "m3ua", "mtp3", "input"):
        o.pop(k, None)
    print(json.dumps(o, sort_keys=True))
'
}

do_compare() {
	[ $# -gt 0 ] || fail "no trace given"
	if [ "$PROTO" = m3ua ]; then
		write_stp_cfg_m3ua
		write_rx_cfg_m3ua
		REPLAY_ARGS="-P m3ua -p $PORT_M3UA --local-host 127.0.0.1 --local-port $PORT_M3UA_REPLAY --rctx 13"
		REPLAY_ARGS="$REPLAY_ARGS --pc 0.23.3 --dpc 0.23.2"
		# no TCP port to poll: wait for the VTY, which osmo-stp opens after the config
		STP_READY=4239
	else
		write_stp_cfg
		write_rx_cfg
		REPLAY_ARGS="-P ipa -p $PORT_STP"
		STP_READY=$PORT_STP
	fi
	rx_at_stp $STP_READY
	n=0
	: > "$WORK/offline.json"
	for t in "$@"; do
		"$SS7WATCH" --dump -r "$t" > "$WORK/one.json" 2>/dev/null || continue
		normalize < "$WORK/one.json" > "$WORK/one.norm"
		[ -s "$WORK/one.norm" ] || continue
		# shellcheck disable=SC2086
		"$SS7REPLAY" $REPLAY_ARGS -n ss7replay -s 0 -r "$t" >> "$WORK/replay.log" 2>&1 \
			|| fail "ss7replay $t"
		cat "$WORK/one.json" >> "$WORK/offline.json"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || fail "no trace with SCCP over MTP3"
	normalize < "$WORK/offline.json" > "$WORK/offline.norm"
	want=$(lines "$WORK/offline.norm")
	# every decoded message is one or more lines: wait until as many arrived
	wait_for 20 "$want messages at the receiver" count_ge . "$WORK/rx.out" "$want"
	normalize < "$WORK/rx.out" > "$WORK/rx.norm"
	if ! cmp -s "$WORK/offline.norm" "$WORK/rx.norm"; then
		diff "$WORK/offline.norm" "$WORK/rx.norm" | head -n 20 >&2
		fail "the receiver decoded something else than the offline run"
	fi
	echo "$n traces, $want lines: the receiver decoded what the offline run decoded"
}

do_reconnect() {
	python3 "$HERE/gen_mtp3.py" "$WORK/long.pcap" 300 0.05 || fail "gen_mtp3.py"
	write_stp_cfg
	write_rx_cfg
	rx_at_stp
	replay_across_stp_restart "$WORK/rx.out" "the receiver to reconnect" \
		grep -q 'input cs7-0: ASP ss7watch up again' "$WORK/rx.err"
	wait "$REPLAY_PID" || fail "ss7replay did not finish its trace"
	wait_for 10 "messages after the reconnection" count_ge . "$WORK/rx.out" $((after_up + 1))
	kill "$RX_PID"
	wait "$RX_PID"
	last=$(lines "$WORK/rx.out")
	grep -q 'reconnects=1' "$WORK/rx.err" || fail "the receiver did not count the reconnection"
	# the last message of the trace (otid 300 = 0x12c) made it
	grep -q '"otid":"0000012c"' "$WORK/rx.out" || fail "the last message did not arrive"
	echo "receiver: $before messages before the STP restart, $((last - after_up)) after reconnecting"
	cat "$WORK/replay.log"
}

do_badpeer() {
	python3 "$HERE/gen_mtp3.py" "$WORK/short.pcap" 20 0.001 || fail "gen_mtp3.py"
	write_stp_cfg
	write_rx_cfg
	write_sg_cfg

	# 1. the receiver as SG: bad ASPs connect, then ss7replay as a good one
	start_rx sg "$WORK/sg.cfg"
	sg_bad_then_good "$RX_PID" "the receiver"
	wait_for 10 "20 messages at the receiver (SG)" count_ge otid "$WORK/sg.out" 20
	echo "receiver as SG: alive after 100 bad ASPs, then decoded $(grep -c otid "$WORK/sg.out") messages"

	# 2. the receiver as ASP: a fake STP sends garbage, then breaks the connection mid-message
	start_fake_stp
	start_rx rx "$WORK/rx.cfg"
	wait "$FAKE_PID" || fail "fake STP"
	kill -0 "$RX_PID" 2>/dev/null || fail "the receiver died of a bad STP"
	start_stp
	wait_for 30 "the receiver to come up at the real STP" rx_up_count 1
	"$SS7REPLAY" -P ipa -p $PORT_STP -n ss7replay -s 0 -r "$WORK/short.pcap" > "$WORK/replay.log" 2>&1 \
		|| fail "ss7replay"
	wait_for 10 "20 messages at the receiver" count_ge otid "$WORK/rx.out" 20
	kill -0 "$RX_PID" 2>/dev/null || fail "the receiver died"
	echo "receiver as ASP: alive after a garbage-sending STP and a broken connection, then decoded" \
		"$(grep -c otid "$WORK/rx.out") messages"
}

need_env SS7WATCH SS7REPLAY RX_TEST
command -v osmo-stp >/dev/null || fail "osmo-stp is not installed"
if [ "$PROTO" = m3ua ] && ! python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132)' \
   2>/dev/null; then
	skip "kernel has no SCTP: M3UA over SCTP cannot be tested here"
fi

case "$MODE" in
compare)	do_compare "$@" ;;
reconnect)	do_reconnect ;;
badpeer)	do_badpeer ;;
*)		fail "unknown mode $MODE" ;;
esac
