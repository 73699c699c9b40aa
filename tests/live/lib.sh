# shellcheck shell=sh disable=SC2034  # (sets what its callers use)
# Shared by the live tests (tests/live, tests/daemon): their network namespace, work directory,
# bounded waits, osmo-stp and its configs, and a misbehaving peer. Sourced first; the caller
# then runs enter_netns "$@" and, once it has its arguments, live_init.

# the fixed ports of the namespace: the STP's IPA server, the receiver's (or daemon's) as SG
PORT_STP=14001
PORT_SG=14011

# enter_netns "$@": as root, run the calling script again in a network namespace of its own
# (fixed ports, veth pairs; osmo-stp 1.6 always binds its VTY to port 4239). SW_IN_NETNS is
# set in there.
enter_netns() {
	if [ -z "${SW_IN_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null \
	   && command -v ip >/dev/null && unshare -n true 2>/dev/null; then
		SW_IN_NETNS=1 exec unshare -n sh -c 'ip link set lo up && exec sh "$0" "$@"' "$0" "$@"
	fi
}

# live_init NAME: the work directory WORK (NAME.XXXXXX), removed on exit, unless SW_KEEP_WORK
# is set, after the background processes listed in PIDS are stopped
live_init() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	PIDS=""
	trap cleanup EXIT
	trap 'exit 1' INT TERM
}

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ -n "${SW_KEEP_WORK:-}" ]; then
		echo "kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}

fail() {
	echo "FAIL: $*" >&2
	for f in "$WORK"/*.log "$WORK"/*.err; do
		[ -f "$f" ] || continue
		echo "--- $f (last lines)" >&2
		tail -n 15 "$f" >&2
	done
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# need_env VAR...: each must be set
need_env() {
	for _v in "$@"; do
		eval "[ -n \"\${$_v:-}\" ]" || fail "$_v is not set"
	done
}

# wait_for SECONDS WHAT COMMAND...: poll every 0.1 s
wait_for() {
	_t=$(($1 * 10))
	_what=$2
	shift 2
	while ! "$@" >/dev/null 2>&1; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || fail "timeout waiting for $_what"
		sleep 0.1
	done
}

# stop_ok SECONDS WHAT PID: SIGTERM, wait (bounded); the exit status must be 0
stop_ok() {
	kill -TERM "$3"
	wait_for "$1" "$2 to stop after SIGTERM" gone "$3"
	wait "$3"
	_rc=$?
	[ $_rc = 0 ] || fail "$2 exited with status $_rc"
}

lines() {
	if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi
}

# count_ge PATTERN FILE N: at least N lines of FILE match PATTERN (for wait_for)
count_ge() {
	[ "$(grep -c "$1" "$2" 2>/dev/null)" -ge "$3" ]
}

# gone PID: the process has exited (for wait_for)
gone() {
	! kill -0 "$1" 2>/dev/null
}

port_listening() {
	python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))))
EOF
}

# bad_peer ROLE PORT: garbage and half messages, as a server (fake STP) or as clients
bad_peer() {
	python3 - "$@" <<'EOF'
import os, socket, struct, sys, time
role, port = sys.argv[1], int(sys.argv[2])

def payloads():
    # valid IPA framing (proto 0xfd = SCCP) around bytes that are not SCCP
    yield struct.pack(">HB", 6, 0xfd) + bytes.fromhex("09ff03ffff01")
    yield struct.pack(">HB", 3, 0xfd) + bytes.fromhex("1100ff")
    # an IPA CCM of an unknown type, an ID_RESP with a unit name nobody knows
    yield struct.pack(">HB", 1, 0xfe) + b"\x7f"
    yield struct.pack(">HB", 12, 0xfe) + b"\x05\x00\x08\x01nobody\x00\x00"
    # random bytes: a nonsensical IPA header
    yield os.urandom(64)

def half():
    # a header promising 256 bytes, then the peer goes away
    return struct.pack(">HB", 256, 0xfd) + b"\x09\x00\x03"

if role == "server":
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(4)
    ls.settimeout(20)
    c, _ = ls.accept()
    for p in payloads():
        try:
            c.sendall(p)
        except OSError:
            break
        time.sleep(0.05)
    c.close()
    c, _ = ls.accept()
    c.sendall(half())
    time.sleep(0.1)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()  # RST
    ls.close()
else:
    # 100 peers: libosmo-sigtran 2.0/2.1 without ss7watch's fix (input_sigtran_compat.c) died
    # within about 25 of them, 20 hit it only sometimes
    for i in range(100):
        c = socket.create_connection(("127.0.0.1", port), timeout=2)
        for j, p in enumerate(payloads()):
            if j > i % 5:
                break
            try:
                c.sendall(p)
            except OSError:
                break
        if i % 2:
            try:
                c.sendall(half())
            except OSError:
                pass
        c.close()
EOF
}

# start_fake_stp: bad_peer as the STP, on PORT_STP, in the background (FAKE_PID)
start_fake_stp() {
	bad_peer server $PORT_STP > "$WORK/fake_stp.log" 2>&1 &
	FAKE_PID=$!
	PIDS="$PIDS $FAKE_PID"
	wait_for 10 "the fake STP" port_listening $PORT_STP
}

# sg_bad_then_good PID WHO: the detector WHO (process PID) is an SG on PORT_SG; bad ASPs
# connect and must not kill it, then ss7replay sends $WORK/short.pcap as a good one
sg_bad_then_good() {
	wait_for 10 "$2 to listen on $PORT_SG" port_listening $PORT_SG
	bad_peer client $PORT_SG || fail "bad peer (client)"
	kill -0 "$1" 2>/dev/null || fail "$2 (SG) died of a bad ASP"
	"$SS7REPLAY" -P ipa -p $PORT_SG -n ss7replay -s 0 -r "$WORK/short.pcap" > "$WORK/replay_sg.log" 2>&1 \
		|| fail "ss7replay to $2 as SG"
}

# the log section of every osmo config here
log_cfg() {
	cat <<EOF
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging timestamp 1
 logging level set-all notice
EOF
}

# the start of every STP config: its log, its VTY and its point code
stp_cfg_head() {
	log_cfg
	cat <<EOF
line vty
 no login
 bind 127.0.0.1
cs7 instance 0
 point-code 0.23.1
EOF
}

# the STP: one AS per peer (over IPA the AS name is the peer's unit name); ss7replay's
# traffic goes to the detector's AS, broadcast to all its ASPs
write_stp_cfg() {
	{
		stp_cfg_head
		cat <<EOF
 as ss7watch ipa
  routing-key 0 0.23.2
  traffic-mode broadcast
 as ss7replay ipa
  routing-key 0 0.23.3
  point-code override dpc 0.23.2
 route-table system
  update route 0.23.2 7.255.7 linkset ss7watch
 listen ipa $PORT_STP
  local-ip 127.0.0.1
  accept-asp-connections dynamic-permitted
EOF
	} > "$WORK/stp.cfg"
}

# the cs7 instance of the detector (the receiver or the daemon) as an ASP of the STP
cs7_asp_cfg() {
	cat <<EOF
cs7 instance 0
 point-code 0.23.2
 asp ss7watch $PORT_STP 0 ipa
  remote-ip 127.0.0.1
  sctp-role client
  role asp
 as ss7watch ipa
  asp ss7watch
  routing-key 0 0.23.2
EOF
}

# the cs7 instance of the detector as an SG that ss7replay connects to directly
cs7_sg_cfg() {
	cat <<EOF
cs7 instance 0
 point-code 0.23.2
 as ss7replay ipa
  routing-key 0 0.23.3
  point-code override dpc 0.23.2
 listen ipa $PORT_SG
  local-ip 127.0.0.1
  accept-asp-connections dynamic-permitted
EOF
}

# start_stp [PORT]: osmo-stp on $WORK/stp.cfg, log in stp.log; waits until it listens on PORT
# (default PORT_STP)
# shellcheck disable=SC2120
start_stp() {
	osmo-stp -c "$WORK/stp.cfg" >> "$WORK/stp.log" 2>&1 &
	STP_PID=$!
	PIDS="$PIDS $STP_PID"
	wait_for 10 "osmo-stp to listen on ${1:-$PORT_STP}" port_listening "${1:-$PORT_STP}"
}

# stop_stp: kill -9, as if it crashed
stop_stp() {
	kill -9 "$STP_PID" 2>/dev/null
	wait "$STP_PID" 2>/dev/null
}

# replay_across_stp_restart OUT WHAT CMD...: ss7replay sends $WORK/long.pcap through the STP
# in the background (REPLAY_PID); once OUT has 10 lines the STP is killed and started again,
# and CMD must then say the detector is back (WHAT names it in a timeout). Sets before and
# after_up: the lines in OUT when the STP went away and when the detector was back.
replay_across_stp_restart() {
	_out=$1
	_back=$2	# (not _what: wait_for sets that)
	shift 2
	"$SS7REPLAY" -P ipa -p $PORT_STP -n ss7replay -w 20 -r "$WORK/long.pcap" > "$WORK/replay.log" 2>&1 &
	REPLAY_PID=$!
	PIDS="$PIDS $REPLAY_PID"
	wait_for 10 "the first lines in $_out" count_ge . "$_out" 10
	stop_stp
	before=$(lines "$_out")
	start_stp
	wait_for 30 "$_back" "$@"
	after_up=$(lines "$_out")
}
