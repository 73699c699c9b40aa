#!/bin/sh
# Tests of the ss7watch daemon (ss7watch -c FILE) against real peers, no mocks.
#
#   daemon_test.sh stp         ss7replay sends a scenario trace through osmo-stp over IPA; the
#                              daemon (an ASP of an AS in traffic-mode broadcast) raises the
#                              alerts of the offline run (rule, subscriber, threat)
#   daemon_test.sh reconnect   osmo-stp is killed and restarted mid-trace: the daemon
#                              reconnects and detects the later messages
#   daemon_test.sh mirror      tcpreplay replays a scenario trace on one end of a veth pair, the
#                              daemon captures on the other: the alerts of the offline run,
#                              and (with tshark) evidence pcaps holding the alerted frames
#   daemon_test.sh shutdown    SIGTERM while a file input is being read: every alert the
#                              daemon counted is in the file
#   daemon_test.sh rotate      SIGHUP while writing, with the file renamed each time: no line
#                              lost or duplicated
#   daemon_test.sh badpeer     garbage and half messages on the IPA sockets (as SG and as ASP)
#                              do not stop the daemon; it then detects good traffic
#   daemon_test.sh config      config errors name file, line and problem; exit code 1
#   daemon_test.sh vtyctrl     the telnet VTY and CTRL answer as documented
#   daemon_test.sh evidence    two file inputs (frame numbers from 1 in each) with an
#                              evidence-directory: one pcap per incident with alerts, tshark
#                              reads each, its frames are the alerted frames of the trace each
#                              alert names (evidence_check.py); a SIGHUP on the way; counters
#                              on CTRL, VTY and in the exit log
#   daemon_test.sh examples    each doc/examples/ss7watch-*.cfg loads and starts its input
#                              (needs root for the mirror port's interface)
#
# Needs SS7WATCH and SS7REPLAY in the environment; SW_KEEP_WORK=1 keeps the work directory.
# As root (CI), runs in its own network namespace: fixed ports, and veth pairs for "mirror".
# "mirror" needs root and tcpreplay and exits 77 (skip) without them.
set -u

# shellcheck source=SCRIPTDIR/../live/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/../live/lib.sh"
enter_netns "$@"

MODE=${1:?usage: daemon_test.sh stp|reconnect|mirror|shutdown|rotate|badpeer|config|vtyctrl|evidence}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
VTY_PORT=4290
CTRL_PORT=4291
DEMO=$SRCDIR/traces/demo.pcap
EXAMPLE=$SRCDIR/doc/examples/ss7watch.cfg
live_init sw_daemon

ctrl() {
	python3 "$HERE/ctrl.py" -p $CTRL_PORT GET "$@"
}

# ctrl_ge VAR N: the CTRL variable is at least N
ctrl_ge() {
	[ "$(ctrl "$1" 2>/dev/null)" -ge "$2" ] 2>/dev/null
}

ctrl_is() {
	[ "$(ctrl "$1" 2>/dev/null)" = "$2" ]
}

# The network of the example config without point codes: IPA carries no MTP3 routing label,
# so both runs must decide without one (and the networks only point codes described go).
config_without_point_codes() {
	python3 - "$EXAMPLE" <<'EOF'
import sys
out, sec = [], []
def flush():
    body = [l.strip() for l in sec[1:] if l.strip() and not l.strip().startswith("!")]
    if sec and (not sec[0].startswith("network ")
                or any(not l.startswith(("point-code", "description")) for l in body)):
        out.extend(sec)
for line in open(sys.argv[1]):
    if line.strip().startswith("point-code"):
        continue
    if line[:1] not in (" ", "\t") and line.strip():
        flush()
        sec = []
    sec.append(line)
flush()
sys.stdout.write("".join(out))
EOF
}

# the networks, rules and tracker of a config, without its alerts section and alert filters:
# these tests count what the writer does with every alert raised
network_part() {
	sed '/^alerts/,/^[^ !]/{/^alerts/d;/^ /d}; /^ \(alert-threshold\|rate-filter\|suppress\) /d' "$1"
}

# daemon_cfg NETWORK_CFG EXTRA_FILE > CFG: our network, alerts to $WORK/eve.json, the VTY
# reachable without login, and EXTRA_FILE (cs7 instances, inputs)
daemon_cfg() {
	network_part "$1"
	log_cfg
	cat <<EOF
line vty
 no login
 bind 127.0.0.1
alerts
 log-directory $WORK
 eve-file eve.json
EOF
	cat "$2"
}

# start_daemon CFG: the daemon, log in daemon.err; waits for its CTRL port
start_daemon() {
	"$SS7WATCH" -c "$1" > "$WORK/daemon.out" 2> "$WORK/daemon.err" &
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
	wait_for 15 "the daemon's CTRL port" port_listening $CTRL_PORT
}

# stop_daemon: SIGTERM, wait (bounded), exit status must be 0
stop_daemon() {
	stop_ok 15 "the daemon" "$DAEMON_PID"
}

# alert_lines FILE: the alert lines of an EVE file (incident lines are the others)
alert_lines() {
	grep -c '"event_type":"alert"' "$1" 2>/dev/null || true
}

# the (rule, subscriber, threat) of each alert, sorted
alert_keys() {
	python3 -c '
import json, sys
keys = []
for path in sys.argv[1:]:
    for line in open(path):
        o = json.loads(line)
        if o["event_type"] != "alert":
            continue
        s = o.get("subscriber", {})
        keys.append("%s %s %s %s" % (o["alert"]["rule"], s.get("imsi", "-"), s.get("msisdn", "-"),
                                     o["alert"]["threat"]))
for k in sorted(keys):
    print(k)
' "$@"
}

# compare_alerts OFFLINE LIVE
compare_alerts() {
	alert_keys "$1" > "$WORK/offline.keys"
	alert_keys "$2" > "$WORK/live.keys"
	[ -s "$WORK/offline.keys" ] || fail "the offline run raised no alert: nothing to compare"
	if ! cmp -s "$WORK/offline.keys" "$WORK/live.keys"; then
		diff "$WORK/offline.keys" "$WORK/live.keys" | head -n 20 >&2
		fail "the daemon's alerts differ from the offline run's"
	fi
}

# the daemon as an ASP of the STP
write_asp_input() {
	cs7_asp_cfg > "$WORK/asp.in"
}

# the daemon as an SG that ss7replay connects to directly
write_sg_input() {
	cs7_sg_cfg > "$WORK/sg.in"
}

need_stp() {
	command -v osmo-stp >/dev/null || skip "osmo-stp is not installed"
	need_env SS7REPLAY
}

# daemon_at_stp [ALERTS_LINE]: osmo-stp and the daemon as its ASP, with the network of
# $WORK/net.cfg (and ALERTS_LINE in its alerts node), until
# the daemon is active at the STP
daemon_at_stp() {
	write_stp_cfg
	write_asp_input
	daemon_cfg "$WORK/net.cfg" "$WORK/asp.in" > "$WORK/daemon.cfg"
	[ $# = 0 ] || sed -i "s|^ eve-file eve.json\$|&\n$1|" "$WORK/daemon.cfg"
	start_stp
	start_daemon "$WORK/daemon.cfg"
	wait_for 15 "the daemon to be active at the STP" ctrl_is input.cs7-0.state up
}

do_stp() {
	need_stp
	config_without_point_codes > "$WORK/net.cfg"
	"$SS7WATCH" -c "$WORK/net.cfg" -o "$WORK/offline.json" -r "$DEMO" 2> "$WORK/offline.err" \
		|| fail "offline run"
	# SIGTRAN messages have no frame: with an evidence-directory their alerts are counted as
	# skipped, and no pcap is written
	mkdir "$WORK/evidence"
	daemon_at_stp " evidence-directory $WORK/evidence"
	# as captured (speed 1): the rules compare times, the live run takes them from the arrival
	"$SS7REPLAY" -P ipa -p $PORT_STP -n ss7replay -s 1 -r "$DEMO" > "$WORK/replay.log" 2>&1 \
		|| fail "ss7replay"
	want=$(alert_lines "$WORK/offline.json")
	frames=$("$SS7WATCH" --stats -r "$DEMO" 2>/dev/null | awk '$1 == "sccp.messages" { print $2 }')
	wait_for 20 "$frames messages at the daemon" ctrl_ge input.cs7-0.messages "$frames"
	skipped=$(ctrl evidence.skipped)
	stop_daemon
	compare_alerts "$WORK/offline.json" "$WORK/eve.json"
	grep -q '"in_iface":"cs7-0"' "$WORK/eve.json" || fail "the alerts do not name their input"
	[ "$skipped" -gt 0 ] 2>/dev/null || fail "CTRL evidence.skipped: '$skipped' for the alerts of a SIGTRAN input"
	grep -q "Evidence: 0 files, 0 frames, .* $skipped alerts skipped (no captured frame" "$WORK/daemon.err" \
		|| fail "the exit log does not count $skipped alerts skipped"
	[ -z "$(ls "$WORK/evidence")" ] || fail "evidence pcaps for a SIGTRAN input: $(ls "$WORK/evidence")"
	echo "evidence: $skipped alerts of the SIGTRAN input counted as skipped, no pcap"
	echo "osmo-stp over IPA: $frames messages, $want alerts: the daemon raised the alerts of the offline run"
}

do_reconnect() {
	need_stp
	python3 "$SRCDIR/tests/live/gen_mtp3.py" "$WORK/long.pcap" 300 0.05 || fail "gen_mtp3.py"
	config_without_point_codes > "$WORK/net.cfg"
	daemon_at_stp
	# every message of this trace raises one alert (a Begin without application context)
	replay_across_stp_restart "$WORK/eve.json" "the daemon to reconnect" ctrl_ge input.cs7-0.reconnects 1
	wait "$REPLAY_PID" || fail "ss7replay did not finish its trace"
	wait_for 10 "alerts after the reconnection" count_ge . "$WORK/eve.json" $((after_up + 1))
	# the last message of the trace (otid 300 = 0x12c) was detected
	wait_for 10 "the last message's alert" grep -q '"otid":"0000012c"' "$WORK/eve.json"
	stop_daemon
	last=$(alert_lines "$WORK/eve.json")
	echo "daemon: $before alerts before the STP restart, $((last - after_up)) after reconnecting"
}

do_mirror() {
	[ "$(id -u)" = 0 ] || skip "the mirror port test needs root (network namespace, veth pair)"
	[ -n "${SW_IN_NETNS:-}" ] || skip "cannot make a network namespace (unshare -n)"
	command -v tcpreplay >/dev/null || skip "tcpreplay is not installed"
	ip link add swmirror0 type veth peer name swmirror1 || skip "cannot create a veth pair"
	for i in swmirror0 swmirror1; do
		sysctl -qw net.ipv6.conf.$i.disable_ipv6=1 2>/dev/null
		ip link set $i up || fail "ip link set $i up"
	done
	"$SS7WATCH" -c "$EXAMPLE" -o "$WORK/offline.json" -r "$DEMO" 2> "$WORK/offline.err" || fail "offline run"
	cat > "$WORK/mirror.in" <<EOF
input pcap mirror
 interface swmirror1
 filter sctp
 snaplen 65535
 buffer-size 8
EOF
	daemon_cfg "$EXAMPLE" "$WORK/mirror.in" > "$WORK/daemon.cfg"
	# the incidents' captured frames too (checked below when tshark is there)
	mkdir "$WORK/evidence"
	sed -i "s|^ eve-file eve.json\$|&\n evidence-directory $WORK/evidence|" "$WORK/daemon.cfg"
	start_daemon "$WORK/daemon.cfg"
	ctrl_is input.mirror.state running || fail "the capture is not running"
	# as captured (speed 1): the rules compare times, the capture stamps arrival times
	tcpreplay -q -i swmirror0 "$DEMO" > "$WORK/tcpreplay.log" 2>&1 || fail "tcpreplay"
	frames=$(capinfos -c -M "$DEMO" 2>/dev/null | awk '/Number of packets/ { print $NF }')
	[ -n "$frames" ] || frames=230
	wait_for 10 "$frames frames at the daemon" ctrl_ge input.mirror.messages "$frames"
	drops=$(ctrl input.mirror.drops)
	stop_daemon
	compare_alerts "$WORK/offline.json" "$WORK/eve.json"
	grep -q '"in_iface":"mirror"' "$WORK/eve.json" || fail "the alerts do not name their input"
	[ "$drops" = 0 ] || fail "the kernel dropped $drops frames"
	if command -v tshark >/dev/null; then
		python3 "$SRCDIR/tests/evidence/evidence_check.py" --ss7watch "$SS7WATCH" --eve "$WORK/eve.json" \
			--evidence-dir "$WORK/evidence" --log "$WORK/daemon.err" "mirror=$DEMO" > "$WORK/check.log" 2>&1 \
			|| { cat "$WORK/check.log" >&2; fail "evidence_check.py on the mirror port's pcaps"; }
		echo "mirror port evidence: $(head -n 2 "$WORK/check.log" | tail -n 1)"
	fi
	echo "mirror port: $frames frames, $(alert_lines "$WORK/eve.json") alerts, $drops drops:" \
		"the daemon raised the alerts of the offline run"
}

# a long trace in which every message raises one alert
long_trace() {
	python3 "$SRCDIR/tests/live/gen_mtp3.py" "$WORK/flood.pcap" "$1" 0.0001 || fail "gen_mtp3.py"
	cat > "$WORK/file.in" <<EOF
input file flood
 path $WORK/flood.pcap
EOF
	config_without_point_codes > "$WORK/net.cfg"
	daemon_cfg "$WORK/net.cfg" "$WORK/file.in" > "$WORK/daemon.cfg"
}

# the daemon's own count, from its exit line
raised_at_exit() {
	sed -n 's/.*stopped: .* messages, \([0-9]*\) alerts raised, \([0-9]*\) alert lines written.*/\1 \2/p' \
		"$WORK/daemon.err"
}

# The alert file is a FIFO that is open but not read: the writer thread blocks, its queue
# fills, and the daemon goes on decoding every message, dropping and counting alerts. Once
# the FIFO is read, SIGTERM writes what was queued: lines + dropped == raised.
do_stall() {
	long_trace 20000
	mkfifo "$WORK/eve.json"
	# a reader that does not read yet: opening read-write never blocks
	exec 3<>"$WORK/eve.json"
	sed -i 's/^ eve-file eve.json$/&\n queue-size 64/' "$WORK/daemon.cfg"
	start_daemon "$WORK/daemon.cfg"
	# a packet path that waited for the output would stop after the FIFO and the queue fill
	wait_for 60 "every frame decoded with the output stalled" ctrl_ge input.flood.messages 20000
	wait_for 10 "every message through the detector" ctrl_ge alerts.total 19000
	dropped=$(ctrl alerts.dropped)
	[ "$dropped" -gt 0 ] 2>/dev/null || fail "no alert counted as dropped (alerts.dropped: $dropped)"
	wait_for 5 "the drop in the log" grep -q 'alerts dropped: the alert output is too slow' "$WORK/daemon.err"
	# (without fd 3: a reader that also holds a write end never sees the end of the FIFO)
	cat "$WORK/eve.json" > "$WORK/eve.read" 3<&- &
	CAT_PID=$!
	PIDS="$PIDS $CAT_PID"
	exec 3<&-
	stop_daemon
	wait "$CAT_PID"
	set -- $(raised_at_exit)
	[ $# = 2 ] || fail "no exit summary in the log"
	in_file=$(alert_lines "$WORK/eve.read")
	[ "$2" = "$in_file" ] || fail "the daemon wrote $2 lines, the reader got $in_file"
	[ $((in_file + dropped)) = "$1" ] \
		|| fail "raised $1, read $in_file, dropped $dropped: $(( $1 - in_file - dropped )) lines unaccounted for"
	echo "stalled output: 20000 messages decoded, $1 alerts raised, $dropped dropped and counted," \
		"$in_file written once the output moved"
}

do_shutdown() {
	long_trace 400000
	start_daemon "$WORK/daemon.cfg"
	wait_for 20 "the first alerts" ctrl_ge alerts.total 1000
	stop_daemon
	set -- $(raised_at_exit)
	[ $# = 2 ] || fail "no exit summary in the log"
	in_file=$(alert_lines "$WORK/eve.json")
	[ "$1" -lt 400000 ] || fail "the file was read to its end before SIGTERM: make the trace longer"
	[ "$1" = "$in_file" ] && [ "$2" = "$in_file" ] \
		|| fail "the daemon raised $1 alerts and wrote $2, the file has $in_file lines"
	python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$WORK/eve.json" \
		|| fail "a line of the alert file is not complete JSON"
	echo "SIGTERM mid-replay: $1 alerts raised, $in_file lines in the file, none lost"
}

do_rotate() {
	long_trace 400000
	start_daemon "$WORK/daemon.cfg"
	n=0
	# up to five rotations while the file is still being read: a fast machine may read the
	# whole trace before the fifth, and a rotation after the input ended proves nothing
	while [ $n -lt 5 ] && ! ctrl_is input.flood.state finished; do
		wait_for 20 "alerts to rotate" count_ge . "$WORK/eve.json" 1
		n=$((n + 1))
		mv "$WORK/eve.json" "$WORK/eve.json.$n"
		kill -HUP "$DAEMON_PID"
		# the daemon opens the new file before writing its next line
		sleep 0.2
	done
	[ $n -ge 1 ] || fail "the daemon read the whole trace before the first rotation"
	wait_for 60 "the file input to finish" ctrl_is input.flood.state finished
	stop_daemon
	set -- $(raised_at_exit)
	cat "$WORK"/eve.json.* "$WORK/eve.json" > "$WORK/all.json" 2>/dev/null
	total=$(alert_lines "$WORK/all.json")
	unique=$(grep '"event_type":"alert"' "$WORK/all.json" | sort -u | wc -l)
	[ "$total" = "$1" ] || fail "the daemon raised $1 alerts, the rotated files hold $total lines"
	[ "$unique" = "$total" ] || fail "$((total - unique)) duplicated lines"
	[ "$total" = 400000 ] || fail "$total alerts for 400000 messages"
	python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$WORK/all.json" \
		|| fail "a line was cut by the rotation"
	echo "SIGHUP x$n while writing: $total lines in $((n + 1)) files, none lost or duplicated"
}

do_badpeer() {
	need_stp
	python3 "$SRCDIR/tests/live/gen_mtp3.py" "$WORK/short.pcap" 20 0.001 || fail "gen_mtp3.py"
	config_without_point_codes > "$WORK/net.cfg"

	# 1. the daemon as SG: bad ASPs connect, then ss7replay as a good one
	write_sg_input
	daemon_cfg "$WORK/net.cfg" "$WORK/sg.in" > "$WORK/daemon.cfg"
	start_daemon "$WORK/daemon.cfg"
	sg_bad_then_good "$DAEMON_PID" "the daemon"
	wait_for 10 "20 alerts (SG)" count_ge otid "$WORK/eve.json" 20
	stop_daemon
	echo "daemon as SG: alive after 20 bad ASPs, then $(grep -c otid "$WORK/eve.json") alerts"
	mv "$WORK/eve.json" "$WORK/eve_sg.json"

	# 2. the daemon as ASP: a fake STP sends garbage, then breaks the connection mid-message
	write_stp_cfg
	write_asp_input
	daemon_cfg "$WORK/net.cfg" "$WORK/asp.in" > "$WORK/daemon.cfg"
	start_fake_stp
	start_daemon "$WORK/daemon.cfg"
	wait "$FAKE_PID" || fail "fake STP"
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died of a bad STP"
	start_stp
	wait_for 30 "the daemon to come up at the real STP" ctrl_is input.cs7-0.state up
	"$SS7REPLAY" -P ipa -p $PORT_STP -n ss7replay -s 0 -r "$WORK/short.pcap" > "$WORK/replay.log" 2>&1 \
		|| fail "ss7replay"
	wait_for 10 "20 alerts" count_ge otid "$WORK/eve.json" 20
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
	stop_daemon
	echo "daemon as ASP: alive after a garbage-sending STP and a broken connection, then" \
		"$(grep -c otid "$WORK/eve.json") alerts"
}

# expect_config_error NAME WANT_REGEX: the daemon refuses $WORK/NAME.cfg with exit status 1
# and a message matching WANT_REGEX on stderr
expect_config_error() {
	timeout 20 "$SS7WATCH" -c "$WORK/$1.cfg" > /dev/null 2> "$WORK/$1.err"
	rc=$?
	[ $rc = 1 ] || fail "$1: exit status $rc, want 1"
	grep -Eq "$2" "$WORK/$1.err" || fail "$1: the message does not match '$2': $(cat "$WORK/$1.err")"
	echo "$1: $(grep -E "$2" "$WORK/$1.err" | head -n 1)"
}

do_config() {
	config_without_point_codes > "$WORK/net.cfg"
	base_lines=$(daemon_cfg "$WORK/net.cfg" /dev/null | wc -l)

	printf 'input pcap cap\n interface lo\n snaplen 10\n' > "$WORK/snaplen.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/snaplen.in" > "$WORK/snaplen.cfg"
	expect_config_error snaplen "snaplen.cfg:$((base_lines + 3)): snaplen 10 is too short"

	printf 'input pcap cap\n interface lo\n filter port port\n' > "$WORK/filter.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/filter.in" > "$WORK/filter.cfg"
	expect_config_error filter "filter.cfg:$((base_lines + 3)): bad filter 'port port'"

	printf 'input pcap cap\n filter sctp\n' > "$WORK/noif.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/noif.in" > "$WORK/noif.cfg"
	expect_config_error noif "noif.cfg:$((base_lines + 1)): input pcap cap has no 'interface IFACE'"

	printf 'input pcap cap\n interface sw-no-such-if\n' > "$WORK/badif.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/badif.in" > "$WORK/badif.cfg"
	expect_config_error badif "badif.cfg:$((base_lines + 1)): input cap: cannot capture on sw-no-such-if"

	printf 'input file f\n path %s/missing.pcap\n' "$WORK" > "$WORK/nofile.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/nofile.in" > "$WORK/nofile.cfg"
	expect_config_error nofile "nofile.cfg:$((base_lines + 1)): input f: .*missing.pcap: cannot read capture"

	printf 'daemon\n user sw-no-such-user\ninput file f\n path %s\n' "$DEMO" > "$WORK/user.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/user.in" > "$WORK/user.cfg"
	expect_config_error user "user.cfg:$((base_lines + 2)): daemon user 'sw-no-such-user': no such user"

	printf 'input file f\n pth x\n' > "$WORK/typo.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/typo.in" > "$WORK/typo.cfg"
	expect_config_error typo "typo.cfg:$((base_lines + 2)): unknown command 'pth x'"

	printf 'alerts\n evidence-directory %s/no-such-dir\ninput file f\n path %s\n' "$WORK" "$DEMO" > "$WORK/evdir.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/evdir.in" > "$WORK/evdir.cfg"
	expect_config_error evdir "evdir.cfg:$((base_lines + 2)): evidence directory .*/no-such-dir: No such file or directory"
	"$SS7WATCH" -T -c "$WORK/evdir.cfg" > /dev/null 2>&1 && fail "-T accepts a missing evidence-directory"

	: > "$WORK/plain"
	printf 'alerts\n evidence-directory %s/plain\ninput file f\n path %s\n' "$WORK" "$DEMO" > "$WORK/evfile.in"
	daemon_cfg "$WORK/net.cfg" "$WORK/evfile.in" > "$WORK/evfile.cfg"
	expect_config_error evfile "evfile.cfg:$((base_lines + 2)): evidence directory .*/plain: not a directory"

	daemon_cfg "$WORK/net.cfg" /dev/null > "$WORK/noinput.cfg"
	expect_config_error noinput "noinput.cfg: no input"

	sed 's/^ plmn 262 01$/ plmn 262 0x1/' "$WORK/net.cfg" > "$WORK/net_bad.cfg"
	bad_line=$(grep -n '^ plmn 262 0x1$' "$WORK/net_bad.cfg" | cut -d: -f1)
	printf 'input file f\n path %s\n' "$DEMO" > "$WORK/f.in"
	daemon_cfg "$WORK/net_bad.cfg" "$WORK/f.in" > "$WORK/plmn.cfg"
	expect_config_error plmn "plmn.cfg:$bad_line: "
}

do_vtyctrl() {
	printf 'input file demo\n path %s\n' "$DEMO" > "$WORK/demo.in"
	daemon_cfg "$EXAMPLE" "$WORK/demo.in" > "$WORK/daemon.cfg"
	"$SS7WATCH" -c "$EXAMPLE" -o "$WORK/offline.json" -r "$DEMO" 2> "$WORK/offline.err" || fail "offline run"
	start_daemon "$WORK/daemon.cfg"
	wait_for 20 "the file input to finish" ctrl_is input.demo.state finished
	python3 "$HERE/vty_ctrl_test.py" --vty-port $VTY_PORT --ctrl-port $CTRL_PORT --eve "$WORK/eve.json" \
		--offline "$WORK/offline.json" > "$WORK/vtyctrl.log" 2>&1 || { cat "$WORK/vtyctrl.log" >&2; fail "vty_ctrl_test.py"; }
	cat "$WORK/vtyctrl.log"
	stop_daemon
	# the stop closed the incidents show incidents listed: one line each, after its alerts
	python3 - "$WORK/eve.json" <<'EOF' || fail "the incident lines at the stop"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
alert_ids = [o["incident_id"] for o in lines if o["event_type"] == "alert"]
inc = [o for o in lines if o["event_type"] == "incident"]
assert inc and sorted(o["incident_id"] for o in inc) == sorted(set(alert_ids)), "one incident line per id"
assert all(o["incident"]["closed_by"] == "end" for o in inc), "closed by the stop"
assert lines.index(inc[0]) > max(i for i, o in enumerate(lines) if o["event_type"] == "alert"), "after the alerts"
print("stop: %d incident lines closed by the stop, one per incident_id of the alerts" % len(inc))
EOF
}

# The daemon's evidence pcaps, checked as replay's are: two file inputs, so frame numbers
# repeat and an alert must take its own input's frames.
do_evidence() {
	CAMPAIGN=$SRCDIR/traces/campaign.pcap
	command -v tshark >/dev/null || skip "tshark is not installed"
	mkdir "$WORK/evidence"
	printf 'input file campaign\n path %s\ninput file demo\n path %s\n' "$CAMPAIGN" "$DEMO" > "$WORK/files.in"
	daemon_cfg "$EXAMPLE" "$WORK/files.in" > "$WORK/daemon.cfg"
	sed -i "s|^ eve-file eve.json\$|&\n evidence-directory $WORK/evidence|" "$WORK/daemon.cfg"
	start_daemon "$WORK/daemon.cfg"
	wait_for 30 "the campaign input to finish" ctrl_is input.campaign.state finished
	wait_for 30 "the demo input to finish" ctrl_is input.demo.state finished
	ctrl_ge evidence.files 1 || fail "CTRL evidence.files: $(ctrl evidence.files 2>&1)"
	ctrl_is evidence.skipped 0 || fail "CTRL evidence.skipped: $(ctrl evidence.skipped 2>&1) (capture inputs only)"
	python3 - "$HERE" $VTY_PORT <<'EOF' || fail "VTY show summary has no Evidence line"
import sys
sys.path.insert(0, sys.argv[1])
from vty_ctrl_test import Vty
out = Vty(int(sys.argv[2])).cmd("show summary")
line = [l for l in out.splitlines() if l.startswith("Evidence: ")]
assert line and "alerts skipped" in line[0], out
print("VTY: " + line[0])
EOF
	# log rotation: the incidents still open write their pcaps after it (at the stop)
	kill -HUP "$DAEMON_PID"
	stop_daemon
	python3 "$SRCDIR/tests/evidence/evidence_check.py" --ss7watch "$SS7WATCH" --eve "$WORK/eve.json" \
		--evidence-dir "$WORK/evidence" --log "$WORK/daemon.err" "$CAMPAIGN" "$DEMO" > "$WORK/check.log" 2>&1
	_rc=$?
	cat "$WORK/check.log"
	[ $_rc = 0 ] || fail "evidence_check.py"
	echo "daemon evidence: $(ls "$WORK/evidence" | wc -l) pcaps, each the alerted frames of its incident"
}

# each example with what this machine has: an existing user, a writable log directory, an eth1
do_examples() {
	n=0
	for ex in "$SRCDIR"/doc/examples/ss7watch-*.cfg; do
		name=$(basename "$ex" .cfg)
		sed -e "s/^ user ss7watch$/ user nobody/" -e "s/^ group ss7watch$/ group $(id -gn nobody)/" \
		    -e "s#^ log-directory .*# log-directory $WORK#" "$ex" > "$WORK/$name.cfg"
		kind=$(sed -n 's/^input \(pcap\|file\) .*/\1/p; s/^ asp .* \(m3ua\|ipa\)$/\1/p; s/^ listen \(m3ua\|ipa\) .*/\1/p' \
		       "$ex" | head -n 1)
		if [ "$kind" = pcap ]; then
			[ "$(id -u)" = 0 ] && [ -n "${SW_IN_NETNS:-}" ] || { echo "$name: skipped (needs root)"; continue; }
			ip link show eth1 >/dev/null 2>&1 || ip link add eth1 type veth peer name eth1peer \
				|| fail "$name: cannot create eth1"
			ip link set eth1 up
		fi
		start_daemon "$WORK/$name.cfg"
		inputs=$(ctrl inputs) || fail "$name: CTRL inputs"
		echo "$inputs" | grep -q "^[^,]*,$kind," || fail "$name: no $kind input: $inputs"
		[ "$(id -u)" != 0 ] || grep -q '^Uid:[[:space:]]*'"$(id -u nobody)"'[[:space:]]' /proc/$DAEMON_PID/status \
			|| fail "$name: still running as root"
		stop_daemon
		echo "$name: loaded, input $inputs"
		n=$((n + 1))
	done
	[ $n -gt 0 ] || fail "no example loaded"
}

need_env SS7WATCH
command -v python3 >/dev/null || skip "python3 is not installed"

case "$MODE" in
stp)		do_stp ;;
reconnect)	do_reconnect ;;
mirror)		do_mirror ;;
shutdown)	do_shutdown ;;
stall)		do_stall ;;
rotate)		do_rotate ;;
badpeer)	do_badpeer ;;
config)		do_config ;;
vtyctrl)	do_vtyctrl ;;
evidence)	do_evidence ;;
examples)	do_examples ;;
*)		fail "unknown mode $MODE" ;;
esac
